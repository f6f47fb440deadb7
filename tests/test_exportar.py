"""Exportar listas: cada lista del panel sale en .xlsx y .csv con celdas tipadas, sin HTML, dentro del
alcance y los filtros del usuario, con las fórmulas anuladas y sin una consulta por fila."""
import csv
import io
import re
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_admin.contrib.sqla import ModelView
from openpyxl import load_workbook

from gestion.demo.cargador import cargar_demo
from gestion.reglas.permisos import VER, puede
from modelos import db

from .fabricas import CONTRASENA

HTML = re.compile(r"<\s*(a|span|br|div|i)\b|badge|href=", re.I)
TIPOS_NUMERICOS = (sa.Numeric, sa.Integer)


def vistas_exportables(app):
    """Derivadas del panel: una lista nueva no escapa a estas pruebas."""
    return [v for v in app.extensions["admin"][0]._views if isinstance(v, ModelView) and v.can_export]


@contextmanager
def contar_consultas():
    consultas = []

    def anotar(conexion, cursor, sentencia, *args):
        if sentencia.lstrip().upper().startswith("SELECT"):
            consultas.append(sentencia)

    sa.event.listen(db.engine, "before_cursor_execute", anotar)
    try:
        yield consultas
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", anotar)


def hoja_exportada(respuesta):
    assert respuesta.status_code == 200, respuesta.status_code
    assert respuesta.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(respuesta.data)).worksheets[0]


def filas_csv(respuesta) -> list[list[str]]:
    assert respuesta.status_code == 200, respuesta.status_code
    assert respuesta.mimetype == "text/csv"
    texto = respuesta.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texto), delimiter=";"))


@pytest.fixture
def demo(contexto):
    usuarios = {u.email: u for u in cargar_demo(CONTRASENA)}
    db.session.commit()
    return usuarios


def _quien_ve(vista, usuarios):
    for email in ("oap@demo.gov.co", "admin@demo.gov.co", "jefe.oap@demo.gov.co"):
        usuario = usuarios.get(email)
        if usuario is not None and puede(usuario, VER, vista.recurso):
            return usuario
    raise AssertionError(f"ningún usuario de la demo ve {vista.endpoint}")


def test_cada_columna_exportada_sale_de_un_atributo_o_dice_su_valor(app):
    """Una columna calculada de la lista (enlaces, badges) no puede salir vacía en silencio."""
    sin_valor = [f"{v.endpoint}.{nombre}" for v in vistas_exportables(app) for nombre, _ in v._export_columns
                 if nombre not in v.exportar_como and not hasattr(v.model, nombre.split(".")[0])]
    assert not sin_valor


def test_cada_lista_se_exporta_en_xlsx_tipado_sin_html_y_sin_una_consulta_por_fila(app, demo, navegador):
    vistas = vistas_exportables(app)
    assert len(vistas) >= 20
    problemas, con_filas = [], 0
    for vista in vistas:
        cliente = navegador(_quien_ve(vista, demo))
        with contar_consultas() as consultas:
            respuesta = cliente.get(f"/admin/{vista.endpoint}/export/xlsx/")
        hoja = hoja_exportada(respuesta)
        filas = list(hoja.iter_rows(values_only=False))
        titulos = [c.value for c in filas[0]]
        if titulos != [str(t) for _, t in vista._export_columns]:
            problemas.append(f"{vista.endpoint}: títulos {titulos}")
        # Una columna que dice su valor (`exportar_como`: una etiqueta, el nombre de la fila) no es la de la base.
        tipos = {nombre: None if nombre in vista.exportar_como else sa.inspect(vista.model).columns.get(nombre)
                 for nombre, _ in vista._export_columns}
        for fila in filas[1:]:
            for (nombre, _), celda in zip(vista._export_columns, fila, strict=True):
                if isinstance(celda.value, str) and HTML.search(celda.value):
                    problemas.append(f"{vista.endpoint}.{nombre}: HTML {celda.value!r}")
                columna = tipos[nombre]
                if columna is None or celda.value is None:
                    continue
                if isinstance(columna.type, TIPOS_NUMERICOS) and not isinstance(columna.type, sa.Boolean):
                    if not isinstance(celda.value, (int, float)):
                        problemas.append(f"{vista.endpoint}.{nombre}: número como texto {celda.value!r}")
                elif isinstance(columna.type, (sa.Date, sa.DateTime)):
                    if not isinstance(celda.value, datetime) or not celda.number_format.startswith("DD/MM/YYYY"):
                        problemas.append(f"{vista.endpoint}.{nombre}: fecha {celda.value!r} {celda.number_format}")
        con_filas += len(filas) > 1
        # Sesión, usuario y unas pocas consultas por relación, por lotes: nunca una por fila.
        if len(filas) > 40 and len(consultas) > (len(filas) - 1) / 4:
            problemas.append(f"{vista.endpoint}: {len(consultas)} consultas para {len(filas) - 1} filas")
    assert not problemas, "\n".join(problemas)
    assert con_filas >= len(vistas) - 3


