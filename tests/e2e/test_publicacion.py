"""La publicación del art. 74 y los datos abiertos en el navegador: el ciudadano llega desde la página pública a
cada contenido y a las descargas, y la OAP ve su lista «publicado · enlace» / «falta» y registra el plan de
compras; sin pedir nada a otro servidor ni romper la CSP."""
import pytest
from playwright.sync_api import expect

from gestion.reglas import roles as R
from modelos import EstadoPlan as E

pytestmark = pytest.mark.e2e


def test_el_ciudadano_recorre_el_art74_y_la_oap_completa_el_plan_de_compras(
        contexto, fabrica, usuarios, navegar, captura):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    fabrica.plan_accion(m.central, E.APROBADO, proyecto=fabrica.proyecto(m.central))
    fabrica.publicar_pai()
    oap = usuarios[R.OAP].email

    ciudadano = navegar()
    ciudadano.goto("/publico/")
    ciudadano.get_by_role("link", name="2026", exact=True).click()
    expect(ciudadano.locator("#item-plan_compras")).to_contain_text("falta")
    expect(ciudadano.locator("#item-metas")).to_contain_text("publicado")
    ciudadano.locator("#item-objetivos").get_by_role("link", name="enlace").click()
    expect(ciudadano.locator("h1")).to_contain_text("Plan Estratégico Institucional")
    ciudadano.goto("/publico/datos/")
    ciudadano.get_by_role("link", name="Diccionario").first.click()
    expect(ciudadano.locator("table")).to_contain_text("codigo_actividad")
    with ciudadano.expect_download() as descarga:
        ciudadano.goto("/publico/datos/")
        ciudadano.get_by_role("link", name="CSV").first.click()
    assert descarga.value.suggested_filename == "actividades-2026.csv"

    pagina = navegar(oap)
    pagina.goto("/admin/plancompras/art74/?vigencia=2026")
    expect(pagina.locator("#item-plan_compras")).to_contain_text("falta")
    pagina.get_by_role("link", name="Registrar el plan de compras").click()
    pagina.fill("#enlace", "https://www.secop.gov.co/paa/2026")
    pagina.get_by_role("button", name="Guardar", exact=True).click()
    pagina.goto("/admin/plancompras/art74/?vigencia=2026")
    expect(pagina.locator("#item-plan_compras")).to_contain_text("publicado")
    expect(pagina.locator("#item-plan_compras")).to_contain_text("https://www.secop.gov.co/paa/2026")
    captura(pagina)
