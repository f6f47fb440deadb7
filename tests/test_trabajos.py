"""Trabajos largos: el informe, su remisión, el libro del PAI y las cargas grandes salen de la petición por
encima del umbral; se ve su progreso, el resultado se descarga solo dentro del alcance, lo fallido dice por qué
y se reintenta, y nada se envía dos veces. En la petición (por defecto) y en la cola de Redis (RQ)."""
import re
from datetime import date, datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.excel import informe as excel_informe
from gestion.planes import plan_accion
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, revision
from gestion.trabajos import cola
from modelos import Actividad, EstadoPlan, EstadoReporte, EstadoTrabajo, Plan, Trabajo, db

from .smtp import ServidorSmtp
from .test_consultas import _sentencias
from .test_importar_actividades import _fila, _libro
from .test_importar_avances import _abrir, _llenar

REDIS = "redis://127.0.0.1:6379/7"  # una base de Redis solo para estas pruebas


@pytest.fixture
def umbral_cero(app, contexto):
    """Todo es «grande»: cada informe, PAI o carga pasa por un trabajo."""
    antes = app.config["GESTION_TRABAJOS_UMBRAL"]
    app.config["GESTION_TRABAJOS_UMBRAL"] = 0
    yield
    app.config["GESTION_TRABAJOS_UMBRAL"] = antes


@pytest.fixture
def smtp(app, contexto):
    with ServidorSmtp(app) as servidor:
        yield servidor


@pytest.fixture
def informe(fabrica, usuarios):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.ACEPTADO)
    informe = revision.generar_informe(fabrica.mundo.vigencia, 1, usuarios[R.OAP])
    db.session.commit()
    return informe


def _trabajo(respuesta) -> Trabajo:
    assert respuesta.status_code == 302, respuesta.status_code
    numero = re.search(r"/admin/trabajo/ficha/\?id=(\d+)", respuesta.headers["Location"])
    assert numero, respuesta.headers["Location"]
    db.session.expire_all()
    return db.session.get(Trabajo, int(numero.group(1)))


def _remision(cliente, informe) -> str:
    html = cliente.texto(f"/admin/informeseguimiento/ficha/?id={informe.id}")
    return re.search(r'name="remision" value="([^"]+)"', html).group(1)


# --- en la petición ---------------------------------------------------------------------------------
def test_el_informe_grande_es_un_trabajo_con_progreso_y_su_libro_solo_dentro_del_alcance(
        app, navegador, usuarios, informe, umbral_cero, monkeypatch):
    vistos = []
    escribir = excel_informe.libro

    def libro_observado(*argumentos):
        # Mientras escribe, el progreso ya está confirmado en la base (otra página lo lee).
        with db.engine.connect() as conexion:
            vistos.append(tuple(conexion.execute(sa.text("SELECT estado, hechos, total, mensaje FROM trabajo")).one()))
        return escribir(*argumentos)

    monkeypatch.setattr(excel_informe, "libro", libro_observado)
    oap = navegador(usuarios[R.OAP])
    trabajo = _trabajo(oap.get(f"/admin/informeseguimiento/xlsx/?id={informe.id}"))
    assert vistos == [("en_curso", 1, 3, "Paso 2 de 3 · Escribiendo el libro.")]
    assert trabajo.estado is EstadoTrabajo.TERMINADO and (trabajo.hechos, trabajo.total) == (3, 3)
    assert trabajo.usuario_id == usuarios[R.OAP].id and trabajo.terminado_en is not None

    html = oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "Terminado" in html and "Descargar informe-seguimiento-2026-T1.xlsx" in html
    assert "data-recarga" not in html  # terminado: la página ya no se recarga
    respuesta = oap.get(f"/admin/trabajo/resultado/?id={trabajo.id}")
    assert respuesta.status_code == 200
    assert "informe-seguimiento-2026-T1.xlsx" in respuesta.headers["Content-Disposition"]
    assert load_workbook(BytesIO(respuesta.data))["Resumen por dependencia"]["E2"].value == 1
    assert "Libro del Informe 2026 T1" in oap.texto("/admin/trabajo/")

    # Otra persona de la OAP lo ve (trabaja en lo mismo); el director, Control Interno y un anónimo, no.
    assert navegador(usuarios[R.JEFE_OAP]).get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 200
    director = navegador(usuarios[R.DIRECTOR])
    assert director.get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 404
    assert director.get(f"/admin/trabajo/ficha/?id={trabajo.id}").status_code == 404
    assert "Libro del Informe" not in director.texto("/admin/trabajo/")
    assert navegador(usuarios[R.CONTROL_INTERNO]).get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 404
    assert "/login" in navegador().get(f"/admin/trabajo/resultado/?id={trabajo.id}").headers["Location"]
    assert navegador(usuarios[R.ADMINISTRADOR]).get("/admin/trabajo/").status_code == 403


