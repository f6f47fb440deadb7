"""Vistas de Seguimiento (actividades 16 a 19): reportes, ventanas, diagnóstico, informes y comités.

Delgadas: cargan con alcance, preguntan a `gestion.reglas.permisos`, llaman al servicio de
`gestion.seguimiento.reportes`, hacen commit una vez y envían el correo encolado.
"""
import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.template import LinkRowAction
from flask_security import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from gestion.seguimiento import calidad, cifras
from gestion.reglas import flujo
from gestion.seguimiento import reportes as servicio
from gestion.trabajos import cola, tareas
from gestion.planes import consultas
from gestion.base.archivos import ArchivoSubido
from gestion.excel import informe as excel_informe
from gestion.excel import plantilla_avances
from gestion.excel import sinergia as excel_sinergia
from gestion.importacion import avances as importacion_avances
from gestion.reglas.permisos import EDITAR, puede
from gestion.reglas.ventanas import abierta_para, ventana_de
from modelos import (AccionDerivada, Acta, Avance, Dependencia, DiagnosticoTrimestral, EstadoTrabajo, InformeSeguimiento,
                     Instancia, Plan, PresentacionComite, ReaperturaVentana, ReporteTrimestral, VentanaReporte,
                     Vigencia, db)

from .base import VistaModelo, VistaSoloLectura
from .cargas import cargar_con_errores
from .descargas import enviar_acta, enviar_archivo, enviar_libro
from .operaciones import fecha_del_formulario, operacion
from .parametros import entero, obtener, vigencia_y_trimestre
from .calidad import VistaCalidad
from .tablero import VistaTablero
from .trabajos import lanzar, pagina

REVISION = "revision_seguimiento"


class ConEnlaces:
    """Botones de la barra de la lista hacia las páginas propias de la vista."""

    list_template = "seguimiento/lista.html"

    def enlaces(self) -> list[tuple[str, str]]:
        return []


