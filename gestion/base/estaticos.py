"""Archivos estáticos con huella: cada `url_for` de un estático (el de la app, el de Flask-Admin, el de
Flask-Security) lleva `?v=<huella del contenido>`, y quien pide esa huella recibe el archivo con
`Cache-Control: public, max-age=31536000, immutable`: el navegador no vuelve a preguntar por él hasta que el
archivo cambie, y entonces cambia su URL. Sin huella, o con una vieja, se revalida como antes (no-cache).

Una función de url_for y un after_request, no una librería: flask-static-digest y whitenoise piden un paso de
compilación o servir los estáticos aparte, y ninguno pone huella a los de Flask-Admin (un blueprint ajeno).
La compresión la hace el proxy (README, «Producción»: gzip de nginx)."""
import hashlib
import os

from flask import Flask, current_app, request
from werkzeug.security import safe_join

UN_ANO = 31_536_000


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


def configurar(app: Flask) -> None:
    app.url_defaults(_con_huella)
    app.after_request(_cache_largo)
