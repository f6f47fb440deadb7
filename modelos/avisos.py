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
    # El .eml tal como se iba a enviar (megas, con el informe adjunto): se lee solo al reenviarlo, no en la lista.
    mensaje: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    intentos: Mapped[int] = mapped_column(default=1)
    ultimo_error: Mapped[str | None] = mapped_column(sa.Text)
    creado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    enviado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)

    def __str__(self) -> str:
        return self.asunto


class Recordatorio(db.Model):
    """Un recordatorio a una persona en un día: nunca dos con el mismo paso, destinatario y fecha, ni aunque
    dos procesos (el trabajador y la orden a mano) recuerden a la vez: la fila se escribe antes del correo."""

    __tablename__ = "recordatorio"
    __table_args__ = (sa.UniqueConstraint("paso", "destinatario", "fecha"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # «reporte-2026-T3», «cronograma-2027-consolidacion», «revision»
    paso: Mapped[str] = mapped_column(sa.String(120))
    descripcion: Mapped[str] = mapped_column(sa.String(300))
    dependencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    plazo: Mapped[date | None]
    desfase: Mapped[int | None]  # días antes del plazo (negativo: después)
    destinatario: Mapped[str] = mapped_column(sa.String(255))
    fecha: Mapped[date]  # el día (Bogotá) del recordatorio
    enviado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)

    dependencia = relationship(Dependencia)

    def __str__(self) -> str:
        return f"{self.descripcion} · {self.destinatario}"
