"""Las cifras guardadas del tablero y los inicios (`modelos.agregados`): el tablero y los inicios no recorren
actividades por petición, leen aquí lo que `cifras` calcula fila por fila y se guardó.

Por (plan vigente, dependencia que responde, objetivo, parte territorial o no) y trimestre se guardan las
sumas de `ponderado` en enteros: Σ peso × 100 y Σ peso × min(cumplimiento, 100) × 10.000 (el peso y el
cumplimiento tienen dos decimales). Dividirlas da el mismo Decimal que `ponderado` sobre las filas.
Un cambio de reporte, avance, actividad, meta territorial o plan marca su dependencia dueña como pendiente
(tras cada flush y antes de cada sentencia masiva; los manejadores los registra `gestion.eventos`); los
servicios del seguimiento la recalculan al aceptar, devolver o enviar, y quien lee recalcula lo que quede
pendiente antes de leer. `flask --app wsgi gestion cifras` lo rehace todo. Este módulo importa `cifras`;
`cifras` no lo importa.
"""
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa

from gestion.base import formato
from gestion.base.tocado import Tocado, de_sentencia, del_flush
from gestion.reglas.permisos import VER, puede
from gestion.seguimiento import calidad_guardada
from gestion.seguimiento.cifras import (
    ESTADOS_CONTADOS,
    FilaAgregada,
    _colorear,
    _limite,
    _Periodo,
    _redondear,
    agrupar_integradas,
    filas_actividades,
    filas_indicadores,
    integraciones,
    margen_coherencia,
    periodo_por_defecto,
    semaforo,
    topado,
    umbrales,
)
from modelos import (
    Actividad,
    AlertaCoherencia,
    Avance,
    CifraAgregada,
    CifraIntegrada,
    CifraPendiente,
    CifraVigencia,
    ColorSemaforo,
    Dependencia,
    EstadoReporte,
    MetaTerritorial,
    Objetivo,
    Plan,
    PlanInstitucional,
    ReporteTrimestral,
    TipoPlan,
    VentanaReporte,
    Vigencia,
    confirmar_sin_expirar,
    db,
)

ESCALA_PESO = 100
ESCALA_SUMA = 10_000


def _entero(valor: Decimal, escala: int) -> int:
    escalado = Decimal(valor) * escala
    entero = int(escalado)
    if entero != escalado:  # el peso y el cumplimiento tienen dos decimales: nunca debería pasar
        raise ValueError(f"{valor} no cabe en la escala {escala}")
    return entero


def _sumas(pares) -> tuple[int, int]:
    peso_total = suma = 0
    for peso, valor in pares:
        if valor is None:
            continue
        peso_total += _entero(peso, ESCALA_PESO)
        suma += _entero(Decimal(peso) * topado(valor), ESCALA_SUMA)
    return peso_total, suma


def _avance(peso_total, suma) -> Decimal | None:
    """`ponderado` a partir de las sumas guardadas."""
    peso_total, suma = int(peso_total or 0), int(suma or 0)
    if peso_total <= 0:
        return None
    return _redondear((Decimal(suma) / ESCALA_SUMA) / (Decimal(peso_total) / ESCALA_PESO))


def _filas_guardadas(vigencia: Vigencia, duenas, tabla, margen) -> tuple[list[dict], list[dict], list[dict]]:
    agregadas, alertas, integradas = [], [], []
    por_actividad, _ = integraciones(vigencia.id)
    for trimestre in range(1, 5):
        filas, estados = filas_actividades(vigencia, trimestre, duenas=duenas)
        _colorear(filas, tabla, margen)
        grupos = defaultdict(list)
        for orden, fila in enumerate(filas):
            grupos[(fila.dependencia_plan_id, fila.plan_id, fila.dependencia_id, fila.objetivo_id,
                    fila.de_territorial)].append(fila)
            if fila.incoherente:
                alertas.append(dict(vigencia_id=vigencia.id, trimestre=trimestre, duena_id=fila.dependencia_plan_id,
                                    orden=orden, dependencia_id=fila.dependencia_id, codigo=fila.codigo,
                                    ejecucion=_entero(fila.ejecucion_presupuestal, ESCALA_PESO),
                                    avance_fisico=_entero(fila.avance_fisico, ESCALA_PESO)))
        for (duena, plan_id, dep_id, objetivo_id, territorial), propias in grupos.items():
            contadas = [f for f in propias if f.reportado]
            peso_t, suma_t = _sumas((f.peso, f.cumplimiento_trimestre) for f in contadas)
            peso_a, suma_a = _sumas((f.peso, f.cumplimiento_acumulado) for f in contadas)
            estado, enviado = estados.get((plan_id, dep_id), (None, None))
            agregadas.append(dict(
                vigencia_id=vigencia.id, trimestre=trimestre, duena_id=duena, plan_id=plan_id, dependencia_id=dep_id,
                objetivo_id=objetivo_id, territorial=territorial, actividades=len(propias),
                peso_trimestre=peso_t, suma_trimestre=suma_t, peso_acumulado=peso_a, suma_acumulado=suma_a,
                incoherentes=sum(1 for f in propias if f.incoherente), estado_reporte=estado, enviado_en=enviado))
        # Cada actividad una vez por plan integrado (la fila de quien la definió, no la de cada DT), por dueña.
        por_duena = defaultdict(list)
        for fila in filas:
            if not fila.de_territorial:
                por_duena[fila.dependencia_plan_id].append(fila)
        for duena, propias_duena in por_duena.items():
            for plan_institucional_id, propias in agrupar_integradas(propias_duena, por_actividad).items():
                contadas = [f for f in propias if f.reportado]
                peso_t, suma_t = _sumas((f.peso, f.cumplimiento_trimestre) for f in contadas)
                peso_a, suma_a = _sumas((f.peso, f.cumplimiento_acumulado) for f in contadas)
                integradas.append(dict(
                    vigencia_id=vigencia.id, trimestre=trimestre, duena_id=duena,
                    plan_institucional_id=plan_institucional_id, actividades=len(propias), peso_trimestre=peso_t,
                    suma_trimestre=suma_t, peso_acumulado=peso_a, suma_acumulado=suma_a,
                    incoherentes=sum(1 for f in propias if f.incoherente)))
    return agregadas, alertas, integradas


