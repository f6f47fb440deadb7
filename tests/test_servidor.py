"""Bajo gunicorn, como en producción: las páginas de error en español llegan al navegador, también la del
archivo demasiado grande (antes, una conexión reiniciada)."""
import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent  # donde gunicorn encuentra gunicorn.conf.py


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _gunicorn(carpeta, base: str):
    """Un gunicorn de un worker con la app sobre `base`, en un puerto libre; da el puerto y el proceso."""
    puerto = _puerto_libre()
    fabrica = (f"gestion.fabrica:crear_app(instance_path={str(carpeta)!r}, "
               f"SQLALCHEMY_DATABASE_URI='sqlite:///{base}')")
    proceso = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{puerto}", fabrica],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", puerto), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proceso.kill()
        pytest.fail(proceso.stderr.read().decode())
    yield puerto, proceso
    proceso.terminate()
    proceso.wait(10)


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("gunicorn")
    with _gunicorn(carpeta, f"{carpeta}/gestion.db") as (puerto, _):
        yield puerto


def _pedir(puerto, metodo, ruta, cuerpo=None, cabeceras=None):
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
    conexion.request(metodo, ruta, body=cuerpo, headers=cabeceras or {})
    respuesta = conexion.getresponse()
    return respuesta.status, respuesta.read().decode()


def test_un_archivo_de_12_mb_da_la_pagina_413_y_no_una_conexion_reiniciada(gunicorn):
    cuerpo = b"--limite\r\nContent-Disposition: form-data; name=\"archivo\"; filename=\"acta.pdf\"\r\n\r\n" + \
        b"x" * (12 * 1024 * 1024) + b"\r\n--limite--\r\n"
    codigo, html = _pedir(gunicorn, "POST", "/login", cuerpo,
                          {"Content-Type": "multipart/form-data; boundary=limite"})
    assert codigo == 413 and "Archivo demasiado grande" in html and "10 MB" in html


@pytest.mark.parametrize("metodo, ruta, codigo, titulo", [
    ("GET", "/no-existe", 404, "No encontrado"), ("POST", "/publico/", 405, "Método no permitido")])
def test_las_paginas_de_error_en_espanol_bajo_gunicorn(gunicorn, metodo, ruta, codigo, titulo):
    obtenido, html = _pedir(gunicorn, metodo, ruta)
    assert obtenido == codigo and titulo in html


@pytest.fixture(scope="module")
def gunicorn_sin_base(tmp_path_factory):
    """La base no se puede abrir (su carpeta no existe): cada consulta da OperationalError, como una caída."""
    carpeta = tmp_path_factory.mktemp("gunicorn_sin_base")
    with _gunicorn(carpeta, f"{carpeta}/no-existe/gestion.db") as servidor:
        yield servidor


def test_con_la_base_caida_gunicorn_da_503_en_espanol_y_lo_registra(gunicorn_sin_base):
    puerto, proceso = gunicorn_sin_base
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
    conexion.request("GET", "/publico/")
    respuesta = conexion.getresponse()
    html = respuesta.read().decode()
    assert respuesta.status == 503 and respuesta.getheader("Retry-After") == "60"
    assert "Servicio no disponible" in html and "intente en unos minutos" in html
    proceso.terminate()
    proceso.wait(10)
    assert "La base de datos no respondió en GET /publico/" in proceso.stderr.read().decode()


def test_en_produccion_gunicorn_con_dos_workers_no_arranca_con_el_conteo_de_ingresos_en_memoria(tmp_path):
    """gunicorn.conf.py le dice a la app cuántos workers hay; con GESTION_HTTPS=1 y memory:// no arranca y el log
    dice qué poner."""
    fabrica = (f"gestion.fabrica:crear_app(instance_path={str(tmp_path)!r}, "
               f"SQLALCHEMY_DATABASE_URI='sqlite:///{tmp_path}/gestion.db')")
    entorno = {**os.environ, "GESTION_HTTPS": "1", "RATELIMIT_STORAGE_URI": "memory://"}
    entorno.pop("WEB_CONCURRENCY", None)
    proceso = subprocess.run([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{_puerto_libre()}",
                              fabrica], capture_output=True, text=True, timeout=120, env=entorno, cwd=RAIZ)
    assert proceso.returncode != 0
    assert "RATELIMIT_STORAGE_URI es «memory://» y gunicorn corre 2 workers" in proceso.stderr
