"""El formato .xlsx (SpreadsheetML) escrito por partes: el zip sale mientras se escriben las filas.

openpyxl, aun en `write_only`, arma un elemento XML por celda y entrega el libro solo al cerrarlo: una lista de
35 mil actividades tardaba 2,5 veces su escritura cruda y no enviaba un byte hasta el final. Aquí cada fila es
texto que entra al zip ya abierto hacia el navegador (zipfile escribe a un destino sin `seek` con descriptores
de datos), así la descarga empieza con la primera tanda de filas y la memoria no crece con ellas.

Solo se escribe lo que usan las hojas de la aplicación: textos en línea, números, fechas, un juego fijo de
estilos (títulos, formatos de `formatos_excel.TODOS`, celdas desbloqueadas, textos que parecen fórmula), anchos,
títulos fijos, filtros, impresión, listas desplegables y protección. Las pruebas lo leen de vuelta con openpyxl.
"""
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from gestion.base import formatos_excel
from gestion.base.formato import en_bogota

FILAS_POR_TANDA = 200  # filas que se comprimen juntas antes de entregar lo que haya salido del zip
NIVEL_COMPRESION = 1  # el nivel 6 de zlib triplica el tiempo de comprimir y ahorra poco en XML repetitivo
MAXIMO_TEXTO = 32767  # lo que cabe en una celda de Excel
_ESPECIALES = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_INVALIDOS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")  # no caben en XML 1.0

_ESPACIO = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RELACIONES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TIPOS = "application/vnd.openxmlformats-officedocument"
_CABECERA = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# --- estilos: una tabla fija, la misma en todos los libros ----------------------------------------------------
ESTILO_TITULO = 1
_FORMATO_ID = {codigo: 164 + i for i, codigo in enumerate(formatos_excel.TODOS)}
# (código de formato o None, desbloqueada, texto que parece fórmula) → índice en cellXfs
_ESTILOS: dict[tuple[str | None, bool, bool], int] = {}
for _codigo in (None, *formatos_excel.TODOS):
    for _desbloqueada in (False, True):
        for _formula in ((False, True) if _codigo is None else (False,)):
            _ESTILOS[(_codigo, _desbloqueada, _formula)] = len(_ESTILOS) + 2  # 0: normal, 1: títulos


def estilo(codigo: str | None, desbloqueada: bool = False, formula: bool = False) -> int:
    return 0 if (codigo, desbloqueada, formula) == (None, False, False) else _ESTILOS[(codigo, desbloqueada, formula)]


