"""El único sitio donde una vista entrega un archivo al navegador: un libro generado (.xlsx o .csv), el que
se guarda un rato para descargarlo después, y un archivo guardado (el acta de un plan, PAI, informe o ajuste, la
evidencia de un avance, el resultado de un trabajo)."""
import re
import secrets
import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_file, session, stream_with_context
from flask_security import current_user

from gestion.base import archivos
from gestion.excel.libro import TIPO_MIME
from gestion.planes import actas

TIPO_CSV = "text/csv; charset=utf-8"


def enviar_libro(contenido, nombre: str, tipo: str = TIPO_MIME):
    """`contenido`: los bytes del libro, o sus trozos a medida que se escriben (`libro.partes`): la descarga
    empieza con la primera tanda de filas, sin esperar a que el libro esté entero."""
    if isinstance(contenido, bytes):
        return send_file(BytesIO(contenido), mimetype=tipo, as_attachment=True, download_name=nombre)
    respuesta = Response(stream_with_context(contenido), mimetype=tipo)
    respuesta.headers.set("Content-Disposition", "attachment", filename=nombre)
    respuesta.headers["X-Accel-Buffering"] = "no"  # nginx la entrega a medida que sale, no al final
    return respuesta


def enviar_archivo(ruta: Path, nombre: str):
    """Un archivo guardado (acta, evidencia, resultado de un trabajo) como descarga, con su tipo por la extensión;
    quien llama ya verificó que el usuario puede verlo."""
    return send_file(ruta, mimetype=archivos.tipo_mime(ruta), as_attachment=True, download_name=nombre)


def enviar_acta(acta):
    """El archivo del acta como descarga; 404 si el acta no tiene archivo en su carpeta."""
    ruta = actas.ruta(acta)
    if ruta is None:
        abort(404)
    return enviar_archivo(ruta, actas.nombre_descarga(acta, ruta))


# --- libros que se guardan un rato: el de errores de una carga rechazada, el que se está mapeando ---
CARPETA = "descargas"
VIDA = timedelta(hours=1)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

descargas = Blueprint("descargas", __name__, url_prefix="/descargas")


def _carpeta() -> Path:
    carpeta = Path(current_app.instance_path) / CARPETA
    carpeta.mkdir(parents=True, exist_ok=True)
    return carpeta


def guardar_temporal(contenido: bytes, nombre: str) -> str:
    """Guarda el libro una hora; solo la sesión que lo guardó lo vuelve a leer o lo descarga. Devuelve su clave."""
    carpeta = _carpeta()
    vencido = time.time() - VIDA.total_seconds()
    for viejo in carpeta.glob("*.xlsx"):
        if viejo.stat().st_mtime < vencido:
            viejo.unlink(missing_ok=True)
    clave = secrets.token_urlsafe(24)
    (carpeta / f"{clave}.xlsx").write_bytes(contenido)
    session["descargas"] = {**session.get("descargas", {}), clave: nombre}
    return clave


def leer_temporal(clave: str | None) -> tuple[bytes, str] | None:
    """El libro guardado por esta sesión y su nombre; None si no es suyo o ya venció."""
    nombre = session.get("descargas", {}).get(clave) if clave else None
    if not current_user.is_authenticated or nombre is None or not TOKEN.match(clave):
        return None
    ruta = _carpeta() / f"{clave}.xlsx"
    return (ruta.read_bytes(), nombre) if ruta.is_file() else None


@descargas.route("/<clave>.xlsx")
def descargar(clave: str):
    guardado = leer_temporal(clave)
    if guardado is None:
        abort(404)
    return enviar_libro(*guardado)
