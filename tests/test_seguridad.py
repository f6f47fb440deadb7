"""Ingreso en español, sesiones que caen al desactivar, CSRF en todo POST, estados y versiones
que ningún formulario cambia, el segundo editor que no pisa al primero y la auditoría."""
import pytest
import sqlalchemy as sa

from gestion.base.auditoria import RegistroInmutable
from gestion.base.errores import MENSAJE_CONFLICTO
from gestion.reglas import roles as R
from modelos import Dependencia, EstadoPlan, Plan, RegistroAuditoria, Usuario, db


def test_pagina_de_ingreso_en_espanol(navegador):
    html = navegador().texto("/login")
    for texto in ("Iniciar sesión", "Correo electrónico", "Contraseña", "Ingresar"):
        assert texto in html


def test_clave_errada_muestra_error_en_espanol_y_no_entra(navegador, usuarios):
    cliente = navegador()
    respuesta = cliente.post("/login", data={"email": usuarios[R.OAP].email, "password": "equivocada"})
    assert respuesta.status_code == 200
    html = respuesta.get_data(as_text=True)
    assert "inválid" in html.lower() or "incorrect" not in html.lower()
    assert "Invalid" not in html
    assert cliente.get("/admin/").status_code == 302


def test_usuario_desactivado_pierde_el_acceso_de_inmediato(navegador, usuarios):
    director = navegador(usuarios[R.DIRECTOR])
    assert director.get("/admin/").status_code == 200
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    objetivo = usuarios[R.DIRECTOR]
    db.session.refresh(objetivo)  # su ingreso cambió la versión que el administrador lee
    respuesta = administrador.post(f"/admin/usuario/edit/?id={objetivo.id}", data={
        "email": objetivo.email, "nombre": objetivo.nombre, "roles": [r.id for r in objetivo.roles],
        "dependencia": objetivo.dependencia_id, "version_formulario": objetivo.version})  # sin "active": desmarcada
    assert respuesta.status_code == 302
    db.session.expire_all()
    assert db.session.get(Usuario, objetivo.id).active is False
    respuesta = director.get("/admin/")
    assert respuesta.status_code == 302 and "/login" in respuesta.headers["Location"]


def test_director_necesita_dependencia(navegador, usuarios):
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    director_rol = next(r for r in usuarios[R.DIRECTOR].roles)
    html = administrador.post("/admin/usuario/new/", data={
        "email": "nuevo@prueba.gov.co", "nombre": "Sin dependencia", "roles": [director_rol.id],
        "active": "y", "clave_nueva": "una-clave-larga"}).get_data(as_text=True)
    assert "debe tener dependencia" in html
    assert db.session.scalar(sa.select(Usuario).filter_by(email="nuevo@prueba.gov.co")) is None


@pytest.mark.parametrize("ruta,datos", [
    ("/admin/dependencia/new/", {"codigo": "9999", "nombre": "Sin token", "tipo": "central"}),
    ("/admin/dependencia/delete/", {"id": "1"}),
    ("/admin/dependencia/action/", {"action": "delete", "rowid": "1"}),
])
def test_post_sin_token_csrf_se_rechaza(navegador, usuarios, ruta, datos):
    oap = navegador(usuarios[R.OAP])
    antes = db.session.scalar(sa.select(sa.func.count(Dependencia.id)))
    respuesta = oap.post(ruta, data=datos, csrf=False)
    assert respuesta.status_code == 400
    assert "token" in respuesta.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Dependencia.id))) == antes


def test_oap_crea_una_dependencia_con_token(navegador, usuarios):
    respuesta = navegador(usuarios[R.OAP]).post("/admin/dependencia/new/", data={
        "codigo": "9999", "nombre": "Dirección nueva", "tipo": "central", "activa": "y"})
    assert respuesta.status_code == 302
    assert db.session.scalar(sa.select(Dependencia).filter_by(codigo="9999")).nombre == "Dirección nueva"


