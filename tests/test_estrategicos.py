"""Planes estratégicos (PES y PEI), actividades 1 a 6: quién lleva el plan de un estado a otro, con qué
acta, y que un plan que no cumple los puntos de control no se aprueba."""
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from gestion.base import correo
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import OperacionRechazada
from gestion.base.validacion import DatoInvalido
from gestion.planes import actas, estrategicos
from gestion.reglas import roles as R
from gestion.reglas.flujo import TransicionInvalida
from modelos import Acta, EstadoPlan, HistorialEstado, TipoPlan, db

E = EstadoPlan
COMITE = {TipoPlan.PES: R.COMITE_SECTORIAL, TipoPlan.PEI: R.COMITE_DIRECTIVO}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _hacer(accion, plan, usuario, numero="77-2023"):
    if accion == "concertar":
        return estrategicos.enviar_a_concertacion(plan, usuario)
    if accion == "observar":
        return estrategicos.registrar_observaciones(plan, usuario, "Precise la línea base del indicador 1.")
    if accion == "aprobar":
        return estrategicos.aprobar(plan, usuario, numero, date(2023, 3, 1), "Aprobado por unanimidad.")
    return estrategicos.publicar(plan, usuario)


def foto(plan):
    """Todo lo que una transición cambia: si un rechazo deja la foto igual, el plan quedó como estaba."""
    db.session.refresh(plan)
    historial = db.session.scalar(sa.select(sa.func.count(HistorialEstado.id)).where(
        HistorialEstado.objeto_tipo == "plan", HistorialEstado.objeto_id == plan.id))
    return (plan.estado, plan.version, plan.observaciones, plan.acta_aprobacion_id, plan.aprobado_por_id,
            plan.aprobado_en, plan.publicado_por_id, plan.publicado_en, historial,
            db.session.scalar(sa.select(sa.func.count(Acta.id))))


# (acción, estado de partida) → (roles que pueden, estado al que llega). Escrito a mano desde el procedimiento.
def permitidos(tipo, accion, estado):
    tabla = {
        ("concertar", E.BORRADOR): ({R.OAP, R.JEFE_OAP}, E.EN_CONCERTACION),
        ("observar", E.EN_CONCERTACION): ({COMITE[tipo]}, E.EN_CONCERTACION),
        ("aprobar", E.EN_CONCERTACION): ({COMITE[tipo]}, E.APROBADO),
        ("publicar", E.APROBADO): ({R.JEFE_OAP}, E.PUBLICADO),
    }
    return tabla.get((accion, estado), (set(), None))


@pytest.mark.parametrize("tipo", [TipoPlan.PES, TipoPlan.PEI])
@pytest.mark.parametrize("estado", [E.BORRADOR, E.EN_CONCERTACION, E.APROBADO, E.PUBLICADO])
@pytest.mark.parametrize("accion", ["concertar", "observar", "aprobar", "publicar"])
def test_tabla_de_transiciones(fabrica, usuarios, tipo, estado, accion):
    m = fabrica.mundo
    plan = m.pes if tipo is TipoPlan.PES else m.pei
    fabrica.llevar_estrategico_a(plan, estado)
    db.session.commit()
    roles_que_pueden, destino = permitidos(tipo, accion, estado)
    errores = []
    for rol in sorted(R.DESCRIPCIONES):
        antes = foto(plan)
        try:
            _hacer(accion, plan, usuarios[rol])
        except TransicionInvalida as error:
            if rol in roles_que_pueden:
                errores.append(f"{rol} debió poder: {error}")
            elif foto(plan) != antes:
                errores.append(f"{rol}: rechazado pero el plan cambió")
            elif not str(error):
                errores.append(f"{rol}: rechazo sin explicación")
        else:
            if rol not in roles_que_pueden:
                errores.append(f"{rol} no debió poder {accion} en {estado.value}")
            elif plan.estado is not destino:
                errores.append(f"{rol}: quedó {plan.estado.value}, esperado {destino.value}")
            else:
                ultima = db.session.scalars(sa.select(HistorialEstado).where(
                    HistorialEstado.objeto_id == plan.id).order_by(HistorialEstado.id.desc())).first()
                if (ultima.accion, ultima.usuario_id, ultima.estado_hasta) != (accion, usuarios[rol].id, destino.value):
                    errores.append(f"{rol}: historial incompleto")
        db.session.rollback()
        correo.descartar_pendientes()
    assert errores == []


