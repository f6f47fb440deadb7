"""Las páginas de la OAP no hacen una consulta por fila: el número de consultas SQL no crece con los planes."""
import pytest
import sqlalchemy as sa

from gestion import roles as R
from modelos import Dependencia, EstadoPlan, db

E = EstadoPlan


class Contador:
    def __init__(self):
        self.total = 0

    def __call__(self, *args, **kwargs):
        self.total += 1


def consultas(cliente, url) -> int:
    contador = Contador()
    sa.event.listen(db.engine, "before_cursor_execute", contador)
    try:
        assert cliente.get(url).status_code == 200, url
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", contador)
    return contador.total


def _planes(fabrica, cuantos, desde):
    for i in range(cuantos):
        dependencia = fabrica.dependencia(f"{desde + i}")
        fabrica.usuario(R.DIRECTOR, dependencia)
        fabrica.plan_accion(dependencia, E.ENVIADO, actividades=3)
    db.session.commit()


@pytest.mark.parametrize("url", ["/admin/planes_accion/", "/admin/planes_accion/?flt0_estado_equals=ENVIADO",
                                 "/admin/"])
def test_las_paginas_de_la_oap_no_consultan_por_plan(fabrica, usuarios, navegador, url):
    oap = navegador(usuarios[R.OAP])
    _planes(fabrica, 2, 5000)
    pocas = consultas(oap, url)
    _planes(fabrica, 5, 6000)
    assert db.session.scalar(sa.select(sa.func.count(Dependencia.id))) > 7
    assert consultas(oap, url) == pocas
