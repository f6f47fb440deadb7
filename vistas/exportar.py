"""Exportación de cualquier lista a .xlsx o .csv: la misma consulta de la lista (alcance del usuario, filtros,
búsqueda y orden), celdas tipadas en lugar del HTML de la lista y sin una consulta por fila.

El libro (o el CSV) sale por trozos a medida que se leen las filas, en lotes de la consulta: la descarga empieza
enseguida y la memoria no crece con el número de filas. Los formateadores de la lista (enlaces, badges) no se
usan: cada columna exporta su valor; las columnas calculadas dicen el suyo en `exportar_como`.
"""
import csv
import io
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import flash, redirect
from flask_admin import expose
from flask_admin.helpers import get_redirect_target
from sqlalchemy.orm import RelationshipDirection, joinedload, selectinload

from gestion.base import formato
from gestion.base.formatos_excel import es_formula
from gestion.excel.libro import FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE, TIPO_MIME, Columna, Hoja, partes
from modelos import EnumEtiquetado, Vigencia, ahora

from .descargas import TIPO_CSV, enviar_libro

CAMPOS_MONEDA = {"presupuesto", "valor", "presupuesto_comprometido", "presupuesto_pagado"}
# Guardados de 0 a 100; en la hoja van como porcentaje.
CAMPOS_PORCENTAJE = {"peso", "desde"}
FILAS_POR_LOTE = 500


def plano(valor):
    """El valor de una celda: números, fechas y textos; nunca HTML ni un objeto."""
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    if isinstance(valor, EnumEtiquetado):
        return valor.etiqueta
    if isinstance(valor, Vigencia):
        return valor.anio  # un año es un número en la hoja, para filtrar y ordenar
    if valor is None or isinstance(valor, (int, float, Decimal, date)):
        return valor
    if isinstance(valor, str):
        return str(valor)  # también un Markup: queda el texto
    if isinstance(valor, (list, tuple, set)):
        return ", ".join(str(plano(v)) for v in valor)
    return str(valor)


def texto_csv(valor, tipo: str | None) -> str:
    """Como lo lee Excel en Colombia al abrir el .csv: coma decimal, fechas dd/mm/aaaa, fórmulas anuladas."""
    if valor is None:
        return ""
    if isinstance(valor, (int, float, Decimal)):
        numero = Decimal(str(valor))
        if tipo == FORMATO_PORCENTAJE:
            return formato.numero(numero * 100, 2).replace(".", "") + "%"
        if numero == numero.to_integral_value():
            return str(numero.quantize(Decimal(1)))
        if tipo == FORMATO_PESOS:
            return f"{numero:.2f}".replace(".", ",")
        return format(numero.normalize(), "f").replace(".", ",")  # una cantidad, con todos sus decimales
    if isinstance(valor, (date, datetime)):
        return formato.fecha(valor)
    texto = str(valor)
    return "'" + texto if es_formula(texto) else texto


def _nombre_archivo(titulo: str, extension: str) -> str:
    base = unicodedata.normalize("NFKD", titulo).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", base).strip("-") or "lista"
    return f"{base}-{formato.fecha(ahora())[:10].replace('/', '-')}.{extension}"


