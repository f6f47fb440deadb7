"""El tablero, los inicios de la OAP y del director y la página pública del PAI hacen las mismas consultas SQL
con pocos planes que con muchos (cifras guardadas, listas en lote, una página de actividades)."""

import pytest
import sqlalchemy as sa

from gestion.planes import plan_accion as servicio
from gestion.reglas import roles as R
from modelos import EstadoPlan, EstadoReporte, db

from .test_consultas import consultas

E = EstadoPlan


def _dependencias(fabrica, cuantas, desde, estado=E.APROBADO, reportar=True):
    """Dependencias con director, su plan de 3 actividades y (si está aprobado) su reporte del T1 y el T2."""
    for i in range(cuantas):
        dependencia = fabrica.dependencia(f"{desde + i}")
        fabrica.usuario(R.DIRECTOR, dependencia)
        plan = fabrica.plan_accion(dependencia, estado, actividades=3)
        if reportar and estado is E.APROBADO:
            fabrica.reporte(plan, 1, {"A1": 10, "A2": 5, "A3": 12}, comprometido={"A1": 900_000},
                            estado=EstadoReporte.ACEPTADO)
            fabrica.reporte(plan, 2, {"A1": 8, "A2": 10, "A3": 10})
    db.session.commit()


def _estable(cliente, url) -> int:
    """Las consultas de la página ya al día: la primera lectura tras un cambio hecho sin los servicios
    recalcula lo pendiente (un número fijo de consultas, también), la segunda es la que se mide."""
    consultas(cliente, url)
    return consultas(cliente, url)


TABLERO = "/admin/tablero/?vigencia=2026&trimestre=2"


@pytest.mark.parametrize("url", [TABLERO, TABLERO + "&objetivo={objetivo}", "/admin/"])
def test_tablero_e_inicio_de_la_oap_no_crecen_con_los_planes(fabrica, usuarios, navegador, url):
    m = fabrica.mundo
    url = url.format(objetivo=m.objetivo_pei.id)
    oap = navegador(usuarios[R.OAP])
    _dependencias(fabrica, 2, 5000)
    _dependencias(fabrica, 1, 5500, estado=E.ENVIADO)
    pocas = _estable(oap, url)
    _dependencias(fabrica, 5, 6000)
    _dependencias(fabrica, 4, 6500, estado=E.ENVIADO)
    assert "6000" in oap.texto(url) or url == "/admin/"
    assert _estable(oap, url) == pocas


@pytest.mark.parametrize("rol, url", [
    (R.CONTROL_INTERNO, "/admin/"),
    (R.CONTROL_INTERNO, "/admin/verificacion_oci/cuadro/?vigencia=2026&periodo=T2"),
    (R.CONTROL_INTERNO, "/admin/verificacion_oci/cuadro/?vigencia=2026&periodo=T2&q=6002"),
    (R.OAP, "/admin/calidad_reporte/?vigencia=2026&trimestre=2"),
    (R.OAP, "/admin/calidad_reporte/?vigencia=2026&trimestre=1&pagina=2&q=Dependencia"),
])
def test_control_interno_y_calidad_no_crecen_con_los_planes(fabrica, usuarios, navegador, rol, url):
    """Su inicio, el cuadro de verificación y la calidad del reporte: las mismas consultas con 3 dependencias que
    con 12 (cifras y cuentas guardadas, una página de filas)."""
    cliente = navegador(usuarios[rol])
    _dependencias(fabrica, 2, 5000)
    _dependencias(fabrica, 1, 5500, estado=E.ENVIADO)
    pocas = _estable(cliente, url)
    _dependencias(fabrica, 5, 6000)
    _dependencias(fabrica, 4, 6500, estado=E.ENVIADO)
    assert "6002" in cliente.texto(url) or "cuadro" not in url
    assert _estable(cliente, url) == pocas


def test_el_detalle_de_una_dependencia_no_crece_con_las_demas(fabrica, usuarios, navegador):
    m = fabrica.mundo
    oap = navegador(usuarios[R.OAP])
    _dependencias(fabrica, 1, 5000)
    url = f"{TABLERO}&dependencia={m.central.id}"
    fabrica.reporte(fabrica.plan_accion(m.central, E.APROBADO), 1, {"A1": 10, "A2": 10})
    pocas = _estable(oap, url)
    _dependencias(fabrica, 5, 6000)
    assert _estable(oap, url) == pocas


