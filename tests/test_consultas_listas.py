"""Las listas de cada día no consultan por plan: las del director con varios planes de su dependencia en la
página, y los reportes e informes de la OAP, hacen las mismas sentencias con uno que con varios."""
import pytest

from gestion.reglas import roles as R
from modelos import EstadoPlan, db

from .test_consultas import _planes, consultas

LISTAS_DEL_DIRECTOR = ["/admin/planes_accion/", "/admin/actividad/", "/admin/actividad/?search=A",
                       "/admin/reportetrimestral/"]


def _versiones(fabrica, dependencia, desde: int, cuantas: int) -> None:
    """Planes de la dependencia en la misma vigencia, cada uno su versión: las actividades de la página son de
    varios planes (cada uno con su estado y su ajuste de origen, que deciden si la fila aún se edita)."""
    for numero in range(desde, desde + cuantas):
        plan = fabrica.plan_accion(dependencia, EstadoPlan.BORRADOR if numero % 2 else EstadoPlan.ENVIADO,
                                   actividades=3)
        plan.numero_version = numero
    db.session.commit()


@pytest.mark.parametrize("url", LISTAS_DEL_DIRECTOR)
def test_las_listas_del_director_no_consultan_por_plan(fabrica, usuarios, navegador, url):
    director = navegador(usuarios[R.DIRECTOR])
    _versiones(fabrica, fabrica.mundo.central, 10, 1)
    pocas = consultas(director, url)
    _versiones(fabrica, fabrica.mundo.central, 11, 4)
    assert consultas(director, url) == pocas


@pytest.mark.parametrize("url", ["/admin/reportetrimestral/", "/admin/informeseguimiento/"])
def test_reportes_e_informes_de_la_oap_no_consultan_por_plan(fabrica, usuarios, navegador, url):
    oap = navegador(usuarios[R.OAP])
    _planes(fabrica, 2, 5000)
    pocas = consultas(oap, url)
    _planes(fabrica, 5, 6000)
    assert consultas(oap, url) == pocas
