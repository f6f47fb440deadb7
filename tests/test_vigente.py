"""Lo publicado nunca queda viejo sin decirlo (issue 19, punto 6): un ajuste de un plan de acción que aprueba la OAP
llega en la misma petición a la página pública del PAI, a su libro, a los datos abiertos y al art. 74; lo que espera
a un comité se avisa en la página publicada; la historia pública de versiones no salta números."""
import csv
import io
import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from gestion.base import formato
from gestion.demo import cargador
from gestion.planes import ajustes, estrategicos, plan_accion
from gestion.reglas import roles as R
from modelos import EstadoAjuste, EstadoPlan, Plan, SolicitudAjuste, TipoPlan, db

from .test_consultas import consultas

A, E = EstadoAjuste, EstadoPlan
AJ = "/admin/solicitudajuste"
CAUSA = "El decreto de liquidación recorta el proyecto de sedes."


def _pedir(plan, usuarios, fabrica, causa=CAUSA, enviar=True):
    """Una solicitud del director con un cambio real: la meta del T4 de A1 sube 5 y su presupuesto 500.000."""
    director = fabrica.reportante(plan.dependencia)
    solicitud = ajustes.solicitar(plan, director, causa, "Subir la meta del T4 de A1 y su presupuesto.")
    a1 = solicitud.plan_propuesto.actividades[0]
    a1.meta_t4 += 5
    a1.meta_anual += 5
    a1.presupuesto += Decimal(500_000)
    db.session.flush()
    if enviar:
        ajustes.enviar(solicitud, director)
    db.session.commit()
    return solicitud


def _pertinente(solicitud, usuarios, fabrica):
    ajustes.revisar(solicitud, usuarios[R.OAP], True, "Causa pertinente; no afecta los objetivos.")
    fabrica.verificar(solicitud.plan_propuesto, usuarios[R.OAP])
    db.session.commit()


def _ultimo_pai(vigencia) -> Plan:
    db.session.expire_all()
    return db.session.scalars(sa.select(Plan).filter_by(tipo=TipoPlan.PAI, vigencia_id=vigencia.id)
                              .order_by(Plan.numero_version.desc())).first()


