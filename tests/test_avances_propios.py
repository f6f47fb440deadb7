"""Los avances de un trimestre desde el libro de seguimiento propio de la oficina: el bloque de columnas del
trimestre (por su título o por la banda combinada de encima) o las filas del trimestre, la escala decidida por la
columna, todo o nada con las reglas del formulario, y quién puede hacerlo. Con libros hechos aquí y con los reales."""
from datetime import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook

from gestion.base import formato
from gestion.importacion import avances_propios as A
from gestion.importacion import mapeo as M
from gestion.importacion.lectura import ImportacionRechazada
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, reportes
from modelos import EstadoPlan, EstadoReporte, Plan, TipoPlan, Vigencia, db

D = Decimal
TENJO = "PLAN_INDICATIVO_TENJO_2024-2027.xlsx"
MEDELLIN = "MEDELLIN_MISE_PPPC_SEGUIMIENTO_2025_CORTE_2025-06-30.xlsx"


def _guardar(libro) -> bytes:
    salida = BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _bandas(filas_t1, filas_t2) -> bytes:
    """Un libro de seguimiento con los trimestres en bloques bajo bandas combinadas, los títulos repetidos."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Seguimiento"
    hoja["A1"] = "SEGUIMIENTO AL PLAN DE ACCIÓN 2026"
    hoja.merge_cells("A1:H1")
    hoja["C2"], hoja["F2"] = "Trimestre I - 2026", "Trimestre II - 2026"
    hoja.merge_cells("C2:E2")
    hoja.merge_cells("F2:H2")
    hoja.append(["Código", "Actividad", "Resultado", "Observaciones", "Fuente de verificación",
                 "Resultado", "Observaciones", "Fuente de verificación"])
    for (codigo, descripcion, t1), t2 in zip(filas_t1, filas_t2, strict=True):
        hoja.append([codigo, descripcion, *t1, *t2])
    return _guardar(libro)


def _abierto(fabrica, plan, trimestre=1, vigencia=None):
    fabrica.ventana(trimestre, vigencia=vigencia)
    reporte = reportes.abrir_reporte(plan, vigencia or fabrica.mundo.vigencia, trimestre,
                                     fabrica.reportante(plan.dependencia))
    db.session.commit()
    return reporte


def _mapeo(contenido, reporte) -> M.Mapeo:
    hoja = M.hojas(contenido)[0]
    fila = M.sugerir_fila(contenido, hoja)
    return M.Mapeo(hoja, fila, A.sugerencia(contenido, hoja, fila, reporte).columnas)


def _valores(reporte):
    db.session.expire_all()
    return {a.actividad.codigo: (a.valor_logrado, a.justificacion, a.evidencia_enlace, a.evidencia_referencia)
            for a in reporte.avances}


@pytest.fixture
def plan(fabrica, usuarios):
    """Plan de acción aprobado de la dependencia del director: A1 y A2, meta 10 por trimestre."""
    return fabrica.plan_accion(estado=EstadoPlan.APROBADO)


def test_el_bloque_del_trimestre_se_elige_por_la_banda_y_se_importa(fabrica, usuarios, plan):
    contenido = _bandas([("A1", "Actividad 1 de 3200", (12, "Se hicieron 12 visitas.", "https://x.gov.co/a1.pdf")),
                         ("A2", "Actividad 2 de 3200", (7, "Contratista retirado.", "Acta 12 de 2026"))],
                        [(99, "otro trimestre", "x"), (98, "otro trimestre", "y")])
    reporte = _abierto(fabrica, plan, 2)
    sugerida = A.sugerencia(contenido, "Seguimiento", 3, reporte)
    assert sugerida.columnas["valor"] == "Trimestre II - 2026 · Resultado"
    reporte = _abierto(fabrica, plan, 1)
    sugerida = A.sugerencia(contenido, "Seguimiento", 3, reporte)
    assert sugerida.columnas == {
        "codigo": "Código", "descripcion": "Actividad", "valor": "Trimestre I - 2026 · Resultado",
        "avance_cualitativo": "Trimestre I - 2026 · Observaciones",
        "evidencia": "Trimestre I - 2026 · Fuente de verificación"}
    assert "del trimestre 1" in sugerida.motivos["valor"]
    mapeo = M.Mapeo("Seguimiento", 3, dict(sugerida.columnas, justificacion=sugerida.columnas["avance_cualitativo"]))
    assert A.importar(reporte, contenido, mapeo, usuarios[R.DIRECTOR]) == 2
    db.session.commit()
    assert _valores(reporte) == {
        "A1": (D(12), "Se hicieron 12 visitas.", "https://x.gov.co/a1.pdf", None),
        "A2": (D(7), "Contratista retirado.", None, "Acta 12 de 2026")}
    assert reporte.estado is EstadoReporte.EN_REPORTE  # traer no envía


def test_todo_o_nada_con_cada_error_en_su_fila(fabrica, usuarios, plan):
    contenido = _bandas([("A1", "Actividad 1", (5, None, None)), ("A2", "Actividad 2", ("doce", None, None))],
                        [(0, None, None), (0, None, None)])
    reporte = _abierto(fabrica, plan)
    with pytest.raises(ImportacionRechazada) as rechazo:
        A.importar(reporte, contenido, _mapeo(contenido, reporte), usuarios[R.DIRECTOR])
    db.session.rollback()
    assert any(e.startswith("Fila 4: A1: el valor logrado (5) queda por debajo") for e in rechazo.value.errores)
    assert any(e.startswith("Fila 5: «Valor logrado»") and "«doce» no es un número" in e
               for e in rechazo.value.errores)
    assert {c: v[0] for c, v in _valores(reporte).items()} == {"A1": 0, "A2": 0}
    # Una justificación escrita para las filas que no la traen, vista en la vista previa, las deja pasar.
    bueno = _bandas([("A1", "Actividad 1", (5, None, None)), ("A2", "Actividad 2", (10, None, None))],
                    [(0, None, None), (0, None, None)])
    previa = A.vista_previa(reporte, bueno, _mapeo(bueno, reporte), "Obra suspendida por lluvias.")
    assert (previa.errores, previa.justificadas) == ([], 1)
    A.importar(reporte, bueno, _mapeo(bueno, reporte), usuarios[R.DIRECTOR], "Obra suspendida por lluvias.")
    db.session.commit()
    assert _valores(reporte)["A1"][:2] == (D(5), "Obra suspendida por lluvias.")
    assert _valores(reporte)["A2"][:2] == (D(10), None)


def test_periodos_como_filas_y_sin_codigo_por_la_descripcion(fabrica, usuarios, plan):
    libro = Workbook()
    hoja = libro.active
    hoja.append(["Actividad", "Periodo", "Valor ejecutado", "Justificación"])
    hoja.append(["Actividad 1 de 3200", "Trimestre I", 10, None])
    hoja.append(["Actividad 1 de 3200", "Trimestre II", 30, None])
    hoja.append(["Actividad 2 de 3200", "T1", 8, "Falta personal"])
    hoja.append(["Actividad que no es de este plan", "T1", 3, None])
    contenido = _guardar(libro)
    reporte = _abierto(fabrica, plan)
    mapeo = _mapeo(contenido, reporte)
    assert mapeo.columnas == {"descripcion": "Actividad", "periodo": "Periodo", "valor": "Valor ejecutado",
                              "justificacion": "Justificación"}
    previa = A.vista_previa(reporte, contenido, mapeo)
    assert previa.errores == [] and [f.numero for f in previa.filas] == [2, 4]
    assert previa.lectura.omitidas == [(3, "es del trimestre 2"),
                                       (5, "su descripción no es la de una actividad de este reporte")]
    assert A.importar(reporte, contenido, mapeo, usuarios[R.DIRECTOR]) == 2
    assert {c: v[0] for c, v in _valores(reporte).items()} == {"A1": 10, "A2": 8}

    # Dos actividades con la misma descripción: se pide el código, no se adivina.
    plan.actividades[1].descripcion = plan.actividades[0].descripcion
    db.session.commit()
    with pytest.raises(ImportacionRechazada, match="es de varias actividades .A1, A2.: asocie la columna del código"):
        A.importar(reporte, contenido, mapeo, usuarios[R.DIRECTOR])


def test_un_100_por_ciento_que_llega_como_1_se_lee_como_dice_su_columna(fabrica, usuarios, plan):
    libro = Workbook()
    hoja = libro.active
    hoja.append(["Código", "Ejecutado T1"])
    hoja.append(["A1", 1])
    hoja.append(["A2", "100%\n\n"])
    hoja["B2"].number_format = "0%"
    for actividad in plan.actividades:
        actividad.meta_t1 = D(100)
    db.session.commit()
    contenido = _guardar(libro)
    reporte = _abierto(fabrica, plan)
    previa = A.vista_previa(reporte, contenido, _mapeo(contenido, reporte))
    (columna,) = [c for c in previa.lectura.columnas if c.campo.nombre == "valor"]
    assert columna.escala == 100 and "formato de porcentaje" in columna.escala_motivo
    assert any(t.clase.startswith("porcentaje 0–1 leído en puntos") for t in columna.transformaciones.values())
    assert [(f.valores["valor"], f.cumplimiento) for f in previa.filas] == [(D(100), D(100)), (D(100), D(100))]
    # Con metas de 0 a 1, leer ×100 es sospechoso: la vista previa lo señala.
    for actividad in plan.actividades:
        actividad.meta_t1 = D(1)
    db.session.commit()
    previa = A.vista_previa(reporte, contenido, _mapeo(contenido, reporte))
    (columna,) = [c for c in previa.lectura.columnas if c.campo.nombre == "valor"]
    assert any(t.sospechosa and "meta está entre 0 y 1" in t.clase for t in columna.transformaciones.values())
    elegido = _mapeo(contenido, reporte)
    elegido.escalas = {"valor": 1}
    assert [f.valores["valor"] for f in A.vista_previa(reporte, contenido, elegido).filas] == [D(1), D(1)]


@pytest.mark.parametrize("rol, puede", [(R.DIRECTOR, True), (R.OAP, True), (R.JEFE_OAP, True),
                                        (R.TERRITORIAL, False), (R.CONTROL_INTERNO, False)])
def test_quien_trae_los_avances_de_un_reporte(fabrica, usuarios, plan, rol, puede):
    reporte = _abierto(fabrica, plan)
    motivo = A.motivo_no_traer(usuarios[rol], reporte)
    assert (motivo is None) is puede, motivo


def test_con_la_ventana_cerrada_o_el_reporte_enviado_nadie_lo_trae(fabrica, usuarios, plan):
    reporte = _abierto(fabrica, plan)
    fabrica.ventana(1, abierta=False)
    assert "ventana de reporte del trimestre 1" in A.motivo_no_traer(usuarios[R.OAP], reporte)
    fabrica.ventana(1)
    for avance in reporte.avances:
        reportes.registrar_avance(avance, usuarios[R.DIRECTOR], valor=10)
    reportes.enviar_reporte(reporte, usuarios[R.DIRECTOR])
    db.session.commit()
    assert "ya no se modifica" in A.motivo_no_traer(usuarios[R.DIRECTOR], reporte)


# --- libros reales --------------------------------------------------------------------------------
def _plan_tenjo(fabrica, usuarios, contenido):
    """El plan 2025 de la dependencia traído del plan indicativo (como lo trae la OAP, sin unidades ni BPIN que
    el catálogo de la prueba no tiene), aprobado: el plan indicativo no trae pesos, y la lista de chequeo no es lo
    que aquí se prueba."""
    m = fabrica.mundo
    vigencia = Vigencia(anio=2025, cuatrienio=m.cuatrienio)
    plan = Plan(tipo=TipoPlan.PA, nombre="Plan de Acción 2025", vigencia=vigencia, dependencia=m.central)
    db.session.add(plan)
    db.session.commit()
    sugerida = M.sugerencia(contenido, "PDM", 1, 2025)
    mapeo = M.Mapeo("PDM", 1, {a: t for a, t in sugerida.columnas.items() if a not in ("unidad", "proyecto")})
    M.importar(plan, contenido, mapeo, usuarios[R.OAP])
    plan.estado, plan.aprobado_por, plan.aprobado_en = EstadoPlan.APROBADO, usuarios[R.OAP], datetime(2025, 2, 1)
    db.session.commit()
    return plan, vigencia


def test_tenjo_t1_2025_desde_su_plan_indicativo_y_el_tablero_da_la_cifra_del_libro(fabrica, usuarios, libro_real):
    contenido = libro_real(TENJO)
    plan, vigencia = _plan_tenjo(fabrica, usuarios, contenido)
    reporte = _abierto(fabrica, plan, 1, vigencia)
    sugerida = A.sugerencia(contenido, "PDM", 1, reporte)
    assert sugerida.columnas["valor"] == "T1. EJECUTADO 2025"
    assert sugerida.columnas["codigo"] == "COD META PRODUCTO"
    assert sugerida.columnas["evidencia"] == "SOPORTES DE CUMPLIMIENTO 2025"
    mapeo = M.Mapeo("PDM", 1, {a: t for a, t in sugerida.columnas.items() if a in ("codigo", "valor", "evidencia")})
    previa = A.vista_previa(reporte, contenido, mapeo, "Programado para el trimestre siguiente.")
    assert previa.errores == [], [str(e) for e in previa.errores[:5]]
    assert len(previa.filas) == 331 and previa.sin_fila == []
    (valor,) = [c for c in previa.lectura.columnas if c.campo.nombre == "valor"]
    assert valor.escala == 1  # como sus metas: el plan se leyó sin multiplicar
    assert A.importar(reporte, contenido, mapeo, usuarios[R.DIRECTOR], "Programado para el trimestre siguiente.") == 331
    reportes.enviar_reporte(reporte, usuarios[R.DIRECTOR])
    db.session.commit()
    # La meta 3 de Tenjo: T1 2025 planeado 0,15, ejecutado 0 (0 %); la meta 1: 0,15 y 0,15 (100 %), como el libro.
    filas = {f.codigo: f for f in cifras.cuadro(vigencia, 1).actividades}
    assert (filas["1"].logrado_trimestre, filas["1"].cumplimiento_trimestre) == (D("0.15"), D(100))
    assert (filas["3"].logrado_trimestre, filas["3"].cumplimiento_trimestre) == (D(0), D(0))
    referencia = next(a for a in reporte.avances if a.actividad.codigo == "1").evidencia_referencia
    assert referencia == "Meta 1.docx"


# --- por la página, como cada rol -----------------------------------------------------------------
def _libro_simple() -> bytes:
    return _bandas([("A1", "Actividad 1 de 3200", (12, "Doce visitas.", "https://x.gov.co/a1.pdf")),
                    ("A2", "Actividad 2 de 3200", (10, "Diez talleres.", "Informe IVC-2026-03"))],
                   [(0, None, None), (0, None, None)])


def _subir(cliente, reporte, contenido, nombre="seguimiento.xlsx"):
    from urllib.parse import parse_qs, urlparse
    base = f"/admin/reportetrimestral/libro_propio/?id={reporte.id}"
    respuesta = cliente.post(base, data={"archivo": (BytesIO(contenido), nombre)})
    assert respuesta.status_code == 302, respuesta.status_code
    return base, parse_qs(urlparse(respuesta.location).query)["libro"][0]


@pytest.mark.parametrize("rol", [R.DIRECTOR, R.OAP])
def test_por_la_pagina_desde_la_ficha_subir_ver_la_vista_previa_y_guardar(fabrica, usuarios, navegador, plan, rol):
    from modelos import HistorialEstado
    reporte = _abierto(fabrica, plan)
    cliente = navegador(usuarios[rol])
    assert "Traer de un libro propio" in cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    assert "Subir y asociar columnas" in cliente.texto(f"/admin/reportetrimestral/libro_propio/?id={reporte.id}")
    base, libro = _subir(cliente, reporte, _libro_simple())
    html = cliente.texto(f"{base}&libro={libro}&previa=1")
    assert 'name="fila" value="3"' in html and "<option selected>Trimestre I - 2026 · Resultado</option>" in html
    assert "2 ítem(s) a guardar, 0 error(es)" in html and f"<td>{formato.porcentaje(D(120))}</td>" in html  # 12 de 10
    mapeo = _mapeo(_libro_simple(), reporte)
    respuesta = cliente.post(base, data={"libro": libro, "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado,
                                         "elegidas": 1, **{f"col_{a}": t for a, t in mapeo.columnas.items()}})
    assert respuesta.status_code == 302 and f"/ficha/?id={reporte.id}" in respuesta.location
    assert "traídos del libro de la oficina: 2 ítem(s)" in cliente.texto(respuesta.location)
    assert {c: v[0] for c, v in _valores(reporte).items()} == {"A1": 12, "A2": 10}
    assert _valores(reporte)["A2"][3] == "Informe IVC-2026-03"
    entrada = db.session.query(HistorialEstado).filter_by(objeto_tipo="reporte_trimestral", accion="cargar_excel").one()
    assert entrada.usuario_id == usuarios[rol].id and "«seguimiento.xlsx», hoja «Seguimiento»" in entrada.observacion


def test_un_libro_con_errores_no_guarda_nada_y_los_lista_por_paginas(fabrica, usuarios, navegador, plan):
    reporte = _abierto(fabrica, plan)
    cliente = navegador(usuarios[R.DIRECTOR])
    malo = _bandas([("A1", "Actividad 1 de 3200", ("doce", None, None)),
                    ("A2", "Actividad 2 de 3200", (-3, None, None))], [(0, None, None), (0, None, None)])
    base, libro = _subir(cliente, reporte, malo)
    html = cliente.texto(f"{base}&libro={libro}&previa=1")
    assert "Errores (2)" in html and "«doce» no es un número" in html and "disabled" in html
    # Su libro vuelve con la celda equivocada marcada en su propia columna y fila.
    from openpyxl import load_workbook
    enlace = html.split('href="/descargas/')[1].split('"')[0]
    marcado = load_workbook(BytesIO(cliente.get(f"/descargas/{enlace}").data))["Seguimiento"]
    assert marcado["C4"].value == "doce" and "no es un número" in marcado["C4"].comment.text
    mapeo = _mapeo(malo, reporte)
    respuesta = cliente.post(base, data={"libro": libro, "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado,
                                         "elegidas": 1, **{f"col_{a}": t for a, t in mapeo.columnas.items()}})
    assert respuesta.status_code == 302 and "previa=1" in respuesta.location
    assert "No se importó nada: el libro tiene 2 error(es)" in cliente.texto(respuesta.location)
    assert {c: v[0] for c, v in _valores(reporte).items()} == {"A1": 0, "A2": 0}
    assert cliente.post(base, data={"archivo": (BytesIO(b"a;b\n1;2\n"), "x.xlsx")}).status_code == 422


@pytest.mark.parametrize("rol, respuesta", [("director2", 404), (R.TERRITORIAL, 404), (R.CONTROL_INTERNO, 403),
                                            (R.COMITE_INSTITUCIONAL, 403)])
def test_los_demas_no_traen_los_avances_de_un_reporte_ajeno(fabrica, usuarios, navegador, plan, rol, respuesta):
    reporte = _abierto(fabrica, plan)
    cliente = navegador(usuarios[rol])
    base = f"/admin/reportetrimestral/libro_propio/?id={reporte.id}"
    assert cliente.get(base).status_code == respuesta
    assert cliente.post(base, data={"archivo": (BytesIO(_libro_simple()), "s.xlsx")}).status_code == respuesta
    assert {c: v[0] for c, v in _valores(reporte).items()} == {"A1": 0, "A2": 0}


def test_con_la_ventana_cerrada_la_pagina_dice_por_que_y_no_ofrece_subir(fabrica, usuarios, navegador, plan):
    reporte = _abierto(fabrica, plan)
    fabrica.ventana(1, abierta=False)
    cliente = navegador(usuarios[R.OAP])
    assert "Traer de un libro propio" not in cliente.texto(f"/admin/reportetrimestral/ficha/?id={reporte.id}")
    html = cliente.texto(f"/admin/reportetrimestral/libro_propio/?id={reporte.id}")
    assert "está cerrada" in html and "Subir y asociar columnas" not in html


def _plan_medellin(fabrica, usuarios, contenido, hoja, con_meta: bool):
    """El plan 2025 de una dependencia traído de su hoja del seguimiento de Medellín: código, producto y (si es
    un número en toda la hoja) la meta del indicador."""
    m = fabrica.mundo
    vigencia = db.session.query(Vigencia).filter_by(anio=2025).one_or_none() or Vigencia(anio=2025,
                                                                                         cuatrienio=m.cuatrienio)
    plan = Plan(tipo=TipoPlan.PA, nombre="Plan de Acción 2025", vigencia=vigencia, dependencia=m.central)
    db.session.add(plan)
    db.session.commit()
    columnas = {"codigo": "Código Indicador", "descripcion": "Producto/accion"}
    if con_meta:
        columnas["meta_anual"] = "Meta del indicador"
    M.importar(plan, contenido, M.Mapeo(hoja, 8, columnas), usuarios[R.OAP])
    plan.estado, plan.aprobado_por, plan.aprobado_en = EstadoPlan.APROBADO, usuarios[R.OAP], datetime(2025, 2, 1)
    db.session.commit()
    return plan, vigencia


def test_medellin_t1_bajo_la_banda_con_dos_escalas_en_la_columna(fabrica, usuarios, libro_real):
    contenido = libro_real(MEDELLIN)
    hoja = "Matriz_MISE_Educación_300625"
    plan, vigencia = _plan_medellin(fabrica, usuarios, contenido, hoja, con_meta=True)
    reporte = _abierto(fabrica, plan, 1, vigencia)
    sugerida = A.sugerencia(contenido, hoja, 8, reporte)
    assert sugerida.columnas["valor"] == "Trimestre I - 2025 · Resultado"
    assert sugerida.columnas["evidencia"] == "Trimestre I - 2025 · Fuente de verificacion"
    assert sugerida.columnas["codigo"] == "Código Indicador"
    mapeo = M.Mapeo(hoja, 8, {a: t for a, t in sugerida.columnas.items()
                              if a in ("codigo", "valor", "avance_cualitativo", "evidencia")})
    comun = "Avance según el cronograma del programa."
    previa = A.vista_previa(reporte, contenido, mapeo, comun)
    assert previa.errores == [], [str(e) for e in previa.errores]
    (valor,) = [c for c in previa.lectura.columnas if c.campo.nombre == "valor"]
    # Sus celdas con valor tienen formato de porcentaje: la columna se lee ×100 (0,53 → 53), pero las metas de estos
    # indicadores son 1 (el 100 %): la vista previa lo señala y el usuario elige leer sin multiplicar.
    assert valor.escala == 100 and "formato de porcentaje" in valor.escala_motivo
    assert any(t.sospechosa and "meta está entre 0 y 1" in t.clase for t in valor.transformaciones.values())
    mapeo.escalas = {"valor": 1}
    assert A.importar(reporte, contenido, mapeo, usuarios[R.OAP], comun) == 7
    db.session.commit()
    valores = _valores(reporte)
    # 0,530701754… (una fórmula) con los 6 decimales que se guardan; la vista previa lo señaló.
    assert valores["421"][0] == D("0.530702") and valores["424"][0] == D(0)
    assert valores["421"][3].startswith("Sistema de Información del PEEP")  # la fuente: una referencia, no un enlace


def test_medellin_t2_lee_el_texto_100_por_ciento_con_saltos_de_linea(fabrica, usuarios, libro_real):
    contenido = libro_real(MEDELLIN)
    hoja = "Matriz_MISE_PazDH_300625"
    plan, vigencia = _plan_medellin(fabrica, usuarios, contenido, hoja, con_meta=False)
    reporte = _abierto(fabrica, plan, 2, vigencia)
    sugerida = A.sugerencia(contenido, hoja, 8, reporte)
    assert sugerida.columnas["valor"] == "Trimestre II - 2025 · Resultado"
    mapeo = M.Mapeo(hoja, 8, {a: t for a, t in sugerida.columnas.items() if a in ("codigo", "valor")})
    previa = A.vista_previa(reporte, contenido, mapeo)
    assert previa.errores == [], [str(e) for e in previa.errores]
    (valor,) = [c for c in previa.lectura.columnas if c.campo.nombre == "valor"]
    assert valor.escala == 100  # la única celda con valor dice «100%»: 1 → 100
    assert {f.avance.actividad.codigo: f.valores["valor"] for f in previa.filas}["472"] == D(100)
    assert A.importar(reporte, contenido, mapeo, usuarios[R.DIRECTOR]) == 4
