"""Archivos hostiles o dañados: cada uno se rechaza con un mensaje en español, un 422 y nada guardado,
en poco tiempo. Las pruebas fabrican su propio corpus."""
import io
import re
import time
import zipfile

import pytest

from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import actividades as importar_actividades
from gestion.importacion.lectura import ImportacionRechazada, leer_filas
from gestion.reglas import roles as R
from modelos import db

from .libros import libro as _xlsx

BASE = "/admin/planes_accion"


def _reemplazar(contenido: bytes, cambios: dict[str, bytes], agregar: dict[str, bytes] | None = None,
                compresion=zipfile.ZIP_DEFLATED) -> bytes:
    entrada, salida = zipfile.ZipFile(io.BytesIO(contenido)), io.BytesIO()
    with zipfile.ZipFile(salida, "w", compresion) as nuevo:
        for parte in entrada.infolist():
            nuevo.writestr(parte.filename, cambios.get(parte.filename, entrada.read(parte.filename)))
        for nombre, datos in (agregar or {}).items():
            nuevo.writestr(nombre, datos)
    return salida.getvalue()


TITULOS = [c.etiqueta for c in CAMPOS]
HOJA = "xl/worksheets/sheet1.xml"


def _filas_xml(n: int) -> bytes:
    filas = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>A{i}</t></is></c></row>' for i in range(2, n + 2))
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>C\xc3\xb3digo</t></is>'
            b'</c></row>' + filas.encode() + b"</sheetData></worksheet>")


BOMBA_DE_ENTIDADES = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
    b"</sheetData></worksheet>")


