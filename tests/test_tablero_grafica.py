"""La tendencia del tablero: SVG dibujado en el servidor, accesible, con su tabla al lado y los colores del
semáforo; la página imprimible no la necesita, pero la hoja de estilos la deja imprimir."""
import re
from decimal import Decimal

from gestion.reglas import roles as R
from gestion.seguimiento import grafica
from modelos import ColorSemaforo, EstadoPlan, db

from .navegador import de_otro_servidor


def _escenario(fabrica):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    plan.actividades[0].peso, plan.actividades[1].peso = Decimal(30), Decimal(70)
    db.session.commit()
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 5})  # 65 %: rojo
    fabrica.reporte(plan, 2, {"A1": 10, "A2": 10})  # acumulado (30 × 100 + 70 × 75) = 82,5 %: amarillo
    return plan


def test_la_tendencia_del_conjunto_y_de_cada_dependencia(navegador, usuarios, fabrica):
    m = fabrica.mundo
    _escenario(fabrica)
    html = navegador(usuarios[R.OAP]).texto("/admin/tablero/?vigencia=2026&trimestre=2")
    assert "Tendencia de la vigencia 2026" in html
    svg = re.search(r'<svg[^>]*aria-labelledby="tendencia-total-titulo tendencia-total-desc".*?</svg>', html, re.S).group(0)
    assert "<title id=\"tendencia-total-titulo\">Tendencia del avance acumulado · Total institucional</title>" in svg
    assert "T1: 65 % (Rojo); T2: 82,5 % (Amarillo)." in svg  # la descripción dice lo que se ve
    assert grafica.COLORES[ColorSemaforo.ROJO] in svg and grafica.COLORES[ColorSemaforo.AMARILLO] in svg
    assert svg.count("<circle") == 2  # T3 y T4 sin cifra: sin punto
    # La cifra de T1 se escribe hacia adentro: no pisa la escala de la izquierda.
    assert re.findall(r'text-anchor="(\w+)" font-size="11" fill="#000">([^<]+)<', svg) == [
        ("start", "65 %"), ("middle", "82,5 %")]
    tabla = html.split("tabla-tendencia")[1].split("</table>")[0]
    assert re.findall(r"<td>(T\d)</td><td class=\"num\">([^<]+)</td>", tabla) == [
        ("T1", "65 %"), ("T2", "82,5 %"), ("T3", "—"), ("T4", "—")]
    # Cada dependencia con su gráfica pequeña en su fila, y nada de JavaScript ni CDN.
    fila = html.split(f">{m.central.nombre}</a>")[1].split("</tr>")[0]
    assert 'class="grafica chispa"' in fila and "T2: 82,5 % (Amarillo)" in fila
    assert "<script" not in svg and de_otro_servidor(html) == []
    css = navegador(usuarios[R.OAP]).texto("/static/grafica.css")
    assert "@media print" in css and "print-color-adjust: exact" in css


def test_el_detalle_de_una_dependencia_trae_su_tendencia(navegador, usuarios, fabrica):
    m = fabrica.mundo
    _escenario(fabrica)
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    fabrica.reporte(otro, 1, {"A1": 10, "A2": 10})
    html = navegador(usuarios[R.OAP]).texto(f"/admin/tablero/?vigencia=2026&trimestre=2&dependencia={m.central.id}")
    assert f"Tendencia de {m.central.nombre} en 2026" in html
    svg = re.search(r'<svg[^>]*aria-labelledby="tendencia-dependencia-titulo tendencia-dependencia-desc".*?</svg>',
                    html, re.S).group(0)
    assert "T1: 65 % (Rojo); T2: 82,5 % (Amarillo)." in svg  # la suya, no la del conjunto (T1: 82,5 %)
    assert "data-imprimir" in html


def test_el_director_ve_solo_su_tendencia(navegador, usuarios, fabrica):
    m = fabrica.mundo
    _escenario(fabrica)
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    fabrica.reporte(otro, 1, {"A1": 10, "A2": 10})
    html = navegador(usuarios[R.DIRECTOR]).texto("/admin/tablero/?vigencia=2026&trimestre=2")
    assert "T1: 65 % (Rojo); T2: 82,5 % (Amarillo)." in html  # su total es el suyo
    assert m.central2.nombre not in html
    oap = navegador(usuarios[R.OAP]).texto("/admin/tablero/?vigencia=2026&trimestre=2")
    assert "T1: 82,5 % (Amarillo)" in oap  # (30 × 100 + 70 × 50 + 50 × 100 + 50 × 100) / 200


def test_la_tabla_de_dependencias_va_por_paginas(navegador, usuarios, fabrica, monkeypatch):
    import vistas.tablero

    m = fabrica.mundo
    _escenario(fabrica)
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    fabrica.reporte(otro, 1, {"A1": 10, "A2": 10})
    monkeypatch.setattr(vistas.tablero, "POR_PAGINA", 1)
    oap = navegador(usuarios[R.OAP])
    primera = oap.texto("/admin/tablero/?vigencia=2026&trimestre=1")
    segunda = oap.texto("/admin/tablero/?vigencia=2026&trimestre=1&pagina=2")
    tabla = lambda html: html.split('<h2 class="h4">Por dependencia</h2>')[1].split("<h2")[0]  # noqa: E731
    nombres = sorted([m.central.nombre, m.central2.nombre])
    assert nombres[0] in tabla(primera) and nombres[1] not in tabla(primera)
    assert nombres[1] in tabla(segunda) and nombres[0] not in tabla(segunda)
    assert "Dependencias 1 a 1 de 2" in primera and "Dependencias 2 a 2 de 2" in segunda
    # El conteo de colores y el total siguen siendo de todas.
    assert primera.count('<div class="numero">1</div>') == 2
