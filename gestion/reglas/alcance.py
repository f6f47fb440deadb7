"""Alcance por dependencia: qué filas ve un director, una Dirección Territorial o una entidad.

Niega por defecto: un modelo que no está en `REGLAS` ni en `REFERENCIA` no muestra ninguna fila
a un usuario limitado a su dependencia, y un usuario limitado sin dependencia no ve nada.
"""
import sqlalchemy as sa

from gestion.reglas.permisos import limitado_a_dependencia
from modelos import (Acta, AccionDerivada, Actividad, Avance, Compromiso, Cuatrienio, Dependencia,
                     DiagnosticoTrimestral, EtapaCronograma, HistorialEstado, Indicador, Instancia,
                     MetaIndicador, MetaTerritorial, Objetivo, Plan, PndLinea, PndObjetivo, PndPacto,
                     PoliticaMipg, PresupuestoProyecto, ProyectoInversion, ReporteTrimestral,
                     SolicitudAjuste, TipoPlan, UmbralSemaforo, UnidadMedida, VentanaReporte,
                     VerificacionPlan, Vigencia, db)


def _plan_propio(dep):
    return Plan.dependencia_id == dep


def _actividad_visible(dep):
    # La actividad territorial la define una dependencia central; cada DT ve las que le asignaron.
    return sa.or_(Actividad.plan.has(_plan_propio(dep)),
                  Actividad.metas_territoriales.any(MetaTerritorial.dependencia_id == dep))


REGLAS = {
    Plan: lambda dep: sa.and_(Plan.tipo == TipoPlan.PA, _plan_propio(dep)),
    Actividad: _actividad_visible,
    MetaTerritorial: lambda dep: sa.or_(MetaTerritorial.dependencia_id == dep,
                                        MetaTerritorial.actividad.has(Actividad.plan.has(_plan_propio(dep)))),
    Compromiso: lambda dep: Compromiso.dependencia_id == dep,
    VerificacionPlan: lambda dep: VerificacionPlan.plan.has(_plan_propio(dep)),
    ReporteTrimestral: lambda dep: ReporteTrimestral.dependencia_id == dep,
    Avance: lambda dep: Avance.reporte.has(ReporteTrimestral.dependencia_id == dep),
    DiagnosticoTrimestral: lambda dep: DiagnosticoTrimestral.dependencia_id == dep,
    AccionDerivada: lambda dep: AccionDerivada.dependencia_id == dep,
    SolicitudAjuste: lambda dep: SolicitudAjuste.plan.has(_plan_propio(dep)),
    ProyectoInversion: lambda dep: ProyectoInversion.dependencia_id == dep,
    PresupuestoProyecto: lambda dep: PresupuestoProyecto.proyecto.has(ProyectoInversion.dependencia_id == dep),
    Indicador: lambda dep: Indicador.responsable_id == dep,
    HistorialEstado: lambda dep: sa.and_(
        HistorialEstado.objeto_tipo == "plan",
        HistorialEstado.objeto_id.in_(sa.select(Plan.id).where(_plan_propio(dep)))),
}

# Datos de referencia que cualquiera con sesión puede consultar (listas desplegables, contexto).
REFERENCIA = frozenset({Dependencia, Cuatrienio, Vigencia, PndPacto, PndLinea, PndObjetivo, PoliticaMipg,
                        UnidadMedida, Instancia, EtapaCronograma, UmbralSemaforo, Objetivo, MetaIndicador,
                        Acta, VentanaReporte})


def criterio(modelo, usuario):
    """Condición SQL que limita `modelo` para `usuario`, o None si no hay límite."""
    if not limitado_a_dependencia(usuario) or modelo in REFERENCIA:
        return None
    regla = REGLAS.get(modelo)
    if regla is None or usuario.dependencia_id is None:
        return sa.false()
    return regla(usuario.dependencia_id)


def limitar(consulta, modelo, usuario):
    condicion = criterio(modelo, usuario)
    return consulta if condicion is None else consulta.filter(condicion)


def en_alcance(usuario, objeto) -> bool:
    modelo = type(objeto)
    condicion = criterio(modelo, usuario)
    if condicion is None:
        return True
    return db.session.execute(
        sa.select(sa.literal(True)).where(modelo.id == objeto.id, condicion)
    ).scalar() is not None
