"""La tendencia del avance acumulado a lo largo de los trimestres, dibujada en el servidor (SVG).

Aquí se decide la geometría (escala, puntos, bandas del semáforo); `plantillas/seguimiento/_grafica.html`
solo la dibuja. Los colores son los del semáforo (los mismos de `static/seguimiento.css`).
"""
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup, escape

from gestion.base import formato
from gestion.seguimiento.cifras import umbrales
from modelos import ColorSemaforo

COLORES = {ColorSemaforo.ROJO: "#dc3545", ColorSemaforo.AMARILLO: "#ffc107", ColorSemaforo.VERDE: "#28a745",
           ColorSemaforo.GRIS: "#adb5bd"}
TRIMESTRES = ("T1", "T2", "T3", "T4")


@dataclass
class Punto:
    trimestre: str
    x: float
    y: float
    valor: Decimal
    color: str
    etiqueta: str  # «T2: 82,5 % (Amarillo)»
    ancla: str = "middle"  # la cifra sobre el punto; en T1 y T4 hacia adentro, sin pisar la escala ni el borde


@dataclass
class Banda:
    y: float
    alto: float
    color: str
    etiqueta: str


@dataclass
class Serie:
    clave: int | None
    nombre: str
    ancho: int
    alto: int
    puntos: list[Punto]
    trazo: str  # los puntos de la línea, «x,y x,y …», cortada donde un trimestre no tiene cifra
    tramos: list[str] = field(default_factory=list)
    bandas: list[Banda] = field(default_factory=list)
    ejes: list[tuple[float, str]] = field(default_factory=list)  # (x, T1…) al pie
    lineas: list[tuple[float, str]] = field(default_factory=list)  # (y, «70 %») de la escala
    valores: list = field(default_factory=list)  # la cifra de cada trimestre (o None), para la tabla

    @property
    def chispa(self) -> Markup:
        """La gráfica pequeña de la fila de una dependencia, ya dibujada: cientos de filas no pasan cada una
        por varias macros de Jinja. Lleva su descripción como etiqueta accesible y cada punto su valor."""
        partes = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.ancho} {self.alto}" width="{self.ancho}" '
                  f'height="{self.alto}" role="img" aria-label="{escape(self.descripcion)}" class="grafica chispa">']
        partes += [f'<rect x="0" y="{b.y}" width="{self.ancho}" height="{b.alto}" fill="{b.color}" fill-opacity="0.12"/>'
                   for b in self.bandas]
        partes += [f'<polyline points="{t}" fill="none" stroke="#343a40" stroke-width="1.2"/>' for t in self.tramos]
        partes += [f'<circle cx="{p.x}" cy="{p.y}" r="2.6" fill="{p.color}"><title>{escape(p.etiqueta)}</title></circle>'
                   for p in self.puntos]
        return Markup("".join(partes) + "</svg>")

    @property
    def descripcion(self) -> str:
        if not self.puntos:
            return f"{self.nombre}: sin avance reportado en la vigencia."
        return f"{self.nombre}, avance acumulado por trimestre: " + "; ".join(p.etiqueta for p in self.puntos) + "."


@dataclass
class Grafica:
    total: Serie
    por_dependencia: dict  # clave de la dependencia → Serie pequeña (para su fila de la tabla)


def _escala_y(alto, margen_y):
    util_y = alto - 2 * margen_y

    def y_de(valor) -> float:
        return round(margen_y + util_y * (1 - float(min(max(valor, 0), 100)) / 100), 1)
    return y_de


def _bandas(alto, margen_y, tabla) -> list[Banda]:
    """Bandas del semáforo según el catálogo de umbrales: de abajo (rojo) hacia arriba (verde)."""
    y_de, bandas = _escala_y(alto, margen_y), []
    cortes = sorted(tabla)  # (desde, color) ascendente
    for posicion, (desde, color) in enumerate(cortes):
        hasta = cortes[posicion + 1][0] if posicion + 1 < len(cortes) else Decimal(100)
        if desde >= 100:
            continue
        arriba, abajo = y_de(min(hasta, Decimal(100))), y_de(desde)
        bandas.append(Banda(arriba, round(abajo - arriba, 1), COLORES[color],
                            f"{color.etiqueta} desde {formato.porcentaje(desde)}"))
    return bandas


def _serie(trayectoria, ancho, alto, margen_x, margen_y, tabla, con_escala, bandas=None) -> Serie:
    """`bandas`: las ya calculadas para este alto y estos umbrales (las de cada gráfica pequeña son las mismas)."""
    util_x = ancho - 2 * margen_x
    y_de = _escala_y(alto, margen_y)

    def x_de(indice) -> float:
        return round(margen_x + util_x * indice / 3, 1)

    puntos, tramos, actual = [], [], []
    for indice, fila in enumerate(trayectoria.trimestres):
        valor = None if fila is None else fila.avance_acumulado
        if valor is None:
            if actual:
                tramos.append(" ".join(actual))
            actual = []
            continue
        color = fila.color
        punto = Punto(TRIMESTRES[indice], x_de(indice), y_de(valor), valor, COLORES[color],
                      f"{TRIMESTRES[indice]}: {formato.porcentaje(valor)} ({color.etiqueta})",
                      {0: "start", len(TRIMESTRES) - 1: "end"}.get(indice, "middle"))
        puntos.append(punto)
        actual.append(f"{punto.x},{punto.y}")
    if actual:
        tramos.append(" ".join(actual))
    serie = Serie(trayectoria.clave, trayectoria.nombre, ancho, alto, puntos, " ".join(tramos), tramos,
                  bandas=list(_bandas(alto, margen_y, tabla) if bandas is None else bandas),
                  valores=[None if f is None else f.avance_acumulado for f in trayectoria.trimestres])
    if con_escala:
        serie.ejes = [(x_de(i), t) for i, t in enumerate(TRIMESTRES)]
        serie.lineas = [(y_de(v), formato.porcentaje(Decimal(v))) for v in (0, 50, 100)]
        serie.lineas += [(y_de(d), formato.porcentaje(d)) for d, _ in sorted(tabla) if 0 < d < 100]
    return serie


def tendencias(total, dependencias, tabla=None) -> Grafica:
    """La gráfica grande del conjunto y una pequeña por dependencia, a partir de `cifras.tendencias`; `tabla`, los
    umbrales ya leídos (si no, se leen)."""
    tabla = umbrales() if tabla is None else tabla
    pequenas = _bandas(28, 4, tabla)
    return Grafica(
        total=_serie(total, 420, 220, 46, 18, tabla, con_escala=True),
        por_dependencia={t.clave: _serie(t, 96, 28, 5, 4, tabla, con_escala=False, bandas=pequenas)
                         for t in dependencias})


def de_una_dependencia(trayectoria, tabla=None) -> Serie:
    """La gráfica grande de una sola dependencia, con su escala: la del detalle del tablero."""
    return _serie(trayectoria, 420, 220, 46, 18, umbrales() if tabla is None else tabla, con_escala=True)