def test_codigo_repetido_da_mensaje_claro_y_no_guarda(navegador, usuarios, fabrica):
    existente = fabrica.mundo.central
    html = navegador(usuarios[R.OAP]).post("/admin/dependencia/new/", data={
        "codigo": existente.codigo, "nombre": "Duplicada", "tipo": "central"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Ya existe" in html
    assert db.session.scalar(sa.select(sa.func.count()).where(Dependencia.nombre == "Duplicada")) == 0


def test_enviar_estado_o_version_en_el_formulario_no_cambia_nada(navegador, usuarios, fabrica):
    plan = fabrica.plan_accion()
    version = plan.version
    respuesta = navegador(usuarios[R.OAP]).post(f"/admin/planes_accion/edit/?id={plan.id}", data={
        "tipo": "pa", "nombre": "Nombre corregido", "vigencia": plan.vigencia_id,
        "dependencia": plan.dependencia_id, "estado": "aprobado", "version": "99",
        "aprobado_por": usuarios[R.OAP].id, "version_formulario": version})
    assert respuesta.status_code == 302
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    assert plan.nombre == "Nombre corregido"
    assert plan.estado is EstadoPlan.BORRADOR
    assert plan.aprobado_por_id is None
    assert plan.version == version + 1


def test_el_segundo_editor_no_pisa_al_primero(navegador, usuarios, fabrica):
    plan = fabrica.plan_accion()
    leida = plan.version
    datos = {"tipo": "pa", "vigencia": plan.vigencia_id, "dependencia": plan.dependencia_id,
             "version_formulario": leida}
    primera = navegador(usuarios[R.OAP])
    segunda = navegador(usuarios[R.JEFE_OAP])
    assert primera.post(f"/admin/planes_accion/edit/?id={plan.id}", data={**datos, "nombre": "Primera"}
                        ).status_code == 302
    html = segunda.post(f"/admin/planes_accion/edit/?id={plan.id}", data={**datos, "nombre": "Segunda"},
                        follow_redirects=True).get_data(as_text=True)
    assert MENSAJE_CONFLICTO.split(":")[0] in html
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).nombre == "Primera"


def test_cada_cambio_queda_en_la_auditoria_con_su_autor(navegador, usuarios):
    navegador(usuarios[R.OAP]).post("/admin/dependencia/new/", data={
        "codigo": "7777", "nombre": "Auditada", "tipo": "central"})
    registro = db.session.scalars(sa.select(RegistroAuditoria).where(
        RegistroAuditoria.tabla == "dependencia", RegistroAuditoria.accion == "crear")
        .order_by(RegistroAuditoria.id.desc())).first()
    assert registro.usuario_email == usuarios[R.OAP].email
    assert registro.cambios["codigo"] == "7777"


def test_la_auditoria_no_se_modifica_ni_se_borra(fabrica):
    assert fabrica.mundo  # genera registros
    registro = db.session.scalars(sa.select(RegistroAuditoria)).first()
    registro.accion = "maquillado"
    with pytest.raises(RegistroInmutable):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(sa.select(RegistroAuditoria)).first())
    with pytest.raises(RegistroInmutable):
        db.session.flush()
    db.session.rollback()


def test_las_claves_no_quedan_en_la_auditoria(usuarios):
    registros = db.session.scalars(sa.select(RegistroAuditoria).where(RegistroAuditoria.tabla == "usuario")).all()
    assert registros and all("password" not in (r.cambios or {}) for r in registros)


def test_oap_borra_varias_filas_de_un_catalogo_en_bloque(navegador, usuarios):
    from modelos import UnidadMedida
    unidades = [UnidadMedida(codigo=c, nombre=f"Unidad {c}") for c in ("U1", "U2", "U3")]
    db.session.add_all(unidades)
    db.session.commit()
    ids = [u.id for u in unidades[:2]]
    respuesta = navegador(usuarios[R.OAP]).post("/admin/unidadmedida/action/", data={"action": "delete", "rowid": ids})
    assert respuesta.status_code == 302
    restantes = set(db.session.scalars(sa.select(UnidadMedida.codigo)))
    assert "U3" in restantes and not restantes & {"U1", "U2"}


def test_el_filtro_de_estado_muestra_etiquetas_y_filtra(navegador, usuarios, fabrica):
    borrador = fabrica.plan_accion(fabrica.mundo.central)
    enviado = fabrica.plan_accion(fabrica.mundo.central2, estado=EstadoPlan.ENVIADO)
    oap = navegador(usuarios[R.OAP])
    html = oap.texto("/admin/planes_accion/?flt0_estado_equals=ENVIADO")
    assert "Enviado a la OAP" in html
    assert enviado.dependencia.nombre in html and borrador.dependencia.nombre not in html


def test_la_lista_no_ofrece_editar_ni_borrar_lo_que_el_estado_no_deja_tocar(navegador, usuarios, fabrica):
    plan = fabrica.plan_accion(fabrica.mundo.central)
    actividad = plan.actividades[0]
    director = navegador(usuarios[R.DIRECTOR])
    html = director.texto("/admin/actividad/")
    assert f"/admin/actividad/edit/?id={actividad.id}" in html and 'action="/admin/actividad/delete/"' in html
    fabrica.llevar_a(plan, EstadoPlan.ENVIADO)
    db.session.commit()
    html = director.texto("/admin/actividad/")
    assert f"/admin/actividad/edit/?id={actividad.id}" not in html and 'action="/admin/actividad/delete/"' not in html
    assert f"/admin/actividad/details/?id={actividad.id}" in html
