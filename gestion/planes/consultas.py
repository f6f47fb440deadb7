"""Lo que muestran los libros de Excel, leído de la base: los escritores de `gestion.excel` lo reciben
hecho y no consultan nada."""
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from modelos import (
    Actividad,
    Dependencia,
    Indicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    PlanInstitucional,
    PoliticaMipg,
    ProyectoInversion,
    TipoDependencia,
    TipoPlan,
    UnidadMedida,
    db,
)
from modelos.planes import integracion


# --- códigos que puede citar una actividad ------------------------------------------------------
@dataclass
class Catalogos:
    objetivos: dict[str, Objetivo]
    politicas: dict[str, PoliticaMipg]
    unidades: dict[str, UnidadMedida]
    proyectos: dict[str, ProyectoInversion]
    direcciones: dict[str, Dependencia]
    planes_institucionales: dict[str, PlanInstitucional]


def _por_codigo(objetos, atributo="codigo") -> dict:
    return {getattr(o, atributo).strip().upper(): o for o in objetos}


def catalogos(plan: Plan) -> Catalogos:
    """Lo que una actividad del plan puede citar: objetivos del PEI vigente del cuatrienio, políticas
    MIPG activas, unidades, los proyectos de inversión activos de la propia dependencia, las Direcciones
    Territoriales activas (las que pueden ejecutar una actividad territorial) y los planes institucionales activos."""
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
    planes = db.session.scalars(sa.select(PlanInstitucional).where(PlanInstitucional.activo)
                                .order_by(*PlanInstitucional.en_orden()))
    return Catalogos(_por_codigo(objetivos), _por_codigo(politicas), _por_codigo(unidades),
                     _por_codigo(proyectos, "bpin"), _por_codigo(direcciones), _por_codigo(planes))


# --- actividades de un plan ---------------------------------------------------------------------
def cargar_actividades(*planes: Plan, para_el_chequeo: bool = True) -> None:
    """Las actividades de los planes con sus metas por Dirección Territorial y cada DT, su unidad, su objetivo, su
    proyecto, sus planes institucionales y, con `para_el_chequeo`, lo demás que la lista de chequeo lee de cada una,
    en un número fijo de consultas: la ficha y la comparación de versiones de un plan con 35 actividades
    territoriales no consultan una vez por actividad ni por objetivo. Una colección ya cargada no se pisa."""
    planes = [p for p in planes if p is not None and p.id is not None]
    if not planes:
        return
    ids = [p.id for p in planes]
    objetivo = joinedload(Actividad.objetivo)
    if para_el_chequeo:  # la ficha lee la lista guardada: sin el PEI, el PES y el PND de cada objetivo
        objetivo = objetivo.options(selectinload(Objetivo.plan), selectinload(Objetivo.objetivos_pes),
                                    selectinload(Objetivo.objetivos_pnd))
    # Los catálogos de cada una en la misma consulta, y las dos colecciones con una consulta cada una por los planes:
    # con selectinload (una lista de ids de actividades por colección y por catálogo) la carga costaba ~2 ms más.
    actividades = db.session.scalars(
        sa.select(Actividad).where(Actividad.plan_id.in_(ids))
        .options(objetivo, joinedload(Actividad.unidad), joinedload(Actividad.proyecto),
                 lazyload(Actividad.metas_territoriales), lazyload(Actividad.planes_institucionales))
        .order_by(Actividad.codigo)).all()
    de_los_planes = Actividad.plan_id.in_(ids)
    metas = defaultdict(list)
    for meta in db.session.scalars(sa.select(MetaTerritorial).join(MetaTerritorial.actividad).where(de_los_planes)
                                   .options(joinedload(MetaTerritorial.dependencia)).order_by(MetaTerritorial.id)):
        metas[meta.actividad_id].append(meta)
    integrados = defaultdict(list)
    for actividad_id, plan_institucional in db.session.execute(
            sa.select(integracion.c.actividad_id, PlanInstitucional)
            .join(PlanInstitucional, PlanInstitucional.id == integracion.c.plan_institucional_id)
            .join(Actividad, Actividad.id == integracion.c.actividad_id).where(de_los_planes)
            .order_by(PlanInstitucional.codigo)):
        integrados[actividad_id].append(plan_institucional)
    por_plan = defaultdict(list)
    for actividad in actividades:
        por_plan[actividad.plan_id].append(actividad)
        sin_cargar = sa.inspect(actividad).unloaded
        if "metas_territoriales" in sin_cargar:
            set_committed_value(actividad, "metas_territoriales", metas[actividad.id])
        if "planes_institucionales" in sin_cargar:
            set_committed_value(actividad, "planes_institucionales", integrados[actividad.id])
    for plan in planes:
        if "actividades" in sa.inspect(plan).unloaded:
            # La colección del plan son estos objetos: la sesión solo guarda referencias débiles.
            set_committed_value(plan, "actividades", por_plan[plan.id])


def cargar_consolidados(pai: Plan) -> None:
    """Los planes de acción que consolida el PAI, con su dependencia y sus actividades (lo que su resumen y sus
    planes integrados leen), en un número fijo de consultas: la ficha de un PAI de 341 planes hacía tres por plan."""
    planes = pai.planes_consolidados
    dependencias = {d.id: d for d in db.session.scalars(sa.select(Dependencia).where(
        Dependencia.id.in_({p.dependencia_id for p in planes if p.dependencia_id is not None})))}
    for plan in planes:
        if "dependencia" in sa.inspect(plan).unloaded:
            set_committed_value(plan, "dependencia", dependencias.get(plan.dependencia_id))
    cargar_actividades(*planes, para_el_chequeo=False)


# --- ítems de un reporte trimestral ---------------------------------------------------------------


# --- SINERGIA -----------------------------------------------------------------------------------


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


def _actividades_propias(plan: Plan):
    return sa.select(Actividad).where(Actividad.plan_id == plan.id, sa.or_(
        Actividad.territorial.is_(False), ~Actividad.metas_territoriales.any())).order_by(Actividad.codigo)


def items_a_reportar(plan: Plan, dependencia_id: int) -> list:
    """Actividades (PA) o indicadores (PES/PEI) que `dependencia_id` reporta en `plan`."""
    if plan.tipo is TipoPlan.PA:
        if plan.dependencia_id == dependencia_id:
            return list(db.session.scalars(_actividades_propias(plan)))
        return list(db.session.scalars(
            sa.select(Actividad).join(MetaTerritorial).where(Actividad.plan_id == plan.id,
                                                             MetaTerritorial.dependencia_id == dependencia_id)
            .order_by(Actividad.codigo)))
    if plan.tipo in (TipoPlan.PES, TipoPlan.PEI):
        return list(db.session.scalars(
            sa.select(Indicador).join(Objetivo).where(Objetivo.plan_id == plan.id,
                                                      Indicador.responsable_id == dependencia_id)
            .order_by(Indicador.codigo)))
    return []
