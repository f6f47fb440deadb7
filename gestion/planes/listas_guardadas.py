"""La lista de chequeo de cada plan de acción, guardada (issue 11): la lista de planes, la bandeja y los inicios
la leen en lugar de evaluar los puntos de control de cada fila.

Todo cambio de lo que la lista lee (el plan, sus actividades y metas de las DT, los puntos de juicio, los
compromisos, los objetivos, proyectos y presupuestos, la vigencia) borra la lista guardada de los planes que
toca en el mismo flush, o antes de la sentencia masiva que lo hace, y los anota en la sesión; al confirmar la
transacción se evalúan y se guardan de nuevo. Quien lee evalúa y guarda los planes que no tengan lista (una base
recién migrada, una fila escrita con SQL fuera de la sesión): una lista vieja no se muestra nunca. La ficha, el
envío y la aprobación siguen evaluando en vivo. `flask --app wsgi gestion cifras` las rehace todas.
"""
from dataclasses import asdict
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gestion.reglas import controles_plan_accion as controles
from gestion.reglas.chequeo import ItemChequeo, ListaChequeo
from modelos import (Actividad, ChequeoPlan, Compromiso, MetaTerritorial, Objetivo, Plan, PresupuestoProyecto,
                     ProyectoInversion, TipoPlan, VerificacionPlan, Vigencia, confirmar_sin_expirar, db)

ANOTADOS = "planes_con_chequeo_por_guardar"  # en session.info: ids de los planes cuya lista se borró
LOTE = 200  # planes evaluados de una vez al rehacerlas todas


# --- lectura ---------------------------------------------------------------------------------------------------
def _lista(items: list[dict]) -> ListaChequeo:
    return ListaChequeo([ItemChequeo(**{**item, "detalle": tuple(item["detalle"])}) for item in items])


def de_los_planes(planes, confirmar: bool = True) -> dict[int, ListaChequeo]:
    """Las listas guardadas de los planes de acción de `planes` (una consulta); las que falten se evalúan, se
    guardan y, con `confirmar`, se confirman (una página que lee)."""
    ids = [p.id for p in planes if p.tipo is TipoPlan.PA]
    if not ids:
        return {}
    listas = {plan_id: _lista(items) for plan_id, items in db.session.execute(
        sa.select(ChequeoPlan.plan_id, ChequeoPlan.items).where(ChequeoPlan.plan_id.in_(ids)))}
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
    return {plan_id: _lista(items).resumen
            for plan_id, items in db.session.execute(sa.select(ChequeoPlan.plan_id, ChequeoPlan.items))}


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
def _cambio(session, objeto, *atributos) -> bool:
    """Si el objeto nace, se borra o cambia alguno de sus `atributos` (en after_flush, el estado de antes)."""
    if objeto in session.new or objeto in session.deleted:
        return True
    estado = sa.inspect(objeto)
    return any(estado.attrs[a].history.has_changes() for a in atributos)


def _valores(objeto, atributo) -> set:
    """El valor de ahora y el de antes del cambio (un compromiso que pasa de una dependencia a otra toca a las dos)."""
    estado = sa.inspect(objeto)
    historia = estado.attrs[atributo].history
    return {*historia.added, *historia.unchanged, *historia.deleted, estado.dict.get(atributo)} - {None}


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


def _tocados(session) -> set[int]:
    planes, actividades, objetivos, estrategicos, proyectos = set(), set(), set(), set(), set()
    presupuestos, compromisos, vigencias = set(), set(), set()
    for objeto in (*session.new, *session.dirty, *session.deleted):
        datos = sa.inspect(objeto).dict
        if isinstance(objeto, Plan):
            if _cambio(session, objeto, "tipo", "vigencia_id", "dependencia_id"):
                planes.add(datos.get("id"))
            if datos.get("tipo") is not TipoPlan.PA and _cambio(session, objeto, "tipo", "cuatrienio_id"):
                estrategicos.add(datos.get("id"))
        elif isinstance(objeto, (Actividad, VerificacionPlan)):
            planes |= _valores(objeto, "plan_id")
        elif isinstance(objeto, MetaTerritorial):
            actividades |= _valores(objeto, "actividad_id")
        elif isinstance(objeto, Objetivo):
            if _cambio(session, objeto, "codigo", "plan_id", "objetivos_pes", "objetivos_pnd"):
                objetivos.add(datos.get("id"))
        elif isinstance(objeto, Compromiso):
            if _cambio(session, objeto, "vigencia_id", "dependencia_id", "objetivo_id", "descripcion"):
                compromisos |= {(v, d) for v in _valores(objeto, "vigencia_id")
                                for d in _valores(objeto, "dependencia_id")}
        elif isinstance(objeto, PresupuestoProyecto):
            if _cambio(session, objeto, "proyecto_id", "vigencia_id", "valor"):
                presupuestos |= {(p, v) for p in _valores(objeto, "proyecto_id")
                                 for v in _valores(objeto, "vigencia_id")}
        elif isinstance(objeto, ProyectoInversion):
            if _cambio(session, objeto, "bpin"):
                proyectos.add(datos.get("id"))
        elif isinstance(objeto, Vigencia):
            if _cambio(session, objeto, "anio", "cuatrienio_id"):
                vigencias.add(datos.get("id"))
    for conjunto in (planes, objetivos, estrategicos, proyectos, vigencias):
        conjunto.discard(None)
    if not (planes or actividades or objetivos or estrategicos or proyectos or presupuestos or compromisos
            or vigencias):
        return set()
    return _planes_de(session.connection(), planes, actividades, objetivos, estrategicos, proyectos, presupuestos,
                      compromisos, vigencias)


