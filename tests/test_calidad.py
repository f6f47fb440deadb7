"""La calidad del reporte por dependencia (a tiempo, completo, sin devoluciones, días para corregir, actividades
sin avance), frente a un oráculo escrito a mano; ordenada, en su página y en su libro."""
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base.formato import ZONA
from gestion.reglas import roles as R
from gestion.seguimiento import calidad, reportes, revision
from modelos import EstadoPlan, ReporteTrimestral, db, en_momento


def _el(dia: int, mes: int = 4):
    return en_momento(datetime(2026, mes, dia, 10, tzinfo=ZONA))


def _cargar(fabrica, plan, valores: dict, evidencia: set, dia: int):
    """Abre y carga el T1 como el dueño: valor, justificación si va bajo la meta de 10, enlace si está en
    `evidencia`; lo envía el `dia` de abril (la ventana del T1 cierra el 15)."""
    usuario = fabrica.reportante(plan.dependencia)
    with _el(dia):
        reporte = reportes.abrir_reporte(plan, fabrica.mundo.vigencia, 1, usuario)
        for avance in reporte.avances:
            codigo = avance.actividad.codigo
            reportes.registrar_avance(avance, usuario, valor=valores[codigo],
                                      justificacion="Faltó personal." if valores[codigo] < 10 else None,
                                      enlace=f"https://intranet.gov.co/{codigo}" if codigo in evidencia else None)
        reportes.enviar_reporte(reporte, usuario)
    db.session.commit()
    return reporte


@pytest.fixture
def trimestre(fabrica, usuarios):
    """Tres dependencias con su plan aprobado: una envía a tiempo con la mitad de las evidencias, otra tarde y
    se la devuelven una vez (corrige en 3 días) con todo completo, y la tercera no envía nada."""
    m = fabrica.mundo
    oap = usuarios[R.OAP]
    ventana = fabrica.ventana(1)
    ventana.abre, ventana.cierra = date(2026, 4, 1), date(2026, 4, 15)
    with _el(16):  # quien envía tarde lo hace por una reapertura
        revision.reabrir_ventana(ventana, m.central2, "Cambio de enlace de reporte.", date(2026, 4, 30), oap)
    db.session.commit()
    territorial = fabrica.plan_accion(m.territorial, EstadoPlan.APROBADO)
    a_tiempo = _cargar(fabrica, fabrica.plan_accion(m.central, EstadoPlan.APROBADO), {"A1": 10, "A2": 5}, {"A1"}, 10)
    tarde = _cargar(fabrica, fabrica.plan_accion(m.central2, EstadoPlan.APROBADO), {"A1": 10, "A2": 0}, {"A1"}, 20)
    with _el(22):
        revision.devolver_reporte(tarde, oap, "Revise las cifras.")
    with _el(25):
        reportes.enviar_reporte(tarde, fabrica.reportante(m.central2))
    with _el(27):
        revision.aceptar_reporte(tarde, oap)
        revision.aceptar_reporte(a_tiempo, oap)
    db.session.commit()
    return m, territorial


def test_el_indice_de_cada_dependencia_sale_como_el_oraculo(trimestre):
    m, territorial = trimestre
    filas = calidad.calidad(m.vigencia, 1)
    obtenido = {f.dependencia_id: (f.puesto, f.enviado, f.a_tiempo, f.completos, f.items, f.devoluciones,
                                   f.dias_para_corregir, f.sin_avance_nunca, f.actividades, f.indice) for f in filas}
    assert obtenido == {
        # 30 a tiempo + 40 × 1/2 ítems completos (A2 reporta 5 sin evidencia) + 30 sin devoluciones
        m.central.id: (1, True, True, 1, 2, 0, 0, 0, 2, Decimal("80.0")),
        # fuera de plazo + 40 (A2 en 0 no pide evidencia) + 15 con una devolución; A2 nunca reportó avance
        m.central2.id: (2, True, False, 2, 2, 1, 3, 1, 2, Decimal("55.0")),
        m.territorial.id: (3, False, None, 0, 0, 0, 0, 2, 2, Decimal("0")),
    }


