"""Datos abiertos (Ley 1712 de 2014; Resolución MinTIC 1519 de 2020): cada tabla pública de una vigencia en CSV
y JSON, con su diccionario de datos y sus metadatos, lista para cargar en datos.gov.co.

Un conjunto es una entrada de `CONJUNTOS`: sus columnas (nombre, tipo, unidad, descripción) y la consulta de sus
filas sobre lo publicado de la vigencia (`Publicado`). Solo lo publicado: el PAI publicado más reciente, los PES y
PEI publicados que cubren el año, los reportes aceptados de los planes de acción de un PAI publicado y los ajustes
aprobados de esos planes; nada de un borrador, de un plan devuelto o de uno sin publicar. Otra tabla pública es una
entrada más.

Formato, el mismo para todos: CSV en UTF-8 sin BOM (datos.gov.co y los lectores de CSV lo toman tal cual; el BOM
solo ayuda a Excel, que tiene el .xlsx de la página), separado por comas, punto decimal sin separador de miles,
fechas aaaa-mm-dd (ISO 8601), booleanos true/false, celdas vacías para lo que no hay. Un texto que empieza por
=, +, -, @ (o tabulador) lleva delante un apóstrofo para que una hoja de cálculo no lo ejecute; los números nunca.
"""
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Iterable, Iterator

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from gestion.base.formatos_excel import es_formula
from gestion.planes.ajustes import ultimas_publicadas
from gestion.seguimiento.cifras import cumplimiento_actividad
from modelos import (
    Actividad,
    Avance,
    Dependencia,
    EstadoAjuste,
    EstadoPlan,
    EstadoReporte,
    Indicador,
    MetaIndicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    PlanInstitucional,
    PoliticaMipg,
    PresupuestoProyecto,
    ProyectoInversion,
    ReporteTrimestral,
    SolicitudAjuste,
    TipoPlan,
    UnidadMedida,
    Vigencia,
    db,
)
from modelos.planes import consolidacion_pai, integracion

PUBLICADOR = "Ministerio del Trabajo · Oficina Asesora de Planeación"
LICENCIA = {"nombre": "Creative Commons Atribución-CompartirIgual 4.0 Internacional (CC BY-SA 4.0)",
            "url": "https://creativecommons.org/licenses/by-sa/4.0/deed.es"}
FORMATO_CSV = {"codificacion": "UTF-8 sin BOM", "separador": ",", "decimal": ".", "miles": "ninguno",
               "fechas": "aaaa-mm-dd (ISO 8601)", "booleanos": "true / false", "vacio": "celda vacía",
               "textos_protegidos": "un texto que empieza por =, +, -, @ o tabulador lleva un apóstrofo (') delante"}
TIPOS = {"texto": "Texto", "entero": "Número entero", "numero": "Número (punto decimal)",
         "fecha": "Fecha (aaaa-mm-dd)", "booleano": "Booleano (true / false)"}
PESOS = "pesos colombianos (COP)"
PORCENTAJE = "porcentaje (0 a 100)"


@dataclass(frozen=True)
class Campo:
    nombre: str
    tipo: str  # una clave de TIPOS
    descripcion: str
    unidad: str = ""

    @property
    def tipo_etiqueta(self) -> str:
        return TIPOS[self.tipo]


@dataclass
class Publicado:
    """Lo publicado de una vigencia: de aquí, y solo de aquí, salen las filas de cada conjunto."""

    vigencia: Vigencia
    pai: Plan | None  # la versión más reciente publicada del PAI
    pais: list[Plan] = field(default_factory=list)  # todas las versiones publicadas del PAI de la vigencia
    estrategicos: list[Plan] = field(default_factory=list)  # PES y PEI publicados (última versión) del cuatrienio


