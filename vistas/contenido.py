"""Bases de las vistas de planes y de su contenido: el estado del plan decide si se edita."""
from flask import abort
from flask_security import current_user
from wtforms import ValidationError

from gestion import flujo
from modelos import Plan, TipoPlan

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
        # El encabezado del plan lo maneja la OAP (recurso de la vista); el estado decide si aún se toca.
        if objeto.tipo not in self.tipos:
            raise ValidationError("Tipo de plan no válido en esta sección.")
        if objeto.id is not None and not flujo.contenido_editable(objeto):
            raise ValidationError(f"«{objeto}» está {objeto.estado.etiqueta.lower()}: ya no se modifica. "
                                  "Un plan aprobado solo cambia mediante un ajuste aprobado.")
