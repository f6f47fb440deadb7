"""Páginas públicas, sin inicio de sesión: solo los planes publicados (actividad 15)."""
import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, url_for

from gestion.excel import estrategico as excel_estrategico
from gestion.planes import ajustes
from gestion.publicacion import ajustes_publicos, datos_abiertos
from modelos import EstadoPlan, Plan, TipoPlan, db

from .descargas import enviar_libro

publico = Blueprint("publico", __name__, url_prefix="/publico")


def _publicado(plan_id: int) -> Plan:
    """Un plan que no está publicado no existe para el público, ni siquiera por su URL."""
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.estado is not EstadoPlan.PUBLICADO:
        abort(404)
    return plan


@publico.route("/")
def indice():
    planes = db.session.scalars(
        sa.select(Plan).where(Plan.estado == EstadoPlan.PUBLICADO).order_by(Plan.tipo, Plan.publicado_en.desc())
    ).all()
    return render_template("publico/indice.html", planes=ajustes.ultimas_publicadas(planes),
                           anios=datos_abiertos.vigencias_publicadas())


@publico.route("/accesibilidad")
def accesibilidad():
    """La declaración de accesibilidad (Resolución MinTIC 1519 de 2020): lo que se cumple y cómo reportar una
    barrera. Enlazada desde el pie de toda página."""
    return render_template("publico/accesibilidad.html")


@publico.route("/planes/<int:plan_id>")
def plan(plan_id: int):
    plan = _publicado(plan_id)
    if plan.tipo is TipoPlan.PAI:  # el PAI tiene su página, con filtros (vistas/publico_pai.py)
        return redirect(url_for("publico.pai", plan_id=plan.id))
    anios = plan.cuatrienio.anios if plan.cuatrienio else []
    versiones = ajustes.publicadas(plan)
    en_curso = ajustes_publicos.en_curso_de_estrategico(plan) if versiones[0].plan.id == plan.id else []
    return render_template("publico/plan.html", plan=plan, anios=anios, versiones=versiones, en_curso=en_curso)


@publico.route("/ajustes/<int:solicitud_id>")
def ajuste(solicitud_id: int):
    """Un ajuste de un plan que el público ya vio publicado: causa, fecha, instancia y qué cambió."""
    ajuste = ajustes_publicos.ajuste_publico(solicitud_id)
    if ajuste is None:
        abort(404)
    return render_template("publico/ajuste.html", ajuste=ajuste)


@publico.route("/planes/<int:plan_id>.xlsx")
def plan_xlsx(plan_id: int):
    plan = _publicado(plan_id)
    if plan.tipo is TipoPlan.PAI:
        return redirect(url_for("publico.pai_xlsx", plan_id=plan.id))
    return enviar_libro(excel_estrategico.libro_plan(plan), excel_estrategico.nombre_archivo(plan))
