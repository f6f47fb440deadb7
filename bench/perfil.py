"""Dónde se va la CPU de una página (issue 23, punto 3): cProfile de `--peticiones` peticiones a una URL, con el
cliente de pruebas y la app de bench/cpu_listas.py, agrupado por paquete y con las funciones más caras.

Uso (con la base de bench/carga.py, la misma sal):

    SECURITY_PASSWORD_SALT=carga-sal .venv/bin/python bench/perfil.py \
        --base postgresql://postgres@127.0.0.1:5432/gestion_sector --quien oap /admin/planes_accion/
"""
import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

RAIZ = Path(__file__).resolve().parent
sys.path.insert(0, str(RAIZ))

import sqlalchemy as sa  # noqa: E402
from cpu_listas import _app, _ingresar  # noqa: E402

from modelos import db  # noqa: E402

GRUPOS = [("jinja2", "jinja2/"), ("plantillas", "plantillas/"), ("sqlalchemy", "sqlalchemy/"),
          ("psycopg", "psycopg/"), ("flask_admin", "flask_admin/"), ("flask_security", "flask_security/"),
          ("flask_login", "flask_login/"), ("werkzeug", "werkzeug/"), ("flask", "flask/"), ("wtforms", "wtforms/"),
          ("babel", "babel/"), ("markupsafe", "markupsafe/"), ("gestion", "/gestion/"), ("vistas", "/vistas/"),
          ("modelos", "/modelos/")]


def _grupo(archivo: str) -> str:
    if archivo.endswith(".html") or "<template>" in archivo:
        return "plantillas"
    return next((nombre for nombre, parte in GRUPOS if parte in archivo), "otros")


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--base", required=True)
    argumentos.add_argument("--quien", choices=("oap", "director"), default="oap")
    argumentos.add_argument("--peticiones", type=int, default=100)
    argumentos.add_argument("--funciones", type=int, default=35)
    argumentos.add_argument("url")
    opciones = argumentos.parse_args()
    app = _app(opciones.base)
    with app.app_context():
        director = db.session.scalar(sa.text(
            "SELECT email FROM usuario WHERE email LIKE 'director.v%@volumen.gov.co' ORDER BY email LIMIT 1"))
    navegador = _ingresar(app, "oap@demo.gov.co" if opciones.quien == "oap" else director)
    sentencias = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: sentencias.append(1))
    for _ in range(20):
        assert navegador.get(opciones.url).status_code == 200
    sentencias.clear()
    navegador.get(opciones.url)
    por_peticion = len(sentencias)
    inicio = time.process_time()
    for _ in range(opciones.peticiones):
        navegador.get(opciones.url)
    sin_perfil = (time.process_time() - inicio) * 1000 / opciones.peticiones
    perfil = cProfile.Profile(time.process_time)  # CPU, no reloj: la espera a la base no cuenta
    perfil.enable()
    for _ in range(opciones.peticiones):
        navegador.get(opciones.url)
    perfil.disable()
    estadisticas = pstats.Stats(perfil)
    propio = defaultdict(float)
    total = 0.0
    for (archivo, _, _), (_, _, tt, _, _) in estadisticas.stats.items():
        propio[_grupo(archivo)] += tt
        total += tt
    print(f"{opciones.url}: {sin_perfil:.2f} ms de CPU por petición sin perfil, {por_peticion} sentencias\n")
    print("tiempo propio por paquete:")
    for nombre, segundos in sorted(propio.items(), key=lambda par: -par[1]):
        print(f"  {nombre:16} {100 * segundos / total:5.1f} %")
    print()
    estadisticas.sort_stats("tottime").print_stats(opciones.funciones)


if __name__ == "__main__":
    main()
