"""Recordatorios enviados y correos por reenviar: la OAP ve a quién se le recordó y qué no salió."""
from flask_admin.actions import action

from gestion.base import correo
from modelos import CorreoPendiente, Recordatorio

from .base import VistaSoloLectura
from .operaciones import confirmar


class VistaRecordatorios(VistaSoloLectura):
    recurso = "revision_seguimiento"
    column_list = ("enviado_en", "descripcion", "dependencia", "plazo", "desfase", "destinatario")
    column_labels = {"enviado_en": "Enviado el", "descripcion": "Recordatorio de", "plazo": "Vence el",
                     "desfase": "Días antes del plazo (negativo: después)", "destinatario": "A quién"}
    column_filters = ("paso", "dependencia.nombre", "fecha")
    column_searchable_list = ("destinatario",)
    column_default_sort = ("enviado_en", True)
    column_select_related_list = (Recordatorio.dependencia,)


class VistaCorreosPendientes(VistaSoloLectura):
    """Lo que el servidor de correo no aceptó: queda aquí hasta reenviarse."""

    recurso = "revision_seguimiento"
    column_list = ("creado_en", "asunto", "destinatarios", "intentos", "ultimo_error", "enviado_en")
    column_details_list = ("creado_en", "asunto", "destinatarios", "remitente", "intentos", "ultimo_error",
                           "enviado_en")  # sin el .eml: son bytes, no algo que se lea en pantalla
    column_labels = {"creado_en": "Desde", "intentos": "Intentos", "ultimo_error": "Último error",
                     "enviado_en": "Reenviado el"}
    column_filters = ("enviado_en",)
    column_default_sort = ("creado_en", True)

    def is_action_allowed(self, name):
        if name == "reintentar":
            return self.puede_escribir()  # la OAP; Control Interno solo lee
        return super().is_action_allowed(name)

    @action("reintentar", "Reintentar el envío", "¿Reintentar ahora el envío de todos los correos pendientes?")
    def accion_reintentar(self, ids):
        enviados, pendientes = correo.reintentar_pendientes()
        confirmar(f"Correos reenviados: {enviados}; siguen pendientes: {pendientes}.")


def vistas_avisos():
    return [VistaRecordatorios(Recordatorio, "Recordatorios enviados", "Seguimiento"),
            VistaCorreosPendientes(CorreoPendiente, "Correos por reenviar", "Seguimiento")]
