"""Carga la demostración: catálogos, PES y PEI 2023–2026, vigencia 2025 publicada y 2026 en curso.

Re-ejecutable: los catálogos se buscan por código y los planes solo se crean si faltan.
Los estados se alcanzan con las transiciones de `gestion.reglas.flujo`, como lo haría cada rol.
"""
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa
from flask_security import hash_password

from gestion.base import correo, formato
from gestion.base.extensiones import datastore
from gestion.base.formato import ZONA
from gestion.demo import datos
from gestion.planes import ajustes, estrategicos, plan_accion
from gestion.publicacion import transparencia
from gestion.reglas import controles_plan_accion, ventanas
from gestion.reglas import roles as R
from gestion.seguimiento import cifras, consultas, reportes, revision, verificacion
from gestion.semilla import sembrar
from modelos import (
    Actividad,
    ColorSemaforo,
    Compromiso,
    Cuatrienio,
    Dependencia,
    EstadoPlan,
    EtapaCronograma,
    Indicador,
    InformeSeguimiento,
    Instancia,
    MetaIndicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    PlanInstitucional,
    PndLinea,
    PndObjetivo,
    PndPacto,
    PoliticaMipg,
    PresupuestoProyecto,
    ProyectoInversion,
    ReporteTrimestral,
    SolicitudAjuste,
    Tendencia,
    TipoAcumulacion,
    TipoCompromiso,
    TipoDependencia,
    TipoInstancia,
    TipoPlan,
    UnidadMedida,
    Usuario,
    VentanaReporte,
    VerificacionControlInterno,
    Vigencia,
    ahora,
    db,
    en_momento,
)

CONTRASENA_POR_DEFECTO = "Planeacion.2026"
CUATRIENIO = 2023
VIGENCIAS = (2023, 2024, 2025, 2026)
# Estado en que queda cada plan de acción 2026 (los demás, aprobados).
ESTADOS_2026 = {"2100": EstadoPlan.ENVIADO, "2200": EstadoPlan.BORRADOR, "3200": EstadoPlan.DEVUELTO,
                "3300": EstadoPlan.ENVIADO}
PLAN_COMPRAS_2026 = "https://www.mintrabajo.gov.co/transparencia/plan-anual-de-adquisiciones-2026"
TRIMESTRES_REPORTADOS = {2025: (1, 2, 3, 4), 2026: (1, 2, 3)}
# La ventana del T4 2026 abre cuando la OAP ya publicó el PAI 2027 (31/01): no se cruza con su consolidación.
VENTANA_T4_DESPUES_DEL_PAI = {2026: date(2027, 2, 1)}
# La ventana del T3 2026 cerró el 15/10/2026; la OAP la reabrió a una dependencia que no alcanzó a reportar.
REAPERTURA_T3_2026 = ("2300", date(2026, 12, 1), date(2026, 12, 11),
                      "El enlace de reporte estuvo en incapacidad durante la ventana; la dirección lo certificó.")
# Lo logrado que no sale del factor de cada dependencia: una decreciente que empeoró frente a su línea base (roja,
# con cumplimiento negativo). (vigencia, dependencia, código del ítem, trimestre) → valor.
LOGRADOS_FIJOS = {(2026, "1400", "A3", 2): Decimal("22.5")}  # 22,5 horas: la línea base era 20 y la meta 12
EXCEPCION_PAI_2026 = ("Se consolida con los planes aprobados; los de las dependencias 2100, 2200, 3200 y 3300 "
                      "siguen en formulación o verificación y se incorporarán en la siguiente versión.")


def el_dia(dia: date, hora: int = 10):
    """Lo que se registre dentro del bloque queda con esa fecha (hora de Bogotá)."""
    return en_momento(datetime.combine(dia, time(hora), tzinfo=ZONA).astimezone(timezone.utc))


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


