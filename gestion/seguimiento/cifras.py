"""Las cifras del seguimiento: cumplimiento, avance ponderado, semáforo y coherencia presupuestal.

Toda página, informe y archivo toma sus números de aquí. Los porcentajes van en escala 0–100.

- Cumplimiento de una actividad (`cumplimiento_actividad`), del trimestre y acumulado a la fecha, según su
  tendencia: logrado / programado si es creciente; si es decreciente, lo recorrido desde la línea base hacia la meta
  (negativo si empeoró), o programado / logrado sin línea base; 100 % si es constante y se mantiene dentro de la
  tolerancia. Lo acumulado a la fecha sale de su tipo de acumulación (`acumulado_a_la_fecha`). Se muestra sin tope
  y con su signo; al agregarlo se acota entre 0 y 100 % (`topado`).
- Avance de una dependencia, un objetivo del PEI o del conjunto = suma ponderada (por el peso de cada
  actividad) del cumplimiento acumulado acotado a 0–100 %, sobre las actividades con meta programada a la fecha.
- Solo cuentan los reportes enviados (reportado o aceptado); sin reporte, el semáforo es gris.
- Una actividad territorial la reportan las Direcciones Territoriales con sus metas; la dependencia que
  la definió la ve como la suma de lo que ellas reportan.

Esto es el cálculo en vivo, fila por fila; lo que el tablero y los inicios leen guardado está en
`cifras_guardadas`, que importa este módulo (nunca al revés).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from gestion.base import formato
from gestion.reglas import ventanas
from gestion.reglas.permisos import limitado_a_dependencia
from modelos import (
    Actividad,
    Avance,
    ColorSemaforo,
    Dependencia,
    EstadoReporte,
    Indicador,
    MetaIndicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    PlanInstitucional,
    ReporteTrimestral,
    Tendencia,
    TipoAcumulacion,
    TipoPlan,
    UmbralSemaforo,
    VentanaReporte,
    Vigencia,
    db,
)
from modelos.planes import ESTADOS_CON_APROBACION, integracion

CIEN = Decimal(100)
CENTESIMA = Decimal("0.01")
ESTADOS_CONTADOS = (EstadoReporte.REPORTADO, EstadoReporte.ACEPTADO)
ESTADOS_VIGENTES_ESTRATEGICOS = ("aprobado", "publicado")


# --- funciones básicas ------------------------------------------------------------------------
def _redondear(valor: Decimal) -> Decimal:
    return valor.quantize(CENTESIMA, rounding=ROUND_HALF_UP)


def cumplimiento(logrado, programado) -> Decimal | None:
    """logrado / programado en %, sin tope; None si no hay nada programado."""
    if logrado is None or programado is None or Decimal(programado) <= 0:
        return None
    return _redondear(Decimal(logrado) / Decimal(programado) * CIEN)


def topado(valor: Decimal | None) -> Decimal | None:
    """El cumplimiento con que pesa al agregarse: acotado entre 0 y 100 %. Lo que pasó de la meta no compensa a
    otra actividad, ni una que empeoró (negativa) le resta a las demás más que una que no avanzó."""
    return None if valor is None else max(Decimal(0), min(valor, CIEN))


def ponderado(pares) -> Decimal | None:
    """Σ peso × cumplimiento acotado a 0–100 (`topado`) / Σ peso, sobre los pares con cumplimiento calculable."""
    validos = [(Decimal(peso), topado(valor)) for peso, valor in pares if valor is not None]
    total = sum((peso for peso, _ in validos), Decimal(0))
    if total <= 0:
        return None
    return _redondear(sum((peso * valor for peso, valor in validos), Decimal(0)) / total)


@lru_cache(maxsize=1)
def _consulta_umbrales():
    """Se arma una vez (se lee en cada página con semáforo); la tabla se lee siempre de la base."""
    return (sa.select(UmbralSemaforo.desde, UmbralSemaforo.color).where(UmbralSemaforo.color != ColorSemaforo.GRIS)
            .order_by(UmbralSemaforo.desde.desc()))


def umbrales() -> list[tuple[Decimal, ColorSemaforo]]:
    filas = db.session.execute(_consulta_umbrales()).all()
    return [(Decimal(desde), color) for desde, color in filas]


def semaforo(valor: Decimal | None, tabla: list | None = None) -> ColorSemaforo:
    """Color del catálogo de umbrales: el de mayor `desde` que el valor alcanza; gris sin reporte."""
    if valor is None:
        return ColorSemaforo.GRIS
    tabla = umbrales() if tabla is None else tabla
    for desde, color in tabla:
        if valor >= desde:
            return color
    return tabla[-1][1] if tabla else ColorSemaforo.GRIS


def margen_coherencia() -> Decimal:
    return Decimal(str(current_app.config["GESTION_MARGEN_COHERENCIA"]))


def programado_indicador(meta_anual, tipo: TipoAcumulacion | None, trimestre: int) -> Decimal | None:
    """Lo programado a la fecha de un indicador estratégico, cuyo valor se reporta acumulado al corte.

    Un flujo se reparte por igual en los trimestres; un stock, una capacidad, un acumulado o una
    reducción se miden contra el nivel que fija la meta del año."""
    if meta_anual is None:
        return None
    meta_anual = Decimal(meta_anual)
    if tipo is TipoAcumulacion.FLUJO:
        return _redondear(meta_anual * trimestre / 4)
    return meta_anual


def tolerancia_constante() -> Decimal:
    return Decimal(str(current_app.config["GESTION_TOLERANCIA_CONSTANTE"]))


def cumplimiento_indicador(valor, programado, tendencia: Tendencia | None, tipo: TipoAcumulacion | None,
                           linea_base=None) -> Decimal | None:
    """El cumplimiento según la dirección del indicador.

    - Creciente: valor / programado.
    - Decreciente (o una reducción): lo que recorrió desde la línea base hacia la meta,
      (base − valor) / (base − programado); negativo si se movió en la dirección contraria. Sin línea base (o igual
      a la meta), programado / valor.
    - Constante: cumple (100 %) si se mantiene dentro de la tolerancia alrededor de lo programado
      (`GESTION_TOLERANCIA_CONSTANTE`, % de lo programado); fuera de ella, 100 menos lo que se apartó."""
    if valor is None or programado is None:
        return None
    valor, programado = Decimal(valor), Decimal(programado)
    if tendencia is Tendencia.DECRECIENTE or tipo is TipoAcumulacion.REDUCCION:
        if linea_base is not None and Decimal(linea_base) != programado:
            base = Decimal(linea_base)
            return _redondear((base - valor) / (base - programado) * CIEN)
        if valor <= 0:
            return CIEN
        return cumplimiento(programado, valor)
    if tendencia is Tendencia.CONSTANTE and programado != 0:
        desvio = abs(valor - programado) / abs(programado) * CIEN
        return CIEN if desvio <= tolerancia_constante() else _redondear(max(Decimal(0), CIEN - desvio))
    return cumplimiento(valor, programado)


def cumplimiento_actividad(logrado, programado, tendencia: Tendencia | None, linea_base=None,
                           tipo: TipoAcumulacion | None = None) -> Decimal | None:
    """El cumplimiento de una actividad según su tendencia, con la regla del indicador; None si no hay nada
    programado. `logrado`, `programado` y `linea_base` ya son los del periodo (`acumulado_a_la_fecha` y
    `linea_base_a_la_fecha` dan los del acumulado).

    Decreciente («reducir el tiempo de respuesta de 20 a 5 días»), o una reducción: con línea base, lo recorrido
    desde ella hacia la meta, (base − logrado) / (base − meta): 14 días son 40 %, 25 días son −33,33 % (empeoró).
    Sin línea base, como antes: programado / logrado (8 días contra 5 es 62,5 %). Constante: 100 % dentro de la
    tolerancia."""
    if programado is None or Decimal(programado) <= 0:
        return None
    return cumplimiento_indicador(logrado, programado, tendencia, tipo, linea_base)


def es_nivel(tipo: TipoAcumulacion | None) -> bool:
    """Stock, capacidad, acumulado o reducción: lo acumulado a la fecha es el último valor reportado, no la suma de
    los trimestres (sin tipo, como un flujo)."""
    return tipo is not None and tipo.es_nivel


def acumulado_a_la_fecha(logrados, metas, tipo: TipoAcumulacion | None) -> tuple[Decimal | None, Decimal]:
    """Lo logrado y lo programado a la fecha de una actividad, de sus trimestres hasta el corte (`logrados`: None en
    el que no tiene reporte que cuente; `metas`: las de los mismos trimestres).

    - Flujo (o sin tipo): lo de cada trimestre se suma; lo programado, la suma de las metas.
    - Stock, capacidad, acumulado, reducción: el último valor reportado, contra la meta del último trimestre con
      meta hasta el corte (el nivel al que debía estar)."""
    reportados = [Decimal(v) for v in logrados if v is not None]
    if es_nivel(tipo):
        con_meta = [Decimal(m) for m in metas if m and Decimal(m) > 0]
        return (reportados[-1] if reportados else None), (con_meta[-1] if con_meta else Decimal(0))
    return (sum(reportados, Decimal(0)) if reportados else None), sum((Decimal(m) for m in metas), Decimal(0))


def linea_base_a_la_fecha(linea_base, tipo: TipoAcumulacion | None, trimestres: int) -> Decimal | None:
    """La línea base con que se mide lo acumulado: la misma en un nivel; en un flujo, que suma `trimestres`
    trimestres, la base de cada uno sumada otras tantas veces (el acumulado compara los promedios)."""
    if linea_base is None:
        return None
    return Decimal(linea_base) if es_nivel(tipo) else Decimal(linea_base) * trimestres


def meta_del_anio(metas, tipo: TipoAcumulacion | None) -> Decimal:
    """La meta del año que dan las trimestrales: su suma en un flujo; en un nivel, la del último trimestre con meta."""
    return acumulado_a_la_fecha([], metas, tipo)[1]


def bajo_meta_indicador(valor, programado, tendencia, tipo, linea_base=None) -> bool:
    valor_cumplimiento = cumplimiento_indicador(valor, programado, tendencia, tipo, linea_base)
    return valor_cumplimiento is not None and valor_cumplimiento < CIEN


# --- filas del cuadro -------------------------------------------------------------------------
@dataclass
class FilaActividad:
    actividad_id: int
    codigo: str
    descripcion: str
    plan_id: int
    dependencia_id: int  # quien responde por la fila (la DT en una actividad territorial)
    dependencia: str
    objetivo_id: int | None
    objetivo: str | None
    peso: Decimal
    metas: tuple
    presupuesto: Decimal
    trimestre: int
    reportado: bool
    dependencia_plan_id: int = 0  # la dependencia dueña del plan
    agregada: bool = False  # suma de las DT en la fila de la dependencia que definió la actividad
    agregada_en: "FilaActividad | None" = field(default=None, repr=False)
    logrado: list = field(default_factory=lambda: [Decimal(0)] * 4)
    comprometido: Decimal = Decimal(0)
    pagado: Decimal = Decimal(0)
    justificacion: str | None = None
    avance_cualitativo: str | None = None
    color: ColorSemaforo = ColorSemaforo.GRIS
    incoherente: bool = False
    tendencia: Tendencia = Tendencia.CRECIENTE
    # La parte de una Dirección Territorial no tiene línea base propia (la de la actividad es de toda la entidad).
    linea_base: Decimal | None = None
    tipo_acumulacion: TipoAcumulacion | None = None
    trimestres_reportados: set = field(default_factory=set)  # los que traen un avance que cuenta

    @property
    def de_territorial(self) -> bool:
        """La parte de una Dirección Territorial en una actividad de otra dependencia."""
        return self.dependencia_id != self.dependencia_plan_id

    def meta_trimestre(self, trimestre: int) -> Decimal:
        return Decimal(self.metas[trimestre - 1])

    @property
    def meta_del_trimestre(self) -> Decimal:
        """La meta del trimestre de la fila."""
        return self.meta_trimestre(self.trimestre)

    @property
    def meta_acumulada(self) -> Decimal:
        return acumulado_a_la_fecha([], self.metas[:self.trimestre], self.tipo_acumulacion)[1]

    @property
    def meta_anual(self) -> Decimal:
        return meta_del_anio(self.metas, self.tipo_acumulacion)

    @property
    def logrado_trimestre(self) -> Decimal | None:
        return self.logrado[self.trimestre - 1] if self.reportado else None

    @property
    def logrado_acumulado(self) -> Decimal | None:
        """Con el reporte del trimestre enviado: en un flujo, la suma de los trimestres (uno sin reporte suma 0);
        en un nivel, lo del último trimestre reportado."""
        if not self.reportado:
            return None
        if es_nivel(self.tipo_acumulacion):
            valores = [v if t + 1 in self.trimestres_reportados or t + 1 == self.trimestre else None
                       for t, v in enumerate(self.logrado[:self.trimestre])]
            return acumulado_a_la_fecha(valores, (), self.tipo_acumulacion)[0]
        return sum(self.logrado[:self.trimestre], Decimal(0))

    @property
    def cumplimiento_trimestre(self) -> Decimal | None:
        return cumplimiento_actividad(self.logrado_trimestre, self.meta_del_trimestre, self.tendencia,
                                      self.linea_base, self.tipo_acumulacion)

    @property
    def cumplimiento_acumulado(self) -> Decimal | None:
        return cumplimiento_actividad(self.logrado_acumulado, self.meta_acumulada, self.tendencia,
                                      linea_base_a_la_fecha(self.linea_base, self.tipo_acumulacion, self.trimestre),
                                      self.tipo_acumulacion)

    @property
    def bajo_meta(self) -> bool:
        valor = self.cumplimiento_trimestre
        return self.reportado and valor is not None and valor < CIEN

    @property
    def avance_fisico(self) -> Decimal | None:
        """Avance físico del año, topado en 100 %: logrado acumulado frente a la meta anual; en una actividad
        decreciente o constante (cuyo logrado es un nivel, no algo que se suma hacia la meta anual), la parte del
        año programada a la fecha, cumplida en lo que dice su cumplimiento acumulado."""
        if self.tendencia is Tendencia.CRECIENTE and self.tipo_acumulacion is not TipoAcumulacion.REDUCCION:
            return topado(cumplimiento(self.logrado_acumulado, self.meta_anual))
        acumulado = topado(self.cumplimiento_acumulado)
        if acumulado is None or self.meta_anual <= 0:
            return None
        return _redondear(acumulado * min(self.meta_acumulada / self.meta_anual, 1))

    @property
    def ejecucion_presupuestal(self) -> Decimal | None:
        if not self.reportado:
            return None
        return cumplimiento(self.comprometido, self.presupuesto)

    @property
    def diferencia_coherencia(self) -> Decimal | None:
        if self.ejecucion_presupuestal is None or self.avance_fisico is None:
            return None
        return self.ejecucion_presupuestal - self.avance_fisico


@dataclass
class FilaAgregada:
    """Una dependencia, un objetivo del PEI o el conjunto."""

    clave: int | None
    nombre: str
    avance_trimestre: Decimal | None
    avance_acumulado: Decimal | None
    color: ColorSemaforo
    actividades: int
    reportado: bool = True
    estado_reporte: EstadoReporte | None = None
    enviado_en: object = None
    incoherentes: int = 0


@dataclass
class FilaIndicador:
    indicador_id: int
    codigo: str
    nombre: str
    plan: str
    dependencia_id: int | None
    dependencia: str
    tendencia: Tendencia | None
    tipo_acumulacion: TipoAcumulacion | None
    meta_anual: Decimal | None
    programado: Decimal | None
    valor: Decimal | None
    reportado: bool
    cumplimiento: Decimal | None
    color: ColorSemaforo
    justificacion: str | None = None


class _Periodo:
    """Lo que el cuadro completo y el resumen guardado comparten: la ventana y el conteo de colores."""

    @property
    def sin_reporte(self) -> list:
        return [d for d in self.dependencias if not d.reportado]

    @property
    def vencido(self) -> bool:
        return self.ventana is not None and self.ventana.cierra < self.hoy

    @property
    def estado_ventana(self) -> str:
        """La ventana del trimestre en palabras, por la regla de las ventanas: «cerrada el 15/10/2026»."""
        return ventanas.en_palabras(self.ventana, self.hoy)

    def conteo_colores(self) -> dict:
        conteo = {color: 0 for color in ColorSemaforo}
        for fila in self.dependencias:
            conteo[fila.color] += 1
        return conteo


@dataclass
class Cuadro(_Periodo):
    vigencia: Vigencia
    trimestre: int
    ventana: VentanaReporte | None
    actividades: list
    dependencias: list
    objetivos: list
    indicadores: list
    total: FilaAgregada
    margen: Decimal
    hoy: date
    planes_integrados: list = field(default_factory=list)  # FilaAgregada por plan institucional (Decreto 612)
    integraciones: dict = field(default_factory=dict)  # actividad → ids de los planes institucionales que integra

    @property
    def incoherentes(self) -> list:
        return [a for a in self.actividades if a.incoherente]

    @property
    def incumplimientos(self) -> list:
        return [a for a in self.actividades if not a.agregada and a.bajo_meta]

    def actividades_de(self, dependencia_id: int) -> list:
        return [a for a in self.actividades if a.dependencia_id == dependencia_id]

    def actividades_del_objetivo(self, objetivo_id: int) -> list:
        return [a for a in self.actividades if a.objetivo_id == objetivo_id and not a.de_territorial]

    def actividades_del_plan_integrado(self, plan_institucional_id: int) -> list:
        return [a for a in self.actividades if not a.de_territorial
                and plan_institucional_id in self.integraciones.get(a.actividad_id, ())]


# --- consultas (una por conjunto, nunca una por actividad) ------------------------------------
def _planes_de_accion(vigencia_id: int, dependencia_id: int | None | bool = False, duenas=None):
    """Los planes de acción vigentes y aprobados de la vigencia; con `dependencia_id`, solo los que la tocan
    (el suyo, o uno con actividades que ella ejecuta como Dirección Territorial); con `duenas`, solo los de
    esas dependencias (para recalcular las cifras guardadas de lo que cambió)."""
    consulta = sa.select(Plan.id).where(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia_id, Plan.vigente,
                                        Plan.estado.in_(ESTADOS_CON_APROBACION))
    if duenas is not None:
        consulta = consulta.where(Plan.dependencia_id.in_(duenas))
    if dependencia_id is False:
        return consulta
    suyas = sa.select(Actividad.plan_id).join(MetaTerritorial, MetaTerritorial.actividad_id == Actividad.id).where(
        MetaTerritorial.dependencia_id == dependencia_id)
    return consulta.where(sa.or_(Plan.dependencia_id == dependencia_id, Plan.id.in_(suyas)))


def _actividades(vigencia_id: int, dependencia_id=False, duenas=None):
    return db.session.execute(
        sa.select(Actividad.id, Actividad.codigo, Actividad.descripcion, Actividad.plan_id, Actividad.peso,
                  Actividad.meta_t1, Actividad.meta_t2, Actividad.meta_t3, Actividad.meta_t4,
                  Actividad.presupuesto, Actividad.tendencia, Actividad.linea_base, Actividad.tipo_acumulacion,
                  Actividad.objetivo_id,
                  Objetivo.codigo.label("objetivo_codigo"),
                  Objetivo.nombre.label("objetivo_nombre"), Plan.dependencia_id, Dependencia.nombre)
        .join(Plan, Actividad.plan_id == Plan.id).join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .outerjoin(Objetivo, Actividad.objetivo_id == Objetivo.id)
        .where(Actividad.plan_id.in_(_planes_de_accion(vigencia_id, dependencia_id, duenas)))
        .order_by(Dependencia.codigo, Actividad.codigo)).all()


def _metas_territoriales(vigencia_id: int, dependencia_id=False, duenas=None):
    return db.session.execute(
        sa.select(MetaTerritorial.actividad_id, MetaTerritorial.dependencia_id, Dependencia.nombre,
                  MetaTerritorial.meta_t1, MetaTerritorial.meta_t2, MetaTerritorial.meta_t3, MetaTerritorial.meta_t4)
        .join(Dependencia, MetaTerritorial.dependencia_id == Dependencia.id)
        .join(Actividad, MetaTerritorial.actividad_id == Actividad.id)
        .where(Actividad.plan_id.in_(_planes_de_accion(vigencia_id, dependencia_id, duenas)))
        .order_by(Dependencia.codigo)).all()


def _version_vigente(vigencia_id: int) -> dict[int, int]:
    """Cada versión de un plan de acción de la vigencia → la versión vigente de su dependencia: lo reportado
    contra una versión anterior (antes de un ajuste) sigue contando en el plan vigente."""
    filas = db.session.execute(sa.select(Plan.id, Plan.dependencia_id, Plan.vigente).where(
        Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia_id)).all()
    vigentes = {dependencia: plan_id for plan_id, dependencia, vigente in filas if vigente}
    return {plan_id: vigentes.get(dependencia, plan_id) for plan_id, dependencia, _ in filas}


def _avances_actividades(vigencia_id: int, trimestre: int, dependencia_id=False, duenas=None):
    consulta = (
        sa.select(Actividad.plan_id, Actividad.codigo, ReporteTrimestral.dependencia_id, ReporteTrimestral.trimestre,
                  Avance.valor_logrado, Avance.presupuesto_comprometido, Avance.presupuesto_pagado,
                  Avance.justificacion, Avance.avance_cualitativo)
        .join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
        .join(Actividad, Avance.actividad_id == Actividad.id)
        .where(ReporteTrimestral.vigencia_id == vigencia_id, ReporteTrimestral.trimestre <= trimestre,
               ReporteTrimestral.estado.in_(ESTADOS_CONTADOS)))
    if dependencia_id is not False:  # cualquier versión de los planes que tocan a la dependencia
        duenas = sa.select(Plan.dependencia_id).where(Plan.id.in_(_planes_de_accion(vigencia_id, dependencia_id)))
        consulta = consulta.join(Plan, Actividad.plan_id == Plan.id).where(Plan.dependencia_id.in_(duenas))
    elif duenas is not None:
        consulta = consulta.join(Plan, Actividad.plan_id == Plan.id).where(Plan.dependencia_id.in_(duenas))
    return db.session.execute(consulta).all()


def _estados_reporte(vigencia_id: int, trimestre: int, vigente: dict[int, int]) -> dict:
    filas = db.session.execute(
        sa.select(ReporteTrimestral.plan_id, ReporteTrimestral.dependencia_id, ReporteTrimestral.estado,
                  ReporteTrimestral.enviado_en)
        .where(ReporteTrimestral.vigencia_id == vigencia_id, ReporteTrimestral.trimestre == trimestre)).all()
    return {(vigente.get(plan, plan), dep): (estado, enviado) for plan, dep, estado, enviado in filas}


def filas_actividades(vigencia: Vigencia, trimestre: int, dependencia_id=False,
                      duenas=None) -> tuple[list[FilaActividad], dict]:
    """Las filas del tablero; con `dependencia_id`, solo las de los planes que la tocan (el director o la DT
    no esperan a que se calcule todo el ministerio para ver lo suyo)."""
    vigente = _version_vigente(vigencia.id)
    estados = _estados_reporte(vigencia.id, trimestre, vigente)

    def reportado(plan_id, dep_id):
        estado = estados.get((plan_id, dep_id), (None,))[0]
        return estado in ESTADOS_CONTADOS

    actividades = _actividades(vigencia.id, dependencia_id, duenas)
    territoriales = defaultdict(list)
    for meta in _metas_territoriales(vigencia.id, dependencia_id, duenas):
        territoriales[meta.actividad_id].append(meta)

    filas, por_clave = [], {}
    for a in actividades:
        comun = dict(actividad_id=a.id, codigo=a.codigo, descripcion=a.descripcion, plan_id=a.plan_id,
                     dependencia_plan_id=a.dependencia_id,
                     objetivo_id=a.objetivo_id,
                     objetivo=f"{a.objetivo_codigo} {a.objetivo_nombre}" if a.objetivo_id else None,
                     peso=Decimal(a.peso), trimestre=trimestre, tendencia=a.tendencia,
                     tipo_acumulacion=a.tipo_acumulacion)
        metas_dt = territoriales.get(a.id, [])
        propia = FilaActividad(**comun, linea_base=a.linea_base, dependencia_id=a.dependencia_id, dependencia=a.nombre,
                               metas=(a.meta_t1, a.meta_t2, a.meta_t3, a.meta_t4), presupuesto=Decimal(a.presupuesto),
                               reportado=reportado(a.plan_id, a.dependencia_id), agregada=bool(metas_dt))
        filas.append(propia)
        por_clave[(a.plan_id, a.codigo, a.dependencia_id)] = propia
        for meta in metas_dt:
            fila_dt = FilaActividad(**comun, dependencia_id=meta.dependencia_id, dependencia=meta.nombre,
                                    metas=(meta.meta_t1, meta.meta_t2, meta.meta_t3, meta.meta_t4),
                                    presupuesto=Decimal(0), reportado=reportado(a.plan_id, meta.dependencia_id),
                                    agregada_en=propia)
            filas.append(fila_dt)
            por_clave[(a.plan_id, a.codigo, meta.dependencia_id)] = fila_dt

    # Por código dentro del plan vigente: un trimestre reportado antes de un ajuste sigue sumando.
    for plan_id, codigo, dep_id, trim, valor, comprometido, pagado, justificacion, cualitativo in \
            _avances_actividades(vigencia.id, trimestre, dependencia_id, duenas):
        fila = por_clave.get((vigente.get(plan_id, plan_id), codigo, dep_id))
        if fila is None:
            continue
        destinos = [fila] + ([fila.agregada_en] if fila.agregada_en is not None else [])
        for destino in destinos:
            destino.logrado[trim - 1] += Decimal(valor)
            destino.trimestres_reportados.add(trim)
            destino.comprometido += Decimal(comprometido)
            destino.pagado += Decimal(pagado)
        if trim == trimestre:
            fila.justificacion, fila.avance_cualitativo = justificacion, cualitativo
    return filas, estados


def integraciones(vigencia_id: int) -> tuple[dict[int, list[int]], dict[int, PlanInstitucional]]:
    """Los planes institucionales que integra cada actividad de los planes de acción de la vigencia, y esos
    planes por id: una consulta para todas."""
    filas = db.session.execute(
        sa.select(integracion.c.actividad_id, PlanInstitucional)
        .join(PlanInstitucional, PlanInstitucional.id == integracion.c.plan_institucional_id)
        .join(Actividad, Actividad.id == integracion.c.actividad_id).join(Plan, Plan.id == Actividad.plan_id)
        .where(Plan.vigencia_id == vigencia_id, Plan.tipo == TipoPlan.PA)).all()
    por_actividad: dict[int, list[int]] = defaultdict(list)
    planes = {}
    for actividad_id, plan in filas:
        por_actividad[actividad_id].append(plan.id)
        planes[plan.id] = plan
    return por_actividad, planes


def agrupar_integradas(filas, por_actividad: dict) -> dict[int, list]:
    """Las filas de cada plan institucional (una actividad cuenta en cada plan que integra)."""
    grupos = defaultdict(list)
    for fila in filas:
        for plan_id in por_actividad.get(fila.actividad_id, ()):
            grupos[plan_id].append(fila)
    return grupos


def _colorear(filas, tabla, margen) -> None:
    for fila in filas:
        fila.color = semaforo(fila.cumplimiento_acumulado, tabla) if fila.reportado else ColorSemaforo.GRIS
        diferencia = fila.diferencia_coherencia
        fila.incoherente = diferencia is not None and abs(diferencia) > margen


def _agregar(clave, nombre, filas, tabla, **extra) -> FilaAgregada:
    contadas = [f for f in filas if f.reportado]
    acumulado = ponderado((f.peso, f.cumplimiento_acumulado) for f in contadas)
    return FilaAgregada(
        clave=clave, nombre=nombre, actividades=len(filas),
        avance_trimestre=ponderado((f.peso, f.cumplimiento_trimestre) for f in contadas),
        avance_acumulado=acumulado, color=semaforo(acumulado, tabla),
        incoherentes=sum(1 for f in filas if f.incoherente), **extra)


def _limite(usuario) -> int | None | bool:
    """La dependencia a la que se limita el usuario; False si ve todo."""
    if usuario is None or not limitado_a_dependencia(usuario):
        return False
    return usuario.dependencia_id


# Las consultas de los indicadores se arman una vez por forma (limitadas o no a una dependencia responsable), con
# sus valores como parámetros: armarlas costaba más CPU que ejecutarlas. Se guarda la forma, nunca lo que devuelven.
@lru_cache(maxsize=2)
def _consulta_indicadores(limitado: bool):
    """Los indicadores de los planes estratégicos vigentes del «cuatrienio_id», con su meta del «anio»."""
    return (sa.select(Indicador.id, Indicador.codigo, Indicador.nombre, Indicador.tendencia,
                      Indicador.tipo_acumulacion, Indicador.linea_base, Indicador.responsable_id,
                      Dependencia.nombre.label("dependencia"), Plan.nombre.label("plan"),
                      MetaIndicador.valor.label("meta"))
            .join(Objetivo, Indicador.objetivo_id == Objetivo.id).join(Plan, Objetivo.plan_id == Plan.id)
            .outerjoin(Dependencia, Indicador.responsable_id == Dependencia.id)
            .outerjoin(MetaIndicador, sa.and_(MetaIndicador.indicador_id == Indicador.id,
                                              MetaIndicador.anio == sa.bindparam("anio")))
            .where(Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]), Plan.vigente,
                   Plan.cuatrienio_id == sa.bindparam("cuatrienio_id"), Plan.estado.in_(ESTADOS_VIGENTES_ESTRATEGICOS),
                   *([Indicador.responsable_id.is_not_distinct_from(sa.bindparam("limite"))] if limitado else []))
            .order_by(Plan.tipo, Indicador.codigo))


@lru_cache(maxsize=2)
def _consulta_valores_indicadores(limitado: bool):
    """Lo reportado de cada indicador en el «trimestre» (la página solo mira ese: los anteriores no se leen)."""
    return (sa.select(Avance.indicador_id, Avance.valor_logrado, Avance.justificacion)
            .join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
            .where(ReporteTrimestral.vigencia_id == sa.bindparam("vigencia_id"),
                   ReporteTrimestral.trimestre == sa.bindparam("trimestre"),
                   ReporteTrimestral.estado.in_(ESTADOS_CONTADOS), Avance.indicador_id.is_not(None),
                   *([Avance.indicador_id.in_(sa.select(Indicador.id).where(
                       Indicador.responsable_id.is_not_distinct_from(sa.bindparam("limite"))))] if limitado else [])))


def filas_indicadores(vigencia: Vigencia, trimestre: int, tabla=None, limite=False) -> list[FilaIndicador]:
    """Los indicadores estratégicos con su valor del trimestre; con `limite` (ver `_limite`), solo los que
    responde esa dependencia."""
    tabla = umbrales() if tabla is None else tabla
    limitado = limite is not False
    de_quien = {"limite": limite} if limitado else {}
    indicadores = db.session.execute(_consulta_indicadores(limitado), {
        "anio": vigencia.anio, "cuatrienio_id": vigencia.cuatrienio_id, **de_quien}).all()
    valores = {ind: (valor, justificacion) for ind, valor, justificacion in db.session.execute(
        _consulta_valores_indicadores(limitado), {"vigencia_id": vigencia.id, "trimestre": trimestre, **de_quien})}
    filas = []
    for i in indicadores:
        programado = programado_indicador(i.meta, i.tipo_acumulacion, trimestre)
        valor, justificacion = valores.get(i.id, (None, None))
        valor = None if valor is None else Decimal(valor)
        valor_cumplimiento = cumplimiento_indicador(valor, programado, i.tendencia, i.tipo_acumulacion, i.linea_base)
        filas.append(FilaIndicador(
            indicador_id=i.id, codigo=i.codigo, nombre=i.nombre, plan=i.plan, dependencia_id=i.responsable_id,
            dependencia=i.dependencia or "", tendencia=i.tendencia, tipo_acumulacion=i.tipo_acumulacion,
            meta_anual=None if i.meta is None else Decimal(i.meta), programado=programado, valor=valor,
            reportado=valor is not None, cumplimiento=valor_cumplimiento,
            color=semaforo(valor_cumplimiento, tabla), justificacion=justificacion))
    return filas


def cuadro(vigencia: Vigencia, trimestre: int, usuario=None, hoy: date | None = None,
           dependencia_id: int | None = None) -> Cuadro:
    """Todas las cifras de una vigencia y un trimestre, limitadas a lo que `usuario` puede ver
    (None: todo, para la OAP, los informes y los archivos); con `dependencia_id`, solo las filas de esa
    dependencia (el detalle del tablero no calcula el ministerio entero)."""
    tabla, margen = umbrales(), margen_coherencia()
    limite = _limite(usuario)
    if limite is False and dependencia_id is not None:
        limite = dependencia_id
    filas, estados = filas_actividades(vigencia, trimestre, limite)
    _colorear(filas, tabla, margen)

    if limite is not False:
        filas = [f for f in filas if f.dependencia_id == limite]

    por_dependencia = defaultdict(list)
    for fila in filas:
        por_dependencia[(fila.dependencia_id, fila.dependencia)].append(fila)
    dependencias = []
    for (dep_id, nombre), propias in por_dependencia.items():
        claves = {(f.plan_id, dep_id) for f in propias}
        reportes = [estados.get(c, (None, None)) for c in claves]
        reportado = all(estado in ESTADOS_CONTADOS for estado, _ in reportes)
        fila = _agregar(dep_id, nombre, propias, tabla, reportado=reportado,
                        estado_reporte=reportes[0][0] if len(reportes) == 1 else None,
                        enviado_en=max((e for _, e in reportes if e), default=None))
        if not reportado:
            fila.color = ColorSemaforo.GRIS
        dependencias.append(fila)
    dependencias.sort(key=lambda d: d.nombre)

    # Objetivos y total: cada actividad una sola vez (la fila de quien la definió, no la de cada DT).
    institucionales = [f for f in filas if not f.de_territorial]
    por_objetivo = defaultdict(list)
    for fila in institucionales:
        if fila.objetivo_id is not None:
            por_objetivo[(fila.objetivo_id, fila.objetivo)].append(fila)
    objetivos = sorted((_agregar(oid, nombre, propias, tabla) for (oid, nombre), propias in por_objetivo.items()),
                       key=lambda o: o.nombre)
    total = _agregar(None, "Total", institucionales, tabla)
    # Cada plan institucional integrado, ponderado como el PAI: por el peso de sus actividades.
    por_actividad, planes = integraciones(vigencia.id)
    integrados = [_agregar(pid, planes[pid].nombre, propias, tabla) for pid, propias in sorted(
        agrupar_integradas(institucionales, por_actividad).items(), key=lambda par: planes[par[0]].orden)]

    indicadores = filas_indicadores(vigencia, trimestre, tabla, limite)
    ventana = db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=vigencia.id, trimestre=trimestre))
    return Cuadro(vigencia, trimestre, ventana, filas, dependencias, objetivos, indicadores, total, margen,
                  hoy or formato.hoy(), integrados, por_actividad)


@lru_cache(maxsize=1)
def _consulta_vigencias_con_planes():
    return (sa.select(Vigencia).where(Vigencia.id.in_(sa.select(Plan.vigencia_id).where(Plan.tipo == TipoPlan.PA)))
            .order_by(Vigencia.anio.desc()))


def vigencias_con_planes() -> list[Vigencia]:
    return db.session.scalars(_consulta_vigencias_con_planes()).all()


def trimestre_de(dia: date) -> int:
    return (dia.month - 1) // 3 + 1


@lru_cache(maxsize=1)
def _consulta_ultimo_periodo():
    return (sa.select(Vigencia, ReporteTrimestral.trimestre)
            .join(ReporteTrimestral, ReporteTrimestral.vigencia_id == Vigencia.id)
            .where(ReporteTrimestral.estado.in_(ESTADOS_CONTADOS))
            .order_by(Vigencia.anio.desc(), ReporteTrimestral.trimestre.desc()).limit(1))


def periodo_por_defecto(hoy: date | None = None) -> tuple[Vigencia | None, int]:
    """El último trimestre con reportes enviados; si no hay, el trimestre en curso de la vigencia más reciente."""
    fila = db.session.execute(_consulta_ultimo_periodo()).first()
    if fila is not None:
        return fila[0], fila[1]
    vigencias = vigencias_con_planes()
    return (vigencias[0] if vigencias else None), trimestre_de(hoy or formato.hoy())