def test_el_ciclo_completo_deja_historial_acta_y_avisos(fabrica, usuarios, app):
    plan = fabrica.mundo.pei
    with app.test_request_context():
        estrategicos.enviar_a_concertacion(plan, usuarios[R.OAP], "Versión para concertar.")
        estrategicos.registrar_observaciones(plan, usuarios[R.COMITE_DIRECTIVO], "Ajuste la meta 2026 del OI1-I1.")
        assert plan.observaciones == "Ajuste la meta 2026 del OI1-I1."
        estrategicos.aprobar(plan, usuarios[R.COMITE_DIRECTIVO], "05-2023", date(2023, 2, 20), "Se aprueba.")
        estrategicos.publicar(plan, usuarios[R.JEFE_OAP])
        from flask import g
        avisos = [(c.asunto, c.destinatarios) for c in g.correos_pendientes]
    db.session.commit()
    historial = db.session.scalars(sa.select(HistorialEstado).where(HistorialEstado.objeto_id == plan.id)
                                   .order_by(HistorialEstado.id)).all()
    assert [(h.accion, h.estado_hasta, h.usuario_id) for h in historial] == [
        ("concertar", "en_concertacion", usuarios[R.OAP].id),
        ("observar", "en_concertacion", usuarios[R.COMITE_DIRECTIVO].id),
        ("aprobar", "aprobado", usuarios[R.COMITE_DIRECTIVO].id),
        ("publicar", "publicado", usuarios[R.JEFE_OAP].id),
    ]
    assert historial[1].observacion == "Ajuste la meta 2026 del OI1-I1."
    acta = plan.acta_aprobacion
    assert (acta.numero, acta.fecha, acta.instancia.tipo.value) == ("05-2023", date(2023, 2, 20), "directivo")
    assert plan.aprobado_por_id == usuarios[R.COMITE_DIRECTIVO].id and plan.publicado_por_id == usuarios[R.JEFE_OAP].id
    assert avisos[0] == (f"{plan} está en concertación", [usuarios[R.COMITE_DIRECTIVO].email])
    assert any(destinatarios == [usuarios[R.JEFE_OAP].email] for _, destinatarios in avisos)


def test_las_observaciones_del_comite_son_obligatorias(fabrica, usuarios):
    plan = fabrica.mundo.pes
    fabrica.llevar_estrategico_a(plan, E.EN_CONCERTACION)
    db.session.commit()
    antes = foto(plan)
    with pytest.raises(DatoInvalido, match="Escriba las observaciones"):
        estrategicos.registrar_observaciones(plan, usuarios[R.COMITE_SECTORIAL], "   ")
    assert foto(plan) == antes


# --- el acta ----------------------------------------------------------------------------------------

@pytest.fixture
def pes_en_concertacion(fabrica, usuarios):
    plan = fabrica.mundo.pes
    fabrica.llevar_estrategico_a(plan, E.EN_CONCERTACION)
    db.session.commit()
    return plan


