"""Servicios del ciclo de los planes estratégicos (PES y PEI), actividades 1 a 6.

Cada función es una transición de `gestion.reglas.flujo` más lo que esa transición exige (observación,
acta, lista de chequeo). Ninguna hace commit: lo hace el borde, que luego envía el correo en cola.
"""
from datetime import date
from decimal import Decimal

from gestion.base import correo, formato
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import EdicionConcurrente, ErroresDeFilas, OperacionRechazada
from gestion.base.formato import leer_numero
from gestion.planes import actas
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.controles_estrategicos import chequear
from gestion.reglas.flujo import TransicionInvalida
from modelos import Instancia, MetaIndicador, Plan, TipoInstancia, TipoPlan, db
from modelos.base import DECIMALES_CANTIDAD

INSTANCIA_QUE_APRUEBA = {TipoPlan.PES: TipoInstancia.SECTORIAL, TipoPlan.PEI: TipoInstancia.DIRECTIVO}
COMITE_A_CARGO = {TipoPlan.PES: R.COMITE_SECTORIAL, TipoPlan.PEI: R.COMITE_DIRECTIVO}


def _exigir_permitida(plan: Plan, accion: str, usuario) -> None:
    motivo = flujo.motivo_rechazo(usuario, plan, accion)
    if motivo:
        raise TransicionInvalida(motivo)


def _avisar(rol: str, asunto: str, cuerpo: str, plan: Plan) -> None:
    correo.avisar(asunto, correo.destinatarios(rol), cuerpo,
                  correo.enlace("planes_estrategicos.plan_view", id=plan.id))


def enviar_a_concertacion(plan: Plan, usuario, observacion: str | None = None):
    """Actividades 1 y 4: la OAP lleva el plan formulado al comité a cargo."""
    entrada = flujo.transicionar(plan, "concertar", usuario, observacion)
    _avisar(COMITE_A_CARGO[plan.tipo], f"{plan} está en concertación",
            f"La Oficina Asesora de Planeación envió «{plan}» a concertación. Revíselo en el sistema y registre "
            "sus observaciones o la aprobación con el acta del comité.", plan)
    return entrada


def registrar_observaciones(plan: Plan, usuario, texto: str):
    """El comité a cargo deja observaciones de concertación; la OAP ajusta el plan, que sigue en concertación."""
    entrada = flujo.transicionar(plan, "observar", usuario, texto)
    _avisar(R.OAP, f"Observaciones de concertación a {plan}",
            f"El comité dejó estas observaciones:\n\n{plan.observaciones}", plan)
    return entrada


def instancia_que_aprueba(plan: Plan) -> Instancia:
    return actas.instancia(INSTANCIA_QUE_APRUEBA[plan.tipo])


def aprobar(plan: Plan, usuario, numero: str, fecha: date | None, decisiones: str | None = None,
            archivo: ArchivoSubido | None = None, hoy: date | None = None):
    """Actividades 3 y 6: el comité aprueba con su acta; no mientras falle un punto de control."""
    _exigir_permitida(plan, "aprobar", usuario)
    instancia = instancia_que_aprueba(plan)
    actas.validar(instancia, numero, fecha, archivo, {"pdf"}, hoy)
    lista = chequear(plan)
    if not lista.cumple:
        raise TransicionInvalida(f"«{plan}» no se puede aprobar: no cumple los puntos de control.\n"
                                 + lista.observaciones())
    plan.acta_aprobacion = actas.registrar(instancia, numero, fecha, decisiones, archivo, {"pdf"}, hoy)
    entrada = flujo.transicionar(plan, "aprobar", usuario, f"Acta {plan.acta_aprobacion.numero} del {fecha:%d/%m/%Y}")
    _avisar(R.JEFE_OAP, f"{plan} aprobado", f"«{plan}» fue aprobado por el {instancia} (acta "
            f"{plan.acta_aprobacion.numero}); está listo para publicar.", plan)
    return entrada


def publicar(plan: Plan, usuario):
    """Publicación por el Jefe de la OAP: desde entonces el plan se ve en /publico/."""
    _exigir_permitida(plan, "publicar", usuario)
    if plan.acta_aprobacion is None:
        raise TransicionInvalida(f"«{plan}» no tiene acta de aprobación registrada: no se puede publicar.")
    return flujo.transicionar(plan, "publicar", usuario)


def _exigir_metas_sin_cambios(indicadores: dict, leidos: dict[tuple[int, int], str]) -> None:
    actuales = {(m.indicador_id, m.anio): m.valor for i in indicadores.values() for m in i.metas}
    cambiadas = []
    for (indicador_id, anio), texto in leidos.items():
        try:
            leido = leer_numero(texto)
        except ValueError:
            leido = texto
        if indicador_id in indicadores and leido != actuales.get((indicador_id, anio)):
            cambiadas.append(f"{indicadores[indicador_id].codigo} {anio}")
    if cambiadas:
        raise EdicionConcurrente(f"Otra persona cambió metas mientras usted editaba ({', '.join(cambiadas[:10])}). "
                                 "Sus cambios no se guardaron: revise los valores actuales y vuelva a aplicarlos.")


def fijar_metas(plan: Plan, usuario, valores: dict[tuple[int, int], str],
                leidos: dict[tuple[int, int], str] | None = None) -> None:
    """Metas anuales de todos los indicadores del plan a la vez: {(indicador_id, año): texto}.

    Si hay errores no cambia nada y lanza ErroresDeFilas con cada uno. Un texto vacío borra la meta.
    `leidos` son los valores que el usuario vio al abrir la tabla: si otro cambió alguno después, nada se
    guarda (EdicionConcurrente) en vez de pisar su cambio.
    """
    motivo = flujo.motivo_no_editable(usuario, plan)
    if motivo:
        raise OperacionRechazada(motivo)
    anios = plan.cuatrienio.anios
    indicadores = {i.id: i for o in plan.objetivos for i in o.indicadores}
    _exigir_metas_sin_cambios(indicadores, leidos or {})
    errores, nuevos = [], {}
    for (indicador_id, anio), texto in valores.items():
        indicador = indicadores.get(indicador_id)
        if indicador is None or anio not in anios:
            errores.append("Hay valores de indicadores o años que no son de este plan.")
            continue
        try:
            valor = leer_numero(texto)
        except ValueError:
            errores.append(f"{indicador.codigo}, {anio}: «{texto}» no es un número.")
            continue
        if valor is not None and (valor < 0 or valor >= Decimal("1e12")):
            errores.append(f"{indicador.codigo}, {anio}: la meta debe estar entre 0 y 999.999.999.999.")
            continue
        if valor is not None and formato.decimales(valor) > DECIMALES_CANTIDAD:
            errores.append(f"{indicador.codigo}, {anio}: la meta tiene {formato.decimales(valor)} decimales y se "
                           f"guardan hasta {DECIMALES_CANTIDAD}.")
            continue
        nuevos[(indicador_id, anio)] = valor
    if errores:
        raise ErroresDeFilas(list(dict.fromkeys(errores)))
    for (indicador_id, anio), valor in nuevos.items():
        indicador = indicadores[indicador_id]
        meta = next((m for m in indicador.metas if m.anio == anio), None)
        if valor is None:
            if meta is not None:
                indicador.metas.remove(meta)
        elif meta is None:
            indicador.metas.append(MetaIndicador(anio=anio, valor=valor))
        elif meta.valor != valor:
            meta.valor = valor
    db.session.flush()
