"""Carga por Excel del reporte trimestral (actividad 16): la plantilla del reporte y su importación.

La importación es todo o nada: se leen y validan todas las filas, se guarda cada una con
`reportes.registrar_avance` (las mismas reglas del formulario) dentro de un savepoint y, si alguna
falla, se deshace todo y se informan todos los errores con su fila. No envía el reporte: el dueño lo
revisa y lo envía como siempre. Las evidencias en archivo no viajan en el Excel; los enlaces sí.
"""
from datetime import date
from decimal import Decimal

from gestion.base import formato
from gestion.base.errores import OperacionRechazada
from gestion.base.formato import leer_numero
from gestion.base.formato import numero as numero_co
from gestion.excel import plantilla_avances
from gestion.excel.plantilla_avances import (
    CODIGO,
    COMPROMETIDO,
    CUALITATIVO,
    ENLACE,
    HOJA_REPORTE,
    IDENTIFICADOR,
    JUSTIFICACION,
    PAGADO,
    VALOR,
)
from gestion.importacion.lectura import SIN_MARCHA, ErrorFila, ImportacionRechazada, Marcha, leer_filas, normalizar, recorrer_filas
from gestion.reglas import flujo
from gestion.seguimiento import consultas, reportes
from gestion.seguimiento.consultas import avances_por_codigo, codigo_de, items_de_reporte
from modelos import ReporteTrimestral, db
from modelos.base import DECIMALES_CANTIDAD

# Ítem y meta son informativas: se ignoran al cargar.
OBLIGATORIAS = [CODIGO, VALOR, CUALITATIVO, JUSTIFICACION, ENLACE, COMPROMETIDO, PAGADO]
# Lo que caben las columnas Numeric(18, 6) y Numeric(18, 2): un valor mayor no llega a la base.
MAXIMOS = {VALOR: Decimal(10) ** 12, COMPROMETIDO: Decimal(10) ** 16, PAGADO: Decimal(10) ** 16}


def plantilla(reporte: ReporteTrimestral) -> bytes:
    return plantilla_avances.libro(reporte, items_de_reporte(reporte))


def _numero(valor, nombre: str) -> Decimal:
    """Un número de la celda: 1.234,5 y 1.050.000 (Colombia), 42.5, o el número de Excel; vacío es cero."""
    if isinstance(valor, (bool, date)):
        raise ValueError(f"{nombre}: escriba un número.")
    try:
        numero = leer_numero(valor)
    except ValueError:
        raise ValueError(f"{nombre}: «{valor}» no es un número.") from None
    if numero is None:
        return Decimal(0)
    if numero < 0:
        raise ValueError(f"{nombre}: debe ser un número mayor o igual a cero.")
    if numero >= MAXIMOS[nombre]:
        raise ValueError(f"{nombre}: el valor es demasiado grande.")
    guardados = DECIMALES_CANTIDAD if nombre == VALOR else 2
    if formato.decimales(numero) > guardados:
        raise ValueError(f"{nombre}: {formato.numero(numero, 28)} tiene {formato.decimales(numero)} decimales y se "
                         f"guardan hasta {guardados}: redondéelo en el libro como deba quedar.")
    return numero


def _texto(valor) -> str | None:
    texto = str(valor).strip() if valor is not None else ""
    return texto or None


def _verificar_que_es_de_este_reporte(reporte: ReporteTrimestral, contenido: bytes) -> None:
    """La plantilla de otro trimestre o plan trae los mismos códigos: su hoja «Reporte» la delata."""
    try:
        datos = leer_filas(contenido, ["dato", "valor"], hoja=HOJA_REPORTE)
    except ImportacionRechazada:
        return  # sin la hoja (el usuario copió las filas a otro libro) no hay con qué comparar
    for _, fila in datos:
        if normalizar(fila.get("dato")) == normalizar(IDENTIFICADOR) and str(fila.get("valor")) != str(reporte.id):
            raise ImportacionRechazada([
                f"El archivo es la plantilla de otro reporte, no de «{reporte}». Descargue la plantilla de "
                "este reporte y cargue sus datos en ella."])


