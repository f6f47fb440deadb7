"""Cargue de las actividades de un Plan de Acción desde Excel (actividad 10: elaboración y cargue).

`plantilla(plan)` entrega el libro con las actividades actuales y una hoja «Listas» con los códigos
válidos; `importar(plan, contenido, usuario)` valida todas las filas y, solo si ninguna tiene error,
reemplaza las actividades del plan por las del archivo: todo o nada. Lo que no se puede guardar
(números, fechas, códigos desconocidos) se rechaza aquí; la metodología de la OAP (pesos que suman
100, trimestres que suman la meta anual, fechas dentro de la vigencia) la sigue mostrando la lista de
chequeo del plan (`gestion.reglas.controles_plan_accion`).
"""
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from gestion.base import auditoria, formato, validacion
from gestion.base.formato import leer_fecha, leer_numero
from gestion.excel import plantilla_actividades
from gestion.excel.plantilla_actividades import CAMPOS, DIRECCIONES, TERRITORIAL
from gestion.importacion.lectura import SIN_MARCHA, ErrorFila, ImportacionRechazada, Marcha, normalizar, recorrer_filas
from gestion.planes import campos
from gestion.planes.consultas import Catalogos, catalogos
from gestion.reglas import flujo
from gestion.reglas.flujo import TransicionInvalida
from gestion.reglas.permisos import AccesoDenegado
from modelos import Actividad, Avance, MetaTerritorial, Plan, TipoPlan, db

# Cada columna por su etiqueta o por el título que tenía en las plantillas de años anteriores; las opcionales
# pueden faltar.
OBLIGATORIAS = [c.titulos for c in CAMPOS if not c.opcional]
MAXIMO_CANTIDAD = Decimal("1e12")  # Numeric(18, 6)
MAXIMO_PESOS = Decimal("1e16")  # Numeric(18, 2)


# --- plantilla ------------------------------------------------------------------------------------
def plantilla(plan: Plan) -> bytes:
    return plantilla_actividades.libro(plan, catalogos(plan))


# --- lectura de celdas ----------------------------------------------------------------------------
# La clave de cada título, calculada una vez y no en cada celda de cada fila.
_clave = functools.lru_cache(maxsize=None)(normalizar)


def _texto(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)  # un código o un BPIN escrito como número
    return str(valor).strip()


def _numero(valor) -> Decimal | None:
    return leer_numero(valor)


def _buscar(opciones: dict, texto: str):
    """Por código o, en el libro propio de una oficina, por el nombre del catálogo («Número», «Pesos»)."""
    encontrado = opciones.get(texto.upper())
    if encontrado is None:
        buscado = normalizar(texto)
        encontrado = next((o for o in opciones.values() if normalizar(getattr(o, "nombre", "")) == buscado), None)
    return encontrado


