"""Cuando la base no responde, la página lo dice: 503 «Servicio no disponible», nunca «Dato no válido».

`sa.exc.StatementError` incluye `OperationalError` e `InterfaceError` (una conexión perdida, la base reiniciada,
un tiempo de espera): culpar al usuario de una caída le hace corregir datos que estaban bien, y el monitoreo que
mira los 5xx no ve nada. Aquí se decide qué es caída (503), qué es un dato que la base no admite (400) y qué es un
fallo nuestro (500); la fábrica registra el manejador y envuelve la app WSGI con dos cosas:
- un GET o HEAD que perdió la conexión se repite una vez (la conexión caída ya quedó invalidada y `pool_pre_ping`
  descarta las demás muertas del pool), porque leer otra vez no cambia nada;
- si aun así algo escapa a Flask (un manejador de error que falla, un teardown), el navegador recibe la página 500
  en español armada sin plantilla ni base, no el «Internal Server Error» pelado de gunicorn."""
import logging
import sys

import sqlalchemy as sa

log = logging.getLogger("gestion.caidas")

MENSAJE_NO_DISPONIBLE = ("Servicio no disponible, intente en unos minutos: la base de datos no respondió. "
                         "Lo que estaba enviando no se guardó.")
SEGUNDOS_REINTENTO = 60
# Marcas en el environ de la petición: el manejador pide repetir; el reintento ya hecho no se repite.
REPETIR, REPETIDA = "gestion.repetir_lectura", "gestion.lectura_repetida"
METODOS_DE_LECTURA = ("GET", "HEAD")


def es_caida(error: BaseException) -> bool:
    """La base no contestó o perdió la conexión: la petición no tuvo la culpa."""
    if isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError,
                              sa.exc.DisconnectionError))


def codigo_de(error: sa.exc.SQLAlchemyError) -> int:
    if es_caida(error):
        return 503
    if isinstance(error, sa.exc.DataError):
        return 400
    # Un StatementError que no vino del controlador lo lanzó SQLAlchemy al convertir un valor antes de mandarlo
    # (un entero que SQLite no guarda, un valor fuera de una enumeración): es el dato.
    if isinstance(error, sa.exc.StatementError) and not isinstance(error, sa.exc.DBAPIError):
        return 400
    return 500


PAGINA_500 = """<!DOCTYPE html>
<html lang="es"><head><meta charset="UTF-8"><title>Error del sistema · Planes de gestión</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 10vh auto;">
<h1>Error del sistema <small>(500)</small></h1>
<p>Algo falló de nuestro lado y no se guardó nada. Inténtelo de nuevo en unos minutos; si se repite, avise a la
Oficina Asesora de Planeación.</p>
<p><a href="/admin/">Ir al inicio</a> · <a href="/publico/">Planes publicados</a></p>
</body></html>""".encode()


class Resguardo:
    """Middleware WSGI: repite una lectura que perdió la base, y da la página 500 en español si Flask no pudo."""

    def __init__(self, aplicacion):
        self.aplicacion = aplicacion

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in METODOS_DE_LECTURA:
            respuesta, iniciar = self._correr(environ)
            if environ.pop(REPETIR, False) and not environ.get(REPETIDA):
                _cerrar(respuesta)
                environ[REPETIDA] = True
                log.warning("Se repite %s %s tras perder la conexión con la base", environ["REQUEST_METHOD"],
                            environ.get("PATH_INFO"))
                respuesta, iniciar = self._correr(environ)
            if iniciar is None:
                return self._pagina_500(start_response, None)
            start_response(*iniciar)
            return respuesta
        return self._directo(environ, start_response)

    def _correr(self, environ):
        """La respuesta y lo que pidió a start_response, sin mandarlo todavía."""
        guardado = []

        def guardar(estado, cabeceras, exc_info=None):
            guardado[:] = [estado, cabeceras]
            return _sin_escritura

        try:
            return self.aplicacion(environ, guardar), (guardado or None)
        except Exception:
            log.exception("Error sin manejar en %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            return [], None

    def _directo(self, environ, start_response):
        iniciada = []

        def iniciar(estado, cabeceras, exc_info=None):
            iniciada.append(estado)
            return start_response(estado, cabeceras, exc_info)

        try:
            return self.aplicacion(environ, iniciar)
        except Exception:
            log.exception("Error sin manejar en %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            return self._pagina_500(start_response, sys.exc_info() if iniciada else None)

    @staticmethod
    def _pagina_500(start_response, exc_info):
        start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                     ("Content-Length", str(len(PAGINA_500))),
                                                     ("Cache-Control", "no-store")], exc_info)
        return [PAGINA_500]


def _sin_escritura(dato):
    raise RuntimeError("la app no debe usar write() de WSGI")


def _cerrar(respuesta) -> None:
    cerrar = getattr(respuesta, "close", None)
    if cerrar is not None:
        cerrar()
