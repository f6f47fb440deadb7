"""La OAP trae en una importación los planes de acción de varias dependencias: una columna (o el nombre de la hoja)
dice la dependencia de cada fila, varias hojas con un mismo mapeo, las hojas que no son datos quedan fuera con su
razón, y lo que falta en los catálogos (dependencias, unidades, BPIN, políticas) se dice una vez y se crea o se
asocia en la misma importación. Todo o nada. Con los libros reales de Medellín, Dosquebradas y Tenjo."""
import re
from collections import Counter
from io import BytesIO
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from gestion.importacion import reparto as V
from gestion.importacion.catalogos_nuevos import Decision
from gestion.importacion.lectura import ImportacionRechazada, normalizar
from gestion.reglas import roles as R
from gestion.reglas.permisos import AccesoDenegado
from modelos import (
    Actividad,
    Dependencia,
    EstadoPlan,
    Objetivo,
    Plan,
    ProyectoInversion,
    RegistroAuditoria,
    TipoPlan,
    UnidadMedida,
    db,
)

MEDELLIN = "MEDELLIN_MISE_PPPC_SEGUIMIENTO_2025_CORTE_2025-06-30.xlsx"
IDM_2021 = "IDM_DOSQUEBRADAS_PLAN_ACCION_INTEGRADO_MIPG_2021.xlsx"
IDM_2020 = "IDM_DOSQUEBRADAS_PLAN_ACCION_INTEGRADO_MIPG_2020.xlsx"
TENJO = "PLAN_INDICATIVO_TENJO_2024-2027.xlsx"
HOSPITAL = "ESE_HSVP_REMEDIOS_POA_2022.xlsx"
# Lo que el libro de Medellín dice de cada dependencia: filas por dependencia en la hoja consolidada.
POR_DEPENDENCIA_MEDELLIN = {
    "Secretaría de Participación Ciudadana": 50, "Departamento Administrativo de Planeación Distrital": 9,
    "Secretaría de Educación": 7, "Secretaría de las Mujeres": 7, "Gerencia Étnica": 6, "Secretaría de la Juventud": 5,
    "Secretaría de Inclusión Social y Familia": 4, "Secretaría de Paz y Derechos Humanos": 4,
    "Secretaría de Gestión Humana y Servicio a la Ciudadanía": 3, "Secretaría de Cultura Ciudadana": 1}


def _altas(dependencia, unidad) -> set:
    """Quién creó, según la auditoría, la dependencia y la unidad."""
    return set(db.session.scalars(sa.select(RegistroAuditoria.usuario_email).where(
        RegistroAuditoria.accion == "crear",
        ((RegistroAuditoria.tabla == "dependencia") & (RegistroAuditoria.objeto_id == str(dependencia.id)))
        | ((RegistroAuditoria.tabla == "unidad_medida") & (RegistroAuditoria.objeto_id == str(unidad.id))))))


def _actividades_de(dependencia) -> int:
    return db.session.scalar(sa.select(sa.func.count(Actividad.id)).join(Plan).where(
        Plan.dependencia_id == dependencia.id, Plan.tipo == TipoPlan.PA))


def _libro(hojas: dict[str, list[list]]) -> bytes:
    libro = Workbook()
    libro.remove(libro.active)
    for nombre, filas in hojas.items():
        hoja = libro.create_sheet(nombre)
        for fila in filas:
            hoja.append(fila)
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


@pytest.fixture
def oap(usuarios):
    return usuarios[R.OAP]


def _dos_dependencias_en_una_hoja(unidad="Número") -> bytes:
    return _libro({
        "Instrucciones": [["Cómo llenar este libro"], ["Una fila por actividad"]],
        "Plan": [["PLAN DE ACCIÓN 2026"], [],
                 ["Actividad", "Unidad de medida", "Meta", "Dependencia responsable"],
                 ["Programa 1. Inspección"],
                 ["Visitas de inspección", unidad, 10, "DIRECCIÓN DE INSPECCIÓN, VIGILANCIA, CONTROL Y GESTION "
                                                       "TERRITORIAL\n"],
                 ["Talleres de formalización", "Km", 5, "2200"],
                 ["Ferias de empleo", "Km", 4, "Direccion de Generacion y Proteccion del Empleo "],
                 ["Mesas técnicas", "Km", 2, "Oficina de Cooperación"]],
        "Vacía": []})


