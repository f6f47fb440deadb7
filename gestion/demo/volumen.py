"""Datos de volumen con la forma de un ministerio o de un sector entero (issue 11), para medir las páginas.

`flask --app wsgi gestion volumen --escala ministerio|sector` deja, sobre los catálogos, usuarios, PES y
PEI de la demostración: dependencias con plan de acción (centrales y, en el sector, entidades) y
Direcciones Territoriales; cuatro vigencias (2023–2025 aprobadas, consolidadas y publicadas en su PAI;
2026 con estados mezclados: borrador, enviado, devuelto, aprobado); actividades con pesos que suman
100 %, metas trimestrales que suman la anual y desglose por DT que suma cada trimestre; los
puntos de juicio marcados; cuatro trimestres de seguimiento (el tercero de 2026 en curso, con reportes
en cada estado); diagnósticos, informes, historial y registro de auditoría; un usuario por dependencia.

Todo va por inserciones masivas de Core (lotes de `executemany`) con ids asignados aquí: el ORM y su
auditoría por fila harían del sector una hora de trabajo. Las listas de chequeo de los planes aprobados
pasan (los datos son válidos para las páginas y las cifras).
"""
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa
from flask_security import hash_password

from gestion.base import formato
from gestion.planes import listas_guardadas, versiones
from gestion.reglas import roles as R
from gestion.reglas.controles_plan_accion import ITEMS_JUICIO
from modelos import (
    Actividad,
    Avance,
    Compromiso,
    Dependencia,
    DiagnosticoTrimestral,
    EstadoPlan,
    EstadoReporte,
    HistorialEstado,
    InformeSeguimiento,
    MetaTerritorial,
    Objetivo,
    Plan,
    PoliticaMipg,
    RegistroAuditoria,
    ReporteTrimestral,
    Rol,
    TipoCompromiso,
    TipoDependencia,
    TipoPlan,
    UnidadMedida,
    Usuario,
    VentanaReporte,
    VerificacionPlan,
    Vigencia,
    db,
)
from modelos.planes import consolidacion_pai, objetivo_pes, objetivo_pnd
from modelos.usuarios import roles_usuarios


@dataclass(frozen=True)
class Escala:
    dependencias: int  # con plan de acción en cada vigencia
    territoriales: int  # Direcciones Territoriales: metas desglosadas y su parte del seguimiento
    actividades: int  # por plan
    auditoria_por_avance: float  # filas del registro de auditoría por cada fila de seguimiento
    entidades: bool = False  # una de cada tres dependencias con plan es una entidad adscrita (el sector)


# Las cifras de la issue 11: ministerio 139 planes, 12k actividades, 45k filas de seguimiento; sector 1.363
# planes, 120k actividades, 460k de seguimiento y ~1,1 millones de filas de auditoría (~680 dependencias).
# «doble»: dos sectores, para ver qué páginas crecen con el número de dependencias (issue 23).
ESCALAS = {
    "ministerio": Escala(dependencias=35, territoriales=33, actividades=86, auditoria_por_avance=2.4),
    "sector": Escala(dependencias=341, territoriales=339, actividades=88, auditoria_por_avance=2.4,
                     entidades=True),
    "doble": Escala(dependencias=682, territoriales=678, actividades=88, auditoria_por_avance=2.4, entidades=True),
}
VIGENCIAS = (2023, 2024, 2025, 2026)
ACTUAL = 2026
TRIMESTRES = {2023: (1, 2, 3, 4), 2024: (1, 2, 3, 4), 2025: (1, 2, 3, 4), 2026: (1, 2, 3)}
EN_CURSO = (2026, 3)  # el trimestre con la ventana abierta y reportes en todos los estados
TERRITORIALES_POR_PLAN = 2  # actividades con desglose por DT en cada plan
DT_POR_ACTIVIDAD = 4
LOTE = 5000
FACTORES = tuple(Decimal(x) / 100 for x in (70, 82, 92, 100, 105, 112))
UTC = timezone.utc


class VolumenInvalido(Exception):
    pass


def _momento(dia: date, hora: int = 15) -> datetime:
    return datetime(dia.year, dia.month, dia.day, hora, tzinfo=UTC)


