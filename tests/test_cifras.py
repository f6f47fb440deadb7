"""Las cifras del seguimiento sobre ejemplos calculados a mano: pesos, topes, acumulado, umbrales y gris."""
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from gestion.seguimiento import cifras, consultas
from modelos import Avance, ColorSemaforo, EstadoPlan, EstadoReporte, Tendencia, TipoAcumulacion, UmbralSemaforo, db

D = Decimal
ROJO, AMARILLO, VERDE, GRIS = ColorSemaforo.ROJO, ColorSemaforo.AMARILLO, ColorSemaforo.VERDE, ColorSemaforo.GRIS


def test_cumplimiento_sin_tope_y_ponderado_con_tope():
    assert cifras.cumplimiento(12, 10) == D("120.00")
    assert cifras.cumplimiento(1, 3) == D("33.33")
    assert cifras.cumplimiento(5, 0) is None  # nada programado: no hay cumplimiento
    # 30 × min(120, 100) + 70 × 50 = 6.500 → 65 %
    assert cifras.ponderado([(30, D(120)), (70, D(50))]) == D("65.00")
    # Las filas sin cumplimiento calculable no pesan.
    assert cifras.ponderado([(30, None), (70, D(50))]) == D("50.00")
    assert cifras.ponderado([(30, None)]) is None


@pytest.mark.parametrize("valor, color", [
    (None, GRIS), (D(0), ROJO), (D("69.99"), ROJO), (D(70), AMARILLO), (D("89.99"), AMARILLO), (D(90), VERDE),
    (D(150), VERDE)])
def test_semaforo_con_los_umbrales_por_defecto(contexto, fabrica, valor, color):
    assert cifras.semaforo(valor) is color


def test_semaforo_sigue_el_catalogo(contexto, fabrica):
    db.session.scalar(sa.select(UmbralSemaforo).filter_by(color=VERDE)).desde = D(95)
    db.session.commit()
    assert cifras.semaforo(D(92)) is AMARILLO
    assert cifras.semaforo(D(95)) is VERDE


@pytest.fixture
def plan(fabrica, usuarios):
    """Dos actividades de 30 % y 70 %, 10 por trimestre (40 al año), $1.000.000 de presupuesto cada una."""
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    plan.actividades[0].peso, plan.actividades[1].peso = D(30), D(70)
    db.session.commit()
    return plan


def test_dependencia_ponderada_trimestre_y_acumulado(fabrica, plan):
    m = fabrica.mundo
    fabrica.reporte(plan, 1, {"A1": 12, "A2": 5}, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(plan, 2, {"A1": 8, "A2": 10})

    t1 = cifras.cuadro(m.vigencia, 1)
    a1, a2 = t1.actividades
    assert (a1.cumplimiento_trimestre, a2.cumplimiento_trimestre) == (D("120.00"), D("50.00"))
    assert t1.dependencias[0].avance_trimestre == D("65.00")  # 30 × 100 + 70 × 50
    assert t1.dependencias[0].color is ROJO

    t2 = cifras.cuadro(m.vigencia, 2)
    a1, a2 = t2.actividades
    assert (a1.logrado_acumulado, a1.meta_acumulada, a1.cumplimiento_acumulado) == (D(20), D(20), D("100.00"))
    assert (a2.logrado_acumulado, a2.cumplimiento_acumulado) == (D(15), D("75.00"))
    dependencia = t2.dependencias[0]
    assert dependencia.avance_trimestre == D("94.00")  # 30 × 80 + 70 × 100
    assert dependencia.avance_acumulado == D("82.50")  # 30 × 100 + 70 × 75
    assert dependencia.color is AMARILLO
    assert (a1.color, a2.color) == (VERDE, AMARILLO)


def test_sin_reporte_enviado_es_gris(fabrica, plan):
    m = fabrica.mundo
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    cuadro = cifras.cuadro(m.vigencia, 1)
    assert [(d.nombre, d.color, d.avance_acumulado) for d in cuadro.dependencias] == [
        (m.central2.nombre, GRIS, None), (m.central.nombre, GRIS, None)]
    assert {d.clave for d in cuadro.sin_reporte} == {m.central.id, m.central2.id}
    assert all(a.color is GRIS for a in cuadro.actividades)

    fabrica.reporte(otro, 1, {"A1": 10, "A2": 9})
    cuadro = cifras.cuadro(m.vigencia, 1)
    assert [d.color for d in cuadro.dependencias] == [VERDE, GRIS]
    assert cuadro.dependencias[0].avance_acumulado == D("95.00")


def test_devuelto_no_cuenta_hasta_que_se_reenvia(fabrica, plan):
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.DEVUELTO)
    assert cifras.cuadro(fabrica.mundo.vigencia, 1).dependencias[0].color is GRIS


