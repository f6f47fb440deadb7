"""Actividad 10: el director carga las actividades de su plan desde Excel, todo o nada."""
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import actividades as importar_actividades
from gestion.importacion.lectura import ImportacionRechazada
from gestion.reglas import roles as R
from gestion.reglas.flujo import TransicionInvalida
from gestion.reglas.permisos import AccesoDenegado
from modelos import Actividad, HistorialEstado, MetaTerritorial, Plan, db
from modelos import EstadoPlan as E

from .libros import libro

BASE = "/admin/planes_accion"
TITULOS = [c.etiqueta for c in CAMPOS]


def _libro(filas, titulos=TITULOS) -> bytes:
    return libro([titulos, *filas], hoja="Actividades")


def _fila(codigo, descripcion="Visitas de inspección", objetivo="OI1", politica="P01", unidad="NUM",
          metas=(40, 10, 10, 10, 10), peso=50, inicio="01/02/2026", fin="15/12/2026", presupuesto=1_000_000,
          bpin=None, responsable="Grupo de inspección"):
    return [codigo, descripcion, objetivo, politica, "Visitas realizadas", "Número de visitas", unidad, *metas,
            peso, inicio, fin, presupuesto, bpin, responsable]


def _subir(cliente, plan, contenido, nombre="actividades.xlsx"):
    return cliente.post(f"{BASE}/cargar_actividades/", data={"id": plan.id, "archivo": (BytesIO(contenido), nombre)})


def _actividades(plan):
    db.session.expire_all()
    return {a.codigo: (a.id, a.descripcion, a.objetivo_id, a.politica_id, a.indicador, a.formula, a.unidad_id,
                       a.meta_anual, a.meta_t1, a.meta_t2, a.meta_t3, a.meta_t4, a.peso, a.fecha_inicio,
                       a.fecha_fin, a.presupuesto, a.proyecto_id, a.responsable, a.territorial)
            for a in db.session.get(Plan, plan.id).actividades}


def _foto(plan):
    db.session.expire_all()
    historial = db.session.scalar(sa.select(sa.func.count()).select_from(HistorialEstado)
                                  .filter_by(objeto_tipo="plan", objeto_id=plan.id))
    metas = db.session.scalar(sa.select(sa.func.count()).select_from(MetaTerritorial))
    return db.session.get(Plan, plan.id).estado, _actividades(plan), historial, metas


def test_la_plantilla_descargada_y_cargada_sin_cambios_deja_las_mismas_actividades(fabrica, usuarios, navegador):
    m = fabrica.mundo
    propio = fabrica.proyecto(m.central)
    plan = fabrica.plan_accion(actividades=3, proyecto=propio)
    director = navegador(usuarios[R.DIRECTOR])
    antes = _actividades(plan)

    respuesta = director.get(f"{BASE}/plantilla_actividades/?id={plan.id}")
    assert respuesta.status_code == 200 and respuesta.mimetype.endswith("spreadsheetml.sheet")
    libro = load_workbook(BytesIO(respuesta.data))
    assert libro.sheetnames == ["Actividades", "Listas", "Instrucciones"]
    filas = list(libro["Actividades"].iter_rows(values_only=True))
    assert list(filas[0]) == TITULOS + ["Territorial", "Direcciones Territoriales"]
    assert [f[0] for f in filas[1:]] == ["A1", "A2", "A3"]
    listas = {c[0].value: {x.value for x in c[1:] if x.value} for c in libro["Listas"].iter_cols()}
    assert {"OI1"} <= listas["Objetivo del PEI"] and {"P01"} <= listas["Política MIPG"]
    assert {"NUM"} <= listas["Unidad de medida"]
    assert listas["Proyecto de inversión"] == {propio.bpin} and "OS1" not in listas["Objetivo del PEI"]

    respuesta = _subir(director, plan, respuesta.data)
    assert respuesta.status_code == 302
    assert "3 actividades cargadas desde Excel" in director.texto(respuesta.location)
    assert _actividades(plan) == antes
    entrada = db.session.scalars(sa.select(HistorialEstado).filter_by(objeto_tipo="plan", objeto_id=plan.id,
                                                                       accion="cargar_excel")).one()
    assert (entrada.estado_desde, entrada.estado_hasta, entrada.usuario_id) == ("borrador", "borrador",
                                                                                usuarios[R.DIRECTOR].id)
    assert entrada.observacion == "3 actividades cargadas desde Excel"


