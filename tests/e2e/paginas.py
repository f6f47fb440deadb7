"""Lo que una persona hace en cada página, en pasos pequeños y con lo que ve (etiquetas, roles, textos
en español): si una página cambia, se ajusta aquí y no en cada prueba."""
import re

from playwright.sync_api import Page, expect

PLANES = "/admin/planes_accion"


def texto(patron: str) -> re.Pattern:
    """Un texto visible, sin distinguir mayúsculas ni espacios de más."""
    return re.compile(re.escape(patron).replace(r"\ ", r"\s+"), re.I)


def iniciar_sesion(pagina: Page, correo: str, contrasena: str, exito: bool = True) -> None:
    pagina.goto("/login")
    pagina.get_by_label(texto("correo")).fill(correo)
    pagina.get_by_label(texto("contraseña")).fill(contrasena)
    pagina.get_by_role("button", name=texto("ingresar")).click()
    if exito:
        expect(pagina).to_have_url(re.compile(r"/admin/"))


def ver_mensaje(pagina: Page, patron: str) -> None:
    expect(pagina.get_by_text(texto(patron)).first).to_be_visible()


def campo(pagina: Page, etiqueta: str):
    return pagina.get_by_label(re.compile(rf"^\s*{re.escape(etiqueta)}\s*\*?\s*$", re.I)).first


def escribir(pagina: Page, etiqueta: str, valor: str) -> None:
    """Escribe tecla por tecla, como una persona (lo que reescribiera el campo al teclear se notaría)."""
    entrada = campo(pagina, etiqueta)
    entrada.click()
    entrada.fill("")
    entrada.press_sequentially(valor)
    pagina.keyboard.press("Escape")


def lista(pagina: Page, etiqueta: str):
    """El <select> de la etiqueta, aunque select2 lo esconda tras su propio cuadro."""
    rotulo = pagina.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(etiqueta)}\s*\*?\s*$", re.I)).first
    return pagina.locator(f"select[id='{rotulo.get_attribute('for')}']")


def elegir(pagina: Page, etiqueta: str, *opciones: str) -> None:
    """Elige en una lista (también las de select2) la opción o las opciones cuyo texto contiene cada valor."""
    seleccion = lista(pagina, etiqueta)
    textos = seleccion.locator("option").evaluate_all("(os) => os.map((o) => o.textContent)")
    valores = seleccion.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    elegidas = []
    for opcion in opciones:
        encontrada = next((v for t, v in zip(textos, valores, strict=True) if opcion.lower() in t.lower()), None)
        assert encontrada is not None, f"«{opcion}» no está entre las opciones de «{etiqueta}»: {textos}"
        elegidas.append(encontrada)
    seleccion.select_option(elegidas, force=True)


def marcar(pagina: Page, etiqueta: str) -> None:
    campo(pagina, etiqueta).check(force=True)


def guardar_formulario(pagina: Page) -> None:
    """El botón principal de un formulario de Flask-Admin («Guardar», «Salvar» mientras no se traduzca)."""
    pagina.locator("form input[type=submit].btn-primary, form button[type=submit].btn-primary").first.click()


def abrir_ficha(pagina: Page, plan_id: int) -> None:
    pagina.goto(f"{PLANES}/ficha/?id={plan_id}")


def agregar_actividad(pagina: Page, plan_id: int, datos: dict, listas: dict | None = None,
                      marcas: tuple = ()) -> None:
    abrir_ficha(pagina, plan_id)
    pagina.get_by_role("link", name=texto("Agregar actividad")).click()
    llenar_actividad(pagina, datos, listas, marcas)


def llenar_actividad(pagina: Page, datos: dict, listas: dict | None = None, marcas: tuple = ()) -> None:
    for etiqueta in marcas:
        marcar(pagina, etiqueta)
    for etiqueta, opciones in (listas or {}).items():
        elegir(pagina, etiqueta, *([opciones] if isinstance(opciones, str) else opciones))
    for etiqueta, valor in datos.items():
        escribir(pagina, etiqueta, valor)
    guardar_formulario(pagina)
    expect(pagina.locator(".alert-danger, .invalid-feedback:visible, .help-block:visible")).to_have_count(0)


def editar_actividad(pagina: Page, plan_id: int, codigo: str, datos: dict) -> None:
    abrir_ficha(pagina, plan_id)
    fila = pagina.get_by_role("row").filter(has=pagina.get_by_role("cell", name=codigo, exact=True))
    fila.get_by_role("link", name=texto("Editar")).first.click()
    llenar_actividad(pagina, datos)