def test_bajo_el_umbral_el_libro_sale_en_la_misma_respuesta(navegador, usuarios, informe):
    respuesta = navegador(usuarios[R.OAP]).get(f"/admin/informeseguimiento/xlsx/?id={informe.id}")
    assert respuesta.status_code == 200 and load_workbook(BytesIO(respuesta.data)).sheetnames
    assert db.session.scalar(sa.select(sa.func.count(Trabajo.id))) == 0


def test_un_trabajo_fallido_dice_por_que_y_se_reintenta_una_vez(navegador, usuarios, informe, umbral_cero,
                                                                 monkeypatch):
    calcular = cifras.cuadro
    monkeypatch.setattr(cifras, "cuadro", lambda *a, **k: 1 / 0)
    oap = navegador(usuarios[R.OAP])
    trabajo = _trabajo(oap.get(f"/admin/informeseguimiento/xlsx/?id={informe.id}"))
    assert trabajo.estado is EstadoTrabajo.FALLIDO and trabajo.archivo is None
    html = oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "Fallido" in html and "Algo falló de nuestro lado y no se guardó nada" in html and "Reintentar" in html
    assert oap.get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 404

    monkeypatch.setattr(cifras, "cuadro", calcular)
    html = oap.post("/admin/trabajo/reintentar/", data={"id": trabajo.id}, follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    trabajo = db.session.get(Trabajo, trabajo.id)
    assert trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.intentos == 2
    assert "El trabajo volvió a la cola." in html and "Descargar" in html
    assert oap.get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 200

    # Lo terminado no se rehace; quien no lo ve no lo reintenta.
    html = oap.post("/admin/trabajo/reintentar/", data={"id": trabajo.id}, follow_redirects=True).get_data(as_text=True)
    assert "Solo se reintenta un trabajo fallido" in html
    assert db.session.get(Trabajo, trabajo.id).intentos == 2
    assert navegador(usuarios[R.DIRECTOR]).post("/admin/trabajo/reintentar/", data={"id": trabajo.id}).status_code == 404

    # Uno que quedó «en curso» más allá del tiempo máximo (su trabajador murió) también se reintenta.
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo.id).values(
        estado=EstadoTrabajo.EN_CURSO, terminado_en=None, iniciado_en=datetime.now(timezone.utc) - timedelta(hours=2)))
    db.session.commit()
    assert "Reintentar" in oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    oap.post("/admin/trabajo/reintentar/", data={"id": trabajo.id})
    db.session.expire_all()
    assert db.session.get(Trabajo, trabajo.id).estado is EstadoTrabajo.TERMINADO
    assert navegador(usuarios[R.CONTROL_INTERNO]).post("/admin/trabajo/reintentar/",
                                                       data={"id": trabajo.id}).status_code == 403