def test_un_archivo_valido_actualiza_borra_y_crea_y_conserva_las_metas_territoriales(fabrica, usuarios, navegador):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central)
    plan = fabrica.plan_accion(actividades=3)
    a1 = fabrica.actividad_territorial(plan, {m.territorial: (1, 2, 3, 4)})
    ids = {a.codigo: a.id for a in plan.actividades}
    contenido = _libro([
        _fila("A1", "Visitas de inspección en las regiones", metas=("1.500,5", "500", 500, "250,25", 250.25),
              peso="60 %", inicio="01/03/2026", fin=date(2026, 11, 30), presupuesto="$ 2.500.000",
              bpin=proyecto.bpin),
        _fila("A2", peso=30),
        _fila("A9", "Nueva actividad de formalización", peso="10", metas=(4, 1, 1, 1, 1), inicio="2026-02-01",
              responsable=None),
    ])

    director = navegador(usuarios[R.DIRECTOR])
    a3 = next(a for a in plan.actividades if a.codigo == "A3")
    antes = db.session.scalar(sa.select(sa.func.count()).select_from(Actividad))
    # Primero se muestra lo que se borraría (A3, con lo que lleva) y no se toca nada.
    previa = _subir(director, plan, contenido)
    html = previa.get_data(as_text=True)
    assert previa.status_code == 200 and "1 actividad(es) del plan no vienen en el archivo" in html
    assert f"<td>A3</td><td>{a3.descripcion}</td>" in html and "Cargar y borrar 1 actividad(es)" in html
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Actividad)) == antes
    marca = re.search(r'name="confirmacion" value="([^"]+)"', html).group(1)
    # La marca es de este director y de este plan: otro no la usa.
    ajeno = navegador(usuarios["director2"]).post(f"{BASE}/cargar_actividades/", data={"id": plan.id,
                                                                                      "confirmacion": marca})
    assert ajeno.status_code == 404

    respuesta = director.post(f"{BASE}/cargar_actividades/", data={"id": plan.id, "confirmacion": marca})
    assert respuesta.status_code == 302
    aviso = director.texto(respuesta.headers["Location"])
    assert "Se borraron, como usted confirmó, 1 que ya no venían en el archivo: A3." in aviso
    db.session.expire_all()
    actividades = {a.codigo: a for a in db.session.get(Plan, plan.id).actividades}
    assert sorted(actividades) == ["A1", "A2", "A9"]
    nueva_a1 = actividades["A1"]
    assert (nueva_a1.id, actividades["A2"].id) == (ids["A1"], ids["A2"])
    assert nueva_a1.descripcion == "Visitas de inspección en las regiones"
    assert (nueva_a1.meta_anual, nueva_a1.meta_t1, nueva_a1.meta_t2, nueva_a1.meta_t4) == (
        Decimal("1500.5"), Decimal(500), Decimal(500), Decimal("250.25"))
    assert (nueva_a1.peso, nueva_a1.presupuesto, nueva_a1.proyecto_id) == (Decimal(60), Decimal(2_500_000), proyecto.id)
    assert (nueva_a1.fecha_inicio, nueva_a1.fecha_fin) == (date(2026, 3, 1), date(2026, 11, 30))
    assert nueva_a1.territorial and [(mt.dependencia_id, mt.meta_t4) for mt in nueva_a1.metas_territoriales] == [
        (m.territorial.id, Decimal(4))]
    a9 = actividades["A9"]
    assert (a9.objetivo_id, a9.unidad_id, a9.peso, a9.fecha_inicio, a9.responsable, a9.territorial) == (
        m.objetivo_pei.id, m.unidad.id, Decimal(10), date(2026, 2, 1), None, False)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Actividad)) == 3  # A3 se borró
    assert a1.id == nueva_a1.id


