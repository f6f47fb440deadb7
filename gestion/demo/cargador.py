"""Carga la demostración: catálogos, PES y PEI 2023–2026, vigencia 2025 publicada y 2026 en curso.

Re-ejecutable: los catálogos se buscan por código y los planes solo se crean si faltan.
Los estados se alcanzan con las transiciones de `gestion.flujo`, como lo haría cada rol.
"""
import uuid
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_security import hash_password

from gestion import estrategicos, flujo
from gestion import roles as R
from gestion.demo import datos
from gestion.extensiones import datastore
from gestion.semilla import sembrar
from modelos import (Acta, Actividad, Avance, Compromiso, Cuatrienio, Dependencia, EstadoPlan,
                     EstadoReporte, EtapaCronograma, FaseCronograma, Indicador, Instancia, MetaIndicador,
                     MetaTerritorial, Objetivo, Plan, PndLinea, PndObjetivo, PndPacto, PoliticaMipg,
                     PresupuestoProyecto, ProyectoInversion, ReporteTrimestral, TipoCompromiso,
                     TipoDependencia, TipoInstancia, TipoPlan, UnidadMedida, Usuario, VentanaReporte,
                     Vigencia, ahora, db)

CONTRASENA_POR_DEFECTO = "Planeacion.2026"
CUATRIENIO = 2023
VIGENCIAS = (2023, 2024, 2025, 2026)
# Estado en que queda cada plan de acción 2026 (los demás, aprobados).
ESTADOS_2026 = {"2100": EstadoPlan.ENVIADO, "2200": EstadoPlan.BORRADOR, "3200": EstadoPlan.DEVUELTO,
                "3300": EstadoPlan.ENVIADO}
TRIMESTRES_REPORTADOS = {2025: (1, 2, 3, 4), 2026: (1, 2, 3)}


def _por_codigo(modelo, codigo, **valores):
    objeto = db.session.scalar(sa.select(modelo).filter_by(codigo=codigo))
    if objeto is None:
        objeto = modelo(codigo=codigo, **valores)
        db.session.add(objeto)
    return objeto


def cargar_catalogos() -> None:
    dependencias = {}
    for d in datos.DEPENDENCIAS:
        dependencias[d["codigo"]] = _por_codigo(
            Dependencia, d["codigo"], nombre=d["nombre"], tipo=TipoDependencia(d["tipo"]),
            padre=dependencias.get(d["padre"]))
    for p in datos.POLITICAS_MIPG:
        _por_codigo(PoliticaMipg, p["codigo"], nombre=p["nombre"], dimension=p["dimension"])
    for u in datos.UNIDADES:
        _por_codigo(UnidadMedida, u["codigo"], nombre=u["nombre"])
    for i in datos.INSTANCIAS:
        _por_codigo(Instancia, i["codigo"], nombre=i["nombre"], tipo=TipoInstancia(i["tipo"]))

    cuatrienio = db.session.scalar(sa.select(Cuatrienio).filter_by(anio_inicio=CUATRIENIO))
    if cuatrienio is None:
        cuatrienio = Cuatrienio(anio_inicio=CUATRIENIO, anio_fin=CUATRIENIO + 3)
        db.session.add(cuatrienio)
    for anio in VIGENCIAS:
        if db.session.scalar(sa.select(Vigencia).filter_by(anio=anio)) is None:
            db.session.add(Vigencia(anio=anio, cuatrienio=cuatrienio))
    db.session.flush()

    for pacto in datos.PND["pactos"]:
        p = _por_codigo(PndPacto, pacto["codigo"], nombre=pacto["nombre"], cuatrienio=cuatrienio)
        for linea in pacto["lineas"]:
            li = _por_codigo(PndLinea, linea["codigo"], nombre=linea["nombre"], pacto=p)
            for objetivo in linea["objetivos"]:
                _por_codigo(PndObjetivo, objetivo["codigo"], nombre=objetivo["nombre"], linea=li)

    for proyecto in datos.PROYECTOS:
        existente = db.session.scalar(sa.select(ProyectoInversion).filter_by(bpin=proyecto["bpin"]))
        if existente is None:
            existente = ProyectoInversion(bpin=proyecto["bpin"], nombre=proyecto["nombre"],
                                          dependencia=dependencias[proyecto["dependencia"]])
            for anio, valor in proyecto["presupuesto"].items():
                existente.presupuestos.append(PresupuestoProyecto(vigencia=vigencia(anio), valor=Decimal(valor)))
            db.session.add(existente)
    for anio in (2025, 2026):
        cargar_cronograma(vigencia(anio))
    db.session.flush()


