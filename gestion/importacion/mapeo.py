"""Traer un plan desde el libro propio de la oficina (no la plantilla): se elige la hoja y la fila de títulos,
cada campo de la plantilla se asocia a una columna (con sugerencias por parecido del título), se ve una
vista previa con los errores de cada fila y se importa todo o nada con las reglas de
`gestion.importacion.actividades`. El mapeo se guarda con nombre para el año siguiente.

Lo que traen los libros de planeación de verdad y cómo se trata: títulos bajo filas combinadas (se elige la
fila; se sugiere la que más títulos tiene), títulos repetidos («L.B» y «L.B (2)»), filas de totales y de
agrupación (programa → subprograma → meta) que se omiten y se informan, números y porcentajes escritos
como texto («1.200,5», «0%»), errores de fórmula guardados (#DIV/0!) y números que Excel volvió fecha,
que se informan en su celda, y códigos con ceros a la izquierda, que se conservan.
"""
import difflib
import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import actividades
from gestion.importacion import errores as libro_de_errores
from gestion.importacion.lectura import (
    MAXIMO_FILAS,
    SIN_HOJAS,
    ErrorFila,
    ImportacionRechazada,
    abrir,
    filas_de,
    hoja_de,
    normalizar,
    rechazar,
    vacia,
)
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.permisos import roles_de
from modelos import MapeoColumnas, Plan, TipoPlan, ahora, db

FILAS_PARA_BUSCAR_TITULOS = 30
ERRORES_DE_FORMULA = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
NUMERICOS = {c.nombre for c in CAMPOS if c.numerico}
# Otros nombres con que los planes de las oficinas llaman a cada campo (además del título de la plantilla).
SINONIMOS = {
    "codigo": ["cod", "codigo meta", "cod meta producto", "id", "item", "numero"],
    "descripcion": ["actividad", "meta de producto", "meta producto", "producto", "accion", "descripcion actividad"],
    "objetivo": ["objetivo", "objetivo estrategico", "objetivo institucional"],
    "politica": ["politica", "politica de gestion y desempeno", "mipg"],
    "planes_institucionales": ["plan institucional", "planes institucionales", "decreto 612", "plan integrado",
                               "planes decreto 612"],
    "indicador": ["indicador", "nombre del indicador", "indicador de producto"],
    "formula": ["formula del indicador", "metodo de calculo"],
    "unidad": ["unidad de medida", "unidad"],
    "meta_anual": ["meta", "meta anual", "valor esperado", "meta vigencia", "total planeado", "programado"],
    "meta_t1": ["t1", "trimestre 1", "i trimestre", "t1 planeado", "primer trimestre"],
    "meta_t2": ["t2", "trimestre 2", "ii trimestre", "t2 planeado", "segundo trimestre"],
    "meta_t3": ["t3", "trimestre 3", "iii trimestre", "t3 planeado", "tercer trimestre"],
    "meta_t4": ["t4", "trimestre 4", "iv trimestre", "t4 planeado", "cuarto trimestre"],
    "peso": ["peso", "ponderacion", "ponderador", "peso porcentual"],
    "fecha_inicio": ["inicio", "fecha de inicio", "fecha inicial"],
    "fecha_fin": ["fin", "fecha de terminacion", "fecha final", "fecha fin"],
    "presupuesto": ["presupuesto", "apropiacion", "recursos", "valor", "apropiacion definitiva"],
    "proyecto": ["bpin", "proyecto", "codigo bpin", "proyecto de inversion"],
    "responsable": ["responsable", "dependencia responsable", "area responsable"],
}
PARECIDO_MINIMO = 0.75
TITULO = {c.nombre: c.etiqueta for c in CAMPOS}
# Los títulos de la plantilla en años anteriores también sugieren su campo.
ANTERIORES = {c.nombre: [normalizar(t) for t in c.alias] for c in CAMPOS}


