"""La vista previa de «Traer de un libro propio» al lado de una lectura cruda con openpyxl de la misma hoja
(issue 18, punto 7: la vista previa ≤ 2 veces la lectura cruda).

Uso (SQLite temporal por defecto; DATABASE_URL=postgresql://... sobre una base vacía):

    .venv/bin/python bench/libro_propio.py --filas 5000 --columnas 50

El libro tiene las trampas de un libro real: títulos combinados encima, celdas con formato de porcentaje entre
otras que no, números escritos como texto, códigos numéricos, columnas que no se asocian. Se mide: la lectura
cruda (openpyxl read_only, todas las celdas con su valor), la sugerencia de columnas, la lectura con el mapeo
(cada columna con su decisión), la vista previa entera (lectura, validación contra los catálogos, borrados, y los
datos que su página muestra) y lo que hace la petición de la vista previa de un libro grande antes de dejarla a un
trabajo (hojas, huellas de títulos, títulos de la fila, conteo de filas, copia del libro para el trabajador).
"""
import argparse
import os
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from gestion.base.config import ConfigPruebas  # noqa: E402
from gestion.demo import cargador  # noqa: E402
from gestion.fabrica import crear_app  # noqa: E402
from gestion.importacion import mapeo as servicio  # noqa: E402
from gestion.importacion.previa import como_datos  # noqa: E402
from gestion.reglas import flujo  # noqa: E402
from gestion.trabajos import cola  # noqa: E402
from modelos import EstadoPlan, Plan, TipoPlan, db  # noqa: E402

CONTRASENA = "bench"
PROPIOS = ["Cód.", "Actividad", "Indicador", "Meta 2026", "T1 2026", "T2 2026", "T3 2026", "T4 2026", "Peso",
           "Presupuesto", "Responsable"]


def libro(filas: int, columnas: int) -> bytes:
    documento = Workbook(write_only=True)
    hoja = documento.create_sheet("Plan")
    hoja.append(["PLAN DE ACCIÓN 2026"])
    hoja.append([])
    otras = [f"Columna {i}" for i in range(columnas - len(PROPIOS))]
    hoja.append(PROPIOS + otras)
    for i in range(filas):
        hoja.append([i + 1, f"Actividad número {i} del plan de la oficina", "Visitas realizadas", 40,
                     "10", "10,5" if i % 3 else "9.5", 10, 10, round(100 / filas, 6), "1.250.000,50", "Grupo IVC"]
                    + [i * j for j in range(len(otras))])
    salida = BytesIO()
    documento.save(salida)
    return salida.getvalue()


def crudo(contenido: bytes) -> int:
    documento = load_workbook(BytesIO(contenido), read_only=True, data_only=True)
    celdas = sum(1 for fila in documento["Plan"].iter_rows(values_only=True) for _ in fila)
    documento.close()
    return celdas


def medir(nombre: str, funcion, piso: float | None = None) -> float:
    inicio = time.perf_counter()
    funcion()
    segundos = time.perf_counter() - inicio
    print(f"| {nombre} | {segundos:.2f} s | {f'{segundos / piso:.2f}×' if piso else 'piso'} |")
    return segundos


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--filas", type=int, default=5000)
    argumentos.add_argument("--columnas", type=int, default=50)
    opciones = argumentos.parse_args()
    carpeta = tempfile.mkdtemp()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{carpeta}/bench.db"
    app = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI=url, instance_path=carpeta)
    contenido = libro(opciones.filas, opciones.columnas)
    with app.app_context():
        upgrade()
        cargador.cargar_demo(CONTRASENA)
        db.session.commit()
        vigencia = cargador.vigencia(2026)
        plan = next(p for p in db.session.scalars(sa.select(Plan).filter_by(
            tipo=TipoPlan.PA, vigencia_id=vigencia.id, estado=EstadoPlan.BORRADOR).order_by(Plan.id))
            if flujo.contenido_editable(p))
        print(f"{opciones.filas:,} filas × {opciones.columnas} columnas, {len(contenido) / 2**20:.1f} MB\n")
        print("| paso | tiempo | × lectura cruda |\n|---|---|---|")
        piso = medir("lectura cruda (openpyxl read_only, todas las celdas)", lambda: crudo(contenido))
        fila = servicio.sugerir_fila(contenido, "Plan")
        sugerida = servicio.sugerencia(contenido, "Plan", fila, 2026)
        medir("sugerencia de columnas (fila de títulos, perfiles de 500 filas)",
              lambda: servicio.sugerencia(contenido, "Plan", fila, 2026), piso)
        mapeo = servicio.Mapeo("Plan", fila, sugerida.columnas)
        medir("lectura con el mapeo (una decisión por columna)", lambda: servicio.leer(contenido, mapeo), piso)
        medir("vista previa entera (lectura, validación, borrados, datos de la página): el trabajo",
              lambda: como_datos(servicio.vista_previa(plan, contenido, mapeo), mapeo), piso)
        medir("la petición de la vista previa de un libro grande (sin el trabajo)",
              lambda: peticion(contenido, mapeo), piso)


def peticion(contenido: bytes, mapeo) -> None:
    """Lo que `vistas/libro_propio.py` hace con un libro grande antes de lanzar el trabajo de su vista previa."""
    servicio.hojas(contenido)
    servicio.firmas(contenido)
    servicio.titulos(contenido, mapeo.hoja, mapeo.fila_encabezado)
    assert cola.supera_umbral(cola.filas_del_libro(contenido, mapeo.hoja))
    servicio.exigir_obligatorios(mapeo)
    (cola.raiz() / cola.guardar_entrada(contenido)).unlink()


if __name__ == "__main__":
    main()
