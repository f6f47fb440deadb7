"""Seguimiento trimestral (actividades 16 a 19): una función de servicio por paso.

Cada función verifica quién la pide y en qué estado está lo que toca, cambia, deja el historial y hace
flush. Nunca hace commit: lo hace el borde (vista, acción o comando), que luego envía el correo encolado.
"""
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

from gestion.base import archivos, formato
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import EdicionConcurrente, OperacionRechazada, guardar_filas
from gestion.base.formato import leer_numero, numero
from gestion.planes.consultas import items_a_reportar
from gestion.reglas import flujo
from gestion.reglas.flujo import registrar_historial
from gestion.reglas.permisos import EDITAR, AccesoDenegado, puede
from gestion.reglas.ventanas import abierta_para as ventana_abierta_para
from gestion.seguimiento import cifras_guardadas
from gestion.seguimiento.consultas import bajo_meta, codigo_de, como_queda, meta_de, planes_a_reportar, reporte_de
from modelos import Actividad, Avance, EstadoReporte, Plan, ReporteTrimestral, Vigencia, db
from modelos.base import DECIMALES_CANTIDAD

# Extensión → firmas con que empieza un archivo legítimo de ese tipo (None: texto plano).
CARPETA_EVIDENCIAS = "evidencias"


class SeguimientoInvalido(OperacionRechazada):
    """La operación no procede: nada cambió."""


# --- ventanas de reporte ----------------------------------------------------------------------


# --- qué reporta cada dependencia -------------------------------------------------------------


# --- reportes ---------------------------------------------------------------------------------
def _exigir_editable(reporte, usuario, hoy):
    motivo = flujo.motivo_no_editable(usuario, reporte, hoy)
    if motivo:
        raise SeguimientoInvalido(motivo)


def abrir_reporte(plan: Plan, vigencia: Vigencia, trimestre: int, usuario, hoy: date | None = None) -> ReporteTrimestral:
    """El reporte del trimestre de la dependencia del usuario en `plan`; se crea con una fila por ítem."""
    existente = reporte_de(plan, usuario.dependencia_id, vigencia.id, trimestre)
    if existente is not None:
        return existente
    if not puede(usuario, EDITAR, "seguimiento") or usuario.dependencia_id is None:
        raise SeguimientoInvalido("Su rol no reporta avances.")
    if plan not in planes_a_reportar(usuario.dependencia_id, vigencia):
        raise SeguimientoInvalido(f"Su dependencia no tiene nada que reportar en «{plan}» para {vigencia}.")
    if not ventana_abierta_para(vigencia.id, trimestre, usuario.dependencia_id, hoy):
        raise SeguimientoInvalido(f"La ventana de reporte del trimestre {trimestre} de {vigencia} está cerrada.")
    reporte = ReporteTrimestral(plan=plan, dependencia_id=usuario.dependencia_id, vigencia=vigencia,
                                trimestre=trimestre, estado=EstadoReporte.EN_REPORTE)
    for item in items_a_reportar(plan, usuario.dependencia_id):
        clave = "actividad" if isinstance(item, Actividad) else "indicador"
        reporte.avances.append(Avance(**{clave: item}, valor_logrado=Decimal(0)))
    db.session.add(reporte)
    db.session.flush()
    registrar_historial(reporte, "abrir", None, EstadoReporte.EN_REPORTE, usuario)
    db.session.flush()
    return reporte


def _decimal(texto, nombre: str, decimales: int = 2) -> Decimal:
    """Vacío es cero, como en el formulario. Con más decimales de los que se guardan es un error: no se redondea."""
    try:
        valor = leer_numero(texto)
    except ValueError:
        raise SeguimientoInvalido(f"{nombre}: escriba un número.") from None
    if valor is not None and valor < 0:
        raise SeguimientoInvalido(f"{nombre}: debe ser un número mayor o igual a cero.")
    if valor is not None and formato.decimales(valor) > decimales:
        raise SeguimientoInvalido(f"{nombre}: {numero(valor, 28)} tiene {formato.decimales(valor)} decimales y se "
                                  f"guardan hasta {decimales}.")
    return valor if valor is not None else Decimal(0)


def _validar_enlace(enlace: str | None) -> str | None:
    enlace = (enlace or "").strip()
    if not enlace:
        return None
    partes = urlparse(enlace)
    if partes.scheme not in ("http", "https") or not partes.netloc:
        raise SeguimientoInvalido("El enlace de la evidencia debe empezar por http:// o https://.")
    return enlace[:500]


def ruta_evidencia(avance: Avance) -> Path | None:
    return archivos.ruta(avance.evidencia_archivo, CARPETA_EVIDENCIAS)


