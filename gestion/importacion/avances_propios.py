"""Los avances de un trimestre desde el libro de seguimiento propio de la oficina (no la plantilla del reporte).

El mismo camino que el plan (`gestion.importacion.mapeo`): hoja, fila de títulos, columnas sugeridas con su motivo,
cada columna leída con una sola decisión (escala, separador decimal: `gestion.importacion.columnas`) y vista previa
con todos los errores. Lo propio de los avances:

- Los trimestres como bloques de columnas («T1. EJECUTADO 2025», o «Resultado» repetido bajo las bandas «Trimestre I
  - 2025», «Trimestre II - 2025»…): se sugieren solo las columnas del trimestre del reporte (y del año de su
  vigencia, si el título lo trae). O como filas: una columna «Trimestre»/«Periodo» y se toman las del trimestre.
- Cada fila es el avance de un ítem del reporte, por su código; sin columna de código, por la descripción de la
  actividad, y si esa descripción es de varias, se pide el código. Las filas de ítems que el reporte no tiene (el
  libro de toda la entidad) se omiten y se dicen; los ítems que el libro no trae quedan como estaban.
- La evidencia es un enlace (http…) o la referencia de un documento («Acta 12», «Meta 1.docx»): ambas se guardan.
- Se guarda con las reglas del formulario (`reportes.aplicar_avance`) dentro de un savepoint: todo o nada. No envía
  el reporte: su dueño lo revisa y lo envía como siempre.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from gestion.base import formato
from gestion.base.errores import OperacionRechazada
from gestion.importacion import errores as libro_de_errores
from gestion.importacion import mapeo as generico
from gestion.importacion.lectura import ErrorFila, ImportacionRechazada, normalizar, rechazar
from gestion.planes import campos
from gestion.planes.campos import Campo
from gestion.reglas import flujo, ventanas
from gestion.reglas import roles as R
from gestion.reglas.permisos import roles_de
from gestion.seguimiento import cifras, reportes
from gestion.seguimiento.consultas import avances_con_metas, codigo_de
from modelos import Avance, ReporteTrimestral, db

CAMPOS = (
    Campo("codigo", "Código de la actividad", longitud=20),
    Campo("descripcion", "Descripción de la actividad", longitud=500),
    Campo("periodo", "Trimestre (si cada fila es un periodo)"),
    Campo("valor", "Valor logrado", campos.CANTIDAD),
    Campo("avance_cualitativo", "Avance cualitativo"),
    Campo("justificacion", "Justificación"),
    Campo("evidencia", "Evidencia (enlace o documento)", longitud=500),
    Campo("comprometido", "Presupuesto comprometido", campos.PESOS),
    Campo("pagado", "Presupuesto pagado", campos.PESOS),
)

AVANCES = generico.Destino(
    campos=CAMPOS,
    sinonimos={
        "codigo": ["codigo", "cod", "codigo actividad", "codigo meta", "cod meta producto", "codigo indicador",
                   "codigo meta producto", "id", "item", "numero"],
        "descripcion": ["actividad", "descripcion", "meta de producto", "meta producto", "producto", "accion",
                        "descripcion actividad", "producto/accion"],
        "periodo": ["trimestre", "periodo", "corte", "periodo de reporte", "trimestre reportado"],
        "valor": ["ejecutado", "valor ejecutado", "resultado", "logrado", "valor logrado", "avance del periodo",
                  "avance trimestre", "ejecucion", "valor alcanzado", "cumplido", "resultado del indicador"],
        "avance_cualitativo": ["avance cualitativo", "descripcion del avance", "analisis", "logros",
                               "analisis cualitativo", "observaciones"],
        "justificacion": ["justificacion", "justificacion del incumplimiento", "causas", "razones",
                          "dificultades", "observacion"],
        "evidencia": ["evidencia", "evidencias", "fuente de verificacion", "soportes de cumplimiento", "soportes",
                      "soporte", "medio de verificacion", "enlace", "enlace de evidencia", "link"],
        "comprometido": ["compromisos", "comprometido", "presupuesto comprometido", "recursos comprometidos",
                         "valor comprometido"],
        "pagado": ["pagos", "pagado", "presupuesto pagado", "obligaciones pagadas", "valor pagado", "giros"],
    },
    obligatorios=("valor",),
    claves=("codigo", "descripcion"),
    textos=frozenset({"descripcion", "avance_cualitativo", "justificacion"}),
    libre="descripcion",
)
TITULO = AVANCES.titulo
# Lo que los bloques de trimestres repiten: sin esto, «T1. EJECUTADO 2025» no se parece a «ejecutado».
_TRIMESTRE = re.compile(
    r"(?<![a-z0-9])(?:t|q|trim|trimestre)\s*\.?\s*(iv|iii|ii|i|[1-4])(?![a-z0-9])"
    r"|(?<![a-z0-9])(iv|iii|ii|i|[1-4]|primer|primero|segundo|tercer|tercero|cuarto)\s*(?:er|o)?\s*"
    r"trim(?:estre)?(?![a-z])")
_NUMERO = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4, "primer": 1, "primero": 1,
           "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4}


def trimestre_de(texto) -> int | None:
    """El trimestre que nombra un título o una celda: «T1», «T.4», «Trimestre II - 2025», «primer trimestre», «3»,
    o la fecha de corte (31/03/2025 → 1); None si no nombra ninguno."""
    if isinstance(texto, datetime | date):
        return (texto.month - 1) // 3 + 1
    if isinstance(texto, int | float | Decimal) and not isinstance(texto, bool):
        return int(texto) if texto in (1, 2, 3, 4) else None
    limpio = normalizar(texto)
    if limpio in _NUMERO:
        return _NUMERO[limpio]
    hallado = _TRIMESTRE.search(limpio)
    return _NUMERO[hallado.group(1) or hallado.group(2)] if hallado else None


def _sin_trimestre(titulo: str) -> str:
    """El título sin su trimestre ni su banda: «Trimestre I - 2025 · Resultado» → «Resultado»."""
    sin = _TRIMESTRE.sub(" ", normalizar(titulo.rsplit("·", 1)[-1]))
    return " ".join(re.sub(r"[^\w%/]", " ", sin).split())


def del_trimestre(titulos: list[str], trimestre: int, anio: int) -> dict[str, str]:
    """Las columnas que pueden traer el trimestre, por su título sin trimestre: las que no nombran un trimestre y
    las del trimestre pedido; de otro año que el de la vigencia, ninguna."""
    resultado: dict[str, str] = {}
    for titulo in titulos:
        if not titulo:
            continue
        if trimestre_de(titulo) not in (None, trimestre) or generico._anio(titulo) not in (None, anio):
            continue
        limpio = _sin_trimestre(titulo) or titulo
        while limpio in resultado:
            limpio += " (otra)"
        resultado[limpio] = titulo
    return resultado


def sugerencia(contenido: bytes, hoja: str, fila: int, reporte: ReporteTrimestral) -> generico.Sugerencia:
    """Las columnas del trimestre del reporte, con el motivo de cada una (el de `mapeo.sugerir`)."""
    return sugerir_columnas(contenido, hoja, fila, reporte.trimestre, reporte.vigencia.anio)


def sugerir_columnas(contenido: bytes, hoja: str, fila: int, trimestre: int, anio: int) -> generico.Sugerencia:
    propias = del_trimestre(generico.titulos(contenido, hoja, fila), trimestre, anio)
    perfiles = generico.perfiles(contenido, hoja, fila)
    hecha = generico.sugerir(list(propias), {c: perfiles.get(t) for c, t in propias.items()}, anio, AVANCES)
    bloque = f" (del trimestre {trimestre})"
    return generico.Sugerencia(
        {a: propias[c] for a, c in hecha.columnas.items()},
        {a: m + (bloque if trimestre_de(propias[hecha.columnas[a]]) else "") for a, m in hecha.motivos.items()},
        hecha.descartes)


def columnas_guardadas(guardado, titulos: list[str], trimestre: int, anio: int) -> dict[str, str]:
    """Las columnas de un mapeo de avances guardado, llevadas al trimestre del reporte: guardado en el T1
    («T1 ejecutado»), en el T2 toma la columna del mismo bloque del T2 («T2 ejecutado»). Las que el libro no
    tiene quedan fuera (`mapeo.faltantes` lo dice)."""
    propias = del_trimestre(titulos, trimestre, anio)
    columnas = {}
    for atributo, titulo in guardado.columnas.items():
        if titulo in titulos and trimestre_de(titulo) in (None, trimestre):
            columnas[atributo] = titulo
        elif (otra := propias.get(_sin_trimestre(titulo) or titulo)) is not None and trimestre_de(titulo):
            columnas[atributo] = otra
    return columnas


# --- lectura y validación -------------------------------------------------------------------------
@dataclass
class Fila:
    numero: int
    avance: Avance
    valores: dict  # atributo → valor leído
    meta: Decimal | None
    cumplimiento: Decimal | None = None
    errores: list[str] = field(default_factory=list)


@dataclass
class Previa:
    filas: list[Fila]  # todas las que se guardarían, con lo que daría cada una
    lectura: generico.Lectura
    errores: list[ErrorFila]  # todos
    sin_fila: list[str]  # ítems del reporte que el libro no trae: quedan como estaban
    justificadas: int = 0  # bajo la meta sin justificación, con la común que escribió el usuario


def enlace_o_referencia(evidencia: str | None) -> tuple[str | None, str | None]:
    texto = (evidencia or "").strip()
    if not texto:
        return None, None
    return (texto, None) if re.match(r"^https?://", texto, re.I) else (None, texto[:500])


def del_reporte(reporte: ReporteTrimestral, lectura: generico.Lectura, errores: list[ErrorFila]):
    """Cada fila con el ítem del reporte que es suyo: por código, o por descripción si el libro no trae código."""
    metas = avances_con_metas(reporte)
    por_codigo = {normalizar(codigo_de(a)): a for a in metas}
    por_descripcion: dict[str, list[Avance]] = {}
    for avance in metas:
        texto = avance.actividad.descripcion if avance.actividad_id else avance.indicador.nombre
        por_descripcion.setdefault(normalizar(texto), []).append(avance)
    vistos: dict[int, int] = {}
    filas = []
    for numero, valores in lectura.filas:
        if valores.get("codigo"):
            avance = por_codigo.get(normalizar(valores["codigo"]))
            if avance is None:
                lectura.omitidas.append((numero, f"el código «{valores['codigo']}» no es un ítem de este reporte"))
                continue
        else:
            candidatos = por_descripcion.get(normalizar(valores.get("descripcion")), [])
            if len(candidatos) > 1:
                errores.append(ErrorFila(numero, (
                    f"la descripción «{str(valores['descripcion'])[:80]}» es de varias actividades "
                    f"({', '.join(codigo_de(a) for a in candidatos)}): asocie la columna del código para saber de "
                    "cuál es este avance."), TITULO["descripcion"]))
                continue
            if not candidatos:
                lectura.omitidas.append((numero, "su descripción no es la de una actividad de este reporte"))
                continue
            avance = candidatos[0]
        if avance.id in vistos:
            errores.append(ErrorFila(numero, f"{codigo_de(avance)} ya está en la fila {vistos[avance.id]}.",
                                     TITULO["codigo"]))
            continue
        vistos[avance.id] = numero
        filas.append(Fila(numero, avance, valores, metas[avance]))
    return filas, [codigo_de(a) for a in sorted(metas, key=codigo_de) if a.id not in vistos]


def del_periodo(lectura: generico.Lectura, trimestre: int, errores: list[ErrorFila]) -> None:
    """Con una columna de periodo, solo las filas del trimestre del reporte; las demás se omiten y se dicen."""
    quedan = []
    for numero, valores in lectura.filas:
        periodo = trimestre_de(valores.get("periodo"))
        if periodo is None:
            errores.append(ErrorFila(numero, f"«{valores.get('periodo') or ''}» no dice de qué trimestre es la fila "
                                             "(escriba T1, Trimestre II, 3…).", TITULO["periodo"]))
        elif periodo != trimestre:
            lectura.omitidas.append((numero, f"es del trimestre {periodo}"))
        else:
            quedan.append((numero, valores))
    lectura.filas = quedan


def _avisar_escala(lectura: generico.Lectura, filas: list[Fila]) -> None:
    """La escala del valor logrado la decide su columna; si la leyó ×100, cada fila con valor cuyo ítem tiene la meta
    (la del trimestre o, sin ella, la anual) entre 0 y 1 se señala en la vista previa: valor y meta deben estar en
    la misma escala, y un indicador medido de 0 a 1 no se lee en puntos."""
    columna = next((c for c in lectura.columnas if c.campo.nombre == "valor"), None)
    if columna is None or columna.escala != 100:
        return
    for fila in filas:
        meta = fila.meta or (fila.avance.actividad.meta_anual if fila.avance.actividad_id else None)
        if fila.valores.get("valor") and meta and meta <= 1:
            columna.anotar("valor leído ×100 en un ítem cuya meta está entre 0 y 1: ¿leer sin multiplicar?",
                           f"{codigo_de(fila.avance)}: {formato.numero(fila.valores['valor'])} (meta "
                           f"{formato.numero(meta)})", "revise la escala", sospechosa=True)


def _validar(filas: list[Fila], errores: list[ErrorFila], justificacion_comun: str | None) -> int:
    """Lo que el formulario exigiría a cada fila, sin escribir: valores no negativos, pagado ≤ comprometido, la
    justificación bajo la meta (o la común que el usuario escribió). Una fila con una celda que no se leyó ya tiene
    su error: no se le suma otro por el valor que no se leyó. Devuelve cuántas usan la común."""
    comun = 0
    ilegibles: dict[int, list[str]] = {}
    for error in errores:
        ilegibles.setdefault(error.fila, []).append(error.mensaje)
    for fila in filas:
        if fila.numero in ilegibles:
            fila.errores = ilegibles[fila.numero]  # la vista previa los muestra en su fila
            continue
        v = fila.valores
        valor = v.get("valor") or Decimal(0)
        nombre = codigo_de(fila.avance)
        for atributo in ("valor", "comprometido", "pagado"):
            if (v.get(atributo) or 0) < 0:
                fila.errores.append(f"{nombre} · {TITULO[atributo].lower()}: debe ser mayor o igual a cero.")
        if (v.get("pagado") or 0) > (v.get("comprometido") or 0):
            fila.errores.append(f"{nombre}: lo pagado no puede superar lo comprometido.")
        if fila.errores:
            errores.extend(ErrorFila(fila.numero, e) for e in fila.errores)
            continue
        if fila.avance.actividad_id is not None:
            fila.cumplimiento = cifras.cumplimiento_actividad(valor, fila.meta, fila.avance.actividad.tendencia)
            bajo = fila.cumplimiento is not None and fila.cumplimiento < cifras.CIEN
        else:
            bajo = False  # un indicador: lo dice el servicio al guardar, con su línea base y su acumulación
        if bajo and not (v.get("justificacion") or "").strip():
            if justificacion_comun:
                comun += 1
            else:
                fila.errores.append(
                    f"{nombre}: el valor logrado ({formato.numero(valor)}) queda por debajo de lo programado "
                    f"({formato.numero(fila.meta)}); asocie la columna de la justificación o escriba una para las "
                    "filas que no la traen.")
        errores.extend(ErrorFila(fila.numero, e) for e in fila.errores)
    return comun


def vista_previa(reporte: ReporteTrimestral, contenido: bytes, mapeo: generico.Mapeo,
                 justificacion_comun: str | None = None, marcha: generico.Marcha = generico.SIN_MARCHA) -> Previa:
    """Todas las filas que se guardarían, con su ítem, su meta, su cumplimiento y sus errores; y los ítems sin fila.
    `marcha` cuenta la fila que se lee (un libro grande, en un trabajo)."""
    lectura = generico.leer_celdas(contenido, mapeo, AVANCES, marcha=marcha)
    errores = list(lectura.errores)
    if "periodo" in mapeo.columnas:
        del_periodo(lectura, reporte.trimestre, errores)
    filas, sin_fila = del_reporte(reporte, lectura, errores)
    if not filas and not errores:
        rechazar(f"Ninguna fila del libro es de un ítem de «{reporte.plan}» para el trimestre {reporte.trimestre}: "
                 "revise la hoja, la fila de títulos y la columna del código.")
    _avisar_escala(lectura, filas)
    justificadas = _validar(filas, errores, (justificacion_comun or "").strip() or None)
    return Previa(filas, lectura, sorted(errores, key=lambda e: e.fila), sin_fila, justificadas)


# --- quién y cuándo -------------------------------------------------------------------------------
def puede_traer_alguno(usuario) -> bool:
    return bool(roles_de(usuario) & (R.PLANEACION | R.CON_DEPENDENCIA))


def motivo_no_traer(usuario, reporte: ReporteTrimestral, hoy: date | None = None) -> str | None:
    """None si `usuario` puede traer ahora los avances del reporte desde un libro propio; si no, la razón.

    Lo hace el dueño del reporte (director, territorial o entidad de la dependencia) y la OAP con el de cualquier
    dependencia (carga el libro que la oficina le entrega), mientras el reporte se edita y la ventana del
    trimestre está abierta para la dependencia."""
    motivo = flujo.motivo_estado(reporte)
    if motivo:
        return motivo
    roles = roles_de(usuario)
    if not roles & R.PLANEACION:
        if not roles & R.CON_DEPENDENCIA:
            return "Solo la OAP o la dependencia dueña del reporte traen sus avances desde un libro propio."
        if usuario.dependencia_id != reporte.dependencia_id:
            return "El reporte no es de su dependencia."
    if not ventanas.abierta_para(reporte.vigencia_id, reporte.trimestre, reporte.dependencia_id, hoy):
        return (f"La ventana de reporte del trimestre {reporte.trimestre} de {reporte.vigencia} está cerrada: "
                "el trimestre es de solo lectura.")
    return None


def importar(reporte: ReporteTrimestral, contenido: bytes, mapeo: generico.Mapeo, usuario,
             justificacion_comun: str | None = None, hoy: date | None = None, archivo: str = "",
             marcha: generico.Marcha = generico.SIN_MARCHA) -> int:
    """Guarda los avances del libro en el reporte, todo o nada, y lo deja en su historial (quién, de qué libro y
    hoja); devuelve cuántos ítems. Nunca hace commit."""
    motivo = motivo_no_traer(usuario, reporte, hoy)
    if motivo:
        raise reportes.SeguimientoInvalido(motivo)
    previa = vista_previa(reporte, contenido, mapeo, justificacion_comun, marcha)
    if previa.errores:
        raise ImportacionRechazada(previa.errores)
    comun = (justificacion_comun or "").strip() or None
    errores = []
    guardado = db.session.begin_nested()
    for fila in previa.filas:
        v = fila.valores
        enlace, referencia = enlace_o_referencia(v.get("evidencia"))
        bajo = fila.cumplimiento is not None and fila.cumplimiento < cifras.CIEN
        try:
            reportes.aplicar_avance(
                fila.avance, valor=v.get("valor") or Decimal(0), avance_cualitativo=v.get("avance_cualitativo"),
                justificacion=v.get("justificacion") or (comun if bajo else None), enlace=enlace,
                comprometido=v.get("comprometido"), pagado=v.get("pagado"))
        except OperacionRechazada as error:
            errores.append(ErrorFila(fila.numero, str(error)))
            continue
        fila.avance.evidencia_referencia = referencia
    if errores:
        guardado.rollback()
        raise ImportacionRechazada(errores)
    guardado.commit()
    flujo.registrar_historial(reporte, "cargar_excel", reporte.estado, reporte.estado, usuario, (
        f"{len(previa.filas)} ítem(s) del trimestre {reporte.trimestre} desde el libro de la oficina "
        f"«{archivo[:150]}», hoja «{mapeo.hoja}»"))
    db.session.flush()
    return len(previa.filas)


def mensaje(reporte: ReporteTrimestral, guardados: int, sin_fila: int) -> str:
    return (f"Avances del trimestre {reporte.trimestre} traídos del libro de la oficina: {guardados} ítem(s)"
            + (f"; {sin_fila} sin fila en el libro quedaron como estaban" if sin_fila else "")
            + ". Revise el reporte y envíelo a la OAP cuando esté completo.")


def libro_con_errores(contenido: bytes, mapeo: generico.Mapeo, errores: list[ErrorFila]) -> tuple[bytes, str]:
    """El libro de la oficina con cada celda equivocada marcada, en sus propias columnas."""
    posicion = {t: i + 1 for i, t in enumerate(generico.titulos(contenido, mapeo.hoja, mapeo.fila_encabezado)) if t}
    columna_de = {TITULO[a]: posicion[t] for a, t in mapeo.columnas.items() if t in posicion}
    return libro_de_errores.libro_con_errores(contenido, errores, mapeo.hoja, mapeo.fila_encabezado, columna_de)
