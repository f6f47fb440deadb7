"""Las filas de una lista ya armadas para la plantilla: cada celda formateada en Python, con el formateador de
su columna elegido una vez por página (y el de su tipo, una vez por tipo de valor), y las acciones de cada fila
como datos. Con `get_value(row, c)` y una macro por acción en cada fila, Jinja hacía ~1.600 llamadas por página
y la lista costaba 9× la respuesta mínima; lo que muestra es lo mismo que con Flask-Admin
(`BaseModelView._get_list_value`: formateador de la columna, opciones, formateador del tipo).

Las filas salen ya en HTML (`dibujar`): en la plantilla, cada `{{ }}` de una fila pasaba por `escape` (~1.000 por
página de 50 filas) y la tabla era un tercio de lo que costaba dibujar la lista."""
from dataclasses import dataclass
from enum import Enum

from flask_admin.babel import gettext
from flask_admin.model import template as acciones
from flask_admin.tools import rec_getattr
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from .enlaces_de_fila import id_en_url, molde_de_fila

ENLACE, BORRAR, PROPIA = "enlace", "borrar", "propia"
_SIN_FORMATEADOR = object()
# Valores que se repiten de fila en fila y no cambian: su celda se arma una vez por columna y página (un estado,
# un sí o no, un número de versión).
_INMUTABLES = (Enum, bool, int, type(None))


def del_valor(formatear):
    """Un formateador de columna que solo mira el valor de la columna (`formatear(valor)`), no el resto de la
    fila: la lista lo llama una vez por valor distinto de la página (vistas/base.py: la insignia de un estado)."""
    def formateador(vista, contexto, modelo, nombre):
        return formatear(getattr(modelo, nombre))
    formateador.del_valor = formatear
    return formateador


def _escapada(valor) -> Markup:
    return valor if type(valor) is Markup else escape(valor)


@dataclass(slots=True)
class Fila:
    id: str
    nombre: str  # el nombre que lee el lector de pantalla en la casilla de selección
    # (ENLACE, url, título, ícono) —los tres ya escapados para HTML—, (BORRAR, …) o (PROPIA, acción, …), en el
    # orden de Flask-Admin
    acciones: list[tuple]
    celdas: list[tuple[str, Markup]]  # (columna, valor ya formateado)
    fila: object


def _formateador(vista, nombre: str, contexto):
    """La función que da la celda `nombre` de una fila, como `vista.get_list_value` pero decidida una vez."""
    propio = vista.column_formatters.get(nombre)
    opciones = vista._column_choices_map.get(nombre)
    por_tipo_declarado = list(vista.column_type_formatters.items())
    por_clase: dict[type, object] = {}
    del_valor_ = getattr(propio, "del_valor", None)
    if opciones or "." in nombre:
        del_valor_ = None
    elif del_valor_ is not None:
        propio = None  # solo mira el valor: se lee la columna y se formatea como con un formateador de tipo
    if propio is not None:
        def leer(fila):
            return propio(vista, contexto, fila, nombre)
    elif "." in nombre:
        def leer(fila):
            return rec_getattr(fila, nombre)
    else:  # rec_getattr de un nombre sin puntos: lo mismo, sin partirlo en cada celda
        def leer(fila):
            return getattr(fila, nombre, None)

    hechas: dict = {}

    def celda(fila) -> Markup:
        valor = leer(fila)
        if opciones:
            return escape(opciones.get(valor) or valor)
        clase = type(valor)
        repetible = propio is None and isinstance(valor, _INMUTABLES)
        if repetible:
            hecha = hechas.get((clase, valor))
            if hecha is not None:
                return hecha
        if del_valor_ is not None:
            hecha = _escapada(del_valor_(valor))
        else:
            formateador = por_clase.get(clase, _SIN_FORMATEADOR)
            if formateador is _SIN_FORMATEADOR:  # el del tipo, elegido una vez por tipo de valor
                formateador = por_clase[clase] = next(
                    (f for tipo, f in por_tipo_declarado if isinstance(valor, tipo)), None)
            hecha = _escapada(formateador(vista, valor, nombre) if formateador is not None else valor)
        if repetible:
            hechas[(clase, valor)] = hecha
        return hecha

    return celda


def _enlace(molde: tuple[str, str], titulo, icono) -> tuple:
    antes, despues = molde
    return ENLACE, (str(escape(antes)), str(escape(despues))), str(escape(titulo or "")), str(escape(icono))


