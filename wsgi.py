"""Punto de entrada WSGI: `gunicorn wsgi:app` o `flask --app wsgi ...`."""
from gestion.base.proceso import fijar_lo_cargado
from gestion.fabrica import crear_app

app = crear_app()
fijar_lo_cargado()
