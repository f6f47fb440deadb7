"""Datos abiertos: cada tabla pública de una vigencia en CSV y JSON, con diccionario y metadatos, igual fila por
fila a lo que el público ve (el libro del PAI publicado) y limitada a lo publicado."""
import csv
import io
import json
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gestion.publicacion import datos_abiertos
from modelos import EstadoPlan as E
from modelos import EstadoReporte, db

CONJUNTOS = ("actividades", "indicadores", "seguimiento", "presupuesto", "modificaciones", "planes_integrados")


def _csv(publico, url) -> list[dict]:
    respuesta = publico.get(url)
    assert respuesta.status_code == 200 and respuesta.mimetype == "text/csv"
    texto = respuesta.get_data(as_text=True)
    assert not texto.startswith("\ufeff")  # UTF-8 sin BOM, como dice el diccionario
    return list(csv.DictReader(io.StringIO(texto)))


def _json(publico, url) -> dict:
    respuesta = publico.get(url)
    assert respuesta.status_code == 200 and respuesta.mimetype == "application/json"
    return json.loads(respuesta.get_data(as_text=True))


def _sin_proteccion(texto: str) -> str:
    return texto[1:] if texto.startswith("'") else texto


def test_las_actividades_son_las_del_libro_publicado_y_nada_de_un_borrador(fabrica, navegador):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central, Decimal(9_000_000))
    plan = fabrica.plan_accion(m.central, E.APROBADO, actividades=3, proyecto=proyecto)
    fabrica.plan_accion(m.central2, E.APROBADO)
    pai = fabrica.publicar_pai()
    # Después de publicar: un plan en borrador de la misma vigencia no es parte de lo publicado.
    borrador = fabrica.plan_accion(fabrica.dependencia("3300", "Dirección en borrador"), actividades=1)
    borrador.actividades[0].descripcion = "Actividad que nadie publicó"
    db.session.commit()
    publico = navegador()  # anónimo

    filas = _csv(publico, "/publico/datos/2026/actividades.csv")
    libro = load_workbook(BytesIO(publico.get(f"/publico/pai/{pai.id}.xlsx").data))
    hoja = list(libro["Actividades"].iter_rows(min_row=2, values_only=True))
    assert len(filas) == len(hoja) == 5
    for fila, celdas in zip(filas, hoja, strict=False):
        assert (fila["dependencia"], fila["codigo_actividad"], fila["actividad"]) == celdas[:3]
        assert Decimal(fila["meta_anual"]) == celdas[8] and Decimal(fila["meta_t1"]) == celdas[9]
        assert Decimal(fila["peso"]) / 100 == Decimal(str(celdas[13]))
        assert Decimal(fila["presupuesto"]) == celdas[16]
        assert fila["fecha_inicio"] == celdas[14].date().isoformat()
    assert "Actividad que nadie publicó" not in publico.get("/publico/datos/2026/actividades.csv").get_data(True)
    assert filas[0]["version_pai"] == "1" and filas[0]["territorial"] == "false"

    datos = _json(publico, "/publico/datos/2026/actividades.json")
    assert [d["codigo_actividad"] for d in datos["datos"]] == [f["codigo_actividad"] for f in filas]
    propia = next(d for d in datos["datos"] if d["dependencia"] == m.central.nombre)
    assert propia["presupuesto"] == 1_000_000 and propia["bpin"] == proyecto.bpin and propia["peso"] == 33
    meta = datos["metadatos"]
    assert meta["periodo"] == {"inicio": "2026-01-01", "fin": "2026-12-31"}
    assert "CC BY-SA 4.0" in meta["licencia"]["nombre"] and meta["fecha_actualizacion"]
    assert meta["publicador"] and meta["formato_csv"]["separador"] == ","
    assert meta["urls"]["csv"].endswith("/publico/datos/2026/actividades.csv")

    presupuesto = _csv(publico, "/publico/datos/2026/presupuesto.csv")
    assert presupuesto == [{"vigencia": "2026", "bpin": proyecto.bpin, "proyecto_inversion": "Proyecto de prueba",
                            "dependencia": m.central.nombre, "presupuesto_vigencia": "9000000",
                            "presupuesto_actividades": "3000000", "actividades": "3",
                            "indicadores": "Visitas realizadas"}]
    assert plan in pai.planes_consolidados