def test_remitir_no_escribe_dos_veces_a_control_interno(app, navegador, usuarios, informe, smtp):
    oap = navegador(usuarios[R.OAP])
    remitir = {"id": informe.id, "remision": _remision(oap, informe)}
    correos = app.config["GESTION_CORREOS_CONTROL_INTERNO"]

    # Falla (sin destinatarios): dice por qué, no sale nada, no queda remitido.
    app.config["GESTION_CORREOS_CONTROL_INTERNO"] = []
    try:
        html = oap.post("/admin/informeseguimiento/remitir/", data=remitir, follow_redirects=True).get_data(as_text=True)
    finally:
        app.config["GESTION_CORREOS_CONTROL_INTERNO"] = correos
    assert "No hay correos de Control Interno configurados" in html
    [trabajo] = db.session.scalars(sa.select(Trabajo)).all()
    assert trabajo.estado is EstadoTrabajo.FALLIDO and smtp.buzon.mensajes == []

    # El reintento envía; el doble clic sobre la misma página, otro reintento o una segunda entrega, no.
    oap.post("/admin/trabajo/reintentar/", data={"id": trabajo.id})
    assert len(smtp.buzon.mensajes) == 1
    html = oap.post("/admin/informeseguimiento/remitir/", data=remitir, follow_redirects=True).get_data(as_text=True)
    assert "remitido a Control Interno (controlinterno@mintrabajo.gov.co)" in html
    oap.post("/admin/trabajo/reintentar/", data={"id": trabajo.id})
    cola.ejecutar(trabajo.id)
    assert len(smtp.buzon.mensajes) == 1
    assert db.session.scalar(sa.select(sa.func.count(Trabajo.id))) == 1
    destinatarios, mensaje = smtp.buzon.mensajes[0]
    assert destinatarios == ["controlinterno@mintrabajo.gov.co"] and "trimestre 1" in mensaje["Subject"]

    # «Volver a remitir» desde la página ya remitida es otro pedido: sale una vez más.
    oap.post("/admin/informeseguimiento/remitir/", data={"id": informe.id, "remision": _remision(oap, informe)})
    assert len(smtp.buzon.mensajes) == 2


def test_la_carga_grande_de_actividades_es_un_trabajo_todo_o_nada(app, navegador, usuarios, fabrica, umbral_cero):
    plan = fabrica.plan_accion(actividades=2)
    director = navegador(usuarios[R.DIRECTOR])
    # La plantilla que la app escribe (write_only, sin dimensión declarada) también cuenta sus filas.
    plantilla = director.get(f"/admin/planes_accion/plantilla_actividades/?id={plan.id}").data
    trabajo = _trabajo(director.post("/admin/planes_accion/cargar_actividades/",
                                     data={"id": plan.id, "archivo": (BytesIO(plantilla), "plantilla.xlsx")}))
    assert trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.mensaje.startswith("2 actividades cargadas")
    bueno = _libro([_fila("A1", peso=30), _fila("A2", peso=30), _fila("A3", peso=40)])
    trabajo = _trabajo(director.post("/admin/planes_accion/cargar_actividades/",
                                     data={"id": plan.id, "archivo": (BytesIO(bueno), "mis-actividades.xlsx")}))
    assert trabajo.estado is EstadoTrabajo.TERMINADO, trabajo.mensaje
    assert trabajo.mensaje == f"3 actividades cargadas desde Excel en «{db.session.get(Plan, plan.id)}»."
    assert trabajo.dependencia_id == plan.dependencia_id
    assert sorted(a.codigo for a in db.session.get(Plan, plan.id).actividades) == ["A1", "A2", "A3"]
    assert not (Path(app.config["GESTION_CARPETA_ARCHIVOS"]) / trabajo.parametros["entrada"]).exists()

    malo = _libro([_fila("A1", peso=30), _fila("A1", objetivo="NO-EXISTE")])
    # Un libro grande no se lee en la petición (ni para saber qué borraría): su trabajo dice qué está mal, antes
    # que lo que borraría (tests/test_previa_en_trabajo.py confirma los borrados desde la página del trabajo).
    trabajo = _trabajo(director.post("/admin/planes_accion/cargar_actividades/",
                                     data={"id": plan.id, "archivo": (BytesIO(malo), "mis-actividades.xlsx")}))
    assert trabajo.estado is EstadoTrabajo.FALLIDO
    assert any("ya está en la fila 2" in e for e in trabajo.errores)
    html = director.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "No se importó nada" in html and "Descargar errores-mis-actividades.xlsx" in html
    # El mismo libro volvería a fallar: se ofrece subir uno corregido y volver al plan, no «Reintentar».
    assert ">Reintentar<" not in html and "Cargar un archivo corregido" in html
    assert f'href="/admin/planes_accion/cargar_actividades/?id={plan.id}"' in html
    assert f'href="/admin/planes_accion/ficha/?id={plan.id}">Volver al plan' in html
    marcado = load_workbook(BytesIO(director.get(f"/admin/trabajo/resultado/?id={trabajo.id}").data))
    assert marcado["Actividades"]["A3"].comment is not None
    assert sorted(a.codigo for a in db.session.get(Plan, plan.id).actividades) == ["A1", "A2", "A3"]

    # La lista de trabajos no lee los errores ni los datos de cada uno (cientos de KB en una carga grande).
    lista = _sentencias(director, "/admin/trabajo/")
    assert lista and not [s for s in lista if "trabajo.errores" in s or "trabajo.datos" in s]

    # El director de otra dependencia no ve la carga ni su libro de errores.
    otro = navegador(usuarios["director2"])
    assert otro.get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 404
    assert "mis-actividades" not in otro.texto("/admin/trabajo/")


