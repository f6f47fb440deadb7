"""Carga del reporte trimestral por Excel (actividad 16): plantilla del reporte, importación todo o nada con
las reglas del formulario, y quién puede hacerla, por los servicios y por HTTP como cada rol."""
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gestion.importacion import avances as importar_avances
from gestion.importacion.lectura import ImportacionRechazada
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, reportes
from modelos import EstadoPlan, EstadoReporte, db

from .libros import libro

D = Decimal
ENCABEZADOS = ["Código", "Ítem", "Meta del trimestre", "Valor logrado", "Avance cualitativo", "Justificación",
               "Enlace de evidencia", "Presupuesto comprometido", "Presupuesto pagado"]


@pytest.fixture
def plan(fabrica, usuarios):
    """Plan de acción aprobado de la dependencia del director: A1 y A2, meta 10 por trimestre."""
    return fabrica.plan_accion(estado=EstadoPlan.APROBADO)


def _abrir(fabrica, plan, usuario, trimestre=1):
    fabrica.ventana(trimestre)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, trimestre, usuario)
    db.session.commit()
    return reporte


def _llenar(contenido: bytes, filas: dict, extra: list | None = None) -> bytes:
    """La plantilla con celdas cambiadas, {código: {encabezado: valor}}, y filas añadidas al final."""
    libro = load_workbook(BytesIO(contenido))
    hoja = libro["Avances"]
    columnas = {celda.value: celda.column for celda in hoja[1]}
    for fila in hoja.iter_rows(min_row=2):
        for encabezado, valor in filas.get(fila[0].value, {}).items():
            hoja.cell(fila[0].row, columnas[encabezado], valor)
    for fila in extra or []:
        hoja.append(fila)
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _libro(filas) -> bytes:
    return libro([ENCABEZADOS, *filas])


def _subir(cliente, reporte, contenido: bytes, nombre="avances.xlsx", **kwargs):
    return cliente.post(f"/admin/reportetrimestral/cargar/?id={reporte.id}",
                        data={"archivo": (BytesIO(contenido), nombre)}, content_type="multipart/form-data", **kwargs)


def _valores(reporte):
    db.session.expire_all()
    return {a.actividad.codigo: (a.valor_logrado, a.justificacion) for a in reporte.avances}


# --- por los servicios ------------------------------------------------------------------------
def test_la_plantilla_trae_cada_item_con_su_meta_y_lo_guardado_y_vuelve_sin_cambios(fabrica, usuarios, plan):
    director = usuarios[R.DIRECTOR]
    reporte = _abrir(fabrica, plan, director)
    a1, a2 = sorted(reporte.avances, key=lambda a: a.actividad.codigo)
    reportes.registrar_avance(a1, director, valor="10", avance_cualitativo="Visitas hechas.",
                                 enlace="https://intranet.gov.co/a1", comprometido="500000", pagado="200000")
    reportes.registrar_avance(a2, director, valor="4", justificacion="Contratista retirado.")
    db.session.commit()

    libro = load_workbook(BytesIO(importar_avances.plantilla(reporte)))
    filas = list(libro["Avances"].iter_rows(values_only=True))
    assert list(filas[0]) == ENCABEZADOS
    assert filas[1] == ("A1", "Actividad 1 de 3200", 10, 10, "Visitas hechas.", None, "https://intranet.gov.co/a1",
                        500000, 200000)
    assert filas[2] == ("A2", "Actividad 2 de 3200", 10, 4, None, "Contratista retirado.", None, 0, 0)
    assert ("Identificador del reporte", reporte.id) in list(libro["Reporte"].iter_rows(values_only=True))

    assert importar_avances.importar(reporte, importar_avances.plantilla(reporte), director) == 2
    db.session.commit()
    assert _valores(reporte) == {"A1": (D(10), None), "A2": (D(4), "Contratista retirado.")}
    assert (a1.evidencia_enlace, a1.presupuesto_comprometido, a1.presupuesto_pagado) == (
        "https://intranet.gov.co/a1", D(500000), D(200000))
    assert reporte.estado is EstadoReporte.EN_REPORTE


@pytest.mark.parametrize("escrito, numero", [
    ("1.234,5", D("1234.5")), ("1.050.000", D(1050000)), ("42.5", D("42.5")), ("7,25", D("7.25")),
    ("$ 1.500.000", D(1500000)), (12, D(12)), (3.5, D("3.5")), (None, D(0)), ("  ", D(0))])
def test_numeros_en_formato_colombiano_o_simple(escrito, numero):
    assert importar_avances._numero(escrito, "Valor logrado") == numero


