"""El inventario de planes de una vigencia (para el Comité Institucional de Gestión y Desempeño) en .xlsx."""
from gestion.base.formato import en_bogota
from gestion.excel.libro import FORMATO_FECHA, FORMATO_PORCENTAJE, Columna, Hoja, construir, fraccion

COLUMNAS = [Columna("Tipo", 30), Columna("Plan", 60), Columna("Dueño", 44), Columna("Instancia que lo adopta", 36),
            Columna("Periodo", 12), Columna("Estado", 36), Columna("Última actualización", 16, FORMATO_FECHA)]


def nombre_archivo(inventario) -> str:
    return f"inventario-de-planes-{inventario.vigencia.anio}-T{inventario.trimestre}.xlsx"


def libro(inventario) -> bytes:
    avance = Columna(f"Avance acumulado a T{inventario.trimestre}", 14, FORMATO_PORCENTAJE)
    return construir([Hoja(f"Planes {inventario.vigencia.anio}", [*COLUMNAS, avance], [
        [f.tipo, f.nombre, f.dueno, f.adopta, f.periodo, f.estado,
         en_bogota(f.actualizado).date() if f.actualizado else None, fraccion(f.avance)]
        for f in inventario.filas])])