def test_la_carga_grande_de_avances_es_un_trabajo_de_su_dependencia(navegador, usuarios, fabrica, umbral_cero):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    director = navegador(usuarios[R.DIRECTOR])
    plantilla = director.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").data
    lleno = _llenar(plantilla, {"A1": {"Valor logrado": 10}, "A2": {"Valor logrado": 10}})
    trabajo = _trabajo(director.post(f"/admin/reportetrimestral/cargar/?id={reporte.id}",
                                     data={"archivo": (BytesIO(lleno), "avances.xlsx")}))
    assert trabajo.estado is EstadoTrabajo.TERMINADO, trabajo.mensaje
    assert trabajo.mensaje.startswith("Avances cargados desde Excel: 2 ítem(s)")
    db.session.expire_all()
    assert sorted(a.valor_logrado for a in db.session.get(type(reporte), reporte.id).avances) == [10, 10]
    assert navegador(usuarios["director2"]).get(f"/admin/trabajo/ficha/?id={trabajo.id}").status_code == 404
    assert navegador(usuarios[R.OAP]).get(f"/admin/trabajo/ficha/?id={trabajo.id}").status_code == 404


def test_el_pai_publicado_grande_se_prepara_una_vez_y_se_descarga(navegador, usuarios, fabrica, umbral_cero):
    fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    pai = plan_accion.consolidar(fabrica.mundo.vigencia, usuarios[R.OAP])
    plan_accion.presentar(pai, usuarios[R.JEFE_OAP], date(2026, 1, 24), "01-2026", None)
    plan_accion.publicar(pai, usuarios[R.JEFE_OAP])
    db.session.commit()
    publico = navegador()
    for _ in range(2):
        respuesta = publico.get(f"/publico/pai/{pai.id}.xlsx")
        assert respuesta.status_code == 200 and "PAI-2026-v1.xlsx" in respuesta.headers["Content-Disposition"]
        assert [f[1] for f in load_workbook(BytesIO(respuesta.data))["Actividades"].iter_rows(
            min_row=2, values_only=True)] == ["A1", "A2"]
    [trabajo] = db.session.scalars(sa.select(Trabajo)).all()  # la segunda descarga usa el libro guardado
    assert trabajo.publico and trabajo.usuario_id is None


# --- el progreso de una carga -----------------------------------------------------------------------
def _espiar_progreso(monkeypatch, plan_id: int) -> list[tuple]:
    """Cada progreso confirmado, leído por otra conexión como lo lee la página del trabajo (en PostgreSQL, otra
    sesión), con las actividades que el plan tiene en ese momento."""
    vistos = []
    marcar = cola._marcar

    def observado(trabajo_id, **valores):
        marcar(trabajo_id, **valores)
        with db.engine.connect() as conexion:
            fila = conexion.execute(sa.text("SELECT estado, hechos, total, mensaje FROM trabajo WHERE id = :id"),
                                    {"id": trabajo_id}).one()
            actividades = conexion.scalar(sa.select(sa.func.count(Actividad.id)).where(Actividad.plan_id == plan_id))
        vistos.append((*fila, actividades))

    monkeypatch.setattr(cola, "_marcar", observado)
    return vistos


