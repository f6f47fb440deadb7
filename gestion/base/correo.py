"""Correo: los servicios encolan mensajes y el borde los envía después del commit.

Así un correo nunca anuncia algo que un rollback deshizo. En desarrollo (MAIL_SUPPRESS_SEND) no sale
nada a la red: el mensaje queda en el log y, si GESTION_BUZON_SALIDA está definido, como .eml allí.
Si el servidor SMTP no lo acepta, el mensaje completo queda en `correo_pendiente` y se reintenta
(`flask --app wsgi gestion correos`): un correo no se pierde en silencio.
"""
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, g, has_request_context, url_for
from flask_mail import Message

from gestion.base.extensiones import mail
from modelos import CorreoPendiente, Rol, Usuario, ahora, db

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


def destinatarios(*roles: str, dependencia_id: int | None = None) -> list[str]:
    """Los correos de los usuarios activos con alguno de `roles` (de una dependencia, si se indica)."""
    consulta = sa.select(Usuario.email).where(Usuario.active, Usuario.roles.any(Rol.name.in_(roles)))
    if dependencia_id is not None:
        consulta = consulta.where(Usuario.dependencia_id == dependencia_id)
    return list(db.session.scalars(consulta.distinct().order_by(Usuario.email)))


def enlace(endpoint: str, **valores) -> str:
    """La dirección completa de la página de la que habla un correo. Fuera de una petición (un comando)
    se arma con GESTION_URL_BASE; sin ella, vacía."""
    if has_request_context():
        return url_for(endpoint, _external=True, **valores)
    base = current_app.config.get("GESTION_URL_BASE")
    if not base:
        return ""
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **valores)


def avisar(asunto: str, correos: list[str], cuerpo: str, pagina: str = "") -> None:
    """Encola un aviso si hay a quién enviarlo; `pagina` es el enlace a lo que el aviso cuenta."""
    if correos:
        encolar(Correo(asunto, correos, cuerpo + (f"\n\nVer en el sistema: {pagina}" if pagina else "")))


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
    try:
        mail.send(mensaje)
    except (smtplib.SMTPException, OSError) as error:
        _guardar_pendiente(mensaje, error)


def _guardar_pendiente(mensaje: Message, error: Exception) -> None:
    log.warning("El servidor de correo no aceptó «%s»: queda pendiente (%s)", mensaje.subject, error)
    db.session.add(CorreoPendiente(asunto=mensaje.subject[:300], destinatarios=", ".join(mensaje.send_to),
                                   remitente=mensaje.sender or current_app.config["MAIL_DEFAULT_SENDER"],
                                   mensaje=mensaje.as_bytes(), ultimo_error=str(error)[:1000]))
    db.session.commit()


def reintentar_pendientes() -> tuple[int, int]:
    """Reenvía los correos pendientes; devuelve (enviados, que siguen pendientes)."""
    pendientes = db.session.scalars(sa.select(CorreoPendiente).where(CorreoPendiente.enviado_en.is_(None))
                                    .order_by(CorreoPendiente.id)).all()
    enviados = 0
    for pendiente in pendientes:
        try:
            with mail.connect() as conexion:
                if conexion.host is not None:  # None: el envío está suprimido (desarrollo)
                    conexion.host.sendmail(pendiente.remitente, pendiente.destinatarios.split(", "),
                                           pendiente.mensaje)
        except (smtplib.SMTPException, OSError) as error:
            pendiente.intentos += 1
            pendiente.ultimo_error = str(error)[:1000]
        else:
            pendiente.enviado_en = ahora()
            enviados += 1
        db.session.commit()
    return enviados, len(pendientes) - enviados