def recalcular(vigencia: Vigencia, duenas=None, pendientes=None) -> None:
    """Rehace las cifras guardadas de la vigencia (con `duenas`, solo las de los planes de esas
    dependencias) y borra las marcas `pendientes` (ids) que atiende. No confirma la transacción."""
    margen = margen_coherencia()
    # La fila de la vigencia se bloquea: dos peticiones no rehacen a la vez las mismas cifras (PostgreSQL).
    guardado = db.session.scalar(sa.select(CifraVigencia.margen).where(CifraVigencia.vigencia_id == vigencia.id)
                                 .with_for_update())
    if duenas is not None and (guardado is None or Decimal(guardado) != margen):
        duenas = None  # nunca calculada o con otro margen: toda la vigencia
    agregadas, alertas, integradas = _filas_guardadas(vigencia, duenas, umbrales(), margen)
    for modelo in (CifraAgregada, AlertaCoherencia, CifraIntegrada):
        borrar = sa.delete(modelo).where(modelo.vigencia_id == vigencia.id)
        if duenas is not None:
            borrar = borrar.where(modelo.duena_id.in_(duenas))
        db.session.execute(borrar)
    if agregadas:
        db.session.execute(sa.insert(CifraAgregada), agregadas)
    if alertas:
        db.session.execute(sa.insert(AlertaCoherencia), alertas)
    if integradas:
        db.session.execute(sa.insert(CifraIntegrada), integradas)
    calidad_guardada.recalcular(vigencia.id, duenas)
    borrar = sa.delete(CifraPendiente).where(CifraPendiente.vigencia_id == vigencia.id)
    if duenas is not None:
        borrar = borrar.where(CifraPendiente.id.in_(pendientes or [-1]))
    db.session.execute(borrar)
    momento = datetime.now(timezone.utc)
    if guardado is None:
        db.session.execute(sa.insert(CifraVigencia).values(vigencia_id=vigencia.id, margen=margen,
                                                           calculada_en=momento))
    else:
        db.session.execute(sa.update(CifraVigencia).where(CifraVigencia.vigencia_id == vigencia.id)
                           .values(margen=margen, calculada_en=momento))


@lru_cache(maxsize=1)
def _consulta_pendientes():
    """El margen con que se calculó la vigencia «vigencia_id» y sus marcas pendientes (se arma una vez: ver
    `_del_ambito`)."""
    vigencia_id = sa.bindparam("vigencia_id")
    return (sa.select(CifraVigencia.margen, sa.null(), sa.null()).where(CifraVigencia.vigencia_id == vigencia_id)
            .union_all(sa.select(sa.null(), CifraPendiente.id, CifraPendiente.dependencia_id)
                       .where(CifraPendiente.vigencia_id == vigencia_id)))


def _pendientes(vigencia_id: int) -> tuple[Decimal | None, list[tuple[int, int]]]:
    filas = db.session.execute(_consulta_pendientes(), {"vigencia_id": vigencia_id}).all()
    margen = next((Decimal(m) for m, i, _ in filas if i is None and m is not None), None)
    return margen, [(i, d) for _, i, d in filas if i is not None]


def al_dia(vigencia: Vigencia, confirmar: bool = True) -> None:
    """Recalcula lo que esté pendiente de la vigencia (o toda, si nunca se calculó o cambió el margen)."""
    margen, pendientes = _pendientes(vigencia.id)
    if margen is not None and margen == margen_coherencia() and not pendientes:
        return
    try:
        with db.session.begin_nested():
            if margen is None or margen != margen_coherencia():
                recalcular(vigencia)
            else:
                recalcular(vigencia, {d for _, d in pendientes}, [i for i, _ in pendientes])
    except sa.exc.IntegrityError:
        # Dos lecturas calcularon a la vez una vigencia nunca calculada (no hay fila que bloquear): la otra ya
        # guardó las mismas cifras; esta deshace las suyas y lee aquellas, sin un 409 en una página que solo lee.
        pass
    if confirmar:
        # Sin expirar lo ya cargado: la página que lee el tablero no vuelve a pedir fila por fila sus objetos.
        confirmar_sin_expirar()


