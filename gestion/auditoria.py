"""Registro de auditoría: cada alta, cambio y borrado queda escrito; el registro no se altera."""
import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context
from flask_security import current_user
from sqlalchemy.orm import Session

from modelos import HistorialEstado, RegistroAuditoria

_NO_AUDITADOS = (RegistroAuditoria, HistorialEstado)
_CAMPOS_SECRETOS = {"password", "fs_uniquifier"}


class RegistroInmutable(Exception):
    pass


def _valor(v):
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, (Decimal, date, datetime)):
        return str(v)
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def _cambios(objeto, solo_modificados: bool) -> dict:
    estado = sa.inspect(objeto)
    cambios = {}
    for atributo in estado.mapper.column_attrs:
        clave = atributo.key
        if clave in _CAMPOS_SECRETOS:
            continue
        historia = estado.attrs[clave].history
        if solo_modificados:
            if historia.has_changes():
                antes = historia.deleted[0] if historia.deleted else None
                despues = historia.added[0] if historia.added else None
                cambios[clave] = [_valor(antes), _valor(despues)]
        else:
            cambios[clave] = _valor(getattr(objeto, clave))
    return cambios


def _autor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.email
    return None, None


def _antes_de_guardar(session: Session, contexto, instancias) -> None:
    for objeto in list(session.dirty) + list(session.deleted):
        if isinstance(objeto, RegistroAuditoria):
            raise RegistroInmutable("El registro de auditoría no se modifica ni se borra.")


def _despues_de_guardar(session: Session, contexto) -> None:
    usuario_id, email = _autor()
    filas = []
    for accion, objetos, solo_modificados in (("crear", session.new, False),
                                              ("editar", session.dirty, True),
                                              ("eliminar", session.deleted, False)):
        for objeto in objetos:
            if isinstance(objeto, _NO_AUDITADOS):
                continue
            cambios = _cambios(objeto, solo_modificados)
            if accion == "editar" and not cambios:
                continue
            identidad = sa.inspect(objeto).identity
            filas.append({
                "en": datetime.now().astimezone(), "usuario_id": usuario_id, "usuario_email": email,
                "accion": accion, "tabla": objeto.__tablename__,
                "objeto_id": ",".join(str(i) for i in identidad) if identidad else None,
                "cambios": cambios,
            })
    if filas:
        session.connection().execute(sa.insert(RegistroAuditoria), filas)


def activar() -> None:
    """Se registra una sola vez por proceso: los eventos de Session son globales."""
    if not sa.event.contains(Session, "before_flush", _antes_de_guardar):
        sa.event.listen(Session, "before_flush", _antes_de_guardar)
        sa.event.listen(Session, "after_flush", _despues_de_guardar)
