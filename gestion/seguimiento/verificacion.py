"""La verificación de Control Interno (Circular 04 de 2005) y la evaluación institucional por dependencia (Ley 909
de 2004, art. 39).

Control Interno registra, por dependencia y periodo (trimestre o semestre, según `GESTION_PERIODO_VERIFICACION`),
el porcentaje de cumplimiento que verificó, la evidencia que revisó y su observación; al lado queda la cifra que
la dependencia reportaba en ese momento. Nada de esto toca el reporte ni las cifras del tablero. Control Interno
decide cuándo publica lo de un periodo: antes, solo él lo ve; después, la OAP y cada dependencia la suya, y ya no
se cambia. Al cierre de la vigencia genera la evaluación por dependencia (lo reportado frente a lo verificado), la
firma, y el libro sale para Talento Humano.
"""
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager

from gestion.base import formato
from gestion.base.errores import EdicionConcurrente, OperacionRechazada, guardar_filas
from gestion.reglas import roles as R
from gestion.reglas.permisos import EDITAR, exigir, roles_de
from gestion.seguimiento import cifras_guardadas
from modelos import Dependencia, EvaluacionDependencia, VerificacionControlInterno, Vigencia, ahora, db

RECURSO = "verificacion_oci"
PERIODOS = {"trimestre": ("T1", "T2", "T3", "T4"), "semestre": ("S1", "S2")}
NOMBRES = {"T": "Trimestre", "S": "Semestre"}


class VerificacionInvalida(OperacionRechazada):
    """Lo que Control Interno escribió no se puede guardar así: nada cambió."""


# --- periodos -------------------------------------------------------------------------------------
def periodos() -> tuple[str, ...]:
    """Los periodos en que esta entidad verifica (trimestres o semestres)."""
    return PERIODOS[current_app.config["GESTION_PERIODO_VERIFICACION"]]


def etiqueta(periodo: str) -> str:
    return f"{NOMBRES[periodo[0]]} {periodo[1]}"


def trimestre_de_corte(periodo: str) -> int:
    """El trimestre con que cierra el periodo: su cifra acumulada es la que se verifica."""
    return int(periodo[1]) * (2 if periodo[0] == "S" else 1)


# --- lo que se lee ---------------------------------------------------------------------------------
def puede_ver_borradores(usuario) -> bool:
    return R.CONTROL_INTERNO in roles_de(usuario)


def criterio_visibles(usuario):
    """Lo que aún no se publica solo lo ve Control Interno."""
    if puede_ver_borradores(usuario):
        return sa.true()
    return VerificacionControlInterno.publicada_en.is_not(None)


def verificaciones(vigencia_id: int, periodo: str, dependencias=None) -> dict[int, VerificacionControlInterno]:
    """Las del periodo; con `dependencias` (ids), solo las de esas (las de la página que se muestra)."""
    consulta = sa.select(VerificacionControlInterno).filter_by(vigencia_id=vigencia_id, periodo=periodo)
    if dependencias is not None:
        consulta = consulta.where(VerificacionControlInterno.dependencia_id.in_(list(dependencias)))
    return {v.dependencia_id: v for v in db.session.scalars(consulta)}


def por_publicar(vigencia_id: int, periodo: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(VerificacionControlInterno.id)).filter_by(
        vigencia_id=vigencia_id, periodo=periodo, publicada_en=None))


@dataclass(frozen=True)
class FilaVerificacion:
    dependencia_id: int
    dependencia: str
    reportado: Decimal | None  # el avance acumulado que hoy muestra el tablero para la dependencia
    verificacion: VerificacionControlInterno | None


def reportadas(vigencia: Vigencia, periodo: str, confirmar: bool = True) -> list:
    """Cada dependencia con plan aprobado en la vigencia y su avance acumulado al corte del periodo, por nombre:
    de las cifras guardadas del tablero (las mismas que el cálculo en vivo), sin recorrer actividades."""
    return cifras_guardadas.dependencias(vigencia, trimestre_de_corte(periodo), confirmar)


def cuadro(vigencia: Vigencia, periodo: str, filas: list | None = None) -> list[FilaVerificacion]:
    """Cada dependencia de `filas` (las de `reportadas`, o una página de ellas; sin ellas, todas): su cifra al
    corte del periodo y lo verificado."""
    filas = reportadas(vigencia, periodo) if filas is None else filas
    propias = verificaciones(vigencia.id, periodo, [f.clave for f in filas])
    return [FilaVerificacion(f.clave, f.nombre, f.avance_acumulado, propias.get(f.clave)) for f in filas]


# --- registrar y publicar ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Entrada:
    """Lo que Control Interno escribió en una fila del cuadro, tal como llegó del formulario."""
    verificado: str
    evidencia: str
    observacion: str
    version: str  # la versión que leyó ('' si la fila no existía)


