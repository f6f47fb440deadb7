"""Traer la estructura de un plan estratégico (PES o PEI) desde el libro propio de la oficina: sus fichas técnicas
de indicadores. Cada fila es un indicador (código, nombre, fórmula, unidad, línea base y su año, tendencia, tipo
de acumulación, periodicidad, dependencia responsable y metas por año) y su objetivo.

Usa la maquinaria genérica del libro propio (`gestion.importacion.mapeo`: títulos, sugerencias, lectura de cada
columna con una sola decisión) con un destino propio. Lo que es solo de aquí:
- el objetivo de una fila es el de su celda o, vacía, el de la fila de arriba (grupos combinados, filas de
  agrupación que solo traen el objetivo); las demás celdas combinadas en vertical valen para todo su tramo;
- las metas vienen en una columna por año («Meta 2025», «Valor esperado 2025») o en el par meta + año de la
  meta; un estándar escrito («< 3 %», «Mayor al 80%», «A la baja con respecto al trimestre anterior») se lee
  en dirección y valor cuando no hay duda, y si no se deja vacío y se dice («avisos»): nunca se inventa;
- tendencia (I/M/D, «Incrementar», «Mantener»…), tipo de acumulación y periodicidad se leen por sus nombres de
  uso común; la unidad y la dependencia responsable, por su código o su nombre en el catálogo.

Todo o nada: con un error no se guarda nada. Sin columna de código, cada fila es un indicador nuevo.
"""
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
from openpyxl.utils import column_index_from_string
from sqlalchemy.orm import selectinload

from gestion.base import formato
from gestion.importacion import columnas as por_columna
from gestion.importacion.combinadas import verticales
from gestion.importacion.lectura import ErrorFila, ImportacionRechazada, normalizar, rechazar
from gestion.importacion.mapeo import CampoSinColumna, Destino, Lectura, Mapeo, Sugerencia, leer_celdas
from gestion.importacion.mapeo import sugerencia as sugerencia_generica
from gestion.planes import campos
from gestion.reglas import flujo
from modelos import (
    Dependencia,
    Indicador,
    MetaIndicador,
    Objetivo,
    Periodicidad,
    Plan,
    Tendencia,
    TipoAcumulacion,
    TipoPlan,
    UnidadMedida,
    db,
)

NUMERICOS_LIBRES = frozenset({"linea_base", "anio_linea_base", "meta", "anio_meta"})
TODOS_LOS_ANIOS = 0  # opción: la meta sin año vale para cada año del cuatrienio


@lru_cache(maxsize=8)
def destino(anios: tuple[int, ...]) -> Destino:
    """El destino para un plan de esos años: los campos del indicador y una meta por año."""
    metas = campos.metas_anuales(anios)
    return Destino(
        campos=campos.INDICADOR_ESTRATEGICO + metas,
        sinonimos={
            "objetivo_codigo": ["codigo objetivo", "cod objetivo", "codigo del objetivo", "codigo estrategia"],
            "objetivo": ["objetivo", "objetivo estrategico", "objetivo institucional", "objetivo sectorial",
                         "estrategia", "eje", "eje estrategico", "linea estrategica", "programa", "pilar"],
            "codigo": ["codigo", "codigo indicador", "cod indicador", "id indicador", "cod meta producto",
                       "codigo meta", "id"],
            "nombre": ["indicador", "nombre del indicador", "nombre indicador", "indicador de producto",
                       "indicador de gestion"],
            "formula": ["formula", "formula de calculo", "formula del indicador", "metodo de calculo"],
            "unidad": ["unidad de medida", "unidad", "unidad de medida del indicador"],
            "linea_base": ["linea base", "lb", "l.b", "linea de base", "valor linea base"],
            "anio_linea_base": ["ano base", "ano linea base", "ano de la linea base", "ano lb"],
            "tendencia": ["tendencia", "comportamiento deseado", "tendencia indicador", "sentido del indicador",
                          "direccion", "comportamiento"],
            "tipo_acumulacion": ["tipo de acumulacion", "acumulacion", "tipo acumulacion"],
            "periodicidad": ["periodicidad", "periodicidad de calculo del indicador", "periodicidad de calculo",
                             "frecuencia", "periodicidad de medicion", "periodicidad de reporte"],
            "responsable": ["responsable", "dependencia responsable", "area responsable", "nombre dependencia "
                            "responsable", "secretaria responsable", "dependencia"],
            "meta": ["meta", "meta del indicador", "estandar", "meta del cuatrienio", "meta esperada"],
            "anio_meta": ["ano meta", "ano de la meta"],
            **{c.nombre: ["meta", "valor esperado", "meta anual", "meta programada", "programado"] for c in metas},
        },
        obligatorios=("objetivo", "nombre"),
        claves=("codigo", "nombre"),
        textos=frozenset({"objetivo", "nombre", "formula"}),
        libre="nombre",
        anios={"meta": None, "anio_meta": None, "linea_base": None, **{f"meta_{a}": a for a in anios}},
        tolerantes=NUMERICOS_LIBRES | {c.nombre for c in metas},
        agrupa_sin_cifras=False,
        totales_exactos=True,
    )


