"""Lo que lee una persona en Colombia en el panel: español de aquí (no de España ni inglés), cifras con puntos
de miles, estados y acciones por su nombre, listas que no eligen por ella."""
import html as html_lib
import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from gestion.reglas import roles as R
from modelos import Actividad, Compromiso, EstadoPlan, EstadoReporte, RegistroAuditoria, Vigencia, db
from vistas.etiquetas import etiqueta_tabla

CATALOGO = Path(__file__).resolve().parent.parent / "gestion/traducciones/es_CO/LC_MESSAGES"


def _texto_visible(html: str) -> str:
    """El texto de la página sin scripts ni etiquetas, como lo lee quien la mira."""
    sin_codigo = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", sin_codigo)))


def _tabla(html: str) -> str:
    """El texto de la tabla de una lista (sin los datos ocultos de los filtros)."""
    return _texto_visible(html[html.index("<table"):html.rindex("</table>")])


def _seleccionada(html: str, campo: str) -> str:
    lista = re.search(rf'<select[^>]*name="{campo}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return html_lib.unescape(re.search(r"<option[^>]*selected[^>]*>([^<]*)</option>", lista).group(1))


def _actividad(m, plan, **otros):
    datos = {"plan": plan.id, "codigo": "A9", "descripcion": "Visitas de inspección", "objetivo": m.objetivo_pei.id,
             "politica": m.mipg.id, "indicador": "Visitas realizadas", "formula": "Número de visitas",
             "unidad": m.unidad.id, "meta_anual": "40", "meta_t1": "10", "meta_t2": "10", "meta_t3": "10",
             "meta_t4": "10", "peso": "0", "fecha_inicio": "01/02/2026", "fecha_fin": "15/12/2026",
             "presupuesto": "250.000.000", "responsable": "Grupo de inspección"}
    datos.update(otros)
    return datos


# --- Flask-Admin en español de Colombia ---------------------------------------------------------------
def test_lista_y_formulario_en_espanol_de_colombia(navegador, usuarios):
    oap = navegador(usuarios[R.OAP])
    lista, formulario = oap.texto("/admin/dependencia/"), oap.texto("/admin/dependencia/new/")
    for pagina in (lista, formulario):
        assert '<html lang="es">' in pagina
        assert "Toggle navigation" not in pagina and 'aria-label="Mostrar u ocultar el menú"' in pagina
        assert 'src="/static/select2_es.js?v=' in pagina
    visible = _texto_visible(lista)
    assert "Agregar filtro" in visible and "Añadir" not in visible
    assert "50 filas por página" in visible and "items" not in visible and "artículos" not in visible
    assert 'placeholder="Buscar por código o nombre"' in lista
    assert 'value="Guardar"' in formulario and "Salvar" not in formulario
    assert "__None</option>" not in formulario


def test_select2_habla_espanol_y_viene_con_la_app(navegador, usuarios):
    guion = navegador(usuarios[R.OAP]).texto("/static/select2_es.js")
    assert "No hay coincidencias" in guion and "No matches found" not in guion
    assert "resultados; use las flechas" in guion  # lo que anuncia el lector de pantalla


def test_lista_vacia_y_guardado_con_mensajes_de_aqui(navegador, usuarios, fabrica):
    oap = navegador(usuarios[R.OAP])
    assert "No hay registros para mostrar." in _texto_visible(oap.texto("/admin/recordatorio/"))
    dependencia = fabrica.mundo.central2
    respuesta = oap.post(f"/admin/dependencia/edit/?id={dependencia.id}", data={
        "codigo": dependencia.codigo, "nombre": "Dirección de Empleo", "tipo": "central", "padre": "__None",
        "activa": "y", "version_formulario": dependencia.version}, follow_redirects=True)
    visible = _texto_visible(respuesta.get_data(as_text=True))
    assert "El registro se guardó correctamente." in visible and "Registro fue guardado" not in visible


def test_catalogo_compilado_dice_lo_mismo_que_su_fuente():
    def mensajes(catalogo) -> dict:
        plano = lambda texto: tuple(texto) if isinstance(texto, (list, tuple)) else texto  # noqa: E731
        return {plano(m.id): plano(m.string) for m in catalogo if m.id}

    fuente = mensajes(read_po(open(CATALOGO / "admin.po", "rb")))
    assert ("Save", "Guardar") in fuente.items()
    assert mensajes(read_mo(open(CATALOGO / "admin.mo", "rb"))) == fuente, (
        "admin.mo no corresponde a admin.po: .venv/bin/pybabel compile -d gestion/traducciones -D admin -l es_CO")
    # Flask-Security trae el de España («Has cambiado tu contraseña»); el nuestro trata de usted.
    seguridad = mensajes(read_po(open(CATALOGO / "flask_security.po", "rb")))
    assert seguridad["You successfully changed your password."] == "Cambió su contraseña."
    assert mensajes(read_mo(open(CATALOGO / "flask_security.mo", "rb"))) == seguridad, (
        "flask_security.mo no corresponde a su .po: "
        ".venv/bin/pybabel compile -d gestion/traducciones -D flask_security -l es_CO")


def test_filtros_y_busqueda_con_etiquetas_no_con_rutas(navegador, usuarios):
    html = navegador(usuarios[R.OAP]).texto("/admin/planes_accion/")
    assert 'placeholder="Buscar por nombre o dependencia"' in html
    assert "dependencia.nombre" not in html and "dependencia / Dependencia / Nombre" not in html


# --- cifras ------------------------------------------------------------------------------------------
def test_presupuesto_escrito_como_en_colombia_se_muestra_igual_despues_de_guardar(navegador, usuarios, fabrica):
    m, plan = fabrica.mundo, fabrica.plan_accion()
    director = navegador(usuarios[R.DIRECTOR])
    respuesta = director.post("/admin/actividad/new/", data=_actividad(m, plan))
    assert respuesta.status_code == 302, _mensajes(respuesta)
    actividad = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A9"))
    assert actividad.presupuesto == 250_000_000
    edicion = director.texto(f"/admin/actividad/edit/?id={actividad.id}")
    assert re.search(r'name="presupuesto"[^>]*value="250\.000\.000"', edicion)
    ficha = _texto_visible(director.texto(f"/admin/actividad/details/?id={actividad.id}"))
    assert "$ 250.000.000" in ficha and "250000000" not in ficha


def _mensajes(respuesta) -> list[str]:
    return re.findall(r'class="[^"]*(?:alert|help-block|invalid-feedback)[^"]*"[^>]*>(.*?)<', respuesta.get_data(as_text=True))


# --- listas que no eligen por la persona --------------------------------------------------------------
def test_lista_obligatoria_empieza_vacia_o_en_la_vigencia_del_anio(navegador, usuarios, fabrica):
    m = fabrica.mundo
    anio = date.today().year
    actual = db.session.scalar(sa.select(Vigencia).filter_by(anio=anio)) or Vigencia(anio=anio, cuatrienio=m.cuatrienio)
    db.session.add_all([actual, Vigencia(anio=2023, cuatrienio=m.cuatrienio)])
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    formulario = oap.texto("/admin/compromiso/new/")
    assert _seleccionada(formulario, "dependencia") == "— Elija —"
    assert _seleccionada(formulario, "vigencia") == str(anio)
    assert _seleccionada(oap.texto("/admin/dependencia/new/"), "tipo") == "— Elija —"

    antes = db.session.scalar(sa.select(sa.func.count()).select_from(Compromiso))
    respuesta = oap.post("/admin/compromiso/new/", data={"vigencia": actual.id, "dependencia": "__None",
                                                         "tipo": "__None", "descripcion": "Sin elegir"})
    assert respuesta.status_code == 200 and "Elija una opción." in respuesta.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Compromiso)) == antes


