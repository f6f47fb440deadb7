"""La vista previa de «Traer de un libro propio» de un libro grande es un trabajo: la petición no lee el libro (el
proxy la cortaría), la página del trabajo muestra por qué fila va y, al terminar, lleva a la vista previa con el
mismo mapeo: cómo se lee cada columna, todos los errores por páginas, el libro con los errores marcados y los
borrados por confirmar. Un trabajo cuyo proceso murió se dice como tal y se reintenta."""
import re
from datetime import timedelta
from io import BytesIO
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.reglas import roles as R
from gestion.trabajos import cola
from modelos import EstadoTrabajo, Plan, Trabajo, ahora, db

from .test_importar_mapeo import _libro, _subir

PAGINA = "/admin/planes_accion/libro_propio/"
COLUMNAS = "&col_codigo=Código&col_descripcion=Actividad&col_meta_anual=Meta"


@pytest.fixture
def umbral(app, contexto):
    """Un libro de más de 20 filas es «grande»: su vista previa va a un trabajo."""
    antes = app.config["GESTION_TRABAJOS_UMBRAL"]
    app.config["GESTION_TRABAJOS_UMBRAL"] = 20
    yield
    app.config["GESTION_TRABAJOS_UMBRAL"] = antes


def _grande(filas: int = 70) -> bytes:
    """Un libro de la oficina de `filas` actividades; las de número par con una meta que no es un número."""
    return _libro([["Código", "Actividad", "Meta"]] + [
        [f"C{i:03d}", f"Actividad número {i}", "mucho" if i % 2 == 0 else "0,167"] for i in range(filas)])


def _trabajos() -> list[Trabajo]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Trabajo).order_by(Trabajo.id)))


def test_la_vista_previa_de_un_libro_grande_es_un_trabajo_y_vuelve_con_el_mismo_mapeo(
        fabrica, usuarios, navegador, umbral):
    plan = fabrica.plan_accion(actividades=3)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _subir(director, plan, _grande())
    previa = f"{PAGINA}?id={plan.id}&libro={libro}&hoja=Plan&fila=1&elegidas=1&previa=1{COLUMNAS}"

    respuesta = director.get(previa)
    assert respuesta.status_code == 302 and "/admin/trabajo/ficha/" in respuesta.location
    (trabajo,) = _trabajos()
    # Sin cola (las pruebas) corrió enseguida; contó las filas que leyó.
    assert trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.tipo == "previa_libro_propio"
    assert (trabajo.hechos, trabajo.total) == (71, 71) and trabajo.dependencia_id == plan.dependencia_id
    ficha = director.texto(respuesta.location)
    assert "Vista previa lista: 70 actividad(es) a importar, 35 error(es)." in ficha
    ver = re.search(r'href="([^"]+)">Ver la vista previa', ficha).group(1).replace("&amp;", "&")
    assert f"trabajo={trabajo.id}" in ver

    html = director.texto(ver)
    # El mismo mapeo, a la vista: nada se perdió.
    assert "<option selected>Código</option>" in html and "<option selected>Meta</option>" in html
    assert "Vista previa: 70 actividad(es) a importar, 35 error(es)" in html and "Errores (35)" in html
    assert "<td>0,167</td>" in html and "Fila 2: «Meta anual»" in html
    assert "Se borrarían 3 actividad(es) del plan que el libro no trae" in html
    assert len(_trabajos()) == 1  # volver a la vista previa no la calcula de nuevo
    # El libro de la oficina con cada celda equivocada marcada es el resultado del trabajo.
    marcado = load_workbook(BytesIO(director.get(f"/admin/trabajo/resultado/?id={trabajo.id}").data))["Plan"]
    assert "no es un número" in marcado["C2"].comment.text
    assert f'href="/admin/trabajo/resultado/?id={trabajo.id}"' in html

    # Un clic que cambia la escala es otro mapeo: otra vista previa, en otro trabajo.
    assert director.get(previa + "&cambiar_escala=meta_anual:100").status_code == 302
    assert len(_trabajos()) == 2


def test_las_paginas_de_errores_salen_del_trabajo(fabrica, usuarios, navegador, umbral):
    plan = fabrica.plan_accion(actividades=1)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _subir(director, plan, _grande(140))
    director.get(f"{PAGINA}?id={plan.id}&libro={libro}&hoja=Plan&fila=1&elegidas=1&previa=1{COLUMNAS}")
    (trabajo,) = _trabajos()
    base = (f"{PAGINA}?id={plan.id}&libro={libro}&hoja=Plan&fila=1&elegidas=1&previa=1{COLUMNAS}"
            f"&trabajo={trabajo.id}")
    primera, segunda = director.texto(base), director.texto(base + "&pagina=2")
    assert "Errores (70)" in primera and "Fila 100:" in primera and "Fila 102:" not in primera
    assert "Fila 102:" in segunda and "Fila 140:" in segunda and "Fila 100:" not in segunda
    assert len(_trabajos()) == 1


