"""Ajustes a los planes aprobados (actividades 20 a 24).

Quien corresponde pide el ajuste desde el plan vigente con su causa (20 a 22): nace la versión propuesta,
una copia en borrador que se edita con los formularios y el Excel de siempre, y la solicitud se envía a la
OAP. La OAP revisa la pertinencia (punto de control de la actividad 23). La instancia competente aprueba
(24): la propuesta pasa su lista de chequeo, se vuelve la versión vigente y la anterior queda como estaba.
Los trimestres ya reportados siguen atados a la versión con que se reportaron.

Cada función verifica (por `gestion.reglas.flujo`), cambia, deja el historial y hace flush; nunca hace commit.
"""
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, defer

from gestion.base import correo, formato
from gestion.base.archivos import ArchivoSubido
from gestion.base.validacion import DatoInvalido
from gestion.planes import actas, plan_accion, versiones
from gestion.planes.consultas import cargar_actividades, items_a_reportar
from gestion.reglas import controles_plan_accion, flujo
from gestion.reglas import roles as R
from gestion.reglas.controles_estrategicos import chequear
from gestion.reglas.flujo import SOLICITA_AJUSTE, TransicionInvalida
from gestion.reglas.permisos import roles_de
from modelos import (
    Avance,
    EstadoAjuste,
    EstadoPlan,
    EstadoReporte,
    HistorialEstado,
    Indicador,
    Plan,
    ReporteTrimestral,
    SolicitudAjuste,
    TipoInstancia,
    TipoPlan,
    ahora,
    db,
)
from modelos.ajustes import ESTADOS_ABIERTOS
from modelos.planes import consolidacion_pai

A, E = EstadoAjuste, EstadoPlan
INSTANCIA_QUE_APRUEBA = {TipoPlan.PES: TipoInstancia.SECTORIAL, TipoPlan.PEI: TipoInstancia.INSTITUCIONAL}
REPORTADOS = (EstadoReporte.REPORTADO, EstadoReporte.ACEPTADO)


# --- consultas ------------------------------------------------------------------------------------
def solicitud_abierta(plan: Plan) -> SolicitudAjuste | None:
    return db.session.scalar(sa.select(SolicitudAjuste).where(
        SolicitudAjuste.plan_id == plan.id, SolicitudAjuste.estado.in_(ESTADOS_ABIERTOS)))


def solicitudes_de(planes: list[Plan]) -> dict[int, SolicitudAjuste]:
    """La solicitud que dio origen a cada versión (por id de la versión propuesta)."""
    ids = [p.id for p in planes]
    return {s.plan_propuesto_id: s for s in db.session.scalars(
        sa.select(SolicitudAjuste).where(SolicitudAjuste.plan_propuesto_id.in_(ids)))} if ids else {}


@dataclass(frozen=True)
class Version:
    """Una versión de un plan, como la lista la página del plan."""

    plan: Plan
    solicitud: SolicitudAjuste | None  # la que la propuso (None: la original o una nueva consolidación)
    en_vigor: bool

    @property
    def origen(self) -> str:
        if self.solicitud is not None:
            return self.solicitud.causa
        if self.plan.tipo is TipoPlan.PAI and self.plan.numero_version > 1:
            return "Nueva consolidación de los planes de acción aprobados"
        return "Versión original"


def versiones_con_solicitud(plan: Plan) -> list[Version]:
    """Cada versión del plan con la solicitud de ajuste que la propuso, y cuál está en vigor: la vigente
    (en un PAI, la más reciente publicada)."""
    familia = versiones.familia(plan)
    origen = solicitudes_de(familia)
    if plan.tipo is TipoPlan.PAI:
        publicadas = [v for v in familia if v.estado is E.PUBLICADO]
        en_vigor = publicadas[-1].id if publicadas else None
    else:
        en_vigor = next((v.id for v in familia if v.vigente), None)
    return [Version(v, origen.get(v.id), v.id == en_vigor) for v in familia]


def publicadas(plan: Plan) -> list[Version]:
    """Para la página pública: las versiones publicadas del plan, de la más reciente a la primera."""
    return [v for v in reversed(versiones_con_solicitud(plan)) if v.plan.estado is E.PUBLICADO]


