"""El tablero: semáforo por dependencia y objetivo, detalle, alcance por rol y los mismos números en los
archivos del informe."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gestion.base.formato import porcentaje
from gestion.excel import informe as excel_informe
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, revision
from modelos import EstadoPlan, EstadoReporte, db

from .navegador import de_otro_servidor


@pytest.fixture
def escenario(fabrica, usuarios):
    """Central (30/70): 10 y 5 → 65 % rojo. Central2 (50/50): A1 territorial, 5 de 10 (solo reporta una DT)
    y A2 9 de 10 → 70 % amarillo. La DT que reporta 5 de 5: verde; la otra, sin reporte: gris."""
    m = fabrica.mundo
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    plan.actividades[0].peso, plan.actividades[1].peso = Decimal(30), Decimal(70)
    db.session.commit()
    fabrica.actividad_territorial(fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO),
                                  {m.territorial: (5, 5, 5, 5), m.territorial2: (5, 5, 5, 5)})
    otro = db.session.get(type(plan), plan.id + 1)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 5}, comprometido={"A1": 900_000}, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(otro, 1, {"A2": 9}, comprometido={"A2": 200_000})
    fabrica.reporte(otro, 1, {"A1": 5}, dependencia=m.territorial)
    return m, plan, otro


def _filas(html: str) -> dict:
    """Nombre de la dependencia → texto de su fila en la tabla «Por dependencia»."""
    seccion = html.split('<h2 class="h4">Por dependencia</h2>')[1].split("<h2")[0]
    filas = {}
    for fila in re.findall(r"<tr>(.*?)</tr>", seccion, re.S):
        texto = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fila)).strip()
        nombre = re.search(r">([^<]+)</a>", fila)
        if nombre:
            filas[nombre.group(1).strip()] = texto
    return filas


def test_la_oap_ve_todas_las_dependencias_con_su_color(navegador, usuarios, escenario):
    m, _, _ = escenario
    html = navegador(usuarios[R.OAP]).texto("/admin/tablero/?vigencia=2026&trimestre=1")
    filas = _filas(html)
    assert set(filas) == {m.central.nombre, m.central2.nombre, m.territorial.nombre, m.territorial2.nombre}
    assert "65 %" in filas[m.central.nombre] and "Rojo" in filas[m.central.nombre]
    assert "70 %" in filas[m.central2.nombre] and "Amarillo" in filas[m.central2.nombre]
    assert "100 %" in filas[m.territorial.nombre] and "Verde" in filas[m.territorial.nombre]
    assert "Sin reporte" in filas[m.territorial2.nombre]
    assert m.territorial2.nombre in html.split('<h2 class="h4">Sin reporte')[1].split("</ul>")[0]
    assert "Alertas de coherencia presupuestal" in html and "ejecución 90 %" in html
    assert 'href="/static/seguimiento.css?v=' in html and de_otro_servidor(html) == []


def test_el_director_solo_ve_su_dependencia(navegador, usuarios, escenario):
    m, _, _ = escenario
    cliente = navegador(usuarios[R.DIRECTOR])
    html = cliente.texto("/admin/tablero/?vigencia=2026&trimestre=1")
    assert set(_filas(html)) == {m.central.nombre}
    assert m.central2.nombre not in html and m.territorial.nombre not in html
    assert cliente.get(f"/admin/tablero/?vigencia=2026&trimestre=1&dependencia={m.central2.id}").status_code == 404
    detalle = cliente.texto(f"/admin/tablero/?vigencia=2026&trimestre=1&dependencia={m.central.id}")
    assert "Actividad 1 de 3200" in detalle and "Actividad 2 de 3200" in detalle
    imprimible = cliente.texto("/admin/tablero/imprimir/?vigencia=2026&trimestre=1")
    assert m.central.nombre in imprimible and m.central2.nombre not in imprimible


def test_la_dt_ve_solo_su_parte(navegador, usuarios, escenario):
    m, _, _ = escenario
    html = navegador(usuarios[R.TERRITORIAL]).texto("/admin/tablero/?vigencia=2026&trimestre=1")
    assert set(_filas(html)) == {m.territorial.nombre}
    assert navegador(usuarios["territorial2"]).texto("/admin/tablero/?vigencia=2026&trimestre=1").count(
        m.territorial.nombre) == 0


def test_detalle_por_objetivo_del_pei(navegador, usuarios, escenario):
    m, _, _ = escenario
    html = navegador(usuarios[R.CONTROL_INTERNO]).texto(
        f"/admin/tablero/?vigencia=2026&trimestre=1&objetivo={m.objetivo_pei.id}")
    assert m.objetivo_pei.nombre in html and "Actividad 1 de 2200" in html


def test_el_xlsx_y_la_pagina_imprimible_traen_los_numeros_del_tablero(navegador, usuarios, escenario):
    m, _, _ = escenario
    cuadro = cifras.cuadro(m.vigencia, 1)
    libro = load_workbook(BytesIO(excel_informe.libro(cuadro, {})))
    resumen = {fila[0]: fila for fila in libro["Resumen por dependencia"].iter_rows(min_row=2, values_only=True)}
    html = navegador(usuarios[R.OAP]).texto("/admin/tablero/?vigencia=2026&trimestre=1")
    filas_html = _filas(html)
    imprimible = navegador(usuarios[R.OAP]).texto("/admin/tablero/imprimir/?vigencia=2026&trimestre=1")
    for dependencia in cuadro.dependencias:
        fila = resumen[dependencia.nombre]
        acumulado = None if fila[4] is None else Decimal(str(fila[4])) * 100
        assert acumulado == dependencia.avance_acumulado
        assert fila[5] == dependencia.color.etiqueta
        assert porcentaje(acumulado) in filas_html[dependencia.nombre]
        assert porcentaje(acumulado) in imprimible
    assert resumen["Total institucional"][4] * 100 == pytest.approx(float(cuadro.total.avance_acumulado))

    detalle = list(libro["Detalle por actividad"].iter_rows(min_row=2, values_only=True))
    assert [(f[0], f[1], f[10]) for f in detalle] == [
        (a.dependencia, a.codigo, None if a.cumplimiento_acumulado is None else float(a.cumplimiento_acumulado) / 100)
        for a in cuadro.actividades]
    incumplimientos = list(libro["Incumplimientos"].iter_rows(min_row=2, values_only=True))
    assert [(f[0], f[1], f[6]) for f in incumplimientos] == [
        (a.dependencia, a.codigo, a.justificacion) for a in cuadro.incumplimientos] == [
        (m.central2.nombre, "A2", "Justificación de A2."), (m.central.nombre, "A2", "Justificación de A2.")]
    coherencia = list(libro["Coherencia presupuestal"].iter_rows(min_row=2, values_only=True))
    alertas = [(f[0], f[1]) for f in coherencia if f[9] == "Sí"]
    assert alertas == [(a.dependencia, a.codigo) for a in cuadro.incoherentes] == [(m.central.nombre, "A1")]
    assert "@media print" in navegador(usuarios[R.OAP]).texto("/static/seguimiento.css")


def test_sin_planes_el_tablero_lo_dice(navegador, usuarios):
    html = navegador(usuarios[R.OAP]).texto("/admin/tablero/")
    assert "Aún no hay vigencias con planes de acción" in html


def test_inicio_resume_el_semaforo_y_lleva_al_tablero(navegador, usuarios, escenario):
    html = navegador(usuarios[R.OAP]).texto("/admin/")
    assert "Semáforo · 2026, trimestre 1" in html
    assert all(t in html for t in ("Rojo: 1", "Amarillo: 1", "Verde: 1", "Sin reporte: 1"))
    assert "/admin/tablero/?vigencia=2026&amp;trimestre=1" in html
    director = navegador(usuarios[R.DIRECTOR]).texto("/admin/")
    assert "Rojo: 1" in director and "Verde: 0" in director and "Sin reporte: 0" in director
    assert "Semáforo" not in navegador(usuarios[R.ADMINISTRADOR]).texto("/admin/")


def test_la_pagina_imprimible_dice_la_fecha_en_que_se_genero_el_informe(navegador, usuarios, escenario):
    from datetime import datetime, timezone

    from gestion.base import formato
    from modelos import en_momento

    m, _, _ = escenario
    oap = navegador(usuarios[R.OAP])
    sin_informe = re.sub(r"\s+", " ", oap.texto("/admin/tablero/imprimir/?vigencia=2026&trimestre=1"))
    assert f"Generado el {formato.hoy():%d/%m/%Y}</p>" in sin_informe
    # Generado a las 21:00 del 20 de julio en Bogotá (las 2:00 del 21 en UTC) e impreso hoy.
    with en_momento(datetime(2026, 7, 21, 2, 0, tzinfo=timezone.utc)):
        revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    db.session.commit()
    impreso = re.sub(r"\s+", " ", oap.texto("/admin/tablero/imprimir/?vigencia=2026&trimestre=1"))
    assert f"Generado el 20/07/2026 · impreso el {formato.hoy():%d/%m/%Y}" in impreso
