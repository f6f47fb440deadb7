"""Solicitudes de ajuste a planes aprobados (actividades 20 a 24)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ConVersion, EnumEtiquetado, ahora, db, tipo_enum
from .planes import Acta, Plan


class EstadoAjuste(EnumEtiquetado):
    SOLICITADO = "solicitado", "Solicitado", "primary"
    PERTINENTE = "pertinente", "Revisado: pertinente", "info"
    NO_PERTINENTE = "no_pertinente", "Revisado: no pertinente", "danger"
    APROBADO = "aprobado", "Aprobado", "success"
    RECHAZADO = "rechazado", "Rechazado", "danger"


class SolicitudAjuste(ConVersion, db.Model):
    __tablename__ = "solicitud_ajuste"
    __table_args__ = (
        sa.CheckConstraint("estado <> 'no_pertinente' OR revision IS NOT NULL", name="no_pertinente_con_revision"),
        sa.CheckConstraint("estado NOT IN ('aprobado', 'rechazado') OR (decidido_por_id IS NOT NULL"
                           " AND decidido_en IS NOT NULL)", name="decision_con_responsable"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"), index=True)
    solicitante_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    solicitado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    cambio_propuesto: Mapped[str] = mapped_column(sa.Text)
    causa: Mapped[str] = mapped_column(sa.Text)
    estado: Mapped[EstadoAjuste] = mapped_column(tipo_enum(EstadoAjuste, "estado_ajuste"),
                                                 default=EstadoAjuste.SOLICITADO)
    revision: Mapped[str | None] = mapped_column(sa.Text)
    revisado_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    revisado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decidido_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    decidido_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acta_id: Mapped[int | None] = mapped_column(sa.ForeignKey("acta.id"))
    plan_resultante_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan.id"))

    plan = relationship(Plan, foreign_keys=[plan_id], backref="solicitudes_ajuste")
    plan_resultante = relationship(Plan, foreign_keys=[plan_resultante_id])
    solicitante = relationship("Usuario", foreign_keys=[solicitante_id])
    revisado_por = relationship("Usuario", foreign_keys=[revisado_por_id])
    decidido_por = relationship("Usuario", foreign_keys=[decidido_por_id])
    acta = relationship(Acta)

    def __str__(self) -> str:
        return f"Ajuste #{self.id} · {self.plan}"


