"""Lee un formulario de una página como lo enviaría el navegador: cada campo con su valor actual."""
from html.parser import HTMLParser


class _Lector(HTMLParser):
    def __init__(self, accion: str):
        super().__init__(convert_charrefs=True)
        self.accion = accion
        self.campos: dict[str, list[str]] = {}
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
        elif tag == "select" and nombre:
            self._select = nombre
            self.campos.setdefault(nombre, [])
        elif tag == "option" and self._select and "selected" in a:
            self._agregar(self._select, a.get("value") or "")
        elif tag == "textarea" and nombre:
            self._textarea = nombre
            self._agregar(nombre, "")

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


def campos_del_formulario(html: str, accion: str = "") -> dict[str, list[str]]:
    """Los campos del formulario POST cuya dirección contiene `accion` (sin ella, el de Flask-Admin)."""
    lector = _Lector(accion)
    lector.feed(html)
    return lector.campos