def mensaje(reporte: ReporteTrimestral, guardados: int) -> str:
    """Lo que se le dice a quien cargó el libro, en la página o en su trabajo."""
    sin_fila = len(reporte.avances) - guardados
    return (f"Avances cargados desde Excel: {guardados} ítem(s)"
            + (f"; {sin_fila} sin fila en el archivo quedaron como estaban" if sin_fila else "")
            + ". Revise el reporte y envíelo a la OAP cuando esté completo.")


def importar(reporte: ReporteTrimestral, contenido: bytes, usuario, hoy: date | None = None,
             marcha: Marcha = SIN_MARCHA) -> int:
    """Carga los avances del archivo en `reporte`; devuelve cuántos ítems se guardaron. Nunca hace commit.
    `marcha` sabe por qué fila va la validación y cuándo empieza a guardar (un trabajo lo muestra)."""
    motivo = flujo.motivo_no_editable(usuario, reporte, hoy)
    if motivo:
        raise reportes.SeguimientoInvalido(motivo)
    _verificar_que_es_de_este_reporte(reporte, contenido)

    avances = avances_por_codigo(reporte)
    normalizados = {normalizar(c): c for c in avances}
    errores: list[ErrorFila] = []
    vistos: dict[str, int] = {}
    validas = []
    leidas = 0
    for numero, fila in recorrer_filas(contenido, OBLIGATORIAS, marcha=marcha):  # se valida mientras se lee
        leidas += 1
        codigo = normalizados.get(normalizar(fila.get(normalizar(CODIGO))))
        escrito = _texto(fila.get(normalizar(CODIGO)))
        if escrito is None:
            errores.append(ErrorFila(numero, "falta el código.", CODIGO))
            continue
        if codigo is None:
            errores.append(ErrorFila(numero, f"el código «{escrito}» no es un ítem de este reporte.", CODIGO))
            continue
        if codigo in vistos:
            errores.append(ErrorFila(numero, f"el código {codigo} ya está en la fila {vistos[codigo]}.", CODIGO))
            continue
        vistos[codigo] = numero
        valores, fallas = {}, []
        for nombre in (VALOR, COMPROMETIDO, PAGADO):
            try:
                valores[nombre] = _numero(fila.get(normalizar(nombre)), nombre)
            except ValueError as error:
                fallas.append(ErrorFila(numero, f"{codigo} · {error}", nombre))
        errores.extend(fallas)
        if not fallas:
            validas.append((numero, avances[codigo], valores, fila))

    if not leidas:
        raise ImportacionRechazada(["El archivo no trae filas con datos."])

    # Cada fila válida pasa por el servicio del formulario; si una sola falla, no queda ninguna.
    marcha.guardando(len(validas))  # desde aquí se escribe: ya no se confirma nada hasta el final
    guardado = db.session.begin_nested()
    for numero, avance, valores, fila in validas:
        justificacion = _texto(fila.get(normalizar(JUSTIFICACION)))
        if justificacion is None and consultas.bajo_meta(avance, valores[VALOR]):
            errores.append(ErrorFila(numero, (
                f"{codigo_de(avance)}: el valor logrado ({numero_co(valores[VALOR])}) {consultas.como_queda(avance)} "
                f"la meta del trimestre ({numero_co(consultas.meta_de(avance))}); escriba la justificación."), JUSTIFICACION))
            continue
        try:
            reportes.registrar_avance(
                avance, usuario, valor=valores[VALOR], avance_cualitativo=_texto(fila.get(normalizar(CUALITATIVO))),
                justificacion=justificacion, enlace=_texto(fila.get(normalizar(ENLACE))),
                comprometido=valores[COMPROMETIDO], pagado=valores[PAGADO], hoy=hoy)
        except OperacionRechazada as error:
            errores.append(ErrorFila(numero, str(error)))
    if errores:
        guardado.rollback()
        raise ImportacionRechazada(sorted(errores, key=lambda e: e.fila))
    guardado.commit()
    return len(validas)
