"""Vistas de la revisión del seguimiento por la OAP (actividades 17 a 19): ventanas de reporte, diagnóstico
trimestral, informes y su remisión a Control Interno, presentación a los comités y sus acciones."""
import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.template import LinkRowAction
from flask_security import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from gestion.base.archivos import ArchivoSubido
from gestion.excel import informe as excel_informe
from gestion.excel import sinergia as excel_sinergia
from gestion.reglas import flujo, ventanas
from gestion.reglas.permisos import EDITAR, puede
from gestion.seguimiento import cifras, consultas, revision
from gestion.trabajos import cola, tareas
from modelos import (
    AccionDerivada,
    Acta,
    Dependencia,
    DiagnosticoTrimestral,
    EstadoTrabajo,
    InformeSeguimiento,
    Instancia,
    PresentacionComite,
    ReaperturaVentana,
    VentanaReporte,
    Vigencia,
    db,
)

from .base import ConEnlaces, VistaModelo, VistaSoloLectura
from .descargas import enviar_acta, enviar_libro
from .operaciones import fecha_del_formulario, operacion
from .parametros import entero, vigencia_y_trimestre
from .trabajos import lanzar, pagina


def _reaperturas(ventana) -> list[str]:
    return [f"{r.para} hasta el {r.hasta:%d/%m/%Y}: {r.motivo}" for r in ventana.reaperturas]


class VistaVentanas(ConEnlaces, VistaModelo):
    recurso = "revision_seguimiento"
    column_list = ("vigencia", "trimestre", "abre", "cierra", "estado", "reaperturas")
    column_filters = ("vigencia.anio", "trimestre")
    column_default_sort = [("vigencia.anio", True), ("trimestre", False)]
    form_columns = ("vigencia", "trimestre", "abre", "cierra")
    column_labels = {"reaperturas": "Reaperturas", "estado": "Hoy"}
    column_formatters = {"estado": lambda v, c, m, n: ventanas.en_palabras(m).capitalize(),
                         "reaperturas": lambda v, c, m, n: Markup("<br>").join(_reaperturas(m))}
    exportar_como = {"estado": lambda m: ventanas.en_palabras(m).capitalize(),
                     "reaperturas": lambda m: "; ".join(_reaperturas(m))}

    def cargas_exportacion(self):
        return (selectinload(VentanaReporte.reaperturas).selectinload(ReaperturaVentana.dependencia),)

    def get_query(self):
        # Cada fila dice su estado por sus reaperturas: se traen con la lista, no fila por fila.
        return super().get_query().options(*self.cargas_exportacion())

    def post_permitido(self, endpoint):
        if endpoint == "reabrir":
            return self.puede_reabrir()
        return super().post_permitido(endpoint)

    def puede_reabrir(self) -> bool:
        return flujo.puede_intentar(current_user, VentanaReporte, "reabrir")

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        with db.session.no_autoflush:
            cruces = ventanas.cruces(model) if model.abre and model.cierra else []
        if cruces:
            flash(f"{model}: sus fechas se cruzan con " + "; ".join(cruces) + ". Revise si es lo que quiere.",
                  "warning")

    @expose("/reabrir/", methods=("GET", "POST"))
    def reabrir(self):
        ventana = self.get_one(request.values.get("id"))
        if request.method == "POST":
            para_todas = request.form.get("dependencia_id") == "todas"
            dependencia = None if para_todas else db.session.get(Dependencia, entero("dependencia_id") or 0)
            with operacion() as desenlace:
                reapertura = revision.reabrir_ventana(ventana, dependencia, request.form.get("motivo", ""),
                                                      fecha_del_formulario("hasta"), current_user,
                                                      para_todas=para_todas)
                desenlace.exito = f"{ventana} reabierta para {reapertura.para} hasta el {reapertura.hasta:%d/%m/%Y}."
            if desenlace.hecha:
                return redirect(url_for(".index_view"))
        dependencias = db.session.scalars(sa.select(Dependencia).where(Dependencia.activa)
                                          .order_by(Dependencia.nombre)).all()
        return self.render("seguimiento/reabrir.html", ventana=ventana, dependencias=dependencias,
                           hoy=ventanas.en_palabras(ventana), datos=request.form)

    def get_list_row_actions(self):
        acciones = super().get_list_row_actions()
        if self.puede_reabrir():
            acciones = [*acciones, LinkRowAction("fa fa-unlock", "reabrir/?id={row_id}", title="Reabrir la ventana")]
        return acciones


