"""El Plan de Acción Institucional publicado (actividad 15), en las páginas públicas.

Cada versión publicada queda a la vista con su fecha; lo publicado es la foto de los planes
aprobados que se consolidaron, y no cambia: una versión posterior se publica al lado.
"""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import abort, render_template, request

from gestion import pai_publico
from gestion.excel import pai as excel_pai
from gestion.plan_accion import resumen_pai
from modelos import EstadoPlan, Plan, TipoPlan, Vigencia, db

from .descargas import enviar_libro
from .publico import publico


def _pai_publicado(plan_id: int) -> Plan:
    pai = db.session.get(Plan, plan_id)
    if pai is None or pai.tipo is not TipoPlan.PAI or pai.estado is not EstadoPlan.PUBLICADO:
        abort(404)
    return pai


def _publicados(*condiciones):
    return db.session.scalars(
        sa.select(Plan).join(Plan.vigencia).options(selectinload(Plan.vigencia))
        .where(Plan.tipo == TipoPlan.PAI, Plan.estado == EstadoPlan.PUBLICADO, *condiciones)
        .order_by(Vigencia.anio.desc(), Plan.numero_version.desc())).all()


def _filtros() -> dict:
    return {"dependencia_id": request.args.get("dependencia", type=int),
            "objetivo_id": request.args.get("objetivo", type=int)}


@publico.route("/pai/")
def pai_indice():
    return render_template("publico_pai/indice.html", planes=_publicados())


@publico.route("/pai/<int:plan_id>")
def pai(plan_id: int):
    """Los totales del PAI (filtrados) y una página de sus actividades: la respuesta no crece con el PAI."""
    pai = _pai_publicado(plan_id)
    filtros = _filtros()
    pagina = pai_publico.pagina_pai(pai, **filtros, pagina=request.args.get("pagina", 1, type=int))
    return render_template("publico_pai/pai.html", pai=pai, pagina=pagina, resumen=pagina.resumen, filtros=filtros,
                           dependencias=pagina.dependencias, objetivos=pagina.objetivos,
                           versiones=_publicados(Plan.vigencia_id == pai.vigencia_id))


@publico.route("/pai/<int:plan_id>.xlsx")
def pai_xlsx(plan_id: int):
    pai = _pai_publicado(plan_id)
    return enviar_libro(excel_pai.libro_pai(resumen_pai(pai, **_filtros())), excel_pai.nombre_archivo(pai))
