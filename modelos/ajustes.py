"""Solicitudes de ajuste a planes aprobados (actividades 20 a 24).

Una solicitud nace con la versión propuesta del plan: una copia en borrador que el solicitante prepara,
la OAP revisa (punto de control de la actividad 23) y la instancia competente aprueba (actividad 24).
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from .base import ConVersion, EnumEtiquetado, ahora, db, tipo_enum
from .planes import Acta, Plan


class EstadoAjuste(EnumEtiquetado):
    EN_PREPARACION = "en_preparacion", "En preparación", "secondary"
    SOLICITADO = "solicitado", "Enviado a la OAP", "primary"
    PERTINENTE = "pertinente", "Pertinente: en la instancia competente", "info"
    NO_PERTINENTE = "no_pertinente", "No pertinente", "danger"
    APROBADO = "aprobado", "Aprobado", "success"
    RECHAZADO = "rechazado", "Rechazado por la instancia", "danger"
    RETIRADO = "retirado", "Retirado por el solicitante", "dark"


# Mientras la solicitud está en uno de estos estados, el plan no admite otra.
ESTADOS_ABIERTOS = ("en_preparacion", "solicitado", "pertinente")


class SolicitudAjuste(ConVersion, db.Model):
    __tablename__ = "solicitud_ajuste"
    __table_args__ = (
        sa.CheckConstraint("estado NOT IN ('pertinente', 'no_pertinente') OR "
                           "(revision IS NOT NULL AND revisado_por_id IS NOT NULL)", name="revision_con_responsable"),
        sa.CheckConstraint("estado NOT IN ('aprobado', 'rechazado') OR (decidido_por_id IS NOT NULL"
                           " AND decidido_en IS NOT NULL)", name="decision_con_responsable"),
        sa.Index("uq_solicitud_ajuste_abierta", "plan_id", unique=True,
                 sqlite_where=sa.text(f"estado IN {ESTADOS_ABIERTOS}"),
                 postgresql_where=sa.text(f"estado IN {ESTADOS_ABIERTOS}")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"), index=True)
    plan_propuesto_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan.id"), unique=True)
    solicitante_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    solicitado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    enviado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    cambio_propuesto: Mapped[str] = mapped_column(sa.Text)
    causa: Mapped[str] = mapped_column(sa.Text)
    estado: Mapped[EstadoAjuste] = mapped_column(tipo_enum(EstadoAjuste, "estado_ajuste"),
                                                 default=EstadoAjuste.EN_PREPARACION)
    revision: Mapped[str | None] = mapped_column(sa.Text)
    revisado_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    revisado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    decision: Mapped[str | None] = mapped_column(sa.Text)
    decidido_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    decidido_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acta_id: Mapped[int | None] = mapped_column(sa.ForeignKey("acta.id"))
    # Lo que cambió, como lo leyó quien decidió (versiones.a_datos): la página pública lo lee sin recalcularlo.
    cambios: Mapped[dict | None] = mapped_column(sa.JSON)
    # La versión del PAI que lleva este ajuste al público (un PA, cuya instancia competente es la OAP): publicada
    # con él, o consolidada con él para ir al comité.
    pai_publicado_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan.id"), index=True)

    plan = relationship(Plan, foreign_keys=[plan_id], backref="solicitudes_ajuste")
    plan_propuesto = relationship(Plan, foreign_keys=[plan_propuesto_id], back_populates="ajuste_origen")
    solicitante = relationship("Usuario", foreign_keys=[solicitante_id])
    revisado_por = relationship("Usuario", foreign_keys=[revisado_por_id])
    decidido_por = relationship("Usuario", foreign_keys=[decidido_por_id])
    acta = relationship(Acta)
    pai_publicado = relationship(Plan, foreign_keys=[pai_publicado_id],
                                 backref=backref("ajustes_publicados", order_by="SolicitudAjuste.id"))

    @property
    def abierta(self) -> bool:
        return self.estado.value in ESTADOS_ABIERTOS

    @property
    def propuesta_descartada(self) -> bool:
        """Cerrada sin aprobarse: la versión propuesta queda solo para leerla."""
        return not self.abierta and self.estado is not EstadoAjuste.APROBADO

    def __str__(self) -> str:
        return f"Ajuste #{self.id} · {self.plan}"