def test_con_la_vista_previa_del_trabajo_se_importa_lo_que_se_vio(fabrica, usuarios, navegador, umbral):
    plan = fabrica.plan_accion(actividades=1)
    oap = navegador(usuarios[R.OAP])
    contenido = _libro([["Código", "Actividad", "Meta"]] + [[f"C{i:03d}", f"Actividad {i}", "0,167"]
                                                              for i in range(30)])
    libro = _subir(oap, plan, contenido)
    previa = f"{PAGINA}?id={plan.id}&libro={libro}&hoja=Plan&fila=1&elegidas=1&previa=1{COLUMNAS}"
    assert oap.get(previa).status_code == 302
    (trabajo,) = _trabajos()
    html = oap.texto(previa + f"&trabajo={trabajo.id}")
    assert "Errores (" not in html and "Importar 30 actividad(es)" in html
    huella = html.split('name="huella_borrado" value="')[1].split('"')[0]
    datos = {"libro": libro, "hoja": "Plan", "fila": 1, "elegidas": 1, "col_codigo": "Código",
             "col_descripcion": "Actividad", "col_meta_anual": "Meta", "huella_borrado": huella}
    assert oap.post(f"{PAGINA}?id={plan.id}", data=datos).status_code == 302
    importado = _trabajos()[-1]
    assert importado.tipo == "importar_libro_propio" and importado.estado is EstadoTrabajo.TERMINADO
    db.session.expire_all()
    actividades = db.session.get(Plan, plan.id).actividades
    assert len(actividades) == 30 and {str(a.meta_anual.normalize()) for a in actividades} == {"0.167"}


def test_una_vista_previa_cuyo_proceso_murio_lo_dice_y_se_reintenta(app, fabrica, usuarios, navegador, umbral,
                                                                    monkeypatch):
    plan = fabrica.plan_accion(actividades=1)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _subir(director, plan, _grande())
    previa = f"{PAGINA}?id={plan.id}&libro={libro}&hoja=Plan&fila=1&elegidas=1&previa=1{COLUMNAS}"
    monkeypatch.setattr(cola, "despachar", lambda trabajo: None)  # lo toma un trabajador…
    director.get(previa)
    monkeypatch.undo()
    (trabajo,) = _trabajos()
    # … que murió a media lectura (un kill -9): quedó «en curso», sin latido.
    sin_latido = app.config["GESTION_TRABAJOS_SIN_LATIDO"]
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo.id).values(
        estado=EstadoTrabajo.EN_CURSO, hechos=20, iniciado_en=ahora() - timedelta(seconds=sin_latido + 5),
        latido=ahora() - timedelta(seconds=sin_latido + 5)))
    db.session.commit()

    # Volver a la vista previa lleva al trabajo, que dice la verdad y ofrece reintentar o volver a las columnas.
    respuesta = director.get(previa + f"&trabajo={trabajo.id}")
    assert respuesta.status_code == 302 and f"/admin/trabajo/ficha/?id={trabajo.id}" in respuesta.location
    ficha = director.texto(respuesta.location)
    assert "se detuvo sin terminarlo" in ficha and "Reintentar" in ficha and "Ver la vista previa" not in ficha
    columnas = re.search(r'href="([^"]+)">Volver a las columnas del libro', ficha).group(1).replace("&amp;", "&")
    assert "previa" not in parse_qs(urlparse(columnas).query)
    assert "<option selected>Meta</option>" in director.texto(columnas)

    assert director.post("/admin/trabajo/reintentar/", data={"id": trabajo.id}).status_code == 302
    (trabajo,) = _trabajos()
    assert trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.datos["a_importar"] == 70
    assert "Ver la vista previa" in director.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")


def test_la_vista_previa_de_otro_no_se_ve_ni_se_usa(fabrica, usuarios, navegador, umbral):
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=1)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _subir(director, plan, _grande())
    director.get(f"{PAGINA}?id={plan.id}&libro={libro}&hoja=Plan&fila=1&elegidas=1&previa=1{COLUMNAS}")
    (trabajo,) = _trabajos()
    otro = navegador(usuarios["director2"])
    assert usuarios["director2"].dependencia_id == m.central2.id
    assert otro.get(f"/admin/trabajo/ficha/?id={trabajo.id}").status_code == 404
    assert otro.get(f"/admin/trabajo/resultado/?id={trabajo.id}").status_code == 404


