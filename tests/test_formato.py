"""Cifras y fechas como se leen en Colombia."""
from datetime import date, datetime, timezone
from decimal import Decimal

from gestion import formato
from modelos import ahora, en_momento


def test_numeros_pesos_y_porcentajes():
    assert formato.numero(Decimal("1234567.50")) == "1.234.567,5"
    assert formato.numero(-1000) == "-1.000"
    assert formato.pesos(Decimal("1234567890.4")) == "$ 1.234.567.890"
    assert formato.porcentaje(Decimal("87.46")) == "87,5 %"
    assert formato.porcentaje(None) == "—"


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
