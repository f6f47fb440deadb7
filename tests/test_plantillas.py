"""Plantillas que se pueden diligenciar e imprimir: listas desplegables, títulos fijos y protegidos,
filtros, impresión horizontal ajustada al ancho e instrucciones; y el viaje de ida y vuelta."""
import re
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gestion.reglas import roles as R
from modelos import EstadoPlan, Plan, db

BASE = "/admin/planes_accion"


def _descargar(cliente, url):
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200, respuesta.status_code
    return load_workbook(BytesIO(respuesta.data))


def _subir(cliente, url, libro, **datos):
    salida = BytesIO()
    libro.save(salida)
    return cliente.post(url, data={**datos, "archivo": (BytesIO(salida.getvalue()), "libro.xlsx")})


def _validaciones(hoja) -> dict[str, str]:
    """columna (letra) → fórmula de la validación que cubre sus filas de datos."""
    return {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1 or v.type for v in hoja.data_validations.dataValidation}


def _se_imprime_bien(hoja):
    assert hoja.freeze_panes == "A2"
    assert hoja.print_title_rows == "$1:$1"
    assert hoja.page_setup.orientation == "landscape"
    assert hoja.page_setup.fitToWidth == 1 and hoja.page_setup.fitToHeight == 0
    assert hoja.sheet_properties.pageSetUpPr.fitToPage
    assert hoja.auto_filter.ref.startswith("A1:")


def test_la_plantilla_de_actividades_trae_listas_protege_titulos_y_se_imprime_en_una_pagina_de_ancho(
        fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=5)
    libro = _descargar(navegador(usuarios[R.DIRECTOR]), f"{BASE}/plantilla_actividades/?id={plan.id}")
    hoja = libro["Actividades"]
    _se_imprime_bien(hoja)
    titulos = [c.value for c in hoja[1]]
    letra = {t: chr(ord("A") + i) for i, t in enumerate(titulos)}
    validaciones = _validaciones(hoja)
    assert validaciones[letra["Objetivo del PEI"]].startswith("Listas!$A$2")
    assert validaciones[letra["Unidad de medida"]].startswith("Listas!$E$2")
    assert validaciones[letra["Territorial"]] == '"Sí,No"'
    assert validaciones[letra["Meta anual"]] == "0" and validaciones[letra["Presupuesto"]] == "0"
    listas = libro["Listas"]
    assert listas["A1"].value == "Objetivo del PEI" and listas["A2"].value == "OI1"
    # Títulos protegidos; datos y filas nuevas, no.
    assert hoja.protection.sheet and hoja["A1"].protection.locked
    assert not hoja["B2"].protection.locked and not hoja.column_dimensions["B"].protection.locked
    assert hoja.protection.autoFilter is False and hoja.protection.insertRows is False
    # Cifras con el mismo formato que en toda la aplicación: peso como porcentaje, pesos con centavos.
    fila = {t: c for t, c in zip(titulos, hoja[2], strict=False)}
    assert (fila["Peso (%)"].value, fila["Peso (%)"].number_format) == (0.2, "0.0%")
    assert (fila["Meta anual"].value, fila["Meta anual"].number_format) == (40, "#,##0")
    assert fila["Presupuesto"].number_format == '"$" #,##0'
    assert hoja.column_dimensions[letra["Presupuesto"]].number_format == '"$" #,##0.00'
    assert "Cómo diligenciar" in libro["Instrucciones"]["A2"].value


def test_ida_y_vuelta_con_el_desglose_territorial(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=2)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _descargar(director, f"{BASE}/plantilla_actividades/?id={plan.id}")
    hoja = libro["Actividades"]
    titulos = [c.value for c in hoja[1]]
    fila = {t: c for t, c in zip(titulos, hoja[3], strict=False)}
    fila["Territorial"].value = "Sí"
    fila["Direcciones Territoriales"].value = f"{m.territorial.codigo}, {m.territorial2.codigo}"
    fila["Presupuesto"].value = 1_250_000.5
    respuesta = _subir(director, f"{BASE}/cargar_actividades/", libro, id=plan.id)
    assert respuesta.status_code == 302, respuesta.get_data(as_text=True)[-800:]

    db.session.expire_all()
    a2 = next(a for a in db.session.get(Plan, plan.id).actividades if a.codigo == "A2")
    assert a2.territorial and a2.presupuesto == Decimal("1250000.50")
    assert sorted(mt.dependencia_id for mt in a2.metas_territoriales) == sorted([m.territorial.id, m.territorial2.id])
    # Otra vuelta sin cambios deja lo mismo: pesos (25 % → 25) y DT incluidos.
    pesos = sorted(a.peso for a in db.session.get(Plan, plan.id).actividades)
    libro = _descargar(director, f"{BASE}/plantilla_actividades/?id={plan.id}")
    assert _subir(director, f"{BASE}/cargar_actividades/", libro, id=plan.id).status_code == 302
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert sorted(a.peso for a in plan.actividades) == pesos
    assert len(next(a for a in plan.actividades if a.codigo == "A2").metas_territoriales) == 2


