"""El borde de una operación: un commit por petición y, después, el correo que la operación encoló.

Una sola operación se escribe `with operacion("«…» quedó aprobado."): servicio.aprobar(...)`: si el servicio
la rechaza (`OperacionRechazada`) se deshace todo, se descarta el correo y se muestra la razón; si no, se
confirma y se muestra el éxito. Las operaciones en bloque informan objeto por objeto con `informar`.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import flash, request

from gestion import archivos, correo
from gestion.archivos import ArchivoRechazado, ArchivoSubido
from gestion.errores import OperacionRechazada
from gestion.importacion.lectura import ImportacionRechazada
from gestion.formato import leer_fecha
from gestion.lote import Resultado
from modelos import db


def fecha_del_formulario(campo: str) -> date | None:
    """La fecha de un campo del formulario (dd/mm/aaaa o la del selector del navegador); None si no hay
    una válida: el servicio decide si la fecha es obligatoria y lo dice en su mensaje."""
    try:
        return leer_fecha(request.form.get(campo))
    except ValueError:
        return None


def confirmar(mensaje: str | None = None) -> None:
    """Un commit por petición y, después, los correos que la operación encoló y los archivos que retiró."""
    db.session.commit()
    archivos.borrar_retirados()
    correo.enviar_pendientes()
    if mensaje:
        flash(mensaje, "success")


def deshacer(error: Exception) -> None:
    db.session.rollback()
    archivos.descartar_nuevos()
    correo.descartar_pendientes()
    flash(str(error), "error")


def informar(resultados: list[Resultado], verbo: str) -> None:
    hechos = sum(1 for r in resultados if r.hecho)
    omitidos = len(resultados) - hechos
    flash(f"{hechos} {verbo}; {omitidos} omitido(s).", "success" if hechos else "warning")
    for r in resultados:
        flash(r.mensaje, "success" if r.hecho else "warning")


@dataclass
class Desenlace:
    """Lo que el bloque `with operacion()` deja ver: el mensaje de éxito (puede fijarse dentro, cuando
    depende de lo que devolvió el servicio) y si quedó hecha, para elegir a dónde volver."""

    exito: str | None = None
    hecha: bool = False


@contextmanager
def operacion(exito: str | None = None):
    desenlace = Desenlace(exito)
    try:
        yield desenlace
    except OperacionRechazada as error:
        deshacer(error)
    else:
        confirmar(desenlace.exito)
        desenlace.hecha = True


def cargar_libro(importar, exito) -> tuple[bool, list[str]]:
    """El .xlsx del campo «archivo» pasa a `importar(contenido) -> cantidad`, todo o nada.

    Devuelve si quedó hecha y, si el libro tenía errores, la lista de ellos con su fila."""
    errores = []
    with operacion() as desenlace:
        archivo = ArchivoSubido.de_formulario(request.files.get("archivo"))
        if archivo is None:
            raise ArchivoRechazado("Elija el libro de Excel (.xlsx) que va a cargar.")
        archivos.validar(archivo, {"xlsx"}, "Libro de Excel")
        try:
            cantidad = importar(archivo.contenido)
        except ImportacionRechazada as error:
            errores = error.errores
            raise OperacionRechazada(f"No se importó nada: el archivo tiene {len(errores)} error(es). "
                                     "Corríjalos y vuelva a cargarlo.") from error
        desenlace.exito = exito(cantidad)
    return desenlace.hecha, errores
