"""Respaldo y restauración de ida y vuelta, con los archivos subidos, en la base de la pasada (SQLite en
archivo o una base PostgreSQL propia: restaurar reemplaza la base entera, no puede ser la de la suite)."""
import os
import tarfile
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from psycopg import sql

from gestion.base.config import ConfigPruebas, normalizar_url_bd
from gestion.fabrica import crear_app
from modelos import UnidadMedida, db

ADMIN_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _base_postgresql_propia(url: str):
    nombre = url.rsplit("/", 1)[1] + "_respaldo"
    with psycopg.connect(ADMIN_PG, autocommit=True) as conexion:
        conexion.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(nombre)))
        conexion.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nombre)))
    return url.rsplit("/", 1)[0] + "/" + nombre, nombre


@pytest.fixture
def app_propia(tmp_path):
    url_suite = os.environ.get("TEST_DATABASE_URL")
    nombre_pg = None
    if url_suite:
        url, nombre_pg = _base_postgresql_propia(url_suite)
    else:
        url = f"sqlite:///{tmp_path / 'gestion.db'}"
    aplicacion = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI=normalizar_url_bd(url),
                           instance_path=str(tmp_path / "instancia"))
    with aplicacion.app_context():
        upgrade()
    yield aplicacion
    with aplicacion.app_context():
        db.session.remove()
        db.engine.dispose()
    if nombre_pg:
        with psycopg.connect(ADMIN_PG, autocommit=True) as conexion:
            conexion.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(nombre_pg)))


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
