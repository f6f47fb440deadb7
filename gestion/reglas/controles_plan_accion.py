"""Puntos de control del Plan de Acción (actividad 12): la lista de chequeo de cada plan.

Los ítems automáticos se calculan sobre las actividades; los de juicio (normas, funciones de la
dependencia, metodología) los marca la OAP con un comentario (`VerificacionPlan`).
"""
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from gestion.base import formato
from gestion.reglas.chequeo import ItemChequeo, ListaChequeo
from modelos import Actividad, Compromiso, Objetivo, Plan, PresupuestoProyecto, Tendencia, TipoPlan, db

CIEN = Decimal(100)

# Ítems que la OAP marca con su juicio: código → descripción.
ITEMS_JUICIO = {
    "normas": "Cubre las normas e iniciativas que la entidad debe cumplir",
    "funciones": "Corresponde a las funciones propias de la dependencia",
    "metodologia": "Sigue la metodología de la Oficina Asesora de Planeación",
}


def _item(codigo, descripcion, detalle) -> ItemChequeo:
    return ItemChequeo(codigo, descripcion, not detalle, tuple(detalle))


def _alineacion(plan: Plan) -> ItemChequeo:
    detalle = []
    cuatrienio = plan.vigencia.cuatrienio_id
    for a in plan.actividades:
        objetivo = a.objetivo
        if objetivo is None or objetivo.plan.tipo is not TipoPlan.PEI:
            detalle.append(f"{a.codigo} sin objetivo del PEI")
        elif objetivo.plan.cuatrienio_id != cuatrienio:
            detalle.append(f"{a.codigo}: el objetivo {objetivo.codigo} es del PEI {objetivo.plan.cuatrienio}, "
                           f"no del cuatrienio de la vigencia {plan.vigencia.anio}")
        elif not objetivo.objetivos_pes or not objetivo.objetivos_pnd:
            detalle.append(f"{a.codigo}: el objetivo {objetivo.codigo} no se articula con el PES y el PND")
    if not plan.actividades:
        detalle.append("el plan no tiene actividades")
    return _item("alineacion", "Cada actividad se alinea con un objetivo del PEI de su cuatrienio (y así con el "
                 "PES y el PND)",
                 detalle)


def _medibles(plan: Plan) -> ItemChequeo:
    detalle = []
    for a in plan.actividades:
        faltan = [nombre for nombre, valor in (("indicador", a.indicador), ("fórmula", a.formula),
                                               ("unidad", a.unidad_id)) if not valor]
        if not a.meta_anual or a.meta_anual <= 0:
            faltan.append("meta anual mayor que cero")
        if faltan:
            detalle.append(f"{a.codigo} sin {', '.join(faltan)}")
    return _item("medibles", "Las metas son medibles: indicador, fórmula, unidad y meta anual", detalle)


def _pesos(plan: Plan) -> ItemChequeo:
    total = sum((a.peso or 0 for a in plan.actividades), Decimal(0))
    detalle = [] if total == CIEN else [f"suman {formato.numero(total)} %"]
    return _item("pesos", "Los pesos de las actividades suman 100 %", detalle)


def _decreciente(a) -> bool:
    return a.tendencia is Tendencia.DECRECIENTE or (a.tipo_acumulacion is not None and a.tipo_acumulacion.decreciente)


def _trimestres(plan: Plan) -> ItemChequeo:
    """En una actividad decreciente o constante, o en una cuyo tipo de acumulación es un nivel (stock, capacidad,
    acumulado, reducción), la meta de cada trimestre es un nivel, no una parte del año: la meta anual es la del
    último trimestre con meta."""
    detalle = []
    for a in plan.actividades:
        nivel = a.tipo_acumulacion is not None and a.tipo_acumulacion.es_nivel
        if a.tendencia in (Tendencia.DECRECIENTE, Tendencia.CONSTANTE) or nivel:
            ultima = next((m for m in reversed(a.metas_trimestrales) if m), Decimal(0))
            if ultima != a.meta_anual:
                como = a.tendencia if a.tendencia is not Tendencia.CRECIENTE else a.tipo_acumulacion
                detalle.append(f"{a.codigo} ({como.etiqueta.lower()}): la meta del último trimestre es "
                               f"{formato.cantidad(ultima)} y la meta anual es {formato.cantidad(a.meta_anual)}")
            continue
        suma = sum(a.metas_trimestrales, Decimal(0))
        if suma != a.meta_anual:
            detalle.append(f"{a.codigo}: los trimestres suman {formato.cantidad(suma)} y la meta anual es "
                           f"{formato.cantidad(a.meta_anual)}")
    return _item("trimestres", "Las metas trimestrales suman la meta anual", detalle)


