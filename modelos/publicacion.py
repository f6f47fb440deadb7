"""Lo que la OAP adjunta para la publicación de una vigencia (Ley 1474 de 2011, art. 74)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ahora, db
from .catalogos import Vigencia


class PlanCompras(db.Model):
    """El plan general de compras (Plan Anual de Adquisiciones) de una vigencia: un enlace (SECOP II, el sitio de la
    entidad) o un archivo, o los dos. Es un documento que se publica tal cual, no un plan del procedimiento."""

    __tablename__ = "plan_compras"
    __table_args__ = (sa.CheckConstraint("enlace IS NOT NULL OR archivo IS NOT NULL", name="enlace_o_archivo"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"), unique=True)
    enlace: Mapped[str | None] = mapped_column(sa.String(500))
    archivo: Mapped[str | None] = mapped_column(sa.String(300))
    nombre_archivo: Mapped[str | None] = mapped_column(sa.String(200))
    actualizado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    actualizado_por_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))

    vigencia = relationship(Vigencia)
    actualizado_por = relationship("Usuario")

    def __str__(self) -> str:
        return f"Plan de compras {self.vigencia}"
