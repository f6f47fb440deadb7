"""El informe de gestión de una vigencia en .xlsx: las mismas cifras que su página imprimible."""
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion


def nombre_archivo(informe) -> str:
    return f"informe-gestion-{informe.anio}.xlsx"


def libro(informe) -> bytes:
    """`informe`: el `InformeGestion` ya calculado (gestion.publicacion.informe_gestion)."""
    trimestres = [Columna(f"Avance T{t}", 12, FORMATO_PORCENTAJE) for t in range(1, 5)]
    resumen = Hoja("Resumen por dependencia", [
        Columna("Dependencia", 48), Columna("Actividades", 12), *trimestres,
        Columna("Avance del año", 14, FORMATO_PORCENTAJE), Columna("Presupuesto", 20, FORMATO_PESOS),
        Columna("Comprometido", 20, FORMATO_PESOS)],
        [[d.nombre, len(d.filas), *(fraccion(d.avance_trimestre(t)) for t in range(1, 5)), fraccion(d.avance_anual),
          d.presupuesto, d.comprometido] for d in informe.dependencias]
        + [["Total institucional", len(informe.filas), None, None, None, None, fraccion(informe.avance_anual),
            informe.presupuesto, informe.comprometido]])
    actividades = Hoja("Actividades", [
        Columna("Dependencia", 40), Columna("Código", 8), Columna("Actividad", 60), Columna("Indicador", 40),
        Columna("Unidad", 14), Columna("Peso", 10, FORMATO_PORCENTAJE), Columna("Meta anual", 12, FORMATO_NUMERO),
        *(Columna(f"Logrado T{t}", 12, FORMATO_NUMERO) for t in range(1, 5)),
        Columna("Logrado en el año", 14, FORMATO_NUMERO), Columna("Cumplimiento del año", 14, FORMATO_PORCENTAJE),
        Columna("Presupuesto", 18, FORMATO_PESOS), Columna("Comprometido", 18, FORMATO_PESOS)],
        [[f.dependencia, f.codigo, f.actividad, f.indicador, f.unidad, fraccion(f.peso), f.meta_anual, *f.logrado,
          f.logrado_anual, fraccion(f.cumplimiento_anual), f.presupuesto, f.comprometido] for f in informe.filas])
    return construir([resumen, actividades])
