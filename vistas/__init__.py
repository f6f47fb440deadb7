"""Vistas: el panel Flask-Admin y los blueprints, construidos por app en `registrar_vistas`."""
from flask import redirect, url_for
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from gestion.base.config import TRADUCCIONES

from . import (
    publico_datos,  # noqa: F401  (datos abiertos, también sobre el blueprint público)
    publico_pai,  # noqa: F401  (rutas del PAI publicado sobre el blueprint público)
    publico_transparencia,  # noqa: F401  (art. 74 e informe de gestión, sobre el blueprint público)
)
from .administracion import vistas_administracion
from .ajustes import vistas_ajustes
from .avisos import vistas_avisos
from .catalogos import vistas_catalogos
from .control_interno import vistas_control_interno
from .descargas import descargas
from .estrategicos import vistas_estrategicos
from .fragmentos import configurar as configurar_fragmentos
from .inicio import VistaInicio
from .menu import entradas as entradas_del_menu
from .planes_accion import vistas_planes_accion
from .publico import publico
from .seguimiento import vistas_seguimiento
from .trabajos import vistas_trabajos
from .transparencia import vistas_transparencia
from .widgets import configurar as configurar_widgets


def registrar_vistas(app) -> Admin:
    from gestion.base.cabeceras import nonce

    admin = Admin(
        app, name="Planes de gestión",
        theme=Bootstrap4Theme(base_template="admin/base_gestion.html", fluid=True),
        index_view=VistaInicio(name="Inicio", url="/admin"),
        translations_path=str(TRADUCCIONES),
        csp_nonce_generator=nonce,
    )
    for vista in (vistas_estrategicos() + vistas_planes_accion() + vistas_seguimiento() + vistas_control_interno()
                  + vistas_avisos() + vistas_ajustes() + vistas_catalogos() + vistas_administracion()
                  + vistas_trabajos() + vistas_transparencia()):
        admin.add_view(vista)
    app.jinja_env.globals["menu_del_panel"] = entradas_del_menu
    configurar_widgets(app)
    configurar_fragmentos(app)
    app.register_blueprint(publico)
    app.register_blueprint(descargas)
    app.add_url_rule("/", "raiz", lambda: redirect(url_for("publico.indice")))
    return admin
