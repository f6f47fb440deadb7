"""Ajustes (actividades 20 a 24): quién pide, revisa y aprueba cada ajuste; la versión propuesta, su
diferencia con la vigente, y que aprobarla deje la anterior como estaba."""
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.base import formato
from gestion.base.errores import OperacionRechazada
from gestion.base.validacion import DatoInvalido
from gestion.planes import ajustes, plan_accion, versiones
from gestion.publicacion.ajustes_publicos import AjustePublico
from gestion.reglas import flujo
from gestion.reglas import roles as R
from gestion.reglas.flujo import TransicionInvalida
from gestion.seguimiento import cifras, consultas, reportes, revision
from modelos import (
    Actividad,
    Cuatrienio,
    EstadoAjuste,
    EstadoPlan,
    EstadoReporte,
    HistorialEstado,
    Plan,
    SolicitudAjuste,
    Tendencia,
    TipoAcumulacion,
    TipoPlan,
    Vigencia,
    db,
)

A, E = EstadoAjuste, EstadoPlan

# Escrito a mano desde el procedimiento (actividades 20 a 24 y DOMINIO.md §4): por tipo de plan y paso,
# el único rol que puede actuar. La 21 dice «Sectorial» por error: quien pide el ajuste del PEI es el
# Comité Institucional.
QUIEN_PUEDE = {
    TipoPlan.PES: {"solicitar": {R.COMITE_SECTORIAL}, "revisar": {R.OAP, R.JEFE_OAP}, "aprobar": {R.COMITE_SECTORIAL}},
    TipoPlan.PEI: {"solicitar": {R.COMITE_INSTITUCIONAL}, "revisar": {R.OAP, R.JEFE_OAP},
                   "aprobar": {R.COMITE_INSTITUCIONAL}},
    TipoPlan.PA: {"solicitar": {R.DIRECTOR}, "revisar": {R.OAP, R.JEFE_OAP}, "aprobar": {R.OAP, R.JEFE_OAP}},
}


def _plan_vigente(fabrica, tipo):
    m = fabrica.mundo
    if tipo is TipoPlan.PA:
        return fabrica.plan_accion(m.central, E.APROBADO)
    plan = m.pes if tipo is TipoPlan.PES else m.pei
    fabrica.llevar_estrategico_a(plan, E.PUBLICADO)
    db.session.commit()
    return plan


def _solicitante(usuarios, tipo):
    return usuarios[next(iter(QUIEN_PUEDE[tipo]["solicitar"]))]


def _cambiar_propuesta(solicitud):
    """Un cambio real en la versión propuesta: la meta del último trimestre y su meta anual."""
    propuesta = solicitud.plan_propuesto
    if propuesta.tipo is TipoPlan.PA:
        actividad = propuesta.actividades[0]
        actividad.meta_t4 += 5
        actividad.meta_anual += 5
    else:
        meta = propuesta.objetivos[0].indicadores[0].metas[-1]
        meta.valor += 5
    db.session.flush()


def _aprobar(solicitud, usuario, fecha=date(2026, 6, 1)):
    if solicitud.plan.tipo is TipoPlan.PA:
        return ajustes.aprobar(solicitud, usuario, "Se ajusta la meta del cuarto trimestre.")
    return ajustes.aprobar(solicitud, usuario, "Aprobado por unanimidad.", f"AJ-{solicitud.id}", fecha)


def _foto(plan):
    db.session.refresh(plan)
    historial = db.session.scalar(sa.select(sa.func.count(HistorialEstado.id)))
    return (plan.estado, plan.vigente, plan.version, historial, db.session.scalar(sa.select(sa.func.count(Plan.id))),
            db.session.scalar(sa.select(sa.func.count(SolicitudAjuste.id))))


def _preparada(fabrica, usuarios, tipo):
    plan = _plan_vigente(fabrica, tipo)
    solicitud = ajustes.solicitar(plan, _solicitante(usuarios, tipo), "Cambió la meta del PND.", "Subir la meta.")
    _cambiar_propuesta(solicitud)
    db.session.commit()
    return solicitud