def enviar_plan(pagina: Page, plan_id: int, a_sabiendas: bool = False) -> None:
    """«Enviar a la OAP» desde la ficha; si la página pide confirmar (lista de chequeo que falla, DT sin
    metas), se confirma solo cuando la prueba lo dice."""
    abrir_ficha(pagina, plan_id)
    confirmacion = pagina.get_by_label(texto("de todos modos"))
    if a_sabiendas and confirmacion.count():
        confirmacion.check()
    pagina.get_by_role("button", name=texto("Enviar a la OAP")).click()
    if a_sabiendas:
        confirmar = pagina.get_by_role("button", name=re.compile(r"confirm|enviar de todos modos|sí, enviar", re.I))
        if confirmar.count():
            if pagina.get_by_label(texto("de todos modos")).count():
                pagina.get_by_label(texto("de todos modos")).check()
            confirmar.first.click()
    expect(pagina.get_by_text(texto("Enviado a la OAP")).first).to_be_visible()


def verificar_juicio(pagina: Page, plan_id: int) -> None:
    """La OAP marca «Cumple» en los tres puntos de juicio (actividad 12) y registra la verificación."""
    abrir_ficha(pagina, plan_id)
    formulario = pagina.locator("form").filter(has=pagina.get_by_role("button", name=texto("Registrar la verificación")))
    for opcion in formulario.get_by_label("Cumple", exact=True).all():
        opcion.check()
    formulario.get_by_role("button", name=texto("Registrar la verificación")).click()
    expect(pagina.get_by_text(texto("por verificar"))).to_have_count(0)


def accion_en_bloque(pagina: Page, plan_ids, accion: str, filtro: str = "?flt0_estado_equals=ENVIADO") -> None:
    """En la bandeja, marca las filas de los planes y elige la acción de «Con seleccionados»."""
    pagina.goto(f"{PLANES}/{filtro}")
    for plan_id in plan_ids:
        pagina.locator(f"input[name=rowid][value='{plan_id}']").check()
    pagina.get_by_text(re.compile(r"Con\s+(los\s+)?seleccionados", re.I)).click()
    pagina.locator(".dropdown-menu.show").get_by_text(texto(accion)).click()


def devolver_en_bloque(pagina: Page, plan_ids, observacion: str) -> None:
    accion_en_bloque(pagina, plan_ids, "Devolver con observaciones")
    pagina.get_by_role("textbox").first.fill(observacion)
    pagina.get_by_role("button", name=texto("Devolver")).click()
    ver_mensaje(pagina, f"{len(plan_ids)} devuelto(s)")


def aprobar_en_bloque(pagina: Page, plan_ids) -> None:
    accion_en_bloque(pagina, plan_ids, "Aprobar")
    ver_mensaje(pagina, f"{len(plan_ids)} aprobado(s)")


def consolidar(pagina: Page, vigencia: str) -> None:
    pagina.goto(f"{PLANES}/")
    pagina.get_by_role("link", name=texto("Consolidar PAI")).click()
    elegir_si_hay(pagina, "Vigencia", vigencia)
    pagina.get_by_role("button", name=texto("Consolidar")).click()
    ver_mensaje(pagina, "consolidado")


def elegir_si_hay(pagina: Page, etiqueta: str, opcion: str) -> None:
    if pagina.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(etiqueta)}", re.I)).count():
        elegir(pagina, etiqueta, opcion)


def fijar_metas_territoriales(pagina: Page, actividad: str, metas) -> None:
    """La DT abre su meta de la actividad territorial y escribe sus cuatro metas trimestrales."""
    pagina.goto("/admin/metaterritorial/")
    fila = pagina.get_by_role("row").filter(has_text=actividad)
    fila.locator("a[href*='/edit/']").first.click()
    for trimestre, valor in zip(("Meta T1", "Meta T2", "Meta T3", "Meta T4"), metas, strict=True):
        escribir(pagina, trimestre, valor)
    guardar_formulario(pagina)
    expect(pagina.locator(".alert-danger")).to_have_count(0)


def presentar_al_comite(pagina: Page, pai_id: int, numero: str, fecha: str, decisiones: str) -> None:
    abrir_ficha(pagina, pai_id)
    pagina.locator("a, button").filter(has_text=re.compile(r"present", re.I)).first.click()
    escribir(pagina, "Número del acta", numero)
    escribir(pagina, "Fecha de la sesión", fecha)
    decision = pagina.get_by_label(texto("Decisiones"))
    if decision.count():
        decision.fill(decisiones)
    archivo = pagina.locator("input[type=file]")
    if archivo.count():
        archivo.set_input_files({"name": "acta comite.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 acta"})
    pagina.locator("form").get_by_role("button", name=re.compile("presentar|registrar|guardar", re.I)).first.click()
    expect(pagina.get_by_text(texto("Presentado al comité")).first).to_be_visible()


def publicar(pagina: Page, pai_id: int) -> None:
    abrir_ficha(pagina, pai_id)
    confirmar_envio(pagina, "Publicar", "Sí, publicar")
    expect(pagina.get_by_text(re.compile(r"\bPublicado\b")).first).to_be_visible()