@dataclass(frozen=True)
class Conjunto:
    clave: str  # en la URL: no cambia
    titulo: str
    descripcion: str
    campos: tuple[Campo, ...]
    filas: Callable[[Publicado], list[tuple]]
    actualizado: Callable[[Publicado], datetime | date | None]
    frecuencia: str = "Anual, y cada vez que se publica una versión nueva del plan"

    def metadatos(self, publicado: Publicado, urls: dict[str, str]) -> dict:
        anio = publicado.vigencia.anio
        actualizado = self.actualizado(publicado)
        return {
            "titulo": f"{self.titulo} · vigencia {anio}", "descripcion": self.descripcion,
            "publicador": current_app.config.get("GESTION_ENTIDAD", PUBLICADOR),
            "periodo": {"inicio": date(anio, 1, 1).isoformat(), "fin": date(anio, 12, 31).isoformat()},
            "fecha_actualizacion": _iso(actualizado.date() if isinstance(actualizado, datetime) else actualizado),
            "frecuencia_actualizacion": self.frecuencia, "licencia": LICENCIA, "idioma": "es-CO",
            "formato_csv": FORMATO_CSV, "urls": urls,
        }

    def diccionario(self) -> list[dict]:
        return [{"columna": c.nombre, "tipo": c.tipo_etiqueta, "unidad": c.unidad, "descripcion": c.descripcion}
                for c in self.campos]


# --- lo publicado de una vigencia -------------------------------------------------------------------------
def publicado(anio: int) -> Publicado | None:
    """None si la vigencia no existe o aún no tiene nada publicado."""
    vigencia = db.session.scalar(sa.select(Vigencia).where(Vigencia.anio == anio))
    if vigencia is None:
        return None
    pais = db.session.scalars(sa.select(Plan).where(
        Plan.tipo == TipoPlan.PAI, Plan.vigencia_id == vigencia.id, Plan.estado == EstadoPlan.PUBLICADO)
        .order_by(Plan.numero_version.desc())).all()
    estrategicos = ultimas_publicadas(db.session.scalars(sa.select(Plan).where(
        Plan.tipo.in_((TipoPlan.PES, TipoPlan.PEI)), Plan.cuatrienio_id == vigencia.cuatrienio_id,
        Plan.estado == EstadoPlan.PUBLICADO).order_by(Plan.tipo, Plan.numero_version.desc())).all())
    if not pais and not estrategicos:
        return None
    return Publicado(vigencia, pais[0] if pais else None, list(pais), estrategicos)


def vigencias_publicadas() -> list[int]:
    """Los años con un PAI publicado o un plan estratégico publicado que los cubre, del más reciente."""
    con_pai = sa.select(Plan.vigencia_id).where(Plan.tipo == TipoPlan.PAI, Plan.estado == EstadoPlan.PUBLICADO)
    con_estrategico = sa.select(Plan.cuatrienio_id).where(Plan.tipo.in_((TipoPlan.PES, TipoPlan.PEI)),
                                                          Plan.estado == EstadoPlan.PUBLICADO)
    return list(db.session.scalars(sa.select(Vigencia.anio).where(sa.or_(
        Vigencia.id.in_(con_pai), Vigencia.cuatrienio_id.in_(con_estrategico))).order_by(Vigencia.anio.desc())))


def _planes_del_pai(pai_ids: list[int]):
    return sa.select(consolidacion_pai.c.plan_id).where(consolidacion_pai.c.pai_id.in_(pai_ids))


def _fecha(valor) -> date | None:
    return valor.date() if isinstance(valor, datetime) else valor


