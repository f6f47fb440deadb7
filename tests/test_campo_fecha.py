"""El campo de fecha sin navegador: lo guardado se muestra dd/mm/aaaa, lo escrito dd/mm/aaaa se guarda, lo
mal escrito vuelve tal cual con su mensaje, y ninguna página carga el selector de Flask-Admin (el que
reescribía el campo al teclear). El calendario mismo lo prueban tests/e2e."""
from datetime import date, datetime, timedelta

from gestion.base import formato
from gestion.reglas import roles as R
from modelos import Actividad, db

from .fabricas import datos_de_actividad
from .test_plan_accion_http import _version


def test_el_formulario_muestra_y_lee_fechas_dd_mm_aaaa(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(fabrica.mundo.central)
    actividad = plan.actividades[0]
    director = navegador(usuarios[R.DIRECTOR])
    url = f"/admin/actividad/edit/?id={actividad.id}"
    html = director.texto(url)
    assert 'name="fecha_inicio"' in html and 'value="01/02/2026"' in html and 'data-fecha="dd/mm/aaaa"' in html
    assert 'data-role="datepicker"' not in html and "/static/fecha.js" in html

    datos = datos_de_actividad(fabrica.mundo, plan, "A1", 50, version_formulario=_version(html),
                       fecha_inicio="01/03/2026", fecha_fin="31/13/2026")
    html = director.post(url, data=datos).get_data(as_text=True)
    assert "Escriba la fecha como dd/mm/aaaa" in html and 'value="31/13/2026"' in html

    datos.update(fecha_fin="20/11/2026", version_formulario=_version(html))
    assert director.post(url, data=datos).status_code == 302
    db.session.expire_all()
    guardada = db.session.get(Actividad, actividad.id)
    assert (guardada.fecha_inicio, guardada.fecha_fin) == (date(2026, 3, 1), date(2026, 11, 20))


def test_las_plantillas_propias_usan_el_mismo_campo(fabrica, usuarios, navegador):
    ventana = fabrica.ventana(1, abierta=False)
    html = navegador(usuarios[R.OAP]).texto(f"/admin/ventanareporte/reabrir/?id={ventana.id}")
    assert 'name="hasta"' in html and 'data-fecha="dd/mm/aaaa"' in html and 'type="date"' not in html


def test_los_filtros_de_fecha_de_las_listas_se_escriben_dd_mm_aaaa(fabrica, usuarios, navegador):
    fabrica.plan_accion(fabrica.mundo.central)  # deja filas en la auditoría, fechadas hoy
    oap = navegador(usuarios[R.OAP])
    lista = oap.texto("/admin/registroauditoria/")
    assert '"type": "fecha"' in lista and "picker" not in lista.split('id="filter-groups-data"')[1].split("</div>")[0]
    assert "/static/fecha.js" in lista
    hoy = formato.fecha(datetime.now(formato.ZONA).date())
    ayer = formato.fecha(datetime.now(formato.ZONA).date() - timedelta(days=1))
    assert "No hay registros para mostrar" not in oap.texto(f"/admin/registroauditoria/?flt0_fecha_el_da={hoy}")
    assert "No hay registros para mostrar" not in oap.texto(f"/admin/registroauditoria/?flt0_fecha_desde={ayer}")
    assert "No hay registros para mostrar" in oap.texto(f"/admin/registroauditoria/?flt0_fecha_hasta={ayer}")
    # Una fecha imposible no filtra ni rompe la página.
    assert oap.get("/admin/registroauditoria/?flt0_fecha_el_da=31/13/2026").status_code == 200
