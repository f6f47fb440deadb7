"""Quién entra a qué: cada rol contra cada vista registrada del panel, y nada más que eso."""
import pytest

from gestion.reglas import roles as R

P = {R.OAP, R.JEFE_OAP}
LECTORES = P | {R.CONTROL_INTERNO}
CATALOGO = LECTORES

# Lo que el procedimiento da a cada rol, vista por vista (lectura).
LECTURA_ESPERADA = {
    "planes_estrategicos": LECTORES | R.COMITES,
    "objetivo": LECTORES | R.COMITES | {R.ENTIDAD},
    "indicador": LECTORES | R.COMITES | {R.ENTIDAD},
    "planes_accion": LECTORES | {R.DIRECTOR, R.COMITE_INSTITUCIONAL},
    "actividad": LECTORES | {R.DIRECTOR, R.TERRITORIAL},
    "metaterritorial": LECTORES | {R.DIRECTOR, R.TERRITORIAL},
    "compromiso": LECTORES | {R.DIRECTOR},
    "etapacronograma": LECTORES | {R.DIRECTOR, R.TERRITORIAL, R.ENTIDAD},
    "reportetrimestral": LECTORES | R.CON_DEPENDENCIA | R.COMITES,
    "tablero": LECTORES | R.CON_DEPENDENCIA | R.COMITES,
    "avance": LECTORES | R.CON_DEPENDENCIA | R.COMITES,
    "ventanareporte": LECTORES,
    "calidad_reporte": LECTORES,
    "diagnosticotrimestral": LECTORES,
    "informeseguimiento": LECTORES,
    "accionderivada": LECTORES | R.CON_DEPENDENCIA | R.COMITES,
    "recordatorio": LECTORES, "correopendiente": LECTORES,
    "solicitudajuste": LECTORES | R.COMITES | {R.DIRECTOR},
    "dependencia": CATALOGO, "cuatrienio": CATALOGO, "vigencia": CATALOGO, "pndpacto": CATALOGO,
    "pndlinea": CATALOGO, "pndobjetivo": CATALOGO, "politicamipg": CATALOGO, "proyectoinversion": CATALOGO,
    "unidadmedida": CATALOGO, "instancia": CATALOGO, "umbralsemaforo": CATALOGO,
    "plancompras": CATALOGO,  # el plan de compras de la vigencia, para la publicación del art. 74
    "planinstitucional": CATALOGO,  # los 12 del Decreto 612 y los propios de la entidad
    # El inventario de planes vigentes: para el Comité Institucional de Gestión y Desempeño.
    "inventario_planes": LECTORES | {R.COMITE_INSTITUCIONAL},
    "usuario": {R.ADMINISTRADOR}, "rol": {R.ADMINISTRADOR},
    "registroauditoria": LECTORES, "historialestado": LECTORES,
    # Los trabajos largos: quien los pide (la OAP, quien carga libros de su dependencia) y Control Interno,
    # que puede descargar un informe grande.
    "trabajo": LECTORES | R.CON_DEPENDENCIA,
    # La verificación de Control Interno: la OAP y cada dependencia leen lo publicado (la suya).
    "verificacion_oci": LECTORES | R.CON_DEPENDENCIA,
}


def vistas_de_modelo(app):
    return [v for v in app.extensions["admin"][0]._views if v.endpoint != "admin"]


def test_la_tabla_cubre_cada_vista_registrada(app):
    registradas = {v.endpoint for v in vistas_de_modelo(app)}
    assert registradas == set(LECTURA_ESPERADA), "una vista nueva necesita su fila en LECTURA_ESPERADA"


def test_anonimo_va_al_ingreso_en_cada_vista(app, navegador):
    anonimo = navegador()
    for vista in vistas_de_modelo(app) + [app.extensions["admin"][0].index_view]:
        respuesta = anonimo.get(vista.url + "/")
        assert respuesta.status_code == 302, vista.endpoint
        assert "/login" in respuesta.headers["Location"], vista.endpoint


