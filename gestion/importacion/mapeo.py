"""Traer un plan desde el libro propio de la oficina (no la plantilla): se elige la hoja y la fila de títulos,
cada campo de la plantilla se asocia a una columna (con sugerencias por parecido del título), se ve una
vista previa con los errores de cada fila y se importa todo o nada con las reglas de
`gestion.importacion.actividades`. El mapeo se guarda con nombre para el año siguiente.

Lo que traen los libros de planeación de verdad y cómo se trata: títulos bajo filas combinadas (se elige la
fila; se sugiere la que más títulos tiene), títulos repetidos («L.B» y «L.B (2)»), filas de totales y de
agrupación (programa → subprograma → meta) que se omiten y se informan, números y porcentajes escritos
como texto («1.200,5», «0%»), errores de fórmula guardados (#DIV/0!) y números que Excel volvió fecha,
que se informan en su celda, y códigos con ceros a la izquierda, que se conservan. Cada columna se lee con una
sola decisión (escala, separador decimal, fechas, códigos: `gestion.importacion.columnas`) que la vista previa
muestra; las sugerencias dicen por qué se hicieron y solo se hacen si lo que trae la columna tiene sentido.
"""
import difflib
import hashlib
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

import sqlalchemy as sa
from openpyxl.utils import get_column_letter

from gestion.base import formato
from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import actividades
from gestion.importacion import columnas as por_columna
from gestion.importacion import errores as libro_de_errores
from gestion.importacion.lectura import (
    MAXIMO_FILAS,
    SIN_HOJAS,
    SIN_MARCHA,
    ErrorFila,
    ImportacionRechazada,
    Marcha,
    abrir,
    celdas_de,
    filas_de,
    hoja_de,
    normalizar,
    rechazar,
    vacia,
)
from gestion.planes import campos
from gestion.planes.campos import Campo
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.permisos import roles_de
from modelos import Actividad, MapeoColumnas, Plan, TipoPlan, ahora, db

FILAS_PARA_BUSCAR_TITULOS = 30
ERRORES_DE_FORMULA = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
PARECIDO_MINIMO = 0.75


@dataclass(frozen=True)
class Destino:
    """A qué se traen las columnas de un libro propio: las actividades de un plan, los avances de un reporte, la
    estructura de un plan estratégico… Todo lo genérico (títulos, perfiles, sugerencias, la lectura de las celdas con
    la decisión de su columna) trabaja sobre un destino; lo propio de cada uno (validar y guardar) vive en su módulo."""

    campos: tuple[Campo, ...]
    # Otros nombres con que los libros de las oficinas llaman a cada campo (además de su etiqueta y sus alias).
    sinonimos: dict[str, list[str]]
    obligatorios: tuple[str, ...]
    # Lo que identifica una fila: sin ninguno de estos, la fila se omite (totales, notas).
    claves: tuple[str, ...]
    textos: frozenset[str] = frozenset()  # campos que traen texto, no números
    libre: str | None = None  # el campo que describe la fila: frases, no códigos
    peso: str | None = None  # el campo de pesos: solo si suman 100 por plan
    metas: tuple[str, ...] = ()  # metas que deben salir todas del mismo año
    # Campos cuyo título dice un año: el de la columna debe decir ese año («Meta 2025»); None: ningún año.
    anios: dict[str, int | None] = field(default_factory=dict)
    # Campos numéricos que también admiten texto («< 3 %», «NA»): el destino lo interpreta y dice qué leyó.
    tolerantes: frozenset[str] = frozenset()
    # Una fila sin cifras ni código es una agrupación (programa, subprograma) y se omite; un indicador no.
    agrupa_sin_cifras: bool = True
    # Una fila de totales dice solo «Total», «Subtotal…»: un indicador puede llamarse «Total cartera».
    totales_exactos: bool = False

    @cached_property
    def por_nombre(self) -> dict[str, Campo]:
        return {c.nombre: c for c in self.campos}

    @cached_property
    def titulo(self) -> dict[str, str]:
        return {c.nombre: c.etiqueta for c in self.campos}

    @cached_property
    def candidatos(self) -> dict[str, list[str]]:
        """Los nombres normalizados de cada campo: su etiqueta, los títulos de años anteriores y los sinónimos."""
        return {c.nombre: [normalizar(c.etiqueta), *(normalizar(t) for t in c.alias), *self.sinonimos.get(c.nombre, [])]
                for c in self.campos}

    @cached_property
    def numericos(self) -> frozenset[str]:
        return frozenset(c.nombre for c in self.campos if c.numerico)

    @cached_property
    def codigos(self) -> frozenset[str]:
        """Lo que identifica algo: se lee como texto, nunca como fecha ni como número con decimales."""
        return frozenset({"codigo"} | {c.nombre for c in self.campos if c.tipo == campos.REFERENCIA})


