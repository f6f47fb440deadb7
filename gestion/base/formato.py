"""Formatos de Colombia para la interfaz: fechas dd/mm/aaaa, pesos (COP), porcentajes."""
import re
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from modelos.base import DECIMALES_CANTIDAD, momento_fijo

ZONA = ZoneInfo("America/Bogota")


_A_COLOMBIA = str.maketrans(",.", ".,")


def numero(valor, decimales: int = 2) -> str:
    """1234567.5 → '1.234.567,5' (se quitan ceros decimales sobrantes). Los miles los agrupa el formato de
    Decimal (`,`), y luego se cambian coma y punto: una lista pide ~150 por página, y agruparlos a mano era el 2 %
    de la CPU de la mezcla de carga."""
    if valor is None:
        return ""
    texto = f"{Decimal(valor):,.{decimales}f}"
    if "." in texto:
        texto = texto.rstrip("0").rstrip(".")
    if texto[0] == "-" and not texto.strip("-0,."):  # −0,04 a un decimal es 0
        texto = texto[1:]
    return texto.translate(_A_COLOMBIA)


def cantidad(valor) -> str:
    """Una meta, una línea base o un valor logrado como se guardó: 0,167 · 33,3333 · 1.250 (sin ceros de sobra y
    sin perder ninguno de los decimales que la columna guarda)."""
    return numero(valor, DECIMALES_CANTIDAD)


def decimales(valor: Decimal) -> int:
    """Cuántos decimales trae un número de verdad: 0,1670 tiene 3."""
    exponente = valor.normalize().as_tuple().exponent
    return max(0, -exponente) if isinstance(exponente, int) else 0


def decimal_de_excel(valor: float) -> Decimal:
    """Un número de Excel con las 15 cifras significativas que Excel guarda y muestra: 0,1 + 0,2 es 0,3, no
    0,30000000000000004 (el ruido binario de la celda no son decimales de quien la escribió)."""
    return Decimal(format(valor, ".15g"))


MILES_CON_PUNTO = re.compile(r"^\d{1,3}(\.\d{3})+$")
# Lo que aún se redondea a centavos con los 28 dígitos de Decimal; cada columna acota más (ver validacion).
CIFRA_MAXIMA = Decimal(10) ** 26


def leer_numero(valor, maximo: Decimal = CIFRA_MAXIMA) -> Decimal | None:
    """Lo que escribe una persona en Colombia, o una celda de Excel: 1.234,5 · 1.050.000 · 42.5 ·
    $ 2.000.000 · 60 %. None si está vacío; ValueError si no es un número finito menor que `maximo`."""
    if valor is None or (isinstance(valor, str) and not valor.strip()):
        return None
    if isinstance(valor, (bool, date)):
        raise ValueError(valor)
    if isinstance(valor, float):
        texto = str(decimal_de_excel(valor))
    elif isinstance(valor, (int, Decimal)):
        texto = str(valor)
    else:
        texto = str(valor).strip().removeprefix("$").removesuffix("%").replace(" ", "").replace("\xa0", "")
        if "," in texto or MILES_CON_PUNTO.match(texto):
            texto = texto.replace(".", "").replace(",", ".")
    try:
        numero = Decimal(texto)
    except InvalidOperation:
        raise ValueError(valor) from None
    if not numero.is_finite() or abs(numero) >= maximo:
        raise ValueError(valor)
    return numero


def leer_fecha(valor) -> date | None:
    """dd/mm/aaaa (como se escribe aquí), aaaa-mm-dd (campos de fecha del navegador) o una celda de fecha.
    None si está vacío; ValueError si no es una fecha."""
    if valor is None or (isinstance(valor, str) and not valor.strip()):
        return None
    if isinstance(valor, datetime):
        return valor.date()
    if isinstance(valor, date):
        return valor
    for patron in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(str(valor).strip(), patron).date()
        except ValueError:
            continue
    raise ValueError(valor)


def monto(valor) -> str:
    """Una cifra en pesos como se escribe aquí: 650.000 · 1.050.000,50 (los centavos, solo si los hay, con sus
    dos cifras, como en Excel). Es también el valor que se devuelve a un campo para editarlo."""
    if valor is None:
        return ""
    valor = Decimal(valor).quantize(Decimal("0.01"))
    if valor == valor.to_integral_value():
        return numero(valor, 0)
    entero, _, centavos = numero(valor).partition(",")
    return f"{entero},{centavos:0<2}"


def pesos(valor) -> str:
    if valor is None:
        return ""
    return "$ " + monto(valor)


def porcentaje(valor, decimales: int = 1) -> str:
    """87.46 → «87,5 %»; −25 → «−25,0 %», con el signo menos tipográfico (el lector de pantalla dice «menos»): un
    cumplimiento negativo (una decreciente que empeoró) se lee como tal, nunca como un guion suelto."""
    if valor is None:
        return "—"
    texto = numero(Decimal(valor), decimales)
    return ("\u2212" + texto[1:] if texto.startswith("-") else texto) + " %"


def en_bogota(valor: datetime) -> datetime:
    """Un momento guardado (en UTC; SQLite lo devuelve sin zona) en la hora de Bogotá."""
    return (valor if valor.tzinfo else valor.replace(tzinfo=timezone.utc)).astimezone(ZONA)


def hoy() -> date:
    """La fecha de hoy en Bogotá: a las 19:00 del 6 en Bogotá, en UTC ya es el 7. Dentro de
    `modelos.en_momento` (la demostración registra lo que pasó en su fecha), la de ese momento."""
    fijo = momento_fijo()
    return fijo.astimezone(ZONA).date() if fijo is not None else datetime.now(ZONA).date()


def fecha(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, datetime):
        return en_bogota(valor).strftime("%d/%m/%Y %H:%M")
    if isinstance(valor, date):
        return valor.strftime("%d/%m/%Y")
    return str(valor)


def registrar_filtros(app) -> None:
    app.jinja_env.filters.update(numero=numero, cantidad=cantidad, monto=monto, pesos=pesos, porcentaje=porcentaje, fecha=fecha)
