"""La calidad del reporte de cada dependencia en un trimestre: lo que la OAP presenta a los comités.

Cuatro cosas medidas, y un índice que las junta (0 a 100):
- a tiempo: el primer envío del reporte llegó antes de que cerrara la ventana del trimestre (30 puntos);
- completo: cada ítem con su justificación si quedó por debajo de la meta, y con evidencia (archivo o enlace) si
  reporta avance (40 puntos, en proporción a los ítems completos);
- sin devoluciones: 30 puntos si la OAP lo aceptó a la primera, 15 con una devolución, 0 con dos o más;
- días para corregir: los que pasaron entre cada devolución y el siguiente envío (se muestran; no restan más).
Aparte, la parte de las actividades de la dependencia sin ningún avance reportado en la vigencia hasta el trimestre.
Una dependencia que debía reportar y no envió nada tiene índice 0. Todo se lee en un número fijo de consultas.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

import sqlalchemy as sa

from gestion.base import formato
from gestion.base.formato import ZONA, en_bogota
from gestion.reglas.ventanas import ventana_de
from gestion.seguimiento import cifras
from modelos import (
    Actividad,
    Avance,
    EstadoPlan,
    EstadoReporte,
    HistorialEstado,
    MetaTerritorial,
    Plan,
    ReporteTrimestral,
    TipoPlan,
    Vigencia,
    db,
)

PUNTOS_A_TIEMPO, PUNTOS_COMPLETO, PUNTOS_SIN_DEVOLUCIONES = Decimal(30), Decimal(40), Decimal(30)
CONTADOS = ("reportado", "aceptado")


@dataclass
class Calidad:
    dependencia_id: int
    dependencia: str
    enviado: bool = False
    primer_envio: datetime | None = None
    a_tiempo: bool | None = None  # None: sin ventana con fecha de cierre
    items: int = 0
    completos: int = 0
    devoluciones: int = 0
    dias_para_corregir: int = 0
    actividades: int = 0
    sin_avance_nunca: int = 0
    puesto: int = 0

    @property
    def completitud(self) -> Decimal | None:
        return None if not self.items else (Decimal(self.completos) * 100 / self.items).quantize(Decimal("0.1"))

    @property
    def sin_avance_pct(self) -> Decimal | None:
        if not self.actividades:
            return None
        return (Decimal(self.sin_avance_nunca) * 100 / self.actividades).quantize(Decimal("0.1"))

    @property
    def indice(self) -> Decimal:
        if not self.enviado:
            return Decimal(0)
        completo = PUNTOS_COMPLETO * (Decimal(self.completos) / self.items if self.items else 1)
        a_tiempo = PUNTOS_A_TIEMPO if self.a_tiempo is not False else Decimal(0)
        devoluciones = PUNTOS_SIN_DEVOLUCIONES * max(Decimal(0), 1 - Decimal(self.devoluciones) / 2)
        return (completo + a_tiempo + devoluciones).quantize(Decimal("0.1"))


def dias_en_espera(reporte: ReporteTrimestral, hoy=None) -> int | None:
    """Los días que un reporte enviado lleva esperando la revisión de la OAP (None si no espera)."""
    if reporte.estado is not EstadoReporte.REPORTADO or reporte.enviado_en is None:
        return None
    return ((hoy or formato.hoy()) - en_bogota(reporte.enviado_en).date()).days


def _historial(ids: list[int]) -> dict[int, list]:
    filas = db.session.execute(
        sa.select(HistorialEstado.objeto_id, HistorialEstado.accion, HistorialEstado.en)
        .where(HistorialEstado.objeto_tipo == ReporteTrimestral.__tablename__, HistorialEstado.objeto_id.in_(ids),
               HistorialEstado.accion.in_(("enviar", "devolver")))
        .order_by(HistorialEstado.objeto_id, HistorialEstado.en, HistorialEstado.id)).all()
    por_reporte = defaultdict(list)
    for reporte_id, accion, en in filas:
        por_reporte[reporte_id].append((accion, en))
    return por_reporte


def _items(ids: list[int], trimestre: int) -> dict[int, list[bool]]:
    """Por reporte, si cada ítem está completo (justificado bajo la meta, con evidencia si reporta avance)."""
    meta_actividad, meta_dt = Actividad.columna_meta(trimestre), MetaTerritorial.columna_meta(trimestre)
    filas = db.session.execute(
        sa.select(Avance.reporte_id, Avance.actividad_id, Avance.valor_logrado, Avance.justificacion,
                  Avance.evidencia_archivo,
                  sa.func.coalesce(Avance.evidencia_enlace, Avance.evidencia_referencia), sa.func.coalesce(meta_dt, meta_actividad))
        .join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
        .outerjoin(Actividad, Avance.actividad_id == Actividad.id)
        .outerjoin(MetaTerritorial, sa.and_(MetaTerritorial.actividad_id == Avance.actividad_id,
                                            MetaTerritorial.dependencia_id == ReporteTrimestral.dependencia_id))
        .where(Avance.reporte_id.in_(ids))).all()
    por_reporte = defaultdict(list)
    for reporte_id, actividad_id, valor, justificacion, archivo, enlace, meta in filas:
        bajo = actividad_id is not None and meta is not None and (valor or 0) < meta
        justificado = not bajo or bool((justificacion or "").strip())
        con_evidencia = not valor or bool(archivo or enlace)
        por_reporte[reporte_id].append(justificado and con_evidencia)
    return por_reporte


def _sin_avance(vigencia: Vigencia, trimestre: int) -> dict[int, tuple[int, int]]:
    """Por dependencia dueña de un plan vigente aprobado: (actividades, las que nunca reportaron avance)."""
    con_avance = (sa.select(Avance.actividad_id).join(ReporteTrimestral, Avance.reporte_id == ReporteTrimestral.id)
                  .where(ReporteTrimestral.vigencia_id == vigencia.id, ReporteTrimestral.trimestre <= trimestre,
                         ReporteTrimestral.estado.in_(CONTADOS), Avance.valor_logrado > 0))
    filas = db.session.execute(
        sa.select(Plan.dependencia_id, sa.func.count(Actividad.id),
                  sa.func.count(Actividad.id).filter(Actividad.id.not_in(con_avance)))
        .join(Actividad, Actividad.plan_id == Plan.id)
        .where(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia.id, Plan.vigente,
               Plan.estado.in_((EstadoPlan.APROBADO, EstadoPlan.PUBLICADO)))
        .group_by(Plan.dependencia_id)).all()
    return {dependencia: (total, nunca) for dependencia, total, nunca in filas}


def _cierre(vigencia: Vigencia, trimestre: int) -> datetime | None:
    ventana = ventana_de(vigencia.id, trimestre)
    if ventana is None:
        return None
    return datetime.combine(ventana.cierra, time(23, 59, 59), tzinfo=ZONA)


def calidad(vigencia: Vigencia, trimestre: int, esperadas: list | None = None) -> list[Calidad]:
    """Cada dependencia que debía reportar el trimestre, de la mejor a la peor (a igual índice, por nombre).
    `esperadas` (filas con clave y nombre): las que ya se conocen, p. ej. las del resumen guardado del tablero;
    sin ellas salen del cuadro en vivo."""
    if esperadas is None:
        esperadas = cifras.cuadro(vigencia, trimestre).dependencias
    filas = {d.clave: Calidad(d.clave, d.nombre) for d in esperadas}
    reportes = db.session.execute(
        sa.select(ReporteTrimestral.id, ReporteTrimestral.dependencia_id).where(
            ReporteTrimestral.vigencia_id == vigencia.id, ReporteTrimestral.trimestre == trimestre,
            ReporteTrimestral.dependencia_id.in_(list(filas)))).all()
    ids = [r.id for r in reportes]
    historial, items, cierre = _historial(ids), _items(ids, trimestre), _cierre(vigencia, trimestre)
    for reporte_id, dependencia_id in reportes:
        fila = filas[dependencia_id]
        pasos = historial.get(reporte_id, [])
        envios = [en for accion, en in pasos if accion == "enviar"]
        if not envios:
            continue
        fila.enviado, fila.primer_envio = True, envios[0]
        if cierre is not None:
            fila.a_tiempo = en_bogota(envios[0]) <= cierre
        completos = items.get(reporte_id, [])
        fila.items, fila.completos = len(completos), sum(completos)
        devuelto_en = None
        for accion, en in pasos:
            if accion == "devolver":
                fila.devoluciones += 1
                devuelto_en = en
            elif devuelto_en is not None:
                fila.dias_para_corregir += (en_bogota(en).date() - en_bogota(devuelto_en).date()).days
                devuelto_en = None
    for dependencia_id, (total, nunca) in _sin_avance(vigencia, trimestre).items():
        if dependencia_id in filas:
            filas[dependencia_id].actividades, filas[dependencia_id].sin_avance_nunca = total, nunca
    ordenadas = sorted(filas.values(), key=lambda f: (-f.indice, f.dependencia))
    for puesto, fila in enumerate(ordenadas, start=1):
        fila.puesto = puesto
    return ordenadas
