"""La revisión del seguimiento por la OAP (actividades 17 a 19): ventanas de reporte, aceptar o devolver un reporte,
el diagnóstico trimestral, el informe y su remisión a Control Interno, la presentación al comité y sus acciones.

Cada función verifica quién la pide y en qué estado está lo que toca (`gestion.reglas.flujo`), cambia, deja el
historial y hace flush; el borde hace el commit."""
from datetime import date

import sqlalchemy as sa

from gestion.base import correo, formato
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import EdicionConcurrente, guardar_filas
from gestion.excel import informe as excel_informe
from gestion.excel.libro import TIPO_MIME
from gestion.planes import actas
from gestion.reglas import flujo
from gestion.reglas.flujo import registrar_historial
from gestion.reglas.permisos import EDITAR, exigir
from gestion.seguimiento import calidad, cifras, cifras_guardadas
from gestion.seguimiento.consultas import destinatarios_informe, diagnosticos
from gestion.seguimiento.reportes import SeguimientoInvalido
from modelos import (
    AccionDerivada,
    Dependencia,
    DiagnosticoTrimestral,
    EstadoAccion,
    InformeSeguimiento,
    Instancia,
    PresentacionComite,
    ReaperturaVentana,
    ReporteTrimestral,
    VentanaReporte,
    Vigencia,
    ahora,
    db,
)

REVISION = "revision_seguimiento"


def reabrir_ventana(ventana: VentanaReporte, dependencia, motivo: str, hasta: date, usuario,
                    hoy: date | None = None, para_todas: bool = False) -> ReaperturaVentana:
    """Reabre una ventana cerrada hasta una nueva fecha, con un motivo: para una dependencia o para todas."""
    flujo.exigir_transicion(usuario, ventana, "reabrir")
    hoy = hoy or formato.hoy()
    if dependencia is None and not para_todas:
        raise SeguimientoInvalido("Seleccione la dependencia a la que se reabre el trimestre, o «todas».")
    motivo = flujo.observacion_exigida(ventana, "reabrir", motivo)
    if hasta is None or hasta < hoy:
        raise SeguimientoInvalido("La nueva fecha de cierre debe ser hoy o posterior.")
    para = "todas las dependencias" if para_todas else dependencia.nombre
    # El historial primero: la compuerta mira la ventana como estaba, cerrada.
    flujo.transicionar(ventana, "reabrir", usuario, f"{para}, hasta el {hasta:%d/%m/%Y}: {motivo}")
    # La llave, no solo la relación: sin ella, antes del flush la reapertura se leería como «para todas».
    reapertura = ReaperturaVentana(ventana=ventana, dependencia_id=None if para_todas else dependencia.id,
                                   motivo=motivo, hasta=hasta, usuario_id=usuario.id, en=ahora())
    db.session.add(reapertura)
    db.session.flush()
    return reapertura


def aceptar_reporte(reporte: ReporteTrimestral, usuario) -> None:
    flujo.transicionar(reporte, "aceptar", usuario)
    cifras_guardadas.actualizar_si_calculada(reporte.vigencia_id)


def devolver_reporte(reporte: ReporteTrimestral, usuario, observaciones: str) -> None:
    flujo.transicionar(reporte, "devolver", usuario, observaciones)
    cifras_guardadas.actualizar_si_calculada(reporte.vigencia_id)


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


def libro_del_informe(informe: InformeSeguimiento, paso=lambda texto: None) -> bytes:
    """El .xlsx del informe: las cifras del tablero y el diagnóstico de la OAP del trimestre. El único que lo arma:
    lo descargan la página, la remisión a Control Interno y el trabajo largo (que cuenta cada `paso`)."""
    paso("Calculando las cifras del trimestre.")
    cuadro = cifras.cuadro(informe.vigencia, informe.trimestre)
    textos = diagnosticos(informe.vigencia_id, informe.trimestre)
    indice = calidad.calidad(informe.vigencia, informe.trimestre, cuadro.dependencias)
    paso("Escribiendo el libro.")
    return excel_informe.libro(cuadro, textos, indice)


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
