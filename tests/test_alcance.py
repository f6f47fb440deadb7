"""Un director, una Dirección Territorial o una entidad ven y tocan solo las filas de su dependencia:
en la lista, el detalle, la edición, el borrado, la exportación y las listas desplegables."""
import pytest
import sqlalchemy as sa

from gestion.reglas import alcance
from gestion.reglas import roles as R
from modelos import Actividad, MetaTerritorial, Plan, db


@pytest.fixture
def planes(fabrica, usuarios):
    m = fabrica.mundo
    propio = fabrica.plan_accion(m.central)
    ajeno = fabrica.plan_accion(m.central2)
    return propio, ajeno


def test_director_lista_y_exporta_solo_planes_de_su_dependencia(navegador, usuarios, planes):
    propio, ajeno = planes
    director = navegador(usuarios[R.DIRECTOR])
    lista = director.texto("/admin/planes_accion/")
    assert propio.dependencia.nombre in lista and ajeno.dependencia.nombre not in lista
    exportado = director.texto("/admin/planes_accion/export/csv/")
    assert propio.dependencia.nombre in exportado and ajeno.dependencia.nombre not in exportado


def test_director_no_abre_plan_ajeno_por_url(navegador, usuarios, planes):
    propio, ajeno = planes
    director = navegador(usuarios[R.DIRECTOR])
    assert director.get(f"/admin/planes_accion/details/?id={propio.id}").status_code == 200
    assert director.get(f"/admin/planes_accion/details/?id={ajeno.id}").status_code == 404
    # El plan lo crea y edita la OAP; el director trabaja en sus actividades.
    assert director.get(f"/admin/planes_accion/edit/?id={propio.id}").status_code == 403
    assert director.post("/admin/planes_accion/delete/", data={"id": ajeno.id}).status_code == 403


@pytest.mark.parametrize("ruta", ["details/?id={}", "edit/?id={}"])
def test_director_no_abre_actividad_ajena_por_url(navegador, usuarios, planes, ruta):
    propio, ajeno = planes
    director = navegador(usuarios[R.DIRECTOR])
    assert director.get("/admin/actividad/" + ruta.format(propio.actividades[0].id)).status_code == 200
    assert director.get("/admin/actividad/" + ruta.format(ajeno.actividades[0].id)).status_code == 404


def test_director_no_borra_ni_edita_actividad_ajena(navegador, usuarios, planes):
    _, ajeno = planes
    actividad = ajeno.actividades[0]
    director = navegador(usuarios[R.DIRECTOR])
    assert director.post("/admin/actividad/delete/", data={"id": actividad.id}).status_code == 404
    respuesta = director.post(f"/admin/actividad/edit/?id={actividad.id}", data={"descripcion": "Tomada"})
    assert respuesta.status_code == 404
    db.session.expire_all()
    assert db.session.get(Actividad, actividad.id).descripcion.startswith("Actividad 1")


def test_la_lista_de_planes_del_formulario_solo_ofrece_los_propios(navegador, usuarios, planes):
    propio, ajeno = planes
    html = navegador(usuarios[R.DIRECTOR]).texto("/admin/actividad/new/")
    assert propio.nombre in html and ajeno.nombre not in html


def test_director_no_crea_actividad_en_plan_ajeno_ni_enviando_el_id(navegador, usuarios, planes, fabrica):
    _, ajeno = planes
    antes = db.session.scalar(sa.select(sa.func.count(Actividad.id)))
    navegador(usuarios[R.DIRECTOR]).post("/admin/actividad/new/", data={
        "plan": ajeno.id, "codigo": "X9", "descripcion": "Intrusa", "objetivo": fabrica.mundo.objetivo_pei.id,
        "meta_anual": "1", "meta_t1": "1", "meta_t2": "0", "meta_t3": "0", "meta_t4": "0", "peso": "1",
        "presupuesto": "0"})
    assert db.session.scalar(sa.select(sa.func.count(Actividad.id))) == antes


def test_territorial_ve_y_edita_solo_sus_metas(navegador, usuarios, planes, fabrica):
    propio, _ = planes
    m = fabrica.mundo
    fabrica.actividad_territorial(propio, {m.territorial: (1, 2, 3, 4), m.territorial2: (5, 5, 5, 5)})
    metas = {meta.dependencia_id: meta for meta in db.session.scalars(sa.select(MetaTerritorial))}
    dt = navegador(usuarios[R.TERRITORIAL])
    lista = dt.texto("/admin/metaterritorial/")
    assert m.territorial.nombre in lista and m.territorial2.nombre not in lista
    ajena = metas[m.territorial2.id]
    assert dt.get(f"/admin/metaterritorial/edit/?id={ajena.id}").status_code == 404

    propia = metas[m.territorial.id]
    respuesta = dt.post(f"/admin/metaterritorial/edit/?id={propia.id}", data={
        "meta_t1": "7", "meta_t2": "2", "meta_t3": "3", "meta_t4": "4", "version_formulario": propia.version})
    assert respuesta.status_code == 302
    db.session.expire_all()
    assert db.session.get(MetaTerritorial, propia.id).meta_t1 == 7
    assert db.session.get(MetaTerritorial, ajena.id).meta_t1 == 5


def test_territorial_ve_la_actividad_que_le_asignaron_y_no_las_demas(usuarios, planes, fabrica):
    propio, ajeno = planes
    actividad = fabrica.actividad_territorial(propio, {fabrica.mundo.territorial: (1, 1, 1, 1)})
    visibles = alcance.limitar(db.session.query(Actividad), Actividad, usuarios[R.TERRITORIAL]).all()
    assert visibles == [actividad]


@pytest.mark.parametrize("rol", sorted(R.CON_DEPENDENCIA))
def test_usuario_limitado_sin_dependencia_no_ve_nada(fabrica, planes, rol):
    huerfano = fabrica.usuario(rol, dependencia=None)
    for modelo in (Plan, Actividad, MetaTerritorial):
        assert alcance.limitar(db.session.query(modelo), modelo, huerfano).count() == 0


def test_un_modelo_sin_regla_no_muestra_filas_a_usuarios_limitados(fabrica, usuarios, planes):
    from modelos import Usuario
    assert alcance.limitar(db.session.query(Usuario), Usuario, usuarios[R.DIRECTOR]).count() == 0
    assert alcance.limitar(db.session.query(Usuario), Usuario, usuarios[R.OAP]).count() > 0


def test_borrado_masivo_solo_alcanza_filas_propias(navegador, usuarios, planes):
    propio, ajeno = planes
    director = navegador(usuarios[R.DIRECTOR])
    ids = [a.id for a in propio.actividades[:1] + ajeno.actividades[:1]]
    respuesta = director.post("/admin/actividad/action/", data={"action": "delete", "rowid": ids})
    assert respuesta.status_code == 302
    db.session.expire_all()
    assert db.session.get(Actividad, ids[0]) is None
    assert db.session.get(Actividad, ids[1]) is not None