def _anotar(session, planes: set[int]) -> None:
    if not planes:
        return
    conexion = session.connection()
    # PostgreSQL: primero la fila del plan, luego su lista guardada. Dos transacciones que tocan el mismo plan se
    # ordenan aquí (la segunda espera y evalúa con lo que confirmó la primera) en vez de bloquearse en cruz; FOR NO
    # KEY UPDATE no detiene a quien solo agrega una actividad al plan (su clave foránea).
    conexion.execute(sa.select(Plan.id).where(Plan.id.in_(planes)).order_by(Plan.id).with_for_update(key_share=True))
    conexion.execute(sa.delete(ChequeoPlan.__table__).where(ChequeoPlan.plan_id.in_(planes)))
    session.info.setdefault(ANOTADOS, set()).update(planes)


# La clave de un objeto que se borra: cargada antes del flush (después la fila ya no está para leerla).
CLAVES = {Actividad: ("plan_id",), VerificacionPlan: ("plan_id",), MetaTerritorial: ("actividad_id",),
          Compromiso: ("vigencia_id", "dependencia_id"), PresupuestoProyecto: ("proyecto_id", "vigencia_id")}


def _antes_de_guardar(session, _contexto, _instancias) -> None:
    """before_flush: la clave de cada objeto por borrar, cargada (si expiró tras un commit)."""
    for objeto in session.deleted:
        for atributo in CLAVES.get(type(objeto), ()):
            getattr(objeto, atributo)


def _al_guardar(session, _contexto) -> None:
    """after_flush: borra la lista guardada de los planes que el flush tocó y los anota."""
    _anotar(session, _tocados(session))


# Las sentencias masivas (un cargue de actividades por lotes) no pasan por el flush: qué planes tocan, antes de
# que corran.
def _planes_de_sentencia(estado) -> set[int]:
    sentencia = estado.statement
    tabla = sentencia.table
    if estado.is_insert:
        filas = estado.parameters if isinstance(estado.parameters, list) else [estado.parameters or {}]
        if tabla.name == "meta_territorial":
            return _planes_de(estado.session.connection(),
                              actividades={f.get("actividad_id") for f in filas} - {None})
        return {f.get("plan_id") for f in filas} - {None}
    if tabla.name == "meta_territorial":
        consulta = (sa.select(Actividad.plan_id).distinct()
                    .join(MetaTerritorial.__table__, MetaTerritorial.actividad_id == Actividad.id))
    else:
        consulta = sa.select(tabla.c.plan_id).distinct().select_from(tabla)
    if sentencia.whereclause is not None:
        consulta = consulta.where(sentencia.whereclause)
    return set(estado.session.connection().scalars(consulta))


TABLAS_MASIVAS = {"actividad", "meta_territorial", "verificacion_plan"}


def _antes_de_sentencia(estado) -> None:
    """do_orm_execute: un INSERT, UPDATE o DELETE masivo sobre lo que la lista lee."""
    if not (estado.is_insert or estado.is_update or estado.is_delete):
        return
    if getattr(estado.statement.table, "name", None) in TABLAS_MASIVAS:
        _anotar(estado.session, _planes_de_sentencia(estado))


def _al_confirmar(session) -> None:
    """before_commit: evalúa y guarda las listas de los planes anotados (no en un savepoint: al final)."""
    if session.in_nested_transaction():
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # lo que el commit iba a guardar, ya: sus planes quedan anotados
    while anotados := session.info.pop(ANOTADOS, None):
        _guardar(anotados, reemplazar=True)


def _al_terminar(session, transaccion) -> None:
    if transaccion.parent is None:  # confirmada o deshecha la transacción entera: no queda nada por guardar
        session.info.pop(ANOTADOS, None)


for _evento, _funcion in (("before_flush", _antes_de_guardar), ("after_flush", _al_guardar),
                          ("do_orm_execute", _antes_de_sentencia), ("before_commit", _al_confirmar),
                          ("after_transaction_end", _al_terminar)):
    if not sa.event.contains(Session, _evento, _funcion):
        sa.event.listen(Session, _evento, _funcion)