def test_una_fila_quitada_del_libro_se_informa_al_cargar(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=3)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _descargar(director, f"{BASE}/plantilla_actividades/?id={plan.id}")
    libro["Actividades"].delete_rows(4)  # A3
    previa = _subir(director, f"{BASE}/cargar_actividades/", libro, id=plan.id)
    assert previa.status_code == 200 and "<td>A3</td>" in previa.get_data(as_text=True)  # antes de borrar, se ve
    marca = re.search(r'name="confirmacion" value="([^"]+)"', previa.get_data(as_text=True)).group(1)
    respuesta = director.post(f"{BASE}/cargar_actividades/", data={"id": plan.id, "confirmacion": marca})
    assert respuesta.status_code == 302
    assert "Se borraron, como usted confirmó, 1 que ya no venían en el archivo: A3." in director.texto(
        respuesta.location)


def test_la_plantilla_del_reporte_protege_lo_informativo_y_valida_las_cifras(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=2, estado=EstadoPlan.APROBADO)
    fabrica.ventana(1)
    reporte = fabrica.reporte(plan, 1, {})
    libro = _descargar(navegador(usuarios[R.DIRECTOR]), f"/admin/reportetrimestral/plantilla/?id={reporte.id}")
    assert libro.sheetnames == ["Avances", "Reporte", "Instrucciones"]
    hoja = libro["Avances"]
    _se_imprime_bien(hoja)
    assert hoja["A2"].protection.locked and hoja["C2"].protection.locked and not hoja["D2"].protection.locked
    assert set(_validaciones(hoja)) == {"D", "H", "I"}
    assert hoja.column_dimensions["H"].number_format == '"$" #,##0.00'


def test_un_libro_rechazado_vuelve_con_cada_celda_equivocada_marcada(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=3)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _descargar(director, f"{BASE}/plantilla_actividades/?id={plan.id}")
    hoja = libro["Actividades"]
    titulos = [c.value for c in hoja[1]]
    columna = {t: i for i, t in enumerate(titulos)}
    hoja.cell(row=2, column=columna["Meta T1"] + 1, value=-10)
    hoja.cell(row=4, column=columna["Unidad de medida"] + 1, value="LEGUAS")
    hoja.cell(row=4, column=columna["Fecha de inicio"] + 1, value="31/02/2026")
    antes = sorted((a.codigo, a.meta_t1) for a in plan.actividades)

    respuesta = _subir(director, f"{BASE}/cargar_actividades/", libro, id=plan.id)
    assert respuesta.status_code == 422
    html = respuesta.get_data(as_text=True)
    assert "<td>Actividades</td><td>2</td><td>Meta T1</td>" in html
    enlace = html.split('href="/descargas/')[1].split('"')[0]

    marcado = _descargar(director, f"/descargas/{enlace}")
    hoja = marcado["Actividades"]
    assert [c.value for c in hoja[1]] == titulos + ["Errores"]
    celda = hoja.cell(row=2, column=columna["Meta T1"] + 1)
    assert celda.value == -10 and celda.fill.fgColor.rgb.endswith("F8CBAD")
    assert "«Meta T1» no puede ser negativo (-10)." in celda.comment.text
    assert "no es una unidad de medida" in hoja.cell(row=4, column=columna["Unidad de medida"] + 1).comment.text
    errores_fila_4 = hoja.cell(row=4, column=len(titulos) + 1).value
    assert "Unidad de medida" in errores_fila_4 and "Fecha de inicio" in errores_fila_4
    assert hoja.cell(row=3, column=len(titulos) + 1).value is None  # la fila buena no lleva errores
    # Nada guardado, y solo la sesión que cargó el libro lo descarga.
    db.session.expire_all()
    assert sorted((a.codigo, a.meta_t1) for a in db.session.get(Plan, plan.id).actividades) == antes
    assert navegador(usuarios["director2"]).get(f"/descargas/{enlace}").status_code == 404
