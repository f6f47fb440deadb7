"""Vistas de los planes estratégicos (PES y PEI), sus objetivos e indicadores, y su flujo (actividades 1 a 6)."""
import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.form import InlineFormAdmin
from flask_security import current_user
from markupsafe import Markup
from wtforms import ValidationError

from gestion.base import formato
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import ErroresDeFilas
from gestion.excel import estrategico as excel_estrategico
from gestion.planes import actas, ajustes, estrategicos
from gestion.reglas import flujo
from gestion.reglas.controles_estrategicos import chequear
from modelos import EstadoAjuste, EstadoPlan, Indicador, MetaIndicador, Objetivo, Plan, PoliticaMipg, SolicitudAjuste, TipoPlan, db

from .ajustes import motivo_solicitar, url_plan
from .contenido import EdicionSoloEnFormulacion, VistaContenidoDePlan, VistaPlanes
from .descargas import enviar_acta, enviar_libro
from .enlaces_de_fila import EnlaceDeFila
from .estructura_propia import EstructuraDesdeLibroPropio
from .operaciones import fecha_del_formulario, operacion
from .parametros import entero

TIPOS_ESTRATEGICOS = (TipoPlan.PES, TipoPlan.PEI)


def _url_plan(plan_id) -> str:
    return url_for("planes_estrategicos.plan_view", id=plan_id)


def _enlace_plan(vista, contexto, modelo, nombre):
    plan = modelo if isinstance(modelo, Plan) else getattr(modelo, nombre)
    if plan is None:
        return ""
    texto = plan.nombre if isinstance(modelo, Plan) else str(plan)
    return Markup('<a href="{}">{}</a>').format(_url_plan(plan.id), texto)


def _enlace_plan_de_indicador(vista, contexto, modelo, nombre):
    objetivo = modelo.objetivo
    return Markup('<a href="{}">{}</a>').format(_url_plan(objetivo.plan_id), objetivo) if objetivo else ""


def _planes_en_formulacion():
    """Planes estratégicos vigentes cuyo contenido aún se formula (borrador o en concertación)."""
    estados = flujo.estados_editables(Plan, TipoPlan.PES) | flujo.estados_editables(Plan, TipoPlan.PEI)
    return db.session.query(Plan).filter(Plan.tipo.in_(TIPOS_ESTRATEGICOS), Plan.estado.in_(estados)).filter(
        sa.or_(Plan.vigente, Plan.ajuste_origen.has(SolicitudAjuste.estado == EstadoAjuste.EN_PREPARACION))
    ).order_by(Plan.nombre)


def _objetivos_en_formulacion():
    return (db.session.query(Objetivo).join(Objetivo.plan)
            .filter(Plan.id.in_(_planes_en_formulacion().with_entities(Plan.id)))
            .order_by(Plan.nombre, Objetivo.codigo))


def _objetivos_pes():
    return (db.session.query(Objetivo).join(Objetivo.plan)
            .filter(Plan.tipo == TipoPlan.PES, Plan.vigente).order_by(Objetivo.codigo))


def _politicas_activas():
    return db.session.query(PoliticaMipg).filter(PoliticaMipg.activa).order_by(PoliticaMipg.codigo)


def _celdas(prefijo: str) -> dict[tuple[int, int], str]:
    """Los campos «<prefijo>-<indicador>-<año>» del formulario de metas."""
    celdas = {}
    for clave, texto in request.form.items():
        partes = clave.split("-")
        if len(partes) == 3 and partes[0] == prefijo and partes[1].isdigit() and partes[2].isdigit():
            celdas[(int(partes[1]), int(partes[2]))] = texto
    return celdas


def _texto_meta(valor) -> str:
    """Como se escribe en el formulario de metas: coma decimal y sin separador de miles."""
    if valor is None:
        return ""
    texto = format(valor.normalize(), "f")
    return texto.replace(".", ",")


class ContenidoSoloEnFormulacion(EdicionSoloEnFormulacion, VistaContenidoDePlan):
    """El contenido de un plan aprobado o publicado no se edita: ni por formulario (con sus filas en línea),
    ni por POST directo, ni se borra; tampoco se crea contenido nuevo en él ni se le lleva contenido.

    El plan de origen lo protege `edit_view` (antes del formulario); el de destino, `validar_modificacion`.
    """

    def validar_modificacion(self, objeto):
        super().validar_modificacion(objeto)
        if self.plan_de(objeto).tipo not in TIPOS_ESTRATEGICOS:
            raise ValidationError("Elija un plan estratégico (PES o PEI).")


