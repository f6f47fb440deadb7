"""Una base que se cae dice «Servicio no disponible» (503), se registra como error y no culpa al usuario; una
lectura que perdió la conexión se repite una vez; solo un dato que la base no admite es un 400.

En SQLite la caída se simula (el controlador lanza su OperationalError); con TEST_DATABASE_URL de PostgreSQL,
además, se termina de verdad la conexión del servidor (`pg_terminate_backend`) en medio de la petición."""
import logging
import os
from contextlib import contextmanager

import sqlalchemy as sa

from gestion.base import caidas
from gestion.reglas import roles as R
from modelos import UnidadMedida, db

EN_POSTGRES = (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgres")


@contextmanager
def base_que_falla(veces: int, cuando=lambda sentencia: True, terminar_de_verdad: bool = EN_POSTGRES):
    """Las próximas `veces` sentencias que cumplan `cuando` pierden la conexión. Devuelve la lista de las
    sentencias que fallaron. En PostgreSQL se termina el proceso del servidor que atiende la conexión y el error
    es el que da psycopg al ejecutar; en SQLite se lanza el OperationalError del controlador."""
    dialecto = db.engine.dialect
    fallidas = []
    originales = {nombre: getattr(dialecto, nombre) for nombre in
                  ("do_execute", "do_execute_no_params", "do_executemany")}

    def envolver(nombre):
        original = originales[nombre]

        def ejecutar(cursor, sentencia, *resto, **claves):
            if len(fallidas) < veces and cuando(sentencia):
                fallidas.append(sentencia)
                if terminar_de_verdad:
                    _terminar(cursor.connection.info.backend_pid)
                else:
                    raise dialecto.loaded_dbapi.OperationalError("server closed the connection unexpectedly")
            return original(cursor, sentencia, *resto, **claves)
        return ejecutar

    for nombre in originales:
        setattr(dialecto, nombre, envolver(nombre))
    try:
        yield fallidas
    finally:
        for nombre in originales:
            delattr(dialecto, nombre)


def _conexion_aparte():
    import psycopg
    url = os.environ["TEST_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True)


def _terminar(pid: int) -> None:
    with _conexion_aparte() as otra:
        otra.execute("SELECT pg_terminate_backend(%s)", (pid,))


def es_insercion(sentencia: str) -> bool:
    return sentencia.lstrip().upper().startswith("INSERT")


def test_una_lectura_que_pierde_la_conexion_se_repite_y_el_usuario_ve_su_pagina(navegador, usuarios, caplog):
    cliente = navegador(usuarios[R.OAP])
    with caplog.at_level(logging.WARNING), base_que_falla(1) as fallidas:
        respuesta = cliente.get("/admin/unidadmedida/")
    assert len(fallidas) == 1
    assert respuesta.status_code == 200 and "Servicio no disponible" not in respuesta.get_data(as_text=True)
    assert any("Se repite GET /admin/unidadmedida/" in r.getMessage() for r in caplog.records)


def test_una_base_caida_da_503_en_espanol_con_retry_after_y_queda_en_el_log(navegador, usuarios, caplog):
    cliente = navegador(usuarios[R.OAP])
    with caplog.at_level(logging.ERROR), base_que_falla(100) as fallidas:
        respuesta = cliente.get("/admin/unidadmedida/")
    html = respuesta.get_data(as_text=True)
    assert respuesta.status_code == 503
    assert "Servicio no disponible" in html and "intente en unos minutos" in html
    assert "Dato no válido" not in html and "server closed" not in html
    assert respuesta.headers["Retry-After"] == "60"
    # Se intentó dos veces (la lectura y su única repetición), no una por cada consulta que quedara.
    assert len(fallidas) == 2
    errores = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("La base de datos no respondió en GET /admin/unidadmedida/" in r.getMessage() for r in errores)


def test_un_envio_que_pierde_la_conexion_da_503_no_se_repite_y_no_guarda_nada(navegador, usuarios):
    cliente = navegador(usuarios[R.OAP])
    with base_que_falla(100, es_insercion) as fallidas:
        respuesta = cliente.post("/admin/unidadmedida/new/", data={"codigo": "CAIDA", "nombre": "Unidad caída"})
    assert respuesta.status_code == 503
    assert "Servicio no disponible" in respuesta.get_data(as_text=True)
    assert len(fallidas) == 1
    db.session.rollback()
    assert db.session.scalar(sa.select(UnidadMedida).filter_by(codigo="CAIDA")) is None
    # Vuelta la base, el mismo envío se guarda.
    assert cliente.post("/admin/unidadmedida/new/", data={"codigo": "CAIDA", "nombre": "Unidad caída"}
                        ).status_code == 302
    assert db.session.scalar(sa.select(UnidadMedida).filter_by(codigo="CAIDA")) is not None


def test_el_ingreso_con_la_base_caida_no_dice_contrasena_invalida(navegador, usuarios):
    cliente, correo = navegador(), usuarios[R.OAP].email
    with base_que_falla(100):
        respuesta = cliente.post("/login", data={"email": correo, "password": "lo-que-sea-1234"})
    html = respuesta.get_data(as_text=True)
    assert respuesta.status_code == 503 and "Servicio no disponible" in html
    assert "no válidos" not in html


def test_un_numero_que_no_cabe_sigue_siendo_un_dato_no_valido(navegador, usuarios, fabrica):
    """Lo que sí es culpa del dato sigue diciendo 400 «Dato no válido» (el borde lo suele atajar antes)."""
    orig = OverflowError("Python int too large to convert to SQLite INTEGER")
    assert caidas.codigo_de(sa.exc.StatementError("x", "SELECT", {}, orig)) == 400
    assert caidas.codigo_de(sa.exc.DataError("SELECT", {}, Exception("numeric field overflow"))) == 400
    assert caidas.codigo_de(sa.exc.OperationalError("SELECT", {}, Exception("connection lost"))) == 503
    assert caidas.codigo_de(sa.exc.InterfaceError("SELECT", {}, Exception("connection already closed"))) == 503
    assert caidas.codigo_de(sa.exc.TimeoutError("QueuePool limit")) == 503
    assert caidas.codigo_de(sa.exc.ProgrammingError("SELECT", {}, Exception("syntax error"))) == 500


def test_lo_que_escapa_de_flask_llega_como_pagina_500_en_espanol():
    def rota(environ, start_response):
        raise RuntimeError("el manejador de errores también falló")

    for metodo in ("GET", "POST"):
        recibido = []
        cuerpo = caidas.Resguardo(rota)({"REQUEST_METHOD": metodo, "PATH_INFO": "/x"},
                                        lambda estado, cabeceras, exc_info=None, recibido=recibido: recibido.append(estado))
        assert recibido == ["500 Internal Server Error"]
        assert "Error del sistema" in b"".join(cuerpo).decode()


def test_las_conexiones_que_el_servidor_cerro_entre_peticiones_no_se_notan(navegador, usuarios):
    """pool_pre_ping: la conexión del pool que el servidor cerró se descubre al sacarla, no en la consulta."""
    cliente = navegador(usuarios[R.OAP])
    assert cliente.get("/admin/unidadmedida/").status_code == 200
    assert db.engine.pool._pre_ping
    if EN_POSTGRES:
        db.session.remove()  # la conexión de la prueba también vuelve al pool, donde el servidor la cierra
        with _conexion_aparte() as otra:
            cerradas = otra.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
        assert cerradas >= 1
    assert cliente.get("/admin/unidadmedida/").status_code == 200
