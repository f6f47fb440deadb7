"""Administración: usuarios y roles (administrador), auditoría e historial (lectura)."""
import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask import request
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_security import hash_password
from markupsafe import Markup
from wtforms import PasswordField, ValidationError, validators

from gestion.reglas import flujo
from gestion.base import formato
from gestion.reglas import roles as R
from gestion.base.ingreso import motivo_clave_debil
from modelos import HistorialEstado, InformeSeguimiento, RegistroAuditoria, Rol, Usuario, db

from .base import VistaModelo, VistaSoloLectura
from .etiquetas import ACCIONES_AUDITORIA, TABLAS, etiqueta_campo, etiqueta_tabla


class VistaUsuarios(VistaModelo):
    recurso = "usuarios"
    permite_eliminar = False  # se desactiva: borrar rompería el historial de quién hizo qué
    column_list = ("email", "nombre", "roles", "dependencia", "active", "last_login_at")
    column_searchable_list = ("email", "nombre")
    column_filters = ("active", "roles.name", "dependencia.nombre")
    column_default_sort = "email"
    form_columns = ("email", "nombre", "roles", "dependencia", "active", "clave_nueva")
    column_details_list = ("email", "nombre", "roles", "dependencia", "active", "confirmed_at",
                           "last_login_at", "current_login_at", "login_count")
    form_extra_fields = {"clave_nueva": PasswordField(
        "Contraseña nueva", [validators.Optional(), validators.Length(max=128)],
        description="Déjela vacía para no cambiarla. Mínimo 12 caracteres; ni palabras comunes ni del ministerio.")}
    column_select_related_list = (Usuario.dependencia,)

    def on_model_change(self, form, model, is_created):
        nombres = {r.name for r in model.roles}
        if nombres & R.CON_DEPENDENCIA and model.dependencia is None:
            raise ValidationError("Un director, una Dirección Territorial o una entidad debe tener dependencia.")
        if form.clave_nueva.data:
            motivo = motivo_clave_debil(form.clave_nueva.data)
            if motivo:
                raise ValidationError(motivo)
            model.password = hash_password(form.clave_nueva.data)
            model.fs_uniquifier = uuid.uuid4().hex  # cierra las sesiones abiertas con la clave anterior
        elif is_created:
            raise ValidationError("Asigne una contraseña al usuario nuevo.")
        if is_created:
            model.fs_uniquifier = uuid.uuid4().hex
        elif not model.active:
            model.fs_uniquifier = uuid.uuid4().hex  # el usuario desactivado sale de inmediato


class VistaRoles(VistaModelo):
    recurso = "usuarios"
    permite_crear = permite_eliminar = False  # los roles son los del procedimiento
    column_list = ("name", "description")
    form_columns = ("description",)


# --- la auditoría como la lee una persona: etiquetas, cifras y fechas de Colombia, «antes → después» -----
_NOMBRES = ("codigo", "nombre", "descripcion", "email", "anio", "bpin", "numero")


def _texto_valor(tabla: str, campo: str, valor) -> str:
    """Un valor guardado en `cambios` (texto, número o lista) con el formato de su columna."""
    if valor is None or valor == "":
        return "—"
    if isinstance(valor, list):
        return ", ".join(str(v) for v in valor) or "—"
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    tabla_sa = db.metadata.tables.get(tabla)
    columna = tabla_sa.c.get(campo) if tabla_sa is not None else None
    tipo = columna.type if columna is not None else None
    try:
        if isinstance(tipo, sa.Enum) and tipo.enum_class is not None:
            return tipo.enum_class(valor).etiqueta
        if isinstance(tipo, sa.Boolean):
            return "Sí" if valor in (1, "1", "true", "True") else "No"
        if isinstance(tipo, sa.Numeric):
            cifra = Decimal(str(valor))
            return formato.pesos(cifra) if tipo.precision == 18 else formato.numero(cifra)
        if isinstance(tipo, sa.DateTime):
            return formato.fecha(datetime.fromisoformat(str(valor)))
        if isinstance(tipo, sa.Date):
            return formato.fecha(date.fromisoformat(str(valor)))
    except (ValueError, InvalidOperation):
        pass
    if columna is not None and columna.foreign_keys:
        return f"n.º {valor}"
    return str(valor)


