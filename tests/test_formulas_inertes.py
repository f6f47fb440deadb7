"""Ninguna descarga ejecuta una fórmula (issue 22, punto 4). Se arma un mundo con cada cosa que se descarga, se
envenena cada texto libre de la base con un inicio de fórmula (`=`, `+`, `-`, `@`, tabulador, retorno) y se baja
cada descarga que la app sirve: las exportaciones de cada lista (.xlsx y .csv) y cada libro, plantilla y conjunto
de datos abiertos. Las rutas se descubren de `app.url_map`: una ruta cuya vista llama a `enviar_libro` (o que
termina en .csv o .json) y no está en la tabla de abajo hace fallar la prueba.

- .xlsx: ninguna celda es una fórmula; un texto así es una celda de texto (y lleva el apóstrofo de Excel).
- CSV: un texto que empieza así lleva un apóstrofo delante (OWASP, «CSV injection»): la hoja de cálculo lo
  muestra como texto.
- JSON: el texto llega tal cual. Nadie abre un JSON en una hoja de cálculo sin convertirlo, y quien lo lee como
  datos necesita el valor exacto: un apóstrofo lo cambiaría.
- Los números siguen siendo números: una línea base de -5 es -5 en el libro, en el CSV y en el JSON, sin apóstrofo.
"""
import csv
import inspect
import io
import json
import re
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base.formatos_excel import INICIOS_DE_FORMULA
from gestion.publicacion.datos_abiertos import CONJUNTOS
from gestion.reglas import roles as R
from gestion.seguimiento import revision, verificacion
from modelos import EstadoPlan, EstadoReporte, db

from .test_acceso import LECTURA_ESPERADA

PREFIJOS = ("=", "+", "-", "@", "\t=", "\r=")
# Textos que la app lee por su valor (estados, claves, tipos, JSON guardado) o que identifican una cuenta: no son
# texto libre de nadie y cambiarlos rompería la página, no la exportación.
NO_SE_ENVENENAN = {"email", "password", "fs_uniquifier", "name", "tf_primary_method", "tf_totp_secret",
                   "mf_recovery_codes", "us_phone_number", "tendencia", "periodicidad", "tipo_acumulacion",
                   "periodo", "clave", "estado", "tipo", "seccion", "accion", "tabla", "operacion"}
# Descargas que entregan un archivo que subió el usuario, tal como lo subió (el libro de errores de una carga es el
# mismo libro, con sus celdas marcadas): no son exportaciones de la app.
ARCHIVOS_DEL_USUARIO = {"descargas.descargar"}
NUMERO = re.compile(r"^'?[-+]?\d[\d.,]*%?$")


def _envenenar() -> int:
    """Antepone un inicio de fórmula a cada texto libre guardado; devuelve cuántas columnas tocó."""
    columnas = 0
    for tabla in db.metadata.sorted_tables:
        if tabla.name == "registro_auditoria":
            continue  # no se modifica (en PostgreSQL lo impide un disparador); sus textos copian los de las otras
        for columna in tabla.columns:
            tipo = columna.type
            if (not isinstance(tipo, (sa.String, sa.Text)) or isinstance(tipo, sa.Enum) or columna.primary_key
                    or columna.foreign_keys or columna.name in NO_SE_ENVENENAN or columna.unique
                    or (tipo.length or 1000) < 40):
                continue
            prefijo = PREFIJOS[columnas % len(PREFIJOS)]
            db.session.execute(tabla.update().where(columna.is_not(None), ~columna.startswith("{"),
                                                    ~columna.startswith("["))
                               .values({columna.name: sa.literal(prefijo) + columna}))
            columnas += 1
    db.session.commit()
    return columnas


@pytest.fixture
def mundo(fabrica, usuarios):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    m.pei.objetivos[0].indicadores[0].linea_base = Decimal(-5)  # un número negativo no es una fórmula
    proyecto = fabrica.proyecto(m.central, Decimal(9_000_000))
    plan = fabrica.plan_accion(m.central, EstadoPlan.APROBADO, proyecto=proyecto)
    fabrica.actividad_territorial(plan, {m.territorial: (1, 1, 1, 1)})
    pai = fabrica.publicar_pai()
    fabrica.reporte(plan, 1, {"A1": 5, "A2": 10}, estado=EstadoReporte.ACEPTADO, comprometido={"A1": 100_000})
    en_reporte = fabrica.reporte(plan, 2, {"A1": 5}, estado=EstadoReporte.EN_REPORTE)
    borrador = fabrica.plan_accion(m.central2)
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    ci = usuarios[R.CONTROL_INTERNO]
    fila = verificacion.cuadro(m.vigencia, "T1")[0]
    verificacion.registrar(m.vigencia, "T1", db.session.get(type(m.central), fila.dependencia_id),
                           verificacion.Entrada("80", "Actas de marzo.", "Revisar soportes.", ""), ci, fila.reportado)
    verificacion.publicar(m.vigencia, "T1", ci)
    verificacion.generar_evaluacion(m.vigencia, ci)
    db.session.commit()
    assert _envenenar() > 20
    return {"plan": plan, "pai": pai, "reporte": en_reporte, "borrador": borrador, "informe": informe,
            "plan_estrategico": m.pei}


