"""El registro de campos de una actividad (`gestion.planes.campos`) es el único lugar que los nombra: cada
campo sale con su etiqueta en la plantilla, el libro del PAI, la ficha, la página pública, el formulario y la
diferencia entre versiones; una plantilla de un año anterior se sigue cargando."""
from dataclasses import replace
from decimal import Decimal
from html import unescape
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gestion.excel import pai as excel_pai
from gestion.importacion import actividades as importar_actividades
from gestion.planes import ajustes, campos, versiones
from gestion.planes.plan_accion import resumen_pai
from gestion.reglas import controles_plan_accion as controles
from gestion.reglas import roles as R
from gestion.seguimiento import cifras
from modelos import EstadoPlan as E
from modelos import Plan, db
from vistas.etiquetas import etiqueta_campo

from .libros import libro

BASE = "/admin/planes_accion"


def _titulos(contenido: bytes, hoja: str = "Actividades") -> list[str]:
    return [c.value for c in load_workbook(BytesIO(contenido))[hoja][1]]


def test_una_etiqueta_por_campo_y_ningun_titulo_anterior_nombra_otro_campo():
    etiquetas = [c.etiqueta for c in campos.ACTIVIDAD]
    assert len(set(etiquetas)) == len(etiquetas)
    anteriores = [a for c in campos.ACTIVIDAD for a in c.alias]
    assert len(set(anteriores)) == len(anteriores) and not set(anteriores) & set(etiquetas)
    assert campos.POR_NOMBRE["objetivo"].etiqueta == "Objetivo del PEI"
    # La auditoría de una actividad nombra sus campos como el registro; la de un indicador, no.
    assert etiqueta_campo("objetivo_id", "actividad") == "Objetivo del PEI"
    assert etiqueta_campo("objetivo_id", "indicador") == "Objetivo"


def test_cada_campo_sale_con_su_etiqueta_en_libros_ficha_pagina_publica_formulario_y_diferencia(
        fabrica, usuarios, navegador):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central)
    plan = fabrica.plan_accion(m.central, actividades=2, proyecto=proyecto)
    director = navegador(usuarios[R.DIRECTOR])

    plantilla = _titulos(importar_actividades.plantilla(plan))
    assert plantilla[:len(campos.IMPORTADOS)] == [c.etiqueta for c in campos.IMPORTADOS]
    libro_pai = _titulos(excel_pai.libro_pai(resumen_pai(plan)))
    assert libro_pai == ["Dependencia"] + [c.etiqueta for c in campos.EXPORTADOS]
    ficha = unescape(director.texto(f"{BASE}/ficha/?id={plan.id}"))
    for campo in campos.FICHA:
        assert f">{campo.etiqueta}</th>" in ficha, campo.nombre
    diferencia = versiones._actividad(plan.actividades[0])
    assert [e for e in diferencia if "·" not in e] == [c.etiqueta for c in campos.COMPARADOS]
    formulario = unescape(director.texto(f"/admin/actividad/new/?plan_id={plan.id}"))
    for campo in campos.ACTIVIDAD:
        assert campo.etiqueta in formulario, campo.nombre
    # Lo que se lee en la ficha es el valor con el formato de su tipo.
    assert "$ 1.000.000" in ficha and "50 %" in ficha and "01/02/2026" in ficha and proyecto.bpin in ficha

    fabrica.llevar_a(plan, E.APROBADO)
    pai = fabrica.publicar_pai()
    publica = unescape(navegador().texto(f"/publico/pai/{pai.id}"))
    for campo in campos.PUBLICOS:
        assert f">{campo.etiqueta}</th>" in publica, campo.nombre
    assert f'<label class="mr-2" for="objetivo">{campos.POR_NOMBRE["objetivo"].etiqueta}</label>' in publica


def test_una_entrada_en_el_registro_basta_para_que_la_diferencia_compare_el_campo(fabrica, usuarios, monkeypatch):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO, actividades=2)
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Cambio de grupo.", "Otro responsable en A1.")
    solicitud.plan_propuesto.actividades[0].responsable = "Grupo de formalización"
    db.session.flush()

    def cambios():
        comparacion = ajustes.comparacion(solicitud)
        return {c.campo: (c.antes, c.despues) for e in comparacion.elementos for c in e.cambios}

    assert cambios() == {"Responsable": ("Grupo de prueba", "Grupo de formalización")}
    sin_responsable = tuple(c for c in campos.COMPARADOS if c.nombre != "responsable")
    monkeypatch.setattr(campos, "COMPARADOS", sin_responsable)
    assert cambios() == {}
    # Un campo nuevo: una entrada más (aquí sobre una columna que ya existe, con otra etiqueta).
    nuevo = replace(campos.POR_NOMBRE["responsable"], etiqueta="Grupo responsable")
    monkeypatch.setattr(campos, "COMPARADOS", sin_responsable + (nuevo,))
    assert cambios() == {"Grupo responsable": ("Grupo de prueba", "Grupo de formalización")}