def destino_de(plan: Plan) -> Destino:
    return destino(tuple(plan.cuatrienio.anios))


def sugerencia(plan: Plan, contenido: bytes, hoja: str, fila: int) -> Sugerencia:
    """La sugerencia genérica; el código del objetivo, solo junto a su nombre (solo, puede ser otro código)."""
    sugerida = sugerencia_generica(contenido, hoja, fila, None, destino_de(plan))
    if "objetivo_codigo" in sugerida.columnas and "objetivo" not in sugerida.columnas:
        titulo = sugerida.columnas.pop("objetivo_codigo")
        sugerida.motivos.pop("objetivo_codigo", None)
        sugerida.descartes["objetivo_codigo"] = f"«{titulo}»: sin la columna del objetivo no se sabe de qué es el código"
    return sugerida


# --- lo que dicen los textos ----------------------------------------------------------------------------------
SIN_VALOR = {"na", "n.a", "n.a.", "n/a", "no aplica", "nd", "n.d", "sd", "s.d", "sin dato", "sin datos", "nuevo",
             "nueva", "por definir", "-", "--", "no disponible"}
_LETRAS = {"i": Tendencia.CRECIENTE, "m": Tendencia.CONSTANTE, "d": Tendencia.DECRECIENTE}
# Al comienzo del texto (normalizado): así un «Que no disminuya» no se lee como decreciente.
_DIRECCIONES = (
    (Tendencia.DECRECIENTE, ("a la baja", "disminu", "reduc", "decrec", "bajar", "menor", "maximo", "hasta",
                             "inferior", "<")),
    (Tendencia.CRECIENTE, ("al alza", "aument", "increment", "crec", "mayor", "minimo", "al menos", "superior",
                           ">")),
    (Tendencia.CONSTANTE, ("manten", "constante", "estable", "igual", "=")),
)
_CIFRA = re.compile(r"^(?P<antes>[^\d]*?)\s*(?P<numero>[+-]?\d[\d.,]*)\s*(?P<pct>%)?\s*(?P<despues>[a-z ]{0,25})$")
_PALABRAS_DE_COMPARACION = re.compile(r"^(<=|>=|<|>|=|≤|≥|menor|mayor|igual|maximo|minimo|hasta|al menos|superior|"
                                      r"inferior)?( (a|al|que|de|o igual a|o igual al))?$")
_ACUMULACION = {
    "acumulado": TipoAcumulacion.ACUMULADO, "acumulada": TipoAcumulacion.ACUMULADO, "acum": TipoAcumulacion.ACUMULADO,
    "acumulativo": TipoAcumulacion.ACUMULADO, "flujo": TipoAcumulacion.FLUJO, "stock": TipoAcumulacion.STOCK,
    "capacidad": TipoAcumulacion.CAPACIDAD, "reduccion": TipoAcumulacion.REDUCCION,
}
# «No acumulado» es el valor del periodo: un flujo. Se lee así y se dice.
_ACUMULACION_LEIDA = {"no acumulado": TipoAcumulacion.FLUJO, "no acumulativo": TipoAcumulacion.FLUJO,
                      "no acumulada": TipoAcumulacion.FLUJO}


def _normal(texto: str) -> str:
    """Normalizado sin perder «≤» ni «≥» (que la normalización a ASCII borraría)."""
    return normalizar(texto.replace("≤", "<=").replace("≥", ">="))


def direccion(texto: str) -> Tendencia | None:
    """La dirección que dice un texto («I», «Incrementar», «A la baja…», «< 3 %»), o None si no la dice."""
    limpio = _normal(texto)
    if limpio in _LETRAS:
        return _LETRAS[limpio]
    for tendencia, comienzos in _DIRECCIONES:
        if limpio.startswith(comienzos):
            return tendencia
    return None