# --- actividades del PAI publicado --------------------------------------------------------------------------
ACTIVIDADES = (
    Campo("vigencia", "entero", "Año de la vigencia del plan."),
    Campo("version_pai", "entero", "Versión publicada del Plan de Acción Institucional de la que sale la fila."),
    Campo("codigo_dependencia", "texto", "Código de la dependencia responsable (unidad responsable)."),
    Campo("dependencia", "texto", "Dependencia responsable de la actividad (unidad responsable)."),
    Campo("codigo_actividad", "texto", "Código de la actividad dentro del plan de acción de la dependencia."),
    Campo("actividad", "texto", "Descripción de la actividad."),
    Campo("objetivo_pei", "texto", "Objetivo del Plan Estratégico Institucional al que sirve (código y nombre)."),
    Campo("politica_mipg", "texto", "Política de gestión y desempeño del MIPG a la que se asocia."),
    Campo("indicador", "texto", "Indicador de gestión de la actividad."),
    Campo("formula", "texto", "Fórmula del indicador."),
    Campo("unidad", "texto", "Unidad de medida de las metas."),
    Campo("meta_anual", "numero", "Meta del año.", "la unidad de la columna «unidad»"),
    Campo("meta_t1", "numero", "Meta del primer trimestre.", "la unidad de la columna «unidad»"),
    Campo("meta_t2", "numero", "Meta del segundo trimestre.", "la unidad de la columna «unidad»"),
    Campo("meta_t3", "numero", "Meta del tercer trimestre.", "la unidad de la columna «unidad»"),
    Campo("meta_t4", "numero", "Meta del cuarto trimestre.", "la unidad de la columna «unidad»"),
    Campo("peso", "numero", "Peso de la actividad en el plan de acción de su dependencia.", PORCENTAJE),
    Campo("fecha_inicio", "fecha", "Fecha de inicio programada."),
    Campo("fecha_fin", "fecha", "Fecha de terminación programada."),
    Campo("presupuesto", "numero", "Presupuesto asignado a la actividad.", PESOS),
    Campo("bpin", "texto", "Código BPIN del proyecto de inversión que la financia (vacío si no tiene)."),
    Campo("proyecto_inversion", "texto", "Nombre del proyecto de inversión."),
    Campo("responsable", "texto", "Grupo o cargo responsable dentro de la dependencia."),
    Campo("territorial", "booleano", "true si la ejecutan las Direcciones Territoriales."),
    Campo("tendencia", "texto", "Sentido esperado de la meta (Creciente, Decreciente, Constante): de él sale el "
          "cumplimiento."),
    Campo("linea_base", "numero", "Línea base: desde dónde se mide una actividad decreciente (vacía si no tiene).",
          "la unidad de la columna «unidad»"),
    Campo("tipo_acumulacion", "texto", "Cómo se acumulan los trimestres (Flujo: se suman; Stock, Capacidad, "
          "Acumulado, Reducción: vale el último valor reportado). Vacío: se suman."),
)


def filas_actividades(pub: Publicado) -> list[tuple]:
    """Las filas del libro del PAI publicado (hoja «Actividades»), en su orden: dependencia, código."""
    if pub.pai is None:
        return []
    unidad, proyecto = aliased(UnidadMedida), aliased(ProyectoInversion)
    filas = db.session.execute(
        sa.select(Dependencia.codigo, Dependencia.nombre, Actividad.codigo, Actividad.descripcion, Objetivo.codigo,
                  Objetivo.nombre, PoliticaMipg.nombre, Actividad.indicador, Actividad.formula, unidad.nombre,
                  Actividad.meta_anual, Actividad.meta_t1, Actividad.meta_t2, Actividad.meta_t3, Actividad.meta_t4,
                  Actividad.peso, Actividad.fecha_inicio, Actividad.fecha_fin, Actividad.presupuesto, proyecto.bpin,
                  proyecto.nombre, Actividad.responsable, Actividad.territorial, Actividad.tendencia,
                  Actividad.linea_base, Actividad.tipo_acumulacion)
        .select_from(Actividad).join(Plan, Actividad.plan_id == Plan.id)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .outerjoin(Objetivo, Actividad.objetivo_id == Objetivo.id)
        .outerjoin(PoliticaMipg, Actividad.politica_id == PoliticaMipg.id)
        .outerjoin(unidad, Actividad.unidad_id == unidad.id).outerjoin(proyecto, Actividad.proyecto_id == proyecto.id)
        .where(Actividad.plan_id.in_(_planes_del_pai([pub.pai.id])))
        .order_by(Dependencia.codigo, Actividad.codigo, Actividad.id)).all()
    anio, version = pub.vigencia.anio, pub.pai.numero_version
    return [(anio, version, dc, dn, ac, ad, f"{oc} {on}" if oc else None, *resto, tendencia.etiqueta, linea_base,
             tipo.etiqueta if tipo else None)
            for dc, dn, ac, ad, oc, on, *resto, tendencia, linea_base, tipo in filas]


