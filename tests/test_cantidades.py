"""Lo que una oficina escribe en una meta se guarda y se ve tal cual: «0,167» es 0,167 (no 0,17), en la base, la
ficha, las listas, los libros y el CSV; un valor con más decimales de los que se guardan es un error, nunca un
redondeo callado."""
from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from openpyxl import load_workbook

from gestion.base import formato
from gestion.importacion import mapeo as M
from gestion.reglas import roles as R
from modelos import Actividad, EstadoPlan, Plan, db

from .formularios import campos_del_formulario
from .libros import libro

COLUMNAS = {"codigo": "Código", "descripcion": "Actividad", "meta_anual": "Meta", "meta_t1": "T1", "meta_t2": "T2"}


def _libro_con_decimales(*filas) -> bytes:
    return libro([["Código", "Actividad", "Meta", "T1", "T2"], *filas], hoja="Plan")


def test_los_decimales_de_la_oficina_se_guardan_y_se_ven_exactos(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=1)
    contenido = _libro_con_decimales(["A", "Cobertura", "0,167", "0.167", 33.3333],
                                     ["B", "Visitas", "33,3333", 0.5, "1.250,5"])
    mapeo = M.Mapeo("Plan", 1, COLUMNAS)
    previa = M.vista_previa(plan, contenido, mapeo)
    assert previa.errores == []
    # Nada se marca «redondeado»: nada se redondea.
    assert not any("redonde" in t.clase for c in previa.lectura.columnas for t in c.transformaciones.values())

    M.importar(plan, contenido, mapeo, usuarios[R.DIRECTOR], M.huella_de(["A1"]))
    db.session.commit()
    db.session.expire_all()
    a, b = (db.session.scalar(sa.select(Actividad).filter_by(plan_id=plan.id, codigo=c)) for c in "AB")
    assert (a.meta_anual, a.meta_t1, a.meta_t2) == (Decimal("0.167"), Decimal("0.167"), Decimal("33.3333"))
    assert (b.meta_anual, b.meta_t1, b.meta_t2) == (Decimal("33.3333"), Decimal("0.5"), Decimal("1250.5"))

    director = navegador(usuarios[R.DIRECTOR])
    ficha = director.texto(f"/admin/planes_accion/ficha/?id={plan.id}")
    assert ">0,167<" in ficha and ">33,3333<" in ficha and ">1.250,5<" in ficha and "0,17<" not in ficha

    hoja = load_workbook(BytesIO(director.get("/admin/actividad/export/xlsx/").data)).active
    celdas = {c.value: c for fila in hoja.iter_rows() for c in fila if isinstance(c.value, (int, float))}
    assert Decimal(str(celdas[0.167].value)) == Decimal("0.167") and celdas[0.167].number_format == "#,##0.000"
    assert celdas[33.3333].number_format == "#,##0.0000"  # Excel lo muestra con sus cuatro decimales
    csv = director.get("/admin/actividad/export/csv/").get_data(as_text=True)
    assert "0,167" in csv and "33,3333" in csv


def test_mas_decimales_de_los_que_se_guardan_escritos_son_error_y_de_una_formula_se_redondean_a_la_vista(
        fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    contenido = _libro_con_decimales(["A", "Cobertura", "0,1234567", 1 / 3, 0.1 + 0.2])
    previa = M.vista_previa(plan, contenido, M.Mapeo("Plan", 1, COLUMNAS))
    # Escrito a mano con 7 decimales: quien lo escribió decide cómo redondearlo.
    assert [e.mensaje for e in previa.errores] == [
        "«Meta anual» (columna C): 0,1234567 tiene 7 decimales y «Meta anual» guarda hasta 6: redondéelo en el "
        "libro como deba quedar."]
    # El resultado de una fórmula (=1/3) se redondea a los 6 que se guardan, y la vista previa lo dice y lo señala.
    assert previa.filas[0].valores["meta_t1"] == Decimal("0.333333")
    (t1,) = [c for c in previa.lectura.columnas if c.campo.nombre == "meta_t1"]
    (redondeo,) = [t for t in t1.transformaciones.values() if "redondeado" in t.clase]
    assert redondeo.sospechosa and (redondeo.antes, redondeo.despues) == ("0,333333333333333", "0,333333")
    # 0,1 + 0,2 en una fórmula de Excel es 0,3 (las 15 cifras de Excel), no un error ni 0,30000000000000004.
    assert previa.filas[0].valores["meta_t2"] == Decimal("0.3")
    assert [a.codigo for a in db.session.get(Plan, plan.id).actividades] == ["A1"]


def test_el_peso_y_el_presupuesto_siguen_con_dos_decimales_y_no_se_redondean(fabrica):
    plan = fabrica.plan_accion(actividades=1)
    contenido = libro([["Código", "Actividad", "Peso", "Presupuesto"], ["A", "Uno", "33,3333", "1.000,505"]],
                      hoja="Plan")
    previa = M.vista_previa(plan, contenido, M.Mapeo("Plan", 1, {
        "codigo": "Código", "descripcion": "Actividad", "peso": "Peso", "presupuesto": "Presupuesto"}))
    assert [e.mensaje.split(":")[0] for e in previa.errores] == ["«Peso (%)» (columna C)",
                                                                "«Presupuesto» (columna D)"]
    assert "guarda hasta 2" in previa.errores[0].mensaje


def test_el_valor_logrado_del_reporte_guarda_sus_decimales(fabrica):
    plan = fabrica.plan_accion(estado=EstadoPlan.APROBADO, actividades=1)
    reporte = fabrica.reporte(plan, 1, {"A1": Decimal("0.167")})
    (avance,) = reporte.avances
    db.session.expire_all()
    assert avance.valor_logrado == Decimal("0.167")
    assert formato.cantidad(avance.valor_logrado) == "0,167"


def test_la_migracion_sube_baja_y_vuelve_a_subir(contexto):
    """En la base de las pruebas (SQLite o PostgreSQL): 0018_previa ensancha las cantidades a seis decimales y
    la bajada vuelve a dos."""
    def escala() -> int:
        columna = next(c for c in sa.inspect(db.engine).get_columns("actividad") if c["name"] == "meta_anual")
        return columna["type"].scale

    assert escala() == 6
    db.session.remove()
    downgrade(revision="0017_direccion")
    assert escala() == 2
    upgrade()
    assert escala() == 6


def test_el_formulario_de_la_actividad_acepta_los_decimales_que_se_guardan_y_rechaza_los_demas(
        fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=1)
    (actividad,) = plan.actividades
    director = navegador(usuarios[R.DIRECTOR])
    url = f"/admin/actividad/edit/?id={actividad.id}"
    datos = {k: v[-1] for k, v in campos_del_formulario(director.texto(url)).items() if v}

    html = director.post(url, data=datos | {"meta_anual": "0,1234567"}).get_data(as_text=True)
    assert "tiene 7 decimales; aquí se guardan hasta 6" in html
    assert db.session.get(Actividad, actividad.id).meta_anual != Decimal("0.123457")

    assert director.post(url, data=datos | {"meta_anual": "0,167", "meta_t1": "0,167"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Actividad, actividad.id).meta_anual == Decimal("0.167")
    # Al volver a abrir el formulario se ve lo guardado, no 0,17 (guardarlo de nuevo no lo redondea).
    assert 'value="0,167"' in director.texto(url)
