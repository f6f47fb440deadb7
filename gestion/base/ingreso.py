"""El ingreso que protege sin dejar por fuera a una oficina.

Lo que se cuenta son los fallos: por cuenta (tras `GESTION_INTENTOS_BLOQUEO` fallos seguidos la cuenta queda
bloqueada `GESTION_MINUTOS_BLOQUEO` minutos) y por dirección (`GESTION_LIMITE_FALLOS_LOGIN`). Los ingresos
buenos solo tienen un techo generoso por dirección (`GESTION_LIMITE_LOGIN`): detrás del único proxy del
ministerio entra toda una oficina a la misma hora. El mensaje es el mismo exista o no la cuenta.
"""
import time
import unicodedata
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_security import user_authenticated
from flask_security.password_util import PasswordUtil
from flask_security.signals import user_failed_authn
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from modelos import Usuario, db

# Comunes en cualquier parte y propias de un ministerio: lo primero que se prueba contra una cuenta.
CLAVES_PROHIBIDAS = frozenset({
    "password", "contrasena", "clave", "qwerty", "qwertyuiop", "asdfghjkl", "abc", "abcdef", "admin",
    "administrador", "bienvenido", "bienvenida", "colombia", "bogota", "ministerio", "mintrabajo",
    "ministeriodeltrabajo", "trabajo", "planeacion", "oap", "gobierno", "gov", "govco",
    "usuario", "secreto", "secreta", "temporal", "cambiar", "cambiame", "iloveyou", "monkey", "dragon",
    "letmein", "welcome", "sunshine", "football", "futbol", "millonarios", "nacional", "america",
    "seleccion", "mipg", "sinergia", "pnd", "pei", "pes", "dnp", "demo", "prueba", "pruebas", "test",
})


def _simplificar(clave: str) -> str:
    sin_tildes = unicodedata.normalize("NFKD", clave.lower()).encode("ascii", "ignore").decode()
    return "".join(c for c in sin_tildes if c.isalpha())


def motivo_clave_debil(clave: str) -> str | None:
    """None si la contraseña sirve; si no, por qué, en español."""
    minimo = current_app.config["SECURITY_PASSWORD_LENGTH_MIN"]
    if len(clave) < minimo:
        return f"La contraseña debe tener al menos {minimo} caracteres."
    if len(set(clave)) <= 3:
        return "La contraseña repite casi siempre los mismos caracteres: elija una frase más variada."
    letras = _simplificar(clave)
    # «Planeacion.2026», la de la demostración, cae aquí: fuera de la demo nadie puede elegirla.
    if not letras or letras in CLAVES_PROHIBIDAS:
        return ("Esa contraseña es de las primeras que se prueban (palabras comunes o del ministerio con "
                "números): elija otra, por ejemplo una frase de cuatro palabras.")
    return None


class PoliticaClaves(PasswordUtil):
    """La misma regla al cambiar la propia contraseña (Flask-Security) y al asignarla el administrador."""

    def validate(self, password: str, is_register: bool, **kwargs):
        errores, normalizada = super().validate(password, is_register, **kwargs)
        if errores:
            return errores, normalizada
        motivo = motivo_clave_debil(normalizada)
        return ([motivo] if motivo else None), normalizada


def _ahora() -> datetime:
    return datetime.now(timezone.utc)


def _fallo(sender, user: Usuario, **extra) -> None:
    """Un fallo se cuenta aunque el formulario vuelva sin guardar nada: la vista de ingreso no hace commit.
    UPDATE atómico: dos fallos a la vez cuentan dos."""
    config = current_app.config
    tabla = Usuario.__table__
    intentos = tabla.c.intentos_fallidos + 1
    db.session.execute(sa.update(tabla).where(tabla.c.id == user.id).values(
        intentos_fallidos=intentos,
        bloqueado_hasta=sa.case(
            (intentos >= int(config["GESTION_INTENTOS_BLOQUEO"]),
             _ahora() + timedelta(minutes=int(config["GESTION_MINUTOS_BLOQUEO"]))),
            else_=tabla.c.bloqueado_hasta)))
    db.session.commit()


