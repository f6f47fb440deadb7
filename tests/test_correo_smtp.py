"""El correo por un servidor SMTP de verdad (aiosmtpd en un puerto local): lo que llega, con su enlace y sus
adjuntos; un servidor caído no pierde el correo; los recordatorios llegan solo a quien no ha enviado, una vez."""
from datetime import date, timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base import correo
from gestion.planes import plan_accion
from gestion.reglas import roles as R
from gestion.seguimiento import recordatorios, revision
from modelos import CorreoPendiente, EstadoPlan, EtapaCronograma, FaseCronograma, Recordatorio, db

from .smtp import ServidorSmtp

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
    assert "Plan de acción recibido" in navegador(usuarios[R.OAP]).texto("/admin/correopendiente/")

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


def test_recordatorio_del_reporte_a_quien_no_lo_ha_enviado(fabrica, usuarios, smtp):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    otro = fabrica.plan_accion(m.central2, E.APROBADO)
    fabrica.reporte(otro, 1, {"A1": 10, "A2": 10})
    ventana = fabrica.ventana(1)
    nuevos = recordatorios.enviar(ventana.cierra + timedelta(days=2))  # dos días después del cierre
    assert [(r.dependencia_id, r.desfase) for r in nuevos] == [(m.central.id, -2)]
    db.session.commit()
    correo.enviar_pendientes()
    assert "venció hace 2 días" in smtp.buzon.asuntos()[-1]
    assert plan.dependencia.nombre in smtp.buzon.cuerpo()