ACTIVIDADES = Destino(
    campos=tuple(CAMPOS),
    sinonimos={
        "codigo": ["cod", "codigo meta", "cod meta producto", "id", "item", "numero"],
        "descripcion": ["actividad", "meta de producto", "meta producto", "producto", "accion",
                        "descripcion actividad"],
        "objetivo": ["objetivo", "objetivo estrategico", "objetivo institucional"],
        "politica": ["politica", "politica de gestion y desempeno", "mipg"],
        "planes_institucionales": ["plan institucional", "planes institucionales", "decreto 612", "plan integrado",
                                   "planes decreto 612"],
        "indicador": ["indicador", "nombre del indicador", "indicador de producto"],
        "formula": ["formula del indicador", "metodo de calculo"],
        "unidad": ["unidad de medida", "unidad"],
        "meta_anual": ["meta", "meta anual", "valor esperado", "meta vigencia", "total planeado", "programado"],
        "meta_t1": ["t1", "trimestre 1", "i trimestre", "t1 planeado", "primer trimestre"],
        "meta_t2": ["t2", "trimestre 2", "ii trimestre", "t2 planeado", "segundo trimestre"],
        "meta_t3": ["t3", "trimestre 3", "iii trimestre", "t3 planeado", "tercer trimestre"],
        "meta_t4": ["t4", "trimestre 4", "iv trimestre", "t4 planeado", "cuarto trimestre"],
        "peso": ["peso", "ponderacion", "ponderador", "peso porcentual"],
        "fecha_inicio": ["inicio", "fecha de inicio", "fecha inicial"],
        "fecha_fin": ["fin", "fecha de terminacion", "fecha final", "fecha fin"],
        "presupuesto": ["presupuesto", "apropiacion", "recursos", "valor", "apropiacion definitiva"],
        "proyecto": ["bpin", "proyecto", "codigo bpin", "proyecto de inversion"],
        "responsable": ["responsable", "dependencia responsable", "area responsable"],
        "tendencia": ["comportamiento deseado", "sentido de la meta"],
        "linea_base": ["linea base", "l.b", "lb", "linea de base", "valor linea base"],
        "tipo_acumulacion": ["tipo de acumulacion", "acumulacion", "tipo acumulacion"],
    },
    obligatorios=("descripcion",),
    claves=("codigo", "descripcion"),
    textos=frozenset({"descripcion", "indicador", "formula", "responsable"}),
    libre="descripcion",
    peso="peso",
    metas=por_columna.METAS,
)


@dataclass
class Mapeo:
    hoja: str
    fila_encabezado: int
    columnas: dict[str, str]  # atributo → título de la columna (como lo devuelve `titulos`)
    # Lo que el usuario eligió al ver la vista previa (si no, lo decide la columna): atributo → 1 o 100, y
    # atributo → separador decimal de los números escritos como texto.
    escalas: dict[str, int] = field(default_factory=dict)
    decimales: dict[str, str] = field(default_factory=dict)


class CampoSinColumna(ImportacionRechazada):
    """Falta asociar un campo obligatorio: se sigue en el paso de las columnas, con lo ya asociado."""

    def __init__(self, mensaje: str):
        super().__init__([mensaje])


@dataclass
class Lectura:
    filas: list[tuple[int, dict]] = field(default_factory=list)  # como las de la plantilla
    errores: list[ErrorFila] = field(default_factory=list)
    omitidas: list[tuple[int, str]] = field(default_factory=list)  # (fila, por qué)
    columnas: list[por_columna.Columna] = field(default_factory=list)  # cómo se leyó cada una
    sin_codigo: bool = False  # sin columna de código: cada fila es una actividad nueva
    # Las filas omitidas por no traer clave ni cifras, con sus valores crudos: el destino puede leer en ellas el
    # grupo (objetivo, programa) de las filas que siguen.
    agrupaciones: list[tuple[int, dict]] = field(default_factory=list)


@dataclass
class FilaPrevia:
    numero: int
    valores: dict  # atributo → valor leído
    errores: list[str]


# --- el libro: hojas, títulos y sugerencias -----------------------------------------------------
def hojas(contenido: bytes) -> list[str]:
    with abrir(contenido) as libro:
        tablas = [h.title for h in libro.worksheets if hasattr(h, "reset_dimensions")]
    if not tablas:
        rechazar(SIN_HOJAS)
    return tablas


def _limpio(crudo) -> str:
    return " ".join(str(crudo).split()) if crudo is not None and str(crudo).strip() else ""


