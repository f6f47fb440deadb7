"""La lista de planes, la bandeja, los inicios y la ficha del plan leen la lista de chequeo guardada de cada plan
(issues 11 y 23): tras cada clase de cambio muestran lo mismo que evaluarla en vivo."""
import re
import time
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa

from gestion.excel.plantilla_actividades import CAMPOS
from gestion.planes import listas_guardadas, plan_accion
from gestion.reglas import controles_plan_accion as controles
from gestion.reglas import roles as R
from modelos import Actividad, ChequeoPlan, Compromiso, MetaTerritorial, Objetivo, Plan, TipoCompromiso, db
from modelos import EstadoPlan as E

from .fabricas import datos_de_actividad
from .libros import libro
from .test_concurrencia import a_la_vez

BASE = "/admin/planes_accion"
LISTA, BANDEJA, INICIO = f"{BASE}/", f"{BASE}/?flt0_estado_equals=ENVIADO", "/admin/"
PESOS = "Los pesos de las actividades suman 100 %"
# El distintivo de la lista de chequeo: su clase, su título (los puntos que fallan o faltan) y su resumen.
DISTINTIVO = re.compile(r'<span class="badge badge-(\w+)"(?: title="([^"]*)")?>'
                        r'((?:\d+ por corregir|\d+ por verificar|Cumple la lista de chequeo)[^<]*)</span>')


def _distintivos(cliente, url) -> list[tuple[str, str]]:
    return [(clase, resumen) for clase, _, resumen in DISTINTIVO.findall(cliente.texto(url))]


def _titulo(cliente, url=LISTA) -> str:
    return " | ".join(titulo for _, titulo, _ in DISTINTIVO.findall(cliente.texto(url)))


def _en_vivo(plan) -> tuple[str, str]:
    db.session.expire_all()
    lista = controles.evaluar(db.session.get(Plan, plan.id))
    return lista.clase, lista.resumen


def _muestran(oap, plan, *urls) -> tuple[str, str]:
    """Lo que dicen las páginas del único plan de acción que listan, y su ficha: debe ser lo evaluado ahora."""
    vivo = _en_vivo(plan)
    for url in (*urls, f"{BASE}/ficha/?id={plan.id}"):
        assert _distintivos(oap, url) == [vivo], url
    return vivo




def _version(cliente, url) -> str:
    return re.search(r'name="version_formulario"[^>]*value="(\d+)"', cliente.texto(url)).group(1)


def test_agregar_editar_y_borrar_actividades_se_ve_en_la_lista_la_bandeja_y_el_inicio(fabrica, usuarios,
                                                                                        navegador):
    m = fabrica.mundo
    plan_accion.completar_cronograma(m.vigencia, usuarios[R.OAP])  # el inicio del director muestra su plan
    plan = fabrica.plan_accion(m.central, actividades=2)
    director, oap = navegador(usuarios[R.DIRECTOR]), navegador(usuarios[R.OAP])
    assert _muestran(oap, plan, LISTA) == ("secondary", "3 por verificar")

    assert director.post("/admin/actividad/new/", data=datos_de_actividad(m, plan, "A3", 10)).status_code == 302
    assert _muestran(oap, plan, LISTA) == ("danger", "1 por corregir · 3 por verificar")
    assert PESOS in _titulo(oap)

    a1 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A1"))
    url = f"/admin/actividad/edit/?id={a1.id}"
    datos = datos_de_actividad(m, plan, "A1", 40, meta_t1="11", version_formulario=_version(director, url))
    assert director.post(url, data=datos).status_code == 302
    assert _muestran(oap, plan, LISTA) == ("danger", "1 por corregir · 3 por verificar")  # pesos 100; trimestres no
    assert PESOS not in _titulo(oap) and "Las metas trimestrales suman la meta anual" in _titulo(oap)

    a3 = db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo="A3"))
    assert director.post("/admin/actividad/delete/", data={"id": a3.id}).status_code == 302
    assert _muestran(oap, plan, LISTA) == ("danger", "2 por corregir · 3 por verificar")  # pesos 90 otra vez

    # Enviado, la OAP lo ve igual en su bandeja y en su inicio.
    assert director.post(f"{BASE}/enviar/", data={"id": plan.id, "confirmado": "si"}).status_code == 302
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("danger", "2 por corregir · 3 por verificar")
    # El director ve en su inicio lo mismo, con lo que falla nombrado.
    assert _distintivos(director, INICIO) == [("danger", "2 por corregir · 3 por verificar")]
    assert "Los pesos de las actividades suman 100 %: suman 90 %" in director.texto(INICIO)


