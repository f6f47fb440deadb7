"""Página de inicio del panel: responde «qué tengo que hacer ahora y para cuándo»."""
from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_security import current_user

from gestion import inicio
from gestion.reglas.permisos import VER, puede
from gestion.seguimiento import cifras_guardadas
from modelos import Plan

from .ajustes import RECURSO_DEL_PLAN, url_plan


def enlaces_de_planes():
    """`enlace_de_plan(plan)`: la página del plan, si el usuario puede abrirla (la del PAI está con los planes de
    acción). Pregunta el permiso una vez por recurso en la petición, no una vez por fila."""
    permitido = {}

    def enlace_de_plan(plan: Plan) -> str | None:
        recurso = RECURSO_DEL_PLAN.get(plan.tipo, "planes_accion")
        if recurso not in permitido:
            permitido[recurso] = puede(current_user, VER, recurso)
        return url_plan(plan) if permitido[recurso] else None

    return enlace_de_plan


class VistaInicio(AdminIndexView):
    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("security.login", next=request.full_path))

    @expose("/")
    def index(self):
        return self.render("admin/inicio.html", tablero=inicio.tablero(current_user),
                           semaforo=cifras_guardadas.resumen_inicio(current_user),
                           enlace_de_plan=enlaces_de_planes())
