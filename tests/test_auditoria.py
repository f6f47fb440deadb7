"""La auditoría no tiene huecos: cada clase de operación deja su evento (quién, cuándo, qué fila, antes →
después, desde qué dirección), OAP y Control Interno la leen con filtros y la exportan, y nadie la cambia."""
import csv
import re
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base.auditoria import CLAVE_CAMBIADA
from gestion.reglas import roles as R
from modelos import (
    Actividad,
    CorreoPendiente,
    Dependencia,
    EstadoPlan,
    Objetivo,
    PoliticaMipg,
    RegistroAuditoria,
    Rol,
    UnidadMedida,
    db,
)

from .fabricas import CONTRASENA
from .test_consultas import _sentencias


def _eventos(tabla: str, accion: str | None = None, objeto_id=None) -> list[RegistroAuditoria]:
    consulta = sa.select(RegistroAuditoria).where(RegistroAuditoria.tabla == tabla)
    if accion:
        consulta = consulta.where(RegistroAuditoria.accion == accion)
    if objeto_id is not None:
        consulta = consulta.where(RegistroAuditoria.objeto_id == str(objeto_id))
    return list(db.session.scalars(consulta.order_by(RegistroAuditoria.id)))


def test_crear_dice_que_fila_se_creo_quien_y_desde_donde(navegador, usuarios, fabrica):
    assert fabrica.mundo
    navegador(usuarios[R.OAP]).post("/admin/dependencia/new/", data={
        "codigo": "7777", "nombre": "Auditada", "tipo": "central"})
    nueva = db.session.scalar(sa.select(Dependencia).filter_by(codigo="7777"))
    [evento] = _eventos("dependencia", "crear", nueva.id)
    assert evento.usuario_email == usuarios[R.OAP].email and evento.direccion == "127.0.0.1"
    assert evento.cambios["nombre"] == "Auditada"


def test_editar_y_borrar_guardan_el_antes_y_el_despues(navegador, usuarios, fabrica):
    unidad = fabrica.mundo.unidad
    oap = navegador(usuarios[R.OAP])
    oap.post(f"/admin/unidadmedida/edit/?id={unidad.id}", data={
        "codigo": unidad.codigo, "nombre": "Número de personas", "version_formulario": unidad.version})
    [edicion] = _eventos("unidad_medida", "editar", unidad.id)
    assert edicion.cambios["nombre"] == ["Número", "Número de personas"]
    sobrante = UnidadMedida(codigo="SOB", nombre="Sobrante")
    db.session.add(sobrante)
    db.session.commit()
    oap.post("/admin/unidadmedida/delete/", data={"id": sobrante.id})
    [borrado] = _eventos("unidad_medida", "eliminar", sobrante.id)
    assert borrado.cambios["codigo"] == "SOB"


def _editar_usuario(administrador, usuario, **cambios):
    db.session.refresh(usuario)
    datos = {"email": usuario.email, "nombre": usuario.nombre, "roles": [r.id for r in usuario.roles],
             "dependencia": usuario.dependencia_id or "", "active": "y", "version_formulario": usuario.version}
    return administrador.post(f"/admin/usuario/edit/?id={usuario.id}", data={**datos, **cambios})


def test_dar_un_rol_sin_tocar_nada_mas_queda_en_la_auditoria(navegador, usuarios):
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    director = usuarios[R.DIRECTOR]
    oap = db.session.scalar(sa.select(Rol).filter_by(name=R.OAP))
    antes = len(_eventos("usuario", "editar", director.id))
    assert _editar_usuario(administrador, director, roles=[r.id for r in director.roles] + [oap.id]).status_code == 302
    evento = _eventos("usuario", "editar", director.id)[antes]
    roles_antes, roles_despues = evento.cambios["roles"]
    assert str(oap) not in roles_antes and str(oap) in roles_despues
    assert evento.usuario_email == usuarios[R.ADMINISTRADOR].email


def test_el_cambio_de_contrasena_por_el_administrador_queda_sin_la_contrasena(navegador, usuarios):
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    director = usuarios[R.DIRECTOR]
    antes = len(_eventos("usuario", "editar", director.id))
    nueva = "siete gatos leen de noche"
    assert _editar_usuario(administrador, director, clave_nueva=nueva).status_code == 302
    evento = _eventos("usuario", "editar", director.id)[antes]
    assert evento.cambios["password"] == CLAVE_CAMBIADA
    assert nueva not in str(evento.cambios) and CONTRASENA not in str(evento.cambios)


