"""La página pública del Plan de Acción Institucional: totales agrupados en la base y una página de actividades.

Las mismas cifras que `plan_accion.resumen_pai` (que sigue armando el libro .xlsx completo), sin cargar las
actividades de todos los planes: los totales por objetivo y por dependencia salen de una consulta agrupada, y
solo se cargan las actividades de la página que se muestra (con su dependencia y su objetivo), de los planes que
la cubren. Lo publicado no cambia: los totales de cada versión publicada (y filtro) se guardan en la memoria del
proceso junto con la huella de los catálogos que nombran (dependencias y objetivos), y la tabla por dependencia
se muestra por páginas (issue 23, punto 4): con el doble de un sector, la
primera vista ni suma ni pinta cientos de dependencias en cada petición.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from gestion.planes.plan_accion import Grupo, ResumenPai
from modelos import Actividad, Dependencia, Objetivo, Plan, PlanInstitucional, db
from modelos.planes import consolidacion_pai, integracion

POR_PAGINA = 50
DEPENDENCIAS_POR_PAGINA = 50


@dataclass
class PaginaPai:
    resumen: ResumenPai  # totales filtrados; `actividades` trae solo las de la página
    total_actividades: int
    pagina: int
    paginas: int
    dependencias: list  # (id, nombre) para el filtro
    objetivos: list  # (id, «código nombre») para el filtro
    pagina_dependencias: int = 1  # la tabla por dependencia, de DEPENDENCIAS_POR_PAGINA en DEPENDENCIAS_POR_PAGINA
    paginas_dependencias: int = 1
    total_dependencias: int = 0

    @property
    def desde(self) -> int:
        return 0 if not self.total_actividades else (self.pagina - 1) * POR_PAGINA + 1

    @property
    def hasta(self) -> int:
        return min(self.pagina * POR_PAGINA, self.total_actividades)

    @property
    def desde_dependencia(self) -> int:
        return (self.pagina_dependencias - 1) * DEPENDENCIAS_POR_PAGINA + 1

    @property
    def hasta_dependencia(self) -> int:
        return min(self.pagina_dependencias * DEPENDENCIAS_POR_PAGINA, self.total_dependencias)


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


@lru_cache(maxsize=64)
def _grupos(base: str, pai_id: int, publicado_en, huella: tuple, dependencia_id, objetivo_id) -> tuple:
    """Una fila por (dependencia, objetivo) con sus sumas, en orden de dependencia: de ahí salen los dos cuadros,
    el total y qué planes cubren cada página. La clave lleva la base y la fecha de publicación (una versión
    publicada no cambia, y otra base u otra versión no la confunde) y la huella de los catálogos: las filas traen
    el código y el nombre de cada dependencia y objetivo, que sí cambian después de publicar."""
    pai = db.session.get(Plan, pai_id)
    return tuple(tuple(fila) for fila in db.session.execute(
        sa.select(Dependencia.id, Dependencia.codigo, Dependencia.nombre, Objetivo.id, Objetivo.codigo, Objetivo.nombre,
                  sa.func.count(Actividad.id), sa.func.sum(sa.func.coalesce(Actividad.peso, 0)),
                  sa.func.sum(sa.func.coalesce(Actividad.presupuesto, 0)))
        .select_from(Actividad).join(Plan, Actividad.plan_id == Plan.id)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .outerjoin(Objetivo, Actividad.objetivo_id == Objetivo.id)
        .where(*_condiciones(pai, dependencia_id, objetivo_id))
        .group_by(Dependencia.id, Dependencia.codigo, Dependencia.nombre, Objetivo.id, Objetivo.codigo,
                  Objetivo.nombre)
        .order_by(Dependencia.codigo, Objetivo.codigo)))


def _huella_catalogos() -> tuple:
    """Cambia con cada edición, alta o baja de una dependencia o un objetivo (su `version` sube en cada cambio
    por el ORM): una consulta de dos agregados, sin leer las filas."""
    dependencias = sa.select(sa.func.count(Dependencia.id), sa.func.coalesce(sa.func.sum(Dependencia.version), 0),
                             sa.func.coalesce(sa.func.max(Dependencia.id), 0))
    objetivos = sa.select(sa.func.count(Objetivo.id), sa.func.coalesce(sa.func.sum(Objetivo.version), 0),
                          sa.func.coalesce(sa.func.max(Objetivo.id), 0))
    return tuple(tuple(fila) for fila in db.session.execute(dependencias.union_all(objetivos)))


def _grupos_de(pai: Plan, dependencia_id, objetivo_id, huella: tuple) -> tuple:
    return _grupos(str(db.engine.url), pai.id, pai.publicado_en, huella, dependencia_id, objetivo_id)


def _paginas(total: int, por_pagina: int, pagina: int) -> tuple[int, int]:
    paginas = max(1, -(-total // por_pagina))
    return min(max(pagina, 1), paginas), paginas


def pagina_pai(pai: Plan, dependencia_id: int | None = None, objetivo_id: int | None = None,
               pagina: int = 1, pagina_dependencias: int = 1) -> PaginaPai:
    resumen = ResumenPai()
    objetivos: dict[str, Grupo] = {}
    dependencias: dict[int, Grupo] = {}
    actividades_por_dependencia: dict[int, int] = {}
    huella = _huella_catalogos()
    for dep_id, _codigo, dependencia, objetivo_id_, objetivo_codigo, objetivo_nombre, cuantas, peso, presupuesto \
            in _grupos_de(pai, dependencia_id, objetivo_id, huella):
        nombre_objetivo = f"{objetivo_codigo} {objetivo_nombre}" if objetivo_id_ else "Sin objetivo"
        for grupo in (objetivos.setdefault(nombre_objetivo, Grupo(nombre_objetivo)),
                      dependencias.setdefault(dep_id, Grupo(dependencia, clave=dep_id)), resumen.total):
            grupo.actividades += cuantas
            grupo.peso += _decimal(peso)
            grupo.presupuesto += _decimal(presupuesto)
        actividades_por_dependencia[dep_id] = actividades_por_dependencia.get(dep_id, 0) + cuantas
    resumen.por_objetivo = sorted(objetivos.values(), key=lambda g: g.nombre)
    todas = list(dependencias.values())
    pagina_dependencias, paginas_dependencias = _paginas(len(todas), DEPENDENCIAS_POR_PAGINA, pagina_dependencias)
    resumen.por_dependencia = todas[(pagina_dependencias - 1) * DEPENDENCIAS_POR_PAGINA:
                                    pagina_dependencias * DEPENDENCIAS_POR_PAGINA]

    total = resumen.total.actividades
    pagina, paginas = _paginas(total, POR_PAGINA, pagina)
    # Solo las dependencias que cubren la página (en el orden de la lista): la consulta no ordena todo el PAI.
    inicio = (pagina - 1) * POR_PAGINA
    antes = saltadas = 0
    cubren = []
    for dep_id, cuantas in actividades_por_dependencia.items():
        if antes + cuantas <= inicio:
            saltadas += cuantas
        elif antes < inicio + POR_PAGINA:
            cubren.append(dep_id)
        antes += cuantas
    resumen.actividades = db.session.scalars(
        sa.select(Actividad).join(Plan, Actividad.plan_id == Plan.id)
        .join(Dependencia, Plan.dependencia_id == Dependencia.id)
        .where(*_condiciones(pai, dependencia_id, objetivo_id), Plan.dependencia_id.in_(cubren))
        .order_by(Dependencia.codigo, Actividad.codigo, Actividad.id)
        .options(selectinload(Actividad.plan).selectinload(Plan.dependencia), selectinload(Actividad.objetivo))
        .offset(inicio - saltadas).limit(POR_PAGINA)).all()

    # Las opciones de los filtros: todo el PAI, sin filtrar (los mismos grupos, guardados).
    opciones = _grupos_de(pai, None, None, huella)
    filtro_dependencias = list({d: n for d, _, n, *_ in opciones}.items())
    filtro_objetivos = sorted({(o, c, n) for _, _, _, o, c, n, *_ in opciones if o is not None}, key=lambda x: x[1])
    return PaginaPai(resumen, total, pagina, paginas, filtro_dependencias,
                     [(o, f"{c} {n}") for o, c, n in filtro_objetivos],
                     pagina_dependencias, paginas_dependencias, len(todas))


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
