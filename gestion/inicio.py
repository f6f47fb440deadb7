"""Lo que cada rol tiene pendiente, para la página de inicio (DOMINIO §7): qué hacer ahora y para cuándo."""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from gestion import alcance
from gestion import controles_plan_accion as controles
from gestion import roles as R
from gestion.permisos import VER, puede, roles_de
from modelos import (Actividad, EstadoAjuste, EstadoPlan, EstadoReporte, EtapaCronograma, FaseCronograma,
                     MetaTerritorial, Plan, ReporteTrimestral, SolicitudAjuste, TipoPlan, Vigencia, db)

E = EstadoPlan


@dataclass
class Seccion:
    titulo: str
    vacio: str
    filas: list = field(default_factory=list)


@dataclass
class Tablero:
    fase_actual: EtapaCronograma | None
    proximas: list
    secciones: list
    vigencia: Vigencia | None = None
    dias_restantes: int | None = None
    vencidas: list[str] = field(default_factory=list)
    # director: su plan de la vigencia con la lista de chequeo
    mis_planes: list = field(default_factory=list)
    # Dirección Territorial: las metas trimestrales que le toca fijar
    metas_por_fijar: list = field(default_factory=list)
    # OAP: planes recibidos con su lista de chequeo (None: no le toca verificar), y dependencias atrasadas
    bandeja: list | None = None
    atrasados: list = field(default_factory=list)
    # jefe OAP: la vigencia está lista para consolidar
    listo_para_consolidar: bool = False
    enlazar_planes: bool = False


def _planes(usuario, *condiciones):
    consulta = sa.select(Plan).where(Plan.vigente, *condiciones).order_by(Plan.id)
    condicion = alcance.criterio(Plan, usuario)
    if condicion is not None:
        consulta = consulta.where(condicion)
    return db.session.scalars(consulta).all()


def _fase_actual(hoy: date):
    return db.session.scalars(
        sa.select(EtapaCronograma).where(EtapaCronograma.inicio <= hoy, EtapaCronograma.fin >= hoy)
        .order_by(EtapaCronograma.inicio)).first()


def _proximas(hoy: date):
    return db.session.scalars(
        sa.select(EtapaCronograma).where(EtapaCronograma.inicio > hoy).order_by(EtapaCronograma.inicio)
        .limit(3)).all()


def vigencia_del_ciclo(hoy: date) -> Vigencia | None:
    """La vigencia cuyo ciclo de formulación está en curso o fue el último en empezar."""
    return db.session.scalars(
        sa.select(Vigencia).join(EtapaCronograma, EtapaCronograma.vigencia_id == Vigencia.id)
        .where(EtapaCronograma.inicio <= hoy).order_by(EtapaCronograma.inicio.desc())).first()


def _vencimientos(usuario, vigencia: Vigencia, hoy: date, planes: list[Plan]) -> list[str]:
    """Lo que el cronograma ya debía tener hecho y sigue pendiente."""
    etapas = {e.fase: e for e in vigencia.cronograma}
    vencidas = []

    def vencio(fase):
        etapa = etapas.get(fase)
        return etapa if etapa is not None and etapa.fin < hoy else None

    sin_enviar = [p for p in planes if p.estado in (E.BORRADOR, E.DEVUELTO)]
    etapa = vencio(FaseCronograma.FORMULACION)
    if etapa and sin_enviar:
        vencidas.append(f"{etapa.fase.etiqueta} venció el {etapa.fin:%d/%m/%Y}: {len(sin_enviar)} plan(es) sin "
                        "enviar (" + ", ".join(p.dependencia.nombre for p in sin_enviar) + ").")
    sin_aprobar = [p for p in planes if p.estado is E.ENVIADO]
    etapa = vencio(FaseCronograma.APROBACION)
    if etapa and sin_aprobar:
        vencidas.append(f"{etapa.fase.etiqueta} venció el {etapa.fin:%d/%m/%Y}: {len(sin_aprobar)} plan(es) "
                        "recibidos sin aprobar.")
    if roles_de(usuario) & (R.PLANEACION | R.COMITES | {R.CONTROL_INTERNO}):
        pai = db.session.scalars(sa.select(Plan).where(Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == vigencia.id)
                                 .order_by(Plan.numero_version.desc())).first()
        estado_pai = pai.estado if pai else None
        for fase, hechos, que in (
                (FaseCronograma.CONSOLIDACION, (E.CONSOLIDADO, E.PRESENTADO, E.PUBLICADO), "consolidado"),
                (FaseCronograma.COMITE, (E.PRESENTADO, E.PUBLICADO), "presentado al comité"),
                (FaseCronograma.PUBLICACION, (E.PUBLICADO,), "publicado")):
            etapa = vencio(fase)
            if etapa and estado_pai not in hechos:
                vencidas.append(f"{etapa.fase.etiqueta} venció el {etapa.fin:%d/%m/%Y}: el Plan de Acción "
                                f"Institucional {vigencia.anio} no está {que}.")
                break
    return vencidas


