"""La publicación del art. 74 (Ley 1474 de 2011) de cada vigencia y el informe de gestión, en las páginas públicas."""
from flask import abort, render_template

from gestion.excel import informe_gestion as excel_informe
from gestion.publicacion import datos_abiertos, informe_gestion
from gestion.publicacion import transparencia as servicio

from .descargas import enviar_archivo, enviar_libro
from .publico import publico


@publico.route("/transparencia/<int:anio>")
def transparencia(anio: int):
    """Un año que no es vigencia no existe; uno sin nada publicado muestra la lista con «falta» en cada ítem."""
    contenido = transparencia_de(anio)
    return render_template("publico_transparencia/art74.html", art74=contenido,
                           conjuntos=datos_abiertos.CONJUNTOS)


def transparencia_de(anio: int) -> servicio.Art74:
    contenido = servicio.art74(anio)
    if contenido is None:
        abort(404)
    return contenido


@publico.route("/transparencia/<int:anio>/plan-compras")
def plan_compras(anio: int):
    contenido = transparencia_de(anio)
    ruta = servicio.ruta_plan_compras(contenido.plan_compras)
    if ruta is None:
        abort(404)
    return enviar_archivo(ruta, f"plan-compras-{anio}{ruta.suffix}")


def _informe(anio: int) -> informe_gestion.InformeGestion:
    informe = informe_gestion.informe(anio)
    if informe is None:
        abort(404)
    return informe


@publico.route("/informe-gestion/<int:anio>")
def informe_gestion_html(anio: int):
    return render_template("publico_transparencia/informe_gestion.html", informe=_informe(anio))


@publico.route("/informe-gestion/<int:anio>.xlsx")
def informe_gestion_xlsx(anio: int):
    informe = _informe(anio)
    return enviar_libro(excel_informe.libro(informe), excel_informe.nombre_archivo(informe))
