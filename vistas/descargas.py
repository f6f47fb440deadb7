"""Entrega de los archivos de las actas: el mismo camino para todas (plan, PAI, informe, ajuste)."""
from flask import abort, send_file

from gestion import actas, archivos


def enviar_acta(acta):
    """El archivo del acta como descarga; 404 si el acta no tiene archivo en su carpeta."""
    ruta = actas.ruta(acta)
    if ruta is None:
        abort(404)
    return send_file(ruta, mimetype=archivos.tipo_mime(ruta), as_attachment=True,
                     download_name=actas.nombre_descarga(acta, ruta))