# Lo que el ingreso y la salida anotan en la cuenta; no es una edición de la ficha del usuario.
CAMPOS_DE_INGRESO = ("last_login_at", "current_login_at", "last_login_ip", "current_login_ip", "login_count",
                     "intentos_fallidos", "bloqueado_hasta", "fs_uniquifier")


def _anotar_sin_version(session: Session, contexto, instancias) -> None:
    """Antes de cada flush: un usuario al que solo le cambiaron campos de ingreso se escribe con un UPDATE
    directo y esos campos se dan por guardados en el ORM. Así no suben la versión del bloqueo optimista (el
    administrador que edita ese usuario no ve un conflicto falso cada vez que él entra o sale) ni dejan un
    evento de auditoría por cada ingreso. Si cambió algo más, es una edición y sigue el camino normal."""
    tabla = Usuario.__table__
    for usuario in list(session.dirty):
        if not isinstance(usuario, Usuario):
            continue
        estado = sa.inspect(usuario)
        cambiados = {a.key for a in estado.mapper.column_attrs if estado.attrs[a.key].history.has_changes()}
        if not cambiados or not cambiados <= set(CAMPOS_DE_INGRESO) or not estado.persistent:
            continue
        valores = {campo: getattr(usuario, campo) for campo in cambiados}
        session.connection().execute(sa.update(tabla).where(tabla.c.id == usuario.id).values(valores))
        for campo, valor in valores.items():
            set_committed_value(usuario, campo, valor)


def _exito(sender, user: Usuario, **extra) -> None:
    # Flask-Security ya anotó fecha, dirección y conteo del ingreso; confirma después de la señal.
    if user.intentos_fallidos or user.bloqueado_hasta is not None:
        user.intentos_fallidos = 0
        user.bloqueado_hasta = None


def _ingreso_fallido(respuesta) -> bool:
    # El ingreso bueno redirige; el fallido vuelve a mostrar el formulario.
    return respuesta.status_code != 302


def segundos_para_reintentar() -> int | None:
    """Los segundos que faltan para que el límite que se cumplió se libere: los mismos que Flask-Limiter pone en
    Retry-After (reset_at menos ahora), para que la página y la cabecera digan lo mismo."""
    limite = current_app.extensions["gestion_limitador"].current_limit
    return None if limite is None else max(1, int(limite.reset_at - time.time()))


def espera_en_palabras() -> str:
    segundos = segundos_para_reintentar()
    if segundos is None:
        return "Espere unos minutos antes de intentarlo de nuevo."
    minutos = -(-segundos // 60)
    return (f"Espere {minutos} minuto{'s' if minutos != 1 else ''} antes de intentarlo de nuevo "
            f"(desde esta dirección se intentó demasiadas veces).")


def configurar(app: Flask) -> None:
    roles = app.config["GESTION_ROLES_SEGUNDO_FACTOR"]
    if isinstance(roles, str):  # desde el entorno llega «oap,jefe_oap»: un conjunto de letras no exigiría nada
        app.config["GESTION_ROLES_SEGUNDO_FACTOR"] = tuple(r.strip() for r in roles.split(",") if r.strip())
    limitador = Limiter(key_func=get_remote_address, app=app)
    app.extensions["gestion_limitador"] = limitador  # el decorador solo guarda una referencia débil
    ingreso = app.view_functions["security.login"]
    ingreso = limitador.limit(lambda: app.config["GESTION_LIMITE_FALLOS_LOGIN"], methods=["POST"],
                              deduct_when=_ingreso_fallido, scope="ingreso-fallido")(ingreso)
    ingreso = limitador.limit(lambda: app.config["GESTION_LIMITE_LOGIN"], methods=["POST"],
                              scope="ingreso")(ingreso)
    app.view_functions["security.login"] = ingreso
    user_failed_authn.connect(_fallo, app)
    user_authenticated.connect(_exito, app)
