"""Trabajos largos fuera de la petición: el libro del informe de seguimiento, su remisión a Control Interno, el
libro del PAI publicado y las cargas grandes de actividades o avances.

Por encima de `GESTION_TRABAJOS_UMBRAL` filas, la vista no hace el trabajo: lo registra (`pedir`) y lo despacha.
Con `GESTION_REDIS_URL` va a la cola de Redis (RQ) y lo corre `flask --app wsgi gestion trabajador`; sin ella
corre en la misma petición, con el mismo código y el mismo registro: una instalación nueva no necesita servidor.

Un trabajo corre una sola vez: lo toma quien logra pasarlo de «en cola» a «en curso» (un UPDATE condicional),
y lo que no debe repetirse (remitir un informe) lleva una `clave` única. Lo que el trabajo cambia y su estado
«terminado» se confirman juntos; si falla, se deshace todo, se descarta el correo y queda «fallido» con la razón.
El progreso se confirma en la misma sesión, solo mientras el trabajo no ha escrito nada (`Progreso`): una carga
cuenta sus filas mientras lee y valida y anota que empieza a guardar; lo que guarda llega con el «terminado».
"""
import logging
import os
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from typing import Callable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from gestion.base import correo, formato, tocado
from gestion.base.errores import MENSAJE_CONFLICTO, MENSAJE_REPETIDO, OperacionRechazada
from gestion.importacion.lectura import Marcha, abrir
from gestion.reglas import roles as R
from gestion.reglas.permisos import EDITAR, VER, limitado_a_dependencia, puede, roles_de
from gestion.trabajos import programados
from modelos import (
    Actividad,
    EstadoTrabajo,
    InformeSeguimiento,
    Plan,
    ReporteTrimestral,
    TipoPlan,
    Trabajo,
    Usuario,
    ahora,
    confirmar_sin_expirar,
    db,
)
from modelos.planes import consolidacion_pai

log = logging.getLogger(__name__)

CARPETA = "trabajos"  # dentro de GESTION_CARPETA_ARCHIVOS: compartida por todos los servidores
COLA = "gestion"
EN_EL_TRABAJADOR = "gestion.trabajador.ejecutar_en_cola"  # lo que RQ importa y corre por trabajo
# Quienes piden trabajos (y ven la lista): la OAP, quien carga libros de su dependencia, Control Interno
# cuando descarga un informe grande.
ROLES = R.PLANEACION | R.CON_DEPENDENCIA | {R.CONTROL_INTERNO}


class TrabajoFallido(OperacionRechazada):
    """El trabajo no se hizo; lleva los errores y, si hay, el libro de errores para devolver al usuario."""

    def __init__(self, mensaje: str, errores: list[str] | None = None, libro: bytes | None = None,
                 nombre: str | None = None, datos: dict | None = None):
        super().__init__(mensaje)
        self.errores, self.libro, self.nombre, self.datos = errores, libro, nombre, datos


@dataclass
class Resultado:
    mensaje: str
    contenido: bytes | None = None
    nombre: str | None = None
    datos: dict | None = None  # lo que la página que lo pidió muestra al terminar (Trabajo.datos)


# --- cuándo hay trabajo y dónde corre -------------------------------------------------------------
def umbral() -> int:
    return int(current_app.config["GESTION_TRABAJOS_UMBRAL"])


def supera_umbral(filas: int) -> bool:
    return filas > umbral()


def url_cola() -> str | None:
    return current_app.config.get("GESTION_REDIS_URL") or None


def filas_del_informe(informe: InformeSeguimiento) -> int:
    """Las actividades de los planes de acción de la vigencia: lo que el informe recorre."""
    return db.session.scalar(sa.select(sa.func.count(Actividad.id)).join(Actividad.plan).where(
        Plan.vigencia_id == informe.vigencia_id, Plan.tipo == TipoPlan.PA)) or 0


def filas_del_pai(pai: Plan) -> int:
    return db.session.scalar(sa.select(sa.func.count(Actividad.id)).join(
        consolidacion_pai, consolidacion_pai.c.plan_id == Actividad.plan_id).where(
        consolidacion_pai.c.pai_id == pai.id)) or 0