@pytest.mark.parametrize("numero, fecha, archivo, mensaje", [
    ("", date(2023, 3, 1), None, "número del acta"),
    ("x" * 41, date(2023, 3, 1), None, "hasta 40"),
    ("10-2023", None, None, "fecha del acta"),
    ("10-2023", date.today() + timedelta(days=1), None, "posterior a hoy"),
    ("10-2023", date(2023, 3, 1), ArchivoSubido("acta.docx", b"PK\x03\x04"), "tipo de archivo no permitido; se aceptan pdf"),
    ("10-2023", date(2023, 3, 1), ArchivoSubido("acta.pdf", b"<html>no soy un pdf</html>"), "el contenido no corresponde a un .pdf"),
    ("10-2023", date(2023, 3, 1), ArchivoSubido("acta.pdf", PDF + b"0" * 2048), "supera el tamaño máximo"),
])
def test_acta_invalida_no_aprueba(app, pes_en_concertacion, usuarios, numero, fecha, archivo, mensaje,
                                  monkeypatch):
    monkeypatch.setitem(app.config, "GESTION_TAMANO_MAXIMO_ARCHIVO", 1024)
    plan = pes_en_concertacion
    antes = foto(plan)
    with pytest.raises(OperacionRechazada, match=mensaje):
        estrategicos.aprobar(plan, usuarios[R.COMITE_SECTORIAL], numero, fecha, archivo=archivo)
    assert foto(plan) == antes


def test_numero_de_acta_repetido_en_el_mismo_comite(fabrica, usuarios, pes_en_concertacion):
    sectorial = estrategicos.instancia_que_aprueba(pes_en_concertacion)
    db.session.add(Acta(instancia=sectorial, numero="01-2023", fecha=date(2023, 1, 15), decisiones="Otra sesión."))
    db.session.commit()
    antes = foto(pes_en_concertacion)
    with pytest.raises(TransicionInvalida, match="Ya existe el acta 01-2023 del Comité Sectorial"):
        estrategicos.aprobar(pes_en_concertacion, usuarios[R.COMITE_SECTORIAL], "01-2023", date(2023, 3, 2))
    assert foto(pes_en_concertacion) == antes
    # El mismo número en otro comité es otra acta.
    pei = fabrica.mundo.pei
    fabrica.llevar_estrategico_a(pei, E.EN_CONCERTACION)
    estrategicos.aprobar(pei, usuarios[R.COMITE_DIRECTIVO], "01-2023", date(2023, 3, 2))
    assert pei.estado is E.APROBADO


def test_el_pdf_del_acta_se_guarda_con_nombre_generado(app, pes_en_concertacion, usuarios):
    archivo = ArchivoSubido("../../etc/acta oficial.PDF", PDF)
    estrategicos.aprobar(pes_en_concertacion, usuarios[R.COMITE_SECTORIAL], "03-2023", date(2023, 3, 1),
                         archivo=archivo)
    db.session.commit()
    acta = pes_en_concertacion.acta_aprobacion
    assert acta.archivo.startswith("actas/") and acta.archivo.endswith(".pdf")
    assert "oficial" not in acta.archivo and ".." not in acta.archivo
    ruta = Path(app.config["GESTION_CARPETA_ARCHIVOS"]) / acta.archivo
    assert ruta.read_bytes() == PDF
    assert actas.ruta(acta) == ruta.resolve()


# --- por HTTP, como cada rol ---------------------------------------------------------------------------

def _url(plan, accion=""):
    return f"/admin/planes_estrategicos/plan/{plan.id}" + (f"/{accion}" if accion else "")