def _lineas_base(plan: Plan) -> ItemChequeo:
    """Una decreciente se mide desde su línea base hacia la meta (`gestion.seguimiento.cifras`): sin ella, o con
    ella en la meta o por debajo, no hay recorrido que medir."""
    detalle = []
    for a in plan.actividades:
        if not _decreciente(a):
            continue
        mas_alta = max((a.meta_anual or Decimal(0), *a.metas_trimestrales))
        if a.linea_base is None:
            detalle.append(f"{a.codigo} (decreciente) sin línea base")
        elif a.linea_base <= mas_alta:
            detalle.append(f"{a.codigo} (decreciente): la línea base es {formato.numero(a.linea_base)} y no está por "
                           f"encima de la meta ({formato.numero(mas_alta)})")
    return _item("lineas_base", "Cada actividad decreciente tiene su línea base, por encima de sus metas", detalle)


def _territoriales(plan: Plan) -> ItemChequeo:
    detalle = []
    for a in plan.actividades:
        if not a.territorial:
            continue
        if not a.metas_territoriales:
            detalle.append(f"{a.codigo} no tiene Direcciones Territoriales asignadas")
            continue
        for t in range(1, 5):
            suma = sum((m.meta_trimestre(t) for m in a.metas_territoriales), Decimal(0))
            if suma != a.meta_trimestre(t):
                detalle.append(f"{a.codigo} T{t}: las DT suman {formato.cantidad(suma)} y la meta es "
                               f"{formato.cantidad(a.meta_trimestre(t))}")
    return _item("territoriales", "Las metas de las Direcciones Territoriales suman la meta de cada trimestre",
                 detalle)


def direcciones_sin_metas(plan: Plan) -> list[tuple[Actividad, list]]:
    """Cada actividad territorial con las Direcciones Territoriales asignadas que aún no fijan sus metas (las
    cuatro en cero). Enviado el plan, ya no podrán fijarlas: la OAP lo devolvería."""
    faltan = []
    for actividad in plan.actividades:
        sin_metas = sorted((m.dependencia for m in actividad.metas_territoriales if not m.total),
                           key=lambda d: d.codigo)
        if sin_metas:
            faltan.append((actividad, sin_metas))
    return faltan


def _fechas(plan: Plan) -> ItemChequeo:
    anio = plan.vigencia.anio
    detalle = []
    for a in plan.actividades:
        if a.fecha_inicio is None or a.fecha_fin is None:
            detalle.append(f"{a.codigo} sin fechas")
        elif a.fecha_inicio.year != anio or a.fecha_fin.year != anio:
            detalle.append(f"{a.codigo} fuera de la vigencia {anio}")
    return _item("fechas", "Las fechas están dentro de la vigencia", detalle)


@dataclass
class Datos:
    """Lo que los puntos de control leen fuera de las actividades, cargado una vez para varios planes."""

    presupuestos: dict = field(default_factory=dict)  # (proyecto_id, vigencia_id) → valor disponible
    compromisos: dict = field(default_factory=lambda: defaultdict(list))  # (vigencia_id, dependencia_id) → [...]