def cargar_planes_institucionales() -> None:
    """La dependencia que formula cada plan del Decreto 612 y su periodo."""
    for codigo, (dependencia_codigo, desde, hasta) in datos.PLANES_INSTITUCIONALES.items():
        plan = db.session.scalar(sa.select(PlanInstitucional).filter_by(codigo=codigo))
        plan.dependencia, plan.anio_inicio, plan.anio_fin = dependencia(dependencia_codigo), desde, hasta
    db.session.flush()


def cargar_cronograma(v: Vigencia) -> None:
    """Fechas típicas del ciclo: el plan de la vigencia se publica a más tardar el 31 de enero."""
    fases = plan_accion.fechas_por_defecto(v.anio)
    existentes = {e.fase for e in v.cronograma}
    for fase, (inicio, fin) in fases.items():
        if fase not in existentes:
            db.session.add(EtapaCronograma(vigencia=v, fase=fase, inicio=inicio, fin=fin))
    for trimestre in range(1, 5):
        if db.session.scalar(sa.select(VentanaReporte).filter_by(vigencia_id=v.id, trimestre=trimestre)) is None:
            cierre_trimestre = date(v.anio, 3 * trimestre, 1) + timedelta(days=31)
            abre = VENTANA_T4_DESPUES_DEL_PAI.get(v.anio, cierre_trimestre.replace(day=1)) if trimestre == 4 \
                else cierre_trimestre.replace(day=1)
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
    with el_dia(fecha_acta - timedelta(days=14)):
        estrategicos.enviar_a_concertacion(plan, usuario("oap@demo.gov.co"))
    with el_dia(fecha_acta, 16):
        estrategicos.aprobar(plan, usuario(aprobador), numero_acta, fecha_acta,
                             f"Se aprueba el {plan.tipo.etiqueta} {plan.cuatrienio} tras la concertación con la OAP.")
    with el_dia(fecha_acta + timedelta(days=3)):
        estrategicos.publicar(plan, usuario("jefe.oap@demo.gov.co"))


def cargar_planes_estrategicos() -> None:
    if db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PES)) is not None:
        return
    pes = _plan_estrategico(TipoPlan.PES, datos.PES, {})
    _publicar_estrategico(pes, "comite.sectorial@demo.gov.co", "01-2023", date(2023, 1, 27))
    pei = _plan_estrategico(TipoPlan.PEI, datos.PEI, {o.codigo: o for o in pes.objetivos})
    _publicar_estrategico(pei, "comite.directivo@demo.gov.co", "02-2023", date(2023, 1, 31))


def _compromisos(anio: int, codigo: str, actividades: list[dict]) -> None:
    """Actividad 7: la OAP fija qué objetivos del PEI debe cubrir cada dependencia."""
    pei = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PEI, vigente=True))
    objetivos = {o.codigo: o for o in pei.objetivos}
    for objetivo in sorted({objetivos[a["objetivo_pei"]] for a in actividades}, key=lambda o: o.codigo):
        db.session.add(Compromiso(vigencia=vigencia(anio), dependencia=dependencia(codigo),
                                  tipo=TipoCompromiso.OBJETIVO_PEI, objetivo=objetivo,
                                  descripcion=f"Contribuir al objetivo {objetivo}"))


def _plan_accion(plan: Plan, actividades: list[dict]) -> Plan:
    """Actividad 10: lo que el director carga en el borrador que la OAP le solicitó."""
    pei = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PEI, vigente=True))
    objetivos = {o.codigo: o for o in pei.objetivos}
    mipg = {p.codigo: p for p in db.session.scalars(sa.select(PoliticaMipg))}
    integrados = {p.codigo: p for p in db.session.scalars(sa.select(PlanInstitucional))}
    unidades = {u.codigo: u for u in db.session.scalars(sa.select(UnidadMedida))}
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
            responsable=a["responsable"], territorial=a["territorial"],
            tendencia=Tendencia(a.get("tendencia", Tendencia.CRECIENTE.value)),
            linea_base=Decimal(str(a["linea_base"])) if "linea_base" in a else None,
            tipo_acumulacion=TipoAcumulacion(a["tipo_acumulacion"]) if "tipo_acumulacion" in a else None,
            planes_institucionales=[integrados[c] for c in a.get("planes", ())])
        metas_dt = datos.METAS_TERRITORIALES.get(plan.vigencia.anio, {}).get((plan.dependencia.codigo, a["codigo"]), {})
        for codigo_dt, metas in metas_dt.items():
            m1, m2, m3, m4 = (Decimal(str(x)) for x in metas)
            actividad.metas_territoriales.append(MetaTerritorial(
                dependencia=dependencia(codigo_dt), meta_t1=m1, meta_t2=m2, meta_t3=m3, meta_t4=m4))
        plan.actividades.append(actividad)
    db.session.flush()
    return plan


