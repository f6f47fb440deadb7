"""Lo que el público ve de los ajustes: lo publicado nunca queda viejo sin decirlo (issue 19, punto 6).

Un ajuste de un plan de acción lo aprueba la OAP (actividad 24) y en la misma transacción publica la versión
siguiente del PAI (`plan_accion.llevar_ajuste_al_pai`): su página dice la causa, la fecha, la instancia y qué
cambió. Cuando lo publicado no puede cambiar aún —un PES o un PEI cuyo ajuste espera al comité o a su
publicación, un PAI cuya versión siguiente ya se presentó al comité—, la página publicada lo avisa y enlaza la
página pública del ajuste. Cada página se lee en un número fijo de consultas: la diferencia se guardó al enviar
el ajuste (`SolicitudAjuste.cambios`).
"""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from gestion.base import formato
from gestion.planes import versiones
from gestion.planes.ajustes import INSTANCIA_QUE_APRUEBA
from modelos import Acta, EstadoAjuste, EstadoPlan, Plan, SolicitudAjuste, TipoPlan, db
from modelos.planes import consolidacion_pai

A, E = EstadoAjuste, EstadoPlan
OAP = "Oficina Asesora de Planeación"


def _dia(momento) -> str:
    return formato.fecha(formato.en_bogota(momento).date())


@dataclass(frozen=True)
class AjustePublico:
    """Un ajuste como lo lee el público: qué plan, por qué, quién lo aprobó (o quién debe aprobarlo) y qué cambió."""

    solicitud: SolicitudAjuste

    @property
    def aprobado(self) -> bool:
        return self.solicitud.estado is A.APROBADO

    @property
    def instancia(self) -> str:
        """La instancia competente (actividad 24): el comité del acta (PES, PEI) o la OAP (un plan de acción)."""
        if self.solicitud.acta is not None:
            return str(self.solicitud.acta.instancia)
        tipo = self.solicitud.plan.tipo
        return INSTANCIA_QUE_APRUEBA[tipo].etiqueta if tipo in INSTANCIA_QUE_APRUEBA else OAP

    @property
    def plan(self) -> str:
        plan = self.solicitud.plan
        return f"Plan de acción de {plan.dependencia.nombre}" if plan.tipo is TipoPlan.PA else plan.nombre

    @property
    def publicada(self) -> Plan | None:
        """La versión publicada que ya lo muestra (la del PAI, para un plan de acción), o None mientras espera."""
        solicitud = self.solicitud
        if solicitud.plan.tipo is TipoPlan.PA:
            pai = solicitud.pai_publicado
            return pai if pai is not None and pai.estado is E.PUBLICADO else None
        return solicitud.plan_propuesto if solicitud.plan_propuesto.estado is E.PUBLICADO else None

    @property
    def tramite(self) -> str:
        """En qué va, dicho para el público."""
        solicitud = self.solicitud
        if not self.aprobado:
            return (f"La Oficina Asesora de Planeación lo encontró pertinente el {_dia(solicitud.revisado_en)}; "
                    f"espera la aprobación del {self.instancia}. Mientras tanto rige la versión publicada.")
        aprobado = f"Aprobado por {self.por} el {_dia(solicitud.decidido_en)}"
        if solicitud.acta is not None:
            aprobado += f", acta {solicitud.acta.numero}"
        publicada = self.publicada
        if publicada is not None:
            return f"{aprobado}. Publicado en la versión {publicada.numero_version} del {publicada.nombre}."
        if solicitud.plan.tipo is TipoPlan.PA:
            return (f"{aprobado}: rige desde entonces. La versión siguiente del Plan de Acción Institucional, que lo "
                    "incluye, está en trámite ante el Comité Institucional.")
        return f"{aprobado}: rige desde entonces. La versión {solicitud.plan_propuesto.numero_version} espera su publicación."

    @property
    def por(self) -> str:
        """La instancia con su artículo: «aprobado por la Oficina…», «por el Comité…»."""
        return f"{'la' if self.instancia == OAP else 'el'} {self.instancia}"

    @property
    def comparacion(self) -> versiones.Comparacion | None:
        cambios = self.solicitud.cambios
        return versiones.de_datos(cambios) if cambios else None