def _grande(filas: int, error_en: int | None = None) -> bytes:
    """Un libro de `filas` actividades; con `error_en`, esa actividad repite el código de la primera."""
    return _libro([_fila("A1" if i == error_en else f"A{i}", peso=0) for i in range(1, filas + 1)])


@pytest.mark.parametrize("modo", ["peticion", "cola"])
def test_la_carga_grande_muestra_por_que_fila_va_y_luego_que_guarda(request, app, navegador, usuarios, fabrica,
                                                                     monkeypatch, modo):
    plan = fabrica.plan_accion(actividades=2)
    filas = app.config["GESTION_TRABAJOS_UMBRAL"] + 100  # sobre el umbral: va a un trabajo
    redis = request.getfixturevalue("cola_redis") if modo == "cola" else None
    vistos = _espiar_progreso(monkeypatch, plan.id)
    director = navegador(usuarios[R.DIRECTOR])
    trabajo = _trabajo(director.post("/admin/planes_accion/cargar_actividades/",
                                     data={"id": plan.id, "archivo": (BytesIO(_grande(filas)), "grande.xlsx")}))
    if redis is not None:
        assert trabajo.estado is EstadoTrabajo.EN_COLA and vistos == []  # lo hace el trabajador, no la petición
        _atender(redis)
        trabajo = db.session.get(Trabajo, trabajo.id)
    assert trabajo.estado is EstadoTrabajo.TERMINADO, trabajo.mensaje

    # Se lee y valida contando las filas de Excel (la de títulos es la 1), unos pocos commits, y luego se guarda.
    ultima, total = filas + 1, filas + 1 + (filas + 1) // 3
    validando = [f"Validando: fila {n} de 2.101." for n in ("2", "502", "1.002", "1.502", "2.002")]
    assert [v[3] for v in vistos] == ["Leyendo «grande.xlsx».", *validando, "Guardando 2.100 actividades (todo o nada)."]
    assert [v[1] for v in vistos] == [0, 2, 502, 1002, 1502, 2002, ultima]
    assert {v[0] for v in vistos} == {"en_curso"} and {v[2] for v in vistos[1:]} == {total}
    # Ningún progreso confirmó actividades a medias: el plan tenía las 2 de antes en cada uno.
    assert {v[4] for v in vistos} == {2}
    assert (trabajo.hechos, trabajo.total) == (total, total)
    assert len(db.session.get(Plan, plan.id).actividades) == filas


def test_la_carga_grande_rechazada_cuenta_sus_filas_y_no_guarda_nada(app, navegador, usuarios, fabrica, monkeypatch):
    plan = fabrica.plan_accion(actividades=2)
    antes = sorted(a.codigo for a in plan.actividades)
    vistos = _espiar_progreso(monkeypatch, plan.id)
    filas = app.config["GESTION_TRABAJOS_UMBRAL"] + 100
    director = navegador(usuarios[R.DIRECTOR])
    trabajo = _trabajo(director.post("/admin/planes_accion/cargar_actividades/", data={
        "id": plan.id, "archivo": (BytesIO(_grande(filas, error_en=1500)), "grande.xlsx")}))
    assert trabajo.estado is EstadoTrabajo.FALLIDO
    assert trabajo.errores == ["Fila 1501: el código «A1» ya está en la fila 2."]
    # Validó hasta el final y no llegó a guardar: ni el paso de guardar ni una actividad nueva.
    assert [v[3] for v in vistos][-2:] == ["Validando: fila 2.002 de 2.101.", trabajo.mensaje]
    assert not any("Guardando" in v[3] for v in vistos) and {v[4] for v in vistos} == {2}
    assert sorted(a.codigo for a in db.session.get(Plan, plan.id).actividades) == antes
    html = director.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "Fallido" in html and "Descargar errores-grande.xlsx" in html and 'role="progressbar"' not in html
    marcado = load_workbook(BytesIO(director.get(f"/admin/trabajo/resultado/?id={trabajo.id}").data))
    assert marcado["Actividades"]["A1501"].comment is not None


