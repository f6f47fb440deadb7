"""Qué formato de Excel lleva cada valor: unidades sin decimales de sobra, pesos con centavos solo si los hay,
pesos relativos como porcentaje, fechas dd/mm/aaaa. Todas las hojas que escribe la aplicación lo toman de aquí."""
from datetime import date, datetime
from decimal import Decimal

from gestion.base import formato

# Tipos de columna: el código de formato de Excel sale del tipo y del valor de cada celda.
FORMATO_NUMERO = "numero"
FORMATO_PESOS = "pesos"
FORMATO_PORCENTAJE = "porcentaje"
FORMATO_FECHA = "fecha"

_CODIGOS = {
    (FORMATO_NUMERO, True): "#,##0", (FORMATO_NUMERO, False): "#,##0.00",
    (FORMATO_PESOS, True): '"$" #,##0', (FORMATO_PESOS, False): '"$" #,##0.00',
}
CODIGO_PORCENTAJE = "0.0%"
CODIGO_FECHA = "DD/MM/YYYY"
CODIGO_FECHA_HORA = "DD/MM/YYYY HH:MM"
# Formato de las filas vacías de una plantilla, donde aún no hay valor del que deducirlo.
CODIGO_COLUMNA = {FORMATO_PESOS: '"$" #,##0.00', FORMATO_PORCENTAJE: CODIGO_PORCENTAJE}
# Una cantidad con más de dos decimales (una meta de 0,167) se ve con los suyos, hasta los que se guardan.
CODIGOS_CON_DECIMALES = {n: "#,##0." + "0" * n for n in range(3, formato.DECIMALES_CANTIDAD + 1)}
TODOS = (*_CODIGOS.values(), *CODIGOS_CON_DECIMALES.values(), CODIGO_PORCENTAJE, CODIGO_FECHA, CODIGO_FECHA_HORA)

# Un texto que empieza así lo tomaría Excel (o LibreOffice) por fórmula al editar la celda.
INICIOS_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")


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
    if tipo == FORMATO_PESOS or entero:
        return _CODIGOS[(FORMATO_PESOS if tipo == FORMATO_PESOS else FORMATO_NUMERO, entero)]
    cifras = formato.decimales(formato.decimal_de_excel(valor) if isinstance(valor, float) else Decimal(valor))
    return CODIGOS_CON_DECIMALES.get(min(cifras, formato.DECIMALES_CANTIDAD), _CODIGOS[(FORMATO_NUMERO, False)])
