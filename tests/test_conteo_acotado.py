"""Una lista grande cuenta sus filas solo hasta un tope: pasado, la pestaña dice «más de …» y se hojea con
«Anterior» y «Siguiente» (la última página que daría el tope no sería la última); bajo el tope, el total y las
páginas numeradas de siempre."""
import re

import pytest
import sqlalchemy as sa

from gestion.base import formato
from gestion.reglas import roles as R
from modelos import Actividad, EstadoPlan, UnidadMedida, db
from vistas import base

from .test_consultas import _sentencias

LISTA = "/admin/actividad/?page_size=20"


@pytest.fixture
def actividades(fabrica):
    """45 actividades: tres páginas de 20, la última con 5."""
    for i in range(3):
        fabrica.plan_accion(fabrica.dependencia(f"{9100 + i}"), EstadoPlan.ENVIADO, actividades=15)
    # Códigos distintos en toda la lista: la lista ordena por código, y con empates el orden de cada página no
    # está fijo.
    for numero, actividad in enumerate(db.session.scalars(sa.select(Actividad).order_by(Actividad.id))):
        actividad.codigo = f"C{numero:03d}"
    db.session.commit()
    return db.session.scalar(sa.select(sa.func.count(Actividad.id)))


def _ids(html: str) -> list[str]:
    return re.findall(r'href="/admin/actividad/details/\?id=(\d+)&', html)


def test_pasado_el_tope_la_lista_dice_mas_de_y_se_hojea_hasta_la_ultima_fila(
        actividades, usuarios, navegador, monkeypatch):
    assert actividades == 45
    monkeypatch.setattr(base, "TOPE_DEL_CONTEO", 30)
    oap = navegador(usuarios[R.OAP])
    conteos = [s for s in _sentencias(oap, LISTA) if "count(" in s.lower()]
    assert len(conteos) == 1 and "LIMIT" in conteos[0].upper()  # la base deja de contar en el tope
    primera = oap.texto(LISTA)
    assert "Lista (más de 30)" in primera and "&raquo;" not in primera
    assert "Página 1" in primera
    assert re.search(r'<li class="page-item">\s*<a class="page-link" href="[^"]*page=1&amp;[^"]*">Siguiente', primera)
    vistas = _ids(primera)
    segunda = oap.texto(f"{LISTA}&page=1")
    assert "Página 2" in segunda and "Lista (más de 30)" in segunda
    assert re.search(r'<li class="page-item">\s*<a class="page-link" href="[^"]*page_size=20[^"]*">‹ Anterior', segunda)
    vistas += _ids(segunda)
    ultima = oap.texto(f"{LISTA}&page=2")
    assert re.search(r'<li class="page-item disabled">\s*<a class="page-link" href="[^"]*">Siguiente', ultima)
    vistas += _ids(ultima)
    # Hojeando se llega a cada una de las filas, una sola vez.
    assert len(vistas) == len(set(vistas)) == 45


def test_bajo_el_tope_la_lista_dice_su_total_y_numera_sus_paginas(actividades, usuarios, navegador):
    oap = navegador(usuarios[R.OAP])
    primera = oap.texto(LISTA)
    assert "Lista (45)" in primera
    assert re.search(r'href="[^"]*page=2&amp;[^"]*">3</a>', primera)  # la última, numerada
    assert "Siguiente ›" not in primera


def test_un_filtro_o_una_busqueda_bajo_el_tope_dan_su_total(actividades, usuarios, navegador, monkeypatch):
    monkeypatch.setattr(base, "TOPE_DEL_CONTEO", 30)
    oap = navegador(usuarios[R.OAP])
    codigo = db.session.scalar(sa.select(Actividad.codigo).order_by(Actividad.id))
    buscadas = db.session.scalar(sa.select(sa.func.count(Actividad.id)).where(Actividad.codigo.contains(codigo)))
    assert f"Lista ({buscadas})" in oap.texto(f"{LISTA}&search={codigo}")


def test_el_director_ve_el_total_de_su_dependencia(actividades, fabrica, usuarios, navegador, monkeypatch):
    # El tope cuenta dentro del alcance: las filas de otras dependencias no lo llenan.
    monkeypatch.setattr(base, "TOPE_DEL_CONTEO", 30)
    fabrica.plan_accion(fabrica.mundo.central, EstadoPlan.ENVIADO, actividades=4)
    db.session.commit()
    director = navegador(usuarios[R.DIRECTOR])
    assert "Lista (4)" in director.texto(LISTA)


def test_el_total_de_la_pestana_va_en_notacion_colombiana(usuarios, navegador):
    db.session.execute(sa.insert(UnidadMedida), [{"codigo": f"U{i:04d}", "nombre": f"Unidad {i}"} for i in range(1300)])
    db.session.commit()
    total = db.session.scalar(sa.select(sa.func.count(UnidadMedida.id)))
    assert f"Lista ({formato.numero(total, 0)})" in navegador(usuarios[R.OAP]).texto("/admin/unidadmedida/")
    assert formato.numero(total, 0).startswith("1.")
