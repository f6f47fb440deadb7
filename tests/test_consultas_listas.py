"""Las listas de cada día no consultan por plan: las del director con varios planes de su dependencia en la
página, y los reportes e informes de la OAP, hacen las mismas sentencias con uno que con varios."""
import re

import pytest

from gestion.planes import plan_accion
from gestion.reglas import roles as R
from modelos import EstadoPlan, db

from .test_consultas import _planes, _sentencias, consultas

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


# Lo que un plan guarda y las listas no muestran: su contenido al devolverlo y la diferencia de su ajuste.
_PESADO = re.compile(r"contenido_devuelto|solicitud_ajuste(_\d+)?\.cambios")


@pytest.mark.parametrize("quien, url", [
    (R.OAP, "/admin/planes_accion/"), (R.OAP, "/admin/planes_accion/?flt0_estado_equals=ENVIADO"),
    (R.OAP, "/admin/actividad/"), (R.OAP, "/admin/reportetrimestral/"), (R.OAP, "/admin/"),
    (R.OAP, "/admin/solicitudajuste/"), (R.DIRECTOR, "/admin/planes_accion/"), (R.DIRECTOR, "/admin/actividad/"),
    (R.DIRECTOR, "/admin/"), (R.DIRECTOR, "/admin/solicitudajuste/")])
def test_las_listas_no_traen_lo_que_cada_plan_guarda_y_no_muestran(fabrica, usuarios, navegador, quien, url):
    """El contenido de un plan al devolverlo pesa ~77 KB con 88 actividades: la lista de actividades lo traía
    una vez por actividad, y la de planes una vez por plan devuelto alguna vez."""
    plan = fabrica.plan_accion(fabrica.mundo.central, EstadoPlan.ENVIADO, actividades=3)
    plan_accion.devolver(plan, usuarios[R.OAP], "Precise la meta de A1.")
    db.session.commit()
    assert plan.contenido_devuelto  # se guardó, y se lee cuando se pide
    sentencias = _sentencias(navegador(usuarios[quien]), url)
    assert sentencias and not [s for s in sentencias if _PESADO.search(s)]
