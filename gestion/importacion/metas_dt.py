"""Las metas trimestrales de las Direcciones Territoriales (DT) para las actividades territoriales de un plan de
acción, desde el libro propio de la oficina (no la plantilla de cada DT): una fila por actividad y DT con sus
trimestres en columnas (T1…T4), o una fila por actividad, DT y trimestre (columna «Trimestre» y columna «Meta»).

La DT se reconoce por su código o su nombre en el catálogo (sin tildes, mayúsculas ni espacios de sobra); la
actividad, por su código en el plan. Todo o nada: una actividad que no es territorial, una DT que no se le asignó,
un trimestre que no se entiende o una meta repetida detienen la carga, con su fila y su columna. Un trimestre que
el libro no trae queda como estaba. Usa la lectura genérica del libro propio (`gestion.importacion.mapeo`).
"""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from gestion.importacion.lectura import ErrorFila, ImportacionRechazada, normalizar, rechazar
from gestion.importacion.mapeo import CampoSinColumna, Destino, Lectura, Mapeo, leer_celdas
from gestion.planes import campos
from gestion.planes.campos import CANTIDAD, Campo
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.permisos import roles_de
from modelos import Actividad, Dependencia, MetaTerritorial, Plan, TipoDependencia, TipoPlan, db

TRIMESTRES = tuple(f"meta_t{t}" for t in campos.TRIMESTRES)

DESTINO = Destino(
    campos=(Campo("codigo", "Código de la actividad", longitud=20),
            Campo("direccion", "Dirección Territorial"),
            *campos.META_TERRITORIAL,
            Campo("trimestre", "Trimestre"),
            Campo("meta", "Meta del trimestre", CANTIDAD)),
    sinonimos={
        "codigo": ["codigo", "codigo actividad", "cod actividad", "actividad", "id actividad"],
        "direccion": ["direccion territorial", "dt", "territorial", "codigo dt", "direccion", "regional",
                      "seccional"],
        "meta_t1": ["t1", "trimestre 1", "i trimestre", "primer trimestre", "meta t1"],
        "meta_t2": ["t2", "trimestre 2", "ii trimestre", "segundo trimestre", "meta t2"],
        "meta_t3": ["t3", "trimestre 3", "iii trimestre", "tercer trimestre", "meta t3"],
        "meta_t4": ["t4", "trimestre 4", "iv trimestre", "cuarto trimestre", "meta t4"],
        "trimestre": ["trimestre", "periodo"],
        "meta": ["meta", "meta del trimestre", "meta programada", "programado", "valor"],
    },
    obligatorios=("codigo", "direccion"),
    claves=("codigo",),
    metas=TRIMESTRES,
)

