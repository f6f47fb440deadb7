"""Seguimiento trimestral (actividades 16 a 19): una función de servicio por paso.

Cada función verifica quién la pide y en qué estado está lo que toca, cambia, deja el historial y hace
flush. Nunca hace commit: lo hace el borde (vista, acción o comando), que luego envía el correo encolado.
"""
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import sqlalchemy as sa
from flask import current_app

from gestion.base import formato
from gestion.planes import actas, versiones
from gestion.base import archivos, correo
from gestion.seguimiento import cifras, cifras_guardadas
from gestion.reglas import flujo
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import EdicionConcurrente, OperacionRechazada, guardar_filas
from gestion.excel import informe as excel_informe
from gestion.excel.libro import TIPO_MIME
from gestion.reglas.flujo import registrar_historial
from gestion.reglas.ventanas import abierta_para as ventana_abierta_para
from gestion.base.formato import leer_numero, numero
from gestion.reglas.permisos import EDITAR, AccesoDenegado, exigir, puede
from modelos import (AccionDerivada, Actividad, Dependencia, Avance, DiagnosticoTrimestral, EstadoAccion, EstadoPlan,
                     EstadoReporte, Indicador, InformeSeguimiento, Instancia, MetaIndicador, MetaTerritorial,
                     Objetivo, Plan, PresentacionComite, ReaperturaVentana, ReporteTrimestral, TipoPlan,
                     VentanaReporte, Vigencia, ahora, db)
from modelos.planes import ESTADOS_CON_APROBACION

REVISION = "revision_seguimiento"
# Extensión → firmas con que empieza un archivo legítimo de ese tipo (None: texto plano).
CARPETA_EVIDENCIAS = "evidencias"



class SeguimientoInvalido(OperacionRechazada):
    """La operación no procede: nada cambió."""


# --- ventanas de reporte ----------------------------------------------------------------------
def abrir_ventana(ventana: VentanaReporte, usuario) -> None:
    flujo.transicionar(ventana, "abrir", usuario)


def cerrar_ventana(ventana: VentanaReporte, usuario) -> None:
    flujo.transicionar(ventana, "cerrar", usuario)


def reabrir_ventana(ventana: VentanaReporte, dependencia, motivo: str, hasta: date, usuario,
                    hoy: date | None = None) -> ReaperturaVentana:
    """Reabre un trimestre cerrado solo para una dependencia, hasta una fecha, con un motivo."""
    flujo.exigir_transicion(usuario, ventana, "reabrir")
    hoy = hoy or formato.hoy()
    if dependencia is None:
        raise SeguimientoInvalido("Seleccione la dependencia a la que se reabre el trimestre.")
    motivo = flujo.observacion_exigida(ventana, "reabrir", motivo)
    if hasta is None or hasta < hoy:
        raise SeguimientoInvalido("La fecha hasta la que se reabre debe ser hoy o posterior.")
    reapertura = ReaperturaVentana(ventana=ventana, dependencia=dependencia, motivo=motivo, hasta=hasta,
                                   usuario_id=usuario.id, en=ahora())
    db.session.add(reapertura)
    flujo.transicionar(ventana, "reabrir", usuario, f"{dependencia.nombre}, hasta el {hasta:%d/%m/%Y}: {motivo}")
    return reapertura


# --- qué reporta cada dependencia -------------------------------------------------------------
def _actividades_propias(plan: Plan):
    return sa.select(Actividad).where(Actividad.plan_id == plan.id, sa.or_(
        Actividad.territorial.is_(False), ~Actividad.metas_territoriales.any())).order_by(Actividad.codigo)


def items_a_reportar(plan: Plan, dependencia_id: int) -> list:
    """Actividades (PA) o indicadores (PES/PEI) que `dependencia_id` reporta en `plan`."""
    if plan.tipo is TipoPlan.PA:
        if plan.dependencia_id == dependencia_id:
            return list(db.session.scalars(_actividades_propias(plan)))
        return list(db.session.scalars(
            sa.select(Actividad).join(MetaTerritorial).where(Actividad.plan_id == plan.id,
                                                             MetaTerritorial.dependencia_id == dependencia_id)
            .order_by(Actividad.codigo)))
    if plan.tipo in (TipoPlan.PES, TipoPlan.PEI):
        return list(db.session.scalars(
            sa.select(Indicador).join(Objetivo).where(Objetivo.plan_id == plan.id,
                                                      Indicador.responsable_id == dependencia_id)
            .order_by(Indicador.codigo)))
    return []