def actualizar_si_calculada(vigencia_id: int) -> None:
    """Para los servicios: recalcula ya lo pendiente de una vigencia cuyas cifras ya están guardadas (una
    vigencia nunca calculada se calcula entera la primera vez que alguien la lee)."""
    db.session.flush()
    margen, pendientes = _pendientes(vigencia_id)
    if margen is not None and pendientes:
        recalcular(db.session.get(Vigencia, vigencia_id), {d for _, d in pendientes}, [i for i, _ in pendientes])


def _marcar(tocado: Tocado) -> None:
    """Las dependencias dueñas de los planes cuyas cifras pudieron cambiar con lo que tocó un flush o una sentencia
    masiva, marcadas como pendientes."""
    planes = (tocado.valores(Plan, "id") | tocado.valores(ReporteTrimestral, "plan_id")
              | tocado.valores(Actividad, "plan_id"))
    reportes, actividades = tocado.valores(Avance, "reporte_id"), tocado.valores(MetaTerritorial, "actividad_id")
    if not (planes or reportes or actividades):
        return
    conexion = tocado.sesion.connection()
    if reportes:
        planes |= set(conexion.scalars(sa.select(ReporteTrimestral.plan_id).where(ReporteTrimestral.id.in_(reportes))))
    if actividades:
        planes |= set(conexion.scalars(sa.select(Actividad.plan_id).where(Actividad.id.in_(actividades))))
    duenas = conexion.execute(sa.select(Plan.vigencia_id, Plan.dependencia_id).distinct().where(
        Plan.id.in_(planes), Plan.tipo == TipoPlan.PA, Plan.vigencia_id.is_not(None))).all()
    if duenas:
        conexion.execute(sa.insert(CifraPendiente), [dict(vigencia_id=v, dependencia_id=d) for v, d in duenas])


# Los manejadores (los registra gestion.eventos).
def _marcar_pendientes(session, contexto) -> None:
    """after_flush: lo que el flush tocó."""
    _marcar(del_flush(session, contexto))


def _marcar_pendientes_de_sentencia(estado) -> None:
    """do_orm_execute: lo que toca un INSERT, UPDATE o DELETE masivo, antes de que corra (no pasa por el flush)."""
    tocado = de_sentencia(estado)
    if tocado is not None:
        _marcar(tocado)


# --- lectura de las cifras guardadas ----------------------------------------------------------
@dataclass
class Alerta:
    dependencia: str
    codigo: str
    ejecucion_presupuestal: Decimal
    avance_fisico: Decimal


@dataclass
class Resumen(_Periodo):
    """Lo que muestran el tablero y los inicios, leído de las cifras guardadas: mismas cifras que `cuadro`."""

    vigencia: Vigencia
    trimestre: int
    ventana: VentanaReporte | None
    dependencias: list
    objetivos: list
    indicadores: list
    total: FilaAgregada
    incoherentes: list
    margen: Decimal
    hoy: date
    tendencia: "Trayectoria | None" = None  # la del conjunto, T1 a T4
    limite: object = False  # la dependencia a la que se limita el usuario (False: todas)
    integrados: list = field(default_factory=list)  # Trayectoria T1–T4 de cada plan institucional integrado
    tabla: list = field(default_factory=list)  # los umbrales del semáforo con que se leyó (no se piden de nuevo)
    cuantas_incoherentes: int = 0  # todas las alertas, aunque `incoherentes` traiga solo las primeras

    def dependencia(self, clave: int) -> FilaAgregada | None:
        """La fila de una dependencia que el usuario ve (el detalle del tablero), sin armar las demás."""
        filas = _dependencias_guardadas(self.vigencia.id, self.limite, self.tabla, [self.trimestre], clave=clave)
        return filas.get((self.trimestre, clave))

    def tendencias_de(self, claves) -> list:
        """La trayectoria T1–T4 de esas dependencias (las de la página que se muestra), en una consulta."""
        claves = list(claves)
        if not claves:
            return []
        por_dependencia, nombres = defaultdict(lambda: [None] * 4), {}
        for (t, dep_id), fila in _dependencias_guardadas(self.vigencia.id, self.limite, self.tabla, [1, 2, 3, 4],
                                                         claves=claves).items():
            por_dependencia[dep_id][t - 1] = fila
            nombres[dep_id] = fila.nombre
        return [Trayectoria(d, nombres[d], por_dependencia[d]) for d in claves if d in nombres]


_CONTADO = sa.case((CifraAgregada.estado_reporte.in_(ESTADOS_CONTADOS), 0), else_=1)


# Las lecturas del tablero se arman una vez por forma (limitada o no a una dependencia, con qué umbrales, en qué
# base) con sus valores como parámetros: armar una sentencia de SQLAlchemy y sacar su clave de caché cuesta más
# CPU que ejecutarla. Se guarda la forma de la sentencia, nunca lo que devuelve.
def _del_ambito(limitado: bool) -> list:
    """Las condiciones de quien lee: la dependencia a la que se limita (parámetro «limite»), o ninguna."""
    return [CifraAgregada.dependencia_id == sa.bindparam("limite")] if limitado else []