@dataclass(frozen=True)
class Estandar:
    """Lo que se leyó de una meta escrita: su valor (None si no trae) y su dirección (None si no la dice)."""

    valor: Decimal | None
    tendencia: Tendencia | None
    aviso: str | None = None  # qué se interpretó, o por qué no se leyó


def estandar(texto: str) -> Estandar:
    """«< 3 %» → 3 y decreciente; «Mayor al 80%» → 80 y creciente; «170 mujeres» → 170; «A la baja con respecto
    al trimestre anterior» → decreciente, sin valor; lo que tenga más de una cifra o no se entienda, nada."""
    limpio = " ".join(texto.split())
    if normalizar(limpio) in SIN_VALOR:
        return Estandar(None, None, f"«{limpio}»: sin valor")
    hallado = _CIFRA.match(_normal(limpio))
    if hallado and _PALABRAS_DE_COMPARACION.match(hallado.group("antes").strip()):
        separador = por_columna.separador_de(hallado.group("numero"))
        if separador == "?":
            return Estandar(None, direccion(limpio), f"«{limpio}»: no se sabe si el separador es de miles o "
                            "decimal; escriba la meta como número")
        valor, _ = por_columna.numero_de_texto(hallado.group("numero"), separador)
        tendencia = direccion(limpio) if hallado.group("antes").strip() else None
        leido = formato.numero(valor, 6) + (" %" if hallado.group("pct") else "")
        partes = [f"valor {leido}"] + ([f"tendencia {tendencia.etiqueta.lower()}"] if tendencia else [])
        return Estandar(valor, tendencia, f"«{limpio}» se leyó: {', '.join(partes)}")
    tendencia = direccion(limpio)
    if tendencia is not None and not re.search(r"\d", limpio):
        return Estandar(None, tendencia, f"«{limpio}» se leyó: tendencia {tendencia.etiqueta.lower()}, sin valor "
                        "de meta")
    return Estandar(None, None, f"«{limpio}» no se entiende como meta: se deja sin valor")


def _periodicidad(texto: str) -> tuple[Periodicidad | None, str | None]:
    limpio = normalizar(texto)
    opciones = {normalizar(p.etiqueta): p for p in Periodicidad}
    if limpio in opciones:
        return opciones[limpio], None
    parecida = difflib.get_close_matches(limpio, opciones, n=1, cutoff=0.85)
    if parecida:
        return opciones[parecida[0]], f"«{texto.strip()}» se leyó {opciones[parecida[0]].etiqueta}"
    return None, (f"«{texto.strip()}» no es una periodicidad del plan "
                  f"({', '.join(p.etiqueta for p in Periodicidad)}): se deja vacía")


def _acumulacion(texto: str, elegidas: dict[str, str] | None = None) -> tuple[TipoAcumulacion | None, str | None]:
    """El tipo de acumulación que dice el texto y, si hubo que interpretarlo, el aviso. `elegidas`: lo que el
    usuario eligió para un texto (normalizado) en la vista previa; manda."""
    limpio = normalizar(texto)
    if elegidas and limpio in elegidas:
        return (TipoAcumulacion(elegidas[limpio]) if elegidas[limpio] else None), None
    if limpio in _ACUMULACION:
        return _ACUMULACION[limpio], None
    if limpio in _ACUMULACION_LEIDA:
        return _ACUMULACION_LEIDA[limpio], f"«{texto.strip()}» se leyó {_ACUMULACION_LEIDA[limpio].etiqueta}"
    if limpio in SIN_VALOR:
        return None, None
    return None, (f"«{texto.strip()}» no es un tipo de acumulación "
                  f"({', '.join(t.etiqueta for t in TipoAcumulacion)}): se deja vacío")


# --- lectura ---------------------------------------------------------------------------------------------------
@dataclass
class Opciones:
    """Lo que el libro no dice y el usuario elige: el año de una meta que viene sin su año y qué tipo de acumulación
    es cada texto que no es uno de los del plan («No acumulado», «Bianual»)."""

    anio_meta: int | None = None  # un año del cuatrienio, o TODOS_LOS_ANIOS
    acumulaciones: dict[str, str] = field(default_factory=dict)  # texto normalizado → valor del tipo, o "" (ninguno)


