"""Un libro (una hoja o todas) con las actividades de varias dependencias, a los Planes de Acción de cada una en
una vigencia, en una sola importación de la OAP: todo o nada, con la vista previa de cada dependencia.

La dependencia de cada fila la dice una columna (código o nombre) o el nombre de la hoja (una hoja por
dependencia). Los nombres se comparan con el catálogo sin tildes, mayúsculas, espacios ni saltos de línea
(«Secretaría de Educación\\n»), y por código; lo que no se encuentra se dice una vez, con los nombres parecidos, para
asociarlo a una dependencia existente o crearla (`catalogos_nuevos`). Todas las hojas elegidas usan el mismo
mapeo; cada una encuentra su propia fila de títulos (la que más títulos del mapeo trae) y las que no son tablas
de actividades (instrucciones, cuadros de control, vacías) se dejan fuera diciendo por qué. La lectura de cada
hoja es la del libro propio (`mapeo.leer_celdas`): una decisión por columna, filas de totales y de agrupación
omitidas y dichas; las reglas de cada plan, las de la plantilla (`actividades.importar_filas`)."""
import difflib
import re
from dataclasses import asdict, dataclass, field, replace
from itertools import takewhile
from types import SimpleNamespace

import sqlalchemy as sa
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.xml.functions import iterparse

from gestion.importacion import actividades
from gestion.importacion import catalogos_nuevos as nuevos
from gestion.importacion import columnas as por_columna
from gestion.importacion import mapeo as M
from gestion.importacion.lectura import (
    ErrorFila,
    ImportacionRechazada,
    abrir,
    celdas_de,
    filas_de,
    hoja_de,
    normalizar,
    rechazar,
    vacia,
)
from gestion.planes import campos, plan_accion
from gestion.planes.campos import Campo
from gestion.planes.consultas import catalogos
from gestion.reglas import roles as R
from gestion.reglas.permisos import AccesoDenegado, roles_de
from modelos import Actividad, Dependencia, MapeoColumnas, Plan, TipoDependencia, TipoPlan, Vigencia, ahora, db

DEPENDENCIA = Campo("dependencia", "Dependencia", campos.TEXTO, longitud=500)
# Las actividades, más la columna que nombra la dependencia de cada fila.
DESTINO = replace(M.ACTIVIDADES, campos=(*M.ACTIVIDADES.campos, DEPENDENCIA),
                  textos=M.ACTIVIDADES.textos | {"dependencia"})
VACIA = "(vacía)"


@dataclass
class Pedido:
    columnas: dict[str, str]  # atributo → título de la columna (el mismo en todas las hojas)
    hojas: list[str]  # las hojas a traer
    dependencia: str | None = None  # el título de la columna que nombra la dependencia; None: el nombre de la hoja
    filas: dict[str, int] = field(default_factory=dict)  # hoja → fila de títulos elegida (si no, se busca)
    escalas: dict[str, int] = field(default_factory=dict)
    decimales: dict[str, str] = field(default_factory=dict)
    # valor normalizado de la dependencia → qué hacer con él (usar: el código de una existente; crear)
    asignadas: dict[str, nuevos.Decision] = field(default_factory=dict)
    # (atributo, valor normalizado) → qué hacer con un valor que falta en un catálogo
    decisiones: dict[tuple[str, str], nuevos.Decision] = field(default_factory=dict)
    crear_planes: bool = False  # solicitar (en formulación) el plan de la vigencia que falte

    def como_parametros(self) -> dict:
        """El pedido en JSON, para el trabajo que importa un libro grande."""
        return {"columnas": self.columnas, "hojas": self.hojas, "dependencia": self.dependencia, "filas": self.filas,
                "escalas": self.escalas, "decimales": self.decimales, "crear_planes": self.crear_planes,
                "asignadas": {c: asdict(d) for c, d in self.asignadas.items()},
                "decisiones": [[campo, clave, asdict(d)] for (campo, clave), d in self.decisiones.items()]}

    @classmethod
    def de_parametros(cls, p: dict) -> "Pedido":
        return cls(p["columnas"], p["hojas"], p.get("dependencia"), p.get("filas") or {}, p.get("escalas") or {},
                   p.get("decimales") or {}, {c: nuevos.Decision(**d) for c, d in (p.get("asignadas") or {}).items()},
                   {(campo, clave): nuevos.Decision(**d) for campo, clave, d in p.get("decisiones") or []},
                   bool(p.get("crear_planes")))


