"""El PAI publicado en las páginas públicas (actividad 15): filtros, .xlsx y versiones que no cambian."""
from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gestion.planes import plan_accion as servicio
from gestion.reglas import roles as R
from modelos import EstadoPlan as E
from modelos import Objetivo, Plan, TipoPlan, db


def test_filtros_por_dependencia_y_objetivo_y_descarga(fabrica, usuarios, navegador):
    m = fabrica.mundo
    otro = Objetivo(codigo="OI2", nombre="Fortalecer la inspección del trabajo", objetivos_pnd=[m.pnd],
                    objetivos_pes=list(m.pes.objetivos))
    m.pei.objetivos.append(otro)
    plan = fabrica.plan_accion(m.central)
    plan.actividades[1].objetivo = otro
    fabrica.llevar_a(plan, E.APROBADO)
    fabrica.plan_accion(m.central2, E.APROBADO, actividades=3)
    pai = fabrica.publicar_pai("01-2026")
    publico = navegador()

    html = publico.texto(f"/publico/pai/{pai.id}")
    assert "Actividades (5)" in html and "presentado al Comité Institucional, acta 01-2026" in html
    html = publico.texto(f"/publico/pai/{pai.id}?objetivo={otro.id}")
    assert "Actividades (1)" in html and "Actividad 2 de 3200" in html
    html = publico.texto(f"/publico/pai/{pai.id}?dependencia={m.central2.id}&objetivo={m.objetivo_pei.id}")
    assert "Actividades (3)" in html and "Actividad 1 de 3200" not in html

    respuesta = publico.get(f"/publico/pai/{pai.id}.xlsx?dependencia={m.central.id}")
    assert respuesta.status_code == 200 and "PAI-2026-v1.xlsx" in respuesta.headers["Content-Disposition"]
    libro = load_workbook(BytesIO(respuesta.data))
    actividades = list(libro["Actividades"].iter_rows(min_row=2, values_only=True))
    assert [f[1] for f in actividades] == ["A1", "A2"]
    assert actividades[0][14].date() == date(2026, 2, 1)
    totales = list(libro["Por objetivo"].iter_rows(min_row=2, values_only=True))
    assert totales[-1] == ("Total", 2, 2_000_000)


def test_lo_no_publicado_no_existe_para_el_publico(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, E.APROBADO)
    pai = servicio.consolidar(m.vigencia, usuarios[R.OAP])
    db.session.commit()
    publico = navegador()
    assert publico.get(f"/publico/pai/{pai.id}").status_code == 404
    assert publico.get(f"/publico/pai/{pai.id}.xlsx").status_code == 404
    assert publico.get(f"/publico/pai/{m.pei.id}").status_code == 404
    assert "Aún no hay un Plan de Acción Institucional publicado" in publico.texto("/publico/pai/")


def test_una_version_posterior_se_publica_al_lado_y_la_anterior_no_cambia(fabrica, usuarios, navegador):
    m = fabrica.mundo
    original = fabrica.plan_accion(m.central, E.APROBADO)
    v1 = fabrica.publicar_pai("01-2026")
    publico = navegador()
    antes = publico.texto(f"/publico/pai/{v1.id}")

    original.vigente = False
    ajustado = Plan(tipo=TipoPlan.PA, nombre=original.nombre, vigencia=m.vigencia, dependencia=m.central,
                    numero_version=2, plan_anterior=original)
    db.session.add(ajustado)
    fabrica.formular(ajustado, actividades=3)
    ajustado.actividades[0].presupuesto = Decimal(7_000_000)
    fabrica.llevar_a(ajustado, E.APROBADO)
    v2 = fabrica.publicar_pai("05-2026")

    indice = publico.texto("/publico/pai/")
    assert f"/publico/pai/{v1.id}" in indice and f"/publico/pai/{v2.id}" in indice
    despues = publico.texto(f"/publico/pai/{v1.id}")
    assert despues.split("Versiones publicadas")[1].count("versión") == 2
    assert "Actividades (2)" in despues and "$ 7.000.000" not in despues
    assert antes.split("<form")[1] == despues.split("<form")[1]
    html = publico.texto(f"/publico/pai/{v2.id}")
    assert "Actividades (3)" in html and "$ 7.000.000" in html


def test_renombrar_una_dependencia_o_un_objetivo_se_ve_en_el_pai_publicado(fabrica, usuarios, navegador):
    """Los totales de una versión publicada se guardan en la memoria del proceso, pero los nombres que traen
    son los del catálogo de hoy: la OAP corrige un nombre y la página pública lo muestra ya corregido."""
    m = fabrica.mundo
    fabrica.plan_accion(m.central, E.APROBADO)
    pai = fabrica.publicar_pai("01-2026")
    publico = navegador()
    antes = publico.texto(f"/publico/pai/{pai.id}")
    assert m.central.nombre in antes and m.objetivo_pei.nombre in antes
    m.central.nombre = "Dirección de Derechos Fundamentales del Trabajo"
    m.objetivo_pei.nombre = "Promover el trabajo decente en todo el territorio"
    db.session.commit()
    despues = publico.texto(f"/publico/pai/{pai.id}")
    assert "Dirección de Derechos Fundamentales del Trabajo" in despues
    assert "Promover el trabajo decente en todo el territorio" in despues