class _Lotes:
    """Filas por tabla, escritas con executemany cada LOTE filas; ids asignados aquí (uno más que el máximo)."""

    def __init__(self):
        self.filas: dict[sa.Table, list[dict]] = {}
        self.ids: dict[sa.Table, int] = {}
        self.cuentas: dict[str, int] = {}

    def nuevo_id(self, tabla: sa.Table) -> int:
        if tabla not in self.ids:
            self.ids[tabla] = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(tabla.c.id), 0)))
        self.ids[tabla] += 1
        return self.ids[tabla]

    def agregar(self, tabla_: sa.Table, /, **fila) -> int | None:
        tabla = tabla_
        if "id" in tabla.c and "id" not in fila:
            fila["id"] = self.nuevo_id(tabla)
        if "version" in tabla.c:
            fila.setdefault("version", 1)
        filas = self.filas.setdefault(tabla, [])
        filas.append(fila)
        if len(filas) >= LOTE:
            self.vaciar()  # todas, en orden: las filas del lote pueden apuntar a otras aún sin escribir
        return fila.get("id")

    def _escribir(self, tabla: sa.Table) -> None:
        filas = self.filas.get(tabla)
        if filas:
            # executemany pide las mismas claves en cada fila (un PAI no tiene dependencia ni aprobador).
            claves = set().union(*filas)
            for fila in filas:
                for clave in claves - fila.keys():
                    fila[clave] = None
            db.session.connection().execute(tabla.insert(), filas)
            self.cuentas[tabla.name] = self.cuentas.get(tabla.name, 0) + len(filas)
            self.filas[tabla] = []

    def vaciar(self) -> None:
        # En orden de dependencias de llaves foráneas (PostgreSQL las verifica al insertar).
        for tabla in db.metadata.sorted_tables:
            self._escribir(tabla)


def _base(contrasena: str) -> None:
    from gestion.demo import cargador

    cargador.sembrar()
    cargador.cargar_catalogos()
    cargador.cargar_usuarios(contrasena)
    cargador.cargar_planes_estrategicos()
    for anio in VIGENCIAS:
        cargador.cargar_cronograma(cargador.vigencia(anio))
    db.session.flush()


def _objetivos_alineados() -> list[int]:
    """Objetivos del PEI vigente articulados con el PES y el PND: la alineación de la lista de chequeo pasa."""
    pei = sa.select(Plan.id).where(Plan.tipo == TipoPlan.PEI, Plan.vigente).scalar_subquery()
    return list(db.session.scalars(
        sa.select(Objetivo.id).where(Objetivo.plan_id == pei,
                                     Objetivo.id.in_(sa.select(objetivo_pes.c.objetivo_id)),
                                     Objetivo.id.in_(sa.select(objetivo_pnd.c.objetivo_id)))
        .order_by(Objetivo.codigo)))


def actualizar_estadisticas() -> None:
    """ANALYZE tras escribir de una vez millones de filas: sin él, PostgreSQL planea con las cifras de una base
    casi vacía hasta que pase el autovacuum (visto: 130 mil filas estimadas de un millón de auditoría)."""
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def _contenido_al_devolver(vigencia_id: int) -> None:
    """Lo que guarda una devolución (plan_accion.devolver): el contenido del plan en ese momento, en los devueltos
    y en los reenviados tras una devolución (uno de cada tres enviados). Pesa ~77 KB con 88 actividades: sin él,
    el bench no veía lo que cuesta traerlo en cada lista."""
    planes = db.session.scalars(sa.select(Plan).where(
        Plan.tipo == TipoPlan.PA, Plan.vigencia_id == vigencia_id,
        Plan.estado.in_([EstadoPlan.DEVUELTO, EstadoPlan.ENVIADO])).order_by(Plan.id)).all()
    for i, plan in enumerate(planes):
        if plan.estado is EstadoPlan.DEVUELTO or i % 3 == 0:
            plan.contenido_devuelto = versiones.instantanea(plan)
    db.session.flush()


