"""Vistas de Planeación: planes, su contenido, compromisos y cronograma."""
from flask import abort
from flask_admin.model.form import InlineFormAdmin
from flask_security import current_user
from wtforms import ValidationError

from gestion import flujo
from modelos import (Actividad, Compromiso, EtapaCronograma, Indicador, MetaIndicador, MetaTerritorial,
                     Objetivo, Plan, TipoPlan)

from .base import VistaModelo


class VistaContenidoDePlan(VistaModelo):
    """Contenido que solo se edita mientras su plan está en formulación (ver `gestion.flujo`)."""

    def plan_de(self, objeto):
        return objeto.plan

    def validar_modificacion(self, objeto):
        plan = self.plan_de(objeto)
        if plan is None:
            raise ValidationError("Seleccione el plan.")
        if not flujo.puede_editar_contenido(current_user, plan):
            raise ValidationError(
                f"«{plan}» está {plan.estado.etiqueta.lower()}: su contenido no se puede modificar "
                "desde aquí. Un plan aprobado solo cambia mediante un ajuste aprobado.")


class VistaPlanes(VistaContenidoDePlan):
    tipos: tuple[TipoPlan, ...] = ()
    column_searchable_list = ("nombre",)
    column_filters = ("estado", "tipo", "vigente")
    column_default_sort = ("creado_en", True)

    def plan_de(self, objeto):
        return objeto

    def get_query(self):
        return super().get_query().filter(Plan.tipo.in_(self.tipos))

    def get_count_query(self):
        return super().get_count_query().filter(Plan.tipo.in_(self.tipos))

    def get_one(self, id):
        plan = super().get_one(id)
        if plan.tipo not in self.tipos:
            abort(404)
        return plan

    def create_form(self, obj=None):
        formulario = super().create_form(obj)
        formulario.tipo.choices = [(t.value, t.etiqueta) for t in self.tipos]
        return formulario

    def edit_form(self, obj=None):
        formulario = super().edit_form(obj)
        formulario.tipo.choices = [(t.value, t.etiqueta) for t in self.tipos]
        return formulario

    def validar_modificacion(self, objeto):
        if objeto.tipo not in self.tipos:
            raise ValidationError("Tipo de plan no válido en esta sección.")
        if objeto.id is None:
            return
        super().validar_modificacion(objeto)


class VistaPlanesEstrategicos(VistaPlanes):
    recurso = "planes_estrategicos"
    tipos = (TipoPlan.PES, TipoPlan.PEI)
    column_list = ("tipo", "nombre", "cuatrienio", "numero_version", "vigente", "estado", "publicado_en")
    form_columns = ("tipo", "nombre", "cuatrienio")
    column_details_list = ("tipo", "nombre", "cuatrienio", "numero_version", "vigente", "estado",
                           "acta_aprobacion", "aprobado_por", "aprobado_en", "publicado_por", "publicado_en",
                           "objetivos")


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


def vistas_planeacion():
    categoria = "Planeación"
    return [
        VistaPlanesEstrategicos(Plan, "Planes estratégicos", categoria, endpoint="planes_estrategicos"),
        VistaObjetivos(Objetivo, "Objetivos estratégicos", categoria),
        VistaIndicadores(Indicador, "Indicadores estratégicos", categoria),
        VistaPlanesAccion(Plan, "Planes de acción", categoria, endpoint="planes_accion"),
        VistaActividades(Actividad, "Actividades", categoria),
        VistaMetasTerritoriales(MetaTerritorial, "Metas territoriales", categoria),
        VistaCompromisos(Compromiso, "Compromisos", categoria),
        VistaCronograma(EtapaCronograma, "Cronograma", categoria),
    ]
