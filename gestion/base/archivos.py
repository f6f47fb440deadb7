"""Archivos subidos (actas, evidencias): un solo lugar para validarlos, guardarlos y entregarlos.

Se guardan fuera de la base, en GESTION_CARPETA_ARCHIVOS/<carpeta>/, con un nombre generado: el nombre
del usuario no llega al disco. El tipo se comprueba por extensión y por contenido (firma), el tamaño
contra GESTION_TAMANO_MAXIMO_ARCHIVO. Un archivo escrito durante una operación que luego se deshace se
borra (`descartar_nuevos`, llamado por el borde), y el que un cambio reemplaza se borra solo después
del commit (`retirar` + `borrar_retirados`).
"""
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g

from gestion.base.errores import OperacionRechazada

# extensión → (firmas de contenido aceptadas, o None para texto; tipo MIME)
TIPOS = {
    "pdf": ((b"%PDF-",), "application/pdf"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "docx": ((b"PK\x03\x04",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ((b"PK\x03\x04",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ((b"PK\x03\x04",), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "csv": (None, "text/csv"),
}


class ArchivoRechazado(OperacionRechazada):
    """El archivo no es del tipo o tamaño permitido: no se guarda nada."""


@dataclass(frozen=True)
class ArchivoSubido:
    """Archivo recibido del navegador (o de un comando): nombre original y contenido."""

    nombre: str
    contenido: bytes

    @classmethod
    def de_formulario(cls, archivo) -> "ArchivoSubido | None":
        """De un `FileStorage`; None si no se eligió archivo. Lee un byte de más para medir el exceso."""
        if archivo is None or not getattr(archivo, "filename", ""):
            return None
        return cls(archivo.filename, archivo.read(maximo() + 1))

    @property
    def extension(self) -> str:
        return Path(self.nombre).suffix.lower().lstrip(".")


def maximo() -> int:
    return int(current_app.config["GESTION_TAMANO_MAXIMO_ARCHIVO"])


def _raiz() -> Path:
    return Path(current_app.config["GESTION_CARPETA_ARCHIVOS"])


def _tamano(octetos: int) -> str:
    return f"{octetos // 2**20} MB" if octetos >= 2**20 else f"{octetos // 1024} KB"


def validar(archivo: ArchivoSubido, permitidas: set[str], que: str = "Archivo") -> None:
    """`que` nombra el archivo en el mensaje: «Acta», «Evidencia», «Libro de Excel»."""
    if archivo.extension not in permitidas:
        raise ArchivoRechazado(f"{que}: tipo de archivo no permitido; se aceptan {', '.join(sorted(permitidas))}.")
    if not archivo.contenido:
        raise ArchivoRechazado(f"{que}: el archivo está vacío.")
    if len(archivo.contenido) > maximo():
        raise ArchivoRechazado(f"{que}: el archivo supera el tamaño máximo de {_tamano(maximo())}.")
    firmas, _ = TIPOS[archivo.extension]
    if firmas is None:
        if b"\x00" in archivo.contenido:
            raise ArchivoRechazado(f"{que}: el archivo .{archivo.extension} no es texto.")
    elif not archivo.contenido.startswith(firmas):
        raise ArchivoRechazado(f"{que}: el contenido no corresponde a un .{archivo.extension}.")


def guardar(archivo: ArchivoSubido, carpeta: str, permitidas: set[str], que: str = "Archivo") -> str:
    """Valida y escribe; devuelve la ruta relativa que se guarda en la base (`carpeta/<uuid>.<ext>`)."""
    validar(archivo, permitidas, que)
    relativo = f"{carpeta}/{uuid.uuid4().hex}.{archivo.extension}"
    destino = _raiz() / relativo
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_bytes(archivo.contenido)
    g.setdefault("archivos_nuevos", []).append(destino)
    return relativo


def ruta(relativo: str | None, carpeta: str) -> Path | None:
    """La ruta en disco de un archivo guardado, solo si está dentro de su carpeta y existe."""
    if not relativo:
        return None
    base = (_raiz() / carpeta).resolve()
    completa = (_raiz() / relativo).resolve()
    return completa if completa.parent == base and completa.is_file() else None


def tipo_mime(ruta_archivo: Path) -> str:
    return TIPOS.get(ruta_archivo.suffix.lower().lstrip("."), (None, "application/octet-stream"))[1]


def retirar(relativo: str | None, carpeta: str) -> None:
    """Marca para borrar, después del commit, el archivo que un cambio reemplaza."""
    existente = ruta(relativo, carpeta)
    if existente is not None:
        g.setdefault("archivos_retirados", []).append(existente)


def borrar_retirados() -> None:
    g.pop("archivos_nuevos", None)
    for archivo in g.pop("archivos_retirados", []):
        archivo.unlink(missing_ok=True)


def descartar_nuevos() -> None:
    g.pop("archivos_retirados", None)
    for archivo in g.pop("archivos_nuevos", []):
        archivo.unlink(missing_ok=True)
