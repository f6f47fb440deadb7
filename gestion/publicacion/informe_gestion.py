"""El informe de gestión de una vigencia (Ley 1474 de 2011, art. 74: se publica con el plan del año siguiente),
generado de su seguimiento: lo que se publicó y lo que los reportes aceptados por la OAP dicen que se logró.

Una fila por actividad del PAI publicado más reciente: sus metas, lo logrado en cada trimestre (la suma de los
avances aceptados de la actividad con ese código en ese plan, también los de las Direcciones Territoriales en una
actividad territorial) y el cumplimiento del año frente a la meta anual. El avance de una dependencia y el de la
entidad ponderan el cumplimiento de cada actividad por su peso, acotado entre 0 y 100 % (como el tablero).
"""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from gestion.publicacion import datos_abiertos
from gestion.seguimiento import cifras
from gestion.seguimiento.cifras import cumplimiento_actividad, ponderado
from modelos import Actividad, Avance, ColorSemaforo, Dependencia, Plan, ReporteTrimestral, Tendencia, TipoAcumulacion, ahora, db


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
    linea_base: Decimal | None = None
    tipo_acumulacion: TipoAcumulacion | None = None

    @property
    def creciente(self) -> bool:
        return self.tendencia is Tendencia.CRECIENTE and self.tipo_acumulacion is not TipoAcumulacion.REDUCCION

    @property
    def logrado_anual(self) -> Decimal | None:
        """Lo logrado en el año, por su tipo de acumulación: la suma de los trimestres, o el último nivel reportado."""
        return cifras.acumulado_a_la_fecha(self.logrado, (), self.tipo_acumulacion)[0]

    def cumplimiento_trimestre(self, trimestre: int) -> Decimal | None:
        return cumplimiento_actividad(self.logrado[trimestre - 1], self.metas[trimestre - 1], self.tendencia,
                                      self.linea_base, self.tipo_acumulacion)

    @property
    def cumplimiento_anual(self) -> Decimal | None:
        reportados = sum(1 for v in self.logrado if v is not None)
        return cumplimiento_actividad(self.logrado_anual, self.meta_del_anio, self.tendencia,
                                      cifras.linea_base_a_la_fecha(self.linea_base, self.tipo_acumulacion, reportados),
                                      self.tipo_acumulacion)

    @property
    def meta_del_anio(self) -> Decimal:
        """Contra qué se mide el año: en una creciente, la meta anual (en un nivel, la del último trimestre con meta);
        en una decreciente o constante, lo programado a la fecha de los trimestres reportados, como el tablero: la
        suma de sus metas en un flujo, la del último con meta en un nivel."""
        if self.creciente:
            return (cifras.meta_del_anio(self.metas, self.tipo_acumulacion) if cifras.es_nivel(self.tipo_acumulacion)
                    else self.meta_anual)
        if cifras.es_nivel(self.tipo_acumulacion):
            ultimo = max((t for t, v in enumerate(self.logrado, 1) if v is not None), default=0)
            return cifras.meta_del_anio(self.metas[:ultimo], self.tipo_acumulacion)
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
    umbrales: list = field(default_factory=list)  # los del semáforo, leídos una vez

    def color(self, fila: FilaGestion) -> ColorSemaforo:
        """El semáforo del cumplimiento anual de una actividad (rojo si empeoró: su cumplimiento es negativo)."""
        return cifras.semaforo(fila.cumplimiento_anual, self.umbrales)

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


# Las filas del libro del PAI traen la tendencia y el tipo de acumulación por su etiqueta.
POR_ETIQUETA = {t.etiqueta: t for t in Tendencia}
TIPO_POR_ETIQUETA = {t.etiqueta: t for t in TipoAcumulacion}


def informe(anio: int) -> InformeGestion | None:
    """None si la vigencia no tiene un PAI publicado."""
    pub = datos_abiertos.publicado(anio)
    if pub is None or pub.pai is None:
        return None
    dependencias: dict[str, DependenciaGestion] = {}
    filas: dict[tuple[str, str], FilaGestion] = {}
    nombres = [c.nombre for c in datos_abiertos.ACTIVIDADES]
    for valores in datos_abiertos.filas_actividades(pub):
        f = dict(zip(nombres, valores, strict=True))  # por el nombre de la columna del conjunto, no su posición
        codigo_dep, codigo = f["codigo_dependencia"], f["codigo_actividad"]
        fila = FilaGestion(f["dependencia"], codigo, f["actividad"], f["indicador"], f["unidad"],
                           Decimal(f["peso"] or 0), tuple(f[f"meta_t{t}"] for t in range(1, 5)),
                           Decimal(f["meta_anual"] or 0), Decimal(f["presupuesto"] or 0),
                           tendencia=POR_ETIQUETA[f["tendencia"]],
                           linea_base=None if f["linea_base"] is None else Decimal(f["linea_base"]),
                           tipo_acumulacion=TIPO_POR_ETIQUETA.get(f["tipo_acumulacion"]))
        dependencias.setdefault(codigo_dep, DependenciaGestion(f["dependencia"])).filas.append(fila)
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
                          datos_abiertos.actualizado_seguimiento(pub), ahora(), cifras.umbrales())