@pytest.mark.parametrize("tipo", [TipoPlan.PES, TipoPlan.PEI, TipoPlan.PA])
def test_tabla_de_quien_pide_revisa_y_aprueba(fabrica, usuarios, tipo):
    errores = []
    plan = _plan_vigente(fabrica, tipo)
    # Solicitar: solo el rol competente; los demás, rechazados sin cambiar nada.
    for rol in sorted(R.DESCRIPCIONES):
        antes = _foto(plan)
        try:
            ajustes.solicitar(plan, usuarios[rol], "Causa.", "Cambio.")
        except TransicionInvalida as error:
            if rol in QUIEN_PUEDE[tipo]["solicitar"]:
                errores.append(f"{rol} debió poder solicitar: {error}")
            elif _foto(plan) != antes:
                errores.append(f"{rol}: rechazado pero algo cambió")
        else:
            if rol not in QUIEN_PUEDE[tipo]["solicitar"]:
                errores.append(f"{rol} no debió poder solicitar")
            db.session.rollback()
    solicitud = ajustes.solicitar(plan, _solicitante(usuarios, tipo), "Causa.", "Cambio.")
    _cambiar_propuesta(solicitud)
    ajustes.enviar(solicitud, _solicitante(usuarios, tipo))
    db.session.commit()
    # Revisar y aprobar: se prueba cada rol sobre la misma solicitud; quien puede, la avanza.
    for paso, hacer in (("revisar", lambda u: ajustes.revisar(solicitud, u, True, "Causa pertinente.")),
                        ("aprobar", lambda u: _aprobar(solicitud, u))):
        if paso == "aprobar" and tipo is TipoPlan.PA:
            fabrica.verificar(solicitud.plan_propuesto, usuarios[R.OAP])
            db.session.commit()
        for rol in sorted(R.DESCRIPCIONES, key=lambda r: r in QUIEN_PUEDE[tipo][paso]):
            estado = solicitud.estado
            try:
                with db.session.begin_nested():
                    hacer(usuarios[rol])
            except TransicionInvalida as error:
                if rol in QUIEN_PUEDE[tipo][paso]:
                    errores.append(f"{rol} debió poder {paso}: {error}")
                elif solicitud.estado is not estado:
                    errores.append(f"{rol}: rechazado en {paso} pero la solicitud cambió")
            else:
                if rol not in QUIEN_PUEDE[tipo][paso]:
                    errores.append(f"{rol} no debió poder {paso}")
                break
    assert errores == []
    assert solicitud.estado is A.APROBADO
    assert solicitud.plan_propuesto.vigente and not solicitud.plan.vigente


def test_la_diferencia_nombra_lo_agregado_lo_retirado_y_lo_cambiado(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO, actividades=3)
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Recorte presupuestal.", "Retirar A3, crear A4.")
    propuesta = solicitud.plan_propuesto
    a1, a3 = propuesta.actividades[0], propuesta.actividades[2]
    a1.presupuesto = Decimal("250000000")
    a1.peso = Decimal(40)
    propuesta.actividades.remove(a3)
    nueva = Actividad(codigo="A4", descripcion="Mesas técnicas regionales")
    versiones._copiar_campos(a1, nueva, [c for c in versiones.CAMPOS_ACTIVIDAD if c not in ("codigo", "descripcion")])
    nueva.peso = Decimal(26)
    propuesta.actividades.append(nueva)
    db.session.flush()

    diferencia = ajustes.comparacion(solicitud)
    por_estado = {e.estado: [x.clave for x in diferencia.de_estado(e.estado)] for e in diferencia.elementos}
    assert por_estado == {"cambiado": ["A1"], "retirado": ["A3"], "agregado": ["A4"]}
    cambio_a1 = {c.campo: (c.antes, c.despues) for c in diferencia.de_estado("cambiado")[0].cambios}
    assert cambio_a1["Presupuesto"] == ("$ 1.000.000", "$ 250.000.000")
    assert cambio_a1["Peso (%)"][1].startswith("40")
    totales = {t.campo: (t.antes, t.despues) for t in diferencia.totales}
    assert totales["Peso total"][0].startswith("100") and totales["Peso total"][1].startswith("99")
    assert totales["Presupuesto total"] == (formato.pesos(3_000_000), formato.pesos(501_000_000))  # A4 toma el presupuesto de A1
    assert totales["Actividades"] == ("3", "3")


