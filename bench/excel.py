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
import threading
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from gestion.base.config import ConfigPruebas  # noqa: E402
from gestion.demo import cargador  # noqa: E402
from gestion.excel import informe  # noqa: E402
from gestion.excel import pai as excel_pai  # noqa: E402
from gestion.excel.plantilla_actividades import CAMPOS  # noqa: E402
from gestion.fabrica import crear_app
from gestion.importacion import actividades as importacion  # noqa: E402
from gestion.importacion.lectura import leer_filas  # noqa: E402
from gestion.planes.plan_accion import resumen_pai  # noqa: E402
from gestion.reglas import flujo
from gestion.seguimiento import cifras  # noqa: E402
from gestion.trabajos import cola
from modelos import Actividad, EstadoPlan, MetaTerritorial, Plan, TipoPlan, Trabajo, db  # noqa: E402

CONTRASENA = "bench"
FILAS: list[tuple[str, float, float, float]] = []  # nombre, segundos, +RSS MB, segundos de CPU


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
    inicio, cpu = time.perf_counter(), time.process_time()
    yield
    segundos, cpu = time.perf_counter() - inicio, time.process_time() - cpu
    listo.set()
    vigia.join()
    FILAS.append((nombre, segundos, max(pico[0], _rss() - base) / 2**20, cpu))


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
    hoja.append([c.etiqueta for c in CAMPOS])
    for i in range(1, n + 1):
        hoja.append([f"A{i}", f"Actividad de volumen {i}", objetivo, politica, "Visitas", "Número de visitas", unidad,
                     40, 10, 10, 10, 10, "0,02", "01/02/2026", "15/12/2026", 1_000_000.5, None, "Grupo"])
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _primeros_bytes(cliente, url: str) -> tuple[float, bytes]:
    """Segundos hasta el primer trozo de la respuesta (sin esperar el resto) y el cuerpo completo."""
    inicio = time.perf_counter()
    respuesta = cliente.get(url, buffered=False)
    assert respuesta.status_code == 200, (url, respuesta.status_code)
    trozos = iter(respuesta.response)
    primero = next(trozos)
    segundos = time.perf_counter() - inicio
    cuerpo = primero + b"".join(trozos)
    respuesta.close()
    return segundos, cuerpo


def _comparar(nombre: str, contenido: bytes) -> None:
    """La escritura cruda de las mismas celdas, medida al lado de la de la aplicación."""
    celdas = _celdas(contenido)
    with medir(f"  escritura cruda de las mismas {len(celdas):,} filas"):
        crudo(celdas)
    RAZONES.append((nombre, FILAS[-2], FILAS[-1]))


