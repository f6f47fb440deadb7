"""Ninguna página consulta por fila (issue 23, punto 1): la ficha de un plan territorial, la página de un reporte
trimestral, las de un ajuste y las de Control Interno y la calidad del reporte hacen las mismas consultas SQL con
pocas filas que con muchas (actividades, metas por Direcciones Territoriales, ítems, dependencias)."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.planes import ajustes, plan_accion
from gestion.reglas import roles as R
from gestion.seguimiento import verificacion
from modelos import EstadoPlan, EstadoReporte, MetaTerritorial, TipoDependencia, Vigencia, db

from .test_consultas import consultas


def _plan_territorial(fabrica, dependencia, actividades: int, territoriales: int, dts: list):
    """Plan aprobado de `actividades` actividades; las `territoriales` primeras, desglosadas entre las `dts`."""
    plan = fabrica.plan_accion(dependencia, actividades=actividades)
    for actividad in plan.actividades[:territoriales]:
        actividad.territorial = True
        parte = Decimal(10) / len(dts)
        for dt in dts:
            actividad.metas_territoriales.append(MetaTerritorial(dependencia=dt, meta_t1=parte, meta_t2=parte,
                                                                 meta_t3=parte, meta_t4=parte))
    db.session.commit()
    fabrica.llevar_a(plan, EstadoPlan.APROBADO)
    db.session.commit()
    return plan


@pytest.fixture
def dos_tamanos(fabrica, usuarios):
    """Lo mismo dos veces: un plan de 3 actividades (1 territorial, 2 DT) y uno de 30 (10 territoriales, 5 DT),
    cada uno con el reporte del T1 de su dependencia y el de una DT, y una solicitud de ajuste en curso."""
    m = fabrica.mundo
    otras = [fabrica.dependencia(f"DT9{i}", f"Dirección Territorial {i}", TipoDependencia.TERRITORIAL)
             for i in range(3)]
    urls = []
    for dependencia, tamano in ((m.central, (3, 1, [m.territorial, m.territorial2])),
                                (m.central2, (30, 10, [m.territorial, m.territorial2, *otras]))):
        plan = _plan_territorial(fabrica, dependencia, *tamano)
        propio = fabrica.reporte(plan, 1, {"A1": 10})
        de_la_dt = fabrica.reporte(plan, 1, {}, dependencia=tamano[2][-1])
        solicitud = ajustes.solicitar(plan, fabrica.reportante(dependencia), "Una ley nueva amplía las visitas.",
                                      "Subir las metas del cuarto trimestre.")
        db.session.commit()
        urls.append({
            "ficha del plan": f"/admin/planes_accion/ficha/?id={plan.id}",
            "ficha de la versión propuesta": f"/admin/planes_accion/ficha/?id={solicitud.plan_propuesto_id}",
            "reporte de la dependencia": f"/admin/reportetrimestral/ficha/?id={propio.id}",
            "reporte de una DT": f"/admin/reportetrimestral/ficha/?id={de_la_dt.id}",
            "solicitud de ajuste": f"/admin/solicitudajuste/ficha/?id={solicitud.id}",
            "comparar versiones": f"/admin/solicitudajuste/comparar/?a={plan.id}&b={solicitud.plan_propuesto_id}",
        })
    return urls


@pytest.mark.parametrize("pagina", ["ficha del plan", "ficha de la versión propuesta", "reporte de la dependencia",
                                    "reporte de una DT", "solicitud de ajuste", "comparar versiones"])
def test_las_paginas_de_un_plan_no_consultan_por_actividad_ni_por_dt(usuarios, navegador, dos_tamanos, pagina):
    oap = navegador(usuarios[R.OAP])
    pequeno, grande = (urls[pagina] for urls in dos_tamanos)
    consultas(oap, pequeno)  # la primera lectura puede rehacer cifras o listas guardadas
    assert consultas(oap, grande) == consultas(oap, pequeno)


def test_el_plan_grande_se_ve_entero(usuarios, navegador, dos_tamanos):
    """Cargar de una vez no pierde nada: las 30 actividades, las metas de las 5 DT y lo programado de cada ítem."""
    oap = navegador(usuarios[R.OAP])
    ficha = oap.texto(dos_tamanos[1]["ficha del plan"])
    assert "A30" in ficha and ficha.count("Dirección Territorial 2</td>") == 10
    reporte = oap.texto(dos_tamanos[1]["reporte de una DT"])
    assert reporte.count("<strong>A") == 10 and '<td class="text-right">2</td>' in reporte


def test_la_ficha_de_un_pai_no_consulta_por_plan_consolidado(fabrica, usuarios, navegador):
    """La ficha del PAI lee de una vez sus planes consolidados, la dependencia y las actividades de cada uno (a escala
    de sector eran tres consultas por plan: 1.040 con 341 planes)."""
    oap = usuarios[R.OAP]
    fabrica.plan_accion(fabrica.dependencia("7001", "Dirección 7001"), EstadoPlan.APROBADO)
    pai = plan_accion.consolidar(fabrica.mundo.vigencia, oap, "Prueba de consultas")
    db.session.commit()
    cliente, url = navegador(oap), f"/admin/planes_accion/ficha/?id={pai.id}"
    consultas(cliente, url)
    pocas = consultas(cliente, url)
    for i in range(3):
        fabrica.plan_accion(fabrica.dependencia(f"{7002 + i}", f"Dirección {7002 + i}"), EstadoPlan.APROBADO,
                            actividades=4)
    assert plan_accion.consolidar(fabrica.mundo.vigencia, oap, "Prueba de consultas").id == pai.id
    db.session.commit()
    assert "Dirección 7004" in cliente.texto(url)
    consultas(cliente, url)
    assert consultas(cliente, url) == pocas


def _dependencias(fabrica, oap, ci, vigencia, desde: int, cuantas: int) -> None:
    """Dependencias con su plan aprobado, su T1 aceptado, la verificación publicada y la evaluación generada."""
    for i in range(cuantas):
        plan = fabrica.plan_accion(fabrica.dependencia(f"{desde + i}", f"Dirección {desde + i}"), EstadoPlan.APROBADO)
        fabrica.reporte(plan, 1, {"A1": 10, "A2": 5}, estado=EstadoReporte.ACEPTADO)
    pendientes = {f.dependencia_id: verificacion.Entrada("80", "Actas de las visitas.", "", "")
                  for f in verificacion.cuadro(vigencia, "T1") if f.verificacion is None}
    verificacion.guardar_cuadro(vigencia, "T1", ci, pendientes)
    verificacion.publicar(vigencia, "T1", ci)
    verificacion.generar_evaluacion(vigencia, ci)
    db.session.commit()


@pytest.mark.parametrize("quien, url", [
    (R.CONTROL_INTERNO, "/admin/verificacion_oci/cuadro/?vigencia=2026&periodo=T1"),
    (R.CONTROL_INTERNO, "/admin/verificacion_oci/evaluacion/?vigencia=2026"),
    (R.CONTROL_INTERNO, "/admin/verificacion_oci/"),
    (R.OAP, "/admin/verificacion_oci/"),
    (R.OAP, "/admin/calidad_reporte/?vigencia=2026&trimestre=1"),
])
def test_control_interno_y_la_calidad_no_consultan_por_dependencia(fabrica, usuarios, navegador, quien, url):
    ci = usuarios[R.CONTROL_INTERNO]
    vigencia = db.session.scalar(sa.select(Vigencia).filter_by(anio=2026)) or fabrica.mundo.vigencia
    cliente = navegador(usuarios[quien])
    _dependencias(fabrica, usuarios[R.OAP], ci, vigencia, 5000, 2)
    consultas(cliente, url)
    pocas = consultas(cliente, url)
    _dependencias(fabrica, usuarios[R.OAP], ci, vigencia, 6000, 6)
    assert "Dirección 6005" in cliente.texto(url)
    consultas(cliente, url)
    assert consultas(cliente, url) == pocas