def _descargas_sueltas(mundo) -> dict[str, list[tuple[str | None, str]]]:
    """Cada descarga que no es la exportación de una lista: quién la pide (None: cualquiera) y su URL."""
    m, pai, pei = mundo, mundo["pai"], mundo["plan_estrategico"]
    return {
        "calidad_reporte.xlsx": [(R.OAP, "/admin/calidad_reporte/xlsx/?vigencia=2026&trimestre=1")],
        "informeseguimiento.sinergia": [(R.OAP, "/admin/informeseguimiento/sinergia/?vigencia=2026")],
        "inventario_planes.xlsx": [(R.OAP, "/admin/inventario_planes/xlsx/?vigencia=2026&trimestre=1")],
        "informeseguimiento.xlsx": [(R.OAP, f"/admin/informeseguimiento/xlsx/?id={m['informe'].id}")],
        "metaterritorial.plantilla": [(R.TERRITORIAL, "/admin/metaterritorial/plantilla/?vigencia=2026")],
        "planes_accion.plantilla_actividades": [
            ("director2", f"/admin/planes_accion/plantilla_actividades/?id={m['borrador'].id}")],
        "planes_estrategicos.excel_view": [(R.OAP, f"/admin/planes_estrategicos/plan/{pei.id}/excel")],
        "reportetrimestral.plantilla": [(R.DIRECTOR, f"/admin/reportetrimestral/plantilla/?id={m['reporte'].id}")],
        "verificacion_oci.evaluacion_xlsx": [(R.CONTROL_INTERNO, "/admin/verificacion_oci/evaluacion/xlsx/?vigencia=2026")],
        "publico.plan_xlsx": [(None, f"/publico/planes/{pei.id}.xlsx")],
        "publico.pai_xlsx": [(None, f"/publico/pai/{pai.id}.xlsx")],
        "publico.informe_gestion_xlsx": [(None, "/publico/informe-gestion/2026.xlsx")],
        "publico.datos_csv": [(None, f"/publico/datos/2026/{c}.csv") for c in CONJUNTOS],
        "publico.datos_json": [(None, f"/publico/datos/2026/{c}.json") for c in CONJUNTOS],
    }


def _es_descarga(app, endpoint: str, regla) -> bool:
    if regla.rule.endswith((".csv", ".json")):
        return True
    try:
        fuente = inspect.getsource(inspect.unwrap(app.view_functions[endpoint]))
    except (OSError, TypeError):
        return False
    return "enviar_libro(" in fuente


def _exportaciones_de_listas(app) -> dict[str, list[tuple[str | None, str]]]:
    """La exportación de cada lista que se exporta, en sus dos formatos, pedida por un rol que la lee."""
    descargas = {}
    for vista in app.extensions["admin"][0]._views:
        if not getattr(vista, "can_export", False):
            continue
        lectores = sorted(LECTURA_ESPERADA[vista.endpoint])
        rol = R.OAP if R.OAP in lectores else lectores[0]
        descargas[f"{vista.endpoint}.export"] = [(rol, f"/admin/{vista.endpoint}/export/{f}/")
                                                 for f in vista.export_types]
    return descargas


def _celdas_xlsx(contenido: bytes):
    libro = load_workbook(BytesIO(contenido))
    for hoja in libro.worksheets:
        for fila in hoja.iter_rows():
            yield from fila


def _textos_csv(contenido: bytes) -> list[str]:
    texto = contenido.decode("utf-8-sig")
    separador = ";" if ";" in texto.split("\n", 1)[0] else ","
    return [campo for fila in csv.reader(io.StringIO(texto), delimiter=separador) for campo in fila]


def _textos_json(dato) -> list:
    if isinstance(dato, dict):
        return [v for valor in dato.values() for v in _textos_json(valor)]
    if isinstance(dato, list):
        return [v for valor in dato for v in _textos_json(valor)]
    return [dato]


