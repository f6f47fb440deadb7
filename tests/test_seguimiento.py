"""Servicios del seguimiento trimestral: ventanas, reporte con justificación y evidencia, revisión de la
OAP, diagnóstico, informe remitido a Control Interno y acciones de los comités."""
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage

from gestion.base import correo, formato
from gestion.base.errores import OperacionRechazada
from gestion.base.extensiones import mail
from gestion.base.validacion import DatoInvalido
from gestion.reglas import flujo, ventanas
from gestion.reglas import roles as R
from gestion.reglas.flujo import TransicionInvalida
from gestion.reglas.permisos import AccesoDenegado
from gestion.seguimiento import consultas, reportes, revision
from modelos import (
    AccionDerivada,
    EstadoAccion,
    EstadoPlan,
    EstadoReporte,
    EstadoVentana,
    HistorialEstado,
    Instancia,
    ReaperturaVentana,
    db,
)

Invalido = reportes.SeguimientoInvalido
PDF = b"%PDF-1.4\n%prueba\n"


@pytest.fixture
def plan(fabrica, usuarios):
    return fabrica.plan_accion(estado=EstadoPlan.APROBADO)


def _historial(objeto):
    return [(h.accion, h.estado_hasta) for h in db.session.scalars(sa.select(HistorialEstado).filter_by(
        objeto_tipo=objeto.__tablename__, objeto_id=objeto.id).order_by(HistorialEstado.id))]


# --- ventanas ---------------------------------------------------------------------------------
def test_una_ventana_esta_abierta_solo_entre_sus_fechas(fabrica):
    ventana = fabrica.ventana(1)
    ventana.abre, ventana.cierra = date(2026, 4, 1), date(2026, 4, 15)
    en = {dia: ventanas.estado(ventana, date(2026, 4, dia)) for dia in (1, 15, 16)}
    assert en == {1: EstadoVentana.ABIERTA, 15: EstadoVentana.ABIERTA, 16: EstadoVentana.CERRADA}
    assert ventanas.estado(ventana, date(2026, 3, 31)) is EstadoVentana.POR_ABRIR
    assert ventanas.en_palabras(ventana, date(2026, 4, 15)) == "abierta hasta el 15/04/2026"
    assert ventanas.en_palabras(ventana, date(2026, 4, 16)) == "cerrada el 15/04/2026"
    assert ventanas.en_palabras(ventana, date(2026, 3, 31)) == "abre el 01/04/2026"


def test_fuera_de_la_ventana_no_se_abre_ni_se_carga_un_reporte(fabrica, usuarios, plan):
    m = fabrica.mundo
    ventana = fabrica.ventana(1, abierta=False)  # cerró ayer
    with pytest.raises(Invalido, match="ventana de reporte del trimestre 1 de 2026 está cerrada"):
        reportes.abrir_reporte(plan, m.vigencia, 1, usuarios[R.DIRECTOR])

    fabrica.ventana(1)  # la OAP corre el cierre: cierra en cinco días
    reporte = reportes.abrir_reporte(plan, m.vigencia, 1, usuarios[R.DIRECTOR])
    db.session.commit()
    fabrica.ventana(1, abierta=False)

    avance = reporte.avances[0]
    with pytest.raises(Invalido, match="solo lectura"):
        reportes.registrar_avance(avance, usuarios[R.DIRECTOR], valor=10)
    with pytest.raises(Invalido, match="solo lectura"):
        reportes.enviar_reporte(reporte, usuarios[R.DIRECTOR])
    db.session.rollback()
    assert avance.valor_logrado == 0 and reporte.estado is EstadoReporte.EN_REPORTE
    assert ventanas.estado(ventana) is EstadoVentana.CERRADA and _historial(ventana) == []