def test_la_propuesta_que_no_cumple_su_lista_no_se_aprueba(fabrica, usuarios):
    solicitud = _preparada(fabrica, usuarios, TipoPlan.PA)
    oap = usuarios[R.OAP]
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    ajustes.revisar(solicitud, oap, True, "Pertinente.")
    db.session.commit()
    with pytest.raises(TransicionInvalida, match="la OAP aún no verifica"):
        ajustes.aprobar(solicitud, oap, "Aprobado.")
    fabrica.verificar(solicitud.plan_propuesto, oap)
    solicitud.plan_propuesto.actividades[0].peso = Decimal(10)  # los pesos ya no suman 100
    db.session.commit()
    antes = _foto(solicitud.plan)
    with pytest.raises(TransicionInvalida, match="Los pesos de las actividades suman 100 %"):
        ajustes.aprobar(solicitud, oap, "Aprobado.")
    assert _foto(solicitud.plan) == antes and solicitud.estado is A.PERTINENTE


def test_aprobar_deja_la_version_anterior_como_estaba(fabrica, usuarios):
    solicitud = _preparada(fabrica, usuarios, TipoPlan.PA)
    anterior, oap = solicitud.plan, usuarios[R.OAP]
    contenido = [(a.codigo, a.meta_t4, a.meta_anual, a.presupuesto, a.version) for a in anterior.actividades]
    chequeo = [(i.codigo, i.cumple) for i in plan_accion.controles.evaluar(anterior).items]
    historial = [h.id for h in flujo.historial_de(anterior)]
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    ajustes.revisar(solicitud, oap, True, "Pertinente.")
    fabrica.verificar(solicitud.plan_propuesto, oap)
    ajustes.aprobar(solicitud, oap, "Aprobado.")
    db.session.commit()
    db.session.expire_all()
    assert [(a.codigo, a.meta_t4, a.meta_anual, a.presupuesto, a.version) for a in anterior.actividades] == contenido
    assert [(i.codigo, i.cumple) for i in plan_accion.controles.evaluar(anterior).items] == chequeo
    assert [h.id for h in flujo.historial_de(anterior)][:len(historial)] == historial
    assert anterior.estado is E.APROBADO and not anterior.vigente
    nueva = solicitud.plan_propuesto
    assert nueva.vigente and nueva.estado is E.APROBADO and nueva.numero_version == 2
    assert nueva.actividades[0].meta_t4 == anterior.actividades[0].meta_t4 + 5
    # Ninguna de las dos se edita ya: la anterior se conserva, la vigente cambia solo por otro ajuste.
    assert "versión anterior" in flujo.motivo_no_editable(usuarios[R.DIRECTOR], anterior)
    assert "ajuste aprobado" in flujo.motivo_no_editable(usuarios[R.DIRECTOR], nueva)


def test_los_trimestres_reportados_quedan_con_su_version(fabrica, usuarios):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    reportado = fabrica.reporte(plan, 1, {"A1": 10, "A2": 10})
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Nueva norma.", "Más visitas desde T2.")
    propuesta = solicitud.plan_propuesto
    db.session.commit()
    # Un reporte del T2 empezado sobre la versión vigente, con un valor cargado.
    abierto = fabrica.reporte(plan, 2, {"A1": 7, "A2": 10}, estado=EstadoReporte.EN_REPORTE)
    # Cambiar la meta del T1 (ya reportado) no se permite al aprobar.
    propuesta.actividades[0].meta_t1 += 5
    propuesta.actividades[0].meta_anual += 5
    oap = usuarios[R.OAP]
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    ajustes.revisar(solicitud, oap, True, "Pertinente.")
    fabrica.verificar(propuesta, oap)
    db.session.commit()
    with pytest.raises(TransicionInvalida, match=r"trimestres ya reportados.*: A1 T1 \(10 → 15\)"):
        ajustes.aprobar(solicitud, oap, "Aprobado.")
    propuesta.actividades[0].meta_t1 -= 5
    propuesta.actividades[0].meta_t2 += 5
    ajustes.aprobar(solicitud, oap, "Aprobado.")
    db.session.commit()
    db.session.expire_all()
    assert reportado.plan_id == plan.id  # el T1 sigue atado a la versión 1, con sus metas
    assert {a.actividad.plan_id for a in reportado.avances} == {plan.id}
    assert consultas.meta_de(reportado.avances[0]) == Decimal(10)
    assert abierto.plan_id == propuesta.id  # el T2, aún sin reportar, pasa a la versión 2 con lo cargado
    valores = {a.actividad.codigo: (a.valor_logrado, consultas.meta_de(a)) for a in abierto.avances}
    assert valores == {"A1": (Decimal(7), Decimal(15)), "A2": (Decimal(10), Decimal(10))}
    assert {a.actividad.plan_id for a in abierto.avances} == {propuesta.id}

    # El tablero sigue el plan vigente: lo reportado en T1 (versión 1) suma con el T2 (versión 2).
    director = usuarios[R.DIRECTOR]
    for avance in abierto.avances:
        reportes.registrar_avance(avance, director, valor=avance.valor_logrado, justificacion="Por debajo.")
    reportes.enviar_reporte(abierto, director)
    revision.aceptar_reporte(abierto, oap)
    # El T1 ya reportado con la versión 1 no se vuelve a abrir en la versión 2.
    assert reportes.abrir_reporte(propuesta, m.vigencia, 1, director) == reportado
    fila = next(f for f in cifras.cuadro(m.vigencia, 2).actividades if f.codigo == "A1")
    assert fila.plan_id == propuesta.id and fila.reportado
    assert fila.logrado[:2] == [Decimal(10), Decimal(7)] and fila.meta_del_trimestre == Decimal(15)


