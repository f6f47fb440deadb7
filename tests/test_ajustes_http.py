"""Ajustes por HTTP, como cada rol los vive: pedir desde el plan, preparar la versión propuesta, enviarla,
revisarla, aprobarla (o no), con los correos que cada paso manda y la versión vigente al final."""
from io import BytesIO

import sqlalchemy as sa

from gestion.base.extensiones import mail
from gestion.planes import ajustes
from gestion.reglas import roles as R
from modelos import Actividad, EstadoAjuste, EstadoPlan, MetaIndicador, SolicitudAjuste, db

A, E = EstadoAjuste, EstadoPlan
PA_BASE = "/admin/planes_accion"
AJ = "/admin/solicitudajuste"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _solicitud():
    db.session.expire_all()
    return db.session.scalars(sa.select(SolicitudAjuste).order_by(SolicitudAjuste.id.desc())).first()


def _decidir(cliente, solicitud, accion, observacion=""):
    return cliente.post(f"{AJ}/decidir/", data={"id": solicitud.id, "accion": accion, "observacion": observacion},
                        follow_redirects=True).get_data(as_text=True)


def _a_quien(enviados) -> list[tuple[str, list[str]]]:
    return [(m.subject.split(":")[0], sorted(m.recipients)) for m in enviados]


def test_ajuste_de_un_plan_de_accion_de_punta_a_punta(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    director, oap = navegador(usuarios[R.DIRECTOR]), navegador(usuarios[R.OAP])
    otro_director = navegador(usuarios["director2"])

    # Actividad 22: el director lo pide desde la ficha del plan vigente; otro director ni ve el plan.
    assert f"solicitar/?plan_id={plan.id}" in director.texto(f"{PA_BASE}/ficha/?id={plan.id}")
    assert otro_director.get(f"{AJ}/solicitar/?plan_id={plan.id}").status_code == 404
    html = director.post(f"{AJ}/solicitar/", data={"plan_id": plan.id, "causa": "  "},
                         follow_redirects=True).get_data(as_text=True)
    assert "la causa del ajuste: es obligatoria" in html and _solicitud() is None
    respuesta = director.post(f"{AJ}/solicitar/", data={
        "plan_id": plan.id, "causa": "La Ley 2466 de 2025 amplía las visitas de inspección.",
        "cambio_propuesto": "Subir la meta del cuarto trimestre de A1."})
    solicitud = _solicitud()
    assert respuesta.headers["Location"].endswith(f"{AJ}/ficha/?id={solicitud.id}")
    propuesta = solicitud.plan_propuesto
    assert propuesta.numero_version == 2 and propuesta.estado is E.BORRADOR and not propuesta.vigente
    html = director.post(f"{AJ}/solicitar/", data={"plan_id": plan.id, "causa": "Otra.", "cambio_propuesto": "Otro."},
                         follow_redirects=True).get_data(as_text=True)
    assert "ya tiene una solicitud de ajuste en curso" in html

    # La versión propuesta se edita con el formulario de siempre; la vigente no.
    a1 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=propuesta.id, codigo="A1"))
    vigente_a1 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A1"))
    assert director.get(f"/admin/actividad/edit/?id={vigente_a1.id}").status_code == 302
    datos = {c: getattr(a1, c) for c in ("codigo", "descripcion", "indicador", "formula", "responsable")}
    datos.update(plan=propuesta.id, objetivo=a1.objetivo_id, politica=a1.politica_id, unidad=a1.unidad_id,
                 meta_anual="45", meta_t1="10", meta_t2="10", meta_t3="10", meta_t4="15", peso=str(a1.peso),
                 fecha_inicio="2026-02-01", fecha_fin="2026-12-15", presupuesto="1000000",
                 version_formulario=str(a1.version))
    assert director.post(f"/admin/actividad/edit/?id={a1.id}", data=datos).status_code == 302

    # Enviar a la OAP: correo a la OAP y tarjeta en su inicio.
    with mail.record_messages() as enviados:
        html = _decidir(director, solicitud, "enviar")
    assert "«Enviar a revisión de la OAP» registrado" in html
    assert _a_quien(enviados) == [("Solicitud de ajuste por revisar", ["jefe_oap@prueba.gov.co", "oap@prueba.gov.co"])]
    assert f"{AJ}/ficha/?id={solicitud.id}" in enviados[0].body
    inicio = oap.texto("/admin/")
    assert "Ajustes por revisar (actividad 23)" in inicio and f"{AJ}/ficha/?id={solicitud.id}" in inicio
    # Ya enviada, la propuesta no se edita.
    assert director.get(f"/admin/actividad/edit/?id={a1.id}").status_code == 302

    # Actividad 23: la OAP ve la causa y la diferencia campo por campo, y la declara pertinente.
    ficha = oap.texto(f"{AJ}/ficha/?id={solicitud.id}")
    assert "La Ley 2466 de 2025" in ficha and "Meta T4" in ficha and "Cambiado" in ficha
    with mail.record_messages() as enviados:
        html = _decidir(oap, solicitud, "pertinente", "La norma lo exige; no afecta los objetivos del PEI.")
    assert _a_quien(enviados) == [("Ajuste pertinente", ["director@prueba.gov.co"])]

    # Actividad 24: la OAP aprueba un ajuste de PA; antes, sus puntos de juicio sobre la propuesta.
    html = oap.post(f"{AJ}/aprobar/", data={"id": solicitud.id, "observacion": "Aprobado."},
                    follow_redirects=True).get_data(as_text=True)
    assert "aún no verifica" in html and _solicitud().estado is A.PERTINENTE
    marcas = {f"cumple-{item}": "si" for item in ("normas", "funciones", "metodologia")}
    assert oap.post(f"{PA_BASE}/verificar/", data={"id": propuesta.id, **marcas}).status_code == 302
    with mail.record_messages() as enviados:
        respuesta = oap.post(f"{AJ}/aprobar/", data={"id": solicitud.id, "observacion": "Aprobado por la OAP."})
    assert respuesta.headers["Location"].endswith(f"{PA_BASE}/ficha/?id={propuesta.id}")
    assert _a_quien(enviados) == [("Ajuste aprobado", ["director@prueba.gov.co"])]
    solicitud = _solicitud()
    assert solicitud.estado is A.APROBADO and solicitud.decision == "Aprobado por la OAP."
    assert solicitud.plan_propuesto.vigente and not solicitud.plan.vigente
    # Una sola verdad tras la decisión: el mensaje y el aviso de la página dicen lo mismo, y nada dice lo contrario.
    frase = ajustes.situacion(propuesta).frase
    assert frase.startswith("Versión en vigor desde el ") and f"«{plan}», se conserva como se aprobó" in frase
    pagina = oap.texto(respuesta.headers["Location"])
    assert pagina.count(frase) == 2 and "sigue siendo" not in pagina
    assert frase in oap.texto(f"{AJ}/ficha/?id={solicitud.id}")

    # Versiones a la vista: la anterior se lee como era; la comparación muestra el cambio.
    anterior = director.texto(f"{PA_BASE}/ficha/?id={plan.id}")
    assert "Versión anterior" in anterior and f"solicitar/?plan_id={plan.id}" not in anterior
    nueva = director.texto(f"{PA_BASE}/ficha/?id={propuesta.id}")
    assert "v2" in nueva and "La Ley 2466 de 2025" in nueva and f"solicitar/?plan_id={propuesta.id}" in nueva
    comparacion = director.texto(f"{AJ}/comparar/?a={plan.id}&b={propuesta.id}")
    assert "Meta T4" in comparacion and "Meta anual" in comparacion
    assert otro_director.get(f"{AJ}/comparar/?a={plan.id}&b={propuesta.id}").status_code == 404
    assert otro_director.get(f"{AJ}/ficha/?id={solicitud.id}").status_code == 404


