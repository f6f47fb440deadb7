"""Lo que tocó la transacción, descrito una vez: cada flush y cada sentencia masiva (un INSERT, UPDATE o DELETE
por `session.execute`, que no pasa por el flush) es un `Tocado`, y la auditoría, las cifras guardadas y las
listas de chequeo guardadas lo leen, cada una sacando de ahí lo suyo, en vez de recorrer la sesión o leer la
sentencia por su lado; la cola de trabajos pregunta aquí si la transacción ya escribió algo. Sus manejadores los
registra `gestion.eventos`, antes que los de quienes lo leen.

- Un flush: los objetos que crea, edita y borra. Los que borra llegan con sus columnas cargadas (antes del
  flush: después la fila ya no está para leerlas), así se sabe de qué plan era la actividad borrada.
- Una sentencia masiva: su tabla y, de las filas que toca, los valores de la columna que se pregunte (los de
  la sentencia en un INSERT; leídos antes de que corra en un UPDATE o un DELETE, una consulta por columna).
"""
import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import ObjectDeletedError
from sqlalchemy.sql.elements import BindParameter

FLUSH = "gestion.tocado"  # en los atributos del flush (UOWTransaction.attributes): su Tocado
SENTENCIA = "gestion.tocado.sentencia"  # en session.info: (estado, Tocado) de la última sentencia masiva
TRANSACCION = "gestion.tocado.transaccion"  # en session.info: lo anotado mientras dura la transacción
ESCRIBIO = "escribio"


def valores_de(objeto, atributo) -> set:
    """El valor de ahora y el de antes del cambio (un compromiso que pasa de una dependencia a otra toca a las
    dos), sin cargar nada."""
    estado = sa.inspect(objeto)
    historia = estado.attrs[atributo].history
    return {*historia.added, *historia.unchanged, *historia.deleted, estado.dict.get(atributo)} - {None}


class Tocado:
    """Un flush (`nuevos`, `editados`, `borrados`) o una sentencia masiva (`estado`, sobre `tabla`)."""

    def __init__(self, sesion: Session, nuevos=(), editados=(), borrados=(), estado=None):
        self.sesion = sesion
        self.nuevos, self.editados, self.borrados = list(nuevos), list(editados), list(borrados)
        self.estado = estado
        self.tabla = None if estado is None else estado.statement.table
        self._filas: dict[str, set] = {}  # columna → valores, de la sentencia (cada consulta una sola vez)

    def __bool__(self) -> bool:
        return bool(self.nuevos or self.editados or self.borrados or self.estado is not None)

    def objetos(self, clases, si_cambia=()):
        """Los objetos de esas clases que el flush crea o borra, y los que edita (con `si_cambia`, solo si cambia
        alguno de esos atributos). Una sentencia masiva no trae objetos."""
        for objeto in (*self.nuevos, *self.borrados):
            if isinstance(objeto, clases):
                yield objeto
        for objeto in self.editados:
            if isinstance(objeto, clases) and (not si_cambia or any(
                    sa.inspect(objeto).attrs[a].history.has_changes() for a in si_cambia)):
                yield objeto

    def valores(self, modelo, columna: str, si_cambia=()) -> set:
        """Los valores de `columna` (antes y después) en las filas de `modelo` que se tocaron, por el flush o por la
        sentencia; con `si_cambia`, solo las que cambian alguno de esos atributos."""
        if self.estado is None:
            return set().union(*(valores_de(o, columna) for o in self.objetos(modelo, si_cambia)))
        if getattr(self.tabla, "name", None) != modelo.__table__.name:  # la de una sentencia ORM va anotada
            return set()
        if self.estado.is_update and si_cambia and not set(si_cambia) & set(self._fijados()):
            return set()
        if columna not in self._filas:
            self._filas[columna] = self._leer(columna) - {None}
        return self._filas[columna]

    # --- la sentencia masiva -------------------------------------------------------------------------------------
    def _parametros(self) -> list[dict]:
        parametros = self.estado.parameters
        return parametros if isinstance(parametros, list) else [parametros or {}]

    def _fijados(self) -> dict:
        """Lo que un INSERT o UPDATE fija con `.values(...)` (un valor, o una expresión que no se conoce: None) y
        con los parámetros de `session.execute`."""
        fijados = {getattr(clave, "key", clave): valor.value if isinstance(valor, BindParameter) else None
                   for clave, valor in (getattr(self.estado.statement, "_values", None) or {}).items()}
        for fila in self._parametros():
            fijados.update(fila)
        return fijados

    def _leer(self, columna: str) -> set:
        sentencia = self.estado.statement
        if self.estado.is_insert:
            return {fila.get(columna) for fila in self._parametros()} | {self._fijados().get(columna)}
        consulta = sa.select(self.tabla.c[columna]).distinct().select_from(self.tabla)
        if sentencia.whereclause is not None:
            consulta = consulta.where(sentencia.whereclause)
        leidos = set(self.sesion.connection().scalars(consulta))
        if self.estado.is_update:  # lo que la columna pasa a valer
            leidos.add(self._fijados().get(columna))
        return leidos


