"""Contenido de los planes estratégicos: los puntos de control de las actividades 2 y 5, la formulación
(objetivos con sus indicadores en línea, metas por año en una sola tabla) y que un plan aprobado no se
toca por ningún camino."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.base.errores import ErroresDeFilas
from gestion.planes import estrategicos
from gestion.reglas import roles as R
from gestion.reglas.controles_estrategicos import chequear
from gestion.reglas.flujo import TransicionInvalida
from modelos import Cuatrienio, EstadoPlan, Indicador, MetaIndicador, Objetivo, Plan, TipoPlan, db

from .test_estrategicos import foto

E = EstadoPlan


def _fallidos(plan):
    return {i.codigo: i.detalle for i in chequear(plan).fallidos}


def test_los_planes_de_la_fabrica_cumplen(fabrica):
    m = fabrica.mundo
    assert chequear(m.pes).cumple and chequear(m.pei).cumple
    assert "pes" not in {i.codigo for i in chequear(m.pes).items}
    assert "pes" in {i.codigo for i in chequear(m.pei).items}


def _sin_formula(i):
    i.formula = "  "


def _sin_unidad(i):
    i.unidad = None


def _sin_linea_base(i):
    i.linea_base = None


def _sin_periodicidad(i):
    i.periodicidad = None


def _sin_meta_2025(i):
    i.metas = [m for m in i.metas if m.anio != 2025]


def _meta_fuera(i):
    i.metas.append(MetaIndicador(anio=2027, valor=Decimal(5)))


@pytest.mark.parametrize("dano, falta", [
    (_sin_formula, "fórmula"), (_sin_unidad, "unidad de medida"), (_sin_linea_base, "línea base"),
    (_sin_periodicidad, "periodicidad"), (_sin_meta_2025, "meta 2025"),
    (_meta_fuera, "meta fuera del cuatrienio (2027)"),
])
@pytest.mark.parametrize("tipo", [TipoPlan.PES, TipoPlan.PEI])
def test_indicador_no_medible(fabrica, tipo, dano, falta):
    plan = fabrica.mundo.pes if tipo is TipoPlan.PES else fabrica.mundo.pei
    indicador = plan.objetivos[0].indicadores[0]
    dano(indicador)
    db.session.flush()
    assert _fallidos(plan) == {"medible": (f"{indicador.codigo} (falta: {falta})",)}


def _objetivo_sin_pnd(plan):
    plan.objetivos[0].objetivos_pnd = []
    return "pnd"


def _objetivo_sin_mipg(plan):
    plan.objetivos[0].politicas_mipg = []
    return "mipg"


def _objetivo_sin_indicadores(plan):
    plan.objetivos[0].indicadores = []
    return "indicadores"


@pytest.mark.parametrize("dano", [_objetivo_sin_pnd, _objetivo_sin_mipg, _objetivo_sin_indicadores])
@pytest.mark.parametrize("tipo", [TipoPlan.PES, TipoPlan.PEI])
def test_objetivo_sin_alineacion_se_nombra(fabrica, tipo, dano):
    plan = fabrica.mundo.pes if tipo is TipoPlan.PES else fabrica.mundo.pei
    codigo = dano(plan)
    db.session.flush()
    assert _fallidos(plan) == {codigo: (str(plan.objetivos[0]),)}


def test_plan_sin_objetivos(fabrica):
    m = fabrica.mundo
    plan = Plan(tipo=TipoPlan.PES, nombre="PES 2027-2030", cuatrienio=Cuatrienio(anio_inicio=2027, anio_fin=2030))
    db.session.add(plan)
    db.session.flush()
    assert set(_fallidos(plan)) == {"objetivos"}
    assert m.pes.id != plan.id


def test_pei_sin_objetivo_del_pes_o_con_uno_de_otro_cuatrienio(fabrica):
    m = fabrica.mundo
    objetivo = m.pei.objetivos[0]
    objetivo.objetivos_pes = []
    db.session.flush()
    assert _fallidos(m.pei) == {"pes": (str(objetivo),)}
    # Un objetivo del PES de otro cuatrienio no alinea; tampoco uno de otro PEI.
    otro = Cuatrienio(anio_inicio=2019, anio_fin=2022)
    pes_viejo = fabrica.plan_estrategico(TipoPlan.PES, otro, m.pnd, m.mipg, m.unidad, m.entidad)
    objetivo.objetivos_pes = [pes_viejo.objetivos[0]]
    db.session.flush()
    assert _fallidos(m.pei) == {"pes": (str(objetivo),)}
    objetivo.objetivos_pes = [objetivo]
    db.session.flush()
    assert "pes" in _fallidos(m.pei)


def test_la_aprobacion_se_rechaza_nombrando_lo_que_falla(fabrica, usuarios):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pei, E.EN_CONCERTACION)
    objetivo = m.pei.objetivos[0]
    objetivo.politicas_mipg = []
    objetivo.indicadores[0].formula = None
    db.session.commit()
    antes = foto(m.pei)
    with pytest.raises(TransicionInvalida) as error:
        estrategicos.aprobar(m.pei, usuarios[R.COMITE_DIRECTIVO], "08-2023", date(2023, 3, 1))
    mensaje = str(error.value)
    assert "no cumple los puntos de control" in mensaje
    assert f"al menos a una política MIPG: {objetivo}" in mensaje
    assert "OI1-I1 (falta: fórmula)" in mensaje
    assert foto(m.pei) == antes


def test_la_pagina_del_plan_muestra_lo_que_falla(navegador, usuarios, fabrica):
    m = fabrica.mundo
    m.pes.objetivos[0].objetivos_pnd = []
    db.session.commit()
    html = navegador(usuarios[R.OAP]).texto(f"/admin/planes_estrategicos/plan/{m.pes.id}")
    assert "1 sin cumplir" in html
    assert "Cada objetivo está alineado con el Plan Nacional de Desarrollo" in html
    assert "sin alineación" in html


# --- formular sin sufrir --------------------------------------------------------------------------------

def test_la_oap_formula_un_pes_completo_por_formularios(navegador, usuarios, fabrica):
    m = fabrica.mundo
    cuatrienio = Cuatrienio(anio_inicio=2027, anio_fin=2030)
    db.session.add(cuatrienio)
    db.session.commit()
    oap = navegador(usuarios[R.OAP])
    oap.post("/admin/planes_estrategicos/new/", data={"tipo": "pes", "nombre": "PES 2027-2030",
                                                     "cuatrienio": cuatrienio.id})
    plan = db.session.scalar(sa.select(Plan).filter_by(nombre="PES 2027-2030"))
    assert plan is not None and plan.estado is E.BORRADOR
    # Un objetivo con sus dos indicadores en el mismo formulario, que llega con el plan ya elegido.
    formulario = oap.texto(f"/admin/objetivo/new/?plan_id={plan.id}")
    assert f'<option selected value="{plan.id}">' in formulario and "codigo_sinergia" in formulario
    indicador = {"formula": "Suma", "unidad": m.unidad.id, "linea_base": "10", "periodicidad": "anual",
                 "tendencia": "creciente", "responsable": m.entidad.id, "tipo_acumulacion": "flujo"}
    datos = {"plan": plan.id, "codigo": "OS1", "nombre": "Más empleo formal", "objetivos_pnd": m.pnd.id,
             "politicas_mipg": m.mipg.id}
    for n in range(2):
        datos.update({f"indicadores-{n}-{k}": v for k, v in indicador.items()})
        datos.update({f"indicadores-{n}-codigo": f"OS1-I{n + 1}", f"indicadores-{n}-nombre": f"Indicador {n + 1}"})
    respuesta = oap.post("/admin/objetivo/new/", data=datos)
    assert respuesta.status_code == 302 and f"/plan/{plan.id}" in respuesta.headers["Location"]
    db.session.expire_all()
    assert [i.codigo for i in plan.objetivos[0].indicadores] == ["OS1-I1", "OS1-I2"]
    assert _fallidos(plan) == {"medible": tuple(f"OS1-I{n} (falta: meta 2027, 2028, 2029, 2030)" for n in (1, 2))}
    # Las metas de todos los indicadores, en una sola tabla.
    ids = [i.id for i in plan.objetivos[0].indicadores]
    metas = {f"meta-{i}-{anio}": f"{anio - 2000}.000" for i in ids for anio in cuatrienio.anios}
    html = oap.post(f"/admin/planes_estrategicos/plan/{plan.id}/metas", data=metas,
                    follow_redirects=True).get_data(as_text=True)
    assert "Metas guardadas" in html
    db.session.expire_all()
    assert [m_.valor for m_ in plan.objetivos[0].indicadores[0].metas] == [27000, 28000, 29000, 30000]
    assert chequear(plan).cumple


def test_no_hay_dos_pes_version_1_del_mismo_cuatrienio(navegador, usuarios, fabrica):
    m = fabrica.mundo
    html = navegador(usuarios[R.OAP]).post("/admin/planes_estrategicos/new/", data={
        "tipo": "pes", "nombre": "Otro PES", "cuatrienio": m.cuatrienio.id}, follow_redirects=True).get_data(as_text=True)
    assert "Ya existe un Plan Estratégico Sectorial para el cuatrienio 2023–2026" in html
    assert db.session.scalar(sa.select(sa.func.count(Plan.id)).where(Plan.tipo == TipoPlan.PES)) == 1


def _metas(indicador):
    db.session.expire_all()
    return {m.anio: m.valor for m in db.session.get(Indicador, indicador.id).metas}


def test_tabla_de_metas_acepta_formatos_colombianos_y_vacios(navegador, usuarios, fabrica):
    plan = fabrica.mundo.pes
    indicador = plan.objetivos[0].indicadores[0]
    oap = navegador(usuarios[R.OAP])
    html = oap.texto(f"/admin/planes_estrategicos/plan/{plan.id}/metas")
    assert f'name="meta-{indicador.id}-2026" value="130"' in html
    oap.post(f"/admin/planes_estrategicos/plan/{plan.id}/metas", data={
        f"meta-{indicador.id}-2023": "1.050.000", f"meta-{indicador.id}-2024": "42,5",
        f"meta-{indicador.id}-2025": "7.5", f"meta-{indicador.id}-2026": ""})
    assert _metas(indicador) == {2023: Decimal(1050000), 2024: Decimal("42.5"), 2025: Decimal("7.5")}


@pytest.mark.parametrize("valor, mensaje", [("abc", "«abc» no es un número"), ("-3", "entre 0 y"),
                                            ("1e15", "entre 0 y")])
def test_tabla_de_metas_con_error_no_guarda_nada(navegador, usuarios, fabrica, valor, mensaje):
    plan = fabrica.mundo.pes
    i1 = plan.objetivos[0].indicadores[0]
    antes = _metas(i1)
    html = navegador(usuarios[R.OAP]).post(f"/admin/planes_estrategicos/plan/{plan.id}/metas", data={
        f"meta-{i1.id}-2023": "999", f"meta-{i1.id}-2024": valor}).get_data(as_text=True)
    assert f"{i1.codigo}, 2024: " in html and mensaje in html
    assert f'value="{valor}"' in html  # lo escrito no se pierde
    assert _metas(i1) == antes


def test_tabla_de_metas_no_acepta_indicadores_de_otro_plan(fabrica, usuarios):
    m = fabrica.mundo
    ajeno = m.pei.objetivos[0].indicadores[0]
    antes = _metas(ajeno)
    with pytest.raises(ErroresDeFilas, match="No se guardó nada: hay 1 error") as rechazo:
        estrategicos.fijar_metas(m.pes, usuarios[R.OAP], {(ajeno.id, 2023): "5"})
    assert rechazo.value.errores == ["Hay valores de indicadores o años que no son de este plan."]
    assert _metas(ajeno) == antes


def test_un_comite_no_formula(navegador, usuarios, fabrica):
    plan = fabrica.mundo.pes
    objetivo = plan.objetivos[0]
    comite = navegador(usuarios[R.COMITE_SECTORIAL])
    assert comite.post(f"/admin/objetivo/edit/?id={objetivo.id}", data={"nombre": "Otro"}).status_code == 403
    html = comite.get(f"/admin/planes_estrategicos/plan/{plan.id}/metas", follow_redirects=True).get_data(as_text=True)
    assert "Su rol no formula planes estratégicos" in html
    db.session.expire_all()
    assert db.session.get(Objetivo, objetivo.id).nombre == "Aumentar la formalización laboral"


# --- un plan aprobado no se toca ------------------------------------------------------------------------

def _estado_contenido(plan):
    plan_id = sa.inspect(plan).identity[0]  # sin recargar: el plan pudo haberse borrado
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        return "plan borrado"
    return (plan.nombre, plan.cuatrienio_id, plan.version,
            [(o.id, o.codigo, o.nombre, [p.id for p in o.objetivos_pnd],
              [(i.id, i.codigo, i.nombre, i.formula, i.linea_base, [(m.anio, m.valor) for m in i.metas])
               for i in o.indicadores]) for o in plan.objetivos])


@pytest.fixture(params=[E.APROBADO, E.PUBLICADO])
def pes_aprobado(request, fabrica, usuarios):
    plan = fabrica.mundo.pes
    fabrica.llevar_estrategico_a(plan, request.param)
    db.session.commit()
    return plan


def _intentos(plan):
    """Cada camino por el que alguien podría tocar el contenido de un plan; (método, url, datos)."""
    objetivo = plan.objetivos[0]
    indicador = objetivo.indicadores[0]
    metas = {f"metas-{n}-{k}": v for n, meta in enumerate(indicador.metas)
             for k, v in (("id", meta.id), ("anio", meta.anio), ("valor", "1"))}
    datos_objetivo = {"plan": plan.id, "codigo": objetivo.codigo, "nombre": "Cambiado",
                      "objetivos_pnd": objetivo.objetivos_pnd[0].id, "politicas_mipg": objetivo.politicas_mipg[0].id,
                      "indicadores-0-id": indicador.id, "indicadores-0-codigo": indicador.codigo,
                      "indicadores-0-nombre": "Cambiado en línea", "indicadores-0-formula": "otra",
                      "version_formulario": objetivo.version}
    datos_indicador = {"objetivo": objetivo.id, "codigo": indicador.codigo, "nombre": "Cambiado",
                       "formula": "otra", "version_formulario": indicador.version, **metas}
    return {
        "formulario del plan": (f"/admin/planes_estrategicos/edit/?id={plan.id}",
                                {"tipo": "pes", "nombre": "Cambiado", "cuatrienio": plan.cuatrienio_id,
                                 "version_formulario": plan.version}),
        "formulario del objetivo con indicadores en línea": (f"/admin/objetivo/edit/?id={objetivo.id}",
                                                             datos_objetivo),
        "formulario del indicador con metas en línea": (f"/admin/indicador/edit/?id={indicador.id}", datos_indicador),
        "borrar el indicador de la meta": (f"/admin/indicador/edit/?id={indicador.id}",
                                           {**datos_indicador, "nombre": indicador.nombre, "del-metas-0": "on"}),
        "borrar el objetivo": ("/admin/objetivo/delete/", {"id": objetivo.id}),
        "borrar el indicador": ("/admin/indicador/delete/", {"id": indicador.id}),
        "borrar el plan": ("/admin/planes_estrategicos/delete/", {"id": plan.id}),
        "acción borrar objetivos": ("/admin/objetivo/action/", {"action": "delete", "rowid": objetivo.id}),
        "acción borrar plan": ("/admin/planes_estrategicos/action/", {"action": "delete", "rowid": plan.id}),
        "acción enviar a concertación": ("/admin/planes_estrategicos/action/",
                                         {"action": "concertar", "rowid": plan.id}),
        "objetivo nuevo en el plan": ("/admin/objetivo/new/", {**datos_objetivo, "codigo": "OS9",
                                                               "indicadores-0-id": ""}),
        "indicador nuevo en el objetivo": ("/admin/indicador/new/", {**datos_indicador, "codigo": "OS1-I9"}),
        "tabla de metas": (f"/admin/planes_estrategicos/plan/{plan.id}/metas",
                           {f"meta-{indicador.id}-2023": "1"}),
    }


@pytest.mark.parametrize("rol", [R.OAP, R.JEFE_OAP])
def test_un_plan_aprobado_no_se_modifica_por_ningun_camino(navegador, usuarios, pes_aprobado, rol):
    plan = pes_aprobado
    antes = _estado_contenido(plan)
    cliente = navegador(usuarios[rol])
    cambios = []
    for camino, (url, datos) in _intentos(plan).items():
        respuesta = cliente.post(url, data=datos)
        if respuesta.status_code not in (200, 302):
            cambios.append(f"{camino}: respuesta {respuesta.status_code}")
        if _estado_contenido(plan) != antes:
            cambios.append(camino)
    assert cambios == []


def test_el_formulario_de_un_plan_aprobado_no_se_abre(navegador, usuarios, pes_aprobado):
    objetivo = pes_aprobado.objetivos[0]
    oap = navegador(usuarios[R.OAP])
    for url in (f"/admin/objetivo/edit/?id={objetivo.id}", f"/admin/indicador/edit/?id={objetivo.indicadores[0].id}",
                f"/admin/planes_estrategicos/edit/?id={pes_aprobado.id}"):
        respuesta = oap.get(url, follow_redirects=True)
        html = respuesta.get_data(as_text=True)
        assert respuesta.request.path == f"/admin/planes_estrategicos/plan/{pes_aprobado.id}", url
        assert "su contenido no se puede modificar" in html, url


def test_no_se_lleva_contenido_de_un_borrador_a_un_plan_aprobado(navegador, usuarios, fabrica):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pes, E.APROBADO)
    db.session.commit()
    objetivo_pei = m.pei.objetivos[0]
    indicador = objetivo_pei.indicadores[0]
    antes = _estado_contenido(m.pes), _estado_contenido(m.pei)
    oap = navegador(usuarios[R.OAP])
    oap.post(f"/admin/indicador/edit/?id={indicador.id}", data={
        "objetivo": m.pes.objetivos[0].id, "codigo": "OS1-I7", "nombre": indicador.nombre})
    oap.post(f"/admin/objetivo/edit/?id={objetivo_pei.id}", data={
        "plan": m.pes.id, "codigo": "OS7", "nombre": objetivo_pei.nombre, "objetivos_pnd": m.pnd.id})
    assert (_estado_contenido(m.pes), _estado_contenido(m.pei)) == antes


def test_los_mismos_caminos_si_funcionan_en_borrador(navegador, usuarios, fabrica):
    """Contraprueba: en borrador la OAP sí edita, en línea también; así el rechazo de arriba significa algo."""
    plan = fabrica.mundo.pes
    objetivo = plan.objetivos[0]
    indicador = objetivo.indicadores[0]
    intentos = _intentos(plan)
    oap = navegador(usuarios[R.OAP])
    oap.post(*intentos["formulario del objetivo con indicadores en línea"])
    db.session.expire_all()  # guardar el objetivo subió la versión de su indicador en línea
    oap.post(*_intentos(plan)["formulario del indicador con metas en línea"])
    oap.post(*intentos["formulario del plan"])
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).nombre == "Cambiado"
    assert db.session.get(Objetivo, objetivo.id).nombre == "Cambiado"
    assert db.session.get(Indicador, indicador.id).formula == "otra"
    assert _metas(indicador) == {a: Decimal(1) for a in (2023, 2024, 2025, 2026)}
    indicador_id = indicador.id
    oap.post(*intentos["borrar el indicador"])
    objetivo_pei_id = fabrica.mundo.pei.objetivos[0].id
    oap.post(*_intentos(fabrica.mundo.pei)["acción borrar objetivos"])
    db.session.expire_all()
    assert db.session.get(Indicador, indicador_id) is None
    assert db.session.get(Objetivo, objetivo_pei_id) is None



def test_dos_personas_en_la_tabla_de_metas_la_segunda_no_pisa_a_la_primera(navegador, usuarios, fabrica):
    plan = fabrica.mundo.pes
    indicador = plan.objetivos[0].indicadores[0]
    url = f"/admin/planes_estrategicos/plan/{plan.id}/metas"
    oap, jefe = navegador(usuarios[R.OAP]), navegador(usuarios[R.JEFE_OAP])
    html = jefe.texto(url)
    assert f'name="leida-{indicador.id}-2026" value="130"' in html
    leidas = {f"leida-{indicador.id}-{anio}": texto for anio, texto in ((2023, "100"), (2024, "110"),
                                                                         (2025, "120"), (2026, "130"))}
    assert oap.post(url, data={**leidas, f"meta-{indicador.id}-2026": "150"}).status_code == 302
    html = jefe.post(url, data={**leidas, f"meta-{indicador.id}-2026": "90"}, follow_redirects=True
                     ).get_data(as_text=True)
    assert f"Otra persona cambió metas mientras usted editaba ({indicador.codigo} 2026)" in html
    assert f'name="meta-{indicador.id}-2026" value="150"' in html  # se le muestra lo vigente
    assert _metas(indicador)[2026] == Decimal(150)
