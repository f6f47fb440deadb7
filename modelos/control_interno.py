"""Lo que Control Interno registra por su cuenta (Circular 04 de 2005; Ley 909 de 2004, art. 39): su verificación
del cumplimiento de cada dependencia por periodo y la evaluación institucional por dependencia de cada vigencia.

Va al lado del reporte de la dependencia, nunca en él: ninguna de estas filas cambia un reporte ni una cifra.
"""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ConVersion, db
from .catalogos import Dependencia, Vigencia

PERIODOS = ("T1", "T2", "T3", "T4", "S1", "S2")


class VerificacionControlInterno(ConVersion, db.Model):
    """El porcentaje de cumplimiento que Control Interno verificó para una dependencia en un periodo (trimestre o
    semestre), qué evidencia revisó y su observación; al lado, la cifra que la dependencia reportaba entonces."""

    __tablename__ = "verificacion_oci"
    __table_args__ = (
        sa.UniqueConstraint("vigencia_id", "dependencia_id", "periodo"),
        sa.CheckConstraint("periodo IN ('T1', 'T2', 'T3', 'T4', 'S1', 'S2')", name="periodo_valido"),
        sa.CheckConstraint("cumplimiento_verificado >= 0 AND cumplimiento_verificado <= 100",
                           name="cumplimiento_porcentaje"),
        sa.CheckConstraint("(publicada_en IS NULL) = (publicada_por_id IS NULL)", name="publicada_con_responsable"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    periodo: Mapped[str] = mapped_column(sa.String(2))
    cumplimiento_dependencia: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    cumplimiento_verificado: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    evidencia: Mapped[str] = mapped_column(sa.Text)
    observacion: Mapped[str | None] = mapped_column(sa.Text)
    registrado_por_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    registrado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    publicada_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    publicada_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    vigencia = relationship(Vigencia)
    dependencia = relationship(Dependencia)
    registrado_por = relationship("Usuario", foreign_keys=[registrado_por_id])
    publicada_por = relationship("Usuario", foreign_keys=[publicada_por_id])

    def __str__(self) -> str:
        return f"Verificación de Control Interno · {self.dependencia} · {self.vigencia} {self.periodo}"


class EvaluacionDependencia(db.Model):
    """La evaluación institucional de una dependencia en la vigencia: lo que la dependencia reportó haber
    cumplido frente a lo que Control Interno verificó; con la firma de Control Interno queda cerrada."""

    __tablename__ = "evaluacion_dependencia"
    __table_args__ = (
        sa.UniqueConstraint("vigencia_id", "dependencia_id"),
        sa.CheckConstraint("(firmada_en IS NULL) = (firmada_por_id IS NULL)", name="firmada_con_responsable"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"))
    cumplimiento_reportado: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    cumplimiento_verificado: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    periodo_verificado: Mapped[str | None] = mapped_column(sa.String(2))
    concepto: Mapped[str | None] = mapped_column(sa.Text)
    generada_por_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    generada_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    firmada_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    firmada_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    vigencia = relationship(Vigencia)
    dependencia = relationship(Dependencia)
    firmada_por = relationship("Usuario", foreign_keys=[firmada_por_id])

    def __str__(self) -> str:
        return f"Evaluación de {self.dependencia} · {self.vigencia}"