@dataclass
class Mapeo:
    hoja: str
    fila_encabezado: int
    columnas: dict[str, str]  # atributo → título de la columna (como lo devuelve `titulos`)


@dataclass
class Lectura:
    filas: list[tuple[int, dict]] = field(default_factory=list)  # como las de la plantilla
    errores: list[ErrorFila] = field(default_factory=list)
    omitidas: list[tuple[int, str]] = field(default_factory=list)  # (fila, por qué)


@dataclass
class FilaPrevia:
    numero: int
    valores: dict  # atributo → valor leído
    errores: list[str]


# --- el libro: hojas, títulos y sugerencias -----------------------------------------------------
def hojas(contenido: bytes) -> list[str]:
    with abrir(contenido) as libro:
        tablas = [h.title for h in libro.worksheets if hasattr(h, "reset_dimensions")]
    if not tablas:
        rechazar(SIN_HOJAS)
    return tablas


def _unicos(crudos: list) -> list[str]:
    """Títulos de la fila sin saltos de línea ni espacios de sobra; los repetidos llevan (2), (3)…"""
    vistos: dict[str, int] = {}
    resultado = []
    for crudo in crudos:
        titulo = " ".join(str(crudo).split()) if crudo is not None and str(crudo).strip() else ""
        if not titulo:
            resultado.append("")
            continue
        vistos[normalizar(titulo)] = vistos.get(normalizar(titulo), 0) + 1
        resultado.append(titulo if vistos[normalizar(titulo)] == 1 else f"{titulo} ({vistos[normalizar(titulo)]})")
    return resultado


def _fila_cruda(contenido: bytes, hoja: str, numero: int) -> list:
    with abrir(contenido) as libro:
        for _, valores in filas_de(hoja_de(libro, hoja), numero):
            return valores
    return []


def titulos(contenido: bytes, hoja: str, fila: int) -> list[str]:
    return _unicos(_fila_cruda(contenido, hoja, fila))


def sugerir_fila(contenido: bytes, hoja: str) -> int:
    """La fila con más celdas de texto entre las primeras: la de títulos, bajo los títulos combinados."""
    mejor, puntos = 1, -1
    with abrir(contenido) as libro:
        for numero, valores in filas_de(hoja_de(libro, hoja)):
            if numero > FILAS_PARA_BUSCAR_TITULOS:
                break
            textos = sum(isinstance(v, str) and bool(v.strip()) for v in valores)
            if textos > puntos:
                mejor, puntos = numero, textos
    return mejor


def _parecido(titulo: str, atributo: str) -> float:
    texto = normalizar(titulo)
    candidatos = [normalizar(TITULO[atributo])] + ANTERIORES[atributo] + SINONIMOS.get(atributo, [])
    return max(1.0 if texto == c else difflib.SequenceMatcher(None, texto, c).ratio() for c in candidatos)


def sugerir(disponibles: list[str]) -> dict[str, str]:
    """Cada campo con la columna de título más parecido (cada columna a lo sumo a un campo)."""
    pares = sorted(((_parecido(t, a), a, t) for a in TITULO for t in disponibles if t), reverse=True)
    elegidas, usados, sugerencia = set(), set(), {}
    for puntos, atributo, titulo in pares:
        if puntos < PARECIDO_MINIMO:
            break
        if atributo in usados or titulo in elegidas:
            continue
        sugerencia[atributo] = titulo
        usados.add(atributo)
        elegidas.add(titulo)
    return sugerencia


# --- lectura con el mapeo -----------------------------------------------------------------------
TOTALES = re.compile(r"^(sub ?)?total(es)?\b|^gran total\b")


def _es_totales(propios: dict, valores: list) -> bool:
    """«Total», «Subtotal programa 1»… en el código, la descripción o la primera celda de la fila (no en
    cualquier celda: una línea base puede decir «Total población…»)."""
    primera = next((v for v in valores if v is not None and str(v).strip()), None)
    return any(isinstance(v, str) and TOTALES.match(normalizar(v))
               for v in (propios.get("codigo"), propios.get("descripcion"), primera))


