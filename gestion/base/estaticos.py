"""Archivos estáticos con huella: cada `url_for` de un estático (el de la app, el de Flask-Admin, el de
Flask-Security) lleva `?v=<huella del contenido>`, y quien pide esa huella recibe el archivo con
`Cache-Control: public, max-age=31536000, immutable`: el navegador no vuelve a preguntar por él hasta que el
archivo cambie, y entonces cambia su URL. Sin huella, o con una vieja, se revalida como antes (no-cache).

Una función de url_for y un after_request, no una librería: flask-static-digest y whitenoise piden un paso de
compilación o servir los estáticos aparte, y ninguno pone huella a los de Flask-Admin (un blueprint ajeno).
La compresión la hace el proxy (README, «Producción»: gzip de nginx).

Fuera de depuración la URL de cada estático se arma una vez por proceso (`Aplicacion.url_for`): cada página del
panel pide ~20 (hojas de estilo y scripts), y armarlas con su huella (un `stat` del archivo y el `url_for`) era el
15 % de lo que costaba una página vacía del panel."""
import hashlib
import os

from flask import Flask, current_app, has_request_context, request
from werkzeug.security import safe_join

UN_ANO = 31_536_000
URLS_RECORDADAS = "gestion_urls_estaticas"  # en app.extensions: clave de _clave_de_estatico → URL


def _carpeta(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    plano = app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return plano.static_folder if plano is not None else None


def huella(endpoint: str, archivo: str) -> str | None:
    """Los primeros 12 hex del SHA-256 del archivo; se recalcula solo si cambian su fecha o su tamaño."""
    app = current_app._get_current_object()
    carpeta = _carpeta(app, endpoint)
    ruta = safe_join(carpeta, archivo) if carpeta else None
    if ruta is None:
        return None
    try:
        estado = os.stat(ruta)
    except OSError:
        return None
    memoria = app.extensions.setdefault("gestion_huellas", {})
    clave = (ruta, estado.st_mtime_ns, estado.st_size)
    if clave not in memoria:
        with open(ruta, "rb") as f:
            memoria[clave] = hashlib.sha256(f.read()).hexdigest()[:12]
    return memoria[clave]


def es_estatico(endpoint: str | None) -> bool:
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def _con_huella(endpoint: str, valores: dict) -> None:
    # Reemplaza el ?v=<versión> que Flask-Admin pone a mano (el mismo v para archivos distintos).
    if es_estatico(endpoint) and "filename" in valores:
        marca = huella(endpoint, valores["filename"])
        if marca:
            valores["v"] = marca


def _cache_largo(respuesta):
    if (es_estatico(request.endpoint) and respuesta.status_code in (200, 304) and request.args.get("v")
            and request.args["v"] == huella(request.endpoint, request.view_args.get("filename", ""))):
        respuesta.cache_control.no_cache = None
        respuesta.cache_control.public = True
        respuesta.cache_control.max_age = UN_ANO
        respuesta.cache_control.immutable = True
    return respuesta


class Aplicacion(Flask):
    """Flask, con la URL de cada estático recordada por proceso."""

    def url_for(self, /, endpoint: str, **valores) -> str:
        clave = _clave_de_estatico(self, endpoint, valores)
        if clave is None:
            return super().url_for(endpoint, **valores)
        memoria = self.extensions.setdefault(URLS_RECORDADAS, {})
        url = memoria.get(clave)
        if url is None:
            url = memoria[clave] = super().url_for(endpoint, **valores)
        return url


def _clave_de_estatico(app: Flask, endpoint: str, valores: dict) -> tuple | None:
    """La clave de una URL relativa de estático dentro de una petición; None para cualquier otra URL (con ancla,
    externa, de un correo fuera de petición) o en depuración, donde los archivos cambian sin reiniciar."""
    if (app.debug or not es_estatico(endpoint) or endpoint[:1] == "." or "filename" not in valores
            or any(v is not None for k, v in valores.items() if k not in ("filename", "v"))  # flask.url_for pasa
            or not has_request_context()):  # _anchor, _method, _scheme y _external, en None
        return None
    return _clave(endpoint, valores["filename"], valores.get("v"))


def _clave(endpoint: str, archivo: str, version: str | None) -> tuple:
    return endpoint, archivo, version, request.script_root


def url_de_estatico(archivo: str, endpoint: str = "static") -> str:
    """Para las plantillas del panel (`estatico('tema.css')`, `estatico('vendor/jquery.min.js', 'admin.static')`):
    la misma URL con huella que `url_for(endpoint, filename=archivo)`, leída directo de lo que recuerda
    `Aplicacion.url_for` con la misma clave. Por la macro `admin_static.url` de Flask-Admin cada una pasaba por
    get_url, url_for y `_clave_de_estatico`: las ~20 de cada página eran el 3 % de la CPU de la mezcla de carga.
    En depuración no se recuerda nada y siempre va por url_for."""
    app = current_app._get_current_object()
    url = app.extensions.get(URLS_RECORDADAS, {}).get(_clave(endpoint, archivo, None))
    return url if url is not None else app.url_for(endpoint, filename=archivo)


def configurar(app: Flask) -> None:
    app.url_defaults(_con_huella)
    app.after_request(_cache_largo)
    app.jinja_env.globals["estatico"] = url_de_estatico
