"""Las páginas de la OAP no hacen una consulta por fila: el número de consultas SQL no crece con los planes."""
import re

import pytest
import sqlalchemy as sa

from gestion.demo import volumen
from gestion.reglas import controles_plan_accion
from gestion.reglas import roles as R
from modelos import (
    Actividad,
    Avance,
    ChequeoPlan,
    Dependencia,
    EstadoPlan,
    Plan,
    RegistroAuditoria,
    TipoDependencia,
    TipoPlan,
    Usuario,
    db,
)

from .fabricas import CONTRASENA

E = EstadoPlan


class Contador:
    def __init__(self):
        self.total = 0

    def __call__(self, *args, **kwargs):
        self.total += 1


def consultas(cliente, url) -> int:
    contador = Contador()
    sa.event.listen(db.engine, "before_cursor_execute", contador)
    try:
        assert cliente.get(url).status_code == 200, url
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", contador)
    return contador.total


def _planes(fabrica, cuantos, desde):
    for i in range(cuantos):
        dependencia = fabrica.dependencia(f"{desde + i}")
        fabrica.usuario(R.DIRECTOR, dependencia)
        fabrica.plan_accion(dependencia, E.ENVIADO, actividades=3)
    db.session.commit()


@pytest.mark.parametrize("url", ["/admin/planes_accion/", "/admin/planes_accion/?flt0_estado_equals=ENVIADO",
                                 "/admin/planes_accion/?search=Dependencia", "/admin/", "/admin/actividad/",
                                 "/admin/actividad/?search=Actividad", "/admin/registroauditoria/",
                                 "/admin/registroauditoria/?search=plan",
                                 "/admin/registroauditoria/?flt0_tabla_equals=actividad"])
def test_las_paginas_de_la_oap_no_consultan_por_plan(fabrica, usuarios, navegador, url):
    oap = navegador(usuarios[R.OAP])
    _planes(fabrica, 2, 5000)
    pocas = consultas(oap, url)
    _planes(fabrica, 5, 6000)
    assert db.session.scalar(sa.select(sa.func.count(Dependencia.id))) > 7
    if url.startswith("/admin/registroauditoria/"):
        # Cada fila se nombra (no «n.º 17»): una consulta por tabla citada en la página, nunca una por fila.
        tablas = db.session.scalar(sa.select(sa.func.count(sa.distinct(RegistroAuditoria.tabla))))
        assert consultas(oap, url) <= pocas + tablas
        return
    assert consultas(oap, url) == pocas


def _sentencias(cliente, url) -> list[str]:
    vistas = []
    anotar = lambda conexion, cursor, sentencia, *args: vistas.append(sentencia)  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", anotar)
    try:
        assert cliente.get(url).status_code == 200, url
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", anotar)
    return vistas


def test_el_registro_de_auditoria_se_hojea_sin_contarlo_y_con_filtros_dice_su_total(fabrica, usuarios, navegador):
    _planes(fabrica, 3, 7000)
    oap = navegador(usuarios[R.OAP])  # el ingreso también queda en el registro
    total = db.session.scalar(sa.select(sa.func.count(RegistroAuditoria.id)))
    if total % 50 == 0:  # que la última página no venga llena
        _planes(fabrica, 1, 7100)
        total = db.session.scalar(sa.select(sa.func.count(RegistroAuditoria.id)))
    assert total > 50
    # Entero: sin count(*) sobre todo el registro, hojeado con «Anterior» y «Siguiente».
    assert not [s for s in _sentencias(oap, "/admin/registroauditoria/") if "count(" in s.lower()]
    primera = oap.texto("/admin/registroauditoria/")
    assert "Siguiente ›" in primera and "Página 1" in primera and f"Lista ({total})" not in primera
    assert re.search(r'<li class="page-item">\s*<a class="page-link" href="[^"]*page=1&amp;[^"]*">Siguiente', primera)
    ultima = oap.texto(f"/admin/registroauditoria/?page={total // 50}")
    assert "No hay registros para mostrar" not in ultima
    assert re.search(r'<li class="page-item disabled">\s*<a class="page-link" href="[^"]*">Siguiente', ultima)
    filtrado = oap.texto("/admin/registroauditoria/?flt0_tabla_equals=actividad")
    de_actividades = db.session.scalar(sa.select(sa.func.count(RegistroAuditoria.id))
                                       .where(RegistroAuditoria.tabla == "actividad"))
    assert f"Lista ({de_actividades})" in filtrado


