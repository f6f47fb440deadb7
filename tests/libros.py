"""Libros .xlsx que las pruebas arman fila por fila."""
from io import BytesIO

from openpyxl import Workbook


def libro(filas, hoja: str | None = None) -> bytes:
    """Los bytes de un libro con `filas` en su primera hoja (llamada `hoja`, si se da)."""
    documento = Workbook()
    if hoja:
        documento.active.title = hoja
    for fila in filas:
        documento.active.append(fila)
    salida = BytesIO()
    documento.save(salida)
    return salida.getvalue()