def planes_a_reportar(dependencia_id: int | None, vigencia: Vigencia) -> list[Plan]:
    """Los planes en que la dependencia tiene algo que reportar en la vigencia."""
    if dependencia_id is None:
        return []
    pa_aprobado = sa.and_(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia.id, Plan.vigente,
                          Plan.estado.in_(ESTADOS_CON_APROBACION))
    propios = sa.and_(pa_aprobado, Plan.dependencia_id == dependencia_id)
    territoriales = sa.and_(pa_aprobado, Plan.actividades.any(
        Actividad.metas_territoriales.any(MetaTerritorial.dependencia_id == dependencia_id)))
    estrategicos = sa.and_(Plan.tipo.in_([TipoPlan.PES, TipoPlan.PEI]), Plan.vigente,
                           Plan.cuatrienio_id == vigencia.cuatrienio_id,
                           Plan.estado.in_([EstadoPlan.APROBADO, EstadoPlan.PUBLICADO]),
                           Plan.objetivos.any(Objetivo.indicadores.any(Indicador.responsable_id == dependencia_id)))
    return list(db.session.scalars(sa.select(Plan).where(sa.or_(propios, territoriales, estrategicos))
                                   .order_by(Plan.tipo, Plan.id)))


def meta_de(avance: Avance) -> Decimal | None:
    """Lo programado para el trimestre del avance (la meta de la DT si es su parte)."""
    reporte = avance.reporte
    if avance.actividad_id is not None:
        actividad = avance.actividad
        territorial = db.session.scalar(sa.select(MetaTerritorial).filter_by(
            actividad_id=actividad.id, dependencia_id=reporte.dependencia_id))
        fuente = territorial if territorial is not None else actividad
        return Decimal(fuente.meta_trimestre(reporte.trimestre))
    indicador = avance.indicador
    meta = db.session.scalar(sa.select(MetaIndicador.valor).filter_by(indicador_id=indicador.id,
                                                                      anio=reporte.vigencia.anio))
    return cifras.programado_indicador(meta, indicador.tipo_acumulacion, reporte.trimestre)


def bajo_meta(avance: Avance, valor: Decimal) -> bool:
    programado = meta_de(avance)
    if avance.actividad_id is not None:
        return programado is not None and valor < programado
    indicador = avance.indicador
    return cifras.bajo_meta_indicador(valor, programado, indicador.tendencia, indicador.tipo_acumulacion,
                                      indicador.linea_base)


# --- reportes ---------------------------------------------------------------------------------
def _exigir_editable(reporte, usuario, hoy):
    motivo = flujo.motivo_no_editable(usuario, reporte, hoy)
    if motivo:
        raise SeguimientoInvalido(motivo)


def reporte_de(plan: Plan, dependencia_id: int, vigencia_id: int, trimestre: int) -> ReporteTrimestral | None:
    """El reporte de un trimestre del plan, contra cualquiera de sus versiones: un trimestre reportado antes
    de un ajuste no se vuelve a reportar en la versión nueva."""
    return db.session.scalars(sa.select(ReporteTrimestral).join(Plan, ReporteTrimestral.plan_id == Plan.id).where(
        versiones.misma_familia(plan), ReporteTrimestral.dependencia_id == dependencia_id,
        ReporteTrimestral.vigencia_id == vigencia_id, ReporteTrimestral.trimestre == trimestre)).first()


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


