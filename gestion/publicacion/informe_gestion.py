"""El informe de gestión de una vigencia (Ley 1474 de 2011, art. 74: se publica con el plan del año siguiente),
generado de su seguimiento: lo que se publicó y lo que los reportes aceptados por la OAP dicen que se logró.

Una fila por actividad del PAI publicado más reciente: sus metas, lo logrado en cada trimestre (la suma de los
avances aceptados de la actividad con ese código en ese plan, también los de las Direcciones Territoriales en una
actividad territorial) y el cumplimiento del año frente a la meta anual. El avance de una dependencia y el de la
entidad ponderan el cumplimiento de cada actividad por su peso, topado en 100 % (como el tablero).
"""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from gestion.publicacion import datos_abiertos
from gestion.seguimiento.cifras import cumplimiento_actividad, ponderado
from modelos import Actividad, Avance, Dependencia, Plan, ReporteTrimestral, Tendencia, ahora, db


@dataclass
class FilaGestion:
    dependencia: str
    codigo: str
    actividad: str
    indicador: str | None
    unidad: str | None
    peso: Decimal
    metas: tuple  # las cuatro metas trimestrales
    meta_anual: Decimal
    presupuesto: Decimal
    logrado: list = field(default_factory=lambda: [None] * 4)  # None: trimestre sin reporte aceptado
    comprometido: Decimal = Decimal(0)
    tendencia: Tendencia = Tendencia.CRECIENTE

    @property
    def logrado_anual(self) -> Decimal | None:
        valores = [v for v in self.logrado if v is not None]
        return sum(valores, Decimal(0)) if valores else None

    def cumplimiento_trimestre(self, trimestre: int) -> Decimal | None:
        return cumplimiento_actividad(self.logrado[trimestre - 1], self.metas[trimestre - 1], self.tendencia)

    @property
    def cumplimiento_anual(self) -> Decimal | None:
        return cumplimiento_actividad(self.logrado_anual, self.meta_del_anio, self.tendencia)

    @property
    def meta_del_anio(self) -> Decimal:
        """Contra qué se mide el año: la meta anual; en una decreciente o constante, cuyo logrado es un nivel de cada
        trimestre, la suma de las metas de los trimestres reportados (como suma lo logrado)."""
        if self.tendencia is Tendencia.CRECIENTE:
            return self.meta_anual
        return sum((Decimal(m) for m, v in zip(self.metas, self.logrado, strict=True) if v is not None), Decimal(0))


@dataclass
class DependenciaGestion:
    nombre: str
    filas: list[FilaGestion] = field(default_factory=list)

    def avance_trimestre(self, trimestre: int) -> Decimal | None:
        return ponderado((f.peso, f.cumplimiento_trimestre(trimestre)) for f in self.filas)

    @property
    def avance_anual(self) -> Decimal | None:
        return ponderado((f.peso, f.cumplimiento_anual) for f in self.filas)

    @property
    def presupuesto(self) -> Decimal:
        return sum((f.presupuesto for f in self.filas), Decimal(0))

    @property
    def comprometido(self) -> Decimal:
        return sum((f.comprometido for f in self.filas), Decimal(0))


@dataclass
class InformeGestion:
    anio: int
    pai: Plan
    dependencias: list[DependenciaGestion]
    trimestres_aceptados: list[int]  # los trimestres con algún reporte aceptado
    actualizado: datetime | None
    generado: datetime

    @property
    def filas(self) -> list[FilaGestion]:
        return [f for d in self.dependencias for f in d.filas]

    @property
    def avance_anual(self) -> Decimal | None:
        return ponderado((f.peso, f.cumplimiento_anual) for f in self.filas)

    @property
    def presupuesto(self) -> Decimal:
        return sum((d.presupuesto for d in self.dependencias), Decimal(0))

    @property
    def comprometido(self) -> Decimal:
        return sum((d.comprometido for d in self.dependencias), Decimal(0))


POR_ETIQUETA = {t.etiqueta: t for t in Tendencia}  # las filas del libro del PAI traen la tendencia por su etiqueta


def informe(anio: int) -> InformeGestion | None:
    """None si la vigencia no tiene un PAI publicado."""
    pub = datos_abiertos.publicado(anio)
    if pub is None or pub.pai is None:
        return None
    dependencias: dict[str, DependenciaGestion] = {}
    filas: dict[tuple[str, str], FilaGestion] = {}
    for f in datos_abiertos.filas_actividades(pub):
        codigo_dep, codigo = f[2], f[4]
        fila = FilaGestion(f[3], codigo, f[5], f[8], f[10], Decimal(f[16] or 0), tuple(f[12:16]), Decimal(f[11] or 0),
                           Decimal(f[19] or 0), tendencia=POR_ETIQUETA[f[24]])
        dependencias.setdefault(codigo_dep, DependenciaGestion(f[3])).filas.append(fila)
        filas[(codigo_dep, codigo)] = fila
    # Los avances aceptados, por la dependencia dueña del plan y el código de la actividad: un trimestre reportado
    # con la versión anterior del plan cuenta para la actividad de la versión publicada con el mismo código.
    avances = db.session.execute(
        sa.select(Dependencia.codigo, Actividad.codigo, ReporteTrimestral.trimestre,
                  sa.func.sum(Avance.valor_logrado), sa.func.sum(Avance.presupuesto_comprometido))
        .select_from(Avance).join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
        .join(Actividad, Avance.actividad_id == Actividad.id).join(Plan, ReporteTrimestral.plan_id == Plan.id)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .where(ReporteTrimestral.id.in_(datos_abiertos.consulta_seguimiento(pub)))
        .group_by(Dependencia.codigo, Actividad.codigo, ReporteTrimestral.trimestre)).all()
    trimestres = set()
    for codigo_dep, codigo, trimestre, logrado, comprometido in avances:
        fila = filas.get((codigo_dep, codigo))
        if fila is None:
            continue
        fila.logrado[trimestre - 1] = Decimal(str(logrado or 0))
        fila.comprometido += Decimal(str(comprometido or 0))
        trimestres.add(trimestre)
    return InformeGestion(anio, pub.pai, list(dependencias.values()), sorted(trimestres),
                          datos_abiertos.actualizado_seguimiento(pub), ahora())
