"""La negativa que el usuario debe leer.

Un servicio la lanza cuando la operación no procede: nada cambió y el mensaje explica por qué. El borde
(vista, acción en bloque, comando) deshace la transacción y muestra el mensaje; no es un fallo del sistema.
"""


class OperacionRechazada(Exception):
    """La operación no procede; nada cambió. El mensaje es para el usuario, en español."""
