"""Lo que corre el trabajador de RQ por cada trabajo que toma de la cola (`flask --app wsgi gestion trabajador`)."""
from flask import current_app, g, has_app_context

from gestion.fabrica import crear_app
from gestion.trabajos import cola
from modelos import Trabajo, Usuario, db


def ejecutar_en_cola(trabajo_id: int) -> None:
    """Lo que corre el trabajador de RQ: un contexto propio (sesión de base y `g` nuevos) con quien pidió el
    trabajo como usuario actual, para que la auditoría y los enlaces de los correos salgan como en la petición."""
    if has_app_context():
        app = current_app._get_current_object()
    else:  # un trabajador arrancado sin la orden `gestion trabajador`
        app = crear_app()
    with app.app_context():
        trabajo = db.session.get(Trabajo, trabajo_id)
        if trabajo is None:
            return
        usuario = db.session.get(Usuario, trabajo.usuario_id) if trabajo.usuario_id else None
        with app.test_request_context(base_url=app.config.get("GESTION_URL_BASE") or "http://localhost/"):
            g._login_user = usuario or app.login_manager.anonymous_user()
            try:
                cola.ejecutar(trabajo_id)
            finally:
                db.session.remove()
