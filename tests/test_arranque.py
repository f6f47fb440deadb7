"""La aplicación arranca, el esquema sale de las migraciones y coincide con los modelos."""
import re

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gestion.base.config import Config, ConfigPruebas, opciones_del_motor
from gestion.fabrica import crear_app
from modelos import db
from modelos.base import del_dialecto


def test_migraciones_y_modelos_coinciden(contexto):
    with db.engine.connect() as conexion:
        solo_de_esta_base = lambda objeto, nombre, tipo, reflejado, comparado: (  # noqa: E731
            tipo != "index" or reflejado or del_dialecto(objeto, conexion.dialect.name))
        contexto = MigrationContext.configure(conexion, opts={"compare_type": True, "include_object": solo_de_esta_base})
        diferencias = compare_metadata(contexto, db.metadata)
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


def test_la_demo_se_carga_dos_veces_sin_duplicar(app, contexto, navegador):
    from modelos import Dependencia, Plan, Usuario

    def conteos():
        return [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Dependencia, Plan, Usuario)]

    corredor = app.test_cli_runner()
    primera = corredor.invoke(args=["gestion", "demo"])
    assert primera.exit_code == 0, primera.output
    assert "oap@demo.gov.co" in primera.output and "control.interno@demo.gov.co" in primera.output
    antes = conteos()
    segunda = corredor.invoke(args=["gestion", "demo"])
    assert segunda.exit_code == 0, segunda.output
    assert conteos() == antes

    # Cada ingreso que la orden imprime entra al panel con la contraseña impresa.
    from gestion.demo.cargador import CONTRASENA_POR_DEFECTO
    ingresos = re.findall(r"^\s+(\S+@demo\.gov\.co)\s", primera.output, re.M)
    assert len(ingresos) == 12
    for email in ingresos:
        cliente = navegador()
        assert cliente.post("/login", data={"email": email, "password": CONTRASENA_POR_DEFECTO}).status_code == 302
        assert cliente.get("/admin/").status_code == 200, email


def test_los_intentos_de_ingreso_tienen_limite(tmp_path):
    limitada = crear_app(ConfigPruebas, instance_path=str(tmp_path), RATELIMIT_ENABLED=True,
                         GESTION_LIMITE_LOGIN="3 per minute", WTF_CSRF_ENABLED=False,
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'limite.db'}")
    with limitada.app_context():
        db.create_all()
    cliente = limitada.test_client()
    codigos = [cliente.post("/login", data={"email": "x@prueba.gov.co", "password": "mala"}).status_code
               for _ in range(4)]
    assert codigos[:3] == [200, 200, 200]
    assert codigos[3] == 429


def test_postgresql_sin_jit_y_sqlite_sin_cambios():
    """Las páginas hacen consultas cortas: en PostgreSQL sus conexiones van con `jit=off` (PILA.md, trampa 12);
    lo que ya traía la configuración se conserva, y SQLite no recibe opciones que no entiende."""
    base = {"pool_pre_ping": True, "connect_args": {"options": "-c statement_timeout=5000"}}
    pg = opciones_del_motor("postgresql+psycopg://postgres@127.0.0.1/gestion", base)
    assert pg["connect_args"]["options"] == "-c statement_timeout=5000 -c jit=off" and pg["pool_pre_ping"]
    assert base["connect_args"]["options"] == "-c statement_timeout=5000"  # la de la clase no se toca
    assert opciones_del_motor("sqlite:///gestion.db", {"pool_pre_ping": True}) == {"pool_pre_ping": True}


def test_la_conexion_de_la_app_trae_jit_apagado_en_postgresql(contexto):
    if db.engine.dialect.name == "postgresql":
        assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"
    else:
        assert "connect_args" not in contexto.config["SQLALCHEMY_ENGINE_OPTIONS"]
