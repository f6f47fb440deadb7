"""Páginas públicas, sin inicio de sesión: solo los planes publicados (actividad 15)."""
import sqlalchemy as sa
from flask import Blueprint, abort, render_template

from modelos import EstadoPlan, Plan, db

publico = Blueprint("publico", __name__, url_prefix="/publico")


def _publicado(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.estado is not EstadoPlan.PUBLICADO:
        abort(404)
    return plan


@publico.route("/")
def indice():
    planes = db.session.scalars(
        sa.select(Plan).where(Plan.estado == EstadoPlan.PUBLICADO).order_by(Plan.tipo, Plan.publicado_en.desc())
    ).all()
    return render_template("publico/indice.html", planes=planes)


@publico.route("/planes/<int:plan_id>")
def plan(plan_id: int):
    return render_template("publico/plan.html", plan=_publicado(plan_id))
