"""Operaciones en bloque: cada objeto en su propio savepoint y un resultado por objeto.

Un objeto rechazado se omite con su razón y no queda a medias; los demás siguen. Nunca hace commit:
lo hace el borde, una vez, y luego informa objeto por objeto.
"""
from dataclasses import dataclass
from typing import Callable, Iterable

from gestion.base.errores import OperacionRechazada
from modelos import db


@dataclass(frozen=True)
class Resultado:
    """Lo que pasó con un objeto en una operación en bloque: hecho, u omitido con su razón."""

    objeto: object
    hecho: bool
    mensaje: str


def _razon(objeto, error: OperacionRechazada) -> str:
    # Los mensajes de flujo ya nombran el objeto («…» está …); los demás se prefijan con él.
    nombre, motivo = str(objeto), str(error)
    return motivo if nombre in motivo else f"«{nombre}»: {motivo}"


def en_bloque(objetos: Iterable, operacion: Callable[[object], object], exito: str) -> list[Resultado]:
    """Aplica `operacion` a cada objeto; `exito` dice qué quedó hecho («aprobado», «ventana cerrada»)."""
    resultados = []
    for objeto in objetos:
        try:
            with db.session.begin_nested():
                operacion(objeto)
        except OperacionRechazada as error:
            resultados.append(Resultado(objeto, False, _razon(objeto, error)))
        else:
            resultados.append(Resultado(objeto, True, f"«{objeto}»: {exito}."))
    return resultados