def _proyectos(plan: Plan, datos: Datos) -> ItemChequeo:
    por_proyecto = defaultdict(Decimal)
    proyectos = {}
    for a in plan.actividades:
        if a.proyecto is not None:
            por_proyecto[a.proyecto_id] += a.presupuesto or 0
            proyectos[a.proyecto_id] = a.proyecto
    detalle = []
    for proyecto_id, suma in por_proyecto.items():
        bpin, disponible = proyectos[proyecto_id].bpin, datos.presupuestos.get((proyecto_id, plan.vigencia_id))
        if disponible is None:
            detalle.append(f"el proyecto {bpin} no tiene presupuesto para {plan.vigencia.anio}")
        elif suma > disponible:
            detalle.append(f"las actividades del proyecto {bpin} suman {formato.pesos(suma)} y el proyecto "
                           f"tiene {formato.pesos(disponible)}")
    return _item("proyectos", "Las actividades de proyectos de inversión caben en su presupuesto de la vigencia",
                 detalle)


def _compromisos(plan: Plan, datos: Datos) -> ItemChequeo:
    cubiertos = {a.objetivo_id for a in plan.actividades}
    detalle = [f"{c.objetivo.codigo}: {c.descripcion}"
               for c in datos.compromisos[(plan.vigencia_id, plan.dependencia_id)] if c.objetivo_id not in cubiertos]
    return _item("compromisos", "Los compromisos de la dependencia (actividad 7) están cubiertos", detalle)


AUTOMATICOS = (_alineacion, _medibles, _pesos, _trimestres, _lineas_base, _territoriales, _fechas)
CON_DATOS = (_proyectos, _compromisos)


def _datos(planes: list[Plan]) -> Datos:
    datos = Datos()
    proyectos = {a.proyecto_id for p in planes for a in p.actividades if a.proyecto_id}
    vigencias = {p.vigencia_id for p in planes}
    if proyectos:
        datos.presupuestos = {(proyecto, vigencia): valor for proyecto, vigencia, valor in db.session.execute(
            sa.select(PresupuestoProyecto.proyecto_id, PresupuestoProyecto.vigencia_id, PresupuestoProyecto.valor)
            .where(PresupuestoProyecto.proyecto_id.in_(proyectos), PresupuestoProyecto.vigencia_id.in_(vigencias)))}
    dependencias = {p.dependencia_id for p in planes}
    for compromiso in db.session.scalars(sa.select(Compromiso).options(selectinload(Compromiso.objetivo)).where(
            Compromiso.vigencia_id.in_(vigencias), Compromiso.dependencia_id.in_(dependencias),
            Compromiso.objetivo_id.is_not(None)).order_by(Compromiso.id)):
        datos.compromisos[(compromiso.vigencia_id, compromiso.dependencia_id)].append(compromiso)
    return datos


def _lista(plan: Plan, datos: Datos) -> ListaChequeo:
    items = [control(plan) for control in AUTOMATICOS] + [control(plan, datos) for control in CON_DATOS]
    marcados = {v.item: v for v in plan.verificaciones}
    for codigo, descripcion in ITEMS_JUICIO.items():
        marca = marcados.get(codigo)
        items.append(ItemChequeo(codigo, descripcion, marca.cumple if marca else None, automatico=False,
                                 comentario=marca.comentario if marca else None))
    return ListaChequeo(items)


def evaluar(plan: Plan) -> ListaChequeo:
    """La lista de chequeo del plan, calculada ahora."""
    return _lista(plan, _datos([plan]))


def evaluar_varios(planes: list[Plan]) -> dict[int, ListaChequeo]:
    """Las listas de chequeo de varios planes (una página, la bandeja) con un número fijo de consultas.

    Las mismas reglas que `evaluar`, sobre filas leídas con SQL de columnas: 50 planes de 90 actividades
    son 4.500 objetos del ORM que costaban más que todo el resto de la página."""
    planes = [p for p in planes if p.tipo is TipoPlan.PA]
    if not planes:
        return {}
    ligeros = _cargar_ligeros(planes)
    datos = _datos(list(ligeros.values()))
    return {plan_id: _lista(plan, datos) for plan_id, plan in ligeros.items()}


class _Fila:
    """Un plan o una verificación leídos como fila: lo que las reglas consultan."""

    def __init__(self, **valores):
        self.__dict__.update(valores)