class VistaDiagnosticos(ConEnlaces, VistaSoloLectura):
    recurso = "revision_seguimiento"
    column_list = ("vigencia", "trimestre", "dependencia", "diagnostico", "autor", "en")
    column_filters = ("vigencia.anio", "trimestre", "dependencia.nombre")
    column_select_related_list = (DiagnosticoTrimestral.vigencia, DiagnosticoTrimestral.dependencia)

    def enlaces(self):
        return [("Cuadro diagnóstico del trimestre", url_for(".cuadro"))]

    @expose("/cuadro/", methods=("GET", "POST"))
    def cuadro(self):
        vigencia, trimestre = vigencia_y_trimestre()
        if vigencia is None:
            abort(404)
        conflicto = False
        if request.method == "POST":
            textos = {int(clave.removeprefix("diagnostico-")): (texto, request.form.get(f"leido-{clave[12:]}"))
                      for clave, texto in request.form.items()
                      if clave.startswith("diagnostico-") and clave[12:].isdigit()}
            with operacion() as desenlace:
                guardados = revision.guardar_cuadro_diagnostico(vigencia, trimestre, current_user, textos)
                desenlace.exito = f"Diagnósticos guardados: {guardados}."
            if desenlace.hecha:
                return redirect(url_for(".cuadro", vigencia=vigencia.anio, trimestre=trimestre))
            conflicto = desenlace.conflicto
        # Tras un choque con otro editor se muestran los textos vigentes, no los que iban a pisarlos.
        return self.render("seguimiento/diagnostico.html", cuadro=cifras.cuadro(vigencia, trimestre),
                           textos=consultas.diagnosticos(vigencia.id, trimestre),
                           datos={} if conflicto else request.form,
                           vigencias=cifras.vigencias_con_planes(), puede_editar=self.puede_escribir())