def test_el_volumen_generado_es_valido_para_las_paginas(contexto, navegador):
    escala = volumen.Escala(dependencias=6, territoriales=5, actividades=7, auditoria_por_avance=0.2)
    cuentas = volumen.generar(escala, CONTRASENA)
    db.session.commit()
    assert cuentas["plan"] == 6 * 4 - 1 + 3 and cuentas["actividad"] == (6 * 4 - 1) * 7
    assert db.session.scalar(sa.select(sa.func.count(Avance.id))) == cuentas["avance"] > 0
    # Los planes aprobados cumplen su lista de chequeo; los de 2026 quedan en varios estados.
    planes = db.session.scalars(sa.select(Plan).where(Plan.tipo == TipoPlan.PA)).all()
    listas = controles_plan_accion.evaluar_varios(planes)
    assert all(listas[p.id].cumple for p in planes if p.estado is EstadoPlan.APROBADO)
    # Y las listas ya quedan guardadas: la primera lista de planes no las evalúa.
    assert cuentas["chequeo_plan"] == len(planes) == db.session.scalar(sa.select(sa.func.count(ChequeoPlan.plan_id)))
    assert {p.estado for p in planes} >= {EstadoPlan.BORRADOR, EstadoPlan.ENVIADO, EstadoPlan.DEVUELTO,
                                          EstadoPlan.APROBADO}
    assert db.session.scalar(sa.select(sa.func.max(Actividad.id))) < 10 ** 6
    # Los devueltos guardan su contenido al devolverlo, como una devolución de verdad: las listas no lo traen.
    devueltos = [p for p in planes if p.estado is EstadoPlan.DEVUELTO]
    assert devueltos and all(p.contenido_devuelto["actividades"] for p in devueltos)
    # Se ingresa con los usuarios generados y las páginas responden.
    oap = navegador(db.session.scalar(sa.select(Usuario).filter_by(email="oap@demo.gov.co")))
    director = navegador(db.session.scalar(sa.select(Usuario).filter_by(email="director.v0001@volumen.gov.co")))
    for url in ("/admin/", "/admin/planes_accion/", "/admin/tablero/?vigencia=2025&trimestre=4", "/admin/actividad/"):
        assert oap.get(url).status_code == 200, url
    assert "Dirección de volumen 0001" in director.texto("/admin/")
    # Una fila nueva no choca con los ids asignados por el generador (PostgreSQL: las secuencias siguen).
    db.session.add(Dependencia(codigo="NUEVA", nombre="Dependencia nueva", tipo=TipoDependencia.CENTRAL))
    db.session.commit()


def test_la_lista_de_una_pagina_dice_lo_mismo_que_la_ficha(fabrica, usuarios):
    # evaluar_varios lee filas en vez de objetos del ORM: las mismas reglas deben dar lo mismo que evaluar.
    planes = [fabrica.plan_accion(fabrica.dependencia(f"{8000 + i}"), E.ENVIADO, actividades=3) for i in range(4)]
    primera, segunda, tercera = (planes[i].actividades[0] for i in range(3))
    primera.peso += 5
    primera.meta_t1 += 1
    segunda.territorial = True
    tercera.objetivo = None
    tercera.fecha_fin = tercera.fecha_fin.replace(year=tercera.fecha_fin.year + 1)
    db.session.commit()
    varias = controles_plan_accion.evaluar_varios(planes)
    for plan in planes:
        una = controles_plan_accion.evaluar(plan)
        assert [(i.codigo, i.cumple, i.detalle) for i in varias[plan.id].items] == \
            [(i.codigo, i.cumple, i.detalle) for i in una.items]
    assert {i.codigo for p in planes[:3] for i in varias[p.id].fallidos} >= {
        "pesos", "trimestres", "territoriales", "alineacion", "fechas"}
