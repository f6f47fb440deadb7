"""Las barras, encabezados y formularios de las listas y el menú se dibujan una vez y se reutilizan
(vistas/fragmentos.py): lo reutilizado es siempre lo de quien pide, con lo que pide, y el token CSRF y el nonce de
su propia petición."""
import re

from gestion.reglas import roles as R
from modelos import EstadoPlan, db
from vistas.fragmentos import Memoria

LISTA = "/admin/planes_accion/"


def _token_de_acciones(html: str) -> str:
    formulario = re.search(r'<form id="action_form".*?</form>', html, re.S).group(0)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     formulario).group(0).rsplit('value="', 1)[1].rstrip('"')


def test_cada_rol_ve_su_barra_aunque_otro_la_haya_pedido_antes(fabrica, usuarios, navegador):
    fabrica.plan_accion(estado=EstadoPlan.ENVIADO, actividades=1)
    oap = navegador(usuarios[R.OAP]).texto(LISTA)
    director = navegador(usuarios[R.DIRECTOR]).texto(LISTA)
    oap_otra_vez = navegador(usuarios[R.OAP]).texto(LISTA)
    assert "Verificar en bloque" in oap and "Verificar en bloque" in oap_otra_vez
    assert "Verificar en bloque" not in director and "Solicitar planes" not in director
    assert 'data-accion-en-bloque="verificar"' in oap
    assert 'data-accion-en-bloque="verificar"' not in director


def test_la_busqueda_y_el_orden_de_cada_url_son_los_suyos(fabrica, usuarios, navegador):
    fabrica.plan_accion(actividades=1)
    oap = navegador(usuarios[R.OAP])
    assert 'value="Talento"' in oap.texto(LISTA + "?search=Talento")
    otra = oap.texto(LISTA + "?search=Contratos")
    assert 'value="Contratos"' in otra and 'value="Talento"' not in otra
    # El encabezado ordenado dice su sentido al lector de pantalla, distinto en cada orden.
    assert "(orden ascendente)" in oap.texto(LISTA + "?sort=0")
    assert "(orden descendente)" in oap.texto(LISTA + "?sort=0&desc=1")


def test_el_token_de_las_acciones_en_bloque_es_el_de_la_sesion_que_pide(fabrica, usuarios, navegador):
    """Dos personas de la OAP ven la misma barra guardada; cada una recibe su token, y con él su acción pasa."""
    enviado = fabrica.plan_accion(estado=EstadoPlan.ENVIADO, actividades=1)
    otra_oap = fabrica.usuario(R.OAP, email="otra.oap@mintrabajo.gov.co")
    primera, segunda = navegador(usuarios[R.OAP]), navegador(otra_oap)
    token_primera = _token_de_acciones(primera.texto(LISTA))
    token_segunda = _token_de_acciones(segunda.texto(LISTA))
    assert token_primera != token_segunda
    # Con el token de la otra sesión, Flask-WTF la rechaza; con el suyo, la acción corre.
    ajeno = segunda.post(LISTA + "action/", csrf=False,
                         data={"action": "verificar", "rowid": [enviado.id], "csrf_token": token_primera})
    assert ajeno.status_code == 400
    propio = segunda.post(LISTA + "action/", csrf=False, follow_redirects=True,
                          data={"action": "verificar", "rowid": [enviado.id], "csrf_token": token_segunda})
    assert propio.status_code == 200


def test_cada_pagina_lleva_el_nonce_de_su_cabecera(usuarios, navegador):
    oap = navegador(usuarios[R.OAP])
    vistos = set()
    for _ in range(2):
        respuesta = oap.get(LISTA)
        nonce = re.search(r"'nonce-([^']+)'", respuesta.headers["Content-Security-Policy"]).group(1)
        en_la_pagina = set(re.findall(r'<script nonce="([^"]+)"', respuesta.get_data(as_text=True)))
        assert en_la_pagina == {nonce}
        vistos.add(nonce)
    assert len(vistos) == 2


def test_el_menu_del_usuario_dice_su_nombre_de_hoy(usuarios, navegador):
    director = usuarios[R.DIRECTOR]
    cliente = navegador(director)
    assert director.nombre.split(" – ")[0] in cliente.texto(LISTA)
    director.nombre = "Rocío Benavides Ortiz"
    db.session.commit()
    assert "Rocío Benavides Ortiz" in cliente.texto(LISTA)


def test_la_memoria_de_trozos_no_pasa_su_tope():
    memoria = Memoria(tope=3)
    for i in range(5):
        memoria.guardar(("trozo", i), f"<p>{i}</p>")
    assert len(memoria) == 3
    assert memoria.leer(("trozo", 0)) is None and memoria.leer(("trozo", 4)) == "<p>4</p>"