PEDIDO = dict(columnas={"descripcion": "Actividad", "unidad": "Unidad de medida", "meta_anual": "Meta"},
              dependencia="Dependencia responsable")


def test_una_hoja_con_varias_dependencias_se_lee_por_dependencia_y_lo_que_falta_se_dice_una_vez(fabrica, oap):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    fabrica.plan_accion(m.central2, actividades=0)
    contenido = _dos_dependencias_en_una_hoja()
    pedido = V.Pedido(hojas=["Instrucciones", "Plan", "Vacía"], **PEDIDO)
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)

    hojas = {h.nombre: h for h in previa.hojas}
    assert hojas["Plan"].fila == 3 and hojas["Plan"].filas == 4
    assert hojas["Plan"].omitidas == [(4, "agrupación (programa o subprograma) sin cifras")]
    assert "no es una tabla de actividades" in hojas["Instrucciones"].motivo and hojas["Vacía"].motivo == "está vacía"
    # Por nombre (sin tildes, mayúsculas ni saltos de línea) y por código.
    assert {d.nombre: len(d.filas) for d in previa.dependencias} == {m.central.nombre: 1, m.central2.nombre: 2}
    # La dependencia que no está: una vez, con sus filas; la unidad que falta: una vez, no una por fila.
    (sin,) = previa.sin_dependencia
    assert sin.valor == "Oficina de Cooperación" and sin.filas == 1
    assert [b for b in previa.bloqueos if "Oficina de Cooperación" in b]
    (km,) = previa.faltantes
    assert (km.campo, km.valor, len(km.filas)) == ("unidad", "Km", 3)
    assert [str(e) for e in previa.errores] == [
        "Fila 6: (hoja «Plan») «Unidad de medida» «Km» no está en el catálogo; lo citan 3 fila(s): créelo o "
        "asócielo a uno existente."]
    with pytest.raises(ImportacionRechazada):
        V.importar(contenido, m.vigencia, pedido, oap)
    assert db.session.scalar(sa.select(sa.func.count(Actividad.id))) == 0


def test_la_oap_crea_en_la_misma_importacion_la_dependencia_su_plan_y_la_unidad(fabrica, oap):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    fabrica.plan_accion(m.central2, actividades=0)
    contenido = _dos_dependencias_en_una_hoja()
    pedido = V.Pedido(hojas=["Plan"], **PEDIDO, crear_planes=True,
                      asignadas={normalizar("Oficina de Cooperación"): Decision(crear=True, codigo="1300")},
                      decisiones={("unidad", "km"): Decision(crear=True, nombre="Kilómetros")})
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert previa.importable, previa.bloqueos + [str(e) for e in previa.errores]
    nueva = next(d for d in previa.dependencias if d.dependencia is None)
    assert "se crea en el catálogo" in nueva.accion
    reparto = V.importar(contenido, m.vigencia, pedido, oap)
    db.session.commit()
    cooperacion = db.session.scalar(sa.select(Dependencia).filter_by(codigo="1300"))
    assert cooperacion.nombre == "Oficina de Cooperación"
    plan = db.session.scalar(sa.select(Plan).filter_by(dependencia_id=cooperacion.id))
    assert plan.estado is EstadoPlan.BORRADOR and [a.descripcion for a in plan.actividades] == ["Mesas técnicas"]
    unidad = db.session.scalar(sa.select(UnidadMedida).filter_by(nombre="Kilómetros"))
    assert {a.unidad_id for a in plan.actividades} == {unidad.id}
    assert _altas(cooperacion, unidad)  # lo creado queda en la auditoría
    assert (_actividades_de(m.central), _actividades_de(m.central2)) == (1, 2)
    assert "4 actividades importadas en 3 planes de acción" in reparto.mensaje()