def _es_publico(solicitud: SolicitudAjuste) -> bool:
    """El público ve un ajuste aprobado de un plan que ya vio publicado (un plan de acción, en un PAI publicado);
    de un PES o un PEI publicado ve también el que la OAP halló pertinente y espera al comité."""
    plan = solicitud.plan
    if plan.tipo is TipoPlan.PA:
        return solicitud.estado is A.APROBADO and db.session.scalar(
            sa.select(sa.func.count()).select_from(consolidacion_pai).join(Plan, Plan.id == consolidacion_pai.c.pai_id)
            .where(consolidacion_pai.c.plan_id == plan.id, Plan.estado == E.PUBLICADO)) > 0
    return solicitud.estado in (A.APROBADO, A.PERTINENTE) and plan.estado is E.PUBLICADO


def ajuste_publico(solicitud_id: int) -> AjustePublico | None:
    """None si el ajuste no existe o el público no debe verlo."""
    solicitud = db.session.get(SolicitudAjuste, solicitud_id)
    if solicitud is None or not _es_publico(solicitud):
        return None
    return AjustePublico(solicitud)


# --- la historia de versiones del PAI ------------------------------------------------------------------------------
@dataclass(frozen=True)
class VersionPublica:
    plan: Plan

    @property
    def ajustes(self) -> list[AjustePublico]:
        """Los ajustes aprobados con que se publicó (vacío: la presentó el comité)."""
        return [AjustePublico(s) for s in self.plan.ajustes_publicados]

    @property
    def origen(self) -> str | None:
        """Presentada al comité con su acta; None si solo la publicaron ajustes aprobados."""
        acta = self.plan.acta_presentacion
        if acta is not None:
            return f"Presentada al {acta.instancia}, acta {acta.numero} del {formato.fecha(acta.fecha)}"
        return None if self.plan.ajustes_publicados else "Consolidación de los planes de acción aprobados"


def historia_pai(pai: Plan) -> list[VersionPublica]:
    """Las versiones publicadas del PAI de la vigencia, de la más reciente a la primera, con lo que hace falta para
    decir de dónde salió cada una (en consultas fijas, no una por versión)."""
    return [VersionPublica(p) for p in db.session.scalars(
        sa.select(Plan).where(Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == pai.vigencia_id,
                              Plan.estado == E.PUBLICADO)
        .options(selectinload(Plan.acta_presentacion).selectinload(Acta.instancia),
                 selectinload(Plan.ajustes_publicados).selectinload(SolicitudAjuste.plan).selectinload(Plan.dependencia),
                 selectinload(Plan.ajustes_publicados).selectinload(SolicitudAjuste.plan_propuesto),
                 selectinload(Plan.ajustes_publicados).selectinload(SolicitudAjuste.acta))
        .order_by(Plan.numero_version.desc())).all()]


# --- los avisos -----------------------------------------------------------------------------------------------------
def por_publicar_en_pai(pai: Plan) -> list[AjustePublico]:
    """Ajustes aprobados de planes de acción que este PAI publicado aún muestra en la versión que reemplazaron y que
    ninguna versión publicada trae todavía (la siguiente espera al comité)."""
    return [AjustePublico(s) for s in db.session.scalars(
        sa.select(SolicitudAjuste).where(
            SolicitudAjuste.estado == A.APROBADO,
            SolicitudAjuste.plan_id.in_(sa.select(consolidacion_pai.c.plan_id)
                                        .where(consolidacion_pai.c.pai_id == pai.id)),
            sa.or_(SolicitudAjuste.pai_publicado_id.is_(None),
                   SolicitudAjuste.pai_publicado_id.not_in(sa.select(Plan.id).where(Plan.estado == E.PUBLICADO))))
        .options(selectinload(SolicitudAjuste.plan).selectinload(Plan.dependencia))
        .order_by(SolicitudAjuste.decidido_en, SolicitudAjuste.id))]


def en_curso_de_estrategico(plan: Plan) -> list[AjustePublico]:
    """Ajustes de esta versión publicada de un PES o un PEI que el público aún no ve en una versión publicada: el
    que espera la aprobación del comité, o el aprobado que espera su publicación."""
    propuesta = aliased(Plan)
    return [AjustePublico(s) for s in db.session.scalars(
        sa.select(SolicitudAjuste).join(propuesta, SolicitudAjuste.plan_propuesto_id == propuesta.id)
        .where(SolicitudAjuste.plan_id == plan.id, propuesta.estado != E.PUBLICADO,
               SolicitudAjuste.estado.in_((A.PERTINENTE, A.APROBADO)))
        .options(selectinload(SolicitudAjuste.acta).selectinload(Acta.instancia))
        .order_by(SolicitudAjuste.id))]