@pytest.mark.parametrize("escrito, mensaje", [
    ("diez", "«diez» no es un número"), ("-1", "mayor o igual a cero"), (-3, "mayor o igual a cero"),
    (True, "escriba un número"), ("NaN", "no es un número"), ("1e20", "demasiado grande")])
def test_numeros_invalidos(escrito, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        importar_avances._numero(escrito, "Valor logrado")


def test_todos_los_errores_con_su_fila_y_nada_importado(fabrica, usuarios, plan):
    director = usuarios[R.DIRECTOR]
    reporte = _abrir(fabrica, plan, director)
    contenido = _libro([
        ["A1", None, None, 12, None, None, "intranet/sin-esquema", 100, 50],  # enlace sin http(s)
        ["A2", None, None, 10, None, None, None, 100, 300],                    # pagado > comprometido
        ["a1", None, None, 10, None, None, None, 0, 0],                         # código repetido
        ["", None, None, 3, None, None, None, 0, 0],                           # sin código
        ["A2", None, None, "-2", None, None, None, "mucho", 0],                # repetido: no se valida más
    ])
    with pytest.raises(ImportacionRechazada) as rechazo:
        importar_avances.importar(reporte, contenido, director)
    assert rechazo.value.errores == [
        "Fila 2: El enlace de la evidencia debe empezar por http:// o https://.",
        "Fila 3: A2: lo pagado no puede superar lo comprometido.",
        "Fila 4: el código A1 ya está en la fila 2.",
        "Fila 5: falta el código.",
        "Fila 6: el código A2 ya está en la fila 3.",
    ]
    db.session.rollback()
    assert _valores(reporte) == {"A1": (D(0), None), "A2": (D(0), None)}


def test_la_plantilla_de_otro_trimestre_no_se_carga_en_este(fabrica, usuarios, plan):
    director = usuarios[R.DIRECTOR]
    t1 = _abrir(fabrica, plan, director, trimestre=1)
    t2 = _abrir(fabrica, plan, director, trimestre=2)
    contenido = _llenar(importar_avances.plantilla(t1), {"A1": {"Valor logrado": 10}, "A2": {"Valor logrado": 10}})
    with pytest.raises(ImportacionRechazada, match="plantilla de otro reporte"):
        importar_avances.importar(t2, contenido, director)
    assert importar_avances.importar(t1, contenido, director) == 2


def test_fuera_de_la_ventana_o_enviado_no_se_carga(fabrica, usuarios, plan):
    director = usuarios[R.DIRECTOR]
    reporte = _abrir(fabrica, plan, director)
    contenido = _llenar(importar_avances.plantilla(reporte), {"A1": {"Valor logrado": 10}, "A2": {"Valor logrado": 10}})
    fabrica.ventana(1, abierta=False)
    with pytest.raises(reportes.SeguimientoInvalido, match="ventana de reporte del trimestre 1 .* está cerrada"):
        importar_avances.importar(reporte, contenido, director)
    fabrica.ventana(1)
    importar_avances.importar(reporte, contenido, director)
    reportes.enviar_reporte(reporte, director)
    db.session.commit()
    with pytest.raises(reportes.SeguimientoInvalido, match="está reportado: ya no se modifica"):
        importar_avances.importar(reporte, _llenar(contenido, {"A1": {"Valor logrado": 40}}), director)
    assert _valores(reporte)["A1"] == (D(10), None)


def test_la_entidad_carga_sus_indicadores_del_pes(fabrica, usuarios):
    m, entidad = fabrica.mundo, usuarios[R.ENTIDAD]
    fabrica.publicar_estrategicos()
    reporte = _abrir(fabrica, m.pes, entidad)
    plantilla = importar_avances.plantilla(reporte)
    assert list(load_workbook(BytesIO(plantilla))["Avances"].iter_rows(min_row=2, max_col=3, values_only=True)) == [
        ("OS1-I1", "Personas formalizadas", 32.5)]
    with pytest.raises(ImportacionRechazada, match=r"Fila 2: OS1-I1: el valor logrado \(30\) está por debajo"):
        importar_avances.importar(reporte, _llenar(plantilla, {"OS1-I1": {"Valor logrado": 30}}), entidad)
    db.session.rollback()
    assert importar_avances.importar(reporte, _llenar(plantilla, {"OS1-I1": {
        "Valor logrado": 30, "Justificación": "Cierre de oficinas en marzo."}}), entidad) == 1
    assert reporte.avances[0].valor_logrado == 30


# --- por HTTP ---------------------------------------------------------------------------------
def test_el_director_descarga_llena_carga_y_envia_y_las_cifras_lo_ven(navegador, fabrica, usuarios, plan):
    m = fabrica.mundo
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    cliente = navegador(usuarios[R.DIRECTOR])
    html = cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    assert "Descargar plantilla Excel" in html and "Cargar avances desde Excel" in html
    descarga = cliente.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}")
    assert descarga.status_code == 200 and "attachment" in descarga.headers["Content-Disposition"]
    assert descarga.headers["Content-Disposition"].endswith("avance-3200-pa-%d-2026-T1.xlsx" % plan.id)
    assert "Cargar avances" in cliente.texto(f"/admin/reportetrimestral/cargar/?id={reporte.id}")

    contenido = _llenar(descarga.data, {
        "A1": {"Valor logrado": "12", "Presupuesto comprometido": "1.500.000", "Presupuesto pagado": "500.000,50",
               "Enlace de evidencia": "https://intranet.gov.co/actas/a1.pdf"},
        "A2": {"Valor logrado": "7,5", "Justificación": "Contratista retirado en marzo.",
               "Avance cualitativo": "Se hicieron 7 visitas y media jornada."}})
    respuesta = _subir(cliente, reporte, contenido)
    assert respuesta.status_code == 302 and f"/ficha/?id={reporte.id}" in respuesta.headers["Location"]
    html = cliente.texto(respuesta.headers["Location"])
    assert "Avances cargados desde Excel: 2 ítem(s)" in html
    assert _valores(reporte) == {"A1": (D(12), None), "A2": (D("7.5"), "Contratista retirado en marzo.")}
    a1 = reporte.avances[0] if reporte.avances[0].actividad.codigo == "A1" else reporte.avances[1]
    assert (a1.presupuesto_comprometido, a1.presupuesto_pagado) == (D(1500000), D("500000.50"))
    assert reporte.estado is EstadoReporte.EN_REPORTE  # la carga no envía

    assert not any(f.reportado for f in cifras.cuadro(m.vigencia, 1).actividades)
    cliente.post(f"/admin/reportetrimestral/enviar/?id={reporte.id}")
    db.session.expire_all()
    assert reporte.estado is EstadoReporte.REPORTADO
    filas = {f.codigo: f for f in cifras.cuadro(m.vigencia, 1).actividades}
    assert (filas["A1"].logrado_trimestre, filas["A2"].logrado_trimestre) == (D(12), D("7.5"))
    assert filas["A1"].comprometido == D(1500000) and filas["A2"].justificacion == "Contratista retirado en marzo."
    assert filas["A1"].cumplimiento_trimestre == D("120.00") and filas["A2"].cumplimiento_trimestre == D("75.00")