def _hoja_de_estilos() -> str:
    formatos_xml = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(c)}/>' for c, i in _FORMATO_ID.items())
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
           '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
           'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>']
    for (codigo, desbloqueada, formula), _ in sorted(_ESTILOS.items(), key=lambda par: par[1]):
        atributos = f'numFmtId="{_FORMATO_ID[codigo] if codigo else 0}" fontId="0" fillId="0" borderId="0" xfId="0"'
        if codigo:
            atributos += ' applyNumberFormat="1"'
        if formula:
            atributos += ' quotePrefix="1"'
        xfs.append(f'<xf {atributos} applyProtection="1"><protection locked="0"/></xf>' if desbloqueada
                   else f"<xf {atributos}/>")
    return (f'{_CABECERA}<styleSheet {_ESPACIO}>'
            f'<numFmts count="{len(_FORMATO_ID)}">{formatos_xml}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="3"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            '<fill><patternFill patternType="solid"><fgColor rgb="FF1F4E79"/><bgColor indexed="64"/></patternFill>'
            '</fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '</styleSheet>')


ESTILOS_XML = _hoja_de_estilos()


# --- celdas ---------------------------------------------------------------------------------------------------
def texto_xml(texto: str) -> str:
    if _ESPECIALES.search(texto):
        texto = _INVALIDOS.sub("", texto).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return texto


def _s(estilo_celda: int) -> str:
    return f' s="{estilo_celda}"' if estilo_celda else ""


def _texto(ref: str, texto: str, desbloqueada: bool) -> str:
    s = _s(estilo(None, desbloqueada, formatos_excel.es_formula(texto)))
    if len(texto) > MAXIMO_TEXTO:
        texto = texto[:MAXIMO_TEXTO]
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{texto_xml(texto)}</t></is></c>'


def _numero(ref: str, valor, s: int) -> str:
    if isinstance(valor, float):
        if not math.isfinite(valor):
            return ""
        cifra = repr(valor)
    elif isinstance(valor, Decimal):
        if not valor.is_finite():
            return ""
        cifra = repr(float(valor))
    else:
        cifra = str(valor)
    return f'<c r="{ref}"{_s(s)}><v>{cifra}</v></c>'


def celda(ref: str, valor, tipo: str | None, desbloqueada: bool) -> str:
    """El XML de una celda tipada; '' si no hay nada que escribir (y la columna no pide desbloquearla)."""
    if valor is None or valor == "":
        return f'<c r="{ref}" s="{estilo(None, True)}"/>' if desbloqueada else ""
    if isinstance(valor, str):
        return _texto(ref, str(valor), desbloqueada)
    if isinstance(valor, bool):
        return f'<c r="{ref}"{_s(estilo(None, desbloqueada))} t="b"><v>{int(valor)}</v></c>'
    if isinstance(valor, (int, float, Decimal)):
        return _numero(ref, valor, estilo(formatos_excel.codigo_formato(tipo, valor), desbloqueada))
    if isinstance(valor, date):
        # Excel no guarda zona horaria: un momento se escribe en la hora de Bogotá.
        fecha = en_bogota(valor).replace(tzinfo=None) if isinstance(valor, datetime) else valor
        return _numero(ref, to_excel(fecha), estilo(formatos_excel.codigo_formato(tipo, valor), desbloqueada))
    return _texto(ref, str(valor), desbloqueada)


# --- una hoja -------------------------------------------------------------------------------------------------
def nombre_de_hoja(titulo: str) -> str:
    return re.sub(r"[\\/*?:\[\]]", "-", titulo)[:31] or "Hoja"


def _referencia_de_hoja(nombre: str) -> str:
    return "'" + nombre.replace("'", "''") + "'"


class HojaXml:
    """Lo que la hoja necesita para escribirse: sus columnas (título, ancho, formato), sus filas y, si es para
    diligenciar, sus columnas bloqueadas, sus validaciones y las filas libres que estas cubren."""

    def __init__(self, definicion, filas_libres: int):
        self.definicion = definicion
        self.nombre = nombre_de_hoja(definicion.titulo)
        columnas = definicion.columnas
        self.letras = [get_column_letter(i + 1) for i in range(max(len(columnas), 1))]
        self.tipos = [c.formato for c in columnas]
        self.desbloqueadas = [definicion.editable and i not in definicion.bloqueadas for i in range(len(columnas))]
        self.filas_libres = filas_libres
        self.filas = 0

    def inicio(self) -> str:
        columnas = []
        for i, columna in enumerate(self.definicion.columnas, start=1):
            atributos = f'min="{i}" max="{i}" width="{columna.ancho}" customWidth="1"'
            if self.desbloqueadas[i - 1]:
                atributos += f' style="{estilo(formatos_excel.CODIGO_COLUMNA.get(columna.formato), True)}"'
            columnas.append(f"<col {atributos}/>")
        titulos = "".join(f'<c r="{letra}1" s="{ESTILO_TITULO}" t="inlineStr"><is><t>{texto_xml(c.titulo)}</t></is></c>'
                          for letra, c in zip(self.letras, self.definicion.columnas, strict=True))
        return (f'{_CABECERA}<worksheet {_ESPACIO} xmlns:r="{_RELACIONES}">'
                '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{''.join(columnas)}</cols>" if columnas else "")
                + f'<sheetData><row r="1">{titulos}</row>')

    def tandas(self) -> Iterator[str]:
        """Las filas de datos en tandas de texto."""
        letras, tipos, desbloqueadas = self.letras, self.tipos, self.desbloqueadas
        ancho = len(self.definicion.columnas)
        tanda = []
        numero = 1
        for numero, fila in enumerate(self.definicion.filas, start=2):
            celdas = "".join(celda(f"{letras[i]}{numero}", valor, tipos[i], desbloqueadas[i])
                             for i, valor in enumerate(fila[:ancho]) if valor is not None or desbloqueadas[i])
            tanda.append(f'<row r="{numero}">{celdas}</row>')
            if len(tanda) == FILAS_POR_TANDA:
                yield "".join(tanda)
                tanda.clear()
        self.filas = numero - 1
        if tanda:
            yield "".join(tanda)

    @property
    def rango(self) -> str:
        return f"A1:{self.letras[-1]}{self.filas + 1}"

    def fin(self) -> str:
        final = ["</sheetData>"]
        if self.definicion.editable:
            final.append('<sheetProtection sheet="1" objects="0" scenarios="0" formatCells="0" formatColumns="0" '
                         'formatRows="0" insertRows="0" deleteRows="0" sort="0" autoFilter="0"/>')
        final.append(f'<autoFilter ref="{self.rango}"/>')
        if self.definicion.editable and self.definicion.validaciones:
            final.append(self._validaciones())
        final.append('<printOptions gridLines="1"/>'
                     '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                     '<pageSetup paperSize="1" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                     '</worksheet>')
        return "".join(final)

    def _validaciones(self) -> str:
        """Listas desplegables o «número mayor o igual a cero» sobre las filas escritas y las libres."""
        hasta = self.filas + 1 + self.filas_libres
        reglas = []
        for validacion in self.definicion.validaciones:
            letra = self.letras[validacion.columna]
            titulo = self.definicion.columnas[validacion.columna].titulo[:32]  # lo que Excel admite
            if validacion.formula:
                tipo, formula = 'type="list"', validacion.formula
            else:
                tipo, formula = 'type="decimal" operator="greaterThanOrEqual"', "0"
            reglas.append(f'<dataValidation {tipo} allowBlank="1" showErrorMessage="1" '
                          f'errorTitle={quoteattr(titulo)} error={quoteattr(validacion.mensaje[:255])} '
                          f'sqref="{letra}2:{letra}{hasta}"><formula1>{texto_xml(formula)}</formula1></dataValidation>')
        return f'<dataValidations count="{len(reglas)}">{"".join(reglas)}</dataValidations>'


# --- el libro -------------------------------------------------------------------------------------------------
class _Destino:
    """Donde zipfile escribe: sin `tell` ni `seek`, así usa descriptores de datos y nunca vuelve atrás."""

    def __init__(self):
        self.partes: list[bytes] = []

    def write(self, datos) -> int:
        self.partes.append(bytes(datos))
        return len(datos)

    def flush(self) -> None:
        pass

    def vaciar(self) -> bytes:
        datos = b"".join(self.partes)
        self.partes.clear()
        return datos


def _tipos_de_contenido(hojas: int) -> str:
    sobre_hojas = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                          f'ContentType="{_TIPOS}.spreadsheetml.worksheet+xml"/>' for i in range(1, hojas + 1))
    return (f'{_CABECERA}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TIPOS}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TIPOS}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{_TIPOS}.extended-properties+xml"/>'
            f"{sobre_hojas}</Types>")


