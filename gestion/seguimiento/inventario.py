"""El inventario de planes para el Comité Institucional de Gestión y Desempeño: cada plan vigente de una
vigencia (PES y PEI del cuatrienio, el PAI, los 12 del Decreto 612 y los propios de la entidad) con su tipo,
dueño, instancia que lo adopta, periodo, estado, última actualización y avance.

El avance sale de las cifras guardadas del trimestre (`cifras_guardadas.resumen`): el del PAI es su total
ponderado; el de un plan institucional, el de las actividades que lo integran, ponderado igual; el de un plan
estratégico, el promedio del cumplimiento (acotado entre 0 y 100 %) de sus indicadores reportados.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from gestion.planes.plan_accion import pai_de
from gestion.seguimiento import cifras_guardadas
from gestion.seguimiento.cifras import _redondear, topado
from modelos import Actividad, HistorialEstado, Plan, PlanInstitucional, RegistroAuditoria, TipoInstancia, TipoPlan, Vigencia, db
from modelos.planes import integracion

# Quién responde por cada plan del procedimiento y qué instancia lo adopta (DOMINIO §1).
DUENO = {TipoPlan.PES: "Oficina Asesora de Planeación (con las entidades del sector)",
         TipoPlan.PEI: "Oficina Asesora de Planeación",
         TipoPlan.PAI: "Oficina Asesora de Planeación (consolida los planes de acción)"}
ADOPTA = {TipoPlan.PES: TipoInstancia.SECTORIAL.etiqueta, TipoPlan.PEI: TipoInstancia.DIRECTIVO.etiqueta,
          TipoPlan.PAI: TipoInstancia.INSTITUCIONAL.etiqueta}


@dataclass
class FilaInventario:
    tipo: str
    nombre: str
    dueno: str
    adopta: str
    periodo: str
    estado: str
    actualizado: datetime | None
    avance: Decimal | None  # acumulado a la fecha del trimestre, 0–100
    plan_id: int | None = None  # el PES, el PEI o el PAI
    con_ficha: bool = False  # el PAI tiene ficha propia (la de los planes de acción)


@dataclass
class Inventario:
    vigencia: Vigencia
    trimestre: int
    filas: list[FilaInventario]


def _ultimo_cambio_planes(ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    return dict(db.session.execute(
        sa.select(HistorialEstado.objeto_id, sa.func.max(HistorialEstado.en))
        .where(HistorialEstado.objeto_tipo == "plan", HistorialEstado.objeto_id.in_(ids))
        .group_by(HistorialEstado.objeto_id)).all())


def _ultimo_cambio_catalogo() -> dict[str, datetime]:
    return dict(db.session.execute(
        sa.select(RegistroAuditoria.objeto_id, sa.func.max(RegistroAuditoria.en))
        .where(RegistroAuditoria.tabla == PlanInstitucional.__tablename__)
        .group_by(RegistroAuditoria.objeto_id)).all())


def _promedio(valores) -> Decimal | None:
    validos = [topado(v) for v in valores if v is not None]
    return _redondear(sum(validos, Decimal(0)) / len(validos)) if validos else None


def inventario(vigencia: Vigencia, trimestre: int) -> Inventario:
    """Una consulta por clase de plan y las cifras guardadas del trimestre: no crece con los planes."""
    resumen = cifras_guardadas.resumen(vigencia, trimestre)
    estrategicos = sorted(db.session.scalars(sa.select(Plan).where(
        Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]), Plan.vigente, Plan.cuatrienio_id == vigencia.cuatrienio_id)),
        key=lambda p: p.tipo is not TipoPlan.PES)  # el PES antes que el PEI
    pai = pai_de(vigencia)
    planes = [*estrategicos, *([pai] if pai else [])]
    cambios = _ultimo_cambio_planes([p.id for p in planes])
    cumplimientos = defaultdict(list)
    for indicador in resumen.indicadores:
        if indicador.reportado:
            cumplimientos[indicador.plan].append(indicador.cumplimiento)

    filas = [FilaInventario(p.tipo.etiqueta, str(p), DUENO[p.tipo], ADOPTA[p.tipo], str(p.cuatrienio),
                            p.estado.etiqueta, cambios.get(p.id, p.creado_en), _promedio(cumplimientos[p.nombre]),
                            p.id) for p in estrategicos]
    if pai is not None:
        filas.append(FilaInventario(TipoPlan.PAI.etiqueta, str(pai), DUENO[TipoPlan.PAI], ADOPTA[TipoPlan.PAI],
                                    str(vigencia.anio), pai.estado.etiqueta, cambios.get(pai.id, pai.creado_en),
                                    resumen.total.avance_acumulado, pai.id, con_ficha=True))

    # Los planes institucionales: integrados si una actividad de un plan de acción vigente de la vigencia los cita.
    integrados = set(db.session.scalars(
        sa.select(integracion.c.plan_institucional_id).distinct()
        .join(Actividad, Actividad.id == integracion.c.actividad_id).join(Plan, Plan.id == Actividad.plan_id)
        .where(Plan.vigencia_id == vigencia.id, Plan.tipo == TipoPlan.PA, Plan.vigente)))
    avance = {t.clave: t.trimestres[trimestre - 1] for t in resumen.integrados}
    auditados = _ultimo_cambio_catalogo()
    catalogo = db.session.scalars(sa.select(PlanInstitucional).where(PlanInstitucional.activo)
                                  .options(sa.orm.joinedload(PlanInstitucional.dependencia))
                                  .order_by(*PlanInstitucional.en_orden())).all()
    for p in catalogo:
        fila = avance.get(p.id)
        filas.append(FilaInventario(
            f"Decreto 612, numeral {p.numeral}" if p.del_decreto else "Plan propio de la entidad", p.nombre,
            p.dependencia.nombre if p.dependencia else "Sin dependencia asignada", p.instancia_adopcion or "",
            p.periodo or str(vigencia.anio),
            f"Integrado al Plan de Acción {vigencia.anio}" if p.id in integrados
            else f"Sin actividades en el Plan de Acción {vigencia.anio}",
            auditados.get(str(p.id)), fila.avance_acumulado if fila else None))
    return Inventario(vigencia, trimestre, filas)
