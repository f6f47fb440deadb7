"""Lectura segura de un .xlsx subido: se revisa el archivo antes de abrirlo y se lee con límites.

Antes de que openpyxl toque el libro: tamaño, firma (un CSV renombrado, un .xls viejo), partes del zip
(un .xlsm trae macros), tamaños declarados y razón de compresión (una bomba zip de 2 MB descomprime a
cientos de MB). Al leer: defusedxml hace que openpyxl rechace las bombas de entidades XML, `read_only`
con `reset_dimensions()` no confía en la etiqueta <dimension> (un archivo que miente se leería
truncado), y hay un tope de filas. Cada rechazo dice, en español, qué hacer.
"""
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from itertools import zip_longest

from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from gestion.base.errores import OperacionRechazada

MAXIMO_ARCHIVO = 20 * 1024 * 1024
MAXIMO_DESCOMPRIMIDO = 50 * 1024 * 1024
MAXIMO_PARTES = 2_000
# Una hoja de cálculo real comprime entre 5 y 30 veces; una bomba, miles.
MAXIMA_COMPRESION = 200
MAXIMO_FILAS = 20_000
# Filas que se recorren, aun vacías: una hoja con un millón de filas en blanco no se lee hasta el final.
MAXIMO_FILAS_RECORRIDAS = 100_000
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls de Excel 97-2003 y libros cifrados con contraseña
NO_ES_XLSX = "El archivo no es un libro de Excel (.xlsx) válido."


@dataclass(frozen=True)
class ErrorFila:
    fila: int
    mensaje: str
    columna: str | None = None  # el título de la columna, si el error es de una celda

    def __str__(self) -> str:
        return f"Fila {self.fila}: {self.mensaje}"


class ImportacionRechazada(OperacionRechazada):
    """El archivo no se importa: ni una fila. Lleva todos los errores encontrados, no solo el primero."""

    def __init__(self, errores: list[ErrorFila | str]):
        self.detalle = [e for e in errores if isinstance(e, ErrorFila)]
        self.errores = [str(e) for e in errores]
        vistos = self.errores[:20]
        resto = len(self.errores) - len(vistos)
        super().__init__("No se importó nada. Corrija el archivo y vuelva a cargarlo:\n- " + "\n- ".join(vistos)
                         + (f"\n- … y {resto} error(es) más." if resto else ""))


def _tamano_declarado(hoja) -> None:
    """El <dimension> de la hoja, que va antes de los datos. openpyxl 3.1 lo busca con eventos de cierre: si la
    hoja no lo trae (como las que escribe el propio openpyxl), recorre toda la hoja solo para no encontrarlo,
    al abrir el libro, antes de leer una fila (un tercio del tiempo de leer 5.000 filas). Aquí se detiene al
    empezar los datos. Igual se llama `reset_dimensions()` al leer (`hoja_de`): el tamaño declarado no manda."""
    with hoja._get_source() as fuente:
        for _, elemento in iterparse(fuente, events=("start",)):
            if elemento.tag == DIMENSION_TAG:
                dimension = SheetDimension.from_tree(elemento).boundaries
                if dimension is not None:
                    hoja._min_column, hoja._min_row, hoja._max_column, hoja._max_row = dimension
                return
            if elemento.tag == DATA_TAG:
                return


ReadOnlyWorksheet._get_size = _tamano_declarado


def rechazar(mensaje: str):
    raise ImportacionRechazada([mensaje])


def normalizar(texto) -> str:
    """«Meta T1 » → «meta t1»: los encabezados se comparan sin tildes, mayúsculas ni espacios de sobra."""
    sin_tildes = unicodedata.normalize("NFKD", str(texto or "")).encode("ascii", "ignore").decode()
    return " ".join(sin_tildes.lower().split())


def _revisar_firma(contenido: bytes) -> None:
    if not contenido:
        rechazar("El archivo está vacío (0 bytes): elija el libro de Excel diligenciado.")
    if len(contenido) > MAXIMO_ARCHIVO:
        rechazar(f"El archivo pesa más de {MAXIMO_ARCHIVO // 2**20} MB: divídalo o quite hojas que no se cargan.")
    if contenido.startswith(ZIP):
        return
    if contenido.startswith(OLE):
        rechazar("El archivo es un libro de Excel 97-2003 (.xls) o un libro protegido con contraseña: ábralo en "
                 "Excel, quite la contraseña si la tiene y guárdelo como «Libro de Excel (.xlsx)».")
    if b"\x00" not in contenido[:4096]:
        rechazar("El archivo es texto (¿un .csv con la extensión cambiada?), no un libro de Excel: ábralo en "
                 "Excel y guárdelo como «Libro de Excel (.xlsx)».")
    rechazar(NO_ES_XLSX)


