"""El ciclo del Plan de Acción por los servicios (actividades 9 a 15), con cada rechazo."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gestion.base import correo, lote
from gestion.base.errores import OperacionRechazada
from gestion.base.extensiones import mail
from gestion.base.validacion import DatoInvalido
from gestion.planes import plan_accion as servicio
from gestion.reglas import controles_plan_accion as controles
from gestion.reglas import roles as R
from gestion.reglas.flujo import TransicionInvalida
from gestion.reglas.permisos import AccesoDenegado
from modelos import EstadoPlan as E
from modelos import HistorialEstado, Plan, TipoPlan, db


def _historial(plan):
    return db.session.scalars(sa.select(HistorialEstado.accion).filter_by(objeto_tipo="plan", objeto_id=plan.id)
                              .order_by(HistorialEstado.id)).all()


def _foto(plan):
    db.session.refresh(plan)
    return (plan.estado, plan.observaciones, plan.version, len(_historial(plan)))


def test_ciclo_completo_por_los_servicios(fabrica, usuarios):
    m = fabrica.mundo
    oap, jefe = usuarios[R.OAP], usuarios[R.JEFE_OAP]
    director, director2 = usuarios[R.DIRECTOR], usuarios["director2"]

    resultados = servicio.solicitar(m.vigencia, [m.central, m.central2], oap)
    assert [r.hecho for r in resultados] == [True, True]
    plan, plan2 = (r.objeto for r in resultados)
    assert plan.estado is E.BORRADOR and plan.dependencia == m.central
    assert _historial(plan) == ["solicitar"]

    fabrica.formular(plan)
    fabrica.formular(plan2)
    plan2.actividades[0].peso = Decimal(40)  # pesos que suman 90 %
    servicio.enviar(plan, director)
    servicio.enviar(plan2, director2)
    assert plan.estado is E.ENVIADO and plan.enviado_por == director and plan.enviado_en is not None

    resultados = servicio.devolver_varios([plan, plan2], oap, "Revise la redacción de los indicadores.")
    assert all(r.hecho for r in resultados)
    assert plan.estado is plan2.estado is E.DEVUELTO
    assert plan.observaciones == "Revise la redacción de los indicadores."
    assert plan2.observaciones.startswith("Revise la redacción de los indicadores.")
    assert "Los pesos de las actividades suman 100 %: suman 90 %" in plan2.observaciones

    plan2.actividades[0].peso = Decimal(50)
    servicio.enviar(plan, director)
    servicio.enviar(plan2, director2)
    fabrica.verificar(plan, oap)
    fabrica.verificar(plan2, oap)
    resultados = servicio.aprobar_varios([plan, plan2], oap)
    assert all(r.hecho for r in resultados)
    assert plan.estado is plan2.estado is E.APROBADO and plan.aprobado_por == oap

    pai = servicio.consolidar(m.vigencia, oap)
    assert pai.tipo is TipoPlan.PAI and pai.estado is E.CONSOLIDADO
    assert {p.id for p in pai.planes_consolidados} == {plan.id, plan2.id}

    servicio.presentar(pai, jefe, date(2026, 1, 24), "07-2026", "Se aprueba el PAI 2026.")
    assert pai.estado is E.PRESENTADO and pai.acta_presentacion.numero == "07-2026"
    servicio.publicar(pai, jefe)
    assert pai.estado is E.PUBLICADO and pai.publicado_por == jefe
    assert _historial(plan) == ["solicitar", "enviar", "devolver", "enviar", "aprobar"]
    assert _historial(pai) == ["consolidar", "presentar", "publicar"]


def test_la_solicitud_no_repite_plan_ni_la_hace_otro_rol(fabrica, usuarios):
    m = fabrica.mundo
    with pytest.raises(AccesoDenegado):
        servicio.solicitar(m.vigencia, [m.central], usuarios[R.DIRECTOR])
    assert servicio.planes_de_vigencia(m.vigencia) == []
    servicio.solicitar(m.vigencia, [m.central], usuarios[R.OAP])
    resultados = servicio.solicitar(m.vigencia, [m.central, m.central2], usuarios[R.OAP])
    assert [(r.hecho, r.mensaje) for r in resultados][0] == (False, f"{m.central.nombre} ya tiene plan de acción 2026.")
    assert resultados[1].hecho
    assert len(servicio.planes_de_vigencia(m.vigencia)) == 2
    with pytest.raises(DatoInvalido, match="al menos una dependencia"):
        servicio.solicitar(m.vigencia, [], usuarios[R.OAP])


def test_rechazos_dejan_el_plan_como_estaba(fabrica, usuarios):
    m = fabrica.mundo
    oap = usuarios[R.OAP]
    borrador = fabrica.plan_accion(m.central)
    antes = _foto(borrador)
    with pytest.raises(TransicionInvalida, match="no es de su dependencia"):
        servicio.enviar(borrador, usuarios["director2"])
    with pytest.raises(TransicionInvalida, match="Su rol"):
        servicio.enviar(borrador, oap)
    with pytest.raises(TransicionInvalida, match="borrador"):
        servicio.aprobar(borrador, oap)
    with pytest.raises(TransicionInvalida, match="borrador"):
        servicio.devolver(borrador, oap, "Observación")
    assert _foto(borrador) == antes

    enviado = fabrica.plan_accion(m.central2, E.ENVIADO)
    antes = _foto(enviado)
    with pytest.raises(TransicionInvalida, match="Su rol"):
        servicio.aprobar(enviado, usuarios[R.DIRECTOR])
    with pytest.raises(DatoInvalido, match="obligatorias"):
        servicio.devolver(enviado, oap, "   ")
    with pytest.raises(DatoInvalido, match="obligatorias"):
        servicio.devolver_varios([enviado], oap, "")
    with pytest.raises(AccesoDenegado):
        servicio.aprobar_varios([enviado], usuarios[R.CONTROL_INTERNO])
    assert _foto(enviado) == antes


def test_no_se_aprueba_un_plan_con_un_punto_automatico_fallido(fabrica, usuarios):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central, E.ENVIADO)
    plan.actividades[1].meta_t4 = Decimal(5)
    db.session.commit()
    antes = _foto(plan)
    with pytest.raises(TransicionInvalida) as error:
        servicio.aprobar(plan, usuarios[R.OAP])
    assert "Las metas trimestrales suman la meta anual: A2: los trimestres suman 35 y la meta anual es 40" in str(error.value)
    assert _foto(plan) == antes


def test_aprobar_en_bloque_informa_plan_por_plan(fabrica, usuarios):
    m = fabrica.mundo
    bueno = fabrica.plan_accion(m.central, E.ENVIADO)
    malo = fabrica.plan_accion(m.central2, E.ENVIADO)
    malo.actividades[0].fecha_fin = date(2027, 2, 1)
    otra = fabrica.dependencia("4100")
    fabrica.usuario(R.DIRECTOR, otra)
    borrador = fabrica.plan_accion(otra)
    fabrica.verificar(bueno)
    fabrica.verificar(malo)
    db.session.commit()
    resultados = servicio.aprobar_varios([bueno, malo, borrador], usuarios[R.OAP])
    assert [r.hecho for r in resultados] == [True, False, False]
    assert "Las fechas están dentro de la vigencia" in resultados[1].mensaje
    assert "borrador" in resultados[2].mensaje
    assert (bueno.estado, malo.estado, borrador.estado) == (E.APROBADO, E.ENVIADO, E.BORRADOR)


def test_devolver_en_bloque_omite_lo_que_no_esta_enviado(fabrica, usuarios):
    m = fabrica.mundo
    enviado = fabrica.plan_accion(m.central, E.ENVIADO)
    aprobado = fabrica.plan_accion(m.central2, E.APROBADO)
    antes = _foto(aprobado)
    resultados = servicio.devolver_varios([enviado, aprobado], usuarios[R.OAP], "Ajuste las metas.")
    assert [r.hecho for r in resultados] == [True, False]
    assert "aprobado" in resultados[1].mensaje
    assert enviado.estado is E.DEVUELTO
    assert _foto(aprobado) == antes


def test_en_bloque_no_deja_a_medias_el_objeto_rechazado(fabrica):
    m = fabrica.mundo
    bueno, malo = fabrica.plan_accion(m.central), fabrica.plan_accion(m.central2)
    db.session.commit()
    nombre_malo = malo.nombre

    def renombrar(plan):
        plan.nombre = "Renombrado"
        db.session.flush()
        if plan is malo:
            raise TransicionInvalida("No procede.")

    resultados = lote.en_bloque([bueno, malo], renombrar, "renombrado")
    db.session.commit()
    assert [(r.objeto, r.hecho) for r in resultados] == [(bueno, True), (malo, False)]
    assert resultados[1].mensaje == f"«{malo}»: No procede."
    db.session.expire_all()
    assert (bueno.nombre, malo.nombre) == ("Renombrado", nombre_malo)


def test_puntos_de_juicio_de_la_oap(fabrica, usuarios):
    oap = usuarios[R.OAP]
    plan = fabrica.plan_accion(estado=E.ENVIADO)
    with pytest.raises(DatoInvalido, match="por qué"):
        servicio.verificar(plan, oap, "normas", False, "")
    with pytest.raises(AccesoDenegado):
        servicio.verificar(plan, usuarios[R.DIRECTOR], "normas", True, "")
    with pytest.raises(DatoInvalido, match="desconocido"):
        servicio.verificar(plan, oap, "otra", True, "")
    servicio.verificar(plan, oap, "normas", False, "No incluye la Ley 2466 de 2025.")
    servicio.verificar(plan, oap, "funciones", True, None)
    servicio.devolver(plan, oap, "Complete el plan.")
    assert "Cubre las normas e iniciativas que la entidad debe cumplir: No incluye la Ley 2466 de 2025." in plan.observaciones
    with pytest.raises(OperacionRechazada, match="solo se verifica un plan enviado"):
        servicio.verificar(plan, oap, "metodologia", True, None)


def test_consolidar_exige_todos_aprobados_o_la_excepcion(fabrica, usuarios):
    m = fabrica.mundo
    oap = usuarios[R.OAP]
    with pytest.raises(OperacionRechazada, match="no tiene planes de acción aprobados"):
        servicio.consolidar(m.vigencia, oap)
    aprobado = fabrica.plan_accion(m.central, E.APROBADO)
    fabrica.plan_accion(m.central2, E.DEVUELTO)
    with pytest.raises(DatoInvalido, match="Faltan planes por aprobar: .*devuelto"):
        servicio.consolidar(m.vigencia, oap)
    with pytest.raises(AccesoDenegado):
        servicio.consolidar(m.vigencia, usuarios[R.DIRECTOR], "Excepción")
    assert servicio.pai_de(m.vigencia) is None
    pai = servicio.consolidar(m.vigencia, oap, "La dirección 2200 entrega en febrero por cambio de director.")
    assert pai.planes_consolidados == [aprobado]
    assert pai.excepcion_consolidacion.startswith("La dirección 2200")


def test_presentar_y_publicar_solo_el_jefe_y_en_su_orden(fabrica, usuarios):
    m = fabrica.mundo
    oap, jefe = usuarios[R.OAP], usuarios[R.JEFE_OAP]
    fabrica.plan_accion(m.central, E.APROBADO)
    pai = servicio.consolidar(m.vigencia, oap)
    db.session.commit()
    with pytest.raises(TransicionInvalida, match="Su rol"):
        servicio.presentar(pai, oap, date(2026, 1, 24), "01", None)
    with pytest.raises(TransicionInvalida, match="consolidado"):
        servicio.publicar(pai, jefe)
    with pytest.raises(TransicionInvalida, match="Escriba la fecha del acta"):
        servicio.presentar(pai, jefe, None, "01", None)
    assert pai.estado is E.CONSOLIDADO and pai.acta_presentacion is None
    servicio.presentar(pai, jefe, date(2026, 1, 24), "01", None)
    with pytest.raises(OperacionRechazada, match="ya se presentó"):
        servicio.consolidar(m.vigencia, oap)
    with pytest.raises(TransicionInvalida, match="Su rol"):
        servicio.publicar(pai, oap)
    servicio.publicar(pai, jefe)
    assert pai.estado is E.PUBLICADO


def test_una_nueva_version_del_pai_se_publica_junto_a_la_anterior(fabrica, usuarios):
    m = fabrica.mundo
    oap, jefe = usuarios[R.OAP], usuarios[R.JEFE_OAP]
    original = fabrica.plan_accion(m.central, E.APROBADO)
    v1 = servicio.consolidar(m.vigencia, oap)
    servicio.presentar(v1, jefe, date(2026, 1, 24), "01-2026", None)
    servicio.publicar(v1, jefe)
    db.session.commit()
    publicado_en = v1.publicado_en
    with pytest.raises(OperacionRechazada, match="ya está publicado con estos mismos planes"):
        servicio.consolidar(m.vigencia, oap)

    # Un ajuste aprobado deja una nueva versión del plan de la dependencia.
    original.vigente = False
    ajustado = Plan(tipo=TipoPlan.PA, nombre=original.nombre, vigencia=m.vigencia, dependencia=m.central,
                    numero_version=2, plan_anterior=original)
    db.session.add(ajustado)
    fabrica.formular(ajustado)
    fabrica.llevar_a(ajustado, E.APROBADO)
    v2 = servicio.consolidar(m.vigencia, oap)
    servicio.presentar(v2, jefe, date(2026, 6, 20), "05-2026", "Ajuste aprobado.")
    servicio.publicar(v2, jefe)
    db.session.commit()
    db.session.refresh(v1)
    assert v2.numero_version == 2 and v2.plan_anterior == v1
    assert v1.estado is v2.estado is E.PUBLICADO
    assert v1.planes_consolidados == [original] and v2.planes_consolidados == [ajustado]
    assert v1.publicado_en == publicado_en and not v1.vigente and v2.vigente


def test_los_correos_llegan_a_quien_corresponde(app, fabrica, usuarios):
    m = fabrica.mundo
    oap = usuarios[R.OAP]
    director, director2 = usuarios[R.DIRECTOR], usuarios["director2"]
    correo.descartar_pendientes()
    with mail.record_messages() as enviados:
        plan, plan2 = (r.objeto for r in servicio.solicitar(m.vigencia, [m.central, m.central2], oap))
        db.session.commit()
        correo.enviar_pendientes()
    assert sorted(tuple(c.recipients) for c in enviados) == sorted([(director.email,), (director2.email,)])
    assert all(c.subject == "Solicitud del Plan de Acción 2026" for c in enviados)

    fabrica.formular(plan)
    with mail.record_messages() as enviados:
        servicio.enviar(plan, director)
        servicio.devolver(plan, oap, "Falta la meta del primer trimestre.")
        db.session.commit()
        correo.enviar_pendientes()
    recibido, devuelto = enviados
    assert set(recibido.recipients) == {oap.email, usuarios[R.JEFE_OAP].email}
    assert devuelto.recipients == [director.email]
    assert "Falta la meta del primer trimestre." in devuelto.body

    with mail.record_messages() as enviados:
        servicio.enviar(plan, director)
        fabrica.verificar(plan, oap)
        servicio.aprobar(plan, oap)
        db.session.rollback()
        correo.descartar_pendientes()
        correo.enviar_pendientes()
    assert enviados == []  # lo que un rollback deshizo no se anuncia


def test_asignar_direcciones_territoriales(fabrica, usuarios):
    m = fabrica.mundo
    director = usuarios[R.DIRECTOR]
    plan = fabrica.plan_accion(m.central)
    actividad = plan.actividades[0]
    with pytest.raises(DatoInvalido, match="territorial"):
        servicio.asignar_territoriales(actividad, [m.territorial], director)
    actividad.territorial = True
    servicio.asignar_territoriales(actividad, [m.territorial, m.territorial2], director)
    assert {mt.dependencia_id for mt in actividad.metas_territoriales} == {m.territorial.id, m.territorial2.id}
    with pytest.raises(DatoInvalido, match="Solo se asignan"):
        servicio.asignar_territoriales(actividad, [m.territorial, m.central2], director)
    with pytest.raises(OperacionRechazada, match="no se puede modificar"):
        servicio.asignar_territoriales(actividad, [m.territorial], usuarios["director2"])
    servicio.asignar_territoriales(actividad, [m.territorial], director)
    assert [mt.dependencia for mt in actividad.metas_territoriales] == [m.territorial]


def test_enviar_advierte_las_direcciones_territoriales_que_no_han_fijado_metas(fabrica, usuarios):
    m = fabrica.mundo
    plan = fabrica.plan_accion(m.central)
    fabrica.actividad_territorial(plan, {m.territorial: (10, 10, 10, 10), m.territorial2: (0, 0, 0, 0)})
    avisos = servicio.advertencias_de_envio(plan, controles.evaluar(plan))
    assert any("Dirección Territorial del Valle" in a and "ya no podrán" in a for a in avisos)
    assert not any("Antioquia" in a for a in avisos)
    with pytest.raises(TransicionInvalida, match="no se envió: la OAP lo devolvería"):
        servicio.enviar(plan, usuarios[R.DIRECTOR], confirmado=False)
    assert plan.estado is E.BORRADOR
    servicio.enviar(plan, usuarios[R.DIRECTOR], confirmado=True)
    assert plan.estado is E.ENVIADO


def test_un_plan_con_cientos_de_fallas_se_devuelve_y_su_rechazo_cabe_en_un_mensaje(fabrica, usuarios):
    """Un plan de 331 metas con puntos fallidos no se podía devolver: «‹observacion› admite hasta 10.000
    caracteres; tiene 27.582». La observación guardada resume los puntos; el correo lleva la lista entera."""
    oap = usuarios[R.OAP]
    plan = fabrica.plan_accion(estado=E.ENVIADO, actividades=400)
    for i, actividad in enumerate(plan.actividades):
        actividad.codigo, actividad.meta_t1 = f"META-PRODUCTO-{i:04d}", Decimal(11)
    db.session.commit()
    completo = controles.evaluar(plan).observaciones()
    assert len(completo) > 10_000

    with pytest.raises(TransicionInvalida) as rechazo:
        servicio.aprobar(plan, oap)
    assert len(str(rechazo.value)) < 2_000 and "la lista completa está en la lista de chequeo" in str(rechazo.value)
    assert len(servicio.motivo_no_aprobar(oap, plan)) < 2_000

    with mail.record_messages() as enviados:
        servicio.devolver(plan, oap, "Corrija los trimestres.")
        db.session.commit()
        correo.enviar_pendientes()
    plan = db.session.get(Plan, plan.id)
    assert plan.estado is E.DEVUELTO and len(plan.observaciones) <= 10_000
    assert plan.observaciones.startswith("Corrija los trimestres.\n\nPuntos de control que no se cumplen:\n- Las metas")
    assert "la lista completa está en la lista de chequeo de la ficha del plan" in plan.observaciones
    assert any("META-PRODUCTO-0399" in m.body for m in enviados)
