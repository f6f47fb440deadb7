"""Lo que corre solo mientras un trabajador atiende la cola: los recordatorios del día, sin un cron aparte.

Cada GESTION_RECORDATORIOS_CADA segundos (y al arrancar) el trabajador envía los recordatorios que tocan hoy.
Varios trabajadores, o la orden `gestion recordatorios` a la vez, no repiten nada: cada recordatorio sale una
vez por paso, destinatario y día (gestion.seguimiento.recordatorios). Se eligió un hilo del trabajador y no el
CronScheduler de RQ porque este aún es beta y pide otro proceso (`rq cron`) que también habría que vigilar.
"""
import logging
import threading
import time

from gestion.seguimiento import recordatorios
from modelos import db

log = logging.getLogger(__name__)


def recordar(app) -> int:
    """Una pasada: envía los recordatorios de hoy; devuelve cuántos salieron."""
    with app.app_context():
        try:
            return len(recordatorios.enviar())
        finally:
            db.session.remove()


def arrancar(app) -> threading.Thread | None:
    cada = float(app.config.get("GESTION_RECORDATORIOS_CADA") or 0)
    if cada <= 0:
        return None

    def siempre():
        while True:
            try:
                enviados = recordar(app)
                if enviados:
                    log.info("Recordatorios enviados: %s", enviados)
            except Exception as error:  # el trabajador sigue atendiendo la cola; se intenta en la próxima vuelta
                log.warning("Los recordatorios fallaron (%s)", error)
            time.sleep(cada)

    hilo = threading.Thread(target=siempre, name="recordatorios", daemon=True)
    hilo.start()
    return hilo
