"""La página pública del Plan de Acción Institucional: totales agrupados en la base y una página de actividades.

Las mismas cifras que `plan_accion.resumen_pai` (que sigue armando el libro .xlsx completo), sin cargar las
actividades de todos los planes: los totales por objetivo y por dependencia salen de una consulta agrupada, y
solo se cargan las actividades de la página que se muestra (con su dependencia y su objetivo).
"""
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from gestion.planes.plan_accion import Grupo, ResumenPai
from modelos import Actividad, Dependencia, Objetivo, Plan, db
from modelos.planes import consolidacion_pai

POR_PAGINA = 50


@dataclass
class PaginaPai:
    resumen: ResumenPai  # totales filtrados; `actividades` trae solo las de la página
    total_actividades: int
    pagina: int
    paginas: int
    dependencias: list  # (id, nombre) para el filtro
    objetivos: list  # (id, «código nombre») para el filtro

    @property
    def desde(self) -> int:
        return 0 if not self.total_actividades else (self.pagina - 1) * POR_PAGINA + 1

    @property
    def hasta(self) -> int:
        return min(self.pagina * POR_PAGINA, self.total_actividades)


def _decimal(valor) -> Decimal:
    """La suma en centavos exactos (SQLite suma las columnas numéricas como float)."""
    return Decimal(str(valor or 0)).quantize(Decimal("0.01"))


def _condiciones(pai: Plan, dependencia_id, objetivo_id) -> list:
    condiciones = [Actividad.plan_id.in_(sa.select(consolidacion_pai.c.plan_id)
                                         .where(consolidacion_pai.c.pai_id == pai.id))]
    if dependencia_id:
        condiciones.append(Plan.dependencia_id == dependencia_id)
    if objetivo_id:
        condiciones.append(Actividad.objetivo_id == objetivo_id)
    return condiciones


def pagina_pai(pai: Plan, dependencia_id: int | None = None, objetivo_id: int | None = None,
               pagina: int = 1) -> PaginaPai:
    condiciones = _condiciones(pai, dependencia_id, objetivo_id)
    # Una fila por (dependencia, objetivo) con sus sumas: de ahí salen los dos cuadros y el total.
    grupos = db.session.execute(
        sa.select(Dependencia.id, Dependencia.codigo, Dependencia.nombre, Objetivo.id, Objetivo.codigo, Objetivo.nombre,
                  sa.func.count(Actividad.id), sa.func.sum(sa.func.coalesce(Actividad.peso, 0)),
                  sa.func.sum(sa.func.coalesce(Actividad.presupuesto, 0)))
        .select_from(Actividad).join(Plan, Actividad.plan_id == Plan.id)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .outerjoin(Objetivo, Actividad.objetivo_id == Objetivo.id)
        .where(*condiciones)
        .group_by(Dependencia.id, Dependencia.codigo, Dependencia.nombre, Objetivo.id, Objetivo.codigo,
                  Objetivo.nombre)
        .order_by(Dependencia.codigo)).all()
    resumen = ResumenPai()
    objetivos: dict[str, Grupo] = {}
    dependencias: dict[str, Grupo] = {}
    for _dep_id, _codigo, dependencia, objetivo_id_, objetivo_codigo, objetivo_nombre, cuantas, peso, presupuesto \
            in grupos:
        nombre_objetivo = f"{objetivo_codigo} {objetivo_nombre}" if objetivo_id_ else "Sin objetivo"
        for grupo in (objetivos.setdefault(nombre_objetivo, Grupo(nombre_objetivo)),
                      dependencias.setdefault(dependencia, Grupo(dependencia)), resumen.total):
            grupo.actividades += cuantas
            grupo.peso += _decimal(peso)
            grupo.presupuesto += _decimal(presupuesto)
    resumen.por_objetivo = sorted(objetivos.values(), key=lambda g: g.nombre)
    resumen.por_dependencia = list(dependencias.values())

    total = resumen.total.actividades
    paginas = max(1, -(-total // POR_PAGINA))
    pagina = min(max(pagina, 1), paginas)
    resumen.actividades = db.session.scalars(
        sa.select(Actividad).join(Plan, Actividad.plan_id == Plan.id)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id).where(*condiciones)
        .order_by(Dependencia.codigo, Actividad.codigo, Actividad.id)
        .options(selectinload(Actividad.plan).selectinload(Plan.dependencia), selectinload(Actividad.objetivo))
        .offset((pagina - 1) * POR_PAGINA).limit(POR_PAGINA)).all()

    # Las opciones de los filtros: todo el PAI, sin filtrar.
    opciones = db.session.execute(
        sa.select(Dependencia.id, Dependencia.codigo, Dependencia.nombre, Objetivo.id, Objetivo.codigo, Objetivo.nombre)
        .distinct().select_from(Actividad).join(Plan, Actividad.plan_id == Plan.id)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .outerjoin(Objetivo, Actividad.objetivo_id == Objetivo.id)
        .where(*_condiciones(pai, None, None))).all()
    filtro_dependencias = sorted({(d, c, n) for d, c, n, *_ in opciones}, key=lambda x: x[1])
    filtro_objetivos = sorted({(o, c, n) for *_, o, c, n in opciones if o is not None}, key=lambda x: x[1])
    return PaginaPai(resumen, total, pagina, paginas, [(d, n) for d, _, n in filtro_dependencias],
                     [(o, f"{c} {n}") for o, c, n in filtro_objetivos])
