"""La lista de chequeo de cada plan de acción, guardada (issue 11): la lista de planes, la bandeja, los inicios y
la ficha del plan la leen en lugar de evaluar los puntos de control.

Todo cambio de lo que la lista lee (el plan, sus actividades y metas de las DT, los puntos de juicio, los
compromisos, los objetivos, proyectos y presupuestos, la vigencia) borra la lista guardada de los planes que
toca en el mismo flush, o antes de la sentencia masiva que lo hace, y los anota en la sesión; al confirmar la
transacción se evalúan y se guardan de nuevo. Quien lee evalúa y guarda los planes que no tengan lista (una base
recién migrada, una fila escrita con SQL fuera de la sesión): una lista vieja no se muestra nunca. El envío y
la aprobación siguen evaluando en vivo. `flask --app wsgi gestion cifras` las rehace todas.
"""
import json
from dataclasses import asdict
from datetime import datetime, timezone
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gestion.base.tocado import Tocado, de_la_transaccion, de_sentencia, del_flush, valores_de
from gestion.reglas import controles_plan_accion as controles
from gestion.reglas.chequeo import ItemChequeo, ListaChequeo
from modelos import (
    Actividad,
    ChequeoPlan,
    Compromiso,
    MetaTerritorial,
    Objetivo,
    Plan,
    PresupuestoProyecto,
    ProyectoInversion,
    TipoPlan,
    VerificacionPlan,
    Vigencia,
    confirmar_sin_expirar,
    db,
)

ANOTADOS = "planes_con_chequeo_por_guardar"  # en lo anotado de la transacción: ids de los planes cuya lista se borró
LOTE = 200  # planes evaluados de una vez al rehacerlas todas


# --- lectura ---------------------------------------------------------------------------------------------------
def _lista(items: list[dict]) -> ListaChequeo:
    return ListaChequeo([ItemChequeo(**{**item, "detalle": tuple(item["detalle"])}) for item in items])


@lru_cache(maxsize=4096)
def _lista_del_texto(texto: str) -> ListaChequeo:
    """La lista de un texto guardado, armada una vez por proceso: se lee como texto y se decodifica solo si no se
    había visto (decodificar y armar los ~550 puntos de una página de 50 planes era ~14 % de la lista de planes).
    Dos planes con la misma lista comparten el objeto; nadie lo modifica (sus puntos son inmutables)."""
    return _lista(json.loads(texto))


_ITEMS_COMO_TEXTO = sa.cast(ChequeoPlan.items, sa.Text)


def de_los_planes(planes, confirmar: bool = True) -> dict[int, ListaChequeo]:
    """Las listas guardadas de los planes de acción de `planes` (una consulta); las que falten se evalúan, se
    guardan y, con `confirmar`, se confirman (una página que lee)."""
    ids = [p.id for p in planes if p.tipo is TipoPlan.PA]
    if not ids:
        return {}
    listas = {plan_id: _lista_del_texto(texto) for plan_id, texto in db.session.execute(
        sa.select(ChequeoPlan.plan_id, _ITEMS_COMO_TEXTO).where(ChequeoPlan.plan_id.in_(ids)))}
    faltan = [i for i in ids if i not in listas]
    if faltan:
        listas |= _guardar(faltan, reemplazar=False)
        if confirmar:
            # Sin expirar lo ya cargado: la página no vuelve a pedir fila por fila los planes que dibuja.
            confirmar_sin_expirar()
    return listas


def resumenes_guardados() -> dict[int, str]:
    """El resumen de la lista guardada de cada plan de acción, en una consulta: la exportación de la lista de
    planes lo pone en cada fila sin leer nada más por fila."""
    return {plan_id: _lista_del_texto(texto).resumen
            for plan_id, texto in db.session.execute(sa.select(ChequeoPlan.plan_id, _ITEMS_COMO_TEXTO))}


# --- escritura -------------------------------------------------------------------------------------------------
def _insertar(filas: list[dict], reemplazar: bool) -> None:
    dialecto = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    sentencia = dialecto.insert(ChequeoPlan.__table__)
    if reemplazar:
        sentencia = sentencia.on_conflict_do_update(
            index_elements=["plan_id"],
            set_={"items": sentencia.excluded["items"], "calculada_en": sentencia.excluded["calculada_en"]})
    else:
        # Otra petición la guardó mientras tanto: vale la suya (quien cambió el plan la reemplaza al confirmar).
        sentencia = sentencia.on_conflict_do_nothing(index_elements=["plan_id"])
    db.session.execute(sentencia, filas)


def _guardar(plan_ids, reemplazar: bool) -> dict[int, ListaChequeo]:
    consulta = sa.select(Plan).where(Plan.id.in_(sorted(plan_ids)), Plan.tipo == TipoPlan.PA).order_by(Plan.id)
    if reemplazar:
        # El mismo bloqueo que `_anotar` (ya tomado si el plan cambió en esta transacción): dos transacciones no
        # evalúan a la vez el mismo plan.
        consulta = consulta.with_for_update(of=Plan, key_share=True)
    listas = controles.evaluar_varios(db.session.scalars(consulta).all())
    if listas:
        momento = datetime.now(timezone.utc)
        _insertar([dict(plan_id=plan_id, items=[asdict(i) for i in lista.items], calculada_en=momento)
                   for plan_id, lista in listas.items()], reemplazar)
    return listas


def rehacer_todas(vigencia_id: int | None = None) -> int:
    """Evalúa y guarda la lista de todos los planes de acción (de una vigencia), por lotes. No confirma."""
    consulta = sa.select(Plan.id).where(Plan.tipo == TipoPlan.PA).order_by(Plan.id)
    if vigencia_id is not None:
        consulta = consulta.where(Plan.vigencia_id == vigencia_id)
    ids = list(db.session.scalars(consulta))
    for inicio in range(0, len(ids), LOTE):
        _guardar(ids[inicio:inicio + LOTE], reemplazar=True)
    return len(ids)


