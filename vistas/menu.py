"""El menú principal del panel, armado una vez por página: qué secciones ve el usuario y cuál está activa.

La macro `layout.menu()` de Flask-Admin pregunta `is_accessible()` a cada vista dos veces (al contar los hijos de
su categoría y al dibujarla), llama una macro de ícono por entrada y resuelve cada atributo desde Jinja: era un
tercio de lo que costaba dibujar una página vacía del panel. Aquí cada vista responde una vez y la plantilla
(admin/base_gestion.html) solo recorre la lista. El panel tiene vistas sueltas y categorías de vistas, sin íconos
ni enlaces externos: es lo que este menú dibuja."""
from dataclasses import dataclass, field


@dataclass(slots=True)
class Entrada:
    nombre: str
    url: str | None = None  # None: una categoría, que abre sus `hijas`
    activa: bool = False
    hijas: list["Entrada"] = field(default_factory=list)


def _visible(item) -> bool:
    return item.is_accessible() and item.is_visible()


def entradas(admin_view) -> list[Entrada]:
    menu = []
    for item in admin_view.admin.menu():
        if item.is_category():
            hijas = [Entrada(h.name, h.get_url(), h.is_active(admin_view)) for h in item.get_children()]
            if hijas:
                menu.append(Entrada(item.name, None, any(h.activa for h in hijas), hijas))
        elif _visible(item):
            menu.append(Entrada(item.name, item.get_url(), item.is_active(admin_view)))
    return menu
