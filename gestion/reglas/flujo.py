"""Las máquinas de estado del procedimiento y el único camino para cambiar un estado.

`TRANSICIONES` es la única fuente de «quién puede hacer qué, en qué estado», para planes, solicitudes de
ajuste, reportes trimestrales, ventanas de reporte y acciones de los comités, y `negativa` la única compuerta
que la lee: el botón de una página (`acciones_disponibles`), la ruta que recibe el POST y la acción en bloque
(`puede_intentar`), el servicio (`transicionar`, `exigir_transicion`, `motivo_rechazo`), y así el comando y la
demo, que llaman al servicio. `motivo_no_editable` dice por qué un contenido ya no se edita. `transicionar`
verifica, cambia el estado, deja quién/cuándo/por qué en el historial y hace flush. Nunca hace commit: lo hace
el borde (petición, acción, comando).
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import sqlalchemy as sa

from gestion.base import formato
from gestion.base.errores import OperacionRechazada
from gestion.base.validacion import DatoInvalido
from gestion.reglas import roles as R
from gestion.reglas import ventanas
from gestion.reglas.permisos import AccesoDenegado, roles_de
from modelos import (
    AccionDerivada,
    EnumEtiquetado,
    EstadoAccion,
    EstadoAjuste,
    EstadoPlan,
    EstadoReporte,
    EstadoVentana,
    HistorialEstado,
    Plan,
    ReporteTrimestral,
    SolicitudAjuste,
    TipoPlan,
    VentanaReporte,
    ahora,
    db,
)

E, A = EstadoPlan, EstadoAjuste
PES, PEI, PA, PAI = TipoPlan.PES, TipoPlan.PEI, TipoPlan.PA, TipoPlan.PAI


class TransicionInvalida(OperacionRechazada):
    """La transición no procede (la tabla o lo que ella exige antes): el objeto queda como estaba. Un dato que
    falta o no sirve (la observación, un valor) es `DatoInvalido`; otra negativa, `OperacionRechazada`."""


class TransicionNoPermitida(TransicionInvalida, AccesoDenegado):
    """Quien la pide no tiene el rol o la dependencia que la transición exige."""


@dataclass(frozen=True)
class Maquina:
    """Cómo el motor lee un tipo de objeto: su clase (tipo de plan), su dependencia y su nombre."""

    modelo: type
    estados: type[EnumEtiquetado]
    articulo: str  # «el plan», «el reporte»...
    tipo: Callable = lambda objeto: None
    dependencia: Callable = lambda objeto: None
    # Su estado: el guardado, o el que se calcula (una ventana, por sus fechas y reaperturas).
    estado: Callable = lambda objeto: objeto.estado
    # Estados en que su contenido aún se edita, por tipo (None: cualquier tipo).
    editables: dict = field(default_factory=dict)


def _tipo_de_ajuste(solicitud):
    return solicitud.plan.tipo


MAQUINAS = {m.modelo: m for m in (
    Maquina(Plan, EstadoPlan, "el plan", tipo=lambda p: p.tipo, dependencia=lambda p: p.dependencia_id,
            # Aprobado y publicado solo cambian por un ajuste aprobado.
            editables={PES: {E.BORRADOR, E.EN_CONCERTACION}, PEI: {E.BORRADOR, E.EN_CONCERTACION},
                       PA: {E.BORRADOR, E.DEVUELTO}, PAI: set()}),
    Maquina(SolicitudAjuste, EstadoAjuste, "la solicitud de ajuste", tipo=_tipo_de_ajuste,
            dependencia=lambda s: s.plan.dependencia_id, editables={None: {A.EN_PREPARACION}}),
    Maquina(ReporteTrimestral, EstadoReporte, "el reporte", dependencia=lambda r: r.dependencia_id,
            editables={None: {EstadoReporte.EN_REPORTE, EstadoReporte.DEVUELTO}}),
    Maquina(VentanaReporte, EstadoVentana, "la ventana", estado=lambda v: ventanas.estado(v)),
    Maquina(AccionDerivada, EstadoAccion, "la acción", dependencia=lambda a: a.dependencia_id),
)}


@dataclass(frozen=True)
class Transicion:
    modelo: type
    accion: str
    etiqueta: str
    desde: frozenset
    hasta: EnumEtiquetado | None  # None: el estado no cambia (solo queda en el historial)
    roles: frozenset
    tipos: frozenset = frozenset()  # vacío: la máquina no distingue tipos
    solo_dependencia_propia: bool = False
    exige_observacion: bool = False
    pide: str = "las observaciones: son obligatorias"  # el mensaje cuando falta la observación
    # El contenido debe seguir editable para quien actúa (p. ej. enviar un reporte con la ventana abierta).
    exige_edicion: bool = False
    # Solo la versión propuesta de un ajuste ya aprobado (entrar en vigencia).
    solo_por_ajuste: bool = False

    @property
    def maquina(self) -> Maquina:
        return MAQUINAS[self.modelo]

    @property
    def en_frase(self) -> str:
        return self.etiqueta[:1].lower() + self.etiqueta[1:]

    def destino(self, objeto):
        return self.hasta if self.hasta is not None else estado_de(objeto)


def _t(modelo, accion, etiqueta, desde, hasta, roles, tipos=(), **opciones) -> Transicion:
    return Transicion(modelo, accion, etiqueta, frozenset(desde), hasta, frozenset(roles), frozenset(tipos),
                      **opciones)


# Quién solicita y quién aprueba un ajuste (actividades 20 a 24; la 21 dice «Sectorial» por error: es el PEI).
SOLICITA_AJUSTE = {PES: R.COMITE_SECTORIAL, PEI: R.COMITE_INSTITUCIONAL, PA: R.DIRECTOR}
APRUEBA_AJUSTE = {PES: {R.COMITE_SECTORIAL}, PEI: {R.COMITE_INSTITUCIONAL}, PA: R.PLANEACION}
ER = EstadoReporte


def _por_tipo(tabla: dict, modelo, accion, etiqueta, desde, hasta, **opciones) -> list[Transicion]:
    """Una transición por tipo de plan, con los roles que `tabla` le da; el director, solo en lo suyo."""
    transiciones = []
    for tipo, roles in tabla.items():
        roles = set(roles) if isinstance(roles, (set, frozenset)) else {roles}
        transiciones.append(_t(modelo, accion, etiqueta, desde, hasta, roles, {tipo},
                               solo_dependencia_propia=roles == {R.DIRECTOR}, **opciones))
    return transiciones


TRANSICIONES = (
    # --- planes estratégicos (actividades 1 a 6) ---
    _t(Plan, "concertar", "Enviar a concertación", {E.BORRADOR}, E.EN_CONCERTACION, R.PLANEACION, {PES, PEI}),
    # El comité a cargo deja observaciones de concertación; el plan sigue en concertación y la OAP lo ajusta.
    _t(Plan, "observar", "Registrar observaciones de concertación", {E.EN_CONCERTACION}, E.EN_CONCERTACION,
       {R.COMITE_SECTORIAL}, {PES}, exige_observacion=True, pide="las observaciones de concertación"),
    _t(Plan, "observar", "Registrar observaciones de concertación", {E.EN_CONCERTACION}, E.EN_CONCERTACION,
       {R.COMITE_DIRECTIVO}, {PEI}, exige_observacion=True, pide="las observaciones de concertación"),
    _t(Plan, "aprobar", "Aprobar", {E.EN_CONCERTACION}, E.APROBADO, {R.COMITE_SECTORIAL}, {PES}),
    _t(Plan, "aprobar", "Aprobar", {E.EN_CONCERTACION}, E.APROBADO, {R.COMITE_DIRECTIVO}, {PEI}),
    _t(Plan, "publicar", "Publicar", {E.APROBADO}, E.PUBLICADO, {R.JEFE_OAP}, {PES, PEI}),
    # --- plan de acción y PAI (actividades 7 a 15) ---
    _t(Plan, "enviar", "Enviar a la OAP", {E.BORRADOR, E.DEVUELTO}, E.ENVIADO, {R.DIRECTOR}, {PA},
       solo_dependencia_propia=True),
    _t(Plan, "devolver", "Devolver con observaciones", {E.ENVIADO}, E.DEVUELTO, R.PLANEACION, {PA},
       exige_observacion=True),
    _t(Plan, "aprobar", "Aprobar", {E.ENVIADO}, E.APROBADO, R.PLANEACION, {PA}),
    _t(Plan, "presentar", "Registrar presentación al comité", {E.CONSOLIDADO}, E.PRESENTADO, {R.JEFE_OAP}, {PAI}),
    _t(Plan, "publicar", "Publicar", {E.PRESENTADO}, E.PUBLICADO, {R.JEFE_OAP}, {PAI}),
    # --- ajustes (actividades 20 a 24): la solicitud queda en el historial del plan vigente ---
    *_por_tipo(SOLICITA_AJUSTE, Plan, "solicitar_ajuste", "Solicitar ajuste", {E.APROBADO, E.PUBLICADO}, None,
               exige_observacion=True, pide="la causa del ajuste: es obligatoria"),
    *_por_tipo(SOLICITA_AJUSTE, SolicitudAjuste, "enviar", "Enviar a revisión de la OAP", {A.EN_PREPARACION},
               A.SOLICITADO),
    *_por_tipo(SOLICITA_AJUSTE, SolicitudAjuste, "retirar", "Retirar la solicitud",
               {A.EN_PREPARACION, A.SOLICITADO}, A.RETIRADO, exige_observacion=True),
    _t(SolicitudAjuste, "pertinente", "Declarar pertinente", {A.SOLICITADO}, A.PERTINENTE, R.PLANEACION,
       exige_observacion=True),
    _t(SolicitudAjuste, "no_pertinente", "Declarar no pertinente", {A.SOLICITADO}, A.NO_PERTINENTE, R.PLANEACION,
       exige_observacion=True),
    # Una propuesta con algo por corregir vuelve a quien la pidió, sin gastar otra sesión del comité.
    _t(SolicitudAjuste, "devolver", "Devolver a preparación", {A.SOLICITADO}, A.EN_PREPARACION, R.PLANEACION,
       exige_observacion=True, pide="lo que debe corregirse en la propuesta"),
    # El comité aprueba con su acta (la observación es el acta); la OAP, con su observación.
    _t(SolicitudAjuste, "aprobar", "Aprobar el ajuste", {A.PERTINENTE}, A.APROBADO, {R.COMITE_SECTORIAL}, {PES}),
    _t(SolicitudAjuste, "aprobar", "Aprobar el ajuste", {A.PERTINENTE}, A.APROBADO, {R.COMITE_INSTITUCIONAL},
       {PEI}),
    _t(SolicitudAjuste, "aprobar", "Aprobar el ajuste", {A.PERTINENTE}, A.APROBADO, R.PLANEACION, {PA},
       exige_observacion=True),
    *_por_tipo(APRUEBA_AJUSTE, SolicitudAjuste, "rechazar", "Rechazar el ajuste", {A.PERTINENTE}, A.RECHAZADO,
               exige_observacion=True),
    # Quien aprueba el ajuste pone en vigencia la versión propuesta; la anterior deja de ser la vigente.
    *_por_tipo(APRUEBA_AJUSTE, Plan, "vigente", "Entrar en vigencia", {E.BORRADOR}, E.APROBADO, solo_por_ajuste=True),
    # --- seguimiento (actividades 16 a 19) ---
    _t(ReporteTrimestral, "enviar", "Enviar el reporte a la OAP", {ER.EN_REPORTE, ER.DEVUELTO}, ER.REPORTADO,
       R.CON_DEPENDENCIA, solo_dependencia_propia=True, exige_edicion=True),
    _t(ReporteTrimestral, "aceptar", "Aceptar el reporte", {ER.REPORTADO}, ER.ACEPTADO, R.PLANEACION),
    _t(ReporteTrimestral, "devolver", "Devolver el reporte", {ER.REPORTADO}, ER.DEVUELTO, R.PLANEACION,
       exige_observacion=True),
    # Una ventana abre y cierra por sus fechas; cerrada, solo la OAP la reabre (para todas o para una dependencia).
    _t(VentanaReporte, "reabrir", "Reabrir la ventana", {EstadoVentana.CERRADA}, None, R.PLANEACION,
       exige_observacion=True, pide="el motivo de la reapertura: queda registrado"),
    _t(AccionDerivada, "cerrar", "Cerrar la acción", {EstadoAccion.ABIERTA}, EstadoAccion.CERRADA, R.PLANEACION),
)


def _maquina(objeto) -> Maquina:
    return MAQUINAS[type(objeto)]


def estado_de(objeto):
    return _maquina(objeto).estado(objeto)


def buscar(objeto, accion: str) -> Transicion:
    tipo = _maquina(objeto).tipo(objeto)
    for transicion in TRANSICIONES:
        if (transicion.modelo is type(objeto) and transicion.accion == accion
                and (not transicion.tipos or tipo in transicion.tipos)):
            return transicion
    nombre = f" para un {tipo.etiqueta}" if tipo is not None else ""
    raise TransicionInvalida(f"La acción «{accion}» no existe{nombre}.")


def transiciones_de(modelo, accion: str, tipos=()) -> list[Transicion]:
    return [t for t in TRANSICIONES if t.modelo is modelo and t.accion == accion
            and (not tipos or not t.tipos or t.tipos & set(tipos))]


def roles_que_pueden(modelo, accion: str, tipos=()) -> frozenset:
    """Los roles que alguna vez pueden hacer `accion` (a quién avisar, qué bandeja mostrar)."""
    return frozenset().union(*(t.roles for t in transiciones_de(modelo, accion, tipos)))


def puede_intentar(usuario, modelo, accion: str, tipos=()) -> bool:
    """Si el rol hace `accion` alguna vez: la compuerta de la ruta y de la acción en bloque, antes de cada objeto."""
    return negativa(usuario, modelo, accion, tipos=tipos) is None


def exigir_intento(usuario, modelo, accion: str, tipos=()) -> None:
    """Para una operación en bloque: el rol debe poder hacer `accion` alguna vez (cada objeto se verifica aparte)."""
    rechazo = negativa(usuario, modelo, accion, tipos=tipos)
    if rechazo:
        raise rechazo


def observacion_exigida(objeto, accion: str, observacion: str | None) -> str | None:
    """La observación limpia; si la transición la exige y falta, la negativa (la única regla de ello)."""
    transicion = buscar(objeto, accion)
    observacion = (observacion or "").strip() or None
    if transicion.exige_observacion and not observacion:
        raise DatoInvalido(f"Escriba {transicion.pide} para «{transicion.en_frase}».")
    return observacion


def _tipo_texto(objeto) -> str:
    tipo = _maquina(objeto).tipo(objeto)
    return f" un {tipo.etiqueta}" if tipo is not None else f" {_maquina(objeto).articulo}"


def negativa(usuario, objeto, accion: str, hoy: date | None = None, tipos=()) -> TransicionInvalida | None:
    """La compuerta de toda transición: None si `usuario` puede hacer `accion`; si no, la negativa con su razón
    (`TransicionNoPermitida` si le falta el rol o la dependencia). `objeto` es lo que cambia de estado, o su
    modelo donde aún no se tiene (la ruta de una página, una acción en bloque): entonces solo se pregunta si el
    rol la hace alguna vez (en `tipos`), y cada objeto pasa luego por aquí completo."""
    if isinstance(objeto, type):
        candidatas = transiciones_de(objeto, accion, tipos)
        if roles_de(usuario) & frozenset().union(*(t.roles for t in candidatas)):
            return None
        return TransicionNoPermitida(f"Su rol no puede «{candidatas[0].en_frase if candidatas else accion}».")
    historia = motivo_historia(objeto)
    if historia:
        return TransicionInvalida(historia)
    try:
        transicion = buscar(objeto, accion)
    except TransicionInvalida as error:
        return error
    if isinstance(objeto, Plan) and objeto.ajuste_origen is not None and objeto.ajuste_origen.estado is not A.APROBADO:
        return TransicionInvalida(f"«{objeto}» es la versión propuesta de la solicitud de ajuste "
                                  f"#{objeto.ajuste_origen.id}: se envía y se decide desde la solicitud.")
    if transicion.solo_por_ajuste and objeto.ajuste_origen is None:
        return TransicionInvalida(f"«{objeto}» no es la versión propuesta de un ajuste: solo un ajuste aprobado "
                                  f"puede «{transicion.en_frase}».")
    if not roles_de(usuario) & transicion.roles:
        return TransicionNoPermitida(f"Su rol no puede «{transicion.en_frase}» en{_tipo_texto(objeto)}.")
    if transicion.solo_dependencia_propia and transicion.maquina.dependencia(objeto) != usuario.dependencia_id:
        return TransicionNoPermitida(f"{transicion.maquina.articulo.capitalize()} no es de su dependencia.")
    if estado_de(objeto) not in transicion.desde:
        permitidos = " o ".join(sorted(e.en_frase for e in transicion.desde))
        return TransicionInvalida(f"«{objeto}» está {estado_de(objeto).en_frase}; "
                                  f"solo se puede «{transicion.en_frase}» si está {permitidos}.")
    if transicion.exige_edicion:
        motivo = motivo_no_editable(usuario, objeto, hoy)
        return TransicionInvalida(motivo) if motivo else None
    return None


def motivo_rechazo(usuario, objeto, accion: str, hoy: date | None = None) -> str | None:
    """None si `usuario` puede hacer `accion` sobre `objeto` ahora; si no, la razón en español."""
    rechazo = negativa(usuario, objeto, accion, hoy)
    return str(rechazo) if rechazo else None


def exigir_transicion(usuario, objeto, accion: str, hoy: date | None = None) -> None:
    """Lanza la negativa de `motivo_rechazo` (de acceso si falta el rol o la dependencia)."""
    rechazo = negativa(usuario, objeto, accion, hoy)
    if rechazo:
        raise rechazo


def acciones_disponibles(usuario, objeto) -> list[Transicion]:
    tipo = _maquina(objeto).tipo(objeto)
    vistas, disponibles = set(), []
    for t in TRANSICIONES:
        if t.modelo is type(objeto) and (not t.tipos or tipo in t.tipos) and t.accion not in vistas:
            vistas.add(t.accion)
            if motivo_rechazo(usuario, objeto, t.accion) is None:
                disponibles.append(t)
    return disponibles


# --- edición del contenido ------------------------------------------------------------------------
def estados_editables(modelo, tipo=None) -> set:
    editables = MAQUINAS[modelo].editables
    return set(editables.get(tipo, editables.get(None, set())))


def motivo_historia(objeto) -> str | None:
    """Un plan cargado como historia y sus reportes no cambian más: ni contenido ni estado, para nadie."""
    plan = objeto if isinstance(objeto, Plan) else objeto.plan if isinstance(objeto, ReporteTrimestral) else None
    if plan is None or plan.historia_en is None:
        return None
    return (f"«{plan}» se cargó como historia el {formato.fecha(plan.historia_en)} desde «{plan.historia_archivo}»: "
            "es de solo lectura.")


def motivo_estado(objeto) -> str | None:
    """Por qué el contenido del objeto ya no se edita, sea quien sea; None si aún se edita."""
    historia = motivo_historia(objeto)
    if historia:
        return historia
    maquina = _maquina(objeto)
    origen = objeto.ajuste_origen if isinstance(objeto, Plan) else None
    propuesta_abierta = origen is not None and origen.estado is not A.APROBADO
    if isinstance(objeto, Plan) and not objeto.vigente and not propuesta_abierta:
        return f"«{objeto}» es una versión anterior: se conserva como se aprobó."
    if estado_de(objeto) not in estados_editables(type(objeto), maquina.tipo(objeto)):
        if isinstance(objeto, Plan):
            return (f"«{objeto}» está {objeto.estado.en_frase}: su contenido no se puede modificar. "
                    "Un plan aprobado solo cambia mediante un ajuste aprobado.")
        return f"{maquina.articulo.capitalize()} está {objeto.estado.en_frase}: ya no se modifica."
    if propuesta_abierta and origen.estado is not A.EN_PREPARACION:
        return (f"«{objeto}» es la versión propuesta de una solicitud de ajuste "
                f"{origen.estado.en_frase}: ya no se modifica.")
    return None


def contenido_editable(objeto) -> bool:
    """Si el estado deja editar el contenido (sin mirar quién edita)."""
    return motivo_estado(objeto) is None


def _motivo_editor(usuario, objeto, hoy: date | None) -> str | None:
    roles = roles_de(usuario)
    if isinstance(objeto, Plan):
        if objeto.tipo in (PES, PEI):
            return None if roles & R.PLANEACION else "Su rol no formula planes estratégicos: los formula la OAP."
        if objeto.tipo is PA:
            if R.DIRECTOR not in roles:
                return "Solo el director de la dependencia formula su plan de acción."
            if objeto.dependencia_id != usuario.dependencia_id:
                return "El plan no es de su dependencia."
            return None
        return "El Plan de Acción Institucional sale de la consolidación: no se edita."
    if isinstance(objeto, ReporteTrimestral):
        if not roles & R.CON_DEPENDENCIA:
            return "Su rol no reporta avances."
        if usuario.dependencia_id != objeto.dependencia_id:
            return "El reporte no es de su dependencia."
        if not ventanas.abierta_para(objeto.vigencia_id, objeto.trimestre, objeto.dependencia_id, hoy):
            return (f"La ventana de reporte del trimestre {objeto.trimestre} de {objeto.vigencia} está cerrada: "
                    "el trimestre es de solo lectura. Pida a la OAP su reapertura.")
        return None
    if isinstance(objeto, SolicitudAjuste):
        return motivo_rechazo(usuario, objeto, "enviar")
    return "No se edita."


def motivo_no_editable(usuario, objeto, hoy: date | None = None) -> str | None:
    """None si `usuario` puede editar ahora el contenido de `objeto`; si no, la razón en español."""
    if objeto is None:
        return "Seleccione el plan."
    return motivo_estado(objeto) or _motivo_editor(usuario, objeto, hoy)


def puede_editar_contenido(usuario, objeto) -> bool:
    return motivo_no_editable(usuario, objeto) is None


# --- historial ------------------------------------------------------------------------------------
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


# Pasos del historial que no son transiciones de la tabla (creación, consolidación, generación...).
ACCIONES_SIN_TRANSICION = {
    "solicitar": "Solicitud de formulación", "consolidar": "Consolidar", "reconsolidar": "Consolidar de nuevo",
    "abrir": "Abrir", "registrar": "Registrar", "generar": "Generar", "regenerar": "Generar de nuevo",
    "remitir": "Remitir a Control Interno", "presentar": "Presentar al comité", "cargar_excel": "Cargar desde Excel",
    "crear_version": "Crear la versión propuesta", "registrar_solicitud": "Registrar la solicitud",
    "descartar": "Descartar la versión propuesta",
    "reemplazada": "Reemplazada por una nueva versión",
    "publicar_ajuste": "Publicar con un ajuste aprobado",
    "cargar_historia": "Cargado como historia",
}


@dataclass(frozen=True)
class PasoHistorial:
    entrada: HistorialEstado
    accion: str
    desde: str
    hasta: str


def _etiqueta_estado(estados: type[EnumEtiquetado] | None, valor: str | None) -> str:
    if valor is None:
        return ""
    try:
        return estados(valor).etiqueta if estados else valor
    except ValueError:
        return valor.replace("_", " ").capitalize()


def historial_legible(objeto) -> list[PasoHistorial]:
    """El historial con acciones y estados por su etiqueta en español, como lo lee una persona."""
    return [paso_legible(h) for h in historial_de(objeto)]


def paso_legible(h: HistorialEstado) -> PasoHistorial:
    """Una entrada del historial por sus etiquetas; le basta la entrada (la lista de todo el historial no carga
    cada objeto para leerla)."""
    modelo = next((m for m in MAQUINAS if m.__tablename__ == h.objeto_tipo), None)
    estados = MAQUINAS[modelo].estados if modelo else None
    etiquetas = [t.etiqueta for t in TRANSICIONES if t.modelo is modelo and t.accion == h.accion]
    accion = (etiquetas[-1] if etiquetas else None) or ACCIONES_SIN_TRANSICION.get(h.accion) \
        or h.accion.replace("_", " ").capitalize()
    return PasoHistorial(h, accion,
                         _etiqueta_estado(estados, h.estado_desde), _etiqueta_estado(estados, h.estado_hasta))


# --- la transición ------------------------------------------------------------------------------
def _efectos(objeto, transicion: Transicion, usuario, observacion: str | None, momento) -> None:
    """Lo que cada llegada deja escrito además del estado: quién, cuándo y por qué."""
    hasta = transicion.hasta
    if isinstance(objeto, Plan):
        if transicion.accion == "observar":
            objeto.observaciones = observacion
        elif hasta is E.ENVIADO:
            objeto.enviado_en, objeto.enviado_por_id = momento, usuario.id
        elif hasta is E.DEVUELTO:
            objeto.observaciones = observacion
        elif hasta is E.APROBADO:
            objeto.aprobado_en, objeto.aprobado_por_id = momento, usuario.id
        elif hasta is E.PUBLICADO:
            objeto.publicado_en, objeto.publicado_por_id = momento, usuario.id
    elif isinstance(objeto, SolicitudAjuste):
        if hasta is A.SOLICITADO:
            objeto.enviado_en = momento
        elif hasta in (A.PERTINENTE, A.NO_PERTINENTE):
            objeto.revision, objeto.revisado_por_id, objeto.revisado_en = observacion, usuario.id, momento
        elif hasta in (A.APROBADO, A.RECHAZADO, A.RETIRADO):
            objeto.decision, objeto.decidido_por_id, objeto.decidido_en = observacion, usuario.id, momento
    elif isinstance(objeto, ReporteTrimestral):
        if hasta is ER.REPORTADO:
            objeto.enviado_en, objeto.enviado_por_id = momento, usuario.id
        elif hasta in (ER.ACEPTADO, ER.DEVUELTO):
            objeto.revisado_en, objeto.revisado_por_id = momento, usuario.id
            if hasta is ER.DEVUELTO:
                objeto.observaciones = observacion
    elif isinstance(objeto, AccionDerivada) and hasta is EstadoAccion.CERRADA:
        objeto.cerrada_en = momento


def transicionar(objeto, accion: str, usuario, observacion: str | None = None,
                 hoy: date | None = None) -> HistorialEstado:
    exigir_transicion(usuario, objeto, accion, hoy)
    transicion = buscar(objeto, accion)
    observacion = observacion_exigida(objeto, accion, observacion)
    desde, momento = estado_de(objeto), ahora()
    if transicion.hasta is not None:
        objeto.estado = transicion.hasta
    _efectos(objeto, transicion, usuario, observacion, momento)
    entrada = registrar_historial(objeto, accion, desde, transicion.destino(objeto), usuario, observacion)
    db.session.flush()
    return entrada
