"""El Plan de Acción Institucional en .xlsx: actividades y totales, con celdas tipadas."""
from gestion.excel.libro import FORMATO_PESOS, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion
from gestion.planes.campos import EXPORTADOS, POR_NOMBRE
from gestion.planes.plan_accion import ResumenPai


def nombre_archivo(pai) -> str:
    return f"PAI-{pai.vigencia.anio}-v{pai.numero_version}.xlsx"


def _columnas_total(titulo: str) -> list[Columna]:
    return [Columna(titulo, 60), Columna("Actividades", 12), Columna("Presupuesto", 20, FORMATO_PESOS)]


def libro_pai(resumen: ResumenPai) -> bytes:
    # Los campos exportados del registro, cada referencia con su nombre completo.
    actividades = Hoja("Actividades", [Columna("Dependencia", 40)] + [
        Columna(c.etiqueta, c.ancho_nombre or c.ancho, c.formato_excel) for c in EXPORTADOS
    ], [[a.plan.dependencia.nombre, *(c.en_libro(a) for c in EXPORTADOS)] for a in resumen.actividades])
    por_objetivo = Hoja("Por objetivo", _columnas_total(POR_NOMBRE["objetivo"].etiqueta),
                        [[g.nombre, g.actividades, g.presupuesto] for g in resumen.por_objetivo]
                        + [["Total", resumen.total.actividades, resumen.total.presupuesto]])
    por_dependencia = Hoja("Por dependencia",
                           _columnas_total("Dependencia") + [Columna("Suma de pesos", 14, FORMATO_PORCENTAJE)],
                           [[g.nombre, g.actividades, g.presupuesto, fraccion(g.peso)]
                            for g in resumen.por_dependencia])
    return construir([actividades, por_objetivo, por_dependencia])
