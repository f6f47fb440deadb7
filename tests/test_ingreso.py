"""El ingreso protege sin dejar por fuera a una oficina; las sesiones caen cuando deben; cada respuesta
lleva las cabeceras de un sistema del Estado y cada error una página en español con salida."""
import re
import time
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
import sqlalchemy as sa

from gestion.base.config import Config, ConfigPruebas
from gestion.fabrica import crear_app
from gestion.reglas import roles as R
from modelos import ClaveAnterior, RegistroAuditoria, Usuario, db

from .fabricas import CONTRASENA

MENSAJE_GENERICO = "Correo o contraseña no válidos"


@pytest.fixture
def limitador(app, monkeypatch):
    """Los límites de producción (la configuración de pruebas los sube para que la suite no choque con
    ellos), con el conteo en cero."""
    for clave in ("GESTION_LIMITE_LOGIN", "GESTION_LIMITE_FALLOS_LOGIN"):
        monkeypatch.setitem(app.config, clave, getattr(Config, clave))
    limitador = app.extensions["gestion_limitador"]
    limitador.reset()
    yield limitador
    limitador.reset()


def _ingresar(cliente, email, clave=CONTRASENA, **extra):
    return cliente.post("/login", data={"email": email, "password": clave, **extra})


def _mensajes(respuesta) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip()
            for m in re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', respuesta.get_data(as_text=True), re.S)]


def test_doce_colegas_detras_del_mismo_proxy_entran_en_el_mismo_minuto(navegador, fabrica, limitador):
    oficina = fabrica.mundo.central
    colegas = [fabrica.usuario(R.DIRECTOR, oficina) for _ in range(12)]
    for colega in colegas:
        assert _ingresar(navegador(), colega.email).status_code == 302, colega.email


