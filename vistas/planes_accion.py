"""Vistas del ciclo del Plan de Acción: planes, actividades, metas territoriales, compromisos, cronograma."""
from flask_security import current_user
from wtforms import ValidationError

from gestion import flujo
from modelos import Actividad, Compromiso, EtapaCronograma, MetaTerritorial, Plan, TipoPlan

from .base import VistaModelo
from .contenido import VistaContenidoDePlan, VistaPlanes


class VistaPlanesAccion(VistaPlanes):
    recurso = "planes_accion"
    tipos = (TipoPlan.PA, TipoPlan.PAI)
    column_list = ("tipo", "dependencia", "vigencia", "numero_version", "estado", "enviado_en", "aprobado_en")
    column_filters = ("estado", "tipo", "vigencia.anio", "dependencia.nombre", "vigente")
    column_searchable_list = ("nombre", "dependencia.nombre")
    form_columns = ("tipo", "nombre", "vigencia", "dependencia")
    column_details_list = ("tipo", "nombre", "dependencia", "vigencia", "numero_version", "estado",
                           "observaciones", "enviado_por", "enviado_en", "aprobado_por", "aprobado_en",
                           "publicado_por", "publicado_en", "actividades")
    column_select_related_list = (Plan.dependencia, Plan.vigencia)


class VistaActividades(VistaContenidoDePlan):
    recurso = "actividades"
    column_list = ("plan", "codigo", "descripcion", "objetivo", "meta_anual", "peso", "presupuesto", "territorial")
    column_searchable_list = ("codigo", "descripcion", "indicador")
    column_filters = ("territorial", "plan.nombre", "objetivo.nombre")
    column_default_sort = "codigo"
    form_columns = ("plan", "codigo", "descripcion", "objetivo", "politica", "indicador", "formula", "unidad",
                    "meta_anual", "meta_t1", "meta_t2", "meta_t3", "meta_t4", "peso", "fecha_inicio",
                    "fecha_fin", "presupuesto", "proyecto", "responsable", "territorial")
    column_select_related_list = (Actividad.plan, Actividad.objetivo)


class VistaMetasTerritoriales(VistaModelo):
    recurso = "metas_territoriales"
    permite_crear = permite_eliminar = False
    column_list = ("actividad", "dependencia", "meta_t1", "meta_t2", "meta_t3", "meta_t4")
    column_filters = ("dependencia.nombre",)
    form_columns = ("meta_t1", "meta_t2", "meta_t3", "meta_t4")
    column_select_related_list = (MetaTerritorial.actividad, MetaTerritorial.dependencia)

    def validar_modificacion(self, objeto):
        plan = objeto.actividad.plan
        if objeto.dependencia_id != current_user.dependencia_id:
            raise ValidationError("Solo la Dirección Territorial fija sus propias metas.")
        if not flujo.contenido_editable(plan):
            raise ValidationError(f"«{plan}» está {plan.estado.etiqueta.lower()}: las metas ya no se modifican.")


class VistaCompromisos(VistaModelo):
    recurso = "compromisos"
    column_list = ("vigencia", "dependencia", "tipo", "objetivo", "descripcion")
    column_searchable_list = ("descripcion",)
    column_filters = ("tipo", "vigencia.anio", "dependencia.nombre")
    form_columns = ("vigencia", "dependencia", "tipo", "objetivo", "descripcion")
    column_select_related_list = (Compromiso.vigencia, Compromiso.dependencia, Compromiso.objetivo)


class VistaCronograma(VistaModelo):
    recurso = "cronograma"
    column_list = ("vigencia", "fase", "inicio", "fin")
    column_filters = ("vigencia.anio", "fase")
    column_default_sort = "inicio"
    form_columns = ("vigencia", "fase", "inicio", "fin")
    column_select_related_list = (EtapaCronograma.vigencia,)


def vistas_planes_accion():
    categoria = "Planeación"
    return [
        VistaPlanesAccion(Plan, "Planes de acción", categoria, endpoint="planes_accion"),
        VistaActividades(Actividad, "Actividades", categoria),
        VistaMetasTerritoriales(MetaTerritorial, "Metas territoriales", categoria),
        VistaCompromisos(Compromiso, "Compromisos", categoria),
        VistaCronograma(EtapaCronograma, "Cronograma", categoria),
    ]
