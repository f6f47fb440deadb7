"""Ventanas de reporte trimestral: si una dependencia puede reportar un trimestre hoy."""
from datetime import date

import sqlalchemy as sa

from gestion.base import formato
from modelos import ReaperturaVentana, VentanaReporte, db


def ventana_de(vigencia_id: int, trimestre: int) -> VentanaReporte | None:
    return db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=vigencia_id, trimestre=trimestre))


def abierta_para(vigencia_id: int, trimestre: int, dependencia_id: int, hoy: date | None = None) -> bool:
    """Abierta para todos, o reabierta para esa dependencia hasta hoy o después."""
    ventana = ventana_de(vigencia_id, trimestre)
    if ventana is None:
        return False
    if ventana.abierta:
        return True
    hoy = hoy or formato.hoy()
    return db.session.scalar(sa.select(sa.func.count(ReaperturaVentana.id)).where(
        ReaperturaVentana.ventana_id == ventana.id, ReaperturaVentana.dependencia_id == dependencia_id,
        ReaperturaVentana.hasta >= hoy)) > 0