_ROMANOS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORDINALES = {"primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4}


def trimestre(valor) -> int | None:
    """1…4 de «T2», «2», «II trimestre», «Segundo trimestre», «Trimestre 3», «2026-T4»; None si no lo dice."""
    texto = normalizar(valor)
    hallado = re.fullmatch(r"(?:\d{4}\s*-?\s*)?(?:t|trimestre|trim\.?)?\s*([1-4])", texto)
    if hallado:
        return int(hallado.group(1))
    palabras = texto.replace("trimestre", " ").split()
    if len(palabras) == 1:
        return _ROMANOS.get(palabras[0]) or _ORDINALES.get(palabras[0])
    return None


@dataclass
class Cambio:
    meta: MetaTerritorial
    valores: dict  # meta_tN → valor
    fila: int


@dataclass
class Previa:
    lectura: Lectura
    cambios: list[Cambio]
    errores: list[ErrorFila]


def motivo_no_cargar(usuario, plan: Plan) -> str | None:
    """None si `usuario` puede cargar ahora las metas de las DT del plan desde un libro propio: la OAP, que coordina
    a todas; una DT, solo las suyas (`leer` rechaza las filas de otra). El plan, en formulación."""
    if plan.tipo is not TipoPlan.PA:
        return "Las metas de las Direcciones Territoriales son de las actividades de un Plan de Acción."
    motivo = flujo.motivo_estado(plan)
    if motivo:
        return motivo
    roles = roles_de(usuario)
    if roles & R.PLANEACION or (R.TERRITORIAL in roles and usuario.dependencia is not None):
        return None
    return "Solo la OAP o una Dirección Territorial cargan las metas de las Direcciones Territoriales."


def planes_de_la_direccion(usuario, vigencia) -> list[tuple[Plan, int, str | None]]:
    """Los planes de acción vigentes de `vigencia` con actividades asignadas a la DT de `usuario`: cada uno con
    cuántas y por qué no se cargan ahora sus metas (None si se puede). Es lo que la DT elige antes de subir su
    libro: los códigos de actividad se repiten de un plan a otro, así que su libro se lee plan por plan."""
    asignadas = (sa.select(Actividad.plan_id, sa.func.count().label("cuantas"))
                 .join(MetaTerritorial, MetaTerritorial.actividad_id == Actividad.id)
                 .where(MetaTerritorial.dependencia_id == usuario.dependencia_id)
                 .group_by(Actividad.plan_id).subquery())
    filas = db.session.execute(
        sa.select(Plan, asignadas.c.cuantas).join(asignadas, asignadas.c.plan_id == Plan.id)
        .join(Dependencia, Dependencia.id == Plan.dependencia_id)
        .where(Plan.tipo == TipoPlan.PA, Plan.vigente, Plan.vigencia_id == vigencia.id)
        .order_by(Dependencia.nombre, Plan.id)
        .options(contains_eager(Plan.dependencia), joinedload(Plan.ajuste_origen))).all()
    return [(plan, cuantas, motivo_no_cargar(usuario, plan)) for plan, cuantas in filas]


def plan_de_la_direccion(direccion: Dependencia, plan_id: int | None) -> Plan | None:
    """El plan de acción `plan_id` si tiene actividades asignadas a `direccion`; si no, None: una DT no abre un plan
    en el que no tiene metas."""
    return db.session.scalar(sa.select(Plan).where(
        Plan.id == plan_id, Plan.tipo == TipoPlan.PA,
        Plan.actividades.any(Actividad.metas_territoriales.any(MetaTerritorial.dependencia_id == direccion.id))))


def _direcciones() -> dict[str, Dependencia]:
    indice = {}
    for dt in db.session.scalars(sa.select(Dependencia).where(Dependencia.tipo == TipoDependencia.TERRITORIAL)):
        indice[normalizar(dt.codigo)] = dt
        indice.setdefault(normalizar(dt.nombre), dt)
        # «Antioquia» por «Dirección Territorial de Antioquia»
        indice.setdefault(normalizar(re.sub(r"(?i)^direcci[oó]n territorial (de(l)? )?", "", dt.nombre)), dt)
    return indice


def leer(plan: Plan, contenido: bytes, mapeo: Mapeo, usuario) -> Previa:
    """Las metas del libro, cada una sobre la meta territorial que cambia; todos los errores con su fila."""
    por_filas = "trimestre" in mapeo.columnas or "meta" in mapeo.columnas
    if por_filas and not {"trimestre", "meta"} <= set(mapeo.columnas):
        raise CampoSinColumna("Con los trimestres en filas, asocie la columna «Trimestre» y la de «Meta del "
                              "trimestre».")
    if not por_filas and not set(TRIMESTRES) & set(mapeo.columnas):
        raise CampoSinColumna("Asocie las columnas de los trimestres (T1…T4), o «Trimestre» y «Meta del trimestre» "
                              "si el libro trae un trimestre por fila.")
    lectura = leer_celdas(contenido, mapeo, DESTINO)
    errores = list(lectura.errores)
    direcciones = _direcciones()
    propia = None if roles_de(usuario) & R.PLANEACION else usuario.dependencia_id
    metas = {(normalizar(m.actividad.codigo), m.dependencia_id): m for m in db.session.scalars(
        sa.select(MetaTerritorial).join(MetaTerritorial.actividad).where(Actividad.plan_id == plan.id))}
    territoriales = {normalizar(c) for c in db.session.scalars(
        sa.select(Actividad.codigo).where(Actividad.plan_id == plan.id, Actividad.territorial))}
    cambios: dict[tuple, Cambio] = {}
    vistas: dict[tuple, int] = {}
    for numero, valores in lectura.filas:
        codigo, texto_dt = str(valores.get("codigo") or "").strip(), str(valores.get("direccion") or "").strip()
        dt = direcciones.get(normalizar(texto_dt))
        if dt is None:
            errores.append(ErrorFila(numero, f"«{texto_dt or '(vacía)'}» no es una Dirección Territorial del catálogo "
                                     "(ni por código ni por nombre).", "Dirección Territorial"))
            continue
        if propia is not None and dt.id != propia:
            errores.append(ErrorFila(numero, f"la fila es de {dt.nombre}: una Dirección Territorial carga solo sus "
                                     "metas.", "Dirección Territorial"))
            continue
        meta = metas.get((normalizar(codigo), dt.id))
        if meta is None:
            motivo = ("no es una actividad territorial del plan" if normalizar(codigo) not in territoriales
                      else f"no tiene asignada a {dt.nombre}")
            errores.append(ErrorFila(numero, f"la actividad {codigo} {motivo}.", "Código de la actividad"))
            continue
        if por_filas:
            t = trimestre(valores.get("trimestre")) if valores.get("trimestre") is not None else None
            if t is None:
                errores.append(ErrorFila(numero, f"«{valores.get('trimestre')}» no dice qué trimestre es (1 a 4).",
                                         "Trimestre"))
                continue
            nuevos = {f"meta_t{t}": valores.get("meta")}
        else:
            nuevos = {a: valores.get(a) for a in TRIMESTRES if a in mapeo.columnas}
        for atributo, valor in nuevos.items():
            clave = (meta.id, atributo)
            if clave in vistas:
                errores.append(ErrorFila(numero, f"la meta del trimestre {atributo[-1]} de {codigo} en {dt.nombre} ya "
                                         f"viene en la fila {vistas[clave]}.", "Código de la actividad"))
                continue
            vistas[clave] = numero
            if valor is None:
                continue  # el libro no la trae: queda como estaba
            if valor < 0:
                errores.append(ErrorFila(numero, f"la meta del trimestre {atributo[-1]} es negativa.", "Meta"))
                continue
            cambio = cambios.setdefault(meta.id, Cambio(meta, {}, numero))
            cambio.valores[atributo] = valor
    reales = [c for c in cambios.values() if any(getattr(c.meta, a) != v for a, v in c.valores.items())]
    return Previa(lectura, reales, sorted(errores, key=lambda e: e.fila))


def importar(plan: Plan, contenido: bytes, mapeo: Mapeo, usuario) -> int:
    """Todo o nada; devuelve cuántas metas territoriales (actividad × DT) cambiaron."""
    motivo = motivo_no_cargar(usuario, plan)
    if motivo:
        rechazar(motivo)
    previa = leer(plan, contenido, mapeo, usuario)
    if previa.errores:
        raise ImportacionRechazada(previa.errores)
    for cambio in previa.cambios:
        for atributo, valor in cambio.valores.items():
            setattr(cambio.meta, atributo, valor)
    db.session.flush()
    return len(previa.cambios)
