"""El ingreso que protege sin dejar por fuera a una oficina.

Lo que se cuenta son los fallos: por cuenta (tras `GESTION_INTENTOS_BLOQUEO` fallos seguidos la cuenta queda
bloqueada `GESTION_MINUTOS_BLOQUEO` minutos) y por dirección (`GESTION_LIMITE_FALLOS_LOGIN`). Los ingresos
buenos solo tienen un techo generoso por dirección (`GESTION_LIMITE_LOGIN`): detrás del único proxy del
ministerio entra toda una oficina a la misma hora. El mensaje es el mismo exista o no la cuenta.
"""
import os
import re
import time
import unicodedata
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import zxcvbn
from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_security import user_authenticated, verify_password
from flask_security.password_util import PasswordUtil
from flask_security.signals import user_failed_authn
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from modelos import ClaveAnterior, Usuario, db

# Comunes en cualquier parte y propias de un ministerio: lo primero que se prueba contra una cuenta.
CLAVES_PROHIBIDAS = frozenset({
    "password", "contrasena", "clave", "qwerty", "qwertyuiop", "asdfghjkl", "abc", "abcdef", "admin",
    "administrador", "bienvenido", "bienvenida", "colombia", "bogota", "ministerio", "mintrabajo",
    "ministeriodeltrabajo", "trabajo", "planeacion", "oap", "gobierno", "gov", "govco",
    "usuario", "secreto", "secreta", "temporal", "cambiar", "cambiame", "iloveyou", "monkey", "dragon",
    "letmein", "welcome", "sunshine", "football", "futbol", "millonarios", "nacional", "america",
    "seleccion", "mipg", "sinergia", "pnd", "pei", "pes", "dnp", "demo", "prueba", "pruebas", "test",
})


# Filas del teclado (y de números), al derecho y al revés: «qwertyuiop», «asdf», «0987» se prueban primero.
FILAS_TECLADO = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
TRAMO_TECLADO = 4
# Partes del nombre o del correo más cortas que esto aparecen dentro de cualquier frase («ana» en «ventana»).
PARTE_PERSONAL = 4
DOMINIOS_COMUNES = {"gov", "com", "org", "edu", "net", "correo", "mail", "gmail", "hotmail", "outlook", "yahoo"}
# zxcvbn (0 a 4): por debajo de 3 la contraseña cae en horas o días ante un ataque fuera de línea.
PUNTAJE_MINIMO = 3


def _sin_tildes(texto: str) -> str:
    return unicodedata.normalize("NFKD", texto.lower()).encode("ascii", "ignore").decode()


def _simplificar(clave: str) -> str:
    return "".join(c for c in _sin_tildes(clave) if c.isalpha())


def _partes_personales(usuario) -> set[str]:
    """Las palabras del nombre y del correo (usuario, dominio) de quien elige la contraseña."""
    nombre, email = getattr(usuario, "nombre", None) or "", getattr(usuario, "email", None) or ""
    partes = set(re.split(r"[^a-z0-9]+", _sin_tildes(f"{nombre} {email}")))
    return {p for p in partes if len(p) >= PARTE_PERSONAL and p not in DOMINIOS_COMUNES}


def _tramo_de_teclado(clave: str) -> str | None:
    texto = _sin_tildes(clave)
    for fila in FILAS_TECLADO:
        for recorrido in (fila, fila[::-1]):
            for inicio in range(len(recorrido) - TRAMO_TECLADO + 1):
                if recorrido[inicio:inicio + TRAMO_TECLADO] in texto:
                    return recorrido[inicio:inicio + TRAMO_TECLADO]
    return None


def _repite_una_anterior(clave: str, usuario) -> bool:
    if usuario is None or getattr(usuario, "id", None) is None:
        return False
    anteriores = db.session.scalars(
        sa.select(ClaveAnterior.password).where(ClaveAnterior.usuario_id == usuario.id)
        .order_by(ClaveAnterior.id.desc()).limit(int(current_app.config["GESTION_CLAVES_ANTERIORES"]) - 1)).all()
    return any(h and verify_password(clave, h) for h in [usuario.password, *anteriores])


