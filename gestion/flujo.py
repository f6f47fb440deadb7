"""Máquina de estados de los planes: la tabla de transiciones y el único camino para cambiar un estado.

Cada transición verifica rol, dependencia y estado; cambia el estado, deja quién/cuándo/por qué en
el historial y hace flush. Nunca hace commit: lo hace el borde (petición, acción, comando).
"""
from dataclasses import dataclass

import sqlalchemy as sa

from gestion import roles as R
from gestion.errores import OperacionRechazada
from gestion.permisos import roles_de
from modelos import EstadoPlan as E
from modelos import HistorialEstado, Plan, TipoPlan, ahora, db


class TransicionInvalida(OperacionRechazada):
    """La transición no procede: el plan queda como estaba."""


@dataclass(frozen=True)
class Transicion:
    accion: str
    etiqueta: str
    tipos: frozenset
    desde: frozenset
    hasta: E
    roles: frozenset
    solo_dependencia_propia: bool = False
    exige_observacion: bool = False


def _t(accion, etiqueta, tipos, desde, hasta, roles, **opciones) -> Transicion:
    return Transicion(accion, etiqueta, frozenset(tipos), frozenset(desde), hasta, frozenset(roles), **opciones)


PES, PEI, PA, PAI = TipoPlan.PES, TipoPlan.PEI, TipoPlan.PA, TipoPlan.PAI

TRANSICIONES = (
    _t("concertar", "Enviar a concertación", {PES, PEI}, {E.BORRADOR}, E.EN_CONCERTACION, R.PLANEACION),
    # El comité a cargo deja observaciones de concertación; el plan sigue en concertación y la OAP lo ajusta.
    _t("observar", "Registrar observaciones de concertación", {PES}, {E.EN_CONCERTACION}, E.EN_CONCERTACION,
       {R.COMITE_SECTORIAL}, exige_observacion=True),
    _t("observar", "Registrar observaciones de concertación", {PEI}, {E.EN_CONCERTACION}, E.EN_CONCERTACION,
       {R.COMITE_DIRECTIVO}, exige_observacion=True),
    _t("aprobar", "Aprobar", {PES}, {E.EN_CONCERTACION}, E.APROBADO, {R.COMITE_SECTORIAL}),
    _t("aprobar", "Aprobar", {PEI}, {E.EN_CONCERTACION}, E.APROBADO, {R.COMITE_DIRECTIVO}),
    _t("publicar", "Publicar", {PES, PEI}, {E.APROBADO}, E.PUBLICADO, {R.JEFE_OAP}),
    _t("enviar", "Enviar a la OAP", {PA}, {E.BORRADOR, E.DEVUELTO}, E.ENVIADO, {R.DIRECTOR},
       solo_dependencia_propia=True),
    _t("devolver", "Devolver con observaciones", {PA}, {E.ENVIADO}, E.DEVUELTO, R.PLANEACION,
       exige_observacion=True),
    _t("aprobar", "Aprobar", {PA}, {E.ENVIADO}, E.APROBADO, R.PLANEACION),
    _t("presentar", "Registrar presentación al comité", {PAI}, {E.CONSOLIDADO}, E.PRESENTADO, {R.JEFE_OAP}),
    _t("publicar", "Publicar", {PAI}, {E.PRESENTADO}, E.PUBLICADO, {R.JEFE_OAP}),
)

# Estados en que el contenido del plan aún se puede editar; aprobado y publicado solo cambian por ajuste.
ESTADOS_EDITABLES = {
    PES: {E.BORRADOR, E.EN_CONCERTACION},
    PEI: {E.BORRADOR, E.EN_CONCERTACION},
    PA: {E.BORRADOR, E.DEVUELTO},
    PAI: set(),
}


def buscar(plan: Plan, accion: str) -> Transicion:
    for transicion in TRANSICIONES:
        if transicion.accion == accion and plan.tipo in transicion.tipos:
            return transicion
    raise TransicionInvalida(f"La acción «{accion}» no existe para un {plan.tipo.etiqueta}.")