def _con_bandas(titulos: list[str], bandas: list | None) -> list[str]:
    """Un título repetido bajo bandas combinadas («Trimestre I - 2025» sobre «Resultado / Observaciones», otra vez
    bajo «Trimestre II - 2025») lleva la banda de su columna: «Trimestre I - 2025 · Resultado». La banda está en la
    primera celda de su rango combinado, así que cada columna toma la última banda escrita a su izquierda."""
    if not bandas:
        return titulos
    banda, de_columna = "", []
    for i in range(len(titulos)):
        banda = _limpio(bandas[i]) if i < len(bandas) and _limpio(bandas[i]) else banda
        de_columna.append(banda)
    # Solo si las bandas distinguen las repeticiones: una nota suelta sobre la fila («Versión 3») no es una banda.
    por_titulo: dict[str, list[str]] = {}
    for titulo, banda in zip(titulos, de_columna, strict=True):
        if titulo:
            por_titulo.setdefault(normalizar(titulo), []).append(banda)
    return [f"{banda} · {titulo}" if titulo and banda and len(set(por_titulo[normalizar(titulo)])) > 1 else titulo
            for titulo, banda in zip(titulos, de_columna, strict=True)]


def _unicos(crudos: list, bandas: list | None = None) -> list[str]:
    """Títulos de la fila sin saltos de línea ni espacios de sobra; los repetidos llevan la banda de encima, si la
    hay (`_con_bandas`), y si aún se repiten (2), (3)…"""
    vistos: dict[str, int] = {}
    resultado = []
    for titulo in _con_bandas([_limpio(c) for c in crudos], bandas):
        if not titulo:
            resultado.append("")
            continue
        vistos[normalizar(titulo)] = vistos.get(normalizar(titulo), 0) + 1
        resultado.append(titulo if vistos[normalizar(titulo)] == 1 else f"{titulo} ({vistos[normalizar(titulo)]})")
    return resultado


def _bandas(hoja, fila: int) -> list | None:
    """La fila sobre la de títulos: las bandas combinadas que agrupan columnas, si las hay."""
    if fila <= 1:
        return None
    return next((valores for _, valores in filas_de(hoja, fila - 1)), None)


def titulos(contenido: bytes, hoja: str, fila: int) -> list[str]:
    with abrir(contenido) as libro:
        tabla = hoja_de(libro, hoja)
        for _, valores in filas_de(tabla, fila):
            return _unicos(valores, _bandas(tabla, fila))
    return []


def sugerir_fila(contenido: bytes, hoja: str) -> int:
    """La fila con más celdas de texto entre las primeras: la de títulos, bajo los títulos combinados."""
    mejor, puntos = 1, -1
    with abrir(contenido) as libro:
        for numero, valores in filas_de(hoja_de(libro, hoja)):
            if numero > FILAS_PARA_BUSCAR_TITULOS:
                break
            textos = _textos(valores)
            if textos > puntos:
                mejor, puntos = numero, textos
    return mejor


ANIO = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
FILAS_DE_MUESTRA = 500


def _sin_anio(titulo: str) -> str:
    return " ".join(ANIO.sub(" ", titulo).split())


def _anio(titulo: str) -> int | None:
    hallado = ANIO.search(titulo)
    return int(hallado.group(0)) if hallado else None


def _parecido(titulo: str, candidatos: list[str]) -> tuple[float, str]:
    """Cuánto se parece el título (sin su año) a un nombre del campo, y a cuál."""
    texto = normalizar(_sin_anio(titulo))
    return max((1.0 if texto == c else difflib.SequenceMatcher(None, texto, c).ratio(), c) for c in candidatos)


@dataclass
class Perfil:
    """Lo que trae una columna en sus primeras filas de datos: de esto depende que una sugerencia tenga sentido."""

    numeros: list = field(default_factory=list)
    textos: list = field(default_factory=list)

    @property
    def numerica(self) -> bool:
        return len(self.numeros) >= len(self.textos)

    @property
    def texto_libre(self) -> bool:
        """Frases (con espacios, de más de 15 caracteres en promedio), no códigos («1.1.2», «BPIN-2024»)."""
        if not self.textos or len(self.textos) < len(self.numeros):
            return False
        con_espacios = sum(" " in t.strip() for t in self.textos)
        return con_espacios * 2 > len(self.textos) and sum(map(len, self.textos)) / len(self.textos) > 15


def perfiles(contenido: bytes, hoja: str, fila: int) -> dict[str, Perfil]:
    """El perfil de cada columna con título, de las primeras filas bajo la fila de títulos."""
    with abrir(contenido) as libro:
        tabla = hoja_de(libro, hoja)
        filas = celdas_de(tabla, fila)
        _, encabezado = next(filas, (0, []))
        nombres = _unicos([c.value for c in encabezado], _bandas(tabla, fila))
        resultado = {t: Perfil() for t in nombres if t}
        for numero, celdas in filas:
            if numero - fila > FILAS_DE_MUESTRA:
                break
            for titulo, celda in zip(nombres, celdas, strict=False):
                valor = celda.value  # sin escalar: 75 % es 0,75, como el «75%» escrito
                if not titulo or valor is None or (isinstance(valor, str) and not valor.strip()):
                    continue
                if isinstance(valor, (int, float, Decimal)) and not isinstance(valor, bool):
                    resultado[titulo].numeros.append(Decimal(str(valor)))
                elif isinstance(valor, str) and por_columna.es_texto_numerico(valor):
                    try:
                        resultado[titulo].numeros.append(por_columna.numero_de_texto(valor, None)[0])
                    except ValueError:
                        resultado[titulo].textos.append(valor)
                elif isinstance(valor, str) and valor.strip().upper() not in ERRORES_DE_FORMULA:
                    resultado[titulo].textos.append(valor)
    return resultado


