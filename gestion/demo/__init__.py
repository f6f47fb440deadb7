"""Datos de demostración: `datos.py` los declara, `cargador.py` los carga por los servicios."""
