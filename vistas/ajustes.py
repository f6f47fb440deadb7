"""Vistas de Ajustes (actividades 20 a 24): la lista de solicitudes, la solicitud desde el plan vigente,
la página de la solicitud con la diferencia entre versiones y sus decisiones, y la comparación de versiones.

Cada página carga con el alcance del usuario, pregunta a `gestion.reglas.flujo` qué puede hacer y llama al
servicio de `gestion.planes.ajustes` dentro de una operación (un commit, el correo después).
"""
from flask import abort, redirect, request, url_for
from flask_admin import expose
from flask_security import current_user
from sqlalchemy.orm import defer

from gestion.base.archivos import ArchivoSubido
from gestion.planes import ajustes as servicio
from gestion.planes import versiones
from gestion.reglas import flujo
from gestion.reglas.permisos import VER, puede
from modelos import Plan, SolicitudAjuste, TipoPlan

from .base import VistaSoloLectura
from .descargas import enviar_acta
from .enlaces_de_fila import EnlaceDeFila, url_con_id
from .operaciones import fecha_del_formulario, operacion

# Las decisiones de la solicitud: acción del motor → función del servicio (con la observación escrita).
DECISIONES = {
    "enviar": lambda s, u, texto: servicio.enviar(s, u, confirmado=request.form.get("confirmado") == "si"),
    "devolver": servicio.devolver,
    "retirar": servicio.retirar,
    "pertinente": lambda s, u, texto: servicio.revisar(s, u, True, texto),
    "no_pertinente": lambda s, u, texto: servicio.revisar(s, u, False, texto),
    "rechazar": servicio.rechazar,
}


RECURSO_DEL_PLAN = {TipoPlan.PES: "planes_estrategicos", TipoPlan.PEI: "planes_estrategicos",
                    TipoPlan.PA: "planes_accion"}


def ajustes_visibles(usuario) -> list[TipoPlan]:
    return [tipo for tipo, recurso in RECURSO_DEL_PLAN.items() if puede(usuario, VER, recurso)]


def url_plan(plan: Plan) -> str:
    if plan.tipo in (TipoPlan.PES, TipoPlan.PEI):
        return url_con_id("planes_estrategicos.plan_view", plan.id)
    return url_con_id("planes_accion.ficha", plan.id)


def motivo_solicitar(plan: Plan):
    """Para la tarjeta de versiones: None si el usuario puede pedir el ajuste, la razón si su rol pide ajustes
    pero ahora no procede, y False si su rol nunca los pide (no se le muestra nada)."""
    if not flujo.puede_intentar(current_user, Plan, "solicitar_ajuste", {plan.tipo}):
        return False
    return servicio.motivo_no_solicitar(current_user, plan)


