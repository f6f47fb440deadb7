"""El inventario de planes vigentes de una vigencia (para el Comité Institucional de Gestión y Desempeño) y su
libro. El cálculo está en `gestion.seguimiento.inventario`."""
from flask import abort
from flask_admin import expose

from gestion.excel import inventario as excel_inventario
from gestion.seguimiento import cifras, inventario

from .base import VistaSoloLectura
from .descargas import enviar_libro
from .parametros import vigencia_y_trimestre


class VistaInventario(VistaSoloLectura):
    recurso = "inventario_planes"
    can_view_details = False
    can_export = False
    column_list = ("codigo", "nombre")  # la página es propia (index_view); la lista de Flask-Admin no se muestra

    @expose("/")
    def index_view(self):
        vigencia, trimestre = vigencia_y_trimestre()
        datos = inventario.inventario(vigencia, trimestre) if vigencia is not None else None
        return self.render("plan_accion/inventario.html", vigencia=vigencia, trimestre=trimestre, inventario=datos,
                           vigencias=cifras.vigencias_con_planes())

    @expose("/xlsx/")
    def xlsx(self):
        vigencia, trimestre = vigencia_y_trimestre()
        if vigencia is None:
            abort(404)
        datos = inventario.inventario(vigencia, trimestre)
        return enviar_libro(excel_inventario.libro(datos), excel_inventario.nombre_archivo(datos))