_RAIZ = (f'{_CABECERA}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         f'<Relationship Id="rId1" Type="{_RELACIONES}/officeDocument" Target="xl/workbook.xml"/>'
         '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
         'core-properties" Target="docProps/core.xml"/>'
         f'<Relationship Id="rId3" Type="{_RELACIONES}/extended-properties" Target="docProps/app.xml"/>'
         '</Relationships>')
_APLICACION = (f'{_CABECERA}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
               'extended-properties"><Application>Planes de gestión (DE-PD-01)</Application></Properties>')


def _propiedades(creado: datetime) -> str:
    return (f'{_CABECERA}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Planes de gestión</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{creado:%Y-%m-%dT%H:%M:%SZ}</dcterms:created>'
            '</cp:coreProperties>')


def _relaciones_del_libro(hojas: int) -> str:
    relaciones = "".join(f'<Relationship Id="rId{i}" Type="{_RELACIONES}/worksheet" '
                         f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, hojas + 1))
    return (f'{_CABECERA}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{relaciones}<Relationship Id="rId{hojas + 1}" Type="{_RELACIONES}/styles" Target="styles.xml"/>'
            '</Relationships>')


def _libro(hojas: list[HojaXml]) -> str:
    """workbook.xml va al final: el rango del filtro de cada hoja se sabe cuando se escribió su última fila."""
    nombres, definidos = [], []
    for i, hoja in enumerate(hojas):
        nombres.append(f'<sheet name={quoteattr(hoja.nombre)} sheetId="{i + 1}" r:id="rId{i + 1}"/>')
        referencia = _referencia_de_hoja(hoja.nombre)
        filtro = f"{referencia}!$A$1:${hoja.letras[-1]}${hoja.filas + 1}"
        definidos.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                         f"{texto_xml(filtro)}</definedName>")
        definidos.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                         f"{texto_xml(referencia)}!$1:$1</definedName>")
    return (f'{_CABECERA}<workbook {_ESPACIO} xmlns:r="{_RELACIONES}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets>{"".join(nombres)}</sheets><definedNames>{"".join(definidos)}</definedNames>'
            '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>')


def _sin_repetir(hojas: list[HojaXml]) -> None:
    """Excel no abre un libro con dos hojas del mismo nombre (sin distinguir mayúsculas)."""
    vistos = set()
    for hoja in hojas:
        nombre, n = hoja.nombre, 2
        while nombre.lower() in vistos:
            sufijo = f" ({n})"
            nombre, n = hoja.nombre[:31 - len(sufijo)] + sufijo, n + 1
        hoja.nombre = nombre
        vistos.add(nombre.lower())


def partes(definiciones: Iterable, filas_libres: int, creado: datetime) -> Iterator[bytes]:
    """Los bytes del libro, por trozos, a medida que se escriben las filas de cada hoja."""
    hojas = [HojaXml(d, filas_libres) for d in definiciones]
    _sin_repetir(hojas)
    destino = _Destino()
    with zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED, compresslevel=NIVEL_COMPRESION) as archivo:
        archivo.writestr("[Content_Types].xml", _tipos_de_contenido(len(hojas)))
        archivo.writestr("_rels/.rels", _RAIZ)
        archivo.writestr("docProps/app.xml", _APLICACION)
        archivo.writestr("docProps/core.xml", _propiedades(creado))
        for i, hoja in enumerate(hojas, start=1):
            with archivo.open(f"xl/worksheets/sheet{i}.xml", "w") as salida:
                salida.write(hoja.inicio().encode())
                for tanda in hoja.tandas():
                    salida.write(tanda.encode("utf-8", "replace"))
                    trozo = destino.vaciar()
                    if trozo:
                        yield trozo
                salida.write(hoja.fin().encode())
        archivo.writestr("xl/styles.xml", ESTILOS_XML)
        archivo.writestr("xl/_rels/workbook.xml.rels", _relaciones_del_libro(len(hojas)))
        archivo.writestr("xl/workbook.xml", _libro(hojas))
    yield destino.vaciar()
