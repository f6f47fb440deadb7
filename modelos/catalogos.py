"""Catálogos que mantiene la Oficina Asesora de Planeación."""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ConVersion, Dinero, EnumEtiquetado, db, no_negativo, tipo_enum


class TipoDependencia(EnumEtiquetado):
    CENTRAL = "central", "Dependencia del nivel central", "primary"
    TERRITORIAL = "territorial", "Dirección Territorial", "info"
    ENTIDAD = "entidad", "Entidad adscrita o vinculada", "dark"


class TipoInstancia(EnumEtiquetado):
    SECTORIAL = "sectorial", "Comité Sectorial"
    DIRECTIVO = "directivo", "Comité Directivo"
    INSTITUCIONAL = "institucional", "Comité Institucional"


class FaseCronograma(EnumEtiquetado):
    COMPROMISOS = "compromisos", "Identificación de compromisos"
    SOLICITUD = "solicitud", "Solicitud de planes de acción"
    FORMULACION = "formulacion", "Formulación y cargue"
    VERIFICACION = "verificacion", "Verificación"
    APROBACION = "aprobacion", "Aprobación"
    CONSOLIDACION = "consolidacion", "Consolidación"
    COMITE = "comite", "Presentación al comité"
    PUBLICACION = "publicacion", "Publicación"


class ColorSemaforo(EnumEtiquetado):
    ROJO = "rojo", "Rojo", "danger"
    AMARILLO = "amarillo", "Amarillo", "warning"
    VERDE = "verde", "Verde", "success"
    GRIS = "gris", "Sin reporte", "secondary"


class Dependencia(ConVersion, db.Model):
    __tablename__ = "dependencia"

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(200))
    tipo: Mapped[TipoDependencia] = mapped_column(tipo_enum(TipoDependencia, "tipo_dependencia"))
    padre_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"))
    activa: Mapped[bool] = mapped_column(default=True)

    padre = relationship("Dependencia", remote_side=[id], backref="hijas")

    def __str__(self) -> str:
        return f"{self.codigo} – {self.nombre}"


class Cuatrienio(ConVersion, db.Model):
    __tablename__ = "cuatrienio"
    __table_args__ = (sa.CheckConstraint("anio_fin = anio_inicio + 3", name="cuatro_anios"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    anio_inicio: Mapped[int] = mapped_column(unique=True)
    anio_fin: Mapped[int]

    @property
    def anios(self) -> list[int]:
        return list(range(self.anio_inicio, self.anio_fin + 1))

    def __str__(self) -> str:
        return f"{self.anio_inicio}–{self.anio_fin}"


class Vigencia(ConVersion, db.Model):
    __tablename__ = "vigencia"
    __table_args__ = (sa.CheckConstraint("anio BETWEEN 2000 AND 2100", name="anio_valido"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    anio: Mapped[int] = mapped_column(unique=True)
    cuatrienio_id: Mapped[int] = mapped_column(sa.ForeignKey("cuatrienio.id"))

    cuatrienio = relationship(Cuatrienio, backref="vigencias")

    def __str__(self) -> str:
        return str(self.anio)


class PndPacto(ConVersion, db.Model):
    """Pacto o transformación del Plan Nacional de Desarrollo."""

    __tablename__ = "pnd_pacto"

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(300))
    cuatrienio_id: Mapped[int] = mapped_column(sa.ForeignKey("cuatrienio.id"))

    cuatrienio = relationship(Cuatrienio)

    def __str__(self) -> str:
        return f"{self.codigo} {self.nombre}"


class PndLinea(ConVersion, db.Model):
    __tablename__ = "pnd_linea"

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(300))
    pacto_id: Mapped[int] = mapped_column(sa.ForeignKey("pnd_pacto.id"))

    pacto = relationship(PndPacto, backref="lineas")

    def __str__(self) -> str:
        return f"{self.codigo} {self.nombre}"


class PndObjetivo(ConVersion, db.Model):
    __tablename__ = "pnd_objetivo"

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(300))
    linea_id: Mapped[int] = mapped_column(sa.ForeignKey("pnd_linea.id"))

    linea = relationship(PndLinea, backref="objetivos")

    def __str__(self) -> str:
        return f"{self.codigo} {self.nombre}"


class PoliticaMipg(ConVersion, db.Model):
    """Política de gestión y desempeño institucional (MIPG)."""

    __tablename__ = "politica_mipg"

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(200), unique=True)
    dimension: Mapped[str] = mapped_column(sa.String(200))
    activa: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.nombre


class ProyectoInversion(ConVersion, db.Model):
    __tablename__ = "proyecto_inversion"

    id: Mapped[int] = mapped_column(primary_key=True)
    bpin: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(300))
    dependencia_id: Mapped[int] = mapped_column(sa.ForeignKey("dependencia.id"))
    activo: Mapped[bool] = mapped_column(default=True)

    dependencia = relationship(Dependencia)

    def __str__(self) -> str:
        return f"{self.bpin} {self.nombre}"


