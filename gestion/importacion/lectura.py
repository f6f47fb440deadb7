"""Lectura segura de un .xlsx subido: tamaño real, dimensiones reales y encabezados esperados.

Un libro de 2 MB puede descomprimir a cientos de MB, y openpyxl en modo `read_only` confía en la
etiqueta <dimension> de la hoja (un archivo que miente se leería truncado): se revisan ambas cosas
antes de leer. Con defusedxml instalado, openpyxl rechaza las bombas de entidades XML.
"""
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO
from itertools import zip_longest

from openpyxl import load_workbook

from gestion.errores import OperacionRechazada

MAXIMO_DESCOMPRIMIDO = 50 * 1024 * 1024
MAXIMO_FILAS = 20_000


@dataclass(frozen=True)
class ErrorFila:
    fila: int
    mensaje: str

    def __str__(self) -> str:
        return f"Fila {self.fila}: {self.mensaje}"


class ImportacionRechazada(OperacionRechazada):
    """El archivo no se importa: ni una fila. Lleva todos los errores encontrados, no solo el primero."""

    def __init__(self, errores: list[ErrorFila | str]):
        self.errores = [str(e) for e in errores]
        vistos = self.errores[:20]
        resto = len(self.errores) - len(vistos)
        super().__init__("No se importó nada. Corrija el archivo y vuelva a cargarlo:\n- " + "\n- ".join(vistos)
                         + (f"\n- … y {resto} error(es) más." if resto else ""))


def normalizar(texto) -> str:
    """«Meta T1 » → «meta t1»: los encabezados se comparan sin tildes, mayúsculas ni espacios de sobra."""
    sin_tildes = unicodedata.normalize("NFKD", str(texto or "")).encode("ascii", "ignore").decode()
    return " ".join(sin_tildes.lower().split())


def leer_filas(contenido: bytes, encabezados: list[str], hoja: str | None = None) -> list[tuple[int, dict]]:
    """Filas no vacías como (número de fila en Excel, {encabezado normalizado: valor}).

    `encabezados` son los obligatorios; las columnas de más se ignoran."""
    try:
        comprimido = zipfile.ZipFile(BytesIO(contenido))
    except zipfile.BadZipFile:
        raise ImportacionRechazada(["El archivo no es un libro de Excel (.xlsx) válido."]) from None
    if sum(parte.file_size for parte in comprimido.infolist()) > MAXIMO_DESCOMPRIMIDO:
        raise ImportacionRechazada([f"El libro descomprimido supera {MAXIMO_DESCOMPRIMIDO // 2**20} MB."])
    try:
        libro = load_workbook(BytesIO(contenido), read_only=True, data_only=True)
    except Exception:  # openpyxl lanza errores de muchos tipos ante un libro dañado
        raise ImportacionRechazada(["El archivo no es un libro de Excel (.xlsx) válido."]) from None
    try:
        if hoja is not None and hoja not in libro.sheetnames:
            raise ImportacionRechazada([f"El libro no tiene la hoja «{hoja}»."])
        datos = libro[hoja] if hoja is not None else libro.worksheets[0]
        datos.reset_dimensions()
        filas = datos.iter_rows(values_only=True)
        titulos = [normalizar(t) for t in next(filas, ())]
        faltantes = [e for e in encabezados if normalizar(e) not in titulos]
        if faltantes:
            raise ImportacionRechazada([f"Faltan las columnas: {', '.join(faltantes)}."])
        resultado = []
        for numero, valores in enumerate(filas, start=2):
            if all(v is None or str(v).strip() == "" for v in valores):
                continue
            if len(resultado) >= MAXIMO_FILAS:
                raise ImportacionRechazada([f"El libro tiene más de {MAXIMO_FILAS} filas con datos."])
            resultado.append((numero, {t: v for t, v in zip_longest(titulos, valores) if t}))
        return resultado
    finally:
        libro.close()
