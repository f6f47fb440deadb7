"""Bajo gunicorn, como en producción: las páginas de error en español llegan al navegador, también la del
archivo demasiado grande (antes, una conexión reiniciada)."""
import http.client
import socket
import subprocess
import sys
import time

import pytest


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("gunicorn")
    puerto = _puerto_libre()
    fabrica = (f"gestion.fabrica:crear_app(instance_path={str(carpeta)!r}, "
               f"SQLALCHEMY_DATABASE_URI='sqlite:///{carpeta}/gestion.db')")
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
    yield puerto
    proceso.terminate()
    proceso.wait(10)


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
