"""Respaldo y restauración: la base (copia en línea de SQLite, o `pg_dump`/`pg_restore` en PostgreSQL) y los
archivos subidos (actas, evidencias), juntos en un .tar.gz: uno sin el otro deja enlaces rotos."""
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from modelos import db

MANIFIESTO = "respaldo.json"
BASE_SQLITE = "base.sqlite3"
BASE_POSTGRESQL = "base.dump"
ARCHIVOS = "archivos"


class RespaldoInvalido(Exception):
    """El archivo no es un respaldo de esta herramienta, o es de otra clase de base."""


def _motor() -> str:
    return db.engine.dialect.name


def _url_libpq() -> str:
    # pg_dump no entiende «postgresql+psycopg://».
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _ruta_sqlite() -> Path:
    ruta = db.engine.url.database
    if not ruta or ruta == ":memory:":
        raise RespaldoInvalido("Una base SQLite en memoria no se respalda.")
    return Path(ruta)


def _carpeta_archivos() -> Path:
    return Path(current_app.config["GESTION_CARPETA_ARCHIVOS"])


def _volcar_base(carpeta: Path) -> str:
    if _motor() == "sqlite":
        destino = carpeta / BASE_SQLITE
        # La copia en línea de SQLite: coherente aunque la app siga atendiendo.
        with sqlite3.connect(_ruta_sqlite()) as origen, sqlite3.connect(destino) as copia:
            origen.backup(copia)
        return BASE_SQLITE
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={carpeta / BASE_POSTGRESQL}",
                    _url_libpq()], check=True, capture_output=True)
    return BASE_POSTGRESQL


def respaldar(destino: Path) -> Path:
    """Escribe `gestion-AAAAMMDD-HHMMSS.tar.gz` en `destino` y devuelve su ruta."""
    destino.mkdir(parents=True, exist_ok=True)
    momento = datetime.now(timezone.utc)
    archivo = destino / f"gestion-{momento:%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory() as temporal:
        carpeta = Path(temporal)
        base = _volcar_base(carpeta)
        (carpeta / MANIFIESTO).write_text(json.dumps({"motor": _motor(), "base": base,
                                                      "en": momento.isoformat()}))
        with tarfile.open(archivo, "w:gz") as tar:
            tar.add(carpeta / MANIFIESTO, MANIFIESTO)
            tar.add(carpeta / base, base)
            if _carpeta_archivos().exists():
                tar.add(_carpeta_archivos(), ARCHIVOS)
    return archivo


def _restaurar_base(carpeta: Path, base: str) -> None:
    db.session.remove()
    db.engine.dispose()  # nadie debe tener la base abierta mientras se reemplaza
    if _motor() == "sqlite":
        with sqlite3.connect(carpeta / base) as origen, sqlite3.connect(_ruta_sqlite()) as actual:
            origen.backup(actual)
        return
    subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                    f"--dbname={_url_libpq()}", str(carpeta / base)], check=True, capture_output=True)


def restaurar(origen: Path) -> dict:
    """Reemplaza la base y los archivos subidos por los del respaldo; devuelve su manifiesto."""
    with tempfile.TemporaryDirectory() as temporal:
        carpeta = Path(temporal)
        with tarfile.open(origen, "r:gz") as tar:
            tar.extractall(carpeta, filter="data")  # sin rutas absolutas ni enlaces fuera de la carpeta
        try:
            manifiesto = json.loads((carpeta / MANIFIESTO).read_text())
        except (OSError, ValueError):
            raise RespaldoInvalido(f"{origen.name} no es un respaldo de esta herramienta.") from None
        if manifiesto.get("motor") != _motor():
            raise RespaldoInvalido(f"El respaldo es de {manifiesto.get('motor')} y la base es {_motor()}.")
        _restaurar_base(carpeta, manifiesto["base"])
        archivos = _carpeta_archivos()
        if archivos.exists():
            shutil.rmtree(archivos)
        if (carpeta / ARCHIVOS).exists():
            shutil.copytree(carpeta / ARCHIVOS, archivos)
        else:
            archivos.mkdir(parents=True)
    return manifiesto