def test_si_una_dependencia_falla_no_se_crea_nada(fabrica, oap):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    fabrica.plan_accion(m.central2, estado=EstadoPlan.APROBADO, actividades=1)
    contenido = _dos_dependencias_en_una_hoja()
    pedido = V.Pedido(hojas=["Plan"], **PEDIDO, crear_planes=True,
                      asignadas={normalizar("Oficina de Cooperación"): Decision(crear=True, codigo="1300")},
                      decisiones={("unidad", "km"): Decision(crear=True)})
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    # El plan aprobado no admite contenido: bloquea, con su razón.
    assert [b for b in previa.bloqueos if m.central2.nombre in b and "aprobado" in b.lower()]
    with pytest.raises(ImportacionRechazada):
        V.importar(contenido, m.vigencia, pedido, oap)
    db.session.rollback()  # lo que hace el borde de la operación
    assert db.session.scalar(sa.select(Dependencia).filter_by(codigo="1300")) is None
    assert db.session.scalar(sa.select(UnidadMedida).filter_by(nombre="Km")) is None
    assert _actividades_de(m.central) == 0


def test_sin_plan_de_la_vigencia_se_dice_que_hacer(fabrica, oap):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    contenido = _dos_dependencias_en_una_hoja(unidad="Número")
    pedido = V.Pedido(hojas=["Plan"], columnas={"descripcion": "Actividad", "meta_anual": "Meta"},
                      dependencia="Dependencia responsable",
                      asignadas={normalizar("Oficina de Cooperación"): Decision(usar=m.central.codigo)})
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert previa.bloqueos == [f"{m.central2.nombre}: No tiene Plan de Acción 2026: solicítelo (marque «Solicitar "
                               "los planes que falten») o quite sus filas del libro."]
    # Una Dirección Territorial no formula plan de acción: ni pidiendo que se soliciten los que falten.
    pedido.asignadas = {normalizar("Oficina de Cooperación"): Decision(usar=m.territorial.codigo)}
    pedido.crear_planes = True
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert previa.bloqueos == [f"{m.territorial.nombre}: Es dirección territorial: no formula Plan de Acción (solo "
                               "las dependencias del nivel central); asocie sus filas a la dependencia que la tiene a "
                               "cargo o quítelas del libro."]


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.TERRITORIAL, R.ENTIDAD, R.CONTROL_INTERNO, R.ADMINISTRADOR,
                                 R.COMITE_INSTITUCIONAL])
def test_solo_la_oap_trae_varias_dependencias(fabrica, usuarios, rol):
    contenido = _dos_dependencias_en_una_hoja()
    with pytest.raises(AccesoDenegado):
        V.vista_previa(contenido, fabrica.mundo.vigencia, V.Pedido(hojas=["Plan"], **PEDIDO), usuarios[rol])


def test_el_jefe_oap_tambien(fabrica, usuarios):
    previa = V.vista_previa(_dos_dependencias_en_una_hoja(), fabrica.mundo.vigencia,
                            V.Pedido(hojas=["Plan"], **PEDIDO), usuarios[R.JEFE_OAP])
    assert previa.sin_dependencia


# --- libros reales ---------------------------------------------------------------------------------
def _dependencias(fabrica, nombres, con_plan=True):
    creadas = {}
    for i, nombre in enumerate(nombres):
        dependencia = fabrica.dependencia(f"M{i:02d}", nombre)
        if con_plan:
            fabrica.plan_accion(dependencia, actividades=0)
        creadas[nombre] = dependencia
    return creadas


