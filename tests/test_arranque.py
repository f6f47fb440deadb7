"""La aplicación arranca, el esquema sale de las migraciones y coincide con los modelos."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gestion import crear_app
from gestion.config import Config
from modelos import db


def test_migraciones_y_modelos_coinciden(contexto):
    with db.engine.connect() as conexion:
        diferencias = compare_metadata(MigrationContext.configure(conexion, opts={"compare_type": True}),
                                       db.metadata)
    assert diferencias == []


def test_sin_configuracion_usa_sqlite_en_instance_y_secreto_persistente(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    primera = crear_app(Config, instance_path=str(tmp_path))
    segunda = crear_app(Config, instance_path=str(tmp_path))
    assert primera.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'gestion.db'}"
    assert primera.config["SECRET_KEY"] == segunda.config["SECRET_KEY"]
    assert len(primera.config["SECRET_KEY"]) >= 32


def test_database_url_acepta_la_forma_simple_de_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/gestion")
    app = crear_app(Config, instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1:5432/gestion"