def _ajuste_aprobado(plan, usuarios, fabrica, cambiar):
    """Un ajuste de PA de punta a punta (pedir, enviar, revisar, verificar) con `cambiar(propuesta)`; devuelve la
    solicitud lista para aprobar."""
    oap = usuarios[R.OAP]
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Nueva norma.", "Cambio de metas.")
    cambiar(solicitud.plan_propuesto)
    db.session.flush()
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    ajustes.revisar(solicitud, oap, True, "Pertinente.")
    fabrica.verificar(solicitud.plan_propuesto, oap)
    db.session.commit()
    return solicitud


def test_ajustes_seguidos_no_reescriben_un_trimestre_reportado(fabrica, usuarios):
    """El T1 se reportó con la versión 1. Tres ajustes seguidos: el primero (a la 2) y el tercero (a la 3) cambian
    el T4 y se aprueban; el segundo, sobre la 2 (que no tiene reportes propios), y un cuarto sobre la 3 quieren
    reescribir el T1 y se niegan, nombrando cada meta, también la de una actividad que se retira; las negadas no
    gastan un número de versión."""
    oap = usuarios[R.OAP]
    v1 = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    t1 = {a.codigo: a.meta_t1 for a in v1.actividades}
    a1, a2 = sorted(t1)
    fabrica.reporte(v1, 1, {"A1": 10, "A2": 10})

    def subir_t4(propuesta):
        propuesta.actividades[0].meta_t4 += 5
        propuesta.actividades[0].meta_anual += 5

    def reescribir_t1(propuesta):
        propuesta.actividades[0].meta_t1 += 5
        propuesta.actividades[0].meta_anual += 5
        retirada = propuesta.actividades[1]
        propuesta.actividades[0].peso += retirada.peso
        propuesta.actividades.remove(retirada)

    negativa = (rf"trimestres ya reportados.*: {a1} T1 \({formato.numero(t1[a1])} → {formato.numero(t1[a1] + 5)}\); "
                rf"{a2} T1 \({formato.numero(t1[a2])} → 0\)\.")
    vigente = v1
    for numero, cambiar in enumerate((subir_t4, reescribir_t1, subir_t4, reescribir_t1), start=1):
        solicitud = _ajuste_aprobado(vigente, usuarios, fabrica, cambiar)
        if cambiar is subir_t4:
            ajustes.aprobar(solicitud, oap, f"Ajuste {numero} aprobado.")
            vigente = solicitud.plan_propuesto
        else:
            with pytest.raises(TransicionInvalida, match=negativa):
                ajustes.aprobar(solicitud, oap, f"Ajuste {numero}.")
            ajustes.rechazar(solicitud, oap, "Cambia el T1 ya reportado.")
        db.session.commit()
    db.session.expire_all()
    assert vigente.vigente and sum(p.estado is E.APROBADO for p in versiones.familia(vigente)) == 3
    # Las dos propuestas rechazadas no gastaron número: las aprobadas son la 1, la 2 y la 3, sin saltos.
    assert [p.numero_version for p in versiones.familia(vigente) if p.estado is E.APROBADO] == [1, 2, 3]
    assert {a.codigo: a.meta_t1 for a in vigente.actividades} == t1
    assert vigente.actividades[0].meta_t4 == v1.actividades[0].meta_t4 + 10