def _celda(numero: int, atributo: str, valor, errores: list[ErrorFila]):
    """El valor para el validador de la plantilla, o el error que solo se ve en el libro propio."""
    titulo = TITULO[atributo]
    if isinstance(valor, str) and valor.strip().upper() in ERRORES_DE_FORMULA:
        errores.append(ErrorFila(numero, f"«{titulo}»: la celda guarda el error de fórmula {valor.strip()}; "
                                         "corrija la fórmula o escriba el valor.", titulo))
        return None
    if atributo in NUMERICOS and isinstance(valor, date):
        errores.append(ErrorFila(numero, f"«{titulo}»: Excel convirtió el número en la fecha {valor:%d/%m/%Y}; "
                                         "escríbalo como número.", titulo))
        return None
    return valor


def leer(contenido: bytes, mapeo: Mapeo) -> Lectura:
    faltan = [TITULO[a] for a in ("descripcion",) if a not in mapeo.columnas]
    if faltan:
        rechazar(f"Asocie una columna a: {', '.join(faltan)}.")
    lectura = Lectura()
    with abrir(contenido) as libro:
        filas = filas_de(hoja_de(libro, mapeo.hoja), mapeo.fila_encabezado)
        _, crudos = next(filas, (0, []))
        posicion = {t: i for i, t in enumerate(_unicos(crudos)) if t}
        ausentes = [t for t in mapeo.columnas.values() if t not in posicion]
        if ausentes:
            rechazar(f"La fila {mapeo.fila_encabezado} de «{mapeo.hoja}» no tiene las columnas: {', '.join(ausentes)}.")
        indices = {a: posicion[t] for a, t in mapeo.columnas.items()}
        for numero, valores in filas:
            if vacia(valores):
                continue
            propios = {a: valores[i] if i < len(valores) else None for a, i in indices.items()}
            if _es_totales(propios, valores):
                lectura.omitidas.append((numero, "fila de totales"))
                continue
            if vacia([propios.get("codigo"), propios.get("descripcion")]):
                lectura.omitidas.append((numero, "sin código ni descripción (¿totales o notas?)"))
                continue
            numericos = [propios[a] for a in NUMERICOS if a in indices]
            sin_codigo = "codigo" not in indices or vacia([propios["codigo"]])
            if numericos and vacia(numericos) and sin_codigo:
                lectura.omitidas.append((numero, "agrupación (programa o subprograma) sin metas"))
                continue
            if len(lectura.filas) >= MAXIMO_FILAS:
                rechazar(f"La hoja tiene más de {MAXIMO_FILAS:,} filas con datos.".replace(",", "."))
            celdas = {normalizar(TITULO[a]): _celda(numero, a, v, lectura.errores) for a, v in propios.items()}
            if "codigo" not in indices:
                celdas[normalizar(TITULO["codigo"])] = f"{len(lectura.filas) + 1:03d}"  # por orden de fila
            lectura.filas.append((numero, celdas))
    return lectura


def vista_previa(plan: Plan, contenido: bytes, mapeo: Mapeo, cuantas: int = 10):
    """Las primeras filas como quedarían, cada una con los errores que daría, y todos los errores."""
    lectura = leer(contenido, mapeo)
    leidas, errores = actividades.validar_filas(plan, lectura.filas)
    por_fila: dict[int, list[str]] = {}
    for error in lectura.errores + errores:
        por_fila.setdefault(error.fila, []).append(error.mensaje)
    previa = [FilaPrevia(numero, datos, por_fila.get(numero, []))
              for (numero, _), datos in zip(lectura.filas[:cuantas], leidas, strict=False)]
    return previa, lectura, sorted(lectura.errores + errores, key=lambda e: e.fila)


ROLES_QUE_TRAEN = R.PLANEACION | {R.DIRECTOR}


