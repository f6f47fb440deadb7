"""Páginas públicas (actividad 15): sin inicio de sesión, solo los planes publicados, con su .xlsx tipado."""
from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gestion.demo import cargador
from modelos import EstadoPlan, Plan, TipoPlan, db

E = EstadoPlan


def _libro(respuesta):
    assert respuesta.status_code == 200
    assert respuesta.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(respuesta.data))


def test_sin_planes_publicados(navegador, fabrica):
    assert fabrica.mundo
    html = navegador().texto("/publico/")
    assert "Aún no hay planes publicados." in html


def test_el_indice_lista_solo_lo_publicado(navegador, fabrica):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pes, E.PUBLICADO)
    fabrica.llevar_estrategico_a(m.pei, E.APROBADO)
    db.session.commit()
    html = navegador().texto("/publico/")
    assert f'href="/publico/planes/{m.pes.id}"' in html and f'href="/publico/planes/{m.pes.id}.xlsx"' in html
    assert f"/publico/planes/{m.pei.id}" not in html and m.pei.nombre not in html
    # El enlace de descarga dice qué se descarga (un lector de pantalla lee solo el enlace), no «.xlsx».
    assert f'.xlsx">Descargar el {m.pes.nombre}, versión 1, en Excel (.xlsx)</a>' in html
    assert ">.xlsx</a>" not in html


@pytest.mark.parametrize("estado", [E.BORRADOR, E.EN_CONCERTACION, E.APROBADO])
def test_un_plan_no_publicado_no_existe_para_el_publico(navegador, fabrica, estado):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pes, estado)
    db.session.commit()
    anonimo = navegador()
    for url in (f"/publico/planes/{m.pes.id}", f"/publico/planes/{m.pes.id}.xlsx", "/publico/planes/99999",
                "/publico/planes/99999.xlsx"):
        respuesta = anonimo.get(url)
        assert respuesta.status_code == 404, url
        assert m.pes.nombre not in respuesta.get_data(as_text=True)


def test_la_pagina_publica_muestra_objetivos_metas_alineacion_y_acta(navegador, fabrica):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    html = navegador().texto(f"/publico/planes/{m.pei.id}")
    for texto in ("OI1 Aumentar la formalización laboral", "OI1-I1 Personas formalizadas", "Meta 2023", "Meta 2026",
                  ">130<", "T2.L1.O1 Aumentar la formalidad laboral", "OS1 Aumentar la formalización laboral",
                  "Planeación Institucional", f"acta PEI-{m.pei.id}", "Comité Directivo", "Descargar en Excel"):
        assert texto in html, texto
    assert "Ingresar" in html and "Cerrar sesión" not in html


def test_el_xlsx_publico_tiene_numeros_y_fechas_de_verdad(navegador, fabrica):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    respuesta = navegador().get(f"/publico/planes/{m.pes.id}.xlsx")
    assert "pes-2023-2026-v1.xlsx" in respuesta.headers["Content-Disposition"]
    libro = _libro(respuesta)
    assert libro.sheetnames == ["Plan", "Objetivos", "Indicadores"]
    filas = list(libro["Indicadores"].values)
    encabezado = filas[0]
    assert encabezado[:6] == ("Objetivo", "Código", "Indicador", "Fórmula", "Unidad", "Línea base")
    assert encabezado[6:10] == ("Meta 2023", "Meta 2024", "Meta 2025", "Meta 2026")
    fila = filas[1]
    assert fila[1] == "OS1-I1"
    assert fila[5] == 100 and isinstance(fila[5], (int, float))
    assert list(fila[6:10]) == [100, 110, 120, 130] and all(isinstance(v, (int, float)) for v in fila[6:10])
    # Una meta entera no muestra decimales («100», no «100,00»).
    assert libro["Indicadores"].cell(row=2, column=7).number_format == "#,##0"
    resumen = dict(libro["Plan"].values)
    assert resumen["Tipo"] == "Plan Estratégico Sectorial" and resumen["Versión"] == 1
    assert isinstance(resumen["Fecha del acta"], datetime) and isinstance(resumen["Publicado el"], datetime)
    objetivos = list(libro["Objetivos"].values)
    assert objetivos[1][:3] == ("OS1", "Aumentar la formalización laboral", "T2.L1.O1")


def test_la_demo_publica_pes_y_pei_visibles_sin_sesion(navegador, contexto):
    cargador.sembrar()
    cargador.cargar_catalogos()
    cargador.cargar_usuarios(cargador.CONTRASENA_POR_DEFECTO)
    cargador.cargar_planes_estrategicos()
    db.session.commit()
    planes = {p.tipo: p for p in db.session.query(Plan).filter(Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]))}
    assert {p.estado for p in planes.values()} == {E.PUBLICADO}
    assert planes[TipoPlan.PES].acta_aprobacion.instancia.tipo.value == "sectorial"
    assert planes[TipoPlan.PEI].acta_aprobacion.instancia.tipo.value == "directivo"
    anonimo = navegador()
    html = anonimo.texto("/publico/")
    for plan in planes.values():
        assert plan.nombre in html
        libro = _libro(anonimo.get(f"/publico/planes/{plan.id}.xlsx"))
        filas = list(libro["Indicadores"].values)[1:]
        assert len(filas) >= 4
        assert all(isinstance(v, (int, float)) for fila in filas for v in fila[5:10])


def test_el_pai_publicado_se_abre_desde_el_indice_en_su_pagina_y_su_libro(navegador, contexto):
    cargador.cargar_demo()
    db.session.commit()
    # 2025 y 2026, cada uno en su versión más reciente (la 2 del 2026 se publicó con el ajuste aprobado).
    publicados = db.session.query(Plan).filter_by(tipo=TipoPlan.PAI, estado=E.PUBLICADO, vigente=True).all()
    assert sorted((p.vigencia.anio, p.numero_version) for p in publicados) == [(2025, 1), (2026, 2)]
    anonimo = navegador()
    indice = anonimo.texto("/publico/")
    for pai in publicados:
        assert f"/publico/planes/{pai.id}.xlsx" in indice
        pagina = anonimo.get(f"/publico/planes/{pai.id}")
        assert pagina.status_code == 302 and pagina.headers["Location"].endswith(f"/publico/pai/{pai.id}")
        libro = anonimo.get(f"/publico/planes/{pai.id}.xlsx")
        assert libro.status_code == 302 and libro.headers["Location"].endswith(f"/publico/pai/{pai.id}.xlsx")
    # El PAI 2026 publicado integra los 12 planes del Decreto 612: su libro no dice «Falta» en ninguno.
    pai_2026 = next(p for p in publicados if p.vigencia.anio == 2026)
    indice_integrados = list(_libro(anonimo.get(f"/publico/pai/{pai_2026.id}.xlsx"))["Planes integrados"].values)[1:]
    assert [(f[0], f[4]) for f in indice_integrados] == [(n, "Integrado") for n in range(1, 13)]
