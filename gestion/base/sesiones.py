"""Sesiones de un sistema del Estado: caen por inactividad, al salir y al cambiar la contraseña.

La sesión de Flask-Security se identifica por `fs_uniquifier`: cambiarlo invalida a la vez todas las
sesiones y cookies «recordarme» del usuario, incluida una cookie copiada antes de salir.
"""
import uuid
from datetime import timedelta

from flask import Flask, session
from flask_login import user_logged_out

from modelos import db


def _al_salir(sender, user, **extra) -> None:
    if user is None or not getattr(user, "id", None):
        return
    user.fs_uniquifier = uuid.uuid4().hex
    db.session.commit()


def _renovar_plazo() -> None:
    # Sesión permanente: Flask la vuelve a firmar en cada petición, y su firma vence tras el plazo sin uso.
    session.permanent = True


def configurar(app: Flask) -> None:
    minutos = int(app.config["GESTION_MINUTOS_INACTIVIDAD"])
    horas = int(app.config["GESTION_HORAS_RECORDARME"])
    seguras = str(app.config["GESTION_HTTPS"]).strip().lower() in ("1", "true", "si", "sí", "yes")
    app.config.update(
        GESTION_HTTPS=seguras,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=minutos),
        SESSION_REFRESH_EACH_REQUEST=True,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=seguras,
        REMEMBER_COOKIE_DURATION=timedelta(hours=horas),
        REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=seguras,
    )
    app.before_request(_renovar_plazo)
    user_logged_out.connect(_al_salir, app)
