"""Informe trimestral de seguimiento en .xlsx (actividad 17): las mismas cifras que el tablero."""
from gestion.base import formato
from gestion.excel import calidad as excel_calidad
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion
from gestion.planes.campos import ETIQUETAS


def nombre_archivo(vigencia, trimestre: int) -> str:
    return f"informe-seguimiento-{vigencia.anio}-T{trimestre}.xlsx"


def hojas(cuadro, textos: dict, calidad: list | None = None) -> list[Hoja]:
    """`cuadro`: el `Cuadro` del trimestre (gestion.seguimiento.cifras); `textos`: el diagnóstico de cada dependencia;
    `calidad`: el índice de calidad del reporte por dependencia, ordenado (gestion.seguimiento.calidad)."""
    pct = Columna("", 14, FORMATO_PORCENTAJE)

    def c(titulo, ancho=16, formato=None):
        return Columna(titulo, ancho, formato)

    def p(titulo):
        return Columna(titulo, pct.ancho, pct.formato)

    resumen = Hoja("Resumen por dependencia", [
        c("Dependencia", 48), c("Reportado", 11), c("Estado del reporte", 24), p("Avance del trimestre"),
        p("Avance acumulado"), c("Semáforo", 12), c("Actividades", 12), c("Alertas presupuestales", 14),
        c("Diagnóstico de la OAP", 70)],
        [[d.nombre, "Sí" if d.reportado else "No", d.estado_reporte.etiqueta if d.estado_reporte else "Sin reporte",
          fraccion(d.avance_trimestre), fraccion(d.avance_acumulado), d.color.etiqueta, d.actividades,
          d.incoherentes, textos[d.clave].diagnostico if d.clave in textos else None]
         for d in cuadro.dependencias]
        + [["Total institucional", None, None, fraccion(cuadro.total.avance_trimestre),
            fraccion(cuadro.total.avance_acumulado), cuadro.total.color.etiqueta, cuadro.total.actividades,
            cuadro.total.incoherentes, None]])
    objetivos = Hoja("Por objetivo del PEI", [
        c("Objetivo", 60), p("Avance del trimestre"), p("Avance acumulado"), c("Semáforo", 12), c("Actividades", 12)],
        [[o.nombre, fraccion(o.avance_trimestre), fraccion(o.avance_acumulado), o.color.etiqueta, o.actividades]
         for o in cuadro.objetivos])
    # El avance de cada plan institucional integrado (Decreto 612), ponderado como el PAI.
    integrados = Hoja("Por plan integrado", [
        c("Plan", 60), p("Avance del trimestre"), p("Avance acumulado"), c("Semáforo", 12), c("Actividades", 12)],
        [[i.nombre, fraccion(i.avance_trimestre), fraccion(i.avance_acumulado), i.color.etiqueta, i.actividades]
         for i in cuadro.planes_integrados])
    detalle = Hoja("Detalle por actividad", [
        c("Dependencia", 40), c("Código", 9), c("Actividad", 60), c(ETIQUETAS["objetivo"], 40),
        p(ETIQUETAS["peso"]), c("Meta del trimestre", 12, FORMATO_NUMERO),
        c("Logrado en el trimestre", 12, FORMATO_NUMERO), p("Cumplimiento del trimestre"),
        c("Meta acumulada", 12, FORMATO_NUMERO), c("Logrado acumulado", 12, FORMATO_NUMERO),
        p("Cumplimiento acumulado"), c("Semáforo", 12), c("Avance cualitativo", 50)],
        [[a.dependencia, a.codigo, a.descripcion, a.objetivo, fraccion(a.peso), a.meta_del_trimestre, a.logrado_trimestre,
          fraccion(a.cumplimiento_trimestre), a.meta_acumulada, a.logrado_acumulado,
          fraccion(a.cumplimiento_acumulado), a.color.etiqueta, a.avance_cualitativo]
         for a in cuadro.actividades])
    incumplimientos = Hoja("Incumplimientos", [
        c("Dependencia", 40), c("Código", 9), c("Actividad", 60), c("Meta del trimestre", 12, FORMATO_NUMERO),
        c("Logrado", 12, FORMATO_NUMERO), p("Cumplimiento del trimestre"), c("Justificación", 70)],
        [[a.dependencia, a.codigo, a.descripcion, a.meta_del_trimestre, a.logrado_trimestre,
          fraccion(a.cumplimiento_trimestre), a.justificacion] for a in cuadro.incumplimientos])
    coherencia = Hoja("Coherencia presupuestal", [
        c("Dependencia", 40), c("Código", 9), c("Actividad", 60), c("Presupuesto", 18, FORMATO_PESOS),
        c("Comprometido acumulado", 18, FORMATO_PESOS), c("Pagado acumulado", 18, FORMATO_PESOS),
        p("Ejecución presupuestal"), p("Avance físico del año"), c("Diferencia (puntos)", 12, FORMATO_NUMERO),
        c(f"Alerta (margen {formato.numero(cuadro.margen)} puntos)", 16)],
        [[a.dependencia, a.codigo, a.descripcion, a.presupuesto, a.comprometido, a.pagado,
          fraccion(a.ejecucion_presupuestal), fraccion(a.avance_fisico), a.diferencia_coherencia,
          "Sí" if a.incoherente else "No"]
         for a in cuadro.actividades if a.presupuesto > 0 and a.reportado])
    indicadores = Hoja("Indicadores estratégicos", [
        c("Plan", 36), c("Código", 10), c("Indicador", 60), c("Responsable", 36),
        c("Meta del año", 14, FORMATO_NUMERO), c("Programado a la fecha", 14, FORMATO_NUMERO),
        c("Valor reportado", 14, FORMATO_NUMERO), p("Cumplimiento"), c("Semáforo", 12), c("Justificación", 60)],
        [[i.plan, i.codigo, i.nombre, i.dependencia, i.meta_anual, i.programado, i.valor,
          fraccion(i.cumplimiento), i.color.etiqueta, i.justificacion] for i in cuadro.indicadores])
    calidad_del_reporte = [excel_calidad.hoja("Calidad del reporte", calidad)] if calidad is not None else []
    return [resumen, objetivos, integrados, detalle, incumplimientos, coherencia, indicadores, *calidad_del_reporte]


def libro(cuadro, textos: dict, calidad: list | None = None) -> bytes:
    """`textos`: el diagnóstico de la OAP por dependencia ({dependencia_id: DiagnosticoTrimestral})."""
    return construir(hojas(cuadro, textos, calidad))