def test_reapertura_para_una_dependencia_con_motivo_y_nueva_fecha_de_cierre(fabrica, usuarios, plan):
    m = fabrica.mundo
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    ventana = fabrica.ventana(1, abierta=False)
    hoy = formato.hoy()

    with pytest.raises(DatoInvalido, match="Escriba el motivo de la reapertura"):
        revision.reabrir_ventana(ventana, m.central, "  ", hoy, usuarios[R.OAP])
    with pytest.raises(Invalido, match="hoy o posterior"):
        revision.reabrir_ventana(ventana, m.central, "Falla del aplicativo", hoy - timedelta(days=1), usuarios[R.OAP])
    with pytest.raises(Invalido, match="Seleccione la dependencia"):
        revision.reabrir_ventana(ventana, None, "Falla del aplicativo", hoy, usuarios[R.OAP])
    for rol in (R.DIRECTOR, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL):
        with pytest.raises(AccesoDenegado):
            revision.reabrir_ventana(ventana, m.central, "Me conviene", hoy, usuarios[rol])
    assert db.session.scalar(sa.select(sa.func.count(ReaperturaVentana.id))) == 0

    revision.reabrir_ventana(ventana, m.central, "Falla del aplicativo el día del cierre", hoy + timedelta(days=5),
                             usuarios[R.OAP])
    db.session.commit()
    reapertura = db.session.scalar(sa.select(ReaperturaVentana))
    assert (reapertura.dependencia_id, reapertura.usuario_id) == (m.central.id, usuarios[R.OAP].id)
    [entrada] = flujo.historial_de(ventana)
    assert (entrada.accion, entrada.usuario_id) == ("reabrir", usuarios[R.OAP].id)
    assert entrada.observacion == (f"{m.central.nombre}, hasta el {hoy + timedelta(days=5):%d/%m/%Y}: "
                                   "Falla del aplicativo el día del cierre")

    assert ventanas.abierta_para(m.vigencia.id, 1, m.central.id)
    assert not ventanas.abierta_para(m.vigencia.id, 1, m.central.id, hoy + timedelta(days=6))
    assert ventanas.estado(ventana) is EstadoVentana.CERRADA  # para las demás sigue cerrada
    assert ventanas.en_palabras(ventana, dependencia_id=m.central.id) == \
        f"reabierta hasta el {hoy + timedelta(days=5):%d/%m/%Y}"
    assert reportes.abrir_reporte(plan, m.vigencia, 1, usuarios[R.DIRECTOR])
    with pytest.raises(Invalido, match="cerrada"):
        reportes.abrir_reporte(otro, m.vigencia, 1, usuarios["director2"])


def test_reapertura_para_todas_y_solo_de_una_ventana_cerrada(fabrica, usuarios, plan):
    m = fabrica.mundo
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    abierta = fabrica.ventana(2)
    with pytest.raises(TransicionInvalida, match="está abierta; solo se puede «reabrir la ventana» si está cerrada"):
        revision.reabrir_ventana(abierta, None, "Prórroga", formato.hoy(), usuarios[R.OAP], para_todas=True)

    ventana = fabrica.ventana(1, abierta=False)
    hasta = formato.hoy() + timedelta(days=3)
    revision.reabrir_ventana(ventana, None, "Caída del servidor el día del cierre", hasta, usuarios[R.JEFE_OAP],
                             para_todas=True)
    db.session.commit()
    assert ventanas.estado(ventana) is EstadoVentana.ABIERTA
    assert ventanas.en_palabras(ventana) == f"reabierta hasta el {hasta:%d/%m/%Y}"
    assert reportes.abrir_reporte(plan, m.vigencia, 1, usuarios[R.DIRECTOR])
    assert reportes.abrir_reporte(otro, m.vigencia, 1, usuarios["director2"])
    assert db.session.scalar(sa.select(ReaperturaVentana.dependencia_id)) is None


# --- reporte ----------------------------------------------------------------------------------
def test_justificacion_obligatoria_por_debajo_de_lo_programado(fabrica, usuarios, plan):
    m = fabrica.mundo
    fabrica.ventana(1)
    director = usuarios[R.DIRECTOR]
    reporte = reportes.abrir_reporte(plan, m.vigencia, 1, director)
    a1, a2 = reporte.avances
    db.session.commit()

    with pytest.raises(Invalido, match=r"A1: el valor logrado \(9\) está por debajo de lo programado \(10"):
        reportes.registrar_avance(a1, director, valor="9", justificacion="  ")
    db.session.rollback()
    assert a1.valor_logrado == 0

    reportes.registrar_avance(a1, director, valor="10")  # igual a la meta: sin justificación
    reportes.registrar_avance(a2, director, valor="7,5", justificacion="Paro judicial en marzo.")
    assert (a1.valor_logrado, a2.valor_logrado) == (Decimal(10), Decimal("7.5"))
    db.session.commit()


