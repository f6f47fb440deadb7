"""Lo que cada rol tiene pendiente, para la página de inicio (DOMINIO §7): qué hacer ahora y para cuándo."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from gestion.base import formato
from gestion.planes import ajustes, listas_guardadas, plan_accion
from gestion.reglas import alcance, flujo, ventanas
from gestion.reglas import roles as R
from gestion.reglas.permisos import VER, puede, roles_de
from gestion.seguimiento import consultas
from modelos import (
    Actividad,
    Dependencia,
    EstadoPlan,
    EstadoReporte,
    EtapaCronograma,
    FaseCronograma,
    InformeSeguimiento,
    MetaTerritorial,
    Plan,
    ReporteTrimestral,
    Rol,
    TipoPlan,
    Usuario,
    VentanaReporte,
    Vigencia,
    db,
)

E = EstadoPlan
# Cada tarjeta del inicio muestra a lo sumo tantas filas (con su total y el enlace a la lista completa): con
# cientos de planes o reportes por revisar, la página sigue siendo un resumen.
LIMITE_TARJETA = 20


@dataclass
class Seccion:
    titulo: str
    vacio: str
    filas: list = field(default_factory=list)
    enlace: str | None = None  # la página de cada fila (endpoint que recibe `id`)
    total: int | None = None  # cuántas hay en todo (None: las filas son todas)
    lista: str | None = None  # la lista completa, cuando la tarjeta muestra solo las primeras

    @property
    def restantes(self) -> int:
        return 0 if self.total is None else max(self.total - len(self.filas), 0)


@dataclass
class ReportePendiente:
    """Un reporte trimestral que la dependencia aún debe enviar, con su plazo."""

    plan: Plan
    vigencia: Vigencia
    trimestre: int
    vence: date
    reporte: ReporteTrimestral | None  # None: aún no lo empieza
    dias: int  # negativos: vencido


@dataclass
class Tablero:
    fase_actual: EtapaCronograma | None
    proximas: list
    secciones: list
    vigencia: Vigencia | None = None
    dias_restantes: int | None = None
    vencidas: list[str] = field(default_factory=list)
    # director: su plan de la vigencia con la lista de chequeo
    mis_planes: list = field(default_factory=list)
    # Dirección Territorial: las metas trimestrales que le toca fijar
    metas_por_fijar: list = field(default_factory=list)
    # OAP: planes recibidos con su lista de chequeo (None: no le toca verificar; los primeros
    # LIMITE_TARJETA, de `bandeja_total`), y dependencias atrasadas (las primeras, de `atrasados_total`)
    bandeja: list | None = None
    bandeja_total: int = 0
    atrasados: list = field(default_factory=list)
    atrasados_total: int = 0
    # jefe OAP: la vigencia está lista para consolidar
    listo_para_consolidar: bool = False
    # OAP: el PAI consolida un plan que un ajuste reemplazó
    pai_desactualizado: Plan | None = None
    mostrar_cronograma: bool = False
    # director, DT, entidad: los reportes del trimestre por enviar
    reportes_pendientes: list[ReportePendiente] = field(default_factory=list)
    # administrador: cuentas que requieren atención
    cuentas: list[tuple[str, list]] = field(default_factory=list)


def _consulta_planes(usuario, *condiciones):
    return alcance.limitar(sa.select(Plan).where(Plan.vigente, *condiciones), Plan, usuario)


def _planes(usuario, *condiciones):
    """Los planes vigentes a la vista del usuario. Sin su dependencia ni su vigencia: las tarjetas nombran el plan
    (la vigencia del plan del director es la del ciclo, ya leída con el cronograma)."""
    return db.session.scalars(_consulta_planes(usuario, *condiciones).order_by(Plan.id)).all()


def _primeros(consulta, orden, *opciones) -> tuple[list, int]:
    """Las primeras LIMITE_TARJETA filas de `consulta` (un select de un modelo) y cuántas hay en todo, en una
    sentencia: se cortan antes de unirles lo que se muestra con ellas (`opciones`), y el total va como subconsulta
    sin correlación, que la base calcula una vez."""
    modelo = consulta.column_descriptions[0]["entity"]
    ids = consulta.with_only_columns(modelo.id)
    total = sa.select(sa.func.count()).select_from(ids.subquery()).scalar_subquery()
    primeros = ids.order_by(*orden).limit(LIMITE_TARJETA).subquery()
    filas = db.session.execute(sa.select(modelo, total.label("total")).join(primeros, primeros.c.id == modelo.id)
                               .order_by(*orden).options(*opciones)).all()
    return [fila[0] for fila in filas], (filas[0].total if filas else 0)


@dataclass
class Ciclo:
    """Los planes de acción vigentes de la vigencia a la vista del usuario, contados por estado en la base, y los
    primeros sin enviar con su dependencia: con el doble de un sector, el inicio no trae una fila por plan."""

    por_estado: dict  # EstadoPlan → cuántos
    usuario: object = None
    vigencia: Vigencia | None = None
    planes: list | None = None  # todos los del ciclo, si ya se leyeron (los pocos de la dependencia de un director)

    @property
    def total(self) -> int:
        return sum(self.por_estado.values())

    def cuantos(self, *estados) -> int:
        return sum(self.por_estado.get(e, 0) for e in estados)

    @cached_property
    def sin_enviar(self) -> list:
        """Los primeros LIMITE_TARJETA planes en formulación o devueltos, con su dependencia: se leen solo si la
        página los nombra (la OAP, o la formulación ya vencida) y hay alguno."""
        editables = flujo.estados_editables(Plan, TipoPlan.PA)
        if not self.cuantos(*editables):
            return []
        if self.planes is not None:
            return [p for p in self.planes if p.estado in editables][:LIMITE_TARJETA]
        return db.session.scalars(alcance.limitar(
            sa.select(Plan).join(Dependencia, Dependencia.id == Plan.dependencia_id)
            .where(*_del_ciclo(self.vigencia), Plan.estado.in_(editables))
            .order_by(Plan.id).limit(LIMITE_TARJETA).options(contains_eager(Plan.dependencia)), Plan, self.usuario)).all()


def _del_ciclo(vigencia: Vigencia) -> tuple:
    return Plan.vigente, Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia.id


def _ciclo(usuario, vigencia: Vigencia, planes: list | None = None) -> Ciclo:
    """El ciclo contado en la base o, si ya se leyeron sus planes (`planes`, por id), contado en ellos."""
    if planes is not None:
        return Ciclo(dict(Counter(p.estado for p in planes)), usuario, vigencia, planes)
    por_estado = dict(db.session.execute(alcance.limitar(
        sa.select(Plan.estado, sa.func.count(Plan.id)).where(*_del_ciclo(vigencia)).group_by(Plan.estado), Plan,
        usuario)).all())
    return Ciclo(por_estado, usuario, vigencia)


def observacion_libre(plan: Plan) -> str | None:
    """Lo que la OAP escribió al devolver, sin la lista de puntos de control que falló entonces: el estado de
    la lista de chequeo sale siempre de la guardada, al día (`listas_guardadas`), no de un texto viejo."""
    texto = plan.observaciones_por_atender
    if not texto:
        return texto
    return texto.split(f"\n\n{plan_accion.ENCABEZADO_FALLAS}")[0].strip() or None


def _etapas() -> list[EtapaCronograma]:
    """Todas las etapas del cronograma con su vigencia, por fecha de inicio, en una sentencia: la fase en curso,
    las próximas, la vigencia del ciclo y sus plazos salen de ellas (unas pocas por vigencia)."""
    return db.session.scalars(sa.select(EtapaCronograma).options(joinedload(EtapaCronograma.vigencia))
                              .order_by(EtapaCronograma.inicio, EtapaCronograma.id)).all()


def vigencia_del_ciclo(etapas: list[EtapaCronograma], hoy: date) -> Vigencia | None:
    """La vigencia cuyo ciclo de formulación está en curso o fue el último en empezar."""
    return next((e.vigencia for e in reversed(etapas) if e.inicio <= hoy), None)


def _vencimientos(usuario, vigencia: Vigencia, etapas: list[EtapaCronograma], hoy: date, ciclo: Ciclo) -> list[str]:
    """Lo que el cronograma ya debía tener hecho y sigue pendiente."""
    etapas = {e.fase: e for e in etapas if e.vigencia_id == vigencia.id}
    vencidas = []

    def vencio(fase):
        etapa = etapas.get(fase)
        return etapa if etapa is not None and etapa.fin < hoy else None

    sin_enviar = ciclo.cuantos(*flujo.estados_editables(Plan, TipoPlan.PA))
    etapa = vencio(FaseCronograma.FORMULACION)
    if etapa and sin_enviar:
        nombres = ", ".join(p.dependencia.nombre for p in ciclo.sin_enviar)
        if sin_enviar > len(ciclo.sin_enviar):
            nombres += f" y {sin_enviar - len(ciclo.sin_enviar)} más"
        vencidas.append(f"{etapa.fase.etiqueta} venció el {etapa.fin:%d/%m/%Y}: {sin_enviar} plan(es) sin "
                        f"enviar ({nombres}).")
    sin_aprobar = ciclo.cuantos(E.ENVIADO)
    etapa = vencio(FaseCronograma.APROBACION)
    if etapa and sin_aprobar:
        vencidas.append(f"{etapa.fase.etiqueta} venció el {etapa.fin:%d/%m/%Y}: {sin_aprobar} plan(es) "
                        "recibidos sin aprobar.")
    if roles_de(usuario) & (R.PLANEACION | R.COMITES | {R.CONTROL_INTERNO}):
        estado_pai = db.session.scalar(sa.select(Plan.estado).where(Plan.tipo == TipoPlan.PAI,
                                                                    Plan.vigencia_id == vigencia.id)
                                       .order_by(Plan.numero_version.desc()).limit(1))
        for fase, hechos, que in (
                (FaseCronograma.CONSOLIDACION, (E.CONSOLIDADO, E.PRESENTADO, E.PUBLICADO), "consolidado"),
                (FaseCronograma.COMITE, (E.PRESENTADO, E.PUBLICADO), "presentado al comité"),
                (FaseCronograma.PUBLICACION, (E.PUBLICADO,), "publicado")):
            etapa = vencio(fase)
            if etapa and estado_pai not in hechos:
                vencidas.append(f"{etapa.fase.etiqueta} venció el {etapa.fin:%d/%m/%Y}: el Plan de Acción "
                                f"Institucional {vigencia.anio} no está {que}.")
                break
    return vencidas


def _reportes_pendientes(usuario, hoy: date) -> list[ReportePendiente]:
    """Por cada ventana abierta para la dependencia, lo que le falta enviar y hasta cuándo."""
    dependencia_id = usuario.dependencia_id
    if dependencia_id is None:
        return []
    # Con sus reaperturas en la misma sentencia: el plazo de cada una las mira.
    abiertas = db.session.scalars(sa.select(VentanaReporte).where(ventanas.abiertas(hoy, dependencia_id))
                                  .order_by(VentanaReporte.cierra)
                                  .options(joinedload(VentanaReporte.reaperturas))).unique().all()
    pendientes = []
    for ventana in abiertas:
        vence = ventanas.cierre_para(ventana, hoy, dependencia_id)
        planes = consultas.planes_a_reportar(dependencia_id, ventana.vigencia)
        reportes = consultas.reportes_de(planes, dependencia_id, ventana.vigencia_id, ventana.trimestre)
        for plan in planes:
            reporte = reportes.get(plan.id)
            if reporte is None or reporte.estado in (EstadoReporte.EN_REPORTE, EstadoReporte.DEVUELTO):
                pendientes.append(ReportePendiente(plan, ventana.vigencia, ventana.trimestre, vence, reporte,
                                                   (vence - hoy).days))
    return pendientes


def _indicacion(plan: Plan, fase: EtapaCronograma | None) -> str:
    """Qué le toca al director con su plan ahora, en una frase."""
    if plan.estado is E.DEVUELTO:
        return "La OAP lo devolvió: atienda las observaciones y vuelva a enviarlo."
    if plan.estado is E.BORRADOR:
        plazo = f" Plazo: {fase.fin:%d/%m/%Y}." if fase and fase.fase is FaseCronograma.FORMULACION else ""
        return "Formúlelo y envíelo a la OAP." + plazo
    if plan.estado is E.ENVIADO:
        return f"En verificación por la OAP desde el {formato.fecha(plan.enviado_en)}."
    return ""


def _cuentas_por_revisar() -> list[tuple[str, list]]:
    """Para el administrador: cuentas que no pueden trabajar bien o que conviene revisar."""
    limitadas = sa.select(Usuario).where(Usuario.active, Usuario.dependencia_id.is_(None),
                                         Usuario.roles.any(Rol.name.in_(R.CON_DEPENDENCIA)))
    sin_rol = sa.select(Usuario).where(Usuario.active, ~Usuario.roles.any())
    inactivas = sa.select(Usuario).where(~Usuario.active)
    return [
        ("Con rol de dependencia pero sin dependencia asignada: no ven nada", db.session.scalars(limitadas).all()),
        ("Activas sin ningún rol", db.session.scalars(sin_rol).all()),
        ("Desactivadas", db.session.scalars(inactivas.order_by(Usuario.email)).all()),
    ]


def tablero(usuario, hoy: date | None = None) -> Tablero:
    hoy = hoy or formato.hoy()
    roles = roles_de(usuario)
    etapas = _etapas()
    fase = next((e for e in etapas if e.inicio <= hoy <= e.fin), None)
    vigencia = fase.vigencia if fase else vigencia_del_ciclo(etapas, hoy)
    resultado = Tablero(fase, [e for e in etapas if e.inicio > hoy][:3], [], vigencia=vigencia,
                        dias_restantes=(fase.fin - hoy).days if fase else None,
                        mostrar_cronograma=puede(usuario, VER, "cronograma"))
    # Los planes de acción de la dependencia del director, una vez: sus dos tarjetas y el ciclo salen de ellos.
    planes_de_accion = _planes(usuario, Plan.tipo == TipoPlan.PA) if R.DIRECTOR in roles else None
    del_ciclo = None if planes_de_accion is None or not vigencia else [
        p for p in planes_de_accion if p.vigencia_id == vigencia.id]
    ciclo = _ciclo(usuario, vigencia, del_ciclo) if vigencia else Ciclo({})
    if vigencia and resultado.mostrar_cronograma:
        resultado.vencidas = _vencimientos(usuario, vigencia, etapas, hoy, ciclo)
    if R.ADMINISTRADOR in roles:
        resultado.cuentas = _cuentas_por_revisar()

    secciones = resultado.secciones
    if R.DIRECTOR in roles:
        if ciclo.total:
            mios = ciclo.planes
            listas = listas_guardadas.de_los_planes(mios)
            resultado.mis_planes = [(p, listas[p.id], _indicacion(p, fase), observacion_libre(p)) for p in mios]
    if R.TERRITORIAL in roles and vigencia and usuario.dependencia_id:
        # Cada meta con su actividad, el plan y la dependencia que la define en la misma sentencia (la tarjeta los
        # nombra); sin los planes institucionales de la actividad, que la tarjeta no muestra.
        resultado.metas_por_fijar = db.session.scalars(
            sa.select(MetaTerritorial).join(MetaTerritorial.actividad).join(Actividad.plan).where(
                MetaTerritorial.dependencia_id == usuario.dependencia_id, Plan.vigencia_id == vigencia.id,
                Plan.vigente, Plan.estado.in_(flujo.estados_editables(Plan, TipoPlan.PA)))
            .order_by(Actividad.codigo)
            .options(contains_eager(MetaTerritorial.actividad).contains_eager(Actividad.plan)
                     .joinedload(Plan.dependencia),
                     contains_eager(MetaTerritorial.actividad).lazyload(Actividad.planes_institucionales))).all()
    if roles & R.CON_DEPENDENCIA:
        resultado.reportes_pendientes = _reportes_pendientes(usuario, hoy)
    if R.DIRECTOR in roles:
        secciones.append(Seccion("Planes de acción de su dependencia", "Su dependencia no tiene planes de acción.",
                                 planes_de_accion))
    if roles & R.PLANEACION:
        # Los primeros recibidos (los que más esperan), con su lista de chequeo guardada.
        recibidos, resultado.bandeja_total = _primeros(
            _consulta_planes(usuario, Plan.tipo == TipoPlan.PA, Plan.estado == E.ENVIADO), (Plan.enviado_en, Plan.id))
        listas = listas_guardadas.de_los_planes(recibidos)
        resultado.bandeja = [(p, listas[p.id]) for p in recibidos]
        resultado.atrasados = ciclo.sin_enviar
        resultado.atrasados_total = ciclo.cuantos(*flujo.estados_editables(Plan, TipoPlan.PA))
        por_revisar, total = _primeros(
            sa.select(ReporteTrimestral).where(ReporteTrimestral.estado == EstadoReporte.REPORTADO),
            (ReporteTrimestral.enviado_en, ReporteTrimestral.id), joinedload(ReporteTrimestral.plan),
            joinedload(ReporteTrimestral.dependencia), joinedload(ReporteTrimestral.vigencia))
        secciones.append(Seccion("Reportes trimestrales por revisar", "No hay reportes por revisar.", por_revisar,
                                 "reportetrimestral.ficha", total=total, lista="reportetrimestral.index_view"))
        if vigencia:
            resultado.pai_desactualizado = ajustes.pai_desactualizado(vigencia.id)
    por_ajuste = ajustes.pendientes(usuario)
    for clave, titulo, vacio in (("por_revisar", "Ajustes por revisar (actividad 23)", "No hay ajustes por revisar."),
                                 ("por_aprobar", "Ajustes por aprobar (actividad 24)", "No hay ajustes por aprobar."),
                                 ("en_curso", "Sus solicitudes de ajuste en curso", "No tiene ajustes en curso.")):
        if clave in por_ajuste:
            secciones.append(Seccion(titulo, vacio, por_ajuste[clave], "solicitudajuste.ficha"))
    if R.JEFE_OAP in roles:
        resultado.listo_para_consolidar = bool(ciclo.total) and ciclo.cuantos(E.APROBADO) == ciclo.total \
            and not db.session.scalar(_consulta_planes(usuario, Plan.tipo == TipoPlan.PAI,
                                                       Plan.vigencia_id == vigencia.id).exists().select())
        secciones.append(Seccion("Listos para presentar o publicar", "Nada listo para presentar o publicar.",
                                 _planes(usuario, Plan.estado.in_([E.APROBADO, E.CONSOLIDADO, E.PRESENTADO]),
                                         Plan.tipo != TipoPlan.PA)))
    if roles & R.COMITES:
        secciones.append(Seccion("Planes en concertación", "No hay planes esperando su decisión.",
                                 _planes(usuario, Plan.estado == E.EN_CONCERTACION)))
    if R.COMITE_INSTITUCIONAL in roles:
        secciones.append(Seccion("Plan de Acción Institucional por presentar al comité",
                                 "No hay un Plan de Acción Institucional esperando la sesión del comité.",
                                 _planes(usuario, Plan.tipo == TipoPlan.PAI, Plan.estado == E.CONSOLIDADO)))
    if R.CONTROL_INTERNO in roles:
        secciones.append(Seccion(
            "Informes de seguimiento recibidos (actividad 18)", "Aún no ha recibido informes de seguimiento.",
            db.session.scalars(sa.select(InformeSeguimiento).where(InformeSeguimiento.remitido_en.is_not(None))
                               .order_by(InformeSeguimiento.remitido_en.desc())
                               .options(joinedload(InformeSeguimiento.vigencia))).all(), "informeseguimiento.ficha"))
        # Los más recientes y cuántos hay: con dos sectores son miles (la lista de planes los trae todos).
        recientes, total = _primeros(_consulta_planes(usuario), (Plan.id.desc(),))
        secciones.append(Seccion("Planes vigentes", "No hay planes.", recientes, None, total=total,
                                 lista="planes_accion.index_view"))
    return resultado