def generar(escala: str | Escala, contrasena: str) -> dict[str, int]:
    """Carga la escala pedida (por nombre, o una `Escala` a la medida de una prueba); devuelve cuántas filas
    escribió en cada tabla. Quien llama hace commit."""
    if isinstance(escala, str):
        if escala not in ESCALAS:
            raise VolumenInvalido(f"Escala desconocida: {escala}. Use {' o '.join(ESCALAS)}.")
        escala = ESCALAS[escala]
    _base(contrasena)
    if db.session.scalar(sa.select(Plan.id).where(Plan.tipo.in_([TipoPlan.PA, TipoPlan.PAI])).limit(1)):
        raise VolumenInvalido("La base ya tiene planes de acción: genere el volumen sobre una base nueva "
                              "(opción --reiniciar).")
    lotes = _Lotes()
    t = {m: m.__table__ for m in (Actividad, Avance, Compromiso, Dependencia, DiagnosticoTrimestral,
                                  HistorialEstado, InformeSeguimiento, MetaTerritorial, Plan, RegistroAuditoria,
                                  ReporteTrimestral, Usuario, VerificacionPlan)}
    vigencias = {v.anio: v.id for v in db.session.scalars(sa.select(Vigencia).where(Vigencia.anio.in_(VIGENCIAS)))}
    objetivos = _objetivos_alineados()
    if not objetivos:
        raise VolumenInvalido("El PEI vigente no tiene objetivos alineados con el PES y el PND.")
    politicas = list(db.session.scalars(sa.select(PoliticaMipg.id).order_by(PoliticaMipg.id)))
    unidades = list(db.session.scalars(sa.select(UnidadMedida.id).order_by(UnidadMedida.id)))
    roles = {r.name: r.id for r in db.session.scalars(sa.select(Rol))}
    oap = db.session.scalar(sa.select(Usuario.id).where(Usuario.email == "oap@demo.gov.co"))
    jefe = db.session.scalar(sa.select(Usuario.id).where(Usuario.email == "jefe.oap@demo.gov.co"))
    clave = hash_password(contrasena)  # una sola vez: argon2 cuesta ~0,16 s por usuario

    # --- dependencias y sus usuarios ---------------------------------------------------------------
    propias, territoriales, usuario_de, correo_de, nombre_de = [], [], {}, {}, {}

    def _usuario(dep_id, codigo, rol, prefijo, nombre):
        email = f"{prefijo}.{codigo.lower()}@volumen.gov.co"
        uid = lotes.agregar(t[Usuario], email=email, nombre=f"{nombre}", password=clave, active=True,
                            fs_uniquifier=uuid.uuid4().hex, confirmed_at=_momento(date(2022, 12, 1)),
                            dependencia_id=dep_id, intentos_fallidos=0)
        lotes.agregar(roles_usuarios, usuario_id=uid, rol_id=roles[rol])
        usuario_de[dep_id], correo_de[uid] = uid, email

    for i in range(escala.dependencias):
        tipo = TipoDependencia.ENTIDAD if escala.entidades and i % 3 == 2 else TipoDependencia.CENTRAL
        codigo = f"V{i + 1:04d}"
        nombre = f"{'Entidad' if tipo is TipoDependencia.ENTIDAD else 'Dirección'} de volumen {i + 1:04d}"
        dep = lotes.agregar(t[Dependencia], codigo=codigo, nombre=nombre, tipo=tipo, activa=True)
        propias.append(dep)
        nombre_de[dep] = nombre
        _usuario(dep, codigo, R.DIRECTOR, "director", f"Director(a) de {nombre}")
    for i in range(escala.territoriales):
        codigo = f"VT{i + 1:03d}"
        nombre = f"Dirección Territorial de volumen {i + 1:03d}"
        dep = lotes.agregar(t[Dependencia], codigo=codigo, nombre=nombre, tipo=TipoDependencia.TERRITORIAL,
                            activa=True)
        territoriales.append(dep)
        _usuario(dep, codigo, R.TERRITORIAL, "territorial", f"Enlace de {nombre}")

    # --- planes por vigencia -----------------------------------------------------------------------
    n = escala.actividades
    peso = (Decimal(100) / n).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    pesos = [peso] * (n - 1) + [Decimal(100) - peso * (n - 1)]
    avances_escritos = 0
    for anio in VIGENCIAS:
        vigencia_id = vigencias[anio]
        aprobados = []
        for p, dep in enumerate(propias):
            if anio == ACTUAL and p == len(propias) - 1:
                continue  # una dependencia aún sin plan solicitado en la vigencia en curso
            estado = EstadoPlan.APROBADO
            if anio == ACTUAL:
                estado = {0: EstadoPlan.BORRADOR, 1: EstadoPlan.ENVIADO, 2: EstadoPlan.ENVIADO,
                          3: EstadoPlan.ENVIADO, 4: EstadoPlan.DEVUELTO}.get(p % 10, EstadoPlan.APROBADO)
            solicitado = _momento(date(anio - 1, 11, 3))
            enviado = _momento(date(anio - 1, 12, 2)) if estado is not EstadoPlan.BORRADOR else None
            aprobado = _momento(date(anio - 1, 12, 16)) if estado is EstadoPlan.APROBADO else None
            plan = lotes.agregar(
                t[Plan], tipo=TipoPlan.PA, nombre=f"Plan de Acción {anio} – {nombre_de[dep]}",
                vigencia_id=vigencia_id, dependencia_id=dep, estado=estado, numero_version=1, vigente=True,
                creado_en=solicitado, enviado_en=enviado, enviado_por_id=usuario_de[dep] if enviado else None,
                aprobado_en=aprobado, aprobado_por_id=oap if aprobado else None,
                observaciones="Ajuste las metas de la actividad A03 y vuelva a enviar."
                if estado is EstadoPlan.DEVUELTO else None)
            lotes.agregar(t[HistorialEstado], objeto_tipo="plan", objeto_id=plan, accion="solicitar",
                          estado_desde=None, estado_hasta="borrador", usuario_id=oap, en=solicitado)
            if enviado:
                lotes.agregar(t[HistorialEstado], objeto_tipo="plan", objeto_id=plan, accion="enviar",
                              estado_desde="borrador", estado_hasta="enviado", usuario_id=usuario_de[dep], en=enviado)
            if estado in (EstadoPlan.APROBADO, EstadoPlan.DEVUELTO):
                lotes.agregar(t[HistorialEstado], objeto_tipo="plan", objeto_id=plan, accion="aprobar" if aprobado else "devolver",
                              estado_desde="enviado", estado_hasta=estado.value, usuario_id=oap,
                              en=_momento(date(anio - 1, 12, 16)))
            if estado in (EstadoPlan.APROBADO, EstadoPlan.ENVIADO):
                for item in ITEMS_JUICIO:
                    lotes.agregar(t[VerificacionPlan], plan_id=plan, item=item, cumple=True, comentario=None,
                                  verificado_por_id=oap, verificado_en=_momento(date(anio - 1, 12, 12)))
            # Los compromisos de la actividad 7: dos objetivos del PEI que el plan cubre.
            for k in range(2):
                lotes.agregar(t[Compromiso], vigencia_id=vigencia_id, dependencia_id=dep,
                              tipo=TipoCompromiso.OBJETIVO_PEI, objetivo_id=objetivos[(p + k) % len(objetivos)],
                              descripcion="Contribuir al objetivo del PEI asignado a la dependencia")
            dts = [territoriales[(p * DT_POR_ACTIVIDAD + k) % len(territoriales)] for k in range(DT_POR_ACTIVIDAD)] \
                if territoriales else []
            actividades = []
            for j in range(n):
                territorial = bool(dts) and j < TERRITORIALES_POR_PLAN
                metas = [Decimal(DT_POR_ACTIVIDAD * (5 + (j + q) % 3)) for q in range(4)]
                act = lotes.agregar(
                    t[Actividad], plan_id=plan, codigo=f"A{j + 1:03d}",
                    descripcion=f"Actividad {j + 1} del plan {anio} de la dependencia {dep}: visitas de "
                                f"inspección y asistencia técnica",
                    objetivo_id=objetivos[(p + j) % len(objetivos)], politica_id=politicas[j % len(politicas)],
                    indicador="Visitas realizadas", formula="Número de visitas realizadas en el periodo",
                    unidad_id=unidades[j % len(unidades)], meta_anual=sum(metas), meta_t1=metas[0],
                    meta_t2=metas[1], meta_t3=metas[2], meta_t4=metas[3], peso=pesos[j],
                    fecha_inicio=date(anio, 1 + j % 3, 1), fecha_fin=date(anio, 12, 15),
                    presupuesto=Decimal(10_000_000 + 250_000 * (j % 8)), proyecto_id=None,
                    responsable=f"Grupo {1 + j % 5}", territorial=territorial)
                if territorial:
                    for dt in dts:
                        lotes.agregar(t[MetaTerritorial], actividad_id=act, dependencia_id=dt,
                                      **{f"meta_t{q + 1}": metas[q] / DT_POR_ACTIVIDAD for q in range(4)})
                actividades.append((act, metas, territorial))
            if estado is EstadoPlan.APROBADO:
                aprobados.append(plan)
                avances_escritos += _seguimiento(lotes, t, anio, vigencia_id, plan, dep, dts, actividades,
                                                 usuario_de, oap)
        if anio != ACTUAL:
            _pai(lotes, t, anio, vigencia_id, aprobados, oap, jefe)
    _diagnosticos_e_informes(lotes, t, vigencias, propias, oap, jefe)
    _auditoria(lotes, t, int(avances_escritos * escala.auditoria_por_avance), correo_de)
    lotes.vaciar()
    _contenido_al_devolver(vigencias[ACTUAL])
    _abrir_ventana_en_curso(vigencias)
    _ajustar_secuencias(lotes)
    # Las filas van por SQL, no por la sesión: la lista de chequeo de cada plan se guarda aquí, como al confirmar.
    lotes.cuentas["chequeo_plan"] = listas_guardadas.rehacer_todas()
    return dict(sorted(lotes.cuentas.items()))


