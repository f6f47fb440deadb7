"""El borde de una operación: un commit por petición y, después, el correo que la operación encoló.

Una sola operación se escribe `with operacion("«…» quedó aprobado."): servicio.aprobar(...)`: si el servicio
la rechaza (`OperacionRechazada`) se deshace todo, se descarta el correo y se muestra la razón; si no, se
confirma y se muestra el éxito. Las operaciones en bloque informan objeto por objeto con `informar`.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import flash, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from gestion.base import archivos, auditoria, correo
from gestion.base.archivos import ArchivoRechazado, ArchivoSubido
from gestion.base.errores import MENSAJE_CONFLICTO, MENSAJE_REPETIDO, EdicionConcurrente, ErroresDeFilas, OperacionRechazada
from gestion.base.formato import leer_fecha
from gestion.base.lote import Resultado
from gestion.importacion.lectura import ImportacionRechazada
from modelos import db


def fecha_del_formulario(campo: str) -> date | None:
    """La fecha de un campo del formulario (dd/mm/aaaa o la del selector del navegador); None si no hay
    una válida: el servicio decide si la fecha es obligatoria y lo dice en su mensaje."""
    try:
        return leer_fecha(request.form.get(campo))
    except ValueError:
        return None


# Un mensaje viaja en la cookie de la sesión, que el navegador descarta sin avisar pasados 4 KB: los servicios
# resumen sus listas largas (y dicen dónde está la lista entera); esto es el tope de lo que se cuele.
MENSAJE_MAXIMO = 1_500


def acotado(mensaje: str) -> str:
    if len(mensaje) <= MENSAJE_MAXIMO:
        return mensaje
    return mensaje[:MENSAJE_MAXIMO - 40].rstrip() + " … (mensaje resumido)"


def confirmar(mensaje: str | None = None) -> None:
    """Un commit por petición y, después, los correos que la operación encoló y los archivos que retiró."""
    db.session.commit()
    archivos.borrar_retirados()
    correo.enviar_pendientes()
    if mensaje:
        flash(acotado(mensaje), "success")


def deshacer(error: Exception) -> None:
    """Deshace todo lo de la operación (base, archivos nuevos, correo en cola) y dice por qué."""
    db.session.rollback()
    archivos.descartar_nuevos()
    correo.descartar_pendientes()
    flash(acotado(mensaje_de(error)), "error")
    if isinstance(error, ErroresDeFilas):
        for detalle in error.errores:
            flash(acotado(detalle), "error")


def mensaje_de(error: Exception) -> str:
    """Lo que el usuario lee cuando la operación no se hizo: la razón del servicio, o la del conflicto con
    lo que otro guardó antes; nunca el texto de la base de datos."""
    if isinstance(error, StaleDataError):
        return MENSAJE_CONFLICTO
    if isinstance(error, IntegrityError):
        return MENSAJE_REPETIDO
    return str(error)


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
    error: Exception | None = None

    @property
    def conflicto(self) -> bool:
        """Se rechazó por un choque con otro editor: la página debe mostrar lo vigente, no lo enviado."""
        return (isinstance(self.error, (EdicionConcurrente, StaleDataError))
                or getattr(self.error, "conflicto", False))


@contextmanager
def operacion(exito: str | None = None):
    desenlace = Desenlace(exito)
    try:
        yield desenlace
        confirmar(desenlace.exito)
    except (OperacionRechazada, StaleDataError, IntegrityError) as error:
        # Perder la carrera de una transición o repetir un registro ya guardado es un mensaje, no un fallo.
        desenlace.error = error
        deshacer(error)
    else:
        desenlace.hecha = True


def cargar_libro(importar, exito, libro: ArchivoSubido | None = None) -> tuple[bool, list[str]]:
    """El .xlsx del campo «archivo» (o `libro`, el que se subió antes de confirmar) pasa a `importar(contenido)`,
    todo o nada; `exito(lo que devolvió)` es el mensaje para el usuario, que queda también en el evento de
    auditoría de la importación.

    Devuelve si quedó hecha y, si el libro tenía errores, la lista de ellos con su fila."""
    errores = []
    with operacion() as desenlace:
        archivo = libro or ArchivoSubido.de_formulario(request.files.get("archivo"))
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
        # Cada fila queda en la auditoría por su lado; esto dice de qué libro vinieron y qué dejó.
        auditoria.registrar_evento("importar", request.endpoint, request.values.get("id"),
                                   {"archivo": archivo.nombre, "resultado": desenlace.exito})
    return desenlace.hecha, errores
