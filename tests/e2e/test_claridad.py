"""Lo que una persona nota en el navegador (issue 21): las cifras del reporte como se escriben aquí y el archivo
de evidencia que hay que volver a elegir tras un error; una carga que borraría actividades se muestra antes; el
envío a la OAP se confirma sabiendo qué pasará, también sin JavaScript."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from modelos import Actividad, EstadoPlan, EstadoReporte, db

from ..fabricas import CONTRASENA
from ..test_importar_actividades import _fila, _libro
from . import paginas as P

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n%evidencia\n"


def test_el_reporte_guarda_y_muestra_pesos_con_centavos_y_pide_otra_vez_la_evidencia(fabrica, usuarios, navegar,
                                                                                    captura):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    fabrica.ventana(1)
    reporte = fabrica.reporte(plan, 1, {"A1": 0, "A2": 0}, estado=EstadoReporte.EN_REPORTE)
    db.session.commit()
    director = navegar(usuarios["director"].email)
    director.goto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    fila = director.get_by_role("row").filter(has=director.get_by_label("Valor logrado A1", exact=True))
    director.get_by_label("Valor logrado A1", exact=True).fill("10")
    director.get_by_label("Valor logrado A2", exact=True).fill("4")  # bajo la meta y sin justificación
    justificaciones = director.get_by_placeholder("Justificación (obligatoria si queda por debajo de lo programado)")
    justificaciones.nth(1).fill("")
    fila.get_by_label("Comprometido").fill("250.000.000")
    fila.get_by_label("Pagado").fill("1.050.000,50")
    director.get_by_label("Archivo de evidencia A1").set_input_files(
        {"name": "acta de visitas.pdf", "mimeType": "application/pdf", "buffer": PDF})
    director.get_by_role("button", name="Guardar avances").click()

    # El error no se traga el archivo en silencio: la página lo nombra junto a su campo.
    expect(director.get_by_text("escriba la justificación")).to_be_visible()
    expect(director.get_by_text("Elija otra vez «acta de visitas.pdf»")).to_be_visible()
    expect(fila.get_by_label("Pagado")).to_have_value("1.050.000,50")

    justificaciones.nth(1).fill("Contratista retirado en marzo.")
    director.get_by_label("Archivo de evidencia A1").set_input_files(
        {"name": "acta de visitas.pdf", "mimeType": "application/pdf", "buffer": PDF})
    director.get_by_role("button", name="Guardar avances").click()
    expect(director.get_by_text("Avances guardados.")).to_be_visible()
    expect(fila.get_by_label("Comprometido")).to_have_value("250.000.000")
    expect(fila.get_by_label("Pagado")).to_have_value("1.050.000,50")

    # Enviar a la OAP se confirma leyendo qué pasará.
    director.locator("summary", has_text="Enviar el reporte a la OAP").click()
    expect(director.get_by_text("Desde ese momento usted ya no lo modifica")).to_be_visible()
    director.get_by_role("button", name="Sí, enviar el reporte a la OAP").click()
    expect(director.get_by_text("Pagado $ 1.050.000,50")).to_be_visible()
    captura(director)


def test_la_carga_que_borraria_actividades_las_muestra_y_pide_confirmarlo(fabrica, usuarios, navegar, captura,
                                                                          tmp_path):
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=2)
    territorial = fabrica.actividad_territorial(plan, {m.territorial: (1, 2, 3, 4)})
    db.session.commit()
    libro = tmp_path / "solo A9.xlsx"
    libro.write_bytes(_libro([_fila("A9", peso=100)]))
    director = navegar(usuarios["director"].email)
    director.goto(f"/admin/planes_accion/cargar_actividades/?id={plan.id}")
    director.get_by_label("Libro de Excel (.xlsx)").set_input_files(str(libro))
    director.get_by_role("button", name="Cargar las actividades").click()

    aviso = director.locator("#por-borrar")
    expect(aviso).to_contain_text("no vienen en el archivo")
    expect(aviso.get_by_role("row").filter(has_text=territorial.descripcion)).to_contain_text(m.territorial.nombre)
    expect(aviso).to_contain_text(m.territorial.nombre)  # la territorial con sus metas, que se perderían
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Actividad)) > 1  # nada borrado aún

    director.get_by_role("button", name=re.compile(r"Cargar y borrar \d+ actividad")).click()
    expect(director.get_by_text(re.compile(r"Se borraron, como usted confirmó, \d+ que ya no venían"))).to_be_visible()
    db.session.expire_all()
    assert [a.codigo for a in db.session.scalars(sa.select(Actividad).where(Actividad.plan_id == plan.id))] == ["A9"]
    captura(director)


def test_sin_javascript_el_envio_tambien_se_confirma(fabrica, usuarios, chromium, servidor):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    fabrica.ventana(1)
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    db.session.commit()
    contexto = chromium.new_context(base_url=servidor, java_script_enabled=False, locale="es-CO")
    try:
        pagina = contexto.new_page()
        P.iniciar_sesion(pagina, usuarios["director"].email, CONTRASENA)
        pagina.goto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
        expect(pagina.get_by_role("button", name="Sí, enviar el reporte a la OAP")).to_be_hidden()
        pagina.locator("summary", has_text="Enviar el reporte a la OAP").click()
        pagina.get_by_role("button", name="Sí, enviar el reporte a la OAP").click()
        expect(pagina.get_by_text(re.compile(r"\bReportado\b")).first).to_be_visible()
    finally:
        contexto.close()
