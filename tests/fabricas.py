"""Fábricas que arman el mundo de cada prueba como lo haría el procedimiento: catálogos de la OAP,
un PEI publicado y planes de acción por dependencia, llevados de estado por `gestion.reglas.flujo`."""
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_security import hash_password

from gestion.base import correo, formato
from gestion.base.extensiones import datastore
from gestion.planes import estrategicos, plan_accion
from gestion.reglas import controles_plan_accion, ventanas
from gestion.reglas import roles as R
from gestion.seguimiento import reportes, revision
from gestion.semilla import sembrar
from modelos import (
    Actividad,
    Cuatrienio,
    Dependencia,
    EstadoPlan,
    EstadoReporte,
    Indicador,
    Instancia,
    MetaIndicador,
    MetaTerritorial,
    Objetivo,
    Plan,
    PndLinea,
    PndObjetivo,
    PndPacto,
    PoliticaMipg,
    PresupuestoProyecto,
    ProyectoInversion,
    TipoDependencia,
    TipoInstancia,
    TipoPlan,
    UnidadMedida,
    VentanaReporte,
    Vigencia,
    db,
)

CONTRASENA = "clave-de-prueba"


def datos_de_actividad(m, plan, codigo, peso, **otros) -> dict:
    """El formulario de alta de una actividad del plan, como lo llena un director (`otros` cambia campos)."""
    datos = {"plan": plan.id, "codigo": codigo, "descripcion": f"Visitas de inspección {codigo}",
             "objetivo": m.objetivo_pei.id, "politica": m.mipg.id, "indicador": "Visitas realizadas",
             "formula": "Número de visitas", "unidad": m.unidad.id, "meta_anual": "40", "meta_t1": "10",
             "meta_t2": "10", "meta_t3": "10", "meta_t4": "10", "peso": str(peso), "fecha_inicio": "2026-02-01",
             "fecha_fin": "2026-12-15", "presupuesto": "1000000", "responsable": "Grupo de inspección"}
    return datos | otros


@dataclass
class Mundo:
    cuatrienio: Cuatrienio
    vigencia: Vigencia
    pnd: PndObjetivo
    mipg: PoliticaMipg
    unidad: UnidadMedida
    pes: Plan
    pei: Plan
    objetivo_pei: Objetivo
    central: Dependencia
    central2: Dependencia
    territorial: Dependencia
    territorial2: Dependencia
    entidad: Dependencia
    oap: Dependencia


