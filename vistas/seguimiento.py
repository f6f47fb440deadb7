"""El menú Seguimiento (actividades 16 a 19): el tablero, la calidad del reporte, los reportes de cada dependencia
(`vistas.reportes`) y su revisión por la OAP (`vistas.revision`). Cada vista es delgada: carga con alcance, pregunta a
`gestion.reglas`, llama al servicio de `gestion.seguimiento`, hace commit una vez y envía el correo encolado.
"""
from modelos import AccionDerivada, Avance, DiagnosticoTrimestral, InformeSeguimiento, ReporteTrimestral, VentanaReporte

from .calidad import VistaCalidad
from .reportes import VistaAvances, VistaReportes
from .revision import VistaAccionesDerivadas, VistaDiagnosticos, VistaInformes, VistaVentanas
from .tablero import VistaTablero


def vistas_seguimiento():
    categoria = "Seguimiento"
    return [
        VistaTablero(ReporteTrimestral, "Tablero de seguimiento", categoria, endpoint="tablero"),
        VistaCalidad(ReporteTrimestral, "Calidad del reporte", categoria, endpoint="calidad_reporte"),
        VistaReportes(ReporteTrimestral, "Reportes trimestrales", categoria),
        VistaAvances(Avance, "Avances", categoria),
        VistaVentanas(VentanaReporte, "Ventanas de reporte", categoria),
        VistaDiagnosticos(DiagnosticoTrimestral, "Diagnóstico trimestral", categoria),
        VistaInformes(InformeSeguimiento, "Informes de seguimiento", categoria),
        VistaAccionesDerivadas(AccionDerivada, "Acciones de los comités", categoria),
    ]
