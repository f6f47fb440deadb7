"""La publicación del art. 74 (Ley 1474 de 2011): cada contenido con su enlace o «falta», el plan de compras que
registra la OAP, el presupuesto con sus modificaciones y el informe de gestión del año anterior."""
import csv
import io
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gestion.planes import ajustes
from gestion.publicacion import transparencia
from gestion.reglas import roles as R
from modelos import Cuatrienio, EstadoReporte, PlanCompras, Vigencia, db
from modelos import EstadoPlan as E

ITEMS = ("objetivos", "estrategias", "proyectos", "metas", "responsables", "plan_compras", "presupuesto_inversion",
         "presupuesto_modificaciones", "informe_gestion")
PDF = b"%PDF-1.4\n% plan anual de adquisiciones\n"


def _estados(html: str) -> dict[str, str]:
    """Por ítem de la tabla: «publicado» o «falta»."""
    estados = {}
    for clave in ITEMS:
        fila = html.split(f'id="item-{clave}"')[1].split("</tr>")[0]
        estados[clave] = "publicado" if ">publicado<" in fila else "falta" if ">falta<" in fila else "?"
    return estados


def test_sin_nada_publicado_cada_item_dice_falta(fabrica, navegador):
    assert fabrica.mundo
    html = navegador().texto("/publico/transparencia/2026")
    assert set(_estados(html).values()) == {"falta"}
    assert "31/01/2026" in html
    assert navegador().get("/publico/transparencia/1999").status_code == 404  # no es una vigencia


