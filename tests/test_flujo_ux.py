"""Lo que una persona encuentra en el navegador (issue 12, «callejones y trampas», «papel y teléfonos»):
enviar a la OAP advierte y pide confirmar, el formulario de metas de una DT dice de qué son, la OAP verifica
los puntos de juicio de muchos planes con un envío, y el imprimible y las páginas anchas traen su CSS."""
import re
from decimal import Decimal

import sqlalchemy as sa

from gestion.reglas import roles as R
from modelos import EstadoPlan as E
from modelos import HistorialEstado, MetaTerritorial, Plan, VerificacionPlan, db

BASE = "/admin/planes_accion"
JUICIO = ("normas", "funciones", "metodologia")


def _foto(plan):
    """Lo que cambiaría si el plan se enviara o se verificara: estado, versión, historial y marcas."""
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    historial = db.session.scalar(sa.select(sa.func.count()).select_from(HistorialEstado)
                                  .filter_by(objeto_tipo="plan", objeto_id=plan.id))
    marcas = sorted((v.item, v.cumple, v.comentario, v.verificado_en) for v in plan.verificaciones)
    return plan.estado, plan.version, historial, marcas


def _mensajes(cliente, html) -> list[str]:
    """Los avisos de la página como se leen (sin el botón de cerrar)."""
    return [re.sub(r"<[^>]+>|&times;", "", m).strip() for m in cliente.mensajes(html)]


def _formularios_de_envio(html):
    return re.findall(r'<form[^>]*action="/admin/planes_accion/enviar/".*?</form>', html, re.S)


# --- 1. Enviar a la OAP -------------------------------------------------------------------------------
def test_enviar_nombra_lo_que_falla_y_las_dt_sin_metas_y_no_envia_sin_confirmar(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central)
    fabrica.actividad_territorial(plan, {m.territorial: (10, 10, 10, 10), m.territorial2: (0, 0, 0, 0)})
    plan.actividades[1].peso = Decimal(40)  # los pesos suman 90 %
    db.session.commit()
    director, dt2 = navegador(usuarios[R.DIRECTOR]), navegador(usuarios["territorial2"])

    html = director.texto(f"{BASE}/ficha/?id={plan.id}")
    assert "Antes de enviar a la OAP" in html
    assert "Los pesos de las actividades suman 100 %: suman 90 %" in html
    assert "A1: aún no fijan sus metas Dirección Territorial del Valle; después del envío ya no podrán" in html
    assert "Antioquia; después" not in html  # la DT que ya fijó sus metas no se nombra
    formularios = _formularios_de_envio(html)
    assert len(formularios) == 1, "con advertencias, el único envío es el que pide confirmar"
    assert 'name="confirmado"' in formularios[0] and "onclick" not in formularios[0]

    antes = _foto(plan)
    html = director.post(f"{BASE}/enviar/", data={"id": plan.id}, follow_redirects=True).get_data(as_text=True)
    mensaje = " ".join(_mensajes(director, html))
    assert "no se envió: la OAP lo devolvería" in mensaje and "Dirección Territorial del Valle" in mensaje
    assert "suman 90 %" in mensaje
    assert _foto(plan) == antes
    meta = db.session.scalar(sa.select(MetaTerritorial).filter_by(dependencia_id=m.territorial2.id))
    assert dt2.get(f"/admin/metaterritorial/edit/?id={meta.id}").status_code == 200  # la DT aún puede fijarlas

    assert director.post(f"{BASE}/enviar/", data={"id": plan.id, "confirmado": "si"}).status_code == 302
    assert _foto(plan)[0] is E.ENVIADO