@dataclass
class IndicadorLeido:
    fila: int
    objetivo_codigo: str | None
    objetivo: str
    codigo: str | None
    valores: dict = field(default_factory=dict)  # atributo del modelo → valor
    metas: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class Estructura:
    lectura: Lectura
    indicadores: list[IndicadorLeido]
    objetivos: dict[str, str]  # código → nombre, en el orden del libro
    objetivos_nuevos: set[str]
    errores: list[ErrorFila]
    avisos: list[ErrorFila]  # lo interpretado o dejado vacío: no detiene la carga
    faltan_en_catalogo: dict[str, list[str]]  # «Unidad de medida» → valores que el catálogo no tiene
    sin_codigo: bool
    # Los tipos de acumulación escritos a la manera de la oficina, que se preguntan: normalizado → (como viene en el
    # libro, cómo se lee ahora).
    acumulaciones_a_elegir: dict[str, tuple[str, TipoAcumulacion | None]] = field(default_factory=dict)


def objetivos_del_plan(plan: Plan) -> list[Objetivo]:
    """Los objetivos con sus indicadores y sus metas, en tres consultas (no una por objetivo ni por indicador)."""
    return list(db.session.scalars(sa.select(Objetivo).where(Objetivo.plan_id == plan.id).options(
        selectinload(Objetivo.indicadores).selectinload(Indicador.metas))))


def _por_nombre_o_codigo(modelo) -> dict[str, object]:
    indice = {}
    for fila in db.session.scalars(sa.select(modelo)):
        indice[normalizar(fila.codigo)] = fila
        indice.setdefault(normalizar(fila.nombre), fila)
    return indice


def _anio(valor, etiqueta: str, anios_validos: range | None = None) -> int | None:
    """Un año escrito como número (o «NA»); ValueError con el motivo si no es un año sensato."""
    if valor is None or (isinstance(valor, str) and normalizar(valor) in SIN_VALOR):
        return None
    if isinstance(valor, str) or valor != valor.to_integral_value():
        raise ValueError(f"«{etiqueta}»: «{valor}» no es un año")
    anio = int(valor)
    if not por_columna.ANIO_MINIMO <= anio <= por_columna.ANIO_MAXIMO:
        raise ValueError(f"«{etiqueta}»: el año {anio} está fuera de {por_columna.ANIO_MINIMO}–"
                         f"{por_columna.ANIO_MAXIMO}: ¿un año mal escrito?")
    if anios_validos is not None and anio not in anios_validos:
        raise ValueError(f"«{etiqueta}»: {anio} no es un año del cuatrienio "
                         f"{anios_validos.start}–{anios_validos.stop - 1}")
    return anio


def _rellenar_combinadas(contenido: bytes, mapeo: Mapeo, lectura: Lectura) -> None:
    """Cada celda vacía dentro de un tramo combinado en vertical toma el valor leído de la primera fila del tramo."""
    tramos = verticales(contenido, mapeo.hoja)
    if not tramos:
        return
    letras = {c.campo.nombre: c.letra for c in lectura.columnas}
    por_fila = dict(lectura.filas)
    for atributo, letra in letras.items():
        for primera, ultima in tramos.get(column_index_from_string(letra), []):
            if primera not in por_fila:
                continue
            for numero in range(primera + 1, ultima + 1):
                if numero in por_fila and por_fila[numero].get(atributo) is None:
                    por_fila[numero][atributo] = por_fila[primera][atributo]


