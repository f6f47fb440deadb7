"""Libros .xlsx de solo escritura con celdas tipadas: un número sigue siendo número en la hoja.

Todas las hojas que escribe la aplicación salen de aquí y por eso se ven y se imprimen igual:
encabezado fijo con filtros, anchos de columna, horizontal ajustada al ancho de la página con la fila
de títulos repetida, y los mismos formatos de cifras (unidades sin decimales de sobra, pesos con
centavos solo si los hay, pesos relativos como porcentaje, fechas dd/mm/aaaa).
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gestion.formato import ZONA

# Tipos de columna: el código de formato de Excel sale del tipo y del valor de cada celda.
FORMATO_NUMERO = "numero"
FORMATO_PESOS = "pesos"
FORMATO_PORCENTAJE = "porcentaje"
FORMATO_FECHA = "fecha"
TIPO_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_CODIGOS = {
    (FORMATO_NUMERO, True): "#,##0", (FORMATO_NUMERO, False): "#,##0.00",
    (FORMATO_PESOS, True): '"$" #,##0', (FORMATO_PESOS, False): '"$" #,##0.00',
}
CODIGO_PORCENTAJE = "0.0%"
# Formato de las filas vacías de una plantilla, donde aún no hay valor del que deducirlo.
CODIGO_COLUMNA = {FORMATO_PESOS: '"$" #,##0.00', FORMATO_PORCENTAJE: CODIGO_PORCENTAJE}
FILAS_PARA_DILIGENCIAR = 500
DESBLOQUEADA = Protection(locked=False)
CODIGO_FECHA = "DD/MM/YYYY"
CODIGO_FECHA_HORA = "DD/MM/YYYY HH:MM"
# Un texto que empieza así lo tomaría Excel (o LibreOffice) por fórmula al editar la celda.
INICIOS_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")

ENCABEZADO = Font(bold=True, color="FFFFFF")
FONDO_ENCABEZADO = PatternFill("solid", fgColor="1F4E79")


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


def es_formula(texto: str) -> bool:
    return texto.startswith(INICIOS_DE_FORMULA)


def codigo_formato(tipo: str | None, valor) -> str | None:
    """El código de formato de Excel de `valor` en una columna del `tipo` dado."""
    if isinstance(valor, datetime):
        return CODIGO_FECHA_HORA
    if isinstance(valor, date):
        return CODIGO_FECHA
    if not isinstance(valor, (int, float, Decimal)) or isinstance(valor, bool):
        return None
    if tipo == FORMATO_PORCENTAJE:
        return CODIGO_PORCENTAJE
    if tipo is None and isinstance(valor, int):
        return None  # años, trimestres, conteos: sin separador de miles
    entero = valor.is_integer() if isinstance(valor, float) else valor == int(valor)
    return _CODIGOS[(FORMATO_PESOS if tipo == FORMATO_PESOS else FORMATO_NUMERO, entero)]


def valor_de_celda(valor):
    """Lo que openpyxl sabe guardar: Decimal como número, fecha y hora en la hora de Bogotá."""
    if isinstance(valor, Decimal):
        return float(valor)
    if isinstance(valor, datetime):
        # Excel no guarda zona horaria: se escribe la hora de Bogotá (en la base está en UTC).
        return (valor if valor.tzinfo else valor.replace(tzinfo=timezone.utc)).astimezone(ZONA).replace(tzinfo=None)
    return valor


def celda(hoja, valor, tipo: str | None = None, desbloqueada: bool = False, moldes: dict | None = None):
    """La celda tipada; un valor que no necesita formato ni protección va tal cual (así de rápido como la
    escritura cruda).

    `moldes` (uno por hoja, clave: columna, formato y protección) guarda una celda con estilo por columna que
    se reutiliza fila tras fila cambiando solo su valor: openpyxl escribe cada fila en cuanto se agrega, y crear
    y estilar una celda por dato costaba tanto como escribir el libro (1,3 a 1,7 veces la escritura cruda)."""
    if not desbloqueada and (valor is None or (type(valor) is str and not valor.startswith(INICIOS_DE_FORMULA))):
        return valor  # lo más común (textos, vacías), sin más preguntas
    formato = codigo_formato(tipo, valor)
    formula = isinstance(valor, str) and es_formula(valor)
    if not (formato or formula or desbloqueada):
        return valor_de_celda(valor)
    if moldes is not None and not formula:
        clave = (formato, desbloqueada)
        molde = moldes.get(clave)
        if molde is None:
            molde = moldes[clave] = _con_estilo(WriteOnlyCell(hoja), formato, desbloqueada)
        molde.value = valor_de_celda(valor)
        return molde
    resultado = _con_estilo(WriteOnlyCell(hoja, value=valor_de_celda(valor)), formato, desbloqueada)
    if formula:
        # Se guarda como texto, con el apóstrofo invisible de Excel: no se evalúa ni al editarla.
        resultado.data_type = "s"
        resultado.quotePrefix = True
    return resultado


def _con_estilo(resultado, formato: str | None, desbloqueada: bool):
    if desbloqueada:
        resultado.protection = DESBLOQUEADA
    if formato:
        resultado.number_format = formato
    return resultado


def _editable(definicion: Hoja, indice: int) -> bool:
    return definicion.editable and indice not in definicion.bloqueadas


def _preparar_hoja(hoja, definicion: Hoja) -> None:
    for indice, columna in enumerate(definicion.columnas):
        dimension = hoja.column_dimensions[get_column_letter(indice + 1)]
        dimension.width = columna.ancho
        if _editable(definicion, indice):
            dimension.protection = DESBLOQUEADA
            if columna.formato in CODIGO_COLUMNA:
                dimension.number_format = CODIGO_COLUMNA[columna.formato]
    hoja.freeze_panes = "A2"
    hoja.print_title_rows = "1:1"
    hoja.page_setup.orientation = "landscape"
    hoja.page_setup.paperSize = Worksheet.PAPERSIZE_LETTER
    hoja.page_setup.fitToWidth = 1
    hoja.page_setup.fitToHeight = 0
    hoja.sheet_properties.pageSetUpPr.fitToPage = True
    hoja.print_options.gridLines = True


def _escribir_hoja(libro, definicion: Hoja) -> None:
    hoja = libro.create_sheet(title=re.sub(r"[\\/*?:\[\]]", "-", definicion.titulo)[:31])
    _preparar_hoja(hoja, definicion)
    encabezado = []
    for columna in definicion.columnas:
        titulo = WriteOnlyCell(hoja, value=columna.titulo)
        titulo.font, titulo.fill = ENCABEZADO, FONDO_ENCABEZADO
        titulo.alignment = Alignment(wrap_text=True, vertical="top")
        encabezado.append(titulo)
    hoja.append(encabezado)
    desbloqueadas = [_editable(definicion, i) for i in range(len(definicion.columnas))]
    tipos = [c.formato for c in definicion.columnas]
    # Un juego de moldes por columna: en una misma fila, dos columnas nunca comparten la celda.
    moldes = [{} for _ in definicion.columnas]
    ancho = len(definicion.columnas)
    filas = 0
    for filas, fila in enumerate(definicion.filas, start=1):
        valores = list(fila) + [None] * (ancho - len(fila))
        hoja.append([celda(hoja, valor, tipos[i], desbloqueadas[i], moldes[i])
                     for i, valor in enumerate(valores[:ancho])])
    ultima = get_column_letter(max(len(definicion.columnas), 1))
    hoja.auto_filter.ref = f"A1:{ultima}{filas + 1}"
    if definicion.editable:
        _proteger(hoja, definicion, filas + 1 + FILAS_PARA_DILIGENCIAR)


def _proteger(hoja, definicion: Hoja, hasta: int) -> None:
    """Títulos protegidos (sin contraseña: evita borrarlos por error); filtrar, ordenar, insertar y borrar
    filas sigue permitido."""
    for validacion in definicion.validaciones:
        letra = get_column_letter(validacion.columna + 1)
        if validacion.formula:
            regla = DataValidation(type="list", formula1=validacion.formula, allow_blank=True)
        else:
            regla = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        regla.showErrorMessage = True
        regla.errorTitle, regla.error = definicion.columnas[validacion.columna].titulo, validacion.mensaje
        regla.add(f"{letra}2:{letra}{hasta}")
        hoja.data_validations.append(regla)
    proteccion = hoja.protection
    proteccion.sheet = True
    proteccion.autoFilter = proteccion.sort = proteccion.insertRows = proteccion.deleteRows = False
    proteccion.formatColumns = proteccion.formatRows = proteccion.formatCells = False


def escribir(hojas: list[Hoja], destino) -> None:
    """Escribe el libro en `destino` (ruta o archivo abierto) fila por fila: la memoria no crece con las filas."""
    libro = Workbook(write_only=True)
    for definicion in hojas:
        _escribir_hoja(libro, definicion)
    libro.save(destino)


def construir(hojas: list[Hoja]) -> bytes:
    salida = BytesIO()
    escribir(hojas, salida)
    return salida.getvalue()
