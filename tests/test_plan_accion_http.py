"""El ciclo del Plan de Acción por HTTP, como cada rol, y cada rechazo con los datos intactos."""
import re
from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base.extensiones import mail
from gestion.reglas import roles as R
from modelos import Actividad, HistorialEstado, MetaTerritorial, Plan, TipoPlan, db
from modelos import EstadoPlan as E

from .fabricas import datos_de_actividad

BASE = "/admin/planes_accion"


def _recargar(*objetos):
    db.session.expire_all()
    return [db.session.get(type(o), o.id) for o in objetos]


def _foto(plan):
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    historial = db.session.scalar(sa.select(sa.func.count()).select_from(HistorialEstado)
                                  .filter_by(objeto_tipo="plan", objeto_id=plan.id))
    return (plan.estado, plan.observaciones, plan.version, historial,
            [(a.codigo, a.peso, a.meta_anual) for a in plan.actividades])




def _version(html):
    return re.search(r'name="version_formulario"[^>]*value="(\d+)"', html).group(1)


def test_ciclo_completo_por_http_como_cada_rol(app, fabrica, usuarios, navegador):
    m = fabrica.mundo
    oap, jefe = navegador(usuarios[R.OAP]), navegador(usuarios[R.JEFE_OAP])
    director, director2 = navegador(usuarios[R.DIRECTOR]), navegador(usuarios["director2"])
    territorial = navegador(usuarios[R.TERRITORIAL])

    # Actividad 9: la OAP solicita los planes y los directores reciben el correo.
    assert "Solicitar los planes de acción" in oap.texto(f"{BASE}/solicitar/")
    with mail.record_messages() as enviados:
        respuesta = oap.post(f"{BASE}/solicitar/", data={"vigencia": m.vigencia.id,
                                                         "dependencia": [m.central.id, m.central2.id]})
    assert respuesta.status_code == 302
    assert sorted(c.recipients[0] for c in enviados) == ["director2@prueba.gov.co", "director@prueba.gov.co"]
    plan = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PA, dependencia_id=m.central.id))
    plan2 = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PA, dependencia_id=m.central2.id))
    assert plan.estado is plan2.estado is E.BORRADOR

    # Actividad 10: el director formula; una actividad territorial para dos DT.
    assert "El plan aún no tiene actividades" in director.texto(f"{BASE}/ficha/?id={plan.id}")
    assert director.post("/admin/actividad/new/", data=datos_de_actividad(m, plan, "A1", 60)).status_code == 302
    assert director.post("/admin/actividad/new/", data=datos_de_actividad(
        m, plan, "A2", 30, territorial="y", direcciones_territoriales=[m.territorial.id, m.territorial2.id],
    )).status_code == 302
    a2 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A2"))
    assert {mt.dependencia_id for mt in a2.metas_territoriales} == {m.territorial.id, m.territorial2.id}

    # Cada DT fija sus metas trimestrales.
    for cliente, dt, metas in ((territorial, m.territorial, ("6", "5", "5", "5")),
                               (navegador(usuarios["territorial2"]), m.territorial2, ("4", "5", "5", "5"))):
        meta = db.session.scalar(sa.select(MetaTerritorial).filter_by(actividad_id=a2.id, dependencia_id=dt.id))
        url = f"/admin/metaterritorial/edit/?id={meta.id}"
        datos = dict(zip(("meta_t1", "meta_t2", "meta_t3", "meta_t4"), metas, strict=True))
        assert cliente.post(url, data={**datos, "version_formulario": _version(cliente.texto(url))}).status_code == 302
    html = director.texto(f"{BASE}/ficha/?id={plan.id}")
    assert "Total de las DT" in html and "Dirección Territorial del Valle" in html
    assert "Los pesos de las actividades suman 100 %" in html and "suman 90 %" in html

    fabrica.formular(plan2)
    db.session.commit()

    # Actividad 11: envían; la OAP ve su bandeja con la lista de chequeo.
    # Con la lista de chequeo fallando, la ficha lo advierte y el envío pide confirmarlo a sabiendas.
    assert "Antes de enviar a la OAP" in director.texto(f"{BASE}/ficha/?id={plan.id}")
    html = director.post(f"{BASE}/enviar/", data={"id": plan.id}, follow_redirects=True).get_data(as_text=True)
    assert "no se envió: la OAP lo devolvería" in html and "suman 90 %" in html
    assert _recargar(plan)[0].estado is E.BORRADOR
    assert director.post(f"{BASE}/enviar/", data={"id": plan.id, "confirmado": "si"}).status_code == 302
    assert "Antes de enviar a la OAP" not in director2.texto(f"{BASE}/ficha/?id={plan2.id}")
    assert director2.post(f"{BASE}/enviar/", data={"id": plan2.id}).status_code == 302
    plan, plan2 = _recargar(plan, plan2)
    assert plan.estado is plan2.estado is E.ENVIADO
    bandeja = oap.texto(f"{BASE}/?flt0_estado_equals=ENVIADO")
    assert "1 por corregir · 3 por verificar" in bandeja and ">3 por verificar<" in bandeja

    # Actividad 12: devolución en bloque, con una observación para todos.
    respuesta = oap.post(f"{BASE}/action/", data={"action": "devolver", "rowid": [plan.id, plan2.id]})
    assert respuesta.status_code == 302 and "/devolver/" in respuesta.headers["Location"]
    assert "Devolver 2 plan(es)" in oap.texto(respuesta.headers["Location"])
    with mail.record_messages() as enviados:
        html = oap.post(f"{BASE}/devolver/", data={"id": [plan.id, plan2.id], "observacion": "Precise los indicadores."},
                        follow_redirects=True).get_data(as_text=True)
    assert "2 devuelto(s); 0 omitido(s)." in html
    assert sorted(c.recipients[0] for c in enviados) == ["director2@prueba.gov.co", "director@prueba.gov.co"]
    plan, plan2 = _recargar(plan, plan2)
    assert plan.estado is plan2.estado is E.DEVUELTO
    assert plan.observaciones.startswith("Precise los indicadores.")
    assert "Los pesos de las actividades suman 100 %: suman 90 %" in plan.observaciones
    assert plan2.observaciones == "Precise los indicadores."

    # El director ve las observaciones, corrige y reenvía.
    assert "Observaciones de la OAP por atender" in director.texto(f"{BASE}/ficha/?id={plan.id}")
    a1 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A1"))
    url = f"/admin/actividad/edit/?id={a1.id}"
    datos = datos_de_actividad(m, plan, "A1", 70, version_formulario=_version(director.texto(url)))
    assert director.post(url, data=datos).status_code == 302
    assert director.post(f"{BASE}/enviar/", data={"id": plan.id}).status_code == 302
    assert director2.post(f"{BASE}/enviar/", data={"id": plan2.id}).status_code == 302

    # La OAP registra los tres puntos de juicio de cada plan en un solo envío; luego aprueba en bloque.
    for p in (plan, plan2):
        marcas = {f"cumple-{item}": "si" for item in ("normas", "funciones", "metodologia")}
        assert oap.post(f"{BASE}/verificar/", data={"id": p.id, **marcas}).status_code == 302
    assert "Cumple la lista de chequeo" in oap.texto(f"{BASE}/ficha/?id={plan.id}")
    with mail.record_messages() as enviados:
        html = oap.post(f"{BASE}/action/", data={"action": "aprobar", "rowid": [plan.id, plan2.id]},
                        follow_redirects=True).get_data(as_text=True)
    assert "2 aprobado(s); 0 omitido(s)." in html
    assert len(enviados) == 2
    plan, plan2 = _recargar(plan, plan2)
    assert plan.estado is plan2.estado is E.APROBADO

    # Actividades 13 a 15: la OAP consolida, el jefe registra el comité y publica.
    html = oap.post(f"{BASE}/consolidar/", data={"vigencia": m.vigencia.id}, follow_redirects=True).get_data(as_text=True)
    assert "consolidado con 2 planes aprobados" in html
    pai = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PAI))
    assert jefe.texto(f"{BASE}/presentar/?id={pai.id}")
    respuesta = jefe.post(f"{BASE}/presentar/", data={
        "id": pai.id, "numero": "03-2026", "fecha": "2026-01-24", "decisiones": "Se aprueba el PAI.",
        "archivo": (BytesIO(b"%PDF-1.4 acta"), "acta comite.pdf")})
    assert respuesta.status_code == 302
    assert jefe.get(f"{BASE}/acta/?id={pai.id}").data == b"%PDF-1.4 acta"
    assert jefe.post(f"{BASE}/publicar/", data={"id": pai.id}).status_code == 302
    (pai,) = _recargar(pai)
    assert pai.estado is E.PUBLICADO and pai.acta_presentacion.numero == "03-2026"

    publico = navegador()
    assert pai.nombre in publico.texto("/publico/pai/")
    html = publico.texto(f"/publico/pai/{pai.id}")
    assert "Visitas de inspección A1" in html and "Actividad 1 de 2200" in html
    html = publico.texto(f"/publico/pai/{pai.id}?dependencia={m.central2.id}")
    assert "Visitas de inspección A1" not in html and "Actividad 1 de 2200" in html
    libro = load_workbook(BytesIO(publico.get(f"/publico/pai/{pai.id}.xlsx").data))
    filas = list(libro["Actividades"].iter_rows(min_row=2, values_only=True))
    assert len(filas) == 4
    fila = next(f for f in filas if f[2] == "Visitas de inspección A1")
    assert (fila[8], fila[13], fila[16]) == (40, 0.7, 1_000_000)  # números, no texto


