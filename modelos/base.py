"""Base declarativa, convención de nombres de restricciones y enumeraciones con etiqueta."""
import enum
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

CONVENCION_NOMBRES = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=CONVENCION_NOMBRES)


db = SQLAlchemy(model_class=Base)

Dinero = sa.Numeric(18, 2)
# Metas, líneas base y valores logrados: lo que escriben las oficinas («0,167», «33,3333»), sin redondear.
DECIMALES_CANTIDAD = 6
Cantidad = sa.Numeric(18, DECIMALES_CANTIDAD)


_momento_fijo: ContextVar[datetime | None] = ContextVar("momento_fijo", default=None)


def confirmar_sin_expirar() -> None:
    """Confirma sin expirar lo ya cargado: quien sigue trabajando con esos objetos (una página que los dibuja,
    una carga que ya los validó) no los vuelve a pedir fila por fila."""
    sesion = db.session()
    anterior, sesion.expire_on_commit = sesion.expire_on_commit, False
    try:
        sesion.commit()
    finally:
        sesion.expire_on_commit = anterior


def ahora() -> datetime:
    """La hora de los hechos del procedimiento (envíos, aprobaciones, reportes)."""
    return _momento_fijo.get() or datetime.now(timezone.utc)


def momento_fijo() -> datetime | None:
    return _momento_fijo.get()


@contextmanager
def en_momento(momento: datetime):
    """Fija `ahora()`: la demostración registra la vigencia 2025 con las fechas en que ocurrió.
    El registro de auditoría no usa `ahora()`: anota siempre cuándo se escribió cada fila."""
    marca = _momento_fijo.set(momento)
    try:
        yield momento
    finally:
        _momento_fijo.reset(marca)


class EnumEtiquetado(str, enum.Enum):
    """Valor guardado en la base, etiqueta en español para la interfaz y clase del badge."""

    def __new__(cls, valor: str, etiqueta: str, clase: str = "secondary"):
        miembro = str.__new__(cls, valor)
        miembro._value_ = valor
        miembro.etiqueta = etiqueta
        miembro.clase = clase
        return miembro

    def __str__(self) -> str:
        return self.etiqueta

    @property
    def en_frase(self) -> str:
        """La etiqueta dentro de una frase: «está enviado a la OAP» (la sigla queda en mayúsculas)."""
        return self.etiqueta[:1].lower() + self.etiqueta[1:]

    @classmethod
    def opciones(cls) -> list[tuple[str, str]]:
        return [(m.value, m.etiqueta) for m in cls]


def tipo_enum(clase: type[EnumEtiquetado], nombre: str) -> sa.Enum:
    """Enum guardado como texto con CHECK: portable entre SQLite y PostgreSQL."""
    return sa.Enum(
        clase,
        name=nombre,
        native_enum=False,
        create_constraint=True,
        length=30,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def del_dialecto(objeto, dialecto: str) -> bool:
    """Si `objeto` (un índice que solo existe en una base, por `ddl_if`) es de la base de ese `dialecto`: así lo
    comparan con el esquema las migraciones autogeneradas y la prueba de que modelos y migraciones coinciden."""
    condicion = getattr(objeto, "_ddl_if", None)
    return condicion is None or condicion.dialect in (None, dialecto)


def indices_busqueda(tabla: str, *columnas: str) -> tuple[sa.Index, ...]:
    """Los índices de la búsqueda de una lista (ILIKE '%texto%' en cada columna). En PostgreSQL, un GIN de
    trigramas (pg_trgm) por columna: con uno solo de varias columnas el planificador estimaba cada condición
    sobre el índice entero y prefería recorrer la tabla (contar lo buscado entre 120 mil actividades: 121 ms
    frente a 4 ms). En SQLite, un índice común de todas, que sirve a los filtros por igualdad (la búsqueda con
    comodín al comienzo recorre la tabla igual)."""
    return (sa.Index(f"ix_{tabla}_busqueda", *columnas).ddl_if(dialect="sqlite"),
            *(sa.Index(f"ix_{tabla}_{columna}_trgm", columna, postgresql_using="gin",
                       postgresql_ops={columna: "gin_trgm_ops"}).ddl_if(dialect="postgresql") for columna in columnas))


def no_negativo(columna: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"{columna} >= 0", name=f"{columna}_no_negativo")


def cifra_finita(columna: str, tipo: sa.Numeric) -> sa.CheckConstraint:
    """Lo que la columna Numeric(p, s) guarda y una página puede mostrar: ni NaN (PostgreSQL lo acepta en
    `numeric` y es mayor que todo número) ni infinito (SQLite lo guarda como `inf`)."""
    limite = 10 ** ((tipo.precision or 18) - (tipo.scale or 0))
    return sa.CheckConstraint(f"{columna} > -{limite} AND {columna} < {limite}", name=f"{columna}_finita")


@sa.event.listens_for(sa.Column, "after_parent_attach")
def _acotar_cifra(columna: sa.Column, tabla) -> None:
    # Toda columna Numeric de los modelos, sin que cada modelo tenga que acordarse.
    if isinstance(tabla, sa.Table) and tabla.metadata is Base.metadata and isinstance(columna.type, sa.Numeric):
        tabla.append_constraint(cifra_finita(columna.name, columna.type))


class ConVersion:
    """Bloqueo optimista: un segundo editor no sobrescribe en silencio al primero."""

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}