def test_un_archivo_con_varias_filas_malas_no_importa_nada_y_nombra_cada_error(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=2)
    fabrica.actividad_territorial(plan, {fabrica.mundo.territorial: (1, 1, 1, 1)})
    antes = _foto(plan)
    contenido = _libro([
        _fila("A1", metas=(40, -10, 10, 10, 10)),
        _fila("A2", metas=("diez", 10, 10, 10, 10), peso=150),
        _fila("A3", inicio="31/02/2026"),
        _fila("A4", inicio="01/06/2026", fin="01/05/2026"),
        _fila("A5", descripcion=None, unidad="KG"),
        _fila("A1"),
        _fila(None, presupuesto="mucho"),
    ])
    director = navegador(usuarios[R.DIRECTOR])

    respuesta = _subir(director, plan, contenido)

    assert respuesta.status_code == 422
    html = respuesta.get_data(as_text=True)
    assert "No se importó nada: el archivo tiene" in html
    for esperado in ("Fila 2: «Meta T1» no puede ser negativo (-10).",
                     "Fila 3: «Meta anual»: «diez» no es un número.",
                     "Fila 3: «Peso (%)» va de 0 a 100 (150).",
                     "Fila 4: «Fecha de inicio»: «31/02/2026» no es una fecha (use dd/mm/aaaa).",
                     "Fila 5: la fecha fin (01/05/2026) es anterior a la de inicio (01/06/2026).",
                     "Fila 6: falta «Descripción».",
                     "Fila 6: «Unidad de medida» «KG» no es una unidad de medida del catálogo",
                     "Fila 7: el código «A1» ya está en la fila 2.",
                     "Fila 8: falta «Código».",
                     "Fila 8: «Presupuesto»: «mucho» no es un número."):
        assert esperado in html, esperado
    assert _foto(plan) == antes


def test_se_rechazan_el_proyecto_de_otra_dependencia_y_el_objetivo_que_no_es_del_pei(fabrica, usuarios):
    m = fabrica.mundo
    ajeno = fabrica.proyecto(m.central2)
    plan = fabrica.plan_accion(actividades=2)
    antes = _foto(plan)
    contenido = _libro([_fila("A1", bpin=ajeno.bpin), _fila("A2", objetivo="OI9"), _fila("A3", objetivo="OS1")])

    with pytest.raises(ImportacionRechazada) as rechazo:
        importar_actividades.importar(plan, contenido, usuarios[R.DIRECTOR])

    assert rechazo.value.errores == [
        f"Fila 2: «Proyecto de inversión» «{ajeno.bpin}» no es un proyecto de inversión activo de la dependencia del plan "
        "(vea la hoja «Listas»).",
        "Fila 3: «Objetivo del PEI» «OI9» no es un objetivo del PEI vigente (vea la hoja «Listas»).",
        "Fila 4: «Objetivo del PEI» «OS1» no es un objetivo del PEI vigente (vea la hoja «Listas»).",
    ]
    db.session.rollback()
    assert _foto(plan) == antes


def test_por_el_servicio_solo_el_director_de_la_dependencia_y_en_formulacion(fabrica, usuarios):
    plan = fabrica.plan_accion(actividades=1)
    contenido = _libro([_fila("B1", peso=100)])
    for usuario in (usuarios[R.OAP], usuarios["director2"], usuarios[R.CONTROL_INTERNO]):
        with pytest.raises(AccesoDenegado, match="Solo el director de la dependencia"):
            importar_actividades.importar(plan, contenido, usuario)

    # El servicio no borra lo que nadie confirmó: A1 no viene en el archivo.
    with pytest.raises(importar_actividades.BorradoSinConfirmar, match="no trae 1 actividad"):
        importar_actividades.importar(plan, contenido, usuarios[R.DIRECTOR])
    db.session.rollback()
    assert list(_actividades(plan)) == ["A1"]
    assert importar_actividades.importar(plan, contenido, usuarios[R.DIRECTOR], borrar=["A1"]).cargadas == 1
    db.session.commit()
    assert list(_actividades(plan)) == ["B1"]

    enviado = fabrica.plan_accion(fabrica.mundo.central2, estado=E.ENVIADO)
    with pytest.raises(TransicionInvalida, match="está enviado a la oap: sus actividades ya no se cargan"):
        importar_actividades.importar(enviado, contenido, usuarios["director2"])


def test_el_director_de_otra_dependencia_recibe_404_en_ambas_paginas(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=2)
    antes = _foto(plan)
    director2 = navegador(usuarios["director2"])
    assert director2.get(f"{BASE}/plantilla_actividades/?id={plan.id}").status_code == 404
    assert director2.get(f"{BASE}/cargar_actividades/?id={plan.id}").status_code == 404
    assert _subir(director2, plan, _libro([_fila("X1", peso=100)])).status_code == 404
    assert _foto(plan) == antes