def motivo_rechazo(usuario, plan: Plan, accion: str) -> str | None:
    """None si `usuario` puede hacer `accion` sobre `plan` ahora; si no, la razón en español."""
    try:
        transicion = buscar(plan, accion)
    except TransicionInvalida as error:
        return str(error)
    if not roles_de(usuario) & transicion.roles:
        return f"Su rol no puede «{transicion.etiqueta.lower()}» un {plan.tipo.etiqueta}."
    if transicion.solo_dependencia_propia and plan.dependencia_id != usuario.dependencia_id:
        return "El plan no es de su dependencia."
    if plan.estado not in transicion.desde:
        permitidos = ", ".join(sorted(e.etiqueta.lower() for e in transicion.desde))
        return (f"«{plan}» está {plan.estado.etiqueta.lower()}; "
                f"solo se puede «{transicion.etiqueta.lower()}» si está {permitidos}.")
    return None


def acciones_disponibles(usuario, plan: Plan) -> list[Transicion]:
    return [t for t in TRANSICIONES
            if plan.tipo in t.tipos and motivo_rechazo(usuario, plan, t.accion) is None]


def registrar_historial(objeto, accion: str, desde, hasta, usuario, observacion: str | None = None):
    entrada = HistorialEstado(
        objeto_tipo=objeto.__tablename__, objeto_id=objeto.id, accion=accion,
        estado_desde=getattr(desde, "value", desde), estado_hasta=getattr(hasta, "value", hasta),
        usuario_id=getattr(usuario, "id", None), en=ahora(), observacion=observacion,
    )
    db.session.add(entrada)
    return entrada


def historial_de(objeto) -> list[HistorialEstado]:
    """Las transiciones de un objeto (plan, reporte, informe...), en el orden en que ocurrieron."""
    return db.session.scalars(sa.select(HistorialEstado).where(
        HistorialEstado.objeto_tipo == objeto.__tablename__, HistorialEstado.objeto_id == objeto.id)
        .order_by(HistorialEstado.en, HistorialEstado.id)).all()


def transicionar(plan: Plan, accion: str, usuario, observacion: str | None = None) -> HistorialEstado:
    motivo = motivo_rechazo(usuario, plan, accion)
    if motivo:
        raise TransicionInvalida(motivo)
    transicion = buscar(plan, accion)
    observacion = (observacion or "").strip() or None
    if transicion.exige_observacion and not observacion:
        raise TransicionInvalida("Escriba las observaciones: son obligatorias para devolver un plan.")

    desde, momento = plan.estado, ahora()
    plan.estado = transicion.hasta
    if transicion.hasta is E.ENVIADO:
        plan.enviado_en, plan.enviado_por_id = momento, usuario.id
    elif transicion.hasta is E.DEVUELTO:
        plan.observaciones = observacion
    elif transicion.hasta is E.APROBADO:
        plan.aprobado_en, plan.aprobado_por_id = momento, usuario.id
    elif transicion.hasta is E.PUBLICADO:
        plan.publicado_en, plan.publicado_por_id = momento, usuario.id
    entrada = registrar_historial(plan, accion, desde, transicion.hasta, usuario, observacion)
    db.session.flush()
    return entrada


def contenido_editable(plan: Plan) -> bool:
    return plan.vigente and plan.estado in ESTADOS_EDITABLES[plan.tipo]


def puede_editar_contenido(usuario, plan: Plan) -> bool:
    """Formular: la OAP los planes estratégicos; el director el plan de acción de su dependencia."""
    if plan is None or not contenido_editable(plan):
        return False
    roles = roles_de(usuario)
    if plan.tipo in (PES, PEI):
        return bool(roles & R.PLANEACION)
    if plan.tipo is PA:
        return R.DIRECTOR in roles and plan.dependencia_id == usuario.dependencia_id
    return False
