"""La plantilla de actividades de un Plan de Acción (actividad 10): sus actividades actuales y los códigos
válidos. Las columnas son el contrato con `gestion.importacion.actividades`, que lee lo que vuelve."""
from itertools import zip_longest

from openpyxl.utils import get_column_letter

from gestion.excel.libro import Columna, Hoja, Validacion, construir, instrucciones
from gestion.planes import campos
from gestion.planes.campos import OPCION, REFERENCIA, VARIAS, Campo
from gestion.planes.consultas import Catalogos
from modelos import Actividad, Plan

HOJA = "Actividades"

# Las columnas que se cargan: los campos importados del registro, en su orden.
CAMPOS = campos.IMPORTADOS
# Opcionales al cargar: un libro sin estas columnas deja la marca territorial y las DT como estaban.
TERRITORIAL = campos.POR_NOMBRE["territorial"]
DIRECCIONES = Campo("direcciones", "Direcciones Territoriales", ancho=30)  # las metas territoriales de la fila
TERRITORIALES = (TERRITORIAL, DIRECCIONES)
INDICE = {c.etiqueta: i for i, c in enumerate(CAMPOS + TERRITORIALES)}
LISTA_OBJETIVO, LISTA_POLITICA, LISTA_UNIDAD, LISTA_PROYECTO = (
    campos.POR_NOMBRE[n].etiqueta for n in ("objetivo", "politica", "unidad", "proyecto"))
LISTA_DIRECCION = "Dirección Territorial"
LISTA_PLANES = campos.POR_NOMBRE["planes_institucionales"].etiqueta
# La lista de cada campo que se elige de un catálogo: la que lleva su etiqueta.
LISTA_DE_CAMPO = {c.etiqueta: c.etiqueta for c in CAMPOS if c.tipo == REFERENCIA}
# Los que citan varios códigos de un catálogo, separados por coma: sin lista desplegable (elige uno solo).
VARIOS_DE_CAMPO = [c.etiqueta for c in CAMPOS if c.tipo == VARIAS]
# Los que se eligen entre las opciones de un enum (la tendencia): lista desplegable con sus etiquetas.
OPCIONES_DE_CAMPO = [c for c in CAMPOS if c.tipo == OPCION]


def nombre_archivo(plan: Plan) -> str:
    return f"actividades-{plan.dependencia.codigo}-{plan.vigencia.anio}.xlsx"


def _fila(actividad: Actividad) -> list:
    return [*(c.en_plantilla(actividad) for c in CAMPOS), TERRITORIAL.en_plantilla(actividad),
            ", ".join(sorted(m.dependencia.codigo for m in actividad.metas_territoriales))]


def _listas(validos: Catalogos) -> tuple[Hoja, dict[str, str]]:
    """La hoja «Listas» (código y nombre de cada catálogo, en columnas) y el rango de códigos de cada campo."""
    catalogos = [(LISTA_OBJETIVO, [(c, o.nombre) for c, o in validos.objetivos.items()]),
                 (LISTA_POLITICA, [(c, p.nombre) for c, p in validos.politicas.items()]),
                 (LISTA_UNIDAD, [(c, u.nombre) for c, u in validos.unidades.items()]),
                 (LISTA_PROYECTO, [(c, p.nombre) for c, p in validos.proyectos.items()]),
                 (LISTA_DIRECCION, [(c, d.nombre) for c, d in validos.direcciones.items()]),
                 (LISTA_PLANES, [(c, p.nombre) for c, p in validos.planes_institucionales.items()])]
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
    f"3. {', '.join(LISTA_DE_CAMPO)} y {TERRITORIAL.etiqueta} se eligen de la lista desplegable; los nombres de "
    "cada código están en la hoja «Listas».",
    f"   {', '.join(VARIOS_DE_CAMPO)}: los códigos de la hoja «Listas» de cada plan al que aporta la actividad, "
    "separados por coma (por ejemplo PAAC, PETI); vacío si no integra ninguno.",
    "4. Metas: números sin unidades (140, 1.200,5). Las metas trimestrales deben sumar la meta anual.",
    "   Tendencia: Creciente (lo de siempre, más es mejor), Decreciente (menos es mejor, como un tiempo de respuesta) "
    "o Constante (se mantiene). En una decreciente o constante cada meta trimestral es el nivel al que se debe "
    "llegar en ese trimestre y la meta anual es la del último trimestre; vacía, Creciente.",
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
    validaciones.append(Validacion(INDICE[TERRITORIAL.etiqueta], '"Sí,No"', "Escriba Sí o No."))
    validaciones += [Validacion(INDICE[c.etiqueta], '"' + ",".join(o.etiqueta for o in c.opciones) + '"',
                                f"Escriba {', '.join(o.etiqueta for o in c.opciones)}.") for c in OPCIONES_DE_CAMPO]
    validaciones += [Validacion(INDICE[c.etiqueta], None, "Escriba un número mayor o igual a cero.")
                     for c in CAMPOS if c.numerico]
    actividades = Hoja(HOJA, [Columna(c.etiqueta, c.ancho, c.formato_excel) for c in CAMPOS + TERRITORIALES],
                       [_fila(a) for a in plan.actividades], editable=True, validaciones=validaciones)
    return construir([actividades, listas, instrucciones(INSTRUCCIONES)])