def _no_encaja(atributo: str, perfil: Perfil | None, destino: Destino) -> str | None:
    """Por qué la columna no puede ser el campo, por lo que trae; None si puede."""
    if perfil is None or not (perfil.numeros or perfil.textos):
        return None
    # Un campo que admite texto («< 3 %») lo admite corto; frases largas no son cifras.
    tolera = atributo in destino.tolerantes and not perfil.texto_libre
    if destino.por_nombre[atributo].numerico and not perfil.numerica and not tolera:
        return "trae texto, no números"
    ilegibles = [t for t in perfil.textos if not por_columna.es_texto_numerico(t)]
    muchas = len(ilegibles) >= 5 and len(ilegibles) * 10 > len(perfil.textos) + len(perfil.numeros)
    if destino.por_nombre[atributo].numerico and muchas and atributo not in destino.tolerantes:
        # Una sugerencia que daría error en muchas filas no es una sugerencia (una celda mal escrita sí se sugiere y
        # la vista previa la señala): se dice por qué y se deja al usuario.
        ejemplo = " ".join(ilegibles[0].split())[:40]
        return f"{len(ilegibles)} de sus celdas traen texto que no es un número («{ejemplo}…»)"
    if atributo in destino.textos and len(perfil.textos) < len(perfil.numeros):
        return "trae números, no texto"
    if atributo == destino.libre and not perfil.texto_libre:
        return "trae códigos, no frases que la describan"
    if atributo == destino.peso:
        suma = sum(perfil.numeros)
        if not (abs(suma - 100) <= Decimal("0.5") or abs(suma - 1) <= Decimal("0.005")):
            return f"sus valores suman {formato.numero(suma)}, no 100: no son los pesos de las actividades del plan"
    return None


@dataclass
class Sugerencia:
    columnas: dict[str, str]  # atributo → título
    motivos: dict[str, str]  # atributo → por qué se sugirió
    descartes: dict[str, str] = field(default_factory=dict)  # atributo → por qué no se sugirió la más parecida


def sugerir(disponibles: list[str], muestras: dict[str, Perfil] | None = None, anio: int | None = None,
            destino: Destino = ACTIVIDADES) -> Sugerencia:
    """Cada campo con la columna de título más parecido (cada columna a lo sumo a un campo), si lo que trae
    la columna tiene sentido para el campo (`_no_encaja`). Las metas anual y trimestrales salen del mismo año:
    el de la vigencia `anio` si el libro lo trae, si no el que más metas reúne."""
    muestras = muestras or {}
    pares = []
    descartes: dict[str, str] = {}
    for atributo, candidatos in destino.candidatos.items():
        for titulo in disponibles:
            if not titulo:
                continue
            puntos, nombre = _parecido(titulo, candidatos)
            if puntos < PARECIDO_MINIMO or (atributo in destino.anios and _anio(titulo) != destino.anios[atributo]):
                continue
            motivo = _no_encaja(atributo, muestras.get(titulo), destino)
            if motivo:
                descartes.setdefault(atributo, f"«{titulo}»: {motivo}")
                continue
            pares.append((puntos, atributo, titulo, nombre))
    anio_metas = _anio_de_las_metas(pares, anio, destino.metas)
    if anio_metas is not None:
        pares = [p for p in pares if p[1] not in destino.metas or _anio(p[2]) in (None, anio_metas)]
    elegidas, sugerencia, motivos = set(), {}, {}
    for puntos, atributo, titulo, nombre in sorted(pares, reverse=True):
        if atributo in sugerencia or titulo in elegidas:
            continue
        sugerencia[atributo] = titulo
        elegidas.add(titulo)
        motivos[atributo] = (f"el título es «{nombre}»" if puntos == 1 else
                             f"el título se parece a «{nombre}» ({round(puntos * 100)} %)")
        if atributo in destino.metas and anio_metas is not None:
            motivos[atributo] += f"; las metas salen todas de {anio_metas}" + (
                " (la vigencia del plan)" if anio_metas == anio else "")
        if atributo == destino.peso:
            motivos[atributo] += "; sus valores suman 100"
    return Sugerencia(sugerencia, motivos, {a: m for a, m in descartes.items() if a not in sugerencia})


