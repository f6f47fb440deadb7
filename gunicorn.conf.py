"""gunicorn lee este archivo cuando arranca desde la raíz del repositorio (`gunicorn wsgi:app`, README «Producción»)."""
import os


def on_starting(server):
    # Antes de que los workers carguen la app: ella sabe así cuántos comparten el conteo de intentos de ingreso
    # (gestion.base.ingreso rechaza en producción el conteo en memoria con más de uno).
    os.environ["GESTION_WORKERS"] = str(server.cfg.workers)