# --- validación -----------------------------------------------------------------------------------
def _validar_fila(numero: int, celdas: dict, validos: Catalogos, errores: list) -> dict:
    datos: dict = {}

    def error(mensaje, columna=None):
        errores.append(ErrorFila(numero, mensaje, columna))

    for campo in CAMPOS:
        if campo.tipo == campos.TEXTO:
            texto = _texto(celdas.get(_clave(campo.etiqueta)))
            if len(texto) > campo.longitud:
                error(f"«{campo.etiqueta}» tiene {len(texto)} caracteres; el máximo es {campo.longitud}.",
                      campo.etiqueta)
            elif validacion.texto_con_control(texto):
                error(f"«{campo.etiqueta}» tiene caracteres de control (como los que deja copiar de otro programa): "
                      "bórrelos y vuelva a escribir el texto.", campo.etiqueta)
            datos[campo.nombre] = texto or None
    for nombre in ("codigo", "descripcion"):
        if not datos[nombre]:
            error(f"falta «{campos.POR_NOMBRE[nombre].etiqueta}».", campos.POR_NOMBRE[nombre].etiqueta)

    for campo in CAMPOS:
        if not campo.numerico or (campo.opcional and _clave(campo.etiqueta) not in celdas):
            continue
        crudo = celdas.get(_clave(campo.etiqueta))
        try:
            valor = _numero(crudo)
        except ValueError:
            error(f"«{campo.etiqueta}»: «{crudo}» no es un número.", campo.etiqueta)
            continue
        if valor is None and campo.anulable:
            datos[campo.nombre] = None
            continue
        valor = Decimal(0) if valor is None else valor
        if valor < 0:
            error(f"«{campo.etiqueta}» no puede ser negativo ({formato.numero(valor)}).", campo.etiqueta)
        elif campo.tipo == campos.PORCENTAJE and valor > 100:
            error(f"«{campo.etiqueta}» va de 0 a 100 ({formato.numero(valor)}).", campo.etiqueta)
        elif valor >= (MAXIMO_PESOS if campo.tipo == campos.PESOS else MAXIMO_CANTIDAD):
            error(f"«{campo.etiqueta}» es demasiado grande ({formato.numero(valor)}).", campo.etiqueta)
        elif formato.decimales(valor) > campo.decimales:
            error(f"«{campo.etiqueta}»: {formato.numero(valor, 28)} tiene {formato.decimales(valor)} decimales y se "
                  f"guardan hasta {campo.decimales}: redondéelo en el libro como deba quedar.", campo.etiqueta)
        datos[campo.nombre] = valor

    for campo in CAMPOS:
        if campo.tipo != campos.FECHA:
            continue
        crudo = celdas.get(_clave(campo.etiqueta))
        try:
            datos[campo.nombre] = leer_fecha(crudo)
        except ValueError:
            error(f"«{campo.etiqueta}»: «{crudo}» no es una fecha (use dd/mm/aaaa).", campo.etiqueta)
            datos[campo.nombre] = None
    if datos["fecha_inicio"] and datos["fecha_fin"] and datos["fecha_fin"] < datos["fecha_inicio"]:
        error(f"la fecha fin ({datos['fecha_fin']:%d/%m/%Y}) es anterior a la de inicio "
              f"({datos['fecha_inicio']:%d/%m/%Y}).")

    # Qué catálogo valida cada referencia, y qué dice si el código no está en él.
    referencias = {"objetivo": (validos.objetivos, "no es un objetivo del PEI vigente"),
                   "politica": (validos.politicas, "no es una política MIPG activa"),
                   "unidad": (validos.unidades, "no es una unidad de medida del catálogo"),
                   "proyecto": (validos.proyectos, "no es un proyecto de inversión activo de la dependencia del plan")}
    for campo in CAMPOS:
        if campo.tipo != campos.REFERENCIA:
            continue
        opciones, problema = referencias[campo.nombre]
        codigo = _texto(celdas.get(_clave(campo.etiqueta)))
        datos[campo.nombre] = _buscar(opciones, codigo) if codigo else None
        if codigo and datos[campo.nombre] is None:
            error(f"«{campo.etiqueta}» «{codigo}» {problema} (vea la hoja «Listas»).", campo.etiqueta)
    # Las que citan varios códigos, separados por coma o punto y coma.
    varias = {"planes_institucionales": (validos.planes_institucionales, "no es un plan institucional activo")}
    for campo in CAMPOS:
        if campo.tipo != campos.VARIAS or _clave(campo.etiqueta) not in celdas:
            continue
        opciones, problema = varias[campo.nombre]
        elegidos = []
        for codigo in filter(None, (c.strip() for c in re.split(r"[,;]", _texto(celdas.get(_clave(campo.etiqueta)))))):
            encontrado = _buscar(opciones, codigo)
            if encontrado is None:
                error(f"«{campo.etiqueta}» «{codigo}» {problema} (vea la hoja «Listas»).", campo.etiqueta)
            elif encontrado not in elegidos:
                elegidos.append(encontrado)
        datos[campo.nombre] = elegidos
    # Las que se eligen de un enum, por su etiqueta (o su valor guardado); vacía, la primera opción (o ninguna, si
    # el campo puede quedar sin valor).
    for campo in CAMPOS:
        if campo.tipo != campos.OPCION or _clave(campo.etiqueta) not in celdas:
            continue
        escrito = normalizar(_texto(celdas.get(_clave(campo.etiqueta))))
        opciones = list(campo.opciones)
        if not escrito and campo.anulable:
            datos[campo.nombre] = None
            continue
        datos[campo.nombre] = next((o for o in opciones if escrito in (normalizar(o.etiqueta), o.value)),
                                   opciones[0] if not escrito else None)
        if datos[campo.nombre] is None:
            error(f"«{campo.etiqueta}» «{_texto(celdas.get(_clave(campo.etiqueta)))}» no es una opción: escriba "
                  f"{', '.join(o.etiqueta for o in opciones)}.", campo.etiqueta)
    _validar_territorial(celdas, validos, datos, error)
    return datos