class PresupuestoProyecto(ConVersion, db.Model):
    __tablename__ = "presupuesto_proyecto"
    __table_args__ = (sa.UniqueConstraint("proyecto_id", "vigencia_id"), no_negativo("valor"))

    id: Mapped[int] = mapped_column(primary_key=True)
    proyecto_id: Mapped[int] = mapped_column(sa.ForeignKey("proyecto_inversion.id", ondelete="CASCADE"))
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    valor: Mapped[Decimal] = mapped_column(Dinero)

    proyecto = relationship(ProyectoInversion, backref="presupuestos")
    vigencia = relationship(Vigencia)

    def __str__(self) -> str:
        return f"{self.proyecto.bpin} · {self.vigencia}"


class UnidadMedida(ConVersion, db.Model):
    __tablename__ = "unidad_medida"

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(100), unique=True)

    def __str__(self) -> str:
        return self.nombre


class Instancia(ConVersion, db.Model):
    """Comité o instancia que concerta, aprueba o recibe informes."""

    __tablename__ = "instancia"

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(200))
    tipo: Mapped[TipoInstancia] = mapped_column(tipo_enum(TipoInstancia, "tipo_instancia"), unique=True)

    def __str__(self) -> str:
        return self.nombre


class EtapaCronograma(ConVersion, db.Model):
    __tablename__ = "etapa_cronograma"
    __table_args__ = (
        sa.UniqueConstraint("vigencia_id", "fase"),
        sa.CheckConstraint("fin >= inicio", name="fechas_ordenadas"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vigencia_id: Mapped[int] = mapped_column(sa.ForeignKey("vigencia.id"))
    fase: Mapped[FaseCronograma] = mapped_column(tipo_enum(FaseCronograma, "fase_cronograma"))
    inicio: Mapped[date]
    fin: Mapped[date]

    vigencia = relationship(Vigencia, backref="cronograma")

    def __str__(self) -> str:
        return f"{self.vigencia} · {self.fase}"


class UmbralSemaforo(ConVersion, db.Model):
    """Desde qué porcentaje de cumplimiento rige cada color."""

    __tablename__ = "umbral_semaforo"
    __table_args__ = (sa.CheckConstraint("desde >= 0", name="desde_no_negativo"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    color: Mapped[ColorSemaforo] = mapped_column(tipo_enum(ColorSemaforo, "color_semaforo"), unique=True)
    desde: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))  # puntos de cumplimiento: dos decimales bastan

    def __str__(self) -> str:
        return f"{self.color} desde {self.desde} %"


class PlanInstitucional(ConVersion, db.Model):
    """Plan institucional o estratégico que el Plan de Acción integra: los 12 del Decreto 612 de 2018
    (art. 2.2.22.3.14 del Decreto 1083 de 2015) y los que la entidad agregue."""

    __tablename__ = "plan_institucional"
    __table_args__ = (
        sa.CheckConstraint("anio_fin IS NULL OR anio_inicio IS NULL OR anio_fin >= anio_inicio",
                           name="periodo_ordenado"),
        sa.CheckConstraint("numeral IS NULL OR numeral BETWEEN 1 AND 12", name="numeral_del_decreto"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    codigo: Mapped[str] = mapped_column(sa.String(20), unique=True)
    nombre: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # El numeral del art. 2.2.22.3.14 (1 a 12); None en un plan propio de la entidad.
    numeral: Mapped[int | None] = mapped_column(unique=True)
    referencia_legal: Mapped[str | None] = mapped_column(sa.String(300))
    dependencia_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dependencia.id"))
    instancia_adopcion: Mapped[str | None] = mapped_column(sa.String(200))
    anio_inicio: Mapped[int | None]
    anio_fin: Mapped[int | None]
    activo: Mapped[bool] = mapped_column(default=True)

    dependencia = relationship(Dependencia)

    # El orden de índices, tablas y libros: los 12 del decreto por su numeral; después los propios, por código.
    @classmethod
    def en_orden(cls) -> tuple:
        return cls.numeral.is_(None), cls.numeral, cls.codigo

    @property
    def orden(self) -> tuple:
        return self.numeral is None, self.numeral or 0, self.codigo

    @property
    def del_decreto(self) -> bool:
        return self.numeral is not None

    @property
    def periodo(self) -> str:
        if self.anio_inicio is None:
            return ""
        return str(self.anio_inicio) if self.anio_fin in (None, self.anio_inicio) else f"{self.anio_inicio}–{self.anio_fin}"

    def __str__(self) -> str:
        return self.nombre
