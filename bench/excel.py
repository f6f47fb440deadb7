"""Mide las cargas y exportaciones de Excel con volumen: tiempo y pico de memoria de cada una, al lado de
una escritura cruda con openpyxl `write_only` de las mismas celdas.

Uso (SQLite temporal por defecto; DATABASE_URL=postgresql://... sobre una base vacía):

    .venv/bin/python bench/excel.py --filas 5000 --actividades 30000

Metas de la issue 10: carga de 5.000 filas ≤ 3 s; exportaciones ≤ 1,5 veces la escritura cruda.
"""
import argparse
import os
import sys
import tempfile
import time
import threading
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from gestion import cifras, crear_app, flujo  # noqa: E402
from gestion.config import ConfigPruebas  # noqa: E402
from gestion.demo import cargador  # noqa: E402
from gestion.excel import informe  # noqa: E402
from gestion.excel.plantilla_actividades import CAMPOS  # noqa: E402
from gestion.importacion import actividades as importacion  # noqa: E402
from modelos import Actividad, EstadoPlan, Plan, TipoPlan, db  # noqa: E402

CONTRASENA = "bench"
FILAS: list[tuple[str, float, float]] = []


def _rss() -> int:
    with open("/proc/self/statm") as estado:
        return int(estado.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def medir(nombre: str):
    """Tiempo y pico de memoria residente sobre la del inicio (un hilo la mira cada 20 ms: tracemalloc
    haría todo varias veces más lento)."""
    base, pico, listo = _rss(), [0], threading.Event()

    def vigilar():
        while not listo.wait(0.02):
            pico[0] = max(pico[0], _rss() - base)

    vigia = threading.Thread(target=vigilar, daemon=True)
    vigia.start()
    inicio = time.perf_counter()
    yield
    segundos = time.perf_counter() - inicio
    listo.set()
    vigia.join()
    FILAS.append((nombre, segundos, max(pico[0], _rss() - base) / 2**20))


def crudo(filas: list[list]) -> bytes:
    """La referencia: las mismas celdas escritas con openpyxl write_only, sin formatos."""
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("Datos")
    for fila in filas:
        hoja.append(fila)
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _celdas(contenido: bytes) -> list[list]:
    libro = load_workbook(BytesIO(contenido), read_only=True)
    return [list(f) for hoja in libro.worksheets for f in hoja.iter_rows(values_only=True)]


def plantilla_de(n: int, objetivo: str, politica: str, unidad: str) -> bytes:
    libro = Workbook(write_only=True)
    hoja = libro.create_sheet("Actividades")
    hoja.append([c.titulo for c in CAMPOS])
    for i in range(1, n + 1):
        hoja.append([f"A{i}", f"Actividad de volumen {i}", objetivo, politica, "Visitas", "Número de visitas", unidad,
                     40, 10, 10, 10, 10, "0,02", "01/02/2026", "15/12/2026", 1_000_000.5, None, "Grupo"])
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--filas", type=int, default=5000)
    argumentos.add_argument("--actividades", type=int, default=30000)
    opciones = argumentos.parse_args()
    carpeta = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{carpeta}/bench.db"
    # Sin CSRF: el cliente del bench entra al panel sin formulario.
    app = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI=url, instance_path=carpeta, WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        cargador.cargar_demo(CONTRASENA)
        db.session.commit()
        vigencia = cargador.vigencia(2026)
        # Un borrador cuyo contenido se edita (no la versión propuesta de un ajuste ya enviado).
        borrador = next(p for p in db.session.scalars(sa.select(Plan).filter_by(
            tipo=TipoPlan.PA, vigencia_id=vigencia.id, estado=EstadoPlan.BORRADOR).order_by(Plan.id))
            if flujo.contenido_editable(p))
        director = cargador.director_de(borrador.dependencia.codigo)
        ejemplo = borrador.actividades[0]
        contenido = plantilla_de(opciones.filas, ejemplo.objetivo.codigo, ejemplo.politica.codigo,
                                 ejemplo.unidad.codigo)
        with medir(f"Carga de {opciones.filas:,} actividades (leer, validar, guardar, un commit)"):
            importacion.importar(borrador, contenido, director)
            db.session.commit()

        # Volumen para exportar: actividades en los planes aprobados de la vigencia, por inserción masiva.
        aprobados = list(db.session.scalars(sa.select(Plan).filter_by(tipo=TipoPlan.PA, vigencia_id=vigencia.id,
                                                                      estado=EstadoPlan.APROBADO)))
        por_plan = opciones.actividades // len(aprobados)
        for plan in aprobados:
            db.session.execute(sa.insert(Actividad), [dict(
                plan_id=plan.id, codigo=f"V{i}", descripcion=f"Actividad de volumen {i}", objetivo_id=ejemplo.objetivo_id,
                politica_id=ejemplo.politica_id, unidad_id=ejemplo.unidad_id, indicador="Visitas", formula="Visitas",
                meta_anual=Decimal(40), meta_t1=Decimal(10), meta_t2=Decimal(10), meta_t3=Decimal(10),
                meta_t4=Decimal(10), peso=Decimal("0.01"), fecha_inicio=date(2026, 2, 1), fecha_fin=date(2026, 12, 15),
                presupuesto=Decimal("1000000.50"), responsable="Grupo", territorial=False, version=1)
                for i in range(por_plan)])
        db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Actividad))

    cliente = app.test_client()
    assert cliente.post("/login", data={"email": "oap@demo.gov.co", "password": CONTRASENA}).status_code == 302
    with medir(f"Exportar la lista de {total:,} actividades (.xlsx)"):
        respuesta = cliente.get("/admin/actividad/export/xlsx/")
        assert respuesta.status_code == 200
        exportado = respuesta.data
    celdas = _celdas(exportado)
    with medir(f"  escritura cruda de las mismas {len(celdas):,} filas"):
        crudo(celdas)

    with app.app_context():
        with medir("Cifras del informe de seguimiento con ese volumen (gestion.cifras)"):
            cuadro = cifras.cuadro(cargador.vigencia(2026), 1)
        with medir("Escribir el informe de seguimiento .xlsx"):
            libro_informe = informe.libro(cuadro, {})
        celdas = _celdas(libro_informe)
        with medir(f"  escritura cruda de las mismas {len(celdas):,} filas"):
            crudo(celdas)

    ancho = max(len(n) for n, _, _ in FILAS)
    print(f"\nBase: {sa.make_url(url).get_backend_name()}")
    print(f"{'':<{ancho}}  {'segundos':>9}  {'+RSS MB':>8}")
    for nombre, segundos, pico in FILAS:
        print(f"{nombre:<{ancho}}  {segundos:9.2f}  {pico:8.1f}")
    for i in (1, 4):
        print(f"Razón «{FILAS[i][0][:45]}…» / escritura cruda: {FILAS[i][1] / FILAS[i + 1][1]:.2f} (meta ≤ 1,5)")


if __name__ == "__main__":
    main()
