"""Planes de gestión: PES, PEI, Plan de Acción (PA) y Plan de Acción Institucional (PAI)."""
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Cantidad, ConVersion, Dinero, EnumEtiquetado, ahora, db, indices_busqueda, no_negativo, tipo_enum
from .catalogos import (
    Cuatrienio,
    Dependencia,
    Instancia,
    PlanInstitucional,
    PndObjetivo,
    PoliticaMipg,
    ProyectoInversion,
    UnidadMedida,
    Vigencia,
)


class TipoPlan(EnumEtiquetado):
    PES = "pes", "Plan Estratégico Sectorial"
    PEI = "pei", "Plan Estratégico Institucional"
    PA = "pa", "Plan de Acción"
    PAI = "pai", "Plan de Acción Institucional"


class EstadoPlan(EnumEtiquetado):
    BORRADOR = "borrador", "Borrador", "secondary"
    EN_CONCERTACION = "en_concertacion", "En concertación", "info"
    ENVIADO = "enviado", "Enviado a la OAP", "primary"
    DEVUELTO = "devuelto", "Devuelto con observaciones", "warning"
    APROBADO = "aprobado", "Aprobado", "success"
    CONSOLIDADO = "consolidado", "Consolidado", "info"
    PRESENTADO = "presentado", "Presentado al comité", "primary"
    PUBLICADO = "publicado", "Publicado", "success"


class Periodicidad(EnumEtiquetado):
    TRIMESTRAL = "trimestral", "Trimestral"
    SEMESTRAL = "semestral", "Semestral"
    ANUAL = "anual", "Anual"


class Tendencia(EnumEtiquetado):
    CRECIENTE = "creciente", "Creciente"
    DECRECIENTE = "decreciente", "Decreciente"
    CONSTANTE = "constante", "Constante"


class TipoAcumulacion(EnumEtiquetado):
    FLUJO = "flujo", "Flujo"
    STOCK = "stock", "Stock"
    ACUMULADO = "acumulado", "Acumulado"
    CAPACIDAD = "capacidad", "Capacidad"
    REDUCCION = "reduccion", "Reducción"

    @property
    def es_nivel(self) -> bool:
        """Lo reportado cada trimestre es un nivel (o ya viene acumulado): al corte vale el último, no la suma."""
        return self is not TipoAcumulacion.FLUJO

    @property
    def decreciente(self) -> bool:
        """Una reducción se mide como una decreciente, cualquiera que sea la tendencia escrita."""
        return self is TipoAcumulacion.REDUCCION


class TipoCompromiso(EnumEtiquetado):
    OBJETIVO_PEI = "objetivo_pei", "Objetivo del PEI"
    INDICADOR = "indicador", "Indicador estratégico"
    NORMA = "norma", "Norma o lineamiento"
    INICIATIVA = "iniciativa", "Iniciativa institucional"
    FUNCION = "funcion", "Función propia de la dependencia"


ESTADOS_CON_APROBACION = ("aprobado", "consolidado", "publicado")


