"""Cifras del tablero guardadas: las sumas ponderadas por plan, dependencia, objetivo y trimestre.

Las escribe `gestion.seguimiento.cifras_guardadas` cuando cambia algo que las mueve (un reporte enviado, aceptado o devuelto, un
ajuste, una actividad); el tablero y los inicios las leen en lugar de recorrer las actividades. Las sumas van
en enteros escalados (peso × 100, peso × cumplimiento × 10.000): exactas en SQLite y en PostgreSQL.
"""
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import db, tipo_enum
from .seguimiento import EstadoReporte


class CifraVigencia(db.Model):
    """Una vigencia cuyas cifras ya se guardaron, con el margen de coherencia con que se calcularon."""

    __tablename__ = "cifra_vigencia"
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id", ondelete="CASCADE"), primary_key=True)
    margen: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))
    calculada_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class CifraPendiente(db.Model):
    """Una dependencia dueña de planes cuyas cifras cambiaron y aún no se recalculan."""

    __tablename__ = "cifra_pendiente"
    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    dependencia_id: Mapped[int] = mapped_column(sa.Integer)


class CifraAgregada(db.Model):
    """Las actividades de un plan vigente que responde una dependencia (la DT en una actividad territorial),
    de un objetivo, en un trimestre: cuántas son y sus sumas ponderadas del trimestre y del acumulado."""

    __tablename__ = "cifra_agregada"
    # El segundo índice sirve a quien ve solo su dependencia (director, DT): sin él, su tablero y su inicio leían
    # todas las filas del trimestre (2.380 a escala de sector) para quedarse con unas 6.
    __table_args__ = (sa.Index("ix_cifra_agregada_vigencia_trimestre", "vigencia_id", "trimestre"),
                      sa.Index("ix_cifra_agregada_dependencia", "dependencia_id", "vigencia_id", "trimestre"))
    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.Integer)
    trimestre: Mapped[int] = mapped_column(sa.SmallInteger)
    duena_id: Mapped[int] = mapped_column(sa.Integer)  # la dependencia dueña del plan
    plan_id: Mapped[int] = mapped_column(sa.Integer)
    dependencia_id: Mapped[int] = mapped_column(sa.Integer)  # quien responde por las filas
    objetivo_id: Mapped[int | None] = mapped_column(sa.Integer)
    territorial: Mapped[bool] = mapped_column(sa.Boolean)  # la parte de una DT en la actividad de otra
    actividades: Mapped[int] = mapped_column(sa.Integer)
    peso_trimestre: Mapped[int] = mapped_column(sa.BigInteger)
    suma_trimestre: Mapped[int] = mapped_column(sa.BigInteger)
    peso_acumulado: Mapped[int] = mapped_column(sa.BigInteger)
    suma_acumulado: Mapped[int] = mapped_column(sa.BigInteger)
    incoherentes: Mapped[int] = mapped_column(sa.Integer)
    estado_reporte: Mapped[EstadoReporte | None] = mapped_column(tipo_enum(EstadoReporte, "estado_reporte"))
    enviado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class CifraIntegrada(db.Model):
    """Las actividades de los planes vigentes de una dependencia dueña que integran un plan institucional (Decreto
    612), en un trimestre: las mismas sumas que `CifraAgregada`, para el avance de cada plan integrado."""

    __tablename__ = "cifra_integrada"
    __table_args__ = (sa.Index("ix_cifra_integrada_vigencia_trimestre", "vigencia_id", "trimestre"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.Integer)
    trimestre: Mapped[int] = mapped_column(sa.SmallInteger)
    duena_id: Mapped[int] = mapped_column(sa.Integer)
    plan_institucional_id: Mapped[int] = mapped_column(sa.Integer)
    actividades: Mapped[int] = mapped_column(sa.Integer)
    peso_trimestre: Mapped[int] = mapped_column(sa.BigInteger)
    suma_trimestre: Mapped[int] = mapped_column(sa.BigInteger)
    peso_acumulado: Mapped[int] = mapped_column(sa.BigInteger)
    suma_acumulado: Mapped[int] = mapped_column(sa.BigInteger)
    incoherentes: Mapped[int] = mapped_column(sa.Integer)


class CifraItems(db.Model):
    """Los ítems de un reporte trimestral de un plan de acción y cuántos están completos (justificados si quedaron
    bajo la meta, con evidencia si reportan avance): lo que la calidad del reporte lee, sin recorrer avances."""

    __tablename__ = "cifra_items"
    __table_args__ = (sa.Index("ix_cifra_items_vigencia_trimestre", "vigencia_id", "trimestre"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.Integer)
    trimestre: Mapped[int] = mapped_column(sa.SmallInteger)
    duena_id: Mapped[int] = mapped_column(sa.Integer)  # la dependencia dueña del plan del reporte
    reporte_id: Mapped[int] = mapped_column(sa.Integer)
    items: Mapped[int] = mapped_column(sa.Integer)
    completos: Mapped[int] = mapped_column(sa.Integer)


class CifraSinAvance(db.Model):
    """Las actividades de los planes de acción aprobados y vigentes de una dependencia, y cuántas nunca reportaron
    avance en la vigencia hasta el trimestre."""

    __tablename__ = "cifra_sin_avance"
    __table_args__ = (sa.Index("ix_cifra_sin_avance_vigencia_trimestre", "vigencia_id", "trimestre"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.Integer)
    trimestre: Mapped[int] = mapped_column(sa.SmallInteger)
    duena_id: Mapped[int] = mapped_column(sa.Integer)
    actividades: Mapped[int] = mapped_column(sa.Integer)
    sin_avance: Mapped[int] = mapped_column(sa.Integer)


class AlertaCoherencia(db.Model):
    """Una actividad cuya ejecución presupuestal y avance físico difieren en más del margen."""

    __tablename__ = "alerta_coherencia"
    __table_args__ = (sa.Index("ix_alerta_coherencia_vigencia_trimestre", "vigencia_id", "trimestre"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.Integer)
    trimestre: Mapped[int] = mapped_column(sa.SmallInteger)
    duena_id: Mapped[int] = mapped_column(sa.Integer)
    orden: Mapped[int] = mapped_column(sa.Integer)  # la posición de la fila en el plan
    dependencia_id: Mapped[int] = mapped_column(sa.Integer)
    codigo: Mapped[str] = mapped_column(sa.String(40))
    ejecucion: Mapped[int] = mapped_column(sa.BigInteger)  # centésimas de punto
    avance_fisico: Mapped[int] = mapped_column(sa.BigInteger)