def _seguimiento(lotes, t, anio, vigencia_id, plan, dep, dts, actividades, usuario_de, oap) -> int:
    """Los reportes de los trimestres: el de la dependencia (sus actividades) y uno por DT (su parte)."""
    escritos = 0
    for q in TRIMESTRES[anio]:
        en_curso = (anio, q) == EN_CURSO
        quienes = [(dep, [(a, m[q - 1], False) for a, m, terr in actividades if not terr])]
        quienes += [(dt, [(a, m[q - 1] / DT_POR_ACTIVIDAD, True) for a, m, terr in actividades if terr])
                    for dt in dts]
        for r, (quien, items) in enumerate(quienes):
            estado = EstadoReporte.ACEPTADO
            if en_curso:
                estado = (EstadoReporte.EN_REPORTE, EstadoReporte.REPORTADO, EstadoReporte.DEVUELTO,
                          EstadoReporte.ACEPTADO)[(plan + r) % 4]
            fin = date(anio, 3 * q, 28)
            enviado = _momento(fin + timedelta(days=10)) if estado is not EstadoReporte.EN_REPORTE else None
            revisado = _momento(fin + timedelta(days=14)) if estado in (EstadoReporte.ACEPTADO,
                                                                        EstadoReporte.DEVUELTO) else None
            reporte = lotes.agregar(
                t[ReporteTrimestral], plan_id=plan, dependencia_id=quien, vigencia_id=vigencia_id, trimestre=q,
                estado=estado, enviado_en=enviado, enviado_por_id=usuario_de[quien] if enviado else None,
                revisado_en=revisado, revisado_por_id=oap if revisado else None,
                observaciones="Adjunte la evidencia de las visitas del trimestre."
                if estado is EstadoReporte.DEVUELTO else None)
            lotes.agregar(t[HistorialEstado], objeto_tipo="reporte_trimestral", objeto_id=reporte, accion="abrir",
                          estado_desde=None, estado_hasta="en_reporte", usuario_id=usuario_de[quien],
                          en=_momento(fin + timedelta(days=5)))
            if enviado:
                lotes.agregar(t[HistorialEstado], objeto_tipo="reporte_trimestral", objeto_id=reporte,
                              accion="enviar", estado_desde="en_reporte", estado_hasta="reportado",
                              usuario_id=usuario_de[quien], en=enviado)
            if revisado:
                lotes.agregar(t[HistorialEstado], objeto_tipo="reporte_trimestral", objeto_id=reporte,
                              accion="aceptar" if estado is EstadoReporte.ACEPTADO else "devolver",
                              estado_desde="reportado", estado_hasta=estado.value, usuario_id=oap, en=revisado)
            for act, meta, territorial in items:
                factor = FACTORES[(act * 7 + q * 3) % len(FACTORES)]
                logrado = Decimal(0) if estado is EstadoReporte.EN_REPORTE and act % 2 else \
                    (meta * factor).quantize(Decimal("0.01"))
                bajo = logrado < meta
                comprometido = Decimal(0) if territorial else Decimal(2_500_000) * factor
                lotes.agregar(
                    t[Avance], reporte_id=reporte, actividad_id=act, indicador_id=None, valor_logrado=logrado,
                    avance_cualitativo="Avance parcial en el trimestre." if bajo else "Avance conforme a lo programado.",
                    justificacion="Retrasos en la contratación del equipo de apoyo; se recupera el siguiente "
                                  "trimestre." if bajo else None,
                    evidencia_archivo=None,
                    evidencia_enlace=f"https://www.mintrabajo.gov.co/evidencias/{anio}/T{q}/{act}",
                    presupuesto_comprometido=comprometido.quantize(Decimal(1)),
                    presupuesto_pagado=(comprometido * Decimal("0.7")).quantize(Decimal(1)))
                escritos += 1
    return escritos


