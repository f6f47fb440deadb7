"""Las metas de las Direcciones Territoriales desde el libro propio de la oficina: trimestres en columnas o en
filas, la DT por su código o su nombre, todo o nada; la OAP carga las de todas, una DT solo las suyas."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa

from gestion.importacion import metas_dt as S
from gestion.importacion.lectura import ImportacionRechazada
from gestion.importacion.mapeo import CampoSinColumna, Mapeo, sugerencia
from gestion.reglas import roles as R
from modelos import EstadoPlan, MapeoColumnas, db

from .libros import libro


@pytest.fixture
def plan(fabrica):
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=3)
    fabrica.actividad_territorial(plan, {m.territorial: (4, 4, 4, 4), m.territorial2: (6, 6, 6, 6)})  # suman la meta, 10
    return plan


def _metas(actividad) -> dict:
    db.session.expire_all()
    return {m.dependencia.codigo: (m.meta_t1, m.meta_t2, m.meta_t3, m.meta_t4) for m in actividad.metas_territoriales}


@pytest.mark.parametrize(("texto", "numero"), [("T2", 2), ("2", 2), ("II trimestre", 2), ("Segundo trimestre", 2),
                                               ("Trimestre 3", 3), ("2026-T4", 4), ("iv", 4), ("T5", None),
                                               ("Semestre 1", None)])
def test_el_trimestre_se_lee_como_lo_escriben_las_oficinas(texto, numero):
    assert S.trimestre(texto) == numero


def test_la_oap_carga_las_metas_de_cada_dt_con_los_trimestres_en_columnas(fabrica, plan, usuarios):
    actividad = plan.actividades[0]
    contenido = libro([["Código actividad", "Dirección territorial", "I trimestre", "II trimestre", "III trimestre",
                        "IV trimestre"],
                       [actividad.codigo, "DT05", 10, 20, "30,5", 40],
                       [actividad.codigo, "dirección territorial del valle", 5, None, 5, 5]], hoja="Metas DT")
    sugerida = sugerencia(contenido, "Metas DT", 1, None, S.DESTINO)
    assert sugerida.columnas == {"codigo": "Código actividad", "direccion": "Dirección territorial",
                                 "meta_t1": "I trimestre", "meta_t2": "II trimestre", "meta_t3": "III trimestre",
                                 "meta_t4": "IV trimestre"}
    cambiadas = S.importar(plan, contenido, Mapeo("Metas DT", 1, sugerida.columnas), usuarios[R.OAP])
    db.session.commit()
    assert cambiadas == 2
    # El T2 vacío del Valle queda como estaba.
    assert _metas(actividad) == {"DT05": (10, 20, Decimal("30.5"), 40), "DT76": (5, 6, 5, 5)}


def test_con_los_trimestres_en_filas_y_la_dt_por_su_nombre_corto(fabrica, plan, usuarios):
    actividad = plan.actividades[0]
    contenido = libro([["Actividad", "Regional", "Periodo", "Meta programada"],
                       [actividad.codigo, "Antioquia", "T1", 7], [actividad.codigo, "Antioquia", "Segundo trimestre", 8],
                       [actividad.codigo, "Antioquia", "2026-T3", 9], [actividad.codigo, "Antioquia", "4", 10]])
    mapeo = Mapeo("Sheet", 1, {"codigo": "Actividad", "direccion": "Regional", "trimestre": "Periodo",
                               "meta": "Meta programada"})
    S.importar(plan, contenido, mapeo, usuarios[R.OAP])
    assert _metas(actividad)["DT05"] == (7, 8, 9, 10)


def test_un_libro_con_errores_no_cambia_ninguna_meta_y_dice_cada_fila(fabrica, plan, usuarios):
    actividad, propia = plan.actividades[0], plan.actividades[1]
    contenido = libro([["Código", "DT", "Trimestre", "Meta"],
                       [actividad.codigo, "DT05", "T1", 50],  # 2: bien, pero no se guarda
                       [actividad.codigo, "DT99", "T1", 5],  # 3: DT que no existe
                       [propia.codigo, "DT05", "T1", 5],  # 4: actividad que no es territorial
                       [actividad.codigo, "DT05", "Semestre 1", 5],  # 5: trimestre que no se entiende
                       [actividad.codigo, "DT05", "T1", 60]])  # 6: repetida
    mapeo = Mapeo("Sheet", 1, {"codigo": "Código", "direccion": "DT", "trimestre": "Trimestre", "meta": "Meta"})
    with pytest.raises(ImportacionRechazada) as rechazo:
        S.importar(plan, contenido, mapeo, usuarios[R.OAP])
    assert [e.fila for e in rechazo.value.detalle] == [3, 4, 5, 6]
    assert "«DT99» no es una Dirección Territorial" in rechazo.value.errores[0]
    assert f"la actividad {propia.codigo} no es una actividad territorial del plan" in rechazo.value.errores[1]
    assert _metas(actividad)["DT05"] == (4, 4, 4, 4)


def test_sin_trimestres_asociados_pide_las_columnas(plan, usuarios):
    contenido = libro([["Código", "DT"], [plan.actividades[0].codigo, "DT05"]])
    with pytest.raises(CampoSinColumna, match="trimestres"):
        S.leer(plan, contenido, Mapeo("Sheet", 1, {"codigo": "Código", "direccion": "DT"}), usuarios[R.OAP])


def test_una_dt_carga_solo_sus_metas(fabrica, plan, usuarios):
    actividad = plan.actividades[0]
    contenido = libro([["Código", "DT", "T1"], [actividad.codigo, "DT05", 3], [actividad.codigo, "DT76", 4]])
    mapeo = Mapeo("Sheet", 1, {"codigo": "Código", "direccion": "DT", "meta_t1": "T1"})
    territorial = usuarios[R.TERRITORIAL]
    assert territorial.dependencia.codigo == "DT05"
    with pytest.raises(ImportacionRechazada, match="una Dirección Territorial carga solo sus metas"):
        S.importar(plan, contenido, mapeo, territorial)
    S.importar(plan, libro([["Código", "DT", "T1"], [actividad.codigo, "DT05", 3]]), mapeo, territorial)
    assert _metas(actividad) == {"DT05": (3, 4, 4, 4), "DT76": (6, 6, 6, 6)}


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL])
def test_los_demas_roles_no_cargan_metas_de_las_dt(plan, usuarios, rol):
    contenido = libro([["Código", "DT", "T1"], [plan.actividades[0].codigo, "DT05", 3]])
    with pytest.raises(ImportacionRechazada, match="Solo la OAP o una Dirección Territorial"):
        S.importar(plan, contenido, Mapeo("Sheet", 1, {"codigo": "Código", "direccion": "DT", "meta_t1": "T1"}),
                   usuarios[rol])


def test_un_plan_aprobado_no_cambia_sus_metas_territoriales(fabrica, plan, usuarios):
    fabrica.llevar_a(plan, EstadoPlan.APROBADO)
    contenido = libro([["Código", "DT", "T1"], [plan.actividades[0].codigo, "DT05", 3]])
    with pytest.raises(ImportacionRechazada):
        S.importar(plan, contenido, Mapeo("Sheet", 1, {"codigo": "Código", "direccion": "DT", "meta_t1": "T1"}),
                   usuarios[R.OAP])
    assert _metas(plan.actividades[0])["DT05"] == (4, 4, 4, 4)


# --- la página ----------------------------------------------------------------------------------------------------
def test_la_oap_trae_las_metas_de_las_dt_desde_la_ficha_del_plan(fabrica, plan, usuarios, navegador):
    actividad = plan.actividades[0]
    cliente = navegador(usuarios[R.OAP])
    assert "Traer metas de las DT de un libro propio" in cliente.get(
        f"/admin/planes_accion/ficha/?id={plan.id}").get_data(as_text=True)
    url = "/admin/planes_accion/metas_dt_libro/"
    contenido = libro([["Código", "Dirección Territorial", "T1", "T2", "T3", "T4"],
                       [actividad.codigo, "DT05", 3, 3, 3, 3], [actividad.codigo, "Valle", 7, 7, 7, 7],
                       ["Z9", "DT05", 1, 1, 1, 1]])
    subida = cliente.post(url, data={"id": plan.id, "archivo": (BytesIO(contenido), "metas dt.xlsx")},
                          content_type="multipart/form-data")
    assert subida.status_code == 302
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    previa = cliente.get(url, query_string={"id": plan.id, "libro": clave, "previa": 1}).get_data(as_text=True)
    assert "2 actividad(es) × Dirección con metas nuevas, 1 error(es)" in previa
    assert "Fila 4: la actividad Z9 no es una actividad territorial del plan." in previa
    # El formulario que importa lleva la escala elegida en la vista previa: se importa lo que se vio.
    con_escala = cliente.get(url, query_string={"id": plan.id, "libro": clave, "previa": 1, "elegidas": 1,
                                                "hoja": "Sheet", "fila": 1, "col_codigo": "Código",
                                                "col_direccion": "Dirección Territorial", "col_meta_t1": "T1",
                                                "escala_meta_t1": 100}).get_data(as_text=True)
    assert '<input type="hidden" name="escala_meta_t1" value="100">' in con_escala
    columnas = {"col_codigo": "Código", "col_direccion": "Dirección Territorial",
                **{f"col_meta_t{t}": f"T{t}" for t in (1, 2, 3, 4)}}
    rechazada = cliente.post(url, data={"id": plan.id, "libro": clave, "hoja": "Sheet", "fila": 1, "elegidas": 1,
                                        **columnas})
    assert rechazada.status_code == 302 and "previa=1" in rechazada.headers["Location"]
    assert _metas(actividad)["DT05"] == (4, 4, 4, 4)  # con un error, nada

    subida = cliente.post(url, data={"id": plan.id, "archivo": (BytesIO(libro([
        ["Código", "Dirección Territorial", "T1", "T2", "T3", "T4"], [actividad.codigo, "DT05", 3, 3, 3, 3],
        [actividad.codigo, "Valle", 7, 7, 7, 7]])), "metas dt.xlsx")}, content_type="multipart/form-data")
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    hecha = cliente.post(url, data={"id": plan.id, "libro": clave, "hoja": "Sheet", "fila": 1, "elegidas": 1,
                                    **columnas})
    assert hecha.status_code == 302 and "/ficha/" in hecha.headers["Location"]
    assert _metas(actividad) == {"DT05": (3, 3, 3, 3), "DT76": (7, 7, 7, 7)}


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.TERRITORIAL, R.CONTROL_INTERNO])
def test_la_pagina_es_solo_de_la_oap(plan, usuarios, navegador, rol):
    cliente = navegador(usuarios[rol])
    respuesta = cliente.get("/admin/planes_accion/metas_dt_libro/", query_string={"id": plan.id})
    assert respuesta.status_code == 403


@pytest.mark.parametrize("pedido", [{"fila": -3}, {"fila": 10**9}, {"hoja": "No existe"}, {"pagina": -1},
                                    {"col_codigo": "No es un título"}])
def test_lo_que_venga_en_la_direccion_no_da_un_500(plan, usuarios, navegador, pedido):
    cliente = navegador(usuarios[R.OAP])
    url = "/admin/planes_accion/metas_dt_libro/"
    contenido = libro([["Código", "DT", "T1"], [plan.actividades[0].codigo, "DT05", 3]])
    subida = cliente.post(url, data={"id": plan.id, "archivo": (BytesIO(contenido), "m.xlsx")},
                          content_type="multipart/form-data")
    clave = re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)
    respuesta = cliente.get(url, query_string={"id": plan.id, "libro": clave, "previa": 1, **pedido})
    assert respuesta.status_code in (200, 422)
    assert "Traer las metas de las Direcciones Territoriales" in respuesta.get_data(as_text=True)


# --- la página de la DT: sus metas, desde su propio libro --------------------------------------------------------
DT = "/admin/metaterritorial"


def _subir(cliente, plan, contenido) -> str:
    subida = cliente.post(f"{DT}/metas_dt_libro/", data={"id": plan.id, "archivo": (BytesIO(contenido), "mis metas.xlsx")},
                          content_type="multipart/form-data")
    assert subida.status_code == 302, subida.get_data(as_text=True)[:300]
    return re.search(r"libro=([^&]+)", subida.headers["Location"]).group(1)


def test_una_dt_trae_sus_metas_de_su_propio_libro(fabrica, plan, usuarios, navegador):
    actividad = plan.actividades[0]
    territorial = usuarios[R.TERRITORIAL]
    cliente = navegador(territorial)
    assert "Traer las metas de un libro propio" in cliente.texto(f"{DT}/")
    eleccion = cliente.texto(f"{DT}/libro_propio/?vigencia={plan.vigencia.anio}")
    assert str(plan) in eleccion and f"{DT}/metas_dt_libro/?id={plan.id}" in eleccion

    # Sus títulos, un trimestre por fila; una fila de otra DT detiene la carga y se dice en la vista previa.
    columnas = {"col_codigo": "Actividad", "col_direccion": "Regional", "col_trimestre": "Periodo",
                "col_meta": "Meta programada"}
    clave = _subir(cliente, plan, libro([["Actividad", "Regional", "Periodo", "Meta programada"],
                                         [actividad.codigo, "Antioquia", "T1", 7],
                                         [actividad.codigo, "Valle", "T1", 9]]))
    previa = cliente.texto(f"{DT}/metas_dt_libro/?id={plan.id}&libro={clave}&previa=1&elegidas=1&hoja=Sheet&fila=1&"
                           + "&".join(f"{k}={v}" for k, v in columnas.items()))
    assert "una Dirección Territorial carga solo sus metas" in previa
    assert _metas(actividad) == {"DT05": (4, 4, 4, 4), "DT76": (6, 6, 6, 6)}

    clave = _subir(cliente, plan, libro([["Actividad", "Regional", "Periodo", "Meta programada"],
                                         [actividad.codigo, "Antioquia", "T1", 7],
                                         [actividad.codigo, "Antioquia", "II trimestre", "1,5"]]))
    hecha = cliente.post(f"{DT}/metas_dt_libro/", data={"id": plan.id, "libro": clave, "hoja": "Sheet", "fila": 1,
                                                        "elegidas": 1, "nombre_mapeo": "Mi libro de metas",
                                                        **columnas})
    assert hecha.status_code == 302 and hecha.headers["Location"].endswith(f"{DT}/")
    assert "1 actividad(es) × Dirección con metas nuevas" in cliente.texto(hecha.headers["Location"])
    assert _metas(actividad) == {"DT05": (7, Decimal("1.5"), 4, 4), "DT76": (6, 6, 6, 6)}
    guardado = db.session.scalar(sa.select(MapeoColumnas).where(MapeoColumnas.nombre == "Mi libro de metas"))
    assert guardado.dependencia_id == territorial.dependencia_id  # de la DT, no de la dependencia del plan


def test_una_dt_no_abre_planes_que_no_le_asignaron_actividades(fabrica, plan, usuarios, navegador):
    ajeno = fabrica.plan_accion(dependencia=fabrica.mundo.central2, actividades=2)
    cliente = navegador(usuarios[R.TERRITORIAL])
    assert str(ajeno) not in cliente.texto(f"{DT}/libro_propio/?vigencia={plan.vigencia.anio}")
    assert cliente.get(f"{DT}/metas_dt_libro/", query_string={"id": ajeno.id}).status_code == 404
    assert cliente.get(f"{DT}/metas_dt_libro/", query_string={"id": "x"}).status_code == 404


def test_el_plan_ya_aprobado_dice_por_que_no_se_cargan_sus_metas(fabrica, plan, usuarios, navegador):
    fabrica.llevar_a(plan, EstadoPlan.APROBADO)
    db.session.commit()  # el navegador lee en su propia conexión (en PostgreSQL no ve lo que no se confirmó)
    cliente = navegador(usuarios[R.TERRITORIAL])
    eleccion = cliente.texto(f"{DT}/libro_propio/?vigencia={plan.vigencia.anio}")
    assert f"{DT}/metas_dt_libro/?id={plan.id}" not in eleccion and "no se puede modificar" in eleccion
    respuesta = cliente.get(f"{DT}/metas_dt_libro/", query_string={"id": plan.id}, follow_redirects=True)
    assert "no se puede modificar" in respuesta.get_data(as_text=True)


@pytest.mark.parametrize("rol", [R.OAP, R.DIRECTOR, R.CONTROL_INTERNO])
def test_la_pagina_de_la_dt_es_solo_de_las_dt(plan, usuarios, navegador, rol):
    cliente = navegador(usuarios[rol])
    assert cliente.get(f"{DT}/libro_propio/").status_code == 403
    assert cliente.get(f"{DT}/metas_dt_libro/", query_string={"id": plan.id}).status_code == 403
