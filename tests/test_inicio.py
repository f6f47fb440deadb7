"""La página de inicio responde «qué hago ahora y para cuándo», según el rol."""
from datetime import date, timedelta

import sqlalchemy as sa

from gestion import inicio
from gestion.planes import plan_accion as servicio
from gestion.planes import versiones
from gestion.reglas import roles as R
from gestion.seguimiento import revision
from modelos import EstadoPlan, EstadoReporte, Plan, TipoPlan, Vigencia, db
from modelos import EstadoPlan as E


def _cronograma(fabrica, usuarios):
    servicio.completar_cronograma(fabrica.mundo.vigencia, usuarios[R.OAP])
    db.session.commit()


def test_fase_actual_dias_restantes_y_lo_vencido(fabrica, usuarios):
    m = fabrica.mundo
    _cronograma(fabrica, usuarios)
    fabrica.plan_accion(m.central, E.DEVUELTO)
    fabrica.plan_accion(m.central2, E.ENVIADO)

    tablero = inicio.tablero(usuarios[R.OAP], hoy=date(2025, 12, 1))
    assert tablero.fase_actual.fase.etiqueta == "Formulación y cargue"
    assert tablero.dias_restantes == 4 and tablero.vencidas == []

    tablero = inicio.tablero(usuarios[R.OAP], hoy=date(2026, 1, 15))
    assert tablero.fase_actual.fase.etiqueta == "Consolidación" and tablero.dias_restantes == 5
    assert tablero.vencidas == [
        "Formulación y cargue venció el 05/12/2025: 1 plan(es) sin enviar "
        "(Dirección de Inspección, Vigilancia, Control y Gestión Territorial).",
        "Aprobación venció el 10/01/2026: 1 plan(es) recibidos sin aprobar."]
    assert [p.dependencia for p in tablero.atrasados] == [m.central]

    tablero = inicio.tablero(usuarios[R.OAP], hoy=date(2026, 3, 1))
    assert tablero.fase_actual is None and tablero.vigencia == m.vigencia
    assert tablero.vencidas[-1] == ("Consolidación venció el 20/01/2026: el Plan de Acción Institucional 2026 "
                                    "no está consolidado.")
    # Al director solo le toca lo suyo.
    vencidas = inicio.tablero(usuarios["director2"], hoy=date(2026, 3, 1)).vencidas
    assert vencidas == ["Aprobación venció el 10/01/2026: 1 plan(es) recibidos sin aprobar."]


def test_con_los_cronogramas_de_otras_vigencias_cada_fecha_mira_su_ciclo(fabrica, usuarios):
    m = fabrica.mundo
    _cronograma(fabrica, usuarios)
    anterior, siguiente = Vigencia(anio=2025, cuatrienio=m.cuatrienio), Vigencia(anio=2027, cuatrienio=m.cuatrienio)
    db.session.add_all([anterior, siguiente])
    for vigencia in (anterior, siguiente):
        servicio.completar_cronograma(vigencia, usuarios[R.OAP])
    db.session.commit()

    # Entre ciclos: el de 2026 fue el último en empezar, y el de 2027 anuncia sus primeras fases.
    tablero = inicio.tablero(usuarios[R.OAP], hoy=date(2026, 3, 1))
    assert tablero.fase_actual is None and tablero.vigencia == m.vigencia
    assert tablero.vencidas[-1] == ("Consolidación venció el 20/01/2026: el Plan de Acción Institucional 2026 "
                                    "no está consolidado.")
    assert [(e.vigencia, e.fase.etiqueta) for e in tablero.proximas] == [
        (siguiente, "Identificación de compromisos"), (siguiente, "Solicitud de planes de acción"),
        (siguiente, "Formulación y cargue")]
    # En la verificación del plan 2027: su ciclo, sin lo que quedó pendiente del de 2026.
    tablero = inicio.tablero(usuarios[R.OAP], hoy=date(2026, 12, 10))
    assert tablero.vigencia == siguiente and tablero.fase_actual.vigencia == siguiente
    assert tablero.dias_restantes == 10 and tablero.vencidas == []