def cargar_cronograma(v: Vigencia) -> None:
    """Fechas típicas del ciclo: el plan de la vigencia se publica a más tardar el 31 de enero."""
    previo = v.anio - 1
    fases = {
        FaseCronograma.COMPROMISOS: (date(previo, 10, 1), date(previo, 10, 31)),
        FaseCronograma.SOLICITUD: (date(previo, 11, 1), date(previo, 11, 7)),
        FaseCronograma.FORMULACION: (date(previo, 11, 8), date(previo, 12, 5)),
        FaseCronograma.VERIFICACION: (date(previo, 12, 6), date(previo, 12, 20)),
        FaseCronograma.APROBACION: (date(previo, 12, 21), date(v.anio, 1, 10)),
        FaseCronograma.CONSOLIDACION: (date(v.anio, 1, 11), date(v.anio, 1, 20)),
        FaseCronograma.COMITE: (date(v.anio, 1, 21), date(v.anio, 1, 27)),
        FaseCronograma.PUBLICACION: (date(v.anio, 1, 28), date(v.anio, 1, 31)),
    }
    existentes = {e.fase for e in v.cronograma}
    for fase, (inicio, fin) in fases.items():
        if fase not in existentes:
            db.session.add(EtapaCronograma(vigencia=v, fase=fase, inicio=inicio, fin=fin))
    for trimestre in range(1, 5):
        if db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=v.id, trimestre=trimestre)) is None:
            cierre_trimestre = date(v.anio, 3 * trimestre, 1) + timedelta(days=31)
            abre = cierre_trimestre.replace(day=1)
            db.session.add(VentanaReporte(vigencia=v, trimestre=trimestre, abre=abre,
                                          cierra=abre + timedelta(days=14)))


def vigencia(anio: int) -> Vigencia:
    return db.session.scalar(sa.select(Vigencia).filter_by(anio=anio))


def dependencia(codigo: str) -> Dependencia:
    return db.session.scalar(sa.select(Dependencia).filter_by(codigo=codigo))


def usuario(email: str) -> Usuario:
    return db.session.scalar(sa.select(Usuario).filter_by(email=email))


def _crear_usuario(email, nombre, roles, codigo_dependencia, contrasena) -> Usuario:
    existente = usuario(email)
    if existente is not None:
        return existente
    return datastore.create_user(
        email=email, nombre=nombre, password=hash_password(contrasena), active=True,
        fs_uniquifier=uuid.uuid4().hex, confirmed_at=ahora(),
        roles=[datastore.find_role(r) for r in roles],
        dependencia=dependencia(codigo_dependencia) if codigo_dependencia else None)


def cargar_usuarios(contrasena: str) -> list[Usuario]:
    usuarios = [_crear_usuario(u["email"], u["nombre"], u["roles"], u["dependencia"], contrasena)
                for u in datos.USUARIOS]
    # Cada dependencia con plan de acción tiene quien lo formule y lo envíe.
    con_director = {u["dependencia"] for u in datos.USUARIOS if R.DIRECTOR in u["roles"]}
    for codigo in sorted({c for planes in datos.PLANES_ACCION.values() for c in planes} - con_director):
        _crear_usuario(f"director.{codigo}@demo.gov.co", f"Director(a) de {dependencia(codigo).nombre}",
                       [R.DIRECTOR], codigo, contrasena)
    db.session.flush()
    return usuarios


def director_de(codigo: str) -> Usuario:
    return db.session.scalar(
        sa.select(Usuario).join(Usuario.roles).join(Usuario.dependencia)
        .where(Dependencia.codigo == codigo, Usuario.roles.any(name=R.DIRECTOR)).order_by(Usuario.id))


def _plan_estrategico(tipo: TipoPlan, definicion: dict, objetivos_pes: dict) -> Plan:
    cuatrienio = db.session.scalar(sa.select(Cuatrienio).filter_by(anio_inicio=CUATRIENIO))
    plan = Plan(tipo=tipo, nombre=definicion["nombre"], cuatrienio=cuatrienio)
    unidades = {u.codigo: u for u in db.session.scalars(sa.select(UnidadMedida))}
    pnd = {o.codigo: o for o in db.session.scalars(sa.select(PndObjetivo))}
    mipg = {p.codigo: p for p in db.session.scalars(sa.select(PoliticaMipg))}
    for o in definicion["objetivos"]:
        objetivo = Objetivo(codigo=o["codigo"], nombre=o["nombre"],
                            objetivos_pnd=[pnd[c] for c in o["pnd"]],
                            politicas_mipg=[mipg[c] for c in o["mipg"]],
                            objetivos_pes=[objetivos_pes[c] for c in o.get("pes", [])])
        for i in o["indicadores"]:
            objetivo.indicadores.append(Indicador(
                codigo=i["codigo"], nombre=i["nombre"], formula=i["formula"], unidad=unidades[i["unidad"]],
                linea_base=Decimal(str(i["linea_base"])), periodicidad=i["periodicidad"],
                tendencia=i["tendencia"], responsable=dependencia(i["responsable"]), sinergia=i["sinergia"],
                codigo_sinergia=i["codigo_sinergia"], tipo_acumulacion=i["tipo_acumulacion"],
                metas=[MetaIndicador(anio=a, valor=Decimal(str(v))) for a, v in i["metas"].items()]))
        plan.objetivos.append(objetivo)
    db.session.add(plan)
    db.session.flush()
    return plan


