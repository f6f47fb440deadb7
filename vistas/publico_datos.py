"""Datos abiertos en las páginas públicas: el índice, y cada conjunto de una vigencia en CSV, JSON y su diccionario.

Direcciones estables, para cargarlas en datos.gov.co: /publico/datos/<año>/<conjunto>.csv, .json y /diccionario.
Un año sin nada publicado, o un conjunto que no existe, es un 404.
"""
from flask import Response, abort, render_template, url_for

from gestion.publicacion import datos_abiertos as datos

from .descargas import TIPO_CSV
from .publico import publico


def _cargar(anio: int, clave: str) -> tuple[datos.Conjunto, datos.Publicado]:
    conjunto = datos.CONJUNTOS.get(clave)
    publicado = datos.publicado(anio) if conjunto is not None else None
    if publicado is None:
        abort(404)
    return conjunto, publicado


def _urls(anio: int, clave: str) -> dict[str, str]:
    return {formato: url_for(f"publico.datos_{formato}", anio=anio, conjunto=clave, _external=True)
            for formato in ("csv", "json", "diccionario")}


@publico.route("/datos/")
def datos_indice():
    return render_template("publico_datos/indice.html", anios=datos.vigencias_publicadas(),
                           conjuntos=list(datos.CONJUNTOS.values()), formato=datos.FORMATO_CSV, licencia=datos.LICENCIA)


@publico.route("/datos/<int:anio>/<conjunto>.csv")
def datos_csv(anio: int, conjunto: str):
    definicion, publicado = _cargar(anio, conjunto)
    respuesta = Response(datos.csv_de(definicion, definicion.filas(publicado)), mimetype=TIPO_CSV)
    respuesta.headers.set("Content-Disposition", "attachment", filename=f"{conjunto}-{anio}.csv")
    return respuesta


@publico.route("/datos/<int:anio>/<conjunto>.json")
def datos_json(anio: int, conjunto: str):
    definicion, publicado = _cargar(anio, conjunto)
    cuerpo = datos.json_de(definicion, publicado, definicion.filas(publicado), _urls(anio, conjunto))
    return Response(cuerpo, mimetype="application/json")


@publico.route("/datos/<int:anio>/<conjunto>/diccionario")
def datos_diccionario(anio: int, conjunto: str):
    definicion, publicado = _cargar(anio, conjunto)
    return render_template("publico_datos/diccionario.html", conjunto=definicion,
                           metadatos=definicion.metadatos(publicado, _urls(anio, conjunto)), anio=anio)
