"""La plantilla de metas trimestrales de una Dirección Territorial: una fila por actividad territorial que
le asignaron, con sus metas actuales. Las columnas son el contrato con `gestion.importacion.metas_territoriales`."""
from gestion.excel.libro import FORMATO_NUMERO, Columna, Hoja, Validacion, construir, instrucciones
from gestion.planes.campos import META_TERRITORIAL, POR_NOMBRE
from modelos import MetaTerritorial

PLAN, CODIGO, ACTIVIDAD = "Dependencia del plan", POR_NOMBRE["codigo"].etiqueta, "Actividad"
UNIDAD, META_ANUAL = POR_NOMBRE["unidad"].etiqueta, POR_NOMBRE["meta_anual"].etiqueta
TRIMESTRES = tuple(c.etiqueta for c in META_TERRITORIAL)
HOJA, HOJA_DATOS = "Metas", "Datos"
DIRECCION, VIGENCIA = "Dirección Territorial", "Vigencia"
COLUMNAS = [Columna(PLAN, 14), Columna(CODIGO, 10), Columna(ACTIVIDAD, 60), Columna(UNIDAD, 12),
            Columna(META_ANUAL, 12, FORMATO_NUMERO), *(Columna(t, 11, FORMATO_NUMERO) for t in TRIMESTRES)]
INSTRUCCIONES = [
    "Cómo diligenciar las metas trimestrales de la Dirección Territorial",
    "1. Una fila por actividad territorial que la dependencia central le asignó; no agregue filas.",
    "2. Escriba solo las metas de cada trimestre (números mayores o iguales a cero, sin unidades): las demás "
    "columnas son informativas y están protegidas. La meta anual es la de la actividad en todo el país.",
    "3. Se cargan las metas de los planes que aún están en formulación; un plan enviado o aprobado ya no cambia.",
    "4. Si una sola fila tiene un error no se carga nada y se listan todos los errores con su fila.",
]


def nombre_archivo(direccion, vigencia) -> str:
    return f"metas-{direccion.codigo}-{vigencia.anio}.xlsx"


def libro(direccion, vigencia, metas: list[MetaTerritorial]) -> bytes:
    filas = [[m.actividad.plan.dependencia.codigo, m.actividad.codigo, m.actividad.descripcion,
              m.actividad.unidad.codigo if m.actividad.unidad else None, m.actividad.meta_anual,
              *m.metas_trimestrales] for m in metas]
    numeros = [Validacion(i, None, "Escriba un número mayor o igual a cero.") for i in range(5, 9)]
    return construir([
        Hoja(HOJA, COLUMNAS, filas, editable=True, bloqueadas=frozenset(range(5)), validaciones=numeros),
        Hoja(HOJA_DATOS, [Columna("Dato", 24), Columna("Valor", 60)],
             [[DIRECCION, direccion.codigo], ["Nombre", direccion.nombre], [VIGENCIA, vigencia.anio]]),
        instrucciones(INSTRUCCIONES),
    ])
