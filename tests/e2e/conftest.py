"""Pruebas en un Chromium real (el de Debian, /usr/bin/chromium) contra la app servida en un puerto local.

Un servidor por sesión de pruebas (werkzeug en un hilo, base SQLite en un archivo temporal); cada prueba
parte de una base vacía que arma con las fábricas. Cada rol navega en su propio contexto del navegador.
Toda prueba falla si la página pide algo a otro servidor que el de la app o si la consola muestra un
error (las violaciones de la CSP llegan como errores de consola)."""
import logging
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from gestion.base.config import ConfigPruebas
from gestion.fabrica import crear_app
from modelos import db

from ..conftest import _vaciar_tablas
from ..fabricas import CONTRASENA, Fabrica
from . import paginas

RAIZ = Path(__file__).resolve().parents[2]
CAPTURAS = Path(os.environ.get("GESTION_CAPTURAS") or RAIZ / "capturas")
CHROMIUM = os.environ.get("GESTION_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def app_e2e(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{carpeta / 'gestion.sqlite'}"
    aplicacion = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI=url, instance_path=str(carpeta),
                           GESTION_CARPETA_ARCHIVOS=str(carpeta / "archivos"))
    aplicacion.config["SQLALCHEMY_DATABASE_URI"] = url
    with aplicacion.app_context():
        upgrade()
    yield aplicacion
    with aplicacion.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def servidor(app_e2e):
    """La app en un servidor HTTP de verdad (hilos, como en desarrollo) en 127.0.0.1 y un puerto libre."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # una línea por petición taparía el fallo
    http = make_server("127.0.0.1", 0, app_e2e, threaded=True)
    hilo = threading.Thread(target=http.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    hilo.join(5)


@pytest.fixture(scope="session")
def chromium():
    for vieja in CAPTURAS.glob("*.png"):  # solo las de esta corrida
        vieja.unlink()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield navegador
        navegador.close()


@pytest.fixture
def contexto(app_e2e, servidor):
    """El contexto de app de la prueba, sobre la base del servidor, vaciada al empezar. Lo que la prueba
    escriba con las fábricas debe confirmarse (commit) antes de pedírselo al navegador."""
    with app_e2e.app_context():
        _vaciar_tablas()
        yield app_e2e
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def fabrica(contexto):
    return Fabrica()


@pytest.fixture
def usuarios(fabrica):
    """Un usuario por rol, como en tests/conftest.py (contraseña `CONTRASENA`)."""
    return fabrica.usuarios_por_rol()


class Errores:
    """Peticiones a otros servidores y errores de consola de todas las páginas de la prueba."""

    def __init__(self):
        self.externas: list[str] = []
        self.consola: list[str] = []

    def vigilar(self, contexto, origen: str):
        servidor = urlsplit(origen).netloc

        def filtrar(ruta):
            partes = urlsplit(ruta.request.url)
            if partes.scheme in ("http", "https", "ws", "wss") and partes.netloc != servidor:
                self.externas.append(ruta.request.url)
                ruta.abort()
            else:
                ruta.continue_()

        contexto.route("**/*", filtrar)
        contexto.on("page", self._pagina)

    def _pagina(self, pagina):
        pagina.on("console", lambda m: self._consola(pagina, m))
        pagina.on("pageerror", lambda e: self.consola.append(f"{pagina.url}: {e}"))

    def _consola(self, pagina, mensaje):
        if mensaje.type == "error":
            self.consola.append(f"{pagina.url}: {mensaje.text}")


@pytest.fixture
def navegar(request, chromium, servidor):
    """navegar() → página anónima; navegar(correo) → página con la sesión de ese usuario iniciada.
    Cada llamada es un contexto de navegador nuevo (sus propias cookies). Al final: sin peticiones
    externas, sin errores de consola, y una captura de cada página abierta si la prueba falló."""
    errores = Errores()
    contextos = []

    def abrir(correo: str | None = None, contrasena: str = CONTRASENA):
        contexto = chromium.new_context(base_url=servidor, locale="es-CO", timezone_id="America/Bogota",
                                        accept_downloads=True, viewport={"width": 1280, "height": 900})
        contexto.set_default_timeout(15_000)
        errores.vigilar(contexto, servidor)
        contextos.append(contexto)
        pagina = contexto.new_page()
        pagina.on("dialog", lambda dialogo: dialogo.accept())  # «¿Está seguro?» de las acciones en bloque
        if correo:
            paginas.iniciar_sesion(pagina, correo, contrasena)
        return pagina

    yield abrir
    fallo = getattr(request.node, "rep_call", None)
    if fallo is not None and fallo.failed:
        for i, contexto in enumerate(contextos):
            for j, pagina in enumerate(contexto.pages):
                guardar_captura(pagina, f"{request.node.name}-fallo-{i}-{j}")
    for contexto in contextos:
        contexto.close()
    assert not errores.externas, f"peticiones a otros servidores: {errores.externas}"
    assert not errores.consola, f"errores en la consola del navegador: {errores.consola}"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    resultado = yield
    informe = resultado.get_result()
    setattr(item, f"rep_{informe.when}", informe)


def guardar_captura(pagina, nombre: str) -> Path:
    CAPTURAS.mkdir(parents=True, exist_ok=True)
    archivo = CAPTURAS / (re.sub(r"[^\w.-]+", "_", nombre) + ".png")
    pagina.screenshot(path=str(archivo), full_page=True)
    print(f"captura: {archivo}")
    return archivo


@pytest.fixture
def captura(request):
    """captura(pagina) guarda la última página del flujo en capturas/<prueba>.png (CI conserva la carpeta)."""
    def tomar(pagina, sufijo: str = ""):
        return guardar_captura(pagina, request.node.name + (f"-{sufijo}" if sufijo else ""))
    return tomar