def test_director_solo_toca_el_plan_propio_mientras_esta_en_formulacion(fabrica, usuarios, navegador):
    m = fabrica.mundo
    propio = fabrica.plan_accion(m.central)
    ajeno = fabrica.plan_accion(m.central2)
    director = navegador(usuarios[R.DIRECTOR])
    antes = _foto(ajeno)
    assert director.get(f"{BASE}/ficha/?id={ajeno.id}").status_code == 404
    assert director.post(f"{BASE}/enviar/", data={"id": ajeno.id}).status_code == 404
    assert director.post("/admin/actividad/new/", data=datos_de_actividad(m, ajeno, "A9", 10)).status_code == 200
    a1 = ajeno.actividades[0]
    assert director.get(f"/admin/actividad/edit/?id={a1.id}").status_code == 404
    assert _foto(ajeno) == antes

    fabrica.llevar_a(propio, E.ENVIADO)
    db.session.commit()
    antes = _foto(propio)
    a1 = propio.actividades[0]
    url = f"/admin/actividad/edit/?id={a1.id}"
    # El formulario ni se abre: vuelve a la ficha del plan con la razón; un POST directo tampoco guarda.
    assert director.get(url).headers["Location"].endswith(f"{BASE}/ficha/?id={propio.id}")
    html = director.post(url, data=datos_de_actividad(m, propio, "A1", 99, version_formulario=str(a1.version)),
                         follow_redirects=True).get_data(as_text=True)
    assert "enviado a la OAP: su contenido no se puede modificar" in html
    assert director.post(f"{BASE}/enviar/", data={"id": propio.id}, follow_redirects=True).status_code == 200
    assert _foto(propio) == antes