def puede_traer_alguno(usuario) -> bool:
    """Si el rol de `usuario` trae planes desde un libro propio (cuál, lo dice `motivo_no_traer`)."""
    return bool(roles_de(usuario) & ROLES_QUE_TRAEN)


def motivo_no_traer(usuario, plan: Plan) -> str | None:
    """None si `usuario` puede traer ahora el plan desde un libro propio; si no, la razón en español.

    Lo hace la OAP con el plan de cualquier dependencia (pasa a la plantilla el libro que la oficina le
    entrega) y el director con el de la suya; en los estados en que el contenido se edita (`gestion.reglas.flujo`)."""
    if plan.tipo is not TipoPlan.PA:
        return "Solo se traen desde un libro propio las actividades de un Plan de Acción."
    motivo = flujo.motivo_estado(plan)
    if motivo:
        return motivo
    if not puede_traer_alguno(usuario):
        return "Solo la OAP o el director de la dependencia traen un plan de acción desde un libro propio."
    if roles_de(usuario) & R.PLANEACION or plan.dependencia_id == usuario.dependencia_id:
        return None
    return "El plan no es de su dependencia."


def exigir_traer(plan: Plan, usuario) -> None:
    actividades.negar(plan, motivo_no_traer(usuario, plan))


def importar(plan: Plan, contenido: bytes, mapeo: Mapeo, usuario) -> actividades.Carga:
    """Todo o nada, con las reglas de la plantilla; los errores propios del libro también detienen la carga."""
    exigir_traer(plan, usuario)
    lectura = leer(contenido, mapeo)
    _, errores = actividades.validar_filas(plan, lectura.filas)
    if lectura.errores or errores:
        raise ImportacionRechazada(sorted(lectura.errores + errores, key=lambda e: e.fila))
    return actividades.importar_filas(plan, lectura.filas, usuario, origen="el libro de la oficina",
                                      exigir=exigir_traer)


def libro_con_errores(contenido: bytes, mapeo: Mapeo, errores: list[ErrorFila]) -> tuple[bytes, str]:
    """El libro de la oficina con cada celda equivocada marcada, en sus propias columnas."""
    posicion = {t: i + 1 for i, t in enumerate(titulos(contenido, mapeo.hoja, mapeo.fila_encabezado)) if t}
    columna_de = {TITULO[a]: posicion[t] for a, t in mapeo.columnas.items() if t in posicion}
    return libro_de_errores.libro_con_errores(contenido, errores, mapeo.hoja, mapeo.fila_encabezado, columna_de)


# --- mapeos guardados ---------------------------------------------------------------------------
def mapeos_de(dependencia_id: int) -> list[MapeoColumnas]:
    return list(db.session.scalars(sa.select(MapeoColumnas).filter_by(dependencia_id=dependencia_id)
                                   .order_by(MapeoColumnas.nombre)))


def guardar_mapeo(plan: Plan, nombre: str, mapeo: Mapeo, usuario) -> MapeoColumnas:
    """Con el mismo nombre, se reemplaza: el del año pasado se actualiza."""
    autor = usuario.id  # antes de agregar el mapeo: leer el usuario no debe vaciar la sesión a medias
    nombre = " ".join((nombre or "").split())[:120]
    if not nombre:
        rechazar("Escriba un nombre para guardar el mapeo.")
    guardado = db.session.scalar(sa.select(MapeoColumnas).filter_by(dependencia_id=plan.dependencia_id,
                                                                    nombre=nombre))
    if guardado is None:
        guardado = MapeoColumnas(dependencia_id=plan.dependencia_id, nombre=nombre)
        db.session.add(guardado)
    guardado.hoja, guardado.fila_encabezado, guardado.columnas = mapeo.hoja[:31], mapeo.fila_encabezado, dict(
        mapeo.columnas)
    guardado.actualizado_por_id, guardado.actualizado_en = autor, ahora()
    db.session.flush()
    return guardado
