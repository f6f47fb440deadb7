"""Versiones de un plan: la copia que propone un ajuste y la diferencia entre dos versiones.

Una versión es una fila de `plan` con su propio contenido: la anterior queda tal como se aprobó
(campos, lista de chequeo, historial) y la nueva nace como copia en borrador (`copiar`). `comparar`
dice, campo por campo, qué se agregó, qué se retiró y qué cambió, con los totales de pesos y presupuesto.
"""
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from gestion.base import formato
from gestion.planes import campos, consultas
from modelos import (
    Actividad,
    EstadoAjuste,
    EstadoPlan,
    Indicador,
    MetaIndicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    SolicitudAjuste,
    TipoPlan,
    db,
)

# Las columnas que una versión nueva copia: las de los campos versionados del registro.
CAMPOS_ACTIVIDAD = tuple(c.columna for c in campos.VERSIONADOS)
CAMPOS_META_TERRITORIAL = tuple(c.columna for c in campos.META_TERRITORIAL)
CAMPOS_INDICADOR = ("codigo", "nombre", "formula", "unidad_id", "linea_base", "anio_linea_base", "periodicidad", "tendencia",
                    "responsable_id", "sinergia", "codigo_sinergia", "tipo_acumulacion")


# --- la familia de versiones ----------------------------------------------------------------------
def _columnas_de_familia(tipo: TipoPlan) -> tuple[str, ...]:
    """Lo que comparten, además del tipo, las versiones de un plan: el cuatrienio (PES, PEI), la dependencia y la
    vigencia (PA) o la vigencia (PAI)."""
    if tipo in (TipoPlan.PES, TipoPlan.PEI):
        return ("cuatrienio_id",)
    if tipo is TipoPlan.PA:
        return ("dependencia_id", "vigencia_id")
    return ("vigencia_id",)


def misma_familia(plan: Plan):
    """Condición SQL: los planes que son versiones de `plan` (incluido él)."""
    return sa.and_(Plan.tipo == plan.tipo,
                   *(getattr(Plan, columna) == getattr(plan, columna) for columna in _columnas_de_familia(plan.tipo)))


def clave_de_familia(tipo: TipoPlan, dependencia_id, vigencia_id, cuatrienio_id) -> tuple:
    """Lo que `misma_familia` compara, como valor: dos planes son versiones uno del otro si su clave es la misma."""
    valores = {"dependencia_id": dependencia_id, "vigencia_id": vigencia_id, "cuatrienio_id": cuatrienio_id}
    return (tipo, *(valores[columna] for columna in _columnas_de_familia(tipo)))


def familia(plan: Plan) -> list[Plan]:
    """Todas las versiones del plan (vigente, anteriores, propuestas), de la primera a la última."""
    return db.session.scalars(sa.select(Plan).where(misma_familia(plan)).order_by(Plan.numero_version)).all()


# Una propuesta que no prosperó (retirada, no pertinente, rechazada) se conserva, pero no gasta un número.
DESCARTADAS = (EstadoAjuste.RETIRADO, EstadoAjuste.NO_PERTINENTE, EstadoAjuste.RECHAZADO)


def siguiente_numero(plan: Plan) -> int:
    """El número que sigue al de la última versión que cuenta: la historia pública no salta números. Si una
    propuesta descartada lo tiene, pasa a uno libre por encima de todas."""
    descartadas = sa.select(SolicitudAjuste.plan_propuesto_id).where(SolicitudAjuste.estado.in_(DESCARTADAS),
                                                                      SolicitudAjuste.plan_propuesto_id.is_not(None))
    ultimo = db.session.scalar(sa.select(sa.func.max(Plan.numero_version)).where(
        misma_familia(plan), Plan.id.not_in(descartadas))) or 0
    ocupada = db.session.scalar(sa.select(Plan).where(misma_familia(plan), Plan.numero_version == ultimo + 1))
    if ocupada is not None:
        tope = db.session.scalar(sa.select(sa.func.max(Plan.numero_version)).where(misma_familia(plan)))
        ocupada.numero_version = tope + 1
        db.session.flush()
    return ultimo + 1