# --- indicadores estratégicos y sus metas -------------------------------------------------------------------
INDICADORES = (
    Campo("vigencia", "entero", "Año de la meta."),
    Campo("plan", "texto", "Plan estratégico publicado: Plan Estratégico Sectorial o Institucional."),
    Campo("version_plan", "entero", "Versión publicada del plan."),
    Campo("codigo_objetivo", "texto", "Código del objetivo (estrategia) del plan."),
    Campo("objetivo", "texto", "Objetivo sectorial o institucional."),
    Campo("codigo_indicador", "texto", "Código del indicador."),
    Campo("indicador", "texto", "Nombre del indicador."),
    Campo("formula", "texto", "Fórmula de cálculo."),
    Campo("unidad", "texto", "Unidad de medida."),
    Campo("linea_base", "numero", "Valor de la línea base.", "la unidad de la columna «unidad»"),
    Campo("meta_vigencia", "numero", "Meta del indicador para el año (vacía si el año no tiene meta).",
          "la unidad de la columna «unidad»"),
    Campo("periodicidad", "texto", "Periodicidad de medición."),
    Campo("tendencia", "texto", "Sentido esperado del indicador (creciente, decreciente, constante)."),
    Campo("dependencia_responsable", "texto", "Dependencia responsable del indicador."),
    Campo("sinergia", "booleano", "true si se reporta a SINERGIA (DNP)."),
    Campo("codigo_sinergia", "texto", "Código del indicador en SINERGIA."),
)


def filas_indicadores(pub: Publicado) -> list[tuple]:
    """Los indicadores de los planes estratégicos publicados, en el orden de su página: plan, objetivo, código."""
    if not pub.estrategicos:
        return []
    anio = pub.vigencia.anio
    meta = aliased(MetaIndicador)
    filas = db.session.execute(
        sa.select(Plan.tipo, Plan.numero_version, Objetivo.codigo, Objetivo.nombre, Indicador.codigo, Indicador.nombre,
                  Indicador.formula, UnidadMedida.nombre, Indicador.linea_base, meta.valor, Indicador.periodicidad,
                  Indicador.tendencia, Dependencia.nombre, Indicador.sinergia, Indicador.codigo_sinergia)
        .select_from(Indicador).join(Objetivo, Indicador.objetivo_id == Objetivo.id)
        .join(Plan, Objetivo.plan_id == Plan.id)
        .outerjoin(UnidadMedida, Indicador.unidad_id == UnidadMedida.id)
        .outerjoin(Dependencia, Indicador.responsable_id == Dependencia.id)
        .outerjoin(meta, sa.and_(meta.indicador_id == Indicador.id, meta.anio == anio))
        .where(Plan.id.in_([p.id for p in pub.estrategicos]))
        .order_by(Plan.tipo, Objetivo.codigo, Indicador.codigo)).all()
    return [(anio, tipo.etiqueta, version, *medio, periodicidad.etiqueta if periodicidad else None,
             tendencia.etiqueta if tendencia else None, *fin)
            for tipo, version, *medio, periodicidad, tendencia, responsable, sinergia, codigo in filas
            for fin in [(responsable, sinergia, codigo)]]


# --- seguimiento trimestral publicado -----------------------------------------------------------------------
SEGUIMIENTO = (
    Campo("vigencia", "entero", "Año del reporte."),
    Campo("trimestre", "entero", "Trimestre reportado (1 a 4)."),
    Campo("dependencia", "texto", "Dependencia que reporta (una Dirección Territorial en su parte de una actividad "
                                  "territorial)."),
    Campo("dependencia_plan", "texto", "Dependencia dueña del plan de acción."),
    Campo("version_plan", "entero", "Versión del plan de acción con que se reportó."),
    Campo("codigo_actividad", "texto", "Código de la actividad."),
    Campo("actividad", "texto", "Descripción de la actividad."),
    Campo("indicador", "texto", "Indicador de gestión de la actividad."),
    Campo("unidad", "texto", "Unidad de medida."),
    Campo("meta_trimestre", "numero", "Meta programada para el trimestre.", "la unidad de la columna «unidad»"),
    Campo("valor_logrado", "numero", "Valor logrado en el trimestre.", "la unidad de la columna «unidad»"),
    Campo("cumplimiento", "numero", "Cumplimiento del trimestre según la tendencia de la actividad (creciente: logrado "
          "sobre meta; decreciente: meta sobre logrado; constante: 100 dentro de la tolerancia), sin tope (vacío si no "
          "había meta).", PORCENTAJE),
    Campo("presupuesto_comprometido", "numero", "Presupuesto comprometido reportado.", PESOS),
    Campo("presupuesto_pagado", "numero", "Presupuesto pagado reportado.", PESOS),
    Campo("avance_cualitativo", "texto", "Descripción del avance."),
    Campo("justificacion", "texto", "Justificación cuando lo logrado queda por debajo de la meta."),
    Campo("aceptado_en", "fecha", "Fecha en que la Oficina Asesora de Planeación aceptó el reporte."),
)