def test_inicio_del_director_no_crece_con_las_demas_dependencias(fabrica, usuarios, navegador):
    m = fabrica.mundo
    director = navegador(usuarios[R.DIRECTOR])
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 5})
    _dependencias(fabrica, 2, 5000)
    pocas = _estable(director, "/admin/")
    _dependencias(fabrica, 6, 6000)
    html = director.texto("/admin/")
    assert "Semáforo · 2026, trimestre 2" in html and "Sin reporte: 1" in html  # su T2 sin enviar
    assert _estable(director, "/admin/") == pocas


def _con_la_dt(fabrica, dt, cuantas, desde):
    """Dependencias centrales con una actividad que ejecuta la DT: una de cada dos con su plan aprobado (la DT lo
    reporta), las otras en formulación (la DT fija sus metas)."""
    for i in range(cuantas):
        plan = fabrica.plan_accion(fabrica.dependencia(f"{desde + i}"), E.APROBADO if i % 2 == 0 else E.BORRADOR)
        fabrica.actividad_territorial(plan, {dt: (1, 2, 3, 4)})
    db.session.commit()


def test_inicio_de_la_dt_no_crece_con_los_planes_que_reporta_ni_con_sus_metas(fabrica, usuarios, navegador):
    m = fabrica.mundo
    servicio.completar_cronograma(m.vigencia, usuarios[R.OAP])
    fabrica.ventana(2)
    dt = navegador(usuarios[R.TERRITORIAL])
    _con_la_dt(fabrica, m.territorial, 2, 5000)
    pocas = _estable(dt, "/admin/")
    _con_la_dt(fabrica, m.territorial, 8, 6000)
    html = dt.texto("/admin/")
    # Un reporte por enviar por cada plan aprobado, y las metas de cada plan en formulación con su dependencia.
    assert html.count("Sin empezar") == 5 and html.count("· Dependencia 6") == 4
    assert _estable(dt, "/admin/") == pocas


def test_la_pagina_publica_del_pai_no_crece_con_los_planes(fabrica, usuarios, navegador):
    publico = navegador()
    _dependencias(fabrica, 2, 5000, reportar=False)
    pequeno = fabrica.publicar_pai("01-2026")
    _dependencias(fabrica, 6, 6000, reportar=False)
    grande = fabrica.publicar_pai("02-2026")  # la versión siguiente, con los 8 planes
    assert len(grande.planes_consolidados) > len(pequeno.planes_consolidados)
    pocas = _estable(publico, f"/publico/pai/{pequeno.id}")
    assert _estable(publico, f"/publico/pai/{grande.id}") == pocas
    una = grande.planes_consolidados[-1].dependencia_id
    assert _estable(publico, f"/publico/pai/{grande.id}?dependencia={una}") == pocas


@pytest.mark.parametrize("rol", [R.OAP, R.DIRECTOR])
def test_la_primera_vista_del_tablero_lee_lo_guardado_en_tres_sentencias(fabrica, usuarios, navegador, rol):
    """Las cifras guardadas de la primera vista: la página de dependencias, las sin reporte, cuántas hay y de qué
    color, en una sentencia; los objetivos y el total de cada trimestre en otra; la tendencia de las dependencias
    de la página en la tercera. Antes eran seis lecturas de las mismas filas."""
    m = fabrica.mundo
    fabrica.reporte(fabrica.plan_accion(m.central, E.APROBADO), 2, {"A1": 10, "A2": 5})  # la del director
    _dependencias(fabrica, 3, 5000)
    cliente = navegador(usuarios[rol])
    assert "Tendencia T1–T4" in cliente.texto(TABLERO)
    _estable(cliente, TABLERO)
    sentencias = []

    def anotar(conexion, cursor, sql, *resto):
        sentencias.append(sql)

    sa.event.listen(db.engine, "before_cursor_execute", anotar)
    try:
        assert cliente.get(TABLERO).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", anotar)
    assert len([s for s in sentencias if "cifra_agregada" in s]) == 3
