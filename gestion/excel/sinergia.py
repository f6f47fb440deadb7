"""Exportación de los indicadores SINERGIA, lista para el cargue en el aplicativo del DNP.

Solo van los valores de reportes aceptados por la OAP: lo que se envía al DNP ya fue revisado."""
import sqlalchemy as sa

from gestion.excel.libro import FORMATO_NUMERO, TIPO_MIME, Columna, Hoja, construir
from gestion.seguimiento import fin_de_trimestre
from modelos import (Avance, EstadoReporte, Indicador, MetaIndicador, Objetivo, Plan, ReporteTrimestral, TipoPlan,
                     UnidadMedida, db)

__all__ = ["TIPO_MIME", "libro", "nombre_archivo", "filas"]

COLUMNAS = [Columna("Código SINERGIA", 16), Columna("Indicador", 60), Columna("Plan", 36),
            Columna("Tipo de acumulación", 16), Columna("Unidad de medida", 16),
            Columna("Línea base", 14, FORMATO_NUMERO), Columna("Meta de la vigencia", 14, FORMATO_NUMERO),
            Columna("Periodo", 10), Columna("Fecha de corte", 14), Columna("Valor", 14, FORMATO_NUMERO),
            Columna("Observaciones", 70)]


def nombre_archivo(vigencia) -> str:
    return f"sinergia-{vigencia.anio}.xlsx"


def filas(vigencia) -> list[list]:
    consulta = (
        sa.select(Indicador.codigo_sinergia, Indicador.nombre, Plan.nombre.label("plan"), Indicador.tipo_acumulacion,
                  UnidadMedida.nombre.label("unidad"), Indicador.linea_base, MetaIndicador.valor.label("meta"),
                  ReporteTrimestral.trimestre, Avance.valor_logrado, Avance.avance_cualitativo, Avance.justificacion)
        .join(Objetivo, Indicador.objetivo_id == Objetivo.id).join(Plan, Objetivo.plan_id == Plan.id)
        .join(Avance, Avance.indicador_id == Indicador.id)
        .join(ReporteTrimestral, sa.and_(Avance.reporte_id == ReporteTrimestral.id,
                                         ReporteTrimestral.vigencia_id == vigencia.id,
                                         ReporteTrimestral.estado == EstadoReporte.ACEPTADO))
        .outerjoin(UnidadMedida, Indicador.unidad_id == UnidadMedida.id)
        .outerjoin(MetaIndicador, sa.and_(MetaIndicador.indicador_id == Indicador.id,
                                          MetaIndicador.anio == vigencia.anio))
        .where(Indicador.sinergia, Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]))
        .order_by(Indicador.codigo_sinergia, ReporteTrimestral.trimestre))
    resultado = []
    for f in db.session.execute(consulta):
        observaciones = " ".join(t for t in (f.avance_cualitativo, f.justificacion) if t) or None
        resultado.append([f.codigo_sinergia, f.nombre, f.plan, f.tipo_acumulacion.etiqueta if f.tipo_acumulacion else None,
                          f.unidad, f.linea_base, f.meta, f"{vigencia.anio}-T{f.trimestre}",
                          fin_de_trimestre(vigencia.anio, f.trimestre), f.valor_logrado, observaciones])
    return resultado


def libro(vigencia) -> bytes:
    return construir([Hoja(f"SINERGIA {vigencia.anio}", COLUMNAS, filas(vigencia))])
