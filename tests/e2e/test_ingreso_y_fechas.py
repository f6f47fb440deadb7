"""El ingreso (y una contraseña equivocada) y el campo de fecha: se escribe dd/mm/aaaa tal cual y el
calendario, en español y con el lunes primero, escribe lo mismo, con el ratón o con el teclado."""
import re

import pytest
from playwright.sync_api import expect

from modelos import Actividad, db

from ..fabricas import CONTRASENA
from . import paginas as P

pytestmark = pytest.mark.e2e


def test_ingreso_con_contrasena_equivocada_y_luego_correcta(usuarios, navegar, captura):
    pagina = navegar()
    P.iniciar_sesion(pagina, usuarios["director"].email, "no-es-la-clave", exito=False)
    P.ver_mensaje(pagina, "Correo o contraseña no válidos")
    expect(pagina).to_have_url(re.compile(r"/login"))
    P.iniciar_sesion(pagina, usuarios["director"].email, CONTRASENA)
    P.ver_mensaje(pagina, "Usuario director")
    captura(pagina)


def test_fecha_escrita_y_elegida_en_el_calendario(fabrica, usuarios, navegar, captura):
    plan = fabrica.plan_accion(fabrica.mundo.central)
    actividad = plan.actividades[0]
    pagina = navegar(usuarios["director"].email)
    pagina.goto(f"/admin/actividad/edit/?id={actividad.id}")

    # Lo guardado se muestra dd/mm/aaaa.
    inicio, fin = P.campo(pagina, "Fecha de inicio"), P.campo(pagina, "Fecha de fin")
    expect(inicio).to_have_value("01/02/2026")
    expect(fin).to_have_value("15/12/2026")

    # Lo que se escribe queda como se escribió (nada de reescribirlo al primer tecleo); el calendario lo sigue.
    inicio.click()
    inicio.fill("")
    inicio.press_sequentially("01/03/2026")
    expect(inicio).to_have_value("01/03/2026")
    calendario = P.calendario(pagina)
    expect(calendario).to_contain_text("marzo de 2026")
    assert calendario.locator("th").all_inner_texts() == ["lu", "ma", "mi", "ju", "vi", "sá", "do"]
    # Marzo de 2026 empieza en domingo: la primera semana trae seis días de febrero antes del 1.
    assert calendario.locator("tbody tr").first.locator("button").all_inner_texts() == ["23", "24", "25", "26", "27", "28", "1"]

    # Elegir en el calendario escribe dd/mm/aaaa.
    fin.click()
    P.calendario(pagina).get_by_role("button", name="Mes anterior").click()
    expect(P.calendario(pagina)).to_contain_text("noviembre de 2026")
    P.calendario(pagina).get_by_role("button", name="20 de noviembre de 2026").click()
    expect(fin).to_have_value("20/11/2026")
    expect(P.calendario(pagina)).to_have_count(0)

    # Con el teclado: flecha abajo entra al calendario en la fecha escrita; flechas mueven; Intro elige.
    fin.press("ArrowDown")
    expect(P.calendario(pagina).get_by_role("button", name="20 de noviembre de 2026")).to_be_focused()
    pagina.keyboard.press("ArrowRight")
    pagina.keyboard.press("ArrowDown")
    expect(P.calendario(pagina).get_by_role("button", name="28 de noviembre de 2026")).to_be_focused()
    pagina.keyboard.press("Enter")
    expect(fin).to_have_value("28/11/2026")
    expect(fin).to_be_focused()
    expect(P.calendario(pagina)).to_have_count(0)
    P.guardar_formulario(pagina)
    expect(pagina.locator(".alert-danger")).to_have_count(0)
    db.session.expire_all()
    guardada = db.session.get(Actividad, actividad.id)
    assert (guardada.fecha_inicio.isoformat(), guardada.fecha_fin.isoformat()) == ("2026-03-01", "2026-11-28")
    db.session.commit()
    captura(pagina)


def test_el_filtro_de_fecha_de_una_lista_usa_el_mismo_calendario(fabrica, usuarios, navegar, captura):
    fabrica.plan_accion(fabrica.mundo.central)  # filas de auditoría fechadas hoy
    pagina = navegar(usuarios["oap"].email)
    pagina.goto("/admin/registroauditoria/?flt0_fecha_hasta=01/01/2020")
    filtro = pagina.locator("input.filter-val").first
    expect(filtro).to_have_value("01/01/2020")
    P.ver_mensaje(pagina, "No hay registros para mostrar")
    filtro.click()
    expect(P.calendario(pagina)).to_contain_text("enero de 2020")
    filtro.fill("")
    filtro.press_sequentially("31/12/2099")
    expect(filtro).to_have_value("31/12/2099")
    pagina.keyboard.press("Escape")
    pagina.get_by_role("button", name=re.compile("Aplicar", re.I)).click()
    expect(pagina).to_have_url(re.compile(r"flt0_fecha_hasta=31%2F12%2F2099|flt0_fecha_hasta=31/12/2099"))
    expect(pagina.get_by_text("No hay registros para mostrar")).to_have_count(0)
    captura(pagina)
