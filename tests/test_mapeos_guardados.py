"""Los mapeos guardados de cada flujo del libro propio: el de los avances de un trimestre se guarda al importar,
el libro del trimestre siguiente con el mismo formato lo encuentra solo y toma las columnas de su trimestre; un
mapeo de actividades no se ofrece en la página de avances; uno que no encaja dice qué columnas le faltan. La
migración 0019_recuerdos sube, baja y vuelve a subir con los mapeos de antes como mapeos de actividades."""
import re
from io import BytesIO
from urllib.parse import parse_qs, urlparse

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from openpyxl import Workbook

from gestion.importacion import avances_propios as A
from gestion.importacion import mapeo as M
from gestion.reglas import roles as R
from modelos import EstadoPlan, MapeoColumnas, TipoPlan, db

from .test_avances_propios import _abierto, _bandas, _guardar, _mapeo, _subir, _valores

SEGUIMIENTO = "Seguimiento de la oficina"


def _libro_del_anio(t1=(12, 10), t2=(None, None)) -> bytes:
    """El libro de seguimiento de la oficina: los dos trimestres en bloques bajo bandas, con lo que lleve cada uno."""
    return _bandas([("A1", "Actividad 1 de 3200", (t1[0], "Visitas.", "https://x.gov.co/a1.pdf")),
                    ("A2", "Actividad 2 de 3200", (t1[1], "Talleres.", "Informe IVC-2026-03"))],
                   [(t2[0], "Más visitas." if t2[0] is not None else None, "https://x.gov.co/a1-t2.pdf"),
                    (t2[1], "Más talleres." if t2[1] is not None else None, "Informe IVC-2026-06")])


def _importar(cliente, base, libro, mapeo, **extra):
    return cliente.post(base, data={"libro": libro, "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado,
                                    "elegidas": 1, **{f"col_{a}": t for a, t in mapeo.columnas.items()}, **extra})


