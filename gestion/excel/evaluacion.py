"""La evaluación institucional por dependencia de una vigencia, firmada por Control Interno, para Talento Humano
(Ley 909 de 2004, art. 39): lo que cada dependencia reportó haber cumplido frente a lo que Control Interno verificó."""
from gestion.base import formato
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion

COLUMNAS = [Columna("Código", 10), Columna("Dependencia", 44),
            Columna("Cumplimiento reportado por la dependencia", 18, FORMATO_PORCENTAJE),
            Columna("Cumplimiento verificado por Control Interno", 18, FORMATO_PORCENTAJE),
            Columna("Periodo verificado", 14), Columna("Diferencia (puntos)", 14, FORMATO_NUMERO),
            Columna("Concepto de Control Interno", 60),
            Columna("Firmada por", 30), Columna("Firmada el", 14)]


def nombre_archivo(vigencia) -> str:
    return f"evaluacion-por-dependencia-{vigencia.anio}.xlsx"


def _diferencia(fila):
    if fila.cumplimiento_reportado is None or fila.cumplimiento_verificado is None:
        return None
    return fila.cumplimiento_verificado - fila.cumplimiento_reportado


def libro(vigencia, filas) -> bytes:
    return construir([Hoja(f"Evaluación {vigencia.anio}", COLUMNAS, [
        [f.dependencia.codigo, f.dependencia.nombre, fraccion(f.cumplimiento_reportado),
         fraccion(f.cumplimiento_verificado), f.periodo_verificado, _diferencia(f), f.concepto,
         (f.firmada_por.nombre or f.firmada_por.email) if f.firmada_por else None,
         formato.en_bogota(f.firmada_en).date() if f.firmada_en else None] for f in filas])])
