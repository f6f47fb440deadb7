"""Trabajos largos fuera de la petición (informe, remisión, libro del PAI, cargas grandes): su registro.

El registro es el mismo corra el trabajo en la petición (por defecto) o en la cola de Redis: la página de
progreso lo lee, y de él salen el archivo resultante o los errores.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import EnumEtiquetado, ahora, db, tipo_enum
from .catalogos import Dependencia


class EstadoTrabajo(EnumEtiquetado):
    EN_COLA = "en_cola", "En cola", "secondary"
    EN_CURSO = "en_curso", "En curso", "info"
    TERMINADO = "terminado", "Terminado", "success"
    FALLIDO = "fallido", "Fallido", "danger"


ESTADOS_ACTIVOS = (EstadoTrabajo.EN_COLA, EstadoTrabajo.EN_CURSO)


class Trabajo(db.Model):
    """Un trabajo pedido por alguien (o por un visitante, el libro del PAI publicado), con su alcance."""

    __tablename__ = "trabajo"
    __table_args__ = (
        sa.CheckConstraint("hechos >= 0 AND total >= 0", name="progreso_no_negativo"),
        sa.CheckConstraint("estado <> 'terminado' OR terminado_en IS NOT NULL", name="terminado_con_fecha"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo: Mapped[str] = mapped_column(sa.String(40))  # clave de gestion.trabajos.cola.TAREAS
    descripcion: Mapped[str] = mapped_column(sa.String(300))
    estado: Mapped[EstadoTrabajo] = mapped_column(tipo_enum(EstadoTrabajo, "estado_trabajo"),
                                                  default=EstadoTrabajo.EN_COLA, index=True)
    hechos: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    mensaje: Mapped[str | None] = mapped_column(sa.Text)
    errores: Mapped[list | None] = mapped_column(sa.JSON)
    # Lo que el trabajo devuelve a la página que lo pidió (la vista previa de un libro grande, como datos).
    datos: Mapped[dict | None] = mapped_column(sa.JSON)
    parametros: Mapped[dict] = mapped_column(sa.JSON)  # ids y nombres: lo que el trabajo necesita para correr
    # Lo que no debe hacerse dos veces (remitir un informe): un segundo pedido encuentra este trabajo.
    clave: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    # Alcance: quién lo pidió, la sección de gestion.reglas.permisos a que pertenece y la dependencia de lo que toca.
    usuario_id: Mapped[int | None] = mapped_column(sa.ForeignKey("usuario.id"), index=True)
    recurso: Mapped[str | None] = mapped_column(sa.String(40))
    dependencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"))
    publico: Mapped[bool] = mapped_column(default=False)  # lo publicado: cualquiera lo descarga
    archivo: Mapped[str | None] = mapped_column(sa.String(200))  # relativo a GESTION_CARPETA_ARCHIVOS
    nombre_archivo: Mapped[str | None] = mapped_column(sa.String(200))
    intentos: Mapped[int] = mapped_column(default=1)
    creado_en: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=ahora)
    iniciado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    terminado_en: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Lo último que se supo del proceso que lo corre (cada paso del progreso y un hilo que late mientras corre):
    # sin latido por `GESTION_TRABAJOS_SIN_LATIDO` segundos, ese proceso murió (gestion.trabajos.cola).
    latido: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    usuario = relationship("Usuario")
    dependencia = relationship(Dependencia)

    @property
    def activo(self) -> bool:
        return self.estado in ESTADOS_ACTIVOS

    @property
    def porcentaje(self) -> int:
        return int(100 * self.hechos / self.total) if self.total else 0

    def __str__(self) -> str:
        return self.descripcion
