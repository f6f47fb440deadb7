"""Mapeos de columnas: cómo leer el libro propio de una oficina para traer su plan (se guardan con nombre
para usarlos el año siguiente)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ahora, db
from .catalogos import Dependencia


class MapeoColumnas(db.Model):
    __tablename__ = "mapeo_columnas"
    __table_args__ = (sa.UniqueConstraint("destino", "dependencia_id", "nombre"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Sin dependencia: un mapeo de la OAP para un flujo de toda la entidad (la estructura de un plan estratégico).
    dependencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"), index=True)
    # A qué flujo del libro propio pertenece (actividades, avances, estructura…): un mapeo de avances nunca se
    # ofrece para traer actividades, aunque el libro tenga los mismos títulos.
    destino: Mapped[str] = mapped_column(sa.String(20), default="actividades", server_default="actividades")
    nombre: Mapped[str] = mapped_column(sa.String(120))
    hoja: Mapped[str] = mapped_column(sa.String(31))
    fila_encabezado: Mapped[int]
    # campo de la plantilla (atributo de Actividad) → título de la columna en el libro de la oficina
    columnas: Mapped[dict] = mapped_column(sa.JSON)
    # La huella de los títulos de la fila de encabezado: un libro con los mismos títulos (el del año siguiente,
    # el de otra dependencia con el mismo formato) encuentra este mapeo.
    firma: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    # Lo que se eligió en la vista previa: {"escalas": {atributo: 1|100}, "decimales": {atributo: "," o "."}}
    opciones: Mapped[dict | None] = mapped_column(sa.JSON)
    actualizado_por_id: Mapped[int] = mapped_column(sa.ForeignKey("usuario.id"))
    actualizado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)

    dependencia = relationship(Dependencia)
    actualizado_por = relationship("Usuario")

    def __str__(self) -> str:
        return self.nombre