# --- la copia -----------------------------------------------------------------------------------
def _copiar_campos(origen, destino, campos) -> None:
    for campo in campos:
        valor = getattr(origen, campo)
        setattr(destino, campo, list(valor) if isinstance(valor, list) else valor)  # muchos a muchos: otra lista


def copiar(plan: Plan) -> Plan:
    """La versión propuesta: el mismo contenido en borrador, con el número de versión siguiente."""
    copia = Plan(tipo=plan.tipo, nombre=plan.nombre, cuatrienio_id=plan.cuatrienio_id, vigencia_id=plan.vigencia_id,
                 dependencia_id=plan.dependencia_id, estado=EstadoPlan.BORRADOR, numero_version=siguiente_numero(plan),
                 plan_anterior=plan, vigente=False)
    for actividad in plan.actividades:
        nueva = Actividad()
        _copiar_campos(actividad, nueva, CAMPOS_ACTIVIDAD)
        for meta in actividad.metas_territoriales:
            copia_meta = MetaTerritorial(dependencia_id=meta.dependencia_id)
            _copiar_campos(meta, copia_meta, CAMPOS_META_TERRITORIAL)
            nueva.metas_territoriales.append(copia_meta)
        copia.actividades.append(nueva)
    for objetivo in plan.objetivos:
        nuevo = Objetivo(codigo=objetivo.codigo, nombre=objetivo.nombre, descripcion=objetivo.descripcion,
                         objetivos_pnd=list(objetivo.objetivos_pnd), politicas_mipg=list(objetivo.politicas_mipg),
                         objetivos_pes=list(objetivo.objetivos_pes))
        for indicador in objetivo.indicadores:
            copia_indicador = Indicador(metas=[MetaIndicador(anio=m.anio, valor=m.valor) for m in indicador.metas])
            _copiar_campos(indicador, copia_indicador, CAMPOS_INDICADOR)
            nuevo.indicadores.append(copia_indicador)
        copia.objetivos.append(nuevo)
    db.session.add(copia)
    db.session.flush()
    return copia


# --- la diferencia --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cambio:
    campo: str
    antes: str
    despues: str


@dataclass
class Elemento:
    """Una actividad, un objetivo, un indicador o un plan consolidado que se agregó, retiró o cambió."""

    clase: str  # «Actividad», «Objetivo»...
    clave: str
    nombre: str
    estado: str  # agregado | retirado | cambiado
    cambios: list[Cambio] = field(default_factory=list)
    hijos: list["Elemento"] = field(default_factory=list)

    @property
    def etiqueta(self) -> str:
        return {"agregado": "Agregado", "retirado": "Retirado", "cambiado": "Cambiado"}[self.estado]


@dataclass
class Comparacion:
    anterior: Plan | None  # None: una instantánea (el plan como estaba al devolverlo)
    nueva: Plan
    elementos: list[Elemento]
    totales: list[Cambio]
    antes: str = ""
    despues: str = ""

    def __post_init__(self):
        self.antes = self.antes or f"v{self.anterior.numero_version}"
        self.despues = self.despues or f"v{self.nueva.numero_version}"

    @property
    def hay_cambios(self) -> bool:
        return bool(self.elementos) or any(t.antes != t.despues for t in self.totales)

    def de_estado(self, estado: str) -> list[Elemento]:
        return [e for e in self.elementos if e.estado == estado]


def _elemento_a_datos(e: Elemento) -> dict:
    return {"clase": e.clase, "clave": e.clave, "nombre": e.nombre, "estado": e.estado,
            "cambios": [[c.campo, c.antes, c.despues] for c in e.cambios],
            "hijos": [_elemento_a_datos(h) for h in e.hijos]}


def _elemento_de_datos(d: dict) -> Elemento:
    return Elemento(d["clase"], d["clave"], d["nombre"], d["estado"], [Cambio(*c) for c in d["cambios"]],
                    [_elemento_de_datos(h) for h in d["hijos"]])


def a_datos(comparacion: Comparacion) -> dict:
    """La diferencia como JSON, para guardarla: lo publicado dice qué cambió sin volver a leer las dos versiones."""
    return {"antes": comparacion.antes, "despues": comparacion.despues,
            "elementos": [_elemento_a_datos(e) for e in comparacion.elementos],
            "totales": [[t.campo, t.antes, t.despues] for t in comparacion.totales]}