def _medir_como_nivel(actividad, **cambios):
    """Otra forma de medir, coherente con la lista de chequeo: medida como nivel, su meta anual es la del T4."""
    for atributo, valor in cambios.items():
        setattr(actividad, atributo, valor)
    actividad.meta_anual = actividad.meta_t4


def _medir_como_flujo(actividad):
    """Creciente, sin línea base ni tipo de acumulación: su meta anual es la suma de los trimestres."""
    actividad.tendencia, actividad.linea_base, actividad.tipo_acumulacion = Tendencia.CRECIENTE, None, None
    actividad.meta_anual = sum(actividad.metas_trimestrales)


@pytest.mark.parametrize("cambiar, negativa", [
    (lambda a: setattr(a, "linea_base", Decimal("12.5")), r"A1: línea base \(12,5 → sin definir\)"),
    (lambda a: _medir_como_nivel(a, tendencia=Tendencia.DECRECIENTE, linea_base=Decimal(100)),
     r"A1: tendencia \(Decreciente → Creciente\)"),
    (lambda a: _medir_como_nivel(a, tipo_acumulacion=TipoAcumulacion.STOCK),
     r"A1: tipo de acumulación \(Stock → sin definir\)"),
])
def test_un_ajuste_no_cambia_como_se_miden_los_trimestres_reportados(fabrica, usuarios, cambiar, negativa):
    """Sin trimestres reportados, un ajuste cambia cómo se mide una actividad (su línea base, su tendencia, su
    acumulación). Reportado el T1, otro ajuste que lo deshace se niega, nombrándolo: el tablero mide lo reportado
    con la versión vigente, y cambiaría el cumplimiento ya reportado."""
    oap = usuarios[R.OAP]

    def a1(propuesta):
        return next(a for a in propuesta.actividades if a.codigo == "A1")

    v1 = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    ajustes.aprobar(_ajuste_aprobado(v1, usuarios, fabrica, lambda propuesta: cambiar(a1(propuesta))), oap,
                    "Aprobado.")
    db.session.commit()
    v2 = next(p for p in versiones.familia(v1) if p.vigente)
    assert v2.numero_version == 2
    fabrica.reporte(v2, 1, {"A1": 10, "A2": 10})
    solicitud = _ajuste_aprobado(v2, usuarios, fabrica, lambda propuesta: _medir_como_flujo(a1(propuesta)))
    assert any(re.search(negativa, aviso) for aviso in ajustes.advertencias_de_envio(solicitud, None))
    with pytest.raises(TransicionInvalida, match="trimestres ya reportados o cómo se miden.*" + negativa):
        ajustes.aprobar(solicitud, oap, "Aprobado.")
    db.session.rollback()
    assert v2.vigente and solicitud.estado is not A.APROBADO


