"""Libros .xlsx de solo escritura con celdas tipadas: un número sigue siendo número en la hoja."""
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from gestion.formato import ZONA

FORMATO_NUMERO = "#,##0.00"
FORMATO_PESOS = '"$" #,##0'
FORMATO_PORCENTAJE = "0.0%"
FORMATO_FECHA = "DD/MM/YYYY"
TIPO_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Columna:
    titulo: str
    ancho: int = 18
    formato: str | None = None  # FORMATO_PESOS, FORMATO_PORCENTAJE...


@dataclass
class Hoja:
    titulo: str
    columnas: list[Columna]
    filas: list[list]


def _celda(hoja, valor, formato):
    if isinstance(valor, Decimal):
        valor = float(valor)
    elif isinstance(valor, datetime):
        # Excel no guarda zona horaria: se escribe la hora de Bogotá (en la base está en UTC).
        valor = (valor if valor.tzinfo else valor.replace(tzinfo=timezone.utc)).astimezone(ZONA).replace(tzinfo=None)
    celda = WriteOnlyCell(hoja, value=valor)
    if formato:
        celda.number_format = formato
    elif isinstance(valor, (date, datetime)):
        celda.number_format = FORMATO_FECHA
    elif isinstance(valor, float):
        celda.number_format = FORMATO_NUMERO
    return celda


def construir(hojas: list[Hoja]) -> bytes:
    libro = Workbook(write_only=True)
    negrilla, fondo = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
    for definicion in hojas:
        hoja = libro.create_sheet(title=definicion.titulo[:31])
        for indice, columna in enumerate(definicion.columnas):
            hoja.column_dimensions[get_column_letter(indice + 1)].width = columna.ancho
        encabezado = []
        for columna in definicion.columnas:
            celda = WriteOnlyCell(hoja, value=columna.titulo)
            celda.font, celda.fill = negrilla, fondo
            encabezado.append(celda)
        hoja.append(encabezado)
        for fila in definicion.filas:
            hoja.append([_celda(hoja, valor, columna.formato) for valor, columna in zip(fila, definicion.columnas)])
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()
