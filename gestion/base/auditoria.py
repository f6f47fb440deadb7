"""Registro de auditoría: cada alta, cambio y borrado queda escrito, con quién, cuándo, qué fila, antes →
después y desde qué dirección; también los cambios de roles, de contraseña y de relaciones muchos a muchos
(las alineaciones de un objetivo). El registro no se altera: ni por el ORM (aquí) ni por SQL en PostgreSQL
(un disparador de la migración 0006)."""
import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context, request
from flask_security import current_user
from sqlalchemy.orm import Session

from gestion.base import formato
from gestion.base.tocado import del_flush
from modelos import ClaveAnterior, HistorialEstado, RegistroAuditoria, db

# La contraseña anterior que guarda el ingreso: su cambio ya queda en el usuario, «(cambiada)».
_NO_AUDITADOS = (RegistroAuditoria, HistorialEstado, ClaveAnterior)
# La contraseña no se escribe, pero su cambio sí queda; el identificador de sesión y la versión son ruido, y
# también la foto de un plan al devolverlo (~77 KB): la devolución ya queda con su estado y su observación.
_CAMPOS_SECRETOS = {"password"}
_CAMPOS_OMITIDOS = {"fs_uniquifier", "version", "contenido_devuelto"}
CLAVE_CAMBIADA = "(cambiada)"


class RegistroInmutable(Exception):
    pass


def _valor(v):
    if isinstance(v, bytes):  # un archivo (el .eml de un correo pendiente): su tamaño, no megas de su contenido
        return f"({formato.numero(len(v), 0)} bytes)"
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, (Decimal, date, datetime)):
        return str(v)
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def _cambios(objeto, solo_modificados: bool) -> dict:
    estado = sa.inspect(objeto)
    # Solo los atributos asignados desde la carga tienen su valor anterior guardado: los demás no cambiaron,
    # y pedir la historia de cada columna de cada fila era la mitad del tiempo de guardar un lote.
    asignados = estado.committed_state
    cambios = {}
    for atributo in estado.mapper.column_attrs:
        clave = atributo.key
        if clave in _CAMPOS_OMITIDOS or (solo_modificados and clave not in asignados):
            continue
        if clave in _CAMPOS_SECRETOS:
            if solo_modificados and estado.attrs[clave].history.has_changes():
                cambios[clave] = CLAVE_CAMBIADA
        elif solo_modificados:
            historia = estado.attrs[clave].history
            if historia.has_changes():
                antes = historia.deleted[0] if historia.deleted else None
                despues = historia.added[0] if historia.added else None
                cambios[clave] = [_valor(antes), _valor(despues)]
        else:
            cambios[clave] = _valor(getattr(objeto, clave))
    for relacion in estado.mapper.relationships:
        if relacion.secondary is None or relacion.key not in asignados:
            continue
        historia = estado.attrs[relacion.key].history
        if historia.added or historia.deleted:
            # Muchos a muchos (roles de un usuario, alineaciones de un objetivo): antes → después.
            despues = sorted(str(o) for o in historia.unchanged + historia.added)
            antes = sorted(str(o) for o in historia.unchanged + historia.deleted)
            cambios[relacion.key] = [antes, despues]
    return cambios


def cambios_de_valores(modelo, valores: dict) -> dict:
    """Lo que el registro guarda del alta de una fila insertada sin el ORM (`valores` con todas sus columnas):
    lo mismo que guardaría si se creara objeto por objeto."""
    return {a.key: _valor(valores.get(a.key)) for a in sa.inspect(modelo).column_attrs
            if a.key not in _CAMPOS_OMITIDOS and a.key not in _CAMPOS_SECRETOS}


def _autor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.email
    return None, None


def _direccion() -> str | None:
    # Detrás de un proxy, la real la pone ProxyFix (GESTION_PROXIES).
    return request.remote_addr if has_request_context() else None


# Los dos manejadores de la sesión; los registra gestion.eventos.
def _antes_de_guardar(session: Session, contexto, instancias) -> None:
    for objeto in list(session.dirty) + list(session.deleted):
        if isinstance(objeto, RegistroAuditoria):
            raise RegistroInmutable("El registro de auditoría no se modifica ni se borra.")


def _fila(accion: str, tabla: str, objeto_id, cambios, autor: tuple, en: datetime) -> dict:
    return {"en": en, "usuario_id": autor[0], "usuario_email": autor[1], "direccion": autor[2], "accion": accion,
            "tabla": tabla, "objeto_id": objeto_id, "cambios": cambios}


def _despues_de_guardar(session: Session, contexto) -> None:
    tocado = del_flush(session, contexto)
    if not tocado:
        return
    autor, en = (*_autor(), _direccion()), datetime.now().astimezone()
    filas = []
    for accion, objetos, solo_modificados in (("crear", tocado.nuevos, False),
                                              ("editar", tocado.editados, True),
                                              ("eliminar", tocado.borrados, False)):
        for objeto in objetos:
            if isinstance(objeto, _NO_AUDITADOS):
                continue
            cambios = _cambios(objeto, solo_modificados)
            if accion == "editar" and not cambios:
                continue
            # La fila nueva aún no tiene identidad en la sesión, pero sí su clave: la pide al mapeador.
            clave = sa.inspect(objeto).mapper.primary_key_from_instance(objeto)
            filas.append(_fila(accion, objeto.__tablename__,
                               ",".join(str(i) for i in clave) if any(i is not None for i in clave) else None,
                               cambios, autor, en))
    if filas:
        session.connection().execute(sa.insert(RegistroAuditoria), filas)


def registrar_lote(accion: str, tabla: str, filas: list[tuple[object, dict]]) -> None:
    """Los eventos de un lote de filas que se crean o borran con una sola sentencia, sin pasar por el ORM
    (un cargue de miles de actividades): `filas` son (id, cambios); se escriben con un solo INSERT."""
    if not filas:
        return
    autor, en = (*_autor(), _direccion()), datetime.now().astimezone()
    db.session.execute(sa.insert(RegistroAuditoria), [
        _fila(accion, tabla, None if objeto_id is None else str(objeto_id), cambios, autor, en)
        for objeto_id, cambios in filas])


def registrar_borrado(objetos: list) -> None:
    """Antes de borrar con una sola sentencia filas cargadas en la sesión: su evento, con sus valores."""
    por_tabla: dict[str, list] = {}
    for objeto in objetos:
        clave = sa.inspect(objeto).mapper.primary_key_from_instance(objeto)
        por_tabla.setdefault(objeto.__tablename__, []).append((",".join(str(i) for i in clave),
                                                               _cambios(objeto, False)))
    for tabla, filas in por_tabla.items():
        registrar_lote("eliminar", tabla, filas)


def registrar_evento(accion: str, tabla: str, objeto_id=None, cambios: dict | None = None) -> None:
    """Un hecho que no es el alta, cambio o borrado de una fila (importar un libro): queda con la misma
    transacción que la operación, y se deshace con ella."""
    usuario_id, email = _autor()
    db.session.execute(sa.insert(RegistroAuditoria).values(
        en=datetime.now().astimezone(), usuario_id=usuario_id, usuario_email=email, direccion=_direccion(),
        accion=accion, tabla=tabla, objeto_id=None if objeto_id is None else str(objeto_id), cambios=cambios))