def _anio_de_las_metas(pares: list, anio: int | None, metas: tuple[str, ...]) -> int | None:
    """El año de las columnas de metas: el de la vigencia si alguna meta lo trae; si no, el que más metas
    distintas reúne (el más cercano a la vigencia, si empatan)."""
    por_anio: dict[int, set[str]] = {}
    for _, atributo, titulo, _ in pares:
        if atributo in metas and _anio(titulo) is not None:
            por_anio.setdefault(_anio(titulo), set()).add(atributo)
    if not por_anio:
        return None
    if anio in por_anio:
        return anio
    return max(por_anio, key=lambda a: (len(por_anio[a]), -abs(a - (anio or a))))


def sugerencia(contenido: bytes, hoja: str, fila: int, anio: int | None = None,
               destino: Destino = ACTIVIDADES) -> Sugerencia:
    """La sugerencia para la fila de títulos, mirando lo que trae cada columna."""
    return sugerir(titulos(contenido, hoja, fila), perfiles(contenido, hoja, fila), anio, destino)


def firma_de(titulos_fila: list[str]) -> str:
    """La huella del formato de un libro: sus títulos, sin mayúsculas, tildes ni espacios de sobra."""
    return hashlib.sha256("\x1f".join(normalizar(t) for t in titulos_fila if t).encode()).hexdigest()


def firmas(contenido: bytes) -> set[str]:
    """Las huellas de los títulos de cada hoja, en la fila que se sugiere como de títulos (el libro se abre una
    vez)."""
    resultado = set()
    with abrir(contenido) as libro:
        for hoja in libro.worksheets:
            if not hasattr(hoja, "reset_dimensions"):
                continue
            hoja.reset_dimensions()
            primeras = []
            for numero, valores in filas_de(hoja):
                if numero > FILAS_PARA_BUSCAR_TITULOS:
                    break
                primeras.append(valores)
            if primeras:
                fila = max(range(len(primeras)), key=lambda i: _textos(primeras[i]))
                resultado.add(firma_de(_unicos(primeras[fila], primeras[fila - 1] if fila else None)))
    return resultado


def _textos(valores: list) -> int:
    return sum(isinstance(v, str) and bool(v.strip()) for v in valores)


# --- lectura con el mapeo -----------------------------------------------------------------------
TOTALES = re.compile(r"^(sub ?)?total(es)?\b|^gran total\b")
SOLO_TOTALES = re.compile(r"^((sub ?)?total(es)?( general)?|gran total):?$")


def _es_totales(propios: dict, valores: list, exactos: bool = False) -> bool:
    """«Total», «Subtotal programa 1»… en el código, la descripción o la primera celda de la fila (no en
    cualquier celda: una línea base puede decir «Total población…»). `exactos`: solo «Total», «Subtotal»…"""
    primera = next((v for v in valores if v is not None and str(v).strip()), None)
    patron = SOLO_TOTALES if exactos else TOTALES
    return any(isinstance(v, str) and patron.match(normalizar(v))
               for v in (propios.get("codigo"), propios.get("descripcion"), primera))


def _error_de_formula(valor) -> str | None:
    if isinstance(valor, str) and valor.strip().upper() in ERRORES_DE_FORMULA:
        return valor.strip()
    return None


def convertir(numero: int, columna: por_columna.Columna, celda: por_columna.Cruda, errores: list[ErrorFila],
              destino: Destino = ACTIVIDADES):
    """El valor para el validador del destino, leído con la decisión de su columna, o el error de la celda."""
    campo, titulo = columna.campo, columna.campo.etiqueta
    formula = _error_de_formula(celda.valor)
    try:
        if formula:
            raise por_columna.CeldaInvalida(f"la celda guarda el error de fórmula {formula}; corrija la fórmula o "
                                         "escriba el valor")
        if campo.numerico:
            if isinstance(celda.valor, date):
                raise por_columna.CeldaInvalida(f"Excel convirtió el número en la fecha {celda.valor:%d/%m/%Y}; "
                                             "escríbalo como número")
            if (campo.nombre in destino.tolerantes and isinstance(celda.valor, str)
                    and not por_columna.es_texto_numerico(celda.valor)):
                return celda.valor.strip() or None
            return por_columna.numero(columna, celda)
        if campo.tipo == campos.FECHA:
            return por_columna.fecha(columna, celda)
        if campo.tipo in (campos.TEXTO, campos.REFERENCIA):
            return por_columna.texto(columna, celda, es_codigo=campo.nombre in destino.codigos)
        return celda.valor
    except por_columna.CeldaInvalida as error:
        errores.append(ErrorFila(numero, f"«{titulo}» (columna {columna.letra}): {error}.", titulo))
        return None


def codigos_nuevos(existentes: set[str]):
    """Sin columna de código, cada fila es una actividad nueva: códigos que el plan no tiene, nunca el número de
    fila (la importación siguiente actualizaría en su sitio la actividad de otra fila)."""
    siguiente = 1
    while True:
        codigo = f"L{siguiente:03d}"
        siguiente += 1
        if codigo not in existentes:
            yield codigo