def test_varias_filas_malas_no_importan_nada_y_la_pagina_nombra_cada_una(navegador, fabrica, usuarios, plan):
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    cliente = navegador(usuarios[R.DIRECTOR])
    plantilla = cliente.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").data
    contenido = _llenar(plantilla, {"A1": {"Valor logrado": 4}, "A2": {"Valor logrado": "diez"}},
                        extra=[["A9", None, None, 5]])
    html = _subir(cliente, reporte, contenido).get_data(as_text=True)
    assert "No se importó nada: el archivo tiene 3 error(es)." in html
    # Hoja, fila, columna y mensaje de cada error.
    assert ("<td>Avances</td><td>2</td><td>Justificación</td><td>Fila 2: A1: el valor logrado (4) está por debajo "
            "de la meta del trimestre (10); escriba la justificación.</td>") in html
    assert "<td>3</td><td>Valor logrado</td><td>Fila 3: A2 · Valor logrado: «diez» no es un número.</td>" in html
    assert "<td>4</td><td>Código</td><td>Fila 4: el código «A9» no es un ítem de este reporte.</td>" in html
    assert _valores(reporte) == {"A1": (D(0), None), "A2": (D(0), None)}


@pytest.mark.parametrize("nombre, contenido, mensaje", [
    ("avances.csv", b"codigo;valor\nA1;3\n", "Libro de Excel: tipo de archivo no permitido; se aceptan xlsx."),
    ("avances.xlsx", b"codigo;valor\nA1;3\n", "Libro de Excel: el contenido no corresponde a un .xlsx."),
    ("avances.xlsx", b"PK\x03\x04 roto", "El archivo no es un libro de Excel (.xlsx) válido."),
])
def test_un_archivo_que_no_es_xlsx_se_rechaza_con_un_mensaje_claro(navegador, fabrica, usuarios, plan,
                                                                  nombre, contenido, mensaje):
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    html = _subir(navegador(usuarios[R.DIRECTOR]), reporte, contenido, nombre).get_data(as_text=True)
    assert mensaje in html
    assert _valores(reporte) == {"A1": (D(0), None), "A2": (D(0), None)}