def test_medellin_la_hoja_consolidada_va_a_los_planes_de_sus_diez_dependencias(fabrica, oap, libro_real):
    m = fabrica.mundo
    contenido = libro_real(MEDELLIN)
    assert V.sugerir_dependencia(V.M.titulos(contenido, "Consolidado 2025", 8)) == \
        "Nombre Dependencia Responsable (reporte)"
    # Nueve en el catálogo, escritas a la manera del catálogo (sin el salto de línea del libro); una no está.
    dependencias = _dependencias(fabrica, [n for n in POR_DEPENDENCIA_MEDELLIN if n != "Gerencia Étnica"])
    hojas = ["1. Instructivo diligenciamiento", "Consolidado 2025", "CUADRO DE SEGUIMIENTO"]
    # El mapeo que sugiere la página: la descripción es el producto (cuatro filas no nombran su indicador).
    pedido = V.Pedido(hojas=hojas, columnas={"descripcion": "Producto", "indicador": "Indicador de Producto",
                                             "unidad": "Unidad de medida del indicador"},
                      dependencia="Nombre Dependencia Responsable (reporte)")
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    por_hoja = {h.nombre: h for h in previa.hojas}
    assert por_hoja["Consolidado 2025"].fila == 8 and por_hoja["Consolidado 2025"].filas == 96
    assert por_hoja["1. Instructivo diligenciamiento"].motivo and por_hoja["CUADRO DE SEGUIMIENTO"].motivo
    (etnica,) = previa.sin_dependencia
    assert (etnica.valor, etnica.filas) == ("Gerencia Étnica", 6)
    # «Porcentaje», «Porcentaje » y «porcentaje »: un valor, una vez.
    assert [(f.valor.strip(), len(f.filas)) for f in previa.faltantes] == [("Porcentaje", 14)]

    pedido.asignadas = {normalizar("Gerencia Étnica"): Decision(crear=True, codigo="ETNICA")}
    pedido.decisiones = {("unidad", "porcentaje"): Decision(crear=True, codigo="PORC")}
    pedido.crear_planes = True
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    # Un indicador más largo de lo que el plan guarda: se dice en su fila y hoja; la OAP deja esa columna fuera.
    assert [str(e) for e in previa.errores] == [
        "Fila 25: (hoja «Consolidado 2025», Secretaría de Educación) «Indicador» tiene 303 caracteres; el máximo es "
        "300."]
    del pedido.columnas["indicador"]
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert previa.importable, previa.bloqueos + [str(e) for e in previa.errores[:5]]
    assert len(previa.dependencias) == 10
    V.importar(contenido, m.vigencia, pedido, oap)
    db.session.commit()
    dependencias["Gerencia Étnica"] = db.session.scalar(sa.select(Dependencia).filter_by(codigo="ETNICA"))
    assert {n: _actividades_de(d) for n, d in dependencias.items()} == POR_DEPENDENCIA_MEDELLIN


def test_medellin_con_la_columna_de_codigo_sus_codigos_repetidos_se_dicen_en_su_fila(fabrica, oap, libro_real):
    m = fabrica.mundo
    contenido = libro_real(MEDELLIN)
    _dependencias(fabrica, POR_DEPENDENCIA_MEDELLIN)
    pedido = V.Pedido(hojas=["Consolidado 2025"], columnas={"codigo": "Código Indicador",
                                                            "descripcion": "Producto"},
                      dependencia="Código Dependencia Responsable (reporte)")
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    # Por código la columna no dice nada del catálogo de la prueba: cada código es un valor a decidir, una vez.
    assert len(previa.sin_dependencia) == 10 and sum(s.filas for s in previa.sin_dependencia) == 96
    pedido.dependencia = "Nombre Dependencia Responsable (reporte)"
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    repetidos = [str(e) for e in previa.errores if "ya está en la fila" in str(e)]
    assert len(repetidos) == 2 and all("432" in e or "499" in e for e in repetidos)


def test_medellin_cada_hoja_de_dependencia_con_su_propia_fila_de_titulos(fabrica, oap, libro_real):
    m = fabrica.mundo
    contenido = libro_real(MEDELLIN)
    hojas = [h for h in V.M.hojas(contenido) if h.startswith("Matriz_MISE")]
    dependencias = _dependencias(fabrica, POR_DEPENDENCIA_MEDELLIN)
    # Los títulos de la primera hoja: las otras dicen «Producto» donde esta dice «Producto/accion».
    pedido = V.Pedido(hojas=hojas, columnas={"codigo": "Código Indicador", "descripcion": "Producto/accion"})
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    filas = {h.nombre.strip(): h.fila for h in previa.hojas}
    assert (filas["Matriz_MISE_Cultura_300625"], filas["Matriz_MISE_Juventud_300325"],
            filas["Matriz_MISE_SPC_300625"]) == (8, 9, 11)
    # El nombre de la hoja no es el de la dependencia: cada una se asocia, con la sugerencia a la vista.
    assert len(previa.sin_dependencia) == 10
    por_hoja = {"Cultura": "Secretaría de Cultura Ciudadana", "DAP": "Departamento Administrativo de Planeación "
                "Distrital", "Educación": "Secretaría de Educación", "Étnica": "Gerencia Étnica",
                "Juventud": "Secretaría de la Juventud", "GH": "Secretaría de Gestión Humana y Servicio a la "
                "Ciudadanía", "Mujeres": "Secretaría de las Mujeres", "PazDH": "Secretaría de Paz y Derechos Humanos",
                "SISF": "Secretaría de Inclusión Social y Familia", "SPC": "Secretaría de Participación Ciudadana"}
    pedido.asignadas = {normalizar(h): Decision(usar=dependencias[por_hoja[h.split("_")[2].strip()]].codigo)
                        for h in hojas}
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert not previa.sin_dependencia
    assert {d.nombre: len(d.filas) for d in previa.dependencias} == POR_DEPENDENCIA_MEDELLIN


