"""Vistas del ciclo del Plan de Acción: planes, actividades, metas territoriales, compromisos, cronograma.

Las páginas propias (ficha del plan, solicitud, devolución, consolidación, presentación) cargan el
plan con el alcance del usuario, llaman al servicio de `gestion.planes.plan_accion` y hacen un solo commit.
"""
import weakref

import sqlalchemy as sa
from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.fields import QuerySelectMultipleField
from flask_security import current_user
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload, lazyload
from wtforms import ValidationError

from gestion.base import validacion
from gestion.base.archivos import ArchivoSubido
from gestion.base.validacion import DatoInvalido
from gestion.excel import plantilla_actividades, plantilla_metas
from gestion.importacion import actividades as importacion_actividades
from gestion.importacion import mapeo, metas_dt
from gestion.importacion import metas_territoriales as importacion_metas
from gestion.planes import ajustes, campos, consultas, listas_guardadas, versiones
from gestion.planes import plan_accion as servicio
from gestion.reglas import alcance, flujo
from gestion.reglas import controles_plan_accion as controles
from gestion.reglas.permisos import EDITAR, AccesoDenegado, puede
from modelos import (
    Actividad,
    Compromiso,
    Dependencia,
    EstadoPlan,
    EtapaCronograma,
    MetaTerritorial,
    Objetivo,
    Plan,
    PlanInstitucional,
    SolicitudAjuste,
    TipoDependencia,
    TipoPlan,
    Vigencia,
    db,
)

from .ajustes import motivo_solicitar, url_plan
from .base import VistaModelo
from .cargas import cargar_con_errores, es_grande, libro_del_formulario
from .confirmaciones import guardar_para_confirmar, leer_confirmacion
from .contenido import EdicionSoloEnFormulacion, VistaContenidoDePlan, VistaPlanes
from .descargas import enviar_acta, enviar_libro
from .enlaces_de_fila import EnlaceDeFila
from .historia import HistoriaDesdeLibroPropio
from .inventario import VistaInventario
from .libro_propio import ImportacionDesdeLibroPropio
from .libro_varias import ImportacionDeVariasDependencias
from .metas_dt_propias import MetasDtDesdeLibroPropio
from .operaciones import confirmar, fecha_del_formulario, informar, operacion
from .parametros import entero
from .tabla_de_actividades import armar_tabla

_INSIGNIAS: dict[int, tuple[weakref.ref, Markup]] = {}


def _insignia(lista) -> Markup:
    """La insignia de una lista de chequeo, armada una vez por lista: las guardadas son un objeto por texto y por
    proceso (listas_guardadas) que nadie modifica, y armarla en cada fila era el 5 % de la lista de planes. La
    clave es el objeto vivo (su id, comprobado con una referencia débil que la borra cuando él muere)."""
    clave = id(lista)
    hecha = _INSIGNIAS.get(clave)
    if hecha is not None and hecha[0]() is lista:
        return hecha[1]
    # Armada con escape y no con Markup.format (el Formatter de Python en cada fila era el 5 % de la lista).
    titulo = escape("; ".join(i.descripcion for i in lista.fallidos + lista.por_verificar))
    insignia = Markup(f'<span class="badge badge-{lista.clase}" title="{titulo}">{escape(lista.resumen)}</span>')
    _INSIGNIAS[clave] = (weakref.ref(lista, lambda _, clave=clave: _INSIGNIAS.pop(clave, None)), insignia)
    return insignia


def _chequeo(vista, contexto, plan, nombre):
    if plan.tipo is not TipoPlan.PA:
        return ""
    return _insignia(g.get("listas_de_chequeo", {}).get(plan.id) or listas_guardadas.de_los_planes([plan])[plan.id])


def _chequeo_exportado(plan):
    """El resumen de la lista de chequeo en la lista exportada: las guardadas se leen una vez por descarga (una
    que falte, recién migrada la base, se evalúa ahí mismo)."""
    if plan.tipo is not TipoPlan.PA:
        return None
    if "resumenes_de_chequeo" not in g:
        g.resumenes_de_chequeo = listas_guardadas.resumenes_guardados()
    return g.resumenes_de_chequeo.get(plan.id) or controles.evaluar(plan).resumen