def consulta_seguimiento(pub: Publicado):
    """Solo reportes aceptados por la OAP de planes de acción consolidados en un PAI publicado de la vigencia."""
    return (sa.select(ReporteTrimestral.id).where(
        ReporteTrimestral.vigencia_id == pub.vigencia.id, ReporteTrimestral.estado == EstadoReporte.ACEPTADO,
        ReporteTrimestral.plan_id.in_(_planes_del_pai([p.id for p in pub.pais]))))


def filas_seguimiento(pub: Publicado) -> list[tuple]:
    if not pub.pais:
        return []
    dependencia_plan = aliased(Dependencia)
    filas = db.session.execute(
        sa.select(ReporteTrimestral.trimestre, Dependencia.nombre, dependencia_plan.nombre, Plan.numero_version,
                  Actividad.codigo, Actividad.descripcion, Actividad.indicador, UnidadMedida.nombre, Actividad.tendencia,
                  Actividad.linea_base, Actividad.tipo_acumulacion,
                  Actividad.meta_t1, Actividad.meta_t2, Actividad.meta_t3, Actividad.meta_t4,
                  MetaTerritorial.meta_t1, MetaTerritorial.meta_t2, MetaTerritorial.meta_t3, MetaTerritorial.meta_t4,
                  Avance.valor_logrado, Avance.presupuesto_comprometido, Avance.presupuesto_pagado,
                  Avance.avance_cualitativo, Avance.justificacion, ReporteTrimestral.revisado_en)
        .select_from(Avance).join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
        .join(Actividad, Avance.actividad_id == Actividad.id).join(Plan, ReporteTrimestral.plan_id == Plan.id)
        .join(Dependencia, ReporteTrimestral.dependencia_id == Dependencia.id)
        .join(dependencia_plan, Plan.dependencia_id == dependencia_plan.id)
        .outerjoin(UnidadMedida, Actividad.unidad_id == UnidadMedida.id)
        # La parte de una Dirección Territorial se mide contra sus propias metas.
        .outerjoin(MetaTerritorial, sa.and_(MetaTerritorial.actividad_id == Actividad.id,
                                            MetaTerritorial.dependencia_id == ReporteTrimestral.dependencia_id,
                                            ReporteTrimestral.dependencia_id != Plan.dependencia_id))
        .where(ReporteTrimestral.id.in_(consulta_seguimiento(pub)))
        .order_by(ReporteTrimestral.trimestre, dependencia_plan.codigo, Dependencia.codigo, Actividad.codigo,
                  Avance.id)).all()
    resultado = []
    for (trimestre, dependencia, duena, version, codigo, descripcion, indicador, unidad, tendencia, linea_base, tipo,
         *metas, logrado, comprometido, pagado, cualitativo, justificacion, revisado) in filas:
        propias, territoriales = metas[:4], metas[4:]
        de_territorial = territoriales[0] is not None  # sus metas, sin la línea base de toda la entidad
        meta = (territoriales if de_territorial else propias)[trimestre - 1]
        valor = cumplimiento_actividad(logrado, meta, tendencia, None if de_territorial else linea_base, tipo)
        resultado.append((pub.vigencia.anio, trimestre, dependencia, duena, version, codigo, descripcion, indicador,
                          unidad, meta, logrado, valor, comprometido, pagado, cualitativo, justificacion,
                          _fecha(revisado)))
    return resultado


def actualizado_seguimiento(pub: Publicado):
    if not pub.pais:
        return None
    return db.session.scalar(sa.select(sa.func.max(ReporteTrimestral.revisado_en))
                             .where(ReporteTrimestral.id.in_(consulta_seguimiento(pub))))


# --- presupuesto de inversión por proyecto ------------------------------------------------------------------
PRESUPUESTO = (
    Campo("vigencia", "entero", "Año del presupuesto."),
    Campo("bpin", "texto", "Código BPIN del proyecto de inversión."),
    Campo("proyecto_inversion", "texto", "Nombre del proyecto de inversión."),
    Campo("dependencia", "texto", "Dependencia dueña del proyecto."),
    Campo("presupuesto_vigencia", "numero", "Presupuesto del proyecto para la vigencia (catálogo de la OAP).", PESOS),
    Campo("presupuesto_actividades", "numero", "Suma del presupuesto de las actividades del PAI publicado que el "
                                               "proyecto financia.", PESOS),
    Campo("actividades", "entero", "Número de actividades del PAI publicado que el proyecto financia."),
    Campo("indicadores", "texto", "Indicadores de gestión de esas actividades, separados por « | »."),
)


