"""La calidad del reporte por dependencia: el índice de cada una en el trimestre, ordenado, y su libro.
La regla y el cálculo están en `gestion.seguimiento.calidad`; la página muestra una página del orden (con la
búsqueda por nombre) y el libro trae todas las dependencias."""
from flask import abort, request
from flask_admin import expose

from gestion.excel import calidad as excel_calidad
from gestion.seguimiento import calidad, cifras

from .base import VistaSoloLectura
from .descargas import enviar_libro
from .paginacion import buscar, paginar
from .parametros import entero, vigencia_y_trimestre


class VistaCalidad(VistaSoloLectura):
    recurso = "revision_seguimiento"
    can_view_details = False
    can_export = False

    @expose("/")
    def index_view(self):
        vigencia, trimestre = vigencia_y_trimestre()
        filas = calidad.calidad(vigencia, trimestre) if vigencia is not None else []
        buscado = (request.args.get("q") or "").strip()
        pagina = paginar(buscar(filas, buscado, lambda f: f.dependencia), entero("pagina", request.args))
        return self.render("seguimiento/calidad.html", vigencia=vigencia, trimestre=trimestre, pagina=pagina,
                           hay_filas=bool(filas), buscado=buscado, vigencias=cifras.vigencias_con_planes())

    @expose("/xlsx/")
    def xlsx(self):
        vigencia, trimestre = vigencia_y_trimestre()
        if vigencia is None:
            abort(404)
        return enviar_libro(excel_calidad.libro(vigencia, trimestre, calidad.calidad(vigencia, trimestre)),
                            excel_calidad.nombre_archivo(vigencia, trimestre))