def filas_del_libro(contenido: bytes, hoja: str | None = None) -> int:
    """Las filas de la hoja, sin leer sus celdas: las que declara su dimensión o, si no la trae (los libros
    escritos por partes, como nuestras plantillas), las etiquetas <row> de su XML. Basta para decidir
    si la carga va a un trabajo; la lectura de verdad, con sus topes, la hace el importador."""
    with abrir(contenido) as libro:  # revisa firma, zip y tamaños antes de abrir nada
        datos = libro[hoja] if hoja in libro.sheetnames else libro.worksheets[0]
        declaradas = getattr(datos, "max_row", None)
        ruta = getattr(datos, "_worksheet_path", None)
    if declaradas or not ruta:
        return declaradas or 0
    filas, cola = 0, b""
    with zipfile.ZipFile(BytesIO(contenido)) as archivo, archivo.open(ruta.lstrip("/")) as xml:
        while trozo := xml.read(1 << 20):
            bloque = cola + trozo
            filas += bloque.count(b"<row ") + bloque.count(b"<row>")
            cola = bloque[-5:]
            filas -= cola.count(b"<row ") + cola.count(b"<row>")  # lo que cruza el borde se cuenta en el siguiente
    return filas


def dependencia_de(tipo: str, objeto_id: int | None) -> int | None:
    """La dependencia de lo que una carga toca: el alcance de su trabajo."""
    modelo = {"importar_actividades": Plan, "importar_libro_propio": Plan, "previa_libro_propio": Plan,
              "importar_avances": ReporteTrimestral}[tipo]
    objeto = db.session.get(modelo, objeto_id) if objeto_id is not None else None
    return objeto.dependencia_id if objeto is not None else None


@dataclass
class Tarea:
    funcion: Callable
    pasos: int
    recurso: str | None  # sección de gestion.reglas.permisos; None: lo publicado


def tareas() -> dict[str, Tarea]:
    """Las tareas que esta app sabe correr, por tipo: las pone `crear_app` (gestion.trabajos.tareas.TAREAS)."""
    return current_app.extensions["gestion_tareas"]


# --- alcance ------------------------------------------------------------------------------------
def puede_pedir(usuario) -> bool:
    return bool(roles_de(usuario) & ROLES)


def criterio_visibles(usuario):
    """Quien lo pidió lo ve mientras pueda ver su sección; los demás, si editan esa sección y les toca su
    dependencia (otra persona de la OAP ve el informe que un colega pidió; Control Interno, solo lo suyo)."""
    if not puede_pedir(usuario):
        return sa.false()
    recursos_ver = [r for r in _recursos() if puede(usuario, VER, r)]
    recursos_editar = [r for r in _recursos() if puede(usuario, EDITAR, r)]
    de_colegas = Trabajo.recurso.in_(recursos_editar)
    if limitado_a_dependencia(usuario):
        de_colegas = sa.and_(de_colegas, Trabajo.dependencia_id == usuario.dependencia_id)
    return sa.or_(sa.and_(Trabajo.usuario_id == usuario.id, Trabajo.recurso.in_(recursos_ver)), de_colegas)


def _recursos() -> tuple[str, ...]:
    return tuple({t.recurso for t in tareas().values() if t.recurso})


def puede_ver(usuario, trabajo: Trabajo) -> bool:
    if trabajo.publico:
        return True
    return db.session.scalar(sa.select(sa.literal(True)).where(
        Trabajo.id == trabajo.id, criterio_visibles(usuario))) is not None


def ruta_resultado(trabajo: Trabajo) -> Path | None:
    if not trabajo.archivo:
        return None
    base = (raiz() / CARPETA).resolve()
    ruta = (raiz() / trabajo.archivo).resolve()
    return ruta if ruta.parent == base and ruta.is_file() else None


def raiz() -> Path:
    return Path(current_app.config["GESTION_CARPETA_ARCHIVOS"])


def _escribir(contenido: bytes, extension: str = "xlsx") -> str:
    relativo = f"{CARPETA}/{uuid.uuid4().hex}.{extension}"
    destino = raiz() / relativo
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_bytes(contenido)
    return relativo


def guardar_entrada(contenido: bytes) -> str:
    """El libro subido, donde el trabajador lo lee (la carpeta de archivos, común a todos los servidores)."""
    return _escribir(contenido)


