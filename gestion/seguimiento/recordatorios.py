"""Recordatorios de plazos: los envía solo el trabajador (cada GESTION_RECORDATORIOS_CADA segundos) o, sin
Redis, `flask --app wsgi gestion recordatorios` a mano o desde un cron.

- A las dependencias que aún no envían: su plan de acción antes y después del fin de la formulación del
  cronograma, y su reporte trimestral mientras la ventana está abierta para ellas (por la regla de las
  ventanas: su cierre, o el de la reapertura que las cobija), en los días de GESTION_RECORDATORIOS_DIAS.
- A la OAP: el fin de cada etapa del cronograma que le toca mientras siga pendiente, en los mismos días; y los
  reportes que llevan GESTION_RECORDATORIO_REVISION_DIAS días (o un múltiplo) esperando su revisión.

Nunca dos veces: cada recordatorio se registra por paso, destinatario y fecha (una restricción única de la
base) y se confirma antes de que salga su correo; si otro proceso ya lo registró, este no lo envía.
"""
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from gestion.base import correo, formato
from gestion.reglas import flujo, ventanas
from gestion.reglas import roles as R
from gestion.seguimiento import calidad, consultas
from modelos import (
    Dependencia,
    EstadoPlan,
    EstadoReporte,
    EtapaCronograma,
    FaseCronograma,
    Plan,
    Recordatorio,
    ReporteTrimestral,
    TipoDependencia,
    TipoPlan,
    VentanaReporte,
    db,
)

QUIEN_REPORTA = {TipoDependencia.CENTRAL: R.DIRECTOR, TipoDependencia.TERRITORIAL: R.TERRITORIAL,
                 TipoDependencia.ENTIDAD: R.ENTIDAD}
POR_ENVIAR = (EstadoReporte.EN_REPORTE, EstadoReporte.DEVUELTO)
E = EstadoPlan
# Las etapas del cronograma que hace la OAP, y cuándo ya no hay nada pendiente en ellas (None: no se sabe).
PAI_HECHO = {FaseCronograma.CONSOLIDACION: (E.CONSOLIDADO, E.PRESENTADO, E.PUBLICADO),
             FaseCronograma.COMITE: (E.PRESENTADO, E.PUBLICADO), FaseCronograma.PUBLICACION: (E.PUBLICADO,)}
ETAPAS_OAP = (FaseCronograma.COMPROMISOS, FaseCronograma.SOLICITUD, FaseCronograma.VERIFICACION,
              FaseCronograma.APROBACION, *PAI_HECHO)


@dataclass(frozen=True)
class Aviso:
    paso: str
    descripcion: str
    asunto: str
    cuerpo: str
    pagina: str
    destinatarios: tuple
    dependencia_id: int | None = None
    plazo: date | None = None
    desfase: int | None = None


def cadencia() -> list[int]:
    dias = current_app.config["GESTION_RECORDATORIOS_DIAS"]
    return [int(d) for d in (dias.split(",") if isinstance(dias, str) else dias)]


def _cuando(fecha: date, desfase: int) -> str:
    if desfase > 0:
        return f"vence en {desfase} día{'s' if desfase != 1 else ''}, el {fecha:%d/%m/%Y}"
    if desfase == 0:
        return f"vence hoy, {fecha:%d/%m/%Y}"
    return f"venció hace {-desfase} día{'s' if desfase != -1 else ''}, el {fecha:%d/%m/%Y}"


def _a_dependencia(paso: str, descripcion: str, fecha: date, hoy: date, dependencia: Dependencia, rol: str,
                   pagina: str) -> Aviso:
    desfase = (fecha - hoy).days
    cuando = _cuando(fecha, desfase)
    return Aviso(paso, descripcion, f"Recordatorio: {descripcion} {cuando.split(',')[0]}",
                 f"La Oficina Asesora de Planeación le recuerda que el plazo de «{descripcion}» {cuando}. "
                 f"{dependencia.nombre} aún no lo ha enviado.", pagina,
                 tuple(correo.destinatarios(rol, dependencia_id=dependencia.id)), dependencia.id, fecha, desfase)


