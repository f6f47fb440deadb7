"""Los trabajos largos en el panel: la lista de los que el usuario puede ver, la página de progreso (se recarga
sola mientras corre), la descarga del resultado dentro del alcance y el reintento de uno fallido."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.contrib.sqla import ModelView
from flask_security import current_user
from markupsafe import Markup
from sqlalchemy.orm import defer

from gestion.base import formato, validacion
from gestion.trabajos import cola as servicio
from modelos import EstadoTrabajo, Trabajo, db

from .base import VistaSoloLectura, usuario_actual
from .confirmaciones import marca_para_confirmar
from .descargas import enviar_archivo
from .operaciones import confirmar

# Cada cuántos segundos se recarga la página de un trabajo que aún corre.
RECARGA = 2
# Una carga lleva de vuelta a la página de lo cargado; si falló, a subir otro libro (no a repetir el mismo).
PAGINA_DE_LA_CARGA = {"importar_actividades": ("planes_accion.ficha", "Volver al plan"),
                      "importar_avances": ("reportetrimestral.ficha", "Volver al reporte")}


def _carga(trabajo: Trabajo) -> dict | None:
    destino = PAGINA_DE_LA_CARGA.get(trabajo.tipo)
    objeto_id = (trabajo.parametros or {}).get("objeto_id")
    if destino is None or objeto_id is None:
        return None
    endpoint = trabajo.parametros.get("endpoint")
    return {"volver": url_for(destino[0], id=objeto_id), "texto": destino[1],
            "subir": url_for(endpoint, id=objeto_id) if endpoint else None}


def _borrados(trabajo: Trabajo) -> dict | None:
    """Una carga de actividades que no se hizo porque borraría actividades del plan: la lista, y la confirmación
    firmada (la de la página de la carga) que la vuelve a pedir con esos borrados y el mismo libro."""
    p = trabajo.parametros or {}
    por_borrar = (trabajo.datos or {}).get("por_borrar")
    if trabajo.tipo != "importar_actividades" or trabajo.estado is not EstadoTrabajo.FALLIDO or not por_borrar:
        return None
    marca = marca_para_confirmar(p["entrada"], p["nombre"], plan=p["objeto_id"], usuario=current_user.id,
                                 borrar=[b["codigo"] for b in por_borrar])
    return {"lista": por_borrar, "confirmacion": marca, "plan_id": p["objeto_id"],
            "accion": url_for(p["endpoint"])}


def _previa(trabajo: Trabajo) -> dict | None:
    """Una vista previa calculada en un trabajo lleva de vuelta a su página: con ella, si terminó; si no, a las
    columnas, con lo que ya se había asociado."""
    argumentos = (trabajo.parametros or {}).get("argumentos")
    if trabajo.tipo != "previa_libro_propio" or not argumentos:
        return None
    columnas = {k: v for k, v in argumentos.items() if k != "previa"}
    return {"ver": url_for(trabajo.parametros["endpoint"], **argumentos, trabajo=trabajo.id),
            "columnas": url_for(trabajo.parametros["endpoint"], **columnas)}


def _progreso(vista, contexto, trabajo, nombre):
    return f"{trabajo.porcentaje} %"


def _enlace(vista, contexto, trabajo, nombre):
    return Markup('<a href="{}">Ver</a>').format(url_for(".ficha", id=trabajo.id))


class VistaTrabajos(VistaSoloLectura):
    column_list = ("descripcion", "estado", "progreso", "usuario", "creado_en", "terminado_en", "pagina")
    column_labels = {"descripcion": "Trabajo", "progreso": "Progreso", "usuario": "Pedido por",
                     "creado_en": "Pedido el", "terminado_en": "Terminado el", "pagina": "Página"}
    column_formatters = {"progreso": _progreso, "pagina": _enlace}
    column_filters = ("estado",)
    column_default_sort = ("id", True)
    column_select_related_list = (Trabajo.usuario,)
    can_view_details = False
    can_export = False

    # --- alcance: los trabajos no son de una sección, sino de quien los pidió (gestion.trabajos.cola) -------
    def is_accessible(self):
        usuario = usuario_actual()
        return usuario.is_authenticated and servicio.puede_pedir(usuario)

    def puede_escribir(self) -> bool:
        return servicio.puede_pedir(current_user)

    def post_permitido(self, endpoint):
        return endpoint == "reintentar" and self.puede_escribir()

    def get_query(self):
        # La lista no muestra los errores, los datos de la página ni los parámetros de cada trabajo: los de una
        # vista previa o una carga grande pesan cientos de KB por fila. La ficha lee el trabajo entero (get_one).
        return (db.session.query(Trabajo).filter(servicio.criterio_visibles(current_user))
                .options(defer(Trabajo.errores), defer(Trabajo.datos), defer(Trabajo.parametros)))

    def get_count_query(self):
        return ModelView.get_count_query(self).filter(servicio.criterio_visibles(current_user))

    def get_one(self, id):
        try:
            clave = validacion.leer_entero(id)
        except ValueError:
            abort(404)
        trabajo = db.session.get(Trabajo, clave) if clave is not None else None
        if trabajo is None or not servicio.puede_ver(current_user, trabajo):
            abort(404)
        return trabajo

    # --- páginas ------------------------------------------------------------------------------
    @expose("/ficha/")
    def ficha(self):
        trabajo = self.get_one(request.args.get("id"))
        if servicio.revisar(trabajo):  # su proceso murió o la cola lo perdió: la página dice la verdad
            confirmar()
        carga = _carga(trabajo)
        # Una carga que falló lo hizo por su libro (errores, borrados sin confirmar): se corrige y se sube otro.
        reintentable = servicio.reintentable(trabajo) and not (carga and trabajo.estado is EstadoTrabajo.FALLIDO)
        return self.render("trabajos/ficha.html", trabajo=trabajo, recarga=RECARGA if trabajo.activo else None,
                           resultado=servicio.ruta_resultado(trabajo) is not None, formato=formato,
                           reintentable=reintentable, carga=carga, previa=_previa(trabajo),
                           borrados=_borrados(trabajo))

    @expose("/resultado/")
    def resultado(self):
        return enviar_resultado(self.get_one(request.args.get("id")))

    @expose("/reintentar/", methods=("POST",))
    def reintentar(self):
        trabajo = self.get_one(request.form.get("id"))
        if servicio.reintentar(trabajo):
            confirmar("El trabajo volvió a la cola.")
            servicio.despachar(trabajo)
        else:
            flash("Solo se reintenta un trabajo fallido (o uno cuyo proceso dejó de responder): este ya está en "
                  "cola, en curso o terminado.", "warning")
        return redirect(url_for(".ficha", id=trabajo.id))


def enviar_resultado(trabajo: Trabajo):
    ruta = servicio.ruta_resultado(trabajo)
    if ruta is None:
        abort(404)
    return enviar_archivo(ruta, trabajo.nombre_archivo or ruta.name)


def lanzar(tipo: str, parametros: dict, descripcion: str, **opciones) -> Trabajo:
    """Registra el trabajo, confirma (un commit) y lo despacha: en la cola, o aquí mismo si no hay cola."""
    trabajo, despachar = servicio.pedir(tipo, parametros, current_user, descripcion, **opciones)
    confirmar()
    if despachar:
        servicio.despachar(trabajo)
    db.session.expire(trabajo)
    return trabajo


def pagina(trabajo: Trabajo):
    return redirect(url_for("trabajo.ficha", id=trabajo.id))


def vistas_trabajos():
    return [VistaTrabajos(Trabajo, "Trabajos", endpoint="trabajo")]