def exigir_obligatorios(mapeo: Mapeo, destino: Destino) -> None:
    """Sin columna para un campo obligatorio no hay vista previa (ni trabajo que la calcule): se dice enseguida."""
    faltan = [destino.titulo[a] for a in destino.obligatorios if a not in mapeo.columnas]
    if faltan:
        raise CampoSinColumna(f"Asocie una columna a: {', '.join(faltan)}.")


def leer_celdas(contenido: bytes, mapeo: Mapeo, destino: Destino, libro=None, marcha: Marcha = SIN_MARCHA) -> Lectura:
    """Las filas del libro con el mapeo, cada columna leída con su decisión (`gestion.importacion.columnas`):
    `Lectura.filas` trae (fila, {atributo: valor}); las filas de totales, de notas y de agrupación se omiten y se
    dicen. Lo que cada destino hace con las filas (validar, guardar) es suyo. `libro`: el ya abierto, si se leen
    varias hojas (abrirlo cuesta más que leer una hoja); `marcha`: a quién contarle por qué fila va (la vista previa
    en un trabajo)."""
    exigir_obligatorios(mapeo, destino)
    lectura = Lectura()
    crudas: list[tuple[int, dict[str, por_columna.Cruda]]] = []
    claves = [a for a in destino.claves if a in mapeo.columnas]
    sin_claves = "sin " + " ni ".join(destino.titulo[a].lower() for a in destino.claves)
    with nullcontext(libro) if libro is not None else abrir(contenido) as libro:
        tabla = hoja_de(libro, mapeo.hoja)
        filas = celdas_de(tabla, mapeo.fila_encabezado)
        _, encabezado = next(filas, (0, []))
        posicion = {t: i for i, t in enumerate(_unicos([c.value for c in encabezado],
                                                       _bandas(tabla, mapeo.fila_encabezado))) if t}
        ausentes = [t for t in mapeo.columnas.values() if t not in posicion]
        if ausentes:
            rechazar(f"La fila {mapeo.fila_encabezado} de «{mapeo.hoja}» no tiene las columnas: {', '.join(ausentes)}.")
        indices = {a: posicion[t] for a, t in mapeo.columnas.items()}
        for numero, celdas in filas:
            marcha.fila(numero)
            valores = [c.value for c in celdas]
            if vacia(valores):
                continue
            propios = {a: por_columna.cruda(celdas[i]) if i < len(celdas) else por_columna.Cruda(None)
                       for a, i in indices.items()}
            simples = {a: c.valor for a, c in propios.items()}
            if _es_totales(simples, valores, destino.totales_exactos):
                lectura.omitidas.append((numero, "fila de totales"))
                continue
            if vacia([simples[a] for a in claves]):
                lectura.omitidas.append((numero, f"{sin_claves} (¿totales o notas?)"))
                lectura.agrupaciones.append((numero, simples))
                continue
            numericos = [simples[a] for a in destino.numericos if a in indices]
            sin_codigo = "codigo" not in indices or vacia([simples["codigo"]])
            if destino.agrupa_sin_cifras and numericos and vacia(numericos) and sin_codigo:
                lectura.omitidas.append((numero, "agrupación (programa o subprograma) sin cifras"))
                lectura.agrupaciones.append((numero, simples))
                continue
            if len(crudas) >= MAXIMO_FILAS:
                rechazar(f"La hoja tiene más de {MAXIMO_FILAS:,} filas con datos.".replace(",", "."))
            crudas.append((numero, propios))
    lectura.columnas = [por_columna.Columna(destino.por_nombre[a], mapeo.columnas[a], get_column_letter(i + 1))
                        for a, i in sorted(indices.items(), key=lambda par: par[1])]
    por_atributo = {c.campo.nombre: c for c in lectura.columnas}
    por_columna.decidir(lectura.columnas, {a: [p[a] for _, p in crudas] for a in indices}, mapeo.escalas,
                        mapeo.decimales)
    lectura.filas = [(numero, {a: convertir(numero, por_atributo[a], c, lectura.errores, destino)
                               for a, c in propios.items()}) for numero, propios in crudas]
    return lectura


def leer(contenido: bytes, mapeo: Mapeo, existentes: set[str] = frozenset(), marcha: Marcha = SIN_MARCHA) -> Lectura:
    """Las actividades del libro, como filas de la plantilla (título normalizado → valor) para su validador.
    `existentes`: los códigos que el plan ya tiene (sin columna de código, los nuevos no los repiten)."""
    lectura = leer_celdas(contenido, mapeo, ACTIVIDADES, marcha=marcha)
    titulo = {a: normalizar(t) for a, t in ACTIVIDADES.titulo.items()}
    nuevos = codigos_nuevos(existentes) if "codigo" not in mapeo.columnas else None
    filas = []
    for numero, valores in lectura.filas:
        celdas = {titulo[a]: v for a, v in valores.items()}
        if nuevos is not None:
            celdas[titulo["codigo"]] = next(nuevos)
        filas.append((numero, celdas))
    lectura.filas, lectura.sin_codigo = filas, nuevos is not None
    return lectura


