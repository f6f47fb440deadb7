"""Configuración: valores por defecto → archivo de la carpeta instance → variables de entorno."""
import os
import secrets
from pathlib import Path

# Catálogos es_CO propios (Flask-Security, Flask-Admin): los usan la fábrica y el panel.
TRADUCCIONES = Path(__file__).resolve().parent.parent / "traducciones"


class Config:
    # Las sesiones del usuario y los tokens CSRF dependen de SECRET_KEY: se genera y persiste
    # en instance/ cuando no viene del entorno (ver `cargar_config`).
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "es_CO"
    BABEL_DEFAULT_TIMEZONE = "America/Bogota"

    SECURITY_PASSWORD_HASH = "argon2"
    SECURITY_PASSWORD_SALT = None
    SECURITY_REGISTERABLE = False
    SECURITY_RECOVERABLE = False
    SECURITY_CHANGEABLE = True
    SECURITY_SEND_PASSWORD_CHANGE_EMAIL = False
    SECURITY_TRACKABLE = True
    SECURITY_POST_LOGIN_VIEW = "/admin/"
    SECURITY_POST_LOGOUT_VIEW = "/"
    SECURITY_POST_CHANGE_VIEW = "/admin/"
    SECURITY_USERNAME_ENABLE = False
    SECURITY_EMAIL_VALIDATOR_ARGS = {"check_deliverability": False}
    SECURITY_PASSWORD_LENGTH_MIN = 12
    # El mismo mensaje exista o no la cuenta, esté o no bloqueada (gestion.base.ingreso).
    SECURITY_RETURN_GENERIC_RESPONSES = True
    SECURITY_MSG_GENERIC_AUTHN_FAILED = ("Correo o contraseña no válidos. Tras varios intentos fallidos la "
                                         "cuenta se bloquea unos minutos.", "error")
    SECURITY_MSG_LOGIN = ("Inicie sesión para acceder a esta página.", "info")
    SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS = False
    # Su valor por defecto escribe «private=True, no-store=True»; gestion.base.cabeceras pone «no-store».
    SECURITY_CACHE_CONTROL = {}
    SECURITY_I18N_DIRNAME = ["builtin"]  # se completa con la carpeta de traducciones propia

    WTF_CSRF_TIME_LIMIT = 8 * 3600

    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_DEFAULT_SENDER = "planeacion@mintrabajo.gov.co"
    # En desarrollo el correo no sale: queda en el log (MAIL_SUPPRESS_SEND).
    MAIL_SUPPRESS_SEND = True

    # Límites del ingreso (gestion.base.ingreso); en producción, Redis para compartirlos entre workers. Si Redis
    # no responde, la app sigue con un conteo en memoria en vez de caerse.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    GESTION_LIMITE_LOGIN = "300 per minute"  # techo por dirección: una oficina entera detrás de un proxy
    GESTION_LIMITE_FALLOS_LOGIN = "30 per 10 minutes"  # fallos por dirección
    GESTION_INTENTOS_BLOQUEO = 5  # fallos seguidos de una cuenta antes de bloquearla
    GESTION_MINUTOS_BLOQUEO = 15
    GESTION_CLAVES_ANTERIORES = 5  # una contraseña nueva no puede ser ninguna de las últimas 5 (con la actual)

    # Segundo factor (TOTP con una app autenticadora, y códigos de recuperación) por Flask-Security. Con
    # GESTION_SEGUNDO_FACTOR=1 es obligatorio para quienes aprueban; cualquiera puede activarlo en /tf-setup.
    SECURITY_TWO_FACTOR = True
    SECURITY_TWO_FACTOR_ENABLED_METHODS = ["authenticator"]
    SECURITY_TOTP_ISSUER = "Planes de gestión MinTrabajo"
    SECURITY_TOTP_SECRETS = None  # se genera y persiste en instance/ (ver `cargar_config`)
    SECURITY_MULTI_FACTOR_RECOVERY_CODES = True
    SECURITY_TWO_FACTOR_POST_SETUP_VIEW = "/admin/"
    GESTION_SEGUNDO_FACTOR = False
    GESTION_ROLES_SEGUNDO_FACTOR = ("oap", "jefe_oap", "comite_sectorial", "comite_directivo",
                                    "comite_institucional", "administrador")

    # Sesiones (gestion.base.sesiones) y proxies delante de la app.
    GESTION_MINUTOS_INACTIVIDAD = 30
    GESTION_HORAS_RECORDARME = 8
    GESTION_HTTPS = False  # en producción, 1: cookies Secure y HSTS
    GESTION_PROXIES = 0  # cuántos proxies de confianza ponen X-Forwarded-For / -Proto delante

    # Archivos subidos (actas, evidencias): fuera de la base de datos.
    GESTION_CARPETA_ARCHIVOS = None
    GESTION_TAMANO_MAXIMO_ARCHIVO = 10 * 1024 * 1024
    GESTION_MARGEN_COHERENCIA = 20  # puntos porcentuales entre avance físico y presupuestal
    GESTION_TOLERANCIA_CONSTANTE = 5  # % de lo programado en que un indicador «constante» se da por mantenido
    GESTION_CORREOS_CONTROL_INTERNO = ["controlinterno@mintrabajo.gov.co"]
    GESTION_PERIODO_VERIFICACION = "trimestre"  # o «semestre»: cada cuánto verifica Control Interno
    GESTION_DEMO_PASSWORD = None
    GESTION_BUZON_SALIDA = None  # carpeta donde queda copia .eml de cada correo (desarrollo)
    # Recordatorios: días antes de cada plazo (negativos: después) en que se avisa a quien no ha enviado.
    GESTION_RECORDATORIOS_DIAS = (5, 1, -2)
    # A la OAP: los reportes que llevan al menos estos días esperando su revisión (y cada tantos días más).
    GESTION_RECORDATORIO_REVISION_DIAS = 5
    # Cada cuántos segundos el trabajador revisa si hay recordatorios por enviar (0: no los envía; los manda
    # `gestion recordatorios`). Repetir es inofensivo: cada uno sale una vez por persona y día.
    GESTION_RECORDATORIOS_CADA = 3600
    # Dirección del sistema para los enlaces de los correos que salen de un comando (recordatorios).
    GESTION_URL_BASE = None

    # Trabajos largos (gestion.trabajos.cola): por encima de estas filas (actividades del informe o del PAI, filas de
    # un libro que se carga) el trabajo sale de la petición. Con GESTION_REDIS_URL va a la cola de Redis y lo
    # corre `gestion trabajador`; sin ella corre en la misma petición (una instalación nueva no necesita servidor).
    GESTION_TRABAJOS_UMBRAL = 2000
    GESTION_REDIS_URL = None
    GESTION_TRABAJOS_TIEMPO_MAXIMO = 1800  # segundos que el trabajador le da a un trabajo antes de cortarlo
    # Un trabajo en curso late cada GESTION_TRABAJOS_LATIDO segundos; sin latido por GESTION_TRABAJOS_SIN_LATIDO, el
    # proceso que lo corría murió: se marca fallido (al leer su página o al arrancar un trabajador) y se reintenta.
    GESTION_TRABAJOS_LATIDO = 15
    GESTION_TRABAJOS_SIN_LATIDO = 90

    FLASK_ADMIN_SWATCH = "default"