def _parametros(vigencia_id: int, limite, **otros) -> dict:
    return {"vigencia_id": vigencia_id, **({} if limite is False else {"limite": limite}), **otros}


def _columnas_sumas():
    return (sa.func.sum(CifraAgregada.actividades), sa.func.sum(CifraAgregada.peso_trimestre),
            sa.func.sum(CifraAgregada.suma_trimestre), sa.func.sum(CifraAgregada.peso_acumulado),
            sa.func.sum(CifraAgregada.suma_acumulado), sa.func.sum(CifraAgregada.incoherentes))


def _fila(clave, nombre, sumas, tabla, **extra) -> FilaAgregada:
    actividades, peso_t, suma_t, peso_a, suma_a, incoherentes = sumas
    acumulado = _avance(peso_a, suma_a)
    return FilaAgregada(clave=clave, nombre=nombre, actividades=int(actividades or 0),
                        avance_trimestre=_avance(peso_t, suma_t), avance_acumulado=acumulado,
                        color=semaforo(acumulado, tabla), incoherentes=int(incoherentes or 0), **extra)


def _columnas_dependencia():
    """Las sumas de una dependencia y lo de su reporte: cuántas filas no cuentan aún, si es de un solo plan (el
    estado del reporte se muestra solo entonces; min = max en vez de contar distintos, que obliga a ordenar para
    agrupar), el estado y cuándo se envió."""
    nombres = ("actividades", "peso_trimestre", "suma_trimestre", "peso_acumulado", "suma_acumulado", "incoherentes")
    return (*(c.label(n) for c, n in zip(_columnas_sumas(), nombres, strict=True)), sa.func.sum(_CONTADO).label("sin_contar"),
            (sa.func.min(CifraAgregada.plan_id) == sa.func.max(CifraAgregada.plan_id)).label("un_plan"),
            sa.func.min(CifraAgregada.estado_reporte).label("estado"),
            sa.func.max(CifraAgregada.enviado_en).label("enviado"))


@lru_cache(maxsize=16)
def _consulta_dependencias(limitado: bool, cuales: str | None):
    """Las sumas guardadas por (trimestre, dependencia): una fila por dependencia y trimestre, agrupadas antes de
    buscar el nombre (una búsqueda por dependencia, no por fila guardada). Parámetros: «vigencia_id»,
    «trimestres», «limite» si `limitado`, y «clave» o «claves» si `cuales` es "una" o "varias"."""
    condiciones = _del_ambito(limitado)
    if cuales == "una":
        condiciones.append(CifraAgregada.dependencia_id == sa.bindparam("clave"))
    elif cuales == "varias":
        condiciones.append(CifraAgregada.dependencia_id.in_(sa.bindparam("claves", expanding=True)))
    agrupadas = (sa.select(CifraAgregada.trimestre, CifraAgregada.dependencia_id, *_columnas_dependencia())
                 .where(CifraAgregada.vigencia_id == sa.bindparam("vigencia_id"),
                        CifraAgregada.trimestre.in_(sa.bindparam("trimestres", expanding=True)), *condiciones)
                 .group_by(CifraAgregada.trimestre, CifraAgregada.dependencia_id).subquery())
    trimestre, dependencia_id, *datos = agrupadas.c
    return (sa.select(trimestre, dependencia_id, Dependencia.nombre, *datos)
            .join(Dependencia, Dependencia.id == dependencia_id))


def _fila_dependencia(tabla, dep_id, nombre, resto) -> FilaAgregada:
    sumas, (sin_contar, un_plan, estado, enviado) = resto[:6], resto[6:10]
    reportado = not sin_contar
    estado = None if estado is None else EstadoReporte(estado)
    fila = _fila(dep_id, nombre, sumas, tabla, reportado=reportado,
                 estado_reporte=estado if un_plan else None, enviado_en=enviado)
    if not reportado:
        fila.color = ColorSemaforo.GRIS
    return fila


def _dependencias_guardadas(vigencia_id: int, limite, tabla, trimestres, clave=None, claves=None) -> dict:
    """(trimestre, dependencia) → FilaAgregada, con una consulta agrupada sobre las cifras guardadas: de las que
    ve quien se limita a `limite` (False: todas), y solo `clave` o solo `claves` si se dan."""
    cuales, otros = ("una", {"clave": clave}) if clave is not None else (
        ("varias", {"claves": list(claves)}) if claves is not None else (None, {}))
    consulta = _consulta_dependencias(limite is not False, cuales)
    return {(trimestre, dep_id): _fila_dependencia(tabla, dep_id, nombre, resto) for trimestre, dep_id, nombre, *resto
            in db.session.execute(consulta, _parametros(vigencia_id, limite, trimestres=list(trimestres), **otros))}