def _llevar_a(plan: Plan, estado: EstadoPlan) -> None:
    """Con las fechas del cronograma: envío a comienzos de diciembre, verificación a mediados."""
    oap = usuario("oap@demo.gov.co")
    director = director_de(plan.dependencia.codigo)
    previo = plan.vigencia.anio - 1
    if estado is EstadoPlan.BORRADOR:
        return
    with el_dia(date(previo, 12, 2)):
        plan_accion.enviar(plan, director)
    if estado is EstadoPlan.ENVIADO:
        return
    if estado is EstadoPlan.DEVUELTO:
        with el_dia(date(previo, 12, 12)):
            plan_accion.verificar(plan, oap, "normas", False, "No incluye las acciones de inspección que la "
                                  "reforma laboral asigna a la dirección en la vigencia.")
            plan_accion.devolver(plan, oap, "Agregue a la actividad A2 las visitas a empresas del sector rural "
                                 "que pide el PEI; ajuste y vuelva a enviar.")
        return
    with el_dia(date(previo, 12, 16)):
        _verificar(plan, oap)
        plan_accion.aprobar(plan, oap)


def _verificar(plan: Plan, oap: Usuario) -> None:
    """Los tres puntos de juicio de la actividad 12, marcados por la OAP."""
    plan_accion.verificar_todos(plan, oap, {item: (True, None) for item in controles_plan_accion.ITEMS_JUICIO})


def cargar_planes_accion() -> None:
    """Vigencia 2025 completa y 2026 en curso, por los servicios del ciclo como lo haría cada rol."""
    oap = usuario("oap@demo.gov.co")
    for anio, planes in datos.PLANES_ACCION.items():
        v = vigencia(anio)
        if db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PA, vigencia_id=v.id)):
            continue
        for codigo, actividades in planes.items():
            _compromisos(anio, codigo, actividades)
        with el_dia(date(anio - 1, 11, 3)):
            solicitados = plan_accion.solicitar(v, [dependencia(codigo) for codigo in planes], oap)
        for resultado in solicitados:
            plan = resultado.objeto
            _plan_accion(plan, planes[plan.dependencia.codigo])
            _llevar_a(plan, EstadoPlan.APROBADO if anio == 2025
                      else ESTADOS_2026.get(plan.dependencia.codigo, EstadoPlan.APROBADO))
    _publicar_pai(2025)
    _publicar_pai(2026, EXCEPCION_PAI_2026)
    # La demostración no anuncia nada por correo.
    correo.descartar_pendientes()


def _publicar_pai(anio: int, excepcion: str | None = None) -> None:
    v = vigencia(anio)
    if db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PAI, vigencia_id=v.id)):
        return
    jefe = usuario("jefe.oap@demo.gov.co")
    with el_dia(date(anio, 1, 15)):
        pai = plan_accion.consolidar(v, usuario("oap@demo.gov.co"), excepcion)
    with el_dia(date(anio, 1, 24), 16):
        plan_accion.presentar(pai, jefe, date(anio, 1, 24), f"01-{anio}",
                              "Se aprueba el Plan de Acción Institucional de la vigencia.")
    with el_dia(date(anio, 1, 29)):
        plan_accion.publicar(pai, jefe)


def _factor(clave: int, trimestre: int, sesgo: Decimal = Decimal(1)) -> Decimal:
    """Cumplimientos variados y repetibles; el sesgo de cada dependencia hace que el semáforo por
    dependencia muestre todos sus colores."""
    base = Decimal((70, 82, 92, 100, 105, 112)[(clave * 7 + trimestre * 3) % 6]) / 100
    return (base * sesgo).quantize(Decimal("0.01"))