def test_los_fallos_desde_una_direccion_se_frenan_con_429_en_espanol(app, navegador, usuarios, limitador,
                                                                     monkeypatch):
    monkeypatch.setitem(app.config, "GESTION_LIMITE_FALLOS_LOGIN", "3 per 10 minutes")
    cliente = navegador()
    for intento in range(3):
        assert _ingresar(cliente, f"nadie{intento}@prueba.gov.co", "equivocada").status_code == 200
    respuesta = _ingresar(cliente, usuarios[R.OAP].email)
    assert respuesta.status_code == 429
    html = respuesta.get_data(as_text=True)
    assert "Demasiados intentos" in html
    # La página dice la misma espera que la cabecera Retry-After (en minutos, hacia arriba).
    espera = int(respuesta.headers["Retry-After"])
    minutos = -(-espera // 60)
    assert 540 < espera <= 600 and f"Espere {minutos} minutos antes" in html  # no «un minuto» con 479 s


def test_el_mensaje_es_el_mismo_exista_o_no_la_cuenta(navegador, usuarios):
    desconocido = _mensajes(_ingresar(navegador(), "no.existe@prueba.gov.co", "una-clave-cualquiera"))
    clave_errada = _mensajes(_ingresar(navegador(), usuarios[R.OAP].email, "una-clave-cualquiera"))
    assert desconocido == clave_errada
    assert any(MENSAJE_GENERICO in m for m in desconocido)


def test_tras_cinco_fallos_la_cuenta_se_bloquea_ni_la_clave_correcta_entra_y_luego_se_libera(navegador, usuarios):
    oap = usuarios[R.OAP]
    for _ in range(5):
        assert _ingresar(navegador(), oap.email, "equivocada").status_code == 200
    respuesta = _ingresar(navegador(), oap.email)
    assert respuesta.status_code == 200
    assert any(MENSAJE_GENERICO in m for m in _mensajes(respuesta)), "el bloqueo no se delata"
    db.session.expire_all()
    usuario = db.session.get(Usuario, oap.id)
    assert usuario.intentos_fallidos == 5 and usuario.is_locked()
    # Pasado el plazo del bloqueo entra, y el conteo vuelve a cero.
    db.session.execute(sa.update(Usuario).where(Usuario.id == oap.id).values(
        bloqueado_hasta=datetime.now(timezone.utc) - timedelta(minutes=1)))
    db.session.commit()
    assert _ingresar(navegador(), oap.email).status_code == 302
    db.session.expire_all()
    assert db.session.get(Usuario, oap.id).intentos_fallidos == 0


def test_un_ingreso_bueno_pone_en_cero_los_fallos_anteriores(navegador, usuarios):
    oap = usuarios[R.OAP]
    for _ in range(4):
        _ingresar(navegador(), oap.email, "equivocada")
    assert _ingresar(navegador(), oap.email).status_code == 302
    for _ in range(4):
        _ingresar(navegador(), oap.email, "equivocada")
    assert _ingresar(navegador(), oap.email).status_code == 302


@pytest.mark.parametrize("clave", ["corta-1", "aaaaaaaaaaaa", "Planeacion.2026", "Mintrabajo2026!", "123456789012",
                                   "Colombia*2025*"])
def test_el_cambio_de_contrasena_rechaza_las_debiles(navegador, usuarios, clave):
    director = navegador(usuarios[R.DIRECTOR])
    html = director.post("/change", data={"password": CONTRASENA, "new_password": clave,
                                          "new_password_confirm": clave}).get_data(as_text=True)
    assert "al menos 12 caracteres" in html or "de las primeras que se prueban" in html or "repite" in html
    db.session.expire_all()
    assert db.session.get(Usuario, usuarios[R.DIRECTOR].id).password == CONTRASENA


def _cambiar_clave(cliente, actual: str, nueva: str):
    return cliente.post("/change", data={"password": actual, "new_password": nueva, "new_password_confirm": nueva})


# El director de las pruebas es «Usuario director», director@prueba.gov.co.
@pytest.mark.parametrize("clave, motivo", [
    ("director@prueba.gov.co", "no puede llevar su nombre ni su correo"),
    ("El-Director-de-la-oficina", "no puede llevar su nombre ni su correo"),
    ("Dir3ct0r.de.esta.casa", "no puede llevar su nombre ni su correo"),  # l33t: lo ve zxcvbn
    ("qwertyuiopas", "sigue las teclas en fila"),
    ("Zxcvbnm.del.2026", "sigue las teclas en fila"),
    ("lkjhgfdsa.2026", "sigue las teclas en fila"),
    ("P4ssw0rd.1999", "se adivina pronto"),
])
def test_el_cambio_de_contrasena_rechaza_el_nombre_el_correo_el_teclado_y_lo_que_se_adivina(navegador, usuarios,
                                                                                           clave, motivo):
    html = _cambiar_clave(navegador(usuarios[R.DIRECTOR]), CONTRASENA, clave).get_data(as_text=True)
    assert motivo in " ".join(html.split())
    db.session.expire_all()
    assert db.session.get(Usuario, usuarios[R.DIRECTOR].id).password == CONTRASENA


def test_no_se_vuelve_a_ninguna_de_las_ultimas_contrasenas(app, navegador, usuarios):
    director = navegador(usuarios[R.DIRECTOR])
    claves = [CONTRASENA, "tres perros cruzan el rio", "siete gatos leen de noche", "un loro canta en la ducha",
              "dos mulas suben al paramo", "cuatro patos nadan sin prisa", "ocho ranas saltan al alba"]
    for anterior, nueva in zip(claves, claves[1:], strict=False):
        assert _cambiar_clave(director, anterior, nueva).status_code == 302, nueva
    # Las últimas cinco (la actual y cuatro anteriores) no sirven; la sexta hacia atrás ya sí.
    for repetida in claves[-5:-1]:
        html = _cambiar_clave(director, claves[-1], repetida).get_data(as_text=True)
        assert "no puede ser una de sus últimas 5" in html, repetida
    assert db.session.scalar(sa.select(sa.func.count(ClaveAnterior.id))) == 4  # solo las que la regla mira
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    director_ = db.session.get(Usuario, usuarios[R.DIRECTOR].id)
    html = _editar_usuario(administrador, director_, clave_nueva=claves[-2]).get_data(as_text=True)
    assert "no puede ser una de sus últimas 5" in html
    assert _cambiar_clave(director, claves[-1], claves[1]).status_code == 302


def _editar_usuario(administrador, usuario, **cambios):
    db.session.refresh(usuario)
    datos = {"email": usuario.email, "nombre": usuario.nombre, "roles": [r.id for r in usuario.roles],
             "dependencia": usuario.dependencia_id or "", "active": "y", "version_formulario": usuario.version}
    return administrador.post(f"/admin/usuario/edit/?id={usuario.id}", data={**datos, **cambios},
                              follow_redirects=True)


def test_el_administrador_no_asigna_a_alguien_su_propio_nombre(navegador, usuarios):
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    rol = db.session.scalar(sa.select(Usuario).filter_by(email=usuarios[R.OAP].email)).roles[0]
    html = administrador.post("/admin/usuario/new/", data={
        "email": "marisol.quintero@mintrabajo.gov.co", "nombre": "Marisol Quintero", "roles": [rol.id],
        "active": "y", "clave_nueva": "Quintero-y-su-casa-azul"}, follow_redirects=True).get_data(as_text=True)
    assert "no puede llevar su nombre ni su correo (contiene «quintero»)" in html
    assert db.session.scalar(sa.select(Usuario).filter_by(email="marisol.quintero@mintrabajo.gov.co")) is None


def test_el_administrador_tampoco_asigna_una_contrasena_debil(navegador, usuarios):
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    rol = db.session.scalar(sa.select(Usuario).filter_by(email=usuarios[R.OAP].email)).roles[0]
    html = administrador.post("/admin/usuario/new/", data={
        "email": "nuevo@prueba.gov.co", "nombre": "Nuevo", "roles": [rol.id], "active": "y",
        "clave_nueva": "Mintrabajo2026"}, follow_redirects=True).get_data(as_text=True)
    assert "de las primeras que se prueban" in html
    assert db.session.scalar(sa.select(Usuario).filter_by(email="nuevo@prueba.gov.co")) is None


def _cookie_de_sesion(cliente):
    return cliente.cliente.get_cookie("session").value


def test_una_cookie_copiada_antes_de_salir_no_sirve_despues(app, navegador, usuarios):
    original = navegador(usuarios[R.OAP])
    copia = navegador()
    copia.cliente.set_cookie("session", _cookie_de_sesion(original))
    assert copia.get("/admin/").status_code == 200
    assert original.post("/logout").status_code == 302
    respuesta = copia.get("/admin/")
    assert respuesta.status_code == 302 and "/login" in respuesta.headers["Location"]


def test_cambiar_la_contrasena_cierra_las_demas_sesiones_y_no_la_propia(navegador, usuarios):
    en_la_oficina, en_la_casa = navegador(usuarios[R.DIRECTOR]), navegador(usuarios[R.DIRECTOR])
    nueva = "tres perros cruzan el rio"
    respuesta = en_la_oficina.post("/change", data={"password": CONTRASENA, "new_password": nueva,
                                                    "new_password_confirm": nueva})
    assert respuesta.status_code == 302
    assert en_la_oficina.get("/admin/").status_code == 200
    assert en_la_casa.get("/admin/").status_code == 302


def test_la_sesion_vence_tras_el_plazo_sin_uso(app, navegador, usuarios, monkeypatch):
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", timedelta(seconds=1))
    cliente = navegador(usuarios[R.OAP])
    assert cliente.get("/admin/").status_code == 200
    time.sleep(2.5)
    respuesta = cliente.get("/admin/")
    assert respuesta.status_code == 302 and "/login" in respuesta.headers["Location"]


def test_las_cookies_son_httponly_samesite_y_recordarme_dura_lo_configurado(app, navegador, usuarios):
    respuesta = _ingresar(navegador(), usuarios[R.OAP].email, remember="y")
    cookies = {c.split("=", 1)[0]: c for c in respuesta.headers.getlist("Set-Cookie")}
    for nombre in ("session", "remember_token"):
        assert "HttpOnly" in cookies[nombre] and "SameSite=Lax" in cookies[nombre], nombre
        assert "Secure" not in cookies[nombre], "sin GESTION_HTTPS se prueba por http"
    vence = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookies["remember_token"]).group(1))
    horas = (vence - datetime.now(timezone.utc)).total_seconds() / 3600
    assert 7.9 < horas <= app.config["GESTION_HORAS_RECORDARME"] == 8