# --- pedir, despachar, reintentar -----------------------------------------------------------------
def pedir(tipo: str, parametros: dict, usuario, descripcion: str, *, dependencia_id: int | None = None,
          clave: str | None = None, publico: bool = False, reintentar_fallido: bool = True) -> tuple[Trabajo, bool]:
    """Registra el trabajo (flush, sin commit) y dice si hay que despacharlo. Con `clave`, un segundo pedido
    encuentra el primero: si falló se reintenta (salvo `reintentar_fallido=False`: una página que solo se
    mira); si está en curso o terminó, no se hace otra vez."""
    if clave is not None:
        existente = db.session.scalar(sa.select(Trabajo).filter_by(clave=clave))
        if existente is not None:
            return existente, reintentar_fallido and reintentar(existente)
    trabajo = Trabajo(tipo=tipo, parametros=parametros, descripcion=descripcion[:300], clave=clave,
                      usuario_id=getattr(usuario, "id", None), recurso=tareas()[tipo].recurso,
                      dependencia_id=dependencia_id, publico=publico, total=tareas()[tipo].pasos,
                      mensaje="En cola.")
    if clave is None:
        db.session.add(trabajo)
        db.session.flush()
        return trabajo, True
    try:
        with db.session.begin_nested():  # dos clics a la vez: la clave única deja pasar uno solo
            db.session.add(trabajo)
    except IntegrityError:
        return db.session.scalar(sa.select(Trabajo).filter_by(clave=clave)), False
    return trabajo, True


def _sin_latido():
    """«En curso» sin latido reciente (o más allá del tiempo máximo): el proceso que lo corría murió sin poder
    anotarlo. Lo que hacía no se confirmó: el resultado y el «terminado» van en el mismo commit."""
    sin_latido = ahora() - timedelta(seconds=float(current_app.config["GESTION_TRABAJOS_SIN_LATIDO"]))
    limite = ahora() - timedelta(seconds=int(current_app.config["GESTION_TRABAJOS_TIEMPO_MAXIMO"]))
    return sa.and_(Trabajo.estado == EstadoTrabajo.EN_CURSO,
                   sa.or_(sa.func.coalesce(Trabajo.latido, Trabajo.iniciado_en) < sin_latido,
                          Trabajo.iniciado_en < limite))


def _se_puede_reintentar():
    """Fallido, o en curso con su proceso muerto."""
    return sa.or_(Trabajo.estado == EstadoTrabajo.FALLIDO, _sin_latido())


MURIO = ("El proceso que corría este trabajo se detuvo sin terminarlo (un reinicio o una caída del servidor). "
         "No se guardó nada de él: use «Reintentar».")


def revisar(trabajo: Trabajo) -> bool:
    """Al leer la página de un trabajo: si su proceso murió queda fallido (con «Reintentar»); si estaba en cola y
    la cola lo perdió (Redis reiniciado sin persistencia, vaciado), vuelve a la cola. Dice si algo cambió (el
    llamador confirma)."""
    cambiado = _marcar_muertos(Trabajo.id == trabajo.id)
    if trabajo.estado is EstadoTrabajo.EN_COLA and url_cola():
        cambiado = _reencolar_perdidos(Trabajo.id == trabajo.id) or cambiado
    if cambiado:
        db.session.expire(trabajo)
    return cambiado


def recuperar() -> tuple[int, int]:
    """Al arrancar un trabajador y cada minuto mientras atiende: los trabajos en curso cuyo proceso murió quedan
    fallidos; los que están en cola y la cola perdió vuelven a ella. Devuelve (fallidos, reencolados)."""
    muertos = _marcar_muertos(sa.true())
    reencolados = _reencolar_perdidos(sa.true()) if url_cola() else 0
    db.session.commit()
    return muertos, reencolados


def _marcar_muertos(filtro) -> int:
    return db.session.execute(
        sa.update(Trabajo).where(filtro, _sin_latido())
        .values(estado=EstadoTrabajo.FALLIDO, mensaje=MURIO, terminado_en=ahora())
        .execution_options(synchronize_session=False)).rowcount


# Lo que tarda un trabajo recién registrado en llegar a la cola (el commit va antes que el envío a Redis).
GRACIA_COLA = timedelta(seconds=10)


def _reencolar_perdidos(filtro) -> int:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    reencolados = 0
    limite = ahora() - GRACIA_COLA
    for trabajo in db.session.scalars(sa.select(Trabajo).where(
            filtro, Trabajo.estado == EstadoTrabajo.EN_COLA,
            sa.func.coalesce(Trabajo.latido, Trabajo.creado_en) < limite)):
        try:
            cola = cola_rq()
            try:
                entrada = Job.fetch(_id_en_cola(trabajo), connection=cola.connection)
                if entrada.get_status(refresh=False) not in (JobStatus.FAILED, JobStatus.STOPPED,
                                                             JobStatus.CANCELED):
                    continue
                entrada.delete()
            except NoSuchJobError:
                pass
            log.warning("La cola perdió el trabajo %s: vuelve a ella", trabajo.id)
            _encolar(trabajo)
            reencolados += 1
        except Exception as error:  # Redis caído: lo verá la próxima revisión
            log.warning("No se pudo revisar la cola del trabajo %s (%s)", trabajo.id, error)
            break
    return reencolados