class ConfigPruebas(Config):
    TESTING = True
    SECRET_KEY = "clave-de-pruebas"
    SECURITY_PASSWORD_SALT = "sal-de-pruebas"
    # argon2 cuesta ~0,16 s por hash: inaceptable en cientos de pruebas.
    SECURITY_PASSWORD_HASH = "plaintext"
    SECURITY_PASSWORD_SCHEMES = ["plaintext", "argon2"]
    # Los límites siguen activos, pero altos: cientos de ingresos por minuto desde 127.0.0.1 (test_ingreso
    # pone los de producción).
    GESTION_LIMITE_LOGIN = GESTION_LIMITE_FALLOS_LOGIN = "100000 per minute"
    MAIL_SUPPRESS_SEND = True



def normalizar_url_bd(url: str) -> str:
    """Acepta `postgresql://usuario@host:puerto/bd` y la lleva al controlador psycopg 3."""
    for prefijo in ("postgres://", "postgresql://"):
        if url.startswith(prefijo):
            return "postgresql+psycopg://" + url[len(prefijo):]
    return url


def opciones_del_motor(url: str, opciones: dict) -> dict:
    """Las opciones del motor para esa base. En PostgreSQL las conexiones de la app van sin JIT: las consultas de
    una página son cortas, y un filtro mal estimado por encima de `jit_above_cost` compilaba en cada petición
    200–300 ms para una consulta de 50 ms (PILA.md, trampa 12). Quien necesite JIT para un informe lo pide en su
    propia sesión (`SET jit = on`)."""
    if not url.startswith("postgresql"):
        return opciones
    conexion = dict(opciones.get("connect_args") or {})
    conexion["options"] = " ".join(filter(None, [conexion.get("options"), "-c jit=off"]))
    return {**opciones, "connect_args": conexion}