def ultimas_publicadas(planes: list[Plan]) -> list[Plan]:
    """De varios planes publicados, solo la versión más reciente de cada uno (la que el público ve primero)."""
    ultima = {}
    for plan in planes:
        clave = (plan.tipo, plan.cuatrienio_id, plan.vigencia_id, plan.dependencia_id)
        if clave not in ultima or plan.numero_version > ultima[clave].numero_version:
            ultima[clave] = plan
    return [p for p in planes if ultima[(p.tipo, p.cuatrienio_id, p.vigencia_id, p.dependencia_id)] is p]


@dataclass(frozen=True)
class Situacion:
    """Qué es esta versión y cuál está en vigor, dicho una sola vez: la página del plan, la de la solicitud y el
    mensaje que sigue a cada decisión leen esta misma frase."""

    frase: str
    clase: str  # la del aviso: info (propuesta en curso), success (vigente por un ajuste), secondary (no rige)
    solicitud: SolicitudAjuste | None
    en_vigor: Plan | None  # la versión que rige, si no es esta
    en_preparacion: bool  # una propuesta que aún se prepara o se decide


def situacion(plan: Plan) -> Situacion | None:
    """None para la versión vigente que no nació de un ajuste (nada que aclarar)."""
    solicitud = plan.ajuste_origen
    if solicitud is None and plan.vigente:
        return None
    en_vigor = None if plan.vigente else next((v for v in versiones.familia(plan) if v.vigente), None)
    nombre = f"«{en_vigor}»" if en_vigor is not None else "ninguna"
    if solicitud is None:
        return Situacion(f"Versión anterior, conservada como se aprobó. La versión en vigor es {nombre}.",
                         "secondary", None, en_vigor, False)
    if solicitud.estado.value in ESTADOS_ABIERTOS:
        return Situacion(f"Versión propuesta por la solicitud de ajuste #{solicitud.id} "
                         f"({solicitud.estado.en_frase}). La versión en vigor sigue siendo {nombre}.",
                         "info", solicitud, en_vigor, True)
    if solicitud.estado is A.APROBADO and plan.vigente:
        cuando = formato.en_bogota(solicitud.decidido_en).strftime("%d/%m/%Y")
        return Situacion(f"Versión en vigor desde el {cuando}: la aprobó la solicitud de ajuste #{solicitud.id}. "
                         f"La anterior, «{solicitud.plan}», se conserva como se aprobó.",
                         "success", solicitud, None, False)
    if solicitud.estado is A.APROBADO:
        return Situacion(f"Versión anterior (la aprobó la solicitud de ajuste #{solicitud.id}), conservada como se "
                         f"aprobó. La versión en vigor es {nombre}.", "secondary", solicitud, en_vigor, False)
    return Situacion(f"Versión propuesta por la solicitud de ajuste #{solicitud.id} ({solicitud.estado.en_frase}): "
                     f"no entró en vigor y ya no se modifica. La versión en vigor es {nombre}.",
                     "secondary", solicitud, en_vigor, False)


def comparacion(solicitud: SolicitudAjuste) -> versiones.Comparacion:
    return versiones.comparar(solicitud.plan, solicitud.plan_propuesto)


def trimestres_reportados(plan: Plan) -> dict[Plan, set[int]]:
    """Los trimestres ya reportados (enviados o aceptados) contra cada versión de la familia del plan, no solo
    contra esta: un trimestre reportado con la versión 1 sigue siéndolo cuando se ajusta la versión 2."""
    filas = db.session.execute(
        sa.select(Plan.id, ReporteTrimestral.trimestre).join(ReporteTrimestral, ReporteTrimestral.plan_id == Plan.id)
        .where(versiones.misma_familia(plan), ReporteTrimestral.estado.in_(REPORTADOS)).distinct()).all()
    reportadas: dict[Plan, set[int]] = {}
    for plan_id, trimestre in filas:
        reportadas.setdefault(db.session.get(Plan, plan_id), set()).add(trimestre)
    return reportadas


@lru_cache(maxsize=1)
def _consulta_pai_desactualizado():
    """El PAI más reciente de la vigencia y si consolida un plan que ya no es el vigente, en una sentencia armada
    una vez: leer sus planes consolidados (cientos en un sector) para mirar solo si alguno dejó de ser vigente
    costaba más que el resto del inicio de la OAP."""
    consolidado = aliased(Plan)
    reemplazado = (sa.select(consolidacion_pai.c.plan_id)
                   .join(consolidado, consolidado.id == consolidacion_pai.c.plan_id)
                   .where(consolidacion_pai.c.pai_id == Plan.id, sa.not_(consolidado.vigente)).exists())
    return (sa.select(Plan, reemplazado).where(Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == sa.bindparam("vigencia_id"))
            .order_by(Plan.numero_version.desc()).limit(1))


