"""El borde de validación: todo dato que entra (formulario, filtro, URL, importación) se acota aquí.

Tres capas con una sola regla: la petición (ningún carácter de control, ningún campo interminable), los
lectores (`leer_entero` y, en `gestion.base.formato`, `leer_numero` y `leer_fecha`) y la fila antes de guardarse
(`revisar_sesion`): lo que la columna no puede guardar, o una página no podría mostrar, no llega a la base.
"""
import math
import re
from decimal import Decimal

import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from gestion.base.errores import OperacionRechazada

# El `integer` de PostgreSQL: un id o un año más grande no existe, así que no se busca.
ENTERO_MAXIMO = 2**31 - 1
# Columnas Text (observaciones, decisiones, diagnósticos): unas cuatro páginas.
TEXTO_MAXIMO = 10_000
# Tabulador y saltos de línea sí; NUL y los demás controles rompen PostgreSQL y los libros de Excel.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ENTERO = re.compile(r"[+-]?\d{1,10}")


class DatoInvalido(OperacionRechazada):
    """Un dato que la columna o el dominio no admiten. Nada se guardó."""


def leer_entero(valor) -> int | None:
    """Un id, un año o un número de página. None si está vacío; ValueError si no cabe en un `integer`."""
    if valor is None or (isinstance(valor, str) and not valor.strip()):
        return None
    if isinstance(valor, bool):
        raise ValueError(valor)
    texto = str(valor).strip()
    if not ENTERO.fullmatch(texto) or abs(int(texto)) > ENTERO_MAXIMO:
        raise ValueError(valor)
    return int(texto)


def limite_cifra(tipo: sa.Numeric) -> Decimal:
    """El primer valor que una columna Numeric(p, s) ya no guarda: 10^(p−s)."""
    return Decimal(10) ** ((tipo.precision or 18) - (tipo.scale or 0))


def texto_con_control(texto: str) -> bool:
    return bool(CONTROL.search(texto))


def _etiqueta(columna: str) -> str:
    return columna.replace("_", " ")


def _revisar_valor(columna: sa.Column, valor) -> None:
    tipo = columna.type
    nombre = _etiqueta(columna.key)
    if isinstance(valor, str):
        if texto_con_control(valor):
            raise DatoInvalido(f"«{nombre}» tiene caracteres de control (como los que deja copiar de otro "
                               "programa): bórrelos y vuelva a escribir el texto.")
        maximo = getattr(tipo, "length", None) or TEXTO_MAXIMO
        if len(valor) > maximo:
            raise DatoInvalido(f"«{nombre}» admite hasta {maximo:,} caracteres; tiene {len(valor):,}."
                               .replace(",", "."))
    elif isinstance(tipo, sa.Numeric) and isinstance(valor, (Decimal, float, int)) and not isinstance(valor, bool):
        limite = limite_cifra(tipo)
        finito = valor.is_finite() if isinstance(valor, Decimal) else math.isfinite(valor)
        if not finito or abs(Decimal(valor)) >= limite:
            raise DatoInvalido(f"«{nombre}» debe ser un número menor que {limite:,.0f}.".replace(",", "."))
    elif isinstance(tipo, sa.Integer) and isinstance(valor, int) and not isinstance(valor, bool):
        if abs(valor) > ENTERO_MAXIMO:
            raise DatoInvalido(f"«{nombre}» es un número demasiado grande.")


def revisar_fila(objeto) -> None:
    """Cada columna nueva o cambiada de la fila, contra lo que su tipo guarda y las páginas muestran."""
    estado = sa.inspect(objeto)
    for atributo in estado.mapper.column_attrs:
        columna = atributo.columns[0]
        if not isinstance(columna, sa.Column) or isinstance(columna.type, sa.JSON):
            continue
        if estado.persistent and not estado.attrs[atributo.key].history.has_changes():
            continue
        _revisar_valor(columna, getattr(objeto, atributo.key))


def revisar_sesion(session: Session, contexto, instancias) -> None:
    """before_flush (lo registra gestion.eventos): cada fila nueva o editada, antes de que la base la vea."""
    for objeto in list(session.new) + list(session.dirty):
        revisar_fila(objeto)


def revisar_peticion() -> None:
    """Antes de cualquier vista: sin caracteres de control en la ruta, la consulta ni el formulario, y sin
    campos más largos que el texto más largo que se guarda."""
    if texto_con_control(request.path):
        raise DatoInvalido("La dirección tiene caracteres no válidos.")
    for origen in (request.args, request.form):
        for clave, valor in origen.items(multi=True):
            if texto_con_control(clave) or texto_con_control(valor):
                raise DatoInvalido("El formulario tiene caracteres de control (como los que deja copiar de "
                                   "otro programa): bórrelos y vuelva a enviarlo.")
            if len(valor) > TEXTO_MAXIMO:
                raise DatoInvalido(f"Un campo admite hasta {TEXTO_MAXIMO:,} caracteres.".replace(",", "."))


class EnteroAcotado(IntegerConverter):
    """`<int:id>` que no pasa del `integer` de la base: un id más grande es un 404, no un error."""

    def __init__(self, mapa, *args, **kwargs):
        kwargs.setdefault("max", ENTERO_MAXIMO)
        super().__init__(mapa, *args, **kwargs)


def activar(app) -> None:
    app.url_map.converters["int"] = EnteroAcotado
    app.before_request(revisar_peticion)
