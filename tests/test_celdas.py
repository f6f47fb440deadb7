"""Las celdas de las listas, armadas en Python una vez por columna (vistas/celdas.py), dicen lo mismo que
Flask-Admin fila por fila (`_get_list_value`: formateador de la columna, opciones, formateador del tipo), en cada
lista del panel; y editar y borrar solo aparecen en las filas que el estado deja tocar."""
import pytest
from flask_login import login_user
from markupsafe import escape

from gestion.reglas import roles as R
from modelos import EstadoPlan
from vistas import celdas
from vistas.base import VistaModelo


def _listas(app, usuario):
    """Cada lista que el usuario ve, dentro de una petición a su URL (las acciones de fila se arman con `.endpoint`)."""
    for vista in app.extensions["admin"][0]._views:
        if isinstance(vista, VistaModelo):
            with app.test_request_context(vista.url + "/"):
                login_user(usuario)
                if vista.is_accessible():
                    yield vista


@pytest.mark.parametrize("rol", [R.OAP, R.ADMINISTRADOR, R.DIRECTOR])
def test_cada_celda_de_cada_lista_es_la_de_flask_admin(app, fabrica, usuarios, rol):
    fabrica.plan_accion(actividades=3)
    fabrica.plan_accion(dependencia=fabrica.mundo.central2, estado=EstadoPlan.ENVIADO, actividades=2)
    vistas_con_filas, distintas = 0, []
    for vista in _listas(app, usuarios[rol]):
        _, filas = vista.get_list(0, None, False, None, [], page_size=50)
        armadas = celdas.filas(vista, None, filas, vista._list_columns, vista.get_list_row_actions(), "/volver",
                               True)
        vistas_con_filas += bool(filas)
        for fila, armada in zip(filas, armadas, strict=True):
            assert armada.id == str(vista.get_pk_value(fila)) and armada.nombre == str(fila)
            for (columna, _), (nombre, celda) in zip(vista._list_columns, armada.celdas, strict=True):
                esperada = escape(vista._get_list_value(None, fila, columna, vista.column_formatters,
                                                        vista.column_type_formatters))
                if nombre != columna or celda != esperada:
                    distintas.append((vista.endpoint, columna, str(celda), str(esperada)))
            tipos = [accion[0] for accion in armada.acciones]
            if not vista.fila_modificable(fila):
                assert celdas.BORRAR not in tipos, vista.endpoint
                assert not any(accion[0] == celdas.ENLACE and "/edit/" in accion[1] for accion in armada.acciones)
    assert vistas_con_filas >= 2
    assert distintas == []


def test_la_lista_de_planes_muestra_ver_editar_y_ficha_solo_donde_toca(app, fabrica, usuarios, navegador):
    borrador = fabrica.plan_accion(actividades=1)
    enviado = fabrica.plan_accion(dependencia=fabrica.mundo.central2, estado=EstadoPlan.ENVIADO, actividades=1)
    html = navegador(usuarios[R.OAP]).texto("/admin/planes_accion/")
    assert f"/admin/planes_accion/details/?id={borrador.id}&amp;url=" in html
    assert f"/admin/planes_accion/ficha/?id={borrador.id}" in html
    assert f"/admin/planes_accion/edit/?id={borrador.id}&amp;url=" in html
    # Un plan enviado ya no se edita desde la lista: sin el lápiz, con su ficha.
    assert f"/admin/planes_accion/ficha/?id={enviado.id}" in html
    assert f"/admin/planes_accion/edit/?id={enviado.id}&amp;" not in html
    assert f'<span class="sr-only">Seleccionar {borrador}</span>' in html