class VistaPlanesAccion(ImportacionDesdeLibroPropio, ImportacionDeVariasDependencias, MetasDtDesdeLibroPropio,
                        HistoriaDesdeLibroPropio, VistaPlanes):
    recurso = "planes_accion"
    tipos = (TipoPlan.PA, TipoPlan.PAI)
    # Los planes nacen de la solicitud (PA) o de la consolidación (PAI); su estado, de las transiciones.
    # La OAP solo corrige el nombre mientras el plan está en formulación.
    permite_crear = permite_eliminar = False
    form_columns = ("nombre",)
    named_filter_urls = True
    column_list = ("tipo", "dependencia", "vigencia", "numero_version", "estado", "chequeo", "enviado_en",
                   "aprobado_en")
    column_labels = {"chequeo": "Lista de chequeo"}
    column_formatters = {"chequeo": _chequeo}
    exportar_como = {"chequeo": _chequeo_exportado}
    column_filters = ("estado", "tipo", "vigencia.anio", "dependencia.nombre", "vigente")
    column_searchable_list = ("nombre", "dependencia.nombre")
    column_details_list = ("tipo", "nombre", "dependencia", "vigencia", "numero_version", "estado",
                           "observaciones", "enviado_por", "enviado_en", "aprobado_por", "aprobado_en",
                           "publicado_por", "publicado_en", "actividades")
    column_select_related_list = (Plan.dependencia, Plan.vigencia, Plan.ajuste_origen)
    column_extra_row_actions = [EnlaceDeFila("fa fa-file-text-o", ".ficha", title="Abrir la ficha del plan")]
    list_template = "plan_accion/lista.html"

    def get_list(self, *args, execute=True, **kwargs):
        total, consulta = super().get_list(*args, execute=False, **kwargs)
        if not execute:  # la exportación pide la consulta sin ejecutar: lee sus listas aparte
            return total, consulta
        # Del ajuste de origen (decide si la fila aún se edita) la página lee solo su estado: no sus textos ni el
        # JSON de sus cambios, que la lista no muestra.
        filas = consulta.options(joinedload(Plan.ajuste_origen).load_only(SolicitudAjuste.estado)).all()
        # La lista de chequeo guardada de toda la página, en una consulta: no una evaluación por fila.
        g.listas_de_chequeo = listas_guardadas.de_los_planes(filas)
        return total, filas

    def edit_form(self, obj=None):
        # Sin campo «tipo»: el tipo de un plan no cambia después de creado.
        return VistaContenidoDePlan.edit_form(self, obj)

    # --- permisos de las acciones ---------------------------------------------------------------
    # Las transiciones de la ficha y de la lista las deja pasar la tabla de gestion.reglas.flujo (el rol que
    # alguna vez las hace), como a sus botones; cada plan lo decide luego el servicio, con la misma tabla.
    TRANSICIONES = ("aprobar", "devolver", "presentar", "publicar")

    def puede_gestionar(self) -> bool:
        return puede(current_user, EDITAR, self.recurso)

    def puede_intentar(self, accion: str) -> bool:
        return flujo.puede_intentar(current_user, Plan, accion, self.tipos)

    def is_action_allowed(self, name):
        if name == "verificar":
            return self.puede_gestionar()
        if name in ("aprobar", "devolver"):
            return self.puede_intentar(name)
        return super().is_action_allowed(name)

    def post_permitido(self, endpoint):
        if endpoint in self.TRANSICIONES:
            return self.puede_intentar(endpoint)
        # Enviar y cargar actividades lo hace el director de la dependencia: lo deciden gestion.reglas.flujo
        # y el servicio de cargue.
        return endpoint in ("enviar", "cargar_actividades", "libro_propio", "metas_dt_libro") or super().post_permitido(endpoint)

    def _exigir_gestion(self):
        if not self.puede_gestionar():
            abort(403)

    def _planes(self, ids) -> list[Plan]:
        return [self.get_one(i) for i in ids]

    def _vigencia(self, valor) -> Vigencia | None:
        try:
            clave = validacion.leer_entero(valor)  # un año enorme no cabe en la base: no existe
        except (TypeError, ValueError):
            return None
        return db.session.get(Vigencia, clave) if clave is not None else None

    # --- acciones en bloque ---------------------------------------------------------------------
    @action("aprobar", "Aprobar", "¿Aprobar los planes seleccionados? Se omiten los que no cumplen la lista de chequeo.")
    def accion_aprobar(self, ids):
        self.servicio_en_bloque(ids, lambda planes: servicio.aprobar_varios(planes, current_user), "aprobado(s)")

    @action("devolver", "Devolver con observaciones")
    def accion_devolver(self, ids):
        return redirect(url_for(".devolver", id=ids))

    @action("verificar", "Verificar los puntos de juicio")
    def accion_verificar(self, ids):
        return redirect(url_for(".verificar_en_bloque", id=ids))

    # --- páginas propias ------------------------------------------------------------------------
    @expose("/ficha/")
    def ficha(self):
        plan = self.get_one(request.args.get("id"))
        contexto = {"plan": plan, "historial": flujo.historial_legible(plan),
                    "acciones": {t.accion for t in flujo.acciones_disponibles(current_user, plan)},
                    "motivo_editar": flujo.motivo_no_editable(current_user, plan),
                    "versiones": ajustes.versiones_con_solicitud(plan), "url_plan": url_plan,
                    "situacion": ajustes.situacion(plan),
                    "motivo_solicitar": motivo_solicitar(plan)}
        if plan.tipo is TipoPlan.PA:
            consultas.cargar_actividades(plan, para_el_chequeo=False)  # la tabla, con las metas de cada DT
            # La lista guardada, como en la lista de planes: siempre al día (se borra en el mismo flush que cambia lo
            # que lee) y una consulta; evaluarla en vivo eran cuatro consultas más y ~10 % de la ficha.
            chequeo = listas_guardadas.de_los_planes([plan])[plan.id]
            contexto.update(chequeo=chequeo, compromisos=servicio.compromisos_de(plan),
                            advertencias=servicio.advertencias_de_envio(plan, chequeo)
                            if "enviar" in contexto["acciones"] else [],
                            items_juicio=controles.ITEMS_JUICIO,
                            tabla=armar_tabla(self, plan.actividades, contexto["motivo_editar"] is None,
                                              request.full_path),
                            campos_ficha=campos.FICHA, campos_meta=campos.META_TERRITORIAL,
                            puede_traer=mapeo.motivo_no_traer(current_user, plan) is None,
                            puede_traer_metas_dt=self.puede_gestionar()
                            and metas_dt.motivo_no_cargar(current_user, plan) is None,
                            puede_verificar=self.puede_gestionar() and servicio.en_verificacion(plan),
                            desde_devolucion=servicio.cambios_desde_devolucion(plan)
                            if plan.estado is EstadoPlan.ENVIADO else None)
        else:
            anterior = plan.plan_anterior
            consultas.cargar_consolidados(plan)
            contexto.update(resumen=servicio.resumen_pai(plan), desactualizado=ajustes.pai_desactualizado(plan.vigencia_id),
                            frente_al_anterior=versiones.comparar(anterior, plan) if anterior else None)
        return self.render("plan_accion/ficha.html", **contexto)

    def _volver(self, plan):
        return redirect(url_for(".ficha", id=plan.id))

    @expose("/enviar/", methods=["POST"])
    def enviar(self):
        plan = self.get_one(request.form.get("id"))
        with operacion(f"«{plan}» se envió a la Oficina Asesora de Planeación."):
            servicio.enviar(plan, current_user, confirmado=request.form.get("confirmado") == "si")
        return self._volver(plan)

    @expose("/aprobar/", methods=["POST"])
    def aprobar(self):
        plan = self.get_one(request.form.get("id"))
        with operacion(f"«{plan}» quedó aprobado."):
            servicio.aprobar(plan, current_user)
        return self._volver(plan)

    @expose("/verificar/", methods=["POST"])
    def verificar(self):
        """Los puntos de juicio de la actividad 12, los tres en un solo envío (los que se marquen)."""
        self._exigir_gestion()
        plan = self.get_one(request.form.get("id"))
        marcas = {item: (request.form.get(f"cumple-{item}") == "si", request.form.get(f"comentario-{item}"))
                  for item in controles.ITEMS_JUICIO if request.form.get(f"cumple-{item}") in ("si", "no")}
        with operacion(f"{len(marcas)} punto(s) de control registrado(s)."):
            servicio.verificar_todos(plan, current_user, marcas)
        return self._volver(plan)

    @expose("/verificar_en_bloque/", methods=["GET", "POST"])
    def verificar_en_bloque(self):
        """Los puntos de juicio de la actividad 12 de muchos planes en un solo envío: los elegidos en la lista o,
        sin elección, todos los que esperan verificación. Todo o nada."""
        self._exigir_gestion()
        fuente = request.form if request.method == "POST" else request.args
        elegidos = fuente.getlist("id")
        planes = self._planes(elegidos) if elegidos else servicio.planes_en_verificacion(current_user)
        motivos = {p.id: servicio.motivo_no_verificar(p) for p in planes}
        por_verificar = [p for p in planes if motivos[p.id] is None]
        if request.method == "POST":
            filas = [(p, servicio.marcas_del_formulario(
                p, {i for i in controles.ITEMS_JUICIO if request.form.get(f"cumple-{p.id}-{i}") == "si"},
                {i: request.form.get(f"comentario-{p.id}-{i}", "") for i in controles.ITEMS_JUICIO}))
                for p in por_verificar]
            with operacion() as desenlace:
                resultados = servicio.verificar_varios(filas, current_user)
            if desenlace.hecha:
                for resultado in resultados:
                    flash(resultado, "success")
                return redirect(url_for(".verificar_en_bloque", id=elegidos) if elegidos
                                else url_for(".verificar_en_bloque"))
        listas = controles.evaluar_varios(planes)
        omitidos = [motivos[p.id] for p in planes if motivos[p.id]]
        return self.render("plan_accion/verificar_en_bloque.html", filas=[(p, listas[p.id]) for p in por_verificar],
                           omitidos=omitidos, elegidos=elegidos, items=controles.ITEMS_JUICIO,
                           enviado=request.form if request.method == "POST" else None), (
            422 if request.method == "POST" else 200)

    @expose("/devolver/", methods=["GET", "POST"])
    def devolver(self):
        if not self.puede_intentar("devolver"):  # el formulario también: su POST lo filtra `post_permitido`
            abort(403)
        fuente = request.form if request.method == "POST" else request.args
        planes = self._planes(fuente.getlist("id"))
        if not planes:
            flash("Seleccione al menos un plan.", "error")
            return redirect(url_for(".index_view"))
        observacion = request.form.get("observacion", "")
        if request.method == "POST":
            with operacion() as desenlace:
                resultados = servicio.devolver_varios(planes, current_user, observacion)
            if desenlace.hecha:
                informar(resultados, "devuelto(s)")
                return redirect(url_for(".ficha", id=planes[0].id) if len(planes) == 1
                                else url_for(".index_view"))
        filas = [(p, controles.evaluar(p) if p.tipo is TipoPlan.PA else None,
                  flujo.motivo_rechazo(current_user, p, "devolver")) for p in planes]
        return self.render("plan_accion/devolver.html", filas=filas, observacion=observacion)

    @expose("/solicitar/", methods=["GET", "POST"])
    def solicitar(self):
        self._exigir_gestion()
        vigencias = db.session.scalars(sa.select(Vigencia).order_by(Vigencia.anio.desc())).all()
        dependencias = servicio.dependencias_solicitables()
        fuente = request.form if request.method == "POST" else request.args
        vigencia = self._vigencia(fuente.get("vigencia")) or (vigencias[0] if vigencias else None)
        if request.method == "POST":
            elegidas = {int(i) for i in request.form.getlist("dependencia") if i.isdigit()}
            with operacion() as desenlace:
                if vigencia is None:
                    raise DatoInvalido("Seleccione la vigencia.")
                resultados = servicio.solicitar(vigencia, [d for d in dependencias if d.id in elegidas],
                                                current_user)
            if desenlace.hecha:
                informar(resultados, "plan(es) solicitado(s)")
                return redirect(url_for(".index_view"))
        con_plan = {p.dependencia_id for p in servicio.planes_de_vigencia(vigencia)} if vigencia else set()
        return self.render("plan_accion/solicitar.html", vigencias=vigencias, vigencia=vigencia,
                           dependencias=dependencias, con_plan=con_plan)

    @expose("/consolidar/", methods=["GET", "POST"])
    def consolidar(self):
        self._exigir_gestion()
        vigencias = db.session.scalars(sa.select(Vigencia).order_by(Vigencia.anio.desc())).all()
        fuente = request.form if request.method == "POST" else request.args
        vigencia = self._vigencia(fuente.get("vigencia")) or (vigencias[0] if vigencias else None)
        if request.method == "POST" and vigencia is not None:
            with operacion() as desenlace:
                pai = servicio.consolidar(vigencia, current_user, request.form.get("excepcion"))
                desenlace.exito = f"«{pai}» consolidado con {len(pai.planes_consolidados)} planes aprobados."
            if desenlace.hecha:
                if advertencia := servicio.advertencia_integracion(pai):
                    flash(advertencia, "warning")
                return redirect(url_for(".ficha", id=pai.id))
        planes = servicio.planes_de_vigencia(vigencia) if vigencia else []
        return self.render("plan_accion/consolidar.html", vigencias=vigencias, vigencia=vigencia, planes=planes,
                           pendientes=servicio.pendientes_de_aprobar(vigencia) if vigencia else [],
                           pai=servicio.pai_de(vigencia) if vigencia else None,
                           sin_actividad=servicio.sin_actividad_del_decreto(
                               [p for p in planes if p.estado is EstadoPlan.APROBADO]) if planes else [],
                           excepcion=request.form.get("excepcion", ""))

    @expose("/presentar/", methods=["GET", "POST"])
    def presentar(self):
        pai = self.get_one(request.values.get("id"))
        motivo = flujo.motivo_rechazo(current_user, pai, "presentar")
        if motivo:
            flash(motivo, "error")
            return self._volver(pai)
        if request.method == "POST":
            fecha = fecha_del_formulario("fecha")
            with operacion(f"Presentación de «{pai}» al comité registrada.") as desenlace:
                servicio.presentar(pai, current_user, fecha, request.form.get("numero", ""),
                                   request.form.get("decisiones"),
                                   ArchivoSubido.de_formulario(request.files.get("archivo")))
            if desenlace.hecha:
                return self._volver(pai)
        return self.render("plan_accion/presentar.html", plan=pai, datos=request.form)

    @expose("/acta/")
    def acta(self):
        return enviar_acta(self.get_one(request.args.get("id")).acta_presentacion)

    def _plan_a_cargar(self) -> Plan:
        if not puede(current_user, EDITAR, "actividades"):
            abort(403)
        plan = self.get_one(request.values.get("id"))
        if plan.tipo is not TipoPlan.PA:
            abort(404)
        return plan

    @expose("/plantilla_actividades/")
    def plantilla_actividades(self):
        plan = self._plan_a_cargar()
        return enviar_libro(importacion_actividades.plantilla(plan), plantilla_actividades.nombre_archivo(plan))

    @expose("/cargar_actividades/", methods=["GET", "POST"])
    def cargar_actividades(self):
        plan = self._plan_a_cargar()
        motivo = importacion_actividades.motivo_no_cargar(current_user, plan)
        if motivo and request.method == "GET":
            flash(motivo, "warning")
            return self._volver(plan)
        carga = None
        if request.method == "POST":
            # Lo que el archivo borraría se muestra y se confirma antes: el libro queda guardado mientras tanto.
            libro, borrar = None, []
            if request.form.get("confirmacion"):
                confirmada = leer_confirmacion(request.form["confirmacion"], plan=plan.id, usuario=current_user.id)
                if confirmada is None:
                    flash("La confirmación venció o no corresponde a este plan: elija el archivo otra vez.", "warning")
                    return redirect(url_for(".cargar_actividades", id=plan.id))
                libro, borrar = confirmada[0], confirmada[1]["borrar"]
            elif (motivo is None and (subido := libro_del_formulario()) is not None
                  and not es_grande(subido, plantilla_actividades.HOJA)):  # uno grande: lo dice su trabajo
                codigos = importacion_actividades.codigos_del_libro(subido.contenido)
                por_borrar = importacion_actividades.por_borrar(plan, codigos) if codigos else []
                if por_borrar:
                    marca = guardar_para_confirmar(subido, plan=plan.id, usuario=current_user.id,
                                                   borrar=[p.codigo for p in por_borrar])
                    return self.render("plan_accion/cargar_actividades.html", plan=plan, carga=None,
                                       por_borrar=por_borrar, confirmacion=marca, archivo=subido.nombre)
            carga = cargar_con_errores(
                lambda contenido: importacion_actividades.importar(plan, contenido, current_user, borrar=borrar),
                lambda resultado: resultado.mensaje(plan), plantilla_actividades.nombre_archivo(plan),
                plantilla_actividades.HOJA, libro=libro, parametros={"borrar": borrar})
            if carga.hecha:
                return self._volver(plan)
        # Un libro rechazado vuelve con sus errores (y el libro marcado) y 422: no se guardó nada.
        return self.render("plan_accion/cargar_actividades.html", plan=plan, carga=carga), (
            422 if request.method == "POST" else 200)

    @expose("/publicar/", methods=["POST"])
    def publicar(self):
        pai = self.get_one(request.form.get("id"))
        with operacion(f"«{pai}» publicado."):
            servicio.publicar(pai, current_user)
        return self._volver(pai)


