"""Respaldo y restauración de ida y vuelta, con los archivos subidos, en la base de la pasada (SQLite en
archivo o una base PostgreSQL propia: restaurar reemplaza la base entera, no puede ser la de la suite), también en
un servidor nuevo (otra carpeta instance, otra base) que debe tener la sal y los secretos TOTP del de origen."""
import os
import tarfile
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from psycopg import sql

from gestion.base.config import ConfigPruebas, normalizar_url_bd
from gestion.fabrica import crear_app
from modelos import UnidadMedida, db

from .fabricas import Fabrica
from .navegador import Navegador

ADMIN_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _base_postgresql_propia(url: str, sufijo: str):
    nombre = url.rsplit("/", 1)[1] + "_" + sufijo
    with psycopg.connect(ADMIN_PG, autocommit=True) as conexion:
        conexion.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(nombre)))
        conexion.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nombre)))
    return url.rsplit("/", 1)[0] + "/" + nombre, nombre


@pytest.fixture
def servidores(tmp_path):
    """Crea servidores, cada uno con su carpeta instance y su base vacía (sin esquema); los cierra al final."""
    creados = []

    def crear(nombre: str, **config):
        url_suite = os.environ.get("TEST_DATABASE_URL")
        nombre_pg = None
        if url_suite:
            url, nombre_pg = _base_postgresql_propia(url_suite, f"respaldo_{nombre}")
        else:
            url = f"sqlite:///{tmp_path / nombre / 'gestion.db'}"
        aplicacion = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI=normalizar_url_bd(url),
                               instance_path=str(tmp_path / nombre / "instancia"), **config)
        creados.append((aplicacion, nombre_pg))
        return aplicacion

    yield crear
    for aplicacion, nombre_pg in creados:
        with aplicacion.app_context():
            db.session.remove()
            db.engine.dispose()
        if nombre_pg:
            with psycopg.connect(ADMIN_PG, autocommit=True) as conexion:
                conexion.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(nombre_pg)))


@pytest.fixture
def app_propia(servidores):
    aplicacion = servidores("origen")
    with aplicacion.app_context():
        upgrade()
    return aplicacion


def _unidades() -> set[str]:
    db.session.remove()
    return set(db.session.scalars(sa.select(UnidadMedida.codigo)))


def test_restaurar_un_respaldo_devuelve_la_base_y_los_archivos_como_estaban(app_propia, tmp_path):
    runner = app_propia.test_cli_runner()
    with app_propia.app_context():
        archivos = Path(app_propia.config["GESTION_CARPETA_ARCHIVOS"])
        (archivos / "actas").mkdir(parents=True)
        (archivos / "actas" / "acta-1.pdf").write_bytes(b"%PDF acta del comite")
        db.session.add(UnidadMedida(codigo="ANTES", nombre="Guardada antes del respaldo"))
        db.session.commit()

        resultado = runner.invoke(args=["gestion", "respaldo", "--destino", str(tmp_path / "respaldos")])
        assert resultado.exit_code == 0, resultado.output
        [respaldo] = list((tmp_path / "respaldos").glob("gestion-*.tar.gz"))

        db.session.execute(sa.delete(UnidadMedida))
        db.session.add(UnidadMedida(codigo="DESPUES", nombre="Guardada después"))
        db.session.commit()
        (archivos / "actas" / "acta-1.pdf").unlink()
        (archivos / "evidencia-nueva.xlsx").write_bytes(b"nueva")

        sin_confirmar = runner.invoke(args=["gestion", "restaurar", str(respaldo)])
        assert sin_confirmar.exit_code != 0 and "--si" in sin_confirmar.output
        assert _unidades() == {"DESPUES"}

        resultado = runner.invoke(args=["gestion", "restaurar", str(respaldo), "--si"])
        assert resultado.exit_code == 0, resultado.output
        assert _unidades() == {"ANTES"}
        assert (archivos / "actas" / "acta-1.pdf").read_bytes() == b"%PDF acta del comite"
        assert not (archivos / "evidencia-nueva.xlsx").exists()


