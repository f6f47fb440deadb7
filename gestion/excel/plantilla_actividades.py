"""La plantilla de actividades de un Plan de Acción (actividad 10): sus actividades actuales y los códigos
válidos. Las columnas son el contrato con `gestion.importacion.actividades`, que lee lo que vuelve."""
from dataclasses import dataclass
from itertools import zip_longest

from openpyxl.utils import get_column_letter

from gestion.excel.libro import (FORMATO_PESOS, FORMATO_PORCENTAJE, Columna, Hoja, Validacion, construir, fraccion,
                                 instrucciones)
from gestion.planes.consultas import Catalogos
from modelos import Actividad, Plan

HOJA = "Actividades"


@dataclass(frozen=True)
class Campo:
    titulo: str
    atributo: str
    ancho: int = 14
    formato: str | None = None


CAMPOS = (
    Campo("Código", "codigo", 10), Campo("Descripción", "descripcion", 60),
    Campo("Objetivo PEI", "objetivo", 14), Campo("Política MIPG", "politica", 14),
    Campo("Indicador", "indicador", 40), Campo("Fórmula", "formula", 40), Campo("Unidad", "unidad", 10),
    Campo("Meta anual", "meta_anual", 12), Campo("Meta T1", "meta_t1", 10), Campo("Meta T2", "meta_t2", 10),
    Campo("Meta T3", "meta_t3", 10), Campo("Meta T4", "meta_t4", 10),
    Campo("Peso %", "peso", 10, FORMATO_PORCENTAJE),
    Campo("Fecha inicio", "fecha_inicio", 13), Campo("Fecha fin", "fecha_fin", 13),
    Campo("Presupuesto", "presupuesto", 18, FORMATO_PESOS), Campo("BPIN proyecto", "proyecto", 16),
    Campo("Responsable", "responsable", 30),
)
CANTIDADES = ("meta_anual", "meta_t1", "meta_t2", "meta_t3", "meta_t4")
# Opcionales al cargar: un libro sin estas columnas deja la marca territorial y las DT como estaban.
TERRITORIAL = Campo("Territorial", "territorial", 12)
DIRECCIONES = Campo("Direcciones Territoriales", "direcciones", 30)
TERRITORIALES = (TERRITORIAL, DIRECCIONES)
INDICE = {c.titulo: i for i, c in enumerate(CAMPOS + TERRITORIALES)}
LISTA_OBJETIVO, LISTA_POLITICA, LISTA_UNIDAD = "Objetivo PEI", "Política MIPG", "Unidad"
LISTA_PROYECTO, LISTA_DIRECCION = "BPIN proyecto", "Dirección Territorial"
LISTA_DE_CAMPO = {"Objetivo PEI": LISTA_OBJETIVO, "Política MIPG": LISTA_POLITICA, "Unidad": LISTA_UNIDAD,
                  "BPIN proyecto": LISTA_PROYECTO}


def nombre_archivo(plan: Plan) -> str:
    return f"actividades-{plan.dependencia.codigo}-{plan.vigencia.anio}.xlsx"


def _fila(actividad: Actividad) -> list:
    return [actividad.codigo, actividad.descripcion,
            actividad.objetivo.codigo if actividad.objetivo else None,
            actividad.politica.codigo if actividad.politica else None,
            actividad.indicador, actividad.formula, actividad.unidad.codigo if actividad.unidad else None,
            *(getattr(actividad, c) for c in CANTIDADES), fraccion(actividad.peso), actividad.fecha_inicio,
            actividad.fecha_fin, actividad.presupuesto, actividad.proyecto.bpin if actividad.proyecto else None,
            actividad.responsable, "Sí" if actividad.territorial else "No",
            ", ".join(sorted(m.dependencia.codigo for m in actividad.metas_territoriales))]


def _listas(validos: Catalogos) -> tuple[Hoja, dict[str, str]]:
    """La hoja «Listas» (código y nombre de cada catálogo, en columnas) y el rango de códigos de cada campo."""
    catalogos = [(LISTA_OBJETIVO, [(c, o.nombre) for c, o in validos.objetivos.items()]),
                 (LISTA_POLITICA, [(c, p.nombre) for c, p in validos.politicas.items()]),
                 (LISTA_UNIDAD, [(c, u.nombre) for c, u in validos.unidades.items()]),
                 (LISTA_PROYECTO, [(c, p.nombre) for c, p in validos.proyectos.items()]),
                 (LISTA_DIRECCION, [(c, d.nombre) for c, d in validos.direcciones.items()])]
    columnas, rangos = [], {}
    for indice, (titulo, opciones) in enumerate(catalogos):
        columnas += [Columna(titulo, 16), Columna(f"{titulo}: nombre", 50)]
        if opciones:
            letra = get_column_letter(2 * indice + 1)
            rangos[titulo] = f"Listas!${letra}$2:${letra}${len(opciones) + 1}"
    filas = [[v for par in fila for v in (par or (None, None))]
             for fila in zip_longest(*(opciones for _, opciones in catalogos))]
    return Hoja("Listas", columnas, filas), rangos


INSTRUCCIONES = [
    "Cómo diligenciar la plantilla de actividades del Plan de Acción",
    "1. Una fila por actividad en la hoja «Actividades». Los títulos de la fila 1 están protegidos: no los cambie.",
    "2. El código identifica la actividad: una fila con un código que ya existe la actualiza; un código nuevo la "
    "crea; una actividad cuyo código ya no está en el archivo se borra (la página de carga lo informa).",
    "3. Objetivo PEI, Política MIPG, Unidad, BPIN proyecto y Territorial se eligen de la lista desplegable; los "
    "nombres de cada código están en la hoja «Listas».",
    "4. Metas: números sin unidades (140, 1.200,5). Las metas trimestrales deben sumar la meta anual.",
    "5. Peso: porcentaje del plan (25 %); los pesos de todas las actividades suman 100 %.",
    "6. Fechas: dd/mm/aaaa, dentro de la vigencia. Presupuesto: en pesos, con centavos si los hay.",
    "7. Actividad territorial: marque «Sí» y escriba en «Direcciones Territoriales» los códigos de las que la "
    "ejecutan, separados por coma (por ejemplo DT05, DT08). Cada Dirección Territorial fija después sus metas.",
    "8. Si una sola fila tiene un error no se carga nada: la aplicación le devuelve este mismo libro con cada "
    "celda equivocada marcada y su mensaje.",
    "La hoja se imprime horizontal, ajustada al ancho de la página y con los títulos en cada hoja.",
]


def libro(plan: Plan, validos: Catalogos) -> bytes:
    """El libro para formular o corregir el plan: sus actividades actuales, listas desplegables con los
    códigos válidos, títulos protegidos e instrucciones."""
    listas, rangos = _listas(validos)
    validaciones = [Validacion(INDICE[titulo], rangos[lista], f"Elija un código de la hoja «Listas» ({lista}).")
                    for titulo, lista in LISTA_DE_CAMPO.items() if lista in rangos]
    validaciones.append(Validacion(INDICE[TERRITORIAL.titulo], '"Sí,No"', "Escriba Sí o No."))
    validaciones += [Validacion(INDICE[c.titulo], None, "Escriba un número mayor o igual a cero.")
                     for c in CAMPOS if c.atributo in CANTIDADES + ("peso", "presupuesto")]
    actividades = Hoja(HOJA, [Columna(c.titulo, c.ancho, c.formato) for c in CAMPOS + TERRITORIALES],
                       [_fila(a) for a in plan.actividades], editable=True, validaciones=validaciones)
    return construir([actividades, listas, instrucciones(INSTRUCCIONES)])
