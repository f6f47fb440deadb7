"""El seguimiento por HTTP, como cada rol: reporte con evidencia, revisión, ventanas, informes y comités."""
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage

from gestion.base import formato
from gestion.base.extensiones import mail
from gestion.reglas import roles as R
from gestion.reglas import ventanas
from gestion.seguimiento import consultas, reportes, revision
from modelos import (
    AccionDerivada,
    EstadoAccion,
    EstadoPlan,
    EstadoReporte,
    EtapaCronograma,
    FaseCronograma,
    InformeSeguimiento,
    Instancia,
    ReaperturaVentana,
    ReporteTrimestral,
    db,
)

PDF = b"%PDF-1.4\n%evidencia\n"


@pytest.fixture
def plan(fabrica, usuarios):
    return fabrica.plan_accion(estado=EstadoPlan.APROBADO)


def _formulario(reporte, **valores):
    datos = {}
    for avance in reporte.avances:
        codigo = avance.actividad.codigo
        datos[f"valor-{avance.id}"] = valores.get(codigo, "10")
        datos[f"justificacion-{avance.id}"] = valores.get(f"j{codigo}", "")
        datos[f"comprometido-{avance.id}"] = "0"
        datos[f"pagado-{avance.id}"] = "0"
    return datos


def test_el_director_reporta_con_evidencia_y_envia(app, navegador, fabrica, usuarios, plan):
    fabrica.ventana(1)
    cliente = navegador(usuarios[R.DIRECTOR])
    assert "Reportar T1" in cliente.texto("/admin/reportetrimestral/nuevo/?vigencia=2026")
    respuesta = cliente.post("/admin/reportetrimestral/nuevo/", data={
        "plan_id": plan.id, "vigencia_id": fabrica.mundo.vigencia.id, "trimestre": 1})
    reporte = db.session.scalar(sa.select(ReporteTrimestral))
    assert respuesta.status_code == 302 and f"/ficha/?id={reporte.id}" in respuesta.headers["Location"]

    a1 = reporte.avances[0]
    carpeta = Path(app.config["GESTION_CARPETA_ARCHIVOS"]) / reportes.CARPETA_EVIDENCIAS
    carpeta.mkdir(parents=True, exist_ok=True)
    archivos_antes = set(carpeta.iterdir())
    datos = _formulario(reporte, A2="4")  # por debajo de 10, sin justificación
    datos[f"archivo-{a1.id}"] = (BytesIO(PDF), "acta.pdf")
    html = cliente.post(f"/admin/reportetrimestral/guardar/?id={reporte.id}", data=datos,
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "escriba la justificación" in html
    # El archivo no se puede devolver al formulario: la página lo nombra y pide elegirlo otra vez.
    assert "Elija otra vez «acta.pdf»: no se guardó porque el formulario tenía errores." in html
    db.session.expire_all()
    assert [a.valor_logrado for a in reporte.avances] == [0, 0] and a1.evidencia_archivo is None
    assert set(carpeta.iterdir()) == archivos_antes  # el archivo de un guardado fallido no queda

    datos = _formulario(reporte, A2="4", jA2="Contratista retirado en marzo.")
    datos[f"archivo-{a1.id}"] = (BytesIO(PDF), "acta.pdf")
    respuesta = cliente.post(f"/admin/reportetrimestral/guardar/?id={reporte.id}", data=datos,
                             content_type="multipart/form-data")
    assert respuesta.status_code == 302
    db.session.expire_all()
    assert [a.valor_logrado for a in reporte.avances] == [10, 4]
    assert reportes.ruta_evidencia(reporte.avances[0]).read_bytes() == PDF

    ficha = cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    aviso = ficha.split('<details class="confirmacion')[1].split("</details>")[0]
    assert "Se envía a la Oficina Asesora de Planeación el reporte del trimestre 1 de 2026" in aviso
    assert "Sí, enviar el reporte a la OAP</button>" in aviso
    cliente.post(f"/admin/reportetrimestral/enviar/?id={reporte.id}")
    db.session.expire_all()
    assert reporte.estado is EstadoReporte.REPORTADO


def test_el_formulario_devuelve_las_cifras_como_se_escriben_aqui_con_sus_centavos(navegador, fabrica, usuarios,
                                                                                  plan):
    fabrica.ventana(1)
    reporte = fabrica.reporte(plan, 1, {"A1": 0, "A2": 0}, estado=EstadoReporte.EN_REPORTE)
    a1 = reporte.avances[0]
    cliente = navegador(usuarios[R.DIRECTOR])
    datos = _formulario(reporte)
    datos[f"comprometido-{a1.id}"], datos[f"pagado-{a1.id}"] = "250.000.000", "1.050.000,50"
    assert cliente.post(f"/admin/reportetrimestral/guardar/?id={reporte.id}", data=datos).status_code == 302
    html = cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    assert f'name="comprometido-{a1.id}" inputmode="decimal" placeholder="Comprometido" value="250.000.000"' in html
    assert f'name="pagado-{a1.id}" inputmode="decimal" placeholder="Pagado" value="1.050.000,50"' in html
    assert f'name="valor-{a1.id}" inputmode="decimal" value="10"' in html
    assert "250000000.00" not in html and "1050000.50" not in html
    # Guardado otra vez sin tocarlo, lo que el formulario trae vuelve igual.
    datos[f"comprometido-{a1.id}"], datos[f"pagado-{a1.id}"] = "250.000.000", "1.050.000,50"
    assert cliente.post(f"/admin/reportetrimestral/guardar/?id={reporte.id}", data=datos).status_code == 302
    db.session.expire_all()
    assert (a1.presupuesto_comprometido, a1.presupuesto_pagado) == (250_000_000, Decimal("1050000.50"))
    reporte.estado = EstadoReporte.REPORTADO
    db.session.commit()
    leido = cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    assert "Pagado $ 1.050.000,50" in leido and "Comprometido $ 250.000.000" in leido


def test_con_la_ventana_cerrada_el_formulario_es_de_solo_lectura(navegador, fabrica, usuarios, plan):
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    fabrica.ventana(1, abierta=False)
    cliente = navegador(usuarios[R.DIRECTOR])
    html = cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    assert "solo lectura" in html and "Guardar avances" not in html
    html = cliente.post(f"/admin/reportetrimestral/guardar/?id={reporte.id}",
                        data=_formulario(reporte, A1="3", jA1="x")).get_data(as_text=True)
    assert "solo lectura" in html
    db.session.expire_all()
    assert reporte.avances[0].valor_logrado == 10
    assert "Ventana cerrada" in cliente.texto("/admin/reportetrimestral/nuevo/?vigencia=2026")


def test_otra_dependencia_no_ve_ni_toca_el_reporte(navegador, fabrica, usuarios, plan):
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    cliente = navegador(usuarios["director2"])
    assert cliente.get(f"/admin/reportetrimestral/ficha/?id={reporte.id}").status_code == 404
    assert cliente.post(f"/admin/reportetrimestral/guardar/?id={reporte.id}",
                        data=_formulario(reporte, A1="1", jA1="x")).status_code == 404
    assert cliente.post(f"/admin/reportetrimestral/enviar/?id={reporte.id}").status_code == 404
    db.session.expire_all()
    assert reporte.avances[0].valor_logrado == 10 and reporte.estado is EstadoReporte.EN_REPORTE


def test_revision_de_la_oap_por_http(navegador, fabrica, usuarios, plan):
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    director = navegador(usuarios[R.DIRECTOR])
    assert director.post(f"/admin/reportetrimestral/aceptar/?id={reporte.id}").status_code == 403
    assert navegador(usuarios[R.CONTROL_INTERNO]).post(
        f"/admin/reportetrimestral/devolver/?id={reporte.id}", data={"observaciones": "x"}).status_code == 403

    oap = navegador(usuarios[R.OAP])
    assert "Devolver con observaciones" in oap.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    html = oap.post(f"/admin/reportetrimestral/devolver/?id={reporte.id}", data={"observaciones": ""},
                    follow_redirects=True).get_data(as_text=True)
    assert "son obligatorias para «devolver el reporte»" in html
    oap.post(f"/admin/reportetrimestral/devolver/?id={reporte.id}", data={"observaciones": "Adjunte evidencia."})
    db.session.expire_all()
    assert reporte.estado is EstadoReporte.DEVUELTO
    assert "Adjunte evidencia." in director.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")


def test_aceptacion_en_bloque_informa_cada_reporte(navegador, fabrica, usuarios, plan):
    m = fabrica.mundo
    enviado = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    borrador = fabrica.reporte(otro, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    html = navegador(usuarios[R.OAP]).post("/admin/reportetrimestral/action/", data={
        "action": "aceptar", "rowid": [enviado.id, borrador.id]}, follow_redirects=True).get_data(as_text=True)
    assert "aceptado." in html and "solo se puede «aceptar el reporte» si está reportado" in html
    db.session.expire_all()
    assert (enviado.estado, borrador.estado) == (EstadoReporte.ACEPTADO, EstadoReporte.EN_REPORTE)
    assert navegador(usuarios[R.DIRECTOR]).post("/admin/reportetrimestral/action/", data={
        "action": "aceptar", "rowid": [enviado.id]}).status_code == 403


@pytest.mark.parametrize("rol, esperado", [
    (R.DIRECTOR, 200), ("director2", 404), (R.TERRITORIAL, 404), (R.ENTIDAD, 404), (R.OAP, 200),
    (R.CONTROL_INTERNO, 200), (R.COMITE_INSTITUCIONAL, 200), (R.ADMINISTRADOR, 403)])
def test_evidencia_segun_rol_y_dependencia(navegador, fabrica, usuarios, plan, rol, esperado):
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    avance = reporte.avances[0]
    reportes.registrar_avance(avance, usuarios[R.DIRECTOR], valor=10, archivo=_archivo())
    db.session.commit()
    respuesta = navegador(usuarios[rol]).get(f"/admin/avance/evidencia/?id={avance.id}")
    assert respuesta.status_code == esperado
    if esperado == 200:
        assert respuesta.data == PDF
        assert respuesta.mimetype == "application/pdf"
        assert "attachment" in respuesta.headers["Content-Disposition"]


def test_evidencia_anonimo_va_al_ingreso(navegador, fabrica, usuarios, plan):
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    reportes.registrar_avance(reporte.avances[0], usuarios[R.DIRECTOR], valor=10, archivo=_archivo())
    db.session.commit()
    respuesta = navegador().get(f"/admin/avance/evidencia/?id={reporte.avances[0].id}")
    assert respuesta.status_code == 302 and "/login" in respuesta.headers["Location"]


def _archivo():
    return FileStorage(stream=BytesIO(PDF), filename="soporte.pdf")


def test_ventanas_por_fecha_y_reapertura_por_http(navegador, fabrica, usuarios, plan):
    m = fabrica.mundo
    ventana = fabrica.ventana(1, abierta=False)
    oap, director = navegador(usuarios[R.OAP]), navegador(usuarios[R.DIRECTOR])
    cierre = f"{ventana.cierra:%d/%m/%Y}"
    assert f"Cerrada el {cierre}" in oap.texto("/admin/ventanareporte/")
    assert "Ventana cerrada" in director.texto("/admin/reportetrimestral/nuevo/?vigencia=2026")
    # Ya no hay marca que abrir o cerrar a mano: la ventana sigue sus fechas.
    oap.post("/admin/ventanareporte/action/", data={"action": "abrir", "rowid": [ventana.id]})
    assert "Reportar T1" not in director.texto("/admin/reportetrimestral/nuevo/?vigencia=2026")

    hasta = formato.fecha(formato.hoy() + timedelta(days=4))
    html = oap.post(f"/admin/ventanareporte/reabrir/?id={ventana.id}", data={
        "dependencia_id": m.central.id, "hasta": hasta, "motivo": ""}).get_data(as_text=True)
    assert "Escriba el motivo" in html
    for rol in (R.DIRECTOR, R.CONTROL_INTERNO):
        assert navegador(usuarios[rol]).post(f"/admin/ventanareporte/reabrir/?id={ventana.id}", data={
            "dependencia_id": "todas", "hasta": hasta, "motivo": "x"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ReaperturaVentana.id))) == 0
    respuesta = oap.post(f"/admin/ventanareporte/reabrir/?id={ventana.id}", data={
        "dependencia_id": "todas", "hasta": hasta, "motivo": "Caída del servidor."})
    assert respuesta.status_code == 302
    assert db.session.scalar(sa.select(ReaperturaVentana.motivo)) == "Caída del servidor."
    lista = oap.texto("/admin/ventanareporte/")
    assert f"Reabierta hasta el {hasta}" in lista and f"todas las dependencias hasta el {hasta}: Caída" in lista
    nuevo = director.texto("/admin/reportetrimestral/nuevo/?vigencia=2026")
    assert "Reportar T1" in nuevo and f"reabierta hasta el {hasta}" in nuevo


def test_fechas_de_una_ventana_que_se_cruzan_se_advierten(navegador, fabrica, usuarios):
    m = fabrica.mundo
    db.session.add(EtapaCronograma(vigencia=m.vigencia, fase=FaseCronograma.PUBLICACION,
                                   inicio=date(2027, 1, 28), fin=date(2027, 1, 31)))
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    html = oap.post("/admin/ventanareporte/new/", data={
        "vigencia": m.vigencia.id, "trimestre": "4", "abre": "20/01/2027", "cierra": "05/02/2027"},
        follow_redirects=True).get_data(as_text=True)
    assert "se cruzan con «Publicación» de 2026 (28/01/2027 a 31/01/2027)" in html
    ventana = ventanas.ventana_de(m.vigencia.id, 4)
    assert (ventana.abre, ventana.cierra) == (date(2027, 1, 20), date(2027, 2, 5))  # se advierte, no se impide
    html = oap.post(f"/admin/ventanareporte/edit/?id={ventana.id}", data={
        "vigencia": m.vigencia.id, "trimestre": "4", "abre": "01/02/2027", "cierra": "15/02/2027",
        "version_formulario": ventana.version}, follow_redirects=True).get_data(as_text=True)
    assert "se cruzan" not in html


def test_cuadro_diagnostico_por_http(navegador, fabrica, usuarios, plan):
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    oap = navegador(usuarios[R.OAP])
    assert "Cuadro diagnóstico" in oap.texto("/admin/diagnosticotrimestral/cuadro/?vigencia=2026&trimestre=1")
    oap.post("/admin/diagnosticotrimestral/cuadro/?vigencia=2026&trimestre=1",
             data={f"diagnostico-{fabrica.mundo.central.id}": "Cumplimiento pleno."})
    assert consultas.diagnosticos(fabrica.mundo.vigencia.id, 1)[fabrica.mundo.central.id].diagnostico == \
        "Cumplimiento pleno."
    # Dos personas de la OAP con el cuadro abierto: la segunda no pisa el texto que la primera guardó.
    url = "/admin/diagnosticotrimestral/cuadro/?vigencia=2026&trimestre=1"
    campo, leido = f"diagnostico-{fabrica.mundo.central.id}", f"leido-{fabrica.mundo.central.id}"
    assert f'name="{leido}" value="Cumplimiento pleno."' in oap.texto(url)
    jefe = navegador(usuarios[R.JEFE_OAP])
    assert oap.post(url, data={leido: "Cumplimiento pleno.", campo: "Cumplimiento pleno; revisar T2."}
                    ).status_code == 302
    html = jefe.post(url, data={leido: "Cumplimiento pleno.", campo: "Otro texto."}).get_data(as_text=True)
    assert "otra persona cambió este diagnóstico mientras usted editaba" in html
    assert f'name="{leido}" value="Cumplimiento pleno; revisar T2."' in html  # ve lo vigente y puede seguir
    assert consultas.diagnosticos(fabrica.mundo.vigencia.id, 1)[fabrica.mundo.central.id].diagnostico == \
        "Cumplimiento pleno; revisar T2."
    control = navegador(usuarios[R.CONTROL_INTERNO])
    html = control.texto("/admin/diagnosticotrimestral/cuadro/?vigencia=2026&trimestre=1")
    assert "Cumplimiento pleno; revisar T2." in html and "Guardar diagnósticos" not in html
    assert control.post("/admin/diagnosticotrimestral/cuadro/?vigencia=2026&trimestre=1",
                        data={f"diagnostico-{fabrica.mundo.central.id}": "x"}).status_code == 403


def test_informe_remitido_y_lista_de_control_interno(app, navegador, fabrica, usuarios, plan):
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.ACEPTADO)
    oap = navegador(usuarios[R.OAP])
    control = navegador(usuarios[R.CONTROL_INTERNO])
    oap.post("/admin/informeseguimiento/generar/", data={"vigencia": 2026, "trimestre": 1})
    informe = db.session.scalar(sa.select(InformeSeguimiento))
    assert informe.generado_por_id == usuarios[R.OAP].id
    assert "2026" not in control.texto("/admin/informeseguimiento/").split("<tbody>")[-1]  # aún no recibido
    assert control.get(f"/admin/informeseguimiento/ficha/?id={informe.id}").status_code == 404
    assert control.post("/admin/informeseguimiento/remitir/", data={"id": informe.id}).status_code == 403

    # Antes de remitir, la página dice qué pasará y a quién llega: el botón que envía está dentro del aviso.
    ficha = oap.texto(f"/admin/informeseguimiento/ficha/?id={informe.id}")
    aviso = ficha.split('<details class="confirmacion')[1].split("</details>")[0]
    assert "Remitir a Control Interno…</summary>" in aviso and "Sí, remitir a Control Interno</button>" in aviso
    assert ", ".join(app.config["GESTION_CORREOS_CONTROL_INTERNO"]) in aviso and "no se puede retirar" in aviso
    with mail.record_messages() as enviados:
        oap.post("/admin/informeseguimiento/remitir/", data={"id": informe.id})
    assert len(enviados) == 1
    assert enviados[0].recipients == app.config["GESTION_CORREOS_CONTROL_INTERNO"]
    assert enviados[0].attachments[0].filename == "informe-seguimiento-2026-T1.xlsx"
    lista = control.texto("/admin/informeseguimiento/")
    assert "controlinterno@mintrabajo.gov.co" in lista
    respuesta = control.get(f"/admin/informeseguimiento/xlsx/?id={informe.id}")
    assert respuesta.status_code == 200
    assert load_workbook(BytesIO(respuesta.data))["Resumen por dependencia"]["E2"].value == 1


