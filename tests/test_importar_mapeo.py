"""Traer el plan desde el libro propio de la oficina: hoja y fila de títulos elegidas, columnas asociadas
(sugeridas por parecido), vista previa con errores y carga todo o nada. Los libros de prueba traen las
trampas de los libros de planeación de verdad; también se prueba con el libro real compartido."""
import shutil
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from gestion.importacion import mapeo as M
from gestion.importacion.lectura import ImportacionRechazada
from gestion.reglas import roles as R
from gestion.reglas.flujo import TransicionInvalida
from gestion.reglas.permisos import AccesoDenegado
from modelos import EstadoPlan as E
from modelos import HistorialEstado, Plan, db

REAL = Path("/work/shared/datos-reales/PLAN_INDICATIVO_TENJO_2024-2027.xlsx")
TITULOS = ["Cód.", "Actividad", "Indicador", "Unidad de medida", "Meta", "T1", "T2", "T3", "T4", "Peso",
           "Presupuesto", "Responsable", "Meta"]


def _libro_de_oficina(con_errores: bool = True) -> bytes:
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Plan 2026"
    hoja["A1"] = "MINISTERIO DEL TRABAJO"
    hoja.merge_cells("A1:M1")
    hoja["A2"] = "PLAN DE ACCIÓN 2026 – DIRECCIÓN DE INSPECCIÓN"
    hoja.merge_cells("A2:M2")
    hoja["A4"] = "Versión 3"
    hoja.append(TITULOS)  # fila 5
    hoja.append([None, "Programa 1. Inspección preventiva"])  # 6: agrupación
    hoja.append([None, "Subprograma 1.1 Visitas"])  # 7: agrupación
    hoja.append(["001", "Visitas de inspección", "Visitas realizadas", "Número", "1.200,5", 300, 300, 300, "300,5",
                 "25%", "$ 2.000.000,50", "Grupo IVC", "otra"])  # 8
    hoja.append(["002", "Capacitaciones", "Talleres", "NUM", 40, 10, 10, 10, 10, 0.75, 1_000_000, "Grupo IVC"])  # 9
    hoja["J9"].number_format = "0%"  # 75 % guardado como 0,75
    hoja.append([None, "Subtotal programa 1", None, None, 1240.5])  # 10
    if con_errores:
        hoja.append(["003", "Mesas de trabajo", "Mesas", "NUM", "#DIV/0!", datetime(2026, 5, 1), 1, 1, 1, 0,
                     0, "Grupo IVC"])  # 11
    hoja.append(["TOTAL", None, None, None, 1240.5])
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _mapeo(contenido) -> M.Mapeo:
    hoja = M.hojas(contenido)[0]
    fila = M.sugerir_fila(contenido, hoja)
    return M.Mapeo(hoja, fila, M.sugerir(M.titulos(contenido, hoja, fila)))


def test_sugiere_la_fila_de_titulos_bajo_los_combinados_y_las_columnas_por_parecido():
    contenido = _libro_de_oficina()
    assert M.sugerir_fila(contenido, "Plan 2026") == 5
    titulos = M.titulos(contenido, "Plan 2026", 5)
    assert titulos[-1] == "Meta (2)"  # título repetido, distinguible
    assert M.sugerir(titulos) == {
        "codigo": "Cód.", "descripcion": "Actividad", "indicador": "Indicador", "unidad": "Unidad de medida",
        "meta_anual": "Meta", "meta_t1": "T1", "meta_t2": "T2", "meta_t3": "T3", "meta_t4": "T4", "peso": "Peso",
        "presupuesto": "Presupuesto", "responsable": "Responsable"}


