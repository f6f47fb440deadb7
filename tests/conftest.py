"""Fixtures: una app por sesión de pruebas (SQLite en memoria o TEST_DATABASE_URL), base limpia
por prueba, un usuario por rol y un navegador que inicia sesión y envía el token CSRF."""
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from gestion.base.config import ConfigPruebas
from gestion.fabrica import crear_app
from modelos import db

from .fabricas import Fabrica
from .navegador import Navegador


def _url_pruebas() -> str:
    return os.environ.get("TEST_DATABASE_URL") or "sqlite://"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("instancia")
    aplicacion = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI=_url_pruebas(), instance_path=str(carpeta))
    aplicacion.config["SQLALCHEMY_DATABASE_URI"] = _url_pruebas()
    with aplicacion.app_context():
        # Se parte de una base vacía y el esquema sale de las migraciones, como en producción.
        db.drop_all()
        with db.engine.begin() as conexion:
            conexion.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
    yield aplicacion
    with aplicacion.app_context():
        db.engine.dispose()


def _vaciar_tablas() -> None:
    tablas = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        nombres = ", ".join(t.name for t in tablas)
        db.session.execute(sa.text(f"TRUNCATE {nombres} RESTART IDENTITY CASCADE"))
    else:
        for tabla in tablas:
            db.session.execute(tabla.delete())
    db.session.commit()


@pytest.fixture
def contexto(app):
    with app.app_context():
        yield app
        db.session.rollback()
        _vaciar_tablas()
        db.session.remove()


@pytest.fixture
def fabrica(contexto):
    return Fabrica()


@pytest.fixture
def navegador(app, contexto):
    """navegador(usuario) → cliente con sesión iniciada; navegador() → anónimo."""
    def crear(usuario=None):
        cliente = Navegador(app)
        if usuario is not None:
            cliente.iniciar_sesion(usuario)
        return cliente
    return crear


@pytest.fixture
def usuarios(fabrica):
    """Un usuario por rol; director, territorial y entidad con su dependencia."""
    return fabrica.usuarios_por_rol()


# Los cinco libros reales de entidades colombianas (../shared/datos-reales, fuera del repositorio: no se versionan).
DATOS_REALES = [Path(p) for p in (os.environ.get("GESTION_DATOS_REALES"),) if p] + [
    Path(__file__).resolve().parents[2] / "shared" / "datos-reales", Path("/work/shared/datos-reales")]


@pytest.fixture(scope="session")
def libro_real():
    """El contenido de un libro real por su nombre de archivo. Sin la carpeta la prueba falla con la razón: esos
    libros son la aceptación de la issue 18 y no se dejan de correr en silencio."""
    def leer(nombre: str) -> bytes:
        for carpeta in DATOS_REALES:
            if (carpeta / nombre).is_file():
                return (carpeta / nombre).read_bytes()
        pytest.fail(f"No está el libro real {nombre}: ponga la carpeta datos-reales en GESTION_DATOS_REALES "
                    f"(se buscó en {', '.join(map(str, DATOS_REALES))}).")
    return leer