def test_el_comite_aprueba_con_acta_pdf_desde_la_pagina_del_plan(app, navegador, usuarios, pes_en_concertacion):
    plan = pes_en_concertacion
    comite = navegador(usuarios[R.COMITE_SECTORIAL])
    html = comite.texto(_url(plan))
    assert "Aprobar con el acta del comité" in html and "Enviar a concertación</button>" not in html
    respuesta = comite.post(_url(plan, "aprobar"), data={
        "numero": "04-2023", "fecha": "2023-03-01", "decisiones": "Se aprueba.",
        "archivo": FileStorage(BytesIO(PDF), filename="acta.pdf", content_type="application/pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    html = respuesta.get_data(as_text=True)
    assert "quedó aprobado con el acta 04-2023" in html
    db.session.expire_all()
    assert plan.estado is E.APROBADO and plan.acta_aprobacion.numero == "04-2023"
    assert "Descargar el acta (PDF)" in html
    descarga = comite.get(_url(plan, "acta"))
    assert descarga.status_code == 200 and descarga.data == PDF
    # Control Interno lee el plan y su acta, pero no decide nada.
    lector = navegador(usuarios[R.CONTROL_INTERNO])
    assert "Lo que usted puede hacer ahora" not in lector.texto(_url(plan))
    assert lector.get(_url(plan, "acta")).status_code == 200


@pytest.mark.parametrize("rol, codigo, aprobado", [
    (R.COMITE_SECTORIAL, 302, True),
    (R.COMITE_DIRECTIVO, 302, False),
    (R.COMITE_INSTITUCIONAL, 302, False),
    (R.OAP, 302, False),
    (R.JEFE_OAP, 302, False),
    (R.CONTROL_INTERNO, 403, False),  # solo lectura: ningún POST del panel
    (R.DIRECTOR, 403, False),
    (R.ENTIDAD, 403, False),
    (R.ADMINISTRADOR, 403, False),
])
def test_aprobar_por_post_solo_el_comite_a_cargo(navegador, usuarios, pes_en_concertacion, rol, codigo, aprobado):
    plan = pes_en_concertacion
    antes = foto(plan)
    respuesta = navegador(usuarios[rol]).post(_url(plan, "aprobar"), data={"numero": "09-2023", "fecha": "01/03/2023"})
    assert respuesta.status_code == codigo
    db.session.expire_all()
    assert (plan.estado is E.APROBADO) == aprobado
    if not aprobado:
        assert foto(plan) == antes


def test_post_sin_token_csrf_no_cambia_el_plan(navegador, usuarios, pes_en_concertacion):
    antes = foto(pes_en_concertacion)
    respuesta = navegador(usuarios[R.COMITE_SECTORIAL]).post(
        _url(pes_en_concertacion, "aprobar"), data={"numero": "09-2023", "fecha": "01/03/2023"}, csrf=False)
    assert respuesta.status_code == 400
    assert foto(pes_en_concertacion) == antes


def test_rechazo_por_http_se_explica_y_no_cambia_nada(navegador, usuarios, fabrica):
    plan = fabrica.mundo.pes
    antes = foto(plan)
    html = navegador(usuarios[R.JEFE_OAP]).post(_url(plan, "publicar"), follow_redirects=True).get_data(as_text=True)
    assert "solo se puede «publicar» si está aprobado" in html
    assert foto(plan) == antes


def test_concertar_observar_y_publicar_por_http(navegador, usuarios, fabrica):
    plan = fabrica.mundo.pes
    oap = navegador(usuarios[R.OAP])
    assert "quedó en concertación" in oap.post(_url(plan, "concertar"), follow_redirects=True).get_data(as_text=True)
    comite = navegador(usuarios[R.COMITE_SECTORIAL])
    html = comite.post(_url(plan, "observar"), data={"observacion": "Incluya la meta de 2026."},
                       follow_redirects=True).get_data(as_text=True)
    assert "Observaciones de concertación registradas" in html and "Incluya la meta de 2026." in html
    comite.post(_url(plan, "aprobar"), data={"numero": "12-2023", "fecha": "01/03/2023"})
    html = navegador(usuarios[R.JEFE_OAP]).post(_url(plan, "publicar"), follow_redirects=True).get_data(as_text=True)
    assert "quedó publicado" in html
    db.session.expire_all()
    assert plan.estado is E.PUBLICADO


# --- acciones masivas de la lista -------------------------------------------------------------------------

def test_accion_masiva_concertar_informa_por_plan(navegador, usuarios, fabrica):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pei, E.APROBADO)
    db.session.commit()
    antes_pei = foto(m.pei)
    html = navegador(usuarios[R.OAP]).post("/admin/planes_estrategicos/action/", data={
        "action": "concertar", "rowid": [m.pes.id, m.pei.id]}, follow_redirects=True).get_data(as_text=True)
    assert "1 enviado(s) a concertación; 1 omitido(s)." in html
    assert f"«{m.pes}»: enviado a concertación." in html
    assert f"«{m.pei}» está aprobado" in html
    db.session.expire_all()
    assert m.pes.estado is E.EN_CONCERTACION
    assert foto(m.pei) == antes_pei


@pytest.mark.parametrize("rol, accion", [(R.COMITE_SECTORIAL, "concertar"), (R.CONTROL_INTERNO, "concertar"),
                                         (R.OAP, "publicar"), (R.COMITE_DIRECTIVO, "publicar")])
def test_accion_masiva_de_otro_rol_se_rechaza(navegador, usuarios, fabrica, rol, accion):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pes, E.APROBADO)
    db.session.commit()
    antes = foto(m.pes), foto(m.pei)
    cliente = navegador(usuarios[rol])
    assert f'value="{accion}"' not in cliente.texto("/admin/planes_estrategicos/")
    respuesta = cliente.post("/admin/planes_estrategicos/action/", data={"action": accion,
                                                                         "rowid": [m.pes.id, m.pei.id]})
    assert respuesta.status_code == 403
    assert (foto(m.pes), foto(m.pei)) == antes


def test_accion_masiva_publicar_del_jefe(navegador, usuarios, fabrica):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pes, E.APROBADO)
    db.session.commit()
    html = navegador(usuarios[R.JEFE_OAP]).post("/admin/planes_estrategicos/action/", data={
        "action": "publicar", "rowid": [m.pes.id, m.pei.id]}, follow_redirects=True).get_data(as_text=True)
    assert "1 publicado(s); 1 omitido(s)." in html and f"«{m.pes}»: publicado." in html
    db.session.expire_all()
    assert (m.pes.estado, m.pei.estado) == (E.PUBLICADO, E.BORRADOR)