def test_cada_lista_se_exporta_en_csv_que_excel_abre_en_colombia(app, demo, navegador):
    problemas = []
    for vista in vistas_exportables(app):
        filas = filas_csv(navegador(_quien_ve(vista, demo)).get(f"/admin/{vista.endpoint}/export/csv/"))
        if filas[0] != [str(t) for _, t in vista._export_columns]:
            problemas.append(f"{vista.endpoint}: títulos {filas[0]}")
        problemas += [f"{vista.endpoint}: HTML {v!r}" for fila in filas[1:] for v in fila if HTML.search(v)]
        problemas += [f"{vista.endpoint}: número con punto decimal {v!r}" for fila in filas[1:] for v in fila
                      if re.fullmatch(r"-?\d+\.\d+", v)]
    assert not problemas, "\n".join(problemas)


def _vista(app, endpoint):
    return next(v for v in app.extensions["admin"][0]._views if v.endpoint == endpoint)


def _filtro_igual(vista, titulo: str) -> str:
    """El parámetro de URL del filtro «igual a» de la columna `titulo`, como lo arma la lista."""
    from flask_admin.contrib.sqla.filters import FilterEqual
    for indice, filtro in enumerate(vista._filters):
        if str(filtro.name) == titulo and isinstance(filtro, FilterEqual):
            return f"flt0_{vista.get_filter_arg(indice, filtro)}"
    raise AssertionError(f"{vista.endpoint} no filtra por {titulo}")


def test_la_exportacion_respeta_el_alcance_la_busqueda_y_los_filtros(app, fabrica, usuarios, navegador):
    from gestion.reglas import roles as R
    from modelos import EstadoPlan
    m = fabrica.mundo
    propio = fabrica.plan_accion(m.central, actividades=3)
    fabrica.plan_accion(m.central2, actividades=2)
    director = navegador(usuarios[R.DIRECTOR])

    hoja = hoja_exportada(director.get("/admin/actividad/export/xlsx/"))
    planes = {f[0] for f in hoja.iter_rows(min_row=2, values_only=True)}
    assert planes == {str(propio)} and hoja.max_row == 4

    hoja = hoja_exportada(director.get("/admin/actividad/export/xlsx/?search=A2"))
    assert [f[1] for f in hoja.iter_rows(min_row=2, values_only=True)] == ["A2"]

    fabrica.llevar_a(propio, EstadoPlan.ENVIADO)
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    vista = _vista(app, "planes_accion")
    filas = filas_csv(oap.get(f"/admin/planes_accion/export/csv/?{_filtro_igual(vista, 'Estado')}=ENVIADO"))
    assert [f[1] for f in filas[1:]] == [str(propio.dependencia)]
    assert {f[4] for f in filas[1:]} == {EstadoPlan.ENVIADO.etiqueta}


def test_cifras_con_su_formato_y_formulas_anuladas(fabrica, usuarios, navegador):
    from gestion.reglas import roles as R
    plan = fabrica.plan_accion(fabrica.mundo.central, actividades=2)
    actividad = plan.actividades[0]
    actividad.descripcion = '=HYPERLINK("http://malicioso.example","Clic")'
    actividad.meta_anual, actividad.peso, actividad.presupuesto = Decimal(140), Decimal(25), Decimal("1250000.50")
    plan.actividades[1].descripcion = "-2+3"
    db.session.commit()
    director = navegador(usuarios[R.DIRECTOR])

    hoja = hoja_exportada(director.get("/admin/actividad/export/xlsx/"))
    por_codigo = {fila[1].value: fila for fila in hoja.iter_rows(min_row=2)}
    _, _, descripcion, _, meta, peso, presupuesto, territorial, planes = por_codigo["A1"]
    assert descripcion.value == actividad.descripcion and descripcion.data_type == "s" and descripcion.quotePrefix
    assert por_codigo["A2"][2].data_type == "s" and por_codigo["A2"][2].quotePrefix
    assert (meta.value, meta.number_format) == (140, "#,##0")
    assert (peso.value, peso.number_format) == (0.25, "0.0%")
    assert (presupuesto.value, presupuesto.number_format) == (1250000.5, '"$" #,##0.00')
    assert territorial.value == "No" and planes.value is None  # sin planes institucionales: celda vacía
    assert hoja.freeze_panes == "A2" and hoja.auto_filter.ref == "A1:I3"

    filas = {f[1]: f for f in filas_csv(director.get("/admin/actividad/export/csv/"))[1:]}
    assert filas["A1"][2].startswith("'=HYPERLINK") and filas["A2"][2] == "'-2+3"
    assert filas["A1"][4:7] == ["140", "25%", "1250000,50"]