def pai_desactualizado(vigencia_id: int) -> Plan | None:
    """El PAI más reciente de la vigencia si consolida un plan de acción que un ajuste ya reemplazó: solo puede ser
    uno presentado al comité (`plan_accion.llevar_ajustes_al_pai` pone el ajuste en uno consolidado o publicado)."""
    fila = db.session.execute(_consulta_pai_desactualizado(), {"vigencia_id": vigencia_id}).first()
    return fila[0] if fila is not None and fila[1] else None


def lista_de_chequeo(plan: Plan):
    """La lista de chequeo del tipo del plan: la que la versión propuesta debe pasar para aprobarse."""
    if plan.tipo is TipoPlan.PA:
        cargar_actividades(plan)
        return controles_plan_accion.evaluar(plan)
    return chequear(plan)


# --- avisos -------------------------------------------------------------------------------------
def _pagina(solicitud: SolicitudAjuste) -> str:
    return correo.enlace("solicitudajuste.ficha", id=solicitud.id)


def _avisar(solicitud: SolicitudAjuste, asunto: str, correos: list[str], cuerpo: str) -> None:
    correo.avisar(f"{asunto}: {solicitud.plan}", correos, cuerpo, _pagina(solicitud))


def _correos_solicitante(solicitud: SolicitudAjuste) -> list[str]:
    return [solicitud.solicitante.email] if solicitud.solicitante.active else []


def _correos_instancia(solicitud: SolicitudAjuste) -> list[str]:
    tipo = solicitud.plan.tipo
    roles = flujo.roles_que_pueden(SolicitudAjuste, "aprobar", {tipo})
    return correo.destinatarios(*sorted(roles))


# --- solicitud (actividades 20 a 22) ------------------------------------------------------------
def motivo_no_solicitar(usuario, plan: Plan) -> str | None:
    motivo = flujo.motivo_rechazo(usuario, plan, "solicitar_ajuste")
    if motivo:
        return motivo
    if not plan.vigente:
        return f"«{plan}» no es la versión vigente: el ajuste se solicita sobre la versión vigente."
    if plan.tipo in INSTANCIA_QUE_APRUEBA and plan.estado is E.APROBADO and db.session.scalar(
            sa.select(sa.func.count(Plan.id)).where(versiones.misma_familia(plan), Plan.estado == E.PUBLICADO)):
        return (f"«{plan}» está aprobado pero aún no se publica: el Jefe de la OAP lo publica antes de otro ajuste, "
                "para que la historia pública de versiones no salte números.")
    abierta = solicitud_abierta(plan)
    if abierta is not None:
        return (f"«{plan}» ya tiene una solicitud de ajuste en curso (#{abierta.id}, "
                f"{abierta.estado.en_frase}): espere su decisión o retírela antes de pedir otra.")
    return None


def solicitar(plan: Plan, usuario, causa: str, cambio_propuesto: str) -> SolicitudAjuste:
    """Registra la solicitud con su causa y crea la versión propuesta, en borrador, para prepararla."""
    motivo = motivo_no_solicitar(usuario, plan)
    if motivo:
        raise TransicionInvalida(motivo)
    flujo.transicionar(plan, "solicitar_ajuste", usuario, causa)  # exige la causa
    cambio_propuesto = (cambio_propuesto or "").strip()
    if not cambio_propuesto:
        raise DatoInvalido("Describa el cambio que propone.")
    propuesta = versiones.copiar(plan)
    solicitud = SolicitudAjuste(plan=plan, plan_propuesto=propuesta, solicitante_id=usuario.id,
                                causa=causa.strip(), cambio_propuesto=cambio_propuesto, estado=A.EN_PREPARACION,
                                solicitado_en=ahora())
    db.session.add(solicitud)
    db.session.flush()
    flujo.registrar_historial(solicitud, "registrar_solicitud", None, A.EN_PREPARACION, usuario, solicitud.causa)
    flujo.registrar_historial(propuesta, "crear_version", None, E.BORRADOR, usuario,
                              f"Versión propuesta por la solicitud de ajuste #{solicitud.id}.")
    db.session.flush()
    return solicitud


