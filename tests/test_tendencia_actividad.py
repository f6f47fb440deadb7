"""La tendencia de una actividad (creciente, decreciente, constante) decide su cumplimiento, en todas partes.

Cifras calculadas a mano: metas de 10 por trimestre, pesos 30 y 70, tolerancia de lo constante del 5 %."""
from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import actividades as importar_actividades
from gestion.importacion.lectura import ImportacionRechazada
from gestion.planes import campos, versiones
from gestion.publicacion import datos_abiertos, informe_gestion
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, consultas
from modelos import Avance, ColorSemaforo, EstadoPlan, EstadoReporte, Tendencia, TipoAcumulacion, db

from .libros import libro

CRECIENTE, DECRECIENTE, CONSTANTE = Tendencia.CRECIENTE, Tendencia.DECRECIENTE, Tendencia.CONSTANTE


@pytest.mark.parametrize("tendencia, logrado, meta, esperado", [
    (CRECIENTE, D(12), D(10), D("120.00")),
    (CRECIENTE, D(5), D(10), D("50.00")),
    (None, D(5), D(10), D("50.00")),  # sin tendencia, como siempre
    # «Reducir el tiempo de respuesta a 5 días»: meta / logrado.
    (DECRECIENTE, D(8), D(5), D("62.50")),  # peor que la meta: tardó 8 días
    (DECRECIENTE, D(5), D(5), D("100.00")),
    (DECRECIENTE, D(4), D(5), D("125.00")),  # mejor que la meta: sin tope, se topa al agregar
    (DECRECIENTE, D(0), D(5), D("100.00")),  # cero días: nada que reducir
    # Mantener 95: dentro del 5 % cumple; fuera, 100 menos lo que se apartó.
    (CONSTANTE, D(92), D(95), D("100.00")),  # se apartó 3,16 %
    (CONSTANTE, D("99.75"), D(95), D("100.00")),  # 5 % justo
    (CONSTANTE, D(80), D(95), D("84.21")),  # 15,79 % por debajo
    (CONSTANTE, D(110), D(95), D("84.21")),  # y por encima
    (CONSTANTE, D(200), D(95), D("0.00")),  # nunca negativo
    (DECRECIENTE, D(3), D(0), None),  # sin meta en el trimestre no pesa, en ninguna dirección
    (CONSTANTE, D(3), D(0), None),
    (DECRECIENTE, None, D(5), None),
])
def test_el_cumplimiento_de_una_actividad_sigue_su_tendencia(contexto, tendencia, logrado, meta, esperado):
    assert cifras.cumplimiento_actividad(logrado, meta, tendencia) == esperado


@pytest.fixture
def plan(fabrica, usuarios):
    """A1 creciente (30 %), A2 decreciente (70 %): días de respuesta, meta 10 cada trimestre."""
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    a1, a2 = plan.actividades
    a1.peso, a2.peso, a2.tendencia = D(30), D(70), DECRECIENTE
    db.session.commit()
    return plan


def test_una_actividad_decreciente_que_empeora_sale_roja_y_pide_justificacion(fabrica, plan):
    m = fabrica.mundo
    fabrica.reporte(plan, 1, {"A1": 12, "A2": 16}, estado=EstadoReporte.ACEPTADO)
    cuadro = cifras.cuadro(m.vigencia, 1)
    a1, a2 = cuadro.actividades
    assert (a1.cumplimiento_trimestre, a2.cumplimiento_trimestre) == (D("120.00"), D("62.50"))  # 10 / 16
    assert a2.color is ColorSemaforo.ROJO and a2.bajo_meta and not a1.bajo_meta
    assert cuadro.incumplimientos == [a2]
    assert cuadro.dependencias[0].avance_trimestre == D("73.75")  # 30 × 100 + 70 × 62,5
    avance = db.session.scalar(sa.select(Avance).where(Avance.actividad_id == plan.actividades[1].id))
    assert consultas.bajo_meta(avance, D(16))
    assert not consultas.bajo_meta(avance, D(8))  # 8 días contra 10: mejor que la meta, sin justificación


