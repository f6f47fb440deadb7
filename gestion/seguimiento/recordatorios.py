"""Recordatorios de plazos, para un cron diario (`flask --app wsgi gestion recordatorios`).

Antes y después de un plazo (el envío del plan de acción según el cronograma, el cierre de una ventana de
reporte), un correo solo a las dependencias que aún no han enviado, en los días de la cadencia
(GESTION_RECORDATORIOS_DIAS: días antes del plazo, negativos después). Cada recordatorio queda registrado
y nunca se repite para el mismo paso, dependencia y punto de la cadencia; la OAP ve a quién se le recordó.
"""
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from gestion.base import correo, formato
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.seguimiento import consultas
from modelos import (
    Dependencia,
    EstadoReporte,
    EtapaCronograma,
    FaseCronograma,
    Plan,
    Recordatorio,
    TipoDependencia,
    TipoPlan,
    VentanaReporte,
    db,
)

QUIEN_REPORTA = {TipoDependencia.CENTRAL: R.DIRECTOR, TipoDependencia.TERRITORIAL: R.TERRITORIAL,
                 TipoDependencia.ENTIDAD: R.ENTIDAD}
POR_ENVIAR = (EstadoReporte.EN_REPORTE, EstadoReporte.DEVUELTO)


@dataclass(frozen=True)
class Plazo:
    paso: str
    descripcion: str
    fecha: date
    dependencia: Dependencia
    rol: str
    pagina: str


def cadencia() -> list[int]:
    dias = current_app.config["GESTION_RECORDATORIOS_DIAS"]
    return [int(d) for d in (dias.split(",") if isinstance(dias, str) else dias)]


def _entre(columna, hoy: date, dias: list[int]):
    return columna.between(hoy - timedelta(days=max(-min(dias), 0)), hoy + timedelta(days=max(max(dias), 0)))


def _formulacion(hoy: date, dias: list[int]) -> list[Plazo]:
    plazos = []
    for etapa in db.session.scalars(sa.select(EtapaCronograma).where(
            EtapaCronograma.fase == FaseCronograma.FORMULACION, _entre(EtapaCronograma.fin, hoy, dias))):
        sin_enviar = db.session.scalars(sa.select(Plan).where(
            Plan.tipo == TipoPlan.PA, Plan.vigencia_id == etapa.vigencia_id, Plan.vigente,
            Plan.estado.in_(flujo.estados_editables(Plan, TipoPlan.PA)))).all()
        for plan in sin_enviar:
            plazos.append(Plazo(f"formulacion-{etapa.vigencia.anio}",
                                f"Envío del Plan de Acción {etapa.vigencia.anio} a la OAP", etapa.fin,
                                plan.dependencia, R.DIRECTOR, correo.enlace("planes_accion.ficha", id=plan.id)))
    return plazos


def _reportes(hoy: date, dias: list[int]) -> list[Plazo]:
    plazos = []
    ventanas = db.session.scalars(sa.select(VentanaReporte).where(
        VentanaReporte.abierta, _entre(VentanaReporte.cierra, hoy, dias))).all()
    dependencias = db.session.scalars(sa.select(Dependencia).where(Dependencia.activa)
                                      .order_by(Dependencia.codigo)).all() if ventanas else []
    for ventana in ventanas:
        for dependencia in dependencias:
            pendiente = any(
                (reporte := consultas.reporte_de(plan, dependencia.id, ventana.vigencia_id, ventana.trimestre))
                is None or reporte.estado in POR_ENVIAR
                for plan in consultas.planes_a_reportar(dependencia.id, ventana.vigencia))
            if pendiente:
                plazos.append(Plazo(f"reporte-{ventana.vigencia.anio}-T{ventana.trimestre}",
                                    f"Reporte del trimestre {ventana.trimestre} de {ventana.vigencia.anio}",
                                    ventana.cierra, dependencia, QUIEN_REPORTA[dependencia.tipo],
                                    correo.enlace("reportetrimestral.nuevo", vigencia=ventana.vigencia.anio)))
    return plazos


def _texto(plazo: Plazo, desfase: int) -> tuple[str, str]:
    if desfase > 0:
        cuando = f"vence en {desfase} día{'s' if desfase != 1 else ''}, el {plazo.fecha:%d/%m/%Y}"
    elif desfase == 0:
        cuando = f"vence hoy, {plazo.fecha:%d/%m/%Y}"
    else:
        cuando = f"venció hace {-desfase} día{'s' if desfase != -1 else ''}, el {plazo.fecha:%d/%m/%Y}"
    asunto = f"Recordatorio: {plazo.descripcion} {cuando.split(',')[0]}"
    cuerpo = (f"La Oficina Asesora de Planeación le recuerda que el plazo de «{plazo.descripcion}» {cuando}. "
              f"{plazo.dependencia.nombre} aún no lo ha enviado.")
    return asunto, cuerpo


def enviar(hoy: date | None = None) -> list[Recordatorio]:
    """Encola los recordatorios que tocan hoy y los registra; el borde (el comando) hace commit y envía."""
    hoy, dias = hoy or formato.hoy(), cadencia()
    enviados = {(r.paso, r.dependencia_id, r.desfase) for r in db.session.scalars(sa.select(Recordatorio))}
    nuevos = []
    for plazo in _formulacion(hoy, dias) + _reportes(hoy, dias):
        desfase = (plazo.fecha - hoy).days
        clave = (plazo.paso, plazo.dependencia.id, desfase)
        if desfase not in dias or clave in enviados:
            continue
        correos = correo.destinatarios(plazo.rol, dependencia_id=plazo.dependencia.id)
        if not correos:
            continue
        asunto, cuerpo = _texto(plazo, desfase)
        correo.avisar(asunto, correos, cuerpo, plazo.pagina)
        recordatorio = Recordatorio(paso=plazo.paso, descripcion=plazo.descripcion, dependencia=plazo.dependencia,
                                    plazo=plazo.fecha, desfase=desfase, destinatarios=", ".join(correos))
        db.session.add(recordatorio)
        enviados.add(clave)
        nuevos.append(recordatorio)
    db.session.flush()
    return nuevos