def _problemas(url: str, respuesta) -> tuple[list[str], int]:
    """Lo que no es inerte en una descarga, y cuántos textos envenenados llegaron (inertes)."""
    problemas, envenenados = [], 0
    tipo = respuesta.mimetype
    if tipo.endswith("spreadsheetml.sheet"):
        for celda in _celdas_xlsx(respuesta.data):
            if celda.data_type == "f":
                problemas.append(f"{url} {celda.coordinate}: fórmula {celda.value!r}")
            elif isinstance(celda.value, str) and celda.value.startswith(INICIOS_DE_FORMULA):
                if NUMERO.match(celda.value):
                    problemas.append(f"{url} {celda.coordinate}: un número escrito como texto {celda.value!r}")
                elif not celda.quotePrefix:
                    problemas.append(f"{url} {celda.coordinate}: texto sin apóstrofo {celda.value!r}")
                else:
                    envenenados += 1
    elif tipo == "text/csv":
        for campo in _textos_csv(respuesta.data):
            if campo.startswith(INICIOS_DE_FORMULA) and not NUMERO.match(campo):
                problemas.append(f"{url}: {campo!r} sin apóstrofo")
            elif campo.startswith("'") and NUMERO.match(campo):
                problemas.append(f"{url}: el número {campo!r} lleva apóstrofo")
            elif campo.startswith("'") and campo[1:].startswith(INICIOS_DE_FORMULA):
                envenenados += 1
    elif tipo == "application/json":
        for valor in _textos_json(json.loads(respuesta.data)):
            if isinstance(valor, str) and valor.startswith("'") and valor[1:].startswith(INICIOS_DE_FORMULA):
                problemas.append(f"{url}: {valor!r} cambiado en el JSON")
            elif isinstance(valor, str) and valor.startswith(PREFIJOS):
                envenenados += 1
    else:
        problemas.append(f"{url}: tipo inesperado {tipo}")
    return problemas, envenenados


def test_cada_descarga_entrega_los_textos_inertes_y_los_numeros_como_numeros(app, mundo, usuarios, navegador):
    sueltas = _descargas_sueltas(mundo)
    descargas = {**_exportaciones_de_listas(app), **sueltas}
    # Las listas que no se exportan (can_export = False) vuelven a la lista: no son descargas.
    no_se_exportan = {f"{v.endpoint}.export" for v in app.extensions["admin"][0]._views
                      if not getattr(v, "can_export", False)}
    servidas = {r.endpoint for r in app.url_map.iter_rules() if _es_descarga(app, r.endpoint, r)} - no_se_exportan
    sin_recorrer = servidas - set(descargas) - ARCHIVOS_DEL_USUARIO
    assert not sin_recorrer, f"descargas que esta prueba no baja (agréguelas a _descargas_sueltas): {sin_recorrer}"

    clientes = {}
    problemas, envenenados = [], {}
    for pedidos in descargas.values():
        for rol, url in pedidos:
            if rol not in clientes:
                clientes[rol] = navegador(usuarios[rol]) if rol else navegador()
            respuesta = clientes[rol].get(url)
            assert respuesta.status_code == 200, f"{url} como {rol}: {respuesta.status_code}"
            assert "attachment" in respuesta.headers.get("Content-Disposition", "") or \
                respuesta.mimetype == "application/json", url
            suyos, cuantos = _problemas(url, respuesta)
            problemas += suyos
            envenenados[url] = cuantos
    assert not problemas, "\n".join(problemas)
    # El veneno llegó: a las listas, a los libros (PAI, informe, plan estratégico, informe de gestión, plantillas) y
    # a los datos abiertos, en cada formato. (Un «\r» al comienzo de una celda de un .xlsx lo normaliza el XML a «\n».)
    for url in ("/admin/actividad/export/xlsx/", "/admin/actividad/export/csv/", f"/publico/pai/{mundo['pai'].id}.xlsx",
                "/publico/datos/2026/actividades.csv", "/publico/datos/2026/actividades.json",
                f"/admin/informeseguimiento/xlsx/?id={mundo['informe'].id}", "/publico/informe-gestion/2026.xlsx",
                f"/publico/planes/{mundo['plan_estrategico'].id}.xlsx",
                f"/admin/planes_accion/plantilla_actividades/?id={mundo['borrador'].id}"):
        assert envenenados[url] > 0, f"{url}: ningún texto envenenado llegó a la descarga"


def test_un_numero_negativo_sale_como_numero_en_el_libro_el_csv_y_el_json(mundo, usuarios, navegador):
    oap = navegador(usuarios[R.OAP])
    libro = load_workbook(BytesIO(oap.get("/admin/indicador/export/xlsx/").data))
    assert -5 in [c.value for fila in libro.active.iter_rows() for c in fila]
    assert "-5" in _textos_csv(oap.get("/admin/indicador/export/csv/").data)
    publico = navegador()
    assert "-5" in _textos_csv(publico.get("/publico/datos/2026/indicadores.csv").data)
    valores = _textos_json(json.loads(publico.get("/publico/datos/2026/indicadores.json").data))
    assert -5 in valores and "'-5" not in valores
