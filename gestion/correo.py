"""Correo: los servicios encolan mensajes y el borde los envía después del commit.

Así un correo nunca anuncia algo que un rollback deshizo. En desarrollo (MAIL_SUPPRESS_SEND) no sale
nada a la red: el mensaje queda en el log y, si GESTION_BUZON_SALIDA está definido, como .eml allí.
"""
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app, g
from flask_mail import Message

from gestion.extensiones import mail

log = logging.getLogger(__name__)


@dataclass
class Adjunto:
    nombre: str
    tipo: str
    contenido: bytes


@dataclass
class Correo:
    asunto: str
    destinatarios: list[str]
    cuerpo: str
    adjuntos: list[Adjunto] = field(default_factory=list)


def encolar(correo: Correo) -> None:
    g.setdefault("correos_pendientes", []).append(correo)


def descartar_pendientes() -> None:
    g.pop("correos_pendientes", None)


def enviar_pendientes() -> int:
    pendientes = g.pop("correos_pendientes", [])
    for correo in pendientes:
        _enviar(correo)
    return len(pendientes)


def _enviar(correo: Correo) -> None:
    mensaje = Message(subject=correo.asunto, recipients=correo.destinatarios, body=correo.cuerpo)
    for adjunto in correo.adjuntos:
        mensaje.attach(adjunto.nombre, adjunto.tipo, adjunto.contenido)
    buzon = current_app.config.get("GESTION_BUZON_SALIDA")
    if buzon:
        carpeta = Path(buzon)
        carpeta.mkdir(parents=True, exist_ok=True)
        nombre = f"{datetime.now():%Y%m%d-%H%M%S-%f}.eml"
        (carpeta / nombre).write_bytes(mensaje.as_bytes())
    log.info("Correo «%s» para %s", correo.asunto, ", ".join(correo.destinatarios))
    mail.send(mensaje)