def test_actividad_sin_meta_en_el_trimestre_no_pesa(fabrica, plan):
    a1 = plan.actividades[0]
    a1.meta_t1, a1.meta_t2 = D(0), D(20)
    db.session.commit()
    fabrica.reporte(plan, 1, {"A1": 0, "A2": 8})
    cuadro = cifras.cuadro(fabrica.mundo.vigencia, 1)
    assert cuadro.actividades[0].cumplimiento_trimestre is None
    assert cuadro.dependencias[0].avance_acumulado == D("80.00")  # solo A2: 8 / 10


def test_objetivo_del_pei_y_total_suman_los_planes_de_todas_las_dependencias(fabrica, plan):
    m = fabrica.mundo
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)  # 50 % y 50 %
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 5})  # 30 × 100 + 70 × 50
    fabrica.reporte(otro, 1, {"A1": 20, "A2": 10})  # 50 × 100 (topado) + 50 × 100
    cuadro = cifras.cuadro(m.vigencia, 1)
    objetivo = cuadro.objetivos[0]
    assert objetivo.clave == m.objetivo_pei.id
    # (30 × 100 + 70 × 50 + 50 × 100 + 50 × 100) / 200 = 82,5
    assert objetivo.avance_acumulado == D("82.50")
    assert cuadro.total.avance_acumulado == D("82.50")
    assert len(cuadro.actividades_del_objetivo(m.objetivo_pei.id)) == 4


def test_actividad_territorial_suma_lo_que_reportan_las_dt(fabrica, plan):
    m = fabrica.mundo
    fabrica.actividad_territorial(plan, {m.territorial: (6, 6, 6, 6), m.territorial2: (4, 4, 4, 4)})
    fabrica.reporte(plan, 1, {"A2": 10})  # la dependencia central solo reporta lo suyo
    fabrica.reporte(plan, 1, {"A1": 6}, dependencia=m.territorial)
    fabrica.reporte(plan, 1, {"A1": 1}, dependencia=m.territorial2)
    cuadro = cifras.cuadro(m.vigencia, 1)

    central = next(a for a in cuadro.actividades_de(m.central.id) if a.codigo == "A1")
    assert central.agregada and central.logrado_trimestre == D(7) and central.cumplimiento_trimestre == D("70.00")
    por_dt = {d.clave: d for d in cuadro.dependencias}
    assert por_dt[m.territorial.id].avance_acumulado == D("100.00")
    assert por_dt[m.territorial2.id].avance_acumulado == D("25.00")
    assert por_dt[m.territorial2.id].color is ROJO
    # 30 × 70 + 70 × 100 = 91 %: la dependencia central con la suma de sus DT.
    assert por_dt[m.central.id].avance_acumulado == D("91.00")
    # El objetivo cuenta la actividad una sola vez (la fila agregada, no la de cada DT).
    assert cuadro.objetivos[0].actividades == 2