def test_el_acumulado_de_una_decreciente_compara_los_promedios(fabrica, plan):
    m = fabrica.mundo
    fabrica.reporte(plan, 1, {"A1": 12, "A2": 16}, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(plan, 2, {"A1": 8, "A2": 8})
    cuadro = cifras.cuadro(m.vigencia, 2)
    a1, a2 = cuadro.actividades
    assert a2.cumplimiento_trimestre == D("125.00")  # 10 / 8
    assert (a2.logrado_acumulado, a2.meta_acumulada, a2.cumplimiento_acumulado) == (D(24), D(20), D("83.33"))
    dependencia = cuadro.dependencias[0]
    assert dependencia.avance_trimestre == D("94.00")  # 30 × 80 + 70 × 100 (125 topado)
    assert dependencia.avance_acumulado == D("88.33")  # 30 × 100 + 70 × 83,33
    # Avance físico: la mitad del año programada, cumplida al 83,33 %.
    assert (a1.avance_fisico, a2.avance_fisico) == (D("50.00"), D("41.67"))


def test_una_actividad_constante_cumple_dentro_de_la_tolerancia(fabrica, plan):
    m = fabrica.mundo
    plan.actividades[0].tendencia = CONSTANTE
    db.session.commit()
    fabrica.reporte(plan, 1, {"A1": D("10.4"), "A2": 10})
    a1 = cifras.cuadro(m.vigencia, 1).actividades[0]
    assert a1.cumplimiento_trimestre == D("100.00") and a1.color is ColorSemaforo.VERDE and not a1.bajo_meta


def test_una_actividad_constante_que_se_aparta_baja(fabrica, plan):
    m = fabrica.mundo
    plan.actividades[0].tendencia = CONSTANTE
    db.session.commit()
    fabrica.reporte(plan, 1, {"A1": 12, "A2": 10})
    a1 = cifras.cuadro(m.vigencia, 1).actividades[0]
    assert a1.cumplimiento_trimestre == D("80.00") and a1.bajo_meta  # se apartó 20 %


def test_el_tablero_guardado_el_informe_de_gestion_y_los_datos_abiertos_dicen_lo_mismo(fabrica, plan, contexto):
    from gestion.seguimiento import cifras_guardadas
    m = fabrica.mundo
    fabrica.publicar_pai()
    fabrica.reporte(plan, 1, {"A1": 12, "A2": 16}, estado=EstadoReporte.ACEPTADO)
    fabrica.reporte(plan, 2, {"A1": 8, "A2": 8}, estado=EstadoReporte.ACEPTADO)
    # El informe de gestión (página pública): A2 por trimestre y en el año, 20 de meta contra 24 días.
    fila = next(f for f in informe_gestion.informe(m.vigencia.anio).filas if f.codigo == "A2")
    assert (fila.cumplimiento_trimestre(1), fila.cumplimiento_trimestre(2), fila.cumplimiento_anual) == (
        D("62.50"), D("125.00"), D("83.33"))
    # El conjunto de seguimiento de los datos abiertos.
    pub = datos_abiertos.publicado(m.vigencia.anio)
    cumplimientos = {(f[1], f[5]): f[11] for f in datos_abiertos.filas_seguimiento(pub)}
    assert cumplimientos[(1, "A2")] == D("62.50") and cumplimientos[(2, "A2")] == D("125.00")
    assert cumplimientos[(1, "A1")] == D("120.00")
    tendencia = [c.nombre for c in datos_abiertos.ACTIVIDADES].index("tendencia")
    assert [f[tendencia] for f in datos_abiertos.filas_actividades(pub)] == ["Creciente", "Decreciente"]
    # Lo que el tablero lee guardado.
    resumen = cifras_guardadas.resumen(m.vigencia, 2, None)
    dependencia = next(d for d in resumen.dependencias if d.clave == plan.dependencia_id)
    assert dependencia.avance_acumulado == D("88.33")


def test_la_tendencia_sale_en_la_plantilla_la_ficha_y_la_diferencia_entre_versiones(fabrica, plan):
    campo = campos.POR_NOMBRE["tendencia"]
    a1, a2 = plan.actividades
    assert (campo.en_plantilla(a1), campo.en_plantilla(a2), campo.texto(a2)) == ("Creciente", "Decreciente",
                                                                                 "Decreciente")
    assert campo in campos.FICHA and campo in campos.PUBLICOS and campo in campos.EXPORTADOS
    # La copia de una versión la lleva, y la diferencia entre versiones la nombra cuando cambia.
    nueva = versiones.copiar(plan)
    db.session.flush()
    assert [a.tendencia for a in nueva.actividades] == [CRECIENTE, DECRECIENTE]
    nueva.actividades[0].tendencia = CONSTANTE
    db.session.flush()
    [elemento] = versiones.comparar(plan, nueva).elementos
    assert (elemento.clave, [(c.campo, c.antes, c.despues) for c in elemento.cambios]) == (
        "A1", [("Tendencia", "Creciente", "Constante")])


def test_la_carga_lee_la_tendencia_por_su_etiqueta_y_rechaza_otra(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    titulos = [c.etiqueta for c in CAMPOS]
    fila = ["A1", "Reducir el tiempo de respuesta", "OI1", "P01", "Días", "Promedio de días", "NUM", 20, 5, 5, 5, 5,
            100, "01/02/2026", "15/12/2026", 0, None, "Grupo", None]

    def cargar(*tendencias):
        filas = [[*fila[:1], *fila[1:]] for _ in tendencias]
        for i, (f, t) in enumerate(zip(filas, tendencias, strict=True)):
            f[0] = f"A{i + 1}"
            f.append(t)
        return importar_actividades.importar(plan, libro([titulos, *filas], hoja="Actividades"),
                                             usuarios[R.DIRECTOR])

    with pytest.raises(ImportacionRechazada) as rechazo:
        cargar("Decreciente", "Bajar")
    assert rechazo.value.errores == [
        "Fila 3: «Tendencia» «Bajar» no es una opción: escriba Creciente, Decreciente, Constante."]
    db.session.rollback()

    cargar("decreciente", "CONSTANTE", None)
    db.session.expire_all()
    assert [a.tendencia for a in plan.actividades] == [DECRECIENTE, CONSTANTE, CRECIENTE]
    # Un libro de antes, sin la columna, deja la de cada actividad como estaba (y crea las nuevas crecientes).
    sin_columna = titulos[:titulos.index("Tendencia")]
    filas = [[f"A{i}", *fila[1:]] for i in (1, 2, 3, 4)]
    importar_actividades.importar(plan, libro([sin_columna, *filas], hoja="Actividades"), usuarios[R.DIRECTOR])
    db.session.expire_all()
    assert [a.tendencia for a in plan.actividades] == [DECRECIENTE, CONSTANTE, CRECIENTE, CRECIENTE]


def test_la_demo_trae_una_decreciente_que_empeoro_y_la_accidentalidad_en_rojo(contexto):
    """A3 de la dependencia 1400: de 20 horas (línea base) debía bajar a 12 en el T2 y reportó 22,5: −31,25 %, roja.
    La tasa de accidentalidad: base 4,6, meta 4,2, reporta 5,08: −120 %, roja."""
    from gestion.demo.cargador import cargar_demo
    from modelos import Actividad, Dependencia, Indicador, Plan, Vigencia

    from .fabricas import CONTRASENA
    cargar_demo(CONTRASENA)
    db.session.commit()
    v2026 = db.session.scalar(sa.select(Vigencia).filter_by(anio=2026))
    actividad = db.session.scalar(sa.select(Actividad).join(Plan).join(Dependencia, Plan.dependencia_id == Dependencia.id)
                                  .where(Plan.vigencia_id == v2026.id, Plan.vigente, Dependencia.codigo == "1400",
                                         Actividad.codigo == "A3"))
    assert actividad.tendencia is DECRECIENTE and actividad.descripcion.startswith("Reducir a 8 horas")
    assert (actividad.linea_base, actividad.tipo_acumulacion) == (D(20), TipoAcumulacion.STOCK)
    fila = next(f for f in cifras.cuadro(v2026, 2).actividades if f.actividad_id == actividad.id)
    assert (fila.logrado_trimestre, fila.cumplimiento_trimestre, fila.cumplimiento_acumulado) == (
        D("22.50"), D("-31.25"), D("-31.25"))
    assert fila.color is ColorSemaforo.ROJO and fila.bajo_meta
    accidentalidad = db.session.scalar(sa.select(Indicador).filter_by(nombre="Tasa de accidentalidad laboral"))
    filas = [i for t in (1, 2, 3) for i in cifras.cuadro(v2026, t).indicadores
             if i.indicador_id == accidentalidad.id and i.valor == D("5.08")]
    assert filas and all(i.cumplimiento == D("-120.00") and i.color is ColorSemaforo.ROJO for i in filas)


def test_la_lista_de_chequeo_pide_a_una_decreciente_que_llegue_a_la_meta_anual_en_el_ultimo_trimestre(fabrica,
                                                                                                     usuarios):
    from gestion.reglas import controles_plan_accion as controles
    plan = fabrica.plan_accion()  # 10 por trimestre, 40 al año
    a2 = plan.actividades[1]
    a2.tendencia, a2.meta_t4 = DECRECIENTE, D(0)  # sin meta en el T4: cuenta la del T3
    db.session.commit()

    def trimestres(lista):
        return next(i for i in lista.items if i.codigo == "trimestres")

    for lista in (controles.evaluar(plan), controles.evaluar_varios([plan])[plan.id]):
        item = trimestres(lista)
        assert not item.cumple and item.detalle == (
            "A2 (decreciente): la meta del último trimestre es 10 y la meta anual es 40",)
    a2.meta_anual = D(10)
    db.session.commit()
    assert trimestres(controles.evaluar(plan)).cumple
    assert trimestres(controles.evaluar_varios([plan])[plan.id]).cumple


def test_la_plantilla_trae_la_tendencia_con_su_lista_y_vuelve_igual(fabrica, usuarios):
    from io import BytesIO

    from openpyxl import load_workbook
    plan = fabrica.plan_accion()
    plan.actividades[1].tendencia = DECRECIENTE
    db.session.commit()
    contenido = importar_actividades.plantilla(plan)
    hoja = load_workbook(BytesIO(contenido))["Actividades"]
    titulos = [c.value for c in hoja[1]]
    columna = titulos.index("Tendencia") + 1
    assert [hoja.cell(fila, columna).value for fila in (2, 3)] == ["Creciente", "Decreciente"]
    assert any(v.formula1 == '"Creciente,Decreciente,Constante"' for v in hoja.data_validations.dataValidation)
    importar_actividades.importar(plan, contenido, usuarios[R.DIRECTOR])
    db.session.expire_all()
    assert [a.tendencia for a in plan.actividades] == [CRECIENTE, DECRECIENTE]


def test_el_formulario_de_la_actividad_elige_la_tendencia_y_la_ficha_la_muestra(fabrica, usuarios, navegador):
    from modelos import Actividad

    from .fabricas import datos_de_actividad
    from .formularios import campos_del_formulario
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=1)
    director = navegador(usuarios[R.DIRECTOR])
    formulario = director.get(f"/admin/actividad/new/?plan={plan.id}").get_data(as_text=True)
    assert campos_del_formulario(formulario)["tendencia"] == ["creciente"]  # por omisión, como siempre
    assert "Decreciente" in formulario and "Constante" in formulario
    datos = datos_de_actividad(m, plan, "A9", 10, tendencia="decreciente", meta_anual="10")
    assert director.post("/admin/actividad/new/", data=datos).status_code == 302
    nueva = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A9"))
    assert nueva.tendencia is DECRECIENTE
    assert director.post("/admin/actividad/new/", data=datos | {"codigo": "A8", "tendencia": "baja"}).status_code == 200
    assert db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A8")) is None
    ficha = director.texto(f"/admin/planes_accion/ficha/?id={plan.id}")
    assert "Tendencia" in ficha and "Decreciente" in ficha


def test_la_justificacion_que_falta_dice_hacia_donde_se_aparto(fabrica, plan):
    from gestion.seguimiento import reportes
    from gestion.seguimiento.reportes import SeguimientoInvalido
    fabrica.ventana(1)
    plan.actividades[0].tendencia = CONSTANTE
    db.session.commit()
    usuario = fabrica.reportante(plan.dependencia)
    reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuario)
    a1, a2 = sorted(reporte.avances, key=lambda a: a.actividad.codigo)
    with pytest.raises(SeguimientoInvalido, match=r"A2: el valor logrado \(16\) está por encima de lo programado \(10"):
        reportes.registrar_avance(a2, usuario, valor=16)
    with pytest.raises(SeguimientoInvalido, match=r"A1: el valor logrado \(12\) se aparta de lo programado \(10"):
        reportes.registrar_avance(a1, usuario, valor=12)
    reportes.registrar_avance(a2, usuario, valor=8)  # mejor que la meta: sin justificación
    reportes.registrar_avance(a1, usuario, valor=D("10.5"))  # dentro de la tolerancia