def _acciones_de_la_pagina(vista, de_la_pagina, volver: str) -> list[tuple[tuple, bool]]:
    """Cada acción de fila con lo que no cambia de una fila a otra ya armado (el molde de su URL, su título y su
    ícono, escapados), y si solo va en las filas que el estado deja tocar."""
    hechas = []
    for accion in de_la_pagina:
        clase = type(accion)
        if clase is acciones.ViewRowAction:
            hechas.append((_enlace(molde_de_fila(vista, ".details_view", url=volver), accion.title,
                                   "fa fa-eye glyphicon glyphicon-eye-open"), False))
        elif clase is acciones.EditRowAction:
            # Editar y borrar solo en las filas que el estado deja tocar (VistaModelo.fila_modificable).
            hechas.append((_enlace(molde_de_fila(vista, ".edit_view", url=volver), accion.title,
                                   "fa fa-pencil glyphicon glyphicon-pencil"), True))
        elif clase is acciones.DeleteRowAction:
            hechas.append(((BORRAR, None, None, None), True))
        elif isinstance(accion, acciones.EndpointLinkRowAction) and accion.id_arg == "id":
            hechas.append((_enlace(molde_de_fila(vista, accion.endpoint, **(accion.url_args or {})), accion.title,
                                   accion.icon_class), False))
        elif clase is acciones.LinkRowAction and isinstance(accion.url, str):
            antes, _, despues = accion.url.partition("{row_id}")
            hechas.append((_enlace((antes, despues), accion.title, accion.icon_class), False))
        else:
            hechas.append(((PROPIA, accion, None, None), False))
    return hechas


def _acciones_de(vista, de_la_pagina, fila, pk) -> list[tuple]:
    hechas, modificable, clave = [], None, None
    for hecha, solo_modificable in de_la_pagina:
        if solo_modificable:
            if modificable is None:
                modificable = vista.fila_modificable(fila)
            if not modificable:
                continue
        if hecha[0] == ENLACE:
            if clave is None:
                clave = str(escape(id_en_url(pk)))
            antes, despues = hecha[1]
            hecha = (ENLACE, antes + clave + despues, hecha[2], hecha[3])
        hechas.append(hecha)
    return hechas


def filas(vista, contexto, datos, columnas, acciones_de_fila, volver: str, con_seleccion: bool) -> list[Fila]:
    """Las filas de `datos` para la plantilla de listas (plantillas/admin/lista.html)."""
    formateadores = [(nombre, _formateador(vista, nombre, contexto)) for nombre, _ in columnas]
    de_la_pagina = _acciones_de_la_pagina(vista, acciones_de_fila, volver) if vista.column_display_actions else []
    armadas = []
    clave = vista._primary_key
    for fila in datos:
        # La clave de una sola columna se lee directo; Flask-Admin la arma igual (get_pk_value).
        pk = getattr(fila, clave) if type(clave) is str else None
        if type(pk) is not int:
            pk = vista.get_pk_value(fila)
        armadas.append(Fila(
            id=str(pk), nombre=str(fila) if con_seleccion else "",
            acciones=_acciones_de(vista, de_la_pagina, fila, pk) if de_la_pagina else [],
            celdas=[(nombre, formatear(fila)) for nombre, formatear in formateadores], fila=fila))
    return armadas


def _boton_borrar(vista, volver: str) -> tuple[str, str]:
    """El formulario de borrar de una fila, partido donde va su id (el mismo de Flask-Admin, con el token CSRF)."""
    return (f'<form class="icon" method="POST" action="{escape(vista.get_url(".delete_view"))}">'
            '<input id="id" name="id" type="hidden" value="',
            f'"><input id="url" name="url" type="hidden" value="{escape(volver)}">'
            f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">'
            f'<button data-confirmar="{escape(gettext("Are you sure you want to delete this record?"))}" '
            f'title="{escape(gettext("Delete Record"))}"><span class="fa fa-trash glyphicon glyphicon-trash"></span>'
            '</button></form>')


def dibujar(vista, contexto, armadas: list[Fila], volver: str, con_seleccion: bool) -> Markup:
    """Las filas `<tr>` de la tabla: la casilla de selección con su etiqueta (WCAG 1.3.1, 4.1.2), los botones de
    la fila y las celdas, como los dibujaba la plantilla."""
    clases = {}
    borrar = None
    partes = []
    for fila in armadas:
        partes.append("<tr>")
        if con_seleccion:
            partes.append(f'<td><label class="mb-0"><input type="checkbox" name="rowid" class="action-checkbox" '
                          f'value="{escape(fila.id)}"><span class="sr-only">Seleccionar {escape(fila.nombre)}'
                          '</span></label></td>')
        if vista.column_display_actions:
            partes.append('<td class="list-buttons-column">')
            for tipo, url, titulo, icono in fila.acciones:
                if tipo == ENLACE:
                    partes.append(f'<a class="icon" href="{url}" title="{titulo}"><span class="{icono}"></span></a>')
                elif tipo == BORRAR:
                    borrar = borrar or _boton_borrar(vista, volver)
                    partes.append(borrar[0] + str(escape(fila.id)) + borrar[1])
                else:
                    partes.append(escape(url.render_ctx(contexto, fila.id, fila.fila)))
            partes.append("</td>")
        for columna, celda in fila.celdas:
            clase = clases.get(columna)
            if clase is None:
                clase = clases[columna] = escape(columna)
            partes.append(f'<td class="col-{clase}">{celda}</td>')
        partes.append("</tr>")
    return Markup("".join(partes))