def de_datos(datos: dict, nueva: Plan | None = None) -> Comparacion:
    """La diferencia guardada por `a_datos`, para mostrarla con la misma plantilla."""
    return Comparacion(None, nueva, [_elemento_de_datos(e) for e in datos["elementos"]],
                       [Cambio(*t) for t in datos["totales"]], antes=datos["antes"], despues=datos["despues"])


def _texto(valor) -> str:
    if valor is None or valor == "":
        return "—"
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    if isinstance(valor, Decimal):
        return formato.cantidad(valor)
    if hasattr(valor, "strftime"):
        return formato.fecha(valor)
    if hasattr(valor, "etiqueta"):
        return valor.etiqueta
    return str(valor)


def _lista(objetos) -> str:
    return ", ".join(sorted(getattr(o, "codigo", str(o)) for o in objetos)) or "—"


def _actividad(a: Actividad) -> dict[str, str]:
    """Cada campo comparado del registro por su etiqueta, y las metas de cada Dirección Territorial."""
    valores = {c.etiqueta: _texto(c.texto(a)) for c in campos.COMPARADOS}
    for meta in a.metas_territoriales:
        for t in campos.TRIMESTRES:
            valores[f"{meta.dependencia.nombre} · T{t}"] = _texto(meta.meta_trimestre(t))
    return valores


def _objetivo(o: Objetivo) -> dict[str, str]:
    return {"Nombre": _texto(o.nombre), "Descripción": _texto(o.descripcion),
            "Objetivos del PND": _lista(o.objetivos_pnd), "Políticas MIPG": _lista(o.politicas_mipg),
            "Objetivos del PES": _lista(o.objetivos_pes)}


def _indicador(i: Indicador) -> dict[str, str]:
    valores = {"Nombre": _texto(i.nombre), "Fórmula": _texto(i.formula), "Unidad": _texto(i.unidad),
               "Línea base": _texto(i.linea_base), "Año de la línea base": _texto(i.anio_linea_base),
               "Periodicidad": _texto(i.periodicidad),
               "Tendencia": _texto(i.tendencia), "Responsable": _texto(i.responsable.nombre if i.responsable else None),
               "SINERGIA": _texto(i.sinergia), "Código SINERGIA": _texto(i.codigo_sinergia),
               "Tipo de acumulación": _texto(i.tipo_acumulacion)}
    valores.update({f"Meta {m.anio}": _texto(m.valor) for m in i.metas})
    return valores


def _cambios(antes: dict[str, str], despues: dict[str, str]) -> list[Cambio]:
    campos = list(antes) + [c for c in despues if c not in antes]
    return [Cambio(c, antes.get(c, "—"), despues.get(c, "—")) for c in campos if antes.get(c, "—") != despues.get(c, "—")]


def _comparar_descripciones(clase: str, antes: dict, despues: dict, hijos=None) -> list[Elemento]:
    """{código: (nombre, valores)} antes y después: lo que solo está antes se retiró; solo después, se agregó."""
    elementos = []
    for codigo in sorted(antes.keys() | despues.keys()):
        if codigo not in antes:
            nombre, valores = despues[codigo]
            elementos.append(Elemento(clase, codigo, nombre, "agregado", _cambios({}, valores)))
        elif codigo not in despues:
            elementos.append(Elemento(clase, codigo, antes[codigo][0], "retirado"))
        else:
            cambios = _cambios(antes[codigo][1], despues[codigo][1])
            internos = hijos(codigo) if hijos else []
            if cambios or internos:
                elementos.append(Elemento(clase, codigo, despues[codigo][0], "cambiado", cambios, internos))
    return elementos


def _describir(objetos, nombre, describir) -> dict:
    return {o.codigo: (nombre(o), describir(o)) for o in objetos}


def _descripcion_pa(plan: Plan) -> dict:
    return _describir(plan.actividades, lambda a: a.descripcion, _actividad)


def _totales_pa(anterior: Plan, nueva: Plan) -> list[Cambio]:
    return [Cambio(campo, antes, despues) for (campo, antes), (_, despues) in zip(_totales(anterior), _totales(nueva), strict=True)]