def test_ajuste_de_un_pei_aprobado_por_el_comite_institucional_con_acta(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    pei = m.pei
    comite = navegador(usuarios[R.COMITE_INSTITUCIONAL])
    oap, jefe, publico = navegador(usuarios[R.OAP]), navegador(usuarios[R.JEFE_OAP]), navegador()
    base = "/admin/planes_estrategicos/plan"

    # El Comité Directivo aprueba el PEI, pero su ajuste lo pide y aprueba el Comité Institucional (act. 21).
    boton = f"solicitar/?plan_id={pei.id}"
    assert boton not in navegador(usuarios[R.COMITE_DIRECTIVO]).texto(f"{base}/{pei.id}")
    assert boton in comite.texto(f"{base}/{pei.id}")
    comite.post(f"{AJ}/solicitar/", data={"plan_id": pei.id, "causa": "El PND cambió la meta de formalización.",
                                          "cambio_propuesto": "Subir la meta 2026 de OI1-I1."})
    solicitud = _solicitud()
    propuesta = solicitud.plan_propuesto
    # El contenido estratégico lo edita la OAP, en la versión propuesta, con la tabla de metas.
    meta = db.session.scalar(sa.select(MetaIndicador).join(MetaIndicador.indicador).where(
        MetaIndicador.anio == 2026).where(MetaIndicador.indicador.has(objetivo_id=propuesta.objetivos[0].id)))
    formulario = {f"meta-{meta.indicador_id}-{m_.anio}": str(m_.valor).replace(".", ",")
                  for m_ in meta.indicador.metas}
    formulario.update({k.replace("meta-", "leida-"): v for k, v in formulario.items()})
    formulario[f"meta-{meta.indicador_id}-2026"] = "1.250"
    assert oap.post(f"{base}/{propuesta.id}/metas", data=formulario).status_code == 302
    _decidir(comite, solicitud, "enviar")
    with mail.record_messages() as enviados:
        _decidir(oap, solicitud, "pertinente", "Pertinente: lo exige el PND.")
    assert ("Ajuste por aprobar", ["comite_institucional@prueba.gov.co"]) in _a_quien(enviados)
    assert "Ajustes por aprobar (actividad 24)" in comite.texto("/admin/")

    # Sin acta no se aprueba; con el acta (número, fecha dd/mm/aaaa y PDF) queda vigente.
    html = comite.post(f"{AJ}/aprobar/", data={"id": solicitud.id, "numero": "", "fecha": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert "Escriba el número del acta" in html
    with mail.record_messages() as enviados:
        comite.post(f"{AJ}/aprobar/", data={"id": solicitud.id, "numero": "07-2026", "fecha": "15/06/2026",
                                            "observacion": "Se aprueba el ajuste.",
                                            "archivo": (BytesIO(PDF), "acta-07.pdf")},
                    content_type="multipart/form-data")
    assert _a_quien(enviados) == [("Ajuste aprobado", ["comite_institucional@prueba.gov.co"])]
    solicitud = _solicitud()
    nueva = solicitud.plan_propuesto
    assert solicitud.estado is A.APROBADO and nueva.vigente and nueva.estado is E.APROBADO
    assert nueva.acta_aprobacion.numero == "07-2026"
    assert comite.get(f"{AJ}/acta/?id={solicitud.id}").data.startswith(b"%PDF")
    assert [mt.valor for mt in nueva.objetivos[0].indicadores[0].metas if mt.anio == 2026] == [1250]
    # La página de la versión nueva no contradice la decisión, y la tarjeta dice qué puede hacer el comité ahora.
    pagina = comite.texto(f"{base}/{nueva.id}")
    assert "Versión en vigor desde el" in pagina and "sigue siendo" not in pagina
    tarjeta = pagina.split("Lo que usted puede hacer ahora")[1].split("</div>\n</div>")[0]
    # Otro ajuste espera a que se publique esta versión: la historia pública no salta números.
    assert "aún no se publica" in tarjeta and "solicite un ajuste" not in tarjeta
    assert "La versión en vigor es «" in comite.texto(f"{base}/{pei.id}")

    # El Jefe OAP publica la versión 2: el público ve la vigente y la historia de versiones, cada una en su URL.
    assert jefe.post(f"{base}/{nueva.id}/publicar").status_code == 302
    tarjeta = comite.texto(f"{base}/{nueva.id}").split("Lo que usted puede hacer ahora")[1]
    assert "solicite un ajuste" in tarjeta.split("</div>\n</div>")[0]
    indice = publico.texto("/publico/")
    assert f"/publico/planes/{nueva.id}" in indice and f"/publico/planes/{pei.id}\"" not in indice
    pagina = publico.texto(f"/publico/planes/{nueva.id}")
    assert "Versiones publicadas" in pagina and "El PND cambió la meta de formalización." in pagina
    assert "1.250" in pagina
    assert publico.get(f"/publico/planes/{pei.id}").status_code == 200
    assert publico.get(f"/publico/planes/{pei.id}.xlsx").status_code == 200


def test_ajuste_de_un_pes_no_pertinente(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    comite, oap = navegador(usuarios[R.COMITE_SECTORIAL]), navegador(usuarios[R.OAP])
    comite.post(f"{AJ}/solicitar/", data={"plan_id": m.pes.id, "causa": "Preferencia del comité.",
                                          "cambio_propuesto": "Cambiar el nombre del objetivo OS1."})
    solicitud = _solicitud()
    propuesta = solicitud.plan_propuesto
    propuesta.objetivos[0].nombre = "Formalizar el empleo rural"
    db.session.commit()
    _decidir(comite, solicitud, "enviar")
    with mail.record_messages() as enviados:
        html = _decidir(oap, solicitud, "no_pertinente", "La causa no es pertinente: el PND no cambió.")
    assert _a_quien(enviados) == [("Ajuste no pertinente", ["comite_sectorial@prueba.gov.co"])]
    assert "La causa no es pertinente" in enviados[0].body
    solicitud = _solicitud()
    assert solicitud.estado is A.NO_PERTINENTE and m.pes.vigente
    pagina = oap.texto(f"/admin/planes_estrategicos/plan/{propuesta.id}")
    assert "(no pertinente): no entró en vigor y ya no se modifica. La versión en vigor es «" in pagina
    assert "sigue siendo" not in pagina
    assert "Propuesta descartada" in oap.texto(f"/admin/planes_estrategicos/plan/{m.pes.id}")
    # Ya cerrada, la solicitud no admite más decisiones.
    html = _decidir(oap, solicitud, "pertinente", "Lo reconsidero.")
    assert "solo se puede «declarar pertinente» si está enviado a la OAP" in html


def test_cada_rol_ve_y_decide_solo_las_solicitudes_que_le_tocan(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    propio = fabrica.plan_accion(m.central, E.APROBADO)
    ajeno = fabrica.plan_accion(m.central2, E.APROBADO)
    de_pa = ajustes.solicitar(propio, usuarios[R.DIRECTOR], "Causa propia.", "Cambio.")
    de_otro = ajustes.solicitar(ajeno, usuarios["director2"], "Causa ajena.", "Cambio.")
    de_pes = ajustes.solicitar(m.pes, usuarios[R.COMITE_SECTORIAL], "Causa del PES.", "Cambio.")
    db.session.commit()
    visibles = {
        R.DIRECTOR: {de_pa.id}, R.COMITE_SECTORIAL: {de_pes.id}, R.COMITE_DIRECTIVO: {de_pes.id},
        R.COMITE_INSTITUCIONAL: {de_pa.id, de_otro.id, de_pes.id}, R.OAP: {de_pa.id, de_otro.id, de_pes.id},
        R.CONTROL_INTERNO: {de_pa.id, de_otro.id, de_pes.id},
    }
    for rol, esperadas in visibles.items():
        cliente = navegador(usuarios[rol])
        vistas = {s.id for s in (de_pa, de_otro, de_pes)
                  if cliente.get(f"{AJ}/ficha/?id={s.id}").status_code == 200}
        assert vistas == esperadas, rol
    for rol in (R.TERRITORIAL, R.ENTIDAD, R.ADMINISTRADOR):
        assert navegador(usuarios[rol]).get(f"{AJ}/").status_code == 403, rol
    # Control Interno lee todo y no decide nada; otro director no envía la solicitud ajena.
    assert navegador(usuarios[R.CONTROL_INTERNO]).post(
        f"{AJ}/decidir/", data={"id": de_pa.id, "accion": "retirar", "observacion": "x"}).status_code == 403
    assert navegador(usuarios["director2"]).post(
        f"{AJ}/decidir/", data={"id": de_pa.id, "accion": "retirar", "observacion": "x"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(SolicitudAjuste, de_pa.id).estado is A.EN_PREPARACION


def test_la_propuesta_que_no_pasaria_avisa_al_enviar_y_la_oap_la_devuelve_a_preparacion(fabrica, usuarios, navegador):
    """Enviar una propuesta que reescribe un trimestre reportado avisa y pide confirmar; la OAP la devuelve con
    observaciones, el director la corrige y la envía de nuevo: la misma solicitud, la misma versión propuesta."""
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    director, oap = navegador(usuarios[R.DIRECTOR]), navegador(usuarios[R.OAP])
    director.post(f"{AJ}/solicitar/", data={"plan_id": plan.id, "causa": "Nueva norma.",
                                            "cambio_propuesto": "Más visitas."})
    solicitud = _solicitud()
    a1 = next(a for a in solicitud.plan_propuesto.actividades if a.codigo == "A1")
    a1.meta_t1 += 5
    a1.meta_anual += 5
    db.session.commit()

    ficha = director.texto(f"{AJ}/ficha/?id={solicitud.id}")
    assert "Así la propuesta no se aprobaría" in ficha and "A1 T1 (10 → 15)" in ficha
    html = _decidir(director, solicitud, "enviar")
    assert "La solicitud no se envió" in html and _solicitud().estado is A.EN_PREPARACION
    html = director.post(f"{AJ}/decidir/", data={"id": solicitud.id, "accion": "enviar", "confirmado": "si"},
                         follow_redirects=True).get_data(as_text=True)
    assert "«Enviar a revisión de la OAP» registrado" in html and _solicitud().estado is A.SOLICITADO

    # La OAP la devuelve: sin observación no; con ella, vuelve a preparación y el director lo lee y recibe el correo.
    assert "lo que debe corregirse en la propuesta" in _decidir(oap, solicitud, "devolver")
    with mail.record_messages() as enviados:
        _decidir(oap, solicitud, "devolver", "El T1 ya se reportó: deje su meta en 10.")
    solicitud = _solicitud()
    assert solicitud.estado is A.EN_PREPARACION and not solicitud.revision
    assert _a_quien(enviados)[0][0] == "Solicitud de ajuste devuelta para corregir"
    ficha = director.texto(f"{AJ}/ficha/?id={solicitud.id}")
    assert "La OAP la devolvió para corregir" in ficha and "deje su meta en 10" in ficha
    assert director.get(f"/admin/actividad/edit/?id={a1.id}").status_code == 200  # la propuesta se edita otra vez

    a1 = db.session.get(Actividad, a1.id)
    a1.meta_t1 -= 5
    a1.meta_t4 += 5
    db.session.commit()
    html = _decidir(director, solicitud, "enviar")
    assert "«Enviar a revisión de la OAP» registrado" in html
    assert _solicitud().id == solicitud.id and _solicitud().plan_propuesto.numero_version == 2
    assert "La OAP la devolvió para corregir" not in director.texto(f"{AJ}/ficha/?id={solicitud.id}")