def test_restaurar_algo_que_no_es_un_respaldo_no_toca_nada(app_propia, tmp_path):
    ajeno = tmp_path / "ajeno.tar.gz"
    (tmp_path / "nota.txt").write_text("hola")
    with tarfile.open(ajeno, "w:gz") as tar:
        tar.add(tmp_path / "nota.txt", "nota.txt")
    with app_propia.app_context():
        db.session.add(UnidadMedida(codigo="QUEDA", nombre="Sigue ahí"))
        db.session.commit()
        resultado = app_propia.test_cli_runner().invoke(args=["gestion", "restaurar", str(ajeno), "--si"])
        assert resultado.exit_code != 0 and "no es un respaldo" in resultado.output
        assert _unidades() == {"QUEDA"}


# argon2 (no el «plaintext» de las pruebas, que además reconocería cualquier hash): es el que mezcla la sal, la que
# debe viajar al servidor nuevo.
CON_ARGON2 = {"SECURITY_PASSWORD_HASH": "argon2", "SECURITY_PASSWORD_SCHEMES": ["argon2"]}


def _respaldo_con_un_usuario(origen, tmp_path):
    with origen.app_context():
        upgrade()
        usuario = SimpleNamespace(email=Fabrica().usuario("oap", email="oap.antes@prueba.gov.co").email)
        archivos = Path(origen.config["GESTION_CARPETA_ARCHIVOS"])
        archivos.mkdir(parents=True, exist_ok=True)
        (archivos / "acta-1.pdf").write_bytes(b"%PDF acta")
        resultado = origen.test_cli_runner().invoke(args=["gestion", "respaldo", "--destino", str(tmp_path / "r")])
        assert resultado.exit_code == 0, resultado.output
    [respaldo] = list((tmp_path / "r").glob("gestion-*.tar.gz"))
    return usuario, respaldo


def test_un_respaldo_se_restaura_en_un_servidor_nuevo_y_entra_un_usuario_de_antes(servidores, tmp_path):
    origen = servidores("origen", **CON_ARGON2)
    usuario, respaldo = _respaldo_con_un_usuario(origen, tmp_path)

    # Servidor nuevo: otra carpeta instance, otra base vacía, la sal y los secretos TOTP copiados, otra SECRET_KEY.
    nuevo = servidores("nuevo", SECRET_KEY="otra-clave-de-sesiones",
                       SECURITY_TOTP_SECRETS=origen.config["SECURITY_TOTP_SECRETS"], **CON_ARGON2)
    assert nuevo.instance_path != origen.instance_path
    with nuevo.app_context():
        resultado = nuevo.test_cli_runner().invoke(args=["gestion", "restaurar", str(respaldo), "--si"])
        assert resultado.exit_code == 0, resultado.output
        assert "otra SECRET_KEY" in resultado.output and "ingresa de nuevo" in resultado.output
        assert (Path(nuevo.config["GESTION_CARPETA_ARCHIVOS"]) / "acta-1.pdf").read_bytes() == b"%PDF acta"

    navegador = Navegador(nuevo)
    navegador.iniciar_sesion(usuario)
    assert navegador.get("/admin/").status_code == 200


@pytest.mark.parametrize("ajuste", ["SECURITY_PASSWORD_SALT", "SECURITY_TOTP_SECRETS"])
def test_restaurar_en_un_servidor_con_otra_sal_o_secreto_totp_se_niega_y_nombra_el_ajuste(servidores, tmp_path,
                                                                                          ajuste):
    origen = servidores("origen", **CON_ARGON2)
    usuario, respaldo = _respaldo_con_un_usuario(origen, tmp_path)
    iguales = {"SECURITY_PASSWORD_SALT": origen.config["SECURITY_PASSWORD_SALT"],
               "SECURITY_TOTP_SECRETS": origen.config["SECURITY_TOTP_SECRETS"]}
    distinto = {"SECURITY_PASSWORD_SALT": "otra-sal", "SECURITY_TOTP_SECRETS": {"1": "otro-secreto-totp"}}[ajuste]
    nuevo = servidores("nuevo", **(iguales | {ajuste: distinto}), **CON_ARGON2)
    with nuevo.app_context():
        resultado = nuevo.test_cli_runner().invoke(args=["gestion", "restaurar", str(respaldo), "--si"])
        assert resultado.exit_code != 0
        salida = " ".join(resultado.output.split())
        assert f"Copie el valor de {ajuste} del servidor de origen" in salida and "No se cambió nada" in salida
        # Nada se tocó: la base nueva sigue sin tablas y la carpeta de archivos sin el acta.
        assert not sa.inspect(db.engine).has_table("usuario")
        assert not (Path(nuevo.config["GESTION_CARPETA_ARCHIVOS"]) / "acta-1.pdf").exists()