def test_presentacion_y_acciones_por_http(navegador, fabrica, usuarios, plan):
    m = fabrica.mundo
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    db.session.commit()
    jefe = navegador(usuarios[R.JEFE_OAP])
    comite = db.session.scalar(sa.select(Instancia).filter_by(tipo="institucional"))
    jefe.post("/admin/informeseguimiento/presentar/", data={
        "id": informe.id, "instancia_id": comite.id, "numero": "07-2026", "fecha": "2026-05-05", "decisiones": ""})
    presentacion = informe.presentaciones[0]
    jefe.post("/admin/informeseguimiento/accion/", data={
        "id": informe.id, "presentacion_id": presentacion.id, "descripcion": "Plan de mejora",
        "dependencia_id": m.central.id, "fecha_limite": "2026-06-30"})
    accion = db.session.scalar(sa.select(AccionDerivada))
    assert accion.dependencia_id == m.central.id

    director = navegador(usuarios[R.DIRECTOR])
    assert "Plan de mejora" in director.texto("/admin/accionderivada/")
    assert "Plan de mejora" not in navegador(usuarios["director2"]).texto("/admin/accionderivada/")
    assert director.post("/admin/accionderivada/action/", data={"action": "cerrar", "rowid": [accion.id]}
                         ).status_code == 403
    jefe.post("/admin/accionderivada/action/", data={"action": "cerrar", "rowid": [accion.id]})
    db.session.expire_all()
    assert accion.estado is EstadoAccion.CERRADA


