"""Después de aprobado: el reporte trimestral con evidencia, su aceptación y el color del tablero; un ajuste
pedido por el director, revisado y aprobado por la OAP (actividades 16 a 24 del DE-PD-01)."""
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from gestion.seguimiento import reportes
from modelos import Actividad, EstadoAjuste, EstadoPlan, EstadoReporte, ReporteTrimestral, SolicitudAjuste, db

from . import paginas as P

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n%evidencia de las visitas\n"


def test_reporte_con_evidencia_aceptado_y_el_tablero_cambia_de_color(fabrica, usuarios, navegar, captura):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, EstadoPlan.APROBADO)
    fabrica.ventana(1)
    oap = navegar(usuarios["oap"].email)
    P.abrir_tablero(oap, 2026, 1)
    expect(P.fila_del_tablero(oap, m.central.nombre)).to_contain_text("Sin reporte")

    director = navegar(usuarios["director"].email)
    P.reportar_trimestre(director, 2026, 1, {"A1": "10", "A2": "10"}, {"A1": ("acta de visitas.pdf", PDF)})
    reporte = db.session.scalar(sa.select(ReporteTrimestral).filter_by(plan_id=plan.id, trimestre=1))
    assert reporte.estado is EstadoReporte.REPORTADO
    a1 = next(a for a in reporte.avances if a.actividad.codigo == "A1")
    assert reportes.ruta_evidencia(a1).read_bytes() == PDF
    db.session.commit()

    P.aceptar_reporte(oap, reporte.id)
    db.session.expire_all()
    assert db.session.get(ReporteTrimestral, reporte.id).estado is EstadoReporte.ACEPTADO
    db.session.commit()
    P.abrir_tablero(oap, 2026, 1)
    fila = P.fila_del_tablero(oap, m.central.nombre)
    expect(fila).to_contain_text("Verde")
    expect(fila).to_contain_text(re.compile(r"100\s*%"))
    captura(oap)


def test_ajuste_pedido_revisado_y_aprobado(fabrica, usuarios, navegar, captura):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, EstadoPlan.APROBADO)
    director = navegar(usuarios["director"].email)

    # Actividad 22: el director lo pide desde la ficha del plan y prepara la versión propuesta.
    P.solicitar_ajuste(director, plan.id, "La Ley 2466 de 2025 amplía las visitas de inspección.",
                       "Subir la meta del cuarto trimestre de A1.")
    solicitud = db.session.scalars(sa.select(SolicitudAjuste)).one()
    propuesta_id = solicitud.plan_propuesto_id
    db.session.commit()
    P.editar_actividad(director, propuesta_id, "A1", {"Meta anual": "45", "Meta T4": "15"})
    P.decidir_ajuste(director, solicitud.id, "Enviar a revisión de la OAP")

    # Actividad 23: la OAP ve la diferencia y la declara pertinente; 24: verifica la propuesta y aprueba.
    oap = navegar(usuarios["oap"].email)
    oap.goto("/admin/")
    P.ver_mensaje(oap, "Ajustes por revisar")
    oap.locator(f"a[href*='solicitudajuste/ficha/?id={solicitud.id}']").first.click()  # lo que espera, a un clic
    P.ver_mensaje(oap, "La Ley 2466 de 2025")
    expect(oap.get_by_text("Meta T4").first).to_be_visible()
    P.decidir_ajuste(oap, solicitud.id, "Declarar pertinente", "La norma lo exige; no afecta los objetivos del PEI.")
    P.verificar_juicio(oap, propuesta_id)
    P.aprobar_ajuste(oap, solicitud.id, "Aprobado por la OAP.")

    db.session.expire_all()
    solicitud = db.session.get(SolicitudAjuste, solicitud.id)
    assert solicitud.estado is EstadoAjuste.APROBADO and solicitud.plan_propuesto.vigente
    a1 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=propuesta_id, codigo="A1"))
    assert (a1.meta_anual, a1.meta_t4) == (45, 15)
    db.session.commit()
    P.abrir_ficha(director, propuesta_id)
    expect(director.get_by_text("v2").first).to_be_visible()
    captura(director)
