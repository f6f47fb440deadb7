"""Lee un formulario de una página como lo enviaría el navegador: cada campo con su valor actual."""
from html.parser import HTMLParser

import sqlalchemy as sa

from modelos import db


class _Lector(HTMLParser):
    def __init__(self, accion: str):
        super().__init__(convert_charrefs=True)
        self.accion = accion
        self.campos: dict[str, list[str]] = {}
        self.textos: list[str] = []  # campos de texto libre, en el orden de la página
        self.dentro = False
        self._select: str | None = None
        self._textarea: str | None = None

    def _agregar(self, nombre, valor):
        self.campos.setdefault(nombre, []).append(valor)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and (
                self.accion in (a.get("action") or "") if self.accion else "admin-form" in (a.get("class") or "")):
            self.dentro = True
        if not self.dentro:
            return
        nombre = a.get("name")
        if tag == "input" and nombre and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._agregar(nombre, a.get("value") or "y")
                else:
                    self.campos.setdefault(nombre, [])
            else:
                self._agregar(nombre, a.get("value") or "")
                if a.get("type", "text") == "text" and "data-date-format" not in a:
                    self.textos.append(nombre)
        elif tag == "select" and nombre:
            self._select = nombre
            self.campos.setdefault(nombre, [])
        elif tag == "option" and self._select and "selected" in a:
            self._agregar(self._select, a.get("value") or "")
        elif tag == "textarea" and nombre:
            self._textarea = nombre
            self._agregar(nombre, "")
            self.textos.append(nombre)

    def handle_endtag(self, tag):
        if tag == "form":
            self.dentro = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.campos[self._textarea][-1] += data


def leer_formulario(html: str, accion: str = "") -> _Lector:
    lector = _Lector(accion)
    lector.feed(html)
    return lector


def campos_del_formulario(html: str, accion: str = "") -> dict[str, list[str]]:
    """Los campos del formulario POST cuya dirección contiene `accion` (sin ella, el de Flask-Admin)."""
    return leer_formulario(html, accion).campos


def vistas_de_modelo(app):
    return [v for v in app.extensions["admin"][0]._views if v.endpoint != "admin"]


def formulario_editable(vista, navegadores: dict):
    """El primer (rol, url, formulario) con el que el formulario de edición de la vista abre (o, si no hay
    filas que el rol pueda editar, el de alta); None si ningún rol lo abre."""
    claves = list(db.session.scalars(sa.select(vista.model.id).order_by(vista.model.id)))
    for rol, cliente in navegadores.items():
        for url in [f"{vista.url}/edit/?id={c}" for c in claves] + [f"{vista.url}/new/"]:
            respuesta = cliente.get(url)
            if respuesta.status_code == 200:
                formulario = leer_formulario(respuesta.get_data(as_text=True))
                if formulario.campos:
                    return rol, url, formulario
    return None
