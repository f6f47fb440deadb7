"""Una compuerta por regla: con solo la tabla de transiciones cambiada, cada camino que hace la transición
responde lo mismo. El botón de la página aparece ⇔ el POST de la página la hace ⇔ la acción en bloque la hace ⇔
el servicio la hace; al darle la transición a un rol que no la tenía y al quitársela a uno que la tenía."""
from dataclasses import dataclass, replace
from datetime import date
from typing import Callable

import pytest

from gestion.base.errores import OperacionRechazada
from gestion.planes import ajustes, estrategicos, plan_accion
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.seguimiento import revision
from modelos import EstadoAjuste, EstadoReporte, Plan, ReporteTrimestral, SolicitudAjuste, TipoPlan, db
from modelos import EstadoPlan as E


def _pa_enviado(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.ENVIADO)
    fabrica.verificar(plan)
    db.session.commit()
    return plan


def _pai_presentado(fabrica, usuarios):
    fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    pai = plan_accion.consolidar(fabrica.mundo.vigencia, usuarios[R.OAP])
    plan_accion.presentar(pai, usuarios[R.JEFE_OAP], date(2026, 1, 24), "01-2026", None)
    db.session.commit()
    return pai


def _reporte_enviado(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    return fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.REPORTADO)


def _ajuste_solicitado(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Cambió la meta del PND.", "Subir la meta.")
    solicitud.plan_propuesto.actividades[0].meta_t4 += 5
    solicitud.plan_propuesto.actividades[0].meta_anual += 5
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    db.session.commit()
    return solicitud


def _devolver_en_bloque(cliente, plan):
    """La acción «Devolver» de la lista lleva al formulario de la observación común; allí se devuelven."""
    respuesta = cliente.post("/admin/planes_accion/action/", data={"action": "devolver", "rowid": [plan.id]})
    if respuesta.status_code == 302 and "/devolver/" in respuesta.location:
        respuesta = cliente.post("/admin/planes_accion/devolver/", data={"id": [plan.id],
                                                                         "observacion": "Ajuste las metas."})
    return respuesta


@dataclass(frozen=True)
class Caso:
    """Una transición, sus caminos y los dos cambios de la tabla que se prueban."""

    modelo: type
    accion: str
    tipo: TipoPlan | None
    rol_nuevo: str  # a quien la tabla se la da
    rol_quitado: str  # a quien la tabla se la quita (la tenía)
    preparar: Callable
    pagina: Callable  # objeto → (URL, lo que el botón deja en el HTML)
    post: Callable  # (navegador, objeto) → respuesta
    servicio: Callable  # (objeto, usuario) → lo hace o lanza OperacionRechazada
    hecha: Callable  # objeto (recargado) → si la transición quedó hecha
    bloque: Callable | None = None  # (navegador, objeto) → respuesta


PA = "/admin/planes_accion"
CASOS = {
    "PA aprobar": Caso(
        Plan, "aprobar", TipoPlan.PA, R.COMITE_INSTITUCIONAL, R.OAP, _pa_enviado,
        lambda p: (f"{PA}/ficha/?id={p.id}", f'action="{PA}/aprobar/"'),
        lambda c, p: c.post(f"{PA}/aprobar/", data={"id": p.id}),
        lambda p, u: plan_accion.aprobar(p, u), lambda p: p.estado is E.APROBADO,
        bloque=lambda c, p: c.post(f"{PA}/action/", data={"action": "aprobar", "rowid": [p.id]})),
    "PA devolver": Caso(
        Plan, "devolver", TipoPlan.PA, R.COMITE_INSTITUCIONAL, R.OAP, _pa_enviado,
        lambda p: (f"{PA}/ficha/?id={p.id}", f"{PA}/devolver/?id={p.id}"),
        lambda c, p: c.post(f"{PA}/devolver/", data={"id": p.id, "observacion": "Ajuste las metas."}),
        lambda p, u: plan_accion.devolver(p, u, "Ajuste las metas."), lambda p: p.estado is E.DEVUELTO,
        bloque=_devolver_en_bloque),
    "PES enviar a concertación": Caso(
        Plan, "concertar", TipoPlan.PES, R.COMITE_SECTORIAL, R.OAP, lambda f, u: f.mundo.pes,
        lambda p: (f"/admin/planes_estrategicos/plan/{p.id}", f"/plan/{p.id}/concertar"),
        lambda c, p: c.post(f"/admin/planes_estrategicos/plan/{p.id}/concertar"),
        lambda p, u: estrategicos.enviar_a_concertacion(p, u), lambda p: p.estado is E.EN_CONCERTACION,
        bloque=lambda c, p: c.post("/admin/planes_estrategicos/action/", data={"action": "concertar",
                                                                               "rowid": [p.id]})),
    "PAI publicar": Caso(
        Plan, "publicar", TipoPlan.PAI, R.OAP, R.JEFE_OAP, _pai_presentado,
        lambda p: (f"{PA}/ficha/?id={p.id}", f'action="{PA}/publicar/"'),
        lambda c, p: c.post(f"{PA}/publicar/", data={"id": p.id}),
        lambda p, u: plan_accion.publicar(p, u), lambda p: p.estado is E.PUBLICADO),
    "reporte aceptar": Caso(
        ReporteTrimestral, "aceptar", None, R.COMITE_INSTITUCIONAL, R.OAP, _reporte_enviado,
        lambda r: (f"/admin/reportetrimestral/ficha/?id={r.id}", "/admin/reportetrimestral/aceptar/"),
        lambda c, r: c.post(f"/admin/reportetrimestral/aceptar/?id={r.id}"),
        lambda r, u: revision.aceptar_reporte(r, u), lambda r: r.estado is EstadoReporte.ACEPTADO,
        bloque=lambda c, r: c.post("/admin/reportetrimestral/action/", data={"action": "aceptar",
                                                                             "rowid": [r.id]})),
    "ajuste declarar pertinente": Caso(
        SolicitudAjuste, "pertinente", TipoPlan.PA, R.COMITE_INSTITUCIONAL, R.OAP, _ajuste_solicitado,
        lambda s: (f"/admin/solicitudajuste/ficha/?id={s.id}", 'value="pertinente"'),
        lambda c, s: c.post("/admin/solicitudajuste/decidir/", data={
            "id": s.id, "accion": "pertinente", "observacion": "La causa es pertinente."}),
        lambda s, u: ajustes.revisar(s, u, True, "La causa es pertinente."),
        lambda s: s.estado is EstadoAjuste.PERTINENTE),
}
CAMINOS = [(nombre, camino) for nombre, caso in CASOS.items()
           for camino in ("post", "servicio", *(("bloque",) if caso.bloque else ()))]


def _cambiar_tabla(monkeypatch, caso: Caso, rol: str, dar: bool) -> None:
    """Solo la tabla: las filas de la transición (de ese tipo de plan) con el rol dado o quitado."""
    def cambiar(t):
        if t.modelo is caso.modelo and t.accion == caso.accion and (not t.tipos or caso.tipo in t.tipos):
            return replace(t, roles=t.roles | {rol} if dar else t.roles - {rol})
        return t
    monkeypatch.setattr(flujo, "TRANSICIONES", tuple(cambiar(t) for t in flujo.TRANSICIONES))


def _recargado(objeto):
    db.session.expire_all()
    return db.session.get(type(objeto), objeto.id)


@pytest.mark.parametrize("dar", [True, False], ids=["rol dado", "rol quitado"])
@pytest.mark.parametrize("nombre,camino", CAMINOS)
def test_con_solo_la_tabla_cambiada_todos_los_caminos_responden_igual(
        monkeypatch, fabrica, usuarios, navegador, nombre, camino, dar):
    caso = CASOS[nombre]
    objeto = caso.preparar(fabrica, usuarios)
    rol = caso.rol_nuevo if dar else caso.rol_quitado
    usuario = usuarios[rol]
    # Antes del cambio la tabla dice lo contrario: es ella, y nada más, la que cambia la respuesta.
    assert (flujo.motivo_rechazo(usuario, objeto, caso.accion) is None) is not dar
    _cambiar_tabla(monkeypatch, caso, rol, dar)
    assert (flujo.motivo_rechazo(usuario, objeto, caso.accion) is None) is dar

    cliente = navegador(usuario)
    url, boton = caso.pagina(objeto)
    assert (boton in cliente.texto(url)) is dar, "el botón de la página"
    if camino == "servicio":
        try:
            caso.servicio(_recargado(objeto), usuario)
            db.session.commit()
        except OperacionRechazada:
            db.session.rollback()
    else:
        respuesta = (caso.post if camino == "post" else caso.bloque)(cliente, objeto)
        assert respuesta.status_code in ((302,) if dar else (302, 403))
    assert caso.hecha(_recargado(objeto)) is dar, f"el camino «{camino}»"