# --- línea base y tipo de acumulación: el oráculo, calculado a mano ---------------------------------------------
@pytest.mark.parametrize("tendencia, tipo, base, logrado, meta, esperado", [
    # Decreciente con línea base: lo recorrido desde la base hacia la meta, (base − logrado) / (base − meta).
    (DECRECIENTE, None, D(20), D(14), D(10), D("60.00")),
    (DECRECIENTE, None, D(20), D(10), D(10), D("100.00")),
    (DECRECIENTE, None, D(20), D(8), D(10), D("120.00")),  # mejor que la meta: sin tope, se topa al agregar
    (DECRECIENTE, None, D(20), D(20), D(10), D("0.00")),  # no se movió
    (DECRECIENTE, None, D(20), D(25), D(10), D("-50.00")),  # empeoró: negativo
    (DECRECIENTE, None, None, D(16), D(10), D("62.50")),  # sin línea base, meta / logrado como antes
    (CRECIENTE, TipoAcumulacion.REDUCCION, D(20), D(14), D(10), D("60.00")),  # una reducción baja
    (CRECIENTE, None, D(20), D(12), D(10), D("120.00")),  # a una creciente la línea base no le cambia nada
    (CONSTANTE, TipoAcumulacion.CAPACIDAD, D(20), D(52), D(50), D("100.00")),
])
def test_una_decreciente_se_mide_desde_su_linea_base(contexto, tendencia, tipo, base, logrado, meta, esperado):
    assert cifras.cumplimiento_actividad(logrado, meta, tendencia, base, tipo) == esperado


