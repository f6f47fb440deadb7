"""Libros .xlsx con celdas tipadas: un número sigue siendo número en la hoja.

Todas las hojas que escribe la aplicación se describen aquí (`Hoja`, `Columna`, `Validacion`) y las escribe
`xlsx`, así se ven y se imprimen igual: encabezado fijo con filtros, anchos de columna, horizontal ajustada al
ancho de la página con la fila de títulos repetida, y los formatos de cifras de `formatos`. Un libro sale por
partes (`partes`, para enviarlo mientras se escribe), a un archivo (`escribir`) o entero (`construir`).
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

# Los tipos de columna se nombran junto con la columna (`Columna(..., FORMATO_PESOS)`).
from gestion.base.formatos_excel import FORMATO_FECHA, FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE  # noqa: F401
from gestion.excel import xlsx
from modelos import ahora

TIPO_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILAS_PARA_DILIGENCIAR = 500  # filas libres de una plantilla que cubren sus listas desplegables


@dataclass(frozen=True)
class Columna:
    titulo: str
    ancho: int = 18
    formato: str | None = None  # FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE, FORMATO_FECHA


@dataclass(frozen=True)
class Validacion:
    """Lista desplegable (`formula` = rango de la hoja «Listas» o '"Sí,No"') o número mayor o igual a cero."""
    columna: int  # índice desde 0
    formula: str | None = None
    mensaje: str = "Elija un valor de la lista."


@dataclass
class Hoja:
    titulo: str
    columnas: list[Columna]
    filas: Iterable[list]
    # Hoja para diligenciar: títulos y columnas `bloqueadas` protegidos; el resto, desbloqueado (con
    # filas libres para agregar), con sus `validaciones`.
    editable: bool = False
    bloqueadas: frozenset[int] = frozenset()
    validaciones: list[Validacion] = field(default_factory=list)


def fraccion(puntos):
    """Un porcentaje guardado de 0 a 100 (peso, cumplimiento) como fracción, para el formato de porcentaje."""
    return None if puntos is None else Decimal(puntos) / 100


def instrucciones(lineas: list[str]) -> Hoja:
    """La hoja «Instrucciones» de una plantilla: una línea por fila."""
    return Hoja("Instrucciones", [Columna("Instrucciones", 120)], [[linea] for linea in lineas])


def partes(hojas: list[Hoja]) -> Iterator[bytes]:
    """El libro por trozos, a medida que se escriben las filas: la memoria no crece con ellas."""
    return xlsx.partes(hojas, FILAS_PARA_DILIGENCIAR, ahora())


def escribir(hojas: list[Hoja], destino) -> None:
    """Escribe el libro en `destino` (un archivo abierto para escribir bytes)."""
    for trozo in partes(hojas):
        destino.write(trozo)


def construir(hojas: list[Hoja]) -> bytes:
    salida = BytesIO()
    escribir(hojas, salida)
    return salida.getvalue()