def _pai(lotes, t, anio, vigencia_id, aprobados, oap, jefe) -> None:
    """El PAI de una vigencia cerrada: consolidado con todos los planes aprobados, presentado y publicado."""
    publicado = _momento(date(anio, 1, 29))
    pai = lotes.agregar(t[Plan], tipo=TipoPlan.PAI, nombre=f"Plan de Acción Institucional {anio}",
                        vigencia_id=vigencia_id, estado=EstadoPlan.PUBLICADO, numero_version=1, vigente=True,
                        creado_en=_momento(date(anio, 1, 15)), publicado_en=publicado, publicado_por_id=jefe)
    for plan in aprobados:
        lotes.agregar(consolidacion_pai, pai_id=pai, plan_id=plan)
    for accion, desde, hasta, quien, dia in (("consolidar", None, "consolidado", oap, date(anio, 1, 15)),
                                             ("presentar", "consolidado", "presentado", jefe, date(anio, 1, 24)),
                                             ("publicar", "presentado", "publicado", jefe, date(anio, 1, 29))):
        lotes.agregar(t[HistorialEstado], objeto_tipo="plan", objeto_id=pai, accion=accion, estado_desde=desde,
                      estado_hasta=hasta, usuario_id=quien, en=_momento(dia),
                      observacion=f"{len(aprobados)} planes aprobados." if accion == "consolidar" else None)


