"""WCAG 2.1 AA (Resolución MinTIC 1519 de 2020) medido con axe-core en Chromium: cada clase de página que la
matriz de rutas (tests/test_rutas.py) le abre a cada rol, sobre el mismo mundo, y las públicas al anónimo.
Falla con cualquier violación de las reglas wcag2a, wcag2aa, wcag21a y wcag21aa. Además: el teclado basta
para ingresar, llenar un formulario y hacer una acción en bloque, y ninguna página se desborda a 390 px.

axe-core se lee de tests/e2e/axe/axe.min.js (del registro npm, con su licencia MPL-2.0 al lado): solo lo
ven las pruebas, nunca un usuario."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gestion.planes import ajustes
from gestion.reglas import roles as R
from gestion.seguimiento import revision
from modelos import EstadoPlan, db

from ..fabricas import CONTRASENA
from ..navegador import Navegador
from ..test_rutas import PUBLICO, _armar_mundo, casos_para, rutas_de, tabla_de_expectativas
from . import paginas

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "axe" / "axe.min.js").read_text()
ETIQUETAS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Buenas prácticas de axe que el issue 21 también pide: una región principal y un título principal por página,
# todo el contenido dentro de una región, títulos sin saltos, encabezados de tabla con texto.
PRACTICAS = ["landmark-one-main", "page-has-heading-one", "region", "heading-order", "empty-table-header",
             "landmark-no-duplicate-main", "landmark-unique"]
ANONIMO = "anonimo"
# Las que se abren fuera de la matriz (tests/test_rutas.py las deja aparte).
DE_INGRESO = {ANONIMO: ["/login"], "con_sesion": ["/change"]}


def paginas_de(app, filas, rol: str | None, cliente: Navegador) -> list[str]:
    """Las URL de las páginas HTML que la matriz de rutas le abre al rol (200), una por ruta, con su fila."""
    tabla, rutas = tabla_de_expectativas(app), rutas_de(app)
    vistas = {v.endpoint: v for v in app.extensions["admin"][0]._views}
    urls = []
    for clave in sorted(rutas):
        if clave.startswith("POST "):
            continue
        regla, werkzeug = tabla[clave], rutas[clave]
        if regla.ok != 200 or (regla.quien != PUBLICO and (rol is None or rol not in regla.quien)):
            continue
        seccion = werkzeug.endpoint.split(".")[0]
        casos = casos_para(filas, seccion, getattr(vistas.get(seccion), "model", None), rol)
        fila = casos.get("propia")
        if fila is None and werkzeug.arguments - {"export_type"}:
            continue
        argumentos = {a: fila for a in werkzeug.arguments}
        if "export_type" in argumentos:
            continue  # un libro, no una página
        url = werkzeug.build(argumentos)[1]
        if fila is not None:
            url += ("&" if "?" in url else "?") + f"id={fila}"
        respuesta = cliente.get(url)
        if respuesta.status_code == 200 and respuesta.mimetype == "text/html":
            urls.append(url)
    return urls


def violaciones(pagina) -> list[str]:
    """Las violaciones de axe-core en la página abierta, una línea cada una (regla, impacto, dónde)."""
    # Tras un expect() o una recarga sola el DOM puede estar ya y las hojas de estilo no: sin ellas axe mide los
    # colores de Bootstrap y no los del tema.
    pagina.wait_for_load_state("load")
    if not pagina.evaluate("() => typeof window.axe !== 'undefined'"):
        pagina.evaluate(AXE)  # evaluate no pasa por la CSP de la página: el script no se sirve
    resultado = pagina.evaluate("([etiquetas, practicas]) => axe.run(document, {runOnly: {type: 'tag',"
                                " values: [...etiquetas, 'best-practice']}}).then((r) => r.violations"
                                ".filter((v) => practicas.includes(v.id) || v.tags.some((t) => etiquetas.includes(t)))"
                                ".map((v) => [v.id, v.impact, v.help, v.nodes.slice(0, 3).map((n) => n.target.join(' ')"
                                " + ((n.any[0] || n.all[0] || {}).message ? ` («${(n.any[0] || n.all[0]).message}»)` : ''))]))",
                                [ETIQUETAS, PRACTICAS])
    return [f"{regla} ({impacto}): {ayuda} → {', '.join(donde)}" for regla, impacto, ayuda, donde in resultado]


def desborde(pagina) -> str:
    """Qué se sale de lado ('' si nada obliga a desplazarse horizontalmente): cuántos píxeles y los elementos
    más externos que pasan del borde (fuera de un marco que se desplaza)."""
    return pagina.evaluate("""() => {
      const raiz = document.documentElement, sobra = raiz.scrollWidth - raiz.clientWidth;
      if (sobra <= 0) return '';
      const ancho = raiz.clientWidth + 1;
      const sale = (e) => e.getBoundingClientRect().right > ancho || e.scrollWidth > e.clientWidth + 1;
      const afuera = [...document.querySelectorAll('body *')].filter((e) => {
        if (!sale(e) || ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX)) return false;
        for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
        }
        return ![...e.children].some(sale);  // el más interno que todavía se sale
      });
      const nombre = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].map((c) => '.' + c).join('');
      return `${sobra} px: ` + afuera.slice(0, 3).map(nombre).join(', ');
    }""")


def recorrer(pagina, urls: list[str]) -> dict[str, list[str]]:
    problemas = {}
    for url in urls:
        respuesta = pagina.goto(url)
        if respuesta.status != 200:
            problemas[url] = [f"respondió {respuesta.status}"]
            continue
        encontradas = violaciones(pagina)
        pagina.set_viewport_size({"width": 390, "height": 844})
        sobra = desborde(pagina)
        if sobra:
            encontradas.append(f"a 390 px la página se sale de lado {sobra}")
        pagina.set_viewport_size({"width": 1280, "height": 900})
        if encontradas:
            problemas[url] = encontradas
    return problemas


def _informe(problemas: dict) -> str:
    return "\n".join(f"{url}\n  " + "\n  ".join(lineas) for url, lineas in problemas.items())


ROLES = sorted(R.DESCRIPCIONES)


@pytest.mark.parametrize("rol", [ANONIMO, *ROLES])
def test_cada_pagina_de_cada_rol_cumple_wcag_21_aa(rol, contexto, fabrica, usuarios, navegar):
    filas = _armar_mundo(fabrica)
    db.session.commit()
    cliente = Navegador(contexto)
    if rol != ANONIMO:
        cliente.iniciar_sesion(usuarios[rol])
    urls = paginas_de(contexto, filas, None if rol == ANONIMO else rol, cliente)
    urls += DE_INGRESO[ANONIMO if rol == ANONIMO else "con_sesion"]
    assert len(urls) >= (4 if rol == ANONIMO else 5), urls
    pagina = navegar(None if rol == ANONIMO else usuarios[rol].email)
    problemas = recorrer(pagina, urls)
    assert not problemas, f"{len(problemas)} de {len(urls)} páginas con problemas:\n{_informe(problemas)}"


def test_las_paginas_de_trabajo_en_sus_otros_estados_cumplen(contexto, fabrica, usuarios, navegar):
    """Lo que el mundo de la matriz (todo aprobado) no muestra: el formulario del reporte trimestral que el
    director llena cada trimestre (con sus archivos de evidencia), la ficha de un plan en formulación con su
    formulario de actividad, y la de uno enviado con la verificación de la OAP."""
    m = fabrica.mundo
    fabrica.plan_accion(m.central, EstadoPlan.APROBADO)
    borrador = fabrica.plan_accion(m.central2)
    enviado = fabrica.plan_accion(fabrica.dependencia("D3", "Tercera dirección", m.central.tipo), EstadoPlan.ENVIADO)
    fabrica.ventana(1)
    db.session.commit()
    director = navegar(usuarios[R.DIRECTOR].email)
    director.goto("/admin/reportetrimestral/nuevo/?vigencia=2026")
    director.get_by_role("button", name="Reportar T1").first.click()
    expect(director.locator("input[type=file]").first).to_be_visible()
    problemas = {director.url: violaciones(director)}
    director2 = navegar(usuarios["director2"].email)
    problemas.update(recorrer(director2, [f"{paginas.PLANES}/ficha/?id={borrador.id}",
                                          f"/admin/actividad/new/?plan_id={borrador.id}"]))
    oap = navegar(usuarios[R.OAP].email)
    problemas.update(recorrer(oap, [f"{paginas.PLANES}/ficha/?id={enviado.id}",
                                    f"{paginas.PLANES}/?flt0_estado_equals=ENVIADO",
                                    f"{paginas.PLANES}/verificar_en_bloque/?id={enviado.id}"]))
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_ajustes_informe_pai_publicado_y_pagina_de_error_cumplen(contexto, fabrica, usuarios, navegar, chromium,
                                                               servidor):
    """Las páginas que el mundo de la matriz deja en 404: una solicitud de ajuste y su comparación de
    versiones, un informe de seguimiento, el PAI publicado (la página pública más visitada) y la de error."""
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    plan = fabrica.plan_accion(m.central, EstadoPlan.APROBADO)
    pai = fabrica.publicar_pai()
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Recorte presupuestal.", "Retirar A2.")
    fabrica.ventana(1)
    fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    informe = revision.generar_informe(m.vigencia, 1, usuarios[R.OAP])
    db.session.commit()
    problemas = recorrer(navegar(), ["/publico/pai/", f"/publico/pai/{pai.id}"])
    problemas.update(recorrer(navegar(usuarios[R.DIRECTOR].email), [
        f"/admin/solicitudajuste/ficha/?id={solicitud.id}",
        f"/admin/solicitudajuste/comparar/?a={plan.id}&b={solicitud.plan_propuesto.id}"]))
    problemas.update(recorrer(navegar(usuarios[R.OAP].email), [
        f"/admin/solicitudajuste/ficha/?id={solicitud.id}", f"/admin/informeseguimiento/ficha/?id={informe.id}"]))
    # La página de error, en un contexto aparte: el 404 mismo sale en la consola, que `navegar` vigila.
    aparte = chromium.new_context(base_url=servidor)
    try:
        error = aparte.new_page()
        assert error.goto("/publico/planes/999999").status == 404
        problemas["404"] = violaciones(error)
    finally:
        aparte.close()
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_axe_si_detecta_una_violacion(contexto, navegar):
    """La prueba de arriba no pasa por no mirar: una imagen sin texto alternativo y un campo sin etiqueta
    añadidos a una página que cumple son violaciones."""
    pagina = navegar()
    pagina.goto("/publico/")
    assert violaciones(pagina) == []
    pagina.evaluate("() => { const m = document.querySelector('main');"
                    " m.insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\"><input type=\"text\">'); }")
    reglas = {linea.split(" ")[0] for linea in violaciones(pagina)}
    assert {"image-alt", "label"} <= reglas


def test_el_enlace_para_saltar_al_contenido_es_lo_primero_del_teclado(contexto, usuarios, navegar):
    pagina = navegar(usuarios[R.OAP].email)
    pagina.goto("/admin/")
    pagina.keyboard.press("Tab")
    enlace = pagina.locator(":focus")
    expect(enlace).to_have_text(re.compile(r"Ir al contenido", re.I))
    pagina.keyboard.press("Enter")
    pagina.keyboard.press("Tab")
    # El siguiente paso del teclado ya está dentro del contenido, no en el menú.
    assert pagina.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_se_ingresa_solo_con_el_teclado(contexto, usuarios, navegar):
    pagina = navegar()
    pagina.goto("/login")
    expect(pagina.locator(":focus")).to_have_attribute("name", "email")  # el correo llega con el foco
    pagina.keyboard.press("Shift+Tab")  # antes de él, solo el enlace para saltar al contenido
    expect(pagina.locator(":focus")).to_have_text(re.compile(r"Ir al contenido", re.I))
    pagina.keyboard.press("Tab")
    pagina.keyboard.type(usuarios[R.OAP].email)
    pagina.keyboard.press("Tab")
    pagina.keyboard.type(CONTRASENA)
    pagina.keyboard.press("Enter")
    expect(pagina).to_have_url(re.compile(r"/admin/"))


def tabular_hasta(pagina, selector: str, texto: str = "", atras: bool = False, maximo: int = 150) -> None:
    """Tab (o Mayús+Tab) hasta que el foco quede en un elemento que cumple el selector y contiene el texto: lo
    que haría quien no usa el ratón. Falla si no llega en `maximo` pasos."""
    for _ in range(maximo):
        pagina.keyboard.press("Shift+Tab" if atras else "Tab")
        if pagina.evaluate("([s, t]) => { const e = document.activeElement;"
                           " return !!e && e.matches(s) && e.textContent.includes(t); }", [selector, texto]):
            return
    raise AssertionError(f"el teclado no llega a {selector} «{texto}»")


def test_un_formulario_se_llena_y_se_envia_solo_con_el_teclado(contexto, usuarios, navegar):
    pagina = navegar(usuarios[R.DIRECTOR].email)
    pagina.goto("/change")
    tabular_hasta(pagina, "input[name=password]")
    pagina.keyboard.type(CONTRASENA)
    pagina.keyboard.press("Tab")
    pagina.keyboard.type("Otra.Clave.Segura.2027")
    pagina.keyboard.press("Tab")
    pagina.keyboard.type("Otra.Clave.Segura.2027")
    pagina.keyboard.press("Enter")
    expect(pagina).to_have_url(re.compile(r"/admin/"))
    expect(pagina.locator(".alert")).to_contain_text(re.compile("contraseña", re.I))


def test_una_accion_en_bloque_se_hace_solo_con_el_teclado(contexto, fabrica, usuarios, navegar):
    """La OAP marca dos planes con la barra espaciadora, abre «Con seleccionados» con Intro, elige «Devolver
    con observaciones», escribe la observación y devuelve: sin tocar el ratón."""
    m = fabrica.mundo
    planes = [fabrica.plan_accion(d, estado=EstadoPlan.ENVIADO) for d in (m.central, m.central2)]
    db.session.commit()
    pagina = navegar(usuarios[R.OAP].email)
    pagina.goto(f"{paginas.PLANES}/?flt0_estado_equals=ENVIADO")
    for plan in planes:
        tabular_hasta(pagina, f"input[name=rowid][value='{plan.id}']")
        pagina.keyboard.press("Space")
    tabular_hasta(pagina, ".dropdown-toggle", "seleccionados", atras=True)
    pagina.keyboard.press("Enter")
    tabular_hasta(pagina, ".dropdown-menu.show .dropdown-item", "Devolver")
    pagina.keyboard.press("Enter")  # el «¿Está seguro?» lo acepta el contexto (conftest.navegar)
    pagina.wait_for_url(re.compile(r"/devolver/"))
    tabular_hasta(pagina, "textarea")
    pagina.keyboard.type("Falta la meta del indicador de la actividad A2.")
    tabular_hasta(pagina, "button[type=submit]", "Devolver")
    pagina.keyboard.press("Enter")
    paginas.ver_mensaje(pagina, "2 devuelto(s)")


def test_traer_la_estructura_de_las_fichas_tecnicas_con_su_vista_previa_cumple(contexto, fabrica, usuarios, navegar):
    """«Traer de las fichas técnicas» de un PEI: el paso de subir y el de la vista previa con errores y avisos."""
    from modelos import TipoPlan

    from ..test_estructura_propia import _fichas
    plan = fabrica.plan_estrategico_en_blanco(TipoPlan.PEI, 2027)
    oap = navegar(usuarios[R.OAP].email)
    oap.goto(f"/admin/planes_estrategicos/plan/{plan.id}/libro_propio")
    problemas = {oap.url: violaciones(oap)}
    oap.set_input_files("input[type=file]", files=[{
        "name": "fichas.xlsx", "buffer": _fichas(anio_base=205),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    oap.get_by_role("button", name="Subir y asociar columnas").click()
    oap.get_by_role("button", name="Ver la vista previa").click()
    expect(oap.get_by_text("Cómo se lee cada columna")).to_be_visible()
    expect(oap.get_by_text("Lo que se interpretó o se deja vacío")).to_be_visible()
    problemas[oap.url] = violaciones(oap)
    oap.set_viewport_size({"width": 390, "height": 844})
    sobra = desborde(oap)
    if sobra:
        problemas[oap.url].append(f"a 390 px la página se sale de lado {sobra}")
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_traer_las_metas_de_las_dt_de_un_libro_propio_cumple(contexto, fabrica, usuarios, navegar):
    """«Traer metas de las DT de un libro propio»: el paso de subir y la vista previa con un error."""
    from ..libros import libro
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=2)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (5, 5, 5, 5), m.territorial2: (5, 5, 5, 5)})
    oap = navegar(usuarios[R.OAP].email)
    oap.goto(f"{paginas.PLANES}/metas_dt_libro/?id={plan.id}")
    problemas = {oap.url: violaciones(oap)}
    oap.set_input_files("input[type=file]", files=[{
        "name": "metas dt.xlsx", "buffer": libro([["Código", "DT", "T1", "T2", "T3", "T4"],
                                                  [actividad.codigo, "DT05", 4, 4, 4, 4], ["Z9", "DT76", 1, 1, 1, 1]]),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    oap.get_by_role("button", name="Subir y asociar columnas").click()
    oap.get_by_role("button", name="Ver la vista previa").click()
    expect(oap.get_by_text("1 error(es)", exact=False).first).to_be_visible()
    problemas[oap.url] = violaciones(oap)
    oap.set_viewport_size({"width": 390, "height": 844})
    sobra = desborde(oap)
    if sobra:
        problemas[oap.url].append(f"a 390 px la página se sale de lado {sobra}")
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_una_dt_trae_sus_metas_de_su_libro_y_las_paginas_cumplen(contexto, fabrica, usuarios, navegar, captura):
    """La DT, desde su lista de metas: elige el plan, sube su libro (sus títulos, un trimestre por fila), ve la
    vista previa e importa; cada paso con el teclado y sin violaciones de axe."""
    from ..libros import libro
    m = fabrica.mundo
    plan = fabrica.plan_accion(actividades=2)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (5, 5, 5, 5), m.territorial2: (5, 5, 5, 5)})
    dt = navegar(usuarios[R.TERRITORIAL].email)
    dt.goto("/admin/metaterritorial/")
    dt.get_by_role("link", name="Traer las metas de un libro propio").click()
    expect(dt.get_by_role("heading", name="Traer las metas de un libro propio")).to_be_visible()
    problemas = {dt.url: violaciones(dt)}
    captura(dt, "eleccion")
    dt.get_by_role("link", name=f"Traer del libro las metas de {plan}").click()
    problemas[dt.url] = violaciones(dt)
    dt.set_input_files("input[type=file]", files=[{
        "name": "mis metas.xlsx", "buffer": libro([["Actividad", "Regional", "Periodo", "Meta programada"],
                                                   [actividad.codigo, "Antioquia", "I trimestre", "2,5"],
                                                   [actividad.codigo, "Antioquia", "II trimestre", 7.5]]),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    dt.get_by_role("button", name="Subir y asociar columnas").click()
    dt.get_by_role("button", name="Ver la vista previa").click()
    expect(dt.get_by_text("1 actividad(es) × Dirección con metas nuevas", exact=False).first).to_be_visible()
    problemas[dt.url] = violaciones(dt)
    captura(dt, "previa")
    dt.get_by_role("button", name="Importar las metas").click()
    expect(dt.get_by_text("1 actividad(es) × Dirección con metas nuevas", exact=False).first).to_be_visible()
    db.session.expire_all()
    meta = next(mt for mt in actividad.metas_territoriales if mt.dependencia_id == m.territorial.id)
    assert (meta.meta_t1, meta.meta_t2, meta.meta_t3) == (Decimal("2.5"), Decimal("7.5"), 5)
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_traer_de_un_libro_propio_con_su_vista_previa_cumple(contexto, fabrica, usuarios, navegar):
    """La página de «Traer de un libro propio» en su paso más cargado: sugerencias con su porqué, cómo se lee
    cada columna con sus botones, errores por páginas y las actividades que se borrarían por confirmar."""
    from ..test_importar_mapeo import _libro_de_oficina
    plan = fabrica.plan_accion(actividades=3)
    db.session.commit()
    director = navegar(usuarios[R.DIRECTOR].email)
    director.goto(f"{paginas.PLANES}/libro_propio/?id={plan.id}")
    director.set_input_files("input[type=file]", files=[{
        "name": "plan 2026.xlsx", "buffer": _libro_de_oficina(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    director.get_by_role("button", name="Subir y asociar columnas").click()
    director.get_by_role("button", name="Ver la vista previa").click()
    expect(director.get_by_text("Cómo se lee cada columna")).to_be_visible()
    expect(director.get_by_text("Se borrarían 3 actividad(es)")).to_be_visible()
    problemas = {director.url: violaciones(director)}
    director.set_viewport_size({"width": 390, "height": 844})
    sobra = desborde(director)
    if sobra:
        problemas[director.url].append(f"a 390 px la página se sale de lado {sobra}")
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_las_tablas_por_paginas_con_busqueda_cumplen(contexto, fabrica, usuarios, navegar, monkeypatch):
    """El cuadro de Control Interno, la calidad del reporte y el tablero de una en una dependencia: la
    paginación, la búsqueda con y sin resultados y la página 2 (el mundo de la matriz cabe en una página)."""
    from vistas import paginacion, tablero
    monkeypatch.setattr(paginacion, "POR_PAGINA", 1)
    monkeypatch.setattr(tablero, "POR_PAGINA", 1)  # el tablero corta su página en la base con el suyo
    m = fabrica.mundo
    for dependencia in (m.central, m.central2):
        fabrica.reporte(fabrica.plan_accion(dependencia, EstadoPlan.APROBADO), 1, {"A1": 10, "A2": 5})
    db.session.commit()
    cuadro = "/admin/verificacion_oci/cuadro/?vigencia=2026&periodo=T1"
    calidad = "/admin/calidad_reporte/?vigencia=2026&trimestre=1"
    problemas = recorrer(navegar(usuarios[R.CONTROL_INTERNO].email),
                         [cuadro, f"{cuadro}&pagina=2", f"{cuadro}&q={m.central2.nombre[:8]}", f"{cuadro}&q=xyz"])
    problemas.update(recorrer(navegar(usuarios[R.OAP].email),
                              [calidad, f"{calidad}&pagina=2", f"{calidad}&q=xyz",
                               "/admin/tablero/?vigencia=2026&trimestre=1&pagina=2"]))
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_la_vista_previa_de_un_libro_grande_en_un_trabajo_cumple(contexto, fabrica, usuarios, navegar):
    """Un libro de más filas que el umbral: «Ver la vista previa» lleva a la página del trabajo (su progreso, su
    resultado) y de ella a la vista previa con el mismo mapeo; las dos páginas, bajo axe."""
    from ..test_previa_en_trabajo import _libro
    # Una meta que no es un número cada 15 filas: la columna se sugiere (pocas celdas malas) y la vista previa las
    # lista (con la mitad de las celdas malas no se sugeriría: test_importar_mapeo).
    grande = _libro([["Código", "Actividad", "Meta"]] + [
        [f"C{i:03d}", f"Actividad número {i}", "mucho" if i % 15 == 0 else "0,167"] for i in range(70)])
    plan = fabrica.plan_accion(actividades=3)
    db.session.commit()
    antes = contexto.config["GESTION_TRABAJOS_UMBRAL"]
    contexto.config["GESTION_TRABAJOS_UMBRAL"] = 20
    try:
        director = navegar(usuarios[R.DIRECTOR].email)
        director.goto(f"{paginas.PLANES}/libro_propio/?id={plan.id}")
        director.set_input_files("input[type=file]", files=[{
            "name": "plan grande.xlsx", "buffer": grande,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
        director.get_by_role("button", name="Subir y asociar columnas").click()
        director.get_by_role("button", name="Ver la vista previa").click()
        expect(director.get_by_text("Vista previa lista: 70 actividad(es)")).to_be_visible()
        problemas = {director.url: violaciones(director)}
        director.get_by_role("link", name="Ver la vista previa").click()
        expect(director.get_by_text("Cómo se lee cada columna")).to_be_visible()
        expect(director.get_by_text("Errores (5)")).to_be_visible()
        problemas[director.url] = violaciones(director)
    finally:
        contexto.config["GESTION_TRABAJOS_UMBRAL"] = antes
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_traer_varias_dependencias_con_su_vista_previa_cumple(contexto, fabrica, usuarios, navegar):
    """«Traer varias dependencias de un libro» en su paso más cargado: hojas dejadas fuera, una dependencia y una
    unidad por decidir, cada dependencia con lo que le pasa y los errores."""
    from ..test_importar_varias import _dos_dependencias_en_una_hoja
    fabrica.plan_accion(actividades=1)
    db.session.commit()
    oap = navegar(usuarios[R.OAP].email)
    oap.goto(f"{paginas.PLANES}/libro_varias/")
    oap.set_input_files("input[type=file]", files=[{
        "name": "planes 2026.xlsx", "buffer": _dos_dependencias_en_una_hoja(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    oap.get_by_role("button", name="Subir y asociar columnas").click()
    oap.get_by_role("button", name="Ver la vista previa").click()
    expect(oap.get_by_text("Dependencias que el catálogo no tiene (1)")).to_be_visible()
    expect(oap.get_by_text("Valores que faltan en los catálogos (1)")).to_be_visible()
    problemas = {oap.url: violaciones(oap)}
    oap.set_viewport_size({"width": 390, "height": 844})
    sobra = desborde(oap)
    if sobra:
        problemas[oap.url].append(f"a 390 px la página se sale de lado {sobra}")
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)


def test_la_plantilla_grande_que_borraria_actividades_se_confirma_en_su_trabajo_y_cumple(
        contexto, fabrica, usuarios, navegar):
    from ..test_trabajos import _fila
    from ..test_trabajos import _libro as plantilla
    plan = fabrica.plan_accion(actividades=3)
    db.session.commit()
    antes = contexto.config["GESTION_TRABAJOS_UMBRAL"]
    contexto.config["GESTION_TRABAJOS_UMBRAL"] = 20
    try:
        director = navegar(usuarios[R.DIRECTOR].email)
        director.goto(f"{paginas.PLANES}/cargar_actividades/?id={plan.id}")
        director.set_input_files("input[type=file]", files=[{
            "name": "grande.xlsx", "buffer": plantilla([_fila(f"N{i:02d}", peso=4) for i in range(25)]),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
        director.get_by_role("button", name="Cargar las actividades").click()
        expect(director.get_by_role("button", name="Cargar y borrar 3 actividad(es)")).to_be_visible()
        problemas = {director.url: violaciones(director)}
    finally:
        contexto.config["GESTION_TRABAJOS_UMBRAL"] = antes
    problemas = {url: lineas for url, lineas in problemas.items() if lineas}
    assert not problemas, _informe(problemas)
