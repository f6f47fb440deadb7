"""El correo por un servidor SMTP de verdad (aiosmtpd en un puerto local): lo que llega, con su enlace y sus
adjuntos; un servidor caído no pierde el correo; los recordatorios llegan solo a quien no ha enviado, una vez."""
import threading
from datetime import date, datetime, timedelta, timezone
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base import correo, formato
from gestion.planes import plan_accion
from gestion.reglas import roles as R
from gestion.seguimiento import recordatorios, revision
from gestion.trabajos import programados
from modelos import CorreoPendiente, EstadoPlan, EtapaCronograma, FaseCronograma, Recordatorio, db, en_momento

from .smtp import ServidorSmtp
from .test_consultas import _sentencias

E = EstadoPlan
HOY = date(2026, 11, 20)


@pytest.fixture
def smtp(app, contexto):
    app.config["GESTION_URL_BASE"] = "https://planes.mintrabajo.gov.co"
    with ServidorSmtp(app) as servidor:
        yield servidor
    app.config["GESTION_URL_BASE"] = None


def test_la_devolucion_y_el_informe_a_control_interno_llegan_por_smtp(fabrica, usuarios, navegador, smtp):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.ENVIADO)
    oap = navegador(usuarios[R.OAP])
    oap.post("/admin/planes_accion/devolver/", data={"id": plan.id, "observacion": "Precise la meta de A1."})
    destinatarios, mensaje = smtp.buzon.mensajes[-1]
    assert destinatarios == ["director@prueba.gov.co"] and "devuelto" in mensaje["Subject"]
    cuerpo = smtp.buzon.cuerpo()
    assert "Precise la meta de A1." in cuerpo and f"/admin/planes_accion/ficha/?id={plan.id}" in cuerpo

    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    db.session.commit()
    oap.post("/admin/informeseguimiento/remitir/", data={"id": informe.id})
    destinatarios, mensaje = smtp.buzon.mensajes[-1]
    assert destinatarios == ["controlinterno@mintrabajo.gov.co"]
    assert f"/admin/informeseguimiento/ficha/?id={informe.id}" in smtp.buzon.cuerpo()
    [adjunto] = list(mensaje.iter_attachments())
    libro = load_workbook(BytesIO(adjunto.get_content()))
    assert libro.sheetnames


def test_un_servidor_caido_no_pierde_el_correo(app, fabrica, usuarios, navegador, smtp):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central)
    smtp.detener()
    respuesta = navegador(usuarios[R.DIRECTOR]).post("/admin/planes_accion/enviar/", data={"id": plan.id},
                                                      follow_redirects=True)
    assert respuesta.status_code == 200
    db.session.expire_all()
    assert db.session.get(type(plan), plan.id).estado is E.ENVIADO  # la operación quedó hecha
    [pendiente] = db.session.scalars(sa.select(CorreoPendiente)).all()
    assert "recibido" in pendiente.asunto and pendiente.enviado_en is None
    oap = navegador(usuarios[R.OAP])
    # La lista y la ficha no leen el .eml (con un informe adjunto pesa megas): solo el reenvío.
    sentencias = _sentencias(oap, "/admin/correopendiente/")
    assert sentencias and not [s for s in sentencias if "correo_pendiente.mensaje" in s]
    assert "Plan de acción recibido" in oap.texto("/admin/correopendiente/")
    ficha = oap.texto(f"/admin/correopendiente/details/?id={pendiente.id}")
    assert "Plan de acción recibido" in ficha and "Content-Type" not in ficha

    with ServidorSmtp(app) as otro:
        assert correo.reintentar_pendientes() == (1, 0)
        assert [m_["Subject"] for _, m_ in otro.buzon.mensajes] == [pendiente.asunto]
    db.session.refresh(pendiente)
    assert pendiente.enviado_en is not None and pendiente.intentos == 1