def tablero(usuario, hoy: date | None = None) -> Tablero:
    hoy = hoy or date.today()
    roles = roles_de(usuario)
    fase = _fase_actual(hoy)
    vigencia = fase.vigencia if fase else vigencia_del_ciclo(hoy)
    resultado = Tablero(fase, _proximas(hoy), [], vigencia=vigencia,
                        dias_restantes=(fase.fin - hoy).days if fase else None,
                        enlazar_planes=puede(usuario, VER, "planes_accion"))
    planes_ciclo = (_planes(usuario, Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia.id)
                    if vigencia else [])
    if vigencia:
        resultado.vencidas = _vencimientos(usuario, vigencia, hoy, planes_ciclo)

    secciones = resultado.secciones
    if R.DIRECTOR in roles:
        resultado.mis_planes = [(p, controles.evaluar(p)) for p in planes_ciclo]
    if R.TERRITORIAL in roles and vigencia and usuario.dependencia_id:
        resultado.metas_por_fijar = db.session.scalars(
            sa.select(MetaTerritorial).join(MetaTerritorial.actividad).join(Actividad.plan).where(
                MetaTerritorial.dependencia_id == usuario.dependencia_id, Plan.vigencia_id == vigencia.id,
                Plan.vigente, Plan.estado.in_([E.BORRADOR, E.DEVUELTO])).order_by(Actividad.codigo)).all()
    if roles & R.CON_DEPENDENCIA:
        secciones.append(Seccion("Planes de acción de su dependencia", "Su dependencia no tiene planes de acción.",
                                 _planes(usuario, Plan.tipo == TipoPlan.PA)))
    if roles & R.PLANEACION:
        resultado.bandeja = [(p, controles.evaluar(p)) for p in _planes(
            usuario, Plan.tipo == TipoPlan.PA, Plan.estado == E.ENVIADO)]
        resultado.atrasados = [p for p in planes_ciclo if p.estado in (E.BORRADOR, E.DEVUELTO)]
        secciones.append(Seccion(
            "Reportes trimestrales por revisar", "No hay reportes por revisar.",
            db.session.scalars(sa.select(ReporteTrimestral).where(
                ReporteTrimestral.estado == EstadoReporte.REPORTADO)).all()))
        secciones.append(Seccion(
            "Ajustes por revisar", "No hay ajustes por revisar.",
            db.session.scalars(sa.select(SolicitudAjuste).where(
                SolicitudAjuste.estado == EstadoAjuste.SOLICITADO)).all()))
    if R.JEFE_OAP in roles:
        resultado.listo_para_consolidar = bool(planes_ciclo) and all(p.estado is E.APROBADO for p in planes_ciclo) \
            and not _planes(usuario, Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == vigencia.id)
        secciones.append(Seccion("Listos para presentar o publicar", "Nada listo para presentar o publicar.",
                                 _planes(usuario, Plan.estado.in_([E.APROBADO, E.CONSOLIDADO, E.PRESENTADO]),
                                         Plan.tipo != TipoPlan.PA)))
    if roles & R.COMITES:
        secciones.append(Seccion("Planes en concertación", "No hay planes esperando su decisión.",
                                 _planes(usuario, Plan.estado == E.EN_CONCERTACION)))
    if R.COMITE_INSTITUCIONAL in roles:
        secciones.append(Seccion("Plan de Acción Institucional por presentar al comité",
                                 "No hay un Plan de Acción Institucional esperando la sesión del comité.",
                                 _planes(usuario, Plan.tipo == TipoPlan.PAI, Plan.estado == E.CONSOLIDADO)))
    if R.CONTROL_INTERNO in roles:
        secciones.append(Seccion("Planes vigentes", "No hay planes.", _planes(usuario)))
    return resultado