def _decimal(texto, nombre: str) -> Decimal:
    """Vacío es cero, como en el formulario."""
    try:
        valor = leer_numero(texto)
    except ValueError:
        raise SeguimientoInvalido(f"{nombre}: escriba un número.") from None
    if valor is not None and valor < 0:
        raise SeguimientoInvalido(f"{nombre}: debe ser un número mayor o igual a cero.")
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
        nombre = avance.actividad.codigo if avance.actividad_id else avance.indicador.codigo
        raise EdicionConcurrente(f"{nombre}: otra persona guardó este avance mientras usted lo editaba. "
                                 "Sus cambios no se guardaron: revise los valores actuales y vuelva a aplicarlos.")
    nombre = avance.actividad.codigo if avance.actividad_id else avance.indicador.codigo
    valor = _decimal(valor, f"{nombre} · valor logrado")
    comprometido = _decimal(comprometido, f"{nombre} · presupuesto comprometido")
    pagado = _decimal(pagado, f"{nombre} · presupuesto pagado")
    if pagado > comprometido:
        raise SeguimientoInvalido(f"{nombre}: lo pagado no puede superar lo comprometido.")
    justificacion = (justificacion or "").strip() or None
    if bajo_meta(avance, valor) and not justificacion:
        raise SeguimientoInvalido(
            f"{nombre}: el valor logrado ({numero(valor)}) está por debajo de lo programado ({numero(meta_de(avance))}); "
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
    return [(a.actividad.codigo if a.actividad_id else a.indicador.codigo)
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


def aceptar_reporte(reporte: ReporteTrimestral, usuario) -> None:
    flujo.transicionar(reporte, "aceptar", usuario)
    cifras_guardadas.actualizar_si_calculada(reporte.vigencia_id)


def devolver_reporte(reporte: ReporteTrimestral, usuario, observaciones: str) -> None:
    flujo.transicionar(reporte, "devolver", usuario, observaciones)
    cifras_guardadas.actualizar_si_calculada(reporte.vigencia_id)


# --- diagnóstico, informe, remisión y comités -------------------------------------------------
def guardar_diagnostico(vigencia: Vigencia, trimestre: int, dependencia, texto: str, usuario,
                        leido: str | None = None) -> DiagnosticoTrimestral:
    """`leido`: el diagnóstico que el usuario vio al abrir el cuadro; si otro lo cambió después, se rechaza."""
    exigir(usuario, EDITAR, REVISION)
    texto = (texto or "").strip()
    if not texto:
        raise SeguimientoInvalido(f"{dependencia.nombre}: escriba el diagnóstico.")
    diagnostico = db.session.scalar(sa.select(DiagnosticoTrimestral).filter_by(
        vigencia_id=vigencia.id, trimestre=trimestre, dependencia_id=dependencia.id))
    if leido is not None and leido.strip() != (diagnostico.diagnostico if diagnostico else ""):
        raise EdicionConcurrente(f"{dependencia.nombre}: otra persona cambió este diagnóstico mientras usted "
                                 "editaba. Sus cambios no se guardaron: revise el texto actual y vuelva a aplicarlos.")
    if diagnostico is None:
        diagnostico = DiagnosticoTrimestral(vigencia=vigencia, trimestre=trimestre, dependencia=dependencia)
        db.session.add(diagnostico)
    diagnostico.diagnostico, diagnostico.autor_id, diagnostico.en = texto, usuario.id, ahora()
    db.session.flush()
    return diagnostico


def guardar_cuadro_diagnostico(vigencia: Vigencia, trimestre: int, usuario,
                               textos: dict[int, tuple[str, str | None]]) -> int:
    """El cuadro diagnóstico completo, {dependencia_id: (texto, texto leído)}: guarda solo lo que cambió;
    si una fila falla (vacía, o cambiada por otro mientras tanto), no se guarda ninguna."""
    exigir(usuario, EDITAR, REVISION)
    existentes = diagnosticos(vigencia.id, trimestre)
    cambiadas = []
    for dependencia_id, (texto, leido) in textos.items():
        anterior = existentes.get(dependencia_id)
        texto = (texto or "").strip()
        if (not texto and anterior is None) or (anterior is not None and anterior.diagnostico == texto):
            continue
        dependencia = db.session.get(Dependencia, dependencia_id)
        if dependencia is not None:
            cambiadas.append((dependencia, texto, leido))
    return guardar_filas(cambiadas, lambda fila: guardar_diagnostico(vigencia, trimestre, fila[0], fila[1],
                                                                      usuario, fila[2]))


def diagnosticos(vigencia_id: int, trimestre: int) -> dict[int, DiagnosticoTrimestral]:
    return {d.dependencia_id: d for d in db.session.scalars(sa.select(DiagnosticoTrimestral).filter_by(
        vigencia_id=vigencia_id, trimestre=trimestre))}


def generar_informe(vigencia: Vigencia, trimestre: int, usuario) -> InformeSeguimiento:
    """El informe de seguimiento del trimestre (actividad 17); regenerarlo actualiza quién y cuándo."""
    exigir(usuario, EDITAR, REVISION)
    if trimestre not in (1, 2, 3, 4):
        raise SeguimientoInvalido("El trimestre debe ser 1, 2, 3 o 4.")
    informe = db.session.scalar(sa.select(InformeSeguimiento).filter_by(vigencia_id=vigencia.id, trimestre=trimestre))
    accion = "regenerar" if informe else "generar"
    if informe is None:
        informe = InformeSeguimiento(vigencia=vigencia, trimestre=trimestre)
        db.session.add(informe)
    informe.generado_en, informe.generado_por_id = ahora(), usuario.id
    db.session.flush()
    registrar_historial(informe, accion, None, "generado", usuario)
    db.session.flush()
    return informe


def fecha_de_generacion(vigencia_id: int, trimestre: int) -> date | None:
    """El día (en Bogotá) en que se generó el informe del trimestre; None si aún no se ha generado. La versión
    imprimible la muestra en vez de la fecha en que se imprime."""
    generado = db.session.scalar(sa.select(InformeSeguimiento.generado_en).filter_by(
        vigencia_id=vigencia_id, trimestre=trimestre))
    return formato.en_bogota(generado).date() if generado else None


def libro_del_informe(informe: InformeSeguimiento, paso=lambda texto: None) -> bytes:
    """El .xlsx del informe: las cifras del tablero y el diagnóstico de la OAP del trimestre. El único que lo arma:
    lo descargan la página, la remisión a Control Interno y el trabajo largo (que cuenta cada `paso`)."""
    paso("Calculando las cifras del trimestre.")
    cuadro = cifras.cuadro(informe.vigencia, informe.trimestre)
    textos = diagnosticos(informe.vigencia_id, informe.trimestre)
    paso("Escribiendo el libro.")
    return excel_informe.libro(cuadro, textos)


def destinatarios_informe() -> list[str]:
    """A quién llega el informe remitido a Control Interno: la página lo dice antes de remitir."""
    return list(current_app.config["GESTION_CORREOS_CONTROL_INTERNO"])


def remitir_informe(informe: InformeSeguimiento, usuario) -> None:
    """Encola el correo a Control Interno con el .xlsx del informe y registra cuándo y quién (act. 18)."""
    exigir(usuario, EDITAR, REVISION)
    destinatarios = destinatarios_informe()
    if not destinatarios:
        raise SeguimientoInvalido("No hay correos de Control Interno configurados (GESTION_CORREOS_CONTROL_INTERNO).")
    contenido = libro_del_informe(informe)
    nombre = excel_informe.nombre_archivo(informe.vigencia, informe.trimestre)
    pagina = correo.enlace("informeseguimiento.ficha", id=informe.id)
    correo.encolar(correo.Correo(
        asunto=f"Informe de seguimiento a planes de gestión – {informe.vigencia}, trimestre {informe.trimestre}",
        destinatarios=destinatarios,
        cuerpo=(f"Cordial saludo.\n\nLa Oficina Asesora de Planeación remite el informe de seguimiento a los "
                f"planes de acción de la vigencia {informe.vigencia}, trimestre {informe.trimestre}, conforme a la "
                f"actividad 18 del procedimiento DE-PD-01. El detalle va en el archivo adjunto {nombre}.\n\n"
                f"Remitido por: {usuario.nombre or usuario.email}"
                + (f"\n\nVer en el sistema: {pagina}" if pagina else "")),
        adjuntos=[correo.Adjunto(nombre, TIPO_MIME, contenido)]))
    informe.remitido_en, informe.remitido_por_id = ahora(), usuario.id
    informe.destinatarios = ", ".join(destinatarios)
    registrar_historial(informe, "remitir", "generado", "remitido", usuario, informe.destinatarios)
    db.session.flush()


def registrar_presentacion(informe: InformeSeguimiento, instancia: Instancia | None, numero: str, fecha: date | None,
                           decisiones: str | None, usuario, archivo: ArchivoSubido | None = None
                           ) -> PresentacionComite:
    """La presentación del informe a un comité, con su acta y el archivo de esta (actividad 19)."""
    exigir(usuario, EDITAR, REVISION)
    if instancia is None or not (numero or "").strip() or fecha is None:
        raise SeguimientoInvalido("Indique el comité, el número y la fecha del acta.")
    acta = actas.registrar(instancia, numero, fecha, decisiones, archivo)
    presentacion = PresentacionComite(informe=informe, acta=acta)
    db.session.add(presentacion)
    db.session.flush()
    registrar_historial(informe, "presentar", None, "presentado", usuario, str(acta))
    db.session.flush()
    return presentacion


def agregar_accion(presentacion: PresentacionComite, descripcion: str, dependencia, fecha_limite: date | None,
                   usuario) -> AccionDerivada:
    exigir(usuario, EDITAR, REVISION)
    descripcion = (descripcion or "").strip()
    if not descripcion or dependencia is None or fecha_limite is None:
        raise SeguimientoInvalido("Indique la descripción, la dependencia responsable y la fecha límite de la acción.")
    accion = AccionDerivada(presentacion=presentacion, descripcion=descripcion, dependencia=dependencia,
                            fecha_limite=fecha_limite, estado=EstadoAccion.ABIERTA)
    db.session.add(accion)
    db.session.flush()
    registrar_historial(accion, "registrar", None, EstadoAccion.ABIERTA, usuario)
    db.session.flush()
    return accion


def cerrar_accion(accion: AccionDerivada, usuario, observacion: str | None = None) -> None:
    flujo.transicionar(accion, "cerrar", usuario, observacion)


def fin_de_trimestre(anio: int, trimestre: int) -> date:
    siguiente = date(anio + (trimestre == 4), 1 if trimestre == 4 else 3 * trimestre + 1, 1)
    return date.fromordinal(siguiente.toordinal() - 1)