_COLUMNAS_ACTIVIDAD = ("id", "plan_id", "codigo", "objetivo_id", "indicador", "formula", "unidad_id", "meta_anual",
                       "meta_t1", "meta_t2", "meta_t3", "meta_t4", "peso", "fecha_inicio", "fecha_fin", "presupuesto",
                       "proyecto_id", "territorial", "tendencia", "linea_base", "tipo_acumulacion")


class _Actividad(namedtuple("_Actividad", _COLUMNAS_ACTIVIDAD + ("metas_territoriales", "objetivo", "proyecto"))):
    """Una actividad leída como fila (una tupla: miles por página se arman rápido)."""

    __slots__ = ()

    @property
    def metas_trimestrales(self) -> tuple:
        return self.meta_t1, self.meta_t2, self.meta_t3, self.meta_t4

    def meta_trimestre(self, trimestre: int) -> Decimal:
        return self.metas_trimestrales[trimestre - 1]


class _MetaTerritorial(namedtuple("_MetaTerritorial", ("meta_t1", "meta_t2", "meta_t3", "meta_t4"))):
    """Las metas de una Dirección Territorial leídas como fila."""

    __slots__ = ()

    @property
    def metas_trimestrales(self) -> tuple:
        return tuple(self)

    def meta_trimestre(self, trimestre: int) -> Decimal:
        return self.metas_trimestrales[trimestre - 1]


def _cargar_ligeros(planes: list[Plan]) -> dict[int, _Fila]:
    from modelos import MetaTerritorial, ProyectoInversion, VerificacionPlan, Vigencia

    ids = [p.id for p in planes]
    vigencias = {v.id: v for v in db.session.scalars(sa.select(Vigencia).where(
        Vigencia.id.in_({p.vigencia_id for p in planes})))}
    ligeros = {p.id: _Fila(id=p.id, tipo=p.tipo, vigencia_id=p.vigencia_id, vigencia=vigencias[p.vigencia_id],
                           dependencia_id=p.dependencia_id, actividades=[], verificaciones=[]) for p in planes}
    de_los_planes = sa.select(Actividad.id).where(Actividad.plan_id.in_(ids))
    objetivos = {o.id: o for o in db.session.scalars(sa.select(Objetivo).options(
        selectinload(Objetivo.plan), selectinload(Objetivo.objetivos_pes), selectinload(Objetivo.objetivos_pnd))
        .where(Objetivo.id.in_(de_los_planes.with_only_columns(Actividad.objetivo_id))))}
    proyectos = {p.id: p for p in db.session.scalars(sa.select(ProyectoInversion).where(
        ProyectoInversion.id.in_(de_los_planes.with_only_columns(Actividad.proyecto_id))))}
    metas = defaultdict(list)
    for actividad_id, t1, t2, t3, t4 in db.session.execute(sa.select(
            MetaTerritorial.actividad_id, MetaTerritorial.meta_t1, MetaTerritorial.meta_t2, MetaTerritorial.meta_t3,
            MetaTerritorial.meta_t4).where(MetaTerritorial.actividad_id.in_(de_los_planes))):
        metas[actividad_id].append(_MetaTerritorial(t1, t2, t3, t4))
    columnas = [getattr(Actividad, c) for c in _COLUMNAS_ACTIVIDAD]
    for fila in db.session.execute(sa.select(*columnas).where(Actividad.plan_id.in_(ids))
                                   .order_by(Actividad.plan_id, Actividad.codigo)):
        ligeros[fila.plan_id].actividades.append(_Actividad(*fila, metas[fila.id], objetivos.get(fila.objetivo_id),
                                                            proyectos.get(fila.proyecto_id)))
    for plan_id, item, cumple, comentario in db.session.execute(sa.select(
            VerificacionPlan.plan_id, VerificacionPlan.item, VerificacionPlan.cumple, VerificacionPlan.comentario)
            .where(VerificacionPlan.plan_id.in_(ids))):
        ligeros[plan_id].verificaciones.append(_Fila(item=item, cumple=cumple, comentario=comentario))
    return ligeros