def test_sin_pai_publicado_no_hay_actividades_ni_seguimiento(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.ACEPTADO)
    publico = navegador()
    assert publico.get("/publico/datos/2026/actividades.csv").status_code == 404  # nada publicado en 2026
    fabrica.publicar_estrategicos()
    assert _csv(publico, "/publico/datos/2026/actividades.csv") == []
    assert _csv(publico, "/publico/datos/2026/seguimiento.csv") == []
    assert len(_csv(publico, "/publico/datos/2026/indicadores.csv")) == len(
        [i for p in (m.pes, m.pei) for o in p.objetivos for i in o.indicadores])
    assert publico.get("/publico/datos/2026/no-existe.csv").status_code == 404
    assert publico.get("/publico/datos/1999/actividades.json").status_code == 404


def test_el_seguimiento_trae_solo_los_reportes_aceptados_de_un_plan_publicado(fabrica, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    otro = fabrica.plan_accion(m.central2, E.APROBADO)
    fabrica.publicar_pai()
    fabrica.reporte(plan, 1, {"A1": 5, "A2": 10}, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(otro, 1, {"A1": 10, "A2": 10})  # enviado, aún sin aceptar
    filas = _csv(navegador(), "/publico/datos/2026/seguimiento.csv")
    assert [(f["dependencia"], f["codigo_actividad"], f["meta_trimestre"], f["valor_logrado"], f["cumplimiento"])
            for f in filas] == [(m.central.nombre, "A1", "10", "5", "50"), (m.central.nombre, "A2", "10", "10", "100")]


def test_un_texto_que_parece_formula_queda_texto_y_los_numeros_numeros(fabrica, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, actividades=1)
    plan.actividades[0].descripcion = "=HYPERLINK(\"http://malo\",\"clic\")"
    plan.actividades[0].responsable = "-2+3"
    db.session.commit()
    fabrica.llevar_a(plan, E.APROBADO)
    db.session.commit()
    fabrica.publicar_pai()
    publico = navegador()
    fila = _csv(publico, "/publico/datos/2026/actividades.csv")[0]
    assert fila["actividad"] == "'=HYPERLINK(\"http://malo\",\"clic\")" and fila["responsable"] == "'-2+3"
    assert fila["meta_anual"] == "40" and fila["presupuesto"] == "1000000"
    dato = _json(publico, "/publico/datos/2026/actividades.json")["datos"][0]
    assert dato["actividad"] == "=HYPERLINK(\"http://malo\",\"clic\")" and dato["meta_anual"] == 40
    assert _sin_proteccion(fila["actividad"]) == dato["actividad"]


def test_cada_conjunto_tiene_diccionario_que_nombra_cada_columna_y_el_indice_los_enlaza(fabrica, navegador):
    fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    fabrica.publicar_pai()
    publico = navegador()
    indice = publico.get("/publico/datos/").get_data(as_text=True)
    assert "/publico/datos/" in publico.get("/publico/").get_data(as_text=True)
    for clave in CONJUNTOS:
        conjunto = datos_abiertos.CONJUNTOS[clave]
        for formato in (".csv", ".json", "/diccionario"):
            assert f"/publico/datos/2026/{clave}{formato}" in indice
        cabecera = publico.get(f"/publico/datos/2026/{clave}.csv").get_data(as_text=True).splitlines()[0]
        columnas = cabecera.split(",")
        datos = _json(publico, f"/publico/datos/2026/{clave}.json")
        assert [c["columna"] for c in datos["diccionario"]] == columnas
        assert all(c["tipo"] and c["descripcion"] for c in datos["diccionario"])
        pagina = publico.get(f"/publico/datos/2026/{clave}/diccionario").get_data(as_text=True)
        assert all(f"<code>{c}</code>" in pagina for c in columnas)
        assert conjunto.titulo in pagina and "CC BY-SA 4.0" in pagina