def test_una_plantilla_con_los_titulos_del_anio_pasado_se_sigue_cargando(fabrica, usuarios):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central)
    plan = fabrica.plan_accion(actividades=1)
    anteriores = ["Código", "Descripción", "Objetivo PEI", "Política MIPG", "Indicador", "Fórmula", "Unidad",
                  "Meta anual", "Meta T1", "Meta T2", "Meta T3", "Meta T4", "Peso %", "Fecha inicio", "Fecha fin",
                  "Presupuesto", "BPIN proyecto", "Responsable"]
    fila = ["A1", "Visitas de inspección", "OI1", "P01", "Visitas realizadas", "Número de visitas", "NUM",
            40, 10, 10, 10, 10, 100, "01/02/2026", "15/12/2026", 2_000_000, proyecto.bpin, "Grupo de inspección"]

    carga = importar_actividades.importar(plan, libro([anteriores, fila], hoja="Actividades"), usuarios[R.DIRECTOR])

    assert carga.cargadas == 1
    db.session.expire_all()
    actividad = db.session.get(Plan, plan.id).actividades[0]
    assert (actividad.objetivo, actividad.unidad, actividad.proyecto) == (m.objetivo_pei, m.unidad, proyecto)
    assert (actividad.peso, actividad.presupuesto, str(actividad.fecha_fin)) == (100, 2_000_000, "2026-12-15")


def test_un_error_en_una_plantilla_vieja_se_marca_en_su_columna(fabrica, usuarios):
    from gestion.importacion.errores import libro_con_errores
    from gestion.importacion.lectura import ImportacionRechazada

    plan = fabrica.plan_accion(actividades=1)
    anteriores = ["Código", "Descripción", "Objetivo PEI", "Política MIPG", "Indicador", "Fórmula", "Unidad",
                  "Meta anual", "Meta T1", "Meta T2", "Meta T3", "Meta T4", "Peso %", "Fecha inicio", "Fecha fin",
                  "Presupuesto", "BPIN proyecto", "Responsable"]
    contenido = libro([anteriores, ["A1", "Visitas", "OI9", None, None, None, None, 0, 0, 0, 0, 0, 100]],
                      hoja="Actividades")
    with pytest.raises(ImportacionRechazada) as rechazo:
        importar_actividades.importar(plan, contenido, usuarios[R.DIRECTOR])
    db.session.rollback()
    assert rechazo.value.errores == [
        "Fila 2: «Objetivo del PEI» «OI9» no es un objetivo del PEI vigente (vea la hoja «Listas»)."]

    marcado, _ = libro_con_errores(contenido, rechazo.value.detalle, "Actividades")
    celda = load_workbook(BytesIO(marcado))["Actividades"]["C2"]  # la columna «Objetivo PEI» del libro viejo
    assert celda.comment is not None and "OI9" in celda.comment.text


def test_una_instantanea_guardada_con_las_etiquetas_de_antes_no_muestra_cambios_que_no_hubo(fabrica):
    plan = fabrica.plan_accion(actividades=1)
    foto = versiones.instantanea(plan)
    actual = foto["actividades"]["A1"][1]
    anterior = {"Unidad" if k == "Unidad de medida" else "Peso" if k == "Peso (%)" else k: v
                for k, v in actual.items()}
    foto["actividades"]["A1"][1] = anterior
    assert anterior != actual

    assert not versiones.desde_instantanea(foto, plan, "al devolverlo").hay_cambios


def test_la_meta_de_un_trimestre_se_lee_igual_en_cada_objeto_que_la_tiene(fabrica):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, actividades=2)
    actividad = fabrica.actividad_territorial(plan, {m.territorial: (1, 2, 3, 4)})
    actividad.meta_t1, actividad.meta_t2, actividad.meta_t3, actividad.meta_t4 = (Decimal(v) for v in (1, 2, 3, 4))
    db.session.commit()
    meta = actividad.metas_territoriales[0]
    ligera = next(a for a in controles._cargar_ligeros([plan])[plan.id].actividades if a.codigo == actividad.codigo)
    fila = cifras.FilaActividad(
        actividad_id=actividad.id, codigo=actividad.codigo, descripcion=actividad.descripcion, plan_id=plan.id,
        dependencia_id=m.central.id, dependencia=m.central.nombre, objetivo_id=None, objetivo=None,
        peso=actividad.peso, metas=actividad.metas_trimestrales, presupuesto=actividad.presupuesto, trimestre=3,
        reportado=False)

    for t in campos.TRIMESTRES:
        assert (actividad.meta_trimestre(t) == meta.meta_trimestre(t) == ligera.meta_trimestre(t)
                == ligera.metas_territoriales[0].meta_trimestre(t) == fila.meta_trimestre(t) == Decimal(t))
    assert fila.meta_del_trimestre == Decimal(3) and meta.total == Decimal(10)
