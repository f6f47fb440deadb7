"""El Plan de Acción Institucional en .xlsx: actividades y totales, con celdas tipadas."""
from gestion.excel.libro import FORMATO_PESOS, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion
from gestion.planes.plan_accion import ResumenPai


def nombre_archivo(pai) -> str:
    return f"PAI-{pai.vigencia.anio}-v{pai.numero_version}.xlsx"


def _columnas_total(titulo: str) -> list[Columna]:
    return [Columna(titulo, 60), Columna("Actividades", 12), Columna("Presupuesto", 20, FORMATO_PESOS)]


def libro_pai(resumen: ResumenPai) -> bytes:
    actividades = Hoja("Actividades", [
        Columna("Dependencia", 40), Columna("Código", 8), Columna("Actividad", 60), Columna("Objetivo PEI", 50),
        Columna("Política MIPG", 30), Columna("Indicador", 40), Columna("Fórmula", 40), Columna("Unidad", 14),
        Columna("Meta anual", 12), Columna("Meta T1", 10), Columna("Meta T2", 10), Columna("Meta T3", 10),
        Columna("Meta T4", 10), Columna("Peso", 10, FORMATO_PORCENTAJE), Columna("Inicio", 12),
        Columna("Fin", 12), Columna("Presupuesto", 18, FORMATO_PESOS), Columna("Proyecto de inversión", 40),
        Columna("Responsable", 30), Columna("Territorial", 10),
    ], [[a.plan.dependencia.nombre, a.codigo, a.descripcion, str(a.objetivo or ""), str(a.politica or ""),
         a.indicador, a.formula, str(a.unidad or ""), a.meta_anual, a.meta_t1, a.meta_t2, a.meta_t3, a.meta_t4,
         fraccion(a.peso), a.fecha_inicio, a.fecha_fin, a.presupuesto, str(a.proyecto or ""), a.responsable,
         "Sí" if a.territorial else "No"] for a in resumen.actividades])
    por_objetivo = Hoja("Por objetivo", _columnas_total("Objetivo PEI"),
                        [[g.nombre, g.actividades, g.presupuesto] for g in resumen.por_objetivo]
                        + [["Total", resumen.total.actividades, resumen.total.presupuesto]])
    por_dependencia = Hoja("Por dependencia",
                           _columnas_total("Dependencia") + [Columna("Suma de pesos", 14, FORMATO_PORCENTAJE)],
                           [[g.nombre, g.actividades, g.presupuesto, fraccion(g.peso)]
                            for g in resumen.por_dependencia])
    return construir([actividades, por_objetivo, por_dependencia])