def test_la_carga_de_avances_cuenta_sus_filas_y_luego_guarda(navegador, usuarios, fabrica, umbral_cero, monkeypatch):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    vistos = _espiar_progreso(monkeypatch, plan.id)
    director = navegador(usuarios[R.DIRECTOR])
    plantilla = director.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").data  # sin dimensión declarada
    lleno = _llenar(plantilla, {"A1": {"Valor logrado": 10}, "A2": {"Valor logrado": 10}})
    trabajo = _trabajo(director.post(f"/admin/reportetrimestral/cargar/?id={reporte.id}",
                                     data={"archivo": (BytesIO(lleno), "avances.xlsx")}))
    assert trabajo.estado is EstadoTrabajo.TERMINADO, trabajo.mensaje
    assert [v[3] for v in vistos] == ["Leyendo «avances.xlsx».", "Validando: fila 2 de 3.",
                                      "Guardando 2 avances (todo o nada)."]


def test_la_pagina_del_trabajo_muestra_la_barra_con_el_mensaje(navegador, usuarios, fabrica, cola_redis):
    plan = fabrica.plan_accion(actividades=2)
    director = navegador(usuarios[R.DIRECTOR])
    trabajo = _trabajo(director.post("/admin/planes_accion/cargar_actividades/", data={
        "id": plan.id, "archivo": (BytesIO(_libro([_fila("A1"), _fila("A2")])), "actividades.xlsx")}))
    html = director.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert 'role="progressbar"' in html and 'aria-valuenow="0"' in html and "En cola." in html

    # Lo que el trabajador confirma mientras valida es lo que ve quien mira la página.
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo.id).values(
        estado=EstadoTrabajo.EN_CURSO, hechos=1002, total=2801, mensaje="Validando: fila 1.002 de 2.101."))
    db.session.commit()
    html = director.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert re.search(r'<div class="progress-bar[^"]*" role="progressbar"\s+style="width: 35%" '
                     r'aria-labelledby="progreso-mensaje" aria-valuemin="0"\s+aria-valuenow="1002" '
                     r'aria-valuemax="2801"\s+aria-valuetext="35 %: Validando: fila 1.002 de 2.101.">35 %</div>', html)
    assert '<span id="progreso-mensaje">Validando: fila 1.002 de 2.101.</span>' in html
    assert 'data-recarga="2"' in html and "35 %" in director.texto("/admin/trabajo/")


def test_el_progreso_no_se_anota_con_cambios_a_medias(contexto, fabrica):
    """Su commit confirmaría una carga incompleta: falla antes, y lo pendiente se deshace con el trabajo."""
    plan = fabrica.plan_accion(actividades=1)
    trabajo = Trabajo(tipo="importar_actividades", descripcion="Carga", parametros={}, total=1)
    db.session.add(trabajo)
    db.session.commit()
    trabajo_id = trabajo.id
    progreso = cola.Progreso(trabajo_id)
    plan.actividades[0].descripcion = "A medio guardar"
    with pytest.raises(RuntimeError):
        progreso.cuenta(10, 20, "Validando: fila 10 de 20.")
    db.session.flush()  # ya escrito en la transacción, aún sin confirmar
    with pytest.raises(RuntimeError):
        progreso.cuenta(10, 20, "Validando: fila 10 de 20.")
    db.session.rollback()
    assert db.session.get(Plan, plan.id).actividades[0].descripcion != "A medio guardar"
    assert db.session.get(Trabajo, trabajo_id).hechos == 0


# --- en la cola de Redis ----------------------------------------------------------------------------
@pytest.fixture
def cola_redis(app, contexto, umbral_cero):
    from redis import Redis

    conexion = Redis.from_url(REDIS)
    conexion.flushdb()
    app.config["GESTION_REDIS_URL"] = REDIS
    yield conexion
    app.config["GESTION_REDIS_URL"] = None
    conexion.flushdb()