def _por_nombre_en_sql(nombre, dialecto: str):
    """El orden de `sorted(..., key=nombre)` de Python (por punto de código): en PostgreSQL la colación «C»; en
    SQLite la binaria, que ya lo es."""
    return nombre.collate("C") if dialecto == "postgresql" else nombre


def _vista(vigencia_id: int, trimestre: int, limite, tabla, numero: int, por_pagina: int) -> dict:
    """La página `numero` de dependencias por nombre, las primeras sin reporte y cuántas hay de cada una, en una
    sentencia: las cifras del trimestre se agrupan por dependencia una vez (antes, dos consultas agrupaban las
    mismas filas, cada una con el nombre buscado fila guardada por fila guardada, y otra contaba los colores) y
    el nombre se busca para cada dependencia. Devuelve {"p": filas de la página, "s": las primeras sin reporte,
    "n": cuántas dependencias, "ns": cuántas sin reporte, "c": ColorSemaforo → cuántas dependencias}. Cada fila de
    la sentencia dice de qué parte es; las de «c» llevan el índice del color en `orden` y cuántas en `total`."""
    vista, colores_contados = {"p": [], "s": [], "n": 0, "ns": 0}, []
    sentencia = _sentencia_vista(limite is not False, tuple(tabla), db.session.get_bind().dialect.name)
    filas = db.session.execute(sentencia, _parametros(vigencia_id, limite, trimestre=trimestre, por_pagina=por_pagina,
                                                      desde=(numero - 1) * por_pagina)).all()
    for parte, orden, cuantas, dep_id, nombre, *resto in sorted(filas, key=lambda f: (f[0], f[1] or 0)):
        if parte == "n":
            vista["n"] = cuantas
        elif parte == "c":
            colores_contados.append((orden, cuantas))
        else:
            if parte == "s":
                vista["ns"] = cuantas
            vista[parte].append(_fila_dependencia(tabla, dep_id, nombre, resto))
    vista["c"] = _conteo_de(colores_contados, tabla)
    return vista


@lru_cache(maxsize=16)
def _sentencia_vista(limitado: bool, tabla: tuple, dialecto: str):
    """La sentencia de `_vista`; parámetros «vigencia_id», «trimestre», «limite» si `limitado`, «por_pagina» y
    «desde» (cuántas filas se saltan)."""
    agrupadas = (sa.select(CifraAgregada.dependencia_id, *_columnas_dependencia())
                 .where(CifraAgregada.vigencia_id == sa.bindparam("vigencia_id"),
                        CifraAgregada.trimestre == sa.bindparam("trimestre"), *_del_ambito(limitado))
                 .group_by(CifraAgregada.dependencia_id).cte("agrupadas"))
    datos = [c for c in agrupadas.c if c.name != "dependencia_id"]
    con_nombre = (sa.select(agrupadas.c.dependencia_id, Dependencia.nombre, *datos)
                  .join(Dependencia, Dependencia.id == agrupadas.c.dependencia_id).cte("con_nombre"))
    orden = (_por_nombre_en_sql(con_nombre.c.nombre, dialecto), con_nombre.c.dependencia_id)
    por_pagina = sa.bindparam("por_pagina", type_=sa.Integer)

    def tramo(parte, *filtro, desde=0):
        return (sa.select(sa.literal(parte).label("parte"), sa.func.row_number().over(order_by=orden).label("orden"),
                          sa.func.count().over().label("total"), *con_nombre.c)
                .where(*filtro).order_by(*orden).limit(por_pagina).offset(desde).subquery())

    pagina = tramo("p", desde=sa.bindparam("desde", type_=sa.Integer))
    sin_reporte = tramo("s", con_nombre.c.sin_contar > 0)
    nulos = [sa.null() for _ in con_nombre.c]
    total = sa.select(sa.literal("n"), sa.null(), sa.func.count(), *nulos).select_from(con_nombre)
    por_color = sa.select(_indice_color(agrupadas.c.peso_acumulado, agrupadas.c.suma_acumulado,
                                        agrupadas.c.sin_contar, tabla).label("i")).subquery()
    colores = sa.select(sa.literal("c"), por_color.c.i, sa.func.count(), *nulos).group_by(por_color.c.i)
    return sa.union_all(sa.select(pagina), sa.select(sin_reporte), total, colores)


def _por_nombre(vigencia_id: int, limite, tabla, trimestre: int) -> list[FilaAgregada]:
    return sorted(_dependencias_guardadas(vigencia_id, limite, tabla, [trimestre]).values(), key=lambda d: d.nombre)


def dependencias(vigencia: Vigencia, trimestre: int, confirmar: bool = True) -> list[FilaAgregada]:
    """Cada dependencia con cifras en el trimestre, por nombre: las mismas filas que `cuadro(...).dependencias`,
    de lo guardado (la verificación de Control Interno y la calidad del reporte). `confirmar=False` dentro de una
    operación que aún no termina: lo recalculado se confirma con ella."""
    al_dia(vigencia, confirmar)
    return _por_nombre(vigencia.id, False, umbrales(), trimestre)


