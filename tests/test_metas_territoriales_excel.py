"""Cada Dirección Territorial fija desde Excel las metas trimestrales de las actividades que le asignaron."""
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gestion.reglas import roles as R
from modelos import EstadoPlan, MetaTerritorial, db

BASE = "/admin/metaterritorial"


@pytest.fixture
def asignada(fabrica, usuarios):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, actividades=2)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (1, 2, 3, 4), m.territorial2: (5, 5, 5, 5)})
    return plan, actividad


def _metas(actividad):
    db.session.expire_all()
    return {m.dependencia.codigo: (m.meta_t1, m.meta_t2, m.meta_t3, m.meta_t4)
            for m in db.session.query(MetaTerritorial).filter_by(actividad_id=actividad.id)}


def _plantilla(cliente):
    respuesta = cliente.get(f"{BASE}/plantilla/")
    assert respuesta.status_code == 200
    assert respuesta.headers["Content-Disposition"].endswith("-2026.xlsx")
    return load_workbook(BytesIO(respuesta.data))


def _subir(cliente, libro):
    salida = BytesIO()
    libro.save(salida)
    return cliente.post(f"{BASE}/cargar/", data={"archivo": (BytesIO(salida.getvalue()), "metas.xlsx")})


def test_la_dt_descarga_sus_metas_las_diligencia_y_las_carga(fabrica, usuarios, navegador, asignada):
    plan, actividad = asignada
    m = fabrica.mundo
    dt = navegador(usuarios[R.TERRITORIAL])
    libro = _plantilla(dt)
    hoja = libro["Metas"]
    assert [c.value for c in hoja[1]][:2] == ["Dependencia del plan", "Código"]
    assert [c.value for c in hoja[2]][:2] == [plan.dependencia.codigo, actividad.codigo]
    assert [c.value for c in hoja[2]][5:] == [1, 2, 3, 4]
    assert hoja.protection.sheet and hoja["C2"].protection.locked and not hoja["F2"].protection.locked
    assert {str(v.sqref) for v in hoja.data_validations.dataValidation} == {"F2:F502", "G2:G502", "H2:H502", "I2:I502"}
    assert hoja.freeze_panes == "A2" and hoja.page_setup.orientation == "landscape"
    assert libro["Datos"]["B2"].value == m.territorial.codigo

    for celda, valor in zip(hoja[2][5:], ("12,5", 20, 30, 40), strict=False):
        celda.value = valor
    respuesta = _subir(dt, libro)
    assert respuesta.status_code == 302
    assert "1 actividad(es) con metas nuevas" in dt.texto(respuesta.location)
    metas = _metas(actividad)
    assert metas[m.territorial.codigo] == (Decimal("12.5"), Decimal(20), Decimal(30), Decimal(40))
    assert metas[m.territorial2.codigo] == (5, 5, 5, 5)  # la otra DT no se toca


def test_una_fila_mala_no_carga_nada(fabrica, usuarios, navegador, asignada):
    _, actividad = asignada
    dt = navegador(usuarios[R.TERRITORIAL])
    libro = _plantilla(dt)
    libro["Metas"]["F2"].value = -3
    libro["Metas"]["G2"].value = 99
    antes = _metas(actividad)
    respuesta = _subir(dt, libro)
    assert respuesta.status_code == 422
    assert "Fila 2: «Meta T1» no puede ser negativa (-3)." in respuesta.get_data(as_text=True)
    assert _metas(actividad) == antes


def test_la_plantilla_de_otra_dt_se_rechaza_y_un_plan_enviado_no_cambia(fabrica, usuarios, navegador, asignada):
    plan, actividad = asignada
    otra = navegador(usuarios["territorial2"])
    libro = _plantilla(otra)
    libro["Metas"]["F2"].value = 50
    respuesta = _subir(navegador(usuarios[R.TERRITORIAL]), libro)
    assert respuesta.status_code == 422 and "es la plantilla de la Dirección Territorial" in respuesta.get_data(
        as_text=True)

    fabrica.llevar_a(plan, EstadoPlan.ENVIADO)
    db.session.commit()
    antes = _metas(actividad)
    respuesta = _subir(otra, libro)
    assert respuesta.status_code == 422 and "sus metas ya no cambian" in respuesta.get_data(as_text=True)
    libro["Metas"]["F2"].value = 5
    assert _subir(otra, libro).status_code == 302  # sin cambios no es error
    assert _metas(actividad) == antes


def test_solo_una_direccion_territorial_usa_la_plantilla(usuarios, navegador, asignada):
    for rol in (R.DIRECTOR, R.OAP):
        assert navegador(usuarios[rol]).get(f"{BASE}/plantilla/").status_code == 403
