"""Lo que la calidad del reporte cuenta sobre los avances, guardado (issue 23, punto 4): por reporte, sus ítems y
cuántos están completos; por dependencia dueña, sus actividades y cuántas nunca reportaron avance.

Con dos sectores un trimestre tiene cientos de miles de avances: la página de calidad y el tablero leen estas
cuentas en vez de recorrerlos. Las rehace `cifras_guardadas.recalcular` con las demás cifras guardadas, por
dependencia dueña, cuando un avance, un reporte, una actividad o una meta territorial la marca pendiente; aquí está
la regla de qué es un ítem completo, en un solo sitio.
"""
import sqlalchemy as sa

from modelos import Actividad, Avance, CifraItems, CifraSinAvance, EstadoPlan, MetaTerritorial, Plan, ReporteTrimestral, TipoPlan, db

# Los reportes cuyo avance cuenta como reportado para «nunca reportó avance».
CONTADOS = ("reportado", "aceptado")


def _completo(trimestre: int):
    """Un ítem completo: justificado si quedó bajo la meta del trimestre (la de su DT si es territorial), y con
    evidencia (archivo, enlace o la referencia de un documento) si reporta avance."""
    meta = sa.func.coalesce(MetaTerritorial.columna_meta(trimestre), Actividad.columna_meta(trimestre))
    logrado = sa.func.coalesce(Avance.valor_logrado, 0)
    bajo = sa.and_(Avance.actividad_id.is_not(None), meta.is_not(None), logrado < meta)
    justificado = sa.or_(sa.not_(bajo), sa.func.length(sa.func.trim(sa.func.coalesce(Avance.justificacion, ""))) > 0)
    con_evidencia = sa.or_(logrado == 0, sa.func.coalesce(Avance.evidencia_archivo, "") != "",
                           sa.func.coalesce(Avance.evidencia_enlace, "") != "",
                           sa.func.coalesce(Avance.evidencia_referencia, "") != "")
    return sa.and_(justificado, con_evidencia)


def _items(vigencia_id: int, trimestre: int, duenas):
    return (sa.select(sa.literal(vigencia_id), sa.literal(trimestre), Plan.dependencia_id, Avance.reporte_id,
                      sa.func.count(), sa.func.count().filter(_completo(trimestre)))
            .select_from(Avance).join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
            .join(Plan, Plan.id == ReporteTrimestral.plan_id)
            .outerjoin(Actividad, Avance.actividad_id == Actividad.id)
            .outerjoin(MetaTerritorial, sa.and_(MetaTerritorial.actividad_id == Avance.actividad_id,
                                                MetaTerritorial.dependencia_id == ReporteTrimestral.dependencia_id))
            .where(ReporteTrimestral.vigencia_id == vigencia_id, ReporteTrimestral.trimestre == trimestre,
                   Plan.tipo == TipoPlan.PA, *_de(duenas))
            .group_by(Plan.dependencia_id, Avance.reporte_id))


def _sin_avance(vigencia_id: int, trimestre: int, duenas):
    con_avance = (sa.select(Avance.actividad_id).join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
                  .where(ReporteTrimestral.vigencia_id == vigencia_id, ReporteTrimestral.trimestre <= trimestre,
                         ReporteTrimestral.estado.in_(CONTADOS), Avance.valor_logrado > 0))
    return (sa.select(sa.literal(vigencia_id), sa.literal(trimestre), Plan.dependencia_id, sa.func.count(Actividad.id),
                      sa.func.count(Actividad.id).filter(Actividad.id.not_in(con_avance)))
            .join(Actividad, Actividad.plan_id == Plan.id)
            .where(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia_id, Plan.vigente,
                   Plan.estado.in_((EstadoPlan.APROBADO, EstadoPlan.PUBLICADO)), *_de(duenas))
            .group_by(Plan.dependencia_id))


def _de(duenas) -> list:
    return [] if duenas is None else [Plan.dependencia_id.in_(list(duenas))]


def recalcular(vigencia_id: int, duenas=None) -> None:
    """Rehace las cuentas de la vigencia (con `duenas`, solo las de los planes de esas dependencias), en la base:
    INSERT … SELECT agrupado, sin traer un avance a Python."""
    for modelo in (CifraItems, CifraSinAvance):
        borrar = sa.delete(modelo).where(modelo.vigencia_id == vigencia_id)
        if duenas is not None:
            borrar = borrar.where(modelo.duena_id.in_(list(duenas)))
        db.session.execute(borrar)
    for trimestre in range(1, 5):
        db.session.execute(sa.insert(CifraItems).from_select(
            ["vigencia_id", "trimestre", "duena_id", "reporte_id", "items", "completos"],
            _items(vigencia_id, trimestre, duenas)))
        db.session.execute(sa.insert(CifraSinAvance).from_select(
            ["vigencia_id", "trimestre", "duena_id", "actividades", "sin_avance"],
            _sin_avance(vigencia_id, trimestre, duenas)))


def items(vigencia_id: int, trimestre: int) -> dict[int, tuple[int, int]]:
    """Por reporte del trimestre: (ítems, ítems completos)."""
    return {reporte: (n, completos) for reporte, n, completos in db.session.execute(
        sa.select(CifraItems.reporte_id, CifraItems.items, CifraItems.completos)
        .where(CifraItems.vigencia_id == vigencia_id, CifraItems.trimestre == trimestre))}


def sin_avance(vigencia_id: int, trimestre: int) -> dict[int, tuple[int, int]]:
    """Por dependencia dueña de un plan vigente aprobado: (actividades, las que nunca reportaron avance)."""
    return {duena: (n, nunca) for duena, n, nunca in db.session.execute(
        sa.select(CifraSinAvance.duena_id, CifraSinAvance.actividades, CifraSinAvance.sin_avance)
        .where(CifraSinAvance.vigencia_id == vigencia_id, CifraSinAvance.trimestre == trimestre))}
