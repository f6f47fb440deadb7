"""El Plan de Acción Institucional en .xlsx: actividades y totales, con celdas tipadas."""
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion
from gestion.planes.campos import EXPORTADOS, POR_NOMBRE
from gestion.planes.plan_accion import ResumenPai

META_TRIMESTRES = ("meta_t1", "meta_t2", "meta_t3", "meta_t4")


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
    return construir([actividades, por_objetivo, por_dependencia, *hojas_integradas(resumen)])


def hojas_integradas(resumen: ResumenPai) -> list[Hoja]:
    """El índice de los planes institucionales (integrado o «Falta») y la sección de cada uno: sus actividades de
    todas las dependencias con metas, presupuesto y unidad responsable."""
    indice = Hoja("Planes integrados", [
        Columna("Numeral (Decreto 612)", 12), Columna("Código", 10), Columna("Plan", 50),
        Columna("Referencia legal", 50), Columna("En el PAI", 12), Columna("Actividades", 12),
        Columna("Presupuesto", 20, FORMATO_PESOS), Columna("Unidades responsables", 60)],
        [[s.plan.numeral, s.plan.codigo, s.plan.nombre, s.plan.referencia_legal,
          "Integrado" if s.integrado else "Falta", len(s.actividades), s.presupuesto, "; ".join(s.dependencias)]
         for s in resumen.planes_integrados])
    secciones = Hoja("Por plan integrado", [
        Columna("Plan", 40), Columna("Dependencia", 40), Columna(POR_NOMBRE["codigo"].etiqueta, 10),
        Columna(POR_NOMBRE["descripcion"].etiqueta, 60), Columna(POR_NOMBRE["indicador"].etiqueta, 40),
        *(Columna(POR_NOMBRE[n].etiqueta, 12, FORMATO_NUMERO) for n in ("meta_anual", *META_TRIMESTRES)),
        Columna(POR_NOMBRE["presupuesto"].etiqueta, 18, FORMATO_PESOS), Columna(POR_NOMBRE["responsable"].etiqueta, 30)],
        [[s.plan.nombre, a.plan.dependencia.nombre, a.codigo, a.descripcion, a.indicador, a.meta_anual,
          *a.metas_trimestrales, a.presupuesto, a.responsable] for s in resumen.integrados for a in s.actividades])
    return [indice, secciones]
