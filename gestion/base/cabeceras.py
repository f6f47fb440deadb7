"""Cabeceras de seguridad de cada respuesta: CSP con nonce, sin marcos, sin adivinar tipos.

Los `<script>` en línea de Flask-Admin llevan el nonce de la petición (`Admin(csp_nonce_generator=...)`);
todo lo demás se carga de /static (nada de CDN). Ningún manejador en atributos (`onclick="…"`): las
plantillas declaran el comportamiento con atributos data-* y gestion/static/gestion.js lo atiende; las de
Flask-Admin que los traían están copiadas sin ellos en plantillas/admin/.
"""
import secrets

from flask import Flask, g, request

from gestion.base import estaticos

POLITICA = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; script-src-attr 'none'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _agregar(respuesta):
    cabeceras = respuesta.headers
    cabeceras.setdefault("Content-Security-Policy", POLITICA.format(nonce=nonce()))
    cabeceras.setdefault("X-Frame-Options", "DENY")
    cabeceras.setdefault("X-Content-Type-Options", "nosniff")
    cabeceras.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        cabeceras.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Lo que ve alguien con sesión (páginas, exportaciones, resultados) y las páginas de ingreso no quedan en la
    # caché del navegador ni de un proxy: otro usuario del mismo equipo no las abre con «Atrás». El usuario se
    # mira solo si ya se cargó (sin él, esta respuesta no mostró nada suyo; cargarlo aquí consultaría la base).
    # Los estáticos con huella llevan su caché larga (gestion.base.estaticos): no muestran nada del usuario.
    usuario = g.get("_login_user")
    if estaticos.es_estatico(request.endpoint):
        return respuesta
    if (request.blueprint == "security") or (usuario is not None and usuario.is_authenticated):
        cabeceras["Cache-Control"] = "no-store"
    return respuesta


def configurar(app: Flask) -> None:
    app.after_request(_agregar)
    app.jinja_env.globals["csp_nonce"] = nonce