def test_el_ajuste_aprobado_llega_a_todo_lo_publicado_en_la_misma_peticion(fabrica, usuarios, navegador):
    m = fabrica.mundo
    proyecto = fabrica.proyecto(m.central, Decimal(9_000_000))
    plan = fabrica.plan_accion(m.central, E.APROBADO, proyecto=proyecto)
    fabrica.plan_accion(m.central2, E.APROBADO)
    primera = fabrica.publicar_pai()
    solicitud = _pedir(plan, usuarios, fabrica)
    _pertinente(solicitud, usuarios, fabrica)
    publico = navegador()
    assert "Ajustes aprobados" not in publico.texto(f"/publico/pai/{primera.id}")

    # La OAP aprueba por HTTP; nadie consolida, presenta ni publica después.
    oap = navegador(usuarios[R.OAP])
    respuesta = oap.post(f"{AJ}/aprobar/", data={"id": solicitud.id, "observacion": "Aprobado por la OAP."})
    assert respuesta.status_code == 302
    pai = _ultimo_pai(m.vigencia)
    assert (pai.numero_version, pai.estado, pai.publicado_por_id) == (2, E.PUBLICADO, usuarios[R.OAP].id)
    assert f"Publicada la versión 2 del {pai.nombre}" in oap.texto(respuesta.headers["Location"])

    # La página pública: el índice lleva a la versión 2, que dice causa, fecha, instancia y qué cambió.
    assert f"/publico/pai/{pai.id}" in publico.texto("/publico/pai/")
    assert f"/publico/planes/{pai.id}.xlsx" in publico.texto("/publico/")
    pagina = publico.texto(f"/publico/pai/{pai.id}")
    solicitud = db.session.get(SolicitudAjuste, solicitud.id)
    decidido = solicitud.decidido_en
    for texto in ("Versión publicada con el ajuste aprobado", f"Ajuste #{solicitud.id} · Plan de acción de", CAUSA,
                  "Oficina Asesora de Planeación", "Meta T4", "Cambiado", f"/publico/ajustes/{solicitud.id}",
                  f"/publico/pai/{primera.id}"):
        assert texto in pagina, texto
    assert formato.fecha(decidido) in pagina
    # La versión 1 se conserva como se publicó y dice cuál está en vigor.
    anterior = publico.texto(f"/publico/pai/{primera.id}")
    assert "Esta es una versión anterior" in anterior and f"/publico/pai/{pai.id}" in anterior

    # El libro de la versión 2: la meta y el presupuesto nuevos de A1.
    libro = load_workbook(BytesIO(publico.get(f"/publico/pai/{pai.id}.xlsx").data))
    a1 = next(f for f in libro["Actividades"].iter_rows(min_row=2, values_only=True)
              if f[0] == m.central.nombre and f[1] == "A1")
    assert (a1[8], a1[12], a1[16]) == (45, 15, 1_500_000)

    # Datos abiertos: las mismas filas, de la versión 2.
    filas = list(csv.DictReader(io.StringIO(publico.get("/publico/datos/2026/actividades.csv").get_data(True))))
    propia = next(f for f in filas if f["dependencia"] == m.central.nombre and f["codigo_actividad"] == "A1")
    assert {f["version_pai"] for f in filas} == {"2"} and (propia["meta_t4"], propia["presupuesto"]) == ("15", "1500000")
    datos = json.loads(publico.get("/publico/datos/2026/actividades.json").get_data(True))["datos"]
    assert [d["codigo_actividad"] for d in datos] == [f["codigo_actividad"] for f in filas]
    presupuesto = list(csv.DictReader(io.StringIO(publico.get("/publico/datos/2026/presupuesto.csv").get_data(True))))
    assert [p["presupuesto_actividades"] for p in presupuesto] == ["2500000"]
    modificaciones = list(csv.DictReader(io.StringIO(
        publico.get("/publico/datos/2026/modificaciones.csv").get_data(True))))
    assert [(f["causa"], f["presupuesto_nuevo"]) for f in modificaciones] == [(CAUSA, "2500000")]

    # El art. 74: el presupuesto por dependencia ya es el nuevo, y la modificación está en su lista.
    art74 = publico.texto("/publico/transparencia/2026")
    desagregado = art74.split('id="desagregado"')[1].split('id="modificaciones"')[0]
    assert "$ 2.500.000" in desagregado and "$ 4.500.000" in desagregado
    assert CAUSA in art74.split('id="modificaciones"')[1]

    # La página del ajuste, pública: lo mismo, con dónde quedó publicado.
    ajuste = publico.texto(f"/publico/ajustes/{solicitud.id}")
    assert CAUSA in ajuste and "Publicado en la versión 2" in ajuste and "Meta T4" in ajuste


def test_lo_que_espera_al_comite_institucional_se_avisa_en_la_pagina_publicada(fabrica, usuarios, navegador):
    """La versión siguiente del PAI ya se presentó al comité: lo publicado no cambia, pero avisa del ajuste que
    rige y enlaza su página."""
    m, oap, jefe = fabrica.mundo, usuarios[R.OAP], usuarios[R.JEFE_OAP]
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    publicado = fabrica.publicar_pai()
    fabrica.plan_accion(m.central2, E.APROBADO)
    siguiente = plan_accion.consolidar(m.vigencia, oap)
    plan_accion.presentar(siguiente, jefe, date(2026, 3, 2), "02-2026", None)
    solicitud = _pedir(plan, usuarios, fabrica)
    _pertinente(solicitud, usuarios, fabrica)
    ajustes.aprobar(solicitud, oap, "Aprobado.")
    db.session.commit()

    pagina = navegador().texto(f"/publico/pai/{publicado.id}")
    assert "Ajustes aprobados que esta versión aún no muestra" in pagina
    assert f'href="/publico/ajustes/{solicitud.id}"' in pagina and CAUSA in pagina
    ajuste = navegador().texto(f"/publico/ajustes/{solicitud.id}")
    assert "en trámite ante el Comité Institucional" in ajuste and "Meta T4" in ajuste