def test_con_el_plan_publicado_cada_item_tiene_su_enlace(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    proyecto = fabrica.proyecto(m.central, Decimal(9_000_000))
    fabrica.plan_accion(m.central, E.APROBADO, proyecto=proyecto)
    pai = fabrica.publicar_pai()
    publico = navegador()

    html = publico.texto("/publico/transparencia/2026")
    estados = _estados(html)
    assert estados == {**{c: "publicado" for c in ITEMS}, "plan_compras": "falta", "informe_gestion": "falta"}
    assert f"/publico/planes/{m.pei.id}" in html and f"/publico/planes/{m.pes.id}" in html
    assert f"/publico/pai/{pai.id}" in html and "/publico/datos/2026/presupuesto.csv" in html
    # La tabla de presupuesto es la del conjunto abierto, fila por fila.
    filas = list(csv.DictReader(io.StringIO(publico.get("/publico/datos/2026/presupuesto.csv").get_data(True))))
    assert [f["bpin"] for f in filas] == [proyecto.bpin] and proyecto.bpin in html.split('id="presupuesto"')[1]
    assert "$ 9.000.000" in html and "$ 2.000.000" in html
    desagregado = html.split('id="desagregado"')[1].split("</table>")[0]
    assert m.central.nombre in desagregado and "$ 2.000.000" in desagregado

    transparencia.guardar_plan_compras(m.vigencia, usuarios[R.OAP], "https://www.secop.gov.co/paa/2026", None)
    db.session.commit()
    html = publico.texto("/publico/transparencia/2026")
    assert _estados(html)["plan_compras"] == "publicado" and "https://www.secop.gov.co/paa/2026" in html
    # El informe de gestión de 2026 aparece en la página de 2027, cuando 2026 tiene su PAI publicado.
    db.session.add(Vigencia(anio=2027, cuatrienio=Cuatrienio(anio_inicio=2027, anio_fin=2030)))
    db.session.commit()
    html = publico.texto("/publico/transparencia/2027")
    assert _estados(html)["informe_gestion"] == "publicado" and "/publico/informe-gestion/2026" in html
    assert _estados(html)["metas"] == "falta"
    assert "/publico/transparencia/2026" in publico.texto("/publico/")


def test_la_oap_registra_el_plan_de_compras_y_su_lista_lo_marca(fabrica, usuarios, navegador):
    m = fabrica.mundo
    oap = navegador(usuarios[R.OAP])
    lista = oap.texto("/admin/plancompras/art74/?vigencia=2026")
    assert _estados(lista)["plan_compras"] == "falta" and "Faltan 9 de 9" in lista

    mala = oap.post("/admin/plancompras/new/", data={"vigencia": m.vigencia.id, "enlace": "no es una dirección"})
    assert mala.status_code == 200 and "debe ser una dirección completa" in mala.get_data(as_text=True)
    vacia = oap.post("/admin/plancompras/new/", data={"vigencia": m.vigencia.id, "enlace": ""})
    assert "Escriba el enlace del plan de compras o adjunte su archivo" in vacia.get_data(as_text=True)
    disfrazado = oap.post("/admin/plancompras/new/", data={"vigencia": m.vigencia.id,
                                                           "subir_archivo": (BytesIO(b"MZ ejecutable"), "paa.pdf")},
                          content_type="multipart/form-data")
    assert "no corresponde a un .pdf" in disfrazado.get_data(as_text=True)
    assert db.session.query(PlanCompras).count() == 0

    respuesta = oap.post("/admin/plancompras/new/", data={"vigencia": m.vigencia.id, "enlace": "",
                                                          "subir_archivo": (BytesIO(PDF), "PAA 2026.pdf")},
                         content_type="multipart/form-data")
    assert respuesta.status_code == 302
    compras = db.session.query(PlanCompras).one()
    assert compras.nombre_archivo == "PAA 2026.pdf" and compras.actualizado_por.email == usuarios[R.OAP].email
    lista = oap.texto("/admin/plancompras/art74/?vigencia=2026")
    assert _estados(lista)["plan_compras"] == "publicado" and "Faltan 8 de 9" in lista
    assert "http://localhost/publico/transparencia/2026/plan-compras" in lista  # la URL para la matriz ITA

    # Es un documento para publicar: el público lo descarga por su URL estable.
    archivo = navegador().get("/publico/transparencia/2026/plan-compras")
    assert archivo.status_code == 200 and archivo.data == PDF
    assert "plan-compras-2026.pdf" in archivo.headers["Content-Disposition"]
    # Solo la OAP lo registra; Control Interno lee la lista; los demás no entran.
    assert navegador(usuarios[R.CONTROL_INTERNO]).get("/admin/plancompras/art74/").status_code == 200
    assert navegador(usuarios[R.CONTROL_INTERNO]).post("/admin/plancompras/new/",
                                                       data={"vigencia": m.vigencia.id}).status_code == 403
    assert navegador(usuarios[R.DIRECTOR]).get("/admin/plancompras/art74/").status_code == 403


def test_las_modificaciones_salen_de_los_ajustes_aprobados(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    fabrica.publicar_pai()
    director = usuarios[R.DIRECTOR]
    solicitud = ajustes.solicitar(plan, director, "Recorte presupuestal del decreto de liquidación.",
                                  "Sumar 500.000 a la actividad A1.")
    solicitud.plan_propuesto.actividades[0].presupuesto += Decimal(500_000)
    ajustes.enviar(solicitud, director)
    ajustes.revisar(solicitud, usuarios[R.OAP], True, "Causa pertinente.")
    fabrica.verificar(solicitud.plan_propuesto, usuarios[R.OAP])
    ajustes.aprobar(solicitud, usuarios[R.OAP], "Se aprueba.")
    db.session.commit()

    publico = navegador()
    filas = list(csv.DictReader(io.StringIO(publico.get("/publico/datos/2026/modificaciones.csv").get_data(True))))
    assert [(f["dependencia"], f["version_anterior"], f["version_nueva"], f["presupuesto_anterior"],
             f["presupuesto_nuevo"], f["diferencia"]) for f in filas] == [
        (m.central.nombre, "1", "2", "2000000", "2500000", "500000")]
    seccion = publico.texto("/publico/transparencia/2026").split('id="modificaciones"')[1]
    assert "Recorte presupuestal del decreto de liquidación." in seccion and "$ 500.000" in seccion


def test_el_informe_de_gestion_sale_del_seguimiento_aceptado(fabrica, navegador):
    """Oráculo a mano: A1 y A2 pesan 50 % cada una, metas de 10 por trimestre (40 en el año).
    T1 aceptado: A1 5, A2 10 → 50 % y 100 % → 75 %. T2 aceptado: A1 10, A2 20 → 100 % y 200 % (topado 100) → 100 %.
    Año: A1 15/40 = 37,5 %, A2 30/40 = 75 % → 56,25 %. T3 enviado sin aceptar: no cuenta."""
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    fabrica.publicar_pai()
    fabrica.reporte(plan, 1, {"A1": 5, "A2": 10}, estado=EstadoReporte.ACEPTADO, comprometido={"A1": 100_000})
    fabrica.reporte(plan, 2, {"A1": 10, "A2": 20}, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(plan, 3, {"A1": 40, "A2": 40})
    publico = navegador()

    html = publico.texto("/publico/informe-gestion/2026")
    assert "Informe de gestión 2026" in html and "imprimir.css" in html and "T1, T2" in html
    libro = load_workbook(BytesIO(publico.get("/publico/informe-gestion/2026.xlsx").data))
    resumen = list(libro["Resumen por dependencia"].iter_rows(min_row=2, values_only=True))
    assert resumen[0][:8] == (m.central.nombre, 2, 0.75, 1, None, None, 0.5625, 2_000_000)
    assert resumen[0][8] == 100_000
    actividades = list(libro["Actividades"].iter_rows(min_row=2, values_only=True))
    assert [(a[1], a[7], a[8], a[9], a[11], a[12]) for a in actividades] == [
        ("A1", 5, 10, None, 15, 0.375), ("A2", 10, 20, None, 30, 0.75)]
    assert publico.get("/publico/informe-gestion/2025").status_code == 404  # 2025 no es vigencia aquí