# En 2026 quedan en rojo, amarillo y verde; las demás dependencias varían según su id.
SESGOS = {"1100": Decimal("0.7"), "3100": Decimal("0.9"), "4100": Decimal("1.08")}
# Aún sin reporte en el trimestre en curso de 2026 (gris en el tablero); la entidad de la demo puede reportar.
SIN_REPORTE_EN_CURSO = {"1400", "E04", "E05", "2300"}


def _sesgo(dep: Dependencia) -> Decimal:
    return SESGOS.get(dep.codigo, (Decimal(1), Decimal("0.9"), Decimal("0.7"), Decimal("1.08"))[dep.id % 4])


ROLES_QUE_REPORTAN = {TipoDependencia.CENTRAL: R.DIRECTOR, TipoDependencia.TERRITORIAL: R.TERRITORIAL,
                      TipoDependencia.ENTIDAD: R.ENTIDAD}


def _quien_reporta(dep: Dependencia, contrasena: str) -> Usuario:
    """El primer usuario de la dependencia con un rol que reporta; si no hay, un enlace de demostración."""
    rol = ROLES_QUE_REPORTAN[dep.tipo]
    existente = db.session.scalar(sa.select(Usuario).where(Usuario.dependencia_id == dep.id,
                                                           Usuario.roles.any(name=rol)).order_by(Usuario.id))
    return existente or _crear_usuario(f"enlace.{dep.codigo.lower()}@demo.gov.co",
                                       f"Enlace de planeación de {dep.nombre}", [rol], dep.codigo, contrasena)


def _unidades_de_reporte(v: Vigencia, contrasena: str) -> list:
    """(plan, usuario que reporta) por cada dependencia con algo que reportar en la vigencia."""
    unidades = []
    for dep in db.session.scalars(sa.select(Dependencia).where(Dependencia.activa).order_by(Dependencia.codigo)):
        planes = consultas.planes_a_reportar(dep.id, v)
        if planes:
            reportante = _quien_reporta(dep, contrasena)
            unidades.extend((plan, reportante) for plan in planes)
    return unidades


def _reportar(plan: Plan, v: Vigencia, trimestre: int, reportante: Usuario) -> ReporteTrimestral:
    reporte = reportes.abrir_reporte(plan, v, trimestre, reportante)
    sesgo = _sesgo(reporte.dependencia)
    for avance in reporte.avances:
        item = avance.actividad or avance.indicador
        meta = consultas.meta_de(avance) or Decimal(0)
        logrado = LOGRADOS_FIJOS.get((v.anio, reporte.dependencia.codigo, item.codigo, trimestre),
                                     (meta * _factor(item.id, trimestre, sesgo)).quantize(Decimal("0.01")))
        presupuesto = avance.actividad.presupuesto if avance.actividad_id and not avance.actividad.territorial else 0
        comprometido = (Decimal(presupuesto) / 4 * _factor(item.id, trimestre + 1)).quantize(Decimal(1))
        bajo = consultas.bajo_meta(avance, logrado)
        reportes.registrar_avance(
            avance, reportante, valor=logrado,
            avance_cualitativo="Avance parcial en el trimestre." if bajo else "Avance conforme a lo programado.",
            justificacion="Retrasos en la contratación del equipo de apoyo; se recupera el siguiente trimestre."
            if bajo else None,
            enlace=f"https://www.mintrabajo.gov.co/evidencias/{v.anio}/T{trimestre}/{item.codigo}",
            comprometido=comprometido, pagado=(comprometido * Decimal("0.7")).quantize(Decimal(1)))
    reportes.enviar_reporte(reporte, reportante)
    return reporte