def test_la_lista_exportada_se_descarga_mientras_se_escribe(fabrica, usuarios, navegador):
    from gestion.reglas import roles as R
    fabrica.plan_accion(fabrica.mundo.central, actividades=3)
    db.session.commit()
    director = navegador(usuarios[R.DIRECTOR])
    for formato in ("xlsx", "csv"):
        respuesta = director.get(f"/admin/actividad/export/{formato}/", buffered=False)
        # Por partes y sin longitud declarada: el navegador empieza a guardar el archivo enseguida.
        assert respuesta.is_streamed and "Content-Length" not in respuesta.headers
        assert respuesta.headers["Content-Disposition"].startswith("attachment; filename=actividades-")
        cuerpo = b"".join(respuesta.response)
        respuesta.close()
        assert cuerpo.startswith(b"PK" if formato == "xlsx" else "\ufeffPlan".encode())


def test_la_lista_de_planes_exportada_trae_su_lista_de_chequeo_sin_una_consulta_por_plan(fabrica, usuarios, navegador):
    from gestion.reglas import controles_plan_accion
    from gestion.reglas import roles as R
    planes = [fabrica.plan_accion(fabrica.dependencia(f"{9300 + i}"), actividades=2) for i in range(45)]
    planes[0].actividades[0].indicador = ""  # uno que falla algún punto
    db.session.commit()
    esperado = {str(p.dependencia): controles_plan_accion.evaluar(p).resumen for p in planes}
    oap = navegador(usuarios[R.OAP])
    with contar_consultas() as consultas:
        hoja = hoja_exportada(oap.get("/admin/planes_accion/export/xlsx/"))
    filas = list(hoja.iter_rows(values_only=True))
    titulos = list(filas[0])
    dependencia, chequeo = titulos.index("Dependencia"), titulos.index("Lista de chequeo")
    exportado = {fila[dependencia]: fila[chequeo] for fila in filas[1:] if fila[dependencia] in esperado}
    assert exportado == esperado and len(set(esperado.values())) > 1
    assert len(consultas) < 15  # las listas guardadas, en una consulta: no una por plan


def test_historial_y_auditoria_exportados_dicen_lo_que_dice_la_pantalla(fabrica, usuarios, navegador):
    from gestion.planes import ajustes
    from gestion.reglas import roles as R
    from modelos import EstadoPlan

    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Cambió la norma.", "Subir la meta de A1.")
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    hoja = hoja_exportada(oap.get("/admin/historialestado/export/xlsx/?flt0_0=solicitud_ajuste"))
    filas = [dict(zip([c.value for c in hoja[1]], fila, strict=True)) for fila in hoja.iter_rows(min_row=2, values_only=True)]
    de_la_solicitud = [f for f in filas if f["Objeto"] == "Solicitud de ajuste"]
    assert de_la_solicitud, filas
    texto = " ".join(str(v) for f in filas for v in f.values())
    for codigo in ("solicitud_ajuste", "en_preparacion", "registrar_solicitud", "n.º"):
        assert codigo not in texto
    assert str(solicitud).startswith(de_la_solicitud[0]["Registro"].rstrip("…"))

    auditoria = hoja_exportada(oap.get("/admin/registroauditoria/export/xlsx/?flt0_tabla_equals=actividad"))
    titulos = [c.value for c in auditoria[1]]
    filas = [dict(zip(titulos, f, strict=True)) for f in auditoria.iter_rows(min_row=2, values_only=True)]
    actividad = plan.actividades[0]
    assert {f["Tabla"] for f in filas} == {"Actividad"} and "editar" not in {f["Acción"] for f in filas}
    assert f"{actividad.codigo} · {actividad.descripcion}" in {f["Registro"] for f in filas}
    assert not any(str(f["Registro"]).startswith("n.º") for f in filas)

    planes = hoja_exportada(oap.get("/admin/planes_accion/export/xlsx/"))
    titulos = [c.value for c in planes[1]]
    vigencias = [f[titulos.index("Vigencia")] for f in planes.iter_rows(min_row=2, values_only=True)]
    assert vigencias and all(v == 2026 for v in vigencias)  # un número, no el texto «2026»