def test_el_reporte_no_se_envia_con_faltantes_sin_justificar(fabrica, usuarios, plan):
    m = fabrica.mundo
    fabrica.ventana(1)
    director = usuarios[R.DIRECTOR]
    reporte = reportes.abrir_reporte(plan, m.vigencia, 1, director)
    reportes.registrar_avance(reporte.avances[0], director, valor=10)
    db.session.commit()
    # A2 sigue en cero frente a una meta de 10.
    with pytest.raises(Invalido, match="Falta la justificación .*: A2"):
        reportes.enviar_reporte(reporte, director)
    db.session.rollback()
    assert reporte.estado is EstadoReporte.EN_REPORTE


@pytest.mark.parametrize("campo, valor, mensaje", [
    ("valor", "-1", "mayor o igual a cero"), ("valor", "diez", "escriba un número"),
    ("pagado", "500", "lo pagado no puede superar lo comprometido"),
    ("enlace", "ftp://servidor/evidencia", "http:// o https://")])
def test_datos_invalidos_no_cambian_nada(fabrica, usuarios, plan, campo, valor, mensaje):
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    db.session.commit()
    datos = {"valor": "10", "comprometido": "100", "pagado": "50", "enlace": "", campo: valor}
    with pytest.raises(Invalido, match=mensaje):
        reportes.registrar_avance(reporte.avances[0], usuarios[R.DIRECTOR], valor=datos["valor"],
                                     comprometido=datos["comprometido"], pagado=datos["pagado"], enlace=datos["enlace"])
    db.session.rollback()
    assert reporte.avances[0].valor_logrado == 0 and reporte.avances[0].presupuesto_comprometido == 0


def test_otra_dependencia_no_carga_el_reporte(fabrica, usuarios, plan):
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    for usuario in (usuarios["director2"], usuarios[R.OAP], usuarios[R.TERRITORIAL]):
        with pytest.raises(Invalido):
            reportes.registrar_avance(reporte.avances[0], usuario, valor=10)
    with pytest.raises(Invalido, match="nada que reportar"):
        reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios["director2"])


def test_envio_aceptacion_y_devolucion_con_historial(fabrica, usuarios, plan):
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    director, oap = usuarios[R.DIRECTOR], usuarios[R.OAP]
    with pytest.raises(TransicionInvalida, match="solo se puede «aceptar el reporte» si está reportado"):
        revision.aceptar_reporte(reporte, oap)

    reportes.enviar_reporte(reporte, director)
    assert reporte.estado is EstadoReporte.REPORTADO and reporte.enviado_por_id == director.id
    with pytest.raises(AccesoDenegado):
        revision.aceptar_reporte(reporte, director)
    with pytest.raises(DatoInvalido, match="observaciones"):
        revision.devolver_reporte(reporte, oap, "")
    revision.devolver_reporte(reporte, oap, "La evidencia de A2 no corresponde al trimestre.")
    assert reporte.estado is EstadoReporte.DEVUELTO

    reportes.registrar_avance(reporte.avances[1], director, valor=10, enlace="https://intranet/evidencia-a2")
    reportes.enviar_reporte(reporte, director)
    revision.aceptar_reporte(reporte, oap)
    db.session.commit()
    assert reporte.estado is EstadoReporte.ACEPTADO and reporte.revisado_por_id == oap.id
    assert _historial(reporte) == [("abrir", "en_reporte"), ("enviar", "reportado"), ("devolver", "devuelto"),
                                   ("enviar", "reportado"), ("aceptar", "aceptado")]
    with pytest.raises(Invalido, match="ya no se modifica"):
        reportes.registrar_avance(reporte.avances[0], director, valor=1)