@pytest.mark.parametrize("tipo, logrados, metas, esperado", [
    (None, [D(5), None, D(7)], [10, 10, 10], (D(12), D(30))),  # sin tipo, se suman (un flujo)
    (TipoAcumulacion.FLUJO, [D(5), D(6)], [10, 10], (D(11), D(20))),
    (TipoAcumulacion.STOCK, [D(5), None, D(7)], [10, 20, 30], (D(7), D(30))),  # el último nivel reportado
    (TipoAcumulacion.CAPACIDAD, [D(5), D(4)], [10, 10], (D(4), D(10))),
    (TipoAcumulacion.ACUMULADO, [D(5), D(12), None], [10, 20, 0], (D(12), D(20))),  # la última meta fijada
    (TipoAcumulacion.REDUCCION, [D(18), None], [18, 16], (D(18), D(16))),
    (TipoAcumulacion.STOCK, [None, None], [10, 10], (None, D(10))),
])
def test_lo_acumulado_a_la_fecha_sigue_el_tipo_de_acumulacion(contexto, tipo, logrados, metas, esperado):
    assert cifras.acumulado_a_la_fecha(logrados, [D(m) for m in metas], tipo) == esperado


# (código, tendencia, tipo, línea base, metas, peso, T1, T2) → (cumplimiento del T2, acumulado al T2, del año en el
# informe de gestión). Todos con los dos trimestres aceptados.
ORACULO = {
    # Creciente, flujo: 6 / 10; acumulado 18 / 20; el año frente a la meta anual, 18 / 40.
    "A1": (CRECIENTE, TipoAcumulacion.FLUJO, None, (10, 10, 10, 10), 10, 12, 6, ("60.00", "90.00", "45.00")),
    # Decreciente, flujo, base 20 por trimestre: (20 − 25) / (20 − 10); acumulado (40 − 39) / (40 − 20).
    "A2": (DECRECIENTE, TipoAcumulacion.FLUJO, 20, (10, 10, 10, 10), 10, 14, 25, ("-50.00", "5.00", "5.00")),
    # Decreciente, stock: el nivel del T2 (22) contra su meta (12) desde la base (20): −2 / 8.
    "A3": (DECRECIENTE, TipoAcumulacion.STOCK, 20, (16, 12, 10, 8), 20, 14, 22, ("-25.00", "-25.00", "-25.00")),
    # Creciente, acumulado: 15 contra 20; el año, 15 contra la última meta (40).
    "A4": (CRECIENTE, TipoAcumulacion.ACUMULADO, None, (10, 20, 30, 40), 20, 8, 15, ("75.00", "75.00", "37.50")),
    # Constante, capacidad: 52 contra 50 está dentro del 5 %.
    "A5": (CONSTANTE, TipoAcumulacion.CAPACIDAD, None, (50, 50, 50, 50), 10, 50, 52, ("100.00", "100.00", "100.00")),
    # Una reducción (aunque diga creciente): de 20 a 16 en el T2, llegó a 18: 2 / 4.
    "A6": (CRECIENTE, TipoAcumulacion.REDUCCION, 20, (18, 16, 14, 12), 20, 17, 18, ("50.00", "50.00", "50.00")),
    # Decreciente sin línea base: la regla de antes, 10 / 16 y 20 / 24.
    "A7": (DECRECIENTE, None, None, (10, 10, 10, 10), 10, 8, 16, ("62.50", "83.33", "83.33")),
}


