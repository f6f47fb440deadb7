"""Cliente de pruebas que se comporta como un navegador: inicia sesión y envía el token CSRF."""
import re
import secrets

from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from .fabricas import CONTRASENA


class Navegador:
    """Cada petición corre en su propio contexto de app, como en producción: `g` y la sesión de
    SQLAlchemy no se comparten con la prueba ni con otro navegador."""
    def __init__(self, app):
        self.app = app
        self.cliente: FlaskClient = app.test_client()

    def token_csrf(self) -> str:
        # Lo mismo que hace flask_wtf.csrf.generate_csrf con la sesión del cliente.
        with self.cliente.session_transaction() as sesion:
            sesion.setdefault("csrf_token", secrets.token_hex(20))
            crudo = sesion["csrf_token"]
        return URLSafeTimedSerializer(self.app.secret_key, salt="wtf-csrf-token").dumps(crudo)

    def iniciar_sesion(self, usuario, contrasena: str = CONTRASENA):
        respuesta = self.post("/login", data={"email": usuario.email, "password": contrasena})
        assert respuesta.status_code == 302, f"no pudo iniciar sesión {usuario.email}: {respuesta.status_code}"
        return respuesta

    def get(self, url, **kwargs):
        with self.app.app_context():
            return self.cliente.get(url, **kwargs)

    def post(self, url, data=None, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token_csrf())
        with self.app.app_context():
            return self.cliente.post(url, data=data, **kwargs)

    def texto(self, url) -> str:
        respuesta = self.get(url)
        assert respuesta.status_code == 200, f"GET {url} → {respuesta.status_code}"
        return respuesta.get_data(as_text=True)

    @staticmethod
    def mensajes(html: str) -> list[str]:
        return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S)]


def de_otro_servidor(html: str) -> list[str]:
    """Lo que la página cargaría de otro servidor (un CDN): la herramienta corre en una intranet. Se buscan las
    URL absolutas de src y href, no el texto «cdn», que a veces sale dentro del token CSRF (es aleatorio)."""
    return re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
