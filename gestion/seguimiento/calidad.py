"""La calidad del reporte de cada dependencia en un trimestre: lo que la OAP presenta a los comités.

Cuatro cosas medidas, y un índice que las junta (0 a 100):
- a tiempo: el primer envío del reporte llegó antes de que cerrara la ventana del trimestre (30 puntos);
- completo: cada ítem con su justificación si quedó por debajo de la meta, y con evidencia (archivo, enlace o referencia) si
  reporta avance (40 puntos, en proporción a los ítems completos);
- sin devoluciones: 30 puntos si la OAP lo aceptó a la primera, 15 con una devolución, 0 con dos o más;
- días para corregir: los que pasaron entre cada devolución y el siguiente envío (se muestran; no restan más).
Aparte, la parte de las actividades de la dependencia sin ningún avance reportado en la vigencia hasta el trimestre.
Una dependencia que debía reportar y no envió nada tiene índice 0. Todo se lee en un número fijo de consultas; lo
que se cuenta sobre los avances, de lo guardado (`calidad_guardada`).
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from gestion.base import formato
from gestion.base.formato import ZONA, en_bogota
from gestion.reglas.ventanas import ventana_de
from gestion.seguimiento import calidad_guardada, cifras_guardadas
from modelos import EstadoReporte, HistorialEstado, Plan, ReporteTrimestral, TipoPlan, Vigencia, db

PUNTOS_A_TIEMPO, PUNTOS_COMPLETO, PUNTOS_SIN_DEVOLUCIONES = Decimal(30), Decimal(40), Decimal(30)


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

    @cached_property  # se lee al ordenar y al mostrar, con la fila ya completa
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


def _historial(reportes, ids: list[int]) -> dict[int, list]:
    """Los envíos y devoluciones de `reportes` (una consulta de sus ids, que ya se leyeron: `ids`). En SQLite, la
    subconsulta (un IN con miles de parámetros cuesta más armarlo que leerlo); en PostgreSQL, los ids como un
    arreglo, un solo parámetro: con la subconsulta el planificador recorre el historial entero (a dos sectores,
    ~60 ms contra ~20 de buscar cada reporte en el índice)."""
    if db.session.get_bind().dialect.name == "postgresql":
        cuales = HistorialEstado.objeto_id == sa.any_(sa.bindparam("ids", ids, type_=postgresql.ARRAY(sa.Integer)))
    else:
        cuales = HistorialEstado.objeto_id.in_(reportes)
    filas = db.session.execute(
        sa.select(HistorialEstado.objeto_id, HistorialEstado.accion, HistorialEstado.en)
        .where(HistorialEstado.objeto_tipo == ReporteTrimestral.__tablename__, cuales,
               HistorialEstado.accion.in_(("enviar", "devolver")))
        .order_by(HistorialEstado.objeto_id, HistorialEstado.en, HistorialEstado.id)).all()
    por_reporte = defaultdict(list)
    for reporte_id, accion, en in filas:
        por_reporte[reporte_id].append((accion, en))
    return por_reporte


def _cierre(vigencia: Vigencia, trimestre: int) -> datetime | None:
    ventana = ventana_de(vigencia.id, trimestre)
    if ventana is None:
        return None
    return datetime.combine(ventana.cierra, time(23, 59, 59), tzinfo=ZONA)


def calidad(vigencia: Vigencia, trimestre: int, esperadas: list | None = None) -> list[Calidad]:
    """Cada dependencia que debía reportar el trimestre, de la mejor a la peor (a igual índice, por nombre).
    `esperadas` (filas con clave y nombre): las que ya se conocen, p. ej. las del resumen del tablero; sin ellas
    salen de las cifras guardadas (las mismas que el cuadro en vivo, sin sus sumas, que aquí no se usan)."""
    if esperadas is None:
        esperadas = cifras_guardadas.con_cifras(vigencia, trimestre)
    else:  # las cuentas guardadas de los avances, al día (dentro de una operación, sin confirmar nada)
        cifras_guardadas.al_dia(vigencia, confirmar=False)
    filas = {d.clave: Calidad(d.clave, d.nombre) for d in esperadas}
    items = calidad_guardada.items(vigencia.id, trimestre)
    # Los del trimestre, filtrados aquí: con cientos de dependencias un IN por dependencia lleva a SQLite a leer
    # los reportes de todas las vigencias de cada una (~90 ms a escala de sector contra ~4).
    del_trimestre = (sa.select(ReporteTrimestral.id, ReporteTrimestral.dependencia_id)
                     .join(Plan, Plan.id == ReporteTrimestral.plan_id)
                     .where(ReporteTrimestral.vigencia_id == vigencia.id, ReporteTrimestral.trimestre == trimestre,
                            Plan.tipo == TipoPlan.PA))
    todos = db.session.execute(del_trimestre).all()
    reportes = [(reporte_id, dependencia_id) for reporte_id, dependencia_id in todos if dependencia_id in filas]
    historial = _historial(del_trimestre.with_only_columns(ReporteTrimestral.id), [r for r, _ in todos])
    cierre = _cierre(vigencia, trimestre)
    for reporte_id, dependencia_id in reportes:
        fila = filas[dependencia_id]
        pasos = historial.get(reporte_id, [])
        envios = [en for accion, en in pasos if accion == "enviar"]
        if not envios:
            continue
        fila.enviado, fila.primer_envio = True, envios[0]
        if cierre is not None:
            fila.a_tiempo = en_bogota(envios[0]) <= cierre
        fila.items, fila.completos = items.get(reporte_id, (0, 0))
        devuelto_en = None
        for accion, en in pasos:
            if accion == "devolver":
                fila.devoluciones += 1
                devuelto_en = en
            elif devuelto_en is not None:
                fila.dias_para_corregir += (en_bogota(en).date() - en_bogota(devuelto_en).date()).days
                devuelto_en = None
    for dependencia_id, (total, nunca) in calidad_guardada.sin_avance(vigencia.id, trimestre).items():
        if dependencia_id in filas:
            filas[dependencia_id].actividades, filas[dependencia_id].sin_avance_nunca = total, nunca
    ordenadas = sorted(filas.values(), key=lambda f: (-f.indice, f.dependencia))
    for puesto, fila in enumerate(ordenadas, start=1):
        fila.puesto = puesto
    return ordenadas
