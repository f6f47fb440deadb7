"""Un libro que se confirma antes de cargarlo (el que borraría actividades): lo subido queda en la carpeta de
archivos y el formulario de confirmación lleva una marca firmada (quién, qué plan, qué se confirmó, dónde quedó el
libro) que vence en una hora: nadie confirma por otro ni otro archivo. La usan la carga en la petición
(`vistas.cargas`) y el trabajo que la pide al terminar (`vistas.trabajos`)."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from gestion.base.archivos import ArchivoSubido
from gestion.trabajos import cola

VIGENCIA_CONFIRMACION = 3600


def _firmador() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="carga-por-confirmar")


def guardar_para_confirmar(libro: ArchivoSubido, **datos) -> str:
    return marca_para_confirmar(cola.guardar_entrada(libro.contenido), libro.nombre, **datos)


def marca_para_confirmar(entrada: str, nombre: str, **datos) -> str:
    """La marca firmada de un libro ya guardado en la carpeta de archivos (el de un trabajo que pide confirmar)."""
    return _firmador().dumps({"entrada": entrada, "nombre": nombre[:150], **datos})


def leer_confirmacion(marca: str, **esperado) -> tuple[ArchivoSubido, dict] | None:
    """El libro guardado y lo confirmado, si la marca es válida, no venció y es de quien y de lo que se espera."""
    try:
        datos = _firmador().loads(marca, max_age=VIGENCIA_CONFIRMACION)
    except BadSignature:
        return None
    if any(datos.get(clave) != valor for clave, valor in esperado.items()):
        return None
    ruta = cola.raiz() / datos["entrada"]
    if not ruta.is_file():
        return None
    return ArchivoSubido(datos["nombre"], ruta.read_bytes()), datos
