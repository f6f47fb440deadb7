"""Una petición que solo leyó confirma su transacción, y PostgreSQL conserva así las sentencias preparadas de la
conexión para la próxima (gestion/base/lecturas.py); una que escribió sin confirmar, o que falló, no guarda nada."""
import psycopg
import pytest
import sqlalchemy as sa

from gestion.reglas import roles as R
from modelos import Dependencia, db


@pytest.fixture
def solo_postgresql(contexto):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("las sentencias preparadas y el COMMIT de lectura son de PostgreSQL: corre en su pasada")
    return contexto


def _estado_de_la_transaccion():
    return db.session.connection().connection.dbapi_connection.info.transaction_status


def test_las_paginas_que_solo_leen_dejan_sus_sentencias_preparadas(solo_postgresql, usuarios, navegador, fabrica):
    fabrica.plan_accion()
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    for _ in range(7):  # psycopg prepara una sentencia a la 6.ª vez que la ve en la misma conexión
        assert oap.get("/admin/planes_accion/").status_code == 200
    with db.engine.connect() as la_de_las_peticiones:  # la prueba tiene la suya; esta vuelve del pool
        preparadas = la_de_las_peticiones.scalars(sa.text("SELECT statement FROM pg_prepared_statements")).all()
    assert any("FROM plan" in sentencia for sentencia in preparadas), preparadas


def test_una_lectura_termina_confirmada(solo_postgresql, fabrica):
    fabrica.dependencia("D01")
    db.session.commit()
    with solo_postgresql.test_request_context("/"):
        db.session.scalar(sa.select(sa.func.count()).select_from(Dependencia))
        assert _estado_de_la_transaccion() == psycopg.pq.TransactionStatus.INTRANS
        solo_postgresql.do_teardown_request(None)
        assert _estado_de_la_transaccion() == psycopg.pq.TransactionStatus.IDLE


@pytest.mark.parametrize("escribir", ["flush", "texto"])
def test_lo_escrito_sin_confirmar_no_se_guarda_al_terminar_la_peticion(contexto, fabrica, escribir):
    dependencia = fabrica.dependencia("D01", "Dirección de antes")
    db.session.commit()
    with contexto.test_request_context("/"):
        if escribir == "flush":
            dependencia.nombre = "Dirección escrita sin confirmar"
            db.session.flush()
        else:
            db.session.execute(sa.text("UPDATE dependencia SET nombre = 'Dirección escrita sin confirmar'"))
        contexto.do_teardown_request(None)
        db.session.rollback()  # lo que hace Flask-SQLAlchemy al cerrar la sesión
    assert db.session.scalar(sa.select(Dependencia.nombre)) == "Dirección de antes"


def test_una_peticion_que_fallo_no_confirma_ni_lo_que_leyo(solo_postgresql, fabrica):
    fabrica.dependencia("D01")
    db.session.commit()
    with solo_postgresql.test_request_context("/"):
        db.session.scalar(sa.select(sa.func.count()).select_from(Dependencia))
        solo_postgresql.do_teardown_request(RuntimeError("falló la vista"))
        assert _estado_de_la_transaccion() == psycopg.pq.TransactionStatus.INTRANS