def test_la_unica_opcion_del_usuario_viene_elegida(navegador, usuarios, fabrica):
    plan = fabrica.plan_accion()  # el director solo alcanza el plan de su dependencia
    formulario = navegador(usuarios[R.DIRECTOR]).texto("/admin/actividad/new/")
    assert _seleccionada(formulario, "plan") == str(plan)
    assert _seleccionada(formulario, "unidad") == "—"  # las opcionales siguen vacías, con un guion


# --- historial y auditoría por sus etiquetas ----------------------------------------------------------
def test_historial_de_estados_con_etiquetas(navegador, usuarios, fabrica):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.REPORTADO)
    oap = navegador(usuarios[R.OAP])
    lista = _tabla(oap.texto("/admin/historialestado/"))
    assert "Reporte trimestral" in lista and "En reporte" in lista and "Reportado" in lista
    for crudo in ("reporte_trimestral", "en_reporte", " reportado ", " abrir "):
        assert crudo not in lista
    ficha = _texto_visible(oap.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}"))
    assert "En reporte" in ficha and "en_reporte" not in ficha


def test_auditoria_dice_que_fila_y_que_cambio(navegador, usuarios, fabrica):
    m, plan = fabrica.mundo, fabrica.plan_accion(estado=EstadoPlan.BORRADOR)
    director = navegador(usuarios[R.DIRECTOR])
    actividad = plan.actividades[0]
    edicion = director.texto(f"/admin/actividad/edit/?id={actividad.id}")
    version = re.search(r'name="version_formulario"[^>]*value="(\d+)"', edicion).group(1)
    datos = _actividad(m, plan, codigo=actividad.codigo, peso=str(actividad.peso), version_formulario=version)
    assert director.post(f"/admin/actividad/edit/?id={actividad.id}", data=datos).status_code == 302

    oap = navegador(usuarios[R.OAP])
    lista = _tabla(oap.texto("/admin/registroauditoria/?flt0_tabla_equals=actividad"))
    assert "Alta" in lista and "Cambio" in lista and "Actividad" in lista
    db.session.expire_all()
    assert f"{actividad.codigo} · {actividad.descripcion}" in lista  # la fila por su nombre de hoy, no «n.º 17»
    assert f"n.º {actividad.id}" not in lista
    assert " crear " not in lista and " editar " not in lista
    cambio = db.session.scalars(sa.select(RegistroAuditoria).filter_by(
        tabla="actividad", accion="editar", objeto_id=str(actividad.id))).all()[-1]
    ficha = _texto_visible(oap.texto(f"/admin/registroauditoria/details/?id={cambio.id}"))
    assert "Presupuesto: $ 1.000.000 → $ 250.000.000" in ficha
    assert "{" not in ficha.split("Cambios", 1)[1]