@lru_cache(maxsize=4)
def _objetivos_y_totales(limitado: bool):
    """Por objetivo (del «trimestre») y el total de cada uno de los «trimestres», sin la parte de las DT en
    actividades de otras, en una sentencia: cada fila dice si es «o» u «t» y su clave (el objetivo o el trimestre).
    Parámetros: «vigencia_id», «trimestre», «trimestres» y «limite» si `limitado`."""
    institucional = [CifraAgregada.vigencia_id == sa.bindparam("vigencia_id"), *_del_ambito(limitado),
                     CifraAgregada.territorial.is_(False)]
    objetivo_id, *sumas_objetivo = (sa.select(CifraAgregada.objetivo_id, *_columnas_sumas())
                                    .where(CifraAgregada.trimestre == sa.bindparam("trimestre"), *institucional)
                                    .group_by(CifraAgregada.objetivo_id).subquery()).c
    por_objetivo = (sa.select(sa.literal("o"), objetivo_id, Objetivo.codigo, Objetivo.nombre, *sumas_objetivo)
                    .join(Objetivo, Objetivo.id == objetivo_id))
    por_trimestre = (sa.select(sa.literal("t"), CifraAgregada.trimestre, sa.null(), sa.null(), *_columnas_sumas())
                     .where(CifraAgregada.trimestre.in_(sa.bindparam("trimestres", expanding=True)), *institucional)
                     .group_by(CifraAgregada.trimestre))
    return sa.union_all(por_objetivo, por_trimestre)


@lru_cache(maxsize=4)
def _consulta_alertas(limitado: bool, cortada: bool):
    """Las alertas de coherencia del «trimestre», por dependencia dueña y en el orden de sus actividades, con
    cuántas son; si `cortada`, solo las primeras «hasta»."""
    duena = sa.orm.aliased(Dependencia)
    consulta = (sa.select(Dependencia.nombre, AlertaCoherencia.codigo, AlertaCoherencia.ejecucion,
                          AlertaCoherencia.avance_fisico, sa.func.count().over())
                .join(Dependencia, Dependencia.id == AlertaCoherencia.dependencia_id)
                .join(duena, duena.id == AlertaCoherencia.duena_id)
                .where(AlertaCoherencia.vigencia_id == sa.bindparam("vigencia_id"),
                       AlertaCoherencia.trimestre == sa.bindparam("trimestre"),
                       *([AlertaCoherencia.dependencia_id == sa.bindparam("limite")] if limitado else []))
                .order_by(duena.codigo, AlertaCoherencia.orden))
    return consulta.limit(sa.bindparam("hasta", type_=sa.Integer)) if cortada else consulta


@lru_cache(maxsize=1)
def _consulta_ventana():
    """La ventana del «trimestre» con sus reaperturas, que su estado lee (una consulta, no dos)."""
    return (sa.select(VentanaReporte).where(VentanaReporte.vigencia_id == sa.bindparam("vigencia_id"),
                                            VentanaReporte.trimestre == sa.bindparam("trimestre"))
            .options(sa.orm.joinedload(VentanaReporte.reaperturas)))


@dataclass(frozen=True)
class ConCifras:
    clave: int
    nombre: str


@lru_cache(maxsize=1)
def _consulta_con_cifras():
    con_cifras = (sa.select(CifraAgregada.dependencia_id)
                  .where(CifraAgregada.vigencia_id == sa.bindparam("vigencia_id"),
                         CifraAgregada.trimestre == sa.bindparam("trimestre"))
                  .group_by(CifraAgregada.dependencia_id).subquery())
    return sa.select(Dependencia.id, Dependencia.nombre).join(con_cifras, con_cifras.c.dependencia_id == Dependencia.id)


def con_cifras(vigencia: Vigencia, trimestre: int) -> list[ConCifras]:
    """Las dependencias de `dependencias` (las que tienen cifras en el trimestre: las que debían reportarlo), solo
    con su clave y su nombre, para quien no usa sus sumas (la calidad del reporte): a dos sectores son ~1.400 filas
    del tablero que no se arman."""
    al_dia(vigencia)
    return [ConCifras(clave, nombre) for clave, nombre in db.session.execute(
        _consulta_con_cifras(), {"vigencia_id": vigencia.id, "trimestre": trimestre})]


