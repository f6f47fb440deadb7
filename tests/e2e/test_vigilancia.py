"""La vigilancia que toda prueba en el navegador lleva (conftest.Errores) de verdad atrapa lo que dice:
una petición a otro servidor (bloqueada antes de salir), una violación de la CSP, un error de consola y
una excepción de la página."""
import pytest

from .conftest import Errores

pytestmark = pytest.mark.e2e

IMAGEN_EXTERNA = "http://cdn.example.com/logo.png"
AGREGAR_IMAGEN = f"() => {{ const i = document.createElement('img'); i.src = '{IMAGEN_EXTERNA}'; document.body.appendChild(i); }}"


def test_la_vigilancia_atrapa_peticiones_externas_y_errores_de_consola(chromium, servidor):
    errores = Errores()
    contexto = chromium.new_context(base_url=servidor)
    errores.vigilar(contexto, servidor)
    try:
        pagina = contexto.new_page()
        pagina.goto("/login")
        assert errores.externas == [] and errores.consola == []
        # En las páginas de la app la CSP la bloquea antes de pedirla, y lo dice en la consola.
        pagina.evaluate(AGREGAR_IMAGEN)
        pagina.evaluate("() => console.error('algo falló')")
        pagina.evaluate("() => setTimeout(() => { throw new Error('sin capturar'); })")
        pagina.wait_for_timeout(300)
        # Sin CSP (una página en blanco), la petición llega a la intercepción, que la aborta.
        blanca = contexto.new_page()
        blanca.set_content("<p>sin CSP</p>")
        blanca.evaluate(AGREGAR_IMAGEN)
        blanca.wait_for_timeout(300)
    finally:
        contexto.close()
    assert errores.externas == [IMAGEN_EXTERNA]
    assert any("Content Security Policy" in e for e in errores.consola)
    assert any("algo falló" in e for e in errores.consola)
    assert any("sin capturar" in e for e in errores.consola)