def test_el_director_ve_su_plan_con_la_lista_y_las_observaciones(fabrica, usuarios, navegador):
    m = fabrica.mundo
    _cronograma(fabrica, usuarios)
    plan = fabrica.plan_accion(m.central, E.DEVUELTO)
    fabrica.plan_accion(m.central2, E.ENVIADO)
    plan.actividades[0].peso = 10
    db.session.commit()
    html = navegador(usuarios[R.DIRECTOR]).texto("/admin/")
    assert "Su plan de acción 2026" in html and f"/admin/planes_accion/ficha/?id={plan.id}" in html
    assert "La OAP lo devolvió" in html and "Observaciones: Ajuste las metas." in html
    assert "Los pesos de las actividades suman 100 %" in html
    assert "Dirección de Generación y Protección del Empleo" not in html
    assert "Planes recibidos, por verificar" not in html


def test_la_oap_ve_su_bandeja_con_la_lista_de_chequeo(fabrica, usuarios, navegador):
    m = fabrica.mundo
    bueno = fabrica.plan_accion(m.central, E.ENVIADO)
    malo = fabrica.plan_accion(m.central2, E.ENVIADO)
    malo.actividades[0].meta_t1 = 0
    db.session.commit()
    html = navegador(usuarios[R.OAP]).texto("/admin/")
    assert "Planes recibidos, por verificar" in html
    assert f"ficha/?id={bueno.id}" in html and f"ficha/?id={malo.id}" in html
    assert "1 por corregir" in html and "Bandeja completa" in html


def test_jefe_y_comite_ven_el_pai_por_presentar_y_la_dt_sus_metas(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, E.APROBADO)
    borrador = fabrica.plan_accion(m.central2)
    fabrica.actividad_territorial(borrador, {m.territorial: (10, 10, 10, 10)})
    _cronograma(fabrica, usuarios)
    html = navegador(usuarios[R.TERRITORIAL]).texto("/admin/")
    assert "Metas trimestrales por fijar" in html and "Actividad 1 de 2200" in html
    assert "Metas trimestrales por fijar" not in navegador(usuarios["territorial2"]).texto("/admin/")

    fabrica.llevar_a(borrador, E.APROBADO)
    db.session.commit()
    assert "consolide el Plan de Acción Institucional" in navegador(usuarios[R.JEFE_OAP]).texto("/admin/")
    pai = servicio.consolidar(m.vigencia, usuarios[R.OAP])
    db.session.commit()
    html = navegador(usuarios[R.JEFE_OAP]).texto("/admin/")
    assert "Listos para presentar o publicar" in html and f"ficha/?id={pai.id}" in html
    html = navegador(usuarios[R.COMITE_INSTITUCIONAL]).texto("/admin/")
    assert "Plan de Acción Institucional por presentar al comité" in html and pai.nombre in html