class VistaActividades(EdicionSoloEnFormulacion, VistaContenidoDePlan):
    recurso = "actividades"
    column_labels = dict(campos.ETIQUETAS)
    column_list = ("plan", "codigo", "descripcion", "objetivo", "meta_anual", "peso", "presupuesto", "territorial")
    column_export_list = (*column_list, "planes_institucionales")
    column_searchable_list = ("codigo", "descripcion", "indicador")
    column_filters = ("territorial", "plan.nombre", "objetivo.nombre")
    column_default_sort = "codigo"
    form_columns = ("plan", *campos.POR_NOMBRE, "direcciones_territoriales")
    form_extra_fields = {"direcciones_territoriales": QuerySelectMultipleField(
        "Direcciones Territoriales que la ejecutan",
        query_factory=lambda: db.session.scalars(sa.select(Dependencia).where(
            Dependencia.tipo == TipoDependencia.TERRITORIAL, Dependencia.activa).order_by(Dependencia.codigo)),
        description="Solo para actividades territoriales: cada Dirección fija luego sus metas trimestrales.")}
    column_details_list = ("plan", *campos.POR_NOMBRE, "metas_territoriales")
    column_select_related_list = (Actividad.plan, Actividad.objetivo)

    def get_list(self, *args, execute=True, **kwargs):
        # La lista no muestra los planes institucionales de cada actividad (la exportación sí): sin leerlos,
        # que era una consulta más y el 6 % de la página. El ajuste de origen de cada plan (si la fila aún se
        # edita) llega con la página: leído plan por plan era una consulta por plan y el 13 % de la lista del
        # director. De él solo su estado, no la diferencia que guarda (llegaba una vez por actividad).
        total, consulta = super().get_list(*args, execute=False, **kwargs)
        if not execute:
            return total, consulta
        return total, consulta.options(
            lazyload(Actividad.planes_institucionales),
            joinedload(Actividad.plan).joinedload(Plan.ajuste_origen).load_only(SolicitudAjuste.estado)).all()

    def _ajustar(self, formulario):
        # Una actividad se alinea con un objetivo del PEI vigente, no con uno del PES.
        formulario.objetivo.query_factory = lambda: db.session.scalars(
            sa.select(Objetivo).join(Objetivo.plan).where(Plan.tipo == TipoPlan.PEI, Plan.vigente)
            .order_by(Objetivo.codigo)).all()
        formulario.planes_institucionales.query_factory = lambda: db.session.scalars(
            sa.select(PlanInstitucional).where(PlanInstitucional.activo).order_by(PlanInstitucional.codigo)).all()
        formulario.plan.query_factory = lambda: alcance.limitar(
            db.session.query(Plan), Plan, current_user).filter(Plan.tipo == TipoPlan.PA).order_by(Plan.id).all()
        return formulario

    def create_form(self, obj=None):
        formulario = self._ajustar(super().create_form(obj))
        plan_id = entero("plan_id", request.args)
        if request.method == "GET" and plan_id:
            formulario.plan.data = alcance.limitar(db.session.query(Plan), Plan, current_user).filter(
                Plan.id == plan_id).one_or_none()
        return formulario

    def edit_form(self, obj=None):
        formulario = self._ajustar(super().edit_form(obj))
        if request.method == "GET" and obj is not None:
            formulario.direcciones_territoriales.data = [m.dependencia for m in obj.metas_territoriales]
        return formulario

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        # Una negativa del servicio la muestra `handle_view_exception`, como un ValidationError.
        servicio.asignar_territoriales(model, form.direcciones_territoriales.data or [], current_user)