def test_exportacion_sinergia(navegador, fabrica, usuarios):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    indicador = m.pes.objetivos[0].indicadores[0]
    fabrica.reporte(m.pes, 1, {indicador.codigo: 40}, dependencia=m.entidad, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(m.pes, 2, {indicador.codigo: 30}, dependencia=m.entidad)  # sin aceptar: no va al DNP
    respuesta = navegador(usuarios[R.OAP]).get("/admin/informeseguimiento/sinergia/?vigencia=2026")
    assert respuesta.status_code == 200
    hoja = load_workbook(BytesIO(respuesta.data)).active
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][:4] == ("Código SINERGIA", "Indicador", "Plan", "Tipo de acumulación")
    assert len(filas) == 2
    codigo, _, _, acumulacion, _, linea_base, meta, periodo, corte, valor, observaciones, cumplimiento = filas[1]
    assert (codigo, acumulacion, linea_base, meta, periodo, valor) == ("SIN-1", "Flujo", 100, 130, "2026-T1", 40)
    assert filas[0][-1] == "Cumplimiento" and round(cumplimiento, 4) == 1.2308  # 40 contra 32,5 (130 en cuatro)
    assert corte.date().isoformat() == "2026-03-31"
    assert navegador(usuarios[R.DIRECTOR]).get("/admin/informeseguimiento/sinergia/?vigencia=2026").status_code == 403


