"""Historial de transiciones de estado y registro de auditoría (solo se agregan filas)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ahora, db, indices_busqueda


class HistorialEstado(db.Model):
    """Quién llevó qué objeto de qué estado a cuál, cuándo y por qué."""

    __tablename__ = "historial_estado"
    __table_args__ = (sa.Index("ix_historial_objeto", "objeto_tipo", "objeto_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objeto_tipo: Mapped[str] = mapped_column(sa.String(40))
    objeto_id: Mapped[int]
    accion: Mapped[str] = mapped_column(sa.String(60))
    estado_desde: Mapped[str | None] = mapped_column(sa.String(30))
    estado_hasta: Mapped[str] = mapped_column(sa.String(30))
    usuario_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    observacion: Mapped[str | None] = mapped_column(sa.Text)

    usuario = relationship("Usuario")


class RegistroAuditoria(db.Model):
    """Cada alta, cambio y borrado de datos. Nunca se edita ni se borra (ver gestion.base.auditoria)."""

    __tablename__ = "registro_auditoria"
    __table_args__ = indices_busqueda("registro_auditoria", "tabla", "usuario_email", "objeto_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora, index=True)
    usuario_id: Mapped[int | None]
    usuario_email: Mapped[str | None] = mapped_column(sa.String(255))
    direccion: Mapped[str | None] = mapped_column(sa.String(64))  # dirección de la petición
    accion: Mapped[str] = mapped_column(sa.String(20))
    tabla: Mapped[str] = mapped_column(sa.String(60))
    objeto_id: Mapped[str | None] = mapped_column(sa.String(60))
    cambios: Mapped[dict | None] = mapped_column(sa.JSON)
