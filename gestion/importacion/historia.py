"""Cargar como historia el plan de acción aprobado de una vigencia pasada y sus trimestres reportados, desde el
libro propio de la oficina: así el tablero y su tendencia tienen un pasado desde el primer día.

Lo hace la OAP. El plan de la dependencia en esa vigencia se crea (o se llena, si existe vacío y en borrador) ya
aprobado, sin pasar por las transiciones del procedimiento, porque se aprobó fuera de la herramienta; sus
trimestres quedan como reportes aceptados. Las actividades se leen con el mapeo del plan
(`gestion.importacion.mapeo`, con las reglas de la plantilla) y cada trimestre con el suyo
(`gestion.importacion.avances_propios`). Todo o nada. Queda marcado «cargado como historia» (quién, cuándo, de qué
archivo), en el historial y en la auditoría, y desde entonces nadie lo modifica (`flujo.motivo_historia`). Las
cifras guardadas de la vigencia se rehacen. Las ventanas de reporte de esa vigencia no se tocan: siguen cerradas.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from gestion.base import auditoria, formato
from gestion.importacion import actividades
from gestion.importacion import avances_propios as avances
from gestion.importacion import mapeo as generico
from gestion.importacion.lectura import ErrorFila, ImportacionRechazada
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.permisos import AccesoDenegado, roles_de
from gestion.seguimiento import cifras_guardadas
from modelos import Avance, Dependencia, EstadoPlan, EstadoReporte, Plan, ReporteTrimestral, TipoPlan, Vigencia, ahora, db


@dataclass
class Resultado:
    plan: Plan
    actividades: int
    trimestres: dict[int, int] = field(default_factory=dict)  # trimestre → ítems con fila en el libro


def motivo_no_cargar(usuario, dependencia: Dependencia, vigencia: Vigencia, hoy: date | None = None) -> str | None:
    """None si `usuario` puede cargar como historia el plan de `dependencia` en `vigencia`; si no, la razón."""
    if not roles_de(usuario) & R.PLANEACION:
        return "Solo la OAP carga como historia el plan de una vigencia pasada."
    if vigencia.anio >= (hoy or formato.hoy()).year:
        return f"La vigencia {vigencia} no ha terminado: su plan sigue el procedimiento, no se carga como historia."
    existente = _plan_de(dependencia, vigencia)
    if existente is not None and (existente.estado is not EstadoPlan.BORRADOR or existente.actividades):
        return (f"{dependencia.nombre} ya tiene «{existente}» en {vigencia} ({existente.estado.etiqueta.lower()}, "
                f"{len(existente.actividades)} actividad(es)): la historia solo se carga en un plan que no existe o "
                "está vacío.")
    return None


def _plan_de(dependencia: Dependencia, vigencia: Vigencia) -> Plan | None:
    return db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PA, dependencia_id=dependencia.id,
                                                       vigencia_id=vigencia.id, vigente=True))


def _trimestre(plan: Plan, dependencia: Dependencia, trimestre: int, contenido: bytes, mapeo: generico.Mapeo,
               usuario, momento, errores: list[ErrorFila]) -> int:
    """El reporte aceptado del trimestre, con lo que el libro trae de cada actividad (lo que no trae, en cero). Sin
    la justificación que el formulario pide bajo la meta: es lo que se reportó entonces, tal como se reportó."""
    reporte = ReporteTrimestral(plan=plan, dependencia=dependencia, vigencia=plan.vigencia, trimestre=trimestre,
                                estado=EstadoReporte.ACEPTADO, enviado_en=momento, enviado_por_id=usuario.id,
                                revisado_en=momento, revisado_por_id=usuario.id)
    reporte.avances = [Avance(actividad=a, valor_logrado=Decimal(0)) for a in plan.actividades]
    db.session.add(reporte)
    db.session.flush()
    lectura = generico.leer_celdas(contenido, mapeo, avances.AVANCES)
    propios: list[ErrorFila] = list(lectura.errores)
    if "periodo" in mapeo.columnas:
        avances.del_periodo(lectura, trimestre, propios)
    filas, _ = avances.del_reporte(reporte, lectura, propios)
    for fila in filas:
        v = fila.valores
        negativos = [avances.TITULO[a] for a in ("valor", "comprometido", "pagado") if (v.get(a) or 0) < 0]
        if negativos:
            propios.append(ErrorFila(fila.numero, f"{', '.join(negativos)}: debe ser mayor o igual a cero."))
            continue
        if (v.get("pagado") or 0) > (v.get("comprometido") or 0):
            propios.append(ErrorFila(fila.numero, "lo pagado no puede superar lo comprometido."))
            continue
        enlace, referencia = avances.enlace_o_referencia(v.get("evidencia"))
        avance = fila.avance
        avance.valor_logrado = v.get("valor") or Decimal(0)
        avance.avance_cualitativo, avance.justificacion = v.get("avance_cualitativo"), v.get("justificacion")
        avance.evidencia_enlace, avance.evidencia_referencia = enlace and enlace[:500], referencia
        avance.presupuesto_comprometido = v.get("comprometido") or Decimal(0)
        avance.presupuesto_pagado = v.get("pagado") or Decimal(0)
    errores.extend(ErrorFila(e.fila, f"T{trimestre} · {e.mensaje}", e.columna) for e in propios)
    flujo.registrar_historial(reporte, "cargar_historia", None, EstadoReporte.ACEPTADO, usuario,
                              "Cargado como historia.")
    return len(filas)


def cargar(dependencia: Dependencia, vigencia: Vigencia, contenido: bytes, plan_mapeo: generico.Mapeo,
           trimestres: dict[int, generico.Mapeo], usuario, archivo: str, hoy: date | None = None) -> Resultado:
    """Carga el plan y sus trimestres como historia, todo o nada. Nunca hace commit."""
    motivo = motivo_no_cargar(usuario, dependencia, vigencia, hoy)
    if motivo:
        raise AccesoDenegado(motivo) if not roles_de(usuario) & R.PLANEACION else ImportacionRechazada([motivo])
    guardado = db.session.begin_nested()
    plan = _plan_de(dependencia, vigencia)
    if plan is None:
        plan = Plan(tipo=TipoPlan.PA, nombre=f"Plan de Acción {vigencia} – {dependencia.nombre}"[:300],
                    vigencia=vigencia, dependencia=dependencia)
        db.session.add(plan)
        db.session.flush()
    lectura = generico.leer(contenido, plan_mapeo)
    errores = list(lectura.errores)
    _, invalidas = actividades.validar_filas(plan, lectura.filas)
    errores.extend(invalidas)
    if errores:
        guardado.rollback()
        raise ImportacionRechazada(sorted(errores, key=lambda e: e.fila))
    carga = actividades.importar_filas(plan, lectura.filas, usuario, origen=f"el libro «{archivo[:150]}» (historia)",
                                       exigir=lambda *_: None)
    db.session.refresh(plan, ["actividades"])
    momento = ahora()
    plan.estado, plan.aprobado_en, plan.aprobado_por_id = EstadoPlan.APROBADO, momento, usuario.id
    resultado = Resultado(plan, carga.cargadas)
    for trimestre, mapeo in sorted(trimestres.items()):
        resultado.trimestres[trimestre] = _trimestre(plan, dependencia, trimestre, contenido, mapeo, usuario, momento,
                                                     errores)
    if errores:
        guardado.rollback()
        raise ImportacionRechazada(sorted(errores, key=lambda e: e.fila))
    # La marca, al final: antes, la carga de las filas no la dejaría escribir.
    plan.historia_en, plan.historia_por_id, plan.historia_archivo = momento, usuario.id, archivo[:200]
    flujo.registrar_historial(plan, "cargar_historia", EstadoPlan.BORRADOR, EstadoPlan.APROBADO, usuario,
                              f"Cargado como historia desde «{archivo[:150]}»: {carga.cargadas} actividad(es), "
                              f"trimestre(s) {', '.join(map(str, resultado.trimestres)) or 'ninguno'}.")
    auditoria.registrar_evento("cargar_historia", "plan", plan.id, {
        "archivo": archivo[:200], "cargado_por": usuario.email, "actividades": carga.cargadas,
        "trimestres": resultado.trimestres})
    guardado.commit()
    cifras_guardadas.recalcular(vigencia)  # el tablero y su tendencia leen las cifras guardadas
    return resultado


def mensaje(resultado: Resultado) -> str:
    trimestres = ", ".join(f"T{t} ({n} ítem(s))" for t, n in resultado.trimestres.items()) or "ningún trimestre"
    return (f"«{resultado.plan}» cargado como historia: {resultado.actividades} actividad(es) y {trimestres}. "
            "Es de solo lectura.")


def previa(dependencia: Dependencia, vigencia: Vigencia, contenido: bytes, plan_mapeo: generico.Mapeo,
           trimestres: dict[int, generico.Mapeo], usuario, archivo: str,
           hoy: date | None = None) -> tuple[Resultado | None, list[str]]:
    """Lo que haría `cargar`, sin que quede nada: lo cargado (o todos los errores), deshecho al terminar."""
    ensayo = db.session.begin_nested()
    try:
        resultado = cargar(dependencia, vigencia, contenido, plan_mapeo, trimestres, usuario, archivo, hoy)
        return Resultado(None, resultado.actividades, dict(resultado.trimestres)), []
    except ImportacionRechazada as rechazo:
        return None, rechazo.errores
    finally:
        ensayo.rollback()