# --- reportes trimestrales --------------------------------------------------------------------
class VistaReportes(ConEnlaces, VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("plan", "dependencia", "vigencia", "trimestre", "estado", "enviado_en", "dias_en_espera",
                   "revisado_en")
    column_labels = {"dias_en_espera": "Días en espera"}
    column_filters = ("estado", "trimestre", "vigencia.anio", "dependencia.nombre")
    # «Días en espera» ordena por el envío: el más antiguo primero es el que más espera.
    column_sortable_list = ("trimestre", "estado", "enviado_en", ("dias_en_espera", ReporteTrimestral.enviado_en),
                            "revisado_en")
    column_default_sort = ("id", True)
    column_select_related_list = (ReporteTrimestral.plan, ReporteTrimestral.dependencia, ReporteTrimestral.vigencia)
    can_view_details = False
    column_formatters = {"plan": lambda v, c, m, n: Markup('<a href="{}">{}</a>').format(
        url_for(".ficha", id=m.id), m.plan), "dias_en_espera": lambda v, c, m, n: calidad.dias_en_espera(m)}

    def enlaces(self):
        if puede(current_user, EDITAR, "seguimiento"):
            return [("Reportar avance", url_for(".nuevo"))]
        return []

    def post_permitido(self, endpoint):
        if endpoint in ("enviar", "aceptar", "devolver"):
            return flujo.puede_intentar(current_user, ReporteTrimestral, endpoint)
        return super().post_permitido(endpoint)

    def is_action_allowed(self, name):
        if name == "aceptar":
            return flujo.puede_intentar(current_user, ReporteTrimestral, name)
        return super().is_action_allowed(name)

    @expose("/nuevo/", methods=("GET", "POST"))
    def nuevo(self):
        """El dueño elige plan y trimestre con la ventana abierta y abre (o retoma) su reporte."""
        if not puede(current_user, EDITAR, "seguimiento"):
            abort(403)
        vigencia, _ = vigencia_y_trimestre()
        if request.method == "POST":
            plan = obtener(Plan, entero("plan_id"))
            vigencia = obtener(Vigencia, entero("vigencia_id"))
            with operacion() as desenlace:
                reporte = servicio.abrir_reporte(plan, vigencia, entero("trimestre") or 0, current_user)
            if desenlace.hecha:
                return redirect(url_for(".ficha", id=reporte.id))
            return redirect(url_for(".nuevo", vigencia=vigencia.anio))
        planes = servicio.planes_a_reportar(current_user.dependencia_id, vigencia) if vigencia else []
        # Lo ya empezado o enviado se abre, no se vuelve a «reportar».
        reportes = {(p.id, t): servicio.reporte_de(p, current_user.dependencia_id, vigencia.id, t)
                    for p in planes for t in range(1, 5)}
        ventanas = {}
        if vigencia is not None:
            for trimestre in range(1, 5):
                ventanas[trimestre] = (ventana_de(vigencia.id, trimestre),
                                       abierta_para(vigencia.id, trimestre, current_user.dependencia_id))
        return self.render("seguimiento/nuevo_reporte.html", vigencia=vigencia, planes=planes, ventanas=ventanas,
                           reportes=reportes,
                           vigencias=cifras.vigencias_con_planes())

    def _reporte(self):
        return self.get_one(request.values.get("id"))

    @expose("/ficha/", methods=("GET",))
    def ficha(self, datos=None, archivos_sin_guardar=None):
        reporte = self._reporte()
        motivo = flujo.motivo_no_editable(current_user, reporte)
        # Al dueño se le explica por qué no puede editar un reporte que aún está en sus manos (ventana cerrada).
        propio = (reporte.dependencia_id == current_user.dependencia_id
                  and reporte.estado in flujo.estados_editables(ReporteTrimestral))
        return self.render(
            "seguimiento/reporte.html", reporte=reporte, motivo=motivo, aviso_edicion=motivo if propio else None,
            acciones={t.accion for t in flujo.acciones_disponibles(current_user, reporte)},
            revisa=puede(current_user, EDITAR, REVISION), metas={a.id: servicio.meta_de(a) for a in reporte.avances},
            datos=datos or {}, archivos_sin_guardar=archivos_sin_guardar or {},
            historial=flujo.historial_legible(reporte))

    @expose("/guardar/", methods=("POST",))
    def guardar(self):
        """Guarda todas las filas del reporte a la vez: si una falla, no se guarda ninguna."""
        reporte = self._reporte()
        valores = {a.id: {
            "valor": request.form.get(f"valor-{a.id}"), "avance_cualitativo": request.form.get(f"cualitativo-{a.id}"),
            "justificacion": request.form.get(f"justificacion-{a.id}"), "enlace": request.form.get(f"enlace-{a.id}"),
            "comprometido": request.form.get(f"comprometido-{a.id}"), "pagado": request.form.get(f"pagado-{a.id}"),
            "archivo": request.files.get(f"archivo-{a.id}"), "version_leida": request.form.get(f"version-{a.id}"),
        } for a in reporte.avances}
        with operacion("Avances guardados.") as desenlace:
            servicio.guardar_reporte(reporte, current_user, valores)
        if desenlace.hecha:
            return redirect(url_for(".ficha", id=reporte.id))
        # Tras un choque con otro editor se muestran los valores vigentes, no los que iban a pisarlos. Un navegador
        # no deja volver a poner un archivo en el formulario: se pide otra vez, nombrándolo.
        sin_guardar = {avance_id: campos["archivo"].filename for avance_id, campos in valores.items()
                       if campos["archivo"] is not None and campos["archivo"].filename}
        return self.ficha(datos={} if desenlace.conflicto else request.form, archivos_sin_guardar=sin_guardar)

    def _reporte_propio(self):
        """Plantilla y carga son de quien reporta: otro rol, 403; otra dependencia, 404 (get_one)."""
        if not puede(current_user, EDITAR, "seguimiento"):
            abort(403)
        return self._reporte()

    @expose("/plantilla/")
    def plantilla(self):
        reporte = self._reporte_propio()
        return enviar_libro(importacion_avances.plantilla(reporte), plantilla_avances.nombre_archivo(reporte))

    @expose("/cargar/", methods=("GET", "POST"))
    def cargar(self):
        """Carga del reporte desde Excel: todo o nada; si falla, la lista de errores con su fila."""
        reporte = self._reporte_propio()
        carga = None
        if request.method == "POST":
            carga = cargar_con_errores(
                lambda contenido: importacion_avances.importar(reporte, contenido, current_user),
                lambda guardados: importacion_avances.mensaje(reporte, guardados),
                plantilla_avances.nombre_archivo(reporte))
            if carga.hecha:
                return redirect(url_for(".ficha", id=reporte.id))
        return self.render("seguimiento/cargar.html", reporte=reporte, carga=carga,
                           motivo=flujo.motivo_no_editable(current_user, reporte)), (
            422 if request.method == "POST" else 200)

    def _transicion(self, funcion, exito: str, *argumentos):
        reporte = self._reporte()
        with operacion(exito):
            funcion(reporte, current_user, *argumentos)
        return redirect(url_for(".ficha", id=reporte.id))

    @expose("/enviar/", methods=("POST",))
    def enviar(self):
        return self._transicion(servicio.enviar_reporte, "Reporte enviado a la OAP.")

    @expose("/aceptar/", methods=("POST",))
    def aceptar(self):
        return self._transicion(servicio.aceptar_reporte, "Reporte aceptado.")

    @expose("/devolver/", methods=("POST",))
    def devolver(self):
        return self._transicion(servicio.devolver_reporte, "Reporte devuelto con observaciones.",
                                request.form.get("observaciones", ""))

    @action("aceptar", "Aceptar los reportes", "¿Aceptar los reportes seleccionados?")
    def accion_aceptar(self, ids):
        self.ejecutar_en_bloque(ids, lambda reporte: servicio.aceptar_reporte(reporte, current_user),
                                "aceptado", "reporte(s) aceptado(s)")


class VistaAvances(VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("reporte", "actividad", "indicador", "valor_logrado", "justificacion", "evidencia",
                   "presupuesto_comprometido", "presupuesto_pagado")
    column_labels = {"evidencia": "Evidencia"}
    column_select_related_list = (Avance.reporte, Avance.actividad, Avance.indicador)
    column_formatters = {"evidencia": lambda v, c, m, n: v.enlace_evidencia(m)}
    exportar_como = {"evidencia": lambda a: " · ".join(
        t for t in ("Archivo adjunto" if a.evidencia_archivo else None, a.evidencia_enlace) if t)}

    @staticmethod
    def enlace_evidencia(avance):
        partes = []
        if avance.evidencia_archivo:
            partes.append(Markup('<a href="{}">Archivo</a>').format(url_for("avance.evidencia", id=avance.id)))
        if avance.evidencia_enlace:
            partes.append(Markup('<a href="{}" rel="noopener noreferrer" target="_blank">Enlace</a>').format(
                avance.evidencia_enlace))
        return Markup(" · ").join(partes)

    @expose("/evidencia/")
    def evidencia(self):
        """Solo quien puede ver la fila del avance descarga su archivo (get_one aplica el alcance)."""
        avance = self.get_one(request.args.get("id"))
        ruta = servicio.ruta_evidencia(avance)
        if ruta is None:
            abort(404)
        codigo = avance.actividad.codigo if avance.actividad_id else avance.indicador.codigo
        nombre = f"evidencia-{avance.reporte.dependencia.codigo}-{codigo}-T{avance.reporte.trimestre}{ruta.suffix}"
        return enviar_archivo(ruta, nombre)


# --- ventanas ---------------------------------------------------------------------------------
class VistaVentanas(ConEnlaces, VistaModelo):
    recurso = "revision_seguimiento"
    column_list = ("vigencia", "trimestre", "abre", "cierra", "abierta", "reaperturas")
    column_filters = ("vigencia.anio", "trimestre", "abierta")
    column_default_sort = [("vigencia.anio", True), ("trimestre", False)]
    form_columns = ("vigencia", "trimestre", "abre", "cierra")
    column_labels = {"reaperturas": "Reaperturas"}
    column_formatters = {"reaperturas": lambda v, c, m, n: Markup("<br>").join(
        f"{r.dependencia.nombre} hasta el {r.hasta:%d/%m/%Y}: {r.motivo}" for r in m.reaperturas)}
    exportar_como = {"reaperturas": lambda m: "; ".join(
        f"{r.dependencia.nombre} hasta el {r.hasta:%d/%m/%Y}: {r.motivo}" for r in m.reaperturas)}

    def cargas_exportacion(self):
        return (selectinload(VentanaReporte.reaperturas).selectinload(ReaperturaVentana.dependencia),)

    def is_action_allowed(self, name):
        if name in ("abrir", "cerrar"):
            return flujo.puede_intentar(current_user, VentanaReporte, name)
        return super().is_action_allowed(name)

    def post_permitido(self, endpoint):
        if endpoint == "reabrir":
            return self.puede_reabrir()
        return super().post_permitido(endpoint)

    def puede_reabrir(self) -> bool:
        return flujo.puede_intentar(current_user, VentanaReporte, "reabrir")

    @action("abrir", "Abrir la ventana")
    def accion_abrir(self, ids):
        self.ejecutar_en_bloque(ids, lambda ventana: servicio.abrir_ventana(ventana, current_user),
                                "ventana abierta", "ventana(s) abierta(s)")

    @action("cerrar", "Cerrar la ventana", "Al cerrar, el trimestre queda de solo lectura. ¿Continuar?")
    def accion_cerrar(self, ids):
        self.ejecutar_en_bloque(ids, lambda ventana: servicio.cerrar_ventana(ventana, current_user),
                                "ventana cerrada", "ventana(s) cerrada(s)")

    @expose("/reabrir/", methods=("GET", "POST"))
    def reabrir(self):
        ventana = self.get_one(request.values.get("id"))
        if request.method == "POST":
            dependencia = db.session.get(Dependencia, entero("dependencia_id") or 0)
            with operacion() as desenlace:
                servicio.reabrir_ventana(ventana, dependencia, request.form.get("motivo", ""),
                                         fecha_del_formulario("hasta"), current_user)
                desenlace.exito = f"{ventana} reabierta para {dependencia.nombre}."
            if desenlace.hecha:
                return redirect(url_for(".index_view"))
        dependencias = db.session.scalars(sa.select(Dependencia).where(Dependencia.activa)
                                          .order_by(Dependencia.nombre)).all()
        return self.render("seguimiento/reabrir.html", ventana=ventana, dependencias=dependencias,
                           datos=request.form)

    def get_list_row_actions(self):
        acciones = super().get_list_row_actions()
        if self.puede_reabrir():
            acciones = [*acciones, LinkRowAction("fa fa-unlock", "reabrir/?id={row_id}",
                                                 title="Reabrir para una dependencia")]
        return acciones


# --- diagnóstico trimestral -------------------------------------------------------------------
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
                guardados = servicio.guardar_cuadro_diagnostico(vigencia, trimestre, current_user, textos)
                desenlace.exito = f"Diagnósticos guardados: {guardados}."
            if desenlace.hecha:
                return redirect(url_for(".cuadro", vigencia=vigencia.anio, trimestre=trimestre))
            conflicto = desenlace.conflicto
        # Tras un choque con otro editor se muestran los textos vigentes, no los que iban a pisarlos.
        return self.render("seguimiento/diagnostico.html", cuadro=cifras.cuadro(vigencia, trimestre),
                           textos=servicio.diagnosticos(vigencia.id, trimestre),
                           datos={} if conflicto else request.form,
                           vigencias=cifras.vigencias_con_planes(), puede_editar=self.puede_escribir())


# --- informes, remisión a Control Interno y comités -------------------------------------------
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
        if puede(current_user, EDITAR, REVISION):
            return consulta
        return consulta.filter(InformeSeguimiento.remitido_en.is_not(None))

    def get_query(self):
        return self._limitar(super().get_query())

    def get_count_query(self):
        return self._limitar(super().get_count_query())

    def get_one(self, id):
        informe = super().get_one(id)
        if not puede(current_user, EDITAR, REVISION) and informe.remitido_en is None:
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
                informe = servicio.generar_informe(vigencia, trimestre, current_user)
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
                           remision=tareas.marca_remision(informe), destinatarios=servicio.destinatarios_informe())

    @expose("/xlsx/")
    def xlsx(self):
        informe = self.get_one(request.args.get("id"))
        if cola.supera_umbral(cola.filas_del_informe(informe)):
            return pagina(lanzar("informe_xlsx", {"informe_id": informe.id}, f"Libro del {informe}"))
        return enviar_libro(servicio.libro_del_informe(informe),
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
            servicio.registrar_presentacion(
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
            servicio.agregar_accion(presentacion, request.form.get("descripcion"),
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
        self.ejecutar_en_bloque(ids, lambda accion: servicio.cerrar_accion(accion, current_user),
                                "cerrada", "acción(es) cerrada(s)")


def vistas_seguimiento():
    categoria = "Seguimiento"
    return [
        VistaTablero(ReporteTrimestral, "Tablero de seguimiento", categoria, endpoint="tablero"),
        VistaCalidad(ReporteTrimestral, "Calidad del reporte", categoria, endpoint="calidad_reporte"),
        VistaReportes(ReporteTrimestral, "Reportes trimestrales", categoria),
        VistaAvances(Avance, "Avances", categoria),
        VistaVentanas(VentanaReporte, "Ventanas de reporte", categoria),
        VistaDiagnosticos(DiagnosticoTrimestral, "Diagnóstico trimestral", categoria),
        VistaInformes(InformeSeguimiento, "Informes de seguimiento", categoria),
        VistaAccionesDerivadas(AccionDerivada, "Acciones de los comités", categoria),
    ]
