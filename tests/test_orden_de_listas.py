"""Hojear una lista ordenada por una columna con repetidos (el código «A1» está en cada plan) muestra cada fila una
vez: ninguna sale en dos páginas ni se pierde entre ellas, en SQLite y en PostgreSQL."""
import re

from gestion.reglas import roles as R
from modelos import Actividad, db

from .test_consultas import _planes

FILA = re.compile(r'/admin/actividad/details/\?id=(\d+)')


def _ids(navegador, url: str) -> list[int]:
    respuesta = navegador.get(url)
    assert respuesta.status_code == 200
    return list(dict.fromkeys(int(i) for i in FILA.findall(respuesta.get_data(as_text=True))))


def test_las_paginas_de_actividades_no_repiten_ni_pierden_filas(fabrica, usuarios, navegador):
    _planes(fabrica, 40, 7000)  # 40 planes × A1, A2, A3: cada código 40 veces, 120 actividades
    oap = navegador(usuarios[R.OAP])
    vistas = []
    for pagina in range(3):  # la lista muestra 50 por página, ordenada por código
        vistas += _ids(oap, f"/admin/actividad/?page={pagina}")
    todas = db.session.scalars(db.select(Actividad.id)).all()
    assert len(vistas) == len(set(vistas)) == len(todas)
    assert set(vistas) == set(todas)


def test_tambien_en_orden_descendente(fabrica, usuarios, navegador):
    _planes(fabrica, 40, 7000)
    oap = navegador(usuarios[R.OAP])
    vistas = []
    for pagina in range(3):
        vistas += _ids(oap, f"/admin/actividad/?sort=0&desc=1&page={pagina}")
    assert len(vistas) == len(set(vistas)) == len(db.session.scalars(db.select(Actividad.id)).all())
