"""Lo que se lee del seguimiento sin cambiar nada: qué reporta cada dependencia, la meta de cada ítem de un
reporte, los ítems y los códigos de un reporte, el fin de cada trimestre, los diagnósticos y las filas de SINERGIA.
Los servicios (`reportes`, `revision`) y los libros lo leen; no importa ningún servicio."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from gestion.base import formato
from gestion.planes import versiones
from gestion.seguimiento import cifras
from modelos import (
    Actividad,
    Avance,
    DiagnosticoTrimestral,
    EstadoPlan,
    EstadoReporte,
    Indicador,
    InformeSeguimiento,
    MetaIndicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    ReporteTrimestral,
    Tendencia,
    TipoPlan,
    UnidadMedida,
    Vigencia,
    db,
)
from modelos.planes import ESTADOS_CON_APROBACION


@lru_cache(maxsize=1)
def _consulta_planes_a_reportar():
    """La forma de `planes_a_reportar`, armada una vez (armarla costaba más CPU que ejecutarla en cada inicio)."""
    dependencia_id = sa.bindparam("dependencia_id")
    pa_aprobado = sa.and_(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == sa.bindparam("vigencia_id"), Plan.vigente,
                          Plan.estado.in_(ESTADOS_CON_APROBACION))
    propios = sa.and_(pa_aprobado, Plan.dependencia_id == dependencia_id)
    territoriales = sa.and_(pa_aprobado, Plan.actividades.any(
        Actividad.metas_territoriales.any(MetaTerritorial.dependencia_id == dependencia_id)))
    estrategicos = sa.and_(Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]), Plan.vigente,
                           Plan.cuatrienio_id == sa.bindparam("cuatrienio_id"),
                           Plan.estado.in_([EstadoPlan.APROBADO, EstadoPlan.PUBLICADO]),
                           Plan.objetivos.any(Objetivo.indicadores.any(Indicador.responsable_id == dependencia_id)))
    return sa.select(Plan).where(sa.or_(propios, territoriales, estrategicos)).order_by(Plan.tipo, Plan.id)


def planes_a_reportar(dependencia_id: int | None, vigencia: Vigencia) -> list[Plan]:
    """Los planes en que la dependencia tiene algo que reportar en la vigencia."""
    if dependencia_id is None:
        return []
    return list(db.session.scalars(_consulta_planes_a_reportar(), {
        "dependencia_id": dependencia_id, "vigencia_id": vigencia.id, "cuatrienio_id": vigencia.cuatrienio_id}))


def meta_de(avance: Avance) -> Decimal | None:
    """Lo programado para el trimestre del avance (la meta de la DT si es su parte)."""
    reporte = avance.reporte
    territorial = meta_indicador = None
    if avance.actividad_id is not None:
        territorial = db.session.scalar(sa.select(MetaTerritorial).filter_by(
            actividad_id=avance.actividad_id, dependencia_id=reporte.dependencia_id))
    else:
        meta_indicador = db.session.scalar(sa.select(MetaIndicador.valor).filter_by(
            indicador_id=avance.indicador_id, anio=reporte.vigencia.anio))
    return _programado(avance, reporte.trimestre, territorial, meta_indicador)


def _programado(avance: Avance, trimestre: int, territorial: MetaTerritorial | None,
                meta_indicador: Decimal | None) -> Decimal | None:
    if avance.actividad_id is not None:
        fuente = territorial if territorial is not None else avance.actividad
        return Decimal(fuente.meta_trimestre(trimestre))
    indicador = avance.indicador
    return cifras.programado_indicador(meta_indicador, indicador.tipo_acumulacion, trimestre)


def avances_con_metas(reporte: ReporteTrimestral) -> dict[Avance, Decimal | None]:
    """Los avances del reporte con su ítem y lo programado de cada uno (lo que `meta_de` da de uno), en tres
    consultas: la página y el libro de un reporte de 88 ítems no consultan dos veces por ítem."""
    avances = db.session.scalars(
        sa.select(Avance).where(Avance.reporte_id == reporte.id)
        .options(selectinload(Avance.actividad), selectinload(Avance.indicador))).all()
    if "avances" in sa.inspect(reporte).unloaded:
        set_committed_value(reporte, "avances", avances)  # la página recorre reporte.avances: estos objetos
    del_reporte = sa.select(Avance.actividad_id).where(Avance.reporte_id == reporte.id)
    territoriales = {m.actividad_id: m for m in db.session.scalars(sa.select(MetaTerritorial).where(
        MetaTerritorial.actividad_id.in_(del_reporte), MetaTerritorial.dependencia_id == reporte.dependencia_id))}
    metas_indicador = {}
    if any(a.indicador_id is not None for a in avances):
        metas_indicador = dict(db.session.execute(sa.select(MetaIndicador.indicador_id, MetaIndicador.valor).where(
            MetaIndicador.indicador_id.in_(sa.select(Avance.indicador_id).where(Avance.reporte_id == reporte.id)),
            MetaIndicador.anio == reporte.vigencia.anio)).all())
    return {a: _programado(a, reporte.trimestre, territoriales.get(a.actividad_id), metas_indicador.get(a.indicador_id))
            for a in avances}


def bajo_meta(avance: Avance, valor: Decimal) -> bool:
    programado = meta_de(avance)
    if avance.actividad_id is not None:
        actividad = avance.actividad
        # La parte de una Dirección Territorial se mide contra sus metas, sin la línea base de toda la entidad.
        propia = avance.reporte.dependencia_id == actividad.plan.dependencia_id
        valor_cumplimiento = cifras.cumplimiento_actividad(valor, programado, actividad.tendencia,
                                                           actividad.linea_base if propia else None,
                                                           actividad.tipo_acumulacion)
        return valor_cumplimiento is not None and valor_cumplimiento < cifras.CIEN
    indicador = avance.indicador
    return cifras.bajo_meta_indicador(valor, programado, indicador.tendencia, indicador.tipo_acumulacion,
                                      indicador.linea_base)


def como_queda(avance: Avance) -> str:
    """Cómo queda lo logrado que no cumple, según la tendencia: «está por debajo de» (creciente), «está por encima
    de» (decreciente) o «se aparta de» (constante) lo programado."""
    tendencia = (avance.actividad or avance.indicador).tendencia
    return {Tendencia.DECRECIENTE: "está por encima de", Tendencia.CONSTANTE: "se aparta de"}.get(
        tendencia, "está por debajo de")


def reporte_de(plan: Plan, dependencia_id: int, vigencia_id: int, trimestre: int) -> ReporteTrimestral | None:
    """El reporte de un trimestre del plan, contra cualquiera de sus versiones: un trimestre reportado antes
    de un ajuste no se vuelve a reportar en la versión nueva."""
    return db.session.scalars(sa.select(ReporteTrimestral).join(Plan, ReporteTrimestral.plan_id == Plan.id).where(
        versiones.misma_familia(plan), ReporteTrimestral.dependencia_id == dependencia_id,
        ReporteTrimestral.vigencia_id == vigencia_id, ReporteTrimestral.trimestre == trimestre)).first()


@lru_cache(maxsize=1)
def _consulta_reportes_de():
    """Los reportes de una dependencia en un trimestre, con lo que dice de qué familia es su plan (ver `reportes_de`);
    la forma se arma una vez."""
    return (sa.select(ReporteTrimestral, Plan.tipo, Plan.dependencia_id, Plan.vigencia_id, Plan.cuatrienio_id)
            .join(Plan, ReporteTrimestral.plan_id == Plan.id)
            .where(ReporteTrimestral.dependencia_id == sa.bindparam("dependencia_id"),
                   ReporteTrimestral.vigencia_id == sa.bindparam("vigencia_id"),
                   ReporteTrimestral.trimestre == sa.bindparam("trimestre"))
            .order_by(ReporteTrimestral.id))


def reportes_de(planes, dependencia_id: int, vigencia_id: int, trimestre: int) -> dict[int, ReporteTrimestral]:
    """`reporte_de` de cada plan en una sola sentencia (una DT reporta en decenas de planes): el reporte
    del trimestre contra cualquier versión del plan (el primero, por id), por el id del plan."""
    if not planes:
        return {}
    por_familia = {}
    for reporte, *familia in db.session.execute(_consulta_reportes_de(), {
            "dependencia_id": dependencia_id, "vigencia_id": vigencia_id, "trimestre": trimestre}):
        por_familia.setdefault(versiones.clave_de_familia(*familia), reporte)
    claves = {plan.id: versiones.clave_de_familia(plan.tipo, plan.dependencia_id, plan.vigencia_id,
                                                  plan.cuatrienio_id) for plan in planes}
    return {plan_id: por_familia[clave] for plan_id, clave in claves.items() if clave in por_familia}


def diagnosticos(vigencia_id: int, trimestre: int) -> dict[int, DiagnosticoTrimestral]:
    return {d.dependencia_id: d for d in db.session.scalars(sa.select(DiagnosticoTrimestral).filter_by(
        vigencia_id=vigencia_id, trimestre=trimestre))}


def fecha_de_generacion(vigencia_id: int, trimestre: int) -> date | None:
    """El día (en Bogotá) en que se generó el informe del trimestre; None si aún no se ha generado. La versión
    imprimible la muestra en vez de la fecha en que se imprime."""
    generado = db.session.scalar(sa.select(InformeSeguimiento.generado_en).filter_by(
        vigencia_id=vigencia_id, trimestre=trimestre))
    return formato.en_bogota(generado).date() if generado else None


def destinatarios_informe() -> list[str]:
    """A quién llega el informe remitido a Control Interno: la página lo dice antes de remitir."""
    return list(current_app.config["GESTION_CORREOS_CONTROL_INTERNO"])


def fin_de_trimestre(anio: int, trimestre: int) -> date:
    siguiente = date(anio + (trimestre == 4), 1 if trimestre == 4 else 3 * trimestre + 1, 1)
    return date.fromordinal(siguiente.toordinal() - 1)


def codigo_de(avance: Avance) -> str:
    return avance.actividad.codigo if avance.actividad_id else avance.indicador.codigo


def avances_por_codigo(reporte: ReporteTrimestral) -> dict[str, Avance]:
    return {codigo_de(a): a for a in sorted(reporte.avances, key=codigo_de)}


@dataclass(frozen=True)
class ItemReporte:
    codigo: str
    item: str
    meta: Decimal | None
    valor_logrado: Decimal | None
    avance_cualitativo: str | None
    justificacion: str | None
    evidencia_enlace: str | None
    presupuesto_comprometido: Decimal | None
    presupuesto_pagado: Decimal | None


def items_de_reporte(reporte: ReporteTrimestral) -> list[ItemReporte]:
    metas = avances_con_metas(reporte)
    return [ItemReporte(codigo_de(a), a.actividad.descripcion if a.actividad_id else a.indicador.nombre, meta,
                        a.valor_logrado, a.avance_cualitativo, a.justificacion, a.evidencia_enlace,
                        a.presupuesto_comprometido, a.presupuesto_pagado)
            for a, meta in sorted(metas.items(), key=lambda par: codigo_de(par[0]))]


@dataclass(frozen=True)
class FilaSinergia:
    codigo: str
    indicador: str
    plan: str
    tipo_acumulacion: str | None
    unidad: str | None
    linea_base: Decimal | None
    meta: Decimal | None
    periodo: str
    corte: date
    valor: Decimal | None
    observaciones: str | None
    cumplimiento: Decimal | None = None  # el mismo del tablero: con la línea base si es decreciente


def filas_sinergia(vigencia) -> list[FilaSinergia]:
    """Solo los valores de reportes aceptados por la OAP: lo que se envía al DNP ya fue revisado."""
    consulta = (
        sa.select(Indicador.codigo_sinergia, Indicador.nombre, Plan.nombre.label("plan"), Indicador.tipo_acumulacion,
                  UnidadMedida.nombre.label("unidad"), Indicador.linea_base, MetaIndicador.valor.label("meta"),
                  ReporteTrimestral.trimestre, Avance.valor_logrado, Avance.avance_cualitativo, Avance.justificacion,
                  Indicador.tendencia)
        .join(Objetivo, Indicador.objetivo_id == Objetivo.id).join(Plan, Objetivo.plan_id == Plan.id)
        .join(Avance, Avance.indicador_id == Indicador.id)
        .join(ReporteTrimestral, sa.and_(Avance.reporte_id == ReporteTrimestral.id,
                                         ReporteTrimestral.vigencia_id == vigencia.id,
                                         ReporteTrimestral.estado == EstadoReporte.ACEPTADO))
        .outerjoin(UnidadMedida, Indicador.unidad_id == UnidadMedida.id)
        .outerjoin(MetaIndicador, sa.and_(MetaIndicador.indicador_id == Indicador.id,
                                          MetaIndicador.anio == vigencia.anio))
        .where(Indicador.sinergia, Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]))
        .order_by(Indicador.codigo_sinergia, ReporteTrimestral.trimestre))
    return [FilaSinergia(f.codigo_sinergia, f.nombre, f.plan, f.tipo_acumulacion.etiqueta if f.tipo_acumulacion else None,
                         f.unidad, f.linea_base, f.meta, f"{vigencia.anio}-T{f.trimestre}",
                         fin_de_trimestre(vigencia.anio, f.trimestre), f.valor_logrado,
                         " ".join(t for t in (f.avance_cualitativo, f.justificacion) if t) or None,
                         cifras.cumplimiento_indicador(
                             f.valor_logrado, cifras.programado_indicador(f.meta, f.tipo_acumulacion, f.trimestre),
                             f.tendencia, f.tipo_acumulacion, f.linea_base))
            for f in db.session.execute(consulta)]