def test_el_mapeo_de_avances_del_t1_se_encuentra_solo_en_el_t2_y_toma_sus_columnas(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    director = navegador(usuarios[R.DIRECTOR])
    t1 = _abierto(fabrica, plan, 1)
    contenido = _libro_del_anio()
    base, libro = _subir(director, t1, contenido)
    respuesta = _importar(director, base, libro, _mapeo(contenido, t1), nombre_mapeo=SEGUIMIENTO)
    assert respuesta.status_code == 302
    assert f"Mapeo «{SEGUIMIENTO}» guardado." in director.texto(respuesta.location)
    (guardado,) = M.mapeos_de(plan.dependencia_id, M.DE_AVANCES)
    assert guardado.columnas["valor"] == "Trimestre I - 2026 · Resultado"
    assert M.mapeos_de(plan.dependencia_id) == []  # no es un mapeo de actividades

    t2 = _abierto(fabrica, plan, 2)
    base, libro = _subir(director, t2, _libro_del_anio(t2=(13, 11)), "seguimiento-t2.xlsx")
    html = director.texto(f"{base}&libro={libro}")
    assert f"Se usa el mapeo guardado «{SEGUIMIENTO}», con las columnas del trimestre 2." in html
    assert "<option selected>Trimestre II - 2026 · Resultado</option>" in html
    assert "<option selected>Trimestre II - 2026 · Fuente de verificación</option>" in html
    assert "no encaja" not in html
    html = director.texto(f"{base}&libro={libro}&previa=1&mapeo={guardado.id}")
    assert "2 ítem(s) a guardar, 0 error(es)" in html
    columnas = A.columnas_guardadas(guardado, M.titulos(_libro_del_anio(), "Seguimiento", 3), 2, 2026)
    respuesta = _importar(director, base, libro, M.Mapeo("Seguimiento", 3, columnas))
    assert respuesta.status_code == 302
    assert {c: v[0] for c, v in _valores(t2).items()} == {"A1": 13, "A2": 11}
    assert _valores(t2)["A2"][3] == "Informe IVC-2026-06"


def test_un_mapeo_de_actividades_no_se_ofrece_en_la_pagina_de_avances(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    reporte = _abierto(fabrica, plan)
    contenido = _libro_del_anio()
    M.guardar_mapeo(plan, "Plan de acción propio", M.Mapeo("Seguimiento", 3, {"codigo": "Código",
                                                                             "descripcion": "Actividad"}),
                    usuarios[R.DIRECTOR], contenido)
    db.session.commit()
    for rol in (R.DIRECTOR, R.OAP):
        cliente = navegador(usuarios[rol])
        base, libro = _subir(cliente, reporte, contenido)
        html = cliente.texto(f"{base}&libro={libro}")
        assert "Plan de acción propio" not in html and 'id="mapeo"' not in html
        assert "<option selected>Trimestre I - 2026 · Resultado</option>" in html  # la sugerencia, como siempre
    # Y al revés: el de avances no aparece al traer las actividades.
    M.guardar_mapeo(reporte, SEGUIMIENTO, _mapeo(contenido, reporte), usuarios[R.DIRECTOR], contenido, M.DE_AVANCES)
    firmas = M.firmas(contenido)
    assert [m.nombre for m in M.mapeos_para(plan, usuarios[R.OAP], firmas)] == ["Plan de acción propio"]
    assert [m.nombre for m in M.mapeos_para(reporte, usuarios[R.OAP], firmas, M.DE_AVANCES)] == [SEGUIMIENTO]


def test_la_oap_encuentra_el_mapeo_de_avances_de_otra_dependencia_por_el_formato(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    otro = fabrica.plan_accion(dependencia=m.central2, estado=EstadoPlan.APROBADO)
    reporte, del_otro = _abierto(fabrica, plan), _abierto(fabrica, otro)
    contenido = _libro_del_anio()
    M.guardar_mapeo(reporte, SEGUIMIENTO, _mapeo(contenido, reporte), usuarios[R.OAP], contenido, M.DE_AVANCES)
    db.session.commit()
    firmas = M.firmas(contenido)
    assert [g.nombre for g in M.mapeos_para(del_otro, usuarios[R.OAP], firmas, M.DE_AVANCES)] == [SEGUIMIENTO]
    assert M.mapeos_para(del_otro, usuarios["director2"], firmas, M.DE_AVANCES) == []  # solo los de su dependencia
    oap = navegador(usuarios[R.OAP])
    base, libro = _subir(oap, del_otro, contenido)
    html = oap.texto(f"{base}&libro={libro}")
    assert f"Se usa el mapeo guardado «{SEGUIMIENTO}» (de {m.central}, para un libro con los mismos títulos)" in html


def test_un_mapeo_guardado_que_no_encaja_dice_que_columnas_faltan(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    reporte = _abierto(fabrica, plan)
    contenido = _libro_del_anio()
    guardado = M.guardar_mapeo(reporte, SEGUIMIENTO, _mapeo(contenido, reporte), usuarios[R.DIRECTOR], contenido,
                               M.DE_AVANCES)
    db.session.commit()
    # Otro formato: sin la fuente de verificación (la huella no es la misma: no se elige sola).
    libro_nuevo = Workbook()
    hoja = libro_nuevo.active
    hoja.title = "Seguimiento"
    hoja["A1"], hoja["C2"] = "SEGUIMIENTO 2026", "Trimestre I - 2026"
    hoja.merge_cells("C2:D2")
    hoja.append(["Código", "Actividad", "Resultado", "Observaciones"])
    hoja.append(["A1", "Actividad 1 de 3200", 12, "Visitas."])
    director = navegador(usuarios[R.DIRECTOR])
    base, libro = _subir(director, reporte, _guardar(libro_nuevo))
    html = director.texto(f"{base}&libro={libro}")
    assert "no encaja" not in html and "Se usa el mapeo guardado" not in html
    html = director.texto(f"{base}&libro={libro}&mapeo={guardado.id}&usar_mapeo=1")
    assert (f"El mapeo «{SEGUIMIENTO}» no encaja con este libro: la fila 3 de «Seguimiento» no tiene "
            "«Trimestre I - 2026 · Fuente de verificación»") in html
    # Lo que sí encaja queda asociado: el resultado del trimestre, aquí sin la banda encima.
    assert "<option selected>Resultado</option>" in html and "<option selected>Observaciones</option>" in html


def test_la_migracion_sube_baja_y_vuelve_a_subir_con_los_mapeos_de_antes(contexto, usuarios):
    """En la base de las pruebas (SQLite o PostgreSQL): los mapeos de antes son de actividades, salvo los de varias
    dependencias (los que guardan su columna de dependencia); al bajar, solo quedan los de actividades."""
    director = usuarios[R.DIRECTOR]
    valores = {"dependencia": director.dependencia_id, "usuario": director.id}
    db.session.commit()
    db.session.remove()
    downgrade(revision="0018_previa")
    with db.engine.begin() as conexion:
        conexion.execute(sa.text(
            "INSERT INTO mapeo_columnas (dependencia_id, nombre, hoja, fila_encabezado, columnas, opciones, "
            "actualizado_por_id, actualizado_en) VALUES "
            "(:dependencia, 'Plan propio', 'Plan', 1, '{}', '{\"escalas\": {}}', :usuario, '2026-01-01 00:00:00'), "
            "(:dependencia, 'Varias', 'Hoja', 1, '{}', '{\"dependencia\": \"Secretaría\"}', :usuario, "
            "'2026-01-01 00:00:00')"), valores)
    upgrade()
    consulta = sa.select(MapeoColumnas.nombre, MapeoColumnas.destino).order_by(MapeoColumnas.nombre)
    assert db.session.execute(consulta).all() == [("Plan propio", "actividades"), ("Varias", "varias")]
    db.session.remove()
    downgrade(revision="0018_previa")
    upgrade()
    assert db.session.execute(consulta).all() == [("Plan propio", "actividades")]  # el de varias no cabía antes


def test_el_mapeo_de_la_estructura_se_guarda_al_importar_y_el_mismo_formato_lo_encuentra(fabrica, navegador):
    from .test_estructura_propia import _fichas
    from .test_estructura_propia import _mapeo as _mapeo_estructura
    pei = fabrica.plan_estrategico_en_blanco(TipoPlan.PEI, 2027)
    oap = fabrica.usuario(R.OAP)
    contenido = _fichas()
    # Un mapeo de actividades del mismo formato no se ofrece aquí.
    M.guardar_mapeo(fabrica.plan_accion(), "Plan de acción propio", M.Mapeo("Fichas", 3, {"descripcion": "Indicador"}),
                    oap, contenido)
    db.session.commit()
    cliente = navegador(oap)
    url = f"/admin/planes_estrategicos/plan/{pei.id}/libro_propio"

    def subir() -> str:
        subida = cliente.post(url, data={"archivo": (BytesIO(contenido), "fichas.xlsx")},
                              content_type="multipart/form-data")
        return parse_qs(urlparse(subida.headers["Location"]).query)["libro"][0]

    clave = subir()
    assert "Plan de acción propio" not in cliente.texto(f"{url}?libro={clave}")
    columnas = _mapeo_estructura(contenido, pei).columnas
    importada = cliente.post(url, data={"libro": clave, "hoja": "Fichas", "fila": 3, "elegidas": 1,
                                        "nombre_mapeo": "Fichas técnicas", **{f"col_{a}": t for a, t in columnas.items()}})
    assert importada.status_code == 302
    assert "Mapeo «Fichas técnicas» guardado." in cliente.texto(importada.headers["Location"])
    (guardado,) = M.mapeos_de(None, M.DE_ESTRUCTURA)
    assert guardado.columnas == columnas
    html = cliente.texto(f"{url}?libro={subir()}")
    assert "Se usa el mapeo guardado «Fichas técnicas»." in html and "no encaja" not in html
    for atributo, titulo in columnas.items():
        assert re.search(rf'id="col_{atributo}"[^>]*>.*?<option selected>{re.escape(titulo)}</option>', html, re.S)


def test_el_mapeo_de_las_metas_dt_se_guarda_al_importar_y_el_mismo_formato_lo_encuentra(fabrica, usuarios, navegador):
    from .libros import libro
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=3)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (4, 4, 4, 4), m.territorial2: (6, 6, 6, 6)})
    db.session.commit()
    cliente = navegador(usuarios[R.OAP])
    url = "/admin/planes_accion/metas_dt_libro/"
    filas = [["Cód.", "Territorial", "Primer trimestre", "Segundo trimestre", "Tercer trimestre", "Cuarto trimestre"],
             [actividad.codigo, "DT05", 3, 3, 3, 3], [actividad.codigo, "Valle", 7, 7, 7, 7]]

    def subir() -> str:
        subida = cliente.post(url, data={"id": plan.id, "archivo": (BytesIO(libro(filas)), "metas dt.xlsx")},
                              content_type="multipart/form-data")
        return parse_qs(urlparse(subida.headers["Location"]).query)["libro"][0]

    columnas = {"codigo": "Cód.", "direccion": "Territorial", "meta_t1": "Primer trimestre",
                "meta_t2": "Segundo trimestre", "meta_t3": "Tercer trimestre", "meta_t4": "Cuarto trimestre"}
    hecha = cliente.post(url, data={"id": plan.id, "libro": subir(), "hoja": "Sheet", "fila": 1, "elegidas": 1,
                                    "nombre_mapeo": "Metas por Dirección",
                                    **{f"col_{a}": t for a, t in columnas.items()}})
    assert hecha.status_code == 302 and "/ficha/" in hecha.headers["Location"]
    assert "Mapeo «Metas por Dirección» guardado." in cliente.texto(hecha.headers["Location"])
    (guardado,) = M.mapeos_de(plan.dependencia_id, M.DE_METAS_DT)
    assert guardado.columnas == columnas
    filas[1][2:] = [2, 2, 2, 2]
    html = cliente.texto(f"{url}?id={plan.id}&libro={subir()}&previa=1")
    assert "Se usa el mapeo guardado «Metas por Dirección»." in html
    for atributo, titulo in columnas.items():
        assert re.search(rf'id="col_{atributo}"[^>]*>.*?<option selected>{re.escape(titulo)}</option>', html, re.S)
    assert M.mapeos_para(plan, usuarios[R.OAP], M.firmas(libro(filas))) == []  # no es de actividades


def test_un_libro_de_avances_grande_va_a_un_trabajo_y_se_importa_todo_o_nada(app, fabrica, usuarios, navegador):
    from modelos import EstadoTrabajo, Trabajo
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO)
    reporte = _abierto(fabrica, plan)
    director = navegador(usuarios[R.DIRECTOR])
    antes = app.config["GESTION_TRABAJOS_UMBRAL"]
    app.config["GESTION_TRABAJOS_UMBRAL"] = 1  # este libro de dos filas ya es «grande»
    try:
        con_error = _libro_del_anio(t1=("doce", 11))
        base, libro = _subir(director, reporte, con_error)
        respuesta = _importar(director, base, libro, _mapeo(con_error, reporte))
        assert respuesta.status_code == 302 and "/trabajo/" in respuesta.location
        fallido = db.session.scalars(sa.select(Trabajo).order_by(Trabajo.id.desc())).first()
        assert fallido.tipo == "importar_avances_propios" and fallido.estado is EstadoTrabajo.FALLIDO
        assert "No se importó nada" in fallido.mensaje and len(fallido.mensaje) < 500
        assert {c: v[0] for c, v in _valores(reporte).items()} == {"A1": 0, "A2": 0}  # tampoco el A2, que estaba bien

        contenido = _libro_del_anio()
        base, libro = _subir(director, reporte, contenido)
        respuesta = _importar(director, base, libro, _mapeo(contenido, reporte), nombre_mapeo=SEGUIMIENTO)
        assert respuesta.status_code == 302 and "/trabajo/" in respuesta.location
    finally:
        app.config["GESTION_TRABAJOS_UMBRAL"] = antes
    db.session.expire_all()
    hecho = db.session.scalars(sa.select(Trabajo).order_by(Trabajo.id.desc())).first()
    assert hecho.estado is EstadoTrabajo.TERMINADO
    assert "traídos del libro de la oficina: 2 ítem(s)" in hecho.mensaje and f"Mapeo «{SEGUIMIENTO}»" in hecho.mensaje
    assert {c: v[0] for c, v in _valores(reporte).items()} == {"A1": 12, "A2": 10}
    assert [m.nombre for m in M.mapeos_de(plan.dependencia_id, M.DE_AVANCES)] == [SEGUIMIENTO]