def test_solo_la_oap_verifica_aprueba_devuelve_solicita_y_consolida(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.ENVIADO)
    antes = _foto(plan)
    for rol in (R.DIRECTOR, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL):
        cliente = navegador(usuarios[rol])
        for url, datos in ((f"{BASE}/aprobar/", {"id": plan.id}),
                           (f"{BASE}/action/", {"action": "aprobar", "rowid": plan.id}),
                           (f"{BASE}/devolver/", {"id": plan.id, "observacion": "No"}),
                           (f"{BASE}/verificar/", {"id": plan.id, "item": "normas", "cumple": "si"}),
                           (f"{BASE}/solicitar/", {"vigencia": m.vigencia.id, "dependencia": m.central2.id}),
                           (f"{BASE}/consolidar/", {"vigencia": m.vigencia.id, "excepcion": "x"})):
            assert cliente.post(url, data=datos).status_code == 403, (rol, url)
    assert navegador(usuarios[R.TERRITORIAL]).get(f"{BASE}/ficha/?id={plan.id}").status_code == 403
    assert navegador(usuarios[R.OAP]).post(f"{BASE}/aprobar/", data={"id": plan.id}, csrf=False).status_code == 400
    assert _foto(plan) == antes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 3  # PES, PEI y el plan


def test_la_oap_no_aprueba_un_plan_que_falla_la_lista_de_chequeo(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(estado=E.ENVIADO)
    plan.actividades[0].objetivo = None
    db.session.commit()
    antes = _foto(plan)
    oap = navegador(usuarios[R.OAP])
    html = oap.post(f"{BASE}/aprobar/", data={"id": plan.id}, follow_redirects=True).get_data(as_text=True)
    assert "no se aprueba: no cumple" in html and "A1 sin objetivo del PEI" in html
    html = oap.post(f"{BASE}/action/", data={"action": "aprobar", "rowid": plan.id},
                    follow_redirects=True).get_data(as_text=True)
    assert "0 aprobado(s); 1 omitido(s)." in html
    assert _foto(plan) == antes

    html = oap.post(f"{BASE}/verificar/", data={"id": plan.id, "cumple-funciones": "no", "comentario-funciones": ""},
                    follow_redirects=True).get_data(as_text=True)
    assert "Explique en el comentario" in html
    oap.post(f"{BASE}/verificar/", data={"id": plan.id, "cumple-funciones": "no",
                                         "comentario-funciones": "Falta la función de conciliación."})
    assert "Falta la función de conciliación." in oap.texto(f"{BASE}/ficha/?id={plan.id}")
    html = oap.post(f"{BASE}/devolver/", data={"id": plan.id, "observacion": "  "},
                    follow_redirects=True).get_data(as_text=True)
    assert "obligatorias" in html
    assert _foto(plan)[0] is E.ENVIADO


def test_consolidar_presentar_y_publicar_rechazos(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, E.APROBADO)
    pendiente = fabrica.plan_accion(m.central2, E.ENVIADO)
    oap, jefe = navegador(usuarios[R.OAP]), navegador(usuarios[R.JEFE_OAP])
    html = oap.post(f"{BASE}/consolidar/", data={"vigencia": m.vigencia.id}, follow_redirects=True).get_data(as_text=True)
    assert "Faltan planes por aprobar" in html and pendiente.dependencia.nombre in html
    assert db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PAI)) is None
    oap.post(f"{BASE}/consolidar/", data={"vigencia": m.vigencia.id, "excepcion": "La 2200 entrega en febrero."})
    pai = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PAI))
    assert pai.excepcion_consolidacion == "La 2200 entrega en febrero."

    html = oap.get(f"{BASE}/presentar/?id={pai.id}", follow_redirects=True).get_data(as_text=True)
    assert "Su rol no puede" in html
    # Publicar el PAI es del Jefe de la OAP: la ruta lo pregunta a la tabla de transiciones, como el botón.
    assert oap.post(f"{BASE}/publicar/", data={"id": pai.id}).status_code == 403
    html = jefe.post(f"{BASE}/publicar/", data={"id": pai.id}, follow_redirects=True).get_data(as_text=True)
    assert "solo se puede «publicar» si está presentado al comité" in html
    html = jefe.post(f"{BASE}/presentar/", data={"id": pai.id, "numero": "", "fecha": "2026-01-24"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Escriba el número del acta" in html
    html = jefe.post(f"{BASE}/presentar/", data={"id": pai.id, "numero": "1", "fecha": "2026-01-24",
                                                 "archivo": (BytesIO(b"MZ"), "acta.exe")},
                     follow_redirects=True).get_data(as_text=True)
    assert "Acta: tipo de archivo no permitido" in html
    (pai,) = _recargar(pai)
    assert pai.estado is E.CONSOLIDADO and pai.acta_presentacion is None
    assert navegador().get(f"/publico/pai/{pai.id}").status_code == 404
    assert navegador(usuarios[R.DIRECTOR]).get(f"{BASE}/ficha/?id={pai.id}").status_code == 404


def test_cada_direccion_territorial_fija_solo_sus_metas(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (5, 5, 5, 5), m.territorial2: (5, 5, 5, 5)})
    propia, ajena = sorted(actividad.metas_territoriales, key=lambda mt: mt.dependencia_id != m.territorial.id)
    territorial = navegador(usuarios[R.TERRITORIAL])
    assert territorial.get(f"/admin/metaterritorial/edit/?id={ajena.id}").status_code == 404
    assert territorial.post(f"/admin/metaterritorial/edit/?id={ajena.id}", data={"meta_t1": "9"}).status_code == 404
    assert navegador(usuarios[R.DIRECTOR]).post(f"/admin/metaterritorial/edit/?id={propia.id}",
                                                data={"meta_t1": "9"}).status_code == 403
    fabrica.llevar_a(plan, E.ENVIADO)
    db.session.commit()
    url = f"/admin/metaterritorial/edit/?id={propia.id}"
    assert territorial.get(url).status_code == 302
    html = territorial.post(url, data={"meta_t1": "9", "meta_t2": "5", "meta_t3": "5", "meta_t4": "5",
                                       "version_formulario": str(propia.version)},
                            follow_redirects=True).get_data(as_text=True)
    assert "su contenido no se puede modificar" in html
    db.session.expire_all()
    assert [mt.meta_t1 for mt in db.session.get(Actividad, actividad.id).metas_territoriales] == [5, 5]


def test_cada_fila_de_la_lista_enlaza_a_su_propio_plan_y_vuelve_a_la_misma_pagina(fabrica, usuarios, navegador):
    planes = [fabrica.plan_accion(fabrica.dependencia(f"{9100 + i}"), E.ENVIADO) for i in range(3)]
    db.session.commit()
    html = navegador(usuarios[R.OAP]).texto(f"{BASE}/?flt0_estado_equals=ENVIADO&sort=0")
    fichas = [int(i) for i in re.findall(rf'href="{BASE}/ficha/\?id=(\d+)"', html)]
    detalles = re.findall(rf'href="{BASE}/details/\?id=(\d+)&amp;url=([^"]+)"', html)
    assert {p.id for p in planes} <= set(fichas) and len(set(fichas)) == len(fichas)
    assert [int(i) for i, _ in detalles] == fichas  # la misma fila, el mismo plan
    assert {vuelta for _, vuelta in detalles} == {"/admin/planes_accion/?sort%3D0%26page_size%3D50%26flt0_estado_equals%3DENVIADO"}


def test_devolver_o_aprobar_un_plan_con_cientos_de_fallas_deja_la_cookie_bajo_4_kb(fabrica, usuarios, navegador):
    """Ni el largo de la observación traba la devolución, ni el del motivo borra el mensaje (cookie > 4 KB)."""
    plan = fabrica.plan_accion(estado=E.ENVIADO, actividades=400)
    for i, actividad in enumerate(plan.actividades):
        actividad.codigo, actividad.meta_t1 = f"META-PRODUCTO-{i:04d}", Decimal(11)
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    respuesta = oap.post(f"{BASE}/aprobar/", data={"id": plan.id})
    assert len(oap.cliente.get_cookie("session").value) <= 4096
    assert "la lista completa está en la lista de chequeo" in oap.texto(respuesta.headers["Location"])
    respuesta = oap.post(f"{BASE}/devolver/", data={"id": plan.id, "observacion": "Corrija los trimestres."})
    assert respuesta.status_code == 302 and len(oap.cliente.get_cookie("session").value) <= 4096
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).estado is E.DEVUELTO