SI, NO = {"si", "s", "x", "1", "true", "verdadero"}, {"no", "n", "0", "false", "falso", ""}


def _validar_territorial(celdas: dict, validos: Catalogos, datos: dict, error) -> None:
    """Solo si el libro trae las columnas: un libro viejo sin ellas deja la actividad como estaba."""
    if _clave(TERRITORIAL.etiqueta) not in celdas:
        return
    marca = normalizar(_texto(celdas.get(_clave(TERRITORIAL.etiqueta))))
    if marca not in SI | NO:
        error(f"«{TERRITORIAL.etiqueta}» debe ser Sí o No, no «{marca}».", TERRITORIAL.etiqueta)
    datos["territorial"] = marca in SI
    escritas = [c for c in re.split(r"[,;\s]+", _texto(celdas.get(_clave(DIRECCIONES.etiqueta))).upper()) if c]
    desconocidas = [c for c in escritas if c not in validos.direcciones]
    if desconocidas:
        error(f"«{DIRECCIONES.etiqueta}»: {', '.join(desconocidas)} no es una Dirección Territorial activa "
              "(vea la hoja «Listas»).", DIRECCIONES.etiqueta)
    if escritas and not datos["territorial"]:
        error(f"tiene Direcciones Territoriales pero «{TERRITORIAL.etiqueta}» no dice Sí.", TERRITORIAL.etiqueta)
    datos["direcciones"] = [validos.direcciones[c] for c in escritas if c in validos.direcciones]


# Cuántos códigos borrados nombra el mensaje: la lista entera ya la vio y confirmó quien cargó, y un mensaje
# con miles de códigos no cabe en la cookie de la sesión (el navegador la descarta sin avisar).
CODIGOS_EN_MENSAJE = 10


@dataclass
class Carga:
    cargadas: int
    borradas: list[str] = field(default_factory=list)  # códigos que ya no venían en el archivo

    def mensaje(self, plan: Plan) -> str:
        texto = f"{self.cargadas} actividades cargadas desde Excel en «{plan}»."
        if self.borradas:
            primeros = ", ".join(self.borradas[:CODIGOS_EN_MENSAJE])
            resto = len(self.borradas) - CODIGOS_EN_MENSAJE
            texto += (f" Se borraron, como usted confirmó, {len(self.borradas)} que ya no venían en el archivo: "
                      f"{primeros}{f' y {resto} más' if resto > 0 else ''}.")
        return texto


@dataclass
class PorBorrar:
    """Una actividad del plan que el archivo no trae: lo que se perdería con ella."""

    codigo: str
    descripcion: str
    direcciones: list[str]  # las Direcciones Territoriales que ya fijaron sus metas
    reportes: int  # trimestres en que ya se reportó su avance


class BorradoSinConfirmar(TransicionInvalida):
    def __init__(self, por_borrar: list[str]):
        self.por_borrar = por_borrar
        super().__init__(f"No se cargó nada: el archivo no trae {len(por_borrar)} actividad(es) que el plan tiene "
                         "y cargarlo las borraría. Cárguelo de nuevo para ver cuáles son y confirmarlo.")


def codigos_del_libro(contenido: bytes) -> set[str] | None:
    """Los códigos de actividad que trae el libro; None si no se deja leer (la carga dirá por qué)."""
    try:
        return {codigo for _, celdas in recorrer_filas(contenido, OBLIGATORIAS)
                if (codigo := _texto(celdas.get(_clave(campos.POR_NOMBRE["codigo"].etiqueta))))}
    except ImportacionRechazada:
        return None


