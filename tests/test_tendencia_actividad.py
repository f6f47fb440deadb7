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
from modelos import Avance, ColorSemaforo, EstadoPlan, EstadoReporte, Tendencia, db

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
    assert [f[-1] for f in datos_abiertos.filas_actividades(pub)] == ["Creciente", "Decreciente"]
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
    sin_columna = titulos[:-1]
    filas = [[f"A{i}", *fila[1:]] for i in (1, 2, 3, 4)]
    importar_actividades.importar(plan, libro([sin_columna, *filas], hoja="Actividades"), usuarios[R.DIRECTOR])
    db.session.expire_all()
    assert [a.tendencia for a in plan.actividades] == [DECRECIENTE, CONSTANTE, CRECIENTE, CRECIENTE]


def test_la_demo_trae_una_actividad_decreciente_medida_como_tal(contexto):
    from gestion.demo.cargador import cargar_demo
    from modelos import Actividad, Dependencia, Plan, Vigencia

    from .fabricas import CONTRASENA
    cargar_demo(CONTRASENA)
    db.session.commit()
    v2026 = db.session.scalar(sa.select(Vigencia).filter_by(anio=2026))
    actividad = db.session.scalar(sa.select(Actividad).join(Plan).join(Dependencia, Plan.dependencia_id == Dependencia.id)
                                  .where(Plan.vigencia_id == v2026.id, Plan.vigente, Dependencia.codigo == "1400",
                                         Actividad.codigo == "A3"))
    assert actividad.tendencia is DECRECIENTE and actividad.descripcion.startswith("Reducir a 8 horas")
    fila = next(f for f in cifras.cuadro(v2026, 2).actividades if f.actividad_id == actividad.id)
    assert fila.reportado and fila.cumplimiento_trimestre == cifras.cumplimiento(fila.meta_del_trimestre,
                                                                                 fila.logrado_trimestre)


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
