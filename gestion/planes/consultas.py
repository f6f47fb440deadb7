"""Lo que muestran los libros de Excel, leído de la base: los escritores de `gestion.excel` lo reciben
hecho y no consultan nada."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from gestion.seguimiento.reportes import fin_de_trimestre, meta_de
from modelos import (Actividad, Avance, Dependencia, EstadoReporte, Indicador, MetaIndicador, MetaTerritorial,
                     Objetivo, Plan, PoliticaMipg, ProyectoInversion, ReporteTrimestral, TipoDependencia, TipoPlan,
                     UnidadMedida, db)


# --- códigos que puede citar una actividad ------------------------------------------------------
@dataclass
class Catalogos:
    objetivos: dict[str, Objetivo]
    politicas: dict[str, PoliticaMipg]
    unidades: dict[str, UnidadMedida]
    proyectos: dict[str, ProyectoInversion]
    direcciones: dict[str, Dependencia]


def _por_codigo(objetos, atributo="codigo") -> dict:
    return {getattr(o, atributo).strip().upper(): o for o in objetos}


def catalogos(plan: Plan) -> Catalogos:
    """Lo que una actividad del plan puede citar: objetivos del PEI vigente del cuatrienio, políticas
    MIPG activas, unidades, los proyectos de inversión activos de la propia dependencia y las Direcciones
    Territoriales activas (las que pueden ejecutar una actividad territorial)."""
    objetivos = db.session.scalars(
        sa.select(Objetivo).join(Objetivo.plan)
        .where(Plan.tipo == TipoPlan.PEI, Plan.vigente, Plan.cuatrienio_id == plan.vigencia.cuatrienio_id)
        .order_by(Objetivo.codigo))
    politicas = db.session.scalars(sa.select(PoliticaMipg).where(PoliticaMipg.activa).order_by(PoliticaMipg.codigo))
    unidades = db.session.scalars(sa.select(UnidadMedida).order_by(UnidadMedida.codigo))
    proyectos = db.session.scalars(sa.select(ProyectoInversion).where(
        ProyectoInversion.activo, ProyectoInversion.dependencia_id == plan.dependencia_id)
        .order_by(ProyectoInversion.bpin))
    direcciones = db.session.scalars(sa.select(Dependencia).where(
        Dependencia.activa, Dependencia.tipo == TipoDependencia.TERRITORIAL).order_by(Dependencia.codigo))
    return Catalogos(_por_codigo(objetivos), _por_codigo(politicas), _por_codigo(unidades),
                     _por_codigo(proyectos, "bpin"), _por_codigo(direcciones))


# --- ítems de un reporte trimestral ---------------------------------------------------------------
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
    return [ItemReporte(codigo, a.actividad.descripcion if a.actividad_id else a.indicador.nombre, meta_de(a),
                        a.valor_logrado, a.avance_cualitativo, a.justificacion, a.evidencia_enlace,
                        a.presupuesto_comprometido, a.presupuesto_pagado)
            for codigo, a in avances_por_codigo(reporte).items()]


# --- SINERGIA -----------------------------------------------------------------------------------
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


def filas_sinergia(vigencia) -> list[FilaSinergia]:
    """Solo los valores de reportes aceptados por la OAP: lo que se envía al DNP ya fue revisado."""
    consulta = (
        sa.select(Indicador.codigo_sinergia, Indicador.nombre, Plan.nombre.label("plan"), Indicador.tipo_acumulacion,
                  UnidadMedida.nombre.label("unidad"), Indicador.linea_base, MetaIndicador.valor.label("meta"),
                  ReporteTrimestral.trimestre, Avance.valor_logrado, Avance.avance_cualitativo, Avance.justificacion)
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
                         " ".join(t for t in (f.avance_cualitativo, f.justificacion) if t) or None)
            for f in db.session.execute(consulta)]


# --- metas de una Dirección Territorial ---------------------------------------------------------
def metas_de_direccion(direccion: Dependencia, vigencia) -> list[MetaTerritorial]:
    """Las metas que la DT fija en la vigencia, con su actividad, plan y unidad cargados de una vez."""
    return list(db.session.scalars(
        sa.select(MetaTerritorial).join(MetaTerritorial.actividad).join(Actividad.plan)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .where(MetaTerritorial.dependencia_id == direccion.id, Plan.vigencia_id == vigencia.id, Plan.vigente)
        .options(selectinload(MetaTerritorial.actividad).selectinload(Actividad.plan).selectinload(Plan.dependencia),
                 selectinload(MetaTerritorial.actividad).selectinload(Actividad.unidad))
        .order_by(Dependencia.codigo, Actividad.codigo)))
