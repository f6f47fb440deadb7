"""El plan integrado: el PAI con una sección por plan institucional y el índice de integrados y faltantes, la
advertencia al consolidar, y el avance de cada plan integrado por trimestre (ponderado como el PAI) en el
tablero, su detalle y el informe de seguimiento, frente a cifras calculadas a mano."""
import csv
import io
import json
from decimal import Decimal
from html import unescape
from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.excel import informe as excel_informe
from gestion.excel import pai as excel_pai
from gestion.planes import plan_accion
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, cifras_guardadas
from modelos import EstadoPlan as E
from modelos import EstadoReporte, PlanInstitucional, db

from .test_consultas import consultas


def _plan(codigo) -> PlanInstitucional:
    return db.session.scalar(sa.select(PlanInstitucional).filter_by(codigo=codigo))


def _mundo(fabrica):
    """Dos planes de acción de dos actividades (pesos 50 y 50, metas de 10 por trimestre): PAAC lo integran las
    dos de la 3200; PETI, la A2 de la 3200 y la A1 de la 2200."""
    m = fabrica.mundo
    central = fabrica.plan_accion(m.central, actividades=2)
    otra = fabrica.plan_accion(m.central2, actividades=2)
    paac, peti = _plan("PAAC"), _plan("PETI")
    central.actividades[0].planes_institucionales = [paac]
    central.actividades[1].planes_institucionales = [paac, peti]
    otra.actividades[0].planes_institucionales = [peti]
    db.session.commit()
    for plan in (central, otra):
        fabrica.llevar_a(plan, E.APROBADO)
    db.session.commit()
    return m, central, otra, paac, peti


def test_el_pai_trae_una_seccion_por_plan_integrado_y_el_indice_de_los_que_faltan(fabrica, usuarios, navegador):
    m, central, otra, paac, peti = _mundo(fabrica)
    oap = navegador(usuarios[R.OAP])
    consolidar = unescape(oap.texto(f"/admin/planes_accion/consolidar/?vigencia={m.vigencia.id}"))
    assert "Ningún plan aprobado trae actividades de 10 de los 12 planes del" in consolidar
    assert "Plan Anual de Vacantes" in consolidar and "Plan Anticorrupción" not in consolidar
    respuesta = oap.post("/admin/planes_accion/consolidar/", data={"vigencia": m.vigencia.id},
                         follow_redirects=True)
    html = unescape(respuesta.get_data(as_text=True))
    assert "Sin actividades en el PAI de 10 de los 12 planes del Decreto 612: PINAR, PAA, PAV" in html

    pai = plan_accion.pai_de(m.vigencia)
    resumen = plan_accion.resumen_pai(pai)
    assert [s.plan.codigo for s in resumen.integrados] == ["PAAC", "PETI"]  # por su numeral (9 y 10)
    assert len(resumen.faltantes) == 10 and resumen.faltantes[0].plan.codigo == "PINAR"
    secciones = {s.plan.codigo: s for s in resumen.integrados}
    assert [(a.plan.dependencia.codigo, a.codigo) for a in secciones["PETI"].actividades] == [("2200", "A1"),
                                                                                             ("3200", "A2")]
    assert secciones["PAAC"].presupuesto == Decimal(2_000_000)
    assert secciones["PETI"].dependencias == sorted([m.central.nombre, m.central2.nombre])
    assert "2 de 12 planes integrados; faltan: PINAR, PAA, PAV" in html
    assert 'id="integrado-' in html and "<span class=\"badge badge-warning\">Falta</span>" in html

    indice = list(load_workbook(BytesIO(excel_pai.libro_pai(resumen)))["Planes integrados"].values)
    assert indice[0][:6] == ("Numeral (Decreto 612)", "Código", "Plan", "Referencia legal", "En el PAI",
                             "Actividades")
    assert [(f[1], f[4], f[5], f[6]) for f in indice[9:11]] == [("PAAC", "Integrado", 2, 2_000_000),
                                                                ("PETI", "Integrado", 2, 2_000_000)]
    assert indice[1][4] == "Falta"
    seccion = list(load_workbook(BytesIO(excel_pai.libro_pai(resumen)))["Por plan integrado"].values)
    assert [(f[0][:4], f[2]) for f in seccion[1:]] == [("Plan", "A1"), ("Plan", "A2"), ("Plan", "A1"), ("Plan", "A2")]
    assert seccion[1][5:10] == (40, 10, 10, 10, 10)


