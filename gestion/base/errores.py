"""La negativa que el usuario debe leer.

Un servicio la lanza cuando la operación no procede: nada cambió y el mensaje explica por qué. El borde
(vista, acción en bloque, comando) deshace la transacción y muestra el mensaje; no es un fallo del sistema.
"""


class OperacionRechazada(Exception):
    """La operación no procede; nada cambió. El mensaje es para el usuario, en español."""


MENSAJE_CONFLICTO = ("Otra persona modificó este registro mientras usted lo editaba. "
                     "Sus cambios no se guardaron: recargue la página y vuelva a aplicarlos.")

MENSAJE_REPETIDO = ("No se guardó: el dato repite un código o un registro que ya existe, deja un campo obligatorio "
                    "vacío o tiene un valor fuera de rango. Revise los datos actuales y vuelva a intentarlo.")
MENSAJE_DATO_FUERA_DE_RANGO = ("No se guardó: un dato está fuera del rango que el sistema admite (un número "
                               "demasiado grande, un texto demasiado largo). Corríjalo y vuelva a intentarlo.")


class EdicionConcurrente(OperacionRechazada):
    """Lo que el usuario leyó ya cambió: guardar pisaría en silencio lo que otro guardó antes."""

    def __init__(self, mensaje: str = MENSAJE_CONFLICTO):
        super().__init__(mensaje)


class ErroresDeFilas(OperacionRechazada):
    """Un guardado de varias filas (reporte, cuadro diagnóstico, tabla de metas) con errores: no se guarda
    ninguna. `errores` los nombra uno por uno; `conflicto` dice si alguno fue un choque con otro editor."""

    def __init__(self, errores: list[str], conflicto: bool = False):
        self.errores, self.conflicto = errores, conflicto
        super().__init__(f"No se guardó nada: hay {len(errores)} error(es). Corríjalos y vuelva a guardar.")


def guardar_filas(filas, guardar, detener=lambda error: False) -> int:
    """Aplica `guardar(fila)` a cada fila; si alguna se rechaza, lanza ErroresDeFilas con todas las razones
    (el borde deshace lo demás). `detener(error)` corta el recorrido cuando las demás filas dirían lo mismo."""
    errores, conflicto, guardadas = [], False, 0
    for fila in filas:
        try:
            guardar(fila)
            guardadas += 1
        except OperacionRechazada as error:
            errores.append(str(error))
            conflicto = conflicto or isinstance(error, EdicionConcurrente)
            if detener(error):
                break
    if errores:
        raise ErroresDeFilas(list(dict.fromkeys(errores)), conflicto)
    return guardadas