def test_coherencia_presupuestal_con_margen_configurable(app, fabrica, plan, monkeypatch):
    m = fabrica.mundo
    # A1: 12 de 40 al año = 30 % físico; 600.000 de 1.000.000 = 60 % presupuestal → 30 puntos: alerta.
    # A2: 10 de 40 = 25 %; 300.000 = 30 % → 5 puntos: sin alerta.
    fabrica.reporte(plan, 1, {"A1": 12, "A2": 10}, comprometido={"A1": 600_000, "A2": 300_000})
    cuadro = cifras.cuadro(m.vigencia, 1)
    a1, a2 = cuadro.actividades
    assert (a1.avance_fisico, a1.ejecucion_presupuestal, a1.diferencia_coherencia) == (D("30.00"), D("60.00"), D("30.00"))
    assert a1.incoherente and not a2.incoherente
    assert cuadro.incoherentes == [a1]
    assert cuadro.dependencias[0].incoherentes == 1

    monkeypatch.setitem(app.config, "GESTION_MARGEN_COHERENCIA", "40")  # como llega del entorno
    assert cifras.cuadro(m.vigencia, 1).incoherentes == []


def test_indicadores_flujo_repartido_y_tendencia_decreciente(fabrica, usuarios):
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    indicador_pes = m.pes.objetivos[0].indicadores[0]  # flujo, meta 2026 = 130, responsable: la entidad
    fabrica.reporte(m.pes, 2, {indicador_pes.codigo: 52}, dependencia=m.entidad)
    fila = next(i for i in cifras.cuadro(m.vigencia, 2).indicadores if i.indicador_id == indicador_pes.id)
    assert fila.programado == D("65.00")  # 130 × 2 / 4
    assert fila.cumplimiento == D("80.00") and fila.color is AMARILLO

    assert cifras.programado_indicador(D(5), None, 1) == D(5)
    assert cifras.cumplimiento_indicador(D(4), D(5), Tendencia.DECRECIENTE, None) == D("125.00")
    assert cifras.cumplimiento_indicador(D(8), D(5), Tendencia.DECRECIENTE, None) == D("62.50")


# El oráculo por dirección, escrito a mano: (tendencia, acumulación, línea base, programado, valor) → cumplimiento.
ORACULO_DIRECCION = [
    # Decreciente con línea base: lo recorrido de la base hacia la meta; al revés, negativo.
    (Tendencia.DECRECIENTE, None, D("4.6"), D("4.2"), D("5.08"), D("-120.00")),  # la accidentalidad empeoró
    (Tendencia.DECRECIENTE, None, D("4.6"), D("4.2"), D("4.4"), D("50.00")),
    (Tendencia.DECRECIENTE, None, D("4.6"), D("4.2"), D("4.2"), D("100.00")),
    (Tendencia.DECRECIENTE, None, D("4.6"), D("4.2"), D("4.0"), D("150.00")),
    (None, TipoAcumulacion.REDUCCION, D(100), D(80), D(90), D("50.00")),
    # Sin línea base, la razón de siempre.
    (Tendencia.DECRECIENTE, None, None, D(5), D(4), D("125.00")),
    # Constante: dentro del 5 % de lo programado, cumple; fuera, 100 menos lo que se apartó.
    (Tendencia.CONSTANTE, TipoAcumulacion.STOCK, None, D(90), D(87), D(100)),
    (Tendencia.CONSTANTE, TipoAcumulacion.STOCK, None, D(90), D("94.5"), D(100)),
    (Tendencia.CONSTANTE, TipoAcumulacion.STOCK, None, D(90), D(81), D("90.00")),
    # Creciente: valor / programado.
    (Tendencia.CRECIENTE, TipoAcumulacion.FLUJO, D(10), D(40), D(30), D("75.00")),
]


@pytest.mark.parametrize("tendencia, tipo, base, programado, valor, esperado", ORACULO_DIRECCION)
def test_el_cumplimiento_sigue_la_direccion_del_indicador(contexto, tendencia, tipo, base, programado, valor, esperado):
    assert cifras.cumplimiento_indicador(valor, programado, tendencia, tipo, base) == esperado


