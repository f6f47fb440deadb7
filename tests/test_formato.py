"""Cifras y fechas como se leen en Colombia."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from gestion.base import formato
from modelos import ahora, en_momento


def test_numeros_pesos_y_porcentajes():
    assert formato.numero(Decimal("1234567.50")) == "1.234.567,5"
    assert formato.numero(-1000) == "-1.000"
    # Los centavos, solo si los hay, con sus dos cifras (como en Excel y como se escriben en el formulario).
    assert formato.pesos(Decimal("1234567890.4")) == "$ 1.234.567.890,40"
    assert formato.pesos(Decimal("650000.00")) == "$ 650.000"
    assert formato.monto(Decimal("1050000.50")) == "1.050.000,50" and formato.monto(None) == ""
    assert formato.porcentaje(Decimal("87.46")) == "87,5 %"
    assert formato.porcentaje(None) == "—"
    # Un cumplimiento negativo (una decreciente que empeoró) con su signo menos; lo que redondea a cero, sin él.
    assert formato.porcentaje(Decimal("-25.00")) == "\u221225 %" and formato.porcentaje(Decimal("-33.33")) == "\u221233,3 %"
    assert formato.porcentaje(Decimal("-0.04")) == "0 %" and formato.numero(Decimal("-0.001")) == "0"


def test_fechas_dd_mm_aaaa_y_horas_de_bogota():
    assert formato.fecha(date(2026, 1, 31)) == "31/01/2026"
    # 15:00 UTC son las 10:00 en Bogotá, venga la hora con zona (PostgreSQL) o sin ella (SQLite).
    assert formato.fecha(datetime(2026, 1, 31, 15, 0, tzinfo=timezone.utc)) == "31/01/2026 10:00"
    assert formato.fecha(datetime(2026, 1, 31, 15, 0)) == "31/01/2026 10:00"


def test_en_momento_fija_la_hora_de_los_hechos_y_la_suelta_al_salir():
    fijo = datetime(2025, 1, 24, 21, 0, tzinfo=timezone.utc)
    with en_momento(fijo):
        assert ahora() == fijo
    assert ahora() > fijo


def test_leer_numero_entiende_lo_que_se_escribe_en_colombia_y_lo_que_trae_excel():
    assert formato.leer_numero("1.234,5") == Decimal("1234.5")
    assert formato.leer_numero("1.050.000") == Decimal(1050000)
    assert formato.leer_numero("42.5") == Decimal("42.5")
    assert formato.leer_numero("$ 2.000.000") == Decimal(2000000)
    assert formato.leer_numero("60 %") == Decimal(60)
    assert formato.leer_numero(0.1) == Decimal("0.1")
    assert formato.leer_numero("  ") is None
    for malo in ("abc", "NaN", "1,2,3", True, date(2026, 1, 1)):
        with pytest.raises(ValueError):
            formato.leer_numero(malo)


def test_leer_fecha_en_dd_mm_aaaa_del_selector_del_navegador_o_de_excel():
    assert formato.leer_fecha("31/01/2026") == date(2026, 1, 31)
    assert formato.leer_fecha("2026-01-31") == date(2026, 1, 31)
    assert formato.leer_fecha(datetime(2026, 1, 31, 8, 0)) == date(2026, 1, 31)
    assert formato.leer_fecha("") is None
    for mala in ("31/02/2026", "enero", 5):
        with pytest.raises(ValueError):
            formato.leer_fecha(mala)


def test_hoy_es_la_fecha_de_bogota_no_la_de_utc(monkeypatch):
    class Reloj(datetime):
        @classmethod
        def now(cls, tz=None):
            # Las 0:30 del 7 en UTC son las 19:30 del 6 en Bogotá.
            return datetime(2026, 12, 7, 0, 30, tzinfo=timezone.utc).astimezone(tz)

    monkeypatch.setattr(formato, "datetime", Reloj)
    assert formato.hoy() == date(2026, 12, 6)
