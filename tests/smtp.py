"""Un servidor SMTP de verdad, en un puerto local, para que las pruebas lean el correo que llegó."""
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Buzon:
    def __init__(self):
        self.mensajes = []

    async def handle_DATA(self, server, session, envelope):
        mensaje = message_from_bytes(envelope.content, policy=policy.default)
        self.mensajes.append((sorted(envelope.rcpt_tos), mensaje))
        return "250 OK"

    def asuntos(self) -> list[str]:
        return [m["Subject"] for _, m in self.mensajes]

    def cuerpo(self, indice: int = -1) -> str:
        mensaje = self.mensajes[indice][1]
        parte = mensaje.get_body(preferencelist=("plain",))
        return parte.get_content()


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServidorSmtp:
    """Arranca aiosmtpd y apunta Flask-Mail a él; al salir, deja la app como estaba."""

    def __init__(self, app):
        self.app, self.buzon, self.puerto = app, Buzon(), puerto_libre()
        self.controlador = Controller(self.buzon, hostname="127.0.0.1", port=self.puerto)

    def __enter__(self):
        self.controlador.start()
        self.estado = self.app.extensions["mail"]
        self.antes = (self.estado.server, self.estado.port, self.estado.suppress)
        self.estado.server, self.estado.port, self.estado.suppress = "127.0.0.1", self.puerto, False
        return self

    def detener(self):
        self.controlador.stop()

    def __exit__(self, *exc):
        self.estado.server, self.estado.port, self.estado.suppress = self.antes
        try:
            self.controlador.stop()
        except AssertionError:  # ya detenido por la prueba
            pass
