"""El único sitio donde una vista entrega un archivo generado (libro .xlsx o .csv) al navegador."""
from io import BytesIO

from flask import send_file

from gestion.excel.libro import TIPO_MIME

TIPO_CSV = "text/csv; charset=utf-8"


def enviar_libro(contenido, nombre: str, tipo: str = TIPO_MIME):
    """`contenido`: los bytes del libro o un archivo abierto (se envía por trozos desde el disco)."""
    archivo = BytesIO(contenido) if isinstance(contenido, bytes) else contenido
    return send_file(archivo, mimetype=tipo, as_attachment=True, download_name=nombre)