class VistaInformes(ConEnlaces, VistaSoloLectura):
    recurso = "revision_seguimiento"
    column_list = ("vigencia", "trimestre", "generado_en", "generado_por", "remitido_en", "remitido_por",
                   "destinatarios", "archivos")
    column_labels = {"generado_en": "Generado el", "generado_por": "Generado por", "remitido_en": "Remitido el",
                     "remitido_por": "Remitido por", "destinatarios": "Destinatarios", "archivos": "Informe"}
    column_default_sort = ("generado_en", True)
    can_view_details = False
    column_formatters = {"archivos": lambda v, c, m, n: Markup(
        '<a href="{}">Ver</a> · <a href="{}">.xlsx</a>').format(url_for(".ficha", id=m.id), url_for(".xlsx", id=m.id))}
    column_export_exclude_list = ("archivos",)  # enlaces de la página, no datos

    def _limitar(self, consulta):
        # Control Interno ve los informes que recibió; la OAP, también los que aún no remite.
        if puede(current_user, EDITAR, revision.REVISION):
            return consulta
        return consulta.filter(InformeSeguimiento.remitido_en.is_not(None))

    def get_query(self):
        return self._limitar(super().get_query())

    def get_count_query(self):
        return self._limitar(super().get_count_query())

    def get_one(self, id):
        informe = super().get_one(id)
        if not puede(current_user, EDITAR, revision.REVISION) and informe.remitido_en is None:
            abort(404)
        return informe

    def enlaces(self):
        enlaces = [("Exportación SINERGIA", url_for(".sinergia"))]
        if self.puede_escribir():
            enlaces.insert(0, ("Generar informe", url_for(".generar")))
        return enlaces

    @expose("/generar/", methods=("GET", "POST"))
    def generar(self):
        if not self.puede_escribir():
            abort(403)
        vigencia, trimestre = vigencia_y_trimestre()
        if request.method == "POST":
            if vigencia is None:
                abort(404)
            with operacion() as desenlace:
                informe = revision.generar_informe(vigencia, trimestre, current_user)
                desenlace.exito = f"{informe} generado."
            if desenlace.hecha:
                return redirect(url_for(".ficha", id=informe.id))
        return self.render("seguimiento/generar_informe.html", vigencia=vigencia, trimestre=trimestre,
                           vigencias=cifras.vigencias_con_planes())

    @expose("/ficha/")
    def ficha(self):
        informe = self.get_one(request.args.get("id"))
        instancias = db.session.scalars(sa.select(Instancia).order_by(Instancia.nombre)).all()
        dependencias = db.session.scalars(sa.select(Dependencia).where(Dependencia.activa)
                                          .order_by(Dependencia.nombre)).all()
        return self.render("seguimiento/informe.html", informe=informe, instancias=instancias,
                           dependencias=dependencias, puede_editar=self.puede_escribir(),
                           historial=flujo.historial_legible(informe), datos=request.form,
                           remision=tareas.marca_remision(informe), destinatarios=consultas.destinatarios_informe())

    @expose("/xlsx/")
    def xlsx(self):
        informe = self.get_one(request.args.get("id"))
        if cola.supera_umbral(cola.filas_del_informe(informe)):
            return pagina(lanzar("informe_xlsx", {"informe_id": informe.id}, f"Libro del {informe}"))
        return enviar_libro(revision.libro_del_informe(informe),
                            excel_informe.nombre_archivo(informe.vigencia, informe.trimestre))

    @expose("/remitir/", methods=("POST",))
    def remitir(self):
        """Siempre un trabajo (en la petición si no hay cola): su clave es la remisión que la página mostraba,
        así un doble clic o un reintento no escriben dos veces a Control Interno; volver a remitir después sí."""
        if not self.puede_escribir():
            abort(403)
        informe = self.get_one(request.form.get("id"))
        leida = (request.form.get("remision") or tareas.marca_remision(informe))[:40]
        trabajo = lanzar("remitir", {"informe_id": informe.id, "remision_leida": leida},
                         f"Remisión del {informe} a Control Interno", clave=f"remitir:{informe.id}:{leida}")
        if trabajo.activo:
            return pagina(trabajo)
        flash(trabajo.mensaje, "success" if trabajo.estado is EstadoTrabajo.TERMINADO else "error")
        return redirect(url_for(".ficha", id=informe.id))

    @expose("/presentar/", methods=("POST",))
    def presentar(self):
        informe = self.get_one(request.form.get("id"))
        with operacion("Presentación al comité registrada."):
            revision.registrar_presentacion(
                informe, db.session.get(Instancia, entero("instancia_id") or 0), request.form.get("numero"),
                fecha_del_formulario("fecha"), request.form.get("decisiones"), current_user,
                ArchivoSubido.de_formulario(request.files.get("archivo")))
        return redirect(url_for(".ficha", id=informe.id))

    @expose("/acta/")
    def acta(self):
        informe = self.get_one(request.args.get("id"))
        presentacion = next((p for p in informe.presentaciones if p.id == entero("presentacion_id")), None)
        if presentacion is None:
            abort(404)
        return enviar_acta(presentacion.acta)

    @expose("/accion/", methods=("POST",))
    def accion(self):
        informe = self.get_one(request.form.get("id"))
        presentacion = next((p for p in informe.presentaciones if p.id == entero("presentacion_id")), None)
        if presentacion is None:
            abort(404)
        with operacion("Acción registrada."):
            revision.agregar_accion(presentacion, request.form.get("descripcion"),
                                    db.session.get(Dependencia, entero("dependencia_id") or 0),
                                    fecha_del_formulario("fecha_limite"), current_user)
        return redirect(url_for(".ficha", id=informe.id))

    @expose("/sinergia/")
    def sinergia(self):
        anio = entero("vigencia")
        if anio is None:
            return self.render("seguimiento/sinergia.html", vigencias=cifras.vigencias_con_planes())
        vigencia = db.session.scalar(sa.select(Vigencia).filter_by(anio=anio))
        if vigencia is None:
            abort(404)
        return enviar_libro(excel_sinergia.libro(vigencia, consultas.filas_sinergia(vigencia)),
                            excel_sinergia.nombre_archivo(vigencia))


class VistaAccionesDerivadas(VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("presentacion", "descripcion", "dependencia", "fecha_limite", "estado", "cerrada_en")
    column_labels = {"presentacion": "Acta", "cerrada_en": "Cerrada el"}
    column_filters = ("estado", "dependencia.nombre", "fecha_limite")
    column_default_sort = "fecha_limite"
    column_select_related_list = (AccionDerivada.dependencia,)
    column_formatters = {"presentacion": lambda v, c, m, n: str(m.presentacion.acta)}
    exportar_como = {"presentacion": lambda m: str(m.presentacion.acta)}

    def cargas_exportacion(self):
        return (selectinload(AccionDerivada.presentacion).selectinload(PresentacionComite.acta)
                .selectinload(Acta.instancia),)

    def is_action_allowed(self, name):
        if name == "cerrar":
            return flujo.puede_intentar(current_user, AccionDerivada, name)
        return super().is_action_allowed(name)

    @action("cerrar", "Cerrar las acciones", "¿Dar por cumplidas las acciones seleccionadas?")
    def accion_cerrar(self, ids):
        self.ejecutar_en_bloque(ids, lambda accion: revision.cerrar_accion(accion, current_user),
                                "cerrada", "acción(es) cerrada(s)")