@dataclass
class Previa:
    filas: list[FilaPrevia]  # las primeras, como quedarían
    lectura: Lectura
    errores: list[ErrorFila]  # todos
    por_borrar: list[actividades.PorBorrar]  # las actividades del plan que el libro no trae
    huella: str  # la de esos códigos: quien importa confirma justo los que vio


def huella_de(codigos) -> str:
    return hashlib.sha256("\n".join(sorted(codigos)).encode()).hexdigest()[:16]


def _codigos_del_plan(plan: Plan) -> set[str]:
    return set(db.session.scalars(sa.select(Actividad.codigo).where(Actividad.plan_id == plan.id)))


def _leer_y_validar(plan: Plan, contenido: bytes, mapeo: Mapeo, marcha: Marcha = SIN_MARCHA):
    existentes = _codigos_del_plan(plan)
    lectura = leer(contenido, mapeo, existentes, marcha)
    leidas, errores = actividades.validar_filas(plan, lectura.filas)
    borrados = sorted(existentes - {d["codigo"] for d in leidas if d["codigo"]})
    return lectura, leidas, sorted(lectura.errores + errores, key=lambda e: e.fila), borrados


def vista_previa(plan: Plan, contenido: bytes, mapeo: Mapeo, cuantas: int = 10, marcha: Marcha = SIN_MARCHA) -> Previa:
    """Las primeras filas como quedarían, cada una con los errores que daría; todos los errores; y las
    actividades del plan que se borrarían, para confirmarlo antes de importar."""
    lectura, leidas, errores, borrados = _leer_y_validar(plan, contenido, mapeo, marcha)
    por_fila: dict[int, list[str]] = {}
    for error in errores:
        por_fila.setdefault(error.fila, []).append(error.mensaje)
    filas = [FilaPrevia(numero, datos, por_fila.get(numero, []))
             for (numero, _), datos in zip(lectura.filas[:cuantas], leidas, strict=False)]
    por_borrar = actividades.por_borrar(plan, {d["codigo"] for d in leidas if d["codigo"]}) if borrados else []
    return Previa(filas, lectura, errores, por_borrar, huella_de(borrados))


ROLES_QUE_TRAEN = R.PLANEACION | {R.DIRECTOR}


def puede_traer_alguno(usuario) -> bool:
    """Si el rol de `usuario` trae planes desde un libro propio (cuál, lo dice `motivo_no_traer`)."""
    return bool(roles_de(usuario) & ROLES_QUE_TRAEN)


def motivo_no_traer(usuario, plan: Plan) -> str | None:
    """None si `usuario` puede traer ahora el plan desde un libro propio; si no, la razón en español.

    Lo hace la OAP con el plan de cualquier dependencia (pasa a la plantilla el libro que la oficina le
    entrega) y el director con el de la suya; en los estados en que el contenido se edita (`gestion.reglas.flujo`)."""
    if plan.tipo is not TipoPlan.PA:
        return "Solo se traen desde un libro propio las actividades de un Plan de Acción."
    motivo = flujo.motivo_estado(plan)
    if motivo:
        return motivo
    if not puede_traer_alguno(usuario):
        return "Solo la OAP o el director de la dependencia traen un plan de acción desde un libro propio."
    if roles_de(usuario) & R.PLANEACION or plan.dependencia_id == usuario.dependencia_id:
        return None
    return "El plan no es de su dependencia."


def exigir_traer(plan: Plan, usuario) -> None:
    actividades.negar(plan, motivo_no_traer(usuario, plan))


def importar(plan: Plan, contenido: bytes, mapeo: Mapeo, usuario, huella_borrado: str | None = None,
             marcha: Marcha = SIN_MARCHA) -> actividades.Carga:
    """Todo o nada, con las reglas de la plantilla; los errores propios del libro también detienen la carga. Las
    actividades del plan que el libro no trae se borran solo si `huella_borrado` es la de la vista previa que
    las mostró (`Previa.huella`): si no, no se importa nada (`BorradoSinConfirmar`)."""
    exigir_traer(plan, usuario)
    lectura, _, errores, borrados = _leer_y_validar(plan, contenido, mapeo)
    if errores:
        raise ImportacionRechazada(errores)
    confirmados = set(borrados) if borrados and huella_borrado == huella_de(borrados) else set()
    return actividades.importar_filas(plan, _contadas(lectura.filas, marcha), usuario, origen="el libro de la oficina",
                                      exigir=exigir_traer, marcha=marcha, borrar=confirmados)