def _totales(plan: Plan) -> list[tuple[str, str]]:
    suma = lambda campo: sum((getattr(a, campo) or 0 for a in plan.actividades), Decimal(0))  # noqa: E731
    return [("Actividades", str(len(plan.actividades))), ("Peso total", formato.porcentaje(suma("peso"))),
            ("Presupuesto total", formato.pesos(suma("presupuesto")))]


def _comparar_pa(anterior: Plan, nueva: Plan) -> Comparacion:
    consultas.cargar_actividades(anterior, nueva)
    elementos = _comparar_descripciones("Actividad", _descripcion_pa(anterior), _descripcion_pa(nueva))
    return Comparacion(anterior, nueva, elementos, _totales_pa(anterior, nueva))


def instantanea(plan: Plan) -> dict:
    """El contenido de un plan de acción como texto, para compararlo después (p. ej. al devolverlo)."""
    consultas.cargar_actividades(plan)
    return {"actividades": {c: [n, v] for c, (n, v) in _descripcion_pa(plan).items()}, "totales": _totales(plan)}


def desde_instantanea(foto: dict, plan: Plan, antes: str) -> Comparacion:
    """Qué cambió en `plan` desde la instantánea `foto` (tomada en el momento que `antes` nombra)."""
    # Una instantánea guardada antes de que un campo cambiara de etiqueta lo nombra como entonces.
    previas = {c: (n, {campos.ETIQUETA_ACTUAL.get(k, k): t for k, t in v.items()})
               for c, (n, v) in foto["actividades"].items()}
    elementos = _comparar_descripciones("Actividad", previas, _descripcion_pa(plan))
    totales = [Cambio(campo, antes_valor, ahora_valor)
               for (campo, antes_valor), (_, ahora_valor) in zip(foto["totales"], _totales(plan), strict=False)]
    return Comparacion(None, plan, elementos, totales, antes=antes, despues="Ahora")


def _comparar_estrategico(anterior: Plan, nueva: Plan) -> Comparacion:
    viejos, nuevos = {o.codigo: o for o in anterior.objetivos}, {o.codigo: o for o in nueva.objetivos}

    def indicadores(codigo):
        return _comparar_descripciones("Indicador", _describir(viejos[codigo].indicadores, lambda i: i.nombre, _indicador),
                                       _describir(nuevos[codigo].indicadores, lambda i: i.nombre, _indicador))

    elementos = _comparar_descripciones("Objetivo", _describir(anterior.objetivos, lambda o: o.nombre, _objetivo),
                                        _describir(nueva.objetivos, lambda o: o.nombre, _objetivo), indicadores)
    for elemento in elementos:  # los indicadores de un objetivo agregado o retirado también se nombran
        if elemento.estado != "cambiado":
            fuente = nueva if elemento.estado == "agregado" else anterior
            objetivo = next(o for o in fuente.objetivos if o.codigo == elemento.clave)
            elemento.hijos = [Elemento("Indicador", i.codigo, i.nombre, elemento.estado) for i in objetivo.indicadores]

    def contar(plan):
        return sum(len(o.indicadores) for o in plan.objetivos)
    totales = [Cambio("Objetivos", str(len(anterior.objetivos)), str(len(nueva.objetivos))),
               Cambio("Indicadores", str(contar(anterior)), str(contar(nueva)))]
    return Comparacion(anterior, nueva, elementos, totales)


def _comparar_pai(anterior: Plan, nueva: Plan) -> Comparacion:
    """Un PAI frente al anterior: los planes de acción que entraron, salieron o cambiaron de versión."""
    viejos = {p.dependencia_id: p for p in anterior.planes_consolidados}
    nuevos = {p.dependencia_id: p for p in nueva.planes_consolidados}
    elementos = []
    for dependencia_id in sorted(viejos.keys() | nuevos.keys(),
                                 key=lambda d: (viejos.get(d) or nuevos.get(d)).dependencia.codigo):
        viejo, nuevo = viejos.get(dependencia_id), nuevos.get(dependencia_id)
        plan = nuevo or viejo
        clave, nombre = plan.dependencia.codigo, plan.dependencia.nombre
        if viejo is None:
            elementos.append(Elemento("Plan de acción", clave, nombre, "agregado"))
        elif nuevo is None:
            elementos.append(Elemento("Plan de acción", clave, nombre, "retirado"))
        elif viejo.id != nuevo.id:
            interna = _comparar_pa(viejo, nuevo)
            elementos.append(Elemento("Plan de acción", clave, nombre, "cambiado",
                                      [Cambio("Versión", f"v{viejo.numero_version}", f"v{nuevo.numero_version}")]
                                      + [t for t in interna.totales if t.antes != t.despues], interna.elementos))

    def suma(pai, campo):
        return sum((getattr(a, campo) or 0 for p in pai.planes_consolidados for a in p.actividades), Decimal(0))
    totales = [Cambio("Planes consolidados", str(len(viejos)), str(len(nuevos))),
               Cambio("Presupuesto total", formato.pesos(suma(anterior, "presupuesto")),
                      formato.pesos(suma(nueva, "presupuesto")))]
    return Comparacion(anterior, nueva, elementos, totales)