def test_recordatorios_solo_a_quien_no_ha_enviado_y_una_vez_por_punto_de_la_cadencia(fabrica, usuarios, navegador,
                                                                                    smtp):
    m = fabrica.mundo
    db.session.add(EtapaCronograma(vigencia=m.vigencia, fase=FaseCronograma.FORMULACION,
                                   inicio=HOY - timedelta(days=20), fin=HOY + timedelta(days=5)))
    sin_enviar = fabrica.plan_accion(m.central)
    fabrica.plan_accion(m.central2, E.ENVIADO)
    db.session.commit()

    nuevos = recordatorios.enviar(HOY)
    db.session.commit()
    correo.enviar_pendientes()
    assert [(r.dependencia_id, r.desfase) for r in nuevos] == [(m.central.id, 5)]
    destinatarios, mensaje = smtp.buzon.mensajes[-1]
    assert destinatarios == ["director@prueba.gov.co"] and "vence en 5 días" in mensaje["Subject"]
    assert f"https://planes.mintrabajo.gov.co/admin/planes_accion/ficha/?id={sin_enviar.id}" in smtp.buzon.cuerpo()

    # El mismo día otra vez, o un día fuera de la cadencia: nada. Un día antes del plazo: otra vez.
    assert recordatorios.enviar(HOY) == [] and recordatorios.enviar(HOY + timedelta(days=1)) == []
    assert [r.desfase for r in recordatorios.enviar(HOY + timedelta(days=4))] == [1]
    plan_accion.enviar(sin_enviar, usuarios[R.DIRECTOR])
    assert recordatorios.enviar(HOY + timedelta(days=7)) == []  # ya envió: no se le recuerda después
    db.session.commit()
    html = navegador(usuarios[R.OAP]).texto("/admin/recordatorio/")
    assert "Envío del Plan de Acción 2026 a la OAP" in html and "director@prueba.gov.co" in html
    assert navegador(usuarios[R.DIRECTOR]).get("/admin/recordatorio/").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Recordatorio.id))) == 2


def test_recordatorio_del_reporte_mientras_la_ventana_esta_abierta_para_quien_no_lo_ha_enviado(fabrica, usuarios,
                                                                                                smtp):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    otro = fabrica.plan_accion(m.central2, E.APROBADO)
    fabrica.reporte(otro, 1, {"A1": 10, "A2": 10})
    ventana = fabrica.ventana(1)  # cierra en cinco días
    hoy = formato.hoy()
    nuevos = recordatorios.enviar(hoy)
    assert [(r.dependencia_id, r.desfase, r.destinatario) for r in nuevos] == [
        (m.central.id, 5, "director@prueba.gov.co")]
    assert "vence en 5 días, el" in smtp.buzon.cuerpo() and plan.dependencia.nombre in smtp.buzon.cuerpo()
    # Cerrada, no se recuerda lo que ya no se puede enviar; reabierta para la dependencia, sí, con su nuevo cierre.
    assert recordatorios.enviar(ventana.cierra + timedelta(days=2)) == []
    fabrica.ventana(1, abierta=False)
    revision.reabrir_ventana(ventana, m.central, "Falla del aplicativo", hoy + timedelta(days=2), usuarios[R.OAP])
    db.session.commit()
    manana = hoy + timedelta(days=1)
    assert [(r.dependencia_id, r.desfase) for r in recordatorios.enviar(manana)] == [(m.central.id, 1)]
    assert f"vence en 1 día, el {hoy + timedelta(days=2):%d/%m/%Y}" in smtp.buzon.cuerpo()
    assert len(smtp.buzon.mensajes) == 2