@dataclass
class Hoja:
    nombre: str
    fila: int | None = None  # la fila de títulos
    motivo: str | None = None  # por qué se deja fuera; None si se trae
    sin_columnas: list[str] = field(default_factory=list)  # títulos del mapeo que esta hoja no tiene
    titulos: list[str] = field(default_factory=list)  # los de su fila de títulos, como los escribe
    filas: int = 0
    omitidas: list[tuple[int, str]] = field(default_factory=list)
    heredadas: dict[str, int] = field(default_factory=dict)  # título → celdas que toman el valor de su combinada


@dataclass
class SinDependencia:
    """Un valor de la columna de dependencia (o un nombre de hoja) que no está en el catálogo."""

    valor: str  # como lo escribe el libro; «(vacía)» por las filas que no dicen su dependencia
    clave: str  # normalizado: con esto se decide
    filas: int
    sugerencias: list[Dependencia]


@dataclass
class PorDependencia:
    valor: str  # como lo escribe el libro (el primero visto)
    dependencia: Dependencia | None  # None: se crea con la importación
    plan: Plan | None
    accion: str  # qué le pasa: se importa en su plan, se solicita su plan, o por qué no se puede
    bloqueada: bool
    filas: list[tuple[str, int, dict]] = field(default_factory=list)  # (hoja, fila, {atributo: valor})
    errores: list[ErrorFila] = field(default_factory=list)
    por_borrar: list[actividades.PorBorrar] = field(default_factory=list)

    @property
    def nombre(self) -> str:
        return self.dependencia.nombre if self.dependencia else " ".join(self.valor.split())


@dataclass
class Previa:
    hojas: list[Hoja]
    dependencias: list[PorDependencia]
    sin_dependencia: list[SinDependencia]
    faltantes: list[nuevos.Faltante]
    bloqueos: list[str]  # lo que impide importar y no es de una fila
    errores: list[ErrorFila]  # de todas las filas, y uno por cada valor sin decidir
    huella: str  # la de las actividades que se borrarían

    @property
    def importable(self) -> bool:
        return not self.bloqueos and not self.errores


# --- permisos ----------------------------------------------------------------------------------
def puede_repartir(usuario) -> bool:
    """Solo la OAP trae a la vez los planes de varias dependencias (cada director trae el suyo)."""
    return bool(roles_de(usuario) & R.PLANEACION)


def exigir_repartir(usuario) -> None:
    if not puede_repartir(usuario):
        raise AccesoDenegado("Solo la Oficina Asesora de Planeación trae a la vez los planes de varias dependencias.")


# --- las hojas ---------------------------------------------------------------------------------
PARECIDO_DE_TITULO = 0.85


