"""La plantilla del reporte trimestral (actividad 16): una fila por ítem, con lo ya guardado, y una hoja que
dice de qué reporte es. Las columnas son el contrato con `gestion.importacion.avances`."""
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PESOS, Columna, Hoja, construir
from gestion.lecturas import ItemReporte
from modelos import ReporteTrimestral

CODIGO, ITEM, META = "Código", "Ítem", "Meta del trimestre"
VALOR, CUALITATIVO, JUSTIFICACION = "Valor logrado", "Avance cualitativo", "Justificación"
ENLACE, COMPROMETIDO, PAGADO = "Enlace de evidencia", "Presupuesto comprometido", "Presupuesto pagado"
HOJA_REPORTE = "Reporte"
IDENTIFICADOR = "Identificador del reporte"


def nombre_archivo(reporte: ReporteTrimestral) -> str:
    return (f"avance-{reporte.dependencia.codigo}-{reporte.plan.tipo.value}-{reporte.plan_id}-"
            f"{reporte.vigencia.anio}-T{reporte.trimestre}.xlsx")


def libro(reporte: ReporteTrimestral, items: list[ItemReporte]) -> bytes:
    avances = Hoja("Avances", [
        Columna(CODIGO, 10), Columna(ITEM, 50), Columna(META, 16, FORMATO_NUMERO), Columna(VALOR, 16, FORMATO_NUMERO),
        Columna(CUALITATIVO, 50), Columna(JUSTIFICACION, 50), Columna(ENLACE, 40),
        Columna(COMPROMETIDO, 22, FORMATO_PESOS), Columna(PAGADO, 22, FORMATO_PESOS)],
        [[i.codigo, i.item, i.meta, i.valor_logrado, i.avance_cualitativo, i.justificacion, i.evidencia_enlace,
          i.presupuesto_comprometido, i.presupuesto_pagado] for i in items])
    datos = Hoja(HOJA_REPORTE, [Columna("Dato", 28), Columna("Valor", 90)], [
        ["Plan", str(reporte.plan)],
        ["Dependencia", reporte.dependencia.nombre],
        ["Vigencia y trimestre", f"{reporte.vigencia}, trimestre {reporte.trimestre}"],
        [IDENTIFICADOR, reporte.id],
        ["Instrucciones", "Diligencie en la hoja Avances el valor logrado, el avance cualitativo, la justificación "
                          "(obligatoria si el valor queda por debajo de la meta del trimestre), el enlace de la "
                          "evidencia (http:// o https://) y el presupuesto comprometido y pagado. Las columnas Ítem "
                          "y Meta del trimestre son informativas. No cambie los códigos. Los archivos de evidencia "
                          "se adjuntan en el formulario del reporte."],
    ])
    return construir([avances, datos])