def test_en_produccion_las_cookies_son_secure_y_los_proxies_se_configuran(tmp_path):
    produccion = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI="sqlite://", instance_path=str(tmp_path),
                           GESTION_HTTPS="1", GESTION_PROXIES="1")
    assert produccion.config["SESSION_COOKIE_SECURE"] and produccion.config["REMEMBER_COOKIE_SECURE"]
    assert type(produccion.wsgi_app).__name__ == "ProxyFix"
    cliente = produccion.test_client()
    respuesta = cliente.get("/publico/", headers={"X-Forwarded-For": "190.1.2.3", "X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in respuesta.headers, "el proxy dijo https: la app lo cree"


def test_la_app_arranca_sin_redis(tmp_path):
    sin_redis = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI="sqlite://", instance_path=str(tmp_path),
                          RATELIMIT_STORAGE_URI="redis://127.0.0.1:1", RATELIMIT_ENABLED=True)
    assert sin_redis.test_client().get("/login").status_code == 200


def test_cada_respuesta_lleva_las_cabeceras_de_seguridad(navegador, usuarios):
    for cliente, url in ((navegador(), "/publico/"), (navegador(usuarios[R.OAP]), "/admin/dependencia/"),
                         (navegador(), "/no-existe")):
        respuesta = cliente.get(url)
        cabeceras = respuesta.headers
        politica = cabeceras["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in politica and "'unsafe-inline'" not in politica.split("script-src")[1]
        assert cabeceras["X-Frame-Options"] == "DENY"
        assert cabeceras["X-Content-Type-Options"] == "nosniff"
        assert cabeceras["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in cabeceras  # por http no se promete HTTPS


def test_los_scripts_en_linea_de_flask_admin_llevan_el_nonce_de_la_respuesta(navegador, usuarios, fabrica):
    assert fabrica.mundo
    respuesta = navegador(usuarios[R.OAP]).get("/admin/dependencia/new/")
    nonce = re.search(r"'nonce-([^']+)'", respuesta.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", respuesta.get_data(as_text=True))
    assert any(f'nonce="{nonce}"' in s for s in scripts), "Flask-Admin marca sus scripts con el nonce"
    assert all(f'nonce="{nonce}"' in s for s in scripts if "src=" not in s), "un script en línea sin nonce no corre"


def test_hsts_cuando_se_sirve_por_https(navegador):
    respuesta = navegador().cliente.get("/publico/", base_url="https://planes.mintrabajo.gov.co")
    assert respuesta.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("metodo, url, codigo, texto", [
    ("get", "/no-existe", 404, "No encontrado"),
    ("get", "/logout", 405, "Método no permitido"),
    ("post", "/publico/", 405, "Método no permitido"),
])
def test_las_paginas_de_error_estan_en_espanol_con_salida(navegador, metodo, url, codigo, texto):
    respuesta = getattr(navegador().cliente, metodo)(url)
    html = respuesta.get_data(as_text=True)
    assert respuesta.status_code == codigo and texto in html and 'href="/admin/"' in html


def test_un_fallo_inesperado_da_la_pagina_500_en_espanol(app, navegador, monkeypatch):
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "publico.indice", lambda: 1 / 0)
    respuesta = navegador().get("/publico/")
    assert respuesta.status_code == 500 and "Error del sistema" in respuesta.get_data(as_text=True)


def test_un_archivo_demasiado_grande_da_413_en_espanol(app, navegador, usuarios):
    grande = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    respuesta = navegador(usuarios[R.OAP]).cliente.post("/admin/dependencia/new/", data=grande,
                                                         content_type="application/octet-stream")
    assert respuesta.status_code == 413 and "Archivo demasiado grande" in respuesta.get_data(as_text=True)


def test_entrar_y_salir_no_le_cambian_la_version_al_administrador_que_edita_ese_usuario(navegador, usuarios):
    """El ingreso anota fecha, dirección y conteo, y la salida cambia el identificador de sesión; ninguno es
    una edición: el administrador que abrió la ficha antes guarda sin un conflicto falso."""
    director = usuarios[R.DIRECTOR]
    version = director.version
    url = f"/admin/usuario/edit/?id={director.id}"
    administrador = navegador(usuarios[R.ADMINISTRADOR])
    leida = re.search(r'name="version_formulario"[^>]*value="(\d+)"', administrador.texto(url)).group(1)
    navegador(director).post("/logout")
    db.session.expire_all()
    guardado = db.session.get(Usuario, director.id)
    assert guardado.version == version and guardado.login_count == 1
    respuesta = administrador.post(url, data={
        "email": director.email, "nombre": "Nombre corregido", "roles": [r.id for r in director.roles],
        "dependencia": director.dependencia_id, "active": "y", "version_formulario": leida})
    assert respuesta.status_code == 302, _mensajes(respuesta)
    db.session.expire_all()
    assert db.session.get(Usuario, director.id).nombre == "Nombre corregido"
    # Solo la edición del administrador queda en la auditoría: entrar y salir no son cambios de la ficha.
    [edicion] = db.session.scalars(sa.select(RegistroAuditoria).filter_by(
        tabla="usuario", accion="editar", objeto_id=str(director.id))).all()
    assert edicion.cambios["nombre"][1] == "Nombre corregido"


def test_los_roles_del_segundo_factor_se_leen_del_entorno_separados_por_comas(tmp_path):
    app = crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI="sqlite://", instance_path=str(tmp_path),
                    GESTION_ROLES_SEGUNDO_FACTOR="oap, jefe_oap,administrador")
    assert set(app.config["GESTION_ROLES_SEGUNDO_FACTOR"]) == {R.OAP, R.JEFE_OAP, R.ADMINISTRADOR}


def test_lo_que_ve_alguien_con_sesion_y_el_ingreso_no_quedan_en_cache(navegador, usuarios, fabrica):
    assert fabrica.mundo
    assert navegador().get("/login").headers["Cache-Control"] == "no-store"  # antes «private=True, no-store=True»
    assert "no-store" not in navegador().get("/publico/").headers.get("Cache-Control", "")
    oap = navegador(usuarios[R.OAP])
    for url in ("/admin/", "/admin/dependencia/", "/admin/dependencia/export/xlsx/", "/admin/dependencia/export/csv/"):
        respuesta = oap.get(url)
        assert respuesta.status_code == 200 and respuesta.data, url  # la descarga sale por partes: se lee entera
        assert respuesta.headers["Cache-Control"] == "no-store", url


def test_el_conteo_en_memoria_con_varios_workers_se_avisa_y_en_produccion_no_arranca(tmp_path, caplog,
                                                                                       monkeypatch):
    def app(**ajustes):
        return crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI="sqlite://", instance_path=str(tmp_path), **ajustes)

    app(GESTION_WORKERS="1")
    assert "RATELIMIT_STORAGE_URI" not in caplog.text
    app(GESTION_WORKERS="2")
    assert "RATELIMIT_STORAGE_URI es «memory://» y gunicorn corre 2 workers" in caplog.text
    with pytest.raises(RuntimeError, match="Ponga RATELIMIT_STORAGE_URI=redis://"):
        app(GESTION_WORKERS="4", GESTION_HTTPS="1")
    app(GESTION_WORKERS="4", GESTION_HTTPS="1", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379")  # compartido: arranca
    monkeypatch.setenv("WEB_CONCURRENCY", "3")  # lo que gunicorn toma por -w si no se le da
    with pytest.raises(RuntimeError, match="corre 3 workers"):
        app(GESTION_HTTPS="1")