def corpus() -> dict[str, tuple[bytes, str]]:
    """nombre → (contenido, parte del mensaje que el usuario debe leer)."""
    base = _xlsx([TITULOS, ["A1", "Actividad"]])
    return {
        "vacío": (b"", "vacío"),
        "csv renombrado": ("Código;Descripción\nA1;Actividad\n".encode(), "csv"),
        "imagen": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "no es un libro de Excel"),
        "xls antiguo": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".xls"),
        "zip que no es libro": (_zip({"a.txt": b"hola"}), "no es un libro de Excel"),
        "xlsm con macros": (_reemplazar(base, {}, {"xl/vbaProject.bin": b"\x00" * 100}), "macros"),
        "bomba de entidades": (_reemplazar(base, {HOJA: BOMBA_DE_ENTIDADES}), "entidades"),
        "bomba zip": (_reemplazar(base, {HOJA: b" " * (12 * 1024 * 1024)}), "comprimido de forma anómala"),
        "plantilla equivocada": (_xlsx([["Nombre", "Valor"], ["x", 1]]), "Faltan las columnas"),
        "libro sin filas": (_xlsx([TITULOS]), "no tiene actividades"),
        "zip truncado": (base[: len(base) // 2], "no es un libro de Excel"),
        "cadena compartida fuera de rango": (_reemplazar(base, {HOJA: re.sub(
            rb'<c r="A2".*?</c>', b'<c r="A2" t="s"><v>9999</v></c>', zipfile.ZipFile(io.BytesIO(base)).read(HOJA))}),
            "no es un libro de Excel"),
        "libro sin hojas": (_reemplazar(base, {"xl/workbook.xml": re.sub(
            rb"<sheets>.*</sheets>", b"<sheets/>", zipfile.ZipFile(io.BytesIO(base)).read("xl/workbook.xml"))}),
            "no tiene ninguna hoja"),
    }


def _zip(partes: dict[str, bytes]) -> bytes:
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as nuevo:
        for nombre, datos in partes.items():
            nuevo.writestr(nombre, datos)
    return salida.getvalue()


def _foto(plan):
    db.session.expire_all()
    return sorted((a.codigo, a.descripcion) for a in plan.actividades)


@pytest.mark.parametrize("caso", sorted(corpus()))
def test_cada_archivo_hostil_se_rechaza_diciendo_por_que(fabrica, usuarios, caso):
    contenido, mensaje = corpus()[caso]
    plan = fabrica.plan_accion(actividades=2)
    antes = _foto(plan)
    inicio = time.perf_counter()
    with pytest.raises(ImportacionRechazada) as rechazo:
        importar_actividades.importar(plan, contenido, usuarios[R.DIRECTOR])
    assert time.perf_counter() - inicio < 10
    assert mensaje.lower() in str(rechazo.value).lower()
    db.session.rollback()
    assert _foto(plan) == antes


@pytest.mark.parametrize("caso", sorted(corpus()))
def test_cada_archivo_hostil_subido_recibe_422_y_no_guarda_nada(fabrica, usuarios, navegador, caso):
    contenido, _ = corpus()[caso]
    plan = fabrica.plan_accion(actividades=2)
    antes = _foto(plan)
    director = navegador(usuarios[R.DIRECTOR])
    inicio = time.perf_counter()
    respuesta = director.post(f"{BASE}/cargar_actividades/",
                              data={"id": plan.id, "archivo": (io.BytesIO(contenido), "actividades.xlsx")})
    assert time.perf_counter() - inicio < 10
    assert respuesta.status_code == 422, respuesta.status_code
    html = re.sub(r"\s+", " ", respuesta.get_data(as_text=True))
    # La revisión de la subida (tipo y firma) o la del libro: siempre en español, nunca un 500.
    assert "No se importó nada" in html or "Libro de Excel:" in html, caso
    assert _foto(plan) == antes


def test_cien_mil_filas_se_rechazan_en_tiempo_acotado():
    contenido = _reemplazar(_xlsx([["Código"]]), {HOJA: _filas_xml(100_000)})
    inicio = time.perf_counter()
    with pytest.raises(ImportacionRechazada, match="más de 20.000 filas"):
        leer_filas(contenido, ["Código"])
    assert time.perf_counter() - inicio < 10


def test_un_millon_de_filas_vacias_no_se_recorre_entero():
    vacias = "".join(f'<row r="{i}"/>' for i in range(2, 150_002)).encode()
    xml = _filas_xml(1).replace(b"</sheetData>", vacias + b"</sheetData>")
    with pytest.raises(ImportacionRechazada, match="más de 100.000 filas"):
        leer_filas(_reemplazar(_xlsx([["Código"]]), {HOJA: xml}), ["Código"])



def _estado_de_la_base():
    """Todo lo que una carga podría escribir, para comparar antes y después."""
    from modelos import Actividad, Avance, MetaTerritorial
    db.session.expire_all()
    return [sorted(tuple(str(getattr(fila, c.key)) for c in modelo.__table__.columns)
                   for fila in db.session.query(modelo)) for modelo in (Actividad, MetaTerritorial, Avance)]


def _carga(fabrica, usuarios, cual: str) -> tuple[str, str]:
    """(rol que carga, URL de la carga) de cada carga de libros que ofrece el sistema, con su mundo armado."""
    from gestion.seguimiento import reportes
    from modelos import EstadoPlan
    m = fabrica.mundo
    if cual == "avances":
        plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
        fabrica.ventana(1)
        reporte = reportes.abrir_reporte(plan, m.vigencia, 1, usuarios[R.DIRECTOR])
        db.session.commit()
        return R.DIRECTOR, f"/admin/reportetrimestral/cargar/?id={reporte.id}"
    plan = fabrica.plan_accion(m.central, actividades=2)
    if cual == "metas territoriales":
        fabrica.actividad_territorial(plan, {m.territorial: (1, 2, 3, 4)})
        return R.TERRITORIAL, "/admin/metaterritorial/cargar/"
    if cual == "libro propio":
        return R.DIRECTOR, f"{BASE}/libro_propio/?id={plan.id}"
    return R.DIRECTOR, f"{BASE}/cargar_actividades/?id={plan.id}"


@pytest.mark.parametrize("cual", ["actividades", "avances", "metas territoriales", "libro propio"])
def test_cada_carga_rechaza_todo_el_corpus_con_un_mensaje_y_sin_guardar_nada(fabrica, usuarios, navegador, cual):
    rol, url = _carga(fabrica, usuarios, cual)
    cliente = navegador(usuarios[rol])
    antes = _estado_de_la_base()
    for caso, (contenido, mensaje) in sorted(corpus().items()):
        if cual == "libro propio" and caso in ("plantilla equivocada", "libro sin filas"):
            continue  # libros sanos: el libro propio de una oficina no tiene que seguir la plantilla
        subir = navegador(usuarios[rol])
        respuesta = subir.post(url, data={"archivo": (io.BytesIO(contenido), "libro.xlsx")},
                               content_type="multipart/form-data")
        if cual == "libro propio" and respuesta.status_code == 302:  # se abrió; el paso de mapear lo lee
            respuesta = subir.get(respuesta.location)
        html = re.sub(r"\s+", " ", respuesta.get_data(as_text=True))
        assert 400 <= respuesta.status_code < 500, (cual, caso, respuesta.status_code)
        # La revisión de la subida (tipo y firma) responde antes que la del libro, con su propio mensaje.
        assert mensaje.lower() in html.lower() or "Libro de Excel:" in html or "No se importó nada" in html, \
            (cual, caso)
        if caso == "libro sin hojas" or (caso == "cadena compartida fuera de rango" and cual in (
                "actividades", "libro propio")):  # las otras cargas no hallan sus títulos antes de esa celda
            assert mensaje.lower() in html.lower(), (cual, caso)
    assert cliente.get(url).status_code == 200
    assert _estado_de_la_base() == antes