class VistaSolicitudesAjuste(VistaSoloLectura):
    recurso = "ajustes"
    column_list = ("plan", "solicitante", "solicitado_en", "causa", "estado")
    column_filters = ("estado",)
    column_searchable_list = ("causa", "cambio_propuesto")
    column_select_related_list = (SolicitudAjuste.plan, SolicitudAjuste.solicitante)
    column_default_sort = ("solicitado_en", True)
    column_extra_row_actions = [EnlaceDeFila("fa fa-exchange", ".ficha", title="Ver la solicitud")]
    # Solicitar y decidir los permite el motor de estados, no la sección de la lista.
    ENDPOINTS_DE_FLUJO = {"solicitar", "decidir", "aprobar"}

    def post_permitido(self, endpoint):
        return endpoint in self.ENDPOINTS_DE_FLUJO or super().post_permitido(endpoint)

    # Cada quien ve las solicitudes de los planes cuya lista puede ver (un comité sectorial, las del PES y PEI).
    def _de_planes_visibles(self, consulta):
        tipos = ajustes_visibles(current_user)
        return consulta.filter(SolicitudAjuste.plan.has(Plan.tipo.in_(tipos)))

    def get_query(self):
        # La lista no muestra la diferencia que guarda cada solicitud (la de un plan grande pesa decenas de KB).
        return self._de_planes_visibles(super().get_query()).options(defer(SolicitudAjuste.cambios))

    def get_count_query(self):
        return self._de_planes_visibles(super().get_count_query())

    def get_one(self, id):
        solicitud = super().get_one(id)
        if solicitud.plan.tipo not in ajustes_visibles(current_user):
            abort(404)
        return solicitud

    def _plan(self, id) -> Plan:
        return self.fila_en_alcance(Plan, id)

    def _solicitud(self) -> SolicitudAjuste:
        return self.get_one(request.values.get("id"))

    # --- solicitud (actividades 20 a 22) --------------------------------------------------------
    @expose("/solicitar/", methods=("GET", "POST"))
    def solicitar(self):
        plan = self._plan(request.values.get("plan_id"))
        motivo = servicio.motivo_no_solicitar(current_user, plan)
        if request.method == "POST":
            with operacion("Solicitud registrada: prepare la versión propuesta y envíela a la OAP.") as desenlace:
                solicitud = servicio.solicitar(plan, current_user, request.form.get("causa", ""),
                                               request.form.get("cambio_propuesto", ""))
            if desenlace.hecha:
                return redirect(url_for(".ficha", id=solicitud.id))
        return self.render("ajustes/solicitar.html", plan=plan, motivo=motivo, datos=request.form,
                           url_plan=url_plan(plan))

    # --- la solicitud y sus decisiones ----------------------------------------------------------
    @expose("/ficha/")
    def ficha(self):
        solicitud = self._solicitud()
        propuesta = solicitud.plan_propuesto
        chequeo = servicio.lista_de_chequeo(propuesta)
        acciones = flujo.acciones_disponibles(current_user, solicitud)
        return self.render(
            "ajustes/ficha.html", solicitud=solicitud, comparacion=servicio.comparacion(solicitud),
            situacion=servicio.situacion(propuesta), chequeo=chequeo, acciones=acciones,
            motivo_aprobar=servicio.motivo_no_aprobar(current_user, solicitud),
            motivo_editar=flujo.motivo_no_editable(current_user, propuesta),
            advertencias=servicio.advertencias_de_envio(solicitud, chequeo)
            if any(t.accion == "enviar" for t in acciones) else [],
            devolucion=servicio.ultima_devolucion(solicitud),
            con_acta=solicitud.plan.tipo in servicio.INSTANCIA_QUE_APRUEBA,
            historial=flujo.historial_legible(solicitud), url_plan=url_plan, datos=request.form)

    @expose("/decidir/", methods=("POST",))
    def decidir(self):
        solicitud = self._solicitud()
        accion = request.form.get("accion", "")
        if accion not in DECISIONES:
            abort(400)
        etiqueta = flujo.buscar(solicitud, accion).etiqueta
        with operacion(f"Solicitud de ajuste #{solicitud.id}: «{etiqueta}» registrado."):
            DECISIONES[accion](solicitud, current_user, request.form.get("observacion", ""))
        return redirect(url_for(".ficha", id=solicitud.id))

    @expose("/aprobar/", methods=("POST",))
    def aprobar(self):
        solicitud = self._solicitud()
        with operacion() as desenlace:
            servicio.aprobar(solicitud, current_user, request.form.get("observacion"), request.form.get("numero"),
                             fecha_del_formulario("fecha"), ArchivoSubido.de_formulario(request.files.get("archivo")))
            # El mensaje es la misma frase que la página del plan dirá de esta versión.
            desenlace.exito = f"Ajuste aprobado. {servicio.situacion(solicitud.plan_propuesto).frase}"
            if solicitud.pai_publicado is not None:  # la OAP es la instancia competente: ya está publicado
                desenlace.exito += (f" Publicada la versión {solicitud.pai_publicado.numero_version} del "
                                    f"{solicitud.pai_publicado.nombre}, con este ajuste.")
        if desenlace.hecha:
            return redirect(url_plan(solicitud.plan_propuesto))
        return redirect(url_for(".ficha", id=solicitud.id))

    @expose("/acta/")
    def acta(self):
        return enviar_acta(self._solicitud().acta)

    # --- versiones ------------------------------------------------------------------------------
    @expose("/comparar/")
    def comparar(self):
        """La diferencia entre dos versiones del mismo plan, campo por campo."""
        anterior, nueva = self._plan(request.args.get("a")), self._plan(request.args.get("b"))
        familia = versiones.familia(nueva)
        if anterior not in familia:
            abort(404)
        if anterior.numero_version > nueva.numero_version:
            anterior, nueva = nueva, anterior
        return self.render("ajustes/comparar.html", comparacion=versiones.comparar(anterior, nueva),
                           familia=familia, url_plan=url_plan)


def vistas_ajustes():
    return [VistaSolicitudesAjuste(SolicitudAjuste, "Solicitudes de ajuste", "Ajustes")]