def por_borrar(plan: Plan, codigos: set[str]) -> list[PorBorrar]:
    """Las actividades del plan cuyo código no está en `codigos`, con sus metas territoriales y sus reportes."""
    actividades = db.session.scalars(
        sa.select(Actividad).where(Actividad.plan_id == plan.id, Actividad.codigo.not_in(codigos) if codigos
                                   else sa.true())
        .options(selectinload(Actividad.metas_territoriales).joinedload(MetaTerritorial.dependencia))
        .order_by(Actividad.codigo)).all()
    reportes = dict(db.session.execute(
        sa.select(Avance.actividad_id, sa.func.count(Avance.id))
        .where(Avance.actividad_id.in_([a.id for a in actividades])).group_by(Avance.actividad_id)).all()) \
        if actividades else {}
    return [PorBorrar(a.codigo, a.descripcion, sorted(m.dependencia.nombre for m in a.metas_territoriales),
                      reportes.get(a.id, 0)) for a in actividades]


def motivo_no_cargar(usuario, plan: Plan) -> str | None:
    """None si `usuario` puede cargar ahora las actividades de `plan`; si no, la razón en español."""
    if flujo.puede_editar_contenido(usuario, plan):
        return None
    if plan.tipo is not TipoPlan.PA:
        return "Solo se cargan desde Excel las actividades de un Plan de Acción."
    if not flujo.contenido_editable(plan):
        return (f"«{plan}» está {plan.estado.etiqueta.lower()}: sus actividades ya no se cargan. "
                "Se cargan en borrador o devuelto con observaciones; un plan aprobado cambia por ajuste.")
    return "Solo el director de la dependencia carga las actividades de su plan de acción."


def negar(plan: Plan, motivo: str | None) -> None:
    """La negativa de un cargue, si hay motivo: de acceso si el plan se puede editar (es por el rol o la
    dependencia), de estado si no."""
    if motivo is None:
        return
    if plan.tipo is TipoPlan.PA and flujo.contenido_editable(plan):
        raise AccesoDenegado(motivo)
    raise TransicionInvalida(motivo)


def exigir_carga(plan: Plan, usuario) -> None:
    negar(plan, motivo_no_cargar(usuario, plan))


def validar_filas(plan: Plan, filas: Iterable[tuple[int, dict]]) -> tuple[list[dict], list[ErrorFila]]:
    """Cada fila leída ({título normalizado: valor}) como datos de una actividad, y todos los errores. `filas`
    puede ser la lectura misma (`recorrer_filas`): se valida mientras se lee."""
    validos = catalogos(plan)
    errores: list[ErrorFila] = []
    leidas, primera_fila = [], {}
    for numero, celdas in filas:
        datos = _validar_fila(numero, celdas, validos, errores)
        codigo = datos["codigo"]
        if codigo and codigo in primera_fila:
            errores.append(ErrorFila(numero, f"el código «{codigo}» ya está en la fila {primera_fila[codigo]}.",
                                     CAMPOS[0].etiqueta))
        elif codigo:
            primera_fila[codigo] = numero
        leidas.append(datos)
    return leidas, errores


def importar(plan: Plan, contenido: bytes, usuario, marcha: Marcha = SIN_MARCHA, borrar: Iterable[str] = ()) -> Carga:
    """Reemplaza las actividades del plan por las de la plantilla; dice cuántas quedaron y cuáles se borraron.
    `marcha` sabe por qué fila va la validación y cuándo empieza a guardar (un trabajo lo muestra). Solo borra
    las que quien carga vio y confirmó (`borrar`); si faltan otras, no carga nada (`BorradoSinConfirmar`)."""
    exigir_carga(plan, usuario)
    return importar_filas(plan, recorrer_filas(contenido, OBLIGATORIAS, marcha=marcha), usuario,
                          marcha=marcha, borrar=set(borrar))


