"""Seguimiento trimestral (actividades 16 a 19)."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from .base import Cantidad, ConVersion, Dinero, EnumEtiquetado, ahora, db, no_negativo, tipo_enum
from .catalogos import Dependencia, Vigencia
from .planes import Acta, Actividad, Indicador, Plan

TRIMESTRE_VALIDO = "trimestre BETWEEN 1 AND 4"


class EstadoReporte(EnumEtiquetado):
    EN_REPORTE = "en_reporte", "En reporte", "info"
    REPORTADO = "reportado", "Reportado", "primary"
    DEVUELTO = "devuelto", "Devuelto con observaciones", "warning"
    ACEPTADO = "aceptado", "Aceptado por la OAP", "success"


class EstadoVentana(EnumEtiquetado):
    """Lo que dicen sus fechas y sus reaperturas (gestion.reglas.ventanas), nunca una marca guardada."""
    POR_ABRIR = "por_abrir", "Por abrir", "info"
    ABIERTA = "abierta", "Abierta", "success"
    CERRADA = "cerrada", "Cerrada", "secondary"


class EstadoAccion(EnumEtiquetado):
    ABIERTA = "abierta", "Abierta", "warning"
    CERRADA = "cerrada", "Cerrada", "success"


class VentanaReporte(ConVersion, db.Model):
    __tablename__ = "ventana_reporte"
    __table_args__ = (
        sa.UniqueConstraint("vigencia_id", "trimestre"),
        sa.CheckConstraint(TRIMESTRE_VALIDO, name="trimestre_valido"),
        sa.CheckConstraint("cierra >= abre", name="fechas_ordenadas"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    trimestre: Mapped[int]
    abre: Mapped[date]
    cierra: Mapped[date]

    vigencia = relationship(Vigencia)

    def __str__(self) -> str:
        return f"{self.vigencia} T{self.trimestre}"


class ReaperturaVentana(db.Model):
    """La OAP reabre una ventana cerrada hasta `hasta`, con un motivo: para una dependencia o, sin ella, para todas."""

    __tablename__ = "reapertura_ventana"

    id: Mapped[int] = mapped_column(primary_key=True)
    ventana_id: Mapped[int] = mapped_column(sa.ForeignKey("ventana_reporte.id", ondelete="CASCADE"))
    dependencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"))
    motivo: Mapped[str] = mapped_column(sa.Text)
    hasta: Mapped[date]
    usuario_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)

    ventana = relationship(VentanaReporte, backref=backref("reaperturas", order_by="ReaperturaVentana.id"))
    dependencia = relationship(Dependencia)
    usuario = relationship("Usuario")

    @property
    def para(self) -> str:
        return self.dependencia.nombre if self.dependencia is not None else "todas las dependencias"


class ReporteTrimestral(ConVersion, db.Model):
    """Reporte de avance de un plan por una dependencia en un trimestre de una vigencia.

    La vigencia va aparte porque un PES o un PEI se reporta cada año de su cuatrienio."""

    __tablename__ = "reporte_trimestral"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "dependencia_id", "vigencia_id", "trimestre"),
        sa.CheckConstraint(TRIMESTRE_VALIDO, name="trimestre_valido"),
        sa.CheckConstraint("estado <> 'devuelto' OR observaciones IS NOT NULL", name="devuelto_con_observacion"),
        # Los reportes por revisar, los que más esperan primero (inicio de la OAP): sin él, cada inicio recorría
        # todos los reportes de todas las vigencias (23 mil en un sector) para hallar los ~200 enviados.
        sa.Index("ix_reporte_trimestral_estado_enviado_en", "estado", "enviado_en", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"), index=True)
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"), index=True)
    trimestre: Mapped[int]
    estado: Mapped[EstadoReporte] = mapped_column(tipo_enum(EstadoReporte, "estado_reporte"),
                                                  default=EstadoReporte.EN_REPORTE)
    observaciones: Mapped[str | None] = mapped_column(sa.Text)
    enviado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    enviado_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    revisado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revisado_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))

    plan = relationship(Plan)
    dependencia = relationship(Dependencia)
    vigencia = relationship(Vigencia)
    enviado_por = relationship("Usuario", foreign_keys=[enviado_por_id])
    revisado_por = relationship("Usuario", foreign_keys=[revisado_por_id])
    avances = relationship("Avance", back_populates="reporte", cascade="all, delete-orphan")

    @property
    def observaciones_por_atender(self) -> str | None:
        return self.observaciones if self.estado is EstadoReporte.DEVUELTO else None

    def __str__(self) -> str:
        return f"{self.plan} · {self.dependencia.nombre} · {self.vigencia} T{self.trimestre}"


class Avance(ConVersion, db.Model):
    """Valor logrado en el trimestre por una actividad (PA) o un indicador (PES/PEI)."""

    __tablename__ = "avance"
    __table_args__ = (
        sa.UniqueConstraint("reporte_id", "actividad_id"),
        sa.UniqueConstraint("reporte_id", "indicador_id"),
        sa.CheckConstraint("(actividad_id IS NULL) <> (indicador_id IS NULL)", name="actividad_o_indicador"),
        no_negativo("valor_logrado"), no_negativo("presupuesto_comprometido"), no_negativo("presupuesto_pagado"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporte_id: Mapped[int] = mapped_column(sa.ForeignKey("reporte_trimestral.id", ondelete="CASCADE"))
    # Con índice: las cifras juntan avances por actividad, y borrar una actividad verifica la llave en avance.
    actividad_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actividad.id"), index=True)
    indicador_id: Mapped[int | None] = mapped_column(sa.ForeignKey("indicador.id"), index=True)
    valor_logrado: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    avance_cualitativo: Mapped[str | None] = mapped_column(sa.Text)
    justificacion: Mapped[str | None] = mapped_column(sa.Text)
    evidencia_archivo: Mapped[str | None] = mapped_column(sa.String(300))
    evidencia_enlace: Mapped[str | None] = mapped_column(sa.String(500))
    # La evidencia nombrada sin enlace («Acta 12 de 2025», «Meta 1.docx»), como la traen los libros de las oficinas.
    evidencia_referencia: Mapped[str | None] = mapped_column(sa.String(500))
    presupuesto_comprometido: Mapped[Decimal] = mapped_column(Dinero, default=0)
    presupuesto_pagado: Mapped[Decimal] = mapped_column(Dinero, default=0)

    reporte = relationship(ReporteTrimestral, back_populates="avances")
    actividad = relationship(Actividad)
    indicador = relationship(Indicador)


class DiagnosticoTrimestral(db.Model):
    """Cuadro diagnóstico de la OAP por dependencia y trimestre (control de la actividad 16)."""

    __tablename__ = "diagnostico_trimestral"
    __table_args__ = (
        sa.UniqueConstraint("vigencia_id", "trimestre", "dependencia_id"),
        sa.CheckConstraint(TRIMESTRE_VALIDO, name="trimestre_valido"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    trimestre: Mapped[int]
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    diagnostico: Mapped[str] = mapped_column(sa.Text)
    autor_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)

    vigencia = relationship(Vigencia)
    dependencia = relationship(Dependencia)
    autor = relationship("Usuario")


class InformeSeguimiento(db.Model):
    """Informe trimestral de seguimiento (actividad 17) y su remisión a Control Interno (18)."""

    __tablename__ = "informe_seguimiento"
    __table_args__ = (
        sa.UniqueConstraint("vigencia_id", "trimestre"),
        sa.CheckConstraint(TRIMESTRE_VALIDO, name="trimestre_valido"),
        sa.CheckConstraint("remitido_en IS NULL OR remitido_por_id IS NOT NULL", name="remision_con_responsable"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    trimestre: Mapped[int]
    generado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    generado_por_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    remitido_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    remitido_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    destinatarios: Mapped[str | None] = mapped_column(sa.Text)

    vigencia = relationship(Vigencia)
    generado_por = relationship("Usuario", foreign_keys=[generado_por_id])
    remitido_por = relationship("Usuario", foreign_keys=[remitido_por_id])

    def __str__(self) -> str:
        return f"Informe {self.vigencia} T{self.trimestre}"


class PresentacionComite(db.Model):
    """Presentación del informe a un comité (actividad 19)."""

    __tablename__ = "presentacion_comite"

    id: Mapped[int] = mapped_column(primary_key=True)
    informe_id: Mapped[int] = mapped_column(sa.ForeignKey("informe_seguimiento.id"))
    acta_id: Mapped[int] = mapped_column(sa.ForeignKey("acta.id"))

    informe = relationship(InformeSeguimiento, backref="presentaciones")
    acta = relationship(Acta)
    acciones = relationship("AccionDerivada", back_populates="presentacion", cascade="all, delete-orphan")


class AccionDerivada(db.Model):
    __tablename__ = "accion_derivada"
    __table_args__ = (
        sa.CheckConstraint("estado <> 'cerrada' OR cerrada_en IS NOT NULL", name="cerrada_con_fecha"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    presentacion_id: Mapped[int] = mapped_column(sa.ForeignKey("presentacion_comite.id", ondelete="CASCADE"))
    descripcion: Mapped[str] = mapped_column(sa.Text)
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    fecha_limite: Mapped[date]
    estado: Mapped[EstadoAccion] = mapped_column(tipo_enum(EstadoAccion, "estado_accion"), default=EstadoAccion.ABIERTA)
    cerrada_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    presentacion = relationship(PresentacionComite, back_populates="acciones")
    dependencia = relationship(Dependencia)

    def __str__(self) -> str:
        return self.descripcion[:60]
