"""La plantilla del reporte trimestral (actividad 16): una fila por ítem, con lo ya guardado, y una hoja que
dice de qué reporte es. Las columnas son el contrato con `gestion.importacion.avances`."""
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PESOS, Columna, Hoja, Validacion, construir, instrucciones
from modelos import ReporteTrimestral

CODIGO, ITEM, META = "Código", "Ítem", "Meta del trimestre"
VALOR, CUALITATIVO, JUSTIFICACION = "Valor logrado", "Avance cualitativo", "Justificación"
ENLACE, COMPROMETIDO, PAGADO = "Enlace de evidencia", "Presupuesto comprometido", "Presupuesto pagado"
HOJA_REPORTE = "Reporte"
IDENTIFICADOR = "Identificador del reporte"


def nombre_archivo(reporte: ReporteTrimestral) -> str:
    return (f"avance-{reporte.dependencia.codigo}-{reporte.plan.tipo.value}-{reporte.plan_id}-"
            f"{reporte.vigencia.anio}-T{reporte.trimestre}.xlsx")


INSTRUCCIONES = [
    "Cómo diligenciar el reporte trimestral de avance",
    "1. En la hoja «Avances», una fila por ítem del reporte. Código, Ítem y Meta del trimestre son informativas "
    "y están protegidas: no cambie los códigos ni agregue ítems.",
    "2. Valor logrado y presupuesto comprometido y pagado: números mayores o iguales a cero (1.200,5), "
    "el presupuesto en pesos.",
    "3. La justificación es obligatoria si el valor logrado queda por debajo de la meta del trimestre.",
    "4. El enlace de la evidencia empieza por http:// o https://. Los archivos de evidencia se adjuntan en el "
    "formulario del reporte.",
    "5. Si una sola fila tiene un error no se carga nada y se listan todos los errores con su fila. Cargar no "
    "envía el reporte: revíselo y envíelo a la OAP cuando esté completo.",
]


def libro(reporte: ReporteTrimestral, items: list) -> bytes:
    """`items`: los `ItemReporte` del reporte (gestion.seguimiento.consultas), ya leídos."""
    numeros = [Validacion(i, None, "Escriba un número mayor o igual a cero.") for i in (3, 7, 8)]
    avances = Hoja("Avances", [
        Columna(CODIGO, 10), Columna(ITEM, 50), Columna(META, 16, FORMATO_NUMERO), Columna(VALOR, 16, FORMATO_NUMERO),
        Columna(CUALITATIVO, 50), Columna(JUSTIFICACION, 50), Columna(ENLACE, 40),
        Columna(COMPROMETIDO, 22, FORMATO_PESOS), Columna(PAGADO, 22, FORMATO_PESOS)],
        [[i.codigo, i.item, i.meta, i.valor_logrado, i.avance_cualitativo, i.justificacion, i.evidencia_enlace,
          i.presupuesto_comprometido, i.presupuesto_pagado] for i in items],
        editable=True, bloqueadas=frozenset({0, 1, 2}), validaciones=numeros)
    datos = Hoja(HOJA_REPORTE, [Columna("Dato", 28), Columna("Valor", 90)], [
        ["Plan", str(reporte.plan)],
        ["Dependencia", reporte.dependencia.nombre],
        ["Vigencia y trimestre", f"{reporte.vigencia}, trimestre {reporte.trimestre}"],
        [IDENTIFICADOR, reporte.id],
    ])
    return construir([avances, datos, instrucciones(INSTRUCCIONES)])
