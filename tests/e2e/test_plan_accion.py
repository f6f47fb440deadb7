"""El Plan de Acción en el navegador, como cada rol (actividades 9 a 15 del DE-PD-01): formular con cifras
y fechas escritas como en Colombia, metas de las DT, envío, verificación, devolución y aprobación en bloque,
consolidación, comité, publicación, y el PAI publicado con su libro."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from playwright.sync_api import expect

from modelos import Actividad, MetaTerritorial, Plan, TipoPlan, db
from modelos import EstadoPlan as E

from . import paginas as P

pytestmark = pytest.mark.e2e


def _recargar(*objetos):
    db.session.expire_all()
    objetos = [db.session.get(type(o), o.id) for o in objetos]
    db.session.commit()  # no deja una lectura abierta mientras el servidor escribe
    return objetos


def _actividad(codigo: str, peso: str, **otros) -> dict:
    return {"Código": codigo, "Descripción": f"Visitas de inspección {codigo}", "Indicador": "Visitas realizadas",
            "Fórmula": "Número de visitas", "Meta anual": "40", "Meta T1": "10", "Meta T2": "10", "Meta T3": "10",
            "Meta T4": "10", "Peso (%)": peso, "Fecha de inicio": "01/03/2026", "Fecha de fin": "15/12/2026",
            "Presupuesto": "250.000.000", "Responsable": "Grupo de inspección", **otros}


LISTAS = {"Objetivo del PEI": "formalización", "Política MIPG": "Planeación Institucional", "Unidad de medida": "Número"}


def test_del_plan_formulado_al_pai_publicado(fabrica, usuarios, navegar, captura):
    m = fabrica.mundo
    plan = Plan(tipo=TipoPlan.PA, nombre="Plan de Acción 2026 – Inspección", vigencia=m.vigencia, dependencia=m.central)
    db.session.add(plan)
    plan2 = fabrica.plan_accion(m.central2)
    db.session.commit()

    # Actividad 10: el director formula, con la cifra y las fechas como las escribe.
    director = navegar(usuarios["director"].email)
    P.agregar_actividad(director, plan.id, _actividad("A1", "60"), LISTAS)
    P.agregar_actividad(director, plan.id, _actividad("A2", "30", **{"Presupuesto": "1.050.000,50"}),
                        {**LISTAS, "Direcciones Territoriales que la ejecutan": ("Antioquia", "Valle")},
                        marcas=("Territorial",))
    a1 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A1"))
    a2 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A2"))
    assert (a1.presupuesto, a1.fecha_inicio, a1.fecha_fin) == (Decimal(250_000_000), date(2026, 3, 1), date(2026, 12, 15))
    assert a2.presupuesto == Decimal("1050000.50") and a2.territorial
    assert {mt.dependencia_id for mt in a2.metas_territoriales} == {m.territorial.id, m.territorial2.id}
    db.session.commit()
    P.abrir_ficha(director, plan.id)
    expect(director.get_by_text("$ 250.000.000").first).to_be_visible()
    expect(director.get_by_text("01/03/2026").first).to_be_visible()

    # Cada DT fija sus metas trimestrales de la actividad territorial.
    for correo, metas in ((usuarios["territorial"].email, ("6", "5", "5", "5")),
                          (usuarios["territorial2"].email, ("4", "5", "5", "5"))):
        P.fijar_metas_territoriales(navegar(correo), "Visitas de inspección A2", metas)
    metas_dt = {mt.dependencia_id: mt.meta_t1 for mt in db.session.scalars(sa.select(MetaTerritorial))}
    db.session.commit()
    assert metas_dt == {m.territorial.id: 6, m.territorial2.id: 4}

    # Actividad 11: los pesos suman 90 %: la ficha lo advierte y el director lo envía a sabiendas.
    P.enviar_plan(director, plan.id, a_sabiendas=True)
    director2 = navegar(usuarios["director2"].email)
    P.enviar_plan(director2, plan2.id)

    # Actividad 12: la OAP registra los puntos de juicio y devuelve los dos en bloque con una observación.
    oap = navegar(usuarios["oap"].email)
    for p in (plan, plan2):
        P.verificar_juicio(oap, p.id)
    P.devolver_en_bloque(oap, (plan.id, plan2.id), "Precise los indicadores.")
    plan, plan2 = _recargar(plan, plan2)
    assert plan.estado is plan2.estado is E.DEVUELTO

    # El director ve la observación, corrige el peso y reenvía; el otro también.
    P.abrir_ficha(director, plan.id)
    P.ver_mensaje(director, "Precise los indicadores.")
    P.editar_actividad(director, plan.id, "A1", {"Peso (%)": "70"})
    P.enviar_plan(director, plan.id)
    P.enviar_plan(director2, plan2.id)

    # La OAP aprueba en bloque y consolida el PAI (actividad 13).
    for p in (plan, plan2):
        P.verificar_juicio(oap, p.id)
    P.aprobar_en_bloque(oap, (plan.id, plan2.id))
    P.consolidar(oap, "2026")
    pai = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PAI))
    db.session.commit()
    assert pai is not None

    # Actividades 14 y 15: el jefe de la OAP registra el comité (fecha escrita dd/mm/aaaa) y publica.
    jefe = navegar(usuarios["jefe_oap"].email)
    P.presentar_al_comite(jefe, pai.id, "03-2026", "24/01/2026", "Se aprueba el PAI.")
    P.publicar(jefe, pai.id)
    (pai,) = _recargar(pai)
    assert pai.estado is E.PUBLICADO and pai.acta_presentacion.fecha == date(2026, 1, 24)

    # Cualquiera ve el PAI publicado y descarga su libro.
    visitante = navegar()
    P.abrir_pai_publicado(visitante, pai.nombre)
    expect(visitante.get_by_text("Visitas de inspección A1").first).to_be_visible()
    libro = load_workbook(BytesIO(P.descargar(visitante, "xlsx")))
    titulos, *filas = libro["Actividades"].iter_rows(values_only=True)
    fila = dict(zip(titulos, next(f for f in filas if "Visitas de inspección A1" in f), strict=False))
    assert (fila["Presupuesto"], fila["Peso (%)"]) == (250_000_000, 0.7)  # números, no texto
    assert fila["Fecha de inicio"].date() == date(2026, 3, 1)
    captura(visitante)