def test_cada_dueno_ve_el_reporte_que_le_falta_y_su_plazo(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    plan = fabrica.plan_accion(m.central, estado=EstadoPlan.APROBADO)
    ventana = fabrica.ventana(2)
    db.session.commit()
    hoy = ventana.cierra - timedelta(days=3)

    # El director reporta su plan de acción y el indicador del PEI a cargo de su dependencia.
    pendientes = inicio.tablero(usuarios[R.DIRECTOR], hoy).reportes_pendientes
    assert {(p.plan.tipo, p.trimestre, p.reporte, p.dias) for p in pendientes} == {
        (TipoPlan.PA, 2, None, 3), (TipoPlan.PEI, 2, None, 3)}
    # La entidad reporta el indicador del PES a su cargo; el otro director no tiene nada que reportar.
    assert [p.plan.tipo for p in inicio.tablero(usuarios[R.ENTIDAD], hoy).reportes_pendientes] == [TipoPlan.PES]
    assert inicio.tablero(usuarios["director2"], hoy).reportes_pendientes == []

    html = navegador(usuarios[R.DIRECTOR]).texto("/admin/")
    assert "Reporte trimestral por enviar" in html and "Sin empezar" in html

    fabrica.reporte(plan, 2, {"A1": 10, "A2": 10})
    assert [p.plan.tipo for p in inicio.tablero(usuarios[R.DIRECTOR], hoy).reportes_pendientes] == [TipoPlan.PEI]


def test_el_reporte_de_una_version_anterior_cuenta_para_la_vigente(fabrica, usuarios):
    fabrica.publicar_estrategicos()
    plan = fabrica.plan_accion(fabrica.mundo.central, estado=EstadoPlan.APROBADO)
    ventana = fabrica.ventana(2)
    db.session.commit()
    hoy = ventana.cierra - timedelta(days=3)
    fabrica.reporte(plan, 2, {"A1": 10, "A2": 10}, estado=EstadoReporte.DEVUELTO)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    # Un ajuste publica otra versión: el reporte del trimestre, hecho contra la anterior, sigue siendo el suyo.
    nueva = versiones.copiar(plan)
    fabrica.llevar_a(nueva, EstadoPlan.APROBADO)
    nueva.vigente, plan.vigente = True, False
    db.session.commit()
    pendientes = {p.plan.tipo: p for p in inicio.tablero(usuarios[R.DIRECTOR], hoy).reportes_pendientes}
    assert set(pendientes) == {TipoPlan.PA, TipoPlan.PEI}
    assert pendientes[TipoPlan.PA].plan.id == nueva.id
    assert (pendientes[TipoPlan.PA].reporte.estado, pendientes[TipoPlan.PA].reporte.trimestre) == (
        EstadoReporte.DEVUELTO, 2)
    assert pendientes[TipoPlan.PEI].reporte is None


def test_el_administrador_ve_cuentas_por_revisar_y_nada_de_los_planes(fabrica, usuarios, navegador):
    huerfano = fabrica.usuario(R.DIRECTOR, dependencia=None, email="sin.dependencia@prueba.gov.co")
    fabrica.plan_accion(fabrica.mundo.central)
    html = navegador(usuarios[R.ADMINISTRADOR]).texto("/admin/")
    assert huerfano.email in html
    assert "Cronograma" not in html and "Plan de Acción" not in html


def test_control_interno_ve_los_informes_recibidos_y_abre_cada_plan(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    db.session.commit()
    control = navegador(usuarios[R.CONTROL_INTERNO])
    html = control.texto("/admin/")
    assert "Aún no ha recibido informes de seguimiento." in html
    revision.remitir_informe(informe, usuarios[R.JEFE_OAP])
    db.session.commit()
    html = control.texto("/admin/")
    assert f"/admin/informeseguimiento/ficha/?id={informe.id}" in html
    assert f"/admin/planes_estrategicos/plan/{m.pei.id}" in html and f"/admin/planes_accion/ficha/?id={plan.id}" in html


def test_un_trimestre_ya_empezado_se_abre_en_vez_de_reportarse_otra_vez(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    fabrica.ventana(2)
    html = navegador(usuarios[R.DIRECTOR]).texto(f"/admin/reportetrimestral/nuevo/?vigencia={m.vigencia.anio}")
    assert f"/admin/reportetrimestral/ficha/?id={reporte.id}" in html and "Reportar T1" not in html
    assert "Reportar T2" in html


def test_el_inicio_de_control_interno_nombra_los_planes_mas_recientes_y_cuantos_hay(fabrica, usuarios, navegador,
                                                                                   monkeypatch):
    monkeypatch.setattr(inicio, "LIMITE_TARJETA", 2)
    m = fabrica.mundo
    viejo, medio, nuevo = (fabrica.plan_accion(d, E.APROBADO) for d in (m.central, m.central2, m.territorial))
    db.session.commit()
    html = navegador(usuarios[R.CONTROL_INTERNO]).texto("/admin/")
    assert f"/admin/planes_accion/ficha/?id={nuevo.id}" in html and f"/admin/planes_accion/ficha/?id={medio.id}" in html
    assert f"/admin/planes_accion/ficha/?id={viejo.id}\"" not in html
    vigentes = db.session.scalar(sa.select(sa.func.count(Plan.id)).where(Plan.vigente))
    assert f"Y {vigentes - 2} más" in html and 'href="/admin/planes_accion/"' in html