def cambios_legibles(registro) -> list[str]:
    """«Presupuesto: $ 250 → $ 250.000.000» por campo cambiado; en un alta o un borrado, «campo: valor»."""
    lineas = []
    for campo, valor in (registro.cambios or {}).items():
        etiqueta = etiqueta_campo(campo, registro.tabla)
        if registro.accion == "editar" and isinstance(valor, list) and len(valor) == 2:
            antes, despues = (_texto_valor(registro.tabla, campo, v) for v in valor)
            lineas.append(f"{etiqueta}: {antes} → {despues}")
        else:
            lineas.append(f"{etiqueta}: {_texto_valor(registro.tabla, campo, valor)}")
    return lineas


def _registro(vista, contexto, modelo, nombre):
    """Qué fila: su número y, si el registro lo guarda (un alta, un borrado), su código o nombre."""
    cambios = modelo.cambios or {}
    nombre_fila = next((cambios[c] for c in _NOMBRES if isinstance(cambios.get(c), (str, int)) and cambios[c] != ""),
                       None)
    partes = [f"n.º {modelo.objeto_id}" if modelo.objeto_id else None,
              str(nombre_fila)[:80] if nombre_fila is not None else None]
    texto = " · ".join(p for p in partes if p)
    return texto or etiqueta_tabla(modelo.tabla)


def _cambios(vista, contexto, modelo, nombre):
    lineas = cambios_legibles(modelo)
    if not lineas:
        return ""
    return Markup("<ul class=\"list-unstyled mb-0\">{}</ul>").format(
        Markup("").join(Markup("<li>{}</li>").format(linea) for linea in lineas))


def _opciones(etiquetas: dict) -> list[tuple[str, str]]:
    return sorted(etiquetas.items(), key=lambda par: par[1])


class VistaAuditoria(VistaSoloLectura):
    recurso = "auditoria"
    can_view_details = True
    column_list = ("en", "usuario_email", "direccion", "accion", "tabla", "objeto_id")
    column_details_list = ("en", "usuario_email", "direccion", "accion", "tabla", "objeto_id", "cambios")
    column_filters = (FilterEqual(RegistroAuditoria.accion, "Acción", options=_opciones(ACCIONES_AUDITORIA)),
                      FilterEqual(RegistroAuditoria.tabla, "Tabla", options=_opciones(TABLAS)),
                      "objeto_id", "usuario_email", "direccion", "en")
    column_searchable_list = ("tabla", "usuario_email", "objeto_id")
    named_filter_urls = True  # /admin/registroauditoria/?flt0_tabla_equals=usuario se lee y se comparte
    column_default_sort = ("en", True)

    @property
    def simple_list_pager(self) -> bool:
        """El registro entero se hojea con «anterior» y «siguiente», sin total: contar su millón de filas en un
        sector costaba 64 ms en cada página (un total por el id más alto mentiría: una transacción deshecha deja
        huecos en la secuencia). Con búsqueda o filtros sí se cuenta: ese total es el que se busca."""
        return not request.args.get("search") and not any(k.startswith("flt") for k in request.args)

    column_formatters = {
        "accion": lambda v, c, m, n: ACCIONES_AUDITORIA.get(m.accion, m.accion.replace("_", " ").capitalize()),
        "tabla": lambda v, c, m, n: etiqueta_tabla(m.tabla),
        "objeto_id": _registro,
        "cambios": _cambios,
    }


def _paso(atributo: str):
    return lambda v, c, m, n: getattr(flujo.paso_legible(m), atributo)


class VistaHistorial(VistaSoloLectura):
    recurso = "auditoria"
    column_list = ("en", "objeto_tipo", "objeto_id", "accion", "estado_desde", "estado_hasta", "usuario",
                   "observacion")
    column_filters = (FilterEqual(HistorialEstado.objeto_tipo, "Objeto",
                                  options=_opciones({t.__tablename__: TABLAS.get(t.__tablename__, t.__tablename__)
                                                     for t in (*flujo.MAQUINAS, InformeSeguimiento)})),
                      "accion", "estado_hasta")
    column_default_sort = ("en", True)
    column_select_related_list = (HistorialEstado.usuario,)
    column_formatters = {
        "objeto_tipo": lambda v, c, m, n: etiqueta_tabla(m.objeto_tipo),
        "objeto_id": lambda v, c, m, n: f"n.º {m.objeto_id}",
        "accion": _paso("accion"), "estado_desde": _paso("desde"), "estado_hasta": _paso("hasta"),
    }


def vistas_administracion():
    categoria = "Administración"
    return [
        VistaUsuarios(Usuario, "Usuarios", categoria),
        VistaRoles(Rol, "Roles", categoria),
        VistaAuditoria(RegistroAuditoria, "Auditoría", categoria),
        VistaHistorial(HistorialEstado, "Historial de estados", categoria),
    ]
