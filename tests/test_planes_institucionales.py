"""Los planes institucionales y estratégicos (Decreto 612 de 2018) como datos: el catálogo sembrado con su norma,
y la marca de cada actividad por cada camino del registro de campos (formulario, ficha, plantilla, cargue,
libro propio, libro del PAI, copia y diferencia de versiones, página pública)."""
from html import unescape
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.excel import pai as excel_pai
from gestion.importacion import actividades as importar_actividades
from gestion.importacion import mapeo as M
from gestion.importacion.lectura import ImportacionRechazada
from gestion.planes import ajustes, campos
from gestion.planes.plan_accion import resumen_pai
from gestion.reglas import roles as R
from gestion.semilla import PLANES_DECRETO_612
from modelos import EstadoPlan as E
from modelos import Plan, PlanInstitucional, db

from .fabricas import datos_de_actividad
from .libros import libro

BASE = "/admin/planes_accion"
CAMPO = campos.POR_NOMBRE["planes_institucionales"]


def _planes(*codigos) -> list[PlanInstitucional]:
    return [db.session.scalar(sa.select(PlanInstitucional).filter_by(codigo=c)) for c in codigos]


def _codigos(actividad) -> list[str]:
    return [p.codigo for p in actividad.planes_institucionales]


def _hoja(contenido: bytes, hoja: str) -> list[list]:
    return [list(f) for f in load_workbook(BytesIO(contenido))[hoja].iter_rows(values_only=True)]


def test_los_12_del_decreto_612_vienen_sembrados_con_su_norma(fabrica):
    planes = db.session.scalars(sa.select(PlanInstitucional).where(PlanInstitucional.numeral.is_not(None))
                                .order_by(PlanInstitucional.numeral)).all()
    assert [p.numeral for p in planes] == list(range(1, 13))
    assert [p.nombre for p in planes][:2] == ["Plan Institucional de Archivos de la Entidad (PINAR)",
                                             "Plan Anual de Adquisiciones"]
    assert planes[8].nombre == "Plan Anticorrupción y de Atención al Ciudadano"
    assert all("Decreto 612 de 2018" in p.referencia_legal and "2.2.22.3.14" in p.referencia_legal for p in planes)
    assert planes[11].referencia_legal.endswith("num. 12); Decreto 1078 de 2015")
    assert len(PLANES_DECRETO_612) == 12


def test_la_oap_agrega_un_plan_propio_y_los_demas_roles_no_tocan_el_catalogo(fabrica, usuarios, navegador):
    m = fabrica.mundo
    datos = {"codigo": "PGA", "nombre": "Plan de Gestión Ambiental", "referencia_legal": "Resolución interna 12",
             "dependencia": m.oap.id, "instancia_adopcion": "Comité Directivo", "anio_inicio": "2026",
             "anio_fin": "2027", "activo": "y"}
    assert navegador(usuarios[R.OAP]).post("/admin/planinstitucional/new/", data=datos).status_code == 302
    propio = _planes("PGA")[0]
    assert (propio.numeral, propio.dependencia, propio.periodo, propio.del_decreto) == (None, m.oap, "2026–2027",
                                                                                        False)
    lista = unescape(navegador(usuarios[R.CONTROL_INTERNO]).texto("/admin/planinstitucional/"))
    assert "Plan de Gestión Ambiental" in lista and "Plan Anual de Vacantes" in lista
    for rol in (R.DIRECTOR, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL):
        respuesta = navegador(usuarios[rol]).post("/admin/planinstitucional/new/", data=datos | {"codigo": "X"})
        assert respuesta.status_code == 403, rol
    assert _planes("X") == [None]


def test_el_formulario_la_ficha_y_la_pagina_publica_llevan_los_planes_de_la_actividad(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, actividades=1)
    paac, peti = _planes("PAAC", "PETI")
    director = navegador(usuarios[R.DIRECTOR])
    formulario = unescape(director.texto(f"/admin/actividad/new/?plan_id={plan.id}"))
    assert CAMPO.etiqueta in formulario and "Plan Anticorrupción y de Atención al Ciudadano" in formulario

    datos = datos_de_actividad(m, plan, "A2", 0) | {"planes_institucionales": [str(paac.id), str(peti.id)]}
    assert director.post("/admin/actividad/new/", data=datos).status_code == 302
    db.session.expire_all()
    nueva = next(a for a in db.session.get(Plan, plan.id).actividades if a.codigo == "A2")
    assert _codigos(nueva) == ["PAAC", "PETI"]
    ficha = unescape(director.texto(f"{BASE}/ficha/?id={plan.id}"))
    assert f">{CAMPO.etiqueta}</th>" in ficha and ">PAAC, PETI</td>" in ficha
    exportada = load_workbook(BytesIO(director.get("/admin/actividad/export/xlsx/").data)).worksheets[0]
    filas = list(exportada.values)
    columna = filas[0].index(CAMPO.etiqueta)
    assert {f[1]: f[columna] for f in filas[1:]} == {
        "A1": None, "A2": "Plan Anticorrupción y de Atención al Ciudadano, "
                          "Plan Estratégico de Tecnologías de la Información y las Comunicaciones (PETI)"}

    nueva.peso = 0
    db.session.commit()
    fabrica.llevar_a(db.session.get(Plan, plan.id), E.APROBADO)
    pai = fabrica.publicar_pai()
    publica = unescape(navegador().texto(f"/publico/pai/{pai.id}"))
    assert f">{CAMPO.etiqueta}</th>" in publica and ">PAAC, PETI</td>" in publica
    libro_pai = _hoja(excel_pai.libro_pai(resumen_pai(pai)), "Actividades")
    columna = libro_pai[0].index(CAMPO.etiqueta)
    assert {f[columna] for f in libro_pai[1:]} == {
        None, "Plan Anticorrupción y de Atención al Ciudadano; "
            "Plan Estratégico de Tecnologías de la Información y las Comunicaciones (PETI)"}