def test_un_plan_que_cumple_se_envia_sin_preguntar(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(fabrica.mundo.central)
    director = navegador(usuarios[R.DIRECTOR])
    html = director.texto(f"{BASE}/ficha/?id={plan.id}")
    assert "Antes de enviar a la OAP" not in html
    assert ['name="confirmado"' in f for f in _formularios_de_envio(html)] == [False]
    assert director.post(f"{BASE}/enviar/", data={"id": plan.id}).status_code == 302
    assert _foto(plan)[0] is E.ENVIADO


def test_al_reenviar_advierte_el_punto_de_juicio_que_la_oap_marco_como_no_cumplido(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(fabrica.mundo.central, estado=E.ENVIADO)
    fabrica.verificar(plan, cumple=False)
    db.session.commit()
    oap, director = navegador(usuarios[R.OAP]), navegador(usuarios[R.DIRECTOR])
    assert oap.post(f"{BASE}/devolver/", data={"id": plan.id, "observacion": "Cubra las normas."}).status_code == 302
    assert _foto(plan)[0] is E.DEVUELTO
    html = director.texto(f"{BASE}/ficha/?id={plan.id}")
    assert ("Cubre las normas e iniciativas que la entidad debe cumplir: No cubre lo que la dependencia debe "
            "cumplir. (la OAP lo marcó como no cumplido; lo revisará de nuevo)") in html
    antes = _foto(plan)
    director.post(f"{BASE}/enviar/", data={"id": plan.id})
    assert _foto(plan) == antes
    director.post(f"{BASE}/enviar/", data={"id": plan.id, "confirmado": "si"})
    assert _foto(plan)[0] is E.ENVIADO


# --- 2. Metas de una Dirección Territorial ------------------------------------------------------------
def test_el_formulario_de_metas_de_la_dt_dice_actividad_plan_vigencia_y_meta_nacional(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (0, 0, 0, 0)})
    actividad.meta_t1, actividad.meta_t2, actividad.meta_t3, actividad.meta_t4 = (Decimal(1250), Decimal(10),
                                                                                   Decimal(10), Decimal("10.5"))
    actividad.meta_anual = Decimal("1280.5")
    db.session.commit()
    territorial = navegador(usuarios[R.TERRITORIAL])
    meta = actividad.metas_territoriales[0]

    html = territorial.texto(f"/admin/metaterritorial/edit/?id={meta.id}")
    assert f"A1 · {actividad.descripcion}" in html
    assert plan.nombre in html and ">2026<" in html
    nacional = re.search(r"Meta nacional</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">([^<]+)</td>", nacional) == ["1.250", "10", "10", "10,5", "1.280,5"]
    assert 'name="meta_t1"' in html

    lista = territorial.texto("/admin/metaterritorial/")
    assert re.search(r'<th class="column-header col-actividad-plan-vigencia">\s*Vigencia', lista)
    assert re.search(r'<td class="col-actividad.plan.vigencia">\s*2026\s*</td>', lista)


# --- 3. Verificación en bloque ------------------------------------------------------------------------
def _tres_enviados(fabrica):
    m = fabrica.mundo
    tercera = fabrica.dependencia("4100", "Subdirección Administrativa y Financiera")
    return [fabrica.plan_accion(dep, estado=E.ENVIADO) for dep in (m.central, m.central2, tercera)]


def _marcas(plan, cumplen=JUICIO, comentarios=None):
    datos = {"id": plan.id}
    datos.update({f"cumple-{plan.id}-{i}": "si" for i in cumplen})
    datos.update({f"comentario-{plan.id}-{i}": texto for i, texto in (comentarios or {}).items()})
    return datos


def _unir(*partes):
    datos = {"id": []}
    for parte in partes:
        parte = dict(parte)
        datos["id"].append(parte.pop("id"))
        datos.update(parte)
    return datos


def test_la_oap_registra_los_puntos_de_juicio_de_varios_planes_con_un_envio(fabrica, usuarios, navegador):
    p1, p2, p3 = _tres_enviados(fabrica)
    aprobado = fabrica.plan_accion(fabrica.dependencia("5100", "Oficina de Control Interno"), estado=E.APROBADO)
    oap = navegador(usuarios[R.OAP])

    html = oap.texto(f"{BASE}/verificar_en_bloque/")
    for p in (p1, p2, p3):
        assert p.nombre in html and f'name="cumple-{p.id}-normas"' in html
    assert aprobado.nombre not in html
    assert "Verificar en bloque" in oap.texto(f"{BASE}/")

    datos = _unir(_marcas(p1), _marcas(p2, ("funciones", "metodologia"), {"normas": "Falta la Ley 2466."}),
                  _marcas(p3, ("normas",)))
    html = oap.post(f"{BASE}/verificar_en_bloque/", data=datos, follow_redirects=True).get_data(as_text=True)
    mensajes = _mensajes(oap, html)
    assert f"«{p1}»: 3 punto(s) registrado(s); lista de chequeo: Cumple la lista de chequeo." in mensajes
    assert f"«{p2}»: 3 punto(s) registrado(s); lista de chequeo: 1 por corregir." in mensajes
    assert f"«{p3}»: 1 punto(s) registrado(s); lista de chequeo: 2 por verificar." in mensajes
    assert [v[:3] for v in _foto(p1)[3]] == [(i, True, None) for i in sorted(JUICIO)]
    assert ("normas", False, "Falta la Ley 2466.") in [v[:3] for v in _foto(p2)[3]]
    assert [v[:2] for v in _foto(p3)[3]] == [("normas", True)]
    assert all(_foto(p)[0] is E.ENVIADO for p in (p1, p2, p3))  # verificar no aprueba ni devuelve

    # Lo mismo otra vez: nada que registrar, no cambia quién ni cuándo verificó.
    antes = [_foto(p) for p in (p1, p2, p3)]
    html = oap.post(f"{BASE}/verificar_en_bloque/", data=datos, follow_redirects=True).get_data(as_text=True)
    assert f"«{p1}»: sin cambios; lista de chequeo: Cumple la lista de chequeo." in _mensajes(oap, html)
    assert [_foto(p) for p in (p1, p2, p3)] == antes


def test_la_verificacion_en_bloque_es_todo_o_nada(fabrica, usuarios, navegador):
    p1, p2, p3 = _tres_enviados(fabrica)
    fabrica.verificar(p2)
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    antes = [_foto(p) for p in (p1, p2, p3)]

    # p2 cumplía «normas»; desmarcarlo sin decir por qué no se acepta, y entonces no se registra nada.
    datos = _unir(_marcas(p1), _marcas(p2, ("funciones", "metodologia")), _marcas(p3, comentarios={
        "normas": "Sin el decreto de la vigencia."}))
    respuesta = oap.post(f"{BASE}/verificar_en_bloque/", data=datos)
    assert respuesta.status_code == 422
    html = respuesta.get_data(as_text=True)
    mensajes = " ".join(_mensajes(oap, html))
    assert "No se guardó nada: hay 1 error(es)" in mensajes
    assert (f"«{p2}», «Cubre las normas e iniciativas que la entidad debe cumplir»: Explique en el comentario por "
            "qué el punto no se cumple.") in mensajes
    assert [_foto(p) for p in (p1, p2, p3)] == antes
    # Lo que la OAP escribió sigue en la página para corregir solo lo que falló.
    assert re.search(rf'name="cumple-{p1.id}-normas" value="si" checked', html)
    assert 'value="Sin el decreto de la vigencia."' in html
    assert not re.search(rf'name="cumple-{p2.id}-normas" value="si" checked', html)


def test_la_verificacion_en_bloque_es_solo_de_la_oap_y_desde_la_lista(fabrica, usuarios, navegador):
    p1, p2, _ = _tres_enviados(fabrica)
    aprobado = fabrica.plan_accion(fabrica.dependencia("5100", "Oficina de Control Interno"), estado=E.APROBADO)
    director = navegador(usuarios[R.DIRECTOR])
    antes = _foto(p1)
    assert director.get(f"{BASE}/verificar_en_bloque/").status_code == 403
    assert director.post(f"{BASE}/verificar_en_bloque/", data=_marcas(p1)).status_code == 403
    assert director.post(f"{BASE}/action/", data={"action": "verificar", "rowid": [p1.id]}).status_code == 403
    assert navegador(usuarios[R.CONTROL_INTERNO]).post(f"{BASE}/verificar_en_bloque/",
                                                      data=_marcas(p1)).status_code == 403
    assert _foto(p1) == antes

    oap = navegador(usuarios[R.OAP])
    respuesta = oap.post(f"{BASE}/action/", data={"action": "verificar", "rowid": [p1.id, aprobado.id]})
    assert respuesta.status_code == 302 and "/verificar_en_bloque/" in respuesta.headers["Location"]
    html = oap.texto(respuesta.headers["Location"])
    assert f'name="cumple-{p1.id}-normas"' in html and p2.nombre not in html
    assert f"«{aprobado}» está aprobado: solo se verifica un plan enviado" in html
    assert f'name="cumple-{aprobado.id}-normas"' not in html
    # Un plan que ya no está en verificación no se cuela por el formulario.
    oap.post(f"{BASE}/verificar_en_bloque/", data=_unir(_marcas(p1), _marcas(aprobado)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VerificacionPlan)
                             .filter_by(plan_id=aprobado.id)) == 3  # las de su aprobación, intactas
    assert len(_foto(p1)[3]) == 3


# --- 4 y 5. Papel y teléfonos -------------------------------------------------------------------------
def test_el_imprimible_y_las_paginas_anchas_traen_su_css(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(fabrica.mundo.central)
    director = navegador(usuarios[R.DIRECTOR])
    ficha = director.texto(f"{BASE}/ficha/?id={plan.id}")
    assert 'href="/static/movil.css?v=' in ficha
    # La tabla ancha se desplaza también con el teclado: una región con foco, nombrada por su título.
    assert re.search(r'<div class="table-responsive" tabindex="0" role="region" aria-labelledby="titulo-actividades">'
                     r'\s*<table class="table table-sm table-bordered tabla-ancha">', ficha)
    assert re.search(r'<div class="table-responsive">\s*<table class="table table-sm small">\s*<thead><tr><th>Fecha',
                     ficha)  # el historial
    fabrica.publicar_estrategicos()
    publico = navegador().texto("/publico/")
    assert 'href="/static/movil.css?v=' in publico and 'class="table table-sm tabla-apilable"' in publico
    assert '<td data-etiqueta="Tipo">Plan Estratégico Sectorial</td>' in publico
    imprimible = navegador(usuarios[R.OAP]).texto("/admin/tablero/imprimir/?vigencia=2026&trimestre=1")
    assert 'href="/static/imprimir.css?v=' in imprimible and '<div class="detalle-actividades">' in imprimible
    for hoja in ("movil.css", "imprimir.css"):
        assert director.get(f"/static/{hoja}").status_code == 200
    assert "size: A4 landscape" in director.get("/static/imprimir.css").get_data(as_text=True)
