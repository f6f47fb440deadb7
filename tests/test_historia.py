"""Cargar como historia el plan aprobado de una vigencia pasada y sus trimestres, desde el libro propio de la
oficina: lo hace la OAP, queda aprobado y aceptado sin pasar por el procedimiento, marcado (quién, cuándo, de qué
archivo), auditado, de solo lectura para todos, y el tablero con su tendencia muestra ese año."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.importacion import avances_propios as A
from gestion.importacion import historia
from gestion.importacion import mapeo as M
from gestion.importacion.lectura import ImportacionRechazada
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.permisos import AccesoDenegado
from gestion.seguimiento import cifras, cifras_guardadas
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


# --- por la página y por cada ruta ------------------------------------------------------------------
def _cargada(fabrica, usuarios, contenido, trimestres=(4,)):
    vigencia = _vigencia(fabrica)
    plan_mapeo, mapeos = _mapeos(contenido, 2024)
    plan = historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo,
                           {t: mapeos[t] for t in trimestres}, usuarios[R.OAP], "tenjo.xlsx", hoy=HOY).plan
    db.session.commit()
    return plan


def _foto(plan):
    """Todo lo que un plan cargado como historia tiene: nada de esto puede cambiar."""
    from modelos import Actividad, Avance, SolicitudAjuste
    db.session.expire_all()
    reportes_ = db.session.scalars(sa.select(ReporteTrimestral).filter_by(plan_id=plan.id)).all()
    return (db.session.execute(sa.select(Plan.estado, Plan.version, Plan.nombre, Plan.vigente).filter_by(id=plan.id)).one(),
            db.session.execute(sa.select(sa.func.count(), sa.func.sum(Actividad.version)).filter_by(plan_id=plan.id)).one(),
            [(r.estado, r.version) for r in reportes_],
            db.session.execute(sa.select(sa.func.sum(Avance.version), sa.func.sum(Avance.valor_logrado)).where(
                Avance.reporte_id.in_([r.id for r in reportes_]))).one(),
            db.session.scalar(sa.select(sa.func.count()).select_from(SolicitudAjuste).filter_by(plan_id=plan.id)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Plan).filter_by(vigencia_id=plan.vigencia_id)))


def test_cada_post_sobre_lo_cargado_como_historia_se_niega(app, fabrica, usuarios, navegador, libro_real):
    """La matriz de rutas sobre un plan cargado como historia: cada POST de las secciones del plan, sus
    actividades, sus reportes y sus avances, como cada rol que escribe en ellas, con las filas del plan; ninguno
    cambia nada ni responde 500."""
    from modelos import Actividad, Avance
    plan = _cargada(fabrica, usuarios, libro_real(TENJO))
    reporte = db.session.scalars(sa.select(ReporteTrimestral).filter_by(plan_id=plan.id)).one()
    filas = {"planes_accion": plan.id, "reportetrimestral": reporte.id,
             "actividad": db.session.scalar(sa.select(Actividad.id).filter_by(plan_id=plan.id).limit(1)),
             "avance": db.session.scalar(sa.select(Avance.id).filter_by(reporte_id=reporte.id).limit(1)),
             "metaterritorial": plan.id, "solicitudajuste": plan.id}
    rutas = [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint.split(".")[0] in filas]
    assert len(rutas) > 20
    antes = _foto(plan)
    for rol in (R.OAP, R.JEFE_OAP, R.DIRECTOR, R.ADMINISTRADOR):
        cliente = navegador(usuarios[rol])
        for regla in rutas:
            fila = filas[regla.endpoint.split(".")[0]]
            url = regla.build({a: fila for a in regla.arguments})[1]
            respuesta = cliente.post(url + ("&" if "?" in url else "?") + f"id={fila}", data={
                "id": fila, "rowid": fila, "plan_id": fila, "action": "delete", "causa": "Cambio de metas.",
                "cambio_propuesto": "Subir la meta.", "observaciones": "Revisar.", "nombre": "Otro nombre"})
            assert respuesta.status_code != 500, (rol, regla.endpoint)
            assert _foto(plan) == antes, (rol, regla.endpoint)


def test_la_oap_carga_la_historia_por_la_pagina_y_la_ficha_lo_dice(fabrica, usuarios, navegador, libro_real):
    from io import BytesIO
    from urllib.parse import parse_qs, urlparse
    contenido = libro_real(TENJO)
    vigencia = _vigencia(fabrica, 2024)
    oap = navegador(usuarios[R.OAP])
    html = oap.texto("/admin/planes_accion/historia/")
    assert "Subir y asociar columnas" in html and f'<option value="{vigencia.id}">2024</option>' in html
    respuesta = oap.post("/admin/planes_accion/historia/", data={
        "archivo": (BytesIO(contenido), "PLAN INDICATIVO TENJO.xlsx"), "dependencia": fabrica.mundo.central.id,
        "vigencia": vigencia.id})
    assert respuesta.status_code == 302
    argumentos = {k: v[0] for k, v in parse_qs(urlparse(respuesta.location).query).items()}
    html = oap.texto(f"/admin/planes_accion/historia/?{'&'.join(f'{k}={v}' for k, v in argumentos.items())}&previa=1")
    # Con lo sugerido, los BPIN que el catálogo de la prueba no tiene son errores: la vista previa los lista todos
    # (con su fila) y no queda nada.
    assert "no se cargaría nada" in html and "Fila 2: «Proyecto de inversión» «2024257990001»" in html
    assert db.session.scalars(sa.select(Plan).filter_by(vigencia_id=vigencia.id)).all() == []
    plan_mapeo, mapeos = _mapeos(contenido, 2024)
    datos = {**argumentos, "hoja": "PDM", "fila": 1, "elegidas": 1,
             **{f"col_{a}": t for a, t in plan_mapeo.columnas.items()},
             "t4_valor": mapeos[4].columnas["valor"]}
    respuesta = oap.post("/admin/planes_accion/historia/", data=datos)
    assert respuesta.status_code == 302
    ficha = oap.texto(respuesta.location)
    assert "cargado como historia: 331 actividad(es) y T4 (331 ítem(s))" in ficha
    assert "Cargado como historia" in ficha and "«PLAN INDICATIVO TENJO.xlsx»: de solo lectura" in ficha
    assert navegador(usuarios[R.DIRECTOR]).get("/admin/planes_accion/historia/").status_code == 403


def test_un_plan_vacio_en_borrador_se_llena_y_las_ventanas_de_ese_anio_siguen_cerradas(fabrica, usuarios, libro_real):
    from gestion.reglas import ventanas
    from modelos import TipoPlan, VentanaReporte
    contenido = libro_real(TENJO)
    vigencia = _vigencia(fabrica)
    vacio = Plan(tipo=TipoPlan.PA, nombre="Plan de Acción 2024", vigencia=vigencia, dependencia=fabrica.mundo.central)
    db.session.add(vacio)
    db.session.commit()
    plan_mapeo, mapeos = _mapeos(contenido, 2024)
    plan = historia.cargar(fabrica.mundo.central, vigencia, contenido, plan_mapeo, {3: mapeos[3]}, usuarios[R.OAP],
                           "tenjo.xlsx", hoy=HOY).plan
    db.session.commit()
    assert plan.id == vacio.id and len(plan.actividades) == 331 and plan.historia_en is not None
    assert db.session.scalars(sa.select(VentanaReporte).filter_by(vigencia_id=vigencia.id)).all() == []
    assert not ventanas.abierta_para(vigencia.id, 3, fabrica.mundo.central.id)
