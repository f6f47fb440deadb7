"""Los campos de formulario de todas las vistas: leen lo que escribe una oficina en Colombia (cifras, enteros,
fechas dd/mm/aaaa) por el borde de validación, y el conversor que los pone en los formularios de Flask-Admin."""

from decimal import Decimal

from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.form import Select2Field
from flask_admin.model.form import converts
from wtforms import DateField, DecimalField, IntegerField, validators
from wtforms.widgets import TextInput

from gestion.base import formato, validacion
from modelos import EnumEtiquetado

from .widgets import SelectorFecha

# Sin esto la opción vacía de una lista se lee «__None» (WTForms muestra el valor si la etiqueta está vacía).
SIN_VALOR = "—"
ELIJA = "— Elija —"


class _LeidoPorElBorde:
    """Un campo que lee lo escrito con `leer` (el borde de validación: gestion.base.formato / gestion.base.validacion);
    lo que no se puede leer deja el campo vacío y vuelve al formulario con `mensaje()`."""

    def leer(self, texto: str):
        raise NotImplementedError

    def mensaje(self) -> str:
        raise NotImplementedError

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = self.leer(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(self.mensaje()) from None


class CampoCifra(_LeidoPorElBorde, DecimalField):
    """Una cifra escrita como en Colombia (1.250.000,50 · 12,5), leída por `formato.leer_numero`: el
    presupuesto «250.000.000» es doscientos cincuenta millones, no 250."""

    widget = TextInput()

    def __init__(self, *args, maximo: Decimal = formato.CIFRA_MAXIMA, decimales: int | None = None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, places=None, **kwargs)
        self.maximo, self.decimales = maximo, decimales

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return formato.numero(self.data, 6) if self.data is not None else ""

    def leer(self, texto: str):
        numero = formato.leer_numero(texto, self.maximo)
        if numero is not None and self.decimales is not None and formato.decimales(numero) > self.decimales:
            raise ValueError(texto)  # la base lo redondearía sin decirlo
        return numero

    def mensaje(self) -> str:
        texto = (self.raw_data or [""])[0]
        try:
            numero = formato.leer_numero(texto, Decimal("Infinity"))
        except ValueError:  # una palabra, no una cifra demasiado grande: se dice eso primero
            return f"«{texto[:40]}» no es un número. Escriba un número como 1.250.000,50."
        if numero is not None and self.decimales is not None and formato.decimales(numero) > self.decimales:
            return f"«{texto[:40]}» tiene {formato.decimales(numero)} decimales; aquí se guardan hasta {self.decimales}."
        return f"Escriba un número menor que {formato.numero(self.maximo)}, por ejemplo 1.250.000,50."


class CampoEntero(_LeidoPorElBorde, IntegerField):
    widget = TextInput()

    def leer(self, texto: str):
        return validacion.leer_entero(texto)

    def mensaje(self) -> str:
        return "Escriba un número entero, sin puntos ni comas."


class CampoFecha(_LeidoPorElBorde, DateField):
    """dd/mm/aaaa, como se escribe aquí (o elegida en el calendario en español de `SelectorFecha`), y se
    muestra igual."""
    widget = SelectorFecha()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "%d/%m/%Y")
        super().__init__(*args, **kwargs)

    def leer(self, texto: str):
        return formato.leer_fecha(texto)

    def mensaje(self) -> str:
        return "Escriba la fecha como dd/mm/aaaa, por ejemplo 31/03/2026."


def _no_negativa(columna) -> bool:
    return any(str(c.name or "").endswith(f"{columna.name}_no_negativo") for c in columna.table.constraints)


class ConversorFormulario(AdminModelConverter):
    """Listas de enumeraciones con sus etiquetas en español; cifras, enteros y fechas por el borde de
    validación, acotados a lo que su columna guarda. Los métodos llevan el nombre de los de Flask-Admin: su
    registro de conversores se arma por nombre, y otro nombre dejaría ganar al original."""

    @converts("Numeric")
    def handle_decimal_types(self, column, field_args, **extra):
        field_args.pop("places", None)
        if _no_negativa(column):
            field_args["validators"].append(validators.NumberRange(min=0, message="No puede ser negativo."))
        return CampoCifra(maximo=validacion.limite_cifra(column.type), decimales=column.type.scale, **field_args)

    @converts("Integer")
    def handle_integer_types(self, column, field_args, **extra):
        return CampoEntero(**field_args)

    @converts("Date")
    def convert_date(self, field_args, **extra):
        return CampoFecha(**field_args)

    @converts("Text")
    def conv_Text(self, column, field_args, **extra):
        field_args["validators"].append(validators.Length(
            max=validacion.TEXTO_MAXIMO, message=f"Admite hasta {formato.numero(validacion.TEXTO_MAXIMO)} caracteres."))
        return super().conv_Text(column=column, field_args=field_args, **extra)

    @converts("sqlalchemy.sql.sqltypes.Enum")
    def convert_enum(self, column, field_args, **extra):
        clase = column.type.enum_class
        field_args["choices"] = clase.opciones() if clase else [(v, v) for v in column.type.enums]
        field_args["allow_blank"] = True
        if column.nullable:
            field_args["blank_text"] = SIN_VALOR
        else:
            _exigir_eleccion(field_args)
        field_args["coerce"] = lambda v: v.value if isinstance(v, EnumEtiquetado) else (v or None)
        return Select2Field(**field_args)

    def _model_select_field(self, prop, multiple, remote_model, **kwargs):
        if not multiple:
            if not kwargs.get("allow_blank"):
                kwargs["allow_blank"] = True
                _exigir_eleccion(kwargs)
            else:
                kwargs.setdefault("blank_text", SIN_VALOR)
        return super()._model_select_field(prop, multiple, remote_model, **kwargs)


def _exigir_eleccion(argumentos: dict) -> None:
    """Una lista obligatoria empieza vacía («— Elija —»), no en su primera opción: quien no elige, no guarda
    sin saberlo la vigencia 2023 o el Despacho del Ministro. DataRequired y no InputRequired: la opción vacía
    también se envía (como «__None»)."""
    argumentos["blank_text"] = ELIJA
    argumentos["validators"] = [v for v in argumentos["validators"] if not isinstance(v, validators.InputRequired)]
    argumentos["validators"].append(validators.DataRequired(message="Elija una opción."))