def test_el_ajuste_de_un_pei_que_espera_al_comite_se_avisa_y_al_aprobarse_tambien(fabrica, usuarios, navegador):
    m = fabrica.mundo
    fabrica.llevar_estrategico_a(m.pei, E.PUBLICADO)
    comite = usuarios[R.COMITE_INSTITUCIONAL]
    solicitud = ajustes.solicitar(m.pei, comite, "El PND cambió la meta del indicador.", "Subir la meta 2026.")
    solicitud.plan_propuesto.objetivos[0].indicadores[0].metas[-1].valor += 5
    ajustes.enviar(solicitud, comite)
    db.session.commit()
    publico = navegador()
    # Enviada pero aún sin revisar: nada público.
    assert "Ajustes a esta versión" not in publico.texto(f"/publico/planes/{m.pei.id}")
    assert publico.get(f"/publico/ajustes/{solicitud.id}").status_code == 404

    ajustes.revisar(solicitud, usuarios[R.OAP], True, "Pertinente.")
    db.session.commit()
    pagina = publico.texto(f"/publico/planes/{m.pei.id}")
    assert "Ajustes a esta versión" in pagina and "espera la aprobación del Comité Institucional" in pagina
    assert f'href="/publico/ajustes/{solicitud.id}"' in pagina

    ajustes.aprobar(solicitud, comite, "Aprobado.", "AJ-7", date(2026, 6, 1))
    db.session.commit()
    pagina = publico.texto(f"/publico/planes/{m.pei.id}")
    assert "Aprobado por el Comité Institucional" in pagina and "acta AJ-7" in pagina
    assert "La versión 2 espera su publicación" in pagina
    # Otro ajuste antes de publicar la versión 2 dejaría la historia pública en 1, 3: primero se publica.
    nueva = solicitud.plan_propuesto
    assert "aún no se publica" in ajustes.motivo_no_solicitar(comite, nueva)
    estrategicos.publicar(nueva, usuarios[R.JEFE_OAP])
    db.session.commit()
    assert ajustes.motivo_no_solicitar(comite, nueva) is None
    assert "Ajustes a esta versión" not in publico.texto(f"/publico/planes/{nueva.id}")
    assert "Esta es una versión anterior" in publico.texto(f"/publico/planes/{m.pei.id}")
    assert "Publicado en la versión 2" in publico.texto(f"/publico/ajustes/{solicitud.id}")


def test_la_historia_publica_no_salta_numeros_tras_propuestas_descartadas_y_devueltas(fabrica, usuarios, navegador):
    m, oap = fabrica.mundo, usuarios[R.OAP]
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    primera = fabrica.publicar_pai()
    director = usuarios[R.DIRECTOR]

    retirada = _pedir(plan, usuarios, fabrica, "Primera causa, retirada.", enviar=False)
    ajustes.retirar(retirada, director, "Ya no hace falta.")
    devuelta = _pedir(plan, usuarios, fabrica, "Segunda causa, devuelta y luego aprobada.")
    ajustes.devolver(devuelta, oap, "Explique el presupuesto.")
    ajustes.enviar(devuelta, director)
    _pertinente(devuelta, usuarios, fabrica)
    ajustes.aprobar(devuelta, oap, "Aprobado.")
    no_pertinente = _pedir(devuelta.plan_propuesto, usuarios, fabrica, "Tercera causa, no pertinente.")
    ajustes.revisar(no_pertinente, oap, False, "No es pertinente.")
    tercera = _pedir(devuelta.plan_propuesto, usuarios, fabrica, "Cuarta causa, aprobada.")
    _pertinente(tercera, usuarios, fabrica)
    ajustes.aprobar(tercera, oap, "Aprobado.")
    db.session.commit()

    aprobadas = [s.plan_propuesto.numero_version for s in (devuelta, tercera)]
    assert aprobadas == [2, 3]  # las descartadas no gastaron número
    publicadas = db.session.scalars(sa.select(Plan.numero_version).filter_by(
        tipo=TipoPlan.PAI, estado=E.PUBLICADO).order_by(Plan.numero_version)).all()
    assert publicadas == [1, 2, 3]
    ultimo = _ultimo_pai(m.vigencia)
    pagina = navegador().texto(f"/publico/pai/{ultimo.id}")
    historia = pagina.split('id="versiones"')[1]
    assert [n for n in (3, 2, 1) if f"Versión {n}" in historia] == [3, 2, 1]
    assert historia.index("Versión 3") < historia.index("Versión 2") < historia.index("Versión 1")
    assert f"Ajuste #{tercera.id} del plan de acción" in historia and f"Ajuste #{devuelta.id} del plan" in historia
    assert "Presentada al" in historia and "acta 01-2026" in historia
    for descartada in (retirada, no_pertinente):
        assert f"Ajuste #{descartada.id}" not in historia
        assert navegador().get(f"/publico/ajustes/{descartada.id}").status_code == 404
    assert primera.numero_version == 1


