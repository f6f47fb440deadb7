"""Alcance por dependencia: qué filas ve un director, una Dirección Territorial o una entidad.

Niega por defecto: un modelo que no está en `REGLAS` ni en `REFERENCIA` no muestra ninguna fila
a un usuario limitado a su dependencia, y un usuario limitado sin dependencia no ve nada.
"""
import sqlalchemy as sa

from gestion.reglas.permisos import limitado_a_dependencia
from modelos import (
    AccionDerivada,
    Acta,
    Actividad,
    Avance,
    Compromiso,
    Cuatrienio,
    Dependencia,
    DiagnosticoTrimestral,
    EtapaCronograma,
    HistorialEstado,
    Indicador,
    Instancia,
    MetaIndicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    PlanInstitucional,
    PndLinea,
    PndObjetivo,
    PndPacto,
    PoliticaMipg,
    PresupuestoProyecto,
    ProyectoInversion,
    ReporteTrimestral,
    SolicitudAjuste,
    TipoPlan,
    UmbralSemaforo,
    UnidadMedida,
    VentanaReporte,
    VerificacionControlInterno,
    VerificacionPlan,
    Vigencia,
    db,
)


# Cada regla es una comparación o un `IN` sobre una subconsulta sencilla: PostgreSQL estima bien cuántas filas
# deja pasar. Un `EXISTS … OR EXISTS …` (lo que escribe `.has()`/`.any()` unidos con `or_`) lo estimaba en
# ~100.000 filas donde había 352, y el plan caro que elegía para eso costaba medio segundo por página.
def _planes_propios(dep):
    return sa.select(Plan.id).where(Plan.dependencia_id == dep)


def _actividades_visibles(dep):
    # La actividad territorial la define una dependencia central; cada DT ve las que le asignaron.
    return sa.union(
        sa.select(Actividad.id).where(Actividad.plan_id.in_(_planes_propios(dep))),
        sa.select(MetaTerritorial.actividad_id).where(MetaTerritorial.dependencia_id == dep))


def _actividades_propias(dep):
    return sa.select(Actividad.id).where(Actividad.plan_id.in_(_planes_propios(dep)))


REGLAS = {
    Plan: lambda dep: sa.and_(Plan.tipo == TipoPlan.PA, Plan.dependencia_id == dep),
    Actividad: lambda dep: Actividad.id.in_(_actividades_visibles(dep)),
    MetaTerritorial: lambda dep: MetaTerritorial.id.in_(sa.union(
        sa.select(MetaTerritorial.id).where(MetaTerritorial.dependencia_id == dep),
        sa.select(MetaTerritorial.id).where(MetaTerritorial.actividad_id.in_(_actividades_propias(dep))))),
    Compromiso: lambda dep: Compromiso.dependencia_id == dep,
    VerificacionPlan: lambda dep: VerificacionPlan.plan_id.in_(_planes_propios(dep)),
    ReporteTrimestral: lambda dep: ReporteTrimestral.dependencia_id == dep,
    Avance: lambda dep: Avance.reporte_id.in_(sa.select(ReporteTrimestral.id).where(
        ReporteTrimestral.dependencia_id == dep)),
    DiagnosticoTrimestral: lambda dep: DiagnosticoTrimestral.dependencia_id == dep,
    AccionDerivada: lambda dep: AccionDerivada.dependencia_id == dep,
    SolicitudAjuste: lambda dep: SolicitudAjuste.plan_id.in_(_planes_propios(dep)),
    ProyectoInversion: lambda dep: ProyectoInversion.dependencia_id == dep,
    PresupuestoProyecto: lambda dep: PresupuestoProyecto.proyecto_id.in_(sa.select(ProyectoInversion.id).where(
        ProyectoInversion.dependencia_id == dep)),
    Indicador: lambda dep: Indicador.responsable_id == dep,
    VerificacionControlInterno: lambda dep: VerificacionControlInterno.dependencia_id == dep,
    HistorialEstado: lambda dep: sa.and_(
        HistorialEstado.objeto_tipo == "plan", HistorialEstado.objeto_id.in_(_planes_propios(dep))),
}

# Datos de referencia que cualquiera con sesión puede consultar (listas desplegables, contexto).
REFERENCIA = frozenset({Dependencia, Cuatrienio, Vigencia, PndPacto, PndLinea, PndObjetivo, PoliticaMipg,
                        PlanInstitucional, UnidadMedida, Instancia, EtapaCronograma, UmbralSemaforo, Objetivo, MetaIndicador,
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