def del_flush(sesion: Session, contexto) -> Tocado:
    """Lo que toca el flush en curso (en after_flush: la sesión aún muestra lo de antes)."""
    tocado = contexto.attributes.get(FLUSH)
    if tocado is None:
        tocado = contexto.attributes[FLUSH] = Tocado(sesion, sesion.new, sesion.dirty, sesion.deleted)
    return tocado


def de_sentencia(estado) -> Tocado | None:
    """Lo que toca la sentencia que va a correr (en do_orm_execute); None si no escribe."""
    if not (estado.is_insert or estado.is_update or estado.is_delete):
        return None
    ultima = estado.session.info.get(SENTENCIA)
    if ultima is not None and ultima[0] is estado:
        return ultima[1]
    tocado = Tocado(estado.session, estado=estado)
    estado.session.info[SENTENCIA] = (estado, tocado)
    return tocado


def de_la_transaccion(sesion: Session) -> dict:
    """Lo que se anota mientras dura la transacción de la sesión: se borra cuando termina, confirmada o deshecha."""
    return sesion.info.setdefault(TRANSACCION, {})


def escribio(sesion: Session) -> bool:
    """Si la transacción ya escribió algo (un flush o una sentencia masiva)."""
    return bool(sesion.info.get(TRANSACCION, {}).get(ESCRIBIO))


# --- los manejadores (los registra gestion.eventos) ----------------------------------------------------------------
def _antes_de_guardar(sesion: Session, _contexto, _instancias) -> None:
    """before_flush: las columnas de cada objeto por borrar, cargadas si expiraron (tras un commit)."""
    for objeto in sesion.deleted:
        estado = sa.inspect(objeto)
        sin_cargar = estado.unloaded & set(estado.mapper.column_attrs.keys())
        if sin_cargar:
            try:
                getattr(objeto, next(iter(sin_cargar)))  # carga de una vez todas las que expiraron
            except ObjectDeletedError:
                pass  # otra transacción ya la borró: el flush lo dice como siempre (un conflicto)


def _al_guardar(sesion: Session, contexto) -> None:
    """after_flush: describe el flush y anota que la transacción escribió."""
    del_flush(sesion, contexto)
    de_la_transaccion(sesion)[ESCRIBIO] = True


def _antes_de_sentencia(estado) -> None:
    """do_orm_execute: describe la sentencia masiva y anota que la transacción escribió."""
    if de_sentencia(estado) is not None:
        de_la_transaccion(estado.session)[ESCRIBIO] = True


def _al_terminar(sesion: Session, transaccion) -> None:
    """after_transaction_end: confirmada o deshecha la transacción entera, no queda nada anotado."""
    if transaccion.parent is None:
        sesion.info.pop(TRANSACCION, None)
        sesion.info.pop(SENTENCIA, None)
