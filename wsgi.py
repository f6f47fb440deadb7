"""Punto de entrada WSGI: `gunicorn wsgi:app` o `flask --app wsgi ...`."""
from gestion import crear_app

app = crear_app()