def test_los_puntos_de_juicio_de_la_oap_se_ven_al_registrarlos(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.ENVIADO)
    oap = navegador(usuarios[R.OAP])
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("secondary", "3 por verificar")

    marcas = {"cumple-normas": "si", "cumple-funciones": "si"}
    assert oap.post(f"{BASE}/verificar/", data={"id": plan.id, **marcas}).status_code == 302
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("secondary", "1 por verificar")

    datos = {"id": plan.id, f"cumple-{plan.id}-normas": "si", f"cumple-{plan.id}-funciones": "si",
             f"comentario-{plan.id}-metodologia": "No sigue la guía de la OAP."}
    assert oap.post(f"{BASE}/verificar_en_bloque/", data=datos).status_code == 302
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("danger", "1 por corregir")
    assert "Sigue la metodología de la Oficina Asesora de Planeación" in _titulo(oap, BANDEJA)

    assert oap.post(f"{BASE}/verificar/", data={"id": plan.id, "cumple-metodologia": "si"}).status_code == 302
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("success", "Cumple la lista de chequeo")


def test_las_metas_de_las_direcciones_territoriales_se_ven_al_fijarlas(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (5, 5, 5, 5), m.territorial2: (5, 5, 5, 5)})
    propia = next(mt for mt in actividad.metas_territoriales if mt.dependencia_id == m.territorial.id)
    oap, territorial = navegador(usuarios[R.OAP]), navegador(usuarios[R.TERRITORIAL])
    assert _muestran(oap, plan, LISTA) == ("secondary", "3 por verificar")

    url = f"/admin/metaterritorial/edit/?id={propia.id}"
    datos = {"meta_t1": "9", "meta_t2": "5", "meta_t3": "5", "meta_t4": "5",
             "version_formulario": _version(territorial, url)}
    assert territorial.post(url, data=datos).status_code == 302
    assert _muestran(oap, plan, LISTA) == ("danger", "1 por corregir · 3 por verificar")
    assert "Las metas de las Direcciones Territoriales suman la meta de cada trimestre" in _titulo(oap)

    # Quitarle las DT a la actividad (el ORM borra sus metas) también se ve.
    actividad = db.session.get(Actividad, actividad.id)
    actividad.metas_territoriales.clear()
    db.session.commit()
    assert _muestran(oap, plan, LISTA) == ("danger", "1 por corregir · 3 por verificar")
    assert db.session.scalar(sa.select(sa.func.count(MetaTerritorial.id))) == 0


def _libro(filas) -> bytes:
    titulos = [c.etiqueta for c in CAMPOS]
    return libro([titulos, *[[codigo, "Visitas de inspección", "OI1", "P01", "Visitas realizadas",
                              "Número de visitas", "NUM", 40, 10, 10, 10, 10, peso, "01/02/2026", "15/12/2026",
                              1_000_000, None, "Grupo de inspección"] for codigo, peso in filas]],
                 hoja="Actividades")


def _subir(cliente, plan, filas):
    return cliente.post(f"{BASE}/cargar_actividades/",
                        data={"id": plan.id, "archivo": (BytesIO(_libro(filas)), "actividades.xlsx")})