def reintentable(trabajo: Trabajo) -> bool:
    return db.session.scalar(sa.select(sa.literal(True)).where(Trabajo.id == trabajo.id, _se_puede_reintentar())) is not None


def reintentar(trabajo: Trabajo) -> bool:
    """Solo un trabajo fallido (o atascado) vuelve a la cola; devuelve si volvió (dos reintentos a la vez: uno)."""
    cambiadas = db.session.execute(
        sa.update(Trabajo).where(Trabajo.id == trabajo.id, _se_puede_reintentar())
        .values(estado=EstadoTrabajo.EN_COLA, intentos=Trabajo.intentos + 1, hechos=0, mensaje="En cola de nuevo.",
                errores=None, datos=None, terminado_en=None, archivo=None, nombre_archivo=None, latido=ahora())
        .execution_options(synchronize_session=False)).rowcount  # se expira abajo: no se evalúa en Python
    db.session.expire(trabajo)
    return bool(cambiadas)


def despachar(trabajo: Trabajo) -> None:
    """Después del commit: a la cola de Redis si está configurada (si no responde, aquí mismo), o aquí."""
    url = url_cola()
    if url:
        try:
            _encolar(trabajo)
            return
        except Exception as error:  # Redis caído: el trabajo se hace igual, en la petición
            log.warning("La cola de Redis no respondió (%s): el trabajo %s corre en la petición", error, trabajo.id)
    ejecutar(trabajo.id)


def _id_en_cola(trabajo: Trabajo) -> str:
    return f"trabajo-{trabajo.id}-{trabajo.intentos}"


def _encolar(trabajo: Trabajo) -> None:
    cola_rq().enqueue(EN_EL_TRABAJADOR, trabajo.id, job_id=_id_en_cola(trabajo),
                      job_timeout=int(current_app.config["GESTION_TRABAJOS_TIEMPO_MAXIMO"]),
                      result_ttl=3600, failure_ttl=24 * 3600)


def cola_rq():
    from redis import Redis
    from rq import Queue

    return Queue(COLA, connection=Redis.from_url(url_cola()))


def _marcar(trabajo_id: int, **valores) -> None:
    # UPDATE directo: el progreso no pasa por el registro de auditoría (que sí guarda el alta del trabajo); el
    # Trabajo de la sesión queda al día (synchronize_session). El commit no expira lo leído: una carga sigue con
    # los objetos que ya validó, que releer costaría una consulta por fila.
    db.session.execute(sa.update(Trabajo).where(Trabajo.id == trabajo_id).values(**valores))
    confirmar_sin_expirar()


class Progreso:
    """`paso("…")` anota el paso que empieza (n de m: los anteriores están hechos) y lo confirma; `cuenta` anota
    por dónde va un trabajo que avanza por unidades (las filas de una carga). Solo se llaman donde el trabajo no
    tiene cambios a medias, así el commit del progreso nunca confirma una carga incompleta: si la sesión tiene
    cambios sin guardar, fallan en vez de confirmarlos. El último paso lo cierra el commit del resultado."""

    def __init__(self, trabajo_id: int, pasos: int = 1):
        self.trabajo_id, self.pasos, self.hechos = trabajo_id, pasos, 0

    def paso(self, mensaje: str) -> None:
        if self.pasos > 1:
            mensaje = f"Paso {self.hechos + 1} de {self.pasos} · {mensaje}"
        self._anotar(hechos=self.hechos, mensaje=mensaje)
        self.hechos += 1

    def cuenta(self, hechos: int, total: int, mensaje: str) -> None:
        self._anotar(hechos=hechos, total=total, mensaje=mensaje)

    def _anotar(self, **valores) -> None:
        # Si la transacción ya escribió algo (un flush, o un INSERT, UPDATE o DELETE por sentencia), su commit
        # confirmaría una carga a medias.
        sesion = db.session()
        if sesion.new or sesion.dirty or sesion.deleted or tocado.escribio(sesion):
            raise RuntimeError("El progreso se anotó con cambios sin confirmar: su commit los confirmaría a medias.")
        _marcar(self.trabajo_id, latido=ahora(), **valores)