def leer(plan: Plan, contenido: bytes, mapeo: Mapeo, opciones: Opciones | None = None) -> Estructura:
    """Los indicadores del libro, cada uno con su objetivo, listos para guardar; con todos los errores y avisos."""
    opciones = opciones or Opciones()
    anios = plan.cuatrienio.anios
    del_cuatrienio = range(anios[0], anios[-1] + 1)
    if "meta" in mapeo.columnas and "anio_meta" not in mapeo.columnas and opciones.anio_meta is None:
        raise CampoSinColumna("El libro no trae el año de la meta: asocie la columna «Año de la meta» o elija a "
                              "qué año del cuatrienio corresponde la meta.")
    lectura = leer_celdas(contenido, mapeo, destino_de(plan))
    _rellenar_combinadas(contenido, mapeo, lectura)
    errores, avisos = list(lectura.errores), []
    unidades, dependencias = _por_nombre_o_codigo(UnidadMedida), _por_nombre_o_codigo(Dependencia)
    faltan: dict[str, list[str]] = {}
    existentes = {o.codigo: o for o in objetivos_del_plan(plan)}
    por_nombre = {normalizar(o.nombre): o.codigo for o in existentes.values()}
    objetivos: dict[str, str] = {}
    nuevos_objetivos: set[str] = set()
    agrupaciones = dict(lectura.agrupaciones)
    actual: tuple[str | None, str | None] = (None, None)  # (código, nombre) del objetivo de las filas que siguen
    indicadores: list[IndicadorLeido] = []
    vistos: dict[tuple[str, str], int] = {}
    codigos_del_plan = {i.codigo for o in existentes.values() for i in o.indicadores}
    siguiente = _codigos_nuevos(codigos_del_plan)
    filas = sorted([(n, v, False) for n, v in lectura.filas] + [(n, v, True) for n, v in agrupaciones.items()],
                   key=lambda f: f[0])

    def avisar(numero, texto):
        avisos.append(ErrorFila(numero, texto))

    def errar(numero, texto, columna=None):
        errores.append(ErrorFila(numero, texto, columna))

    for numero, valores, es_agrupacion in filas:
        nombre_objetivo = _texto(valores.get("objetivo"))
        codigo_objetivo = _texto(valores.get("objetivo_codigo"))
        if nombre_objetivo or codigo_objetivo:
            actual = (codigo_objetivo, nombre_objetivo)
        if es_agrupacion:
            continue
        codigo_objetivo, nombre_objetivo = actual
        if not nombre_objetivo and not (codigo_objetivo and codigo_objetivo in existentes):
            errar(numero, "La fila no tiene objetivo (ni lo trae una fila de arriba).", "Objetivo")
            continue
        codigo_objetivo = codigo_objetivo or por_nombre.get(normalizar(nombre_objetivo))
        if codigo_objetivo is None:
            codigo_objetivo = _codigo_para(nombre_objetivo, objetivos, set(existentes))
        if len(codigo_objetivo) > 20 or len(nombre_objetivo or "") > 500:
            errar(numero, "El código del objetivo admite 20 caracteres y su nombre 500.", "Objetivo")
            continue
        objetivos.setdefault(codigo_objetivo, nombre_objetivo or existentes[codigo_objetivo].nombre)
        if codigo_objetivo not in existentes:
            nuevos_objetivos.add(codigo_objetivo)
        leido = IndicadorLeido(numero, codigo_objetivo, objetivos[codigo_objetivo], None)
        _leer_indicador(leido, valores, mapeo, opciones, del_cuatrienio, unidades, dependencias, faltan,
                        avisar, errar)
        if not leido.valores.get("nombre"):
            errar(numero, "La fila trae código pero no el nombre del indicador.", "Indicador")
        if "codigo" in mapeo.columnas:
            leido.codigo = _texto(valores.get("codigo"))
        if not leido.codigo:
            leido.codigo = next(siguiente)
        if len(leido.codigo) > 20:
            errar(numero, f"El código «{leido.codigo}» pasa de 20 caracteres.", "Código del indicador")
        repetido = vistos.get((codigo_objetivo, leido.codigo))
        if repetido:
            errar(numero, f"El indicador {leido.codigo} del objetivo {codigo_objetivo} ya viene en la fila "
                  f"{repetido}.", "Código del indicador")
        vistos[(codigo_objetivo, leido.codigo)] = numero
        indicadores.append(leido)
    a_elegir = {}
    if "tipo_acumulacion" in mapeo.columnas:
        for _, valores in lectura.filas:
            texto = _texto(valores.get("tipo_acumulacion"))
            limpio = normalizar(texto)
            if texto and limpio not in _ACUMULACION and limpio not in SIN_VALOR:
                a_elegir.setdefault(limpio, (texto, _acumulacion(texto, opciones.acumulaciones)[0]))
    return Estructura(lectura, indicadores, objetivos, nuevos_objetivos, sorted(errores, key=lambda e: e.fila), avisos,
                      faltan, "codigo" not in mapeo.columnas, a_elegir)


def _frase(error: Exception) -> str:
    texto = str(error)
    return texto if texto.endswith(("?", ".")) else f"{texto}."


def _texto(valor) -> str | None:
    if valor is None:
        return None
    texto = " ".join(str(valor).split())
    return texto or None


def _codigos_nuevos(existentes: set[str]):
    """Sin columna de código: códigos que el plan no tiene (I001…), nunca el número de fila."""
    numero = 1
    while True:
        codigo = f"I{numero:03d}"
        numero += 1
        if codigo not in existentes:
            yield codigo


