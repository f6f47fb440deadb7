"""Lo que las páginas de seguimiento leen de la URL o del formulario: enteros acotados, el objeto pedido y
el periodo (vigencia y trimestre) que se mira."""
from functools import lru_cache

import sqlalchemy as sa
from flask import abort, request

from gestion.base import validacion
from gestion.seguimiento import cifras
from modelos import Vigencia, db


def entero(nombre: str, fuente=None) -> int | None:
    """El entero del campo `nombre`; None si falta, no es un número o no cabe en la base."""
    try:
        return validacion.leer_entero((fuente or request.values).get(nombre, ""))
    except ValueError:
        return None


def obtener(modelo, clave):
    objeto = db.session.get(modelo, clave) if clave is not None else None
    if objeto is None:
        abort(404)
    return objeto


@lru_cache(maxsize=1)
def _consulta_vigencia():
    """La vigencia del «anio», armada una vez: cada página de seguimiento la busca."""
    return sa.select(Vigencia).where(Vigencia.anio == sa.bindparam("anio"))


def vigencia_y_trimestre():
    """La vigencia y el trimestre pedidos en la URL, o los del último trimestre reportado (que se busca solo si
    falta alguno: es una consulta sobre los reportes)."""
    anio = entero("vigencia")
    vigencia = db.session.scalar(_consulta_vigencia(), {"anio": anio}) if anio else None
    trimestre = entero("trimestre")
    if vigencia is None or trimestre not in (1, 2, 3, 4):
        vigencia_defecto, trimestre_defecto = cifras.periodo_por_defecto()
        vigencia = vigencia or vigencia_defecto
        if trimestre not in (1, 2, 3, 4):
            trimestre = trimestre_defecto
    return vigencia, trimestre
