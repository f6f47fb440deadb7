"""Cargar como historia el plan aprobado de una vigencia pasada y sus trimestres, desde el libro propio de la
oficina: lo hace la OAP, queda aprobado y aceptado sin pasar por el procedimiento, marcado (quién, cuándo, de qué
archivo), auditado, de solo lectura para todos, y el tablero con su tendencia muestra ese año."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.importacion import avances_propios as A
from gestion.importacion import mapeo as M
from gestion.importacion.lectura import ImportacionRechazada
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.permisos import AccesoDenegado
from gestion.seguimiento import cifras, cifras_guardadas, historia
from modelos import EstadoPlan, EstadoReporte, HistorialEstado, Plan, RegistroAuditoria, ReporteTrimestral, Vigencia, db

D = Decimal
TENJO = "PLAN_INDICATIVO_TENJO_2024-2027.xlsx"
HOY = date(2025, 3, 15)


def _vigencia(fabrica, anio=2024) -> Vigencia:
    vigencia = Vigencia(anio=anio, cuatrienio=fabrica.mundo.cuatrienio)
    db.session.add(vigencia)
    db.session.commit()
    return vigencia


def _mapeos(contenido, anio):
    """El del plan (sin unidades ni BPIN, que el catálogo de la prueba no tiene) y el de cada trimestre: el bloque de
    columnas que la sugerencia elige para ese trimestre y ese año."""
    sugerida = M.sugerencia(contenido, "PDM", 1, anio)
    plan = M.Mapeo("PDM", 1, {a: t for a, t in sugerida.columnas.items() if a not in ("unidad", "proyecto")})
    trimestres = {}
    for trimestre in (1, 2, 3, 4):
        columnas = A.sugerir_columnas(contenido, "PDM", 1, trimestre, anio).columnas
        trimestres[trimestre] = M.Mapeo("PDM", 1, {a: t for a, t in columnas.items() if a in ("codigo", "valor")})
    return plan, trimestres


def test_tenjo_2024_como_historia_y_el_tablero_muestra_ese_anio(fabrica, usuarios, libro_real):
    contenido = libro_real(TENJO)
    vigencia = _vigencia(fabrica)
    plan_mapeo, trimestres = _mapeos(contenido, 2024)
    assert plan_mapeo.columnas["meta_t4"] == "T4. PLANEADO 2024"
    assert trimestres[4].columnas["valor"] == "T.4 EJECUTADO 2024" and trimestres[3].columnas["valor"] == "T3. EJECUTADO 2024"
    oap = usuarios[R.OAP]
    resultado = historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo, trimestres, oap,
                                "PLAN INDICATIVO TENJO.xlsx", hoy=HOY)
    db.session.commit()
    plan = resultado.plan
    assert (resultado.actividades, resultado.trimestres) == (331, {1: 331, 2: 331, 3: 331, 4: 331})
    assert plan.estado is EstadoPlan.APROBADO and plan.historia_por_id == oap.id
    assert plan.historia_archivo == "PLAN INDICATIVO TENJO.xlsx" and plan.historia_en is not None
    reportes_ = db.session.scalars(sa.select(ReporteTrimestral).filter_by(plan_id=plan.id)).all()
    assert sorted((r.trimestre, r.estado) for r in reportes_) == [(t, EstadoReporte.ACEPTADO) for t in (1, 2, 3, 4)]
    assert db.session.scalars(sa.select(HistorialEstado.accion).filter_by(objeto_tipo="plan", objeto_id=plan.id)
                              ).all()[-1] == "cargar_historia"
    evento = db.session.scalars(sa.select(RegistroAuditoria).filter_by(accion="cargar_historia")).one()
    assert evento.cambios["cargado_por"] == oap.email and evento.cambios["actividades"] == 331

    # La meta 2 de Tenjo en 2024: T3 0,65 de 0,65 y T4 0,34 de 0,35; el libro dice «AVANCE 2024» 0,99.
    filas = {f.codigo: f for f in cifras.cuadro(vigencia, 4).actividades}
    assert filas["2"].logrado_trimestre == D("0.34")
    assert filas["2"].cumplimiento_trimestre == (D("0.34") / D("0.35") * 100).quantize(D("0.01"))
    assert filas["2"].logrado_acumulado / filas["2"].meta_acumulada == D("0.99")
    resumen = cifras_guardadas.resumen(vigencia, 4, con_tendencia=True)
    assert [t is not None for t in resumen.tendencia.trimestres][2:] == [True, True]  # el tablero tiene ese pasado


def test_nadie_modifica_lo_cargado_como_historia(fabrica, usuarios, libro_real):
    contenido = libro_real(TENJO)
    vigencia = _vigencia(fabrica)
    plan_mapeo, trimestres = _mapeos(contenido, 2024)
    plan = historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo, {4: trimestres[4]},
                           usuarios[R.OAP], "tenjo.xlsx", hoy=HOY).plan
    db.session.commit()
    reporte = db.session.scalars(sa.select(ReporteTrimestral).filter_by(plan_id=plan.id)).one()
    for rol in (R.OAP, R.JEFE_OAP, R.DIRECTOR):
        assert "se cargó como historia" in flujo.motivo_no_editable(usuarios[rol], plan)
        assert "se cargó como historia" in flujo.motivo_no_editable(usuarios[rol], reporte)
        for accion in ("solicitar_ajuste", "consolidar", "devolver", "aprobar"):
            assert "se cargó como historia" in (flujo.motivo_rechazo(usuarios[rol], plan, accion) or "")
        for accion in ("devolver", "aceptar", "enviar"):
            assert "se cargó como historia" in (flujo.motivo_rechazo(usuarios[rol], reporte, accion) or "")
    # Una segunda carga no pisa la primera.
    with pytest.raises(ImportacionRechazada, match="ya tiene"):
        historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo, {}, usuarios[R.OAP], "otra.xlsx",
                        hoy=HOY)


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL])
def test_solo_la_oap_carga_historia(fabrica, usuarios, libro_real, rol):
    contenido = libro_real(TENJO)
    vigencia = _vigencia(fabrica)
    plan_mapeo, _ = _mapeos(contenido, 2024)
    with pytest.raises(AccesoDenegado, match="Solo la OAP"):
        historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo, {}, usuarios[rol], "t.xlsx", hoy=HOY)
    assert db.session.scalars(sa.select(Plan).filter_by(vigencia_id=vigencia.id)).all() == []


def test_una_vigencia_en_curso_no_se_carga_como_historia_y_un_error_no_deja_nada(fabrica, usuarios, libro_real):
    contenido = libro_real(TENJO)
    vigencia = _vigencia(fabrica, 2025)
    plan_mapeo, trimestres = _mapeos(contenido, 2025)
    with pytest.raises(ImportacionRechazada, match="no ha terminado"):
        historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo, {}, usuarios[R.OAP], "t.xlsx",
                        hoy=date(2025, 6, 1))
    # Un trimestre con un texto en la columna del valor: nada queda, ni el plan.
    malo = M.Mapeo("PDM", 1, {"codigo": "COD META PRODUCTO", "valor": "META DE PRODUCTO"})
    with pytest.raises(ImportacionRechazada, match="T1 · «Valor logrado»"):
        historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo, {1: malo}, usuarios[R.OAP],
                        "t.xlsx", hoy=date(2026, 1, 10))
    db.session.rollback()
    assert db.session.scalars(sa.select(Plan).filter_by(vigencia_id=vigencia.id)).all() == []