def _exigir_periodo(periodo: str) -> None:
    if periodo not in periodos():
        raise VerificacionInvalida(f"«{periodo}» no es un periodo de verificación de esta entidad.")


def registrar(vigencia: Vigencia, periodo: str, dependencia: Dependencia, entrada: Entrada, usuario,
              reportado: Decimal | None) -> VerificacionControlInterno:
    """Una fila: la crea o la corrige mientras no se publique. `reportado` es la cifra de la dependencia que
    Control Interno tenía a la vista."""
    exigir(usuario, EDITAR, RECURSO)
    _exigir_periodo(periodo)
    nombre = dependencia.nombre
    try:
        verificado = formato.leer_numero(entrada.verificado)
    except ValueError:
        raise VerificacionInvalida(f"{nombre}: el cumplimiento verificado «{entrada.verificado}» no es un "
                                   "número; escríbalo como 85 o 85,5.") from None
    if verificado is None:
        raise VerificacionInvalida(f"{nombre}: escriba el cumplimiento verificado.")
    if not Decimal(0) <= verificado <= Decimal(100):
        raise VerificacionInvalida(f"{nombre}: el cumplimiento verificado va de 0 a 100 %; escribió "
                                   f"{formato.numero(verificado)}.")
    if verificado != verificado.quantize(Decimal("0.01")):
        raise VerificacionInvalida(f"{nombre}: el cumplimiento verificado admite hasta dos decimales.")
    evidencia = (entrada.evidencia or "").strip()
    if not evidencia:
        raise VerificacionInvalida(f"{nombre}: diga qué evidencia revisó.")
    existente = db.session.scalar(sa.select(VerificacionControlInterno).filter_by(
        vigencia_id=vigencia.id, periodo=periodo, dependencia_id=dependencia.id))
    if existente is not None and existente.publicada_en is not None:
        raise VerificacionInvalida(f"{nombre}: la verificación de {etiqueta(periodo).lower()} ya se publicó "
                                   "y no se cambia.")
    leida = existente.version if existente is not None else None
    if str(leida or "") != (entrada.version or ""):
        raise EdicionConcurrente(f"{nombre}: otra persona guardó esta verificación mientras usted la editaba. "
                                 "Sus cambios no se guardaron: revise lo que quedó y vuelva a aplicarlos.")
    if existente is None:
        existente = VerificacionControlInterno(vigencia=vigencia, periodo=periodo, dependencia=dependencia)
        db.session.add(existente)
    existente.cumplimiento_verificado, existente.evidencia = verificado, evidencia
    existente.observacion = (entrada.observacion or "").strip() or None
    existente.cumplimiento_dependencia = reportado
    existente.registrado_por_id, existente.registrado_en = usuario.id, ahora()
    db.session.flush()
    return existente


def _sin_cambios(fila: FilaVerificacion, entrada: Entrada) -> bool:
    v = fila.verificacion
    if v is None:  # una fila que Control Interno no tocó
        return not ((entrada.verificado or "").strip() or (entrada.evidencia or "").strip()
                    or (entrada.observacion or "").strip())
    try:
        verificado = formato.leer_numero(entrada.verificado)
    except ValueError:
        return False
    return (verificado == v.cumplimiento_verificado and (entrada.evidencia or "").strip() == v.evidencia
            and ((entrada.observacion or "").strip() or None) == v.observacion)


def guardar_cuadro(vigencia: Vigencia, periodo: str, usuario, entradas: dict[int, Entrada]) -> int:
    """El cuadro del periodo, {dependencia_id: Entrada}: guarda lo que cambió; si una fila falla, ninguna."""
    exigir(usuario, EDITAR, RECURSO)
    _exigir_periodo(periodo)
    tocadas = [f for f in reportadas(vigencia, periodo, confirmar=False) if f.clave in entradas]
    filas = {f.dependencia_id: f for f in cuadro(vigencia, periodo, tocadas)}
    cambiadas = [(filas[d], e) for d, e in entradas.items() if d in filas and not _sin_cambios(filas[d], e)]
    return guardar_filas(cambiadas, lambda par: registrar(
        vigencia, periodo, db.session.get(Dependencia, par[0].dependencia_id), par[1], usuario, par[0].reportado))


def publicar(vigencia: Vigencia, periodo: str, usuario) -> int:
    """Publica lo registrado del periodo: desde ahora la OAP y cada dependencia lo leen, y no cambia."""
    exigir(usuario, EDITAR, RECURSO)
    _exigir_periodo(periodo)
    pendientes = [v for v in verificaciones(vigencia.id, periodo).values() if v.publicada_en is None]
    if not pendientes:
        raise VerificacionInvalida(f"No hay verificaciones sin publicar de {etiqueta(periodo).lower()} de "
                                   f"{vigencia}.")
    momento = ahora()
    for v in pendientes:
        v.publicada_en, v.publicada_por_id = momento, usuario.id
    db.session.flush()
    return len(pendientes)