def test_la_plantilla_los_escribe_por_codigo_y_el_cargue_los_lee_todo_o_nada(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=2)
    plan.actividades[0].planes_institucionales = _planes("PIC", "PII")
    db.session.commit()
    director = usuarios[R.DIRECTOR]
    plantilla = importar_actividades.plantilla(plan)
    filas = _hoja(plantilla, "Actividades")
    columna = filas[0].index(CAMPO.etiqueta)
    assert [f[columna] for f in filas[1:]] == ["PIC, PII", None]
    listas = _hoja(plantilla, "Listas")
    assert CAMPO.etiqueta in listas[0] and any("PAAC" in f for f in listas)

    # Se cambian: A1 a uno solo (escrito por su nombre, como en un libro propio), A2 a dos con punto y coma.
    filas[1][columna] = "Plan Institucional de Capacitación"
    filas[2][columna] = "PAAC; pinar"
    importar_actividades.importar(plan, libro(filas, hoja="Actividades"), director)
    db.session.commit()
    db.session.expire_all()
    a1, a2 = db.session.get(Plan, plan.id).actividades
    assert (_codigos(a1), _codigos(a2)) == (["PIC"], ["PAAC", "PINAR"])

    # Un código que no existe: no se carga nada.
    filas[1][columna] = "PIC, PXX"
    with pytest.raises(ImportacionRechazada) as rechazo:
        importar_actividades.importar(plan, libro(filas, hoja="Actividades"), director)
    db.session.rollback()
    assert rechazo.value.errores == [
        f"Fila 2: «{CAMPO.etiqueta}» «PXX» no es un plan institucional activo (vea la hoja «Listas»)."]
    db.session.expire_all()
    assert _codigos(db.session.get(Plan, plan.id).actividades[0]) == ["PIC"]

    # Un libro de antes, sin la columna, deja los planes como estaban; una celda vacía los quita.
    sin_columna = [[v for i, v in enumerate(f) if i != columna] for f in filas]
    sin_columna[1][0] = "A1"
    importar_actividades.importar(plan, libro(sin_columna, hoja="Actividades"), director)
    db.session.commit()
    db.session.expire_all()
    assert [_codigos(a) for a in db.session.get(Plan, plan.id).actividades] == [["PIC"], ["PAAC", "PINAR"]]
    filas[1][columna] = None
    filas.append(["A3", "Actividad nueva", *filas[2][2:]])
    filas[3][columna] = "PETI"
    importar_actividades.importar(plan, libro(filas, hoja="Actividades"), director)
    db.session.commit()
    db.session.expire_all()
    assert [_codigos(a) for a in db.session.get(Plan, plan.id).actividades] == [[], ["PAAC", "PINAR"], ["PETI"]]


def test_el_libro_propio_sugiere_la_columna_y_la_carga(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    contenido = libro([["Cód.", "Actividad", "Meta", "Peso", "Plan institucional"],
                       ["001", "Jornadas de capacitación", 40, 100, "PIC"]], hoja="Plan 2026")
    sugerido = M.sugerencia(contenido, "Plan 2026", 1).columnas
    assert sugerido["planes_institucionales"] == "Plan institucional"
    # La actividad que el libro no trae se borra porque se confirmó su borrado (la huella de la vista previa).
    borradas = M.huella_de([a.codigo for a in plan.actividades])
    M.importar(plan, contenido, M.Mapeo("Plan 2026", 1, sugerido), usuarios[R.DIRECTOR], borradas)
    db.session.commit()
    db.session.expire_all()
    assert _codigos(db.session.get(Plan, plan.id).actividades[0]) == ["PIC"]


def test_la_version_propuesta_los_copia_y_la_diferencia_los_compara(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, actividades=1)
    plan.actividades[0].planes_institucionales = _planes("PAAC")
    db.session.commit()
    fabrica.llevar_a(plan, E.APROBADO)
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Integrar el PETI.", "A1 aporta también al PETI.")
    copia = solicitud.plan_propuesto.actividades[0]
    assert _codigos(copia) == ["PAAC"]
    copia.planes_institucionales.append(_planes("PETI")[0])
    db.session.flush()
    cambios = {c.campo: (c.antes, c.despues) for e in ajustes.comparacion(solicitud).elementos for c in e.cambios}
    assert cambios == {CAMPO.etiqueta: ("PAAC", "PAAC, PETI")}
    db.session.expire_all()
    assert _codigos(db.session.get(Plan, plan.id).actividades[0]) == ["PAAC"]  # la vigente sigue como se aprobó