def filas_presupuesto(pub: Publicado) -> list[tuple]:
    """Un proyecto por fila, los que financian alguna actividad del PAI publicado, por BPIN."""
    if pub.pai is None:
        return []
    filas = db.session.execute(
        sa.select(ProyectoInversion.id, ProyectoInversion.bpin, ProyectoInversion.nombre, Dependencia.nombre,
                  PresupuestoProyecto.valor, Actividad.presupuesto, Actividad.indicador)
        .select_from(Actividad).join(ProyectoInversion, Actividad.proyecto_id == ProyectoInversion.id)
        .join(Dependencia, ProyectoInversion.dependencia_id == Dependencia.id)
        .outerjoin(PresupuestoProyecto, sa.and_(PresupuestoProyecto.proyecto_id == ProyectoInversion.id,
                                                PresupuestoProyecto.vigencia_id == pub.vigencia.id))
        .where(Actividad.plan_id.in_(_planes_del_pai([pub.pai.id])))
        .order_by(ProyectoInversion.bpin, Actividad.id)).all()
    proyectos: dict[int, list] = {}
    for proyecto_id, bpin, nombre, dependencia, valor, presupuesto, indicador in filas:
        fila = proyectos.setdefault(proyecto_id, [pub.vigencia.anio, bpin, nombre, dependencia, valor, Decimal(0),
                                                  0, []])
        fila[5] += Decimal(presupuesto or 0)
        fila[6] += 1
        if indicador and indicador not in fila[7]:
            fila[7].append(indicador)
    return [(*f[:7], " | ".join(f[7])) for f in proyectos.values()]


# --- planes integrados (Decreto 612 de 2018) -----------------------------------------------------------------
PLANES_INTEGRADOS = (
    Campo("vigencia", "entero", "Año de la vigencia del plan."),
    Campo("version_pai", "entero", "Versión publicada del Plan de Acción Institucional de la que sale la fila."),
    Campo("numeral_decreto_612", "entero", "Numeral del plan en el art. 2.2.22.3.14 del Decreto 1083 de 2015 "
                                           "(Decreto 612 de 2018); vacío en un plan propio de la entidad."),
    Campo("codigo_plan", "texto", "Código del plan institucional o estratégico."),
    Campo("plan", "texto", "Plan institucional o estratégico que la actividad integra al Plan de Acción."),
    Campo("referencia_legal", "texto", "Norma que ordena el plan."),
    Campo("dependencia", "texto", "Dependencia responsable de la actividad (unidad responsable)."),
    Campo("codigo_actividad", "texto", "Código de la actividad dentro del plan de acción de la dependencia."),
    Campo("actividad", "texto", "Descripción de la actividad."),
    Campo("indicador", "texto", "Indicador de gestión de la actividad."),
    Campo("meta_anual", "numero", "Meta del año.", "la unidad de medida de la actividad"),
    Campo("meta_t1", "numero", "Meta del primer trimestre.", "la unidad de medida de la actividad"),
    Campo("meta_t2", "numero", "Meta del segundo trimestre.", "la unidad de medida de la actividad"),
    Campo("meta_t3", "numero", "Meta del tercer trimestre.", "la unidad de medida de la actividad"),
    Campo("meta_t4", "numero", "Meta del cuarto trimestre.", "la unidad de medida de la actividad"),
    Campo("presupuesto", "numero", "Presupuesto asignado a la actividad.", PESOS),
    Campo("responsable", "texto", "Grupo o cargo responsable dentro de la dependencia."),
)