def test_una_sola_solicitud_abierta_por_plan(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    director = usuarios[R.DIRECTOR]
    primera = ajustes.solicitar(plan, director, "Causa uno.", "Cambio uno.")
    db.session.commit()
    with pytest.raises(TransicionInvalida, match="ya tiene una solicitud de ajuste en curso"):
        ajustes.solicitar(plan, director, "Causa dos.", "Cambio dos.")
    ajustes.retirar(primera, director, "Se pedirá con la nueva norma.")
    db.session.commit()
    segunda = ajustes.solicitar(plan, director, "Causa dos.", "Cambio dos.")
    # La retirada no gasta el número: la nueva propuesta es la 2 y la retirada se conserva, como la 3.
    assert segunda.plan_propuesto.numero_version == 2 and primera.plan_propuesto.numero_version == 3
    # Un director no pide el ajuste del plan de otra dependencia.
    otro = fabrica.plan_accion(fabrica.mundo.central2, E.APROBADO)
    with pytest.raises(TransicionInvalida, match="no es de su dependencia"):
        ajustes.solicitar(otro, director, "Causa.", "Cambio.")


def test_no_pertinente_cierra_la_solicitud_y_descarta_la_propuesta(fabrica, usuarios):
    solicitud = _preparada(fabrica, usuarios, TipoPlan.PA)
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    with pytest.raises(DatoInvalido, match="observaciones"):
        ajustes.revisar(solicitud, usuarios[R.OAP], False, " ")
    ajustes.revisar(solicitud, usuarios[R.OAP], False, "La causa no justifica cambiar la meta del PEI.")
    db.session.commit()
    assert solicitud.estado is A.NO_PERTINENTE and solicitud.propuesta_descartada
    assert solicitud.plan.vigente and not solicitud.plan_propuesto.vigente
    assert "no pertinente" in flujo.motivo_no_editable(usuarios[R.DIRECTOR], solicitud.plan_propuesto)
    assert ajustes.solicitud_abierta(solicitud.plan) is None


def test_la_version_propuesta_no_sigue_el_ciclo_de_formulacion(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    propuesta = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Causa.", "Cambio.").plan_propuesto
    assert flujo.acciones_disponibles(usuarios[R.DIRECTOR], propuesta) == []
    with pytest.raises(TransicionInvalida, match="se envía y se decide desde la solicitud"):
        plan_accion.enviar(propuesta, usuarios[R.DIRECTOR])
    assert flujo.motivo_no_editable(usuarios[R.DIRECTOR], propuesta) is None  # pero sí se prepara


def test_la_propuesta_igual_a_la_vigente_no_se_envia(fabrica, usuarios):
    plan = fabrica.plan_accion(fabrica.mundo.central, E.APROBADO)
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Causa.", "Cambio.")
    with pytest.raises(TransicionInvalida, match="es igual a la vigente"):
        ajustes.enviar(solicitud, usuarios[R.DIRECTOR])


# --- actividad 12: los puntos de juicio deciden -------------------------------------------------------
def test_un_punto_de_juicio_que_no_cumple_bloquea_la_aprobacion_una_a_una_y_en_bloque(fabrica, usuarios):
    m, oap = fabrica.mundo, usuarios[R.OAP]
    bueno = fabrica.plan_accion(m.central, E.ENVIADO)
    juicio_no = fabrica.plan_accion(m.central2, E.ENVIADO)
    sin_verificar = fabrica.plan_accion(fabrica.dependencia("4100"), E.ENVIADO)
    fabrica.verificar(bueno, oap)
    fabrica.verificar(juicio_no, oap, cumple=False)
    db.session.commit()
    with pytest.raises(TransicionInvalida, match="no cumple .*No cubre lo que la dependencia debe cumplir"):
        plan_accion.aprobar(juicio_no, oap)
    resultados = plan_accion.aprobar_varios([bueno, juicio_no, sin_verificar], oap)
    assert [r.hecho for r in resultados] == [True, False, False]
    assert "Cubre las normas" in resultados[1].mensaje
    assert "aún no verifica" in resultados[2].mensaje
    assert (bueno.estado, juicio_no.estado, sin_verificar.estado) == (E.APROBADO, E.ENVIADO, E.ENVIADO)


def test_la_alineacion_exige_el_pei_del_cuatrienio_de_la_vigencia(fabrica):
    m = fabrica.mundo
    siguiente = Cuatrienio(anio_inicio=2027, anio_fin=2030)
    vigencia = Vigencia(anio=2027, cuatrienio=siguiente)
    db.session.add_all([siguiente, vigencia])
    plan = Plan(tipo=TipoPlan.PA, nombre="Plan de Acción 2027", vigencia=vigencia, dependencia=m.central)
    db.session.add(plan)
    fabrica.formular(plan)
    alineacion = next(i for i in plan_accion.controles.evaluar(plan).items if i.codigo == "alineacion")
    assert alineacion.cumple is False
    assert "A1: el objetivo OI1 es del PEI 2023" in alineacion.detalle[0]


def test_el_ajuste_aprobado_publica_la_version_siguiente_del_pai_que_muestra_el_cambio(fabrica, usuarios):
    """La OAP es la instancia competente del ajuste de un plan de acción: al aprobarlo, el PAI publicado que lo
    consolida da paso a su versión siguiente, ya publicada, sin consolidar ni volver al comité."""
    m, oap, jefe = fabrica.mundo, usuarios[R.OAP], usuarios[R.JEFE_OAP]
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    pai = plan_accion.consolidar(m.vigencia, oap)
    plan_accion.presentar(pai, jefe, date(2026, 1, 24), "01-2026", None)
    plan_accion.publicar(pai, jefe)
    solicitud = ajustes.solicitar(plan, usuarios[R.DIRECTOR], "Nueva norma.", "Más visitas en T4.")
    _cambiar_propuesta(solicitud)
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    ajustes.revisar(solicitud, oap, True, "Pertinente.")
    fabrica.verificar(solicitud.plan_propuesto, oap)
    ajustes.aprobar(solicitud, oap, "Aprobado.")
    siguiente = solicitud.pai_publicado
    assert siguiente.numero_version == 2 and siguiente.estado is E.PUBLICADO and siguiente.vigente
    assert siguiente.planes_consolidados == [solicitud.plan_propuesto] and siguiente.publicado_por_id == oap.id
    assert not pai.vigente and pai.estado is E.PUBLICADO and pai.planes_consolidados == [plan]
    assert ajustes.pai_desactualizado(m.vigencia.id) is None
    assert [h.accion for h in flujo.historial_de(siguiente)] == ["publicar_ajuste"]
    with pytest.raises(OperacionRechazada, match="ya está publicado con estos mismos planes"):
        plan_accion.consolidar(m.vigencia, oap)
    diferencia = versiones.comparar(pai, siguiente)
    [cambio] = diferencia.elementos
    assert cambio.estado == "cambiado" and cambio.cambios[0].antes == "v1" and cambio.cambios[0].despues == "v2"
    assert [h.clave for h in cambio.hijos] == ["A1"]
    # Lo que cambió se guardó al enviar, tal como la OAP lo leyó: la página pública no vuelve a compararlo.
    guardada = versiones.de_datos(solicitud.cambios)
    assert guardada.elementos == ajustes.comparacion(solicitud).elementos


def _ultimo_pai(fabrica) -> Plan:
    return plan_accion.pai_de(fabrica.mundo.vigencia)


def _pai_con_dos_versiones(fabrica, usuarios, presentar: bool):
    """El PAI v1 publicado con el plan de la dirección central; la v2, con otro plan aprobado después, consolidada
    (y presentada al comité si `presentar`) pero aún sin publicar."""
    m, oap, jefe = fabrica.mundo, usuarios[R.OAP], usuarios[R.JEFE_OAP]
    plan = fabrica.plan_accion(m.central, E.APROBADO)
    publicado = fabrica.publicar_pai()
    fabrica.plan_accion(m.central2, E.APROBADO)
    siguiente = plan_accion.consolidar(m.vigencia, oap)
    if presentar:
        plan_accion.presentar(siguiente, jefe, date(2026, 3, 2), "02-2026", None)
    db.session.commit()
    return plan, publicado, siguiente


def test_el_ajuste_entra_en_la_version_consolidada_que_aun_no_va_al_comite(fabrica, usuarios):
    plan, publicado, siguiente = _pai_con_dos_versiones(fabrica, usuarios, presentar=False)
    solicitud = _ajuste_aprobado(plan, usuarios, fabrica, lambda p: setattr(p.actividades[0], "responsable", "Otro"))
    assert ajustes.aprobar(solicitud, usuarios[R.OAP], "Aprobado.")
    assert siguiente.estado is E.CONSOLIDADO
    assert solicitud.plan_propuesto in siguiente.planes_consolidados and plan not in siguiente.planes_consolidados
    assert publicado.planes_consolidados == [plan]  # lo publicado no se toca: su página avisa del ajuste
    assert ajustes.pai_desactualizado(fabrica.mundo.vigencia.id) is None
    # Llega al público con esa versión, cuando el comité la vea y se publique.
    assert solicitud.pai_publicado == siguiente and AjustePublico(solicitud).publicada is None
    plan_accion.presentar(siguiente, usuarios[R.JEFE_OAP], date(2026, 3, 2), "02-2026", None)
    plan_accion.publicar(siguiente, usuarios[R.JEFE_OAP])
    assert AjustePublico(solicitud).publicada == siguiente and _ultimo_pai(fabrica) == siguiente


def test_lo_que_ya_vio_el_comite_no_cambia_y_se_avisa(fabrica, usuarios):
    plan, publicado, siguiente = _pai_con_dos_versiones(fabrica, usuarios, presentar=True)
    solicitud = _ajuste_aprobado(plan, usuarios, fabrica, lambda p: setattr(p.actividades[0], "responsable", "Otro"))
    ajustes.aprobar(solicitud, usuarios[R.OAP], "Aprobado.")
    assert solicitud.pai_publicado is None and siguiente.estado is E.PRESENTADO and plan in siguiente.planes_consolidados
    assert ajustes.pai_desactualizado(fabrica.mundo.vigencia.id) == siguiente
    # Publicar lo que vio el comité publica enseguida la versión siguiente, con el ajuste.
    plan_accion.publicar(siguiente, usuarios[R.JEFE_OAP])
    assert siguiente.estado is E.PUBLICADO and not siguiente.vigente
    con_ajuste = solicitud.pai_publicado
    assert (con_ajuste.numero_version, con_ajuste.estado, con_ajuste.plan_anterior) == (3, E.PUBLICADO, siguiente)
    assert solicitud.plan_propuesto in con_ajuste.planes_consolidados and plan not in con_ajuste.planes_consolidados
    assert len(con_ajuste.planes_consolidados) == 2 and ajustes.pai_desactualizado(fabrica.mundo.vigencia.id) is None


def test_al_reenviar_un_plan_devuelto_la_oap_ve_solo_lo_que_cambio(fabrica, usuarios, navegador):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.DEVUELTO)
    plan.actividades[1].meta_t2 += 3
    plan.actividades[1].meta_anual += 3
    plan_accion.enviar(plan, usuarios[R.DIRECTOR])
    db.session.commit()
    cambios = plan_accion.cambios_desde_devolucion(plan)
    assert [(e.clave, e.estado) for e in cambios.elementos] == [("A2", "cambiado")]
    assert {c.campo for c in cambios.elementos[0].cambios} == {"Meta T2", "Meta anual"}
    ficha = navegador(usuarios[R.OAP]).texto(f"/admin/planes_accion/ficha/?id={plan.id}")
    assert "Lo que cambió desde la devolución" in ficha and "Meta T2" in ficha


def test_la_version_propuesta_entra_en_vigencia_por_su_transicion(fabrica, usuarios, monkeypatch):
    solicitud = _preparada(fabrica, usuarios, TipoPlan.PA)
    oap, nueva = usuarios[R.OAP], solicitud.plan_propuesto
    ajustes.enviar(solicitud, usuarios[R.DIRECTOR])
    ajustes.revisar(solicitud, oap, True, "Pertinente.")
    fabrica.verificar(nueva, oap)
    db.session.commit()
    # La tabla decide: sin su fila, el ajuste no se aprueba y nada cambia.
    sin_fila = tuple(t for t in flujo.TRANSICIONES if not (t.modelo is Plan and t.accion == "vigente"))
    with monkeypatch.context() as parche:
        parche.setattr(flujo, "TRANSICIONES", sin_fila)
        with pytest.raises(TransicionInvalida):
            ajustes.aprobar(solicitud, oap, "Aprobado.")
        db.session.rollback()
    assert solicitud.estado is A.PERTINENTE and nueva.estado is E.BORRADOR and not nueva.vigente
    ajustes.aprobar(solicitud, oap, "Aprobado.")
    db.session.commit()
    paso = flujo.historial_legible(nueva)[-1]
    assert (paso.accion, paso.desde, paso.hasta) == ("Entrar en vigencia", E.BORRADOR.etiqueta, E.APROBADO.etiqueta)
    assert paso.entrada.usuario_id == oap.id and nueva.aprobado_por_id == oap.id and nueva.aprobado_en is not None
    # Un plan que no es la propuesta de un ajuste no entra en vigencia por esta puerta.
    borrador = fabrica.plan_accion(fabrica.mundo.central2)
    assert "no es la versión propuesta de un ajuste" in flujo.motivo_rechazo(oap, borrador, "vigente")