def test_la_oap_lo_ve_ordenado_y_lo_descarga(navegador, usuarios, trimestre):
    m, _ = trimestre
    html = navegador(usuarios[R.OAP]).texto("/admin/calidad_reporte/?vigencia=2026&trimestre=1")
    assert html.index(m.central.nombre) < html.index(m.central2.nombre) < html.index(m.territorial.nombre)
    assert ">80</td>" in html and ">55</td>" in html and "Fuera de plazo" in html and "Sin enviar" in html
    respuesta = navegador(usuarios[R.CONTROL_INTERNO]).get("/admin/calidad_reporte/xlsx/?vigencia=2026&trimestre=1")
    filas = list(load_workbook(BytesIO(respuesta.data)).active.iter_rows(values_only=True))
    assert [f[:3] for f in filas[1:]] == [(1, m.central.nombre, 80), (2, m.central2.nombre, 55),
                                         (3, m.territorial.nombre, 0)]
    assert navegador(usuarios[R.DIRECTOR]).get("/admin/calidad_reporte/").status_code == 403


def test_el_tablero_lleva_a_quien_revisa_el_seguimiento_al_orden_de_calidad(navegador, usuarios, trimestre):
    """El orden se calcula sobre todas las dependencias: el tablero no lo arma, enlaza su página, que lo trae."""
    m, _ = trimestre
    for rol in (R.OAP, R.CONTROL_INTERNO):
        cliente = navegador(usuarios[rol])
        html = cliente.texto("/admin/tablero/?vigencia=2026&trimestre=1")
        bloque = html[html.index("Calidad del reporte, trimestre 1"):html.index("Por objetivo del PEI")]
        assert m.central.nombre not in bloque
        enlace = "/admin/calidad_reporte/?vigencia=2026&amp;trimestre=1"
        assert enlace in bloque
        calidad_html = cliente.texto(enlace.replace("&amp;", "&"))
        assert calidad_html.index(m.central.nombre) < calidad_html.index(m.central2.nombre) \
            < calidad_html.index(m.territorial.nombre)
        assert ">80</td>" in calidad_html and ">55</td>" in calidad_html
    director = navegador(usuarios[R.DIRECTOR]).texto("/admin/tablero/?vigencia=2026&trimestre=1")
    assert "Calidad del reporte, trimestre" not in director and "calidad_reporte" not in director


def test_el_informe_de_seguimiento_trae_la_hoja_de_calidad(usuarios, trimestre):
    m, _ = trimestre
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    libro = load_workbook(BytesIO(revision.libro_del_informe(informe)))
    filas = list(libro["Calidad del reporte"].iter_rows(values_only=True))
    assert filas[0][:3] == ("Puesto", "Dependencia", "Índice de calidad (0 a 100)")
    assert [f[:3] for f in filas[1:]] == [(1, m.central.nombre, 80), (2, m.central2.nombre, 55),
                                         (3, m.territorial.nombre, 0)]
    assert [f[-1] for f in filas[1:]] == [0, 0.5, 1]  # la parte de actividades sin avance nunca reportado


def test_la_calidad_se_lee_en_un_numero_fijo_de_consultas(app, fabrica, trimestre):
    """Con el doble de dependencias, las mismas consultas (con las cifras guardadas ya al día: la primera lectura
    tras un cambio hecho sin los servicios las recalcula, también en un número fijo de consultas)."""
    from sqlalchemy import event

    m, _ = trimestre
    contadas = []

    def contar(*_):
        contadas.append(1)

    event.listen(db.engine, "before_cursor_execute", contar)
    try:
        calidad.calidad(m.vigencia, 1)
        contadas.clear()
        calidad.calidad(m.vigencia, 1)
        antes = len(contadas)
        for codigo in ("7001", "7002", "7003"):
            _cargar(fabrica, fabrica.plan_accion(fabrica.dependencia(codigo, f"Dirección {codigo}"),
                                                 EstadoPlan.APROBADO), {"A1": 10, "A2": 10}, {"A1", "A2"}, 12)
        calidad.calidad(m.vigencia, 1)
        contadas.clear()
        assert len(calidad.calidad(m.vigencia, 1)) == 6
        assert len(contadas) == antes
    finally:
        event.remove(db.engine, "before_cursor_execute", contar)


