"""La fábrica de la app: `crear_app` arma una instancia con pasos con nombre, en este orden."""
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, render_template, request
from flask_security import Security
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix

from gestion.base import cabeceras, caidas, estaticos, formato, ingreso, lecturas, sesiones, validacion
from gestion.base.config import TRADUCCIONES, Config, cargar_config, opciones_del_motor
from gestion.base.errores import MENSAJE_CONFLICTO, MENSAJE_DATO_FUERA_DE_RANGO, MENSAJE_REPETIDO, OperacionRechazada
from gestion.base.extensiones import babel, csrf, datastore, db, mail, migrate
from gestion.cli import grupo_gestion
from gestion.eventos import configurar_eventos
from gestion.reglas.permisos import AccesoDenegado
from gestion.trabajos import tareas
from vistas import registrar_vistas

RAIZ = Path(__file__).resolve().parent.parent


def crear_app(config=None, **ajustes) -> Flask:
    app = estaticos.Aplicacion(__name__, instance_relative_config=True, template_folder=str(RAIZ / "plantillas"),
                               instance_path=ajustes.pop("instance_path", None))
    cargar_config(app, config or Config)
    app.config.update(ajustes)
    app.wsgi_app = caidas.Resguardo(app.wsgi_app)  # dentro de ProxyFix: repite una lectura con el environ ya leído
    configurar_proxies(app)
    configurar_extensiones(app)
    configurar_eventos(app)  # gestion/eventos.py: lo que corre al guardar, en su orden
    configurar_seguridad(app)
    configurar_plantillas(app)
    configurar_trabajos(app)
    configurar_vistas(app)
    configurar_errores(app)
    configurar_cli(app)
    return app


