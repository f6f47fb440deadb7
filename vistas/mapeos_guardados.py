"""Los pasos de un libro propio iguales en cada flujo (actividades, avances, estructura, metas de las DT, varias
dependencias, historia): subir el libro, y el paso de las columnas con mapeos guardados: el mapeo elegido en el
formulario, el guardado («Usar este mapeo», o el encontrado por la huella de los títulos) o la sugerencia; con el
aviso de un guardado que no encaja."""
from collections.abc import Callable

from flask import request

from gestion.base import archivos
from gestion.base.archivos import ArchivoRechazado, ArchivoSubido
from gestion.importacion import mapeo as generico
from modelos import MapeoColumnas

from .descargas import guardar_temporal
from .parametros import entero

ELIJA_EL_LIBRO = "Elija el libro de Excel (.xlsx) de la oficina."


def subir_libro(falta: str = ELIJA_EL_LIBRO) -> str:
    """El libro propio del formulario, validado y abierto una vez (que se deje leer) antes de guardarlo un rato para
    los pasos siguientes: su clave. Si no, `ArchivoRechazado` o `ImportacionRechazada` con el porqué en español."""
    archivo = ArchivoSubido.de_formulario(request.files.get("archivo"))
    if archivo is None:
        raise ArchivoRechazado(falta)
    archivos.validar(archivo, {"xlsx"}, "Libro de Excel")
    generico.hojas(archivo.contenido)
    return guardar_temporal(archivo.contenido, archivo.nombre)


def elegido(mapeos: list[MapeoColumnas], firmas: set[str]) -> MapeoColumnas | None:
    """El que se eligió en la lista; si no se eligió ninguno, el guardado para un libro con los mismos títulos."""
    pedido = request.values.get("mapeo")
    if pedido is not None:
        return next((m for m in mapeos if str(m.id) == pedido), None)
    if "elegidas" in request.values:
        return None
    return next((m for m in mapeos if m.firma in firmas), None)


def pedido(contenido: bytes, hojas: list[str], guardado: MapeoColumnas | None, campos, sugerir: Callable,
           del_guardado: Callable | None = None):
    """(mapeo, títulos de la fila, sugerencia, avisos). `sugerir(hoja, fila)` da la sugerencia del flujo;
    `del_guardado(guardado, títulos)` lleva las columnas guardadas a este libro (por defecto, las que tiene)."""
    # «Usar este mapeo»: manda el guardado (hoja, fila y columnas), no lo que el formulario traía elegido.
    usar_guardado = guardado is not None and "usar_mapeo" in request.values
    hoja = (guardado.hoja if usar_guardado else request.values.get("hoja")) or (
        guardado.hoja if guardado else hojas[0])
    avisos = []
    if hoja not in hojas:
        if guardado is not None and hoja == guardado.hoja:
            avisos.append(f"El mapeo «{guardado.nombre}» es de la hoja «{hoja}», que este libro no tiene.")
        hoja = hojas[0]
    fila_guardada = guardado.fila_encabezado if guardado is not None and guardado.hoja == hoja else None
    fila = entero("fila")
    if usar_guardado and fila_guardada or not (fila and fila > 0):
        fila = fila_guardada or generico.sugerir_fila(contenido, hoja)
    titulos = [t for t in generico.titulos(contenido, hoja, fila) if t]
    sugerencia = None
    if "elegidas" in request.values and not usar_guardado:
        columnas = {c.nombre: request.values[f"col_{c.nombre}"] for c in campos
                    if request.values.get(f"col_{c.nombre}") in titulos}
    elif guardado is not None:
        nombres = {c.nombre for c in campos}  # un campo que este destino no tiene (la meta de otro año) no cuenta
        columnas = {a: t for a, t in (del_guardado(guardado, titulos) if del_guardado is not None
                                      else {a: t for a, t in guardado.columnas.items() if t in titulos}).items()
                    if a in nombres}
        avisos += filter(None, [generico.faltantes(guardado, hoja, fila, columnas, nombres)])
    else:
        sugerencia = sugerir(hoja, fila)
        columnas = sugerencia.columnas
    escalas, decimales = elecciones(columnas, guardado if usar_guardado or "elegidas" not in request.values else None)
    return generico.Mapeo(hoja, fila, columnas, escalas, decimales), titulos, sugerencia, avisos


def elecciones(columnas: dict, guardado: MapeoColumnas | None) -> tuple[dict, dict]:
    """La escala y el separador decimal que el usuario eligió por columna (o los del mapeo guardado); un botón
    de la vista previa cambia uno: «cambiar_escala=meta_anual:100»."""
    opciones = (guardado.opciones or {}) if guardado is not None else {}
    escalas = {a: int(v) for a, v in (opciones.get("escalas") or {}).items() if a in columnas and v in (1, 100)}
    decimales = {a: v for a, v in (opciones.get("decimales") or {}).items() if a in columnas and v in ",."}
    for atributo in columnas:
        if request.values.get(f"escala_{atributo}") in ("1", "100"):
            escalas[atributo] = int(request.values[f"escala_{atributo}"])
        if request.values.get(f"decimal_{atributo}") in (",", "."):
            decimales[atributo] = request.values[f"decimal_{atributo}"]
    atributo, _, valor = request.values.get("cambiar_escala", "").partition(":")
    if atributo in columnas and valor in ("1", "100"):
        escalas[atributo] = int(valor)
    atributo, _, valor = request.values.get("cambiar_decimal", "").partition(":")
    if atributo in columnas and valor in (",", "."):
        decimales[atributo] = valor
    return escalas, decimales
