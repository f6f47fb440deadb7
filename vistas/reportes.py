"""Vistas del reporte trimestral de cada dependencia (actividades 16 y 17): abrirlo, cargar sus avances con su
evidencia (en el formulario o desde Excel), enviarlo a la OAP; la OAP lo acepta o lo devuelve desde aquí."""
from flask import abort, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_security import current_user
from markupsafe import Markup, escape

from gestion.excel import plantilla_avances
from gestion.importacion import avances as importacion_avances
from gestion.importacion import avances_propios
from gestion.reglas import flujo
from gestion.reglas import ventanas as ventanas_reporte
from gestion.reglas.permisos import EDITAR, puede
from gestion.seguimiento import calidad, cifras, consultas, revision
from gestion.seguimiento import reportes as servicio
from modelos import Avance, Plan, ReporteTrimestral, Vigencia

from .avances_propios import AvancesDesdeLibroPropio
from .base import ConEnlaces, VistaSoloLectura
from .cargas import cargar_con_errores
from .descargas import enviar_archivo, enviar_libro
from .enlaces_de_fila import url_de_fila
from .operaciones import operacion
from .parametros import entero, obtener, vigencia_y_trimestre


class VistaReportes(AvancesDesdeLibroPropio, ConEnlaces, VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("plan", "dependencia", "vigencia", "trimestre", "estado", "enviado_en", "dias_en_espera",
                   "revisado_en")
    column_labels = {"dias_en_espera": "Días en espera"}
    exportar_como = {"dias_en_espera": calidad.dias_en_espera}
    column_filters = ("estado", "trimestre", "vigencia.anio", "dependencia.nombre")
    # «Días en espera» ordena por el envío: el más antiguo primero es el que más espera.
    column_sortable_list = ("trimestre", "estado", "enviado_en", ("dias_en_espera", ReporteTrimestral.enviado_en),
                            "revisado_en")
    column_default_sort = ("id", True)
    column_select_related_list = (ReporteTrimestral.plan, ReporteTrimestral.dependencia, ReporteTrimestral.vigencia)
    can_view_details = False
    # El enlace de cada fila, del molde de la página (url_de_fila): un url_for por fila era el 11 % de la lista.
    column_formatters = {"plan": lambda v, c, m, n: Markup(f'<a href="{escape(url_de_fila(v, ".ficha", m.id))}">'
                                                           f'{escape(m.plan)}</a>'),
                         "dias_en_espera": lambda v, c, m, n: calidad.dias_en_espera(m)}

    def enlaces(self):
        if puede(current_user, EDITAR, "seguimiento"):
            return [("Reportar avance", url_for(".nuevo"))]
        return []

    def post_permitido(self, endpoint):
        if endpoint in ("enviar", "aceptar", "devolver"):
            return flujo.puede_intentar(current_user, ReporteTrimestral, endpoint)
        if endpoint == "libro_propio":  # también la OAP, que trae el libro que la oficina le entrega
            return avances_propios.puede_traer_alguno(current_user)
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
        planes = consultas.planes_a_reportar(current_user.dependencia_id, vigencia) if vigencia else []
        # Lo ya empezado o enviado se abre, no se vuelve a «reportar».
        reportes = {(p.id, t): consultas.reporte_de(p, current_user.dependencia_id, vigencia.id, t)
                    for p in planes for t in range(1, 5)}
        ventanas, dependencia_id = {}, current_user.dependencia_id
        if vigencia is not None:
            for trimestre in range(1, 5):
                ventana = ventanas_reporte.ventana_de(vigencia.id, trimestre)
                ventanas[trimestre] = (ventana, ventanas_reporte.abierta(ventana, dependencia_id=dependencia_id),
                                       ventanas_reporte.en_palabras(ventana, dependencia_id=dependencia_id))
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
            revisa=puede(current_user, EDITAR, revision.REVISION),
            metas={a.id: meta for a, meta in consultas.avances_con_metas(reporte).items()},
            datos=datos or {}, archivos_sin_guardar=archivos_sin_guardar or {},
            trae_libro=avances_propios.motivo_no_traer(current_user, reporte) is None,
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
        return self._transicion(revision.aceptar_reporte, "Reporte aceptado.")

    @expose("/devolver/", methods=("POST",))
    def devolver(self):
        return self._transicion(revision.devolver_reporte, "Reporte devuelto con observaciones.",
                                request.form.get("observaciones", ""))

    @action("aceptar", "Aceptar los reportes", "¿Aceptar los reportes seleccionados?")
    def accion_aceptar(self, ids):
        self.ejecutar_en_bloque(ids, lambda reporte: revision.aceptar_reporte(reporte, current_user),
                                "aceptado", "reporte(s) aceptado(s)")


class VistaAvances(VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("reporte", "actividad", "indicador", "valor_logrado", "justificacion", "evidencia",
                   "presupuesto_comprometido", "presupuesto_pagado")
    column_labels = {"evidencia": "Evidencia"}
    column_select_related_list = (Avance.reporte, Avance.actividad, Avance.indicador)
    column_formatters = {"evidencia": lambda v, c, m, n: v.enlace_evidencia(m)}
    exportar_como = {"evidencia": lambda a: " · ".join(
        t for t in ("Archivo adjunto" if a.evidencia_archivo else None, a.evidencia_enlace, a.evidencia_referencia)
        if t)}

    @staticmethod
    def enlace_evidencia(avance):
        partes = []
        if avance.evidencia_archivo:
            partes.append(Markup('<a href="{}">Archivo</a>').format(url_for("avance.evidencia", id=avance.id)))
        if avance.evidencia_enlace:
            partes.append(Markup('<a href="{}" rel="noopener noreferrer" target="_blank">Enlace</a>').format(
                avance.evidencia_enlace))
        if avance.evidencia_referencia:
            partes.append(avance.evidencia_referencia)
        return Markup(" · ").join(partes)

    @expose("/evidencia/")
    def evidencia(self):
        """Solo quien puede ver la fila del avance descarga su archivo (get_one aplica el alcance)."""
        avance = self.get_one(request.args.get("id"))
        ruta = servicio.ruta_evidencia(avance)
        if ruta is None:
            abort(404)
        codigo = consultas.codigo_de(avance)
        nombre = f"evidencia-{avance.reporte.dependencia.codigo}-{codigo}-T{avance.reporte.trimestre}{ruta.suffix}"
        return enviar_archivo(ruta, nombre)
