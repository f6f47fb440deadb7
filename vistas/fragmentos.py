"""Trozos de página dibujados una vez y reutilizados: las barras, los encabezados y los formularios de una lista,
el menú del panel. `{% call fragmento('barra') %}…{% endcall %}` dibuja lo de adentro la primera vez y luego
devuelve el mismo HTML mientras no cambie nada de lo que lo decide.

Lo que lo decide va en la clave: la plantilla y el nombre del trozo, la vista (endpoint), la URL con su consulta
(filtros, búsqueda, orden y página salen de ahí), los roles del usuario (lo que cada vista deja ver y hacer lo
deciden solo ellos: gestion.reglas.permisos) y lo que la plantilla agregue (`fragmento('usuario', nombre,
correo)`). Un trozo no debe mostrar nada más: ni cifras de la base ni datos de otro usuario. Lo único propio de
cada petición que puede llevar —el token CSRF y el nonce de la CSP— se guarda con una marca y se pone el de la
petición al devolverlo.

Dibujarlas cada vez era entre el 3 y el 16 % de lo que cuesta una lista (issue 23, punto 3; bench/RESULTADOS.md)."""
from collections import OrderedDict
from threading import Lock

from flask import current_app, g, request
from flask_security import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup

from gestion.base.cabeceras import nonce
from gestion.reglas.permisos import roles_de

TOPE = 2000  # trozos guardados por proceso; sale el usado hace más tiempo
MARCA_CSRF = "\x00csrf\x00"
MARCA_NONCE = "\x00nonce\x00"


class Memoria:
    """Los trozos de una app, con tope y de a un hilo a la vez (gunicorn corre varios por worker)."""

    def __init__(self, tope: int = TOPE):
        self.tope = tope
        self._trozos: OrderedDict[tuple, str] = OrderedDict()
        self._cerrojo = Lock()

    def leer(self, clave: tuple) -> str | None:
        with self._cerrojo:
            html = self._trozos.get(clave)
            if html is not None:
                self._trozos.move_to_end(clave)
            return html

    def guardar(self, clave: tuple, html: str) -> None:
        with self._cerrojo:
            self._trozos[clave] = html
            if len(self._trozos) > self.tope:
                self._trozos.popitem(last=False)

    def __len__(self) -> int:
        return len(self._trozos)


def memoria() -> Memoria:
    return current_app.extensions.setdefault("gestion_fragmentos", Memoria())


def _con_marcas(html: str) -> str:
    """El HTML recién dibujado con el token y el nonce de esta petición cambiados por sus marcas."""
    for valor, marca in ((g.get("csrf_token"), MARCA_CSRF), (g.get("csp_nonce"), MARCA_NONCE)):
        if valor:
            html = html.replace(valor, marca)
    return html


def _de_la_peticion(html: str) -> Markup:
    if MARCA_CSRF in html:
        html = html.replace(MARCA_CSRF, generate_csrf())
    if MARCA_NONCE in html:
        html = html.replace(MARCA_NONCE, nonce())
    return Markup(html)


@pass_context
def fragmento(contexto, nombre: str, *partes, caller, con_consulta: bool = True) -> Markup:
    """`con_consulta=False`: el trozo no depende de la consulta de la URL (el menú, el del usuario), y la ficha de
    cada plan no guarda uno propio."""
    usuario = current_user._get_current_object()
    clave = (contexto.name, nombre, request.endpoint, request.host, request.script_root,
             request.query_string if con_consulta else None, frozenset(roles_de(usuario)), *partes)
    guardados = memoria()
    html = guardados.leer(clave)
    if html is None:
        html = _con_marcas(str(caller()))
        guardados.guardar(clave, html)
    return _de_la_peticion(html)


def configurar(app) -> None:
    app.jinja_env.globals["fragmento"] = fragmento