def test_cargar_actividades_desde_excel_se_ve_en_la_lista(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(fabrica.mundo.central, actividades=2)
    director, oap = navegador(usuarios[R.DIRECTOR]), navegador(usuarios[R.OAP])
    assert _muestran(oap, plan, LISTA) == ("secondary", "3 por verificar")

    # Las nuevas entran en una sentencia de varias filas, fuera del flush: la lista también se entera.
    assert _subir(director, plan, [("A1", 50), ("A2", 30), ("A3", 10)]).status_code == 302
    assert _muestran(oap, plan, LISTA) == ("danger", "1 por corregir · 3 por verificar")
    assert "suman 90 %" in controles.evaluar(db.session.get(Plan, plan.id)).items[2].detalle[0]

    # Las que no vienen se borran en lote: también.
    previa = _subir(director, plan, [("A1", 60), ("A2", 40)])  # A3 no viene: se muestra y se confirma
    marca = re.search(r'name="confirmacion" value="([^"]+)"', previa.get_data(as_text=True)).group(1)
    assert director.post("/admin/planes_accion/cargar_actividades/",
                         data={"id": plan.id, "confirmacion": marca}).status_code == 302
    assert _muestran(oap, plan, LISTA) == ("secondary", "3 por verificar")
    assert [a.codigo for a in db.session.get(Plan, plan.id).actividades] == ["A1", "A2"]


def test_catalogos_compromisos_y_presupuesto_se_ven_en_la_lista(fabrica, usuarios, navegador):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central, valor=Decimal(5_000_000))
    plan = fabrica.plan_accion(m.central, E.ENVIADO, proyecto=proyecto)
    oap = navegador(usuarios[R.OAP])
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("secondary", "3 por verificar")

    proyecto.presupuestos[0].valor = Decimal(1_000_000)  # las dos actividades suman 2.000.000
    db.session.commit()
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("danger", "1 por corregir · 3 por verificar")
    assert "caben en su presupuesto" in _titulo(oap, BANDEJA)

    proyecto.presupuestos[0].valor = Decimal(9_000_000)
    # Un compromiso de la dependencia con un objetivo que ninguna actividad cubre.
    objetivo = Objetivo(codigo="OI2", nombre="Formalizar el empleo rural", plan=m.pei)
    db.session.add(Compromiso(vigencia=m.vigencia, dependencia=m.central, tipo=TipoCompromiso.OBJETIVO_PEI, objetivo=objetivo,
                              descripcion="Formalizar el empleo rural"))
    db.session.commit()
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("danger", "1 por corregir · 3 por verificar")
    assert "Los compromisos de la dependencia (actividad 7) están cubiertos" in _titulo(oap)

    db.session.delete(db.session.scalar(sa.select(Compromiso).filter_by(objetivo_id=objetivo.id)))
    db.session.commit()
    assert _muestran(oap, plan, LISTA, BANDEJA, INICIO) == ("secondary", "3 por verificar")