def _revisar_zip(contenido: bytes) -> None:
    try:
        comprimido = zipfile.ZipFile(BytesIO(contenido))
    except (zipfile.BadZipFile, ValueError):
        rechazar(NO_ES_XLSX)
    partes = comprimido.infolist()
    if len(partes) > MAXIMO_PARTES:
        rechazar(f"El libro tiene {len(partes)} partes internas: no parece una hoja de cálculo.")
    nombres = {p.filename.lower() for p in partes}
    if "mimetype" in nombres and "xl/workbook.xml" not in nombres:
        rechazar("El archivo es de LibreOffice (.ods): guárdelo como «Libro de Excel 2007-365 (.xlsx)».")
    if "[content_types].xml" not in nombres or "xl/workbook.xml" not in nombres:
        rechazar(NO_ES_XLSX)
    if any(n.endswith("vbaproject.bin") for n in nombres) or "xl/workbook.bin" in nombres:
        rechazar("El libro trae macros o es binario (.xlsm, .xlsb): guárdelo como «Libro de Excel (.xlsx)», "
                 "sin macros.")
    if any(p.flag_bits & 0x1 for p in partes):
        rechazar("El libro está cifrado: quite la contraseña y guárdelo de nuevo como .xlsx.")
    if sum(p.file_size for p in partes) > MAXIMO_DESCOMPRIMIDO:
        rechazar(f"El libro descomprimido supera {MAXIMO_DESCOMPRIMIDO // 2**20} MB: no se abre.")
    for parte in partes:
        if parte.file_size > 1024 * 1024 and parte.file_size > MAXIMA_COMPRESION * max(parte.compress_size, 1):
            rechazar("El libro está comprimido de forma anómala (una parte crece más de "
                     f"{MAXIMA_COMPRESION} veces al abrirla): no se abre.")


ENTIDADES = ("El libro trae definiciones XML no permitidas (entidades): no se abre. Guárdelo de nuevo desde "
             "Excel o LibreOffice.")