def _entre(columna, hoy: date, dias: list[int]):
    return columna.between(hoy - timedelta(days=max(-min(dias), 0)), hoy + timedelta(days=max(max(dias), 0)))


def _formulacion(hoy: date, dias: list[int]) -> list[Aviso]:
    avisos = []
    for etapa in db.session.scalars(sa.select(EtapaCronograma).where(
            EtapaCronograma.fase == FaseCronograma.FORMULACION, _entre(EtapaCronograma.fin, hoy, dias))):
        if (etapa.fin - hoy).days not in dias:
            continue
        sin_enviar = db.session.scalars(sa.select(Plan).where(
            Plan.tipo == TipoPlan.PA, Plan.vigencia_id == etapa.vigencia_id, Plan.vigente,
            Plan.estado.in_(flujo.estados_editables(Plan, TipoPlan.PA)))).all()
        for plan in sin_enviar:
            avisos.append(_a_dependencia(f"formulacion-{etapa.vigencia.anio}",
                                         f"Envío del Plan de Acción {etapa.vigencia.anio} a la OAP", etapa.fin, hoy,
                                         plan.dependencia, R.DIRECTOR,
                                         correo.enlace("planes_accion.ficha", id=plan.id)))
    return avisos


def _reportes(hoy: date, dias: list[int]) -> list[Aviso]:
    """A quien tiene la ventana abierta hoy (por la regla de las ventanas) y aún no envía, según su cierre."""
    avisos = []
    abiertas = db.session.scalars(sa.select(VentanaReporte).where(ventanas.abiertas(hoy, para_alguna=True))).all()
    dependencias = db.session.scalars(sa.select(Dependencia).where(Dependencia.activa)
                                      .order_by(Dependencia.codigo)).all() if abiertas else []
    for ventana in abiertas:
        for dependencia in dependencias:
            if not ventanas.abierta(ventana, hoy, dependencia.id):
                continue
            cierre = ventanas.cierre_para(ventana, hoy, dependencia.id)
            if (cierre - hoy).days not in dias:
                continue
            pendiente = any(
                (reporte := consultas.reporte_de(plan, dependencia.id, ventana.vigencia_id, ventana.trimestre))
                is None or reporte.estado in POR_ENVIAR
                for plan in consultas.planes_a_reportar(dependencia.id, ventana.vigencia))
            if pendiente:
                avisos.append(_a_dependencia(
                    f"reporte-{ventana.vigencia.anio}-T{ventana.trimestre}",
                    f"Reporte del trimestre {ventana.trimestre} de {ventana.vigencia.anio}", cierre, hoy, dependencia,
                    QUIEN_REPORTA[dependencia.tipo],
                    correo.enlace("reportetrimestral.nuevo", vigencia=ventana.vigencia.anio)))
    return avisos


def _etapa_pendiente(etapa: EtapaCronograma) -> bool:
    if etapa.fase in PAI_HECHO:
        pai = db.session.scalars(sa.select(Plan).where(Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == etapa.vigencia_id)
                                 .order_by(Plan.numero_version.desc())).first()
        return pai is None or pai.estado not in PAI_HECHO[etapa.fase]
    if etapa.fase in (FaseCronograma.VERIFICACION, FaseCronograma.APROBACION):
        return db.session.scalar(sa.select(sa.func.count(Plan.id)).where(
            Plan.tipo == TipoPlan.PA, Plan.vigencia_id == etapa.vigencia_id, Plan.vigente,
            Plan.estado == E.ENVIADO)) > 0
    return True  # identificar compromisos y solicitar los planes no dejan rastro en la base: se recuerdan siempre