def comparar(anterior: Plan, nueva: Plan) -> Comparacion:
    """Qué cambió de `anterior` a `nueva` (dos versiones del mismo plan), campo por campo."""
    if anterior.tipo is not nueva.tipo:
        raise ValueError("Solo se comparan versiones del mismo tipo de plan.")
    if nueva.tipo is TipoPlan.PA:
        return _comparar_pa(anterior, nueva)
    if nueva.tipo is TipoPlan.PAI:
        return _comparar_pai(anterior, nueva)
    return _comparar_estrategico(anterior, nueva)


# Lo que decide cómo se mide lo logrado de una actividad (gestion.seguimiento.cifras.cumplimiento_actividad): el
# tablero mide los trimestres ya reportados con la versión vigente, así que cambiarlo los reescribe.
_COMO_SE_MIDE = (("línea base", "linea_base"), ("tendencia", "tendencia"), ("tipo de acumulación", "tipo_acumulacion"))


def _texto_de_medida(valor) -> str:
    if valor is None:
        return "sin definir"
    return formato.cantidad(valor) if isinstance(valor, Decimal) else valor.etiqueta


def cambios_a_lo_reportado(nueva: Plan, reportadas: dict[Plan, set[int]]) -> list[str]:
    """Metas de trimestres ya reportados que la nueva versión cambiaría, cada una contra la versión de la familia
    con que se reportó ese trimestre (`reportadas`: versión → sus trimestres reportados), y lo que cambiaría cómo
    se miden (línea base, tendencia, tipo de acumulación de una actividad con trimestres reportados). Así ningún
    ajuste, ni el segundo ni el tercero seguidos, reescribe el pasado: una actividad retirada o agregada cuenta
    como meta 0."""
    consultas.cargar_actividades(nueva, *reportadas)
    nuevas = {a.codigo: a for a in nueva.actividades}
    cambios: dict[str, None] = {}  # en orden y sin repetir (un trimestre reportado contra dos versiones)
    for version, trimestres in sorted(reportadas.items(), key=lambda par: par[0].numero_version):
        viejas = {a.codigo: a for a in version.actividades}
        for codigo in sorted(viejas.keys() | nuevas.keys()):
            vieja, actividad = viejas.get(codigo), nuevas.get(codigo)
            for t in sorted(trimestres):
                antes = vieja.meta_trimestre(t) if vieja is not None else Decimal(0)
                despues = actividad.meta_trimestre(t) if actividad is not None else Decimal(0)
                if despues != antes:
                    cambios[f"{codigo} T{t} ({formato.cantidad(antes)} → {formato.cantidad(despues)})"] = None
            if vieja is None or actividad is None:
                continue
            for etiqueta, atributo in _COMO_SE_MIDE:
                antes, despues = getattr(vieja, atributo), getattr(actividad, atributo)
                if despues != antes:
                    cambios[f"{codigo}: {etiqueta} ({_texto_de_medida(antes)} → {_texto_de_medida(despues)})"] = None
            territoriales = {m.dependencia_id: m for m in vieja.metas_territoriales}
            for meta in actividad.metas_territoriales:
                previa = territoriales.get(meta.dependencia_id)
                for t in sorted(trimestres):
                    antes = previa.meta_trimestre(t) if previa is not None else Decimal(0)
                    if meta.meta_trimestre(t) != antes:
                        cambios[f"{codigo} T{t} de {meta.dependencia.nombre}"] = None
    return list(cambios)
