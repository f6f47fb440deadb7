"""El Plan de Acción Institucional publicado (actividad 15), en las páginas públicas.

Cada versión publicada queda a la vista con su fecha; lo publicado es la foto de los planes
aprobados que se consolidaron, y no cambia: una versión posterior se publica al lado.
"""

import sqlalchemy as sa
from flask import abort, redirect, render_template, request
from sqlalchemy.orm import selectinload

from gestion.excel import pai as excel_pai
from gestion.planes import campos
from gestion.planes.plan_accion import resumen_pai
from gestion.publicacion import ajustes_publicos, pai_publico
from gestion.trabajos import cola
from modelos import EstadoPlan, EstadoTrabajo, Plan, TipoPlan, Vigencia, db

from .descargas import enviar_libro
from .parametros import entero
from .publico import publico
from .trabajos import RECARGA, enviar_resultado, lanzar


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
    return {"dependencia_id": entero("dependencia", request.args), "objetivo_id": entero("objetivo", request.args)}


@publico.route("/pai/")
def pai_indice():
    return render_template("publico_pai/indice.html", planes=_publicados())


@publico.route("/pai/<int:plan_id>")
def pai(plan_id: int):
    """Los totales del PAI (filtrados) y una página de sus actividades: la respuesta no crece con el PAI."""
    pai = _pai_publicado(plan_id)
    filtros = _filtros()
    pagina = pai_publico.pagina_pai(pai, **filtros, pagina=request.args.get("pagina", 1, type=int),
                                    pagina_dependencias=request.args.get("pagina_dependencias", 1, type=int))
    historia = ajustes_publicos.historia_pai(pai)
    ultima = historia[0].plan
    return render_template("publico_pai/pai.html", pai=pai, pagina=pagina, resumen=pagina.resumen, filtros=filtros,
                           dependencias=pagina.dependencias, objetivos=pagina.objetivos, campos=campos.PUBLICOS,
                           etiqueta_objetivo=campos.POR_NOMBRE["objetivo"].etiqueta, historia=historia, ultima=ultima,
                           con_ajustes=next(v.ajustes for v in historia if v.plan.id == pai.id),
                           por_publicar=ajustes_publicos.por_publicar_en_pai(pai),
                           integrados=pai_publico.indice_integrados(pai))


@publico.route("/pai/<int:plan_id>.xlsx", methods=("GET", "POST"))
def pai_xlsx(plan_id: int):
    """Un PAI grande se prepara como trabajo una sola vez por versión y filtros (lo publicado no cambia): la
    misma dirección muestra el progreso mientras tanto y luego entrega el libro guardado. POST reintenta."""
    pai = _pai_publicado(plan_id)
    filtros = _filtros()
    if not cola.supera_umbral(cola.filas_del_pai(pai)):
        return enviar_libro(excel_pai.libro_pai(resumen_pai(pai, **filtros)), excel_pai.nombre_archivo(pai))
    clave = f"pai:{pai.id}:{filtros['dependencia_id'] or ''}:{filtros['objetivo_id'] or ''}"
    trabajo = lanzar("pai_xlsx", {"plan_id": pai.id, **filtros}, f"Libro de «{pai}»", clave=clave, publico=True,
                     reintentar_fallido=request.method == "POST")
    if trabajo.estado is EstadoTrabajo.TERMINADO and cola.ruta_resultado(trabajo) is not None:
        return enviar_resultado(trabajo)
    if request.method == "POST":
        return redirect(request.full_path)
    return render_template("trabajos/publico.html", trabajo=trabajo, recarga=RECARGA if trabajo.activo else None)