def advertencias_de_envio(solicitud: SolicitudAjuste, lista) -> list[str]:
    """Lo que hará que la propuesta no se apruebe: los puntos de su `lista` de chequeo que no cumple y las metas de
    trimestres ya reportados que cambia. Se dicen antes de enviarla, como al enviar un plan."""
    propuesta = solicitud.plan_propuesto
    avisos = [item.texto_falla for item in lista.fallidos if item.automatico] if lista is not None else []
    if propuesta.tipo is TipoPlan.PA:
        reescritas = versiones.cambios_a_lo_reportado(propuesta, trimestres_reportados(solicitud.plan))
        if reescritas:
            avisos.append("Cambia metas de trimestres ya reportados o cómo se miden, que no se pueden cambiar: "
                          + "; ".join(reescritas) + ".")
    return avisos


def enviar(solicitud: SolicitudAjuste, usuario, confirmado: bool = True):
    """La propuesta preparada pasa a revisión de la OAP; ya no se edita. Con advertencias, solo si quien la envía lo
    confirma a sabiendas."""
    flujo.exigir_transicion(usuario, solicitud, "enviar")
    avisos = advertencias_de_envio(solicitud, lista_de_chequeo(solicitud.plan_propuesto))
    if avisos and not confirmado:
        raise TransicionInvalida("La solicitud no se envió: la propuesta no se aprobaría así. Corríjala o confirme el "
                                 "envío de todos modos.\n- " + "\n- ".join(avisos))
    diferencia = comparacion(solicitud)
    if not diferencia.hay_cambios:
        raise TransicionInvalida("La versión propuesta es igual a la vigente: haga los cambios antes de enviarla.")
    entrada = flujo.transicionar(solicitud, "enviar", usuario)
    # Desde aquí la propuesta ya no se edita (si vuelve a preparación, se guarda de nuevo al reenviarla).
    solicitud.cambios = versiones.a_datos(diferencia)
    _avisar(solicitud, "Solicitud de ajuste por revisar", correo.destinatarios(R.OAP, R.JEFE_OAP),
            f"{usuario.nombre or usuario.email} solicita ajustar «{solicitud.plan}».\n\nCausa: {solicitud.causa}\n\n"
            f"Cambio propuesto: {solicitud.cambio_propuesto}")
    return entrada


def retirar(solicitud: SolicitudAjuste, usuario, motivo: str):
    entrada = flujo.transicionar(solicitud, "retirar", usuario, motivo)
    _descartar_propuesta(solicitud, usuario, "Solicitud retirada por quien la pidió.")
    return entrada


def devolver(solicitud: SolicitudAjuste, usuario, observaciones: str):
    """La OAP devuelve la propuesta a quien la pidió para que la corrija: vuelve a prepararse y se envía de nuevo,
    sin descartarla ni empezar otra solicitud (ni, para un PES o un PEI, otra sesión del comité)."""
    entrada = flujo.transicionar(solicitud, "devolver", usuario, observaciones)
    _avisar(solicitud, "Solicitud de ajuste devuelta para corregir", _correos_solicitante(solicitud),
            f"La OAP devolvió su solicitud de ajuste de «{solicitud.plan}» para que corrija la propuesta y la envíe "
            f"de nuevo:\n\n{entrada.observacion}")
    return entrada


def ultima_devolucion(solicitud: SolicitudAjuste) -> HistorialEstado | None:
    """La última vez que la OAP la devolvió a preparación, si después no se ha vuelto a enviar."""
    pasos = flujo.historial_de(solicitud)
    ultimo = pasos[-1] if pasos else None
    return ultimo if ultimo is not None and ultimo.accion == "devolver" else None


def _descartar_propuesta(solicitud: SolicitudAjuste, usuario, razon: str) -> None:
    """La propuesta no entra en vigencia: se conserva para leerla en la historia de la solicitud."""
    flujo.registrar_historial(solicitud.plan_propuesto, "descartar", E.BORRADOR, E.BORRADOR, usuario, razon)
    db.session.flush()


# --- revisión (actividad 23, punto de control) -----------------------------------------------------
def revisar(solicitud: SolicitudAjuste, usuario, pertinente: bool, razon: str):
    """La OAP juzga si la causa es pertinente y el cambio no afecta los objetivos ni la norma."""
    entrada = flujo.transicionar(solicitud, "pertinente" if pertinente else "no_pertinente", usuario, razon)
    if pertinente:
        _avisar(solicitud, "Ajuste pertinente", _correos_solicitante(solicitud),
                f"La OAP revisó su solicitud de ajuste y la encontró pertinente; pasa a la instancia competente."
                f"\n\n{solicitud.revision}")
        if solicitud.plan.tipo is not TipoPlan.PA:
            _avisar(solicitud, "Ajuste por aprobar", _correos_instancia(solicitud),
                    f"La OAP encontró pertinente el ajuste de «{solicitud.plan}». Revíselo y registre su decisión "
                    f"con el acta del comité.\n\nCausa: {solicitud.causa}")
    else:
        _descartar_propuesta(solicitud, usuario, f"Ajuste no pertinente: {solicitud.revision}")
        _avisar(solicitud, "Ajuste no pertinente", _correos_solicitante(solicitud),
                f"La OAP revisó su solicitud de ajuste y no la encontró pertinente:\n\n{solicitud.revision}")
    return entrada