def _palabras(titulo: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", titulo)


def encontrar(buscado: str, titulos: list[str]) -> str | None:
    """El título de la fila que es el buscado (normalizados) o, si no está, el único muy parecido o el único que
    empieza con las mismas palabras: las ediciones de un libro cambian una letra («Actividaes») o alargan un
    título («Producto» y «Producto/accion»)."""
    if buscado in titulos:
        return buscado
    otros = [t for t in titulos if t]
    parecidos = difflib.get_close_matches(buscado, otros, n=2, cutoff=PARECIDO_DE_TITULO)
    if len(parecidos) == 1:
        return parecidos[0]
    palabras = _palabras(buscado)
    prefijos = [t for t in otros if palabras and _palabras(t) and (_palabras(t)[:len(palabras)] == palabras
                                                                   or palabras[:len(_palabras(t))] == _palabras(t))]
    return prefijos[0] if len(prefijos) == 1 else None


def _buscados(pedido: Pedido) -> dict[str, str]:
    """Título normalizado → atributo, de las columnas del mapeo y de la de dependencia."""
    buscados = {normalizar(t): a for a, t in pedido.columnas.items()}
    if pedido.dependencia:
        buscados[normalizar(pedido.dependencia)] = "dependencia"
    return buscados


def revisar_hojas(contenido: bytes, pedido: Pedido) -> list[Hoja]:
    """Cada hoja elegida con su fila de títulos (la que más títulos del mapeo trae entre las primeras, o la
    elegida) y, si no es una tabla de actividades, por qué se deja fuera."""
    buscados = _buscados(pedido)
    necesarios = {normalizar(pedido.columnas[a]) for a in DESTINO.obligatorios if a in pedido.columnas}
    if pedido.dependencia:
        necesarios.add(normalizar(pedido.dependencia))
    resultado = []
    with abrir(contenido) as libro:
        for nombre in pedido.hojas:
            hoja = Hoja(nombre)
            resultado.append(hoja)
            crudas = dict(takewhile(lambda fila: fila[0] <= M.FILAS_PARA_BUSCAR_TITULOS,
                                    filas_de(hoja_de(libro, nombre))))
            primeras = [(n, [normalizar(t) for t in M._unicos(v, crudas.get(n - 1))]) for n, v in crudas.items()]
            if all(vacia(t) for _, t in primeras):
                hoja.motivo = "está vacía"
                continue
            elegida = pedido.filas.get(nombre)
            numero, titulos = max(primeras, key=lambda p: (p[0] == elegida, sum(encontrar(b, p[1]) is not None
                                                                                for b in buscados), -p[0]))
            faltan = {n for n in necesarios if encontrar(n, titulos) is None}
            if faltan:
                nombres = ", ".join(f"«{t}»" for t in [pedido.columnas.get(a, pedido.dependencia)
                                                       for n, a in buscados.items() if n in faltan])
                hoja.motivo = (f"no tiene en sus primeras {M.FILAS_PARA_BUSCAR_TITULOS} filas los títulos {nombres}: "
                               "no es una tabla de actividades (instrucciones, un cuadro de control u otro formato)")
                continue
            hoja.fila, hoja.titulos = numero, M._unicos(crudas[numero], crudas.get(numero - 1))
            hoja.sin_columnas = [pedido.columnas[a] for n, a in buscados.items()
                                 if encontrar(n, titulos) is None and a != "dependencia"]
    return resultado


def hoja_modelo(contenido: bytes, hojas: list[str]) -> tuple[str, int]:
    """La hoja (y su fila de títulos) de la que se toman los títulos del mapeo: la que más títulos trae, no las
    instrucciones que suelen ir primero."""
    mejor = (hojas[0], 1, -1)
    with abrir(contenido) as libro:
        for nombre in hojas:
            for numero, valores in takewhile(lambda fila: fila[0] <= M.FILAS_PARA_BUSCAR_TITULOS,
                                             filas_de(hoja_de(libro, nombre))):
                if M._textos(valores) > mejor[2]:
                    mejor = (nombre, numero, M._textos(valores))
    return mejor[0], mejor[1]


def _mapeo_de(hoja: Hoja, pedido: Pedido) -> M.Mapeo:
    """El mapeo del pedido con los títulos como los escribe esta hoja («Fuente de verificación» o «…verificacion»)."""
    propios = {normalizar(t): t for t in hoja.titulos if t}
    columnas = {a: propios[hallado] for n, a in _buscados(pedido).items()
                if (hallado := encontrar(n, list(propios))) is not None}
    return M.Mapeo(hoja.nombre, hoja.fila, columnas, pedido.escalas, pedido.decimales)


def _leer(contenido: bytes, hojas: list[Hoja], pedido: Pedido) -> tuple[list[tuple[str, int, dict]], list]:
    filas, errores = [], []
    with abrir(contenido) as libro:
        lecturas = [(hoja, M.leer_celdas(contenido, _mapeo_de(hoja, pedido), DESTINO, libro))
                    for hoja in hojas if not hoja.motivo]
        for hoja, lectura in lecturas:
            _heredar(hoja, lectura, libro)
    for hoja, lectura in lecturas:
        hoja.filas, hoja.omitidas = len(lectura.filas), lectura.omitidas
        if not lectura.filas:
            hoja.motivo = "no tiene filas de actividades bajo los títulos"
        errores += [ErrorFila(e.fila, f"(hoja «{hoja.nombre}») {e.mensaje}", e.columna) for e in lectura.errores]
        for numero, valores in lectura.filas:
            if not pedido.dependencia:
                valores["dependencia"] = hoja.nombre
            filas.append((hoja.nombre, numero, valores))
    return filas, errores


COMBINADA = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"


def combinadas(hoja) -> list[tuple[int, int, int, int]]:
    """Los rangos combinados de varias filas de la hoja (columna inicial, fila inicial, columna final, fila final):
    el modo de solo lectura de openpyxl no los da; van al final del XML de la hoja."""
    rangos = []
    with hoja._get_source() as fuente:
        for _, elemento in iterparse(fuente, events=("end",)):
            if elemento.tag == COMBINADA:
                rango = range_boundaries(elemento.get("ref"))
                if rango[3] > rango[1]:
                    rangos.append(rango)
            elemento.clear()
    return rangos


def _heredar(hoja: Hoja, lectura: M.Lectura, libro) -> None:
    """Una celda de texto combinada con las de abajo (la estrategia de un grupo de indicadores, A7:A26) vale para
    cada fila que cubre, como se ve en Excel: sus filas la heredan (se dice cuántas), aunque la primera fila del
    grupo se haya omitido. Solo dentro de la combinación: una celda vacía fuera de ella sigue vacía. Los números no
    se reparten (se sumarían de más)."""
    textos = {column_index_from_string(c.letra): c for c in lectura.columnas if not c.campo.numerico}
    rangos = [(indice, r) for r in combinadas(hoja_de(libro, hoja.nombre))
              for indice in textos if r[0] <= indice <= r[2]]
    if not rangos:
        return
    # Los valores de la primera celda de cada combinación, en una pasada que termina en la última que hace falta.
    buscadas = {(r[1], indice) for indice, r in rangos}
    arriba = {}
    for numero, celdas in celdas_de(hoja_de(libro, hoja.nombre), min(f for f, _ in buscadas)):
        if numero > max(f for f, _ in buscadas):
            break
        for fila, indice in buscadas:
            if fila == numero and indice <= len(celdas):
                try:
                    arriba[(fila, indice)] = por_columna.texto(textos[indice], por_columna.cruda(celdas[indice - 1]),
                                                               textos[indice].campo.nombre in DESTINO.codigos)
                except por_columna.CeldaInvalida:
                    continue
    por_fila = dict(lectura.filas)
    for indice, (_, fila_ini, _, fila_fin) in rangos:
        valor, columna = arriba.get((fila_ini, indice)), textos[indice]
        if not valor:
            continue
        for numero in range(fila_ini + 1, fila_fin + 1):
            if numero in por_fila and not por_fila[numero].get(columna.campo.nombre):
                por_fila[numero][columna.campo.nombre] = valor
                hoja.heredadas[columna.titulo] = hoja.heredadas.get(columna.titulo, 0) + 1


# --- las dependencias --------------------------------------------------------------------------
def _catalogo_de_dependencias() -> list[Dependencia]:
    return list(db.session.scalars(sa.select(Dependencia).where(Dependencia.activa).order_by(Dependencia.nombre)))


def _parecidas(valor: str, todas: list[Dependencia]) -> list[Dependencia]:
    """Las de nombre más parecido; primero las que contienen el valor o están contenidas en él."""
    buscado = normalizar(valor)
    por_nombre = {normalizar(d.nombre): d for d in todas}
    contenidas = [d for n, d in por_nombre.items() if n and (n in buscado or buscado in n)]
    cercanas = [por_nombre[n] for n in difflib.get_close_matches(buscado, list(por_nombre), n=3, cutoff=0.6)]
    return list(dict.fromkeys(contenidas + cercanas))[:3]


# Cómo llaman los libros a la columna de la dependencia, de la más a la menos segura.
TITULOS_DE_DEPENDENCIA = (("nombre", "dependencia"), ("dependencia",), ("responsable",), ("area",), ("secretaria",),
                          ("oficina",))


def sugerir_dependencia(titulos: list[str]) -> str | None:
    """La columna que más probablemente nombra la dependencia de cada fila («Nombre Dependencia Responsable»,
    «Dependencia», «Responsable», «Área»); None si ninguna: la dependencia sale del nombre de la hoja."""
    for palabras in TITULOS_DE_DEPENDENCIA:
        for titulo in titulos:
            if titulo and set(palabras) <= set(_palabras(normalizar(titulo))):
                return titulo
    return None


def emparejar(valores: list[str], pedido: Pedido) -> tuple[dict[str, Dependencia | None], list[SinDependencia]]:
    """Valor normalizado → su dependencia (por nombre o código, o la que la OAP eligió; None si se crea), y los
    que faltan decidir. Un valor vacío también se decide (las filas sin dependencia)."""
    todas = _catalogo_de_dependencias()
    por_clave = {normalizar(d.nombre): d for d in todas} | {normalizar(d.codigo): d for d in todas}
    por_codigo = {d.codigo.upper(): d for d in todas}
    cuantas: dict[str, list[str]] = {}
    for valor in valores:
        cuantas.setdefault(normalizar(valor), []).append(valor)
    emparejadas, sin = {}, []
    for clave, vistos in cuantas.items():
        decision = pedido.asignadas.get(clave)
        if decision is not None and decision.usar and decision.usar.upper() in por_codigo:
            emparejadas[clave] = por_codigo[decision.usar.upper()]
        elif decision is not None and decision.crear:
            emparejadas[clave] = None
        elif clave and clave in por_clave:
            emparejadas[clave] = por_clave[clave]
        else:
            sin.append(SinDependencia(vistos[0] or VACIA, clave, len(vistos), _parecidas(vistos[0], todas) if clave else []))
    return emparejadas, sin


def _plan_de(vigencia: Vigencia, dependencia_id: int) -> Plan | None:
    return db.session.scalar(sa.select(Plan).where(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia.id,
                                                   Plan.dependencia_id == dependencia_id))


def _accion(vigencia: Vigencia, dependencia: Dependencia | None, plan: Plan | None, pedido: Pedido,
            usuario) -> tuple[str, bool]:
    """Qué le pasa a la dependencia con la importación y si eso la bloquea."""
    if plan is not None:
        motivo = M.motivo_no_traer(usuario, plan)
        return (motivo, True) if motivo else (f"Se importa en «{plan}» ({plan.estado.etiqueta.lower()}).", False)
    nueva = "se crea en el catálogo y " if dependencia is None else ""
    if dependencia is not None and dependencia.tipo is not TipoDependencia.CENTRAL:
        return (f"Es {dependencia.tipo.etiqueta.lower()}: no formula Plan de Acción (solo las dependencias del nivel "
                "central); asocie sus filas a la dependencia que la tiene a cargo o quítelas del libro.", True)
    if pedido.crear_planes:
        return f"La dependencia {nueva}se le solicita el Plan de Acción {vigencia.anio}, en borrador, con estas actividades.", False
    return (f"No tiene Plan de Acción {vigencia.anio}: solicítelo (marque «Solicitar los planes que falten») o quite "
            "sus filas del libro.", True)


# --- vista previa e importación ----------------------------------------------------------------
def _validos(vigencia: Vigencia):
    """Los catálogos que valen para el plan de cada dependencia (los proyectos son de la dependencia); el plan
    puede no existir aún (se solicita al importar): basta su vigencia y su dependencia."""
    hechos = {}

    def de(dependencia_id):
        if dependencia_id not in hechos:
            hechos[dependencia_id] = catalogos(SimpleNamespace(vigencia=vigencia, dependencia_id=dependencia_id))
        return hechos[dependencia_id]
    return de


def _codigo_resuelto(faltante: nuevos.Faltante, decision: nuevos.Decision | None, crear: bool, usuario) -> str | None:
    """El código que las filas citan en lugar del valor que falta: el elegido, el creado (al importar) o ninguno."""
    if decision is None:
        return None
    if decision.usar:
        return decision.usar
    if decision.crear and faltante.creable:
        return nuevos.crear(faltante, decision, usuario) if crear else None
    return None


def _al_validador(valores: dict) -> dict:
    """{atributo: valor} como las filas de la plantilla ({título normalizado: valor}) para su validador."""
    titulo = {a: normalizar(t) for a, t in M.ACTIVIDADES.titulo.items()}
    return {titulo[a]: v for a, v in valores.items() if a in titulo}


def _preparar(contenido: bytes, vigencia: Vigencia, pedido: Pedido, usuario, importando: bool) -> Previa:
    """Todo lo de la vista previa; al importar, además crea lo que la OAP confirmó (dependencias, planes y
    valores de catálogo), en la transacción de la importación."""
    exigir_repartir(usuario)
    if not pedido.hojas:
        rechazar("Elija al menos una hoja del libro.")
    faltan = [M.ACTIVIDADES.titulo[a] for a in M.ACTIVIDADES.obligatorios if a not in pedido.columnas]
    if faltan:
        raise M.CampoSinColumna(f"Asocie una columna a: {', '.join(faltan)}.")
    hojas = revisar_hojas(contenido, pedido)
    filas, errores = _leer(contenido, hojas, pedido)
    emparejadas, sin = emparejar([str(v.get("dependencia") or "") for _, _, v in filas], pedido)
    bloqueos = [f"«{s.valor}» ({s.filas} fila(s)) no es una dependencia del catálogo: asóciela a una o créela."
                for s in sin]

    grupos: dict[str, PorDependencia] = {}
    creadas: dict[str, Dependencia] = {}
    sin_decidir = []
    for hoja, numero, valores in filas:
        escrito = str(valores.pop("dependencia", None) or "")
        clave = normalizar(escrito)
        if clave not in emparejadas:  # sin decidir: sus valores de catálogo igual se revisan, todos de una vez
            sin_decidir.append((hoja, numero, None, valores))
            continue
        dependencia = emparejadas[clave]
        if dependencia is None and importando:
            if clave not in creadas:
                creadas[clave] = nuevos.crear_dependencia(escrito, pedido.asignadas[clave], usuario)
            dependencia = creadas[clave]
        llave = f"d{dependencia.id}" if dependencia is not None else f"n{clave}"
        if llave not in grupos:
            plan = _plan_de(vigencia, dependencia.id) if dependencia is not None else None
            accion, bloqueada = _accion(vigencia, dependencia, plan, pedido, usuario)
            grupos[llave] = PorDependencia(escrito, dependencia, plan, accion, bloqueada)
        grupos[llave].filas.append((hoja, numero, valores))
    bloqueos += [f"{g.nombre}: {g.accion}" for g in grupos.values() if g.bloqueada]

    # Los valores que faltan en los catálogos, una vez cada uno.
    validos_de = _validos(vigencia)
    faltantes = nuevos.revisar([(h, n, g.dependencia.id if g.dependencia else None, v)
                                for g in grupos.values() for h, n, v in g.filas] + sin_decidir, validos_de)
    reemplazos = {}
    for faltante in faltantes:
        decision = pedido.decisiones.get((faltante.campo, faltante.clave))
        error = nuevos.sin_decidir(faltante, decision)
        if error:
            errores.append(error)
        reemplazos[(faltante.campo, faltante.clave)] = _codigo_resuelto(faltante, decision, importando, usuario)

    if importando:
        for grupo in grupos.values():
            if grupo.plan is None and not grupo.bloqueada:
                (resultado,) = plan_accion.solicitar(vigencia, [grupo.dependencia], usuario)
                grupo.plan = resultado.objeto
    for grupo in grupos.values():
        _validar(grupo, vigencia, pedido, reemplazos)
        errores += grupo.errores
    errores.sort(key=lambda e: e.fila)
    borrados = [f"{g.dependencia.id}:{p.codigo}" for g in grupos.values() for p in g.por_borrar]
    return Previa(hojas, sorted(grupos.values(), key=lambda g: g.nombre), sin, faltantes, bloqueos, errores,
                  M.huella_de(borrados))


def _validar(grupo: PorDependencia, vigencia: Vigencia, pedido: Pedido, reemplazos: dict) -> None:
    """Las filas de la dependencia con las reglas de la plantilla, hoja por hoja (cada error dice su hoja); sin
    columna de código, cada fila es una actividad nueva con un código que el plan no tiene."""
    plan = grupo.plan or SimpleNamespace(vigencia=vigencia, dependencia_id=grupo.dependencia.id
                                         if grupo.dependencia else None)
    existentes = set(db.session.scalars(sa.select(Actividad.codigo).where(Actividad.plan_id == grupo.plan.id))) \
        if grupo.plan is not None else set()
    nuevos_codigos = M.codigos_nuevos(existentes) if "codigo" not in pedido.columnas else None
    por_hoja: dict[str, list[tuple[int, dict]]] = {}
    for hoja, numero, valores in grupo.filas:
        for campo in nuevos.CATALOGO:
            if valores.get(campo) and (campo, normalizar(valores[campo])) in reemplazos:
                valores[campo] = reemplazos[(campo, normalizar(valores[campo]))]
        if nuevos_codigos is not None:
            valores["codigo"] = next(nuevos_codigos)
        por_hoja.setdefault(hoja, []).append((numero, _al_validador(valores)))
    vistos: dict[str, tuple[str, int]] = {}
    for hoja, filas in por_hoja.items():  # una validación por hoja: cada error dice la suya
        leidas, errores = actividades.validar_filas(plan, filas)
        grupo.errores += [ErrorFila(e.fila, f"(hoja «{hoja}», {grupo.nombre}) {e.mensaje}", e.columna)
                          for e in errores]
        for (numero, _), datos in zip(filas, leidas, strict=True):
            codigo = datos["codigo"]
            if codigo and codigo in vistos and vistos[codigo][0] != hoja:
                grupo.errores.append(ErrorFila(numero, f"(hoja «{hoja}», {grupo.nombre}) el código «{codigo}» ya está "
                                                       f"en la fila {vistos[codigo][1]} de «{vistos[codigo][0]}».",
                                               "Código"))
            vistos.setdefault(codigo, (hoja, numero))
    if grupo.plan is not None and grupo.plan.id is not None:
        grupo.por_borrar = actividades.por_borrar(grupo.plan, set(vistos))


def vista_previa(contenido: bytes, vigencia: Vigencia, pedido: Pedido, usuario) -> Previa:
    """Cada hoja (traída o dejada fuera, y por qué), cada dependencia con su plan y lo que le pasa, los valores
    que faltan en los catálogos y todos los errores. No escribe nada."""
    return _preparar(contenido, vigencia, pedido, usuario, importando=False)


@dataclass
class Reparto:
    cargas: list[tuple[Plan, actividades.Carga]]
    creadas: list[str]  # lo que se creó en los catálogos y los planes solicitados

    def mensaje(self) -> str:
        total = sum(c.cargadas for _, c in self.cargas)
        texto = f"{total} actividades importadas en {len(self.cargas)} planes de acción."
        return texto + (f" Se crearon: {'; '.join(self.creadas[:10])}." if self.creadas else "")


def importar(contenido: bytes, vigencia: Vigencia, pedido: Pedido, usuario, huella_borrado: str | None = None
             ) -> Reparto:
    """Todo o nada: crea lo confirmado, valida todas las filas de todas las dependencias y, sin un error, reemplaza
    las actividades de cada plan. Quien llama confirma la transacción (y la deshace si esto lanza)."""
    antes = {d.id for d in _catalogo_de_dependencias()}
    previa = _preparar(contenido, vigencia, pedido, usuario, importando=True)
    if previa.bloqueos or previa.errores:
        raise ImportacionRechazada(previa.bloqueos + previa.errores)
    por_borrar = [f"{g.dependencia.id}:{p.codigo}" for g in previa.dependencias for p in g.por_borrar]
    if por_borrar and huella_borrado != M.huella_de(por_borrar):
        raise actividades.BorradoSinConfirmar(por_borrar)
    cargas = []
    for grupo in previa.dependencias:
        filas = [(numero, _al_validador(valores)) for _, numero, valores in grupo.filas]
        confirmados = {p.codigo for p in grupo.por_borrar}
        cargas.append((grupo.plan, actividades.importar_filas(
            grupo.plan, filas, usuario, origen="el libro de la oficina (varias dependencias)",
            exigir=M.exigir_traer, borrar=confirmados)))
    creadas = [f"dependencia {g.nombre}" for g in previa.dependencias if g.dependencia.id not in antes]
    creadas += [f"{f.etiqueta.lower()} «{f.valor}»" for f in previa.faltantes
                if (d := pedido.decisiones.get((f.campo, f.clave))) and d.crear]
    return Reparto(cargas, creadas)


# --- mapeo guardado de la OAP -------------------------------------------------------------------
def guardar_mapeo(nombre: str, contenido: bytes, hoja: Hoja, pedido: Pedido, usuario) -> MapeoColumnas:
    """El mapeo de la OAP para este formato de libro (lo encuentra la huella de sus títulos, en cualquier
    dependencia), con la columna de dependencia y las hojas."""
    exigir_repartir(usuario)
    mapeo = M.Mapeo(hoja.nombre, hoja.fila, dict(pedido.columnas), pedido.escalas, pedido.decimales)
    guardado = M.guardar_mapeo(SimpleNamespace(dependencia_id=usuario.dependencia_id), nombre, mapeo, usuario,
                               contenido, M.DE_VARIAS)
    guardado.opciones = {**(guardado.opciones or {}), "dependencia": pedido.dependencia, "hojas": list(pedido.hojas)}
    guardado.actualizado_en = ahora()
    db.session.flush()
    return guardado