def motivo_clave_debil(clave: str, usuario=None) -> str | None:
    """None si la contraseña sirve; si no, por qué, en español. `usuario`: quien la tendrá (su nombre, su correo
    y sus contraseñas anteriores no sirven); None al no saberlo aún."""
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
    personales = _partes_personales(usuario)
    estimacion = zxcvbn.zxcvbn(clave[:100], user_inputs=sorted(personales))  # zxcvbn es cuadrático en el largo
    propias = [p for p in personales if p in _sin_tildes(clave)] + [
        m["token"] for m in estimacion["sequence"]
        if m.get("dictionary_name") == "user_inputs" and len(m["token"]) >= PARTE_PERSONAL]
    if propias:
        return (f"La contraseña no puede llevar su nombre ni su correo (contiene «{propias[0]}»): quien lo conoce "
                "lo prueba primero.")
    tramo = _tramo_de_teclado(clave)
    if tramo:
        return (f"La contraseña sigue las teclas en fila («{tramo}…»): es de lo primero que se prueba; elija una "
                "frase de cuatro palabras.")
    if estimacion["score"] < PUNTAJE_MINIMO:
        return ("Esa contraseña se adivina pronto (palabras, fechas, nombres o secuencias conocidas): alárguela o "
                "elija una frase de cuatro palabras que no se digan juntas.")
    if _repite_una_anterior(clave, usuario):
        return (f"La contraseña no puede ser una de sus últimas {current_app.config['GESTION_CLAVES_ANTERIORES']}: "
                "elija una nueva.")
    return None


class PoliticaClaves(PasswordUtil):
    """La misma regla al cambiar la propia contraseña (Flask-Security) y al asignarla el administrador."""

    def validate(self, password: str, is_register: bool, **kwargs):
        errores, normalizada = super().validate(password, is_register, **kwargs)
        if errores:
            return errores, normalizada
        # Al cambiar la propia, Flask-Security da el usuario; al registrar (apagado aquí), no.
        motivo = motivo_clave_debil(normalizada, kwargs.get("user"))
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


def _guardar_clave_anterior(session: Session, contexto, instancias) -> None:
    """Antes de cada flush: quien cambia de contraseña (él mismo o el administrador) deja el hash de la anterior,
    y solo se guardan las que la política mira (`GESTION_CLAVES_ANTERIORES`, contando la actual)."""
    guardar = int(current_app.config["GESTION_CLAVES_ANTERIORES"]) - 1
    for usuario in list(session.dirty):
        if not isinstance(usuario, Usuario):
            continue
        historia = sa.inspect(usuario).attrs.password.history
        if not (historia.added and historia.deleted and historia.deleted[0]):
            continue
        tabla = ClaveAnterior.__table__
        conexion = session.connection()
        conexion.execute(sa.insert(tabla).values(usuario_id=usuario.id, password=historia.deleted[0],
                                                 cambiada_en=_ahora()))
        vigentes = sa.select(tabla.c.id).where(tabla.c.usuario_id == usuario.id).order_by(
            tabla.c.id.desc()).limit(guardar).scalar_subquery()
        conexion.execute(sa.delete(tabla).where(tabla.c.usuario_id == usuario.id, tabla.c.id.not_in(vigentes)))


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


def _revisar_limitador(app: Flask) -> None:
    """Con el conteo en memoria cada worker de gunicorn cuenta por su lado: con 2, una dirección hace el doble de
    intentos antes del 429 (medido: 31 a 40 fallos sin él). En producción (`GESTION_HTTPS`) la app no arranca así;
    en otro lado, lo avisa. Los workers los dice `gunicorn.conf.py` (GESTION_WORKERS) o WEB_CONCURRENCY."""
    workers = int(app.config.get("GESTION_WORKERS") or os.environ.get("WEB_CONCURRENCY") or 1)
    if workers <= 1 or not str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        return
    mensaje = (f"RATELIMIT_STORAGE_URI es «memory://» y gunicorn corre {workers} workers: cada uno cuenta por su "
               "lado los intentos de ingreso y el límite por dirección se multiplica. Ponga "
               "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (pip install -e \".[prod]\") o corra un solo worker.")
    if str(app.config["GESTION_HTTPS"]).strip().lower() in ("1", "true", "si", "sí", "yes"):
        raise RuntimeError(mensaje)
    app.logger.warning(mensaje)


def configurar(app: Flask) -> None:
    _revisar_limitador(app)
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