def filas_planes_integrados(pub: Publicado) -> list[tuple]:
    """Una fila por plan institucional y actividad del PAI publicado que lo integra (una actividad que integra
    dos planes sale dos veces), en el orden de la hoja «Por plan integrado» del libro del PAI."""
    if pub.pai is None:
        return []
    filas = db.session.execute(
        sa.select(PlanInstitucional.numeral, PlanInstitucional.codigo, PlanInstitucional.nombre,
                  PlanInstitucional.referencia_legal, Dependencia.nombre, Actividad.codigo, Actividad.descripcion,
                  Actividad.indicador, Actividad.meta_anual, Actividad.meta_t1, Actividad.meta_t2, Actividad.meta_t3,
                  Actividad.meta_t4, Actividad.presupuesto, Actividad.responsable)
        .select_from(integracion).join(Actividad, Actividad.id == integracion.c.actividad_id)
        .join(PlanInstitucional, PlanInstitucional.id == integracion.c.plan_institucional_id)
        .join(Plan, Actividad.plan_id == Plan.id).join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .where(Actividad.plan_id.in_(_planes_del_pai([pub.pai.id])))
        .order_by(*PlanInstitucional.en_orden(),
                  Dependencia.codigo, Actividad.codigo, Actividad.id)).all()
    return [(pub.vigencia.anio, pub.pai.numero_version, *fila) for fila in filas]


# --- modificaciones: ajustes aprobados de los planes publicados --------------------------------------------
MODIFICACIONES = (
    Campo("vigencia", "entero", "Año del plan ajustado."),
    Campo("fecha_aprobacion", "fecha", "Fecha en que la instancia competente aprobó el ajuste."),
    Campo("dependencia", "texto", "Dependencia dueña del plan de acción ajustado."),
    Campo("version_anterior", "entero", "Versión del plan que el ajuste reemplaza."),
    Campo("version_nueva", "entero", "Versión del plan que el ajuste pone en vigor."),
    Campo("causa", "texto", "Causa del ajuste, como la registró el solicitante."),
    Campo("cambio", "texto", "Cambio propuesto."),
    Campo("presupuesto_anterior", "numero", "Presupuesto total del plan antes del ajuste.", PESOS),
    Campo("presupuesto_nuevo", "numero", "Presupuesto total del plan después del ajuste.", PESOS),
    Campo("diferencia", "numero", "Presupuesto nuevo menos anterior.", PESOS),
)


def filas_modificaciones(pub: Publicado) -> list[tuple]:
    """Los ajustes aprobados de los planes de acción de un PAI publicado de la vigencia (o de sus versiones
    siguientes), por fecha de aprobación."""
    if not pub.pais:
        return []
    anterior, nuevo = aliased(Plan), aliased(Plan)
    filas = db.session.execute(
        sa.select(SolicitudAjuste.decidido_en, Dependencia.nombre, anterior.numero_version, nuevo.numero_version,
                  SolicitudAjuste.causa, SolicitudAjuste.cambio_propuesto,
                  _presupuesto_de(anterior.id), _presupuesto_de(nuevo.id))
        .select_from(SolicitudAjuste).join(anterior, SolicitudAjuste.plan_id == anterior.id)
        .join(nuevo, SolicitudAjuste.plan_propuesto_id == nuevo.id)
        .join(Dependencia, anterior.dependencia_id == Dependencia.id)
        .where(SolicitudAjuste.estado == EstadoAjuste.APROBADO, anterior.tipo == TipoPlan.PA,
               anterior.vigencia_id == pub.vigencia.id,
               # la familia del plan estuvo en un PAI publicado: el público ya vio la versión que se ajusta
               anterior.dependencia_id.in_(sa.select(Plan.dependencia_id).where(
                   Plan.id.in_(_planes_del_pai([p.id for p in pub.pais])))))
        .order_by(SolicitudAjuste.decidido_en, SolicitudAjuste.id)).all()
    return [(pub.vigencia.anio, _fecha(decidido), dependencia, v_ant, v_nueva, causa, cambio, Decimal(antes),
             Decimal(despues), Decimal(despues) - Decimal(antes))
            for decidido, dependencia, v_ant, v_nueva, causa, cambio, antes, despues in filas]


def _presupuesto_de(plan_id):
    return (sa.select(sa.func.coalesce(sa.func.sum(Actividad.presupuesto), 0))
            .where(Actividad.plan_id == plan_id).correlate_except(Actividad).scalar_subquery())


def _actualizado_modificaciones(pub: Publicado):
    filas = filas_modificaciones(pub)
    return max((f[1] for f in filas), default=pub.pai.publicado_en if pub.pai else None)


def _publicacion_pai(pub: Publicado):
    return pub.pai.publicado_en if pub.pai else None


def _publicacion_estrategicos(pub: Publicado):
    return max((p.publicado_en for p in pub.estrategicos), default=None)


