"""El ciclo del Plan de Acción (actividades 7 a 15): solicitud, envío, verificación, devolución y
aprobación (una a una o en bloque), consolidación del PAI, presentación al comité y publicación.

Cada función verifica, cambia, deja el historial y hace flush; nunca hace commit. Las funciones en
bloque devuelven un resultado por plan: hecho, u omitido con su razón; nunca dejan un plan a medias.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from gestion.base import correo, lote
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import OperacionRechazada, guardar_filas
from gestion.base.validacion import TEXTO_MAXIMO, DatoInvalido
from gestion.planes import actas, versiones
from gestion.reglas import alcance, flujo
from gestion.reglas import controles_plan_accion as controles
from gestion.reglas import roles as R
from gestion.reglas.flujo import TransicionInvalida
from gestion.reglas.permisos import EDITAR, exigir
from modelos import (
    Actividad,
    Compromiso,
    Dependencia,
    EstadoAjuste,
    EstadoPlan,
    EtapaCronograma,
    FaseCronograma,
    MetaTerritorial,
    Plan,
    PlanInstitucional,
    SolicitudAjuste,
    TipoDependencia,
    TipoInstancia,
    TipoPlan,
    VerificacionPlan,
    Vigencia,
    ahora,
    db,
)
from modelos.planes import integracion

E = EstadoPlan


# --- destinatarios ------------------------------------------------------------------------------
def correos_directores(dependencia_id: int) -> list[str]:
    return correo.destinatarios(R.DIRECTOR, dependencia_id=dependencia_id)


def _avisar(asunto: str, destinatarios: list[str], cuerpo: str, plan: Plan | None = None) -> None:
    correo.avisar(asunto, destinatarios, cuerpo, correo.enlace("planes_accion.ficha", id=plan.id) if plan else "")


# --- consultas ----------------------------------------------------------------------------------
def planes_de_vigencia(vigencia: Vigencia) -> list[Plan]:
    """Los planes de acción vigentes de la vigencia (uno por dependencia solicitada)."""
    return db.session.scalars(
        sa.select(Plan).join(Plan.dependencia)
        .where(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia.id, Plan.vigente)
        .order_by(Dependencia.codigo)).all()


def pai_de(vigencia: Vigencia) -> Plan | None:
    """El PAI más reciente de la vigencia."""
    return db.session.scalars(
        sa.select(Plan).where(Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == vigencia.id)
        .order_by(Plan.numero_version.desc())).first()


def etapa(vigencia: Vigencia, fase: FaseCronograma) -> EtapaCronograma | None:
    return db.session.scalar(sa.select(EtapaCronograma).filter_by(vigencia_id=vigencia.id, fase=fase))


def compromisos_de(plan: Plan) -> list[Compromiso]:
    return db.session.scalars(sa.select(Compromiso).where(
        Compromiso.vigencia_id == plan.vigencia_id, Compromiso.dependencia_id == plan.dependencia_id)
        .order_by(Compromiso.id)).all()


# --- cronograma (actividad 8) -------------------------------------------------------------------
def fechas_por_defecto(anio: int) -> dict[FaseCronograma, tuple[date, date]]:
    """Fechas típicas del ciclo: el plan de la vigencia se publica a más tardar el 31 de enero."""
    previo = anio - 1
    return {
        FaseCronograma.COMPROMISOS: (date(previo, 10, 1), date(previo, 10, 31)),
        FaseCronograma.SOLICITUD: (date(previo, 11, 1), date(previo, 11, 7)),
        FaseCronograma.FORMULACION: (date(previo, 11, 8), date(previo, 12, 5)),
        FaseCronograma.VERIFICACION: (date(previo, 12, 6), date(previo, 12, 20)),
        FaseCronograma.APROBACION: (date(previo, 12, 21), date(anio, 1, 10)),
        FaseCronograma.CONSOLIDACION: (date(anio, 1, 11), date(anio, 1, 20)),
        FaseCronograma.COMITE: (date(anio, 1, 21), date(anio, 1, 27)),
        FaseCronograma.PUBLICACION: (date(anio, 1, 28), date(anio, 1, 31)),
    }


def completar_cronograma(vigencia: Vigencia, usuario) -> list[EtapaCronograma]:
    """Crea las fases que le faltan al cronograma de la vigencia, con las fechas por defecto."""
    exigir(usuario, EDITAR, "cronograma")
    existentes = {e.fase for e in vigencia.cronograma}
    nuevas = [EtapaCronograma(vigencia=vigencia, fase=fase, inicio=inicio, fin=fin)
              for fase, (inicio, fin) in fechas_por_defecto(vigencia.anio).items() if fase not in existentes]
    db.session.add_all(nuevas)
    db.session.flush()
    return nuevas


# --- solicitud (actividad 9) --------------------------------------------------------------------
def dependencias_solicitables() -> list[Dependencia]:
    """Las dependencias que formulan plan de acción: las activas del nivel central."""
    return db.session.scalars(sa.select(Dependencia).where(
        Dependencia.activa, Dependencia.tipo == TipoDependencia.CENTRAL).order_by(Dependencia.codigo)).all()


def solicitar(vigencia: Vigencia, dependencias: list[Dependencia], usuario) -> list[lote.Resultado]:
    """Crea el borrador del plan de acción de cada dependencia y avisa a sus directores."""
    exigir(usuario, EDITAR, "planes_accion")
    if not dependencias:
        raise DatoInvalido("Seleccione al menos una dependencia.")
    existentes = {p.dependencia_id for p in planes_de_vigencia(vigencia)}
    formulacion = etapa(vigencia, FaseCronograma.FORMULACION)
    resultados = []
    for dep in dependencias:
        if dep.id in existentes:
            resultados.append(lote.Resultado(dep, False, f"{dep.nombre} ya tiene plan de acción {vigencia.anio}."))
            continue
        plan = Plan(tipo=TipoPlan.PA, nombre=f"Plan de Acción {vigencia.anio} – {dep.nombre}",
                    vigencia=vigencia, dependencia=dep, estado=E.BORRADOR)
        db.session.add(plan)
        db.session.flush()
        flujo.registrar_historial(plan, "solicitar", None, E.BORRADOR, usuario,
                                  "Solicitud de formulación del plan de acción.")
        compromisos = compromisos_de(plan)
        lineas = "\n".join(f"- {c.tipo.etiqueta}: {c.descripcion}" for c in compromisos) or "- (sin compromisos)"
        plazo = f" a más tardar el {formulacion.fin:%d/%m/%Y}" if formulacion else ""
        _avisar(f"Solicitud del Plan de Acción {vigencia.anio}", correos_directores(dep.id),
                f"La Oficina Asesora de Planeación solicita formular y cargar el Plan de Acción {vigencia.anio} "
                f"de {dep.nombre}{plazo}.\n\nCompromisos que el plan debe cubrir:\n{lineas}\n", plan)
        existentes.add(dep.id)
        resultados.append(lote.Resultado(plan, True, f"Plan solicitado a {dep.nombre}."))
    db.session.flush()
    return resultados


# --- formulación (actividad 10) -----------------------------------------------------------------
def asignar_territoriales(actividad, direcciones: list[Dependencia], usuario) -> None:
    """La dependencia central define la actividad una vez para las Direcciones Territoriales elegidas.

    Conserva las metas de las DT que siguen asignadas; cada DT fija luego las suyas.
    """
    exigir(usuario, EDITAR, "actividades")
    elegidas = {d.id: d for d in direcciones}
    actuales = {m.dependencia_id: m for m in actividad.metas_territoriales}
    if elegidas.keys() == actuales.keys():
        return
    if not flujo.puede_editar_contenido(usuario, actividad.plan):
        raise OperacionRechazada(f"«{actividad.plan}» no se puede modificar en su estado.")
    if elegidas and not actividad.territorial:
        raise DatoInvalido("Marque la actividad como territorial para asignarle Direcciones Territoriales.")
    if any(d.tipo is not TipoDependencia.TERRITORIAL for d in direcciones):
        raise DatoInvalido("Solo se asignan Direcciones Territoriales.")
    for dependencia_id, meta in actuales.items():
        if dependencia_id not in elegidas:
            actividad.metas_territoriales.remove(meta)
    for dependencia_id, dependencia in elegidas.items():
        if dependencia_id not in actuales:
            actividad.metas_territoriales.append(MetaTerritorial(dependencia=dependencia))
    db.session.flush()


# --- envío (actividad 11) -----------------------------------------------------------------------
def advertencias_de_envio(plan: Plan, lista) -> list[str]:
    """Lo que hará que la OAP devuelva el plan: los puntos de su `lista` de chequeo que no cumple (los de juicio
    que la OAP ya marcó así, también) y, por actividad, las Direcciones Territoriales que aún no fijan sus metas
    (al enviarlo ya no podrán)."""
    avisos = [item.texto_falla if item.automatico
              else f"{item.texto_falla} (la OAP lo marcó como no cumplido; lo revisará de nuevo)"
              for item in lista.fallidos]
    for actividad, direcciones in controles.direcciones_sin_metas(plan):
        avisos.append(f"{actividad.codigo}: aún no fijan sus metas {', '.join(d.nombre for d in direcciones)}; "
                      "después del envío ya no podrán hacerlo.")
    return avisos


def enviar(plan: Plan, usuario, confirmado: bool = True):
    """Actividad 11. Con advertencias, solo se envía si quien envía lo confirma a sabiendas."""
    flujo.exigir_transicion(usuario, plan, "enviar")
    avisos = advertencias_de_envio(plan, controles.evaluar(plan))
    if avisos and not confirmado:
        raise TransicionInvalida(f"«{plan}» no se envió: la OAP lo devolvería por esto. Corríjalo o confirme el "
                                 "envío de todos modos.\n- " + "\n- ".join(avisos))
    entrada = flujo.transicionar(plan, "enviar", usuario)
    _avisar(f"Plan de acción recibido: {plan.dependencia.nombre}",
            correo.destinatarios(R.OAP, R.JEFE_OAP),
            f"{usuario.nombre or usuario.email} envió «{plan}» para verificación.", plan)
    return entrada


# --- verificación (actividad 12) ----------------------------------------------------------------
def en_verificacion(plan: Plan) -> bool:
    """Un plan enviado, o la versión propuesta de un ajuste que la OAP revisa o la instancia decide."""
    origen = plan.ajuste_origen
    if origen is not None:
        return origen.estado in (EstadoAjuste.SOLICITADO, EstadoAjuste.PERTINENTE)
    return plan.estado is E.ENVIADO


def motivo_no_verificar(plan: Plan) -> str | None:
    """Por qué la OAP no puede marcar hoy los puntos de juicio de `plan` (None si puede)."""
    if plan.tipo is not TipoPlan.PA or not en_verificacion(plan):
        return (f"«{plan}» está {plan.estado.en_frase}: solo se verifica un plan enviado o la versión propuesta "
                "de un ajuste en revisión.")
    return None


def verificar_todos(plan: Plan, usuario, marcas: dict[str, tuple[bool, str | None]]) -> list[VerificacionPlan]:
    """Los puntos de juicio de un plan en un solo envío: {ítem: (cumple, comentario)}; todo o nada."""
    if not marcas:
        raise DatoInvalido("Marque al menos un punto de control.")
    return [verificar(plan, usuario, item, cumple, comentario) for item, (cumple, comentario) in marcas.items()]


def verificar(plan: Plan, usuario, item: str, cumple: bool, comentario: str | None) -> VerificacionPlan:
    """La OAP marca un punto de control de juicio, con su comentario."""
    exigir(usuario, EDITAR, "planes_accion")
    motivo = motivo_no_verificar(plan)
    if motivo:
        raise OperacionRechazada(motivo)
    if item not in controles.ITEMS_JUICIO:
        raise DatoInvalido("Punto de control desconocido.")
    comentario = (comentario or "").strip() or None
    if not cumple and not comentario:
        raise DatoInvalido("Explique en el comentario por qué el punto no se cumple.")
    marca = db.session.scalar(sa.select(VerificacionPlan).filter_by(plan_id=plan.id, item=item))
    if marca is None:
        marca = VerificacionPlan(plan=plan, item=item)
        db.session.add(marca)
    marca.cumple, marca.comentario, marca.verificado_por_id, marca.verificado_en = cumple, comentario, usuario.id, ahora()
    db.session.flush()
    return marca


def planes_en_verificacion(usuario) -> list[Plan]:
    """Los planes de acción que la OAP verifica hoy (los de `en_verificacion`), dentro del alcance del usuario,
    por dependencia: la bandeja de la verificación en bloque."""
    consulta = (sa.select(Plan).join(Plan.dependencia)
                .outerjoin(SolicitudAjuste, SolicitudAjuste.plan_propuesto_id == Plan.id)
                .where(Plan.tipo == TipoPlan.PA,
                       sa.or_(sa.and_(SolicitudAjuste.id.is_(None), Plan.estado == E.ENVIADO),
                              SolicitudAjuste.estado.in_((EstadoAjuste.SOLICITADO, EstadoAjuste.PERTINENTE))))
                .order_by(Dependencia.codigo, Plan.id))
    condicion = alcance.criterio(Plan, usuario)
    return db.session.scalars(consulta if condicion is None else consulta.where(condicion)).all()


def marcas_del_formulario(plan: Plan, marcados: set[str], comentarios: dict[str, str]) -> dict:
    """Lo que la tabla de verificación en bloque dice de un plan, punto por punto: marcado «Cumple», cumple; sin
    marcar y con comentario (o sin marcar cuando antes cumplía), no cumple y el comentario dice por qué; sin marcar,
    sin comentario y nunca verificado, sigue por verificar."""
    registradas = {v.item: v for v in plan.verificaciones}
    marcas = {}
    for item in controles.ITEMS_JUICIO:
        comentario = (comentarios.get(item) or "").strip() or None
        if item in marcados:
            marcas[item] = (True, comentario)
        elif comentario or item in registradas:
            marcas[item] = (False, comentario)
    return marcas


def verificar_varios(filas: list[tuple[Plan, dict]], usuario) -> list[str]:
    """Los puntos de juicio de varios planes en un solo envío: [(plan, {ítem: (cumple, comentario)})].

    Todo o nada: si un punto de un plan se rechaza no se registra ninguno, y el error nombra el plan y el punto.
    Una marca igual a la ya registrada no se vuelve a registrar (no cambia quién ni cuándo verificó). Devuelve
    una frase por plan: qué se registró y cómo queda su lista de chequeo."""
    exigir(usuario, EDITAR, "planes_accion")
    if not any(marcas for _, marcas in filas):
        raise DatoInvalido("Marque al menos un punto de control.")
    registrados = {}

    def guardar(fila):
        plan, marcas = fila
        actuales = {v.item: (v.cumple, v.comentario) for v in plan.verificaciones}
        nuevas = {item: (cumple, (comentario or "").strip() or None) for item, (cumple, comentario) in marcas.items()}
        nuevas = {item: marca for item, marca in nuevas.items() if actuales.get(item) != marca}
        for item, (cumple, comentario) in nuevas.items():
            try:
                verificar(plan, usuario, item, cumple, comentario)
            except OperacionRechazada as error:
                motivo = str(error)
                raise DatoInvalido(motivo if str(plan) in motivo else
                                         f"«{plan}», «{controles.ITEMS_JUICIO.get(item, item)}»: {motivo}") from error
        registrados[plan.id] = len(nuevas)

    guardar_filas(filas, guardar)
    listas = controles.evaluar_varios([plan for plan, _ in filas])
    return [f"«{plan}»: {registrados[plan.id]} punto(s) registrado(s); lista de chequeo: {listas[plan.id].resumen}."
            if registrados[plan.id] else f"«{plan}»: sin cambios; lista de chequeo: {listas[plan.id].resumen}."
            for plan, _ in filas]


ENCABEZADO_FALLAS = "Puntos de control que no se cumplen:"  # el inicio lo separa de la observación libre
LARGO_DEL_MOTIVO = 1_500  # un rechazo va en un mensaje de la página, que viaja en la cookie de la sesión


def _texto_devolucion(plan: Plan, observacion: str, maximo: int | None = None) -> str:
    """La observación de la OAP y, debajo, los puntos que no se cumplen. Con `maximo`, el texto cabe en ese
    largo (la observación guardada): los puntos se resumen, nunca se rechaza la devolución por su largo."""
    lista = controles.evaluar(plan)
    if not lista.fallidos:
        return observacion
    encabezado = f"{observacion}\n\n{ENCABEZADO_FALLAS}\n"
    return encabezado + lista.observaciones(None if maximo is None else max(maximo - len(encabezado), 0))


def devolver(plan: Plan, usuario, observacion: str):
    flujo.exigir_transicion(usuario, plan, "devolver")
    observacion = flujo.observacion_exigida(plan, "devolver", observacion)
    texto = _texto_devolucion(plan, observacion, TEXTO_MAXIMO)
    entrada = flujo.transicionar(plan, "devolver", usuario, texto)
    plan.contenido_devuelto = versiones.instantanea(plan)
    # El correo lleva la lista entera: no tiene el tope de lo que se guarda.
    _avisar(f"Plan de acción devuelto con observaciones: {plan.dependencia.nombre}",
            correos_directores(plan.dependencia_id),
            f"La Oficina Asesora de Planeación devolvió «{plan}». Ajuste y vuelva a enviarlo.\n\n"
            f"{_texto_devolucion(plan, observacion)}\n", plan)
    return entrada


def motivo_no_aprobar(usuario, plan: Plan, lista=None) -> str | None:
    """`lista`: la lista de chequeo ya calculada (la aprobación en bloque las calcula todas de una vez)."""
    motivo = flujo.motivo_rechazo(usuario, plan, "aprobar")
    if motivo:
        return motivo
    if plan.tipo is TipoPlan.PA:
        return (lista or controles.evaluar(plan)).motivo_no_aprobar(plan)
    return None


def cambios_desde_devolucion(plan: Plan):
    """Al reenviar un plan devuelto, lo que cambió desde la devolución (None si nunca se devolvió)."""
    if plan.contenido_devuelto is None:
        return None
    return versiones.desde_instantanea(plan.contenido_devuelto, plan, "Al devolverlo")


def aprobar(plan: Plan, usuario, lista=None):
    motivo = motivo_no_aprobar(usuario, plan, lista)
    if motivo:
        raise TransicionInvalida(motivo)
    entrada = flujo.transicionar(plan, "aprobar", usuario)
    _avisar(f"Plan de acción aprobado: {plan.dependencia.nombre}", correos_directores(plan.dependencia_id),
            f"La Oficina Asesora de Planeación aprobó «{plan}».", plan)
    return entrada


def devolver_varios(planes: list[Plan], usuario, observacion: str) -> list[lote.Resultado]:
    """Devuelve cada plan con la misma observación y, debajo, los puntos que ese plan no cumple."""
    flujo.exigir_intento(usuario, Plan, "devolver", {TipoPlan.PA})
    if planes:  # la misma observación para todos: si falta, no se devuelve ninguno
        flujo.observacion_exigida(planes[0], "devolver", observacion)
    return lote.en_bloque(planes, lambda p: devolver(p, usuario, observacion), "devuelto con observaciones")


def aprobar_varios(planes: list[Plan], usuario) -> list[lote.Resultado]:
    flujo.exigir_intento(usuario, Plan, "aprobar", {TipoPlan.PA})
    listas = controles.evaluar_varios(planes)  # todas de una vez: no nueve consultas por plan
    return lote.en_bloque(planes, lambda p: aprobar(p, usuario, listas.get(p.id)), "aprobado")


# --- consolidación (actividad 13) ---------------------------------------------------------------
def pendientes_de_aprobar(vigencia: Vigencia) -> list[Plan]:
    return [p for p in planes_de_vigencia(vigencia) if p.estado is not E.APROBADO]


def consolidar(vigencia: Vigencia, usuario, excepcion: str | None = None) -> Plan:
    """Reúne en el PAI los planes aprobados de la vigencia.

    Mientras un plan solicitado no esté aprobado, solo consolida si la OAP deja escrita la excepción.
    Un PAI consolidado aún no presentado se actualiza; uno ya publicado da paso a una nueva versión.
    """
    exigir(usuario, EDITAR, "planes_accion")
    excepcion = (excepcion or "").strip() or None
    aprobados = [p for p in planes_de_vigencia(vigencia) if p.estado is E.APROBADO]
    if not aprobados:
        raise OperacionRechazada(f"La vigencia {vigencia.anio} no tiene planes de acción aprobados.")
    pendientes = pendientes_de_aprobar(vigencia)
    if pendientes and not excepcion:
        nombres = "; ".join(f"{p.dependencia.nombre} ({p.estado.en_frase})" for p in pendientes)
        raise DatoInvalido(f"Faltan planes por aprobar: {nombres}. Apruébelos o registre la excepción "
                                 "que justifica consolidar sin ellos.")
    actual = pai_de(vigencia)
    if actual is not None and actual.estado is E.PRESENTADO:
        raise OperacionRechazada(f"«{actual}» ya se presentó al comité: publíquelo antes de consolidar otra versión.")
    if (actual is not None and actual.estado is E.PUBLICADO
            and {p.id for p in actual.planes_consolidados} == {p.id for p in aprobados}):
        raise OperacionRechazada(f"«{actual}» ya está publicado con estos mismos planes.")
    if actual is not None and actual.estado is E.CONSOLIDADO:
        pai, accion = actual, "reconsolidar"
    else:
        pai = Plan(tipo=TipoPlan.PAI, nombre=f"Plan de Acción Institucional {vigencia.anio}", vigencia=vigencia,
                   estado=E.CONSOLIDADO, numero_version=actual.numero_version + 1 if actual else 1,
                   plan_anterior=actual)
        db.session.add(pai)
        accion = "consolidar"
    pai.planes_consolidados = aprobados
    pai.excepcion_consolidacion = excepcion if pendientes else None
    db.session.flush()
    detalle = f"{len(aprobados)} planes aprobados."
    if pai.excepcion_consolidacion:
        detalle += f" Excepción: {excepcion}"
    flujo.registrar_historial(pai, accion, E.CONSOLIDADO if accion == "reconsolidar" else None, E.CONSOLIDADO,
                              usuario, detalle)
    db.session.flush()
    return pai


# --- presentación y publicación (actividades 14 y 15) -------------------------------------------
def presentar(pai: Plan, usuario, fecha: date | None, numero: str, decisiones: str | None,
              archivo: ArchivoSubido | None = None):
    """Registra la sesión del comité institucional (acta) y deja el PAI presentado."""
    flujo.exigir_transicion(usuario, pai, "presentar")
    pai.acta_presentacion = actas.registrar(actas.instancia(TipoInstancia.INSTITUCIONAL), numero, fecha,
                                            decisiones, archivo)
    return flujo.transicionar(pai, "presentar", usuario,
                              f"Acta {pai.acta_presentacion.numero} del {fecha:%d/%m/%Y}.")


def publicar(pai: Plan, usuario):
    """Publica el PAI; una versión anterior publicada sigue a la vista, pero deja de ser la vigente. Si mientras
    estaba en el comité se aprobaron ajustes de sus planes, la versión siguiente se publica enseguida con ellos."""
    entrada = flujo.transicionar(pai, "publicar", usuario)
    for anterior in db.session.scalars(sa.select(Plan).where(
            Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == pai.vigencia_id, Plan.id != pai.id, Plan.vigente)):
        anterior.vigente = False
    db.session.flush()
    llevar_ajustes_al_pai(pai.vigencia, usuario)
    return entrada


def _con_ajustes(pai: Plan) -> tuple[list[Plan], list[SolicitudAjuste]]:
    """Los planes del PAI con cada uno que un ajuste aprobado reemplazó cambiado por su versión vigente (también si
    hubo dos ajustes seguidos), y esos ajustes."""
    planes, aplicados = list(pai.planes_consolidados), []
    while True:
        reemplazos = {s.plan_id: s for s in db.session.scalars(sa.select(SolicitudAjuste).where(
            SolicitudAjuste.estado == EstadoAjuste.APROBADO, SolicitudAjuste.plan_id.in_([p.id for p in planes])))}
        if not reemplazos:
            return planes, aplicados
        planes = [reemplazos[p.id].plan_propuesto if p.id in reemplazos else p for p in planes]
        aplicados += sorted(reemplazos.values(), key=lambda s: s.id)


def llevar_ajustes_al_pai(vigencia: Vigencia, usuario) -> Plan | None:
    """Los ajustes de planes de acción que la OAP aprobó (es su instancia competente) llegan al PAI más reciente de
    la vigencia en la misma transacción en que se aprueban, o en que se publica la versión que los esperaba:

    - si es una versión publicada, nace la siguiente ya publicada, con la versión vigente de cada plan ajustado:
      el público ve enseguida el plan en vigor, con los ajustes que lo cambiaron;
    - si es una versión consolidada que aún no va al comité, la recibe en su lugar;
    - si ya se presentó al comité, no se toca lo que el comité vio: la página publicada avisa de los ajustes, y
      cuando esa versión se publique (`publicar`) nace enseguida la siguiente con ellos.
    Devuelve la versión del PAI publicada con los ajustes, o None."""
    actual = pai_de(vigencia)
    if actual is None or actual.estado not in (E.CONSOLIDADO, E.PUBLICADO):
        return None
    planes, aplicados = _con_ajustes(actual)
    if not aplicados:
        return None
    detalle = "Ajustes aprobados por la OAP: " + "; ".join(
        f"#{s.id}, plan de acción de {s.plan.dependencia.nombre} (versión {s.plan.numero_version} → "
        f"{s.plan_propuesto.numero_version})" for s in aplicados) + "."
    if actual.estado is E.CONSOLIDADO:
        actual.planes_consolidados = planes
        for solicitud in aplicados:  # llegarán al público cuando esta versión se publique
            solicitud.pai_publicado = actual
        flujo.registrar_historial(actual, "reconsolidar", E.CONSOLIDADO, E.CONSOLIDADO, usuario, detalle)
        db.session.flush()
        return None
    # Nace publicada, como una consolidación nace consolidada: la compuerta fue la aprobación de cada ajuste.
    pai = Plan(tipo=TipoPlan.PAI, nombre=actual.nombre, vigencia_id=actual.vigencia_id, estado=E.PUBLICADO,
               numero_version=versiones.siguiente_numero(actual), plan_anterior=actual, planes_consolidados=planes,
               excepcion_consolidacion=actual.excepcion_consolidacion, publicado_en=ahora(),
               publicado_por_id=usuario.id)
    db.session.add(pai)
    actual.vigente = False
    for solicitud in aplicados:
        solicitud.pai_publicado = pai
    db.session.flush()
    flujo.registrar_historial(pai, "publicar_ajuste", None, E.PUBLICADO, usuario, detalle)
    flujo.registrar_historial(actual, "reemplazada", E.PUBLICADO, E.PUBLICADO, usuario,
                              f"Reemplazada por la versión {pai.numero_version}, publicada con los ajustes aprobados.")
    db.session.flush()
    return pai


# --- el PAI por objetivo y por dependencia ------------------------------------------------------
@dataclass
class Grupo:
    nombre: str
    actividades: int = 0
    peso: Decimal = Decimal(0)
    presupuesto: Decimal = Decimal(0)
    clave: int | None = None  # la dependencia, donde la página pública enlaza sus actividades


@dataclass
class SeccionIntegrada:
    """Un plan institucional en el PAI: sus actividades de todas las dependencias, sus metas y su presupuesto."""

    plan: PlanInstitucional
    actividades: list = field(default_factory=list)

    @property
    def integrado(self) -> bool:
        return bool(self.actividades)

    @property
    def cuantas(self) -> int:
        return len(self.actividades)

    @property
    def presupuesto(self) -> Decimal:
        return sum((a.presupuesto or Decimal(0) for a in self.actividades), Decimal(0))

    @property
    def dependencias(self) -> list[str]:
        """Las unidades responsables: las dependencias cuyos planes traen sus actividades."""
        return sorted({a.plan.dependencia.nombre for a in self.actividades})


@dataclass
class ResumenPai:
    actividades: list = field(default_factory=list)
    por_objetivo: list = field(default_factory=list)
    por_dependencia: list = field(default_factory=list)
    total: Grupo = field(default_factory=lambda: Grupo("Total"))
    # Índice de planes institucionales: cada uno del catálogo (activo o con actividades), integrado o no.
    planes_integrados: list[SeccionIntegrada] = field(default_factory=list)

    @property
    def integrados(self) -> list[SeccionIntegrada]:
        return [s for s in self.planes_integrados if s.integrado]

    @property
    def faltantes(self) -> list[SeccionIntegrada]:
        return [s for s in self.planes_integrados if not s.integrado]


def secciones_integradas(actividades) -> list[SeccionIntegrada]:
    """Una sección por plan institucional activo (y por uno inactivo que aún tenga actividades), en el orden del
    catálogo, con las actividades que lo integran."""
    por_plan: dict[int, list] = {}
    for a in actividades:
        for integrado in a.planes_institucionales:
            por_plan.setdefault(integrado.id, []).append(a)
    catalogo = db.session.scalars(sa.select(PlanInstitucional).where(
        sa.or_(PlanInstitucional.activo, PlanInstitucional.id.in_(list(por_plan) or [-1])))
        .order_by(*PlanInstitucional.en_orden())).all()
    return [SeccionIntegrada(p, por_plan.get(p.id, [])) for p in catalogo]


def sin_actividad_del_decreto(planes: list[Plan]) -> list[PlanInstitucional]:
    """Los del Decreto 612 que ninguna actividad de `planes` integra (la consolidación lo advierte)."""
    ids = [p.id for p in planes] or [-1]
    con_actividad = sa.select(integracion.c.plan_institucional_id).join(
        Actividad, Actividad.id == integracion.c.actividad_id).where(Actividad.plan_id.in_(ids))
    return list(db.session.scalars(sa.select(PlanInstitucional).where(
        PlanInstitucional.numeral.is_not(None), PlanInstitucional.id.not_in(con_actividad))
        .order_by(PlanInstitucional.numeral)))


def advertencia_integracion(pai: Plan) -> str | None:
    """Lo que consolidar advierte, como una advertencia más: los del Decreto 612 que el PAI no integra."""
    faltan = sin_actividad_del_decreto(pai.planes_consolidados)
    if not faltan:
        return None
    return (f"Sin actividades en el PAI de {len(faltan)} de los 12 planes del Decreto 612: "
            f"{', '.join(p.codigo for p in faltan)}.")


def resumen_pai(pai: Plan, dependencia_id: int | None = None, objetivo_id: int | None = None) -> ResumenPai:
    """Las actividades del PAI (filtradas) y sus totales por objetivo del PEI y por dependencia."""
    resumen = ResumenPai()
    objetivos: dict[str, Grupo] = {}
    dependencias: dict[str, Grupo] = {}
    for plan in sorted(pai.planes_consolidados, key=lambda p: p.dependencia.codigo):
        if dependencia_id and plan.dependencia_id != dependencia_id:
            continue
        for a in plan.actividades:
            if objetivo_id and a.objetivo_id != objetivo_id:
                continue
            resumen.actividades.append(a)
            nombre_objetivo = str(a.objetivo) if a.objetivo else "Sin objetivo"
            for grupo in (objetivos.setdefault(nombre_objetivo, Grupo(nombre_objetivo)),
                          dependencias.setdefault(plan.dependencia.nombre, Grupo(plan.dependencia.nombre)),
                          resumen.total):
                grupo.actividades += 1
                grupo.peso += a.peso or 0
                grupo.presupuesto += a.presupuesto or 0
    resumen.por_objetivo = sorted(objetivos.values(), key=lambda g: g.nombre)
    resumen.por_dependencia = list(dependencias.values())
    resumen.planes_integrados = secciones_integradas(resumen.actividades)
    return resumen