class ExportacionTipada:
    """Mezcla para `ModelView`: reemplaza la exportación de Flask-Admin."""

    export_types = ["xlsx", "csv"]
    # nombre de columna → función(fila) → valor, para las columnas que no son un atributo del modelo.
    exportar_como: dict = {}

    def cargas_exportacion(self) -> tuple:
        """Opciones de carga que esas funciones necesitan (las relaciones de la lista se cargan solas)."""
        return ()

    def _tipo_columna(self, nombre: str) -> str | None:
        if nombre in CAMPOS_MONEDA:
            return FORMATO_PESOS
        if nombre in CAMPOS_PORCENTAJE:
            return FORMATO_PORCENTAJE
        columna = sa.inspect(self.model).columns.get(nombre)
        if columna is not None and isinstance(columna.type, sa.Numeric) and not isinstance(columna.type, sa.Float):
            return FORMATO_NUMERO
        return None

    def columnas_exportadas(self) -> list[tuple[str, Columna]]:
        return [(nombre, Columna(str(titulo), max(12, min(60, len(str(titulo)) + 4)), self._tipo_columna(nombre)))
                for nombre, titulo in self._export_columns]

    def _cargas(self) -> list:
        """Cada relación exportada, y las relaciones muchos-a-uno de esa fila (su texto suele citarlas),
        se cargan por lotes: un puñado de consultas sin importar cuántas filas haya."""
        mapeo = sa.inspect(self.model)
        cargas = list(self.cargas_exportacion())
        for nombre, _ in self._export_columns:
            relacion = mapeo.relationships.get(nombre.split(".")[0])
            if relacion is None or nombre in self.exportar_como:
                continue
            internas = [selectinload(getattr(relacion.mapper.class_, r.key)) for r in relacion.mapper.relationships
                        if r.direction is RelationshipDirection.MANYTOONE]
            atributo = getattr(self.model, relacion.key)
            # Las que la lista ya une (column_select_related_list) conservan su estrategia.
            ya_unida = any(getattr(j, "property", None) is relacion for j in self._auto_joins)
            cargas.append((joinedload(atributo) if ya_unida else selectinload(atributo)).options(*internas))
        return cargas

    def valor_exportado(self, fila, nombre: str):
        if nombre in self.exportar_como:
            return plano(self.exportar_como[nombre](fila))
        valor = fila
        for parte in nombre.split("."):
            valor = getattr(valor, parte, None) if valor is not None else None
        valor = plano(valor)
        if nombre in CAMPOS_PORCENTAJE and isinstance(valor, (int, float, Decimal)):
            valor = Decimal(str(valor)) / 100
        return valor

    def consulta_exportada(self):
        """La consulta de la lista tal como la ve el usuario, sin paginar."""
        argumentos = self._get_list_extra_args()
        orden = self._get_column_by_idx(argumentos.sort)
        _, consulta = self.get_list(0, orden[0] if orden else None, argumentos.sort_desc, argumentos.search,
                                    argumentos.filters, execute=False, page_size=0)
        return consulta.options(*self._cargas()).yield_per(FILAS_POR_LOTE)

    def filas_exportadas(self, columnas):
        """Las filas, a medida que se leen; la consulta se arma ya (un filtro inválido se rechaza antes de
        empezar la descarga) y se lee por lotes mientras el archivo sale."""
        consulta = self.consulta_exportada()
        return ([self.valor_exportado(fila, nombre) for nombre, _ in columnas] for fila in consulta)

    @expose("/export/<export_type>/")
    def export(self, export_type):
        if not self.can_export or export_type not in self.export_types:
            flash("Esta lista no se exporta en ese formato.", "error")
            return redirect(get_redirect_target() or self.get_url(".index_view"))
        columnas = self.columnas_exportadas()
        if export_type == "xlsx":
            contenido = partes([Hoja(self.name, [c for _, c in columnas], self.filas_exportadas(columnas))])
            tipo = TIPO_MIME
        else:
            contenido, tipo = _partes_csv(columnas, self.filas_exportadas(columnas)), TIPO_CSV
        return enviar_libro(contenido, _nombre_archivo(str(self.name), export_type), tipo)


def _partes_csv(columnas, filas):
    # Punto y coma y BOM: así lo abre Excel con la configuración regional de Colombia.
    texto = io.StringIO()
    escritor = csv.writer(texto, delimiter=";")
    escritor.writerow([c.titulo for _, c in columnas])
    tipos = [c.formato for _, c in columnas]
    yield "\ufeff".encode() + _vaciar(texto)
    for numero, fila in enumerate(filas, start=1):
        escritor.writerow([texto_csv(v, t) for v, t in zip(fila, tipos, strict=True)])
        if numero % FILAS_POR_LOTE == 0:
            yield _vaciar(texto)
    yield _vaciar(texto)


def _vaciar(texto: io.StringIO) -> bytes:
    datos = texto.getvalue().encode("utf-8", "replace")
    texto.seek(0)
    texto.truncate()
    return datos