def test_la_vista_previa_omite_agrupaciones_y_totales_y_muestra_los_errores_de_cada_fila(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    previa, lectura, total = M.vista_previa(plan, _libro_de_oficina(), _mapeo(_libro_de_oficina()))
    assert [f.numero for f in previa] == [8, 9, 11]
    assert lectura.omitidas == [(6, "agrupación (programa o subprograma) sin metas"),
                                (7, "agrupación (programa o subprograma) sin metas"),
                                (10, "fila de totales"), (12, "fila de totales")]
    primera, segunda, tercera = previa
    assert primera.errores == [] and primera.valores["codigo"] == "001"  # el cero a la izquierda se conserva
    assert primera.valores["meta_anual"] == Decimal("1200.50") and primera.valores["peso"] == Decimal(25)
    assert primera.valores["presupuesto"] == Decimal("2000000.50") and primera.valores["unidad"].codigo == "NUM"
    assert segunda.valores["peso"] == Decimal(75)
    assert any("error de fórmula #DIV/0!" in e for e in tercera.errores)
    assert any("Excel convirtió el número en la fecha 01/05/2026" in e for e in tercera.errores)
    assert [e.fila for e in total] == [11] * len(tercera.errores)


def test_importa_todo_o_nada_y_una_segunda_vez_deja_lo_mismo(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    director = usuarios[R.DIRECTOR]
    con_errores = _libro_de_oficina()
    with pytest.raises(ImportacionRechazada, match="#DIV/0!"):
        M.importar(plan, con_errores, _mapeo(con_errores), director)
    db.session.rollback()
    assert [a.codigo for a in db.session.get(Plan, plan.id).actividades] == ["A1"]

    bueno = _libro_de_oficina(con_errores=False)
    carga = M.importar(plan, bueno, _mapeo(bueno), director)
    db.session.commit()
    assert (carga.cargadas, carga.borradas) == (2, ["A1"])
    actividades = {a.codigo: a for a in db.session.get(Plan, plan.id).actividades}
    assert sorted(actividades) == ["001", "002"]
    assert (actividades["001"].meta_t4, actividades["002"].peso) == (Decimal("300.50"), Decimal(75))
    ids = {c: a.id for c, a in actividades.items()}
    assert M.importar(plan, bueno, _mapeo(bueno), director).borradas == []
    db.session.commit()
    assert {a.codigo: a.id for a in db.session.get(Plan, plan.id).actividades} == ids


def test_el_mapeo_se_guarda_con_nombre_y_se_actualiza(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    contenido = _libro_de_oficina()
    M.guardar_mapeo(plan, "Plan de acción  propio", _mapeo(contenido), usuarios[R.DIRECTOR])
    M.guardar_mapeo(plan, "Plan de acción propio", M.Mapeo("Plan 2026", 5, {"descripcion": "Actividad"}),
                    usuarios[R.DIRECTOR])
    db.session.commit()
    (guardado,) = M.mapeos_de(plan.dependencia_id)
    assert (guardado.nombre, guardado.fila_encabezado, guardado.columnas) == (
        "Plan de acción propio", 5, {"descripcion": "Actividad"})
    assert M.mapeos_de(fabrica.mundo.central2.id) == []


def test_el_plan_indicativo_real_se_lee_y_se_importa(fabrica, usuarios, tmp_path):
    copia = tmp_path / "tenjo.xlsx"
    shutil.copy(REAL, copia)
    contenido = copia.read_bytes()
    assert "PDM" in M.hojas(contenido) and M.sugerir_fila(contenido, "PDM") == 1
    titulos = M.titulos(contenido, "PDM", 1)
    assert "L.B" in titulos and "L.B (2)" in titulos
    sugerido = M.sugerir(titulos)
    assert (sugerido["descripcion"], sugerido["unidad"], sugerido["responsable"]) == (
        "META DE PRODUCTO", "UNIDAD DE MEDIDA", "RESPONSABLE")
    mapeo = M.Mapeo("PDM", 1, {
        "codigo": "COD META PRODUCTO", "descripcion": "META DE PRODUCTO", "indicador": "INDICADOR",
        "meta_anual": "VALOR ESPERADO 2025", "meta_t1": "T1. PLANEADO 2025", "meta_t2": "T2. PLANEADO 2025",
        "meta_t3": "T3. PLANEADO 2025", "meta_t4": "T4. PLANEADO 2025", "presupuesto": "APROPIACION DEFINITIVA 2025",
        "responsable": "RESPONSABLE"})
    plan = fabrica.plan_accion(actividades=1)
    previa, lectura, errores = M.vista_previa(plan, contenido, mapeo)
    assert len(lectura.filas) == 331 and lectura.omitidas == [(333, "sin código ni descripción (¿totales o notas?)")]
    assert errores == [], [str(e) for e in errores[:5]]
    carga = M.importar(plan, contenido, mapeo, usuarios[R.DIRECTOR])
    db.session.commit()
    assert carga.cargadas == 331
    assert len(db.session.get(Plan, plan.id).actividades) == 331


def test_por_la_pagina_subir_asociar_ver_la_vista_previa_e_importar(fabrica, usuarios, navegador):
    from urllib.parse import parse_qs, urlparse

    from modelos import MapeoColumnas
    plan = fabrica.plan_accion(actividades=1)
    director = navegador(usuarios[R.DIRECTOR])
    base = f"/admin/planes_accion/libro_propio/?id={plan.id}"
    assert "Subir y asociar columnas" in director.texto(base)
    assert navegador(usuarios["director2"]).get(base).status_code == 404
    assert director.post(base, data={"archivo": (BytesIO(b"a;b\n1;2\n"), "plan.xlsx")}).status_code == 422

    respuesta = director.post(base, data={"archivo": (BytesIO(_libro_de_oficina()), "plan 2026.xlsx")})
    assert respuesta.status_code == 302
    libro = parse_qs(urlparse(respuesta.location).query)["libro"][0]
    html = director.texto(f"{base}&libro={libro}&previa=1")
    assert 'name="fila" value="5"' in html and "<option selected>Unidad de medida</option>" in html
    assert "3 actividad(es) a importar" in html and "Excel convirtió el número en la fecha 01/05/2026" in html
    assert "disabled" in html  # con errores no se ofrece importar
    # El libro de la oficina vuelve con la celda equivocada marcada en su propia columna y fila.
    enlace = html.split('href="/descargas/')[1].split('"')[0]
    marcado = load_workbook(BytesIO(director.get(f"/descargas/{enlace}").data))["Plan 2026"]
    assert marcado["E11"].value == "#DIV/0!" and "error de fórmula #DIV/0!" in marcado["E11"].comment.text
    assert "Excel convirtió" in marcado["F11"].comment.text
    assert marcado["N5"].value == "Errores" and "#DIV/0!" in marcado["N11"].value and marcado["N8"].value is None
    assert navegador(usuarios["director2"]).get(f"{base}&libro={libro}").status_code == 404

    respuesta = director.post(base, data={"archivo": (BytesIO(_libro_de_oficina(False)), "plan 2026.xlsx")})
    libro = parse_qs(urlparse(respuesta.location).query)["libro"][0]
    mapeo = _mapeo(_libro_de_oficina(False))
    respuesta = director.post(base, data={"libro": libro, "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado,
                                          "elegidas": 1, "nombre_mapeo": "Plan propio IVC",
                                          **{f"col_{a}": t for a, t in mapeo.columnas.items()}})
    assert respuesta.status_code == 302
    assert "2 actividades cargadas" in director.texto(respuesta.location)
    db.session.expire_all()
    assert sorted(a.codigo for a in db.session.get(Plan, plan.id).actividades) == ["001", "002"]
    guardado = db.session.query(MapeoColumnas).one()
    assert guardado.nombre == "Plan propio IVC" and guardado.columnas["unidad"] == "Unidad de medida"


# --- quién trae un plan desde un libro propio y en qué estado -------------------------------------
def _subir_e_importar(cliente, plan):
    from urllib.parse import parse_qs, urlparse
    base = f"/admin/planes_accion/libro_propio/?id={plan.id}"
    contenido = _libro_de_oficina(False)
    respuesta = cliente.post(base, data={"archivo": (BytesIO(contenido), "plan 2026.xlsx")})
    assert respuesta.status_code == 302, respuesta.status_code
    libro = parse_qs(urlparse(respuesta.location).query)["libro"][0]
    mapeo = _mapeo(contenido)
    return cliente.post(base, data={"libro": libro, "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado, "elegidas": 1,
                                    **{f"col_{a}": t for a, t in mapeo.columnas.items()}})


@pytest.mark.parametrize("estado", [E.BORRADOR, E.DEVUELTO])
@pytest.mark.parametrize("rol", [R.OAP, R.JEFE_OAP])
def test_la_oap_trae_el_plan_de_cualquier_dependencia_en_formulacion(fabrica, usuarios, navegador, rol, estado):
    m = fabrica.mundo
    plan = fabrica.plan_accion(dependencia=m.central, estado=estado, actividades=1)
    assert usuarios[rol].dependencia_id != plan.dependencia_id
    oap = navegador(usuarios[rol])
    assert "Traer de un libro propio" in oap.texto(f"/admin/planes_accion/ficha/?id={plan.id}")
    html = oap.texto(f"/admin/planes_accion/libro_propio/?id={plan.id}")
    assert "Subir y asociar columnas" in html and "Usar la plantilla" not in html  # la plantilla es del director

    respuesta = _subir_e_importar(oap, plan)

    assert respuesta.status_code == 302
    assert "2 actividades cargadas desde Excel" in oap.texto(respuesta.location)
    db.session.expire_all()
    assert sorted(a.codigo for a in db.session.get(Plan, plan.id).actividades) == ["001", "002"]
    entrada = db.session.scalars(sa.select(HistorialEstado).filter_by(objeto_tipo="plan", objeto_id=plan.id,
                                                                       accion="cargar_excel")).one()
    assert entrada.usuario_id == usuarios[rol].id and entrada.observacion.endswith("desde el libro de la oficina")


def test_el_director_trae_solo_el_de_su_dependencia(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=1)
    assert _subir_e_importar(navegador(usuarios[R.DIRECTOR]), plan).status_code == 302
    otro = usuarios["director2"]
    assert otro.dependencia_id != plan.dependencia_id
    assert navegador(otro).get(f"/admin/planes_accion/libro_propio/?id={plan.id}").status_code == 404
    contenido = _libro_de_oficina(False)
    with pytest.raises(AccesoDenegado, match="no es de su dependencia"):
        M.importar(plan, contenido, _mapeo(contenido), otro)
    assert M.motivo_no_traer(usuarios[R.OAP], plan) is None


@pytest.mark.parametrize("rol", [R.TERRITORIAL, R.CONTROL_INTERNO, R.ENTIDAD])
def test_los_demas_roles_no_traen_un_plan_de_un_libro_propio(fabrica, usuarios, navegador, rol):
    plan = fabrica.plan_accion(actividades=1)
    cliente = navegador(usuarios[rol])
    if rol == R.CONTROL_INTERNO:  # lee el plan, sin la puerta para traerlo
        assert "Traer de un libro propio" not in cliente.texto(f"/admin/planes_accion/ficha/?id={plan.id}")
    assert cliente.get(f"/admin/planes_accion/libro_propio/?id={plan.id}").status_code == 403
    assert cliente.post(f"/admin/planes_accion/libro_propio/?id={plan.id}", data={
        "archivo": (BytesIO(_libro_de_oficina(False)), "plan.xlsx")}).status_code == 403
    contenido = _libro_de_oficina(False)
    with pytest.raises(AccesoDenegado, match="Solo la OAP o el director"):
        M.importar(plan, contenido, _mapeo(contenido), usuarios[rol])
    db.session.rollback()
    assert [a.codigo for a in db.session.get(Plan, plan.id).actividades] == ["A1"]


@pytest.mark.parametrize("estado", [E.ENVIADO, E.APROBADO])
def test_en_un_estado_que_no_se_edita_nadie_lo_trae_y_se_dice_por_que(fabrica, usuarios, navegador, estado):
    plan = fabrica.plan_accion(estado=estado, actividades=1)
    oap = navegador(usuarios[R.OAP])
    assert "Traer de un libro propio" not in oap.texto(f"/admin/planes_accion/ficha/?id={plan.id}")
    respuesta = oap.get(f"/admin/planes_accion/libro_propio/?id={plan.id}")
    assert respuesta.status_code == 302 and "/ficha/" in respuesta.location
    assert f"está {estado.en_frase}: su contenido no se puede modificar" in oap.texto(respuesta.location)
    contenido = _libro_de_oficina(False)
    for usuario in (usuarios[R.OAP], usuarios[R.DIRECTOR]):
        with pytest.raises(TransicionInvalida, match="no se puede modificar"):
            M.importar(plan, contenido, _mapeo(contenido), usuario)
        db.session.rollback()
    assert [a.codigo for a in db.session.get(Plan, plan.id).actividades] == ["A1"]
