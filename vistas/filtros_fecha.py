"""Filtros de fecha de las listas, escritos dd/mm/aaaa con el mismo calendario de los formularios.

Los de Flask-Admin piden aaaa-mm-dd con un calendario en inglés. Estos filtran por día: en una columna con
hora, «el día 01/03/2026» es de las 00:00 a las 24:00 de Bogotá. Un rango se arma con «desde» y «hasta».
"""
from datetime import date, datetime, time, timedelta, timezone

from flask_admin.contrib.sqla.filters import BaseSQLAFilter

from gestion.base import formato

# El nombre del tipo que gestion/static/fecha.js reconoce en los filtros (faForm.addFieldConverter).
TIPO = "fecha"


class FiltroDia(BaseSQLAFilter):
    operacion = ""

    def __init__(self, column, name, options=None, data_type=None):
        super().__init__(column, name, options, data_type=TIPO)

    def validate(self, value) -> bool:
        try:
            return formato.leer_fecha(value) is not None
        except ValueError:
            return False

    def clean(self, value) -> date:
        return formato.leer_fecha(value)

    def operation(self):
        return self.operacion

    def limites(self, dia: date, alias):
        """La condición sobre la columna: entre el comienzo del día y el del siguiente."""
        columna = self.get_column(alias)
        if columna.type.python_type is datetime:
            inicio = datetime.combine(dia, time(), formato.ZONA).astimezone(timezone.utc)
            return columna, inicio, inicio + timedelta(days=1)
        return columna, dia, dia + timedelta(days=1)


class FiltroElDia(FiltroDia):
    operacion = "el día"

    def apply(self, query, value, alias=None):
        columna, inicio, fin = self.limites(value, alias)
        return query.filter(columna >= inicio, columna < fin)


class FiltroDesde(FiltroDia):
    operacion = "desde"

    def apply(self, query, value, alias=None):
        columna, inicio, _ = self.limites(value, alias)
        return query.filter(columna >= inicio)


class FiltroHasta(FiltroDia):
    operacion = "hasta"

    def apply(self, query, value, alias=None):
        columna, _, fin = self.limites(value, alias)
        return query.filter(columna < fin)


FILTROS = (FiltroElDia, FiltroDesde, FiltroHasta)
