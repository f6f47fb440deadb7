"""Estáticos con huella y caché larga (issue 21, punto 9): cada hoja de estilo se pide una vez por página, toda
URL de un estático lleva la huella de su contenido, y con ella el navegador lo guarda un año sin volver a
preguntar; sin ella (o con una vieja) lo revalida."""
import re
from html import unescape

from gestion.reglas import roles as R

RECURSO = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="(/[^"]+)"', re.I)


def _recursos(html: str) -> list[str]:
    return [unescape(u) for u in RECURSO.findall(html)]


def test_el_inicio_de_la_oap_pide_cada_hoja_una_vez_y_todo_estatico_con_huella(navegador, usuarios):
    oap = navegador(usuarios[R.OAP])
    recursos = _recursos(oap.texto("/admin/"))
    hojas = [r.split("?")[0] for r in recursos if ".css" in r]
    assert hojas.count("/admin/static/bootstrap/bootstrap4/css/bootstrap.min.css") == 1
    assert len(hojas) == len(set(hojas)), hojas
    assert "/static/tema.css" in hojas
    for recurso in recursos:
        assert re.search(r"[?&]v=[0-9a-f]{12}$", recurso), recurso
        respuesta = oap.get(recurso)
        assert respuesta.status_code == 200, recurso
        assert respuesta.headers["Cache-Control"] == "public, max-age=31536000, immutable", recurso


def test_sin_huella_o_con_una_vieja_el_estatico_se_revalida(navegador):
    anonimo = navegador()
    actual = next(r for r in _recursos(anonimo.texto("/login")) if "tema.css" in r)
    for url in ("/static/tema.css", "/static/tema.css?v=000000000000"):
        respuesta = anonimo.get(url)
        assert respuesta.status_code == 200
        assert "immutable" not in respuesta.headers.get("Cache-Control", "")
    assert "immutable" in anonimo.get(actual).headers["Cache-Control"]


def test_la_huella_cambia_cuando_cambia_el_archivo(app, tmp_path):
    from gestion.base import estaticos

    carpeta_original = app.static_folder
    (tmp_path / "hoja.css").write_text("a { color: #000; }")
    app.static_folder = str(tmp_path)
    try:
        with app.test_request_context():
            antes = estaticos.huella("static", "hoja.css")
            (tmp_path / "hoja.css").write_text("a { color: #004884; }")
            despues = estaticos.huella("static", "hoja.css")
    finally:
        app.static_folder = carpeta_original
    assert antes and despues and antes != despues


def test_la_url_de_un_estatico_sigue_al_archivo_en_depuracion_y_se_recuerda_fuera_de_ella(app, tmp_path):
    """Fuera de depuración la URL de cada estático se arma una vez por proceso (los archivos cambian al desplegar,
    con un proceso nuevo); en depuración sigue al archivo, como la huella."""
    from flask import url_for

    carpeta_original, depuracion = app.static_folder, app.debug
    (tmp_path / "otra.css").write_text("a { color: #000; }")
    app.static_folder = str(tmp_path)
    try:
        with app.test_request_context():
            primera = url_for("static", filename="otra.css")
            (tmp_path / "otra.css").write_text("a { color: #004884; }")
            recordada = url_for("static", filename="otra.css")
            app.debug = True
            en_depuracion = url_for("static", filename="otra.css")
    finally:
        app.static_folder, app.debug = carpeta_original, depuracion
        app.extensions.get("gestion_urls_estaticas", {}).clear()
    assert primera == recordada and primera.startswith("/static/otra.css?v=")
    assert en_depuracion != primera and en_depuracion.startswith("/static/otra.css?v=")