def test_la_dt_reporta_su_parte_con_su_meta(fabrica, usuarios, plan):
    m = fabrica.mundo
    fabrica.actividad_territorial(plan, {m.territorial: (3, 3, 3, 3)})
    fabrica.ventana(1)
    assert consultas.planes_a_reportar(m.territorial.id, m.vigencia) == [plan]
    reporte = reportes.abrir_reporte(plan, m.vigencia, 1, usuarios[R.TERRITORIAL])
    assert [a.actividad.codigo for a in reporte.avances] == ["A1"]
    assert consultas.meta_de(reporte.avances[0]) == Decimal(3)
    propio = reportes.abrir_reporte(plan, m.vigencia, 1, usuarios[R.DIRECTOR])
    assert [a.actividad.codigo for a in propio.avances] == ["A2"]


def test_la_entidad_reporta_los_indicadores_del_pes_asignados(fabrica, usuarios):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    fabrica.ventana(1)
    assert consultas.planes_a_reportar(m.entidad.id, m.vigencia) == [m.pes]
    reporte = reportes.abrir_reporte(m.pes, m.vigencia, 1, usuarios[R.ENTIDAD])
    avance = reporte.avances[0]
    assert avance.indicador.responsable_id == m.entidad.id
    assert consultas.meta_de(avance) == Decimal("32.50")  # flujo: 130 / 4
    with pytest.raises(Invalido, match="justificación"):
        reportes.registrar_avance(avance, usuarios[R.ENTIDAD], valor=30)
    reportes.registrar_avance(avance, usuarios[R.ENTIDAD], valor=33)
    reportes.enviar_reporte(reporte, usuarios[R.ENTIDAD])
    assert reporte.estado is EstadoReporte.REPORTADO


# --- evidencia --------------------------------------------------------------------------------
def _archivo(contenido: bytes, nombre: str) -> FileStorage:
    return FileStorage(stream=BytesIO(contenido), filename=nombre)


def test_evidencia_se_guarda_fuera_de_la_base_con_nombre_generado(app, fabrica, usuarios, plan):
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    avance = reporte.avances[0]
    reportes.registrar_avance(avance, usuarios[R.DIRECTOR], valor=10, archivo=_archivo(PDF, "../../acta final.pdf"))
    db.session.commit()
    ruta = reportes.ruta_evidencia(avance)
    assert ruta.parent == (Path(app.config["GESTION_CARPETA_ARCHIVOS"]) / reportes.CARPETA_EVIDENCIAS).resolve()
    assert ruta.suffix == ".pdf" and "acta" not in ruta.name
    assert ruta.read_bytes() == PDF


@pytest.mark.parametrize("contenido, nombre, mensaje", [
    (b"MZ\x90\x00", "virus.exe", "Evidencia: tipo de archivo no permitido"),
    (b"<html>hola</html>", "falso.pdf", "no corresponde a un .pdf"),
    (b"", "vacio.pdf", "vacío"),
    (b"%PDF-" + b"x" * 2048, "grande.pdf", "tamaño máximo")])
def test_evidencia_con_tipo_o_tamano_invalido(app, fabrica, usuarios, plan, monkeypatch, contenido, nombre, mensaje):
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    db.session.commit()
    monkeypatch.setitem(app.config, "GESTION_TAMANO_MAXIMO_ARCHIVO", 1024)
    with pytest.raises(OperacionRechazada, match=mensaje):
        reportes.registrar_avance(reporte.avances[0], usuarios[R.DIRECTOR], valor=10,
                                     archivo=_archivo(contenido, nombre))
    db.session.rollback()
    assert reporte.avances[0].evidencia_archivo is None


# --- diagnóstico, informe, remisión y comités -------------------------------------------------
def test_diagnostico_por_dependencia_y_trimestre(fabrica, usuarios, plan):
    m = fabrica.mundo
    with pytest.raises(AccesoDenegado):
        revision.guardar_diagnostico(m.vigencia, 1, m.central, "Bien.", usuarios[R.DIRECTOR])
    with pytest.raises(Invalido, match="escriba el diagnóstico"):
        revision.guardar_diagnostico(m.vigencia, 1, m.central, " ", usuarios[R.OAP])
    revision.guardar_diagnostico(m.vigencia, 1, m.central, "Rezago en A2.", usuarios[R.OAP])
    revision.guardar_diagnostico(m.vigencia, 1, m.central, "Rezago en A2; plan de mejora.", usuarios[R.JEFE_OAP])
    db.session.commit()
    diagnosticos = consultas.diagnosticos(m.vigencia.id, 1)
    assert list(diagnosticos) == [m.central.id]
    assert diagnosticos[m.central.id].diagnostico == "Rezago en A2; plan de mejora."
    assert diagnosticos[m.central.id].autor_id == usuarios[R.JEFE_OAP].id