def _idm(fabrica, oap, contenido, descripcion):
    m = fabrica.mundo
    hojas = V.M.hojas(contenido)
    oficinas = _dependencias(fabrica, ["Dirección General", "Subdirección Administrativa", "Subdirección Técnica",
                                       "Control Interno", "Planeación"])
    pedido = V.Pedido(hojas=hojas, columnas={"descripcion": descripcion, "politica": "Política"},
                      dependencia="Responsable")
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert {h.nombre: h.motivo for h in previa.hojas}["Hoja 3"] == "está vacía"
    assert {h.fila for h in previa.hojas if not h.motivo} == {6}
    # «Responsable» es texto libre: cada valor distinto se asocia una vez (a la sugerida, o a la Dirección General).
    pedido.asignadas = {s.clave: Decision(usar=next((d for d in s.sugerencias if d in oficinas.values()),
                                                    oficinas["Dirección General"]).codigo)
                        for s in previa.sin_dependencia}
    # Las políticas del libro no están en el catálogo de la prueba: una vez cada una, asociadas a la que hay.
    assert previa.faltantes and {f.campo for f in previa.faltantes} == {"politica"}
    assert len(previa.faltantes) <= 20
    pedido.decisiones = {(f.campo, f.clave): Decision(usar=m.mipg.codigo) for f in previa.faltantes}
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert previa.importable, previa.bloqueos + [str(e) for e in previa.errores[:5]]
    V.importar(contenido, m.vigencia, pedido, oap)
    db.session.commit()
    return sum(h.filas for h in previa.hojas), oficinas


def test_idm_2021_quince_hojas_un_mapeo_sin_metas(fabrica, oap, libro_real):
    filas, oficinas = _idm(fabrica, oap, libro_real(IDM_2021), "Actividades")
    assert filas == 288
    assert sum(_actividades_de(d) for d in oficinas.values()) == 288
    assert db.session.scalar(sa.select(sa.func.count(Actividad.id)).where(
        Actividad.politica_id == fabrica.mundo.mipg.id)) == 288


def test_idm_2020_otra_edicion_del_mismo_libro(fabrica, oap, libro_real):
    filas, oficinas = _idm(fabrica, oap, libro_real(IDM_2020), "Recomendaciones")
    assert sum(_actividades_de(d) for d in oficinas.values()) == filas
    assert filas > 500


def test_tenjo_unidades_y_bpin_que_faltan_se_crean_en_el_camino(fabrica, oap, libro_real):
    m = fabrica.mundo
    contenido = libro_real(TENJO)
    responsable = _dependencias(fabrica, ["Secretaría de Planeación"])["Secretaría de Planeación"]
    pedido = V.Pedido(hojas=["PDM"], columnas={"codigo": "COD META PRODUCTO", "descripcion": "META DE PRODUCTO",
                                               "unidad": "UNIDAD DE MEDIDA", "proyecto": "BPIN",
                                               "meta_anual": "VALOR ESPERADO 2025"},
                      dependencia="RESPONSABLE")
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    # Todas las filas a la Secretaría de Planeación: lo que interesa aquí son los catálogos.
    pedido.asignadas = {s.clave: Decision(usar=responsable.codigo) for s in previa.sin_dependencia}
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    faltan = Counter(f.campo for f in previa.faltantes)
    assert faltan["unidad"] and faltan["proyecto"]
    # Un error por valor que falta, no uno por fila.
    assert len(previa.errores) == len(previa.faltantes) < 331
    pedido.decisiones = {(f.campo, f.clave): Decision(crear=True) for f in previa.faltantes}
    V.importar(contenido, m.vigencia, pedido, oap)
    db.session.commit()
    assert _actividades_de(responsable) == 331
    assert db.session.scalar(sa.select(sa.func.count(ProyectoInversion.id)).where(
        ProyectoInversion.dependencia_id == responsable.id)) == faltan["proyecto"]
    assert db.session.scalar(sa.select(sa.func.count(UnidadMedida.id))) == 1 + faltan["unidad"]


