"""Lo que hace un proceso servidor una vez, después de crear la app y antes de atender peticiones."""
import gc


def fijar_lo_cargado() -> None:
    """La app, sus vistas, SQLAlchemy y las bibliotecas viven lo que vive el proceso (unos 220 mil objetos):
    se sacan del recolector de basura, que si no los recorre en cada pasada completa y alarga justo las
    peticiones que la sufren (el p95). Es `gc.freeze()`, lo que recomienda la documentación de Python para
    servidores de varios procesos."""
    gc.collect()
    gc.freeze()
