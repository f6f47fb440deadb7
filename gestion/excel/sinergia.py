"""Exportación de los indicadores SINERGIA, lista para el cargue en el aplicativo del DNP."""
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion

COLUMNAS = [Columna("Código SINERGIA", 16), Columna("Indicador", 60), Columna("Plan", 36),
            Columna("Tipo de acumulación", 16), Columna("Unidad de medida", 16),
            Columna("Línea base", 14, FORMATO_NUMERO), Columna("Meta de la vigencia", 14, FORMATO_NUMERO),
            Columna("Periodo", 10), Columna("Fecha de corte", 14), Columna("Valor", 14, FORMATO_NUMERO),
            Columna("Observaciones", 70), Columna("Cumplimiento", 14, FORMATO_PORCENTAJE)]


def nombre_archivo(vigencia) -> str:
    return f"sinergia-{vigencia.anio}.xlsx"


def libro(vigencia, filas: list) -> bytes:
    """`filas`: las `FilaSinergia` de gestion.seguimiento.consultas, ya leídas."""
    return construir([Hoja(f"SINERGIA {vigencia.anio}", COLUMNAS, [
        [f.codigo, f.indicador, f.plan, f.tipo_acumulacion, f.unidad, f.linea_base, f.meta, f.periodo, f.corte,
         f.valor, f.observaciones, fraccion(f.cumplimiento)] for f in filas])])
