"""Todo formulario POST de las plantillas lleva su token CSRF por la macro `formularios.csrf()`
(plantillas/_formularios.html), no escrito a mano; y el token que la macro pone es el que la app acepta."""
import re
from pathlib import Path

from gestion.reglas import roles as R

PLANTILLAS = Path(__file__).resolve().parent.parent / "plantillas"
FORMULARIO_POST = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
# Los formularios de WTForms traen su propio token (form.hidden_tag(), form.csrf_token).
CON_TOKEN = re.compile(r"formularios\.csrf\(\)|hidden_tag\(\)|\.csrf_token\b")


def test_ninguna_plantilla_escribe_el_token_a_mano_y_todo_post_lo_lleva():
    a_mano, sin_token = [], []
    for archivo in sorted(PLANTILLAS.rglob("*.html")):
        if archivo.name == "_formularios.html":
            continue
        texto = archivo.read_text()
        if 'name="csrf_token"' in texto:
            a_mano.append(archivo.relative_to(PLANTILLAS))
        for cuerpo in FORMULARIO_POST.findall(texto):
            if not CON_TOKEN.search(cuerpo):
                sin_token.append(f"{archivo.relative_to(PLANTILLAS)}: {cuerpo[:80]!r}")
    assert not a_mano, f"token CSRF escrito a mano (use formularios.csrf()): {a_mano}"
    assert not sin_token, f"formularios POST sin token: {sin_token}"


def test_el_token_de_la_macro_es_el_que_la_app_acepta(navegador, usuarios):
    oap = navegador(usuarios[R.OAP])
    html = oap.texto("/admin/")
    token = re.search(r'<form method="post" action="/logout"[^>]*>\s*<input type="hidden" name="csrf_token" '
                      r'value="([^"]+)">', html).group(1)
    respuesta = oap.post("/logout", data={"csrf_token": token}, csrf=False)
    assert respuesta.status_code == 302
    assert oap.get("/admin/").status_code == 302  # la sesión se cerró: vuelve al ingreso
