"""Respaldo y restauración: la base (copia en línea de SQLite, o `pg_dump`/`pg_restore` en PostgreSQL) y los
archivos subidos (actas, evidencias), juntos en un .tar.gz: uno sin el otro deja enlaces rotos.

Los ajustes secretos que la base necesita del servidor no van en el respaldo: van sus huellas. Un respaldo viaja
(otro disco, otra sede) y lo leen más personas que el servidor; con la sal y los secretos TOTP dentro, quien se
lleve el archivo puede atacar las contraseñas fuera de línea y leer los segundos factores. Restaurar compara las
huellas con los ajustes del servidor y, si no coinciden, se niega antes de tocar nada y dice qué ajuste copiar.
"""
import hashlib
import hmac
import json
import secrets
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


# Lo que pasa sin el ajuste, y dónde vive en el servidor de origen, para el mensaje que pide copiarlo.
AJUSTES_OBLIGATORIOS = {
    "SECURITY_PASSWORD_SALT": ("ninguna contraseña guardada coincide y nadie podrá ingresar",
                               "variable de entorno, instance/gestion.cfg o el archivo instance/password_salt"),
    "SECURITY_TOTP_SECRETS": ("los segundos factores (TOTP) guardados no se pueden leer",
                              "instance/gestion.cfg o el archivo instance/totp_secret"),
}
# Con otra SECRET_KEY la base sirve igual: solo se pierden las sesiones abiertas y lo firmado con la anterior.
AJUSTE_AVISO = "SECRET_KEY"
ITERACIONES_HUELLA = 200_000


class RespaldoInvalido(Exception):
    """El archivo no es un respaldo de esta herramienta, es de otra clase de base, o este servidor no tiene los
    ajustes con que se hizo."""


def _valores(clave: str) -> dict[str, str]:
    """Cada valor del ajuste por su nombre: SECURITY_TOTP_SECRETS es un diccionario (varios secretos al rotarlo)."""
    valor = current_app.config.get(clave)
    if isinstance(valor, dict):
        return {str(k): str(v) for k, v in valor.items()}
    return {"": str(valor or "")}


def _huella(valor: str, sal: bytes) -> str:
    # Lenta y con sal propia del respaldo: la huella no sirve para adivinar un valor débil.
    return hashlib.pbkdf2_hmac("sha256", valor.encode(), sal, ITERACIONES_HUELLA).hex()


def _huellas() -> dict:
    sal = secrets.token_bytes(16)
    return {"sal": sal.hex(), "ajustes": {
        clave: {nombre: _huella(valor, sal) for nombre, valor in _valores(clave).items()}
        for clave in (*AJUSTES_OBLIGATORIOS, AJUSTE_AVISO)}}


def _coincide(clave: str, huellas: dict) -> bool:
    sal = bytes.fromhex(huellas["sal"])
    actuales = _valores(clave)
    # Cada secreto del respaldo debe estar, igual, en este servidor (puede tener además otros más nuevos).
    return all(nombre in actuales and hmac.compare_digest(_huella(actuales[nombre], sal), huella)
               for nombre, huella in huellas["ajustes"].get(clave, {}).items())


def comprobar_ajustes(manifiesto: dict) -> list[str]:
    """Se niega (RespaldoInvalido) si falta un ajuste obligatorio; devuelve los avisos de los que no lo son."""
    huellas = manifiesto.get("huellas")
    if not huellas:
        return []  # respaldo anterior a las huellas: no hay con qué comparar
    for clave, (consecuencia, donde) in AJUSTES_OBLIGATORIOS.items():
        if not _coincide(clave, huellas):
            raise RespaldoInvalido(
                f"Este servidor no tiene el {clave} con que se hizo el respaldo: sin él {consecuencia}. "
                f"Copie el valor de {clave} del servidor de origen ({donde}) a este servidor y repita la orden. "
                "No se cambió nada.")
    if not _coincide(AJUSTE_AVISO, huellas):
        return [f"Este servidor tiene otra {AJUSTE_AVISO} que la del respaldo: las sesiones abiertas, los "
                "«recordarme» y las cargas por confirmar de antes dejan de valer (cada usuario ingresa de nuevo). "
                f"Si varios servidores atienden la misma base, todos deben tener la misma {AJUSTE_AVISO}."]
    return []


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
                                                      "en": momento.isoformat(), "huellas": _huellas()}))
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


def restaurar(origen: Path) -> tuple[dict, list[str]]:
    """Reemplaza la base y los archivos subidos por los del respaldo; devuelve su manifiesto y los avisos."""
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
        avisos = comprobar_ajustes(manifiesto)
        _restaurar_base(carpeta, manifiesto["base"])
        archivos = _carpeta_archivos()
        if archivos.exists():
            shutil.rmtree(archivos)
        if (carpeta / ARCHIVOS).exists():
            shutil.copytree(carpeta / ARCHIVOS, archivos)
        else:
            archivos.mkdir(parents=True)
    return manifiesto, avisos