REFERENCIAS = tuple(c.nombre for c in CAMPOS if c.tipo == campos.REFERENCIA)
VARIOS = tuple(c.nombre for c in CAMPOS if c.tipo == campos.VARIAS)  # muchos a muchos: su tabla de enlace
LOTE = 900  # ids por sentencia IN: bajo el límite de parámetros de SQLite


def importar_filas(plan: Plan, filas: Iterable[tuple[int, dict]], usuario, origen: str = "Excel", exigir=exigir_carga,
                   marcha: Marcha = SIN_MARCHA, borrar: set[str] | None = None) -> Carga:
    """Todo o nada. Un código que ya existe se actualiza en su sitio (conserva su id y las metas de las
    Direcciones Territoriales que siguen asignadas); los códigos que no vienen se borran; los nuevos se crean.

    Con volumen (miles de filas): las nuevas se insertan con una sola sentencia y las que no vienen se borran
    con otra, cada lote con sus eventos de auditoría escritos también de una vez; una actividad que no cambia
    no se toca (ni se reescribe ni deja evento), así que volver a subir el mismo libro no escribe nada."""
    exigir(plan, usuario)
    leidas, errores = validar_filas(plan, filas)
    if errores:
        raise ImportacionRechazada(errores)
    if not leidas:
        raise ImportacionRechazada(["El libro no tiene actividades: una fila por actividad debajo de los títulos."])
    marcha.guardando(len(leidas))  # desde aquí se escribe: ya no se confirma nada hasta el final

    con_territorial = any("territorial" in d for d in leidas)
    consulta = sa.select(Actividad).where(Actividad.plan_id == plan.id)
    if con_territorial:
        consulta = consulta.options(selectinload(Actividad.metas_territoriales))
    actuales = {a.codigo: a for a in db.session.scalars(consulta)}
    codigos = {d["codigo"] for d in leidas}
    borradas = sorted(c for c in actuales if c not in codigos)
    sin_confirmar = [c for c in borradas if borrar is not None and c not in borrar]
    if sin_confirmar:
        raise BorradoSinConfirmar(sin_confirmar)
    _borrar(plan, [actuales.pop(c) for c in borradas])

    nuevas, territoriales_nuevas, varios_nuevas = [], [], []
    for datos in leidas:
        direcciones = datos.pop("direcciones", None)
        territorial = datos.pop("territorial", None)
        varios = {nombre: datos.pop(nombre) for nombre in VARIOS if nombre in datos}
        valores = {(f"{a}_id" if a in REFERENCIAS else a): (v.id if a in REFERENCIAS and v is not None else v)
                   for a, v in datos.items()}
        actividad = actuales.get(datos["codigo"])
        if actividad is None:
            nuevas.append(valores | {"plan_id": plan.id, "territorial": bool(territorial), "version": 1})
            territoriales_nuevas.append(direcciones or [])
            varios_nuevas.append(varios)
            continue
        for atributo, valor in valores.items():
            if getattr(actividad, atributo) != valor:  # asignar el mismo valor marcaría la fila como cambiada
                setattr(actividad, atributo, valor)
        for atributo, elegidos in varios.items():
            if {o.id for o in getattr(actividad, atributo)} != {o.id for o in elegidos}:
                setattr(actividad, atributo, elegidos)
        if territorial is not None:
            _asignar_direcciones(actividad, direcciones)
            if actividad.territorial != territorial:
                actividad.territorial = territorial
    _insertar(plan, nuevas, territoriales_nuevas, varios_nuevas)
    db.session.expire(plan, ["actividades"])
    flujo.registrar_historial(plan, "cargar_excel", plan.estado, plan.estado, usuario,
                              f"{len(leidas)} actividades cargadas desde {origen}")
    db.session.flush()
    return Carga(len(leidas), borradas)


def _lotes(elementos: list):
    for inicio in range(0, len(elementos), LOTE):
        yield elementos[inicio:inicio + LOTE]


