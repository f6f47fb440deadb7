"""El escritor de libros reutiliza una celda con estilo por columna y formato: cada celda conserva su propio
valor, tipo y formato, aunque dos columnas de la misma fila tengan el mismo formato."""
from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gestion.base.formatos_excel import CODIGO_FECHA, CODIGO_PORCENTAJE
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE, Columna, Hoja, construir, partes


def test_cada_celda_guarda_su_valor_y_su_formato_fila_tras_fila():
    columnas = [Columna("Código"), Columna("Meta", formato=FORMATO_NUMERO), Columna("Logrado", formato=FORMATO_NUMERO),
                Columna("Presupuesto", formato=FORMATO_PESOS), Columna("Peso", formato=FORMATO_PORCENTAJE),
                Columna("Inicio"), Columna("Nota")]
    filas = [[f"A{i}", Decimal(i), Decimal(i) + Decimal("0.5"), Decimal(1000 * i) + (Decimal("0.25") if i % 2 else 0),
              Decimal(i) / 100, date(2026, 1 + i % 12, 1), "=SUMA(A1)" if i == 3 else None] for i in range(1, 301)]
    hoja = load_workbook(BytesIO(construir([Hoja("Datos", columnas, filas)])))["Datos"]

    for i, fila in enumerate(hoja.iter_rows(min_row=2), start=1):
        codigo, meta, logrado, presupuesto, peso, inicio, nota = fila
        assert (codigo.value, meta.value, logrado.value) == (f"A{i}", i, i + 0.5)
        assert (meta.number_format, logrado.number_format) == ("#,##0", "#,##0.00")
        assert presupuesto.value == 1000 * i + (0.25 if i % 2 else 0)
        assert presupuesto.number_format == ('"$" #,##0.00' if i % 2 else '"$" #,##0')
        assert (peso.value, peso.number_format) == (i / 100, CODIGO_PORCENTAJE)
        assert (inicio.value.date(), inicio.number_format) == (date(2026, 1 + i % 12, 1), CODIGO_FECHA)
        assert nota.value == ("=SUMA(A1)" if i == 3 else None)
        if i == 3:
            assert nota.data_type == "s" and nota.quotePrefix  # texto, no fórmula
    assert hoja.max_row == 301


def test_el_libro_sale_por_partes_mientras_se_leen_las_filas():
    leidas = []

    def filas():
        for i in range(1, 5001):
            leidas.append(i)
            yield [f"A{i}", Decimal(i)]

    trozos = partes([Hoja("Datos", [Columna("Código"), Columna("Meta", formato=FORMATO_NUMERO)], filas())])
    primero = next(trozos)
    assert primero.startswith(b"PK") and len(leidas) < 1000  # la descarga empieza sin esperar el resto

    hoja = load_workbook(BytesIO(primero + b"".join(trozos)))["Datos"]
    assert len(leidas) == 5000 and hoja.max_row == 5001
    assert [c.value for c in hoja[5001]] == ["A5000", 5000]
    assert hoja.auto_filter.ref == "A1:B5001" and hoja.freeze_panes == "A2"


def test_textos_que_xml_no_admite_y_hojas_del_mismo_nombre():
    largo = "x" * 40_000
    libro = load_workbook(BytesIO(construir([
        Hoja("Plan d'acción", [Columna("Texto")], [["<b>Metas</b> & avances\x01\x0b"], [largo], ["ñandú\ttab"]]),
        Hoja("plan d'acción", [Columna("Otra")], [[1]]),
    ])))
    assert libro.sheetnames == ["Plan d'acción", "plan d'acción (2)"]
    hoja = libro["Plan d'acción"]
    assert [c.value for c in hoja["A"]][1:] == ["<b>Metas</b> & avances", "x" * 32767, "ñandú\ttab"]
    assert hoja.print_title_rows == libro["plan d'acción (2)"].print_title_rows == "$1:$1"  # título en cada página
