"""Bases de las vistas de planes y de su contenido: el estado del plan decide si se edita."""
from flask import abort, flash, g, redirect, request
from flask_admin import expose
from flask_security import current_user
from wtforms import ValidationError

from gestion.reglas import flujo
from modelos import Plan, TipoPlan

from .ajustes import url_plan
from .base import VistaModelo


class VistaContenidoDePlan(VistaModelo):
    """Contenido que solo se edita mientras su plan está en formulación (ver `gestion.reglas.flujo`)."""

    def plan_de(self, objeto):
        return objeto.plan

    def validar_modificacion(self, objeto):
        plan = self.plan_de(objeto)
        if plan is None:
            raise ValidationError("Seleccione el plan.")
        motivo = flujo.motivo_no_editable(current_user, plan)
        if motivo:
            raise ValidationError(motivo)

    def fila_modificable(self, objeto) -> bool:
        """En la lista, las filas de un mismo plan comparten la respuesta (la dan el estado del plan y quién
        edita): se pregunta una vez por plan y página. Por fila, leer el ajuste de origen de cada plan era el
        15 % de la lista de actividades."""
        plan = self.plan_de(objeto)
        if plan is None or type(self).validar_modificacion is not VistaContenidoDePlan.validar_modificacion:
            return super().fila_modificable(objeto)
        memoria = g.setdefault("filas_modificables_por_plan", {})
        clave = (self.endpoint, plan.id)
        if clave not in memoria:
            memoria[clave] = super().fila_modificable(objeto)
        return memoria[clave]


class EdicionSoloEnFormulacion:
    """El formulario de edición ni se abre (GET) ni se guarda (POST) si el plan ya no se edita: vuelve a la
    página del plan con la razón, sea un plan estratégico o uno de acción."""

    def motivo_no_editar(self, objeto) -> str | None:
        plan = self.plan_de(objeto)
        return flujo.motivo_no_editable(current_user, plan) if plan is not None else None

    def url_volver(self, objeto) -> str:
        return url_plan(self.plan_de(objeto))

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        objeto = self.get_one(request.args.get("id"))
        motivo = self.motivo_no_editar(objeto)
        if motivo:
            flash(motivo, "error")
            return redirect(self.url_volver(objeto))
        return super().edit_view()


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
        # El encabezado del plan lo maneja la OAP (recurso de la vista); el estado decide si aún se toca.
        if objeto.tipo not in self.tipos:
            raise ValidationError("Tipo de plan no válido en esta sección.")
        motivo = flujo.motivo_estado(objeto) if objeto.id is not None else None
        if motivo:
            raise ValidationError(motivo)