def test_la_bandeja_dice_los_dias_que_espera_cada_reporte(navegador, fabrica, usuarios):
    m = fabrica.mundo
    with _el(1, 12):
        fabrica.reporte(fabrica.plan_accion(m.central, EstadoPlan.APROBADO), 1, {"A1": 10, "A2": 10})
    reporte = db.session.scalar(sa.select(ReporteTrimestral))
    assert calidad.dias_en_espera(reporte, hoy=datetime(2026, 12, 7).date()) == 6
    html = navegador(usuarios[R.OAP]).texto("/admin/reportetrimestral/?sort=6")
    assert "Días en espera" in html
    revision.aceptar_reporte(reporte, usuarios[R.OAP])
    assert calidad.dias_en_espera(reporte) is None  # aceptado: ya no espera


def test_la_pagina_va_de_la_mejor_a_la_peor_por_paginas_y_el_libro_trae_todas(usuarios, navegador, trimestre,
                                                                              monkeypatch):
    from vistas import paginacion
    monkeypatch.setattr(paginacion, "POR_PAGINA", 2)
    m, _ = trimestre
    oap = navegador(usuarios[R.OAP])
    url = "/admin/calidad_reporte/?vigencia=2026&trimestre=1"
    html = oap.texto(url)
    assert m.central.nombre in html and m.central2.nombre in html and m.territorial.nombre not in html
    assert "Dependencias 1 a 2 de 3, de la mejor a la peor." in html
    html = oap.texto(url + "&pagina=2")
    assert m.territorial.nombre in html and m.central.nombre not in html and "Sin enviar" in html
    html = oap.texto(url + "&q=" + m.central2.nombre.upper())
    assert m.central2.nombre in html and m.territorial.nombre not in html and ">2</td>" in html  # su puesto
    filas = list(load_workbook(BytesIO(oap.get(url.replace("/?", "/xlsx/?")).data)).active.iter_rows(values_only=True))
    assert [f[1] for f in filas[1:]] == [m.central.nombre, m.central2.nombre, m.territorial.nombre]


def _completos_a_mano(vigencia, trimestre_):
    """El oráculo de «ítem completo», avance por avance en Python: (reporte, ítems, completos)."""
    from modelos import Avance, MetaTerritorial
    cuentas = {}
    for avance in db.session.scalars(sa.select(Avance).join(Avance.reporte).where(
            ReporteTrimestral.vigencia_id == vigencia.id, ReporteTrimestral.trimestre == trimestre_)):
        actividad, reporte = avance.actividad, avance.reporte
        dt = db.session.scalar(sa.select(MetaTerritorial).filter_by(actividad_id=actividad.id,
                                                                    dependencia_id=reporte.dependencia_id))
        meta = getattr(dt or actividad, f"meta_t{trimestre_}")
        valor = avance.valor_logrado or 0
        justificado = not (meta is not None and valor < meta) or bool((avance.justificacion or "").strip())
        completo = justificado and (not valor or bool(avance.evidencia_archivo or avance.evidencia_enlace))
        n, c = cuentas.get(reporte.id, (0, 0))
        cuentas[reporte.id] = (n + 1, c + completo)
    return cuentas


def test_las_cuentas_guardadas_son_las_del_calculo_a_mano_tambien_tras_un_cambio_sin_los_servicios(
        usuarios, navegador, trimestre):
    """La calidad lee los ítems completos guardados: iguales a contarlos avance por avance, también después de
    quitar una evidencia y una justificación directamente en la base (la lectura recalcula lo pendiente)."""
    from gestion.seguimiento import calidad_guardada
    from modelos import Avance
    m, _ = trimestre
    calidad.calidad(m.vigencia, 1)
    assert calidad_guardada.items(m.vigencia.id, 1) == _completos_a_mano(m.vigencia, 1) != {}
    for avance in db.session.scalars(sa.select(Avance).join(Avance.reporte).where(
            ReporteTrimestral.dependencia_id == m.central2.id)):
        avance.evidencia_enlace, avance.justificacion = None, None
    db.session.commit()
    html = navegador(usuarios[R.OAP]).texto("/admin/calidad_reporte/?vigencia=2026&trimestre=1")
    assert calidad_guardada.items(m.vigencia.id, 1) == _completos_a_mano(m.vigencia, 1)
    fila = next(f for f in calidad.calidad(m.vigencia, 1) if f.dependencia_id == m.central2.id)
    # Sin evidencia ni justificación ningún ítem queda completo: 0 + fuera de plazo 0 + una devolución 15.
    assert (fila.items, fila.completos, fila.indice) == (2, 0, Decimal(15)) and ">15</td>" in html
