"""La tabla de actividades de la ficha del plan, con cada celda ya formateada: la plantilla solo la recorre.
Con `c.texto(a)` y `url_for` en cada celda y fila, Jinja hacía ~1.700 llamadas por plan de 88 actividades y pintar
la tabla era un tercio de la CPU de la ficha; lo que se ve es lo mismo (las etiquetas y el formato de
`gestion.planes.campos`)."""
from dataclasses import dataclass

from gestion.base import formato
from gestion.planes import campos

from .enlaces_de_fila import url_de_fila


@dataclass(slots=True)
class MetasDeDireccion:
    nombre: str  # la Dirección Territorial
    metas: list[str]  # una por trimestre
    total: str


@dataclass(slots=True)
class FilaDeActividad:
    celdas: list[tuple[bool, str, bool]]  # (numérica, texto, lleva la insignia «Territorial»), por campos.FICHA
    url_editar: str | None
    territorial: bool
    metas: list[MetasDeDireccion]  # por código de la DT
    totales_metas: list[str]  # las metas de las DT sumadas por trimestre ([] sin DT)
    total_metas: str


@dataclass(slots=True)
class TablaDeActividades:
    filas: list[FilaDeActividad]
    totales: list[tuple[bool, str]]  # (sumada, texto) por campos.FICHA; la primera dice «Total»


def _metas(actividad) -> tuple[list[MetasDeDireccion], list[str], str]:
    metas = sorted(actividad.metas_territoriales, key=lambda m: m.dependencia.codigo)
    por_direccion = [MetasDeDireccion(m.dependencia.nombre, [c.texto(m) for c in campos.META_TERRITORIAL],
                                      formato.cantidad(m.total)) for m in metas]
    if not metas:
        return por_direccion, [], ""
    totales = [c.formatear(sum(c.valor(m) for m in metas)) for c in campos.META_TERRITORIAL]
    return por_direccion, totales, formato.cantidad(sum(m.total for m in metas))


def armar_tabla(vista, actividades, con_editar: bool, volver: str) -> TablaDeActividades:
    """Las filas de `actividades` (con sus metas por DT) y los totales del pie; `con_editar`, el enlace de editar
    de cada una, que vuelve a `volver`."""
    # Lo de cada columna, una vez: por celda solo se lee y se formatea el valor (`Campo.texto`, sin formatear el vacío).
    columnas = [(c.nombre, c.formatear, c.numerico, c.nombre == "descripcion") for c in campos.FICHA]
    filas = []
    for a in actividades:
        territorial = a.territorial
        celdas = []
        for nombre, formatear, numerica, descripcion in columnas:
            valor = getattr(a, nombre)
            celdas.append((numerica, "—" if valor is None else formatear(valor) or "—", descripcion and territorial))
        metas, totales_metas, total_metas = _metas(a) if territorial else ([], [], "")
        filas.append(FilaDeActividad(
            celdas, url_de_fila(vista, "actividad.edit_view", a.id, url=volver) if con_editar else None,
            territorial, metas, totales_metas, total_metas))
    totales = [(c.total, "Total" if i == 0 else c.formatear(sum(c.valor(a) for a in actividades)) if c.total else "")
               for i, c in enumerate(campos.FICHA)]
    return TablaDeActividades(filas, totales)