# --- qué planes toca un cambio ---------------------------------------------------------------------------------
def _planes_de(conexion, planes=(), actividades=(), objetivos=(), estrategicos=(), proyectos=(), presupuestos=(),
               compromisos=(), vigencias=()) -> set[int]:
    """Los planes de acción que tocan los ids cambiados de cada clase (una consulta por clase con cambios)."""
    planes = set(planes)
    de_actividades = sa.select(Actividad.plan_id).distinct()
    if actividades:
        planes |= set(conexion.scalars(de_actividades.where(Actividad.id.in_(actividades))))
    if objetivos:
        planes |= set(conexion.scalars(de_actividades.where(Actividad.objetivo_id.in_(objetivos))))
    if estrategicos:  # el PEI de un objetivo cambió de tipo o de cuatrienio
        planes |= set(conexion.scalars(de_actividades.join(Objetivo, Objetivo.id == Actividad.objetivo_id)
                                       .where(Objetivo.plan_id.in_(estrategicos))))
    if proyectos:
        planes |= set(conexion.scalars(de_actividades.where(Actividad.proyecto_id.in_(proyectos))))
    if presupuestos:
        planes |= set(conexion.scalars(de_actividades.join(Plan, Plan.id == Actividad.plan_id).where(sa.or_(
            *(sa.and_(Actividad.proyecto_id == p, Plan.vigencia_id == v) for p, v in presupuestos)))))
    de_planes = sa.select(Plan.id).where(Plan.tipo == TipoPlan.PA)
    if compromisos:
        planes |= set(conexion.scalars(de_planes.where(sa.or_(
            *(sa.and_(Plan.vigencia_id == v, Plan.dependencia_id == d) for v, d in compromisos)))))
    if vigencias:
        planes |= set(conexion.scalars(de_planes.where(Plan.vigencia_id.in_(vigencias))))
    planes.discard(None)
    return planes


def _tocados(tocado: Tocado) -> set[int]:
    """Los planes de acción cuya lista lee lo que tocó un flush o una sentencia masiva."""
    planes = (tocado.valores(Plan, "id", si_cambia=("tipo", "vigencia_id", "dependencia_id"))
              | tocado.valores(Actividad, "plan_id") | tocado.valores(VerificacionPlan, "plan_id"))
    estrategicos = {sa.inspect(p).dict.get("id") for p in tocado.objetos(Plan, si_cambia=("tipo", "cuatrienio_id"))
                    if sa.inspect(p).dict.get("tipo") is not TipoPlan.PA}
    actividades = tocado.valores(MetaTerritorial, "actividad_id")
    objetivos = tocado.valores(Objetivo, "id", si_cambia=("codigo", "plan_id", "objetivos_pes", "objetivos_pnd"))
    compromisos = {(v, d) for c in tocado.objetos(Compromiso, si_cambia=("vigencia_id", "dependencia_id",
                                                                           "objetivo_id", "descripcion"))
                   for v in valores_de(c, "vigencia_id") for d in valores_de(c, "dependencia_id")}
    presupuestos = {(p, v) for c in tocado.objetos(PresupuestoProyecto, si_cambia=("proyecto_id", "vigencia_id", "valor"))
                    for p in valores_de(c, "proyecto_id") for v in valores_de(c, "vigencia_id")}
    proyectos = tocado.valores(ProyectoInversion, "id", si_cambia=("bpin",))
    vigencias = tocado.valores(Vigencia, "id", si_cambia=("anio", "cuatrienio_id"))
    estrategicos.discard(None)
    if not (planes or actividades or objetivos or estrategicos or proyectos or presupuestos or compromisos
            or vigencias):
        return set()
    return _planes_de(tocado.sesion.connection(), planes, actividades, objetivos, estrategicos, proyectos,
                      presupuestos, compromisos, vigencias)


def _anotar(session, planes: set[int]) -> None:
    if not planes:
        return
    conexion = session.connection()
    # PostgreSQL: primero la fila del plan, luego su lista guardada. Dos transacciones que tocan el mismo plan se
    # ordenan aquí (la segunda espera y evalúa con lo que confirmó la primera) en vez de bloquearse en cruz; FOR NO
    # KEY UPDATE no detiene a quien solo agrega una actividad al plan (su clave foránea).
    conexion.execute(sa.select(Plan.id).where(Plan.id.in_(planes)).order_by(Plan.id).with_for_update(key_share=True))
    conexion.execute(sa.delete(ChequeoPlan.__table__).where(ChequeoPlan.plan_id.in_(planes)))
    de_la_transaccion(session).setdefault(ANOTADOS, set()).update(planes)


# --- los manejadores (los registra gestion.eventos) ----------------------------------------------------------------
def _al_guardar(session, contexto) -> None:
    """after_flush: borra la lista guardada de los planes que el flush tocó y los anota."""
    _anotar(session, _tocados(del_flush(session, contexto)))


def _antes_de_sentencia(estado) -> None:
    """do_orm_execute: un INSERT, UPDATE o DELETE masivo (un cargue de actividades por lotes) no pasa por el flush:
    borra la lista de los planes que toca antes de que corra."""
    tocado = de_sentencia(estado)
    if tocado is not None:
        _anotar(estado.session, _tocados(tocado))


def _al_confirmar(session) -> None:
    """before_commit: evalúa y guarda las listas de los planes anotados (no en un savepoint: al final)."""
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # lo que el commit iba a guardar, ya: sus planes quedan anotados
    while anotados := de_la_transaccion(session).pop(ANOTADOS, None):
        _guardar(anotados, reemplazar=True)