def _por_entidades(error: BaseException | None) -> bool:
    """openpyxl envuelve el rechazo de defusedxml en otro error: se busca en la cadena de causas."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


@contextmanager
def abrir(contenido: bytes):
    """El libro en modo de solo lectura, después de revisarlo; se cierra al salir."""
    _revisar_firma(contenido)
    _revisar_zip(contenido)
    try:
        libro = load_workbook(BytesIO(contenido), read_only=True, data_only=True)
    except Exception as error:  # openpyxl lanza errores de muchos tipos ante un libro dañado
        rechazar(ENTIDADES if _por_entidades(error) else NO_ES_XLSX)
    try:
        yield libro
    except ImportacionRechazada:
        raise
    except Exception as error:  # las hojas se leen al recorrerlas: una hoja dañada falla aquí
        if _por_entidades(error):
            rechazar(ENTIDADES)
        # IndexError: una celda que apunta a una cadena compartida que el libro no trae.
        if isinstance(error, (zipfile.BadZipFile, KeyError, IndexError, ValueError, SyntaxError, EOFError)):
            rechazar(NO_ES_XLSX)
        raise
    finally:
        libro.close()


SIN_HOJAS = "El libro no tiene ninguna hoja de datos: ábralo en Excel o LibreOffice, revise que tenga datos y guárdelo de nuevo."


def hoja_de(libro, nombre: str | None):
    if not libro.worksheets:
        rechazar(SIN_HOJAS)
    if nombre is not None and nombre not in libro.sheetnames:
        rechazar(f"El libro no tiene la hoja «{nombre}».")
    hoja = libro[nombre] if nombre is not None else libro.worksheets[0]
    if not hasattr(hoja, "reset_dimensions"):
        rechazar(f"«{hoja.title}» es una hoja de gráfico, no una tabla.")
    hoja.reset_dimensions()
    return hoja


def valor(celda):
    """El valor de la celda; un número con formato de porcentaje se lee en puntos (25 % → 25). El error
    guardado de una fórmula (#DIV/0!) llega como texto y lo rechaza quien esperaba un número."""
    dato = getattr(celda, "value", None)
    # Solo un número mira su formato: buscarlo en cada celda duplica el tiempo de lectura.
    if isinstance(dato, (int, float)) and not isinstance(dato, bool) and (celda.number_format or "").endswith("%"):
        return Decimal(str(dato)) * 100
    return dato


def celdas_de(hoja, desde: int = 1):
    """(número de fila en Excel, [celdas]) desde la fila `desde`, con el tope de filas recorridas. Las celdas con
    su formato: quien decide por columna (`gestion.importacion.columnas`) lo mira."""
    for numero, celdas in enumerate(hoja.iter_rows(min_row=desde), start=desde):
        if numero - desde >= MAXIMO_FILAS_RECORRIDAS:
            rechazar(f"La hoja «{hoja.title}» tiene más de {MAXIMO_FILAS_RECORRIDAS:,} filas: no se lee."
                     .replace(",", "."))
        yield numero, celdas


def filas_de(hoja, desde: int = 1):
    """(número de fila en Excel, [valores]) desde la fila `desde`, con el tope de filas recorridas."""
    for numero, celdas in celdas_de(hoja, desde):
        yield numero, [valor(c) for c in celdas]


def vacia(valores) -> bool:
    return all(v is None or str(v).strip() == "" for v in valores)


class Marcha:
    """Lo que una carga cuenta mientras trabaja: la fila que va a validar y, validadas todas, que empieza a
    guardar. Esta, la de por defecto (la carga en la petición), no anota nada; la de un trabajo lo confirma
    en su fila (`gestion.trabajos.cola`), por eso `fila` solo se llama antes de escribir nada."""

    def fila(self, numero: int) -> None:
        pass

    def guardando(self, cuantas: int) -> None:
        pass


SIN_MARCHA = Marcha()


def recorrer_filas(contenido: bytes, encabezados: list[str | tuple[str, ...]], hoja: str | None = None,
                   marcha: Marcha = SIN_MARCHA):
    """Las filas no vacías como (número de fila en Excel, {encabezado normalizado: valor}), una a una: quien
    valida mientras lee cuenta por dónde va (`marcha.fila`, fuera del libro abierto: un error del progreso no se
    confunde con uno del archivo). El libro queda abierto hasta la última.

    `encabezados` son los obligatorios; las columnas de más se ignoran. Un encabezado puede ser una tupla de
    títulos aceptados (el de hoy y los de plantillas anteriores): la columna se entrega con el primero."""
    for numero, celdas in _filas(contenido, encabezados, hoja):
        marcha.fila(numero)
        yield numero, celdas


def leer_filas(contenido: bytes, encabezados: list[str], hoja: str | None = None) -> list[tuple[int, dict]]:
    """Todas las filas de `recorrer_filas`, leídas de una vez."""
    return list(_filas(contenido, encabezados, hoja))


def _filas(contenido: bytes, encabezados: list[str | tuple[str, ...]], hoja: str | None):
    with abrir(contenido) as libro:
        filas = filas_de(hoja_de(libro, hoja))
        _, primera = next(filas, (1, []))
        titulos = [normalizar(t) for t in primera]
        faltantes = []
        for encabezado in encabezados:
            aceptados = [normalizar(t) for t in ((encabezado,) if isinstance(encabezado, str) else encabezado)]
            hallado = next((t for t in aceptados if t in titulos), None)
            if hallado is None:
                faltantes.append(encabezado if isinstance(encabezado, str) else encabezado[0])
            elif hallado != aceptados[0] and aceptados[0] not in titulos:
                titulos[titulos.index(hallado)] = aceptados[0]  # un título anterior se lee como el de hoy
        if faltantes:
            rechazar(f"Faltan las columnas: {', '.join(faltantes)}. ¿Es la plantilla correcta?")
        leidas = 0
        for numero, valores in filas:
            if vacia(valores):
                continue
            if leidas >= MAXIMO_FILAS:
                rechazar(f"El libro tiene más de {MAXIMO_FILAS:,} filas con datos.".replace(",", "."))
            leidas += 1
            yield numero, {t: v for t, v in zip_longest(titulos, valores) if t}