def abrir_pai_publicado(pagina: Page, nombre: str) -> None:
    pagina.goto("/")
    pagina.get_by_role("link", name=texto(nombre)).first.click()


def descargar(pagina: Page, formato: str) -> bytes:
    with pagina.expect_download() as descarga:
        pagina.locator(f"a[href*='.{formato}'], a[href*='/{formato}']").first.click()
    return open(descarga.value.path(), "rb").read()


def calendario(pagina: Page):
    return pagina.get_by_role("dialog", name="Calendario")


# --- seguimiento -----------------------------------------------------------------------------------
def abrir_tablero(pagina: Page, vigencia: int, trimestre: int) -> None:
    pagina.goto(f"/admin/tablero/?vigencia={vigencia}&trimestre={trimestre}")


def fila_del_tablero(pagina: Page, dependencia: str):
    """La fila de la dependencia en la tabla «Por dependencia» del tablero."""
    return pagina.get_by_role("row").filter(has=pagina.get_by_role("link", name=dependencia, exact=True)).first


def reportar_trimestre(pagina: Page, vigencia: int, trimestre: int, valores: dict, evidencias: dict) -> None:
    """El dueño abre el reporte del trimestre, escribe lo logrado, adjunta la evidencia, guarda y envía.
    valores = {código: «10»}; evidencias = {código: (nombre, bytes)}."""
    pagina.goto(f"/admin/reportetrimestral/nuevo/?vigencia={vigencia}")
    pagina.get_by_role("button", name=f"Reportar T{trimestre}").first.click()
    for codigo, valor in valores.items():
        pagina.get_by_label(f"Valor logrado {codigo}", exact=True).fill(valor)
    for codigo, (nombre, contenido) in evidencias.items():
        fila = pagina.get_by_role("row").filter(has=pagina.get_by_label(f"Valor logrado {codigo}", exact=True))
        fila.locator("input[type=file]").set_input_files({"name": nombre, "mimeType": "application/pdf",
                                                          "buffer": contenido})
    pagina.get_by_role("button", name=texto("Guardar avances")).click()
    expect(pagina.locator(".alert-danger")).to_have_count(0)
    confirmar_envio(pagina, "Enviar el reporte a la OAP", "Sí, enviar el reporte a la OAP")
    expect(pagina.get_by_text(re.compile(r"\bReportado\b")).first).to_be_visible()


def confirmar_envio(pagina: Page, boton: str, confirmacion: str) -> None:
    """Un envío oficial se abre (su aviso dice qué pasará) y se confirma con el botón que de verdad envía."""
    pagina.locator("summary", has_text=texto(boton)).first.click()
    pagina.get_by_role("button", name=texto(confirmacion)).click()


def aceptar_reporte(pagina: Page, reporte_id: int) -> None:
    pagina.goto(f"/admin/reportetrimestral/ficha/?id={reporte_id}")
    pagina.get_by_role("button", name="Aceptar", exact=True).click()
    expect(pagina.get_by_text(re.compile(r"\bAceptado\b")).first).to_be_visible()


# --- ajustes ---------------------------------------------------------------------------------------
def solicitar_ajuste(pagina: Page, plan_id: int, causa: str, cambio: str) -> None:
    abrir_ficha(pagina, plan_id)
    pagina.get_by_role("link", name=texto("Solicitar ajuste")).click()
    pagina.get_by_label(texto("Causa del ajuste")).fill(causa)
    pagina.get_by_label(texto("Cambio que se propone")).fill(cambio)
    pagina.get_by_role("button", name=texto("Registrar la solicitud")).click()
    expect(pagina.get_by_text(texto(causa)).first).to_be_visible()


def decidir_ajuste(pagina: Page, solicitud_id: int, etiqueta: str, razon: str = "") -> None:
    """Un paso de la solicitud de ajuste desde su ficha («Enviar a revisión de la OAP», «Declarar pertinente»)."""
    pagina.goto(f"/admin/solicitudajuste/ficha/?id={solicitud_id}")
    formulario = pagina.locator("form").filter(has=pagina.get_by_role("button", name=etiqueta, exact=True))
    caja = formulario.locator("textarea")
    if caja.count():
        caja.fill(razon or "Procede.")
    formulario.get_by_role("button", name=etiqueta, exact=True).click()
    expect(pagina.locator(".alert-danger")).to_have_count(0)


def aprobar_ajuste(pagina: Page, solicitud_id: int, observacion: str) -> None:
    pagina.goto(f"/admin/solicitudajuste/ficha/?id={solicitud_id}")
    formulario = pagina.locator("form").filter(has=pagina.get_by_role("button", name=texto("Aprobar el ajuste")))
    formulario.locator("textarea").fill(observacion)
    formulario.get_by_role("button", name=texto("Aprobar el ajuste")).click()
    expect(pagina.locator(".alert-danger")).to_have_count(0)