def _diagnosticos_e_informes(lotes, t, vigencias, propias, oap, jefe) -> None:
    for anio, trimestres in TRIMESTRES.items():
        for q in trimestres:
            if (anio, q) == EN_CURSO:
                continue
            dia = _momento(date(anio, 3 * q, 28) + timedelta(days=20))
            for dep in propias:
                lotes.agregar(t[DiagnosticoTrimestral], vigencia_id=vigencias[anio], trimestre=q, dependencia_id=dep,
                              diagnostico="Avance conforme a lo programado; revisar la coherencia presupuestal.",
                              autor_id=oap, en=dia)
            lotes.agregar(t[InformeSeguimiento], vigencia_id=vigencias[anio], trimestre=q, generado_en=dia,
                          generado_por_id=oap, remitido_en=dia, remitido_por_id=jefe,
                          destinatarios="control.interno@demo.gov.co")


def _auditoria(lotes, t, filas: int, correo_de: dict[int, str]) -> None:
    """El registro que los cambios habrían dejado: altas y ediciones de actividades, avances y planes."""
    usuarios = sorted(correo_de)
    inicio = _momento(date(2022, 11, 1))
    tablas = ("avance", "avance", "actividad", "reporte_trimestral", "plan", "meta_territorial")
    for i in range(filas):
        uid = usuarios[i % len(usuarios)]
        tabla = tablas[i % len(tablas)]
        editar = i % 3 != 0
        lotes.agregar(t[RegistroAuditoria], en=inicio + timedelta(seconds=90 * i), usuario_id=uid,
                      usuario_email=correo_de[uid], direccion=f"10.0.{i % 250}.{i % 200 + 1}",
                      accion="editar" if editar else "crear", tabla=tabla, objeto_id=str(1 + i // 7),
                      cambios={"valor_logrado": ["0", str(i % 40)]} if editar else {"codigo": f"A{i % 90:03d}"})


def _abrir_ventana_en_curso(vigencias) -> None:
    """La ventana del trimestre en curso abierta hoy, por sus fechas (la única regla de las ventanas)."""
    anio, q = EN_CURSO
    hoy = formato.hoy()
    db.session.execute(sa.update(VentanaReporte).where(VentanaReporte.vigencia_id == vigencias[anio],
                                                       VentanaReporte.trimestre == q)
                       .values(abre=hoy - timedelta(days=7),
                               cierra=hoy + timedelta(days=14), version=VentanaReporte.version + 1))


def _ajustar_secuencias(lotes: _Lotes) -> None:
    """PostgreSQL: las secuencias siguen al id más alto (los ids se asignaron aquí)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for tabla in lotes.ids:
        db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{tabla.name}', 'id'), "
                                   f"(SELECT max(id) FROM {tabla.name}))"))


def reiniciar() -> None:
    """Borra todo y aplica las migraciones: el volumen se genera sobre una base nueva."""
    from flask_migrate import upgrade

    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        # También las funciones y disparadores de las migraciones (el del registro de auditoría).
        with db.engine.begin() as conexion:
            conexion.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as conexion:
            conexion.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
