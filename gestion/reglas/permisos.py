"""Quién ve y quién edita cada sección (lista) del panel: el único lugar de esa regla.

`puede(usuario, accion, recurso)` responde sí o no; `exigir(...)` lanza `AccesoDenegado`. Quién hace cada
transición (aprobar, devolver, enviar...) no está aquí: lo dice la tabla de `gestion.reglas.flujo`.
"""
from gestion.base.errores import OperacionRechazada
from gestion.reglas import roles as R


class AccesoDenegado(OperacionRechazada):
    """El usuario no tiene el rol o la dependencia que la operación exige."""


VER, EDITAR = "ver", "editar"

_LECTORES_DE_TODO = R.PLANEACION | {R.CONTROL_INTERNO}

REGLAS: dict[str, dict[str, frozenset[str]]] = {
    "catalogos": {VER: _LECTORES_DE_TODO, EDITAR: R.PLANEACION},
    "usuarios": {VER: frozenset({R.ADMINISTRADOR}), EDITAR: frozenset({R.ADMINISTRADOR})},
    "auditoria": {VER: _LECTORES_DE_TODO, EDITAR: frozenset()},
    "planes_estrategicos": {VER: _LECTORES_DE_TODO | R.COMITES, EDITAR: R.PLANEACION},
    "contenido_estrategico": {VER: _LECTORES_DE_TODO | R.COMITES | {R.ENTIDAD}, EDITAR: R.PLANEACION},
    "planes_accion": {VER: _LECTORES_DE_TODO | {R.DIRECTOR, R.COMITE_INSTITUCIONAL}, EDITAR: R.PLANEACION},
    "actividades": {VER: _LECTORES_DE_TODO | {R.DIRECTOR, R.TERRITORIAL}, EDITAR: frozenset({R.DIRECTOR})},
    "metas_territoriales": {VER: _LECTORES_DE_TODO | {R.DIRECTOR, R.TERRITORIAL},
                            EDITAR: frozenset({R.TERRITORIAL})},
    "compromisos": {VER: _LECTORES_DE_TODO | {R.DIRECTOR}, EDITAR: R.PLANEACION},
    "cronograma": {VER: _LECTORES_DE_TODO | {R.DIRECTOR, R.TERRITORIAL, R.ENTIDAD}, EDITAR: R.PLANEACION},
    "seguimiento": {VER: _LECTORES_DE_TODO | R.CON_DEPENDENCIA | R.COMITES,
                    EDITAR: R.CON_DEPENDENCIA},
    "revision_seguimiento": {VER: _LECTORES_DE_TODO, EDITAR: R.PLANEACION},
    # El inventario de planes vigentes es para el Comité Institucional de Gestión y Desempeño, que lo recibe de la
    # OAP; Control Interno lo lee como todo. Nadie lo edita: sale de los planes y del catálogo.
    "inventario_planes": {VER: _LECTORES_DE_TODO | {R.COMITE_INSTITUCIONAL}, EDITAR: frozenset()},
    # Solicitar, revisar y aprobar un ajuste lo deciden sus transiciones (gestion.reglas.flujo), no la sección.
    "ajustes": {VER: _LECTORES_DE_TODO | R.COMITES | {R.DIRECTOR}, EDITAR: frozenset()},
    # Lo único que Control Interno escribe: su verificación y la evaluación por dependencia (Circular 04 de 2005).
    "verificacion_oci": {VER: _LECTORES_DE_TODO | R.CON_DEPENDENCIA, EDITAR: frozenset({R.CONTROL_INTERNO})},
}


def roles_de(usuario) -> set[str]:
    if usuario is None or not getattr(usuario, "is_authenticated", False) or not usuario.active:
        return set()
    return usuario.nombres_roles


def puede(usuario, accion: str, recurso: str) -> bool:
    return bool(roles_de(usuario) & REGLAS[recurso].get(accion, frozenset()))


def exigir(usuario, accion: str, recurso: str) -> None:
    if not puede(usuario, accion, recurso):
        raise AccesoDenegado("No tiene permiso para esta operación.")


def solo_lectura(usuario, recurso: str) -> bool:
    """Control Interno lee todo y no cambia nada del procedimiento: ningún POST suyo llega a un servicio, salvo
    en la sección que es suya (su verificación)."""
    roles = roles_de(usuario)
    return bool(roles) and roles <= {R.CONTROL_INTERNO} and not puede(usuario, EDITAR, recurso)


def limitado_a_dependencia(usuario) -> bool:
    """Director, territorial o entidad: su alcance es su dependencia (si no la tiene, nada)."""
    roles = roles_de(usuario)
    return bool(roles & R.CON_DEPENDENCIA) and not roles & (_LECTORES_DE_TODO | R.COMITES)