def _contadas(filas: list, marcha: Marcha):
    """Las filas, diciendo a la marcha por cuál va la validación (un trabajo lo muestra)."""
    for numero, celdas in filas:
        marcha.fila(numero)
        yield numero, celdas


def libro_con_errores(contenido: bytes, mapeo: Mapeo, errores: list[ErrorFila]) -> tuple[bytes, str]:
    """El libro de la oficina con cada celda equivocada marcada, en sus propias columnas."""
    posicion = {t: i + 1 for i, t in enumerate(titulos(contenido, mapeo.hoja, mapeo.fila_encabezado)) if t}
    columna_de = {ACTIVIDADES.titulo[a]: posicion[t] for a, t in mapeo.columnas.items() if t in posicion}
    return libro_de_errores.libro_con_errores(contenido, errores, mapeo.hoja, mapeo.fila_encabezado, columna_de)


# --- mapeos guardados ---------------------------------------------------------------------------
# El flujo al que pertenece un mapeo guardado (`MapeoColumnas.destino`): cada página ofrece solo los suyos.
DE_ACTIVIDADES, DE_AVANCES, DE_ESTRUCTURA, DE_METAS_DT, DE_VARIAS = (
    "actividades", "avances", "estructura", "metas_dt", "varias")


def mapeos_de(dependencia_id: int, destino: str = DE_ACTIVIDADES) -> list[MapeoColumnas]:
    return list(db.session.scalars(sa.select(MapeoColumnas).filter_by(dependencia_id=dependencia_id, destino=destino)
                                   .order_by(MapeoColumnas.nombre)))


def mapeos_para(dueno, usuario, firmas_del_libro: set[str], destino: str = DE_ACTIVIDADES) -> list[MapeoColumnas]:
    """Los mapeos del flujo que se ofrecen: los de la dependencia de `dueno` (el plan, el reporte) y, para la OAP
    (que trae los de todas), los guardados en cualquier dependencia para un libro con los mismos títulos. Primero
    los del mismo formato."""
    condicion = MapeoColumnas.dependencia_id == dueno.dependencia_id
    if roles_de(usuario) & R.PLANEACION and firmas_del_libro:
        condicion = condicion | MapeoColumnas.firma.in_(firmas_del_libro)
    encontrados = db.session.scalars(sa.select(MapeoColumnas).where(condicion, MapeoColumnas.destino == destino)
                                     .order_by(MapeoColumnas.actualizado_en.desc(), MapeoColumnas.nombre))
    return sorted(encontrados, key=lambda m: m.firma not in firmas_del_libro)


def faltantes(guardado: MapeoColumnas, hoja: str, fila: int, columnas: dict[str, str],
              campos: set[str]) -> str | None:
    """El aviso de un mapeo guardado que no encaja con el libro: qué títulos suyos (de los `campos` del destino)
    no están en la fila elegida."""
    faltan = [t for a, t in guardado.columnas.items() if a in campos and a not in columnas]
    if not faltan:
        return None
    return (f"El mapeo «{guardado.nombre}» no encaja con este libro: la fila {fila} de «{hoja}» no tiene "
            f"{', '.join(f'«{t}»' for t in faltan)}. Asocie esos campos de nuevo.")


def guardar_mapeo(dueno, nombre: str, mapeo: Mapeo, usuario, contenido: bytes | None = None,
                  destino: str = DE_ACTIVIDADES) -> MapeoColumnas:
    """En la dependencia de `dueno`, con el mismo nombre en el mismo flujo, se reemplaza: el del año pasado se
    actualiza. Con el libro, guarda la huella de sus títulos: un libro con el mismo formato lo encuentra solo."""
    autor = usuario.id  # antes de agregar el mapeo: leer el usuario no debe vaciar la sesión a medias
    nombre = " ".join((nombre or "").split())[:120]
    if not nombre:
        rechazar("Escriba un nombre para guardar el mapeo.")
    firma = firma_de(titulos(contenido, mapeo.hoja, mapeo.fila_encabezado)) if contenido else None
    guardado = db.session.scalar(sa.select(MapeoColumnas).filter_by(dependencia_id=dueno.dependencia_id,
                                                                    destino=destino, nombre=nombre))
    if guardado is None:
        guardado = MapeoColumnas(dependencia_id=dueno.dependencia_id, destino=destino, nombre=nombre)
        db.session.add(guardado)
    guardado.hoja, guardado.fila_encabezado, guardado.columnas = mapeo.hoja[:31], mapeo.fila_encabezado, dict(
        mapeo.columnas)
    guardado.firma = firma or guardado.firma
    guardado.opciones = {"escalas": dict(mapeo.escalas), "decimales": dict(mapeo.decimales)}
    guardado.actualizado_por_id, guardado.actualizado_en = autor, ahora()
    db.session.flush()
    return guardado