def resumen(vigencia: Vigencia, trimestre: int, usuario=None, hoy: date | None = None,
            con_indicadores: bool = True, con_tendencia: bool = False, con_dependencias: bool = True,
            alertas_hasta: int | None = None) -> Resumen:
    """Las cifras por dependencia, por objetivo y del conjunto, como `cuadro`, leídas de lo guardado; con
    `con_tendencia`, también las de T1 a T4 (las mismas consultas agrupadas, sobre los cuatro trimestres). Sin
    `con_dependencias` no arma la fila de cada dependencia (el tablero lee una página: `primera_vista`); con
    `alertas_hasta`, trae solo las primeras alertas de coherencia y cuenta todas."""
    al_dia(vigencia)
    tabla, margen = umbrales(), margen_coherencia()
    limite = _limite(usuario)
    trimestres = [1, 2, 3, 4] if con_tendencia else [trimestre]
    dependencias = _por_nombre(vigencia.id, limite, tabla, trimestre) if con_dependencias else []
    objetivos, totales = [], {}
    for parte, clave, codigo, nombre, *sumas in db.session.execute(
            _objetivos_y_totales(limite is not False),
            _parametros(vigencia.id, limite, trimestre=trimestre, trimestres=trimestres)):
        if parte == "o":
            objetivos.append(_fila(clave, f"{codigo} {nombre}", sumas, tabla))
        else:
            totales[clave] = _fila(None, "Total", sumas, tabla)
    objetivos.sort(key=lambda o: o.nombre)
    total = totales.get(trimestre) or _fila(None, "Total", (None,) * 6, tabla)
    alertas = db.session.execute(
        _consulta_alertas(limite is not False, alertas_hasta is not None),
        _parametros(vigencia.id, limite, trimestre=trimestre, **({} if alertas_hasta is None else
                                                                 {"hasta": alertas_hasta}))).all()
    incoherentes = [Alerta(nombre, codigo, Decimal(ejecucion) / ESCALA_PESO, Decimal(fisico) / ESCALA_PESO)
                    for nombre, codigo, ejecucion, fisico, _ in alertas]
    indicadores = filas_indicadores(vigencia, trimestre, tabla, limite) if con_indicadores else []
    ventana = db.session.scalars(_consulta_ventana(), {"vigencia_id": vigencia.id, "trimestre": trimestre}
                                 ).unique().first()
    tendencia = (Trayectoria(None, "Total institucional", [totales.get(t) for t in range(1, 5)])
                 if con_tendencia else None)
    return Resumen(vigencia, trimestre, ventana, dependencias, objetivos, indicadores, total, incoherentes, margen,
                   hoy or formato.hoy(), tendencia, limite, integrados_guardados(vigencia, limite, tabla), tabla,
                   alertas[0][-1] if alertas else 0)