def _cronograma_oap(hoy: date, dias: list[int]) -> list[Aviso]:
    avisos = []
    oap = tuple(correo.destinatarios(*R.PLANEACION))
    for etapa in db.session.scalars(sa.select(EtapaCronograma).where(
            EtapaCronograma.fase.in_(ETAPAS_OAP), _entre(EtapaCronograma.fin, hoy, dias))
            .order_by(EtapaCronograma.fin)):
        desfase = (etapa.fin - hoy).days
        if desfase not in dias or not _etapa_pendiente(etapa):
            continue
        descripcion = f"{etapa.fase.etiqueta} del Plan de Acción {etapa.vigencia.anio}"
        cuando = _cuando(etapa.fin, desfase)
        avisos.append(Aviso(f"cronograma-{etapa.vigencia.anio}-{etapa.fase.value}", descripcion,
                            f"Cronograma: {descripcion} {cuando.split(',')[0]}",
                            f"La etapa «{descripcion}» del cronograma {cuando} y sigue pendiente.",
                            correo.enlace("etapacronograma.index_view"), oap, None, etapa.fin, desfase))
    return avisos


def _revision(hoy: date) -> list[Aviso]:
    """Un aviso a la OAP el día en que algún reporte cumple N días (o 2N, 3N…) esperando, con todos los que
    llevan N o más, del más antiguo al más reciente."""
    n = int(current_app.config["GESTION_RECORDATORIO_REVISION_DIAS"])
    reportes = db.session.scalars(sa.select(ReporteTrimestral).where(
        ReporteTrimestral.estado == EstadoReporte.REPORTADO).order_by(ReporteTrimestral.enviado_en)).all()
    esperando = [(r, d) for r in reportes if (d := calidad.dias_en_espera(r, hoy)) is not None and d >= n]
    if n <= 0 or not any(d % n == 0 for _, d in esperando):
        return []
    lineas = "\n".join(f"- {r.plan} · {r.dependencia.nombre} · T{r.trimestre} {r.vigencia.anio}: {d} días"
                       for r, d in esperando)
    return [Aviso("revision", "Reportes esperando revisión", f"Revisión: {len(esperando)} reporte(s) esperan "
                  f"{n} días o más", f"Estos reportes esperan la revisión de la OAP:\n{lineas}",
                  correo.enlace("reportetrimestral.index_view"), tuple(correo.destinatarios(*R.PLANEACION)))]


def pendientes(hoy: date) -> list[Aviso]:
    """Lo que toca recordar hoy, a quién (sin mirar lo ya enviado)."""
    dias = cadencia()
    return _formulacion(hoy, dias) + _reportes(hoy, dias) + _cronograma_oap(hoy, dias) + _revision(hoy)


def enviar(hoy: date | None = None) -> list[Recordatorio]:
    """Envía los recordatorios de hoy que nadie ha enviado. Confirma cada registro antes de su correo (por
    eso confirma por su cuenta): si otro proceso ganó la fila, la restricción única lo dice y no se envía."""
    hoy = hoy or formato.hoy()
    avisos = pendientes(hoy)
    ya = set(db.session.execute(sa.select(Recordatorio.paso, Recordatorio.destinatario)
                                .where(Recordatorio.fecha == hoy)).all())
    db.session.commit()
    enviados = []
    for aviso in avisos:
        for destinatario in aviso.destinatarios:
            if (aviso.paso, destinatario) in ya:
                continue
            fila = Recordatorio(paso=aviso.paso, descripcion=aviso.descripcion, dependencia_id=aviso.dependencia_id,
                                plazo=aviso.plazo, desfase=aviso.desfase, destinatario=destinatario, fecha=hoy)
            db.session.add(fila)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()  # otro proceso lo registró primero: ese lo envía
                continue
            ya.add((aviso.paso, destinatario))
            correo.avisar(aviso.asunto, [destinatario], aviso.cuerpo, aviso.pagina)
            correo.enviar_pendientes()
            enviados.append(fila)
    return enviados
