"""La lista de chequeo (actividad 12) de cada plan de acción, guardada: la escribe `gestion.planes.listas_guardadas`
cuando cambia algo que la lista lee; la lista de planes, la bandeja y los inicios la leen en lugar de evaluar
los puntos de control plan por plan."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import db


class ChequeoPlan(db.Model):
    """Los ítems de la lista de un plan tal como se evaluaron: código, descripción, si cumple (None: de juicio por
    verificar), lo que incumple, si es automático y el comentario de la OAP."""

    __tablename__ = "chequeo_plan"
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True)
    items: Mapped[list] = mapped_column(sa.JSON)
    calculada_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