def _borrar(plan: Plan, actividades: list[Actividad]) -> None:
    """Una sentencia por lote, no una por fila; las metas territoriales de esas actividades se van con ellas."""
    if not actividades:
        return
    db.session.flush()
    db.session.expire(plan, ["actividades"])  # la colección ya no debe citar las que se van
    for lote in _lotes(actividades):
        ids = [a.id for a in lote]
        metas = list(db.session.scalars(sa.select(MetaTerritorial).where(MetaTerritorial.actividad_id.in_(ids))))
        auditoria.registrar_borrado(metas + lote)
        sin_sincronizar = {"synchronize_session": False}
        for tabla, columna, _ in map(_enlace, VARIOS):  # SQLite no hace cumplir el ON DELETE CASCADE
            db.session.execute(sa.delete(tabla).where(columna.in_(ids)))
        db.session.execute(sa.delete(MetaTerritorial).where(MetaTerritorial.actividad_id.in_(ids)),
                           execution_options=sin_sincronizar)
        db.session.execute(sa.delete(Actividad).where(Actividad.id.in_(ids)), execution_options=sin_sincronizar)
        for objeto in metas + lote:
            db.session.expunge(objeto)


def _enlace(nombre: str):
    """La tabla de enlace de una relación muchos a muchos de la actividad, su columna hacia la actividad y la otra."""
    relacion = getattr(Actividad, nombre).property
    (_, hacia_actividad), = relacion.synchronize_pairs
    (_, hacia_catalogo), = relacion.secondary_synchronize_pairs
    return relacion.secondary, hacia_actividad, hacia_catalogo


def _insertar(plan: Plan, nuevas: list[dict], direcciones: list[list], varios: list[dict]) -> None:
    """Todas las actividades nuevas en una sentencia de varias filas, con su evento de alta cada una. Sin
    RETURNING: SQLite, para devolver los ids en orden, insertaría fila por fila; los ids se leen luego por
    código (único en el plan), en una consulta."""
    if not nuevas:
        return
    columnas = [a.key for a in sa.inspect(Actividad).column_attrs if a.key != "id"]
    # Lo que un libro de antes no trae (un campo opcional) toma el valor por omisión del modelo.
    omision = {c.key: c.default.arg for c in Actividad.__table__.c if c.default is not None and c.default.is_scalar}
    filas = [{c: v.get(c, omision.get(c)) for c in columnas} for v in nuevas]
    db.session.execute(sa.insert(Actividad.__table__), filas)
    id_de = dict(db.session.execute(sa.select(Actividad.codigo, Actividad.id).where(Actividad.plan_id == plan.id))
                 .all())
    ids = [id_de[f["codigo"]] for f in filas]
    auditoria.registrar_lote("crear", Actividad.__tablename__,
                             [(i, auditoria.cambios_de_valores(Actividad, f | {"id": i})) for i, f in zip(ids, filas, strict=True)])
    for nombre in VARIOS:
        tabla, hacia_actividad, hacia_catalogo = _enlace(nombre)
        enlaces = [{hacia_actividad.name: i, hacia_catalogo.name: o.id}
                   for i, elegidos in zip(ids, varios, strict=True) for o in elegidos.get(nombre, ())]
        if enlaces:
            db.session.execute(sa.insert(tabla), enlaces)
    # Las metas de las Direcciones Territoriales, pocas, por el ORM (que las audita al guardar).
    db.session.add_all(MetaTerritorial(actividad_id=i, dependencia_id=d.id)
                       for i, elegidas in zip(ids, direcciones, strict=True) for d in elegidas)


def _asignar_direcciones(actividad: Actividad, direcciones: list) -> None:
    """Conserva las metas de las DT que siguen asignadas (las ya fijadas no se pierden); quita y agrega las demás.
    Las reglas de `plan_accion.asignar_territoriales` ya las revisó la validación de la fila."""
    elegidas = {d.id for d in direcciones or []}
    for meta in list(actividad.metas_territoriales):
        if meta.dependencia_id not in elegidas:
            actividad.metas_territoriales.remove(meta)
    actuales = {m.dependencia_id for m in actividad.metas_territoriales}
    for dependencia_id in sorted(elegidas - actuales):
        actividad.metas_territoriales.append(MetaTerritorial(dependencia_id=dependencia_id))