def test_una_importacion_se_lee_por_su_tabla_no_por_la_pagina_que_la_hizo():
    assert etiqueta_tabla("planes_accion.cargar_actividades") == "Plan"
    assert etiqueta_tabla("reportetrimestral.cargar_avances") == "Reporte trimestral"
    assert etiqueta_tabla("meta_indicador") == "Meta por año"


def test_cada_columna_de_cada_lista_tiene_su_etiqueta_en_espanol(app):
    """Sin etiqueta, Flask-Admin capitaliza el nombre del atributo: «Revisado En», «Version»."""
    from flask_admin.contrib.sqla import ModelView

    sin_etiqueta = [f"{v.endpoint}.{nombre}: {titulo}" for v in app.extensions["admin"][0]._views
                    if isinstance(v, ModelView) for nombre, titulo in v._list_columns
                    if nombre not in v.column_labels]
    assert not sin_etiqueta


def test_una_palabra_en_un_campo_de_pesos_se_lee_como_lo_que_es(navegador, usuarios, fabrica):
    m, plan = fabrica.mundo, fabrica.plan_accion()
    director = navegador(usuarios[R.DIRECTOR])
    respuesta = director.post("/admin/actividad/new/", data=_actividad(m, plan, presupuesto="mucho"))
    visible = _texto_visible(respuesta.get_data(as_text=True))
    assert "«mucho» no es un número" in visible and "menor que" not in visible
    grande = _texto_visible(director.post("/admin/actividad/new/", data=_actividad(
        m, plan, presupuesto="9" * 30)).get_data(as_text=True))
    assert "Escriba un número menor que" in grande
