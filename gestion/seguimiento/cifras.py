"""Las cifras del seguimiento: cumplimiento, avance ponderado, semáforo y coherencia presupuestal.

Toda página, informe y archivo toma sus números de aquí. Los porcentajes van en escala 0–100.

- Cumplimiento de una actividad = logrado / programado, del trimestre y acumulado a la fecha; se muestra
  sin tope y se topa en 100 % al agregarlo.
- Avance de una dependencia, un objetivo del PEI o del conjunto = suma ponderada (por el peso de cada
  actividad) del cumplimiento acumulado topado, sobre las actividades con meta programada a la fecha.
- Solo cuentan los reportes enviados (reportado o aceptado); sin reporte, el semáforo es gris.
- Una actividad territorial la reportan las Direcciones Territoriales con sus metas; la dependencia que
  la definió la ve como la suma de lo que ellas reportan.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from gestion.reglas.permisos import VER, limitado_a_dependencia, puede
from modelos import (Actividad, AlertaCoherencia, Avance, CifraAgregada, CifraPendiente, CifraVigencia, confirmar_sin_expirar,
                     ColorSemaforo, Dependencia, EstadoReporte, Indicador,
                     MetaIndicador, MetaTerritorial, Objetivo, Plan, ReporteTrimestral, Tendencia,
                     TipoAcumulacion, TipoPlan, UmbralSemaforo, VentanaReporte, Vigencia, db)
from modelos.planes import ESTADOS_CON_APROBACION

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
    return None if valor is None else min(valor, CIEN)


def ponderado(pares) -> Decimal | None:
    """Σ peso × min(cumplimiento, 100) / Σ peso, sobre los pares con cumplimiento calculable."""
    validos = [(Decimal(peso), topado(valor)) for peso, valor in pares if valor is not None]
    total = sum((peso for peso, _ in validos), Decimal(0))
    if total <= 0:
        return None
    return _redondear(sum((peso * valor for peso, valor in validos), Decimal(0)) / total)


def umbrales() -> list[tuple[Decimal, ColorSemaforo]]:
    filas = db.session.execute(sa.select(UmbralSemaforo.desde, UmbralSemaforo.color)
                               .where(UmbralSemaforo.color != ColorSemaforo.GRIS)
                               .order_by(UmbralSemaforo.desde.desc())).all()
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


def meta_acumulada(metas: tuple, trimestre: int) -> Decimal:
    return sum((Decimal(m) for m in metas[:trimestre]), Decimal(0))


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


def cumplimiento_indicador(valor, programado, tendencia: Tendencia | None,
                           tipo: TipoAcumulacion | None) -> Decimal | None:
    """Creciente o constante: valor / programado. Decreciente o reducción: programado / valor."""
    if valor is None or programado is None:
        return None
    if tendencia is Tendencia.DECRECIENTE or tipo is TipoAcumulacion.REDUCCION:
        if Decimal(valor) <= 0:
            return CIEN
        return cumplimiento(programado, valor)
    return cumplimiento(valor, programado)


def bajo_meta_indicador(valor, programado, tendencia, tipo) -> bool:
    valor_cumplimiento = cumplimiento_indicador(valor, programado, tendencia, tipo)
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
        return meta_acumulada(self.metas, self.trimestre)

    @property
    def meta_anual(self) -> Decimal:
        return meta_acumulada(self.metas, 4)

    @property
    def logrado_trimestre(self) -> Decimal | None:
        return self.logrado[self.trimestre - 1] if self.reportado else None

    @property
    def logrado_acumulado(self) -> Decimal | None:
        return sum(self.logrado[:self.trimestre], Decimal(0)) if self.reportado else None

    @property
    def cumplimiento_trimestre(self) -> Decimal | None:
        return cumplimiento(self.logrado_trimestre, self.meta_del_trimestre)

    @property
    def cumplimiento_acumulado(self) -> Decimal | None:
        return cumplimiento(self.logrado_acumulado, self.meta_acumulada)

    @property
    def bajo_meta(self) -> bool:
        return self.reportado and self.logrado_trimestre < self.meta_del_trimestre

    @property
    def avance_fisico(self) -> Decimal | None:
        """Avance físico del año: logrado acumulado frente a la meta anual, topado en 100 %."""
        return topado(cumplimiento(self.logrado_acumulado, self.meta_anual))

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
        """La ventana del trimestre en palabras, sin contradecir el plazo: «abierta, plazo vencido el …»."""
        if self.ventana is None:
            return "sin ventana"
        if not self.ventana.abierta:
            return "cerrada"
        return f"abierta, plazo vencido el {self.ventana.cierra:%d/%m/%Y}" if self.vencido else "abierta"

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
                  Actividad.presupuesto, Actividad.objetivo_id, Objetivo.codigo.label("objetivo_codigo"),
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


def _avances(vigencia_id: int, trimestre: int, columna):
    return db.session.execute(
        sa.select(columna, ReporteTrimestral.dependencia_id, ReporteTrimestral.trimestre, Avance.valor_logrado,
                  Avance.presupuesto_comprometido, Avance.presupuesto_pagado, Avance.justificacion,
                  Avance.avance_cualitativo)
        .join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
        .where(ReporteTrimestral.vigencia_id == vigencia_id, ReporteTrimestral.trimestre <= trimestre,
               ReporteTrimestral.estado.in_(ESTADOS_CONTADOS), columna.is_not(None))).all()


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
                     peso=Decimal(a.peso), trimestre=trimestre)
        metas_dt = territoriales.get(a.id, [])
        propia = FilaActividad(**comun, dependencia_id=a.dependencia_id, dependencia=a.nombre,
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
            destino.comprometido += Decimal(comprometido)
            destino.pagado += Decimal(pagado)
        if trim == trimestre:
            fila.justificacion, fila.avance_cualitativo = justificacion, cualitativo
    return filas, estados


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


def filas_indicadores(vigencia: Vigencia, trimestre: int, tabla=None) -> list[FilaIndicador]:
    tabla = umbrales() if tabla is None else tabla
    indicadores = db.session.execute(
        sa.select(Indicador.id, Indicador.codigo, Indicador.nombre, Indicador.tendencia, Indicador.tipo_acumulacion,
                  Indicador.responsable_id, Dependencia.nombre.label("dependencia"), Plan.nombre.label("plan"),
                  MetaIndicador.valor.label("meta"))
        .join(Objetivo, Indicador.objetivo_id == Objetivo.id).join(Plan, Objetivo.plan_id == Plan.id)
        .outerjoin(Dependencia, Indicador.responsable_id == Dependencia.id)
        .outerjoin(MetaIndicador, sa.and_(MetaIndicador.indicador_id == Indicador.id,
                                          MetaIndicador.anio == vigencia.anio))
        .where(Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]), Plan.vigente,
               Plan.cuatrienio_id == vigencia.cuatrienio_id, Plan.estado.in_(ESTADOS_VIGENTES_ESTRATEGICOS))
        .order_by(Plan.tipo, Indicador.codigo)).all()
    valores = {(ind, trim): (valor, justificacion)
               for ind, _dep, trim, valor, _c, _p, justificacion, _q in _avances(vigencia.id, trimestre,
                                                                                Avance.indicador_id)}
    filas = []
    for i in indicadores:
        programado = programado_indicador(i.meta, i.tipo_acumulacion, trimestre)
        valor, justificacion = valores.get((i.id, trimestre), (None, None))
        valor = None if valor is None else Decimal(valor)
        valor_cumplimiento = cumplimiento_indicador(valor, programado, i.tendencia, i.tipo_acumulacion)
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

    indicadores = filas_indicadores(vigencia, trimestre, tabla)
    if limite is not False:
        indicadores = [i for i in indicadores if i.dependencia_id == limite]
    ventana = db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=vigencia.id, trimestre=trimestre))
    return Cuadro(vigencia, trimestre, ventana, filas, dependencias, objetivos, indicadores, total, margen,
                  hoy or date.today())


def vigencias_con_planes() -> list[Vigencia]:
    return db.session.scalars(
        sa.select(Vigencia).where(Vigencia.id.in_(sa.select(Plan.vigencia_id).where(Plan.tipo == TipoPlan.PA)))
        .order_by(Vigencia.anio.desc())).all()


def trimestre_de(dia: date) -> int:
    return (dia.month - 1) // 3 + 1


def periodo_por_defecto(hoy: date | None = None) -> tuple[Vigencia | None, int]:
    """El último trimestre con reportes enviados; si no hay, el trimestre en curso de la vigencia más reciente."""
    fila = db.session.execute(
        sa.select(Vigencia, ReporteTrimestral.trimestre).join(ReporteTrimestral, ReporteTrimestral.vigencia_id == Vigencia.id)
        .where(ReporteTrimestral.estado.in_(ESTADOS_CONTADOS))
        .order_by(Vigencia.anio.desc(), ReporteTrimestral.trimestre.desc()).limit(1)).first()
    if fila is not None:
        return fila[0], fila[1]
    vigencias = vigencias_con_planes()
    return (vigencias[0] if vigencias else None), trimestre_de(hoy or date.today())


def resumen_inicio(usuario):
    """El resumen del último trimestre reportado, para el semáforo de la página de inicio: de las cifras
    guardadas, y de un director o una DT solo lo suyo."""
    if not puede(usuario, VER, "seguimiento"):
        return None
    vigencia, trimestre = periodo_por_defecto()
    return None if vigencia is None else resumen(vigencia, trimestre, usuario, con_indicadores=False, completo=False)


# --- cifras guardadas: el tablero y los inicios no recorren actividades por petición -------------------
# Por (plan vigente, dependencia que responde, objetivo, parte territorial o no) y trimestre se guardan las
# sumas de `ponderado` en enteros: Σ peso × 100 y Σ peso × min(cumplimiento, 100) × 10.000 (el peso y el
# cumplimiento tienen dos decimales). Dividirlas da el mismo Decimal que `ponderado` sobre las filas.
# Un cambio de reporte, avance, actividad, meta territorial o plan marca su dependencia dueña como pendiente
# (evento after_flush); los servicios del seguimiento la recalculan al aceptar, devolver o enviar, y quien lee
# recalcula lo que quede pendiente antes de leer. `flask --app wsgi gestion cifras` lo rehace todo.
ESCALA_PESO = 100
ESCALA_SUMA = 10_000


def _entero(valor: Decimal, escala: int) -> int:
    escalado = Decimal(valor) * escala
    entero = int(escalado)
    if entero != escalado:  # el peso y el cumplimiento tienen dos decimales: nunca debería pasar
        raise ValueError(f"{valor} no cabe en la escala {escala}")
    return entero


def _sumas(pares) -> tuple[int, int]:
    peso_total = suma = 0
    for peso, valor in pares:
        if valor is None:
            continue
        peso_total += _entero(peso, ESCALA_PESO)
        suma += _entero(Decimal(peso) * topado(valor), ESCALA_SUMA)
    return peso_total, suma


def _avance(peso_total, suma) -> Decimal | None:
    """`ponderado` a partir de las sumas guardadas."""
    peso_total, suma = int(peso_total or 0), int(suma or 0)
    if peso_total <= 0:
        return None
    return _redondear((Decimal(suma) / ESCALA_SUMA) / (Decimal(peso_total) / ESCALA_PESO))


def _filas_guardadas(vigencia: Vigencia, duenas, tabla, margen) -> tuple[list[dict], list[dict]]:
    agregadas, alertas = [], []
    for trimestre in range(1, 5):
        filas, estados = filas_actividades(vigencia, trimestre, duenas=duenas)
        _colorear(filas, tabla, margen)
        grupos = defaultdict(list)
        for orden, fila in enumerate(filas):
            grupos[(fila.dependencia_plan_id, fila.plan_id, fila.dependencia_id, fila.objetivo_id,
                    fila.de_territorial)].append(fila)
            if fila.incoherente:
                alertas.append(dict(vigencia_id=vigencia.id, trimestre=trimestre, duena_id=fila.dependencia_plan_id,
                                    orden=orden, dependencia_id=fila.dependencia_id, codigo=fila.codigo,
                                    ejecucion=_entero(fila.ejecucion_presupuestal, ESCALA_PESO),
                                    avance_fisico=_entero(fila.avance_fisico, ESCALA_PESO)))
        for (duena, plan_id, dep_id, objetivo_id, territorial), propias in grupos.items():
            contadas = [f for f in propias if f.reportado]
            peso_t, suma_t = _sumas((f.peso, f.cumplimiento_trimestre) for f in contadas)
            peso_a, suma_a = _sumas((f.peso, f.cumplimiento_acumulado) for f in contadas)
            estado, enviado = estados.get((plan_id, dep_id), (None, None))
            agregadas.append(dict(
                vigencia_id=vigencia.id, trimestre=trimestre, duena_id=duena, plan_id=plan_id, dependencia_id=dep_id,
                objetivo_id=objetivo_id, territorial=territorial, actividades=len(propias),
                peso_trimestre=peso_t, suma_trimestre=suma_t, peso_acumulado=peso_a, suma_acumulado=suma_a,
                incoherentes=sum(1 for f in propias if f.incoherente), estado_reporte=estado, enviado_en=enviado))
    return agregadas, alertas


def recalcular(vigencia: Vigencia, duenas=None, pendientes=None) -> None:
    """Rehace las cifras guardadas de la vigencia (con `duenas`, solo las de los planes de esas
    dependencias) y borra las marcas `pendientes` (ids) que atiende. No confirma la transacción."""
    margen = margen_coherencia()
    # La fila de la vigencia se bloquea: dos peticiones no rehacen a la vez las mismas cifras (PostgreSQL).
    guardado = db.session.scalar(sa.select(CifraVigencia.margen).where(CifraVigencia.vigencia_id == vigencia.id)
                                 .with_for_update())
    if duenas is not None and (guardado is None or Decimal(guardado) != margen):
        duenas = None  # nunca calculada o con otro margen: toda la vigencia
    agregadas, alertas = _filas_guardadas(vigencia, duenas, umbrales(), margen)
    for modelo in (CifraAgregada, AlertaCoherencia):
        borrar = sa.delete(modelo).where(modelo.vigencia_id == vigencia.id)
        if duenas is not None:
            borrar = borrar.where(modelo.duena_id.in_(duenas))
        db.session.execute(borrar)
    if agregadas:
        db.session.execute(sa.insert(CifraAgregada), agregadas)
    if alertas:
        db.session.execute(sa.insert(AlertaCoherencia), alertas)
    borrar = sa.delete(CifraPendiente).where(CifraPendiente.vigencia_id == vigencia.id)
    if duenas is not None:
        borrar = borrar.where(CifraPendiente.id.in_(pendientes or [-1]))
    db.session.execute(borrar)
    momento = datetime.now(timezone.utc)
    if guardado is None:
        db.session.execute(sa.insert(CifraVigencia).values(vigencia_id=vigencia.id, margen=margen,
                                                           calculada_en=momento))
    else:
        db.session.execute(sa.update(CifraVigencia).where(CifraVigencia.vigencia_id == vigencia.id)
                           .values(margen=margen, calculada_en=momento))


def _pendientes(vigencia_id: int) -> tuple[Decimal | None, list[tuple[int, int]]]:
    filas = db.session.execute(
        sa.select(CifraVigencia.margen, sa.null(), sa.null()).where(CifraVigencia.vigencia_id == vigencia_id)
        .union_all(sa.select(sa.null(), CifraPendiente.id, CifraPendiente.dependencia_id)
                   .where(CifraPendiente.vigencia_id == vigencia_id))).all()
    margen = next((Decimal(m) for m, i, _ in filas if i is None and m is not None), None)
    return margen, [(i, d) for _, i, d in filas if i is not None]


def al_dia(vigencia: Vigencia, confirmar: bool = True) -> None:
    """Recalcula lo que esté pendiente de la vigencia (o toda, si nunca se calculó o cambió el margen)."""
    margen, pendientes = _pendientes(vigencia.id)
    if margen is not None and margen == margen_coherencia() and not pendientes:
        return
    if margen is None or margen != margen_coherencia():
        recalcular(vigencia)
    else:
        recalcular(vigencia, {d for _, d in pendientes}, [i for i, _ in pendientes])
    if confirmar:
        # Sin expirar lo ya cargado: la página que lee el tablero no vuelve a pedir fila por fila sus objetos.
        confirmar_sin_expirar()


def actualizar_si_calculada(vigencia_id: int) -> None:
    """Para los servicios: recalcula ya lo pendiente de una vigencia cuyas cifras ya están guardadas (una
    vigencia nunca calculada se calcula entera la primera vez que alguien la lee)."""
    db.session.flush()
    margen, pendientes = _pendientes(vigencia_id)
    if margen is not None and pendientes:
        recalcular(db.session.get(Vigencia, vigencia_id), {d for _, d in pendientes}, [i for i, _ in pendientes])


def _marcar_pendientes(session, _contexto) -> None:
    """after_flush: las dependencias dueñas de los planes cuyas cifras pudieron cambiar."""
    planes, reportes, actividades = set(), set(), set()
    for objeto in (*session.new, *session.dirty, *session.deleted):
        estado = sa.inspect(objeto).dict
        if isinstance(objeto, Plan):
            planes.add(estado.get("id"))
        elif isinstance(objeto, (ReporteTrimestral, Actividad)):
            planes.add(estado.get("plan_id"))
        elif isinstance(objeto, Avance):
            reportes.add(estado.get("reporte_id"))
        elif isinstance(objeto, MetaTerritorial):
            actividades.add(estado.get("actividad_id"))
    planes.discard(None), reportes.discard(None), actividades.discard(None)
    if not (planes or reportes or actividades):
        return
    conexion = session.connection()
    if reportes:
        planes |= set(conexion.scalars(sa.select(ReporteTrimestral.plan_id).where(ReporteTrimestral.id.in_(reportes))))
    if actividades:
        planes |= set(conexion.scalars(sa.select(Actividad.plan_id).where(Actividad.id.in_(actividades))))
    duenas = conexion.execute(sa.select(Plan.vigencia_id, Plan.dependencia_id).distinct().where(
        Plan.id.in_(planes), Plan.tipo == TipoPlan.PA, Plan.vigencia_id.is_not(None))).all()
    if duenas:
        conexion.execute(sa.insert(CifraPendiente), [dict(vigencia_id=v, dependencia_id=d) for v, d in duenas])


if not sa.event.contains(Session, "after_flush", _marcar_pendientes):
    sa.event.listen(Session, "after_flush", _marcar_pendientes)


# --- lectura de las cifras guardadas ----------------------------------------------------------
@dataclass
class Alerta:
    dependencia: str
    codigo: str
    ejecucion_presupuestal: Decimal
    avance_fisico: Decimal


@dataclass
class Resumen(_Periodo):
    """Lo que muestran el tablero y los inicios, leído de las cifras guardadas: mismas cifras que `cuadro`."""

    vigencia: Vigencia
    trimestre: int
    ventana: VentanaReporte | None
    dependencias: list
    objetivos: list
    indicadores: list
    total: FilaAgregada
    incoherentes: list
    margen: Decimal
    hoy: date
    tendencia: "Trayectoria | None" = None  # la del conjunto, T1 a T4
    limite: object = False  # la dependencia a la que se limita el usuario (False: todas)

    def tendencias_de(self, claves) -> list:
        """La trayectoria T1–T4 de esas dependencias (las de la página que se muestra), en una consulta."""
        claves = list(claves)
        if not claves:
            return []
        condiciones = [*_condiciones(self.limite), CifraAgregada.dependencia_id.in_(claves)]
        por_dependencia, nombres = defaultdict(lambda: [None] * 4), {}
        for (t, dep_id), fila in _dependencias_guardadas(self.vigencia.id, condiciones, umbrales(),
                                                         [1, 2, 3, 4]).items():
            por_dependencia[dep_id][t - 1] = fila
            nombres[dep_id] = fila.nombre
        return [Trayectoria(d, nombres[d], por_dependencia[d]) for d in claves if d in nombres]


_CONTADO = sa.case((CifraAgregada.estado_reporte.in_(ESTADOS_CONTADOS), 0), else_=1)


def _columnas_sumas():
    return (sa.func.sum(CifraAgregada.actividades), sa.func.sum(CifraAgregada.peso_trimestre),
            sa.func.sum(CifraAgregada.suma_trimestre), sa.func.sum(CifraAgregada.peso_acumulado),
            sa.func.sum(CifraAgregada.suma_acumulado), sa.func.sum(CifraAgregada.incoherentes))


def _fila(clave, nombre, sumas, tabla, **extra) -> FilaAgregada:
    actividades, peso_t, suma_t, peso_a, suma_a, incoherentes = sumas
    acumulado = _avance(peso_a, suma_a)
    return FilaAgregada(clave=clave, nombre=nombre, actividades=int(actividades or 0),
                        avance_trimestre=_avance(peso_t, suma_t), avance_acumulado=acumulado,
                        color=semaforo(acumulado, tabla), incoherentes=int(incoherentes or 0), **extra)


def _dependencias_guardadas(vigencia_id: int, condiciones, tabla, trimestres) -> dict:
    """(trimestre, dependencia) → FilaAgregada, con una consulta agrupada sobre las cifras guardadas."""
    filas = db.session.execute(
        sa.select(CifraAgregada.trimestre, CifraAgregada.dependencia_id, Dependencia.nombre, *_columnas_sumas(),
                  sa.func.sum(_CONTADO), sa.func.count(sa.distinct(CifraAgregada.plan_id)),
                  sa.func.min(CifraAgregada.estado_reporte), sa.func.max(CifraAgregada.enviado_en))
        .join(Dependencia, Dependencia.id == CifraAgregada.dependencia_id)
        .where(CifraAgregada.vigencia_id == vigencia_id, CifraAgregada.trimestre.in_(trimestres), *condiciones)
        .group_by(CifraAgregada.trimestre, CifraAgregada.dependencia_id, Dependencia.nombre)).all()
    resultado = {}
    for trimestre, dep_id, nombre, *resto in filas:
        sumas, (sin_contar, planes, estado, enviado) = resto[:6], resto[6:]
        reportado = not sin_contar
        estado = None if estado is None else EstadoReporte(estado)
        fila = _fila(dep_id, nombre, sumas, tabla, reportado=reportado,
                     estado_reporte=estado if planes == 1 else None, enviado_en=enviado)
        if not reportado:
            fila.color = ColorSemaforo.GRIS
        resultado[(trimestre, dep_id)] = fila
    return resultado


def _condiciones(limite) -> list:
    return [] if limite is False else [CifraAgregada.dependencia_id == limite]


def resumen(vigencia: Vigencia, trimestre: int, usuario=None, hoy: date | None = None,
            con_indicadores: bool = True, con_tendencia: bool = False, completo: bool = True) -> Resumen:
    """Las cifras por dependencia, por objetivo y del conjunto, como `cuadro`, leídas de lo guardado; con
    `con_tendencia`, también las de T1 a T4 (las mismas consultas agrupadas, sobre los cuatro trimestres)."""
    al_dia(vigencia)
    tabla, margen = umbrales(), margen_coherencia()
    limite = _limite(usuario)
    condiciones = _condiciones(limite)
    trimestres = [1, 2, 3, 4] if con_tendencia else [trimestre]
    dependencias = sorted(_dependencias_guardadas(vigencia.id, condiciones, tabla, [trimestre]).values(),
                          key=lambda d: d.nombre)
    institucional = [*condiciones, CifraAgregada.territorial.is_(False)]
    if not completo:  # el inicio: solo el color de cada dependencia
        ventana = db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=vigencia.id, trimestre=trimestre))
        return Resumen(vigencia, trimestre, ventana, dependencias, [], [], _fila(None, "Total", (None,) * 6, tabla),
                       [], margen, hoy or date.today(), None, limite)
    objetivos = [
        _fila(oid, f"{codigo} {nombre}", sumas, tabla) for oid, codigo, nombre, *sumas in db.session.execute(
            sa.select(CifraAgregada.objetivo_id, Objetivo.codigo, Objetivo.nombre, *_columnas_sumas())
            .join(Objetivo, Objetivo.id == CifraAgregada.objetivo_id)
            .where(CifraAgregada.vigencia_id == vigencia.id, CifraAgregada.trimestre == trimestre, *institucional)
            .group_by(CifraAgregada.objetivo_id, Objetivo.codigo, Objetivo.nombre))]
    objetivos.sort(key=lambda o: o.nombre)
    totales = {t: _fila(None, "Total", sumas, tabla) for t, *sumas in db.session.execute(
        sa.select(CifraAgregada.trimestre, *_columnas_sumas())
        .where(CifraAgregada.vigencia_id == vigencia.id, CifraAgregada.trimestre.in_(trimestres), *institucional)
        .group_by(CifraAgregada.trimestre))}
    total = totales.get(trimestre) or _fila(None, "Total", (None,) * 6, tabla)
    duena = sa.orm.aliased(Dependencia)
    alertas = db.session.execute(
        sa.select(Dependencia.nombre, AlertaCoherencia.codigo, AlertaCoherencia.ejecucion,
                  AlertaCoherencia.avance_fisico)
        .join(Dependencia, Dependencia.id == AlertaCoherencia.dependencia_id)
        .join(duena, duena.id == AlertaCoherencia.duena_id)
        .where(AlertaCoherencia.vigencia_id == vigencia.id, AlertaCoherencia.trimestre == trimestre,
               *([] if limite is False else [AlertaCoherencia.dependencia_id == limite]))
        .order_by(duena.codigo, AlertaCoherencia.orden)).all()
    incoherentes = [Alerta(nombre, codigo, Decimal(ejecucion) / ESCALA_PESO, Decimal(fisico) / ESCALA_PESO)
                    for nombre, codigo, ejecucion, fisico in alertas]
    indicadores = filas_indicadores(vigencia, trimestre, tabla) if con_indicadores else []
    if limite is not False:
        indicadores = [i for i in indicadores if i.dependencia_id == limite]
    ventana = db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=vigencia.id, trimestre=trimestre))
    tendencia = (Trayectoria(None, "Total institucional", [totales.get(t) for t in range(1, 5)])
                 if con_tendencia else None)
    return Resumen(vigencia, trimestre, ventana, dependencias, objetivos, indicadores, total, incoherentes, margen,
                   hoy or date.today(), tendencia, limite)


@dataclass
class Trayectoria:
    """El avance acumulado de una dependencia (o del conjunto) en cada trimestre de la vigencia."""

    clave: int | None
    nombre: str
    trimestres: list  # FilaAgregada o None por trimestre, T1 a T4