class Acta(db.Model):
    """Acta de un comité: aprobación de un plan, presentación del PAI o de un informe."""

    __tablename__ = "acta"
    __table_args__ = (sa.UniqueConstraint("instancia_id", "numero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instancia_id: Mapped[int] = mapped_column(sa.ForeignKey("instancia.id"))
    numero: Mapped[str] = mapped_column(sa.String(40))
    fecha: Mapped[date]
    decisiones: Mapped[str | None] = mapped_column(sa.Text)
    archivo: Mapped[str | None] = mapped_column(sa.String(300))

    instancia = relationship(Instancia)

    def __str__(self) -> str:
        return f"Acta {self.numero} · {self.instancia}"


class Plan(ConVersion, db.Model):
    __tablename__ = "plan"
    __table_args__ = (
        sa.CheckConstraint(
            "(tipo IN ('pes', 'pei') AND cuatrienio_id IS NOT NULL)"
            " OR (tipo = 'pa' AND vigencia_id IS NOT NULL AND dependencia_id IS NOT NULL)"
            " OR (tipo = 'pai' AND vigencia_id IS NOT NULL)",
            name="alcance_segun_tipo",
        ),
        sa.CheckConstraint("estado <> 'devuelto' OR observaciones IS NOT NULL", name="devuelto_con_observacion"),
        sa.CheckConstraint(
            f"tipo = 'pai' OR estado NOT IN {ESTADOS_CON_APROBACION}"
            " OR (aprobado_por_id IS NOT NULL AND aprobado_en IS NOT NULL)",
            name="aprobado_con_aprobador",
        ),
        sa.CheckConstraint(
            "estado <> 'publicado' OR (publicado_por_id IS NOT NULL AND publicado_en IS NOT NULL)",
            name="publicado_con_responsable",
        ),
        sa.CheckConstraint("numero_version >= 1", name="numero_version_positivo"),
        sa.Index("uq_plan_estrategico_version", "tipo", "cuatrienio_id", "numero_version", unique=True,
                 sqlite_where=sa.text("tipo IN ('pes', 'pei')"),
                 postgresql_where=sa.text("tipo IN ('pes', 'pei')")),
        sa.Index("uq_plan_accion_version", "dependencia_id", "vigencia_id", "numero_version", unique=True,
                 sqlite_where=sa.text("tipo = 'pa'"), postgresql_where=sa.text("tipo = 'pa'")),
        sa.Index("uq_plan_institucional_version", "vigencia_id", "numero_version", unique=True,
                 sqlite_where=sa.text("tipo = 'pai'"), postgresql_where=sa.text("tipo = 'pai'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo: Mapped[TipoPlan] = mapped_column(tipo_enum(TipoPlan, "tipo_plan"))
    nombre: Mapped[str] = mapped_column(sa.String(300))
    cuatrienio_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cuatrienio.id"))
    vigencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("vigencia.id"))
    dependencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    estado: Mapped[EstadoPlan] = mapped_column(tipo_enum(EstadoPlan, "estado_plan"), default=EstadoPlan.BORRADOR)
    numero_version: Mapped[int] = mapped_column(default=1)
    plan_anterior_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan.id"))
    vigente: Mapped[bool] = mapped_column(default=True)
    observaciones: Mapped[str | None] = mapped_column(sa.Text)
    creado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    enviado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    enviado_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    aprobado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    aprobado_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    publicado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    publicado_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    acta_aprobacion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("acta.id"))
    acta_presentacion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("acta.id"))
    excepcion_consolidacion: Mapped[str | None] = mapped_column(sa.Text)
    # El contenido al devolverlo: al reenviarlo, la OAP revisa solo lo que cambió desde entonces. Se lee solo
    # ahí (~77 KB en un plan de 88 actividades): las listas no lo traen con cada plan ni con cada actividad.
    contenido_devuelto: Mapped[dict | None] = mapped_column(sa.JSON, deferred=True)
    # Cargado como historia (una vigencia pasada, desde el libro de la oficina): quién, cuándo y de qué archivo. Un
    # plan así y sus reportes son de solo lectura (`gestion.reglas.flujo.motivo_historia`).
    historia_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    historia_por_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"))
    historia_archivo: Mapped[str | None] = mapped_column(sa.String(200))

    cuatrienio = relationship(Cuatrienio)
    vigencia = relationship(Vigencia)
    dependencia = relationship(Dependencia)
    plan_anterior = relationship("Plan", remote_side=[id])
    enviado_por = relationship("Usuario", foreign_keys=[enviado_por_id])
    aprobado_por = relationship("Usuario", foreign_keys=[aprobado_por_id])
    publicado_por = relationship("Usuario", foreign_keys=[publicado_por_id])
    historia_por = relationship("Usuario", foreign_keys=[historia_por_id])
    acta_aprobacion = relationship(Acta, foreign_keys=[acta_aprobacion_id])
    acta_presentacion = relationship(Acta, foreign_keys=[acta_presentacion_id])
    objetivos = relationship("Objetivo", back_populates="plan", cascade="all, delete-orphan",
                             order_by="Objetivo.codigo")
    actividades = relationship("Actividad", back_populates="plan", cascade="all, delete-orphan",
                               order_by="Actividad.codigo")
    # La solicitud de ajuste que propuso esta versión (None en la versión original).
    ajuste_origen = relationship("SolicitudAjuste", foreign_keys="SolicitudAjuste.plan_propuesto_id",
                                 back_populates="plan_propuesto", uselist=False)
    planes_consolidados = relationship(
        "Plan", secondary="consolidacion_pai",
        primaryjoin="Plan.id == consolidacion_pai.c.pai_id",
        secondaryjoin="Plan.id == consolidacion_pai.c.plan_id",
    )

    @property
    def observaciones_por_atender(self) -> str | None:
        """Lo que la OAP (al devolver) o el comité (en concertación) pidió y aún espera respuesta."""
        if self.estado in (EstadoPlan.DEVUELTO, EstadoPlan.EN_CONCERTACION):
            return self.observaciones
        return None

    def __str__(self) -> str:
        version = f" (v{self.numero_version})" if self.numero_version > 1 else ""
        return f"{self.nombre}{version}"


consolidacion_pai = sa.Table(
    "consolidacion_pai",
    db.metadata,
    sa.Column("pai_id", sa.ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("plan_id", sa.ForeignKey("plan.id"), primary_key=True),
)

objetivo_pnd = sa.Table(
    "objetivo_pnd",
    db.metadata,
    sa.Column("objetivo_id", sa.ForeignKey("objetivo.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("pnd_objetivo_id", sa.ForeignKey("pnd_objetivo.id"), primary_key=True),
)

objetivo_mipg = sa.Table(
    "objetivo_mipg",
    db.metadata,
    sa.Column("objetivo_id", sa.ForeignKey("objetivo.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("politica_id", sa.ForeignKey("politica_mipg.id"), primary_key=True),
)

objetivo_pes = sa.Table(
    "objetivo_pes",
    db.metadata,
    sa.Column("objetivo_id", sa.ForeignKey("objetivo.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("objetivo_pes_id", sa.ForeignKey("objetivo.id"), primary_key=True),
)


class Objetivo(ConVersion, db.Model):
    """Objetivo sectorial (PES) o institucional (PEI)."""

    __tablename__ = "objetivo"
    __table_args__ = (sa.UniqueConstraint("plan_id", "codigo"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    codigo: Mapped[str] = mapped_column(sa.String(20))
    nombre: Mapped[str] = mapped_column(sa.String(500))
    descripcion: Mapped[str | None] = mapped_column(sa.Text)

    plan = relationship(Plan, back_populates="objetivos")
    objetivos_pnd = relationship(PndObjetivo, secondary=objetivo_pnd)
    politicas_mipg = relationship(PoliticaMipg, secondary=objetivo_mipg)
    objetivos_pes = relationship(
        "Objetivo", secondary=objetivo_pes,
        primaryjoin="Objetivo.id == objetivo_pes.c.objetivo_id",
        secondaryjoin="Objetivo.id == objetivo_pes.c.objetivo_pes_id",
    )
    indicadores = relationship("Indicador", back_populates="objetivo", cascade="all, delete-orphan",
                               order_by="Indicador.codigo")

    def __str__(self) -> str:
        return f"{self.codigo} {self.nombre}"


class Indicador(ConVersion, db.Model):
    """Meta/indicador de un objetivo de plan estratégico."""

    __tablename__ = "indicador"
    __table_args__ = (
        sa.UniqueConstraint("objetivo_id", "codigo"),
        sa.CheckConstraint("NOT sinergia OR codigo_sinergia IS NOT NULL", name="sinergia_con_codigo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    objetivo_id: Mapped[int] = mapped_column(sa.ForeignKey("objetivo.id", ondelete="CASCADE"), index=True)
    codigo: Mapped[str] = mapped_column(sa.String(20))
    nombre: Mapped[str] = mapped_column(sa.String(500))
    formula: Mapped[str | None] = mapped_column(sa.String(500))
    unidad_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unidad_medida.id"))
    linea_base: Mapped[Decimal | None] = mapped_column(Cantidad)
    anio_linea_base: Mapped[int | None]  # el año en que se midió la línea base (las fichas técnicas lo traen)
    periodicidad: Mapped[Periodicidad | None] = mapped_column(tipo_enum(Periodicidad, "periodicidad"))
    tendencia: Mapped[Tendencia | None] = mapped_column(tipo_enum(Tendencia, "tendencia"))
    responsable_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    sinergia: Mapped[bool] = mapped_column(default=False)
    codigo_sinergia: Mapped[str | None] = mapped_column(sa.String(40))
    tipo_acumulacion: Mapped[TipoAcumulacion | None] = mapped_column(tipo_enum(TipoAcumulacion, "tipo_acumulacion"))

    objetivo = relationship(Objetivo, back_populates="indicadores")
    unidad = relationship(UnidadMedida)
    responsable = relationship(Dependencia)
    metas = relationship("MetaIndicador", back_populates="indicador", cascade="all, delete-orphan",
                         order_by="MetaIndicador.anio")

    def __str__(self) -> str:
        return f"{self.codigo} {self.nombre}"


class MetaIndicador(ConVersion, db.Model):
    __tablename__ = "meta_indicador"
    __table_args__ = (sa.UniqueConstraint("indicador_id", "anio"), no_negativo("valor"))

    id: Mapped[int] = mapped_column(primary_key=True)
    indicador_id: Mapped[int] = mapped_column(sa.ForeignKey("indicador.id", ondelete="CASCADE"))
    anio: Mapped[int]
    valor: Mapped[Decimal] = mapped_column(Cantidad)

    indicador = relationship(Indicador, back_populates="metas")

    def __str__(self) -> str:
        return f"{self.anio}: {self.valor}"


class ConMetasTrimestrales:
    """Lo que tiene metas por trimestre (una actividad, la parte de una Dirección Territorial)."""

    @property
    def metas_trimestrales(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return self.meta_t1, self.meta_t2, self.meta_t3, self.meta_t4

    def meta_trimestre(self, trimestre: int) -> Decimal:
        return self.metas_trimestrales[trimestre - 1]

    @classmethod
    def columna_meta(cls, trimestre: int):
        """La columna de la meta de ese trimestre, para una consulta."""
        return (cls.meta_t1, cls.meta_t2, cls.meta_t3, cls.meta_t4)[trimestre - 1]


# Los planes institucionales y estratégicos (Decreto 612 de 2018) a los que aporta cada actividad.
integracion = sa.Table(
    "integracion",
    db.metadata,
    sa.Column("actividad_id", sa.ForeignKey("actividad.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("plan_institucional_id", sa.ForeignKey("plan_institucional.id"), primary_key=True, index=True),
)


class Actividad(ConMetasTrimestrales, ConVersion, db.Model):
    """Actividad de un Plan de Acción, con su programación trimestral."""

    __tablename__ = "actividad"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "codigo"),
        no_negativo("meta_anual"), no_negativo("meta_t1"), no_negativo("meta_t2"),
        no_negativo("meta_t3"), no_negativo("meta_t4"), no_negativo("presupuesto"), no_negativo("linea_base"),
        sa.CheckConstraint("peso >= 0 AND peso <= 100", name="peso_porcentaje"),
        sa.CheckConstraint("fecha_fin >= fecha_inicio", name="fechas_ordenadas"),
        *indices_busqueda("actividad", "codigo", "descripcion", "indicador"),
        # La lista de actividades ordena por código y desempata por id (vistas.base.VistaModelo._apply_sorting):
        # el código se repite en cada plan.
        sa.Index("ix_actividad_codigo_id", "codigo", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    codigo: Mapped[str] = mapped_column(sa.String(20))
    descripcion: Mapped[str] = mapped_column(sa.String(500))
    objetivo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("objetivo.id"))
    politica_id: Mapped[int | None] = mapped_column(sa.ForeignKey("politica_mipg.id"))
    indicador: Mapped[str | None] = mapped_column(sa.String(300))
    formula: Mapped[str | None] = mapped_column(sa.String(300))
    unidad_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unidad_medida.id"))
    meta_anual: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    meta_t1: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    meta_t2: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    meta_t3: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    meta_t4: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    peso: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=0)
    fecha_inicio: Mapped[date | None]
    fecha_fin: Mapped[date | None]
    presupuesto: Mapped[Decimal] = mapped_column(Dinero, default=0)
    proyecto_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proyecto_inversion.id"))
    responsable: Mapped[str | None] = mapped_column(sa.String(200))
    territorial: Mapped[bool] = mapped_column(default=False)
    # El sentido de la meta, como el de un indicador: creciente (lo de siempre), decreciente o constante.
    tendencia: Mapped[Tendencia] = mapped_column(tipo_enum(Tendencia, "tendencia"), default=Tendencia.CRECIENTE,
                                                 server_default=Tendencia.CRECIENTE.value)
    # Desde dónde se mide una decreciente (`gestion.seguimiento.cifras.cumplimiento_actividad`), y cómo se acumula lo
    # logrado de los trimestres (sin tipo, como un flujo: se suma).
    linea_base: Mapped[Decimal | None] = mapped_column(Cantidad)
    tipo_acumulacion: Mapped[TipoAcumulacion | None] = mapped_column(tipo_enum(TipoAcumulacion, "tipo_acumulacion"))

    plan = relationship(Plan, back_populates="actividades")
    objetivo = relationship(Objetivo)
    politica = relationship(PoliticaMipg)
    unidad = relationship(UnidadMedida)
    proyecto = relationship(ProyectoInversion)
    # Se cargan con las actividades (una consulta por lote, no una por fila): toda tabla de actividades los muestra.
    planes_institucionales = relationship(PlanInstitucional, secondary=integracion,
                                          order_by=PlanInstitucional.codigo, lazy="selectin")
    metas_territoriales = relationship("MetaTerritorial", back_populates="actividad",
                                       cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"{self.codigo} {self.descripcion}"


class MetaTerritorial(ConMetasTrimestrales, ConVersion, db.Model):
    """Metas trimestrales que cada Dirección Territorial fija para una actividad territorial."""

    __tablename__ = "meta_territorial"
    __table_args__ = (
        sa.UniqueConstraint("actividad_id", "dependencia_id"),
        no_negativo("meta_t1"), no_negativo("meta_t2"), no_negativo("meta_t3"), no_negativo("meta_t4"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actividad_id: Mapped[int] = mapped_column(sa.ForeignKey("actividad.id", ondelete="CASCADE"))
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    meta_t1: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    meta_t2: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    meta_t3: Mapped[Decimal] = mapped_column(Cantidad, default=0)
    meta_t4: Mapped[Decimal] = mapped_column(Cantidad, default=0)

    actividad = relationship(Actividad, back_populates="metas_territoriales")
    dependencia = relationship(Dependencia)

    @property
    def total(self) -> Decimal:
        return sum(self.metas_trimestrales, Decimal(0))

    def __str__(self) -> str:
        return f"{self.actividad.codigo} · {self.dependencia.nombre}"


class Compromiso(ConVersion, db.Model):
    """Lo que el plan de acción de una dependencia debe cubrir (actividad 7)."""

    __tablename__ = "compromiso"

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    tipo: Mapped[TipoCompromiso] = mapped_column(tipo_enum(TipoCompromiso, "tipo_compromiso"))
    objetivo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("objetivo.id"))
    descripcion: Mapped[str] = mapped_column(sa.Text)

    vigencia = relationship(Vigencia)
    dependencia = relationship(Dependencia)
    objetivo = relationship(Objetivo)

    def __str__(self) -> str:
        return self.descripcion[:80]


class VerificacionPlan(db.Model):
    """Punto de control de juicio marcado por la OAP, con su comentario."""

    __tablename__ = "verificacion_plan"
    __table_args__ = (sa.UniqueConstraint("plan_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(sa.String(60))
    cumple: Mapped[bool]
    comentario: Mapped[str | None] = mapped_column(sa.Text)
    verificado_por_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    verificado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)

    plan = relationship(Plan, backref="verificaciones")
    verificado_por = relationship("Usuario")
