"""Vistas de los planes estratégicos (PES y PEI), sus objetivos e indicadores."""
from flask_admin.model.form import InlineFormAdmin

from modelos import Indicador, MetaIndicador, Objetivo, Plan, TipoPlan

from .contenido import VistaContenidoDePlan, VistaPlanes


class VistaPlanesEstrategicos(VistaPlanes):
    recurso = "planes_estrategicos"
    tipos = (TipoPlan.PES, TipoPlan.PEI)
    column_list = ("tipo", "nombre", "cuatrienio", "numero_version", "vigente", "estado", "publicado_en")
    form_columns = ("tipo", "nombre", "cuatrienio")
    column_details_list = ("tipo", "nombre", "cuatrienio", "numero_version", "vigente", "estado",
                           "acta_aprobacion", "aprobado_por", "aprobado_en", "publicado_por", "publicado_en",
                           "objetivos")


class VistaObjetivos(VistaContenidoDePlan):
    recurso = "contenido_estrategico"
    column_list = ("plan", "codigo", "nombre")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("plan.nombre",)
    column_default_sort = "codigo"
    form_columns = ("plan", "codigo", "nombre", "descripcion", "objetivos_pnd", "objetivos_pes", "politicas_mipg")
    column_details_list = form_columns + ("indicadores",)
    column_select_related_list = (Objetivo.plan,)


class MetasEnLinea(InlineFormAdmin):
    form_columns = ("id", "anio", "valor")
    form_label = "Meta por año"


class VistaIndicadores(VistaContenidoDePlan):
    recurso = "contenido_estrategico"
    column_list = ("objetivo", "codigo", "nombre", "unidad", "linea_base", "responsable", "sinergia")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("sinergia", "periodicidad", "responsable.nombre")
    column_default_sort = "codigo"
    form_columns = ("objetivo", "codigo", "nombre", "formula", "unidad", "linea_base", "periodicidad",
                    "tendencia", "responsable", "sinergia", "codigo_sinergia", "tipo_acumulacion")
    column_details_list = form_columns + ("metas",)
    inline_models = (MetasEnLinea(MetaIndicador),)
    column_select_related_list = (Indicador.objetivo, Indicador.unidad, Indicador.responsable)

    def plan_de(self, objeto):
        return objeto.objetivo.plan if objeto.objetivo else None


def vistas_estrategicos():
    categoria = "Planeación"
    return [
        VistaPlanesEstrategicos(Plan, "Planes estratégicos", categoria, endpoint="planes_estrategicos"),
        VistaObjetivos(Objetivo, "Objetivos estratégicos", categoria),
        VistaIndicadores(Indicador, "Indicadores estratégicos", categoria),
    ]