def test_un_indicador_decreciente_que_empeora_sale_rojo_en_el_tablero(fabrica, usuarios):
    """La tasa de accidentalidad (menos es mejor): base 4,6, meta 4,2, reporta 5,08 → −120 %, rojo, bajo la meta."""
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    indicador = m.pes.objetivos[0].indicadores[0]
    indicador.tendencia, indicador.tipo_acumulacion, indicador.linea_base = (Tendencia.DECRECIENTE,
                                                                               TipoAcumulacion.STOCK, D("4.6"))
    next(meta for meta in indicador.metas if meta.anio == m.vigencia.anio).valor = D("4.2")
    db.session.commit()
    fabrica.reporte(m.pes, 2, {indicador.codigo: D("5.08")}, dependencia=m.entidad)
    fila = next(i for i in cifras.cuadro(m.vigencia, 2).indicadores if i.indicador_id == indicador.id)
    assert fila.cumplimiento == D("-120.00") and fila.color is ColorSemaforo.ROJO
    avance = db.session.scalar(sa.select(Avance).where(Avance.indicador_id == indicador.id))
    assert consultas.bajo_meta(avance, avance.valor_logrado)


def test_la_accidentalidad_que_empeora_dice_lo_mismo_en_el_tablero_el_informe_y_sinergia(fabrica, usuarios, navegador):
    """Base 4,6, meta 4,2, reporta 5,08 (aceptado): −120 % en el tablero guardado y su página, en el libro del informe
    de seguimiento y en el archivo para SINERGIA."""
    from io import BytesIO

    from openpyxl import load_workbook

    from gestion.excel import informe as excel_informe
    from gestion.reglas import roles as R
    from gestion.seguimiento import cifras_guardadas
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    indicador = m.pes.objetivos[0].indicadores[0]  # el de SINERGIA
    indicador.tendencia, indicador.tipo_acumulacion, indicador.linea_base = (Tendencia.DECRECIENTE,
                                                                               TipoAcumulacion.REDUCCION, D("4.6"))
    next(meta for meta in indicador.metas if meta.anio == m.vigencia.anio).valor = D("4.2")
    db.session.commit()
    fabrica.reporte(m.pes, 2, {indicador.codigo: D("5.08")}, dependencia=m.entidad, estado=EstadoReporte.ACEPTADO)
    guardado = next(i for i in cifras_guardadas.resumen(m.vigencia, 2, None).indicadores
                    if i.indicador_id == indicador.id)
    assert (guardado.cumplimiento, guardado.color) == (D("-120.00"), ColorSemaforo.ROJO)
    hoja = next(h for h in excel_informe.hojas(cifras.cuadro(m.vigencia, 2), {}) if h.titulo == "Indicadores estratégicos")
    assert [f for f in hoja.filas if D("-1.2") in f and "Rojo" in f]
    html = navegador(usuarios[R.OAP]).texto("/admin/tablero/?vigencia=2026&trimestre=2")
    fila = next(f for f in html.split("<tr") if indicador.codigo in f)
    assert "\u2212120 %" in fila and "color-rojo" in fila
    libro = navegador(usuarios[R.OAP]).get("/admin/informeseguimiento/sinergia/?vigencia=2026").data
    *_, valor, _, cumplimiento = list(load_workbook(BytesIO(libro)).active.iter_rows(values_only=True))[1]
    assert (valor, round(cumplimiento, 4)) == (5.08, -1.2)


def test_una_consulta_por_conjunto_no_por_actividad(app, fabrica, plan):
    m = fabrica.mundo
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    consultas = []

    def contar(*args):
        consultas.append(1)

    def medir():
        consultas.clear()
        event.listen(db.engine, "before_cursor_execute", contar)
        try:
            cifras.cuadro(m.vigencia, 1)
        finally:
            event.remove(db.engine, "before_cursor_execute", contar)
        return len(consultas)

    antes = medir()
    fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO, actividades=5)
    assert medir() == antes
