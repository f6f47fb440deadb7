"""Vistas de Control Interno: su verificación por dependencia y periodo, y la evaluación institucional por
dependencia de la vigencia con su libro para Talento Humano. Las reglas están en `gestion.seguimiento.verificacion`."""
import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from gestion.excel import evaluacion as excel_evaluacion
from gestion.seguimiento import cifras, verificacion
from modelos import VerificacionControlInterno, Vigencia, db

from .base import ConEnlaces, VistaSoloLectura
from .descargas import enviar_libro
from .operaciones import operacion
from .paginacion import buscar, paginar
from .parametros import entero


def _vigencia_pedida() -> Vigencia | None:
    anio = entero("vigencia")
    if anio is not None:
        return db.session.scalar(sa.select(Vigencia).filter_by(anio=anio))
    vigencias = cifras.vigencias_con_planes()
    return vigencias[0] if vigencias else None


def _periodo_pedido() -> str:
    periodo = (request.values.get("periodo") or "").strip().upper()
    periodos = verificacion.periodos()
    return periodo if periodo in periodos else periodos[0]


class VistaVerificaciones(ConEnlaces, VistaSoloLectura):
    recurso = verificacion.RECURSO
    column_list = ("vigencia", "periodo", "dependencia", "cumplimiento_dependencia", "cumplimiento_verificado",
                   "evidencia", "observacion", "registrado_en", "publicada_en")
    column_labels = {"periodo": "Periodo", "cumplimiento_dependencia": "Cumplimiento reportado por la dependencia (%)",
                     "cumplimiento_verificado": "Cumplimiento verificado por Control Interno (%)",
                     "evidencia": "Evidencia revisada", "observacion": "Observación",
                     "registrado_en": "Registrada el", "publicada_en": "Publicada el"}
    column_filters = ("vigencia.anio", "periodo", "dependencia.nombre")
    column_default_sort = ("registrado_en", True)
    column_select_related_list = (VerificacionControlInterno.vigencia, VerificacionControlInterno.dependencia)

    def _limitar(self, consulta):
        return consulta.filter(verificacion.criterio_visibles(current_user))

    def get_query(self):
        return self._limitar(super().get_query())

    def get_count_query(self):
        return self._limitar(super().get_count_query())

    def get_one(self, id):
        fila = super().get_one(id)
        if fila is None or (fila.publicada_en is None and not verificacion.puede_ver_borradores(current_user)):
            abort(404)
        return fila

    def enlaces(self):
        if not self.puede_escribir():
            return []
        return [("Registrar la verificación del periodo", url_for(".cuadro")),
                ("Evaluación institucional por dependencia", url_for(".evaluacion"))]

    def _exigir_escritura(self):
        if not self.puede_escribir():
            abort(403)

    @expose("/cuadro/", methods=("GET", "POST"))
    def cuadro(self):
        self._exigir_escritura()
        vigencia, periodo = _vigencia_pedida(), _periodo_pedido()
        if vigencia is None:
            abort(404)
        conflicto = False
        if request.method == "POST":
            entradas = {}
            for clave in request.form:
                if clave.startswith("verificado-") and clave[11:].isdigit():
                    n = clave[11:]
                    entradas[int(n)] = verificacion.Entrada(
                        request.form.get(f"verificado-{n}", ""), request.form.get(f"evidencia-{n}", ""),
                        request.form.get(f"observacion-{n}", ""), request.form.get(f"version-{n}", ""))
            with operacion() as desenlace:
                guardadas = verificacion.guardar_cuadro(vigencia, periodo, current_user, entradas)
                desenlace.exito = (f"Verificaciones guardadas: {guardadas}. Nadie más las ve hasta que usted "
                                   "las publique." if guardadas else "No había cambios que guardar.")
            if desenlace.hecha:
                return redirect(url_for(".cuadro", vigencia=vigencia.anio, periodo=periodo,
                                        pagina=entero("pagina", request.args), q=request.args.get("q") or None))
            conflicto = desenlace.conflicto
        # Una página de dependencias (con la búsqueda por nombre): el formulario guarda solo las filas que trae.
        buscado = (request.args.get("q") or "").strip()
        pagina = paginar(buscar(verificacion.reportadas(vigencia, periodo), buscado, lambda f: f.nombre),
                         entero("pagina", request.args))
        pagina.filas = verificacion.cuadro(vigencia, periodo, pagina.filas)
        return self.render("control_interno/cuadro.html", vigencia=vigencia, periodo=periodo, pagina=pagina,
                           filas=pagina.filas, buscado=buscado,
                           etiqueta=verificacion.etiqueta(periodo), periodos=verificacion.periodos(),
                           etiquetas={p: verificacion.etiqueta(p) for p in verificacion.periodos()},
                           vigencias=cifras.vigencias_con_planes(), datos={} if conflicto else request.form,
                           por_publicar=verificacion.por_publicar(vigencia.id, periodo))

    @expose("/publicar/", methods=("POST",))
    def publicar(self):
        self._exigir_escritura()
        vigencia, periodo = _vigencia_pedida(), _periodo_pedido()
        if vigencia is None:
            abort(404)
        with operacion() as desenlace:
            publicadas = verificacion.publicar(vigencia, periodo, current_user)
            desenlace.exito = (f"Verificación de {verificacion.etiqueta(periodo).lower()} de {vigencia} publicada: "
                               f"{publicadas} dependencia(s). La OAP y cada dependencia ya la leen.")
        return redirect(url_for(".cuadro", vigencia=vigencia.anio, periodo=periodo))

    @expose("/evaluacion/", methods=("GET", "POST"))
    def evaluacion(self):
        self._exigir_escritura()
        vigencia = _vigencia_pedida()
        if vigencia is None:
            abort(404)
        if request.method == "POST":
            with operacion() as desenlace:
                if request.form.get("paso") == "firmar":
                    firmadas = verificacion.firmar_evaluacion(vigencia, current_user, request.form.get("concepto", ""))
                    desenlace.exito = f"Evaluación de {vigencia} firmada: {firmadas} dependencia(s)."
                else:
                    generadas = verificacion.generar_evaluacion(vigencia, current_user)
                    desenlace.exito = f"Evaluación de {vigencia} generada: {generadas} dependencia(s)."
            if desenlace.hecha:
                return redirect(url_for(".evaluacion", vigencia=vigencia.anio))
        return self.render("control_interno/evaluacion.html", vigencia=vigencia,
                           filas=verificacion.evaluacion(vigencia.id), firmada=verificacion.firmada(vigencia.id),
                           vigencias=cifras.vigencias_con_planes(), datos=request.form)

    @expose("/evaluacion/xlsx/")
    def evaluacion_xlsx(self):
        self._exigir_escritura()
        vigencia = _vigencia_pedida()
        if vigencia is None:
            abort(404)
        filas = verificacion.evaluacion(vigencia.id)
        return enviar_libro(excel_evaluacion.libro(vigencia, filas), excel_evaluacion.nombre_archivo(vigencia))


def vistas_control_interno():
    return [VistaVerificaciones(VerificacionControlInterno, "Verificación de Control Interno", "Seguimiento",
                                endpoint="verificacion_oci")]
