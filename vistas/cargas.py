"""Carga de un libro con vuelta de errores: si se rechaza por filas, el usuario recibe su propio archivo con
cada celda equivocada marcada, además de la lista en la página."""
from dataclasses import dataclass, field

from gestion.importacion.errores import libro_con_errores
from gestion.importacion.lectura import ErrorFila, ImportacionRechazada

from .descargas import guardar_temporal
from .operaciones import cargar_libro


@dataclass
class Resultado:
    hecha: bool
    errores: list[str] = field(default_factory=list)
    detalle: list[ErrorFila] = field(default_factory=list)
    hoja: str | None = None
    descarga: str | None = None  # clave de `descargas.descargar`


def cargar_con_errores(importar, exito, nombre: str, hoja: str | None = None) -> Resultado:
    """`cargar_libro` (todo o nada, un commit) y, si el libro tenía errores de filas, el libro marcado."""
    resultado = Resultado(False)

    def importar_y_marcar(contenido):
        try:
            return importar(contenido)
        except ImportacionRechazada as rechazo:
            if rechazo.detalle and len(rechazo.detalle) == len(rechazo.errores):
                marcado, resultado.hoja = libro_con_errores(contenido, rechazo.detalle, hoja)
                resultado.detalle = rechazo.detalle
                resultado.descarga = guardar_temporal(marcado, f"errores-{nombre}")
            raise

    resultado.hecha, resultado.errores = cargar_libro(importar_y_marcar, exito)
    return resultado
