"""Vistas de Seguimiento (actividades 16 a 19)."""
from modelos import (AccionDerivada, Avance, DiagnosticoTrimestral, InformeSeguimiento, ReporteTrimestral,
                     VentanaReporte)

from .base import VistaModelo, VistaSoloLectura


class VistaReportes(VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("plan", "dependencia", "trimestre", "estado", "enviado_en", "revisado_en")
    column_filters = ("estado", "trimestre", "dependencia.nombre")
    column_select_related_list = (ReporteTrimestral.plan, ReporteTrimestral.dependencia)


class VistaAvances(VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("reporte", "actividad", "indicador", "valor_logrado", "justificacion",
                   "presupuesto_comprometido", "presupuesto_pagado")
    column_select_related_list = (Avance.reporte, Avance.actividad, Avance.indicador)


class VistaVentanas(VistaModelo):
    recurso = "revision_seguimiento"
    column_list = ("vigencia", "trimestre", "abre", "cierra", "abierta")
    column_filters = ("vigencia.anio", "trimestre", "abierta")
    form_columns = ("vigencia", "trimestre", "abre", "cierra")


class VistaDiagnosticos(VistaSoloLectura):
    recurso = "revision_seguimiento"
    column_list = ("vigencia", "trimestre", "dependencia", "diagnostico", "autor", "en")
    column_filters = ("vigencia.anio", "trimestre", "dependencia.nombre")


class VistaInformes(VistaSoloLectura):
    recurso = "revision_seguimiento"
    column_list = ("vigencia", "trimestre", "generado_en", "remitido_en", "remitido_por", "destinatarios")


class VistaAccionesDerivadas(VistaSoloLectura):
    recurso = "seguimiento"
    column_list = ("descripcion", "dependencia", "fecha_limite", "estado")
    column_filters = ("estado", "dependencia.nombre")


def vistas_seguimiento():
    categoria = "Seguimiento"
    return [
        VistaReportes(ReporteTrimestral, "Reportes trimestrales", categoria),
        VistaAvances(Avance, "Avances", categoria),
        VistaVentanas(VentanaReporte, "Ventanas de reporte", categoria),
        VistaDiagnosticos(DiagnosticoTrimestral, "Diagnóstico trimestral", categoria),
        VistaInformes(InformeSeguimiento, "Informes de seguimiento", categoria),
        VistaAccionesDerivadas(AccionDerivada, "Acciones de los comités", categoria),
    ]