def test_el_avance_de_cada_plan_integrado_por_trimestre_es_el_calculado_a_mano(fabrica, usuarios, navegador):
    m, central, otra, paac, peti = _mundo(fabrica)
    fabrica.reporte(central, 1, {"A1": 10, "A2": 5}, estado=EstadoReporte.ACEPTADO)  # 100 % y 50 %
    fabrica.reporte(otra, 1, {"A1": 8, "A2": 10}, estado=EstadoReporte.ACEPTADO)  # 80 % y 100 %
    fabrica.reporte(central, 2, {"A1": 10, "A2": 0}, estado=EstadoReporte.ACEPTADO)  # acumulado 100 % y 25 %
    # A mano, Σ peso × min(cumplimiento acumulado, 100) / Σ peso de las actividades reportadas:
    # T1: PAAC (50 × 100 + 50 × 50) / 100 = 75; PETI (50 × 50 + 50 × 80) / 100 = 65.
    # T2: PAAC (50 × 100 + 50 × 25) / 100 = 62,5; PETI solo la A2 de la 3200 (la 2200 no reportó T2) = 25.
    en_vivo = {t: {f.nombre: f.avance_acumulado for f in cifras.cuadro(m.vigencia, t).planes_integrados}
               for t in (1, 2)}
    assert en_vivo == {1: {paac.nombre: Decimal("75.00"), peti.nombre: Decimal("65.00")},
                       2: {paac.nombre: Decimal("62.50"), peti.nombre: Decimal("25.00")}}
    guardado = cifras_guardadas.resumen(m.vigencia, 2)
    assert [(i.nombre, [f.avance_acumulado if f else None for f in i.trimestres], i.actividades)
            for i in guardado.integrados] == [
        (paac.nombre, [Decimal("75.00"), Decimal("62.50"), None, None], 2),
        (peti.nombre, [Decimal("65.00"), Decimal("25.00"), None, None], 2)]

    oap = navegador(usuarios[R.OAP])
    tablero = unescape(oap.texto("/admin/tablero/?vigencia=2026&trimestre=2"))
    assert "Por plan institucional integrado (Decreto 612)" in tablero and "62,5 %" in tablero
    detalle = unescape(oap.texto(f"/admin/tablero/?vigencia=2026&trimestre=2&integrado={peti.id}"))
    assert peti.nombre in detalle and "Actividad 2 de 3200" in detalle and "Actividad 1 de 2200" in detalle
    assert "Actividad 1 de 3200" not in detalle
    assert oap.get(f"/admin/tablero/?vigencia=2026&trimestre=2&integrado={_plan('PINAR').id}").status_code == 404

    # Un director ve solo lo de su dependencia: PETI con la A2 de la 3200 (T1: 50 %).
    propio = cifras_guardadas.resumen(m.vigencia, 1, usuarios[R.DIRECTOR])
    assert [(i.nombre, i.trimestres[0].avance_acumulado) for i in propio.integrados] == [
        (paac.nombre, Decimal("75.00")), (peti.nombre, Decimal("50.00"))]

    cuadro = cifras.cuadro(m.vigencia, 1)
    hoja = list(load_workbook(BytesIO(excel_informe.libro(cuadro, {})))["Por plan integrado"].values)
    assert [(f[0], f[2], f[4]) for f in hoja[1:]] == [(paac.nombre, 0.75, 2), (peti.nombre, 0.65, 2)]
    impreso = unescape(oap.texto("/admin/tablero/imprimir/?vigencia=2026&trimestre=1"))
    assert "Por plan institucional integrado (Decreto 612)" in impreso and "65 %" in impreso


def test_el_tablero_y_el_pai_se_leen_con_las_mismas_consultas_con_mas_planes_integrados(fabrica, usuarios,
                                                                                         navegador):
    m, central, otra, paac, peti = _mundo(fabrica)
    fabrica.reporte(central, 1, {"A1": 10, "A2": 5}, estado=EstadoReporte.ACEPTADO)
    pai = fabrica.publicar_pai()
    oap = navegador(usuarios[R.OAP])
    urls = ("/admin/tablero/?vigencia=2026&trimestre=1", f"/admin/planes_accion/ficha/?id={pai.id}",
            f"/publico/pai/{pai.id}")
    for url in urls:
        consultas(oap, url)  # cifras al día, cachés calientes
    antes = [consultas(oap, url) for url in urls]
    otra.actividades[1].planes_institucionales = [_plan(c) for c in ("PIC", "PII", "PINAR")]
    central.actividades[0].planes_institucionales.append(_plan("PAV"))
    db.session.commit()
    for url in urls:
        consultas(oap, url)
    assert [consultas(oap, url) for url in urls] == antes
    publica = unescape(navegador().texto(f"/publico/pai/{pai.id}"))
    assert "6 de 12 planes integrados; faltan: PAA, PPRH, PETH, PTA-SST, PTRSPI, PSPI" in publica
    assert "Plan de Previsión de Recursos Humanos</td>" in publica and "Falta" in publica


def test_los_planes_integrados_en_datos_abiertos_son_la_hoja_del_libro_publicado(fabrica, navegador):
    m, central, otra, paac, peti = _mundo(fabrica)
    pai = fabrica.publicar_pai()
    # Un plan en borrador con una actividad que integra el PINAR: no está publicado.
    borrador = fabrica.plan_accion(fabrica.dependencia("3300", "Dirección en borrador"), actividades=1)
    borrador.actividades[0].planes_institucionales = [_plan("PINAR")]
    db.session.commit()
    publico = navegador()
    texto = publico.get("/publico/datos/2026/planes_integrados.csv").get_data(as_text=True)
    filas = list(csv.DictReader(io.StringIO(texto)))
    hoja = list(load_workbook(BytesIO(publico.get(f"/publico/pai/{pai.id}.xlsx").data))["Por plan integrado"]
                .iter_rows(min_row=2, values_only=True))
    assert len(filas) == len(hoja) == 4
    for fila, celdas in zip(filas, hoja, strict=True):
        assert (fila["plan"], fila["dependencia"], fila["codigo_actividad"], fila["actividad"]) == celdas[:4]
        assert Decimal(fila["meta_anual"]) == celdas[5] and Decimal(fila["presupuesto"]) == celdas[10]
    assert [(f["numeral_decreto_612"], f["codigo_plan"]) for f in filas] == [("9", "PAAC")] * 2 + [("10", "PETI")] * 2
    assert "PINAR" not in texto and "Dirección en borrador" not in texto
    datos = json.loads(publico.get("/publico/datos/2026/planes_integrados.json").get_data(as_text=True))
    assert [(d["codigo_plan"], d["codigo_actividad"], d["meta_t1"]) for d in datos["datos"]] == [
        (f["codigo_plan"], f["codigo_actividad"], 10) for f in filas]
    assert "Decreto 612 de 2018" in datos["diccionario"][2]["descripcion"]
    assert datos["metadatos"]["titulo"] == "Planes institucionales integrados al Plan de Acción · vigencia 2026"
