"""Ventanas de reporte trimestral: la única regla de si una dependencia puede reportar un trimestre hoy.

Una ventana está abierta entre sus fechas (`abre` y `cierra`, fecha de Bogotá). Cerrada, solo la abre de nuevo
una reapertura de la OAP: con su motivo y una nueva fecha de cierre, para todas las dependencias o para una.
Las páginas de reporte, el botón de enviar, la página de ventanas de la OAP, los inicios y los recordatorios
leen esto; nada guarda si una ventana «está abierta».
"""
from datetime import date

import sqlalchemy as sa

from gestion.base import formato
from modelos import EstadoVentana, EtapaCronograma, FaseCronograma, ReaperturaVentana, VentanaReporte, db

# Las etapas del cronograma que ocupan a la OAP: una ventana que se cruza con ellas se advierte al guardarla.
ETAPAS_DE_LA_OAP = (FaseCronograma.CONSOLIDACION, FaseCronograma.COMITE, FaseCronograma.PUBLICACION)


def ventana_de(vigencia_id: int, trimestre: int) -> VentanaReporte | None:
    return db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=vigencia_id, trimestre=trimestre))


def reaperturas_vigentes(ventana: VentanaReporte, hoy: date, dependencia_id: int | None = None) -> list:
    """Las reaperturas que hoy valen para la dependencia (sin ella: las que valen para todas)."""
    return [r for r in ventana.reaperturas if r.hasta >= hoy
            and (r.dependencia_id is None or (dependencia_id is not None and r.dependencia_id == dependencia_id))]


def abierta(ventana: VentanaReporte | None, hoy: date | None = None, dependencia_id: int | None = None) -> bool:
    if ventana is None:
        return False
    hoy = hoy or formato.hoy()
    return ventana.abre <= hoy <= ventana.cierra or bool(reaperturas_vigentes(ventana, hoy, dependencia_id))


def abierta_para(vigencia_id: int, trimestre: int, dependencia_id: int, hoy: date | None = None) -> bool:
    return abierta(ventana_de(vigencia_id, trimestre), hoy, dependencia_id)


def cierre_para(ventana: VentanaReporte, hoy: date, dependencia_id: int | None = None) -> date:
    """Hasta cuándo puede reportar la dependencia: el cierre, o el de la reapertura que lo extiende."""
    return max([ventana.cierra] + [r.hasta for r in reaperturas_vigentes(ventana, hoy, dependencia_id)])


def estado(ventana: VentanaReporte, hoy: date | None = None) -> EstadoVentana:
    """La ventana para todas las dependencias (una reabierta para una sola sigue cerrada para las demás)."""
    hoy = hoy or formato.hoy()
    if abierta(ventana, hoy):
        return EstadoVentana.ABIERTA
    return EstadoVentana.POR_ABRIR if hoy < ventana.abre else EstadoVentana.CERRADA


def en_palabras(ventana: VentanaReporte | None, hoy: date | None = None, dependencia_id: int | None = None) -> str:
    """«abierta hasta el 15/10/2026», «cerrada el 15/10/2026», «reabierta hasta el …», «abre el …»."""
    if ventana is None:
        return "sin ventana"
    hoy = hoy or formato.hoy()
    if ventana.abre <= hoy <= ventana.cierra:
        return f"abierta hasta el {ventana.cierra:%d/%m/%Y}"
    if reaperturas_vigentes(ventana, hoy, dependencia_id):
        return f"reabierta hasta el {cierre_para(ventana, hoy, dependencia_id):%d/%m/%Y}"
    if hoy < ventana.abre:
        return f"abre el {ventana.abre:%d/%m/%Y}"
    cerrada = f"cerrada el {ventana.cierra:%d/%m/%Y}"
    de_una = [r for r in ventana.reaperturas if r.hasta >= hoy and r.dependencia_id is not None]
    if dependencia_id is None and de_una:
        cuantas = len({r.dependencia_id for r in de_una})
        cerrada += f"; reabierta para {cuantas} dependencia{'s' if cuantas > 1 else ''}"
    return cerrada


def abiertas(hoy: date, dependencia_id: int | None = None, para_alguna: bool = False):
    """La misma regla como condición de una consulta de ventanas: abiertas hoy para la dependencia (con
    `para_alguna`, abiertas para al menos una: lo que los recordatorios recorren)."""
    reabiertas = sa.select(ReaperturaVentana.ventana_id).where(ReaperturaVentana.hasta >= hoy)
    if not para_alguna:
        reabiertas = reabiertas.where(sa.or_(ReaperturaVentana.dependencia_id.is_(None),
                                             ReaperturaVentana.dependencia_id == dependencia_id))
    return sa.or_(sa.and_(VentanaReporte.abre <= hoy, VentanaReporte.cierra >= hoy),
                  VentanaReporte.id.in_(reabiertas))


def cruces(ventana: VentanaReporte) -> list[str]:
    """Con qué se cruzan sus fechas: otra ventana, o una etapa del cronograma que ocupa a la OAP."""
    otras = db.session.scalars(sa.select(VentanaReporte).where(
        VentanaReporte.id != ventana.id if ventana.id else sa.true(),
        VentanaReporte.abre <= ventana.cierra, VentanaReporte.cierra >= ventana.abre)
        .order_by(VentanaReporte.abre)).all()
    etapas = db.session.scalars(sa.select(EtapaCronograma).where(
        EtapaCronograma.fase.in_(ETAPAS_DE_LA_OAP),
        EtapaCronograma.inicio <= ventana.cierra, EtapaCronograma.fin >= ventana.abre)
        .order_by(EtapaCronograma.inicio)).all()
    return ([f"la ventana {otra} ({otra.abre:%d/%m/%Y} a {otra.cierra:%d/%m/%Y})" for otra in otras]
            + [f"«{e.fase.etiqueta}» de {e.vigencia} ({e.inicio:%d/%m/%Y} a {e.fin:%d/%m/%Y})" for e in etapas])
