"""Una carga grande en el navegador: mientras el trabajo valida, su página (otra petición) muestra por qué fila
va en una barra accesible, se recarga sola sin romper la CSP y termina con el mensaje de la carga."""
import re
import threading

import pytest
from playwright.sync_api import expect

from gestion.reglas import roles as R
from gestion.trabajador import ejecutar_en_cola
from gestion.trabajos import cola
from modelos import db

from ..test_importar_actividades import _fila, _libro

pytestmark = pytest.mark.e2e


def test_la_pagina_de_la_carga_muestra_por_que_fila_va_y_se_recarga_hasta_terminar(
        contexto, fabrica, usuarios, navegar, captura, monkeypatch):
    plan = fabrica.plan_accion(actividades=2)
    director = usuarios[R.DIRECTOR]
    contenido = _libro([_fila(f"A{i}", peso=0) for i in range(1, 2101)])
    trabajo, _ = cola.pedir("importar_actividades", {
        "objeto_id": plan.id, "entrada": cola.guardar_entrada(contenido), "nombre": "grande.xlsx", "hoja": None,
        "endpoint": "planes_accion.cargar_actividades"}, director, "Carga de «grande.xlsx» (actividades)",
        dependencia_id=plan.dependencia_id)
    db.session.commit()
    trabajo_id, correo = trabajo.id, director.email

    # El trabajador se detiene justo después de confirmar la fila 1.002, hasta que la prueba lo suelte.
    en_la_fila, seguir = threading.Event(), threading.Event()
    fila = cola.MarchaDeCarga.fila

    def pausada(marcha, numero):
        fila(marcha, numero)
        if numero == 1002:
            en_la_fila.set()
            seguir.wait(30)

    monkeypatch.setattr(cola.MarchaDeCarga, "fila", pausada)

    def trabajador():  # como el de RQ: su propio contexto y su propia sesión
        with contexto.app_context():
            ejecutar_en_cola(trabajo_id)

    hilo = threading.Thread(target=trabajador, daemon=True)
    hilo.start()
    try:
        assert en_la_fila.wait(30)
        pagina = navegar(correo)
        pagina.goto(f"/admin/trabajo/ficha/?id={trabajo_id}")
        barra = pagina.get_by_role("progressbar", name="Validando: fila 1.002 de 2.101.")
        expect(barra).to_have_attribute("aria-valuenow", "1002")
        expect(barra).to_have_attribute("aria-valuemax", "2801")
        proporcion = barra.evaluate("b => b.getBoundingClientRect().width / b.parentElement.getBoundingClientRect().width")
        assert 0.33 < proporcion < 0.38, proporcion  # 1.002 de 2.801: la reserva de guardar queda por llenar
        captura(pagina, "validando")
    finally:
        seguir.set()
        hilo.join(30)
    # recarga.js vuelve a pedir la página hasta que el trabajo termina; entonces ya no hay barra.
    expect(pagina.get_by_text(re.compile("2100 actividades cargadas desde Excel"))).to_be_visible(timeout=10_000)
    expect(pagina.get_by_role("progressbar")).to_have_count(0)
    captura(pagina, "terminado")
