"""La vista segura de la que heredan todas: sesión → rol → alcance por dependencia.

Cubre lista, conteo, detalle, edición, borrado, exportación, acciones y listas desplegables.
"""
from datetime import date, datetime
from decimal import Decimal
from functools import cache, partial
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import abort, flash, g, has_request_context, redirect, request, url_for
from flask_admin import babel as babel_admin
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterConverter
from flask_admin.model import filters as filtros_admin
from flask_admin.model.base import ViewArgs
from flask_security import current_user
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Query
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import iter_multi_items
from wtforms import HiddenField, ValidationError

from gestion.base import caidas, formato, lote, validacion
from gestion.base.config import TRADUCCIONES
from gestion.base.errores import MENSAJE_CONFLICTO, OperacionRechazada
from gestion.reglas import alcance
from gestion.reglas.permisos import EDITAR, VER, puede, solo_lectura
from modelos import EnumEtiquetado, MetaIndicador, PresupuestoProyecto, Vigencia, db

from . import celdas
from .enlaces_de_fila import url_de_fila
from .etiquetas import ETIQUETAS
from .exportar import CAMPOS_MONEDA, ExportacionTipada
from .filtros_fecha import FILTROS as FILTROS_FECHA
from .formularios import ConversorFormulario
from .operaciones import confirmar, informar, mensaje_de


class _DominioAdmin(type(babel_admin.domain)):
    """Flask-Admin fusiona los catálogos en orden y gana el último: el suyo («es», de España: «Salvar»,
    «Añadir filtro») tapaba el nuestro (gestion/traducciones/es_CO/LC_MESSAGES/admin.po). El nuestro va
    al final, haya o no vista en curso: la caché de traducciones es una por idioma, no por vista."""

    @property
    def translation_directories(self):
        propios = str(TRADUCCIONES)
        return [d for d in super().translation_directories if d != propios] + [propios]


babel_admin.domain.__class__ = _DominioAdmin


def _valor_acotado(valor) -> bool:
    """Lo que un filtro ya leyó cabe en la base: enteros del `integer`, cifras finitas, texto sin controles."""
    if isinstance(valor, (list, tuple)):
        return all(_valor_acotado(v) for v in valor)
    if isinstance(valor, bool):
        return True
    if isinstance(valor, int):
        return abs(valor) <= validacion.ENTERO_MAXIMO
    if isinstance(valor, (Decimal, float)):
        return Decimal(valor).is_finite() and abs(Decimal(valor)) < formato.CIFRA_MAXIMA
    if isinstance(valor, str):
        return not validacion.texto_con_control(valor)
    return True


def _claves(ids) -> list[int]:
    """Los ids elegidos en una acción en bloque que pueden existir; los demás (texto, números enormes) no."""
    claves = []
    for texto in ids:
        try:
            clave = validacion.leer_entero(texto)
        except ValueError:
            continue
        if clave is not None:
            claves.append(clave)
    return claves


def _filtro_valido(filtro, valor: str) -> bool:
    try:
        return filtro.validate(valor) and _valor_acotado(filtro.clean(valor))
    except (KeyError, ValueError, TypeError, ArithmeticError):
        return False


class ConversorFiltros(FilterConverter):
    """Filtros de enumeraciones con etiquetas en español; el valor de la URL es el nombre del miembro,
    que es lo que el filtro de Flask-Admin busca en la enumeración."""

    @filtros_admin.convert("enum")
    def conv_enum(self, column, name, options=None, **kwargs):
        clase = column.type.enum_class
        if not options and clase is not None:
            options = [(m.name, m.etiqueta) for m in clase]
        return super().conv_enum(column, name, options, **kwargs)

    @filtros_admin.convert("date")
    def conv_date(self, column, name, **kwargs):
        return [filtro(column, name, **kwargs) for filtro in FILTROS_FECHA]

    @filtros_admin.convert("datetime", "datetime2", "timestamp", "smalldatetime")
    def conv_datetime(self, column, name, **kwargs):
        return self.conv_date(column, name, **kwargs)


@cache
def _insignia(clase: type, valor: EnumEtiquetado) -> Markup:
    """Una por miembro (con su clase en la clave: miembros de dos estados con el mismo texto son iguales como
    str); la lista no la vuelve a armar en cada fila."""
    return Markup('<span class="badge badge-{}">{}</span>').format(valor.clase, valor.etiqueta)


