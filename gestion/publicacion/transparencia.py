"""La publicación del Plan de Acción con los contenidos del art. 74 de la Ley 1474 de 2011, y la lista que la OAP
revisa antes del 31 de enero (como la matriz ITA de la Procuraduría: cada ítem sí o no, con su URL).

Cada ítem dice dónde está publicado (una página pública o el enlace que la OAP registró) o que falta. Las mismas
funciones arman la página pública y la lista de la OAP: lo que una dice publicado, la otra también.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from gestion.base import archivos, formato
from gestion.base.archivos import ArchivoSubido
from gestion.base.errores import OperacionRechazada
from gestion.publicacion import datos_abiertos
from gestion.reglas import roles as R
from gestion.reglas.permisos import AccesoDenegado, roles_de
from modelos import Actividad, Dependencia, EstadoPlan, Plan, PlanCompras, TipoPlan, Vigencia, ahora, db
from modelos.planes import consolidacion_pai

CARPETA_PLAN_COMPRAS = "plan_compras"
TIPOS_PLAN_COMPRAS = {"pdf", "xlsx", "docx", "csv"}


@dataclass
class Item:
    clave: str
    titulo: str
    falta: str  # qué falta y por qué, mientras no esté publicado
    detalle: str = ""  # qué hay publicado
    endpoint: str | None = None  # la página pública que lo muestra (url_for(endpoint, **argumentos))
    argumentos: dict = field(default_factory=dict)
    enlace: str | None = None  # un enlace externo (el plan de compras en SECOP II, por ejemplo)
    conjuntos: tuple[str, ...] = ()  # los datos abiertos que lo traen

    @property
    def publicado(self) -> bool:
        return self.endpoint is not None or self.enlace is not None

    @property
    def texto(self) -> str:
        return self.detalle if self.publicado else self.falta


@dataclass
class Art74:
    anio: int
    publicado: datos_abiertos.Publicado | None
    items: list[Item]
    presupuesto: list[tuple] = field(default_factory=list)  # filas del conjunto «presupuesto»
    modificaciones: list[tuple] = field(default_factory=list)  # filas del conjunto «modificaciones»
    presupuesto_por_dependencia: list[tuple[str, Decimal]] = field(default_factory=list)
    plan_compras: PlanCompras | None = None

    @property
    def plazo(self) -> date:
        return date(self.anio, 1, 31)

    @property
    def presupuesto_total(self) -> Decimal:
        return sum((valor for _, valor in self.presupuesto_por_dependencia), Decimal(0))

    @property
    def faltan(self) -> int:
        return sum(not i.publicado for i in self.items)


def _dia(momento) -> str:
    return formato.fecha(formato.en_bogota(momento).date()) if momento else ""


def plan_compras_de(vigencia_id: int) -> PlanCompras | None:
    return db.session.scalar(sa.select(PlanCompras).where(PlanCompras.vigencia_id == vigencia_id))


def _hay_pai_publicado(anio: int) -> bool:
    return db.session.scalar(sa.select(sa.func.count(Plan.id)).join(Plan.vigencia).where(
        Plan.tipo == TipoPlan.PAI, Plan.estado == EstadoPlan.PUBLICADO, Vigencia.anio == anio)) > 0


def art74(anio: int) -> Art74 | None:
    """Los ítems del art. 74 de la vigencia; None si el año no es una vigencia del catálogo."""
    vigencia = db.session.scalar(sa.select(Vigencia).where(Vigencia.anio == anio))
    if vigencia is None:
        return None
    pub = datos_abiertos.publicado(anio)
    pai = pub.pai if pub else None
    estrategicos = {p.tipo: p for p in pub.estrategicos} if pub else {}
    presupuesto = datos_abiertos.filas_presupuesto(pub) if pub else []
    modificaciones = datos_abiertos.filas_modificaciones(pub) if pub else []
    compras = plan_compras_de(vigencia.id)
    por_dependencia = []
    if pai is not None:
        por_dependencia = [(nombre, Decimal(str(valor)).quantize(Decimal("0.01"))) for nombre, valor in db.session.execute(
            sa.select(Dependencia.nombre, sa.func.coalesce(sa.func.sum(Actividad.presupuesto), 0))
            .select_from(Actividad).join(Plan, Actividad.plan_id == Plan.id)
            .join(Dependencia, Plan.dependencia_id == Dependencia.id)
            .where(Actividad.plan_id.in_(sa.select(consolidacion_pai.c.plan_id)
                                         .where(consolidacion_pai.c.pai_id == pai.id)))
            .group_by(Dependencia.codigo, Dependencia.nombre).order_by(Dependencia.codigo))]
    anterior = _hay_pai_publicado(anio - 1)

    def de_plan(plan, detalle):
        return ({"endpoint": "publico.plan", "argumentos": {"plan_id": plan.id}, "detalle": detalle(plan)}
                if plan is not None else {})

    pei, pes = estrategicos.get(TipoPlan.PEI), estrategicos.get(TipoPlan.PES)
    de_pai = ({"endpoint": "publico.pai", "argumentos": {"plan_id": pai.id}} if pai is not None else {})
    en_pagina = {"endpoint": "publico.transparencia", "argumentos": {"anio": anio, "_anchor": "presupuesto"}}
    items = [
        Item("objetivos", "Objetivos", "Falta publicar el Plan Estratégico Institucional que cubre la vigencia.",
             **de_plan(pei, lambda p: f"Objetivos institucionales de «{p}», publicado el {_dia(p.publicado_en)}.")),
        Item("estrategias", "Estrategias", "Falta publicar el Plan Estratégico Sectorial que cubre la vigencia.",
             **de_plan(pes, lambda p: f"Objetivos sectoriales y estrategias de «{p}», publicado el {_dia(p.publicado_en)}.")),
        Item("proyectos", "Proyectos de inversión",
             "Falta: ninguna actividad del PAI publicado está asociada a un proyecto de inversión."
             if pai is not None else "Falta publicar el Plan de Acción Institucional.",
             **({**en_pagina, "detalle": f"{len(presupuesto)} proyecto(s) de inversión con actividades en el PAI."}
                if presupuesto else {}), conjuntos=("presupuesto",)),
        Item("metas", "Metas", "Falta publicar el Plan de Acción Institucional.",
             **({**de_pai, "detalle": f"Metas anuales y trimestrales de las actividades de «{pai}»."} if pai else {}),
             conjuntos=("actividades", "indicadores")),
        Item("responsables", "Unidades responsables", "Falta publicar el Plan de Acción Institucional.",
             **({**de_pai, "detalle": "Dependencia responsable de cada actividad del PAI."} if pai else {}),
             conjuntos=("actividades",)),
        Item("plan_compras", "Plan general de compras (Plan Anual de Adquisiciones)",
             "Falta: la OAP no ha registrado el enlace ni el archivo del plan de compras de la vigencia.",
             **_plan_compras_item(compras, anio)),
        Item("presupuesto_inversion", "Distribución presupuestal de los proyectos de inversión con sus indicadores",
             "Falta: no hay proyectos de inversión en el PAI publicado." if pai is not None
             else "Falta publicar el Plan de Acción Institucional.",
             **({**en_pagina, "detalle": "Presupuesto de cada proyecto y los indicadores de sus actividades."}
                if presupuesto else {}), conjuntos=("presupuesto",)),
        Item("presupuesto_modificaciones", "Presupuesto desagregado y sus modificaciones",
             "Falta publicar el Plan de Acción Institucional.",
             **({"endpoint": "publico.transparencia", "argumentos": {"anio": anio, "_anchor": "desagregado"},
                 "detalle": f"Presupuesto del PAI por dependencia y {len(modificaciones)} modificación(es) por "
                            "ajustes aprobados."} if pai else {}), conjuntos=("modificaciones",)),
        Item("informe_gestion", f"Informe de gestión de {anio - 1}",
             f"Falta: la vigencia {anio - 1} no tiene un Plan de Acción Institucional publicado del cual generarlo.",
             **({"endpoint": "publico.informe_gestion_html", "argumentos": {"anio": anio - 1},
                 "detalle": f"Generado del seguimiento aceptado de {anio - 1}, imprimible y en Excel."}
                if anterior else {})),
    ]
    return Art74(anio, pub, items, presupuesto, modificaciones, por_dependencia, compras)


def _plan_compras_item(compras: PlanCompras | None, anio: int) -> dict:
    if compras is None:
        return {}
    if compras.archivo:
        return {"endpoint": "publico.plan_compras", "argumentos": {"anio": anio},
                "detalle": f"Archivo «{compras.nombre_archivo}»" + (f"; también en {compras.enlace}"
                                                                      if compras.enlace else "")}
    return {"enlace": compras.enlace, "detalle": f"Enlace registrado por la OAP: {compras.enlace}"}


def _enlace_valido(enlace: str) -> str:
    enlace = enlace.strip()
    if not enlace.lower().startswith(("https://", "http://")) or " " in enlace or len(enlace) < 12:
        raise OperacionRechazada("El enlace del plan de compras debe ser una dirección completa, que empiece por "
                                 "https:// (por ejemplo, la del Plan Anual de Adquisiciones en SECOP II).")
    if len(enlace) > 500:
        raise OperacionRechazada("El enlace del plan de compras no puede pasar de 500 caracteres.")
    return enlace


def guardar_plan_compras(vigencia: Vigencia, usuario, enlace: str | None, archivo: ArchivoSubido | None,
                         quitar_archivo: bool = False) -> PlanCompras:
    """Registra (o cambia) el enlace y el archivo del plan de compras de la vigencia."""
    compras = plan_compras_de(vigencia.id) or PlanCompras(vigencia=vigencia)
    compras.enlace = enlace
    completar_plan_compras(compras, usuario, archivo, quitar_archivo)
    db.session.add(compras)
    db.session.flush()
    return compras


def completar_plan_compras(compras: PlanCompras, usuario, archivo: ArchivoSubido | None,
                           quitar_archivo: bool = False) -> None:
    """Revisa el enlace ya puesto en `compras`, guarda el archivo nuevo (el anterior se borra tras el commit) y
    anota quién y cuándo. Solo la OAP; sin enlace ni archivo no hay plan de compras que publicar."""
    if not roles_de(usuario) & R.PLANEACION:
        raise AccesoDenegado("Solo la Oficina Asesora de Planeación registra el plan de compras.")
    compras.enlace = _enlace_valido(compras.enlace) if compras.enlace and compras.enlace.strip() else None
    if archivo is None and quitar_archivo and compras.archivo:
        archivos.retirar(compras.archivo, CARPETA_PLAN_COMPRAS)
        compras.archivo = compras.nombre_archivo = None
    if compras.enlace is None and compras.archivo is None and archivo is None:
        raise OperacionRechazada("Escriba el enlace del plan de compras o adjunte su archivo.")
    if archivo is not None:
        relativo = archivos.guardar(archivo, CARPETA_PLAN_COMPRAS, TIPOS_PLAN_COMPRAS, "Plan de compras")
        archivos.retirar(compras.archivo, CARPETA_PLAN_COMPRAS)
        compras.archivo, compras.nombre_archivo = relativo, archivo.nombre[-200:]
    compras.actualizado_en, compras.actualizado_por = ahora(), usuario


def ruta_plan_compras(compras: PlanCompras | None):
    return archivos.ruta(compras.archivo, CARPETA_PLAN_COMPRAS) if compras is not None else None