class VistaMetasTerritoriales(MetasDtDesdeLibroPropio, EdicionSoloEnFormulacion, VistaModelo):
    recurso = "metas_territoriales"
    permite_crear = permite_eliminar = False
    column_list = ("actividad.plan.vigencia", "actividad", "dependencia", "meta_t1", "meta_t2", "meta_t3", "meta_t4")
    column_labels = {"actividad.plan.vigencia": "Vigencia", "actividad.plan.vigencia.anio": "Vigencia"}
    column_filters = ("actividad.plan.vigencia.anio", "dependencia.nombre")
    form_columns = ("meta_t1", "meta_t2", "meta_t3", "meta_t4")
    # El plan y la vigencia de cada actividad salen del mapa de identidad: una consulta por plan, no por fila.
    column_select_related_list = (MetaTerritorial.actividad, MetaTerritorial.dependencia)
    list_template = "seguimiento/lista.html"
    edit_template = "plan_accion/meta_territorial.html"

    def enlaces(self):
        if current_user.dependencia is None or current_user.dependencia.tipo is not TipoDependencia.TERRITORIAL \
                or not self.puede_escribir():
            return []
        return [("Cargar las metas desde Excel", url_for(".cargar")),
                ("Traer las metas de un libro propio", url_for(".libro_propio"))]

    # --- el libro propio de la DT (vistas/metas_dt_propias.py), plan por plan -----------------------------------
    @expose("/libro_propio/")
    def libro_propio(self):
        """Los planes de la vigencia con actividades de la DT, para elegir a cuál traerle las metas de su libro."""
        self._direccion()
        vigencia = self._vigencia()
        return self.render("plan_accion/metas_dt_planes.html", vigencia=vigencia,
                           planes=metas_dt.planes_de_la_direccion(current_user, vigencia))

    def _plan_de_metas_dt(self):
        """Un plan de acción con actividades asignadas a la DT del usuario; otro, 404 (como fuera de su alcance)."""
        plan = metas_dt.plan_de_la_direccion(self._direccion(), entero("id"))
        if plan is None:
            abort(404)
        return plan

    def _dueno_de_mapeos(self, plan):
        return current_user._get_current_object()  # los mapeos de la DT, no los de la dependencia del plan

    def _url_volver_de_metas_dt(self, plan) -> str:
        return self.get_url(".libro_propio", vigencia=plan.vigencia.anio)

    def _volver(self, plan):
        return redirect(self.get_url(".index_view"))

    def _vigencia(self) -> Vigencia:
        """La de `?vigencia=aaaa`; sin ella, la más reciente."""
        consulta = sa.select(Vigencia).order_by(Vigencia.anio.desc()).limit(1)
        anio = entero("vigencia")
        vigencia = db.session.scalar(consulta.where(Vigencia.anio == anio) if anio else consulta)
        if vigencia is None:
            abort(404)
        return vigencia

    def _direccion(self):
        try:
            return importacion_metas.direccion_de(current_user)
        except AccesoDenegado:
            abort(403)

    @expose("/plantilla/")
    def plantilla(self):
        direccion, vigencia = self._direccion(), self._vigencia()
        return enviar_libro(importacion_metas.plantilla(current_user, vigencia),
                            plantilla_metas.nombre_archivo(direccion, vigencia))

    @expose("/cargar/", methods=("GET", "POST"))
    def cargar(self):
        direccion, vigencia = self._direccion(), self._vigencia()
        carga = None
        if request.method == "POST":
            carga = cargar_con_errores(
                lambda contenido: importacion_metas.importar(current_user, vigencia, contenido),
                lambda resultado: resultado.mensaje(), plantilla_metas.nombre_archivo(direccion, vigencia),
                plantilla_metas.HOJA, parametros={"vigencia_id": vigencia.id, "dependencia_id": direccion.id})
            if carga.hecha:
                return redirect(url_for(".index_view"))
        return self.render("plan_accion/cargar_metas.html", direccion=direccion, vigencia=vigencia,
                           carga=carga), (422 if request.method == "POST" else 200)

    def plan_de(self, objeto):
        return objeto.actividad.plan

    def motivo_no_editar(self, objeto):
        # La DT fija sus metas mientras el plan se formula, aunque no sea quien lo formula.
        return flujo.motivo_estado(self.plan_de(objeto))

    def url_volver(self, objeto):
        return self.get_url(".index_view")  # la DT no abre la ficha del plan de otra dependencia

    def validar_modificacion(self, objeto):
        plan = objeto.actividad.plan
        if objeto.dependencia_id != current_user.dependencia_id:
            raise ValidationError("Solo la Dirección Territorial fija sus propias metas.")
        motivo = flujo.motivo_estado(plan)
        if motivo:
            raise ValidationError(motivo)


