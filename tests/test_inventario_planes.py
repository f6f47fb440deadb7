"""El inventario de planes para el Comité Institucional de Gestión y Desempeño: cada plan vigente con su tipo,
dueño, periodo, estado, última actualización y avance, en la página y en el libro, para quien el procedimiento
lo da (la OAP, el Comité Institucional; Control Interno lo lee) y para nadie más."""
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gestion.reglas import roles as R
from gestion.seguimiento.inventario import inventario
from modelos import EstadoReporte, PlanInstitucional, db

from .test_consultas import consultas
from .test_plan_integrado import _mundo, _plan

URL = "/admin/inventario_planes/?vigencia=2026&trimestre=1"
VEN = {R.OAP, R.JEFE_OAP, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL}


@pytest.fixture
def vigencia_reportada(fabrica):
    m, central, otra, paac, peti = _mundo(fabrica)
    fabrica.reporte(central, 1, {"A1": 10, "A2": 5}, estado=EstadoReporte.ACEPTADO)  # 100 % y 50 %
    fabrica.reporte(otra, 1, {"A1": 8, "A2": 10}, estado=EstadoReporte.ACEPTADO)  # 80 % y 100 %
    pai = fabrica.publicar_pai()
    db.session.add(PlanInstitucional(codigo="PGA", nombre="Plan de Gestión Ambiental", dependencia=m.oap,
                                     anio_inicio=2025, anio_fin=2027))
    db.session.commit()
    return m, pai


def test_cada_plan_vigente_con_su_dueno_periodo_estado_y_avance(vigencia_reportada, usuarios, navegador):
    m, pai = vigencia_reportada
    filas = {f.nombre: f for f in inventario(m.vigencia, 1).filas}
    fila_pai = filas[str(pai)]
    # PAI en T1: (50 × 100 + 50 × 50 + 50 × 80 + 50 × 100) / 200 = 82,5.
    assert (fila_pai.tipo, fila_pai.periodo, fila_pai.estado, fila_pai.avance) == (
        "Plan de Acción Institucional", "2026", "Publicado", Decimal("82.50"))
    assert fila_pai.actualizado is not None and fila_pai.adopta == "Comité Institucional"
    paac, pinar, propio = (filas[_plan(c).nombre] for c in ("PAAC", "PINAR", "PGA"))
    assert (paac.tipo, paac.estado, paac.avance) == ("Decreto 612, numeral 9", "Integrado al Plan de Acción 2026",
                                                     Decimal("75.00"))
    assert (pinar.estado, pinar.avance, pinar.dueno) == ("Sin actividades en el Plan de Acción 2026", None,
                                                         "Sin dependencia asignada")
    assert (propio.tipo, propio.dueno, propio.periodo) == ("Plan propio de la entidad", m.oap.nombre, "2025–2027")
    tipos = [f.tipo for f in inventario(m.vigencia, 1).filas]
    assert tipos[:3] == ["Plan Estratégico Sectorial", "Plan Estratégico Institucional", "Plan de Acción Institucional"]
    assert len(tipos) == 3 + 13

    html = unescape(navegador(usuarios[R.COMITE_INSTITUCIONAL]).texto(URL))
    assert "82,5 %" in html and "Integrado al Plan de Acción 2026" in html and "Plan de Gestión Ambiental" in html
    respuesta = navegador(usuarios[R.CONTROL_INTERNO]).get("/admin/inventario_planes/xlsx/?vigencia=2026&trimestre=1")
    libro = list(load_workbook(BytesIO(respuesta.data)).active.values)
    assert libro[0][-1] == "Avance acumulado a T1" and len(libro) == 1 + len(tipos)
    assert [f[1] for f in libro[1:]] == [f.nombre for f in inventario(m.vigencia, 1).filas]
    assert libro[3][7] == 0.825


@pytest.mark.parametrize("rol", sorted(R.DESCRIPCIONES))
def test_solo_la_oap_el_comite_institucional_y_control_interno_lo_ven(vigencia_reportada, usuarios, navegador, rol):
    cliente = navegador(usuarios[rol])
    esperado = 200 if rol in VEN else 403
    assert cliente.get(URL).status_code == esperado
    assert cliente.get("/admin/inventario_planes/xlsx/?vigencia=2026").status_code == esperado
    assert ('href="/admin/inventario_planes/"' in cliente.texto("/admin/")) == (rol in VEN)


def test_el_inventario_se_lee_con_las_mismas_consultas_con_mas_planes(vigencia_reportada, usuarios, navegador):
    oap = navegador(usuarios[R.OAP])
    consultas(oap, URL)
    antes = consultas(oap, URL)
    for codigo in ("PX1", "PX2", "PX3"):
        db.session.add(PlanInstitucional(codigo=codigo, nombre=f"Plan {codigo}", dependencia=vigencia_reportada[0].central))
    db.session.commit()
    consultas(oap, URL)
    assert consultas(oap, URL) == antes