# --- la evaluación institucional por dependencia ------------------------------------------------------
def evaluacion(vigencia_id: int) -> list[EvaluacionDependencia]:
    return list(db.session.scalars(
        sa.select(EvaluacionDependencia).join(Dependencia, EvaluacionDependencia.dependencia_id == Dependencia.id)
        .where(EvaluacionDependencia.vigencia_id == vigencia_id).order_by(Dependencia.codigo)
        .options(contains_eager(EvaluacionDependencia.dependencia))))  # cada fila dice su dependencia


def firmada(vigencia_id: int) -> bool:
    return db.session.scalar(sa.select(sa.func.count(EvaluacionDependencia.id)).where(
        EvaluacionDependencia.vigencia_id == vigencia_id, EvaluacionDependencia.firmada_en.is_not(None))) > 0


def _ultima_publicada(vigencia_id: int) -> dict[int, VerificacionControlInterno]:
    """Por dependencia, la verificación publicada del periodo más tardío (la del cierre, si la hay)."""
    orden = {p: i for i, p in enumerate(("T1", "S1", "T2", "T3", "S2", "T4"))}
    ultimas: dict[int, VerificacionControlInterno] = {}
    for v in db.session.scalars(sa.select(VerificacionControlInterno).where(
            VerificacionControlInterno.vigencia_id == vigencia_id,
            VerificacionControlInterno.publicada_en.is_not(None))):
        actual = ultimas.get(v.dependencia_id)
        if actual is None or orden[v.periodo] > orden[actual.periodo]:
            ultimas[v.dependencia_id] = v
    return ultimas


def generar_evaluacion(vigencia: Vigencia, usuario) -> int:
    """Arma (o rehace, mientras no esté firmada) la evaluación de cada dependencia con plan aprobado: su
    cumplimiento reportado al cierre del año frente al último cumplimiento que Control Interno publicó."""
    exigir(usuario, EDITAR, RECURSO)
    if firmada(vigencia.id):
        raise VerificacionInvalida(f"La evaluación de {vigencia} ya está firmada: no se vuelve a generar.")
    existentes = {e.dependencia_id: e for e in evaluacion(vigencia.id)}
    verificadas = _ultima_publicada(vigencia.id)
    momento = ahora()
    filas = cifras_guardadas.dependencias(vigencia, 4, confirmar=False)
    for fila in filas:
        fila_evaluacion = existentes.pop(fila.clave, None)
        if fila_evaluacion is None:
            fila_evaluacion = EvaluacionDependencia(vigencia=vigencia, dependencia_id=fila.clave)
            db.session.add(fila_evaluacion)
        verificada = verificadas.get(fila.clave)
        fila_evaluacion.cumplimiento_reportado = fila.avance_acumulado
        fila_evaluacion.cumplimiento_verificado = verificada.cumplimiento_verificado if verificada else None
        fila_evaluacion.periodo_verificado = verificada.periodo if verificada else None
        fila_evaluacion.generada_por_id, fila_evaluacion.generada_en = usuario.id, momento
    for sobrante in existentes.values():  # una dependencia que ya no tiene plan aprobado
        db.session.delete(sobrante)
    db.session.flush()
    return len(filas)


def firmar_evaluacion(vigencia: Vigencia, usuario, concepto: str) -> int:
    """La firma de Control Interno cierra la evaluación de la vigencia; el concepto va en cada fila."""
    exigir(usuario, EDITAR, RECURSO)
    filas = evaluacion(vigencia.id)
    if not filas:
        raise VerificacionInvalida(f"Genere primero la evaluación de {vigencia}.")
    if firmada(vigencia.id):
        raise VerificacionInvalida(f"La evaluación de {vigencia} ya está firmada.")
    concepto = (concepto or "").strip()
    if not concepto:
        raise VerificacionInvalida("Escriba el concepto de Control Interno que acompaña la firma.")
    sin_verificar = [f.dependencia.nombre for f in filas if f.cumplimiento_verificado is None]
    if sin_verificar:
        raise VerificacionInvalida("Faltan verificaciones publicadas de: " + ", ".join(sin_verificar[:10])
                                   + (f" y {len(sin_verificar) - 10} más" if len(sin_verificar) > 10 else "")
                                   + ". Publique su verificación y genere de nuevo la evaluación.")
    momento = ahora()
    for fila in filas:
        fila.concepto, fila.firmada_en, fila.firmada_por_id = concepto, momento, usuario.id
    db.session.flush()
    return len(filas)
