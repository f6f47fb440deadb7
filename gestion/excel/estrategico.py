"""Libro .xlsx de un plan estratégico: el plan, sus objetivos con su alineación y sus indicadores con metas."""
from gestion.base.formato import en_bogota
from gestion.excel.libro import FORMATO_NUMERO, Columna, Hoja, construir
from modelos import Plan


def nombre_archivo(plan: Plan) -> str:
    return f"{plan.tipo.value}-{plan.cuatrienio.anio_inicio}-{plan.cuatrienio.anio_fin}-v{plan.numero_version}.xlsx"


def _codigos(objetos) -> str:
    return ", ".join(o.codigo for o in objetos)


def libro_plan(plan: Plan) -> bytes:
    anios = plan.cuatrienio.anios
    acta = plan.acta_aprobacion
    resumen = Hoja("Plan", [Columna("Campo", 28), Columna("Valor", 70)], [
        ["Plan", plan.nombre],
        ["Tipo", plan.tipo.etiqueta],
        ["Cuatrienio", str(plan.cuatrienio)],
        ["Versión", plan.numero_version],
        ["Estado", plan.estado.etiqueta],
        ["Acta de aprobación", f"{acta.numero} · {acta.instancia}" if acta else None],
        ["Fecha del acta", acta.fecha if acta else None],
        ["Publicado el", en_bogota(plan.publicado_en).date() if plan.publicado_en else None],
    ])
    objetivos = Hoja("Objetivos", [
        Columna("Código", 10), Columna("Objetivo", 60), Columna("Objetivos PND", 30),
        Columna("Objetivos PES", 20), Columna("Políticas MIPG", 50),
    ], [[o.codigo, o.nombre, _codigos(o.objetivos_pnd), _codigos(o.objetivos_pes),
         ", ".join(p.nombre for p in o.politicas_mipg)] for o in plan.objetivos])
    filas = []
    for objetivo in plan.objetivos:
        for i in objetivo.indicadores:
            metas = {m.anio: m.valor for m in i.metas}
            filas.append([objetivo.codigo, i.codigo, i.nombre, i.formula, i.unidad.nombre if i.unidad else None,
                          i.linea_base, *(metas.get(a) for a in anios),
                          i.periodicidad.etiqueta if i.periodicidad else None,
                          i.tendencia.etiqueta if i.tendencia else None,
                          i.responsable.nombre if i.responsable else None,
                          "Sí" if i.sinergia else "No", i.codigo_sinergia,
                          i.tipo_acumulacion.etiqueta if i.tipo_acumulacion else None])
    indicadores = Hoja("Indicadores", [
        Columna("Objetivo", 10), Columna("Código", 12), Columna("Indicador", 50), Columna("Fórmula", 50),
        Columna("Unidad", 14), Columna("Línea base", 14, FORMATO_NUMERO),
        *(Columna(f"Meta {a}", 14, FORMATO_NUMERO) for a in anios),
        Columna("Periodicidad", 14), Columna("Tendencia", 12), Columna("Responsable", 40),
        Columna("SINERGIA", 10), Columna("Código SINERGIA", 16), Columna("Tipo de acumulación", 18),
    ], filas)
    return construir([resumen, objetivos, indicadores])