# Un enum opcional sin valor (el tipo de acumulación) queda vacío.
_badge = celdas.del_valor(lambda valor: "" if valor is None else _insignia(type(valor), valor))


def _fecha(vista, valor, nombre=None):
    return formato.fecha(valor)


def _numero(vista, valor, nombre=None):
    return formato.cantidad(valor)  # lo guardado, con todos sus decimales


def _booleano(vista, valor, nombre=None):
    return "Sí" if valor else "No"


FORMATEADORES_TIPO = {
    EnumEtiquetado: lambda vista, valor, nombre=None: valor.etiqueta,
    bool: _booleano,
    datetime: _fecha,
    date: _fecha,
    Decimal: _numero,
    type(None): lambda vista, valor, nombre=None: "",
    list: lambda vista, valor, nombre=None: ", ".join(_texto_en_lista(v) for v in valor),
}


def _texto_en_lista(objeto) -> str:
    """Una fila hija en la ficha (metas, presupuestos) con sus cifras en notación colombiana."""
    if isinstance(objeto, MetaIndicador):
        return f"{objeto.anio}: {formato.cantidad(objeto.valor)}"
    if isinstance(objeto, PresupuestoProyecto):
        return f"{objeto.vigencia}: {formato.pesos(objeto.valor)}"
    return str(objeto)


TOPE_DEL_CONTEO = 10_000


class ConteoAcotado(Query):
    """El total de una lista, contado hasta una fila más que TOPE_DEL_CONTEO: contar las 120.000 actividades de
    un sector costaba 10,5 ms de PostgreSQL en cada página, y pasado el tope nadie hojea hasta la última."""

    def scalar(self):
        filas = self.with_entities(sa.literal(1)).limit(TOPE_DEL_CONTEO + 1).subquery()
        return self.session.execute(sa.select(sa.func.count()).select_from(filas)).scalar()


def usuario_actual():
    """El usuario de la petición, no el proxy `current_user`: cada atributo que se lee por el proxy lo vuelve a
    buscar (~3 µs), y una página pregunta los permisos de cada una de las ~38 vistas del menú."""
    return current_user._get_current_object()