def _publicar_estrategico(plan: Plan, aprobador: str, numero_acta: str, fecha_acta: date) -> None:
    """Como en el procedimiento: la OAP concerta, el comité aprueba con su acta y el Jefe OAP publica."""
    estrategicos.enviar_a_concertacion(plan, usuario("oap@demo.gov.co"))
    estrategicos.aprobar(plan, usuario(aprobador), numero_acta, fecha_acta,
                         f"Se aprueba el {plan.tipo.etiqueta} {plan.cuatrienio} tras la concertación con la OAP.")
    estrategicos.publicar(plan, usuario("jefe.oap@demo.gov.co"))


def cargar_planes_estrategicos() -> None:
    if db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PES)) is not None:
        return
    pes = _plan_estrategico(TipoPlan.PES, datos.PES, {})
    _publicar_estrategico(pes, "comite.sectorial@demo.gov.co", "01-2023", date(2023, 1, 27))
    pei = _plan_estrategico(TipoPlan.PEI, datos.PEI, {o.codigo: o for o in pes.objetivos})
    _publicar_estrategico(pei, "comite.directivo@demo.gov.co", "02-2023", date(2023, 1, 31))


def _plan_accion(anio: int, codigo: str, actividades: list[dict]) -> Plan:
    pei = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PEI, vigente=True))
    objetivos = {o.codigo: o for o in pei.objetivos}
    mipg = {p.codigo: p for p in db.session.scalars(sa.select(PoliticaMipg))}
    unidades = {u.codigo: u for u in db.session.scalars(sa.select(UnidadMedida))}
    dep = dependencia(codigo)
    plan = Plan(tipo=TipoPlan.PA, nombre=f"Plan de Acción {anio} – {dep.nombre}", vigencia=vigencia(anio),
                dependencia=dep)
    for a in actividades:
        t1, t2, t3, t4 = (Decimal(str(x)) for x in a["metas_trimestre"])
        proyecto = (db.session.scalar(sa.select(ProyectoInversion).filter_by(bpin=a["proyecto"]))
                    if a["proyecto"] else None)
        actividad = Actividad(
            codigo=a["codigo"], descripcion=a["descripcion"], objetivo=objetivos[a["objetivo_pei"]],
            politica=mipg[a["mipg"]], indicador=a["indicador"], formula=a["formula"],
            unidad=unidades[a["unidad"]], meta_anual=Decimal(str(a["meta_anual"])), meta_t1=t1, meta_t2=t2,
            meta_t3=t3, meta_t4=t4, peso=Decimal(str(a["peso"])), fecha_inicio=date.fromisoformat(a["inicio"]),
            fecha_fin=date.fromisoformat(a["fin"]), presupuesto=Decimal(a["presupuesto"]), proyecto=proyecto,
            responsable=a["responsable"], territorial=a["territorial"])
        for codigo_dt, metas in datos.METAS_TERRITORIALES.get(anio, {}).get((codigo, a["codigo"]), {}).items():
            m1, m2, m3, m4 = (Decimal(str(x)) for x in metas)
            actividad.metas_territoriales.append(MetaTerritorial(
                dependencia=dependencia(codigo_dt), meta_t1=m1, meta_t2=m2, meta_t3=m3, meta_t4=m4))
        plan.actividades.append(actividad)
        if actividad.objetivo is not None:
            db.session.add(Compromiso(vigencia=plan.vigencia, dependencia=dep, tipo=TipoCompromiso.OBJETIVO_PEI,
                                      objetivo=actividad.objetivo,
                                      descripcion=f"Contribuir al objetivo {actividad.objetivo}"))
    db.session.add(plan)
    db.session.flush()
    return plan