def _codigo_para(nombre: str, objetivos: dict[str, str], existentes: set[str]) -> str:
    """El objetivo sin código: el mismo nombre es el mismo objetivo; uno nuevo toma O01, O02… libres."""
    for codigo, otro in objetivos.items():
        if normalizar(otro) == normalizar(nombre):
            return codigo
    numero = 1
    while f"O{numero:02d}" in existentes or f"O{numero:02d}" in objetivos:
        numero += 1
    return f"O{numero:02d}"


def _leer_indicador(leido: IndicadorLeido, valores: dict, mapeo: Mapeo, opciones: Opciones, del_cuatrienio: range,
                    unidades: dict, dependencias: dict, faltan: dict, avisar, errar) -> None:
    numero = leido.fila
    etiqueta = {c.nombre: c.etiqueta for c in campos.INDICADOR_ESTRATEGICO}
    for atributo in ("nombre", "formula"):
        texto = _texto(valores.get(atributo))
        if texto and len(texto) > 500:
            errar(numero, f"«{etiqueta[atributo]}» admite 500 caracteres; tiene {len(texto)}.", etiqueta[atributo])
        if atributo in mapeo.columnas:
            leido.valores[atributo] = texto
    for atributo, catalogo, indice in (("unidad", "Unidad de medida", unidades),
                                       ("responsable", "Dependencia responsable", dependencias)):
        texto = _texto(valores.get(atributo))
        if atributo not in mapeo.columnas:
            continue
        encontrado = indice.get(normalizar(texto)) if texto else None
        if texto and encontrado is None and normalizar(texto) not in SIN_VALOR:
            lista = faltan.setdefault(catalogo, [])
            if texto not in lista:
                lista.append(texto)
        leido.valores[atributo] = encontrado
    if "linea_base" in mapeo.columnas:
        base = valores.get("linea_base")
        if isinstance(base, str):
            leido_base = estandar(base)
            avisar(numero, f"Línea base: {leido_base.aviso}.")
            base = leido_base.valor
        leido.valores["linea_base"] = base
    try:
        if "anio_linea_base" in mapeo.columnas:
            leido.valores["anio_linea_base"] = _anio(valores.get("anio_linea_base"), "Año de la línea base")
    except ValueError as error:
        errar(numero, _frase(error), "Año de la línea base")
    tendencia_columna = None
    if "tendencia" in mapeo.columnas and _texto(valores.get("tendencia")):
        texto = _texto(valores["tendencia"])
        tendencia_columna = direccion(texto)
        if tendencia_columna is None and normalizar(texto) not in SIN_VALOR:
            avisar(numero, f"Tendencia: «{texto}» no dice si crece, decrece o se mantiene: se deja vacía.")
        leido.valores["tendencia"] = tendencia_columna
    for atributo, lector, nombre in (
            ("tipo_acumulacion", lambda texto: _acumulacion(texto, opciones.acumulaciones), "Tipo de acumulación"),
            ("periodicidad", _periodicidad, "Periodicidad")):
        texto = _texto(valores.get(atributo))
        if atributo in mapeo.columnas:
            valor, aviso = lector(texto) if texto else (None, None)
            leido.valores[atributo] = valor
            if aviso:
                avisar(numero, f"{nombre}: {aviso}.")
    tendencia_meta = _leer_metas(leido, valores, mapeo, opciones, del_cuatrienio, avisar, errar)
    if tendencia_meta is not None:
        if "tendencia" not in mapeo.columnas or leido.valores.get("tendencia") is None:
            leido.valores["tendencia"] = tendencia_meta
        elif tendencia_columna is not None and tendencia_columna is not tendencia_meta:
            avisar(numero, f"La meta dice tendencia {tendencia_meta.etiqueta.lower()} y la columna de tendencia "
                   f"{tendencia_columna.etiqueta.lower()}: se guarda la de la columna.")