@pytest.mark.parametrize("rol", sorted(R.DESCRIPCIONES))
def test_cada_rol_entra_solo_a_sus_vistas(app, navegador, usuarios, rol):
    cliente = navegador(usuarios[rol])
    assert cliente.get("/admin/").status_code == 200
    errores = []
    for vista in vistas_de_modelo(app):
        esperado = 200 if rol in LECTURA_ESPERADA[vista.endpoint] else 403
        obtenido = cliente.get(vista.url + "/").status_code
        if obtenido != esperado:
            errores.append(f"{vista.endpoint}: esperado {esperado}, obtenido {obtenido}")
    assert errores == []


@pytest.mark.parametrize("rol", sorted(R.DESCRIPCIONES))
def test_el_menu_muestra_solo_lo_que_el_rol_puede_usar(app, navegador, usuarios, rol):
    html = navegador(usuarios[rol]).texto("/admin/")
    for vista in vistas_de_modelo(app):
        enlace = f'href="{vista.url}/"'
        assert (enlace in html) == (rol in LECTURA_ESPERADA[vista.endpoint]), vista.endpoint


def test_el_menu_cambia_en_la_siguiente_pagina_cuando_cambian_los_roles(app, navegador, fabrica):
    """El menú de cada juego de roles se arma una vez por proceso: quien cambia de rol ve el de su rol nuevo."""
    from gestion.base.extensiones import datastore
    from modelos import db

    usuario = fabrica.usuario(R.DIRECTOR, fabrica.dependencia("9701"))
    cliente = navegador(usuario)
    assert 'href="/admin/compromiso/"' in cliente.texto("/admin/")
    assert 'href="/admin/ventanareporte/"' not in cliente.texto("/admin/")
    datastore.remove_role_from_user(usuario, R.DIRECTOR)
    datastore.add_role_to_user(usuario, R.OAP)
    db.session.commit()
    html = cliente.texto("/admin/")
    assert 'href="/admin/ventanareporte/"' in html and 'href="/admin/usuario/"' not in html


def test_control_interno_no_puede_enviar_nada(app, navegador, usuarios):
    cliente = navegador(usuarios[R.CONTROL_INTERNO])
    errores = []
    for vista in vistas_de_modelo(app):
        for ruta, datos in (("/new/", {"nombre": "x"}), ("/edit/?id=1", {"nombre": "x"}),
                            ("/delete/", {"id": "1"}), ("/action/", {"action": "delete", "rowid": "1"})):
            codigo = cliente.post(vista.url + ruta, data=datos).status_code
            if codigo != 403:
                errores.append(f"{vista.endpoint}{ruta}: {codigo}")
    assert errores == []


def test_pagina_403_en_espanol(navegador, usuarios):
    respuesta = navegador(usuarios[R.DIRECTOR]).get("/admin/usuario/")
    assert respuesta.status_code == 403
    assert "Acceso denegado" in respuesta.get_data(as_text=True)
    # No culpa al rol cuando la razón puede ser el estado del plan.
    assert "Su rol no permite" not in respuesta.get_data(as_text=True)
    assert "ya no esté en un estado que lo admita" in respuesta.get_data(as_text=True)


def test_control_interno_solo_envia_su_verificacion(app, navegador, usuarios):
    """Todas las rutas POST del panel, derivadas de la app (también las de flujo y las páginas propias): Control
    Interno recibe 403 en cada una, salvo en la sección que es suya, su verificación (Circular 04 de 2005)."""
    cliente = navegador(usuarios[R.CONTROL_INTERNO])
    rutas = [regla for regla in app.url_map.iter_rules()
             if regla.rule.startswith("/admin/") and "POST" in regla.methods]
    assert len(rutas) > 40
    propias, errores = [], []
    for regla in rutas:
        url = regla.rule
        for argumento in regla.arguments:
            url = url.replace(f"<int:{argumento}>", "1").replace(f"<{argumento}>", "1")
        codigo = cliente.post(url + ("?id=1" if "?" not in url else ""), data={"id": "1"}).status_code
        if regla.endpoint.startswith("verificacion_oci."):
            propias.append(regla.endpoint)
        elif codigo != 403:
            errores.append(f"{url}: {codigo}")
    assert errores == []
    assert {"verificacion_oci.cuadro", "verificacion_oci.publicar", "verificacion_oci.evaluacion"} <= set(propias)
