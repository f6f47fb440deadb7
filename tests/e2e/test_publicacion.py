"""La publicación del art. 74 y los datos abiertos en el navegador: el ciudadano llega desde la página pública a
cada contenido y a las descargas, y la OAP ve su lista «publicado · enlace» / «falta» y registra el plan de
compras; sin pedir nada a otro servidor ni romper la CSP."""
from datetime import date

import pytest
from playwright.sync_api import expect

from gestion.planes import ajustes, plan_accion
from gestion.reglas import roles as R
from modelos import EstadoPlan as E
from modelos import db

from ..test_vigente import _pedir, _pertinente
from .test_accesibilidad import _informe, recorrer

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


def test_el_ciudadano_ve_el_plan_en_vigor_y_los_avisos_y_la_historia_cumplen_wcag(
        contexto, fabrica, usuarios, navegar, captura):
    """Un ajuste aprobado publicó la versión 2 del PAI; la 3 está en el comité y otro ajuste aprobado la espera; el
    PEI publicado tiene un ajuste que espera al Comité Institucional. El ciudadano llega de la versión anterior a la
    vigente, del aviso a la página del ajuste, y cada página (avisos, historia, diferencia) pasa axe."""
    m, oap = fabrica.mundo, usuarios[R.OAP]
    fabrica.llevar_estrategico_a(m.pei, E.PUBLICADO)
    central = fabrica.plan_accion(m.central, E.APROBADO)
    v1 = fabrica.publicar_pai()
    publicado = _pedir(central, usuarios, fabrica, "Recorte del proyecto de sedes.")
    _pertinente(publicado, usuarios, fabrica)
    ajustes.aprobar(publicado, oap, "Aprobado.")
    fabrica.plan_accion(m.central2, E.APROBADO)
    v3 = plan_accion.consolidar(m.vigencia, oap)
    plan_accion.presentar(v3, usuarios[R.JEFE_OAP], date(2026, 3, 2), "02-2026", None)
    pendiente = _pedir(publicado.plan_propuesto, usuarios, fabrica, "Nueva meta del cuarto trimestre.")
    _pertinente(pendiente, usuarios, fabrica)
    ajustes.aprobar(pendiente, oap, "Aprobado.")
    comite = usuarios[R.COMITE_INSTITUCIONAL]
    del_pei = ajustes.solicitar(m.pei, comite, "El PND cambió la meta.", "Subir la meta 2026.")
    del_pei.plan_propuesto.objetivos[0].indicadores[0].metas[-1].valor += 5
    ajustes.enviar(del_pei, comite)
    ajustes.revisar(del_pei, oap, True, "Pertinente.")
    db.session.commit()
    v2 = publicado.pai_publicado

    ciudadano = navegar()
    ciudadano.goto(f"/publico/pai/{v1.id}")
    expect(ciudadano.get_by_role("note")).to_contain_text("Esta es una versión anterior")
    ciudadano.get_by_role("note").get_by_role("link").click()
    expect(ciudadano.locator("#con-ajustes")).to_contain_text("Versión publicada con el ajuste aprobado")
    expect(ciudadano.locator("section.card")).to_contain_text("Recorte del proyecto de sedes.")
    expect(ciudadano.locator("#versiones")).to_be_visible()
    aviso = ciudadano.locator("section.alert-warning")
    expect(aviso).to_contain_text("Ajustes aprobados que esta versión aún no muestra")
    aviso.get_by_role("link", name=f"Ajuste #{pendiente.id}").click()
    expect(ciudadano.locator("h1")).to_contain_text(f"Ajuste #{pendiente.id}")
    expect(ciudadano.locator("main")).to_contain_text("en trámite ante el Comité Institucional")
    captura(ciudadano)

    problemas = recorrer(navegar(), [f"/publico/pai/{v1.id}", f"/publico/pai/{v2.id}", f"/publico/planes/{m.pei.id}",
                                     f"/publico/ajustes/{publicado.id}", f"/publico/ajustes/{pendiente.id}",
                                     f"/publico/ajustes/{del_pei.id}"])
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)