# --- la página del plan -----------------------------------------------------------------------------------

def test_pagina_del_plan_muestra_jerarquia_alineacion_chequeo_acta_e_historial(navegador, usuarios, fabrica):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pei, E.APROBADO)
    db.session.commit()
    html = navegador(usuarios[R.JEFE_OAP]).texto(_url(m.pei))
    for texto in ("OI1 Aumentar la formalización laboral", "OI1-I1 Personas formalizadas", "T2.L1.O1",
                  "OS1 Aumentar la formalización laboral", "Planeación Institucional", "Puntos de control",
                  "Acta PEI-", "Comité Directivo", "Enviar a concertación", "Aprobar", "Publicar"):
        assert texto in html, texto
    for anio, meta in ((2023, "100"), (2026, "130")):
        assert f">{anio}</th>" in html and f">{meta}</td>" in html
    assert "Sí, publicar</button>" in html  # el Jefe OAP puede publicar lo aprobado, tras leer qué pasará


@pytest.mark.parametrize("rol, codigo", [(R.DIRECTOR, 403), (R.TERRITORIAL, 403), (R.ENTIDAD, 403),
                                         (R.ADMINISTRADOR, 403), (R.COMITE_INSTITUCIONAL, 200),
                                         (R.CONTROL_INTERNO, 200)])
def test_quien_ve_la_pagina_del_plan(navegador, usuarios, fabrica, rol, codigo):
    plan = fabrica.mundo.pes
    cliente = navegador(usuarios[rol])
    assert cliente.get(_url(plan)).status_code == codigo
    assert cliente.get(_url(plan, "excel")).status_code == codigo


def test_un_plan_de_accion_no_se_abre_como_estrategico(navegador, usuarios, fabrica):
    pa = fabrica.plan_accion()
    assert navegador(usuarios[R.OAP]).get(_url(pa)).status_code == 404
