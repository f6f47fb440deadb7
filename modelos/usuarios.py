"""Usuarios y roles (Flask-Security-Too)."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import current_app
from flask_security import RoleMixin, UserMixin
from flask_security.datastore import AsaList
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ConVersion, db

roles_usuarios = sa.Table(
    "roles_usuarios",
    db.metadata,
    sa.Column("usuario_id", sa.ForeignKey("usuario.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("rol_id", sa.ForeignKey("rol.id", ondelete="CASCADE"), primary_key=True),
)


class Rol(ConVersion, db.Model, RoleMixin):
    __tablename__ = "rol"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    description: Mapped[str | None] = mapped_column(sa.String(200))

    def __str__(self) -> str:
        return self.description or self.name


class Usuario(ConVersion, db.Model, UserMixin):
    __tablename__ = "usuario"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(200), default="")
    password: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    fs_uniquifier: Mapped[str] = mapped_column(sa.String(64), unique=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    current_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_login_ip: Mapped[str | None] = mapped_column(sa.String(64))
    current_login_ip: Mapped[str | None] = mapped_column(sa.String(64))
    login_count: Mapped[int | None] = mapped_column(sa.Integer)
    dependencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"))
    # Bloqueo tras fallos seguidos (gestion.base.ingreso los cuenta; un ingreso bueno los pone en cero).
    intentos_fallidos: Mapped[int] = mapped_column(default=0, server_default="0")
    bloqueado_hasta: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Segundo factor de Flask-Security: método, secreto TOTP cifrado y códigos de recuperación.
    tf_primary_method: Mapped[str | None] = mapped_column(sa.String(64))
    tf_totp_secret: Mapped[str | None] = mapped_column(sa.String(255))
    tf_phone_number: Mapped[str | None] = mapped_column(sa.String(128))
    mf_recovery_codes: Mapped[list | None] = mapped_column(MutableList.as_mutable(AsaList()))

    dependencia = relationship("Dependencia")
    roles = relationship(Rol, secondary=roles_usuarios, backref="usuarios")

    def is_locked(self, form_error: list[str] | None = None) -> bool:
        """Flask-Security lo pregunta después de verificar la contraseña: bloqueada, ni la correcta entra."""
        hasta = self.bloqueado_hasta
        if hasta is not None and hasta.tzinfo is None:  # SQLite devuelve la hora sin zona
            hasta = hasta.replace(tzinfo=timezone.utc)
        bloqueada = hasta is not None and hasta > datetime.now(timezone.utc)
        if bloqueada and form_error is not None:
            # El ingreso cambia este texto por el mensaje genérico: no delata que la contraseña era correcta.
            form_error.append("Cuenta bloqueada temporalmente.")
        return bloqueada

    def check_tf_required(self, tf_setup_methods, tf_fresh):
        """Flask-Security lo pregunta tras verificar la contraseña: quien aprueba necesita el segundo factor
        si la configuración lo exige; quien lo activó por su cuenta, siempre."""
        exigido = current_app.config["GESTION_SEGUNDO_FACTOR"] and bool(
            self.nombres_roles & set(current_app.config["GESTION_ROLES_SEGUNDO_FACTOR"]))
        if exigido or tf_setup_methods:
            return True, tf_setup_methods
        return False, tf_setup_methods

    @property
    def nombres_roles(self) -> set[str]:
        return {r.name for r in self.roles}

    def __str__(self) -> str:
        return f"{self.nombre} <{self.email}>" if self.nombre else self.email


class ClaveAnterior(db.Model):
    """El hash de una contraseña que el usuario ya no usa: la política no deja volver a las últimas
    (`GESTION_CLAVES_ANTERIORES`, contando la actual). Solo el hash, como en `Usuario.password`."""
    __tablename__ = "clave_anterior"

    id: Mapped[int] = mapped_column(primary_key=True)
    usuario_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id", ondelete="CASCADE"), index=True)
    password: Mapped[str] = mapped_column(sa.String(255))
    cambiada_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