def _llevar_a(plan: Plan, estado: EstadoPlan) -> None:
    oap = usuario("oap@demo.gov.co")
    director = director_de(plan.dependencia.codigo)
    if estado is EstadoPlan.BORRADOR:
        return
    flujo.transicionar(plan, "enviar", director)
    if estado is EstadoPlan.ENVIADO:
        return
    if estado is EstadoPlan.DEVUELTO:
        flujo.transicionar(plan, "devolver", oap, "Las metas trimestrales de la actividad A2 no coinciden con las "
                           "metas de las Direcciones Territoriales; ajuste y vuelva a enviar.")
        return
    flujo.transicionar(plan, "aprobar", oap)


def cargar_planes_accion() -> None:
    for anio, planes in datos.PLANES_ACCION.items():
        if db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PA, vigencia_id=vigencia(anio).id)):
            continue
        for codigo, actividades in planes.items():
            plan = _plan_accion(anio, codigo, actividades)
            _llevar_a(plan, EstadoPlan.APROBADO if anio == 2025 else ESTADOS_2026.get(codigo, EstadoPlan.APROBADO))
    _publicar_pai(2025)


def _publicar_pai(anio: int) -> None:
    v = vigencia(anio)
    if db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PAI, vigencia_id=v.id)):
        return
    aprobados = db.session.scalars(sa.select(Plan).filter_by(tipo=TipoPlan.PA, vigencia_id=v.id,
                                                             estado=EstadoPlan.APROBADO)).all()
    pai = Plan(tipo=TipoPlan.PAI, nombre=f"Plan de Acción Institucional {anio}", vigencia=v,
               estado=EstadoPlan.CONSOLIDADO, planes_consolidados=aprobados)
    comite = db.session.scalar(sa.select(Instancia).filter_by(tipo=TipoInstancia.INSTITUCIONAL))
    pai.acta_presentacion = Acta(instancia=comite, numero=f"01-{anio}", fecha=date(anio, 1, 24),
                                 decisiones="Se aprueba el Plan de Acción Institucional de la vigencia.")
    db.session.add(pai)
    db.session.flush()
    jefe = usuario("jefe.oap@demo.gov.co")
    flujo.transicionar(pai, "presentar", jefe)
    flujo.transicionar(pai, "publicar", jefe)


def _factor(actividad: Actividad, trimestre: int) -> Decimal:
    """Cumplimientos variados y repetibles, para que el semáforo muestre todos sus colores."""
    return Decimal((55, 72, 85, 95, 100, 110)[(actividad.id * 7 + trimestre * 3) % 6]) / 100


def cargar_seguimiento() -> None:
    for anio, trimestres in TRIMESTRES_REPORTADOS.items():
        planes = db.session.scalars(sa.select(Plan).filter_by(tipo=TipoPlan.PA, vigencia_id=vigencia(anio).id,
                                                              estado=EstadoPlan.APROBADO)).all()
        for plan in planes:
            for trimestre in trimestres:
                if db.session.scalar(sa.select(ReporteTrimestral).filter_by(plan_id=plan.id, trimestre=trimestre)):
                    continue
                ultimo = trimestre == trimestres[-1] and anio == 2026
                reporte = ReporteTrimestral(plan=plan, dependencia=plan.dependencia, trimestre=trimestre,
                                            estado=EstadoReporte.REPORTADO if ultimo else EstadoReporte.ACEPTADO,
                                            enviado_en=ahora(), enviado_por=director_de(plan.dependencia.codigo))
                for actividad in plan.actividades:
                    meta = actividad.meta_trimestre(trimestre)
                    logrado = (meta * _factor(actividad, trimestre)).quantize(Decimal("0.01"))
                    reporte.avances.append(Avance(
                        actividad=actividad, valor_logrado=logrado,
                        avance_cualitativo="Avance conforme a lo programado." if logrado >= meta else
                        "Avance parcial en el trimestre.",
                        justificacion=None if logrado >= meta else
                        "Retrasos en la contratación del equipo de apoyo; se recupera el siguiente trimestre.",
                        presupuesto_comprometido=(actividad.presupuesto / 4 * _factor(actividad, trimestre + 1))
                        .quantize(Decimal(1)),
                        presupuesto_pagado=(actividad.presupuesto / 5).quantize(Decimal(1))))
                db.session.add(reporte)
    db.session.flush()


def cargar_demo(contrasena: str | None = None) -> list[Usuario]:
    sembrar()
    cargar_catalogos()
    usuarios = cargar_usuarios(contrasena or CONTRASENA_POR_DEFECTO)
    cargar_planes_estrategicos()
    cargar_planes_accion()
    cargar_seguimiento()
    return usuarios