def _leer_metas(leido: IndicadorLeido, valores: dict, mapeo: Mapeo, opciones: Opciones, del_cuatrienio: range,
                avisar, errar) -> Tendencia | None:
    """Las metas por año (columnas por año, o meta + año) en `leido.metas`; la dirección que diga un estándar."""
    numero, tendencia = leido.fila, None
    pares = [(int(a.removeprefix("meta_")), a, [int(a.removeprefix("meta_"))]) for a in mapeo.columnas
             if re.fullmatch(r"meta_\d{4}", a)]
    if "meta" in mapeo.columnas:
        anios: list[int] = []
        if "anio_meta" not in mapeo.columnas:
            anios = list(del_cuatrienio) if opciones.anio_meta == TODOS_LOS_ANIOS else [opciones.anio_meta]
        elif valores.get("meta") is not None:
            try:
                anio = _anio(valores.get("anio_meta"), "Año de la meta", del_cuatrienio)
            except ValueError as error:
                errar(numero, _frase(error), "Año de la meta")
            else:
                if anio is None:
                    avisar(numero, "La meta no trae su año: no se guarda.")
                anios = [anio] if anio else []
        pares.append((None, "meta", anios))
    for anio, atributo, anios in pares:
        valor = valores.get(atributo)
        if isinstance(valor, str):
            leido_meta = estandar(valor)
            avisar(numero, f"Meta{f' {anio}' if anio else ''}: {leido_meta.aviso}.")
            tendencia = tendencia or leido_meta.tendencia
            valor = leido_meta.valor
        if valor is None:
            continue
        if valor < 0:
            errar(numero, f"La meta es negativa ({formato.numero(valor)}).", "Meta")
            continue
        for destino_anio in anios:
            leido.metas[destino_anio] = valor
    return tendencia


# --- quién y guardar -------------------------------------------------------------------------------------------
def motivo_no_traer(usuario, plan: Plan) -> str | None:
    """None si `usuario` puede traer ahora la estructura del plan: la OAP, en un PES o PEI en formulación (los
    mismos que editan su contenido: `gestion.reglas.flujo`)."""
    if plan.tipo not in (TipoPlan.PES, TipoPlan.PEI):
        return "Solo se trae la estructura de un plan estratégico (PES o PEI)."
    return flujo.motivo_no_editable(usuario, plan)


def exigir_traer(usuario, plan: Plan) -> None:
    motivo = motivo_no_traer(usuario, plan)
    if motivo:
        rechazar(motivo)


@dataclass
class Resumen:
    objetivos_nuevos: int
    indicadores_nuevos: int
    indicadores_actualizados: int
    metas: int

    def mensaje(self, plan: Plan) -> str:
        return (f"Estructura traída a «{plan}»: {self.objetivos_nuevos} objetivo(s) nuevo(s), "
                f"{self.indicadores_nuevos} indicador(es) nuevo(s), {self.indicadores_actualizados} actualizado(s) y "
                f"{self.metas} meta(s) anual(es).")


def importar(plan: Plan, contenido: bytes, mapeo: Mapeo, usuario, opciones: Opciones | None = None) -> Resumen:
    """Todo o nada: con un error no se guarda nada (`ImportacionRechazada` con todos). Crea los objetivos que el plan
    no tiene; un indicador con el código de uno del mismo objetivo lo actualiza, si no lo crea; las metas de los
    años que trae el libro se fijan. Lo que el plan tiene y el libro no trae, queda."""
    exigir_traer(usuario, plan)
    estructura = leer(plan, contenido, mapeo, opciones)
    if estructura.errores:
        raise ImportacionRechazada(estructura.errores)
    objetivos = {o.codigo: o for o in objetivos_del_plan(plan)}
    for codigo, nombre in estructura.objetivos.items():
        if codigo not in objetivos:
            objetivos[codigo] = Objetivo(plan=plan, codigo=codigo, nombre=nombre)
            db.session.add(objetivos[codigo])
    nuevos = actualizados = metas = 0
    for leido in estructura.indicadores:
        objetivo = objetivos[leido.objetivo_codigo]
        indicador = next((i for i in objetivo.indicadores if i.codigo == leido.codigo), None)
        if indicador is None:
            indicador = Indicador(codigo=leido.codigo, nombre=leido.valores["nombre"])
            objetivo.indicadores.append(indicador)
            nuevos += 1
        else:
            actualizados += 1
        for atributo, valor in leido.valores.items():
            setattr(indicador, atributo, valor)
        for anio, valor in leido.metas.items():
            meta = next((m for m in indicador.metas if m.anio == anio), None)
            if meta is None:
                indicador.metas.append(MetaIndicador(anio=anio, valor=valor))
            else:
                meta.valor = valor
            metas += 1
    db.session.flush()
    return Resumen(len(estructura.objetivos_nuevos), nuevos, actualizados, metas)
