"""Ningún dato mal formado da un 500 ni deja guardado algo que una página después no pueda mostrar.

El corpus tiene las clases medidas: enteros más allá de 32/64 bits, cifras que no se pueden redondear, NaN
e infinito, valores fuera de una enumeración, NUL y otros controles, textos más largos que su columna.
Cada campo de cada formulario de edición del panel los recibe uno por uno sobre un formulario válido, cada
filtro de cada lista y cada parámetro de ruta también; al final todas las páginas siguen abriendo."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from gestion.reglas import roles as R
from gestion.reglas.controles_plan_accion import ITEMS_JUICIO
from modelos import Actividad, Dependencia, EstadoPlan, Plan, db

from .formularios import campos_del_formulario, formulario_editable, vistas_de_modelo
from .test_rutas import LIMITADOS, PROPIAS, PUBLICO, casos_para, rutas_de
from .test_rutas import _armar_mundo as armar_mundo_de_rutas

ENTERO_ENORME = "99999999999999999999"
# Cada clase una vez: lo que cada campo recibe por separado, sobre un formulario que por lo demás es válido.
CORPUS = [ENTERO_ENORME, "-99999999999", "1e308", "1E+999999", "NaN", "12345678901234567890123",
          "valor_inexistente", "31/02/2026", "x" * 5_000]
# Los caracteres de control se rechazan en la petición, antes de cualquier vista: basta un envío por formulario.
CONTROLES = ["texto\x00nulo", "campana\x07"]
EDITORES = (R.OAP, R.DIRECTOR, R.TERRITORIAL, R.ADMINISTRADOR)


@pytest.fixture
def mundo_completo(fabrica, usuarios):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central)
    plan = fabrica.plan_accion(m.central, proyecto=proyecto)
    fabrica.actividad_territorial(plan, {m.territorial: (1, 1, 1, 1)})
    fabrica.ventana(1)
    return plan


def _paginas_que_deben_abrir(app, plan) -> list[str]:
    paginas = [v.url + "/" for v in vistas_de_modelo(app)]
    for vista in vistas_de_modelo(app):
        for clave in db.session.scalars(sa.select(vista.model.id).limit(3)):
            paginas.append(f"{vista.url}/details/?id={clave}")
    return paginas + [f"/admin/planes_accion/ficha/?id={plan.id}",
                      f"/admin/planes_accion/plantilla_actividades/?id={plan.id}", "/admin/tablero/", "/admin/"]


def _todas_abren(app, navegadores, plan):
    fallas = []
    for cliente in navegadores:
        for pagina in _paginas_que_deben_abrir(app, plan):
            codigo = cliente.get(pagina).status_code
            if codigo >= 500:
                fallas.append((pagina, codigo))
    assert not fallas, fallas


def test_cada_campo_de_cada_formulario_resiste_el_corpus(app, navegador, usuarios, mundo_completo):
    navegadores = {rol: navegador(usuarios[rol]) for rol in EDITORES}
    probados = []
    for vista in vistas_de_modelo(app):
        encontrado = formulario_editable(vista, navegadores)
        if encontrado is None:
            continue
        rol, url, formulario = encontrado
        base = formulario.campos
        probados.append(vista.endpoint)
        for campo in base:
            if campo in ("csrf_token", "version_formulario"):
                continue
            for valor in CORPUS:
                datos = {**base, campo: [valor]}
                if "version_formulario" in base and "/edit/" in url:
                    db.session.expire_all()
                    objeto = db.session.get(vista.model, int(url.rsplit("=", 1)[1]))
                    datos["version_formulario"] = [str(objeto.version)]
                respuesta = navegadores[rol].post(url, data=datos)
                assert respuesta.status_code < 500, (vista.endpoint, campo, valor[:30], respuesta.status_code)
        for control in CONTROLES:
            datos = {campo: [control] if campo != "csrf_token" else valores for campo, valores in base.items()}
            assert navegadores[rol].post(url, data=datos).status_code == 400, (vista.endpoint, control)
    assert {"actividad", "dependencia", "usuario", "proyectoinversion", "planes_accion", "indicador"} <= set(probados)
    _todas_abren(app, navegadores.values(), mundo_completo)


def test_la_actividad_no_guarda_nan_ni_infinito_y_lee_cifras_colombianas(navegador, usuarios, mundo_completo):
    actividad = mundo_completo.actividades[1]
    director = navegador(usuarios[R.DIRECTOR])
    url = f"/admin/actividad/edit/?id={actividad.id}"
    base = campos_del_formulario(director.texto(url))
    for malo in ("NaN", "1E+999999", "1e308", "12345678901234567890123"):
        html = director.post(url, data={**base, "meta_anual": [malo]}, follow_redirects=True).get_data(as_text=True)
        assert "Escriba un número" in html
    db.session.expire_all()
    assert db.session.get(Actividad, actividad.id).meta_anual == Decimal(40)
    respuesta = director.post(url, data={**base, "presupuesto": ["250.000.000"]})
    assert respuesta.status_code == 302
    db.session.expire_all()
    assert db.session.get(Actividad, actividad.id).presupuesto == Decimal(250_000_000)


@pytest.mark.parametrize("valor", ["enviado", "NO_EXISTE", ENTERO_ENORME])
def test_un_filtro_con_un_valor_que_no_existe_se_ignora_con_un_aviso(navegador, usuarios, mundo_completo, valor):
    html = navegador(usuarios[R.OAP]).texto(f"/admin/planes_accion/?flt0_estado_equals={valor}")
    assert "Se ignoró el filtro «Estado»" in html
    assert mundo_completo.dependencia.nombre in html


def _lector(vista, navegadores):
    return navegadores[R.ADMINISTRADOR if vista.recurso == "usuarios" else R.OAP]


def test_cada_filtro_de_cada_lista_resiste_el_corpus(app, navegador, usuarios, mundo_completo):
    navegadores = {rol: navegador(usuarios[rol]) for rol in (R.OAP, R.ADMINISTRADOR)}
    fallas = []
    for vista in vistas_de_modelo(app):
        if not vista._filter_args:
            continue
        for valor in CORPUS:
            # Todos los filtros de la lista a la vez: los que no valen se ignoran uno por uno.
            consulta = {f"flt{i}_{clave}": valor for i, clave in enumerate(vista._filter_args)}
            codigo = _lector(vista, navegadores).get(f"{vista.url}/", query_string=consulta).status_code
            if codigo >= 500:
                fallas.append((vista.endpoint, valor[:30], codigo))
    assert not fallas, fallas


@pytest.mark.parametrize("parametros", [{"page": "-1"}, {"page": ENTERO_ENORME}, {"page_size": "-5"},
                                        {"sort": ENTERO_ENORME}, {"desc": "x"}, {"search": "a\x00b"}])
def test_la_paginacion_y_el_orden_mal_formados_no_rompen_ninguna_lista(app, navegador, usuarios, mundo_completo,
                                                                       parametros):
    navegadores = {rol: navegador(usuarios[rol]) for rol in (R.OAP, R.ADMINISTRADOR)}
    for vista in vistas_de_modelo(app):
        codigo = _lector(vista, navegadores).get(f"{vista.url}/", query_string=parametros).status_code
        assert codigo in (200, 400), vista.endpoint


def test_un_id_enorme_en_la_ruta_o_la_consulta_es_un_404(app, navegador, usuarios, mundo_completo):
    anonimo, oap = navegador(), navegador(usuarios[R.OAP])
    assert anonimo.get(f"/publico/planes/{ENTERO_ENORME}").status_code == 404
    assert anonimo.get("/publico/planes/2147483648").status_code == 404
    fallas = []
    for regla in app.url_map.iter_rules():
        if "GET" not in regla.methods or not regla.arguments - {"filename"}:
            continue
        if any(regla._converters[a].__class__.__name__ != "EnteroAcotado" for a in regla.arguments):
            continue
        url = regla.build({a: 1 for a in regla.arguments})[1].replace("/1", f"/{ENTERO_ENORME}")
        codigo = oap.get(url).status_code
        if codigo != 404:
            fallas.append((url, codigo))
    for vista in vistas_de_modelo(app):
        for accion in ("edit", "details"):
            codigo = oap.get(f"{vista.url}/{accion}/?id={ENTERO_ENORME}").status_code
            if codigo not in (302, 403, 404):
                fallas.append((vista.endpoint, accion, codigo))
    assert not fallas, fallas


def test_un_texto_mas_largo_que_su_columna_vuelve_con_un_mensaje(navegador, usuarios, fabrica):
    assert fabrica.mundo
    html = navegador(usuarios[R.OAP]).post("/admin/dependencia/new/", data={
        "codigo": "X" * 500, "nombre": "Larga", "tipo": "central"}, follow_redirects=True).get_data(as_text=True)
    assert "no puede tener más de 20 caracteres" in html
    assert db.session.scalar(sa.select(Dependencia).filter_by(nombre="Larga")) is None


def test_un_caracter_de_control_se_rechaza_en_espanol(navegador, usuarios, fabrica):
    assert fabrica.mundo
    respuesta = navegador(usuarios[R.OAP]).post("/admin/unidadmedida/new/", data={
        "codigo": "CTRL", "nombre": "Unidad\x01rara"})
    assert respuesta.status_code == 400
    assert "caracteres de control" in respuesta.get_data(as_text=True)


def test_la_base_rechaza_una_cifra_infinita_o_nan_aunque_el_codigo_la_dejara_pasar(fabrica):
    plan = fabrica.plan_accion()
    actividad = plan.actividades[0]
    for columna in ("meta_anual", "presupuesto"):
        with pytest.raises(sa.exc.IntegrityError):
            with db.engine.begin() as conexion:
                conexion.execute(sa.update(Actividad.__table__).where(Actividad.__table__.c.id == actividad.id)
                                 .values({columna: sa.literal_column("'NaN'") if db.engine.dialect.name ==
                                          "postgresql" else sa.literal_column("9e999")}))
    assert db.session.get(Plan, plan.id).estado is EstadoPlan.BORRADOR


def test_una_accion_en_bloque_con_ids_enormes_o_de_texto_no_borra_nada_ni_falla(navegador, usuarios, fabrica):
    unidad = fabrica.mundo.unidad
    respuesta = navegador(usuarios[R.OAP]).post("/admin/unidadmedida/action/", data={
        "action": "delete", "rowid": [ENTERO_ENORME, "uno", "-5"]})
    assert respuesta.status_code == 302
    assert db.session.get(type(unidad), unidad.id) is not None


# --- las rutas propias (las que no son de Flask-Admin): su consulta, su formulario y su ruta ------------------
VISTAS = Path(__file__).resolve().parent.parent / "vistas"
# Cada clase una vez, también las de fechas y páginas; los controles dan 400 en el borde, antes de la vista.
CORPUS_RUTAS = CORPUS + ["-1", "2026-13-45", "nulo\x00"]


def parametros_leidos() -> set[str]:
    """Los nombres que las vistas leen de la petición, sacados de su código: un parámetro nuevo entra solo.
    Los campos por fila (`valor-{id}`) se prueban con los ids de las primeras filas y los puntos de juicio."""
    fuente = "\n".join(p.read_text() for p in VISTAS.glob("*.py"))
    nombres = set(re.findall(r'(?:request\.(?:args|form|values|files)|fuente)\.(?:get|getlist)\("([a-z_]+)"',
                             fuente))
    nombres |= set(re.findall(r'(?:entero|fecha_del_formulario)\("([a-z_]+)"', fuente))
    nombres |= {"page", "page_size", "sort", "desc", "search"}
    for prefijo in set(re.findall(r'f"([a-z_]+-)\{', fuente)):
        nombres |= {f"{prefijo}{i}" for i in range(1, 9)} | {f"{prefijo}{item}" for item in ITEMS_JUICIO}
    return nombres


def _quien_prueba(regla, casos_de) -> tuple[str, dict]:
    """Quien pasa la ruta, con su fila propia si la tiene: así el corpus llega hasta la vista."""
    if regla.quien == PUBLICO:
        return "anónimo", casos_de("anónimo")
    candidatos = sorted(regla.quien, key=lambda r: (r not in LIMITADOS, r))
    for rol in candidatos:
        if "propia" in casos_de(rol):
            return rol, casos_de(rol)
    return candidatos[0], casos_de(candidatos[0])


def test_cada_ruta_propia_resiste_el_corpus_en_su_consulta_su_formulario_y_su_ruta(app, navegador, fabrica,
                                                                                   usuarios):
    filas = armar_mundo_de_rutas(fabrica)
    rutas = {clave: regla for clave, regla in rutas_de(app).items() if clave in PROPIAS}
    assert len(rutas) > 60
    vistas = {v.endpoint: v for v in vistas_de_modelo(app)}
    clientes = {"anónimo": navegador(), **{rol: navegador(usuarios[rol]) for rol in sorted(R.DESCRIPCIONES)}}
    nombres = parametros_leidos()
    assert {"id", "vigencia", "trimestre", "fecha", "numero", "valor-1", "cumple-normas"} <= nombres
    fallas, abiertas = [], []
    for clave, regla_werkzeug in sorted(rutas.items()):
        seccion = regla_werkzeug.endpoint.split(".")[0]
        modelo = getattr(vistas.get(seccion), "model", None)
        rol, casos = _quien_prueba(PROPIAS[clave], lambda r, seccion=seccion, modelo=modelo: casos_para(filas, seccion, modelo, r))
        fila = casos.get("propia") or casos["ajena"]
        cliente = clientes[rol]
        metodo = "POST" if clave.startswith("POST ") else "GET"
        for valor in CORPUS_RUTAS:
            for con_fila in (False, True):
                # Un texto interminable basta en los campos con nombre propio (los por fila ya son cientos).
                datos = {n: valor for n in nombres if len(valor) < 100 or not n[-1].isdigit()}
                if con_fila:
                    datos.update(id=fila, plan_id=fila)
                argumentos = {a: (fila if con_fila or a not in ("clave", "export_type") else valor)
                              for a in regla_werkzeug.arguments}
                url = regla_werkzeug.build(argumentos)[1]
                try:
                    if metodo == "GET":
                        codigo = cliente.get(url, query_string=datos).status_code
                    else:
                        codigo = cliente.post(url, query_string={"id": datos["id"]}, data=datos).status_code
                except Exception as error:  # las pruebas propagan la excepción que sería un 500
                    codigo = f"{type(error).__name__}: {str(error)[:60]}"
                if not isinstance(codigo, int) or codigo >= 500:
                    fallas.append((clave, rol, repr(valor[:20]), con_fila, codigo))
        if metodo == "GET":
            abiertas.append((cliente, regla_werkzeug.build({a: fila for a in regla_werkzeug.arguments})[1], fila))
    assert not fallas, "\n".join(map(str, sorted(set(fallas))))
    # Lo que haya quedado guardado se deja mostrar: cada página propia y cada lista siguen abriendo.
    cerradas = [(url, r.status_code) for cliente, url, fila in abiertas
                if (r := cliente.get(url, query_string={"id": fila})).status_code >= 500]
    assert not cerradas, cerradas
    _todas_abren(app, [clientes[R.OAP], clientes[R.DIRECTOR], clientes[R.ADMINISTRADOR]],
                 db.session.get(Plan, filas["planes_accion"]["central"]))