@pytest.fixture
def plan_oraculo(fabrica, usuarios):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO, actividades=len(ORACULO))
    for actividad in plan.actividades:
        tendencia, tipo, base, metas, peso, *_ = ORACULO[actividad.codigo]
        actividad.tendencia, actividad.tipo_acumulacion, actividad.peso = tendencia, tipo, D(peso)
        actividad.linea_base = None if base is None else D(base)
        actividad.meta_t1, actividad.meta_t2, actividad.meta_t3, actividad.meta_t4 = (D(m) for m in metas)
        actividad.meta_anual = D(metas[-1]) if tipo not in (None, TipoAcumulacion.FLUJO) else D(sum(metas))
    db.session.commit()
    return plan


def test_el_oraculo_por_direccion_y_acumulacion_dice_lo_mismo_en_todas_partes(fabrica, plan_oraculo, usuarios,
                                                                             navegador):
    from gestion.excel import informe as excel_informe
    from gestion.seguimiento import cifras_guardadas
    m = fabrica.mundo
    pai = fabrica.publicar_pai()
    for trimestre in (1, 2):
        fabrica.reporte(plan_oraculo, trimestre, {c: fila[4 + trimestre] for c, fila in ORACULO.items()},
                        estado=EstadoReporte.ACEPTADO)
    esperado = {c: tuple(D(v) for v in fila[-1]) for c, fila in ORACULO.items()}

    # Las cifras en vivo, fila por fila.
    cuadro = cifras.cuadro(m.vigencia, 2)
    vivas = {a.codigo: a for a in cuadro.actividades}
    assert {c: (a.cumplimiento_trimestre, a.cumplimiento_acumulado) for c, a in vivas.items()} == {
        c: e[:2] for c, e in esperado.items()}
    rojas = {c for c, a in vivas.items() if a.color is ColorSemaforo.ROJO}
    assert {"A2", "A3"} <= rojas and "A5" not in rojas
    # Al agregar se acota entre 0 y 100: el acumulado de la dependencia, a mano.
    # 10 × 90 + 10 × 5 + 20 × 0 (−25) + 20 × 75 + 10 × 100 + 20 × 50 + 10 × 83,33 = 5.283,3 / 100.
    assert cuadro.dependencias[0].avance_acumulado == D("52.83")
    # T2: 10 × 60 + 10 × 0 (−50) + 20 × 0 (−25) + 20 × 75 + 10 × 100 + 20 × 50 + 10 × 62,5 = 4.725 / 100.
    assert cuadro.dependencias[0].avance_trimestre == D("47.25")

    # Lo que el tablero y los inicios leen guardado: lo mismo.
    resumen = cifras_guardadas.resumen(m.vigencia, 2, None)
    guardada = next(d for d in resumen.dependencias if d.clave == plan_oraculo.dependencia_id)
    assert (guardada.avance_trimestre, guardada.avance_acumulado) == (D("47.25"), D("52.83"))

    # El informe de seguimiento (su libro): el cumplimiento de cada actividad, como fracción, con su signo.
    detalle = next(h for h in excel_informe.hojas(cuadro, {}) if h.titulo == "Detalle por actividad")
    assert {f[1]: (f[7], f[10]) for f in detalle.filas} == {c: (e[0] / 100, e[1] / 100) for c, e in esperado.items()}

    # Los datos abiertos (seguimiento publicado): el cumplimiento de cada trimestre.
    pub = datos_abiertos.publicado(m.vigencia.anio)
    abiertos = {f[5]: f[11] for f in datos_abiertos.filas_seguimiento(pub) if f[1] == 2}
    assert abiertos == {c: e[0] for c, e in esperado.items()}

    # El informe de gestión publicado: el T2 y el año.
    gestion = {f.codigo: (f.cumplimiento_trimestre(2), f.cumplimiento_anual)
               for f in informe_gestion.informe(m.vigencia.anio).filas}
    assert gestion == {c: (e[0], e[2]) for c, e in esperado.items()}

    # Las páginas: el negativo con su signo, en rojo, en el tablero de la dependencia y en la página pública.
    oap = navegador(usuarios[R.OAP])
    detalle_html = oap.texto(f"/admin/tablero/?vigencia=2026&trimestre=2&dependencia={plan_oraculo.dependencia_id}")
    fila_a3 = next(f for f in detalle_html.split("<tr") if ">A3<" in f)
    assert "\u221225 %" in fila_a3 and "color-rojo" in fila_a3 and "52,8 %" in detalle_html
    publico = navegador().texto("/publico/informe-gestion/2026")
    fila_publica = next(f for f in publico.split("<tr") if "A3 Actividad" in f)
    assert "\u221225 %" in fila_publica and "color-rojo" in fila_publica and "Rojo" in fila_publica
    # La página pública del plan muestra desde dónde se mide y cómo se acumula.
    pagina = navegador().texto(f"/publico/pai/{pai.id}")
    assert "Línea base" in pagina and "Tipo de acumulación" in pagina and "Stock" in pagina and "Reducción" in pagina


