"""El Plan de Acción Institucional publicado (actividad 15), en las páginas públicas.

Cada versión publicada queda a la vista con su fecha; lo publicado es la foto de los planes
aprobados que se consolidaron, y no cambia: una versión posterior se publica al lado.
"""

import sqlalchemy as sa
from flask import abort, render_template, request

from gestion.excel import pai as excel_pai
from gestion.plan_accion import resumen_pai
from modelos import EstadoPlan, Plan, TipoPlan, Vigencia, db

from .parametros import entero
from .descargas import enviar_libro
from .publico import publico


def _pai_publicado(plan_id: int) -> Plan:
    pai = db.session.get(Plan, plan_id)
    if pai is None or pai.tipo is not TipoPlan.PAI or pai.estado is not EstadoPlan.PUBLICADO:
        abort(404)
    return pai


def _publicados(*condiciones):
    return db.session.scalars(
        sa.select(Plan).join(Plan.vigencia)
        .where(Plan.tipo == TipoPlan.PAI, Plan.estado == EstadoPlan.PUBLICADO, *condiciones)
        .order_by(Vigencia.anio.desc(), Plan.numero_version.desc())).all()


def _filtros() -> dict:
    return {"dependencia_id": entero("dependencia", request.args), "objetivo_id": entero("objetivo", request.args)}


@publico.route("/pai/")
def pai_indice():
    return render_template("publico_pai/indice.html", planes=_publicados())


@publico.route("/pai/<int:plan_id>")
def pai(plan_id: int):
    pai = _pai_publicado(plan_id)
    filtros = _filtros()
    completo = resumen_pai(pai)
    dependencias = sorted({a.plan.dependencia for a in completo.actividades}, key=lambda d: d.codigo)
    objetivos = sorted({a.objetivo for a in completo.actividades if a.objetivo}, key=lambda o: o.codigo)
    return render_template("publico_pai/pai.html", pai=pai, resumen=resumen_pai(pai, **filtros), filtros=filtros,
                           dependencias=dependencias, objetivos=objetivos,
                           versiones=_publicados(Plan.vigencia_id == pai.vigencia_id))


@publico.route("/pai/<int:plan_id>.xlsx")
def pai_xlsx(plan_id: int):
    pai = _pai_publicado(plan_id)
    return enviar_libro(excel_pai.libro_pai(resumen_pai(pai, **_filtros())), excel_pai.nombre_archivo(pai))