def _secreto_persistente(instancia: Path, nombre: str) -> str:
    archivo = instancia / nombre
    if not archivo.exists():
        archivo.write_text(secrets.token_urlsafe(48))
        archivo.chmod(0o600)
    return archivo.read_text().strip()


def cargar_config(app, config=None) -> None:
    app.config.from_object(config or Config)
    instancia = Path(app.instance_path)
    instancia.mkdir(parents=True, exist_ok=True)
    app.config.from_pyfile("gestion.cfg", silent=True)

    entorno = os.environ
    if "DATABASE_URL" in entorno and not app.testing:
        app.config["SQLALCHEMY_DATABASE_URI"] = entorno["DATABASE_URL"]
    for clave in ("SECRET_KEY", "SECURITY_PASSWORD_SALT", "MAIL_SERVER", "MAIL_DEFAULT_SENDER", "MAIL_USERNAME",
                  "MAIL_PASSWORD", "RATELIMIT_STORAGE_URI"):
        if clave in entorno:
            app.config[clave] = entorno[clave]
    if "MAIL_PORT" in entorno:
        app.config["MAIL_PORT"] = int(entorno["MAIL_PORT"])
    for clave in ("MAIL_SUPPRESS_SEND", "MAIL_USE_TLS", "MAIL_USE_SSL"):
        if clave in entorno:
            app.config[clave] = entorno[clave].strip().lower() in ("1", "true", "si", "sí", "yes")
    for clave, valor in entorno.items():
        if clave.startswith("GESTION_"):
            app.config[clave] = valor

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instancia / 'gestion.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalizar_url_bd(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secreto_persistente(instancia, "secret_key")
    if not app.config.get("SECURITY_PASSWORD_SALT"):
        app.config["SECURITY_PASSWORD_SALT"] = _secreto_persistente(instancia, "password_salt")
    if not app.config.get("SECURITY_TOTP_SECRETS"):
        # Cifra los secretos TOTP guardados en la base: una copia de la base sola no da los segundos factores.
        app.config["SECURITY_TOTP_SECRETS"] = {"1": _secreto_persistente(instancia, "totp_secret")}
    segundo_factor = str(app.config["GESTION_SEGUNDO_FACTOR"]).strip().lower()
    app.config["GESTION_SEGUNDO_FACTOR"] = segundo_factor in ("1", "true", "si", "sí", "yes")
    if not app.config.get("GESTION_BUZON_SALIDA") and app.config["MAIL_SUPPRESS_SEND"] and not app.testing:
        app.config["GESTION_BUZON_SALIDA"] = str(instancia / "buzon")
    if not app.config.get("GESTION_CARPETA_ARCHIVOS"):
        app.config["GESTION_CARPETA_ARCHIVOS"] = str(instancia / "archivos")
    correos = app.config["GESTION_CORREOS_CONTROL_INTERNO"]
    if isinstance(correos, str):
        app.config["GESTION_CORREOS_CONTROL_INTERNO"] = [c.strip() for c in correos.split(",") if c.strip()]
    periodo = str(app.config["GESTION_PERIODO_VERIFICACION"]).strip().lower()
    if periodo not in ("trimestre", "semestre"):
        raise RuntimeError(f"GESTION_PERIODO_VERIFICACION debe ser «trimestre» o «semestre», no «{periodo}».")
    app.config["GESTION_PERIODO_VERIFICACION"] = periodo
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["GESTION_TAMANO_MAXIMO_ARCHIVO"]) + 1024 * 1024
