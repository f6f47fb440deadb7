"""Administración: usuarios y roles (administrador), auditoría e historial (lectura)."""
import uuid

import sqlalchemy as sa
from flask import request
from flask_security import current_user, hash_password
from wtforms import PasswordField, ValidationError, validators

from gestion import alcance
from gestion import roles as R
from gestion.ingreso import motivo_clave_debil
from modelos import HistorialEstado, RegistroAuditoria, Rol, Usuario, db

from .base import VistaModelo, VistaSoloLectura


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


class VistaAuditoria(VistaSoloLectura):
    recurso = "auditoria"
    can_view_details = True
    column_list = ("en", "usuario_email", "direccion", "accion", "tabla", "objeto_id")
    column_filters = ("accion", "tabla", "objeto_id", "usuario_email", "direccion", "en")
    column_searchable_list = ("tabla", "usuario_email", "objeto_id")
    named_filter_urls = True  # /admin/registroauditoria/?flt0_tabla_equals=usuario se lee y se comparte
    column_default_sort = ("en", True)

    def get_count_query(self):
        # El registro solo crece (ni se edita ni se borra): sin búsqueda ni filtros, el total es el id más alto,
        # leído del índice de la llave; count(*) recorría el millón de filas de un sector en cada página.
        # Quien lee la auditoría la lee entera (sin alcance por dependencia), así que es el total de la lista.
        sin_filtros = not request.args.get("search") and not any(k.startswith("flt") for k in request.args)
        if sin_filtros and alcance.criterio(RegistroAuditoria, current_user) is None:
            return db.session.query(sa.func.coalesce(sa.func.max(RegistroAuditoria.id), 0))
        return super().get_count_query()


class VistaHistorial(VistaSoloLectura):
    recurso = "auditoria"
    column_list = ("en", "objeto_tipo", "objeto_id", "accion", "estado_desde", "estado_hasta", "usuario",
                   "observacion")
    column_filters = ("objeto_tipo", "accion", "estado_hasta")
    column_default_sort = ("en", True)
    column_select_related_list = (HistorialEstado.usuario,)


def vistas_administracion():
    categoria = "Administración"
    return [
        VistaUsuarios(Usuario, "Usuarios", categoria),
        VistaRoles(Rol, "Roles", categoria),
        VistaAuditoria(RegistroAuditoria, "Auditoría", categoria),
        VistaHistorial(HistorialEstado, "Historial de estados", categoria),
    ]
