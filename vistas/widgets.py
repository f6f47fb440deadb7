"""Un solo campo de fecha para todo el sitio: texto dd/mm/aaaa que se escribe tal cual, con un calendario
en español (lunes primero) que escribe lo mismo. El calendario es gestion/static/fecha.js: sin CDN y sin
script en línea, que la CSP con nonce no dejaría correr."""
from datetime import date

from flask import url_for
from markupsafe import Markup, escape

from gestion.base import formato


def _texto(valor) -> str:
    """Lo que muestra el campo: una fecha como dd/mm/aaaa; un texto (lo que se escribió) tal cual, salvo
    aaaa-mm-dd, que se pasa a dd/mm/aaaa."""
    if valor is None:
        return ""
    if isinstance(valor, date):
        return formato.fecha(valor)
    texto = str(valor).strip()
    try:
        leida = formato.leer_fecha(texto)
    except ValueError:
        return texto
    return formato.fecha(leida) if leida else ""


def entrada_fecha(nombre: str, valor=None, **atributos) -> Markup:
    """El `<input>` de fecha (y sus archivos estáticos): para formularios de WTForms y plantillas propias.
    Los atributos con guion bajo final (`class_`) o con `_` por `-` (`aria_label`) se escriben como en HTML;
    `max`/`min` (fechas) quedan para el calendario como dd/mm/aaaa."""
    clases = " ".join(dict.fromkeys(" ".join(
        c for c in ("form-control", atributos.pop("class_", None), atributos.pop("class", None)) if c).split()))
    campos = {"type": "text", "name": nombre, "id": atributos.pop("id", nombre), "value": _texto(valor),
              "class": clases, "placeholder": "dd/mm/aaaa", "inputmode": "numeric", "autocomplete": "off",
              "maxlength": "10", "data-fecha": "dd/mm/aaaa"}
    for limite in ("min", "max"):
        if limite in atributos:
            campos[f"data-{limite}"] = _texto(atributos.pop(limite))
    for clave, valor_atributo in atributos.items():
        if valor_atributo is False or valor_atributo is None:
            continue
        clave = clave.rstrip("_").replace("_", "-")
        campos[clave] = clave if valor_atributo is True else valor_atributo
    campos = {clave: v for clave, v in campos.items() if v is not None}
    html = " ".join(f'{clave}="{escape(v)}"' if v != clave else clave for clave, v in campos.items())
    # El script y la hoja se repiten por campo; el navegador los pide una vez y fecha.js se inicia una sola.
    return Markup(f'<input {html}>'
                  f'<link rel="stylesheet" href="{url_for("static", filename="fecha.css")}">'
                  f'<script src="{url_for("static", filename="fecha.js")}" defer></script>')


class SelectorFecha:
    """Widget de WTForms para `CampoFecha` (reemplaza el DatePickerWidget de Flask-Admin, que reescribe el
    campo al primer tecleo y escribe aaaa-mm-dd con un calendario en inglés)."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if field.flags.required:
            kwargs.setdefault("required", True)
        valor = field.raw_data[0] if field.raw_data else field.data
        return entrada_fecha(field.name, valor, **kwargs)


def configurar(app) -> None:
    """`entrada_fecha` para las plantillas propias: `{{ entrada_fecha('fecha', datos.get('fecha')) }}`."""
    app.jinja_env.globals["entrada_fecha"] = entrada_fecha
