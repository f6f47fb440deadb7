"""La página pública del Plan de Acción Institucional: totales agrupados en la base y una página de actividades.

Las mismas cifras que `plan_accion.resumen_pai` (que sigue armando el libro .xlsx completo), sin cargar las
actividades de todos los planes: los totales por objetivo y por dependencia salen de una consulta agrupada, y
solo se cargan las actividades de la página que se muestra (con su dependencia y su objetivo).
"""
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from gestion.planes.plan_accion import Grupo, ResumenPai
from modelos import Actividad, Dependencia, Objetivo, Plan, PlanInstitucional, db
from modelos.planes import consolidacion_pai, integracion

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


@dataclass
class IndiceIntegrado:
    """Un plan institucional en el PAI publicado: cuántas actividades lo integran, su presupuesto y sus unidades
    responsables (las mismas cifras que la hoja «Planes integrados» del libro)."""

    plan: PlanInstitucional
    cuantas: int = 0
    presupuesto: Decimal = Decimal(0)
    dependencias: list[str] = field(default_factory=list)

    @property
    def integrado(self) -> bool:
        return self.cuantas > 0


def indice_integrados(pai: Plan) -> list[IndiceIntegrado]:
    """Cada plan institucional activo (o con actividades en el PAI), integrado o no: dos consultas agrupadas."""
    grupos = db.session.execute(
        sa.select(integracion.c.plan_institucional_id, Dependencia.codigo, Dependencia.nombre,
                  sa.func.count(Actividad.id), sa.func.sum(sa.func.coalesce(Actividad.presupuesto, 0)))
        .select_from(integracion).join(Actividad, Actividad.id == integracion.c.actividad_id)
        .join(Plan, Actividad.plan_id == Plan.id).join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .where(*_condiciones(pai, None, None))
        .group_by(integracion.c.plan_institucional_id, Dependencia.codigo, Dependencia.nombre)
        .order_by(Dependencia.nombre)).all()
    por_plan: dict[int, list] = {}
    for plan_id, _codigo, dependencia, cuantas, presupuesto in grupos:
        por_plan.setdefault(plan_id, []).append((dependencia, cuantas, _decimal(presupuesto)))
    catalogo = db.session.scalars(sa.select(PlanInstitucional).where(
        sa.or_(PlanInstitucional.activo, PlanInstitucional.id.in_(list(por_plan) or [-1])))
        .order_by(*PlanInstitucional.en_orden())).all()
    return [IndiceIntegrado(p, sum(c for _, c, _ in por_plan.get(p.id, [])),
                            sum((v for *_, v in por_plan.get(p.id, [])), Decimal(0)),
                            sorted({d for d, *_ in por_plan.get(p.id, [])})) for p in catalogo]
