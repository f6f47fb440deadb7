"""Trabajos que dicen la verdad: uno cuyo proceso murió queda fallido en segundos (no a los 30 minutos del tiempo
máximo) y «Reintentar» lo hace; uno que la cola perdió (Redis vaciado o reiniciado sin persistencia) vuelve a
ella al leer su página o al arrancar un trabajador; la remisión sale una sola vez pase lo que pase.

Las pruebas de procesos matan de verdad a un trabajador (`kill -9` a su grupo) y vacían de verdad un Redis que
arrancan ellas mismas en un puerto libre (`redis-server --save ''`), sobre una base SQLite en archivo que el
trabajador y la prueba comparten."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from gestion.base import formato
from gestion.reglas import roles as R
from gestion.trabajos import cola
from modelos import EstadoTrabajo, EtapaCronograma, FaseCronograma, Recordatorio, Trabajo, db

from . import test_trabajos
from .conftest import _url_pruebas, _vaciar_tablas
from .fabricas import Fabrica
from .test_trabajos import _atender, _remision, _trabajo
from .trabajador_de_prueba import app_de_prueba

# Las fixtures de las pruebas de trabajos, aquí también.
informe, smtp, umbral_cero = test_trabajos.informe, test_trabajos.smtp, test_trabajos.umbral_cero

RAIZ = Path(__file__).resolve().parent.parent


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_propio(tmp_path):
    """Un redis-server solo de esta prueba, sin persistencia: vaciarlo es perder la cola."""
    from redis import Redis
    binario = shutil.which("redis-server")
    assert binario, "Falta redis-server (apt-get install redis-server; .ci/run lo instala)"
    puerto = _puerto_libre()
    proceso = subprocess.Popen([binario, "--port", str(puerto), "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{puerto}/0"
    conexion = Redis.from_url(url)
    for _ in range(100):
        try:
            conexion.ping()
            break
        except Exception:
            time.sleep(0.05)
    yield url, conexion
    proceso.terminate()
    proceso.wait(10)


def _hace(segundos: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(seconds=segundos)


# --- en la página, con el proceso simulado -----------------------------------------------------------------
def test_un_trabajo_sin_latido_queda_fallido_al_leer_su_pagina_y_se_reintenta(app, navegador, usuarios, informe,
                                                                              umbral_cero):
    oap = navegador(usuarios[R.OAP])
    trabajo = _trabajo(oap.get(f"/admin/informeseguimiento/xlsx/?id={informe.id}"))
    sin_latido = app.config["GESTION_TRABAJOS_SIN_LATIDO"]

    # Late hace poco: sigue en curso, sin «Reintentar», y reintentarlo no lo duplica.
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo.id).values(
        estado=EstadoTrabajo.EN_CURSO, terminado_en=None, hechos=1, mensaje="Paso 2 de 3 · Escribiendo el libro.",
        iniciado_en=_hace(10 * sin_latido), latido=_hace(sin_latido / 3)))
    db.session.commit()
    html = oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "En curso" in html and "Reintentar" not in html
    oap.post("/admin/trabajo/reintentar/", data={"id": trabajo.id})
    db.session.expire_all()
    assert db.session.get(Trabajo, trabajo.id).intentos == 1

    # Su proceso murió hace más de GESTION_TRABAJOS_SIN_LATIDO (90 s), no hace 30 minutos: la página lo dice.
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo.id).values(latido=_hace(sin_latido + 5)))
    db.session.commit()
    html = oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "Fallido" in html and "se detuvo sin terminarlo" in html and "Reintentar" in html
    assert 'data-recarga' not in html  # ya no se recarga sola

    html = oap.post("/admin/trabajo/reintentar/", data={"id": trabajo.id}, follow_redirects=True).get_data(as_text=True)
    assert "El trabajo volvió a la cola." in html and "Descargar" in html
    db.session.expire_all()
    trabajo = db.session.get(Trabajo, trabajo.id)
    assert trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.intentos == 2


def test_la_remision_cuyo_proceso_murio_se_pide_de_nuevo_y_sale_una_vez(app, navegador, usuarios, informe, smtp):
    """«Remitir a Control Interno» ya no lleva 30 minutos al trabajo muerto: pedirla de nuevo la reintenta."""
    oap = navegador(usuarios[R.OAP])
    remitir = {"id": informe.id, "remision": _remision(oap, informe)}
    oap.post("/admin/informeseguimiento/remitir/", data=remitir)
    [trabajo] = db.session.scalars(sa.select(Trabajo)).all()
    assert trabajo.estado is EstadoTrabajo.TERMINADO and len(smtp.buzon.mensajes) == 1
    # Como si el proceso hubiera muerto antes del commit: nada remitido, nada enviado, el trabajo «en curso».
    db.session.expire_all()
    informe_db = db.session.get(type(informe), informe.id)
    informe_db.remitido_en = informe_db.remitido_por_id = None
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo.id).values(
        estado=EstadoTrabajo.EN_CURSO, terminado_en=None, latido=_hace(app.config["GESTION_TRABAJOS_SIN_LATIDO"] + 5)))
    db.session.commit()
    smtp.buzon.mensajes.clear()

    html = oap.post("/admin/informeseguimiento/remitir/", data=remitir, follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    [otra_vez] = db.session.scalars(sa.select(Trabajo)).all()
    assert otra_vez.estado is EstadoTrabajo.TERMINADO and otra_vez.intentos == 2, (otra_vez.mensaje, html[-3000:])
    assert len(smtp.buzon.mensajes) == 1, otra_vez.mensaje
    oap.post("/admin/informeseguimiento/remitir/", data=remitir)  # y un clic más no la repite
    assert len(smtp.buzon.mensajes) == 1


# --- la cola perdida, con un Redis propio ---------------------------------------------------------------------
def test_la_remision_que_la_cola_perdio_vuelve_a_ella_y_sale_una_sola_vez(app, navegador, usuarios, informe, smtp,
                                                                          redis_propio):
    url, redis = redis_propio
    app.config["GESTION_REDIS_URL"] = url
    try:
        oap = navegador(usuarios[R.OAP])
        remitir = {"id": informe.id, "remision": _remision(oap, informe)}
        trabajo = _trabajo(oap.post("/admin/informeseguimiento/remitir/", data=remitir))
        assert trabajo.estado is EstadoTrabajo.EN_COLA
        redis.flushall()  # Redis reiniciado sin persistencia: la cola ya no lo tiene
        # Recién pedido, se le da un momento a la cola; pasado, la página lo nota y lo devuelve a ella.
        assert "En cola" in oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
        assert redis.keys("rq:job:*") == []
        db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo.id).values(latido=_hace(30)))
        db.session.commit()
        assert "En cola" in oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
        assert len(redis.keys("rq:job:*")) == 1

        _atender(redis)
        cola.cola_rq().enqueue(cola.EN_EL_TRABAJADOR, trabajo.id)  # una entrega repetida
        _atender(redis)
        oap.post("/admin/informeseguimiento/remitir/", data=remitir)  # y otro clic
        _atender(redis)
    finally:
        app.config["GESTION_REDIS_URL"] = None
    assert db.session.get(Trabajo, trabajo.id).estado is EstadoTrabajo.TERMINADO
    assert len(smtp.buzon.mensajes) == 1


# --- procesos de verdad ---------------------------------------------------------------------------------------
@pytest.fixture
def mundo_aparte(tmp_path, redis_propio):
    """Una app sobre la base que también ve el trabajador en su proceso (una SQLite en archivo, o la PostgreSQL de
    las pruebas, vaciada al terminar) y el Redis propio."""
    url, redis = redis_propio
    base = _url_pruebas() if _url_pruebas().startswith("postgresql") else f"sqlite:///{tmp_path}/base.db"
    aplicacion = app_de_prueba(tmp_path, url, base)
    with aplicacion.app_context():
        upgrade()
        yield tmp_path, url, redis
        db.session.rollback()
        _vaciar_tablas()
        db.session.remove()
        db.engine.dispose()


def _trabajador(carpeta: Path, url: str) -> subprocess.Popen:
    registro = open(carpeta / f"trabajador-{time.monotonic_ns()}.log", "w")  # un archivo: un tubo lleno lo frenaría
    proceso = subprocess.Popen([sys.executable, "-m", "tests.trabajador_de_prueba", str(carpeta), url,
                                current_app.config["SQLALCHEMY_DATABASE_URI"]],
                               cwd=RAIZ, stdout=registro, stderr=subprocess.STDOUT)
    proceso.registro = Path(registro.name)
    registro.close()
    return proceso


def _esperar(condicion, segundos: float = 30):
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        valor = condicion()
        db.session.rollback()  # sin transacción abierta: en SQLite una lectura abierta frena la escritura del otro
        if valor:
            return valor
        time.sleep(0.2)
    raise AssertionError("no ocurrió a tiempo")


def _matar(proceso: subprocess.Popen) -> None:
    """kill -9 al trabajador y a sus hijos (RQ corre cada trabajo en un proceso hijo con su propia sesión)."""
    hijos = []
    for estado in Path("/proc").glob("[0-9]*/stat"):
        try:
            campos = estado.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(campos[1]) == proceso.pid:
            hijos.append(int(estado.parent.name))
    for pid in (*hijos, proceso.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proceso.wait(10)


def _arrancar_otro_trabajador(redis) -> None:
    """Otro trabajador arranca (aquí, en el proceso de la prueba: lo que hace al arrancar, y atiende lo que hay)."""
    db.session.close()
    cola.trabajar(burst=True, conexion=redis)
    db.session.expire_all()


def _pedir(tarea: str = "dormir") -> int:
    trabajo, _ = cola.pedir(tarea, {}, None, tarea.capitalize())
    db.session.commit()
    cola.despachar(trabajo)
    trabajo_id = trabajo.id
    db.session.close()  # SQLite: ninguna transacción de la prueba queda abierta frente al trabajador
    return trabajo_id


def test_un_trabajador_muerto_en_medio_de_un_trabajo_se_nota_y_reintentar_lo_termina(mundo_aparte):
    carpeta, url, redis = mundo_aparte
    (carpeta / "dormir").touch()
    trabajo_id = _pedir()
    trabajador = _trabajador(carpeta, url)
    try:
        _esperar(lambda: db.session.get(Trabajo, trabajo_id).estado is EstadoTrabajo.EN_CURSO)
        # El hilo del latido lo anota mientras la tarea duerme, sin pasos de progreso.
        primero = _esperar(lambda: db.session.get(Trabajo, trabajo_id).latido)
        _esperar(lambda: db.session.get(Trabajo, trabajo_id).latido > primero, 10)
        time.sleep(4)  # más que GESTION_TRABAJOS_SIN_LATIDO: vivo, sigue en curso
        assert not cola.revisar(db.session.get(Trabajo, trabajo_id))
        assert db.session.get(Trabajo, trabajo_id).estado is EstadoTrabajo.EN_CURSO
        db.session.rollback()
    finally:
        _matar(trabajador)

    time.sleep(3.5)  # GESTION_TRABAJOS_SIN_LATIDO sin latido
    assert cola.revisar(db.session.get(Trabajo, trabajo_id))
    db.session.commit()
    trabajo = db.session.get(Trabajo, trabajo_id)
    assert trabajo.estado is EstadoTrabajo.FALLIDO and trabajo.mensaje == cola.MURIO

    (carpeta / "dormir").unlink()
    time.sleep(1)  # si el proceso del trabajo siguiera vivo, ya habría terminado y escrito «Desperté.»
    db.session.expire_all()
    assert db.session.get(Trabajo, trabajo_id).estado is EstadoTrabajo.FALLIDO
    assert cola.reintentar(trabajo)
    db.session.commit()
    cola.despachar(trabajo)
    _arrancar_otro_trabajador(redis)
    db.session.expire_all()
    trabajo = db.session.get(Trabajo, trabajo_id)
    assert trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.mensaje == "Desperté." and trabajo.intentos == 2


def test_el_trabajador_hace_un_trabajo_tras_otro_cada_uno_con_su_conexion(mundo_aparte):
    """RQ corre cada trabajo en un proceso hijo (fork). Con la conexión heredada del padre, dos procesos hablaban
    por el mismo socket: en PostgreSQL un trabajo falló con «prepared statement "_pg3_1" does not exist» (lo que
    uno preparó no era lo que el otro creía que había). Cada trabajo abre la suya y no toca la del padre."""
    carpeta, url, _ = mundo_aparte
    pedidos = [_pedir("leer") for _ in range(3)]
    trabajador = _trabajador(carpeta, url)
    try:
        _esperar(lambda: db.session.get(Trabajo, pedidos[-1]).estado in (EstadoTrabajo.TERMINADO,
                                                                        EstadoTrabajo.FALLIDO), 60)
    finally:
        _matar(trabajador)
    db.session.expire_all()
    trabajos = [db.session.get(Trabajo, i) for i in pedidos]
    assert [(t.estado, t.mensaje) for t in trabajos] == [
        (EstadoTrabajo.TERMINADO, f"Leí {n} trabajo(s).") for n in (1, 2, 3)], trabajador.registro.read_text()
    if db.engine.dialect.name == "postgresql":  # tres sesiones del servidor, ninguna la del proceso padre
        sesiones = {t.datos["sesion"] for t in trabajos} | {t.datos["sesion_del_padre"] for t in trabajos}
        assert len(sesiones) == 4, sesiones


def test_al_arrancar_el_trabajador_marca_los_muertos_y_recupera_lo_que_la_cola_perdio(mundo_aparte):
    carpeta, url, redis = mundo_aparte
    (carpeta / "dormir").touch()
    muerto_id = _pedir()
    trabajador = _trabajador(carpeta, url)
    try:
        _esperar(lambda: db.session.get(Trabajo, muerto_id).estado is EstadoTrabajo.EN_CURSO)
    finally:
        _matar(trabajador)
    (carpeta / "dormir").unlink()
    perdido_id = _pedir()
    redis.flushall()  # la cola pierde el que esperaba
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == perdido_id).values(latido=_hace(30)))
    db.session.commit()
    db.session.close()
    time.sleep(3.5)

    _arrancar_otro_trabajador(redis)
    db.session.expire_all()
    muerto, perdido = db.session.get(Trabajo, muerto_id), db.session.get(Trabajo, perdido_id)
    assert muerto.estado is EstadoTrabajo.FALLIDO and muerto.mensaje == cola.MURIO
    assert perdido.estado is EstadoTrabajo.TERMINADO and perdido.mensaje == "Desperté."


def test_los_trabajadores_envian_solos_los_recordatorios_del_dia_una_sola_vez(mundo_aparte):
    """Sin cron: cada trabajador, al arrancar (y cada GESTION_RECORDATORIOS_CADA), envía lo que toca hoy; dos a la
    vez no lo repiten."""
    carpeta, url, _ = mundo_aparte
    fabrica = Fabrica()
    m = fabrica.mundo
    fabrica.usuarios_por_rol()
    fabrica.plan_accion(m.central)  # en formulación: aún sin enviar a la OAP
    hoy = formato.hoy()
    db.session.add(EtapaCronograma(vigencia=m.vigencia, fase=FaseCronograma.FORMULACION,
                                   inicio=hoy - timedelta(days=20), fin=hoy + timedelta(days=1)))
    db.session.commit()
    trabajadores = [_trabajador(carpeta, url), _trabajador(carpeta, url)]
    try:
        _esperar(lambda: db.session.scalar(sa.select(sa.func.count(Recordatorio.id))), 120)  # arrancar tarda
        time.sleep(3)  # el otro trabajador ya hizo su pasada
        filas = db.session.execute(sa.select(Recordatorio.destinatario, Recordatorio.fecha)).all()
        assert filas == [("director@prueba.gov.co", hoy)]
    finally:
        for trabajador in trabajadores:
            _matar(trabajador)