def test_la_lista_de_chequeo_pide_a_una_decreciente_su_linea_base_por_encima_de_la_meta(fabrica, usuarios):
    from gestion.reglas import controles_plan_accion as controles
    plan = fabrica.plan_accion()  # 10 por trimestre
    a2 = plan.actividades[1]
    a2.tendencia, a2.meta_anual = DECRECIENTE, D(10)
    db.session.commit()

    def lineas_base():
        return [next(i for i in lista.items if i.codigo == "lineas_base")
                for lista in (controles.evaluar(plan), controles.evaluar_varios([plan])[plan.id])]

    for item in lineas_base():
        assert not item.cumple and item.detalle == ("A2 (decreciente) sin línea base",)
        assert item.descripcion == "Cada actividad decreciente tiene su línea base, por encima de sus metas"
    a2.linea_base = D(10)
    db.session.commit()
    for item in lineas_base():
        assert item.detalle == ("A2 (decreciente): la línea base es 10 y no está por encima de la meta (10)",)
    a2.linea_base = D("12.5")
    db.session.commit()
    assert all(item.cumple for item in lineas_base())
    # Una reducción también baja, aunque su tendencia diga creciente.
    plan.actividades[0].tipo_acumulacion = TipoAcumulacion.REDUCCION
    db.session.commit()
    assert [item.detalle for item in lineas_base()] == [("A1 (decreciente) sin línea base",)] * 2


