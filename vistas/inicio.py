"""Página de inicio del panel: responde «qué tengo que hacer ahora y para cuándo»."""
from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_security import current_user

from gestion import cifras, inicio


class VistaInicio(AdminIndexView):
    def is_accessible(self):
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):
        return redirect(url_for("security.login", next=request.full_path))

    @expose("/")
    def index(self):
        return self.render("admin/inicio.html", tablero=inicio.tablero(current_user),
                           semaforo=cifras.resumen_inicio(current_user))