# --- la página ------------------------------------------------------------------------------------
BASE = "/admin/planes_accion/libro_varias/"


def _subir(cliente, contenido, vigencia) -> str:
    respuesta = cliente.post(BASE, data={"archivo": (BytesIO(contenido), "planes 2026.xlsx"), "vigencia": vigencia.id})
    assert respuesta.status_code == 302, respuesta.status_code
    return parse_qs(urlparse(respuesta.location).query)["libro"][0]


def test_por_la_pagina_la_oap_decide_lo_que_falta_ve_cada_dependencia_e_importa(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    fabrica.plan_accion(m.central2, actividades=0)
    oap = navegador(usuarios[R.OAP])
    libro = _subir(oap, _dos_dependencias_en_una_hoja(), m.vigencia)
    # Sin elegir nada: la sugerencia por títulos, y la columna de quien responde como la de la dependencia.
    pagina = oap.get(f"{BASE}?libro={libro}&vigencia={m.vigencia.id}").get_data(as_text=True)
    assert 'name="hojas" value="Plan" checked' in pagina
    assert re.search(r'<select[^>]*id="dependencia"[^>]*>.*?<option selected>Dependencia responsable</option>',
                     pagina, re.S)
    pedido = {"libro": libro, "vigencia": m.vigencia.id, "elegidas": 1, "hojas": ["Instrucciones", "Plan", "Vacía"],
              "dependencia": "Dependencia responsable", "col_descripcion": "Actividad",
              "col_unidad": "Unidad de medida", "col_meta_anual": "Meta", "previa": 1}
    pagina = oap.get(BASE, query_string=pedido).get_data(as_text=True)
    assert "Se deja fuera: está vacía." in pagina and "Oficina de Cooperación" in pagina
    assert "lo citan 3 fila(s)" in pagina and re.search(r'<button class="btn btn-primary" type="submit"\s+disabled',
                                                        pagina)
    # Decidido: se crea la dependencia (con su código), su plan se solicita y la unidad se crea.
    decidido = pedido | {"dep:oficina de cooperacion": "crear", "dep_codigo:oficina de cooperacion": "1300",
                         "dep_nombre:oficina de cooperacion": "Oficina de Cooperación", "cat:unidad:km": "crear",
                         "crear_planes": 1}
    pagina = oap.get(BASE, query_string=decidido).get_data(as_text=True)
    assert "Importar 4 actividad(es)" in pagina and "Por decidir" not in pagina
    respuesta = oap.post(BASE, data={k: v for k, v in decidido.items() if k != "previa"} | {"nombre_mapeo": "Consolidado"})
    assert respuesta.status_code == 302 and respuesta.location.endswith("/admin/planes_accion/")
    cooperacion = db.session.scalar(sa.select(Dependencia).filter_by(codigo="1300"))
    assert (_actividades_de(m.central), _actividades_de(m.central2), _actividades_de(cooperacion)) == (1, 2, 1)
    km = db.session.scalar(sa.select(UnidadMedida).filter_by(nombre="Km"))
    assert _altas(cooperacion, km) == {usuarios[R.OAP].email}
    # El mapeo queda para el mismo formato de libro: la próxima vez se usa solo.
    libro = _subir(oap, _dos_dependencias_en_una_hoja(), m.vigencia)
    pagina = oap.get(f"{BASE}?libro={libro}").get_data(as_text=True)
    assert "se usa el mapeo guardado «Consolidado»" in pagina


def test_por_la_pagina_un_libro_que_no_importa_no_cambia_nada(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    oap = navegador(usuarios[R.OAP])
    libro = _subir(oap, _dos_dependencias_en_una_hoja(), m.vigencia)
    pedido = {"libro": libro, "vigencia": m.vigencia.id, "elegidas": 1, "hojas": "Plan", "col_descripcion": "Actividad",
              "col_unidad": "Unidad de medida", "dependencia": "Dependencia responsable", "cat:unidad:km": "crear"}
    respuesta = oap.post(BASE, data=pedido)
    assert respuesta.status_code == 302 and "previa=1" in respuesta.location
    assert db.session.scalar(sa.select(sa.func.count(Actividad.id))) == 0
    assert db.session.scalar(sa.select(UnidadMedida).filter_by(nombre="Km")) is None
    assert oap.post(BASE, data={"archivo": (BytesIO(b"a;b\n1;2\n"), "plan.xlsx")}).status_code == 302


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.TERRITORIAL, R.ENTIDAD, R.CONTROL_INTERNO, R.ADMINISTRADOR,
                                 R.COMITE_SECTORIAL])
