"""La plantilla de actividades de un Plan de Acción (actividad 10): sus actividades actuales y los códigos
válidos. Las columnas son el contrato con `gestion.importacion.actividades`, que lee lo que vuelve."""
from dataclasses import dataclass

from gestion.excel.libro import FORMATO_PESOS, Columna, Hoja, construir
from gestion.lecturas import Catalogos
from modelos import Actividad, Plan

HOJA = "Actividades"


@dataclass(frozen=True)
class Campo:
    titulo: str
    atributo: str
    ancho: int = 14
    formato: str | None = None


CAMPOS = (
    Campo("Código", "codigo", 10), Campo("Descripción", "descripcion", 60),
    Campo("Objetivo PEI", "objetivo", 14), Campo("Política MIPG", "politica", 14),
    Campo("Indicador", "indicador", 40), Campo("Fórmula", "formula", 40), Campo("Unidad", "unidad", 10),
    Campo("Meta anual", "meta_anual", 12), Campo("Meta T1", "meta_t1", 10), Campo("Meta T2", "meta_t2", 10),
    Campo("Meta T3", "meta_t3", 10), Campo("Meta T4", "meta_t4", 10), Campo("Peso %", "peso", 10),
    Campo("Fecha inicio", "fecha_inicio", 13), Campo("Fecha fin", "fecha_fin", 13),
    Campo("Presupuesto", "presupuesto", 18, FORMATO_PESOS), Campo("BPIN proyecto", "proyecto", 16),
    Campo("Responsable", "responsable", 30),
)
CANTIDADES = ("meta_anual", "meta_t1", "meta_t2", "meta_t3", "meta_t4")


def nombre_archivo(plan: Plan) -> str:
    return f"actividades-{plan.dependencia.codigo}-{plan.vigencia.anio}.xlsx"


def _fila(actividad: Actividad) -> list:
    return [actividad.codigo, actividad.descripcion,
            actividad.objetivo.codigo if actividad.objetivo else None,
            actividad.politica.codigo if actividad.politica else None,
            actividad.indicador, actividad.formula, actividad.unidad.codigo if actividad.unidad else None,
            *(getattr(actividad, c) for c in CANTIDADES), actividad.peso, actividad.fecha_inicio,
            actividad.fecha_fin, actividad.presupuesto, actividad.proyecto.bpin if actividad.proyecto else None,
            actividad.responsable]


def libro(plan: Plan, validos: Catalogos) -> bytes:
    """El libro para formular o corregir el plan: sus actividades actuales y los códigos válidos."""
    listas = ([["Objetivo PEI", o.codigo, o.nombre] for o in validos.objetivos.values()]
              + [["Política MIPG", p.codigo, p.nombre] for p in validos.politicas.values()]
              + [["Unidad", u.codigo, u.nombre] for u in validos.unidades.values()]
              + [["BPIN proyecto", p.bpin, p.nombre] for p in validos.proyectos.values()])
    return construir([
        Hoja(HOJA, [Columna(c.titulo, c.ancho, c.formato) for c in CAMPOS], [_fila(a) for a in plan.actividades]),
        Hoja("Listas", [Columna("Columna", 16), Columna("Código", 16), Columna("Nombre", 80)], listas),
    ])