def cargar_seguimiento(contrasena: str = CONTRASENA_POR_DEFECTO) -> None:
    """2025 con sus cuatro trimestres reportados y aceptados; 2026 con T1 y T2 aceptados y T3 cerrado el 15/10:
    unos reportes por revisar, otras dependencias sin reporte (gris en el tablero) y una a la que se le reabrió."""
    if db.session.scalar(sa.select(ReporteTrimestral.id).limit(1)) is not None:
        return
    oap = usuario("oap@demo.gov.co")
    for anio, trimestres in TRIMESTRES_REPORTADOS.items():
        v = vigencia(anio)
        unidades = _unidades_de_reporte(v, contrasena)
        for trimestre in trimestres:
            ventana = ventanas.ventana_de(v.id, trimestre)
            en_curso = anio == 2026 and trimestre == trimestres[-1]
            enviados = []
            with el_dia(ventana.abre + timedelta(days=7), 15):
                for plan, reportante in unidades:
                    if not (en_curso and reportante.dependencia.codigo in SIN_REPORTE_EN_CURSO):
                        enviados.append(_reportar(plan, v, trimestre, reportante))
            if en_curso:
                codigo, el, hasta, motivo = REAPERTURA_T3_2026
                with el_dia(el, 9):
                    revision.reabrir_ventana(ventana, dependencia(codigo), motivo, hasta, oap)
                continue
            with el_dia(ventana.cierra - timedelta(days=2)):
                for reporte in enviados:
                    revision.aceptar_reporte(reporte, oap)
    db.session.flush()


def cargar_informes() -> None:
    """Diagnósticos e informes de 2025 y del primer semestre de 2026, remitidos a Control Interno; el
    informe del cuarto trimestre de 2025 presentado al Comité Institucional, con sus acciones."""
    if db.session.scalar(sa.select(InformeSeguimiento.id).limit(1)) is not None:
        return
    oap, jefe = usuario("oap@demo.gov.co"), usuario("jefe.oap@demo.gov.co")
    for anio, trimestres in ((2025, (1, 2, 3, 4)), (2026, (1, 2))):
        v = vigencia(anio)
        for trimestre in trimestres:
            cierre = ventanas.ventana_de(v.id, trimestre).cierra
            with el_dia(cierre + timedelta(days=5)):
                _diagnosticar_e_informar(v, trimestre, oap, jefe)
    correo.descartar_pendientes()  # la demo registra la remisión; no envía correos
    informe = db.session.scalar(sa.select(InformeSeguimiento).join(Vigencia).where(
        Vigencia.anio == 2025, InformeSeguimiento.trimestre == 4))
    comite = db.session.scalar(sa.select(Instancia).filter_by(tipo=TipoInstancia.INSTITUCIONAL))
    with el_dia(date(2026, 2, 12), 16):
        presentacion = revision.registrar_presentacion(
            informe, comite, "02-2026", date(2026, 2, 12),
            "Se presenta el informe de seguimiento del cuarto trimestre de 2025 y se fijan acciones de mejora.", jefe)
        cerrada = revision.agregar_accion(
            presentacion, "Presentar plan de mejora de las actividades en rojo del cuarto trimestre.",
            dependencia("2200"), date(2026, 3, 31), jefe)
        revision.agregar_accion(presentacion, "Ajustar la programación presupuestal de las actividades con "
                                   "alerta de coherencia.", dependencia("3200"), date(2026, 12, 15), jefe)
    with el_dia(date(2026, 3, 20)):
        revision.cerrar_accion(cerrada, jefe, "Plan de mejora recibido el 20/03/2026.")
    db.session.flush()


def _diagnosticar_e_informar(v: Vigencia, trimestre: int, oap: Usuario, jefe: Usuario) -> None:
    for fila in cifras.cuadro(v, trimestre).dependencias:
        texto = f"Avance acumulado de {formato.porcentaje(fila.avance_acumulado)} ({fila.color.etiqueta.lower()})."
        if fila.incoherentes:
            texto += f" Revisar la coherencia presupuestal de {fila.incoherentes} actividad(es)."
        if fila.color is ColorSemaforo.ROJO:
            texto += " Se cita a mesa de trabajo para un plan de mejora."
        revision.guardar_diagnostico(v, trimestre, db.session.get(Dependencia, fila.clave), texto, oap)
    informe = revision.generar_informe(v, trimestre, oap)
    revision.remitir_informe(informe, jefe)


