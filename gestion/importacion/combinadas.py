"""Las celdas combinadas de una hoja, sin cargar el libro entero.

El modo de solo lectura de openpyxl no las da, y un libro de verdad agrupa con ellas: la estrategia combinada de
la fila 7 a la 26 vale para cada fila de ese tramo, aunque solo la primera guarde el texto. Se leen de la lista
`<mergeCells>` del XML de la hoja (una expresión regular sobre el XML ya revisado por `lectura.abrir`).
"""
import re
import zipfile
from io import BytesIO

from openpyxl.utils import range_boundaries

from gestion.importacion.lectura import abrir, hoja_de

_COMBINADA = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')


def verticales(contenido: bytes, hoja: str) -> dict[int, list[tuple[int, int]]]:
    """{columna (1 = A): [(primera fila, última fila)]} de los tramos combinados de más de una fila."""
    with abrir(contenido) as libro:
        ruta = getattr(hoja_de(libro, hoja), "_worksheet_path", None)
    if ruta is None:
        return {}
    with zipfile.ZipFile(BytesIO(contenido)) as archivo:
        xml = archivo.read(ruta.lstrip("/"))
    tramos: dict[int, list[tuple[int, int]]] = {}
    for ref in _COMBINADA.findall(xml):
        min_col, min_fila, max_col, max_fila = range_boundaries(ref.decode())
        if max_fila > min_fila:
            for columna in range(min_col, max_col + 1):
                tramos.setdefault(columna, []).append((min_fila, max_fila))
    return tramos