class Latido:
    """Mientras el trabajo corre, un hilo anota cada `GESTION_TRABAJOS_LATIDO` segundos que su proceso vive, por una
    conexión propia (no toca la transacción del trabajo), también en un paso largo sin progreso. Si el proceso
    muere, el latido se detiene y `revisar` / `recuperar` lo notan. Con SQLite en memoria (pruebas) no hay otra
    conexión a la misma base: ahí laten solo los pasos."""

    def __init__(self, trabajo_id: int):
        self.trabajo_id, self.motor = trabajo_id, db.engine
        self.cada = float(current_app.config["GESTION_TRABAJOS_LATIDO"])
        self.parar, self.hilo = threading.Event(), None

    def __enter__(self):
        if self.motor.url.database not in (None, "", ":memory:"):
            self.hilo = threading.Thread(target=self._latir, name=f"latido-{self.trabajo_id}", daemon=True)
            self.hilo.start()
        return self

    def _latir(self) -> None:
        tabla = Trabajo.__table__
        while not self.parar.wait(self.cada):
            try:
                with self.motor.begin() as conexion:
                    conexion.execute(sa.update(tabla).where(tabla.c.id == self.trabajo_id,
                                                            tabla.c.estado == EstadoTrabajo.EN_CURSO)
                                     .values(latido=ahora()))
            except Exception as error:  # la base ocupada o caída: el próximo latido lo intenta
                log.warning("El latido del trabajo %s no se anotó (%s)", self.trabajo_id, error)

    def __exit__(self, *error):
        self.parar.set()
        if self.hilo is not None:
            self.hilo.join(timeout=5)


# Cada cuántas filas confirma su marcha una carga, y a lo sumo cuántas veces (un libro de 20.000 filas: cada 1.000).
CADA_FILAS, VECES = 500, 20