def test_la_plantilla_trae_la_linea_base_y_el_tipo_de_acumulacion_y_vuelven_igual(fabrica, usuarios):
    from io import BytesIO

    from openpyxl import load_workbook
    plan = fabrica.plan_accion()
    a2 = plan.actividades[1]
    a2.tendencia, a2.linea_base, a2.tipo_acumulacion = DECRECIENTE, D("20.5"), TipoAcumulacion.STOCK
    db.session.commit()
    contenido = importar_actividades.plantilla(plan)
    hoja = load_workbook(BytesIO(contenido))["Actividades"]
    titulos = [c.value for c in hoja[1]]
    base, tipo = titulos.index("Línea base") + 1, titulos.index("Tipo de acumulación") + 1
    assert [(hoja.cell(f, base).value, hoja.cell(f, tipo).value) for f in (2, 3)] == [(None, None), (20.5, "Stock")]
    assert any(v.formula1 == '"Flujo,Stock,Acumulado,Capacidad,Reducción"' for v in hoja.data_validations.dataValidation)
    importar_actividades.importar(plan, contenido, usuarios[R.DIRECTOR])
    db.session.expire_all()
    assert [(a.linea_base, a.tipo_acumulacion) for a in plan.actividades] == [
        (None, None), (D("20.50"), TipoAcumulacion.STOCK)]  # vacía queda sin valor: ni 0 ni la primera opción