CONJUNTOS: dict[str, Conjunto] = {c.clave: c for c in (
    Conjunto("actividades", "Actividades del Plan de Acción Institucional",
             "Actividades, metas trimestrales, pesos, presupuesto y unidades responsables del Plan de Acción "
             "Institucional publicado (Ley 1474 de 2011, art. 74): una fila por actividad, la misma del libro "
             ".xlsx y de la página pública del plan.", ACTIVIDADES, filas_actividades, _publicacion_pai),
    Conjunto("indicadores", "Indicadores estratégicos y sus metas",
             "Indicadores de los objetivos del Plan Estratégico Sectorial y del Plan Estratégico Institucional "
             "publicados, con la meta del año: una fila por indicador.", INDICADORES, filas_indicadores,
             _publicacion_estrategicos, "Cuatrienal, y cada vez que se publica una versión nueva del plan"),
    Conjunto("seguimiento", "Seguimiento trimestral del Plan de Acción",
             "Avance de cada actividad en cada trimestre, de los reportes aceptados por la Oficina Asesora de "
             "Planeación de los planes de acción consolidados en el PAI publicado.", SEGUIMIENTO, filas_seguimiento,
             actualizado_seguimiento, "Trimestral"),
    Conjunto("presupuesto", "Presupuesto de inversión por proyecto",
             "Distribución del presupuesto de inversión por proyecto con sus indicadores de gestión (Ley 1474 de "
             "2011, art. 74), según las actividades del PAI publicado.", PRESUPUESTO, filas_presupuesto,
             _publicacion_pai),
    Conjunto("planes_integrados", "Planes institucionales integrados al Plan de Acción",
             "Actividades del Plan de Acción Institucional publicado que integran cada plan institucional y "
             "estratégico (los 12 del Decreto 612 de 2018 y los propios de la entidad), con sus metas, presupuesto "
             "y unidad responsable: una fila por plan y actividad, la misma de la hoja «Por plan integrado» del "
             "libro del PAI.", PLANES_INTEGRADOS, filas_planes_integrados, _publicacion_pai),
    Conjunto("modificaciones", "Modificaciones al plan y a su presupuesto",
             "Ajustes aprobados a los planes de acción de la vigencia, con su causa y el presupuesto antes y "
             "después (Ley 1474 de 2011, art. 74: el presupuesto con sus modificaciones).", MODIFICACIONES,
             filas_modificaciones, _actualizado_modificaciones, "Cada vez que se aprueba un ajuste"),
)}


# --- formatos --------------------------------------------------------------------------------------------
def _iso(valor) -> str | None:
    return valor.isoformat() if valor is not None else None


def texto_csv(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, (int, Decimal, float)):
        numero = Decimal(str(valor))
        return format(numero.quantize(Decimal(1)) if numero == numero.to_integral_value() else numero.normalize(),
                      "f")
    if isinstance(valor, (date, datetime)):
        return _fecha(valor).isoformat()
    texto = str(valor)
    return "'" + texto if es_formula(texto) else texto


def valor_json(valor):
    if isinstance(valor, bool) or valor is None or isinstance(valor, (int, str)):
        return valor
    if isinstance(valor, (Decimal, float)):
        numero = Decimal(str(valor))
        return int(numero) if numero == numero.to_integral_value() else float(numero)
    if isinstance(valor, (date, datetime)):
        return _fecha(valor).isoformat()
    return str(valor)


def csv_de(conjunto: Conjunto, filas: Iterable[tuple]) -> Iterator[str]:
    """El CSV por partes: la cabecera y luego una línea por fila."""
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\r\n")
    escritor.writerow([c.nombre for c in conjunto.campos])
    for fila in filas:
        escritor.writerow([texto_csv(v) for v in fila])
        if salida.tell() > 64_000:
            yield salida.getvalue()
            salida.seek(0)
            salida.truncate()
    yield salida.getvalue()


def json_de(conjunto: Conjunto, pub: Publicado, filas: list[tuple], urls: dict[str, str]) -> str:
    nombres = [c.nombre for c in conjunto.campos]
    return json.dumps({"metadatos": conjunto.metadatos(pub, urls), "diccionario": conjunto.diccionario(),
                       "datos": [dict(zip(nombres, map(valor_json, fila), strict=True)) for fila in filas]},
                      ensure_ascii=False, indent=1)
