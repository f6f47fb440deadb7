"""La lista de chequeo del Plan de Acción (actividad 12): cada punto automático, nombrando lo que falla."""
from datetime import date
from decimal import Decimal

from gestion.reglas import controles_plan_accion as controles
from modelos import Compromiso, Objetivo, PresupuestoProyecto, TipoCompromiso, db


def _estado(plan):
    return {i.codigo: i.cumple for i in controles.evaluar(plan).items}


def _detalle(plan, codigo):
    return next(i.detalle for i in controles.evaluar(plan).items if i.codigo == codigo)


def test_un_plan_bien_formulado_cumple_los_puntos_automaticos(fabrica):
    plan = fabrica.plan_accion()
    lista = controles.evaluar(plan)
    assert lista.fallidos == [] and not lista.cumple  # faltan los tres puntos de juicio de la OAP
    assert [i.codigo for i in lista.items if not i.automatico] == ["normas", "funciones", "metodologia"]
    assert [i.codigo for i in lista.por_verificar] == ["normas", "funciones", "metodologia"]
    assert lista.resumen == "3 por verificar"


def test_alineacion_con_el_pei_y_por_el_con_pes_y_pnd(fabrica):
    m = fabrica.mundo
    plan = fabrica.plan_accion()
    plan.actividades[0].objetivo = None
    plan.actividades[1].objetivo = m.pes.objetivos[0]
    assert _detalle(plan, "alineacion") == ("A1 sin objetivo del PEI", "A2 sin objetivo del PEI")
    suelto = Objetivo(codigo="OI9", nombre="Objetivo sin articular")
    m.pei.objetivos.append(suelto)
    plan.actividades[0].objetivo = plan.actividades[1].objetivo = suelto
    db.session.flush()
    assert _detalle(plan, "alineacion")[0] == "A1: el objetivo OI9 no se articula con el PES y el PND"


def test_metas_medibles(fabrica):
    plan = fabrica.plan_accion()
    actividad = plan.actividades[0]
    actividad.formula, actividad.unidad, actividad.meta_anual = None, None, Decimal(0)
    assert _detalle(plan, "medibles") == ("A1 sin fórmula, unidad, meta anual mayor que cero",)


def test_pesos_y_trimestres(fabrica):
    plan = fabrica.plan_accion()
    plan.actividades[0].peso = Decimal("49.5")
    plan.actividades[1].meta_t3 = Decimal(12)
    assert _detalle(plan, "pesos") == ("suman 99,5 %",)
    assert _detalle(plan, "trimestres") == ("A2: los trimestres suman 42 y la meta anual es 40",)


def test_metas_de_las_direcciones_territoriales_suman_cada_trimestre(fabrica):
    m = fabrica.mundo
    plan = fabrica.plan_accion()
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (6, 5, 5, 5), m.territorial2: (4, 5, 5, 5)})
    assert _estado(plan)["territoriales"] is True
    actividad.metas_territoriales[0].meta_t2 = Decimal(7)
    assert _detalle(plan, "territoriales") == ("A1 T2: las DT suman 12 y la meta es 10",)
    plan.actividades[1].territorial = True
    assert "A2 no tiene Direcciones Territoriales asignadas" in _detalle(plan, "territoriales")


def test_fechas_dentro_de_la_vigencia(fabrica):
    plan = fabrica.plan_accion()
    plan.actividades[0].fecha_inicio = date(2025, 12, 1)
    plan.actividades[1].fecha_fin = None
    assert _detalle(plan, "fechas") == ("A1 fuera de la vigencia 2026", "A2 sin fechas")


def test_presupuesto_de_los_proyectos_de_inversion(fabrica):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central, Decimal(1_500_000))
    plan = fabrica.plan_accion(proyecto=proyecto)
    assert _detalle(plan, "proyectos") == (
        f"las actividades del proyecto {proyecto.bpin} suman $ 2.000.000 y el proyecto tiene $ 1.500.000",)
    proyecto.presupuestos[0].valor = Decimal(2_000_000)
    assert _estado(plan)["proyectos"] is True
    db.session.delete(proyecto.presupuestos[0])
    db.session.flush()
    db.session.expire(proyecto)
    assert db.session.query(PresupuestoProyecto).count() == 0
    assert _detalle(plan, "proyectos") == (f"el proyecto {proyecto.bpin} no tiene presupuesto para 2026",)


def test_compromisos_de_la_actividad_7(fabrica):
    m = fabrica.mundo
    plan = fabrica.plan_accion()
    otro = Objetivo(codigo="OI2", nombre="Fortalecer la inspección", objetivos_pnd=[m.pnd],
                    objetivos_pes=list(m.pes.objetivos))
    m.pei.objetivos.append(otro)
    db.session.add_all([
        Compromiso(vigencia=m.vigencia, dependencia=m.central, tipo=TipoCompromiso.OBJETIVO_PEI,
                   objetivo=m.objetivo_pei, descripcion="Aportar a la formalización"),
        Compromiso(vigencia=m.vigencia, dependencia=m.central, tipo=TipoCompromiso.INDICADOR, objetivo=otro,
                   descripcion="Visitas de inspección"),
        Compromiso(vigencia=m.vigencia, dependencia=m.central2, tipo=TipoCompromiso.OBJETIVO_PEI, objetivo=otro,
                   descripcion="Compromiso de otra dependencia"),
    ])
    db.session.flush()
    assert _detalle(plan, "compromisos") == ("OI2: Visitas de inspección",)
    plan.actividades[1].objetivo = otro
    assert _estado(plan)["compromisos"] is True