def test_a_la_oap_sus_etapas_del_cronograma_y_los_reportes_que_esperan_revision(app, fabrica, usuarios, smtp):
    m = fabrica.mundo
    db.session.add(EtapaCronograma(vigencia=m.vigencia, fase=FaseCronograma.CONSOLIDACION,
                                   inicio=HOY - timedelta(days=10), fin=HOY + timedelta(days=5)))
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})  # enviado hoy, por revisar
    reporte.enviado_en = datetime(2026, 11, 15, 15, tzinfo=timezone.utc)  # cinco días antes de HOY
    db.session.commit()
    oap = sorted(u.email for u in (usuarios[R.OAP], usuarios[R.JEFE_OAP]))

    nuevos = recordatorios.enviar(HOY)
    assert sorted((r.paso, r.destinatario) for r in nuevos) == sorted(
        [("cronograma-2026-consolidacion", c) for c in oap] + [("revision", c) for c in oap])
    asuntos = smtp.buzon.asuntos()
    assert "Cronograma: Consolidación del Plan de Acción 2026 vence en 5 días" in asuntos
    assert "Revisión: 1 reporte(s) esperan 5 días o más" in asuntos
    assert any("T1 2026: 5 días" in smtp.buzon.cuerpo(i) for i in range(len(asuntos)))
    # Al día siguiente nada: 6 días de espera no es punto de la cadencia. A los 10, otra vez.
    assert recordatorios.enviar(HOY + timedelta(days=1)) == []
    assert {r.paso for r in recordatorios.enviar(HOY + timedelta(days=5))} == {"revision"}
    app.config["GESTION_RECORDATORIO_REVISION_DIAS"] = 3
    try:
        assert recordatorios.enviar(HOY + timedelta(days=6)) == []  # 11 días: no es múltiplo de 3
    finally:
        app.config["GESTION_RECORDATORIO_REVISION_DIAS"] = 5
    # Publicado el PAI, la consolidación ya no está pendiente: un día antes de su fin no se recuerda.
    fabrica.publicar_pai()
    assert recordatorios.enviar(HOY + timedelta(days=4)) == []


def test_recordatorios_por_la_orden_y_por_el_trabajador_nunca_dos_veces(app, fabrica, usuarios, smtp):
    m = fabrica.mundo
    db.session.add(EtapaCronograma(vigencia=m.vigencia, fase=FaseCronograma.FORMULACION,
                                   inicio=HOY - timedelta(days=20), fin=HOY + timedelta(days=1)))
    fabrica.plan_accion(m.central)
    fabrica.plan_accion(m.central2)
    db.session.commit()
    corredor = app.test_cli_runner()
    primera = corredor.invoke(args=["gestion", "recordatorios", "--hoy", f"{HOY:%d/%m/%Y}"])
    assert "Recordatorios enviados: 2." in primera.output
    segunda = corredor.invoke(args=["gestion", "recordatorios", "--hoy", f"{HOY:%d/%m/%Y}"])
    assert "Recordatorios enviados: 0." in segunda.output
    assert len(smtp.buzon.mensajes) == 2
    with en_momento(datetime(2026, 11, 20, 15, tzinfo=timezone.utc)):  # el trabajador, el mismo día
        assert programados.recordar(app) == 0
    assert db.session.scalar(sa.select(sa.func.count(Recordatorio.id)).where(Recordatorio.fecha == HOY)) == 2


def test_dos_pasadas_a_la_vez_no_repiten_un_recordatorio(app, fabrica, usuarios, smtp):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("la carrera necesita dos conexiones que compitan: corre en la pasada de PostgreSQL")
    m = fabrica.mundo
    db.session.add(EtapaCronograma(vigencia=m.vigencia, fase=FaseCronograma.FORMULACION,
                                   inicio=HOY - timedelta(days=20), fin=HOY + timedelta(days=5)))
    for i in range(8):
        dependencia = fabrica.dependencia(f"R{i}")
        fabrica.usuario(R.DIRECTOR, dependencia, email=f"director.r{i}@prueba.gov.co")
        fabrica.plan_accion(dependencia)
    db.session.commit()
    barrera, enviados = threading.Barrier(2), []

    def pasada():
        with app.app_context():
            barrera.wait()
            enviados.extend(r.id for r in recordatorios.enviar(HOY))
            db.session.remove()

    hilos = [threading.Thread(target=pasada) for _ in range(2)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join()
    filas = db.session.scalar(sa.select(sa.func.count(Recordatorio.id)))
    assert len(enviados) == filas == len(smtp.buzon.mensajes) == 8
