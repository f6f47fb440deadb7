"""Vistas de Ajustes (actividades 20 a 24)."""
from modelos import SolicitudAjuste

from .base import VistaSoloLectura


class VistaSolicitudesAjuste(VistaSoloLectura):
    recurso = "ajustes"
    column_list = ("plan", "solicitante", "solicitado_en", "causa", "estado")
    column_filters = ("estado",)
    column_searchable_list = ("causa", "cambio_propuesto")
    column_select_related_list = (SolicitudAjuste.plan, SolicitudAjuste.solicitante)


def vistas_ajustes():
    return [VistaSolicitudesAjuste(SolicitudAjuste, "Solicitudes de ajuste", "Ajustes")]