def test_cada_rol_ve_en_publico_solo_lo_publicado(fabrica, usuarios, navegador):
    """Un ajuste aprobado de un plan que nunca estuvo en un PAI publicado, uno en preparación y uno no pertinente no
    existen para el público, con o sin sesión; el aprobado de un plan publicado, sí, para todos igual."""
    m, oap = fabrica.mundo, usuarios[R.OAP]
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    fabrica.publicar_pai()
    sin_publicar = fabrica.plan_accion(m.central2, E.APROBADO)  # aprobado después: no está en el PAI publicado
    director2 = usuarios["director2"]
    fuera = ajustes.solicitar(sin_publicar, director2, "Causa de un plan no publicado.", "Cambio.")
    fuera.plan_propuesto.actividades[0].responsable = "Otro grupo"
    ajustes.enviar(fuera, director2)
    ajustes.revisar(fuera, oap, True, "Pertinente.")
    fabrica.verificar(fuera.plan_propuesto, oap)
    ajustes.aprobar(fuera, oap, "Aprobado.")
    publicado = _pedir(plan, usuarios, fabrica)
    _pertinente(publicado, usuarios, fabrica)
    ajustes.aprobar(publicado, oap, "Aprobado.")
    en_preparacion = _pedir(publicado.plan_propuesto, usuarios, fabrica, "Causa aún en preparación.", enviar=False)
    db.session.commit()
    assert fuera.pai_publicado is None and publicado.pai_publicado is not None

    for rol in (None, R.DIRECTOR, R.OAP, R.CONTROL_INTERNO, R.COMITE_INSTITUCIONAL):
        cliente = navegador(usuarios[rol]) if rol else navegador()
        assert cliente.get(f"/publico/ajustes/{publicado.id}").status_code == 200, rol
        for oculta in (fuera, en_preparacion):
            assert cliente.get(f"/publico/ajustes/{oculta.id}").status_code == 404, rol
        assert cliente.get("/publico/ajustes/999999").status_code == 404
        pagina = cliente.texto(f"/publico/pai/{publicado.pai_publicado.id}")
        assert "Causa de un plan no publicado." not in pagina and "Causa aún en preparación." not in pagina


def _version_en_el_comite(fabrica, usuarios, codigo: str) -> Plan:
    """Un plan más aprobado, consolidado en la versión siguiente del PAI y presentado al comité (sin publicar)."""
    fabrica.plan_accion(fabrica.dependencia(codigo), E.APROBADO)
    siguiente = plan_accion.consolidar(fabrica.mundo.vigencia, usuarios[R.OAP])
    plan_accion.presentar(siguiente, usuarios[R.JEFE_OAP], date(2026, 3, 2), f"AC-{codigo}", None)
    db.session.commit()
    return siguiente


