"""La calidad del reporte por dependencia en un trimestre, ordenada de la mejor a la peor, para los comités."""
from gestion.base import formato
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion

COLUMNAS = [Columna("Puesto", 8), Columna("Dependencia", 44), Columna("Índice de calidad (0 a 100)", 14, FORMATO_NUMERO),
            Columna("Enviado", 10), Columna("Primer envío", 18), Columna("A tiempo", 10),
            Columna("Ítems completos", 14, FORMATO_PORCENTAJE), Columna("Devoluciones", 12, FORMATO_NUMERO),
            Columna("Días para corregir", 12, FORMATO_NUMERO),
            Columna("Actividades sin avance reportado en la vigencia", 18, FORMATO_PORCENTAJE)]


def nombre_archivo(vigencia, trimestre: int) -> str:
    return f"calidad-del-reporte-{vigencia.anio}-T{trimestre}.xlsx"


def _si_no(valor) -> str | None:
    return None if valor is None else ("Sí" if valor else "No")


def hoja(titulo: str, filas) -> Hoja:
    """`filas`: las de gestion.seguimiento.calidad.calidad, ya ordenadas; la misma hoja en su libro y en el
    informe de seguimiento."""
    return Hoja(titulo, COLUMNAS, [
        [f.puesto, f.dependencia, f.indice, _si_no(f.enviado),
         formato.fecha(f.primer_envio) if f.primer_envio else None, _si_no(f.a_tiempo), fraccion(f.completitud),
         f.devoluciones, f.dias_para_corregir, fraccion(f.sin_avance_pct)] for f in filas])


def libro(vigencia, trimestre: int, filas) -> bytes:
    return construir([hoja(f"Calidad {vigencia.anio} T{trimestre}", filas)])
