"""Seguimiento trimestral, actividades 16 a 19: reportes y su revisión, cifras (en vivo y guardadas), gráfica y
recordatorios."""