class VistaModelo(ExportacionTipada, ModelView):
    """Base de todas las vistas de modelo. `recurso` nombra la regla de `gestion.reglas.permisos`."""

    recurso = "catalogos"
    permite_crear = permite_editar = permite_eliminar = True
    can_view_details = True
    can_export = True
    can_set_page_size = True
    page_size = 50
    column_display_pk = False
    model_form_converter = ConversorFormulario
    filter_converter = ConversorFiltros()
    column_type_formatters = FORMATEADORES_TIPO
    column_type_formatters_detail = FORMATEADORES_TIPO
    columnas_ocultas = ("version", "estado")
    list_template = "admin/lista.html"
    ENDPOINTS_DE_ESCRITURA = {"create_view": "can_create", "edit_view": "can_edit", "delete_view": "can_delete"}

    @pass_context
    def filas_de_lista(self, contexto, datos, columnas, acciones_de_fila, volver: str, con_seleccion) -> Markup:
        """Para la plantilla de listas: las filas de la tabla, con sus celdas formateadas y sus acciones
        (vistas/celdas.py)."""
        armadas = celdas.filas(self, contexto, datos, columnas, acciones_de_fila, volver, bool(con_seleccion))
        return celdas.dibujar(self, contexto, armadas, volver, bool(con_seleccion))

    def url_de_fila(self, endpoint: str, fila_id, **argumentos) -> str:
        """Para las acciones de fila de la plantilla: la URL de `endpoint` para esa fila."""
        return url_de_fila(self, endpoint, fila_id, **argumentos)

    def __init__(self, modelo, nombre=None, categoria=None, **kwargs):
        self.column_labels = {**ETIQUETAS, **(self.column_labels or {})}
        # «dependencia.nombre» se lee «Dependencia» en filtros y búsqueda, no «dependencia / Dependencia / Nombre».
        for ruta in (*(self.column_filters or ()), *(self.column_searchable_list or ())):
            if isinstance(ruta, str) and "." in ruta and ruta not in self.column_labels:
                relacion = ruta.split(".")[0]
                self.column_labels[ruta] = self.column_labels.get(relacion, relacion.replace("_", " ").capitalize())
        excluidas = set(self.form_excluded_columns or ()) | set(self.columnas_ocultas)
        self.form_excluded_columns = tuple(excluidas)
        formateadores = dict(self.column_formatters or {})
        for nombre_columna, columna in sa.inspect(modelo).columns.items():
            if isinstance(columna.type, sa.Enum) and nombre_columna not in formateadores:
                formateadores[nombre_columna] = _badge
            elif nombre_columna in CAMPOS_MONEDA and nombre_columna not in formateadores:
                formateadores[nombre_columna] = lambda v, c, m, n: formato.pesos(getattr(m, n))
        self.column_formatters = formateadores
        super().__init__(modelo, db, name=nombre, category=categoria, **kwargs)

    def search_placeholder(self):
        """«Buscar por código, descripción o indicador»: las etiquetas de la vista, no las rutas de los campos."""
        etiquetas = []
        for campo in self.column_searchable_list or ():
            clave = campo if isinstance(campo, str) else campo.key
            etiqueta = str(self.column_labels.get(clave, clave))
            if len(etiqueta) > 1 and etiqueta[1].islower():
                etiqueta = etiqueta[0].lower() + etiqueta[1:]
            if etiqueta not in etiquetas:
                etiquetas.append(etiqueta)
        if not etiquetas:
            return None
        lista = etiquetas[0] if len(etiquetas) == 1 else ", ".join(etiquetas[:-1]) + " o " + etiquetas[-1]
        return f"Buscar por {lista}"

    # --- permisos -------------------------------------------------------------------------------
    def puede_escribir(self) -> bool:
        return has_request_context() and puede(usuario_actual(), EDITAR, self.recurso)

    @property
    def can_create(self):
        return self.permite_crear and self.puede_escribir()

    @property
    def can_edit(self):
        return self.permite_editar and self.puede_escribir()

    @property
    def can_delete(self):
        return self.permite_eliminar and self.puede_escribir()

    def is_accessible(self):
        usuario = usuario_actual()
        return usuario.is_authenticated and puede(usuario, VER, self.recurso)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("security.login", next=request.full_path))
        abort(403)

    def _handle_view(self, name, **kwargs):
        respuesta = super()._handle_view(name, **kwargs)
        if respuesta is not None:
            return respuesta
        if request.method == "POST" and (solo_lectura(current_user, self.recurso) or not self.post_permitido(name)):
            abort(403)
        if name in self.ENDPOINTS_DE_ESCRITURA and not getattr(self, self.ENDPOINTS_DE_ESCRITURA[name]):
            abort(403)
        return None

    def post_permitido(self, endpoint: str) -> bool:
        if endpoint == "action_view":
            return self.is_action_allowed(request.form.get("action", ""))
        return self.puede_escribir()

    def validar_modificacion(self, objeto) -> None:
        """Las subclases lanzan ValidationError si el objeto no se puede tocar en su estado."""

    def fila_modificable(self, objeto) -> bool:
        """Para la lista: mostrar editar y borrar solo donde `validar_modificacion` lo dejaría."""
        try:
            self.validar_modificacion(objeto)
        except (ValidationError, OperacionRechazada):
            return False
        return True

    # --- alcance por dependencia ---------------------------------------------------------------
    def get_query(self):
        return alcance.limitar(super().get_query(), self.model, usuario_actual())

    def get_count_query(self):
        conteo = ConteoAcotado(sa.func.count("*"), db.session()).select_from(self.model)
        return alcance.limitar(conteo, self.model, usuario_actual())

    def _apply_sorting(self, consulta, uniones, columna, descendente):
        # Con empates en la columna del orden (el código «A1» de cada plan, la misma fecha de envío), PostgreSQL no
        # promete el mismo orden entre dos páginas: una fila salía en la página 1 y en la 2, y otra en ninguna. La
        # clave primaria desempata, en el sentido del último orden (un índice (columna, id) lo sirve en los dos).
        consulta, uniones = super()._apply_sorting(consulta, uniones, columna, descendente)
        if columna is None:
            orden = list(self._get_default_order())
            descendente = orden[-1][2] if orden else False
        clave = self.model.__mapper__.primary_key
        return consulta.order_by(*(c.desc() if descendente else c.asc() for c in clave)), uniones

    def _get_filter_groups(self):
        # Solo dependen de la vista (Flask-Admin lee las opciones de cada filtro al crearla): se arman una vez
        # por proceso, no en cada página (~3 % de una lista).
        if "_grupos_de_filtros" not in self.__dict__:
            self._grupos_de_filtros = super()._get_filter_groups()
        return self._grupos_de_filtros

    @pass_context
    def grupos_de_filtros_en_json(self, contexto) -> Markup:
        """Para la plantilla: `filter_groups|tojson`, serializado una vez por proceso."""
        if "_grupos_en_json" not in self.__dict__:
            self._grupos_en_json = contexto.environment.filters["tojson"](contexto.eval_ctx, self._get_filter_groups())
        return self._grupos_en_json

    def render(self, template, **kwargs):
        # El total de la pestaña, en notación colombiana («Lista (1.366)»). Pasado el tope dice «más de 10.000» y
        # se hojea con «anterior» y «siguiente»: la última página que daría el tope no sería la última.
        if template == self.list_template and kwargs.get("count"):
            if kwargs["count"] > TOPE_DEL_CONTEO:
                kwargs.update(count=f"más de {formato.numero(TOPE_DEL_CONTEO, 0)}", num_pages=None)
            else:
                kwargs["count"] = formato.numero(kwargs["count"], 0)
        return super().render(template, **kwargs)

    # --- la URL de la lista: página, orden y filtros acotados ---------------------------------------
    def _get_list_extra_args(self) -> ViewArgs:
        tamano = self._entero_de_consulta("page_size")
        return super()._get_list_extra_args().clone(
            page=max(self._entero_de_consulta("page") or 0, 0),
            page_size=tamano if tamano in self.page_size_options else 0,
            sort=self._entero_de_consulta("sort"), sort_desc=self._entero_de_consulta("desc"))

    def _get_list_url(self, view_args: ViewArgs) -> str:
        """La URL de la lista con su página, orden, búsqueda y filtros, como la arma Flask-Admin (y werkzeug:
        sin los None, en el mismo orden y con la misma codificación), con la ruta armada una vez por petición:
        una página de lista pedía ~18 (orden de cada columna, páginas, tamaños de página, volver)."""
        argumentos = {"page": view_args.page or None, "sort": view_args.sort,
                      "desc": 1 if view_args.sort_desc else None, "search": view_args.search,
                      **view_args.extra_args, "page_size": self.get_safe_page_size(view_args.page_size),
                      **self._get_filters(view_args.filters)}
        rutas = g.setdefault("rutas_de_lista", {})
        ruta = rutas.get(self.endpoint)
        if ruta is None:
            ruta = rutas[self.endpoint] = url_for(f"{self.endpoint}.index_view")
        consulta = urlencode([(k, v) for k, v in iter_multi_items(argumentos) if v is not None], safe="!$'()*,/:;?@")
        return f"{ruta}?{consulta}" if consulta else ruta

    @staticmethod
    def _entero_de_consulta(nombre: str) -> int | None:
        try:
            return validacion.leer_entero(request.args.get(nombre))
        except ValueError:
            return None

    def _get_list_filter_args(self):
        """Los filtros de la URL, como los lee Flask-Admin, salvo que uno con un valor que no existe (un
        estado mal escrito, un número enorme) se anuncia y se ignora: la lista se muestra sin él."""
        if not self._filters:
            return None
        filtros = []
        for argumento, valor in request.args.items():
            if not argumento.startswith("flt") or "_" not in argumento:
                continue
            posicion, clave = argumento[3:].split("_", 1)
            if clave not in self._filter_args:
                continue
            indice, filtro = self._filter_args[clave]
            if _filtro_valido(filtro, valor):
                filtros.append((posicion, (indice, str(filtro.name), valor)))
            else:
                flash(f"Se ignoró el filtro «{filtro.name}»: el valor «{valor[:40]}» no es válido.", "warning")
        return [f for _, f in sorted(filtros, key=lambda par: par[0])]

    def get_one(self, id):
        return self.fila_en_alcance(self.model, id)

    @staticmethod
    def fila_en_alcance(modelo, id):
        """La fila `id` de `modelo` dentro del alcance del usuario; 404 si no existe, no es un id o no le toca."""
        try:
            clave = validacion.leer_entero(id)
        except ValueError:
            abort(404)
        if clave is None:
            abort(404)
        objeto = alcance.limitar(db.session.query(modelo), modelo, current_user).filter(
            modelo.id == clave).one_or_none()
        if objeto is None:
            abort(404)
        return objeto

    def _opciones(self, modelo):
        return alcance.limitar(db.session.query(modelo), modelo, current_user)

    def _limitar_campos(self, formulario):
        for relacion in sa.inspect(self.model).relationships:
            campo = getattr(formulario, relacion.key, None)
            if campo is not None and hasattr(campo, "query_factory"):
                campo.query = None
                campo.query_factory = partial(self._opciones, relacion.mapper.class_)
        return formulario

    # --- formularios y bloqueo optimista --------------------------------------------------------
    def scaffold_form(self):
        formulario = super().scaffold_form()
        if hasattr(self.model, "version"):
            formulario.version_formulario = HiddenField()
        return formulario

    def create_form(self, obj=None):
        formulario = self._limitar_campos(super().create_form(obj))
        if "version_formulario" in formulario:
            del formulario["version_formulario"]
        if request.method == "GET":
            self._valores_iniciales(formulario)
        return formulario

    def _valores_iniciales(self, formulario):
        """Una lista obligatoria que aún no tiene valor arranca donde lo haría una persona: en la vigencia del
        año en curso, o en la única opción que el usuario tiene (la dependencia de un director)."""
        for relacion in sa.inspect(self.model).relationships:
            campo = getattr(formulario, relacion.key, None)
            if campo is None or not hasattr(campo, "query_factory") or campo.data is not None \
                    or not campo.flags.required or relacion.uselist:
                continue
            consulta = campo.query_factory()
            if relacion.mapper.class_ is Vigencia:
                campo.data = consulta.filter(Vigencia.anio == datetime.now(formato.ZONA).year).one_or_none()
            else:
                opciones = consulta.limit(2).all()
                if len(opciones) == 1:
                    campo.data = opciones[0]

    def edit_form(self, obj=None):
        formulario = self._limitar_campos(super().edit_form(obj))
        if "version_formulario" in formulario and request.method == "GET":
            formulario.version_formulario.data = obj.version
        return formulario

    def update_model(self, form, model):
        if "version_formulario" in form:
            if str(form.version_formulario.data or "") != str(model.version):
                flash(MENSAJE_CONFLICTO, "error")
                return False
            del form["version_formulario"]
        return super().update_model(form, model)

    def on_model_change(self, form, model, is_created):
        self.validar_modificacion(model)

    def on_model_delete(self, model):
        self.validar_modificacion(model)

    # Flask-Admin pasa los ids como texto a `id IN (...)` y PostgreSQL (psycopg 3) rechaza integer = varchar.
    @action("delete", lazy_gettext("Delete"), lazy_gettext("Are you sure you want to delete selected records?"))
    def action_delete(self, ids):
        return super().action_delete(_claves(ids))

    def ejecutar_en_bloque(self, ids, funcion, exito: str, verbo: str) -> None:
        """Acción en bloque: `funcion(objeto)` sobre las filas elegidas que el usuario alcanza, cada una en
        su savepoint; un commit al final y un informe fila por fila."""
        self.servicio_en_bloque(ids, lambda objetos: lote.en_bloque(objetos, funcion, exito), verbo)

    def servicio_en_bloque(self, ids, servicio, verbo: str) -> None:
        """Acción en bloque que hace un servicio: `servicio(objetos)` sobre las filas elegidas que el usuario
        alcanza devuelve un resultado por fila (`gestion.base.lote`); un commit al final y el informe."""
        objetos = self.get_query().filter(self.model.id.in_(_claves(ids))).all()
        if not objetos:
            flash("No seleccionó filas a su alcance.", "warning")
            return
        resultados = servicio(objetos)
        confirmar()
        informar(resultados, verbo)

    def handle_view_exception(self, exc):
        if caidas.es_caida(exc):
            raise exc  # una caída de la base no es «no se pudo guardar el registro»: la página 503 lo dice
        if isinstance(exc, (ValidationError, OperacionRechazada, StaleDataError, IntegrityError)):
            flash(mensaje_de(exc), "error")
            return True
        return super().handle_view_exception(exc)


class VistaSoloLectura(VistaModelo):
    permite_crear = permite_editar = permite_eliminar = False


class ConEnlaces:
    """Botones de la barra de la lista hacia las páginas propias de la vista."""

    list_template = "seguimiento/lista.html"

    def enlaces(self) -> list[tuple[str, str]]:
        return []