def test_sin_el_campo_obligatorio_no_hay_trabajo_y_se_sigue_en_las_columnas(fabrica, usuarios, navegador, umbral):
    plan = fabrica.plan_accion(actividades=1)
    director = navegador(usuarios[R.DIRECTOR])
    libro = _subir(director, plan, _grande())
    respuesta = director.get(f"{PAGINA}?id={plan.id}&libro={libro}&hoja=Plan&fila=1&elegidas=1&previa=1"
                             "&col_codigo=Código&col_meta_anual=Meta")
    html = respuesta.get_data(as_text=True)
    assert respuesta.status_code == 422 and "Asocie una columna a: Descripción." in html
    assert "<option selected>Meta</option>" in html and _trabajos() == []


def test_la_plantilla_grande_muestra_en_su_trabajo_lo_que_borraria_y_se_confirma_alli(
        fabrica, usuarios, navegador, umbral):
    """La plantilla de actividades de un libro grande: la petición no lo lee para saber qué borraría; su trabajo
    no carga nada, lista las actividades que se borrarían y ofrece confirmarlo; confirmado, se carga ese libro."""
    from .test_trabajos import _fila, _trabajo
    from .test_trabajos import _libro as plantilla
    plan = fabrica.plan_accion(actividades=3)
    director = navegador(usuarios[R.DIRECTOR])
    filas = [_fila(f"N{i:02d}", peso=4) for i in range(25)]
    respuesta = director.post("/admin/planes_accion/cargar_actividades/",
                              data={"id": plan.id, "archivo": (BytesIO(plantilla(filas)), "grande.xlsx")})
    trabajo = _trabajo(respuesta)
    assert trabajo.estado is EstadoTrabajo.FALLIDO and [b["codigo"] for b in trabajo.datos["por_borrar"]] == [
        "A1", "A2", "A3"]
    html = director.texto(f"/admin/trabajo/ficha/?id={trabajo.id}")
    assert "el archivo no trae 3 actividad(es)" in html and "<td>A2</td>" in html
    assert "Cargar y borrar 3 actividad(es)" in html
    assert sorted(a.codigo for a in db.session.get(Plan, plan.id).actividades) == ["A1", "A2", "A3"]

    marca = re.search(r'name="confirmacion" value="([^"]+)"', html).group(1)
    confirmado = _trabajo(director.post("/admin/planes_accion/cargar_actividades/",
                                        data={"id": plan.id, "confirmacion": marca}))
    assert confirmado.estado is EstadoTrabajo.TERMINADO, confirmado.mensaje
    assert confirmado.parametros["borrar"] == ["A1", "A2", "A3"]
    db.session.expire_all()
    assert sorted(a.codigo for a in db.session.get(Plan, plan.id).actividades) == [f"N{i:02d}" for i in range(25)]


def test_las_metas_de_una_direccion_territorial_de_un_libro_grande_van_a_un_trabajo(
        app, fabrica, usuarios, navegador, umbral):
    from .test_metas_territoriales_excel import _metas, _plantilla
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, actividades=2)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (1, 2, 3, 4), m.territorial2: (5, 5, 5, 5)})
    dt = navegador(usuarios[R.TERRITORIAL])
    libro = _plantilla(dt)
    for celda, valor in zip(libro["Metas"][2][5:], ("0,167", 20, 30, 40), strict=False):
        celda.value = valor
    salida = BytesIO()
    libro.save(salida)
    app.config["GESTION_TRABAJOS_UMBRAL"] = 0  # este libro ya es «grande»
    respuesta = dt.post("/admin/metaterritorial/cargar/", data={"archivo": (BytesIO(salida.getvalue()), "metas.xlsx")})
    assert respuesta.status_code == 302 and "/admin/trabajo/ficha/" in respuesta.location
    (trabajo,) = _trabajos()
    assert trabajo.tipo == "importar_metas_territoriales" and trabajo.estado is EstadoTrabajo.TERMINADO, trabajo.mensaje
    assert trabajo.dependencia_id == m.territorial.id
    assert "1 actividad(es) con metas nuevas" in dt.texto(respuesta.location)
    assert str(_metas(actividad)[m.territorial.codigo][0].normalize()) == "0.167"
    # Otra Dirección Territorial no ve el trabajo.
    otra = fabrica.usuario(R.TERRITORIAL, m.territorial2, "dt2@prueba.gov.co")
    db.session.commit()
    assert navegador(otra).get(f"/admin/trabajo/ficha/?id={trabajo.id}").status_code == 404
