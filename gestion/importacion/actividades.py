"""Cargue de las actividades de un Plan de Acción desde Excel (actividad 10: elaboración y cargue).

`plantilla(plan)` entrega el libro con las actividades actuales y una hoja «Listas» con los códigos
válidos; `importar(plan, contenido, usuario)` valida todas las filas y, solo si ninguna tiene error,
reemplaza las actividades del plan por las del archivo: todo o nada. Lo que no se puede guardar
(números, fechas, códigos desconocidos) se rechaza aquí; la metodología de la OAP (pesos que suman
100, trimestres que suman la meta anual, fechas dentro de la vigencia) la sigue mostrando la lista de
chequeo del plan (`gestion.controles_plan_accion`).
"""
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gestion import flujo, formato
from gestion import plan_accion as servicio_plan
from gestion.excel import plantilla_actividades
from gestion.excel.plantilla_actividades import CAMPOS, CANTIDADES, DIRECCIONES, TERRITORIAL
from gestion.flujo import TransicionInvalida
from gestion.formato import leer_fecha, leer_numero
from gestion.importacion.lectura import ErrorFila, ImportacionRechazada, leer_filas, normalizar
from gestion.lecturas import Catalogos, catalogos
from gestion.permisos import AccesoDenegado
from modelos import Actividad, Plan, TipoPlan, db

CENTAVO = Decimal("0.01")
MAXIMO_CANTIDAD = Decimal("1e12")  # Numeric(14, 2)
MAXIMO_PESOS = Decimal("1e16")  # Numeric(18, 2)
LONGITUDES = {"codigo": 20, "descripcion": 500, "indicador": 300, "formula": 300, "responsable": 200}


# --- plantilla ------------------------------------------------------------------------------------
def plantilla(plan: Plan) -> bytes:
    return plantilla_actividades.libro(plan, catalogos(plan))


# --- lectura de celdas ----------------------------------------------------------------------------
def _texto(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)  # un código o un BPIN escrito como número
    return str(valor).strip()


def _numero(valor) -> Decimal | None:
    numero = leer_numero(valor)
    return None if numero is None else numero.quantize(CENTAVO, ROUND_HALF_UP)


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
        if campo.atributo in LONGITUDES:
            texto = _texto(celdas.get(normalizar(campo.titulo)))
            if len(texto) > LONGITUDES[campo.atributo]:
                error(f"«{campo.titulo}» tiene {len(texto)} caracteres; el máximo es {LONGITUDES[campo.atributo]}.",
                      campo.titulo)
            datos[campo.atributo] = texto or None
    for atributo, titulo in (("codigo", "Código"), ("descripcion", "Descripción")):
        if not datos[atributo]:
            error(f"falta «{titulo}».", titulo)

    for campo in CAMPOS:
        if campo.atributo not in CANTIDADES + ("peso", "presupuesto"):
            continue
        crudo = celdas.get(normalizar(campo.titulo))
        try:
            valor = _numero(crudo)
        except ValueError:
            error(f"«{campo.titulo}»: «{crudo}» no es un número.", campo.titulo)
            continue
        valor = Decimal(0) if valor is None else valor
        if valor < 0:
            error(f"«{campo.titulo}» no puede ser negativo ({formato.numero(valor)}).", campo.titulo)
        elif campo.atributo == "peso" and valor > 100:
            error(f"«{campo.titulo}» va de 0 a 100 ({formato.numero(valor)}).", campo.titulo)
        elif valor >= (MAXIMO_PESOS if campo.atributo == "presupuesto" else MAXIMO_CANTIDAD):
            error(f"«{campo.titulo}» es demasiado grande ({formato.numero(valor)}).", campo.titulo)
        datos[campo.atributo] = valor

    for atributo, titulo in (("fecha_inicio", "Fecha inicio"), ("fecha_fin", "Fecha fin")):
        crudo = celdas.get(normalizar(titulo))
        try:
            datos[atributo] = leer_fecha(crudo)
        except ValueError:
            error(f"«{titulo}»: «{crudo}» no es una fecha (use dd/mm/aaaa).", titulo)
            datos[atributo] = None
    if datos["fecha_inicio"] and datos["fecha_fin"] and datos["fecha_fin"] < datos["fecha_inicio"]:
        error(f"la fecha fin ({datos['fecha_fin']:%d/%m/%Y}) es anterior a la de inicio "
              f"({datos['fecha_inicio']:%d/%m/%Y}).")

    referencias = (("objetivo", "Objetivo PEI", validos.objetivos, "no es un objetivo del PEI vigente"),
                   ("politica", "Política MIPG", validos.politicas, "no es una política MIPG activa"),
                   ("unidad", "Unidad", validos.unidades, "no es una unidad de medida del catálogo"),
                   ("proyecto", "BPIN proyecto", validos.proyectos,
                    "no es un proyecto de inversión activo de la dependencia del plan"))
    for atributo, titulo, opciones, problema in referencias:
        codigo = _texto(celdas.get(normalizar(titulo)))
        datos[atributo] = _buscar(opciones, codigo) if codigo else None
        if codigo and datos[atributo] is None:
            error(f"«{titulo}» «{codigo}» {problema} (vea la hoja «Listas»).", titulo)
    _validar_territorial(celdas, validos, datos, error)
    return datos


