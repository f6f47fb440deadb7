"""Peso de cada clase de página (issue 21, punto 9): bytes y peticiones de la primera visita (el HTML y cada
hoja de estilo, script e imagen que pide) y cuántas de esas peticiones se repiten en la visita siguiente
(las que no salen con `Cache-Control: immutable` se revalidan). Las fuentes que pide una hoja de estilo no se
cuentan: el navegador solo las baja si la página usa sus glifos.

Uso: .venv/bin/python bench/peso.py   (base SQLite temporal con los datos de `gestion demo`)

Mide lo que sale de la app, sin comprimir: detrás de nginx con `gzip on` (README, «Producción») el CSS y el
JavaScript viajan en cerca de un quinto; la columna «gzip» lo estima con el mismo nivel de nginx (1)."""
import gzip
import os
import re
import sys
import tempfile
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from gestion.demo.cargador import CONTRASENA_POR_DEFECTO, cargar_demo  # noqa: E402
from gestion.fabrica import crear_app  # noqa: E402
from modelos import EstadoPlan, Plan, ReporteTrimestral, TipoPlan, db  # noqa: E402
from tests.navegador import Navegador  # noqa: E402

RECURSO = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"', re.I)


def paginas(app) -> list[tuple[str, str | None, str]]:
    """(clase de página, correo de quien la abre o None, URL)."""
    with app.app_context():
        pa = db.session.scalar(sa.select(Plan.id).where(Plan.tipo == TipoPlan.PA).order_by(Plan.id))
        pai = db.session.scalar(sa.select(Plan.id).where(Plan.tipo == TipoPlan.PAI,
                                                         Plan.estado == EstadoPlan.PUBLICADO))
        pei = db.session.scalar(sa.select(Plan.id).where(Plan.tipo == TipoPlan.PEI,
                                                         Plan.estado == EstadoPlan.PUBLICADO))
        reporte = db.session.scalar(sa.select(ReporteTrimestral.id).order_by(ReporteTrimestral.id))
    oap, director = "oap@demo.gov.co", "director@demo.gov.co"
    lista = [("pública: planes publicados", None, "/publico/"),
             ("pública: un plan estratégico", None, f"/publico/planes/{pei}"),
             ("pública: el PAI", None, f"/publico/pai/{pai}" if pai else "/publico/pai/"),
             ("pública: accesibilidad", None, "/publico/accesibilidad"),
             ("ingreso", None, "/login"),
             ("inicio de la OAP", oap, "/admin/"),
             ("lista de planes de acción", oap, "/admin/planes_accion/"),
             ("ficha de un plan de acción", oap, f"/admin/planes_accion/ficha/?id={pa}"),
             ("formulario (editar un plan)", oap, f"/admin/planes_accion/edit/?id={pa}"),
             ("tablero de seguimiento", oap, "/admin/tablero/"),
             ("reporte trimestral", oap, f"/admin/reportetrimestral/ficha/?id={reporte}"),
             ("inicio de un director", director, "/admin/")]
    return lista


def medir(cliente: Navegador, url: str) -> tuple[int, int, int, int, int]:
    """(bytes, bytes con gzip, peticiones, peticiones que se repiten en la visita siguiente, hojas repetidas)."""
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200, f"{url}: {respuesta.status_code}"
    html = respuesta.get_data()
    recursos = [unescape(u) for u in RECURSO.findall(html.decode())]
    total, comprimido, repiten = len(html), len(gzip.compress(html, 1)), 1  # el HTML siempre se pide
    for recurso in recursos:
        archivo = cliente.get(recurso)
        cuerpo = archivo.get_data()
        total += len(cuerpo)
        comprimido += len(gzip.compress(cuerpo, 1))
        if "immutable" not in archivo.headers.get("Cache-Control", ""):
            repiten += 1
    sin_version = [r.split("?")[0] for r in recursos if r.split("?")[0].endswith(".css")]
    return total, comprimido, 1 + len(recursos), repiten, len(sin_version) - len(set(sin_version))


def main() -> None:
    with tempfile.TemporaryDirectory() as carpeta:
        url = f"sqlite:///{carpeta}/peso.db"
        os.environ["DATABASE_URL"] = url
        app = crear_app(instance_path=carpeta, GESTION_LIMITE_LOGIN="100000 per minute",
                        GESTION_LIMITE_FALLOS_LOGIN="100000 per minute")
        with app.app_context():
            upgrade()
            cargar_demo(CONTRASENA_POR_DEFECTO)
            db.session.commit()
        clientes = {}
        print(f"{'página':<30} {'KB':>7} {'KB gzip':>8} {'peticiones':>11} {'repite':>7} {'CSS dos veces':>14}")
        for nombre, correo, ruta in paginas(app):
            if correo not in clientes:
                clientes[correo] = Navegador(app)
                if correo:
                    r = clientes[correo].post("/login", data={"email": correo, "password": CONTRASENA_POR_DEFECTO})
                    assert r.status_code == 302, correo
            total, comprimido, peticiones, repiten, dobles = medir(clientes[correo], ruta)
            print(f"{nombre:<30} {total / 1024:>7.0f} {comprimido / 1024:>8.0f} {peticiones:>11} {repiten:>7} "
                  f"{dobles:>14}", flush=True)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