def test_la_carga_lee_la_linea_base_y_el_tipo_y_rechaza_lo_que_no_es(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    titulos = [c.etiqueta for c in CAMPOS]
    fila = dict(zip(titulos, ["A1", "Reducir el tiempo de respuesta", "OI1", "P01", "Días", "Promedio de días",
                              "NUM", 5, 8, 7, 6, 5, 100, "01/02/2026", "15/12/2026", 0, None, "Grupo", None,
                              "Decreciente"], strict=False))

    def cargar(base, tipo, sin=()):
        columnas = [t for t in titulos if t not in sin]
        valores = fila | {"Línea base": base, "Tipo de acumulación": tipo}
        return importar_actividades.importar(plan, libro([columnas, [valores.get(t) for t in columnas]],
                                                         hoja="Actividades"), usuarios[R.DIRECTOR])

    with pytest.raises(ImportacionRechazada) as rechazo:
        cargar("NA", "Mensual")
    assert rechazo.value.errores == [
        "Fila 2: «Línea base»: «NA» no es un número.",
        "Fila 2: «Tipo de acumulación» «Mensual» no es una opción: escriba Flujo, Stock, Acumulado, Capacidad, "
        "Reducción."]
    db.session.rollback()
    with pytest.raises(ImportacionRechazada, match="«Línea base» no puede ser negativo"):
        cargar(-3, "Stock")
    db.session.rollback()
    cargar(10, "capacidad")
    db.session.expire_all()
    actividad = plan.actividades[0]
    assert (actividad.linea_base, actividad.tipo_acumulacion) == (D(10), TipoAcumulacion.CAPACIDAD)
    # Un libro de antes, sin las columnas, deja lo que había.
    cargar(None, None, sin=("Línea base", "Tipo de acumulación"))
    db.session.expire_all()
    assert (actividad.linea_base, actividad.tipo_acumulacion) == (D(10), TipoAcumulacion.CAPACIDAD)


def test_el_libro_propio_reconoce_la_linea_base_y_el_tipo_de_acumulacion(libro_real):
    from gestion.importacion import mapeo
    assert mapeo.sugerir(["Descripción de la actividad", "L.B", "Tipo de acumulación"]).columnas == {
        "descripcion": "Descripción de la actividad", "linea_base": "L.B", "tipo_acumulacion": "Tipo de acumulación"}
    # La matriz de Medellín: «Línea base», «Comportamiento deseado» y «Tipo de acumulación» en la fila 8.
    contenido = libro_real("MEDELLIN_MISE_PPPC_SEGUIMIENTO_2025_CORTE_2025-06-30.xlsx")
    sugerencia = mapeo.sugerir(mapeo.titulos(contenido, "Consolidado 2025", 8))
    assert {a: sugerencia.columnas.get(a) for a in ("linea_base", "tipo_acumulacion", "tendencia")} == {
        "linea_base": "Línea base", "tipo_acumulacion": "Tipo de acumulación", "tendencia": "Comportamiento deseado"}


def test_el_formulario_la_ficha_y_la_diferencia_entre_versiones_llevan_la_linea_base_y_el_tipo(fabrica, usuarios,
                                                                                             navegador):
    from modelos import Actividad

    from .fabricas import datos_de_actividad
    from .formularios import campos_del_formulario
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=1)
    director = navegador(usuarios[R.DIRECTOR])
    formulario = director.get(f"/admin/actividad/new/?plan={plan.id}").get_data(as_text=True)
    assert "Línea base" in formulario and "Tipo de acumulación" in formulario and "Capacidad" in formulario
    assert campos_del_formulario(formulario)["tipo_acumulacion"] == ["__None"]  # sin valor por omisión
    datos = datos_de_actividad(m, plan, "A9", 10, tendencia="decreciente", meta_anual="10", linea_base="20,5",
                               tipo_acumulacion="stock")
    assert director.post("/admin/actividad/new/", data=datos).status_code == 302
    nueva = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A9"))
    assert (nueva.linea_base, nueva.tipo_acumulacion) == (D("20.50"), TipoAcumulacion.STOCK)
    sin_base = datos | {"codigo": "A8", "linea_base": "", "tipo_acumulacion": ""}
    assert director.post("/admin/actividad/new/", data=sin_base).status_code == 302
    otra = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A8"))
    assert (otra.linea_base, otra.tipo_acumulacion) == (None, None)
    ficha = director.texto(f"/admin/planes_accion/ficha/?id={plan.id}")
    assert "Línea base" in ficha and "20,5" in ficha and "Stock" in ficha
    # La copia de una versión los lleva, y la diferencia entre versiones los nombra.
    nueva_version = versiones.copiar(plan)
    db.session.flush()
    copia = next(a for a in nueva_version.actividades if a.codigo == "A9")
    assert (copia.linea_base, copia.tipo_acumulacion) == (D("20.50"), TipoAcumulacion.STOCK)
    copia.linea_base, copia.tipo_acumulacion = D(18), TipoAcumulacion.CAPACIDAD
    db.session.flush()
    elemento = next(e for e in versiones.comparar(plan, nueva_version).elementos if e.clave == "A9")
    assert [(c.campo, c.antes, c.despues) for c in elemento.cambios] == [
        ("Línea base", "20,5", "18"), ("Tipo de acumulación", "Stock", "Capacidad")]