class MarchaDeCarga(Marcha):
    """La marcha de una carga en un trabajo, en filas de Excel de la hoja: «Validando: fila 2.001 de 5.001»
    cada `cada` filas, y el paso de guardar. Guardar cuesta cerca de un tercio de leer y validar
    (bench/excel.py): la barra le reserva esa parte, así no queda llena mientras guarda."""

    def __init__(self, progreso: Progreso, filas: int, que: str, guarda: bool = True):
        self.progreso, self.filas, self.que, self.guarda = progreso, filas, que, guarda
        self.cada = max(CADA_FILAS, filas // VECES)
        self.siguiente = 0

    def _total(self) -> int:
        # Una vista previa no guarda: la barra es solo la lectura.
        return self.filas + self.filas // 3 if self.guarda else self.filas

    def fila(self, numero: int) -> None:
        if numero < self.siguiente:
            return
        self.filas = max(self.filas, numero)  # una hoja que declara menos filas de las que trae
        self.siguiente = numero + self.cada
        self.progreso.cuenta(numero, self._total(), f"Validando: fila {formato.numero(numero)} de "
                                                    f"{formato.numero(self.filas)}.")

    def guardando(self, cuantas: int) -> None:
        self.progreso.cuenta(self.filas, self._total(),
                             f"Guardando {formato.numero(cuantas)} {self.que} (todo o nada).")


def ejecutar(trabajo_id: int) -> None:
    """Corre el trabajo si sigue en cola (nadie más lo tomó) y deja su resultado o su falla."""
    tomado = db.session.execute(
        sa.update(Trabajo).where(Trabajo.id == trabajo_id, Trabajo.estado == EstadoTrabajo.EN_COLA)
        .values(estado=EstadoTrabajo.EN_CURSO, iniciado_en=ahora(), latido=ahora(), mensaje="Empezando.")).rowcount
    db.session.commit()
    if not tomado:
        return
    trabajo = db.session.get(Trabajo, trabajo_id)
    tarea = tareas()[trabajo.tipo]
    usuario = db.session.get(Usuario, trabajo.usuario_id) if trabajo.usuario_id else None
    try:
        with Latido(trabajo_id):
            resultado = tarea.funcion(trabajo, usuario, Progreso(trabajo_id, tarea.pasos))
        resultado = _acotado(resultado)
        texto = (resultado.nombre or "").endswith(".txt")
        archivo = (_escribir(resultado.contenido, "txt" if texto else "xlsx")
                   if resultado.contenido is not None else None)
        trabajo = db.session.get(Trabajo, trabajo_id)
        trabajo.estado, trabajo.hechos, trabajo.mensaje = EstadoTrabajo.TERMINADO, trabajo.total, resultado.mensaje
        trabajo.archivo, trabajo.nombre_archivo, trabajo.terminado_en = archivo, resultado.nombre, ahora()
        trabajo.datos = resultado.datos
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        correo.descartar_pendientes()
        _fallar(trabajo_id, error)
        return
    correo.enviar_pendientes()
    entrada = (trabajo.parametros or {}).get("entrada")
    if entrada:
        (raiz() / entrada).unlink(missing_ok=True)  # el libro subido ya se cargó: no queda en disco


LARGO_MENSAJE = 2_000  # lo que la página del trabajo muestra; el mensaje entero va como archivo


def _acotado(resultado: Resultado) -> Resultado:
    """Un mensaje largo (miles de códigos) no traba el trabajo por su largo: queda un resumen y, si el trabajo no
    deja ya un archivo, el mensaje entero como archivo de texto para descargar."""
    if len(resultado.mensaje) <= LARGO_MENSAJE:
        return resultado
    if resultado.contenido is not None:
        return Resultado(resultado.mensaje[:LARGO_MENSAJE - 1] + "…", resultado.contenido, resultado.nombre,
                         resultado.datos)
    return Resultado(resultado.mensaje[:LARGO_MENSAJE - 60].rstrip() + "… (el mensaje completo está en el archivo "
                     "del trabajo)", resultado.mensaje.encode(), "mensaje-completo.txt", resultado.datos)


def _fallar(trabajo_id: int, error: Exception) -> None:
    errores, archivo, nombre, datos = None, None, None, None
    if isinstance(error, TrabajoFallido):
        errores, nombre, datos = error.errores, error.nombre, error.datos
        archivo = _escribir(error.libro) if error.libro is not None else None
        mensaje = str(error)[:LARGO_MENSAJE]
    elif isinstance(error, StaleDataError):
        mensaje = MENSAJE_CONFLICTO
    elif isinstance(error, IntegrityError):
        mensaje = MENSAJE_REPETIDO
    elif isinstance(error, OperacionRechazada):
        mensaje = str(error)
    else:
        log.exception("El trabajo %s falló", trabajo_id)
        mensaje = ("Algo falló de nuestro lado y no se guardó nada. Reinténtelo; si se repite, avise a la Oficina "
                   "Asesora de Planeación.")
    _marcar(trabajo_id, estado=EstadoTrabajo.FALLIDO, mensaje=mensaje, errores=errores, archivo=archivo,
            nombre_archivo=nombre, datos=datos, terminado_en=ahora())


def trabajar(burst: bool = False, conexion=None) -> None:
    """El trabajador de RQ (un proceso que atiende la cola); `burst`: atiende lo que hay y termina."""
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker

    conexion = conexion or Redis.from_url(url_cola())
    muertos, reencolados = recuperar()
    if muertos or reencolados:
        log.warning("Al arrancar: %s trabajo(s) sin proceso quedan fallidos; %s perdido(s) por la cola vuelven a ella",
                    muertos, reencolados)
    if not burst:
        _revisar_cada_minuto(current_app._get_current_object())
        programados.arrancar(current_app._get_current_object())
    if burst:
        clase = SimpleWorker  # en este mismo proceso
    else:
        clase = Worker
        _conexiones_propias_en_cada_hijo()
    clase([Queue(COLA, connection=conexion)], connection=conexion).work(burst=burst)


def _conexiones_propias_en_cada_hijo() -> None:
    """RQ corre cada trabajo en un proceso hijo (fork) que hereda las conexiones del pool del padre: dos procesos
    hablando por el mismo socket se pisan (en PostgreSQL, «prepared statement "_pg3_1" does not exist» en medio de
    una carga). El hijo olvida las heredadas sin cerrarlas, porque son del padre, y abre las suyas (la receta de
    SQLAlchemy para os.fork: `Engine.dispose(close=False)`)."""
    for motor in db.engines.values():
        os.register_at_fork(after_in_child=lambda motor=motor: motor.dispose(close=False))


def _revisar_cada_minuto(app, cada: float = 60) -> None:
    """Mientras el trabajador atiende la cola, cada minuto: lo de `recuperar` (otro trabajador pudo morir)."""
    def revisar_siempre():
        while True:
            time.sleep(cada)
            try:
                with app.app_context():
                    recuperar()
                    db.session.remove()
            except Exception as error:
                log.warning("La revisión de los trabajos falló (%s)", error)

    threading.Thread(target=revisar_siempre, name="revisar-trabajos", daemon=True).start()
