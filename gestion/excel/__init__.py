"""Archivos Excel: exportaciones con celdas tipadas (números, fechas) e importaciones seguras."""