def _atender(conexion) -> None:
    from rq import Queue, SimpleWorker

    db.session.commit()
    SimpleWorker([Queue(cola.COLA, connection=conexion)], connection=conexion).work(burst=True)
    db.session.expire_all()


def test_en_la_cola_el_trabajo_espera_al_trabajador_y_la_pagina_se_recarga(navegador, usuarios, informe, cola_redis):
    oap = navegador(usuarios[R.OAP])
    trabajo = _trabajo(oap.get(f"/admin/informeseguimiento/xlsx/?id={informe.id}"))
    assert trabajo.estado is EstadoTrabajo.EN_COLA
    html = oap.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "En cola" in html and 'data-recarga="2"' in html and "recarga.js" in html and "Descargar" not in html
    assert oap.get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 404

    _atender(cola_redis)
    trabajo = db.session.get(Trabajo, trabajo.id)
    assert trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.hechos == 3
    respuesta = oap.get(f"/admin/trabajo/resultado/?id={trabajo.id}")
    assert respuesta.status_code == 200 and load_workbook(BytesIO(respuesta.data))["Resumen por dependencia"]


def test_en_la_cola_la_remision_sale_una_sola_vez(navegador, usuarios, informe, cola_redis, smtp):
    oap = navegador(usuarios[R.OAP])
    remitir = {"id": informe.id, "remision": _remision(oap, informe)}
    primero = _trabajo(oap.post("/admin/informeseguimiento/remitir/", data=remitir))
    segundo = _trabajo(oap.post("/admin/informeseguimiento/remitir/", data=remitir))  # doble clic
    assert primero.id == segundo.id and primero.estado is EstadoTrabajo.EN_COLA
    assert smtp.buzon.mensajes == []

    _atender(cola_redis)
    cola.cola_rq().enqueue(cola.EN_EL_TRABAJADOR, primero.id)  # una entrega repetida
    _atender(cola_redis)
    assert len(smtp.buzon.mensajes) == 1
    trabajo = db.session.get(Trabajo, primero.id)
    assert trabajo.estado is EstadoTrabajo.TERMINADO and db.session.get(type(informe), informe.id).remitido_en
    # El trabajador corre como quien lo pidió: el historial y la auditoría lo nombran.
    assert db.session.get(type(informe), informe.id).remitido_por_id == usuarios[R.OAP].id


def test_si_redis_no_responde_el_trabajo_se_hace_en_la_peticion(app, navegador, usuarios, informe, umbral_cero):
    app.config["GESTION_REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        trabajo = _trabajo(navegador(usuarios[R.OAP]).get(f"/admin/informeseguimiento/xlsx/?id={informe.id}"))
    finally:
        app.config["GESTION_REDIS_URL"] = None
    assert trabajo.estado is EstadoTrabajo.TERMINADO


def test_un_mensaje_de_miles_de_caracteres_no_traba_el_trabajo(app, usuarios, contexto, monkeypatch):
    """Reemplazar ~1.400 actividades fallaba por el largo del mensaje del trabajo (34.033 caracteres): queda un
    resumen y el mensaje entero como archivo para descargar."""
    largo = "Se borraron " + ", ".join(f"META-{i:05d}" for i in range(3_000)) + "."
    tareas = dict(app.extensions["gestion_tareas"])
    tareas["mensaje_largo"] = cola.Tarea(lambda trabajo, usuario, progreso: cola.Resultado(largo), 1, "planes_accion")
    monkeypatch.setitem(app.extensions, "gestion_tareas", tareas)
    trabajo, _ = cola.pedir("mensaje_largo", {}, usuarios[R.OAP], "Mensaje largo")
    db.session.commit()
    cola.ejecutar(trabajo.id)
    trabajo = db.session.get(Trabajo, trabajo.id)
    assert trabajo.estado is EstadoTrabajo.TERMINADO and len(trabajo.mensaje) <= cola.LARGO_MENSAJE
    assert trabajo.mensaje.endswith("(el mensaje completo está en el archivo del trabajo)")
    assert trabajo.nombre_archivo == "mensaje-completo.txt"
    assert (cola.raiz() / trabajo.archivo).read_text() == largo