class VistaCompromisos(VistaModelo):
    recurso = "compromisos"
    column_list = ("vigencia", "dependencia", "tipo", "objetivo", "descripcion")
    column_searchable_list = ("descripcion",)
    column_filters = ("tipo", "vigencia.anio", "dependencia.nombre")
    form_columns = ("vigencia", "dependencia", "tipo", "objetivo", "descripcion")
    column_select_related_list = (Compromiso.vigencia, Compromiso.dependencia, Compromiso.objetivo)

    def create_form(self, obj=None):
        return self._solo_pei(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._solo_pei(super().edit_form(obj))

    @staticmethod
    def _solo_pei(formulario):
        formulario.objetivo.query_factory = lambda: db.session.scalars(
            sa.select(Objetivo).join(Objetivo.plan).where(Plan.tipo == TipoPlan.PEI, Plan.vigente)
            .order_by(Objetivo.codigo)).all()
        return formulario


class VistaCronograma(VistaModelo):
    recurso = "cronograma"
    column_list = ("vigencia", "fase", "inicio", "fin")
    column_filters = ("vigencia.anio", "fase")
    column_default_sort = "inicio"
    form_columns = ("vigencia", "fase", "inicio", "fin")
    column_select_related_list = (EtapaCronograma.vigencia,)
    list_template = "plan_accion/cronograma.html"

    @expose("/completar/", methods=["POST"])
    def completar(self):
        vigencia = db.session.get(Vigencia, entero("vigencia", request.form) or 0)
        if vigencia is None:
            flash("Seleccione la vigencia.", "error")
            return redirect(url_for(".index_view"))
        nuevas = servicio.completar_cronograma(vigencia, current_user)
        confirmar(f"Cronograma {vigencia.anio}: {len(nuevas)} fase(s) creada(s) con las fechas por defecto "
                   "(publicación a más tardar el 31 de enero).")
        return redirect(url_for(".index_view"))

    def vigencias(self):
        return db.session.scalars(sa.select(Vigencia).order_by(Vigencia.anio.desc())).all()


def vistas_planes_accion():
    categoria = "Planeación"
    return [
        VistaPlanesAccion(Plan, "Planes de acción", categoria, endpoint="planes_accion"),
        VistaActividades(Actividad, "Actividades", categoria),
        VistaMetasTerritoriales(MetaTerritorial, "Metas territoriales", categoria),
        VistaCompromisos(Compromiso, "Compromisos", categoria),
        VistaCronograma(EtapaCronograma, "Cronograma", categoria),
        VistaInventario(PlanInstitucional, "Inventario de planes", categoria, endpoint="inventario_planes"),
    ]
