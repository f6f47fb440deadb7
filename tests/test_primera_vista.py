"""Páginas que no crecen con las dependencias (issue 23, punto 4): el PAI público muestra su tabla por dependencia
por páginas, cada dependencia enlaza sus actividades, y la página de actividades lee solo los planes que la cubren;
el inicio de la OAP cuenta los planes en la base y nombra solo los primeros atrasados."""
import re
from datetime import date

import pytest

from gestion import inicio
from gestion.planes import plan_accion as servicio
from gestion.publicacion import pai_publico
from gestion.reglas import roles as R
from modelos import Actividad, db
from modelos import EstadoPlan as E


@pytest.fixture
def pai_de_cinco(fabrica):
    """Un PAI publicado con cinco dependencias de 3, 1, 4, 2 y 3 actividades."""
    for i, actividades in enumerate((3, 1, 4, 2, 3)):
        fabrica.plan_accion(fabrica.dependencia(f"50{i}", f"Dirección 50{i}"), E.APROBADO, actividades=actividades)
    return fabrica.publicar_pai("01-2026")


def test_la_tabla_por_dependencia_va_por_paginas_y_enlaza_sus_actividades(navegador, pai_de_cinco, monkeypatch):
    monkeypatch.setattr(pai_publico, "DEPENDENCIAS_POR_PAGINA", 2)
    publico, pai = navegador(), pai_de_cinco
    html = publico.texto(f"/publico/pai/{pai.id}")
    assert "Dependencias 1 a 2 de 5" in html and 'aria-label="Páginas de dependencias"' in html
    assert 'aria-current="page">1<' in html and "Siguientes »" in html
    assert ">Dirección 500</a>" in html and ">Dirección 502</a>" not in html
    assert "Actividades (13)" in html  # el total es el de todas
    tercera = publico.texto(f"/publico/pai/{pai.id}?pagina_dependencias=3")
    assert "Dependencias 5 a 5 de 5" in tercera and ">Dirección 504</a>" in tercera
    # Cada dependencia lleva a sus actividades: el mismo PAI, filtrado.
    enlace = re.search(r'href="([^"]*dependencia=\d+[^"]*)">Dirección 502</a>',
                       publico.texto(f"/publico/pai/{pai.id}?pagina_dependencias=2")).group(1)
    filtrada = publico.texto(enlace.replace("&amp;", "&"))
    assert "Actividades (4)" in filtrada and "Actividad 4 de 502" in filtrada and "de 501" not in filtrada


def test_cada_pagina_de_actividades_trae_las_mismas_que_el_orden_completo(navegador, pai_de_cinco, monkeypatch):
    """La página lee solo los planes que la cubren: ninguna actividad se salta ni se repite entre páginas."""
    monkeypatch.setattr(pai_publico, "POR_PAGINA", 3)
    pai = pai_de_cinco
    todas = [f"{a.plan.dependencia.codigo} {a.codigo}" for p in sorted(pai.planes_consolidados,
                                                                        key=lambda p: p.dependencia.codigo)
             for a in sorted(p.actividades, key=lambda a: (a.codigo, a.id))]
    leidas = []
    for pagina in range(1, 6):
        pagina_pai = pai_publico.pagina_pai(pai, pagina=pagina)
        assert pagina_pai.paginas == 5
        leidas += [f"{a.plan.dependencia.codigo} {a.codigo}" for a in pagina_pai.resumen.actividades]
    assert leidas == todas and len(todas) == 13
    filtradas = pai_publico.pagina_pai(pai, objetivo_id=db.session.get(Actividad, 1).objetivo_id, pagina=2)
    assert filtradas.total_actividades == 13 and len(filtradas.resumen.actividades) == 3


def test_el_inicio_de_la_oap_cuenta_los_atrasados_y_nombra_los_primeros(fabrica, usuarios, monkeypatch):
    monkeypatch.setattr(inicio, "LIMITE_TARJETA", 2)
    servicio.completar_cronograma(fabrica.mundo.vigencia, usuarios[R.OAP])
    for i, estado in enumerate((E.BORRADOR, E.DEVUELTO, E.ENVIADO, E.BORRADOR, E.APROBADO)):
        fabrica.plan_accion(fabrica.dependencia(f"60{i}", f"Dirección 60{i}"), estado)
    db.session.commit()
    tablero = inicio.tablero(usuarios[R.OAP], hoy=date(2026, 1, 15))
    assert tablero.vencidas[:2] == [
        "Formulación y cargue venció el 05/12/2025: 3 plan(es) sin enviar (Dirección 600, Dirección 601 y 1 más).",
        "Aprobación venció el 10/01/2026: 1 plan(es) recibidos sin aprobar."]
    assert [p.dependencia.nombre for p in tablero.atrasados] == ["Dirección 600", "Dirección 601"]
    assert tablero.atrasados_total == 3 and not tablero.listo_para_consolidar
