"""Puntos de control de los planes estratégicos (sección 6 del procedimiento).

Actividad 2 (PES): objetivos alineados con el PND y con las políticas MIPG; metas medibles.
Actividad 5 (PEI): lo mismo, más la alineación de cada objetivo con un objetivo del PES.
Todos los ítems son automáticos: el comité no aprueba mientras alguno falle.
"""
from gestion.reglas.chequeo import ItemChequeo, ListaChequeo
from modelos import Plan, TipoPlan


def _item(codigo: str, descripcion: str, incumplen: list[str]) -> ItemChequeo:
    return ItemChequeo(codigo, descripcion, cumple=not incumplen, detalle=tuple(incumplen))


def faltantes_indicador(indicador, anios: list[int]) -> list[str]:
    """Lo que le falta a un indicador para ser medible y cuantificable."""
    faltan = []
    if not (indicador.formula or "").strip():
        faltan.append("fórmula")
    if indicador.unidad_id is None and indicador.unidad is None:
        faltan.append("unidad de medida")
    if indicador.linea_base is None:
        faltan.append("línea base")
    if indicador.periodicidad is None:
        faltan.append("periodicidad")
    con_meta = {m.anio for m in indicador.metas if m.valor is not None}
    sin_meta = [str(a) for a in anios if a not in con_meta]
    if sin_meta:
        faltan.append("meta " + ", ".join(sin_meta))
    fuera = sorted(str(a) for a in con_meta if a not in anios)
    if fuera:
        faltan.append("meta fuera del cuatrienio (" + ", ".join(fuera) + ")")
    return faltan


def chequear(plan: Plan) -> ListaChequeo:
    anios = plan.cuatrienio.anios if plan.cuatrienio else []
    objetivos = list(plan.objetivos)
    items = [
        _item("objetivos", "El plan tiene al menos un objetivo", [] if objetivos else ["el plan no tiene objetivos"]),
        _item("pnd", "Cada objetivo está alineado con el Plan Nacional de Desarrollo",
              [str(o) for o in objetivos if not o.objetivos_pnd]),
        _item("mipg", "Cada objetivo está asociado al menos a una política MIPG",
              [str(o) for o in objetivos if not o.politicas_mipg]),
    ]
    if plan.tipo is TipoPlan.PEI:
        items.append(_item("pes", "Cada objetivo está alineado con un objetivo del PES del mismo cuatrienio",
                           [str(o) for o in objetivos if not _alineado_con_pes(o, plan)]))
    items.append(_item("indicadores", "Cada objetivo tiene al menos un indicador",
                       [str(o) for o in objetivos if not o.indicadores]))
    no_medibles = []
    for objetivo in objetivos:
        for indicador in objetivo.indicadores:
            faltan = faltantes_indicador(indicador, anios)
            if faltan:
                no_medibles.append(f"{indicador.codigo} (falta: {'; '.join(faltan)})")
    items.append(_item("medible", "Cada indicador es medible: fórmula, unidad, línea base, periodicidad y "
                                  "meta numérica para cada año del cuatrienio", no_medibles))
    return ListaChequeo(items)


def _alineado_con_pes(objetivo, plan: Plan) -> bool:
    return any(o.plan is not None and o.plan.tipo is TipoPlan.PES and o.plan.cuatrienio_id == plan.cuatrienio_id
               for o in objetivo.objetivos_pes)
