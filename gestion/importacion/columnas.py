"""Cómo se lee cada columna del libro propio de una oficina: una decisión por columna, nunca por celda.

Un libro de verdad mezcla en la misma columna celdas con formato de porcentaje y sin él, números escritos como
texto con coma o con punto decimal, códigos que Excel volvió fecha y años mal escritos («0205»). Aquí se mira
la columna entera antes de leer una celda: su escala (0–1 o 0–100, por el formato de sus celdas y sus
valores), su separador decimal (por todos sus textos; si no se puede saber, se pregunta) y, para los códigos,
el texto que el usuario ve. Cada transformación queda en una lista con un ejemplo, y las dudosas se señalan:
nada cambia sin que la vista previa lo diga.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from gestion.base import formato
from gestion.planes import campos
from gestion.planes.campos import Campo

ANIO_MINIMO, ANIO_MAXIMO = 1990, 2100
METAS = ("meta_anual", "meta_t1", "meta_t2", "meta_t3", "meta_t4")
COMA, PUNTO = ",", "."
NOMBRE_DECIMAL = {COMA: "coma decimal (1.050,5)", PUNTO: "punto decimal (1,050.5)"}
# Un solo separador seguido de tres cifras, tras 1 a 3 cifras que no empiezan en 0: «1.050» es mil cincuenta
# o uno coma cero cinco según quién lo escribió.
_AMBIGUO = re.compile(r"^[1-9]\d{0,2}[.,]\d{3}$")
_FORMATO_FECHA = re.compile(r"^[dmy]+([-/. ][dmy]+)*$")


class CeldaInvalida(ValueError):
    """El mensaje, en español, de por qué la celda no se lee."""


@dataclass(frozen=True)
class Cruda:
    """Una celda como la guarda el libro: su valor y si Excel la muestra como porcentaje."""

    valor: object
    porcentaje: bool = False
    formato: str = "General"


def cruda(celda) -> Cruda:
    dato = getattr(celda, "value", None)
    if dato is None:
        return Cruda(None)
    formato_celda = getattr(celda, "number_format", None) or "General"
    return Cruda(dato, isinstance(dato, (int, float)) and not isinstance(dato, bool) and "%" in formato_celda,
                 formato_celda)


@dataclass
class Transformacion:
    """Una clase de valores que la lectura cambió, con un ejemplo: «columna F: porcentaje 0–1 → 15 %»."""

    clase: str
    antes: str
    despues: str
    sospechosa: bool = False
    cuantas: int = 0


@dataclass
class Columna:
    """La decisión sobre una columna asociada a un campo."""

    campo: Campo
    titulo: str
    letra: str
    escala: int = 1  # 100: los valores están en 0–1 y se guardan en puntos (0,15 → 15)
    escala_motivo: str = ""
    decimal: str | None = None  # el separador decimal de sus números escritos como texto
    decimal_motivo: str = ""
    decimal_elegido: bool = False
    ambigua: bool = False  # tiene textos como «1.050» y no se sabe su separador: se pregunta
    transformaciones: dict[str, Transformacion] = field(default_factory=dict)

    @property
    def numerica(self) -> bool:
        return self.campo.numerico

    def anotar(self, clase: str, antes, despues, sospechosa: bool = False) -> None:
        transformacion = self.transformaciones.get(clase)
        if transformacion is None:
            transformacion = self.transformaciones[clase] = Transformacion(clase, str(antes), str(despues), sospechosa)
        transformacion.cuantas += 1


# --- números escritos como texto -----------------------------------------------------------------
def _limpio(texto: str) -> str:
    return texto.strip().removeprefix("$").strip().replace(" ", "").replace("\xa0", "")


def separador_de(texto: str) -> str | None:
    """El separador decimal que el texto delata, «?» si puede ser cualquiera, None si no tiene separadores."""
    limpio = _limpio(texto).removesuffix("%").lstrip("+-")
    coma, punto = COMA in limpio, PUNTO in limpio
    if coma and punto:
        return COMA if limpio.rfind(COMA) > limpio.rfind(PUNTO) else PUNTO
    if not (coma or punto):
        return None
    separador = COMA if coma else PUNTO
    if limpio.count(separador) > 1:
        return PUNTO if separador == COMA else COMA  # varios: son de miles
    return "?" if _AMBIGUO.match(limpio) else separador


def numero_de_texto(texto: str, decimal: str | None) -> tuple[Decimal, bool]:
    """(el número, si traía «%»). «15 %» es 0,15, como lo guarda Excel. ValueError si no es un número."""
    limpio = _limpio(texto)
    porcentaje = limpio.endswith("%")
    limpio = limpio.removesuffix("%")
    miles = PUNTO if decimal == COMA else COMA
    limpio = limpio.replace(miles, "").replace(COMA, ".")
    try:
        numero = Decimal(limpio)
    except InvalidOperation:
        raise ValueError(texto) from None
    if not numero.is_finite() or abs(numero) >= formato.CIFRA_MAXIMA:
        raise ValueError(texto)
    return (numero / 100 if porcentaje else numero), porcentaje


def es_texto_numerico(valor) -> bool:
    return isinstance(valor, str) and bool(re.match(r"^[+-]?\$?\s*[\d.,\s\xa0]+%?$", valor.strip())) and any(
        c.isdigit() for c in valor)


# --- decisiones por columna ---------------------------------------------------------------------
def decidir(columnas: list[Columna], celdas: dict[str, list[Cruda]], escalas: dict[str, int],
            decimales: dict[str, str]) -> None:
    """Fija la escala y el separador de cada columna mirando todas sus celdas; lo elegido por el usuario manda.
    Las metas (anual y trimestres) comparten escala: la anual no puede quedar ×100 y sus trimestres no."""
    for columna in columnas:
        if columna.numerica:
            _decidir_decimal(columna, celdas[columna.campo.nombre], decimales.get(columna.campo.nombre))
    grupos: dict[str, list[Columna]] = {}
    for columna in columnas:
        if columna.numerica:
            grupos.setdefault("metas" if columna.campo.nombre in METAS else columna.campo.nombre, []).append(columna)
    for grupo in grupos.values():
        escala, motivo = _escala_del_grupo(grupo, celdas)
        for columna in grupo:
            elegida = escalas.get(columna.campo.nombre)
            if elegida in (1, 100):
                columna.escala, columna.escala_motivo = elegida, "usted lo eligió"
            else:
                columna.escala, columna.escala_motivo = escala, motivo


def _decidir_decimal(columna: Columna, celdas: list[Cruda], elegido: str | None) -> None:
    vistos = {separador_de(c.valor) for c in celdas if es_texto_numerico(c.valor)} - {None}
    claros = vistos - {"?"}
    if elegido in (COMA, PUNTO):
        columna.decimal, columna.decimal_elegido, columna.decimal_motivo = elegido, True, "usted lo eligió"
    elif len(claros) == 1:
        columna.decimal = claros.pop()
        columna.decimal_motivo = "así lo escriben sus textos que no dejan duda"
    elif "?" in vistos:
        columna.ambigua = True
        columna.decimal_motivo = ("tiene números escritos como texto que se leen de dos maneras (como «1.050») y sus "
                                  "demás celdas no dicen cuál: elija")


def _valor_numerico(celda: Cruda, decimal: str | None) -> tuple[Decimal, bool] | None:
    if isinstance(celda.valor, bool) or celda.valor is None:
        return None
    if isinstance(celda.valor, (int, float)):
        leido = formato.decimal_de_excel(celda.valor) if isinstance(celda.valor, float) else Decimal(celda.valor)
        return leido, celda.porcentaje
    if es_texto_numerico(celda.valor):
        try:
            return numero_de_texto(celda.valor, _separador_efectivo(celda.valor, decimal) or PUNTO)
        except ValueError:
            return None
    return None


def _separador_efectivo(texto: str, decimal: str | None) -> str | None:
    """El separador con que se lee un texto: el suyo si no deja duda; el de la columna si puede ser cualquiera."""
    propio = separador_de(texto)
    return decimal if propio == "?" else propio


def _escala_del_grupo(grupo: list[Columna], celdas: dict[str, list[Cruda]]) -> tuple[int, str]:
    leidos = [v for c in grupo for celda in celdas[c.campo.nombre]
              if (v := _valor_numerico(celda, c.decimal)) is not None and v[0] != 0]
    if not leidos:
        return 1, "sin valores distintos de cero"
    con_porcentaje = sum(porcentaje for _, porcentaje in leidos)
    todos_fraccion = all(0 <= numero <= 1 for numero, _ in leidos)
    es_porcentaje = grupo[0].campo.tipo == campos.PORCENTAJE
    if con_porcentaje == len(leidos):
        return 100, "todas sus celdas con valor tienen formato de porcentaje (0–1)"
    if es_porcentaje and todos_fraccion:
        return 100, "es un porcentaje y todos sus valores están entre 0 y 1"
    if es_porcentaje and con_porcentaje * 2 > len(leidos):
        return 100, "es un porcentaje y la mayoría de sus celdas tienen formato de porcentaje"
    if con_porcentaje:
        return 1, (f"{con_porcentaje} de {len(leidos)} celdas tienen formato de porcentaje: se lee el valor que "
                   "guarda cada una, sin multiplicar")
    return 1, "sus celdas no tienen formato de porcentaje"


# --- cada celda, con la decisión de su columna ---------------------------------------------------
def numero(columna: Columna, celda: Cruda) -> Decimal | None:
    """El número que se guarda, en la escala de la columna, tal cual. Con más decimales de los que el campo guarda:
    escrito como texto, es un error de la celda; un número de Excel (el resultado de una fórmula) se redondea y la
    vista previa lo señala. Nunca se redondea en silencio."""
    valor = celda.valor
    if valor is None or (isinstance(valor, str) and not valor.strip()):
        return None
    if isinstance(valor, (date, bool)):
        raise CeldaInvalida(f"«{valor}» no es un número")
    if isinstance(valor, str):
        if not es_texto_numerico(valor):
            raise CeldaInvalida(f"«{valor.strip()}» no es un número")
        separador = separador_de(valor)
        if separador == "?" and columna.decimal is None:
            raise CeldaInvalida(f"«{valor.strip()}» puede leerse de dos maneras: elija en la vista previa si la "
                                "columna escribe los decimales con coma o con punto")
        efectivo = _separador_efectivo(valor, columna.decimal)
        try:
            leido, con_signo = numero_de_texto(valor, efectivo)
        except ValueError:
            raise CeldaInvalida(f"«{valor.strip()}» no es un número") from None
        columna.anotar(f"número escrito como texto ({NOMBRE_DECIMAL[efectivo]})" if efectivo
                       else "número escrito como texto", valor.strip(), formato.numero(leido, 6))
        porcentaje = con_signo
    else:
        leido, porcentaje = _valor_numerico(celda, columna.decimal)
    resultado = leido * columna.escala
    if columna.escala == 100:
        columna.anotar("porcentaje 0–1 leído en puntos (×100)", formato.numero(leido, 6),
                       formato.porcentaje(resultado, 6))
        if not porcentaje and leido > 1:
            columna.anotar("valor mayor que 1 sin formato de porcentaje en una columna de 0–1 (×100)",
                           formato.numero(leido, 6), formato.numero(resultado, 6), sospechosa=True)
    elif porcentaje and leido != 0:
        columna.anotar("celda con formato de porcentaje leída por su valor, sin multiplicar (como el resto de la "
                       "columna)", formato.porcentaje(leido * 100, 2), formato.numero(leido, 6), sospechosa=True)
    if formato.decimales(resultado) > columna.campo.decimales and not isinstance(valor, str):
        # Un número de Excel con más cifras de las que se guardan es casi siempre el resultado de una fórmula
        # (=121/228): se redondea a lo que el campo guarda y la vista previa lo señala, con un ejemplo.
        redondeado = resultado.quantize(Decimal(1).scaleb(-columna.campo.decimales), ROUND_HALF_UP)
        columna.anotar(f"número con más de {columna.campo.decimales} decimales (resultado de una fórmula) redondeado "
                       "a los que se guardan", formato.numero(resultado, 15), formato.numero(redondeado, 6),
                       sospechosa=True)
        return redondeado
    if formato.decimales(resultado) > columna.campo.decimales:
        raise CeldaInvalida(f"{formato.numero(resultado, 28)} tiene {formato.decimales(resultado)} decimales y "
                            f"«{columna.campo.etiqueta}» guarda hasta {columna.campo.decimales}: redondéelo en el "
                            "libro como deba quedar")
    return resultado


def fecha(columna: Columna, celda: Cruda) -> date | None:
    valor = celda.valor
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        raise CeldaInvalida(f"«{valor}» es un número, no una fecha (use dd/mm/aaaa)")
    try:
        leida = formato.leer_fecha(valor)
    except ValueError:
        raise CeldaInvalida(f"«{valor}» no es una fecha (use dd/mm/aaaa)") from None
    if leida is not None and not ANIO_MINIMO <= leida.year <= ANIO_MAXIMO:
        raise CeldaInvalida(f"«{valor if isinstance(valor, str) else f'{leida:%d/%m/%Y}'}» tiene el año "
                            f"{leida.year}, fuera de {ANIO_MINIMO}–{ANIO_MAXIMO}: ¿un año mal escrito?")
    if isinstance(valor, str) and leida is not None:
        columna.anotar("fecha escrita como texto", valor.strip(), f"{leida:%d/%m/%Y}")
    return leida


def _como_se_ve(valor: datetime, formato_celda: str) -> str | None:
    """Una fecha como Excel la muestra con un formato numérico («yyyy-mm» → 2023-02); None si el formato usa
    nombres de mes o algo que no se puede reconstruir."""
    patron = formato_celda.lower().split(";")[0].replace("\\", "").replace('"', "")
    patron = re.sub(r"\[[^\]]*\]", "", patron).strip()
    if not _FORMATO_FECHA.match(patron) or "mmm" in patron:
        return None
    partes = {"yyyy": f"{valor.year:04d}", "yy": f"{valor.year % 100:02d}", "dd": f"{valor.day:02d}",
              "d": str(valor.day), "mm": f"{valor.month:02d}", "m": str(valor.month)}
    return re.sub(r"yyyy|yy|dd|d|mm|m", lambda m: partes[m.group(0)], patron)


def texto(columna: Columna, celda: Cruda, es_codigo: bool) -> str | None:
    """Un texto. Un código es texto: un número se lee sin «.0» y una fecha que Excel hizo de lo escrito, como se
    ve en la celda; si no se puede saber qué se escribió, es un error."""
    valor = celda.valor
    if valor is None:
        return None
    if isinstance(valor, datetime | date):
        visto = _como_se_ve(valor if isinstance(valor, datetime) else datetime(valor.year, valor.month, valor.day),
                            celda.formato)
        if visto is None:
            if es_codigo:
                raise CeldaInvalida(f"Excel convirtió lo escrito en la fecha {valor:%d/%m/%Y} y no se sabe qué se "
                                    "escribió: escríbalo como texto (con un apóstrofo delante)")
            visto = f"{valor:%d/%m/%Y}"
        columna.anotar("fecha de Excel leída como el texto que se ve", f"{valor:%d/%m/%Y}", visto, sospechosa=es_codigo)
        return visto
    if isinstance(valor, float):
        visto = str(int(valor)) if valor.is_integer() else repr(valor)
        decimales = re.fullmatch(r"0\.(0+)", celda.formato or "")
        if decimales:
            visto = f"{valor:.{len(decimales.group(1))}f}"  # «1.10» con formato 0.00 es lo que se ve
        if es_codigo:
            columna.anotar("código numérico leído como texto", repr(valor), visto)
        return visto
    if isinstance(valor, int) and not isinstance(valor, bool):
        return str(valor)
    texto_celda = str(valor)
    limpio = texto_celda.strip()
    if limpio and limpio != texto_celda:
        columna.anotar("espacios o saltos de línea de sobra en los extremos, quitados",
                       texto_celda[:40].replace("\n", "⏎"), limpio[:40])
    return limpio
