"""Segundo factor para quienes aprueban (con GESTION_SEGUNDO_FACTOR): TOTP con una app autenticadora y
códigos de recuperación, por el propio soporte de Flask-Security, en español."""
import re

import pytest
from passlib.totp import TOTP

from gestion.reglas import roles as R

from .fabricas import CONTRASENA


@pytest.fixture
def exigido(app, monkeypatch):
    monkeypatch.setitem(app.config, "GESTION_SEGUNDO_FACTOR", True)


def _codigo(clave: str) -> str:
    return TOTP(key=clave, format="base32").generate().token


def _ingresar(cliente, usuario):
    return cliente.post("/login", data={"email": usuario.email, "password": CONTRASENA})


def _configurar_autenticador(cliente) -> str:
    """Elige la app autenticadora, lee la clave que muestra la página y confirma con un código."""
    html = cliente.post("/tf-setup", data={"setup": "authenticator"}).get_data(as_text=True)
    clave = re.search(r'id="qrcode"[^>]*>\s*</div>\s*<div>([A-Z2-7-]{16,})</div>', html).group(1).replace("-", "")
    respuesta = cliente.post("/tf-validate", data={"code": _codigo(clave)})
    assert respuesta.status_code == 302, respuesta.get_data(as_text=True)[:500]
    return clave


@pytest.mark.parametrize("rol", [R.OAP, R.JEFE_OAP, R.COMITE_SECTORIAL, R.ADMINISTRADOR])
def test_quien_aprueba_no_entra_sin_configurar_el_segundo_factor(navegador, usuarios, exigido, rol):
    cliente = navegador()
    respuesta = _ingresar(cliente, usuarios[rol])
    assert respuesta.status_code == 302 and "/tf-" in respuesta.headers["Location"]
    assert cliente.get("/admin/").status_code == 302, "con solo la contraseña aún no hay sesión"
    html = cliente.get(respuesta.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "doble factor" in html.lower() or "dos factores" in html.lower()
    _configurar_autenticador(cliente)
    assert cliente.get("/admin/").status_code == 200


def test_el_director_entra_solo_con_la_contrasena(navegador, usuarios, exigido):
    cliente = navegador()
    assert _ingresar(cliente, usuarios[R.DIRECTOR]).headers["Location"].endswith("/admin/")
    assert cliente.get("/admin/").status_code == 200


def test_sin_la_configuracion_nadie_lo_necesita(navegador, usuarios):
    cliente = navegador()
    assert _ingresar(cliente, usuarios[R.OAP]).headers["Location"].endswith("/admin/")


def test_el_siguiente_ingreso_pide_el_codigo_y_rechaza_uno_equivocado(navegador, usuarios, exigido):
    primero = navegador()
    _ingresar(primero, usuarios[R.OAP])
    clave = _configurar_autenticador(primero)
    cliente = navegador()
    respuesta = _ingresar(cliente, usuarios[R.OAP])
    assert respuesta.status_code == 302 and "/tf-" in respuesta.headers["Location"]
    equivocado = "000000" if _codigo(clave) != "000000" else "111111"
    assert cliente.post("/tf-validate", data={"code": equivocado}).status_code == 200
    assert cliente.get("/admin/").status_code == 302
    assert cliente.post("/tf-validate", data={"code": _codigo(clave)}).status_code == 302
    assert cliente.get("/admin/").status_code == 200


def test_un_codigo_de_recuperacion_sirve_una_sola_vez(navegador, usuarios, exigido):
    oap = navegador()
    _ingresar(oap, usuarios[R.OAP])
    _configurar_autenticador(oap)
    html = oap.post("/mf-recovery-codes", data={"show_codes": "y"}).get_data(as_text=True)
    codigos = re.findall(r"\b[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\b", html)
    assert len(codigos) >= 5, html[:800]
    for intento, esperado in ((1, 302), (2, 200)):
        cliente = navegador()
        _ingresar(cliente, usuarios[R.OAP])
        respuesta = cliente.post("/mf-recovery", data={"code": codigos[0]})
        assert respuesta.status_code == esperado, intento


def test_las_paginas_del_segundo_factor_hablan_como_aqui(navegador, usuarios, exigido):
    cliente = navegador()
    _ingresar(cliente, usuarios[R.OAP])
    _configurar_autenticador(cliente)
    configuracion = cliente.get("/tf-setup").get_data(as_text=True)
    assert "Cerrar sesión" in configuracion and "Sign Out" not in configuracion
    # Ya dentro, cambiar de autenticador: el aviso trata de usted, no «Has cambiado tu método…».
    html = cliente.post("/tf-setup", data={"setup": "authenticator"}).get_data(as_text=True)
    clave = re.search(r'id="qrcode"[^>]*>\s*</div>\s*<div>([A-Z2-7-]{16,})</div>', html).group(1).replace("-", "")
    texto = cliente.post("/tf-validate", data={"code": _codigo(clave)}, follow_redirects=True).get_data(as_text=True)
    assert "Cambió su método de doble autenticación." in texto and "Has cambiado" not in texto
