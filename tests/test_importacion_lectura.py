"""Un .xlsx subido se lee entero o se rechaza con un mensaje claro, sin importar nada."""
import io
import re
import zipfile

import pytest

from gestion.importacion import lectura
from gestion.importacion.lectura import ImportacionRechazada, leer_filas

from .libros import libro as _libro


def test_lee_filas_con_encabezados_sin_tildes_ni_mayusculas_y_salta_las_vacias():
    contenido = _libro([["Código", "Meta  T1", "Otra"], ["A1", 10, "x"], [None, None, None], ["A2", 5.5, None]])
    assert leer_filas(contenido, ["codigo", "meta t1"]) == [
        (2, {"codigo": "A1", "meta t1": 10, "otra": "x"}), (4, {"codigo": "A2", "meta t1": 5.5, "otra": None})]


def test_rechaza_columnas_faltantes_nombrandolas():
    with pytest.raises(ImportacionRechazada, match="Faltan las columnas: meta t1"):
        leer_filas(_libro([["Código"], ["A1"]]), ["codigo", "meta t1"])


def test_rechaza_lo_que_no_es_un_xlsx():
    with pytest.raises(ImportacionRechazada, match="es texto"):
        leer_filas(b"codigo;meta\nA1;3\n", ["codigo"])


def test_rechaza_un_libro_que_descomprimido_es_enorme(monkeypatch):
    monkeypatch.setattr(lectura, "MAXIMO_DESCOMPRIMIDO", 1000)
    with pytest.raises(ImportacionRechazada, match="descomprimido supera"):
        leer_filas(_libro([["codigo"]] + [[f"A{i}"] for i in range(500)]), ["codigo"])


def test_no_confia_en_la_dimension_que_declara_la_hoja():
    """Un libro cuya etiqueta <dimension> dice A1:A2 pero trae 50 filas se lee completo."""
    original = _libro([["codigo"]] + [[f"A{i}"] for i in range(50)])
    entrada, salida = zipfile.ZipFile(io.BytesIO(original)), io.BytesIO()
    with zipfile.ZipFile(salida, "w") as nuevo:
        for parte in entrada.infolist():
            datos = entrada.read(parte.filename)
            if parte.filename == "xl/worksheets/sheet1.xml":
                datos, cambios = re.subn(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:A2"/>', datos)
                assert cambios == 1
            nuevo.writestr(parte, datos)
    assert len(leer_filas(salida.getvalue(), ["codigo"])) == 50


def test_el_mensaje_lista_todos_los_errores_con_su_fila():
    error = ImportacionRechazada([lectura.ErrorFila(3, "la meta no es un número"), "otro problema"])
    assert "No se importó nada" in str(error)
    assert "Fila 3: la meta no es un número" in str(error) and "otro problema" in str(error)


@pytest.mark.parametrize(("texto", "separador"), [
    ("0.167", "."), ("0,167", ","), ("1.050.000,50", ","), ("1,050,000.50", "."), ("1.050.000", ","),
    ("1,050", "?"), ("1.050", "?"), ("12.5", "."), ("$ 2.000,5", ","), ("25%", None), ("1050", None)])
def test_el_separador_decimal_que_delata_un_numero_escrito_como_texto(texto, separador):
    from gestion.importacion.columnas import separador_de
    assert separador_de(texto) == separador


@pytest.mark.parametrize(("texto", "decimal", "numero"), [
    ("0.167", ".", "0.167"), ("0,167", ",", "0.167"), ("1.050.000,50", ",", "1050000.50"),
    ("1,050,000.50", ".", "1050000.50"), ("1.050", ",", "1050"), ("1.050", ".", "1.050"), ("15 %", ",", "0.15")])
def test_un_numero_escrito_como_texto_se_lee_con_su_separador(texto, decimal, numero):
    from decimal import Decimal

    from gestion.importacion.columnas import numero_de_texto
    assert numero_de_texto(texto, decimal)[0] == Decimal(numero)


def test_las_celdas_se_leen_con_su_formato_para_decidir_por_columna():
    from openpyxl import Workbook

    from gestion.importacion.columnas import cruda
    documento = Workbook()
    documento.active.append(["Meta"])
    documento.active.append([0.15])
    documento.active["A2"].number_format = "0%"
    salida = io.BytesIO()
    documento.save(salida)
    with lectura.abrir(salida.getvalue()) as libro:
        (_, [titulo]), (_, [celda]) = lectura.celdas_de(lectura.hoja_de(libro, None))
        assert titulo.value == "Meta" and cruda(celda).porcentaje
        assert cruda(celda).valor == 0.15  # sin multiplicar: la columna decide
