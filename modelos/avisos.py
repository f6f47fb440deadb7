"""Correo que el servidor no aceptó (se reintenta, nunca se pierde) y recordatorios enviados."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ahora, db
from .catalogos import Dependencia


class CorreoPendiente(db.Model):
    """Un correo que el servidor SMTP rechazó o no respondió: queda el mensaje completo para reenviarlo."""

    __tablename__ = "correo_pendiente"

    id: Mapped[int] = mapped_column(primary_key=True)
    asunto: Mapped[str] = mapped_column(sa.String(300))
    destinatarios: Mapped[str] = mapped_column(sa.Text)
    remitente: Mapped[str] = mapped_column(sa.String(255))
    mensaje: Mapped[bytes] = mapped_column(sa.LargeBinary)  # el .eml tal como se iba a enviar
    intentos: Mapped[int] = mapped_column(default=1)
    ultimo_error: Mapped[str | None] = mapped_column(sa.Text)
    creado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    enviado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)

    def __str__(self) -> str:
        return self.asunto


class Recordatorio(db.Model):
    """Un recordatorio de un plazo, a una dependencia, en un punto de la cadencia: nunca dos veces."""

    __tablename__ = "recordatorio"
    __table_args__ = (sa.UniqueConstraint("paso", "dependencia_id", "desfase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    paso: Mapped[str] = mapped_column(sa.String(80))  # «formulacion-2027», «reporte-2026-T3»
    descripcion: Mapped[str] = mapped_column(sa.String(300))
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    plazo: Mapped[date]
    desfase: Mapped[int]  # días antes del plazo (negativo: después)
    destinatarios: Mapped[str] = mapped_column(sa.Text)
    enviado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)

    dependencia = relationship(Dependencia)

    def __str__(self) -> str:
        return f"{self.descripcion} · {self.dependencia.nombre}"