def test_remision_a_control_interno_con_el_xlsx_adjunto(app, fabrica, usuarios, plan, monkeypatch):
    m = fabrica.mundo
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 6}, estado=EstadoReporte.ACEPTADO)
    monkeypatch.setitem(app.config, "GESTION_CORREOS_CONTROL_INTERNO",
                        ["oci@mintrabajo.gov.co", "auditor@mintrabajo.gov.co"])
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    with pytest.raises(AccesoDenegado):
        revision.remitir_informe(informe, usuarios[R.CONTROL_INTERNO])
    with mail.record_messages() as enviados:
        revision.remitir_informe(informe, usuarios[R.JEFE_OAP])
        assert enviados == []  # nada sale antes del commit
        db.session.commit()
        correo.enviar_pendientes()
    assert len(enviados) == 1
    mensaje = enviados[0]
    assert mensaje.recipients == ["oci@mintrabajo.gov.co", "auditor@mintrabajo.gov.co"]
    assert "2026, trimestre 1" in mensaje.subject
    adjunto = mensaje.attachments[0]
    assert adjunto.filename == "informe-seguimiento-2026-T1.xlsx"
    libro = load_workbook(BytesIO(adjunto.data))
    resumen = libro["Resumen por dependencia"]
    assert resumen["A2"].value == m.central.nombre
    assert resumen["E2"].value == pytest.approx(0.8)  # 50 × 100 + 50 × 60
    assert informe.remitido_por_id == usuarios[R.JEFE_OAP].id and informe.remitido_en is not None
    assert informe.destinatarios == "oci@mintrabajo.gov.co, auditor@mintrabajo.gov.co"


def test_presentacion_al_comite_y_acciones_hasta_cerrarlas(fabrica, usuarios, plan):
    m = fabrica.mundo
    jefe = usuarios[R.JEFE_OAP]
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    comite = db.session.scalar(sa.select(Instancia).filter_by(tipo="institucional"))
    with pytest.raises(Invalido, match="número y la fecha"):
        revision.registrar_presentacion(informe, comite, "", date(2026, 4, 30), None, jefe)
    presentacion = revision.registrar_presentacion(informe, comite, "05-2026", date(2026, 4, 30),
                                                      "Se acoge el informe.", jefe)
    with pytest.raises(OperacionRechazada, match="Ya existe el acta 05-2026"):
        revision.registrar_presentacion(informe, comite, "05-2026", date(2026, 4, 30), None, jefe)
    with pytest.raises(Invalido, match="fecha límite"):
        revision.agregar_accion(presentacion, "Plan de mejora", m.central, None, jefe)
    accion = revision.agregar_accion(presentacion, "Plan de mejora de A2", m.central, date(2026, 6, 30), jefe)
    db.session.commit()
    assert accion.estado is EstadoAccion.ABIERTA

    with pytest.raises(AccesoDenegado):
        revision.cerrar_accion(accion, usuarios[R.DIRECTOR])
    revision.cerrar_accion(accion, usuarios[R.OAP], "Recibido.")
    db.session.commit()
    assert db.session.get(AccionDerivada, accion.id).estado is EstadoAccion.CERRADA and accion.cerrada_en
    with pytest.raises(TransicionInvalida, match="está cerrada; solo se puede «cerrar la acción» si está abierta"):
        revision.cerrar_accion(accion, usuarios[R.OAP])


def test_el_avance_acepta_cifras_escritas_como_en_colombia(fabrica, usuarios, plan):
    fabrica.ventana(1)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuarios[R.DIRECTOR])
    avance = reporte.avances[0]
    reportes.registrar_avance(avance, usuarios[R.DIRECTOR], valor="12,5", comprometido="1.500.000",
                                 pagado="$ 1.000.000")
    assert (avance.valor_logrado, avance.presupuesto_comprometido, avance.presupuesto_pagado) == (
        Decimal("12.5"), Decimal(1500000), Decimal(1000000))