def test_por_la_pagina_solo_la_oap(fabrica, usuarios, navegador, rol):
    cliente = navegador(usuarios[rol])
    assert cliente.get(BASE).status_code == 403
    assert cliente.post(BASE, data={"archivo": (BytesIO(_dos_dependencias_en_una_hoja()), "x.xlsx")}).status_code == 403


@pytest.fixture
def umbral_cero(app, contexto):
    """Todo libro es «grande»: la importación va a un trabajo."""
    antes = app.config["GESTION_TRABAJOS_UMBRAL"]
    app.config["GESTION_TRABAJOS_UMBRAL"] = 0
    yield
    app.config["GESTION_TRABAJOS_UMBRAL"] = antes


def test_un_libro_grande_va_a_un_trabajo_con_lo_decidido_en_la_vista_previa(fabrica, usuarios, navegador,
                                                                             umbral_cero):
    from modelos import EstadoTrabajo, Trabajo
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    fabrica.plan_accion(m.central2, actividades=0)
    oap = navegador(usuarios[R.OAP])
    pedido = {"vigencia": m.vigencia.id, "elegidas": 1, "hojas": "Plan", "dependencia": "Dependencia responsable",
              "col_descripcion": "Actividad", "col_unidad": "Unidad de medida", "col_meta_anual": "Meta",
              "dep:oficina de cooperacion": "usar:2200", "cat:unidad:km": "crear"}
    # Con algo por decidir (la unidad no se puede asociar a lo que no existe): falla sin tocar nada.
    libro = _subir(oap, _dos_dependencias_en_una_hoja(), m.vigencia)
    respuesta = oap.post(BASE, data=pedido | {"libro": libro, "cat:unidad:km": ""})
    assert respuesta.status_code == 302 and "/admin/trabajo/ficha/" in respuesta.location
    trabajo = db.session.scalars(sa.select(Trabajo)).one()
    assert trabajo.estado is EstadoTrabajo.FALLIDO and any("«Km»" in e for e in trabajo.errores)
    assert db.session.scalar(sa.select(sa.func.count(Actividad.id))) == 0

    respuesta = oap.post(BASE, data=pedido | {"libro": libro, "nombre_mapeo": "Consolidado"})
    db.session.expire_all()
    trabajo = db.session.scalars(sa.select(Trabajo).order_by(Trabajo.id.desc())).first()
    assert trabajo.estado is EstadoTrabajo.TERMINADO, trabajo.mensaje
    assert "4 actividades importadas en 2 planes de acción" in trabajo.mensaje
    assert (_actividades_de(m.central), _actividades_de(m.central2)) == (1, 3)
    assert db.session.scalar(sa.select(UnidadMedida).filter_by(nombre="Km")) is not None