RAZONES: list[tuple[str, tuple, tuple]] = []


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
        catalogo = dict(objetivo_id=ejemplo.objetivo_id, politica_id=ejemplo.politica_id, unidad_id=ejemplo.unidad_id)
        contenido = plantilla_de(opciones.filas, ejemplo.objetivo.codigo, ejemplo.politica.codigo,
                                 ejemplo.unidad.codigo)
        with medir(f"Carga de {opciones.filas:,} actividades (leer, validar, guardar, un commit)"):
            importacion.importar(borrador, contenido, director)
            db.session.commit()
        with medir("  el mismo libro otra vez (nada cambia: nada se escribe)"):
            importacion.importar(borrador, contenido, director)
            db.session.commit()
        with medir("  solo leer el libro (openpyxl read_only, el piso de la carga)"):
            leer_filas(contenido, [c.etiqueta for c in CAMPOS])
        # Como la corre un trabajo, sobre el plan vacío otra vez: con su marcha, que confirma por qué fila va cada
        # 500 filas y el paso de guardar.
        suyas = sa.select(Actividad.id).where(Actividad.plan_id == borrador.id)
        db.session.execute(sa.delete(MetaTerritorial).where(MetaTerritorial.actividad_id.in_(suyas)))
        db.session.execute(sa.delete(Actividad).where(Actividad.plan_id == borrador.id))
        trabajo = Trabajo(tipo="importar_actividades", descripcion="bench", parametros={}, total=1)
        db.session.add(trabajo)
        db.session.commit()
        db.session.expire_all()
        with medir("  la misma carga como trabajo, con su progreso (sobre el plan vacío)"):
            marcha = cola.MarchaDeCarga(cola.Progreso(trabajo.id), cola.filas_del_libro(contenido),
                                            "actividades")
            importacion.importar(borrador, contenido, director, marcha)
            db.session.commit()

        # Volumen para exportar: actividades en los planes que consolida el PAI vigente, por inserción masiva.
        pai = max(db.session.scalars(sa.select(Plan).filter_by(tipo=TipoPlan.PAI, vigencia_id=vigencia.id)),
                  key=lambda p: (len(p.planes_consolidados), p.id))
        planes = list(pai.planes_consolidados)
        por_plan = opciones.actividades // len(planes)
        for plan in planes:
            db.session.execute(sa.insert(Actividad), [dict(
                plan_id=plan.id, codigo=f"V{i}", descripcion=f"Actividad de volumen {i}", **catalogo,
                indicador="Visitas", formula="Visitas",
                meta_anual=Decimal(40), meta_t1=Decimal(10), meta_t2=Decimal(10), meta_t3=Decimal(10),
                meta_t4=Decimal(10), peso=Decimal("0.01"), fecha_inicio=date(2026, 2, 1), fecha_fin=date(2026, 12, 15),
                presupuesto=Decimal("1000000.50"), responsable="Grupo", territorial=False, version=1)
                for i in range(por_plan)])
        db.session.commit()
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Actividad))
        pai_id = pai.id

    with app.app_context():
        pai = db.session.get(Plan, pai_id)
        nombre = f"Libro del PAI ({sum(len(p.actividades) for p in pai.planes_consolidados):,} actividades)"
        db.session.expire_all()
        with medir(nombre + ": datos y escritura"):
            libro_del_pai = excel_pai.libro_pai(resumen_pai(pai))
        _comparar("Libro del PAI", libro_del_pai)

    with app.app_context():
        cuadro = cifras.cuadro(cargador.vigencia(2026), 1)
        with medir(f"Informe de seguimiento .xlsx ({len(cuadro.actividades):,} actividades): escritura"):
            libro_informe = informe.libro(cuadro, {})
        _comparar("Informe de seguimiento", libro_informe)

    cliente = app.test_client()
    assert cliente.post("/login", data={"email": "oap@demo.gov.co", "password": CONTRASENA}).status_code == 302
    with medir(f"Lista de {total:,} actividades exportada (.xlsx, por HTTP)"):
        primeros, exportado = _primeros_bytes(cliente, "/admin/actividad/export/xlsx/")
    _comparar("Lista de actividades", exportado)

    # El tiempo de CPU del proceso no cuenta la espera por otros procesos de la máquina: con ella ocupada, la
    # razón en CPU es la que se repite de una corrida a otra.
    ancho = max(len(fila[0]) for fila in FILAS)
    print(f"\nBase: {sa.make_url(url).get_backend_name()} · carga de la máquina: {os.getloadavg()[0]:.1f}")
    print(f"{'':<{ancho}}  {'segundos':>9}  {'CPU s':>7}  {'+RSS MB':>8}")
    for nombre, segundos, pico, cpu in FILAS:
        print(f"{nombre:<{ancho}}  {segundos:9.2f}  {cpu:7.2f}  {pico:8.1f}")
    print(f"\nCarga de {opciones.filas:,} filas: {FILAS[0][1]:.2f} s (meta ≤ 3 s)")
    for nombre, propio, referencia in RAZONES:
        print(f"{nombre}: {propio[1]:.2f} s frente a {referencia[1]:.2f} s de la escritura cruda, razón "
              f"{propio[1] / referencia[1]:.2f}; en CPU {propio[3] / referencia[3]:.2f} (meta ≤ 1,5)")
    print(f"Lista exportada: primeros bytes a los {primeros:.2f} s")


if __name__ == "__main__":
    main()