def configurar_proxies(app: Flask) -> None:
    """Detrás de N proxies de confianza, la dirección y el esquema reales vienen en X-Forwarded-*: sin esto
    todo el ministerio comparte la dirección del proxy y las cookies Secure no saben que hay HTTPS."""
    proxies = int(app.config["GESTION_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies)


def configurar_extensiones(app: Flask) -> None:
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opciones_del_motor(app.config["SQLALCHEMY_DATABASE_URI"],
                                                                 app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    db.init_app(app)
    with app.app_context():
        lecturas.configurar(app, db.engine)  # en PostgreSQL, las sentencias preparadas duran entre peticiones
    # render_as_batch: SQLite no altera columnas en sitio; compare_type detecta cambios de tipo.
    migrate.init_app(app, db, directory=str(RAIZ / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, default_translation_directories=str(TRADUCCIONES),
                   locale_selector=lambda: app.config["BABEL_DEFAULT_LOCALE"])
    validacion.activar(app)


def configurar_seguridad(app: Flask) -> None:
    app.config["SECURITY_I18N_DIRNAME"] = ["builtin", str(TRADUCCIONES)]
    Security(app, datastore, password_util_cls=ingreso.PoliticaClaves)
    ingreso.configurar(app)
    sesiones.configurar(app)
    cabeceras.configurar(app)


def configurar_plantillas(app: Flask) -> None:
    formato.registrar_filtros(app)
    estaticos.configurar(app)


def configurar_trabajos(app: Flask) -> None:
    app.extensions["gestion_tareas"] = tareas.TAREAS


def configurar_vistas(app: Flask) -> None:
    registrar_vistas(app)


def configurar_errores(app: Flask) -> None:
    def pagina(codigo: int, titulo: str, mensaje: str):
        return render_template("errores/error.html", codigo=codigo, titulo=titulo, mensaje=mensaje), codigo

    def pagina_error(codigo: int, titulo: str, mensaje: str):
        app.register_error_handler(codigo, lambda error: pagina(codigo, titulo, mensaje))

    def pagina_de_base(codigo: int, titulo: str, mensaje: str):
        """Lo que la base rechazó: se deshace la transacción y el usuario lee por qué, nunca el texto de la base."""
        def manejador(error):
            db.session.rollback()
            return pagina(codigo, titulo, mensaje)
        return manejador

    def rechazo(error: OperacionRechazada):
        db.session.rollback()
        return pagina(400, "No se pudo hacer", str(error))

    pagina_error(400, "Solicitud inválida", "La solicitud no se pudo procesar. Si envió un formulario, "
                 "recargue la página e inténtelo de nuevo: el token de seguridad pudo vencer.")
    # No siempre es el rol: un plan enviado o aprobado tampoco admite ciertas páginas. Quien aborta con una
    # razón (abort(403, "…")) la muestra; si no, la página no culpa a nadie en particular.
    generico_403 = ("No puede ver o hacer esto aquí: puede que su rol no lo permita, o que el plan o el reporte "
                    "ya no esté en un estado que lo admita. La página del registro dice qué puede hacer ahora.")
    app.register_error_handler(403, lambda error: pagina(
        403, "Acceso denegado",
        error.description if error.description != Forbidden.description else generico_403))
    pagina_error(404, "No encontrado", "La página o el registro no existe, o no está a su alcance.")
    app.register_error_handler(413, demasiado_grande)
    pagina_error(405, "Método no permitido", "Esta dirección no acepta esa clase de solicitud. Vuelva a la "
                 "página anterior y use sus botones.")
    pagina_error(409, "Conflicto", MENSAJE_CONFLICTO)
    app.register_error_handler(429, lambda error: pagina(429, "Demasiados intentos", ingreso.espera_en_palabras()))
    pagina_error(500, "Error del sistema", MENSAJE_ERROR_DEL_SISTEMA)
    app.register_error_handler(AccesoDenegado, lambda error: pagina(403, "Acceso denegado", str(error)))
    app.register_error_handler(OperacionRechazada, rechazo)
    app.register_error_handler(StaleDataError, pagina_de_base(409, "Conflicto", MENSAJE_CONFLICTO))
    app.register_error_handler(sa.exc.IntegrityError, pagina_de_base(409, "Conflicto", MENSAJE_REPETIDO))
    pagina_error(503, "Servicio no disponible", caidas.MENSAJE_NO_DISPONIBLE)

    def error_de_base(error: sa.exc.SQLAlchemyError):
        """Solo un dato que la base no admite (DataError de PostgreSQL, OverflowError de SQLite: se coló sin pasar
        por el borde) es culpa de la petición; una conexión perdida es una caída (503), lo demás un fallo (500)."""
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            db.session.invalidate()
        codigo = caidas.codigo_de(error)
        if codigo == 400:
            return pagina(400, "Dato no válido", MENSAJE_DATO_FUERA_DE_RANGO)
        if codigo == 503:
            app.logger.error("La base de datos no respondió en %s %s: %s", request.method, request.path, error)
            if request.method in caidas.METODOS_DE_LECTURA:
                request.environ[caidas.REPETIR] = True
            return (pagina_sin_base(503, "Servicio no disponible", caidas.MENSAJE_NO_DISPONIBLE), 503,
                    {"Retry-After": str(caidas.SEGUNDOS_REINTENTO)})
        app.logger.error("Error de la base en %s %s", request.method, request.path, exc_info=error)
        return pagina_sin_base(500, "Error del sistema", MENSAJE_ERROR_DEL_SISTEMA), 500

    def pagina_sin_base(codigo: int, titulo: str, mensaje: str) -> str:
        """La página de error sin los procesadores de contexto: el de Flask-Login carga `current_user` de la base
        caída, y ese segundo error escapaba a gunicorn como un 500 vacío."""
        return app.jinja_env.get_template("errores/error.html").render(codigo=codigo, titulo=titulo, mensaje=mensaje)
    app.register_error_handler(sa.exc.SQLAlchemyError, error_de_base)


MENSAJE_ERROR_DEL_SISTEMA = ("Algo falló de nuestro lado y no se guardó nada. Inténtelo de nuevo; si se repite, "
                             "avise a la Oficina Asesora de Planeación.")

# Más allá de esto no se lee: quien manda 100 MB se queda sin la página, pero no ocupa al worker.
DRENAJE_MAXIMO = 64 * 1024 * 1024


def demasiado_grande(error):
    """413 en español. Antes se lee (y se descarta) el cuerpo que nadie leyó: gunicorn cierra la conexión con
    datos sin leer y el navegador muestra «conexión reiniciada» en vez de esta página."""
    entrada, pendiente = request.environ.get("wsgi.input"), request.content_length or 0
    if entrada is not None and pendiente <= DRENAJE_MAXIMO:
        while pendiente > 0:
            trozo = entrada.read(min(pendiente, 1024 * 1024))
            if not trozo:
                break
            pendiente -= len(trozo)
    maximo = formato.numero(int(current_app.config["GESTION_TAMANO_MAXIMO_ARCHIVO"]) / (1024 * 1024), 1)
    return render_template("errores/error.html", codigo=413, titulo="Archivo demasiado grande",
                           mensaje=f"El archivo supera el tamaño máximo permitido ({maximo} MB)."), 413


def configurar_cli(app: Flask) -> None:
    app.cli.add_command(grupo_gestion)