# --- aprobación (actividad 24) ------------------------------------------------------------------
def motivo_no_aprobar(usuario, solicitud: SolicitudAjuste) -> str | None:
    motivo = flujo.motivo_rechazo(usuario, solicitud, "aprobar")
    if motivo:
        return motivo
    propuesta = solicitud.plan_propuesto
    motivo = lista_de_chequeo(propuesta).motivo_no_aprobar(propuesta)
    if motivo:
        return f"La versión propuesta no cumple su lista de chequeo. {motivo}"
    if propuesta.tipo is TipoPlan.PA:
        reescritas = versiones.cambios_a_lo_reportado(propuesta, trimestres_reportados(solicitud.plan))
        if reescritas:
            return ("La versión propuesta cambia metas de trimestres ya reportados o cómo se miden, que siguen "
                    "atados a la versión con que se reportaron: " + "; ".join(reescritas) + ".")
    return None


def aprobar(solicitud: SolicitudAjuste, usuario, observacion: str | None = None, numero: str | None = None,
            fecha: date | None = None, archivo: ArchivoSubido | None = None, hoy: date | None = None):
    """La instancia competente aprueba: el comité con su acta (PES, PEI), la OAP con su observación (PA)."""
    motivo = motivo_no_aprobar(usuario, solicitud)
    if motivo:
        raise TransicionInvalida(motivo)
    if solicitud.plan.tipo in INSTANCIA_QUE_APRUEBA:
        instancia = actas.instancia(INSTANCIA_QUE_APRUEBA[solicitud.plan.tipo])
        solicitud.acta = actas.registrar(instancia, numero, fecha, observacion, archivo, {"pdf"}, hoy)
        observacion = f"Acta {solicitud.acta.numero} del {fecha:%d/%m/%Y}" + (f": {observacion}" if observacion else "")
    entrada = flujo.transicionar(solicitud, "aprobar", usuario, observacion)
    if solicitud.cambios is None:  # enviada antes de que se guardara la diferencia al enviar
        solicitud.cambios = versiones.a_datos(comparacion(solicitud))
    _poner_en_vigencia(solicitud, usuario)
    if solicitud.plan.tipo is TipoPlan.PA:  # la OAP es la instancia competente: lo publicado cambia ya
        plan_accion.llevar_ajustes_al_pai(solicitud.plan.vigencia, usuario)
    _avisar(solicitud, "Ajuste aprobado", _correos_solicitante(solicitud),
            f"El ajuste de «{solicitud.plan}» fue aprobado: «{solicitud.plan_propuesto}» es ahora la versión vigente."
            f"\n\n{solicitud.decision or ''}")
    return entrada


def rechazar(solicitud: SolicitudAjuste, usuario, razon: str):
    entrada = flujo.transicionar(solicitud, "rechazar", usuario, razon)
    _descartar_propuesta(solicitud, usuario, f"Ajuste rechazado: {solicitud.decision}")
    _avisar(solicitud, "Ajuste rechazado", _correos_solicitante(solicitud),
            f"La instancia competente rechazó el ajuste de «{solicitud.plan}»:\n\n{solicitud.decision}")
    return entrada


def _poner_en_vigencia(solicitud: SolicitudAjuste, usuario) -> None:
    """La versión propuesta entra en vigencia por su transición (borrador → aprobado, con quién y cuándo); la
    anterior queda como estaba, ya no vigente."""
    anterior, nueva = solicitud.plan, solicitud.plan_propuesto
    anterior.vigente = False
    nueva.vigente = True
    if solicitud.acta is not None:
        nueva.acta_aprobacion = solicitud.acta
    flujo.transicionar(nueva, "vigente", usuario,
                       f"Ajuste #{solicitud.id} aprobado: reemplaza la versión {anterior.numero_version}.")
    flujo.registrar_historial(anterior, "reemplazada", anterior.estado, anterior.estado, usuario,
                              f"Reemplazada por la versión {nueva.numero_version} (ajuste #{solicitud.id}).")
    _pasar_reportes_abiertos(anterior, nueva)
    db.session.flush()


