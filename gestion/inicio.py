"""Lo que cada rol tiene pendiente, para la página de inicio (DOMINIO §7)."""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from gestion import alcance
from gestion import roles as R
from gestion.permisos import roles_de
from modelos import (EstadoAjuste, EstadoPlan, EstadoReporte, EtapaCronograma, Plan, ReporteTrimestral,
                     SolicitudAjuste, TipoPlan, db)


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


def tablero(usuario, hoy: date | None = None) -> Tablero:
    hoy = hoy or date.today()
    roles = roles_de(usuario)
    secciones = []
    if roles & R.CON_DEPENDENCIA:
        secciones.append(Seccion("Planes de acción de su dependencia", "Su dependencia no tiene planes de acción.",
                                 _planes(usuario, Plan.tipo == TipoPlan.PA)))
    if roles & R.PLANEACION:
        secciones.append(Seccion("Planes recibidos, por verificar", "No hay planes esperando verificación.",
                                 _planes(usuario, Plan.estado == EstadoPlan.ENVIADO)))
        secciones.append(Seccion(
            "Reportes trimestrales por revisar", "No hay reportes por revisar.",
            db.session.scalars(sa.select(ReporteTrimestral).where(
                ReporteTrimestral.estado == EstadoReporte.REPORTADO)).all()))
        secciones.append(Seccion(
            "Ajustes por revisar", "No hay ajustes por revisar.",
            db.session.scalars(sa.select(SolicitudAjuste).where(
                SolicitudAjuste.estado == EstadoAjuste.SOLICITADO)).all()))
    if R.JEFE_OAP in roles:
        secciones.append(Seccion("Listos para presentar o publicar", "Nada listo para presentar o publicar.",
                                 _planes(usuario, Plan.estado.in_([EstadoPlan.APROBADO, EstadoPlan.CONSOLIDADO,
                                                                   EstadoPlan.PRESENTADO]),
                                         Plan.tipo != TipoPlan.PA)))
    if roles & R.COMITES:
        secciones.append(Seccion("Planes en concertación", "No hay planes esperando su decisión.",
                                 _planes(usuario, Plan.estado == EstadoPlan.EN_CONCERTACION)))
    if R.CONTROL_INTERNO in roles:
        secciones.append(Seccion("Planes vigentes", "No hay planes.", _planes(usuario)))
    return Tablero(_fase_actual(hoy), _proximas(hoy), secciones)