def test_sin_archivo_pide_elegirlo(navegador, fabrica, usuarios, plan):
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    html = navegador(usuarios[R.DIRECTOR]).post(f"/admin/reportetrimestral/cargar/?id={reporte.id}",
                                                 data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Elija el libro de Excel (.xlsx) que va a cargar." in html


def test_con_la_ventana_cerrada_o_enviado_la_carga_se_rechaza(navegador, fabrica, usuarios, plan):
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    cliente = navegador(usuarios[R.DIRECTOR])
    contenido = _llenar(cliente.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").data,
                        {"A1": {"Valor logrado": 10}, "A2": {"Valor logrado": 10}})
    fabrica.ventana(1, abierta=False)
    assert "Cargar avances desde Excel" not in cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    html = cliente.texto(f"/admin/reportetrimestral/cargar/?id={reporte.id}")
    assert "está cerrada" in html and 'name="archivo"' not in html
    assert "está cerrada: el trimestre es de solo lectura" in _subir(cliente, reporte, contenido).get_data(as_text=True)
    assert _valores(reporte)["A1"] == (D(0), None)

    fabrica.ventana(1)
    assert _subir(cliente, reporte, contenido).status_code == 302
    cliente.post(f"/admin/reportetrimestral/enviar/?id={reporte.id}")
    html = _subir(cliente, reporte, _llenar(contenido, {"A1": {"Valor logrado": 40}})).get_data(as_text=True)
    assert "El reporte está reportado: ya no se modifica." in html
    assert _valores(reporte)["A1"] == (D(10), None)


def test_el_director_de_otra_dependencia_recibe_404(navegador, fabrica, usuarios, plan):
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    contenido = _llenar(importar_avances.plantilla(reporte), {"A1": {"Valor logrado": 10}})
    cliente = navegador(usuarios["director2"])
    assert cliente.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").status_code == 404
    assert cliente.get(f"/admin/reportetrimestral/cargar/?id={reporte.id}").status_code == 404
    assert _subir(cliente, reporte, contenido).status_code == 404
    assert _valores(reporte)["A1"] == (D(0), None)


@pytest.mark.parametrize("rol", [R.OAP, R.JEFE_OAP, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL])
def test_quien_no_reporta_no_descarga_ni_carga(navegador, fabrica, usuarios, plan, rol):
    reporte = _abrir(fabrica, plan, usuarios[R.DIRECTOR])
    contenido = _llenar(importar_avances.plantilla(reporte), {"A1": {"Valor logrado": 10}})
    cliente = navegador(usuarios[rol])
    assert "Cargar avances desde Excel" not in cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    assert cliente.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").status_code == 403
    assert cliente.get(f"/admin/reportetrimestral/cargar/?id={reporte.id}").status_code == 403
    assert _subir(cliente, reporte, contenido).status_code == 403
    assert _valores(reporte)["A1"] == (D(0), None)


def test_la_territorial_carga_solo_su_parte(navegador, fabrica, usuarios, plan):
    m = fabrica.mundo
    fabrica.actividad_territorial(plan, {m.territorial: (3, 3, 3, 3), m.territorial2: (2, 2, 2, 2)})
    reporte = _abrir(fabrica, plan, usuarios[R.TERRITORIAL])
    cliente = navegador(usuarios[R.TERRITORIAL])
    plantilla = cliente.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").data
    assert list(load_workbook(BytesIO(plantilla))["Avances"].iter_rows(min_row=2, max_col=3, values_only=True)) == [
        ("A1", "Actividad 1 de 3200", 3)]

    html = _subir(cliente, reporte, _llenar(plantilla, {"A1": {"Valor logrado": 3}},
                                            extra=[["A2", None, None, 10]])).get_data(as_text=True)
    assert "Fila 3: el código «A2» no es un ítem de este reporte." in html
    assert _valores(reporte) == {"A1": (D(0), None)}

    assert _subir(cliente, reporte, _llenar(plantilla, {"A1": {"Valor logrado": 3}})).status_code == 302
    assert _valores(reporte) == {"A1": (D(3), None)}  # su meta es 3: no pide justificación
    otra = navegador(usuarios["territorial2"])
    assert otra.get(f"/admin/reportetrimestral/plantilla/?id={reporte.id}").status_code == 404
    assert _subir(otra, reporte, plantilla).status_code == 404
