"""Las cifras guardadas del tablero son las mismas que el cálculo fila por fila, después de cada clase de
cambio: reporte enviado, aceptado, devuelto y reenviado, una actividad editada, una actividad territorial,
un ajuste aprobado y un cambio de margen de coherencia."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.planes import ajustes
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, cifras_guardadas, reportes, revision
from modelos import Actividad, Avance, CifraAgregada, CifraPendiente, CifraVigencia, ColorSemaforo, EstadoPlan, EstadoReporte, db

D = Decimal


def _agregada(f):
    return (f.clave, f.nombre, f.avance_trimestre, f.avance_acumulado, f.color, f.actividades, f.reportado,
            f.estado_reporte, f.enviado_en, f.incoherentes)


def _iguales(vigencia, usuario=None):
    """Compara los cuatro trimestres; devuelve lo guardado del T1 para afirmar sobre él."""
    primero = None
    for trimestre in range(1, 5):
        guardado = cifras_guardadas.resumen(vigencia, trimestre, usuario)
        calculado = cifras.cuadro(vigencia, trimestre, usuario)
        assert [_agregada(d) for d in guardado.dependencias] == [_agregada(d) for d in calculado.dependencias]
        assert [_agregada(o) for o in guardado.objetivos] == [_agregada(o) for o in calculado.objetivos]
        assert _agregada(guardado.total) == _agregada(calculado.total)
        # El semáforo del inicio, contado en la base: los mismos colores que el cálculo fila por fila.
        assert cifras_guardadas.semaforo_inicio(vigencia, trimestre, usuario).conteo == calculado.conteo_colores()
        assert [(a.dependencia, a.codigo, a.ejecucion_presupuestal, a.avance_fisico) for a in guardado.incoherentes] \
            == [(a.dependencia, a.codigo, a.ejecucion_presupuestal, a.avance_fisico) for a in calculado.incoherentes]
        # La primera vista del tablero, cortada en la base de a dos: las páginas juntas son las mismas filas, y lo que
        # abarca a todas (colores, sin reporte) sale igual que del cálculo fila por fila.
        ultima = max(1, -(-len(calculado.dependencias) // 2))
        paginas = [cifras_guardadas.primera_vista(vigencia, trimestre, usuario, numero, 2)
                   for numero in range(1, ultima + 2)]
        mas_alla = paginas.pop()  # una página más allá de la última muestra la última
        assert mas_alla.pagina == ultima and mas_alla.dependencias == paginas[-1].dependencias
        assert [_agregada(d) for p in paginas for d in p.dependencias] == [_agregada(d) for d in calculado.dependencias]
        assert all(p.cuantas == len(calculado.dependencias) for p in paginas)
        assert paginas[0].conteo_colores() == calculado.conteo_colores()
        assert [_agregada(d) for d in paginas[0].sin_reporte] == [_agregada(d) for d in calculado.sin_reporte[:2]]
        assert paginas[0].cuantas_sin_reporte == len(calculado.sin_reporte)
        primero = primero or guardado
    return primero


def _pendientes():
    return db.session.scalar(sa.select(sa.func.count(CifraPendiente.id)))


@pytest.fixture
def plan(fabrica, usuarios):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    plan.actividades[0].peso, plan.actividades[1].peso = D("30.5"), D("69.5")
    db.session.commit()
    return plan


def test_lo_guardado_sigue_a_cada_cambio(app, fabrica, usuarios, plan, monkeypatch):
    m = fabrica.mundo
    otro = fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO)
    assert _iguales(m.vigencia).total.avance_acumulado is None  # nada reportado: todo gris

    # Reporte enviado: el servicio recalcula al enviar, sin esperar a que alguien lea.
    reporte = fabrica.reporte(plan, 1, {"A1": 12, "A2": 5}, comprometido={"A1": 900_000})
    assert _pendientes() == 0
    t1 = _iguales(m.vigencia)
    assert t1.dependencias[1].avance_acumulado == D("65.25")  # 30,5 × 100 + 69,5 × 50
    assert [a.codigo for a in t1.incoherentes] == ["A1"]

    # Aceptado, devuelto y reenviado.
    revision.aceptar_reporte(reporte, usuarios[R.OAP])
    db.session.commit()
    assert _pendientes() == 0
    assert _iguales(m.vigencia).dependencias[1].estado_reporte is EstadoReporte.ACEPTADO
    devuelto = fabrica.reporte(otro, 1, {"A1": 10, "A2": 10}, estado=EstadoReporte.DEVUELTO)
    assert _iguales(m.vigencia).dependencias[0].color is ColorSemaforo.GRIS
    reportes.enviar_reporte(devuelto, fabrica.reportante(m.central2))
    db.session.commit()
    assert _iguales(m.vigencia).dependencias[0].color is ColorSemaforo.VERDE

    # Una actividad editada directamente (sin servicio): la marca del after_flush la deja pendiente.
    plan.actividades[1].meta_t1, plan.actividades[1].meta_t2 = D(20), D(0)
    db.session.commit()
    assert _pendientes() > 0
    assert _iguales(m.vigencia).dependencias[1].avance_acumulado == D("47.88")  # (30,5 × 100 + 69,5 × 25) / 100
    assert _pendientes() == 0

    # Segundo trimestre y una actividad territorial con lo que reportan las DT.
    fabrica.reporte(plan, 2, {"A1": 10, "A2": 10})
    fabrica.actividad_territorial(otro, {m.territorial: (5, 5, 5, 5), m.territorial2: (5, 5, 5, 5)})
    fabrica.reporte(otro, 2, {"A1": 5}, dependencia=m.territorial)
    _iguales(m.vigencia)
    _iguales(m.vigencia, usuarios[R.DIRECTOR])
    _iguales(m.vigencia, usuarios[R.TERRITORIAL])

    # Un ajuste aprobado: la versión nueva queda vigente y lo reportado antes sigue sumando.
    oap = usuarios[R.OAP]
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Recorte presupuestal.", "Mover meta del T4 al T3.")
    propuesta = solicitud.plan_propuesto.actividades[0]
    propuesta.meta_t3, propuesta.meta_t4 = D(15), D(5)
    db.session.flush()
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    ajustes.revisar(solicitud, oap, True, "Pertinente.")
    fabrica.verificar(solicitud.plan_propuesto, oap)
    ajustes.aprobar(solicitud, oap, "Aprobado.")
    db.session.commit()
    assert solicitud.plan_propuesto.vigente
    _iguales(m.vigencia)

    # Otro margen de coherencia: se recalcula la vigencia entera.
    monkeypatch.setitem(app.config, "GESTION_MARGEN_COHERENCIA", "90")
    assert _iguales(m.vigencia).incoherentes == []


def test_la_orden_rehace_las_cifras(app, fabrica, plan):
    m = fabrica.mundo
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    antes = _agregada(cifras_guardadas.resumen(m.vigencia, 1).dependencias[0])
    db.session.execute(sa.text("DELETE FROM cifra_agregada"))
    db.session.commit()
    resultado = app.test_cli_runner().invoke(args=["gestion", "cifras", "--vigencia", "2026"])
    assert "recalculadas" in resultado.output
    assert _agregada(cifras_guardadas.resumen(m.vigencia, 1).dependencias[0]) == antes


def test_la_orden_deja_a_la_base_contando_las_filas_de_las_cifras(app, fabrica, plan):
    """Rehechas de una vez, las cifras quedan con estadísticas (ANALYZE): sin ellas PostgreSQL planeaba sus tablas
    como de una fila y el tablero de un sector elegía un bucle anidado de 66 ms."""
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    app.test_cli_runner().invoke(args=["gestion", "cifras", "--vigencia", "2026"])
    filas = db.session.scalar(sa.text("SELECT count(*) FROM cifra_agregada"))
    assert filas > 0
    if db.engine.dialect.name == "postgresql":
        estimadas = db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE relname = 'cifra_agregada'"))
    else:
        estimadas = int(db.session.scalar(sa.text(
            "SELECT stat FROM sqlite_stat1 WHERE tbl = 'cifra_agregada' LIMIT 1")).split()[0])
    assert estimadas == filas


def test_una_sentencia_masiva_tambien_deja_pendientes_las_cifras(fabrica, plan):
    """Un UPDATE por session.execute (sin flush) sobre las actividades de un plan o los avances de su reporte marca
    sus cifras pendientes: el tablero no muestra lo de antes."""
    m = fabrica.mundo
    reporte = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    assert _iguales(m.vigencia).dependencias[0].avance_acumulado == D("100.00")
    a1, a2 = plan.actividades[0].id, plan.actividades[1].id

    db.session.execute(sa.update(Actividad).where(Actividad.plan_id == plan.id, Actividad.id == a2).values(meta_t1=20))
    db.session.commit()
    assert _pendientes() > 0
    assert _iguales(m.vigencia).dependencias[0].avance_acumulado == D("65.25")  # 30,5 × 100 + 69,5 × 50

    db.session.execute(sa.update(Avance).where(Avance.reporte_id == reporte.id, Avance.actividad_id == a1)
                       .values(valor_logrado=5))
    db.session.commit()
    assert _pendientes() > 0
    assert _iguales(m.vigencia).dependencias[0].avance_acumulado == D("50.00")
    assert _pendientes() == 0


@pytest.mark.parametrize("suma, color", [(899_950, ColorSemaforo.VERDE), (899_949, ColorSemaforo.AMARILLO),
                                         (699_950, ColorSemaforo.AMARILLO), (699_949, ColorSemaforo.ROJO),
                                         (0, ColorSemaforo.ROJO)])
def test_el_semaforo_del_inicio_redondea_en_el_umbral_como_el_tablero(fabrica, suma, color):
    """89,995 % se redondea a 90,00 (verde, como `_redondear` en el tablero); 89,9949 % a 89,99 (amarillo)."""
    m = fabrica.mundo
    db.session.add(CifraVigencia(vigencia_id=m.vigencia.id, margen=cifras.margen_coherencia(),
                                 calculada_en=datetime.now(timezone.utc)))  # ya calculada: se leen estas filas
    fila = dict(vigencia_id=m.vigencia.id, trimestre=1, duena_id=m.central.id, plan_id=1, objetivo_id=None,
                territorial=False, actividades=1, peso_trimestre=100, suma_trimestre=suma, peso_acumulado=100,
                suma_acumulado=suma, incoherentes=0, estado_reporte=EstadoReporte.ACEPTADO, enviado_en=None)
    db.session.add(CifraAgregada(dependencia_id=m.central.id, **fila))
    db.session.add(CifraAgregada(dependencia_id=m.central2.id, **{**fila, "estado_reporte": EstadoReporte.EN_REPORTE}))
    db.session.commit()
    conteo = cifras_guardadas.semaforo_inicio(m.vigencia, 1).conteo
    assert {c: n for c, n in conteo.items() if n} == {color: 1, ColorSemaforo.GRIS: 1}
    fila_tablero = cifras_guardadas.resumen(m.vigencia, 1).dependencias
    assert sorted(f.color.value for f in fila_tablero) == sorted([color.value, ColorSemaforo.GRIS.value])
