"""Una página de una tabla ya leída o cortada en la base (las dependencias del tablero, de la verificación de
Control Interno y de la calidad del reporte): con cientos de dependencias la página muestra unas pocas filas, y el
libro .xlsx todas."""
import unicodedata
from dataclasses import dataclass

POR_PAGINA = 50


@dataclass
class Pagina:
    filas: list
    numero: int
    paginas: int
    total: int
    por_pagina: int = POR_PAGINA

    @property
    def desde(self) -> int:
        return (self.numero - 1) * self.por_pagina + 1 if self.filas else 0

    @property
    def hasta(self) -> int:
        return (self.numero - 1) * self.por_pagina + len(self.filas)


def _paginas(total: int, por_pagina: int) -> int:
    return max(1, -(-total // por_pagina))


def paginar(filas: list, numero: int | None, por_pagina: int | None = None) -> Pagina:
    por_pagina = por_pagina or POR_PAGINA
    paginas = _paginas(len(filas), por_pagina)
    numero = min(max(numero or 1, 1), paginas)
    return Pagina(filas[(numero - 1) * por_pagina:numero * por_pagina], numero, paginas, len(filas), por_pagina)


def cortada(filas: list, numero: int, total: int, por_pagina: int) -> Pagina:
    """Una página que la base ya cortó (`numero` ya acotado) de `total` filas."""
    return Pagina(filas, numero, _paginas(total, por_pagina), total, por_pagina)


def _sin_tildes(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto.casefold()) if unicodedata.category(c) != "Mn")


def buscar(filas: list, texto: str, nombre) -> list:
    """Las filas cuyo nombre contiene el texto buscado, sin distinguir mayúsculas ni tildes («bogota» halla
    «Bogotá»)."""
    buscado = _sin_tildes((texto or "").strip())
    if not buscado:
        return filas
    return [f for f in filas if buscado in _sin_tildes(nombre(f))]