def _aprobado(plan, usuarios, fabrica, causa) -> SolicitudAjuste:
    solicitud = _pedir(plan, usuarios, fabrica, causa)
    _pertinente(solicitud, usuarios, fabrica)
    ajustes.aprobar(solicitud, usuarios[R.OAP], "Aprobado.")
    db.session.commit()
    return solicitud


def test_la_pagina_publica_del_pai_lee_en_consultas_fijas(fabrica, usuarios, navegador):
    """Más versiones en la historia y más ajustes en el aviso: las mismas consultas (la historia, los avisos y la
    diferencia no consultan por versión ni por ajuste)."""
    m, jefe = fabrica.mundo, usuarios[R.JEFE_OAP]
    central = fabrica.plan_accion(m.central, E.APROBADO)
    central2 = fabrica.plan_accion(m.central2, E.APROBADO)
    fabrica.publicar_pai()
    central = _aprobado(central, usuarios, fabrica, "Primera causa.").plan_propuesto  # publica la v2
    v3 = _version_en_el_comite(fabrica, usuarios, "7100")
    central2 = _aprobado(central2, usuarios, fabrica, "Segunda causa, espera al comité.").plan_propuesto
    publico = navegador()
    v2 = _ultimo_pai(m.vigencia).plan_anterior
    assert v2.numero_version == 2 and "Segunda causa, espera al comité." in publico.texto(f"/publico/pai/{v2.id}")
    pocas = consultas(publico, f"/publico/pai/{v2.id}")

    plan_accion.publicar(v3, jefe)  # y nace la v4, con el ajuste que esperaba
    db.session.commit()
    _version_en_el_comite(fabrica, usuarios, "7200")
    _aprobado(central, usuarios, fabrica, "Tercera causa, espera al comité.")
    _aprobado(central2, usuarios, fabrica, "Cuarta causa, espera al comité.")
    v4 = _ultimo_pai(m.vigencia).plan_anterior
    assert v4.numero_version == 4 and v4.estado is E.PUBLICADO
    pagina = publico.texto(f"/publico/pai/{v4.id}")
    assert "Segunda causa, espera al comité." in pagina.split('id="con-ajustes"')[1]
    assert "Tercera causa" in pagina and "Cuarta causa" in pagina
    assert consultas(publico, f"/publico/pai/{v4.id}") == pocas


def test_la_demo_muestra_el_ajuste_aprobado_en_la_pagina_publica_y_el_informe_de_gestion_2025(navegador, contexto):
    cargador.cargar_demo()
    db.session.commit()
    solicitud = db.session.scalar(sa.select(SolicitudAjuste).filter_by(estado=A.APROBADO))
    pai = solicitud.pai_publicado
    assert pai is not None and pai.numero_version == 2 and pai.vigencia.anio == 2026
    publico = navegador()
    pagina = publico.texto(f"/publico/pai/{pai.id}")
    for texto in ("Versión publicada con el ajuste aprobado", f"Ajuste #{solicitud.id} · Plan de acción de",
                  "Decreto de reducción presupuestal",
                  "Oficina Asesora de Planeación", "18/11/2026", "Agregado", "A4"):
        assert texto in pagina, texto
    assert f"/publico/pai/{pai.id}" in publico.texto("/publico/pai/")
    # El PEI publicado avisa del ajuste que espera al Comité Institucional.
    pei = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PEI, estado=E.PUBLICADO))
    assert "espera la aprobación del Comité Institucional" in publico.texto(f"/publico/planes/{pei.id}")
    # El informe de gestión de 2025, del seguimiento aceptado de ese año, enlazado desde el art. 74 de 2026.
    informe = publico.texto("/publico/informe-gestion/2025")
    assert "Informe de gestión" in informe and "2025" in informe
    assert "/publico/informe-gestion/2025" in publico.texto("/publico/transparencia/2026")
    libro = load_workbook(BytesIO(publico.get("/publico/informe-gestion/2025.xlsx").data))
    assert sum(1 for _ in libro.worksheets[0].iter_rows(min_row=2)) > 5