def cargar_verificaciones() -> None:
    """Control Interno verificó y publicó los cuatro trimestres de 2025 y firmó su evaluación por dependencia; de
    2026 publicó el T1 y el T2, y tiene el T3 registrado sin publicar."""
    if db.session.scalar(sa.select(VerificacionControlInterno.id).limit(1)) is not None:
        return
    jefa = usuario("control.interno@demo.gov.co")
    for anio, periodos, publicados in ((2025, ("T1", "T2", "T3", "T4"), 4), (2026, ("T1", "T2", "T3"), 2)):
        v = vigencia(anio)
        for numero, periodo in enumerate(periodos, start=1):
            cierre = ventanas.ventana_de(v.id, numero).cierra
            with el_dia(cierre + timedelta(days=20)):
                for fila in verificacion.cuadro(v, periodo):
                    reportado = fila.reportado or Decimal(0)
                    # Lo verificado sale algo por debajo donde faltaron soportes: lo que una OCI suele encontrar.
                    verificado = reportado if reportado >= 90 else max(Decimal(0), reportado - 5)
                    verificacion.registrar(v, periodo, db.session.get(Dependencia, fila.dependencia_id),
                                           verificacion.Entrada(
                                               formato.numero(verificado), "Muestra de evidencias del reporte, actas "
                                               "y listas de asistencia.", "" if verificado == reportado else
                                               "Faltan soportes de parte de lo reportado.", ""), jefa, fila.reportado)
                if numero <= publicados:
                    verificacion.publicar(v, periodo, jefa)
    with el_dia(date(2026, 1, 28)):
        verificacion.generar_evaluacion(vigencia(2025), jefa)
        verificacion.firmar_evaluacion(vigencia(2025), jefa, "Verificado con muestras de evidencias de cada "
                                       "trimestre; las diferencias se explican por soportes faltantes.")
    db.session.flush()


def cargar_demo(contrasena: str | None = None) -> list[Usuario]:
    sembrar()
    cargar_catalogos()
    cargar_planes_institucionales()
    usuarios = cargar_usuarios(contrasena or CONTRASENA_POR_DEFECTO)
    cargar_planes_estrategicos()
    cargar_planes_accion()
    cargar_seguimiento(contrasena or CONTRASENA_POR_DEFECTO)
    cargar_informes()
    cargar_verificaciones()
    cargar_ajustes()
    cargar_plan_compras()
    return usuarios


def cargar_plan_compras() -> None:
    """El enlace del Plan Anual de Adquisiciones 2026, para la publicación del art. 74 (se puede repetir)."""
    with el_dia(date(2026, 1, 20), 9):
        transparencia.guardar_plan_compras(vigencia(2026), usuario("oap@demo.gov.co"), PLAN_COMPRAS_2026, None)
    db.session.flush()


def _ajuste_pa(definicion: dict, hasta: str) -> SolicitudAjuste:
    """Una solicitud de ajuste del PA 2026 de una dependencia, llevada hasta el paso `hasta`."""
    d = definicion
    plan = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PA, vigencia_id=vigencia(2026).id,
                                                       dependencia_id=dependencia(d["dependencia"]).id, vigente=True))
    director, oap = director_de(d["dependencia"]), usuario("oap@demo.gov.co")
    with el_dia(date.fromisoformat(d["solicitado"])):
        solicitud = ajustes.solicitar(plan, director, d["causa"], d["cambio"])
        propuesta = {a.codigo: a for a in solicitud.plan_propuesto.actividades}
        for codigo, campos in d.get("cambios", {}).items():
            for campo, valor in campos.items():
                setattr(propuesta[codigo], campo, Decimal(valor) if isinstance(valor, int) else valor)
        for codigo, cantidad in d.get("sumar_t4", {}).items():
            propuesta[codigo].meta_t4 += cantidad
            propuesta[codigo].meta_anual += cantidad
        for codigo, cantidad in d.get("mover_t4_a_t3", {}).items():
            propuesta[codigo].meta_t4 -= cantidad
            propuesta[codigo].meta_t3 += cantidad
        if "nueva" in d:
            _actividad_nueva(solicitud.plan_propuesto, propuesta["A2"], d["nueva"])
        db.session.flush()
    with el_dia(date.fromisoformat(d["enviado"])):
        ajustes.enviar(solicitud, director)
    if hasta == "enviado":
        return solicitud
    if hasta == "devuelto":
        with el_dia(date.fromisoformat(d["devuelto"])):
            ajustes.devolver(solicitud, oap, d["devolucion"])
        return solicitud
    with el_dia(date.fromisoformat(d["revisado"])):
        ajustes.revisar(solicitud, oap, hasta != "no_pertinente", d["revision"])
    if hasta == "aprobado":
        with el_dia(date.fromisoformat(d["aprobado"])):
            _verificar(solicitud.plan_propuesto, oap)
            ajustes.aprobar(solicitud, oap, d["decision"])
    return solicitud