def primera_vista(vigencia: Vigencia, trimestre: int, usuario, pagina: int | None, por_pagina: int,
                  con_tendencia: bool = True) -> "PrimeraVista":
    """El resumen del tablero con una página de dependencias por nombre, el conteo de colores de todas, las
    primeras sin reporte y las primeras alertas de coherencia, cortados y contados en la base: la CPU no crece con
    las dependencias. El informe .xlsx y la versión imprimible siguen trayendo todas."""
    base = resumen(vigencia, trimestre, usuario, con_tendencia=con_tendencia, con_dependencias=False,
                   alertas_hasta=por_pagina)
    numero = max(pagina or 1, 1)
    vista = _vista(vigencia.id, trimestre, base.limite, base.tabla, numero, por_pagina)
    if not vista["p"] and numero > 1:  # más allá de la última: la última
        numero = max(1, -(-vista["n"] // por_pagina))
        vista = _vista(vigencia.id, trimestre, base.limite, base.tabla, numero, por_pagina)
    return PrimeraVista(**{**{f.name: getattr(base, f.name) for f in fields(Resumen)}, "dependencias": vista["p"]},
                        pagina=numero, cuantas=vista["n"], conteo=vista["c"],
                        primeras_sin_reporte=vista["s"], cuantas_sin_reporte=vista["ns"])


@dataclass
class PrimeraVista(Resumen):
    """`Resumen` con `dependencias` = solo las de la página `pagina`; lo que abarca a todas viene contado."""

    pagina: int = 1
    cuantas: int = 0  # dependencias con cifras en el trimestre
    conteo: dict = field(default_factory=dict)  # ColorSemaforo → cuántas dependencias, de todas
    primeras_sin_reporte: list = field(default_factory=list)  # las primeras por nombre (una página)
    cuantas_sin_reporte: int = 0

    def conteo_colores(self) -> dict:
        return self.conteo

    @property
    def sin_reporte(self) -> list:
        return self.primeras_sin_reporte


@lru_cache(maxsize=2)
def _consulta_integrados(limitado: bool):
    return (sa.select(CifraIntegrada.trimestre, PlanInstitucional, sa.func.sum(CifraIntegrada.actividades),
                      sa.func.sum(CifraIntegrada.peso_trimestre), sa.func.sum(CifraIntegrada.suma_trimestre),
                      sa.func.sum(CifraIntegrada.peso_acumulado), sa.func.sum(CifraIntegrada.suma_acumulado),
                      sa.func.sum(CifraIntegrada.incoherentes))
            .join(PlanInstitucional, PlanInstitucional.id == CifraIntegrada.plan_institucional_id)
            .where(CifraIntegrada.vigencia_id == sa.bindparam("vigencia_id"),
                   *([CifraIntegrada.duena_id == sa.bindparam("limite")] if limitado else []))
            .group_by(CifraIntegrada.trimestre, PlanInstitucional))


def integrados_guardados(vigencia: Vigencia, limite, tabla) -> list["Trayectoria"]:
    """El avance de cada plan institucional integrado en T1 a T4, de las cifras guardadas: una consulta."""
    filas = db.session.execute(_consulta_integrados(limite is not False), _parametros(vigencia.id, limite)).all()
    por_plan, planes = defaultdict(lambda: [None] * 4), {}
    for trimestre, plan, *sumas in filas:
        por_plan[plan.id][trimestre - 1] = _fila(plan.id, plan.nombre, sumas, tabla)
        planes[plan.id] = plan
    return [Trayectoria(p.id, p.nombre, por_plan[p.id]) for p in sorted(planes.values(), key=lambda p: p.orden)]


@dataclass
class Trayectoria:
    """El avance acumulado de una dependencia (o del conjunto) en cada trimestre de la vigencia."""

    clave: int | None
    nombre: str
    trimestres: list  # FilaAgregada o None por trimestre, T1 a T4

    @property
    def actividades(self) -> int:
        return max((f.actividades for f in self.trimestres if f is not None), default=0)


@dataclass
class SemaforoInicio:
    """El semáforo de la página de inicio: cuántas dependencias hay de cada color, contadas en la base."""

    vigencia: Vigencia
    trimestre: int
    conteo: dict  # ColorSemaforo → cuántas dependencias, en el orden del enum (como `conteo_colores` del cuadro)

    @property
    def dependencias(self) -> int:
        return sum(self.conteo.values())

    def conteo_colores(self) -> dict:
        return self.conteo


def semaforo_inicio(vigencia: Vigencia, trimestre: int, usuario=None) -> SemaforoInicio:
    """El color de cada dependencia como en `resumen` (gris si no reportó todo o no hay peso), contado en la base:
    la respuesta y la CPU no crecen con las dependencias. El avance acumulado de una dependencia es suma / (100 ×
    peso) en %; redondeado a centésimas (mitad hacia arriba, como `_redondear`) alcanza `desde` si y solo si
    2 × suma ≥ (200 × desde − 1) × peso: enteros exactos, en SQLite y en PostgreSQL."""
    al_dia(vigencia)
    return SemaforoInicio(vigencia, trimestre, _conteo(vigencia.id, trimestre, _limite(usuario), umbrales()))


def _colores(tabla) -> list[ColorSemaforo]:
    """El color de cada índice de `_indice_color`."""
    return [ColorSemaforo.GRIS, *(color for _, color in tabla), tabla[-1][1] if tabla else ColorSemaforo.GRIS]


def _indice_color(peso, suma, sin_contar, tabla):
    """El índice en `_colores(tabla)` del color de una dependencia, de sus sumas agrupadas (ver `semaforo_inicio`)."""
    return sa.case((sin_contar > 0, 0), (sa.func.coalesce(peso, 0) <= 0, 0),
                   *[(2 * suma >= (2 * _entero(desde, ESCALA_PESO) - 1) * peso, i)
                     for i, (desde, _) in enumerate(tabla, start=1)], else_=len(tabla) + 1)


def _conteo_de(filas, tabla) -> dict:
    """ColorSemaforo → cuántas dependencias, de los pares (índice de color, cuántas)."""
    colores, conteo = _colores(tabla), {color: 0 for color in ColorSemaforo}
    for i, cuantas in filas:
        conteo[colores[i]] += cuantas
    return conteo


@lru_cache(maxsize=8)
def _consulta_conteo(limitado: bool, desdes: tuple[Decimal, ...]):
    """Cuántas dependencias hay de cada índice de color (ver `_conteo`): se arma una vez por forma, como las
    lecturas del tablero (`_del_ambito`); los umbrales van en la forma porque cambian el CASE."""
    sumas = (sa.select(sa.func.sum(CifraAgregada.peso_acumulado).label("peso"),
                       sa.func.sum(CifraAgregada.suma_acumulado).label("suma"), sa.func.sum(_CONTADO).label("sin_contar"))
             .where(CifraAgregada.vigencia_id == sa.bindparam("vigencia_id"),
                    CifraAgregada.trimestre == sa.bindparam("trimestre"), *_del_ambito(limitado))
             .group_by(CifraAgregada.dependencia_id).subquery())
    indice = _indice_color(sumas.c.peso, sumas.c.suma, sumas.c.sin_contar, [(desde, None) for desde in desdes])
    por_dependencia = sa.select(indice.label("i")).subquery()  # agrupar por la columna, no por el CASE repetido
    return sa.select(por_dependencia.c.i, sa.func.count()).group_by(por_dependencia.c.i)


def _conteo(vigencia_id: int, trimestre: int, limite, tabla) -> dict:
    """ColorSemaforo → cuántas dependencias, contadas en la base (ver `semaforo_inicio`); `limite` como en
    `_parametros`."""
    consulta = _consulta_conteo(limite is not False, tuple(desde for desde, _ in tabla))
    return _conteo_de(db.session.execute(consulta, _parametros(vigencia_id, limite, trimestre=trimestre)), tabla)


def resumen_inicio(usuario) -> SemaforoInicio | None:
    """El semáforo del último trimestre reportado, para la página de inicio: de las cifras guardadas, y de un
    director o una DT solo lo suyo."""
    if not puede(usuario, VER, "seguimiento"):
        return None
    vigencia, trimestre = periodo_por_defecto()
    return None if vigencia is None else semaforo_inicio(vigencia, trimestre, usuario)

