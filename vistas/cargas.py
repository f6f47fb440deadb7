"""Carga de un libro con vuelta de errores: si se rechaza por filas, el usuario recibe su propio archivo con
cada celda equivocada marcada, además de la lista en la página."""
from dataclasses import dataclass, field

from flask import abort, request

from gestion.base import archivos
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import OperacionRechazada
from gestion.importacion.errores import libro_con_errores
from gestion.importacion.lectura import ErrorFila, ImportacionRechazada
from gestion.trabajos import cola

from .descargas import guardar_temporal
from .operaciones import cargar_libro
from .parametros import entero
from .trabajos import lanzar, pagina

# Las cargas que, con más filas que GESTION_TRABAJOS_UMBRAL, van a un trabajo: endpoint → tipo de trabajo
# (gestion.trabajos.tareas.TAREAS). La vista ya comprobó quién carga y qué; el trabajo lo vuelve a comprobar.
EN_TRABAJO = {
    "planes_accion.cargar_actividades": "importar_actividades",
    "reportetrimestral.cargar": "importar_avances",
    "metaterritorial.cargar": "importar_metas_territoriales",
}


@dataclass
class Resultado:
    hecha: bool
    errores: list[str] = field(default_factory=list)
    detalle: list[ErrorFila] = field(default_factory=list)
    hoja: str | None = None
    descarga: str | None = None  # clave de `descargas.descargar`


def cargar_con_errores(importar, exito, nombre: str, hoja: str | None = None, libro: ArchivoSubido | None = None,
                       parametros: dict | None = None) -> Resultado:
    """`cargar_libro` (todo o nada, un commit) y, si el libro tenía errores de filas, el libro marcado. `libro`: el
    guardado antes de confirmar (si no, el del formulario); `parametros`: lo que el trabajo necesita además."""
    _a_trabajo_si_es_grande(nombre, hoja, libro, parametros or {})
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

    resultado.hecha, resultado.errores = cargar_libro(importar_y_marcar, exito, libro)
    return resultado


def _a_trabajo_si_es_grande(nombre: str, hoja: str | None, libro: ArchivoSubido | None, parametros: dict) -> None:
    """Un libro con más filas que el umbral no se carga en la petición: queda en la carpeta de archivos y el
    navegador va a la página del trabajo. Un libro que no se deja leer sigue el camino de siempre (sus errores)."""
    tipo = EN_TRABAJO.get(request.endpoint)
    campo = request.files.get("archivo")
    if tipo is None or (campo is None and libro is None):
        return
    subido = libro or ArchivoSubido.de_formulario(campo)
    if libro is None:
        campo.stream.seek(0)  # cargar_libro lo vuelve a leer si no va a un trabajo
    try:
        if subido is None:
            return
        archivos.validar(subido, {"xlsx"}, "Libro de Excel")
        if not cola.supera_umbral(cola.filas_del_libro(subido.contenido, hoja)):
            return
    except OperacionRechazada:
        return
    objeto_id = entero("id")
    # Las metas de una Dirección Territorial no son de un objeto de la página: su trabajo es de esa dirección.
    dependencia = parametros.pop("dependencia_id", None) or cola.dependencia_de(tipo, objeto_id)
    trabajo = lanzar(tipo, {"objeto_id": objeto_id, "entrada": cola.guardar_entrada(subido.contenido),
                            "nombre": subido.nombre[:150], "hoja": hoja, "endpoint": request.endpoint, **parametros},
                     f"Carga de «{subido.nombre[:150]}» ({nombre.removesuffix('.xlsx')})", dependencia_id=dependencia)
    abort(pagina(trabajo))


def libro_del_formulario() -> ArchivoSubido | None:
    """El .xlsx subido si se deja validar; el campo queda listo para leerlo otra vez. None: la carga dirá por qué."""
    campo = request.files.get("archivo")
    subido = ArchivoSubido.de_formulario(campo)
    if subido is None:
        return None
    campo.stream.seek(0)
    try:
        archivos.validar(subido, {"xlsx"}, "Libro de Excel")
    except OperacionRechazada:
        return None
    return subido


def es_grande(libro: ArchivoSubido, hoja: str | None = None) -> bool:
    """Si el libro va a un trabajo: la petición no lo lee entero (ni para saber qué borraría)."""
    try:
        return cola.supera_umbral(cola.filas_del_libro(libro.contenido, hoja))
    except ImportacionRechazada:
        return False  # no se deja leer: la carga dirá por qué