@pytest.mark.parametrize("estado", [E.ENVIADO, E.APROBADO])
def test_un_plan_enviado_o_aprobado_no_recibe_el_cargue(fabrica, usuarios, navegador, estado):
    plan = fabrica.plan_accion(actividades=2, estado=estado)
    antes = _foto(plan)
    director = navegador(usuarios[R.DIRECTOR])

    respuesta = _subir(director, plan, _libro([_fila("X1", peso=100)]))
    assert respuesta.status_code == 422
    assert "sus actividades ya no se cargan" in respuesta.get_data(as_text=True)
    assert _foto(plan) == antes

    respuesta = director.get(f"{BASE}/cargar_actividades/?id={plan.id}")
    assert respuesta.status_code == 302
    ficha = director.texto(respuesta.location)
    assert "sus actividades ya no se cargan" in ficha and "Cargar desde Excel" not in ficha


@pytest.mark.parametrize("rol", [R.OAP, R.JEFE_OAP, R.CONTROL_INTERNO, R.TERRITORIAL, R.COMITE_INSTITUCIONAL])
def test_los_demas_roles_no_cargan_ni_descargan_la_plantilla(fabrica, usuarios, navegador, rol):
    plan = fabrica.plan_accion(actividades=2)
    antes = _foto(plan)
    cliente = navegador(usuarios[rol])
    assert cliente.get(f"{BASE}/plantilla_actividades/?id={plan.id}").status_code == 403
    assert cliente.get(f"{BASE}/cargar_actividades/?id={plan.id}").status_code == 403
    assert _subir(cliente, plan, _libro([_fila("X1", peso=100)])).status_code == 403
    assert _foto(plan) == antes


def test_un_archivo_que_no_es_xlsx_se_rechaza_con_un_mensaje_claro(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=2)
    antes = _foto(plan)
    director = navegador(usuarios[R.DIRECTOR])

    html = _subir(director, plan, b"codigo;descripcion\nA1;x\n", "actividades.csv").get_data(as_text=True)
    assert "Libro de Excel: tipo de archivo no permitido; se aceptan xlsx." in html
    html = _subir(director, plan, b"codigo;descripcion\nA1;x\n", "disfrazado.xlsx").get_data(as_text=True)
    assert "Libro de Excel: el contenido no corresponde a un .xlsx." in html
    html = _subir(director, plan, _libro([["A1", "x"]], titulos=["Código", "Descripción"])).get_data(as_text=True)
    assert "Faltan las columnas: Objetivo del PEI" in html
    html = director.post(f"{BASE}/cargar_actividades/", data={"id": plan.id}).get_data(as_text=True)
    assert "Elija el libro de Excel (.xlsx) que va a cargar." in html
    assert _foto(plan) == antes


def test_la_ficha_ofrece_el_cargue_solo_a_quien_puede_editar_el_contenido(fabrica, usuarios, navegador):
    plan = fabrica.plan_accion(actividades=1)
    ficha = navegador(usuarios[R.DIRECTOR]).texto(f"{BASE}/ficha/?id={plan.id}")
    assert "Cargar desde Excel" in ficha and "Descargar plantilla" in ficha
    html = navegador(usuarios[R.DIRECTOR]).texto(f"{BASE}/cargar_actividades/?id={plan.id}")
    assert "Libro de Excel (.xlsx)" in html and 'enctype="multipart/form-data"' in html
    assert "Cargar desde Excel" not in navegador(usuarios[R.OAP]).texto(f"{BASE}/ficha/?id={plan.id}")


def test_el_mensaje_de_una_carga_que_borra_miles_cabe_en_la_cookie(fabrica):
    """El mensaje va en la cookie de la sesión: con miles de códigos pasaría de 4 KB y el navegador lo perdería."""
    plan = fabrica.plan_accion(actividades=1)
    carga = importar_actividades.Carga(3, [f"A{n}" for n in range(1, 2001)])
    mensaje = carga.mensaje(plan)
    assert "Se borraron, como usted confirmó, 2000 que ya no venían en el archivo: A1, A2," in mensaje
    assert mensaje.endswith("A10 y 1990 más.") and len(mensaje.encode()) < 500