def registrar_avance(avance: Avance, usuario, *, valor, avance_cualitativo: str | None = None,
                     justificacion: str | None = None, enlace: str | None = None, comprometido=None,
                     pagado=None, archivo=None, hoy: date | None = None, version_leida=None) -> Avance:
    """Carga el avance de un ítem. La justificación es obligatoria si queda por debajo de lo programado.

    `version_leida`: la versión del avance que vio quien lo edita; si otro lo guardó después, se rechaza."""
    _exigir_editable(avance.reporte, usuario, hoy)
    if version_leida not in (None, "") and str(version_leida) != str(avance.version):
        nombre = codigo_de(avance)
        raise EdicionConcurrente(f"{nombre}: otra persona guardó este avance mientras usted lo editaba. "
                                 "Sus cambios no se guardaron: revise los valores actuales y vuelva a aplicarlos.")
    return aplicar_avance(avance, valor=valor, avance_cualitativo=avance_cualitativo, justificacion=justificacion,
                          enlace=enlace, comprometido=comprometido, pagado=pagado, archivo=archivo)


def aplicar_avance(avance: Avance, *, valor, avance_cualitativo: str | None = None, justificacion: str | None = None,
                   enlace: str | None = None, comprometido=None, pagado=None, archivo=None) -> Avance:
    """Las reglas del avance de un ítem, sin mirar quién lo carga: quien llama ya verificó que puede (el
    formulario, con `registrar_avance`; el libro propio, que también trae la OAP)."""
    nombre = codigo_de(avance)
    valor = _decimal(valor, f"{nombre} · valor logrado", DECIMALES_CANTIDAD)
    comprometido = _decimal(comprometido, f"{nombre} · presupuesto comprometido")
    pagado = _decimal(pagado, f"{nombre} · presupuesto pagado")
    if pagado > comprometido:
        raise SeguimientoInvalido(f"{nombre}: lo pagado no puede superar lo comprometido.")
    justificacion = (justificacion or "").strip() or None
    if bajo_meta(avance, valor) and not justificacion:
        raise SeguimientoInvalido(
            f"{nombre}: el valor logrado ({formato.cantidad(valor)}) {como_queda(avance)} lo programado "
            f"({formato.cantidad(meta_de(avance))}); "
            "escriba la justificación.")
    enlace = _validar_enlace(enlace)
    subido = ArchivoSubido.de_formulario(archivo)
    if subido is not None:
        archivos.retirar(avance.evidencia_archivo, CARPETA_EVIDENCIAS)
        avance.evidencia_archivo = archivos.guardar(subido, CARPETA_EVIDENCIAS, set(archivos.TIPOS), "Evidencia")
    avance.valor_logrado = valor
    avance.avance_cualitativo = (avance_cualitativo or "").strip() or None
    avance.justificacion = justificacion
    avance.evidencia_enlace = enlace
    avance.presupuesto_comprometido = comprometido
    avance.presupuesto_pagado = pagado
    db.session.flush()
    return avance


def guardar_reporte(reporte: ReporteTrimestral, usuario, valores: dict[int, dict], hoy: date | None = None) -> int:
    """Todas las filas del reporte a la vez, {avance_id: campos de `registrar_avance`}: si una falla, ninguna."""
    def guardar(avance):
        registrar_avance(avance, usuario, hoy=hoy, **valores.get(avance.id, {}))

    def detener(error):
        return isinstance(error, AccesoDenegado) or flujo.motivo_no_editable(usuario, reporte, hoy) is not None

    return guardar_filas(reporte.avances, guardar, detener)


def faltantes(reporte: ReporteTrimestral) -> list[str]:
    """Ítems por debajo de lo programado que no tienen justificación."""
    return [codigo_de(a)
            for a in reporte.avances if not a.justificacion and bajo_meta(a, a.valor_logrado)]


def enviar_reporte(reporte: ReporteTrimestral, usuario, hoy: date | None = None) -> None:
    """El reporte del trimestre se envía completo a la OAP (en reporte / devuelto → reportado)."""
    _exigir_editable(reporte, usuario, hoy)
    sin_justificar = faltantes(reporte)
    if sin_justificar:
        raise SeguimientoInvalido("Falta la justificación de lo que quedó por debajo de lo programado: "
                                  + ", ".join(sin_justificar) + ".")
    flujo.transicionar(reporte, "enviar", usuario, hoy=hoy)
    cifras_guardadas.actualizar_si_calculada(reporte.vigencia_id)  # el tablero lee las cifras guardadas


# --- diagnóstico, informe, remisión y comités -------------------------------------------------