class VistaPlanesEstrategicos(EstructuraDesdeLibroPropio, EdicionSoloEnFormulacion, VistaPlanes):
    recurso = "planes_estrategicos"
    tipos = TIPOS_ESTRATEGICOS
    column_list = ("tipo", "nombre", "cuatrienio", "numero_version", "vigente", "estado", "acta_aprobacion",
                   "publicado_en")
    form_columns = ("tipo", "nombre", "cuatrienio")
    column_details_list = ("tipo", "nombre", "cuatrienio", "numero_version", "vigente", "estado",
                           "observaciones", "acta_aprobacion", "aprobado_por", "aprobado_en", "publicado_por",
                           "publicado_en", "objetivos")
    column_formatters = {"nombre": _enlace_plan}
    column_select_related_list = (Plan.cuatrienio, Plan.acta_aprobacion, Plan.ajuste_origen)
    column_extra_row_actions = [EnlaceDeFila("fa fa-sitemap", ".plan_view", title="Ver el plan")]
    # Los comités registran su decisión aquí aunque no editen planes: `flujo` decide quién puede qué.
    ENDPOINTS_DE_FLUJO = {"concertar_view", "observar_view", "aprobar_view", "publicar_view"}
    ACCIONES_MASIVAS = ("concertar", "publicar")

    # --- permisos -------------------------------------------------------------------------------
    def post_permitido(self, endpoint):
        if endpoint in self.ENDPOINTS_DE_FLUJO:
            return True
        return super().post_permitido(endpoint)

    def is_action_allowed(self, name):
        if name in self.ACCIONES_MASIVAS:
            return flujo.puede_intentar(current_user, Plan, name, self.tipos)
        return super().is_action_allowed(name)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if model.cuatrienio is None:
            raise ValidationError("Elija el cuatrienio del plan.")
        with db.session.no_autoflush:
            repetido = is_created and db.session.scalar(sa.select(Plan.id).where(
                Plan.tipo == model.tipo, Plan.cuatrienio_id == model.cuatrienio.id))
        if repetido:
            raise ValidationError(f"Ya existe un {TipoPlan(model.tipo).etiqueta} para el cuatrienio {model.cuatrienio}: "
                                  "un cambio a un plan aprobado se hace mediante un ajuste.")

    def after_model_change(self, form, model, is_created):
        if is_created:
            flash("Plan creado. Agregue sus objetivos e indicadores y, luego, las metas de cada año.", "info")

    def get_save_return_url(self, model, is_created=False):
        return _url_plan(model.id)

    # --- acciones masivas -------------------------------------------------------------------------
    @action("concertar", "Enviar a concertación",
            "¿Enviar los planes seleccionados a concertación con su comité?")
    def accion_concertar(self, ids):
        self.ejecutar_en_bloque(ids, lambda plan: estrategicos.enviar_a_concertacion(plan, current_user),
                                "enviado a concertación", "enviado(s) a concertación")

    @action("publicar", "Publicar", "¿Publicar los planes seleccionados? Quedarán visibles para todo el público.")
    def accion_publicar(self, ids):
        self.ejecutar_en_bloque(ids, lambda plan: estrategicos.publicar(plan, current_user),
                                "publicado", "publicado(s)")

    # --- página del plan ----------------------------------------------------------------------------
    def _plan(self, id):
        return self.get_one(id)

    @expose("/plan/<int:id>")
    def plan_view(self, id):
        plan = self._plan(id)
        return self.render(
            "estrategicos/plan.html", plan=plan, lista=chequear(plan), historial=flujo.historial_legible(plan),
            acciones={t.accion for t in flujo.acciones_disponibles(current_user, plan)},
            motivo_editar=flujo.motivo_no_editable(current_user, plan),
            editable=flujo.puede_editar_contenido(current_user, plan),
            publicado=plan.estado is EstadoPlan.PUBLICADO,
            archivo_acta=actas.ruta(plan.acta_aprobacion) is not None,
            versiones=ajustes.versiones_con_solicitud(plan), url_plan=url_plan, situacion=ajustes.situacion(plan),
            motivo_solicitar=motivo_solicitar(plan), anios=plan.cuatrienio.anios, hoy=formato.hoy())

    @expose("/plan/<int:id>/concertar", methods=("POST",))
    def concertar_view(self, id):
        plan = self._plan(id)
        with operacion(f"«{plan}» quedó en concertación con el comité."):
            estrategicos.enviar_a_concertacion(plan, current_user, request.form.get("observacion"))
        return redirect(_url_plan(plan.id))

    @expose("/plan/<int:id>/observar", methods=("POST",))
    def observar_view(self, id):
        plan = self._plan(id)
        with operacion("Observaciones de concertación registradas."):
            estrategicos.registrar_observaciones(plan, current_user, request.form.get("observacion", ""))
        return redirect(_url_plan(plan.id))

    @expose("/plan/<int:id>/aprobar", methods=("POST",))
    def aprobar_view(self, id):
        plan = self._plan(id)
        with operacion() as desenlace:
            estrategicos.aprobar(
                plan, current_user, request.form.get("numero", ""), fecha_del_formulario("fecha"),
                request.form.get("decisiones"), ArchivoSubido.de_formulario(request.files.get("archivo")))
            desenlace.exito = f"«{plan}» quedó aprobado con el acta {plan.acta_aprobacion.numero}."
        return redirect(_url_plan(plan.id))

    @expose("/plan/<int:id>/publicar", methods=("POST",))
    def publicar_view(self, id):
        plan = self._plan(id)
        with operacion(f"«{plan}» quedó publicado en la página pública."):
            estrategicos.publicar(plan, current_user)
        return redirect(_url_plan(plan.id))

    @expose("/plan/<int:id>/acta")
    def acta_view(self, id):
        return enviar_acta(self._plan(id).acta_aprobacion)

    @expose("/plan/<int:id>/excel")
    def excel_view(self, id):
        plan = self._plan(id)
        return enviar_libro(excel_estrategico.libro_plan(plan), excel_estrategico.nombre_archivo(plan))

    @expose("/plan/<int:id>/metas", methods=("GET", "POST"))
    def metas_view(self, id):
        """Todas las metas anuales del plan en una sola tabla: 40 indicadores × 4 años en un envío."""
        plan = self._plan(id)
        motivo = flujo.motivo_no_editable(current_user, plan)
        if motivo:
            flash(motivo, "error")
            return redirect(_url_plan(plan.id))
        anios = plan.cuatrienio.anios
        if request.method == "POST":
            with operacion("Metas guardadas.") as desenlace:
                estrategicos.fijar_metas(plan, current_user, _celdas("meta"), _celdas("leida"))
            if desenlace.hecha:
                return redirect(_url_plan(plan.id))
            if desenlace.conflicto:
                return redirect(self.get_url(".metas_view", id=plan.id))
            if not isinstance(desenlace.error, ErroresDeFilas):
                return redirect(_url_plan(plan.id))
        valores = {f"{prefijo}-{m.indicador_id}-{m.anio}": _texto_meta(m.valor) for prefijo in ("meta", "leida")
                   for o in plan.objetivos for i in o.indicadores for m in i.metas}
        if request.method == "POST":
            valores.update(request.form)
        return self.render("estrategicos/metas.html", plan=plan, anios=anios, valores=valores)