def _actividad_nueva(plan: Plan, modelo: Actividad, definicion: dict) -> None:
    """Una actividad que el ajuste agrega, con la alineación y la unidad de `modelo`; solo programa el T4."""
    d = definicion
    plan.actividades.append(Actividad(
        codigo=d["codigo"], descripcion=d["descripcion"], objetivo_id=modelo.objetivo_id, politica_id=modelo.politica_id,
        indicador=d["indicador"], formula=d["formula"], unidad_id=modelo.unidad_id, meta_anual=Decimal(d["meta_t4"]),
        meta_t1=Decimal(0), meta_t2=Decimal(0), meta_t3=Decimal(0), meta_t4=Decimal(d["meta_t4"]),
        peso=Decimal(d["peso"]), fecha_inicio=date.fromisoformat(d["inicio"]), fecha_fin=date.fromisoformat(d["fin"]),
        presupuesto=Decimal(0), responsable=d["responsable"]))


def _ajuste_pei(definicion: dict) -> SolicitudAjuste:
    """El Comité Institucional pide ajustar el PEI; la OAP prepara la propuesta y la encuentra pertinente."""
    d = definicion
    pei = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PEI, vigente=True))
    comite, oap = usuario("comite.institucional@demo.gov.co"), usuario("oap@demo.gov.co")
    with el_dia(date.fromisoformat(d["solicitado"])):
        solicitud = ajustes.solicitar(pei, comite, d["causa"], d["cambio"])
        indicador = solicitud.plan_propuesto.objetivos[0].indicadores[0]
        meta = next(m for m in indicador.metas if m.anio == 2026)
        meta.valor = (meta.valor * Decimal("1.05")).quantize(Decimal(1))
        db.session.flush()
    with el_dia(date.fromisoformat(d["enviado"])):
        ajustes.enviar(solicitud, comite)
    with el_dia(date.fromisoformat(d["revisado"])):
        ajustes.revisar(solicitud, oap, True, d["revision"])
    return solicitud


def cargar_ajustes() -> None:
    """Un ajuste aprobado del PA 2026 (publicado en la versión siguiente del PAI), uno por revisar, uno devuelto a
    preparación, uno no pertinente y uno del PEI que espera al Comité Institucional."""
    if db.session.scalar(sa.select(SolicitudAjuste.id).limit(1)) is not None:
        return
    _ajuste_pa(datos.AJUSTE_NO_PERTINENTE_PA, "no_pertinente")
    _ajuste_pei(datos.AJUSTE_PEI_EN_COMITE)
    # Aprobarlo publica la versión 2 del PAI 2026 con el ajuste (la OAP es la instancia competente).
    _ajuste_pa(datos.AJUSTE_APROBADO_PA, "aprobado")
    _ajuste_pa(datos.AJUSTE_POR_REVISAR_PA, "enviado")
    _ajuste_pa(datos.AJUSTE_DEVUELTO_PA, "devuelto")
    correo.descartar_pendientes()  # la demo registra los avisos; no envía correos
    db.session.flush()
