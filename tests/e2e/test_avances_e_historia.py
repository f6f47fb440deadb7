"""WCAG 2.1 AA con axe-core en Chromium para las páginas de traer avances de un libro propio (desde la ficha del
reporte) y de cargar la historia de una vigencia pasada, en su paso más cargado: columnas sugeridas, cómo se lee
cada columna, errores por páginas; y a 390 px ninguna se sale de lado."""
import pytest
from playwright.sync_api import expect

from gestion.reglas import roles as R
from gestion.seguimiento import reportes
from modelos import EstadoPlan, Vigencia, db

from . import paginas
from .test_accesibilidad import _informe, desborde, violaciones

pytestmark = pytest.mark.e2e
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _revisar(pagina) -> dict:
    problemas = {pagina.url: violaciones(pagina)}
    pagina.set_viewport_size({"width": 390, "height": 844})
    sobra = desborde(pagina)
    if sobra:
        problemas[pagina.url].append(f"a 390 px la página se sale de lado {sobra}")
    return {url: lineas for url, lineas in problemas.items() if lineas}


def test_traer_los_avances_de_un_libro_propio_con_su_vista_previa_cumple(contexto, fabrica, usuarios, navegar):
    from ..test_avances_propios import _bandas
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    db.session.commit()
    libro = _bandas([("A1", "Actividad 1 de 3200", ("doce", None, None)),
                     ("A2", "Actividad 2 de 3200", (0.5, "Contratista retirado.", "Acta 3"))],
                    [(0, None, None), (0, None, None)])
    director = navegar(usuarios[R.DIRECTOR].email)
    director.goto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    director.get_by_role("link", name="Traer de un libro propio").click()
    director.set_input_files("input[type=file]", files=[{"name": "seguimiento.xlsx", "buffer": libro,
                                                          "mimeType": XLSX}])
    director.get_by_role("button", name="Subir y asociar columnas").click()
    director.get_by_role("button", name="Ver la vista previa").click()
    expect(director.get_by_text("Cómo se lee cada columna")).to_be_visible()
    expect(director.get_by_text("Errores (2)")).to_be_visible()
    problemas = _revisar(director)
    assert not problemas, _informe(problemas)


def test_cargar_la_historia_con_su_vista_previa_cumple(contexto, fabrica, usuarios, navegar, libro_real):
    m = fabrica.mundo
    db.session.add(Vigencia(anio=2024, cuatrienio=m.cuatrienio))
    db.session.commit()
    oap = navegar(usuarios[R.OAP].email)
    oap.goto(paginas.PLANES + "/")
    oap.get_by_role("link", name="Cargar historia").click()
    oap.set_input_files("input[type=file]", files=[{"name": "tenjo.xlsx", "mimeType": XLSX,
                                                     "buffer": libro_real("PLAN_INDICATIVO_TENJO_2024-2027.xlsx")}])
    oap.get_by_label("Vigencia pasada").select_option("2024")
    oap.get_by_role("button", name="Subir y asociar columnas").click()
    oap.get_by_role("button", name="Ver lo que quedaría").click()
    expect(oap.get_by_text("no se cargaría nada")).to_be_visible()  # los BPIN que el catálogo no tiene
    problemas = _revisar(oap)
    assert not problemas, _informe(problemas)


def test_traer_los_avances_con_un_mapeo_guardado_que_no_encaja_cumple(contexto, fabrica, usuarios, navegar):
    """Con el mapeo de avances guardado para este formato: la lista de mapeos, el aviso de lo que no encaja y el
    nombre para guardarlo al importar."""
    from gestion.importacion import mapeo as M

    from ..test_avances_propios import _bandas
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    libro = _bandas([("A1", "Actividad 1 de 3200", (12, None, None)), ("A2", "Actividad 2 de 3200", (11, None, None))],
                    [(0, None, None), (0, None, None)])
    M.guardar_mapeo(reporte, "Seguimiento de la oficina", M.Mapeo("Seguimiento", 3, {
        "codigo": "Código", "valor": "Trimestre I - 2026 · Resultado", "justificacion": "Causas"}),
        usuarios[R.DIRECTOR], libro, M.DE_AVANCES)
    db.session.commit()
    director = navegar(usuarios[R.DIRECTOR].email)
    director.goto(f"/admin/reportetrimestral/libro_propio/?id={reporte.id}")
    director.set_input_files("input[type=file]", files=[{"name": "seguimiento.xlsx", "buffer": libro,
                                                          "mimeType": XLSX}])
    director.get_by_role("button", name="Subir y asociar columnas").click()
    expect(director.get_by_text("no tiene «Causas»", exact=False)).to_be_visible()
    (guardado,) = M.mapeos_de(plan.dependencia_id, M.DE_AVANCES)
    expect(director.get_by_label("Mapeo guardado")).to_have_value(str(guardado.id))
    problemas = {director.url: violaciones(director)}
    director.get_by_role("button", name="Ver la vista previa").click()
    expect(director.get_by_label("Guardar este mapeo como (opcional)")).to_have_value("Seguimiento de la oficina")
    problemas = {url: lineas for url, lineas in {**problemas, **_revisar(director)}.items() if lineas}
    assert not problemas, _informe(problemas)