def test_una_sentencia_masiva_o_una_lista_que_falta_no_muestran_nada_viejo(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(fabrica.mundo.central)
    oap = navegador(usuarios[R.OAP])
    assert db.session.get(ChequeoPlan, plan.id) is not None  # guardada al confirmar

    db.session.execute(sa.update(Actividad).where(Actividad.plan_id == plan.id, Actividad.codigo == "A1")
                       .values(peso=Actividad.peso + 1))
    db.session.commit()
    assert _muestran(oap, plan, LISTA) == ("danger", "1 por corregir · 3 por verificar")

    # Una base recién migrada (o una fila escrita fuera de la sesión) no tiene lista: quien lee la evalúa.
    db.session.execute(sa.delete(ChequeoPlan))
    db.session.commit()
    assert _muestran(oap, plan, LISTA) == ("danger", "1 por corregir · 3 por verificar")
    assert db.session.get(ChequeoPlan, plan.id) is not None


def test_lo_guardado_es_lo_que_la_ficha_evalua(fabrica):
    m = fabrica.mundo
    planes = [fabrica.plan_accion(fabrica.dependencia(f"{8000 + i}"), E.ENVIADO, actividades=3) for i in range(4)]
    fabrica.verificar(planes[3], cumple=False)
    primera, segunda, tercera = (planes[i].actividades[0] for i in range(3))
    primera.peso += 5
    segunda.territorial = True
    tercera.objetivo = None
    db.session.commit()
    m.objetivo_pei.objetivos_pnd.clear()  # el objetivo del PEI de todas las actividades deja de alinearse
    db.session.commit()
    db.session.expire_all()
    guardadas = listas_guardadas.de_los_planes(db.session.scalars(sa.select(Plan).where(Plan.id.in_(
        [p.id for p in planes]))).all())
    for plan in planes:
        vivo = controles.evaluar(db.session.get(Plan, plan.id))
        assert [(i.codigo, i.cumple, i.detalle, i.comentario) for i in guardadas[plan.id].items] == \
            [(i.codigo, i.cumple, i.detalle, i.comentario) for i in vivo.items]
    assert all(not guardadas[p.id].items[0].cumple for p in planes)  # alineación, en los cuatro


def test_la_orden_de_las_cifras_rehace_las_listas(app, fabrica):
    plan = fabrica.plan_accion(fabrica.mundo.central)
    antes = db.session.get(ChequeoPlan, plan.id).items
    db.session.execute(sa.delete(ChequeoPlan))
    db.session.commit()
    resultado = app.test_cli_runner().invoke(args=["gestion", "cifras", "--vigencia", "2026"])
    assert "Listas de chequeo 2026: 1 planes de acción evaluados." in resultado.output
    db.session.expire_all()
    assert db.session.get(ChequeoPlan, plan.id).items == antes


def test_la_lista_la_bandeja_y_el_inicio_no_leen_las_actividades(fabrica, usuarios, navegador):
    for i in range(3):
        fabrica.plan_accion(fabrica.dependencia(f"{8100 + i}"), E.ENVIADO, actividades=3)
    oap = navegador(usuarios[R.OAP])
    sentencias = []

    def anotar(_conexion, _cursor, sentencia, *_):
        sentencias.append(sentencia)

    for url in (LISTA, BANDEJA, INICIO):
        oap.get(url)  # la primera lectura tras cambios hechos sin la app pondría al día lo pendiente
        sa.event.listen(db.engine, "before_cursor_execute", anotar)
        try:
            assert len(_distintivos(oap, url)) == 3, url
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", anotar)
        assert not [s for s in sentencias if re.search(r"\bFROM (actividad|meta_territorial|verificacion_plan)\b", s)]
        assert [s for s in sentencias if "FROM chequeo_plan" in s], url
        sentencias.clear()


def test_dos_cambios_del_mismo_plan_a_la_vez_quedan_los_dos_en_la_lista(fabrica, usuarios, navegador, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("la carrera necesita dos conexiones que compitan: corre en la pasada de PostgreSQL")
    insertar = listas_guardadas._insertar

    def despacio(*args, **kwargs):  # entre evaluar y guardar: la ventana en que la otra transacción confirma
        time.sleep(0.3)
        insertar(*args, **kwargs)

    monkeypatch.setattr(listas_guardadas, "_insertar", despacio)
    m = fabrica.mundo
    director, territorial, oap = (navegador(usuarios[r]) for r in (R.DIRECTOR, R.TERRITORIAL, R.OAP))
    for ronda in range(4):
        plan = fabrica.plan_accion(m.central, actividades=2)
        actividad = fabrica.actividad_territorial(plan, {m.territorial: (5, 5, 5, 5), m.territorial2: (5, 5, 5, 5)})
        propia = next(mt for mt in actividad.metas_territoriales if mt.dependencia_id == m.territorial.id)
        url = f"/admin/metaterritorial/edit/?id={propia.id}"
        metas = {"meta_t1": "9", "meta_t2": "5", "meta_t3": "5", "meta_t4": "5",
                 "version_formulario": _version(territorial, url)}
        nueva = datos_de_actividad(m, plan, "A3", 10)  # los hilos no leen objetos de la sesión de la prueba
        if ronda % 2:  # sin lista guardada (base recién migrada): ninguna fila que las dos quieran borrar
            db.session.execute(sa.delete(ChequeoPlan))
            db.session.commit()
        respuestas = a_la_vez(lambda nueva=nueva: director.post("/admin/actividad/new/", data=nueva),
                              lambda url=url, metas=metas: territorial.post(url, data=metas))
        assert [r.status_code for r in respuestas] == [302, 302], ronda
        # Cada transacción evaluó el plan con lo que confirmó la otra: la lista guardada tiene las dos fallas.
        db.session.expire_all()
        guardada = listas_guardadas.de_los_planes([db.session.get(Plan, plan.id)])[plan.id]
        assert {i.codigo for i in guardada.fallidos} == {"pesos", "territoriales"}, ronda
        assert _en_vivo(plan) == ("danger", "2 por corregir · 3 por verificar")
        # La siguiente ronda, con otro plan en borrador de la misma dependencia.
        db.session.delete(db.session.get(Plan, plan.id))
        db.session.commit()