def test_cambiar_las_alineaciones_de_un_objetivo_queda_en_la_auditoria(navegador, usuarios, fabrica):
    objetivo = fabrica.mundo.pes.objetivos[0]
    otra = PoliticaMipg(codigo="P02", nombre="Gestión presupuestal", dimension="Gestión con valores")
    db.session.add(otra)
    db.session.commit()
    indicador = objetivo.indicadores[0]
    respuesta = navegador(usuarios[R.OAP]).post(f"/admin/objetivo/edit/?id={objetivo.id}", data={
        "plan": objetivo.plan_id, "codigo": objetivo.codigo, "nombre": objetivo.nombre,
        "objetivos_pnd": [o.id for o in objetivo.objetivos_pnd], "politicas_mipg": [otra.id],
        "indicadores-0-id": indicador.id, "indicadores-0-codigo": indicador.codigo,
        "indicadores-0-nombre": indicador.nombre, "version_formulario": objetivo.version})
    assert respuesta.status_code == 302
    [evento] = _eventos("objetivo", "editar", objetivo.id)
    assert evento.cambios["politicas_mipg"] == [["Planeación Institucional"], ["Gestión presupuestal"]]
    db.session.expire_all()
    assert [p.codigo for p in db.session.get(Objetivo, objetivo.id).politicas_mipg] == ["P02"]


def test_una_transicion_deja_el_estado_de_antes_y_el_de_despues(navegador, usuarios, fabrica):
    plan = fabrica.plan_accion()
    navegador(usuarios[R.DIRECTOR]).post("/admin/planes_accion/enviar/", data={"id": plan.id})
    db.session.expire_all()
    assert plan.estado is EstadoPlan.ENVIADO
    [evento] = [e for e in _eventos("plan", "editar", plan.id) if "estado" in e.cambios]
    assert evento.cambios["estado"] == ["borrador", "enviado"]
    assert evento.usuario_email == usuarios[R.DIRECTOR].email


def test_importar_un_libro_deja_su_evento_con_el_archivo_y_las_filas(navegador, usuarios, fabrica):
    plan = fabrica.plan_accion()
    director = navegador(usuarios[R.DIRECTOR])
    plantilla = director.get(f"/admin/planes_accion/plantilla_actividades/?id={plan.id}").data
    respuesta = director.post("/admin/planes_accion/cargar_actividades/", data={
        "id": plan.id, "archivo": (BytesIO(plantilla), "actividades.xlsx")})
    assert respuesta.status_code == 302
    [evento] = _eventos("planes_accion.cargar_actividades", "importar", plan.id)
    assert evento.cambios == {"archivo": "actividades.xlsx", "resultado": f"2 actividades cargadas desde Excel en «{plan}»."}


def _modificar(plantilla: bytes, cambiar) -> bytes:
    """La plantilla descargada, editada en su sitio (conserva formatos, como haría Excel)."""
    libro = load_workbook(BytesIO(plantilla))
    cambiar(libro["Actividades"])
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def test_un_cargue_deja_el_alta_el_cambio_y_el_borrado_de_cada_actividad_y_repetirlo_no_deja_nada(
        navegador, usuarios, fabrica):
    plan = fabrica.plan_accion(actividades=3)
    ids = {a.codigo: a.id for a in plan.actividades}
    director = navegador(usuarios[R.DIRECTOR])

    def cambiar(hoja):  # A1 cambia, A2 sigue igual, A3 pasa a ser A7 (A3 se borra, A7 nace) y nace A8
        hoja["B2"] = "Descripción cambiada en el libro"
        hoja["A4"], hoja["B4"] = "A7", "Nueva 7"
        for columna in range(1, hoja.max_column + 1):
            hoja.cell(5, columna).value = hoja.cell(3, columna).value
            hoja.cell(5, columna).number_format = hoja.cell(3, columna).number_format
        hoja["A5"], hoja["B5"] = "A8", "Nueva 8"
    contenido = _modificar(director.get(f"/admin/planes_accion/plantilla_actividades/?id={plan.id}").data, cambiar)

    def subir():
        respuesta = director.post("/admin/planes_accion/cargar_actividades/", data={
            "id": plan.id, "archivo": (BytesIO(contenido), "actividades.xlsx")})
        marca = re.search(r'name="confirmacion" value="([^"]+)"', respuesta.get_data(as_text=True))
        if marca:  # A3 no viene: se confirma su borrado
            respuesta = director.post("/admin/planes_accion/cargar_actividades/",
                                      data={"id": plan.id, "confirmacion": marca.group(1)})
        assert respuesta.status_code == 302

    desde = db.session.scalar(sa.select(sa.func.max(RegistroAuditoria.id)))
    subir()
    ediciones = [e for e in _eventos("actividad", "editar") if e.id > desde]
    [edicion] = ediciones
    assert (edicion.objeto_id, edicion.cambios["descripcion"][1]) == (str(ids["A1"]), "Descripción cambiada en el libro")
    assert set(edicion.cambios) == {"descripcion"}
    [borrado] = [e for e in _eventos("actividad", "eliminar") if e.id > desde]
    assert (borrado.objeto_id, borrado.cambios["codigo"]) == (str(ids["A3"]), "A3")
    assert borrado.usuario_email == usuarios[R.DIRECTOR].email and borrado.direccion == "127.0.0.1"
    altas = [e for e in _eventos("actividad", "crear") if e.id > desde]
    db.session.expire_all()
    nuevas = {a.codigo: a for a in db.session.scalars(sa.select(Actividad).filter_by(plan_id=plan.id))}
    assert {(e.objeto_id, e.cambios["codigo"], e.cambios["descripcion"]) for e in altas} == {
        (str(nuevas["A7"].id), "A7", "Nueva 7"), (str(nuevas["A8"].id), "A8", "Nueva 8")}
    alta = next(e for e in altas if e.cambios["codigo"] == "A7")
    # La cifra tal como llegó («40»); la base la devuelve con los seis decimales de su columna (40,000000).
    assert alta.cambios["plan_id"] == plan.id and Decimal(alta.cambios["meta_anual"]) == nuevas["A7"].meta_anual
    assert alta.usuario_email == usuarios[R.DIRECTOR].email and alta.direccion == "127.0.0.1"

    antes = db.session.scalar(sa.select(sa.func.count()).select_from(RegistroAuditoria)
                              .where(RegistroAuditoria.tabla == "actividad"))
    subir()  # el mismo libro otra vez: nada cambió, nada se escribe (salvo el evento de la importación)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegistroAuditoria)
                             .where(RegistroAuditoria.tabla == "actividad")) == antes
    assert len(_eventos("planes_accion.cargar_actividades", "importar", plan.id)) == 2


