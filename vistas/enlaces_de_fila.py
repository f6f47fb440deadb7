"""Los enlaces de cada fila de una lista (ver, editar, abrir la ficha): la URL de cada acción se arma una vez
por página y para cada fila solo se pone su id. Con url_for en cada fila (id más la URL de vuelta codificada),
armar 150 enlaces era el 20 % de una lista de 50 filas."""
from urllib.parse import quote

from flask import g, url_for
from flask_admin.model.template import EndpointLinkRowAction

# El id de muestra con que se arma el molde: un número, porque algunas rutas llevan el id como <int:id>; va antes
# que la URL de vuelta (en la ruta o primero en la consulta), y solo se reemplaza su primera aparición.
MARCA = 9087654321012


def _molde(clave: tuple, armar) -> tuple[str, str]:
    moldes = g.setdefault("moldes_de_fila", {})
    molde = moldes.get(clave)
    if molde is None:
        antes, _, despues = armar(MARCA).partition(str(MARCA))
        molde = moldes[clave] = (antes, despues)
    return molde


def molde_de_fila(vista, endpoint: str, **argumentos) -> tuple[str, str]:
    """La URL de `endpoint` para una fila cualquiera, partida donde va su id: (lo de antes, lo de después)."""
    return _molde((vista.endpoint, endpoint, tuple(sorted(argumentos.items()))),
                  lambda marca: vista.get_url(endpoint, id=marca, **argumentos))


def url_con_id(endpoint: str, fila_id) -> str:
    """`url_for(endpoint, id=fila_id)` para un endpoint absoluto («planes_accion.ficha»), con el molde de la
    petición: el inicio enlaza decenas de planes."""
    antes, despues = _molde((None, endpoint), lambda marca: url_for(endpoint, id=marca))
    return antes + id_en_url(fila_id) + despues


def id_en_url(fila_id) -> str:
    return str(fila_id) if type(fila_id) is int else quote(str(fila_id), safe="")


def url_de_fila(vista, endpoint: str, fila_id, **argumentos) -> str:
    """`vista.get_url(endpoint, id=fila_id, **argumentos)`, con la parte común de la página ya armada."""
    antes, despues = molde_de_fila(vista, endpoint, **argumentos)
    return antes + id_en_url(fila_id) + despues


class EnlaceDeFila(EndpointLinkRowAction):
    """Una acción de fila que lleva a una vista de la misma sección (`.ficha`), por `url_de_fila`."""

    def render(self, context, row_id, row):
        enlace = self._resolve_symbol(context, "row_actions.link")
        return enlace(self, url_de_fila(context.resolve("admin_view"), self.endpoint, row_id, **(self.url_args or {})))