def _clave_item(item) -> tuple:
    if isinstance(item, Indicador):
        return (item.objetivo.codigo, item.codigo)
    return (item.codigo,)


def _pasar_reportes_abiertos(anterior: Plan, nueva: Plan) -> None:
    """Los trimestres aún no reportados siguen en la nueva versión, con sus metas; lo ya cargado se conserva
    por código. Los reportados (enviados o aceptados) quedan atados a la versión anterior."""
    abiertos = db.session.scalars(sa.select(ReporteTrimestral).where(
        ReporteTrimestral.plan_id == anterior.id,
        ReporteTrimestral.estado.in_([EstadoReporte.EN_REPORTE, EstadoReporte.DEVUELTO]))).all()
    for reporte in abiertos:
        cargados = {_clave_item(a.actividad or a.indicador): a for a in reporte.avances}
        reporte.plan = nueva
        for avance in list(reporte.avances):
            reporte.avances.remove(avance)
        db.session.flush()
        for item in items_a_reportar(nueva, reporte.dependencia_id):
            previo = cargados.get(_clave_item(item))
            clave = "actividad" if item.__tablename__ == "actividad" else "indicador"
            nuevo = Avance(**{clave: item}, valor_logrado=previo.valor_logrado if previo else 0)
            if previo is not None:
                for campo in ("avance_cualitativo", "justificacion", "evidencia_archivo", "evidencia_enlace",
                              "evidencia_referencia",
                              "presupuesto_comprometido", "presupuesto_pagado"):
                    setattr(nuevo, campo, getattr(previo, campo))
            reporte.avances.append(nuevo)


# --- lo pendiente por rol (página de inicio) ----------------------------------------------------
def pendientes(usuario) -> dict[str, list[SolicitudAjuste]]:
    """Ajustes que esperan a este usuario: por revisar (OAP), por aprobar (instancia) y en curso (solicitante)."""
    roles = roles_de(usuario)
    resultado = {}
    if roles & R.PLANEACION:
        resultado["por_revisar"] = _solicitudes((A.SOLICITADO,))
    tipos_que_aprueba = tuple(t for t in (TipoPlan.PES, TipoPlan.PEI, TipoPlan.PA)
                              if roles & flujo.roles_que_pueden(SolicitudAjuste, "aprobar", {t}))
    if tipos_que_aprueba:
        resultado["por_aprobar"] = _solicitudes((A.PERTINENTE,), tipos_que_aprueba)
    tipos_que_solicita = tuple(t for t, rol in SOLICITA_AJUSTE.items() if rol in roles)
    if tipos_que_solicita:
        propios = R.DIRECTOR in roles and not roles & (R.PLANEACION | R.COMITES)
        resultado["en_curso"] = _solicitudes(ESTADOS_ABIERTOS, tipos_que_solicita, propios, usuario.dependencia_id)
    return resultado


@lru_cache(maxsize=16)
def _consulta_solicitudes(estados: tuple, tipos: tuple | None, propios: bool, sin_dependencia: bool):
    """La forma de cada lista de `pendientes`, armada una vez (armarla costaba más CPU que ejecutarla); los de una
    dependencia, con su id como parámetro."""
    condiciones = [SolicitudAjuste.estado.in_(estados)]
    if tipos is not None:
        condiciones.append(Plan.tipo.in_(tipos))
    if propios:
        condiciones.append(Plan.dependencia_id.is_(None) if sin_dependencia
                           else Plan.dependencia_id == sa.bindparam("dependencia_id"))
    # Sin la diferencia que guarda cada solicitud: el inicio la nombra y enlaza su ficha, no la muestra.
    return (sa.select(SolicitudAjuste).join(SolicitudAjuste.plan).where(*condiciones)
            .options(defer(SolicitudAjuste.cambios)).order_by(SolicitudAjuste.solicitado_en))


def _solicitudes(estados: tuple, tipos: tuple | None = None, propios: bool = False,
                 dependencia_id: int | None = None) -> list[SolicitudAjuste]:
    consulta = _consulta_solicitudes(estados, tipos, propios, dependencia_id is None)
    return db.session.scalars(consulta, {"dependencia_id": dependencia_id} if propios else {}).all()