class Fabrica:
    def __init__(self):
        sembrar()
        self._mundo: Mundo | None = None
        self._usuarios: dict = {}

    # --- catálogos ----------------------------------------------------------------------------
    def dependencia(self, codigo: str, nombre: str | None = None, tipo=TipoDependencia.CENTRAL, padre=None):
        dep = Dependencia(codigo=codigo, nombre=nombre or f"Dependencia {codigo}", tipo=tipo, padre=padre)
        db.session.add(dep)
        db.session.flush()
        return dep

    def usuario(self, rol: str, dependencia=None, email: str | None = None, activo: bool = True):
        usuario = datastore.create_user(
            email=email or f"{rol}.{uuid.uuid4().hex[:6]}@prueba.gov.co", nombre=f"Usuario {rol}",
            password=hash_password(CONTRASENA), active=activo, fs_uniquifier=uuid.uuid4().hex,
            roles=[datastore.find_role(rol)], dependencia=dependencia)
        db.session.commit()
        return usuario

    @property
    def mundo(self) -> Mundo:
        if self._mundo is None:
            self._mundo = self._crear_mundo()
        return self._mundo

    def _crear_mundo(self) -> Mundo:
        cuatrienio = Cuatrienio(anio_inicio=2023, anio_fin=2026)
        vigencia = Vigencia(anio=2026, cuatrienio=cuatrienio)
        pacto = PndPacto(codigo="T2", nombre="Seguridad humana y justicia social", cuatrienio=cuatrienio)
        linea = PndLinea(codigo="T2.L1", nombre="Trabajo digno y decente", pacto=pacto)
        pnd = PndObjetivo(codigo="T2.L1.O1", nombre="Aumentar la formalidad laboral", linea=linea)
        mipg = PoliticaMipg(codigo="P01", nombre="Planeación Institucional",
                            dimension="Direccionamiento Estratégico y Planeación")
        unidad = UnidadMedida(codigo="NUM", nombre="Número")
        for tipo, nombre in ((TipoInstancia.SECTORIAL, "Comité Sectorial"), (TipoInstancia.DIRECTIVO, "Comité Directivo"),
                             (TipoInstancia.INSTITUCIONAL, "Comité Institucional")):
            db.session.add(Instancia(codigo=tipo.value[:6].upper(), nombre=nombre, tipo=tipo))
        db.session.add_all([vigencia, pnd, mipg, unidad])
        oap = self.dependencia("1100", "Oficina Asesora de Planeación")
        central = self.dependencia("3200", "Dirección de Inspección, Vigilancia, Control y Gestión Territorial")
        central2 = self.dependencia("2200", "Dirección de Generación y Protección del Empleo")
        territorial = self.dependencia("DT05", "Dirección Territorial de Antioquia", TipoDependencia.TERRITORIAL, central)
        territorial2 = self.dependencia("DT76", "Dirección Territorial del Valle", TipoDependencia.TERRITORIAL, central)
        entidad = self.dependencia("E04", "Unidad del Servicio Público de Empleo", TipoDependencia.ENTIDAD)

        pes = self.plan_estrategico(TipoPlan.PES, cuatrienio, pnd, mipg, unidad, entidad)
        pei = self.plan_estrategico(TipoPlan.PEI, cuatrienio, pnd, mipg, unidad, central,
                                    objetivos_pes=pes.objetivos)
        db.session.commit()
        return Mundo(cuatrienio, vigencia, pnd, mipg, unidad, pes, pei, pei.objetivos[0], central, central2,
                     territorial, territorial2, entidad, oap)

    def plan_estrategico(self, tipo, cuatrienio, pnd, mipg, unidad, responsable, objetivos_pes=()):
        prefijo = "OS" if tipo is TipoPlan.PES else "OI"
        plan = Plan(tipo=tipo, nombre=f"{tipo.etiqueta} 2023-2026", cuatrienio=cuatrienio)
        objetivo = Objetivo(codigo=f"{prefijo}1", nombre="Aumentar la formalización laboral",
                            objetivos_pnd=[pnd], politicas_mipg=[mipg], objetivos_pes=list(objetivos_pes))
        objetivo.indicadores.append(Indicador(
            codigo=f"{prefijo}1-I1", nombre="Personas formalizadas", formula="Suma de personas formalizadas",
            unidad=unidad, linea_base=Decimal(100), periodicidad="trimestral", tendencia="creciente",
            responsable=responsable, sinergia=tipo is TipoPlan.PES,
            codigo_sinergia="SIN-1" if tipo is TipoPlan.PES else None, tipo_acumulacion="flujo",
            metas=[MetaIndicador(anio=a, valor=Decimal(100 + 10 * i)) for i, a in enumerate(cuatrienio.anios)]))
        plan.objetivos.append(objetivo)
        db.session.add(plan)
        db.session.flush()
        return plan

    def plan_estrategico_en_blanco(self, tipo, anio_inicio: int) -> Plan:
        """Un PES o PEI en borrador, sin objetivos, para el cuatrienio que empieza en `anio_inicio`: la OAP va a
        traer su estructura de las fichas técnicas de la oficina."""
        cuatrienio = db.session.scalar(sa.select(Cuatrienio).filter_by(anio_inicio=anio_inicio)) or Cuatrienio(
            anio_inicio=anio_inicio, anio_fin=anio_inicio + 3)
        plan = Plan(tipo=tipo, nombre=f"{tipo.etiqueta} {anio_inicio}-{anio_inicio + 3}", cuatrienio=cuatrienio)
        db.session.add(plan)
        db.session.commit()
        return plan

    # --- usuarios -----------------------------------------------------------------------------
    def usuarios_por_rol(self) -> dict:
        m = self.mundo
        dependencias = {R.DIRECTOR: m.central, R.TERRITORIAL: m.territorial, R.ENTIDAD: m.entidad,
                        R.OAP: m.oap, R.JEFE_OAP: m.oap}
        usuarios = {rol: self.usuario(rol, dependencias.get(rol), email=f"{rol}@prueba.gov.co")
                    for rol in R.DESCRIPCIONES}
        usuarios["director2"] = self.usuario(R.DIRECTOR, m.central2, email="director2@prueba.gov.co")
        usuarios["territorial2"] = self.usuario(R.TERRITORIAL, m.territorial2, email="territorial2@prueba.gov.co")
        self._usuarios = usuarios
        return usuarios

    def _usuario_con_rol(self, rol, dependencia=None):
        for usuario in self._usuarios.values():
            if rol in usuario.nombres_roles and (dependencia is None or usuario.dependencia_id == dependencia.id):
                return usuario
        return self.usuario(rol, dependencia)

    # --- planes -------------------------------------------------------------------------------
    def publicar_estrategicos(self) -> None:
        m = self.mundo
        for plan in (m.pes, m.pei):
            self.llevar_estrategico_a(plan, EstadoPlan.PUBLICADO)
        db.session.commit()

    def publicar_pai(self, acta: str = "01-2026") -> Plan:
        """Los planes aprobados de la vigencia consolidados (OAP), presentados al comité con su acta y
        publicados (Jefe OAP), por los servicios."""
        jefe = self._usuario_con_rol(R.JEFE_OAP)
        pai = plan_accion.consolidar(self.mundo.vigencia, self._usuario_con_rol(R.OAP))
        plan_accion.presentar(pai, jefe, date(2026, 1, 24), acta, None)
        plan_accion.publicar(pai, jefe)
        db.session.commit()
        return pai

    def llevar_estrategico_a(self, plan: Plan, estado: EstadoPlan) -> None:
        """Por los servicios, como cada rol: concertación (OAP), aprobación con acta (comité), publicación."""
        if estado is EstadoPlan.BORRADOR:
            return
        estrategicos.enviar_a_concertacion(plan, self._usuario_con_rol(R.OAP))
        if estado is EstadoPlan.EN_CONCERTACION:
            return
        comite = R.COMITE_SECTORIAL if plan.tipo is TipoPlan.PES else R.COMITE_DIRECTIVO
        estrategicos.aprobar(plan, self._usuario_con_rol(comite), f"{plan.tipo.value.upper()}-{plan.id}",
                             date(2023, 2, 1), "Se aprueba el plan.")
        if estado is EstadoPlan.APROBADO:
            return
        estrategicos.publicar(plan, self._usuario_con_rol(R.JEFE_OAP))

    def plan_accion(self, dependencia=None, estado: EstadoPlan = EstadoPlan.BORRADOR, actividades: int = 2,
                    proyecto: ProyectoInversion | None = None) -> Plan:
        """Plan de acción que cumple la metodología: pesos suman 100, trimestres suman la meta anual."""
        m = self.mundo
        dependencia = dependencia or m.central
        plan = Plan(tipo=TipoPlan.PA, nombre=f"Plan de Acción 2026 – {dependencia.nombre}", vigencia=m.vigencia,
                    dependencia=dependencia)
        db.session.add(plan)
        self.formular(plan, actividades, proyecto)
        self.llevar_a(plan, estado)
        db.session.commit()
        return plan

    def formular(self, plan: Plan, actividades: int = 2, proyecto: ProyectoInversion | None = None) -> Plan:
        """Lo que el director carga (actividad 10): actividades que cumplen la lista de chequeo."""
        m = self.mundo
        if not actividades:  # el plan recién solicitado, aún sin actividades
            return plan
        pesos = [Decimal(100) // actividades] * actividades
        pesos[-1] += Decimal(100) - sum(pesos)
        for i, peso in enumerate(pesos, start=1):
            plan.actividades.append(Actividad(
                codigo=f"A{i}", descripcion=f"Actividad {i} de {plan.dependencia.codigo}", objetivo=m.objetivo_pei,
                politica=m.mipg, indicador="Visitas realizadas", formula="Número de visitas", unidad=m.unidad,
                meta_anual=Decimal(40), meta_t1=Decimal(10), meta_t2=Decimal(10), meta_t3=Decimal(10),
                meta_t4=Decimal(10), peso=peso, fecha_inicio=date(2026, 2, 1), fecha_fin=date(2026, 12, 15),
                presupuesto=Decimal(1_000_000), proyecto=proyecto, responsable="Grupo de prueba"))
        db.session.flush()
        return plan

    def llevar_a(self, plan: Plan, estado: EstadoPlan) -> None:
        if estado is EstadoPlan.BORRADOR:
            return
        plan_accion.enviar(plan, self._usuario_con_rol(R.DIRECTOR, plan.dependencia))
        oap = self._usuario_con_rol(R.OAP)
        if estado is EstadoPlan.DEVUELTO:
            plan_accion.devolver(plan, oap, "Ajuste las metas.")
        elif estado is EstadoPlan.APROBADO:
            self.verificar(plan, oap)
            plan_accion.aprobar(plan, oap)
        correo.descartar_pendientes()

    def verificar(self, plan: Plan, oap=None, cumple: bool = True) -> None:
        """La OAP marca los tres puntos de juicio de la actividad 12."""
        plan_accion.verificar_todos(plan, oap or self._usuario_con_rol(R.OAP), {
            item: (cumple, None if cumple else "No cubre lo que la dependencia debe cumplir.")
            for item in controles_plan_accion.ITEMS_JUICIO})

    def actividad_territorial(self, plan: Plan, metas: dict) -> Actividad:
        """Actividad de una dependencia central que ejecutan las DT: metas = {dt: (t1, t2, t3, t4)}."""
        actividad = plan.actividades[0]
        actividad.territorial = True
        for dt, (t1, t2, t3, t4) in metas.items():
            actividad.metas_territoriales.append(MetaTerritorial(
                dependencia=dt, meta_t1=Decimal(t1), meta_t2=Decimal(t2), meta_t3=Decimal(t3), meta_t4=Decimal(t4)))
        db.session.commit()
        return actividad

    def proyecto(self, dependencia, valor=Decimal(5_000_000)) -> ProyectoInversion:
        proyecto = ProyectoInversion(bpin=f"2023{uuid.uuid4().int % 10**9:09d}", nombre="Proyecto de prueba",
                                     dependencia=dependencia)
        proyecto.presupuestos.append(PresupuestoProyecto(vigencia=self.mundo.vigencia, valor=valor))
        db.session.add(proyecto)
        db.session.commit()
        return proyecto

    # --- seguimiento --------------------------------------------------------------------------
    def ventana(self, trimestre: int, abierta: bool = True, vigencia=None) -> VentanaReporte:
        """La ventana del trimestre con fechas alrededor de hoy (Bogotá), como la programaría la OAP: abierta
        (abrió hace 10 días y cierra en 5) o cerrada (cerró ayer)."""
        vigencia = vigencia or self.mundo.vigencia
        hoy = formato.hoy()
        abre, cierra = ((hoy - timedelta(days=10), hoy + timedelta(days=5)) if abierta
                        else (hoy - timedelta(days=20), hoy - timedelta(days=1)))
        ventana = ventanas.ventana_de(vigencia.id, trimestre)
        if ventana is None:
            ventana = VentanaReporte(vigencia=vigencia, trimestre=trimestre, abre=abre, cierra=cierra)
            db.session.add(ventana)
        ventana.abre, ventana.cierra = abre, cierra
        db.session.commit()
        return ventana

    def reportante(self, dependencia):
        rol = {TipoDependencia.CENTRAL: R.DIRECTOR, TipoDependencia.TERRITORIAL: R.TERRITORIAL,
               TipoDependencia.ENTIDAD: R.ENTIDAD}[dependencia.tipo]
        return self._usuario_con_rol(rol, dependencia)

    def reporte(self, plan: Plan, trimestre: int, valores: dict, dependencia=None,
                estado: EstadoReporte = EstadoReporte.REPORTADO, comprometido: dict | None = None, vigencia=None):
        """Reporte por los servicios, como lo haría el dueño: valores = {código: valor logrado}.

        Lo que quede por debajo de la meta lleva una justificación; la ventana se abre si hace falta."""
        dependencia = dependencia or plan.dependencia
        vigencia = vigencia or self.mundo.vigencia
        usuario = self.reportante(dependencia)
        self.ventana(trimestre, vigencia=vigencia)
        reporte = reportes.abrir_reporte(plan, vigencia, trimestre, usuario)
        for avance in reporte.avances:
            codigo = (avance.actividad or avance.indicador).codigo
            reportes.registrar_avance(avance, usuario, valor=valores.get(codigo, 0),
                                         justificacion=f"Justificación de {codigo}.",
                                         comprometido=(comprometido or {}).get(codigo, 0))
        if estado is not EstadoReporte.EN_REPORTE:
            reportes.enviar_reporte(reporte, usuario)
        oap = self._usuario_con_rol(R.OAP)
        if estado is EstadoReporte.ACEPTADO:
            revision.aceptar_reporte(reporte, oap)
        elif estado is EstadoReporte.DEVUELTO:
            revision.devolver_reporte(reporte, oap, "Revise las cifras.")
        db.session.commit()
        return reporte