SI, NO = {"si", "s", "x", "1", "true", "verdadero"}, {"no", "n", "0", "false", "falso", ""}


def _validar_territorial(celdas: dict, validos: Catalogos, datos: dict, error) -> None:
    """Solo si el libro trae las columnas: un libro viejo sin ellas deja la actividad como estaba."""
    if normalizar(TERRITORIAL.titulo) not in celdas:
        return
    marca = normalizar(_texto(celdas.get(normalizar(TERRITORIAL.titulo))))
    if marca not in SI | NO:
        error(f"«{TERRITORIAL.titulo}» debe ser Sí o No, no «{marca}».", TERRITORIAL.titulo)
    datos["territorial"] = marca in SI
    escritas = [c for c in re.split(r"[,;\s]+", _texto(celdas.get(normalizar(DIRECCIONES.titulo))).upper()) if c]
    desconocidas = [c for c in escritas if c not in validos.direcciones]
    if desconocidas:
        error(f"«{DIRECCIONES.titulo}»: {', '.join(desconocidas)} no es una Dirección Territorial activa "
              "(vea la hoja «Listas»).", DIRECCIONES.titulo)
    if escritas and not datos["territorial"]:
        error(f"tiene Direcciones Territoriales pero «{TERRITORIAL.titulo}» no dice Sí.", TERRITORIAL.titulo)
    datos["direcciones"] = [validos.direcciones[c] for c in escritas if c in validos.direcciones]


@dataclass
class Carga:
    cargadas: int
    borradas: list[str] = field(default_factory=list)  # códigos que ya no venían en el archivo

    def mensaje(self, plan: Plan) -> str:
        texto = f"{self.cargadas} actividades cargadas desde Excel en «{plan}»."
        if self.borradas:
            texto += (f" Se borraron {len(self.borradas)} que ya no venían en el archivo: "
                      f"{', '.join(self.borradas)}.")
        return texto


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


def exigir_carga(plan: Plan, usuario) -> None:
    motivo = motivo_no_cargar(usuario, plan)
    if motivo is None:
        return
    if plan.tipo is TipoPlan.PA and flujo.contenido_editable(plan):
        raise AccesoDenegado(motivo)
    raise TransicionInvalida(motivo)


def validar_filas(plan: Plan, filas: list[tuple[int, dict]]) -> tuple[list[dict], list[ErrorFila]]:
    """Cada fila leída ({título normalizado: valor}) como datos de una actividad, y todos los errores."""
    validos = catalogos(plan)
    errores: list[ErrorFila] = []
    leidas, primera_fila = [], {}
    for numero, celdas in filas:
        datos = _validar_fila(numero, celdas, validos, errores)
        codigo = datos["codigo"]
        if codigo and codigo in primera_fila:
            errores.append(ErrorFila(numero, f"el código «{codigo}» ya está en la fila {primera_fila[codigo]}.",
                                     CAMPOS[0].titulo))
        elif codigo:
            primera_fila[codigo] = numero
        leidas.append(datos)
    return leidas, errores


def importar(plan: Plan, contenido: bytes, usuario) -> Carga:
    """Reemplaza las actividades del plan por las de la plantilla; dice cuántas quedaron y cuáles se borraron."""
    exigir_carga(plan, usuario)
    return importar_filas(plan, leer_filas(contenido, [c.titulo for c in CAMPOS]), usuario)


def importar_filas(plan: Plan, filas: list[tuple[int, dict]], usuario, origen: str = "Excel") -> Carga:
    """Todo o nada. Un código que ya existe se actualiza en su sitio (conserva su id y las metas de las
    Direcciones Territoriales que siguen asignadas); los códigos que no vienen se borran; los nuevos se crean."""
    exigir_carga(plan, usuario)
    if not filas:
        raise ImportacionRechazada(["El libro no tiene actividades: una fila por actividad debajo de los títulos."])
    leidas, errores = validar_filas(plan, filas)
    if errores:
        raise ImportacionRechazada(errores)

    actuales = {a.codigo: a for a in plan.actividades}
    codigos = {d["codigo"] for d in leidas}
    borradas = sorted(c for c in actuales if c not in codigos)
    for codigo in borradas:
        plan.actividades.remove(actuales[codigo])
    db.session.flush()
    for datos in leidas:
        actividad = actuales.get(datos["codigo"])
        if actividad is None:
            actividad = Actividad()
            plan.actividades.append(actividad)
        direcciones = datos.pop("direcciones", None)
        territorial = datos.pop("territorial", None)
        for atributo, valor in datos.items():
            setattr(actividad, atributo, valor)
        if territorial is not None:
            db.session.flush()
            actividad.territorial = True  # el servicio solo asigna DT a una actividad territorial
            servicio_plan.asignar_territoriales(actividad, direcciones, usuario)
            actividad.territorial = territorial
    db.session.flush()
    flujo.registrar_historial(plan, "cargar_excel", plan.estado, plan.estado, usuario,
                              f"{len(leidas)} actividades cargadas desde {origen}")
    db.session.flush()
    return Carga(len(leidas), borradas)