@pytest.mark.parametrize("rol", [R.OAP, R.CONTROL_INTERNO])
def test_oap_y_control_interno_leen_filtran_y_exportan_la_auditoria(navegador, usuarios, rol):
    cliente = navegador(usuarios[rol])
    html = cliente.texto("/admin/registroauditoria/?flt0_tabla_equals=usuario")
    de_usuario, de_dependencia = _eventos("usuario")[0], _eventos("dependencia")[0]
    assert f"/admin/registroauditoria/details/?id={de_usuario.id}" in html
    assert f"/admin/registroauditoria/details/?id={de_dependencia.id}&" not in html
    exportado = cliente.get("/admin/registroauditoria/export/csv/?flt0_tabla_equals=usuario")
    assert exportado.status_code == 200
    # El CSV va como lo abre Excel en Colombia: BOM y punto y coma.
    filas = list(csv.DictReader(StringIO(exportado.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert filas and {f["Tabla"] for f in filas} == {"Usuario"}


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.ADMINISTRADOR, R.COMITE_SECTORIAL])
def test_los_demas_roles_no_leen_la_auditoria(navegador, usuarios, rol):
    assert navegador(usuarios[rol]).get("/admin/registroauditoria/").status_code == 403


def test_en_postgresql_ni_siquiera_el_sql_directo_cambia_o_borra_la_auditoria(fabrica):
    assert fabrica.mundo
    if db.engine.dialect.name != "postgresql":
        pytest.skip("el disparador es de PostgreSQL; en SQLite lo impide el ORM (test_seguridad)")
    for orden in ("UPDATE registro_auditoria SET accion = 'maquillado'", "DELETE FROM registro_auditoria"):
        with pytest.raises(sa.exc.DatabaseError, match="no se modifica ni se borra"):
            with db.engine.begin() as conexion:
                conexion.execute(sa.text(orden))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RegistroAuditoria)) > 0


def test_un_correo_pendiente_queda_por_su_tamano_y_la_lista_no_lee_los_cambios_de_lo_que_existe(
        navegador, usuarios, fabrica):
    """El .eml de un correo pendiente (con el informe adjunto pesa megas) no se copia al registro, y la lista del
    registro no lee los cambios de las filas que aún existen: los 3,5 MB de cada alta hacían de la lista la página
    más lenta bajo carga. Los de una fila borrada sí, en una consulta: de ellos sale el nombre que tenía."""
    assert fabrica.mundo
    correo = CorreoPendiente(asunto="Informe de seguimiento a planes", destinatarios="ci@prueba.gov.co",
                             remitente="oap@prueba.gov.co", mensaje=b"x" * 2_000_000)
    sobrante = UnidadMedida(codigo="SOB", nombre="Sobrante")
    db.session.add_all([correo, sobrante])
    db.session.commit()
    [alta] = _eventos("correo_pendiente", "crear", correo.id)
    assert alta.cambios["mensaje"] == "(2.000.000 bytes)" and alta.cambios["asunto"] == "Informe de seguimiento a planes"
    oap = navegador(usuarios[R.OAP])
    oap.post("/admin/unidadmedida/delete/", data={"id": sobrante.id})

    sentencias = _sentencias(oap, "/admin/registroauditoria/")
    assert not [s for s in sentencias if "correo_pendiente.mensaje" in s]
    [con_cambios] = [s for s in sentencias if "registro_auditoria.cambios" in s]
    assert "registro_auditoria.id IN" in con_cambios  # solo los de las filas borradas
    texto = oap.texto("/admin/registroauditoria/")
    assert "Informe de seguimiento a planes" in texto and "SOB (ya no existe)" in texto
