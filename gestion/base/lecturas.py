"""Una petición que solo leyó termina su transacción con COMMIT, no con ROLLBACK (PostgreSQL).

psycopg borra sus sentencias preparadas en cada ROLLBACK (un ROLLBACK puede deshacer un DROP o un ALTER, y una
sentencia preparada sobre lo deshecho fallaría). Cada petición terminaba deshaciendo su transacción de lectura
al cerrar la sesión, así que ninguna consulta llegaba a las 5 ejecuciones que psycopg espera para prepararla:
PostgreSQL analizaba y planificaba cada sentencia de cada página, otra vez. Para una transacción que no escribió
nada, COMMIT y ROLLBACK dejan la base igual (las filas, los bloqueos y los `SET LOCAL` terminan con ella); con
COMMIT las sentencias preparadas siguen en la conexión para la próxima petición.

Escribió la transacción si corrió cualquier sentencia que no sea un SELECT compilado por SQLAlchemy o un texto
que empiece por SELECT: ante la duda, ROLLBACK, como siempre. Una petición que terminó en error también.

Las sentencias preparadas viven lo que vive la conexión: una migración que cambie tablas se aplica con la app
detenida o reiniciándola después (README, «Producción»)."""
import psycopg
from flask import Flask, g, has_request_context
from sqlalchemy import Engine, event
from sqlalchemy.sql import Select

ESCRIBIO = "gestion.lecturas.escribio"  # en Connection.info: la transacción en curso escribió
USADAS = "gestion_conexiones_de_la_peticion"  # en flask.g: las conexiones que usó la petición


def _solo_lee(contexto, sentencia: str) -> bool:
    compilada = getattr(contexto, "compiled", None)
    if compilada is not None and isinstance(compilada.statement, Select):
        return True
    return sentencia.lstrip()[:6].upper() == "SELECT"


def _al_empezar(conexion) -> None:
    conexion.info.pop(ESCRIBIO, None)


def _antes_de_ejecutar(conexion, _cursor, sentencia, _parametros, contexto, _varias) -> None:
    if not _solo_lee(contexto, sentencia):
        conexion.info[ESCRIBIO] = True
    if has_request_context():
        g.setdefault(USADAS, set()).add(conexion)


def _terminar(error) -> None:
    """teardown_request, antes de que Flask-SQLAlchemy cierre la sesión: confirma en la base cada transacción de
    la petición que solo leyó. SQLAlchemy, al cerrar, la deshace; psycopg ve que ya no hay transacción y no
    manda nada (ni borra lo preparado)."""
    conexiones = g.pop(USADAS, ())
    if error is not None:
        return
    for conexion in conexiones:
        if conexion.closed or conexion.invalidated or conexion.info.get(ESCRIBIO):
            continue
        dbapi = conexion.connection.dbapi_connection
        if dbapi is not None and dbapi.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS:
            try:
                dbapi.commit()
            except psycopg.Error:
                pass  # la conexión se cayó al final: no había nada que guardar, y SQLAlchemy la descarta al cerrar


def configurar(app: Flask, motor: Engine) -> None:
    if motor.dialect.name != "postgresql":
        return
    event.listen(motor, "begin", _al_empezar)
    event.listen(motor, "before_cursor_execute", _antes_de_ejecutar)
    app.teardown_request(_terminar)