def test_hospital_las_celdas_combinadas_de_un_grupo_valen_para_cada_fila_que_cubren(fabrica, oap, libro_real):
    """El POA del hospital: la estrategia (A7:A26, A30:A33…) combinada sobre sus indicadores; asociada al objetivo,
    cada indicador lleva la de su grupo. La fila 28 no está combinada ni escrita: queda sin objetivo."""
    m = fabrica.mundo
    estrategias = ["Desarrollo financiero", "Usuario externo e interno", "Prestación integral de servicios de salud",
                   "Mejora continua de la calidad", "Gestión de procesos",
                   "Crecimiento y desarrollo integral del talento humano"]
    for i, nombre in enumerate(estrategias, start=1):
        m.pei.objetivos.append(Objetivo(codigo=f"E{i}", nombre=nombre))
    hospital = _dependencias(fabrica, ["Gerencia"])["Gerencia"]
    contenido = libro_real(HOSPITAL)
    pedido = V.Pedido(hojas=["POA 2022"], columnas={"descripcion": "INDICADOR", "objetivo": "ESTRATEGIA"},
                      asignadas={normalizar("POA 2022"): Decision(usar=hospital.codigo)})
    previa = V.vista_previa(contenido, m.vigencia, pedido, oap)
    assert previa.importable, previa.bloqueos + [str(e) for e in previa.errores[:5]]
    (hoja,), (gerencia,) = previa.hojas, previa.dependencias
    assert hoja.fila == 6 and hoja.heredadas["ESTRATEGIA"] > 0  # la vista previa dice cuántas heredaron
    # La estrategia de cada fila leída es la de su grupo combinado en el libro; la 28 no tiene.
    grupos = {**dict.fromkeys(range(7, 27), 0), 27: 1, 28: None, 29: 2, **dict.fromkeys(range(30, 34), 3),
              **dict.fromkeys(range(34, 44), 4), 44: 5, 45: 5}
    assert {numero: normalizar(valores["objetivo"]) for _, numero, valores in gerencia.filas} == {
        numero: normalizar(estrategias[grupos[numero]] if grupos[numero] is not None else None)
        for _, numero, _ in gerencia.filas}
    V.importar(contenido, m.vigencia, pedido, oap)
    db.session.commit()
    objetivo = {normalizar(d): o for d, o in db.session.execute(sa.select(Actividad.descripcion, Objetivo.nombre).join(
        Objetivo, Actividad.objetivo_id == Objetivo.id, isouter=True).join(Plan, Actividad.plan_id == Plan.id).where(
        Plan.dependencia_id == hospital.id))}
    assert len(objetivo) == len({normalizar(v["descripcion"]) for _, _, v in gerencia.filas})
    assert objetivo["estado de resultados"] == "Desarrollo financiero"
    assert objetivo["cumplimiento de la politica de participacion social en salud"] is None
    assert objetivo["incidencia sifilis congenita"] == "Gestión de procesos"
    assert objetivo["proporcion de ejecucion del plan de bienestar e incentivos"] == estrategias[-1]


def _libro_de(filas: int) -> bytes:
    dependencias = ["3200", "2200", "Oficina de Cooperación"]
    return _libro({"Plan": [["Actividad", "Unidad de medida", "Meta", "Dependencia responsable"]] + [
        [f"Actividad {i}", "Km" if i % 2 else "Número", i, dependencias[i % 3]] for i in range(filas)]})


def test_las_sentencias_no_crecen_con_las_filas(fabrica, oap):
    m = fabrica.mundo
    fabrica.plan_accion(m.central, actividades=0)
    fabrica.plan_accion(m.central2, actividades=0)
    pedido = V.Pedido(hojas=["Plan"], **PEDIDO, crear_planes=True,
                      asignadas={normalizar("Oficina de Cooperación"): Decision(crear=True, codigo="1300")},
                      decisiones={("unidad", "km"): Decision(crear=True)})
    cuentas = []
    for filas in (6, 6, 300):  # la primera vuelta carga lo que la sesión luego recuerda (el usuario, la vigencia)
        sentencias = []

        def anotar(_conexion, _cursor, sentencia, *_, lista=sentencias):
            lista.append(sentencia)

        punto = db.session.begin_nested()  # cada vuelta parte del mismo mundo
        sa.event.listen(db.engine, "before_cursor_execute", anotar)
        try:
            V.vista_previa(_libro_de(filas), m.vigencia, pedido, oap)
            V.importar(_libro_de(filas), m.vigencia, pedido, oap)
            db.session.flush()
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", anotar)
            punto.rollback()
        cuentas.append(len(sentencias))
    assert cuentas[1] == cuentas[2], cuentas
