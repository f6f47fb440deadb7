"""Usuarios y roles (Flask-Security-Too)."""
from datetime import datetime

import sqlalchemy as sa
from flask_security import RoleMixin, UserMixin
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

    dependencia = relationship("Dependencia")
    roles = relationship(Rol, secondary=roles_usuarios, backref="usuarios")

    @property
    def nombres_roles(self) -> set[str]:
        return {r.name for r in self.roles}

    def __str__(self) -> str:
        return f"{self.nombre} <{self.email}>" if self.nombre else self.email