class IndicadoresEnLinea(InlineFormAdmin):
    """Los indicadores de un objetivo, en el mismo formulario; las metas por año van en «Metas del plan»."""

    form_columns = ("id", "codigo", "nombre", "formula", "unidad", "linea_base", "anio_linea_base", "periodicidad", "tendencia",
                    "responsable", "sinergia", "codigo_sinergia", "tipo_acumulacion")
    form_label = "Indicador"


class VistaObjetivos(ContenidoSoloEnFormulacion):
    recurso = "contenido_estrategico"
    column_list = ("plan", "codigo", "nombre", "objetivos_pnd", "objetivos_pes")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("plan.nombre",)
    column_default_sort = "codigo"
    column_formatters = {"plan": _enlace_plan}
    form_columns = ("plan", "codigo", "nombre", "descripcion", "objetivos_pnd", "objetivos_pes", "politicas_mipg")
    column_details_list = form_columns + ("indicadores",)
    column_select_related_list = (Objetivo.plan,)
    inline_models = (IndicadoresEnLinea(Indicador),)
    form_args = {"objetivos_pes": {"label": "Objetivos del PES (solo para un PEI)"}}

    def _limitar_campos(self, formulario):
        formulario = super()._limitar_campos(formulario)
        formulario.plan.query_factory = _planes_en_formulacion
        formulario.objetivos_pes.query_factory = _objetivos_pes
        formulario.politicas_mipg.query_factory = _politicas_activas
        return formulario

    def create_form(self, obj=None):
        formulario = super().create_form(obj)
        plan_id = entero("plan_id", request.args)
        if request.method == "GET" and plan_id:
            formulario.plan.data = db.session.get(Plan, plan_id)
        return formulario

    def get_save_return_url(self, model, is_created=False):
        return _url_plan(model.plan_id)


class MetasEnLinea(InlineFormAdmin):
    form_columns = ("id", "anio", "valor")
    form_label = "Meta por año"


class VistaIndicadores(ContenidoSoloEnFormulacion):
    recurso = "contenido_estrategico"
    column_list = ("objetivo", "codigo", "nombre", "unidad", "linea_base", "responsable", "sinergia")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("sinergia", "periodicidad", "responsable.nombre")
    column_default_sort = "codigo"
    column_formatters = {"objetivo": _enlace_plan_de_indicador}
    form_columns = ("objetivo", "codigo", "nombre", "formula", "unidad", "linea_base", "anio_linea_base", "periodicidad",
                    "tendencia", "responsable", "sinergia", "codigo_sinergia", "tipo_acumulacion")
    column_details_list = form_columns + ("metas",)
    inline_models = (MetasEnLinea(MetaIndicador),)
    column_select_related_list = (Indicador.objetivo, Indicador.unidad, Indicador.responsable)

    def plan_de(self, objeto):
        return objeto.objetivo.plan if objeto.objetivo else None

    def _limitar_campos(self, formulario):
        formulario = super()._limitar_campos(formulario)
        formulario.objetivo.query_factory = _objetivos_en_formulacion
        return formulario

    def get_save_return_url(self, model, is_created=False):
        return _url_plan(model.objetivo.plan_id)


def vistas_estrategicos():
    categoria = "Planeación"
    return [
        VistaPlanesEstrategicos(Plan, "Planes estratégicos", categoria, endpoint="planes_estrategicos"),
        VistaObjetivos(Objetivo, "Objetivos estratégicos", categoria),
        VistaIndicadores(Indicador, "Indicadores estratégicos", categoria),
    ]