def test_un_segundo_editor_del_reporte_no_pisa_al_primero(navegador, fabrica, usuarios, plan):
    """Dos personas de la dependencia abren el mismo reporte; la segunda guarda sobre lo que leyó."""
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    db.session.commit()
    colega = fabrica.usuario(R.DIRECTOR, fabrica.mundo.central, email="colega@prueba.gov.co")
    leidas = {f"version-{a.id}": a.version for a in reporte.avances}
    url = f"/admin/reportetrimestral/guardar/?id={reporte.id}"
    formulario = navegador(colega).texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    assert all(f'name="{campo}" value="{version}"' in formulario for campo, version in leidas.items())

    primera = navegador(usuarios[R.DIRECTOR]).post(url, data={**_formulario(reporte, A1="12"), **leidas})
    assert primera.status_code == 302
    html = navegador(colega).post(url, data={**_formulario(reporte, A1="3", jA1="Otra cifra"), **leidas},
                                  follow_redirects=True).get_data(as_text=True)
    assert "otra persona guardó este avance mientras usted lo editaba" in html
    db.session.expire_all()
    assert [a.valor_logrado for a in reporte.avances] == [12, 10]


def test_la_presentacion_del_informe_guarda_y_entrega_su_acta(fabrica, usuarios, navegador):
    m = fabrica.mundo
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    db.session.commit()
    comite = db.session.scalar(sa.select(Instancia).filter_by(tipo="institucional"))
    jefe = navegador(usuarios[R.JEFE_OAP])
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    html = jefe.post("/admin/informeseguimiento/presentar/", data={
        "id": informe.id, "instancia_id": comite.id, "numero": "05-2026", "fecha": "30/04/2026",
        "decisiones": "Se acoge el informe.", "archivo": (BytesIO(b"MZ ejecutable"), "acta.pdf")},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "Acta: el contenido no corresponde a un .pdf." in html
    assert db.session.get(InformeSeguimiento, informe.id).presentaciones == []
    jefe.post("/admin/informeseguimiento/presentar/", data={
        "id": informe.id, "instancia_id": comite.id, "numero": "05-2026", "fecha": "30/04/2026",
        "decisiones": "Se acoge el informe.", "archivo": (BytesIO(pdf), "acta-05.pdf")},
        content_type="multipart/form-data")
    db.session.expire_all()
    [presentacion] = db.session.get(InformeSeguimiento, informe.id).presentaciones
    ficha = jefe.texto(f"/admin/informeseguimiento/ficha/?id={informe.id}")
    assert "Descargar el acta" in ficha
    revision.remitir_informe(db.session.get(InformeSeguimiento, informe.id), usuarios[R.JEFE_OAP])
    db.session.commit()
    descarga = navegador(usuarios[R.CONTROL_INTERNO]).get(
        f"/admin/informeseguimiento/acta/?id={informe.id}&presentacion_id={presentacion.id}")
    assert descarga.status_code == 200 and descarga.data == pdf
    assert navegador(usuarios[R.DIRECTOR]).get(
        f"/admin/informeseguimiento/acta/?id={informe.id}&presentacion_id={presentacion.id}").status_code == 403


def test_la_lista_de_ventanas_no_crece_con_sus_reaperturas(navegador, fabrica, usuarios):
    from .test_consultas import consultas

    m = fabrica.mundo
    oap = navegador(usuarios[R.OAP])
    hasta = formato.hoy() + timedelta(days=2)
    primera = fabrica.ventana(1, abierta=False)
    revision.reabrir_ventana(primera, m.central, "Caída del servidor.", hasta, usuarios[R.OAP])
    db.session.commit()
    consultas(oap, "/admin/ventanareporte/")
    antes = consultas(oap, "/admin/ventanareporte/")
    for trimestre in (2, 3, 4):
        ventana = fabrica.ventana(trimestre, abierta=False)
        for dependencia in (m.central, m.central2):
            revision.reabrir_ventana(ventana, dependencia, "Caída del servidor.", hasta, usuarios[R.OAP])
    db.session.commit()
    assert consultas(oap, "/admin/ventanareporte/") == antes
    lista = oap.texto("/admin/ventanareporte/")
    assert lista.count("reabierta para 2 dependencias") == 3 and lista.count("reabierta para 1 dependencia") == 1
