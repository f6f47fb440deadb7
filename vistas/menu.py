"""El menú principal del panel, armado una vez por página: qué secciones ve el usuario y cuál está activa.

La macro `layout.menu()` de Flask-Admin pregunta `is_accessible()` a cada vista dos veces (al contar los hijos de
su categoría y al dibujarla), llama una macro de ícono por entrada y resuelve cada atributo desde Jinja: era un
tercio de lo que costaba dibujar una página vacía del panel. Aquí cada vista responde una vez y la plantilla
(admin/base_gestion.html) solo recorre la lista. El panel tiene vistas sueltas y categorías de vistas, sin íconos
ni enlaces externos: es lo que este menú dibuja.

Lo que cada vista deja ver lo deciden solo los roles del usuario (`is_accessible` de cada vista pregunta a
gestion.reglas.permisos por sus roles): el menú de cada juego de roles y cada sección activa se arma una vez por
proceso y se reutiliza (armarlo preguntando a las ~38 vistas era ~10 % de una página vacía del panel)."""
from dataclasses import dataclass, field

from flask import current_app, request
from flask_security import current_user

from gestion.reglas.permisos import roles_de


@dataclass(slots=True)
class Entrada:
    nombre: str
    url: str | None = None  # None: una categoría, que abre sus `hijas`
    activa: bool = False
    hijas: list["Entrada"] = field(default_factory=list)


def _visible(item) -> bool:
    return item.is_accessible() and item.is_visible()


def entradas(admin_view) -> list[Entrada]:
    """El menú de la página de `admin_view` para el usuario de la petición (la plantilla solo lo lee)."""
    usuario = current_user._get_current_object()
    clave = (admin_view.endpoint, usuario.is_authenticated, frozenset(roles_de(usuario)), request.script_root)
    memoria = current_app.extensions.setdefault("gestion_menus", {})
    menu = memoria.get(clave)
    if menu is None:
        menu = memoria[clave] = _armar(admin_view)
    return menu


def _armar(admin_view) -> list[Entrada]:
    menu = []
    for item in admin_view.admin.menu():
        if item.is_category():
            hijas = [Entrada(h.name, h.get_url(), h.is_active(admin_view)) for h in item.get_children()]
            if hijas:
                menu.append(Entrada(item.name, None, any(h.activa for h in hijas), hijas))
        elif _visible(item):
            menu.append(Entrada(item.name, item.get_url(), item.is_active(admin_view)))
    return menu
