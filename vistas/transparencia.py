"""La publicación del art. 74 en el panel: el plan de compras de cada vigencia (enlace o archivo) que registra la
OAP, y su lista antes del 31 de enero: cada contenido del art. 74, «publicado · enlace» o «falta», como la matriz
ITA de la Procuraduría."""
import sqlalchemy as sa
from flask import request
from flask_admin import expose
from flask_security import current_user
from wtforms import BooleanField, FileField

from gestion.base import archivos
from gestion.base.archivos import ArchivoSubido
from gestion.publicacion import datos_abiertos, transparencia
from modelos import PlanCompras, Vigencia, ahora, db

from .base import VistaModelo


class VistaPlanCompras(VistaModelo):
    recurso = "catalogos"  # la OAP lo registra; Control Interno lo lee
    list_template = "transparencia/plan_compras_lista.html"
    column_list = ("vigencia", "enlace", "nombre_archivo", "actualizado_en", "actualizado_por")
    column_labels = {"enlace": "Enlace", "nombre_archivo": "Archivo", "actualizado_en": "Registrado el",
                     "actualizado_por": "Por"}
    column_default_sort = ("vigencia_id", True)
    column_select_related_list = (PlanCompras.vigencia, PlanCompras.actualizado_por)
    form_columns = ("vigencia", "enlace", "subir_archivo", "quitar_archivo")
    # Otro nombre que la columna: Flask-Admin copiaría el archivo recibido en `archivo` (la ruta guardada).
    form_extra_fields = {"subir_archivo": FileField("Archivo (PDF, Excel, Word o CSV)"),
                         "quitar_archivo": BooleanField("Quitar el archivo actual")}
    form_args = {"enlace": {"label": "Enlace (por ejemplo, el Plan Anual de Adquisiciones en SECOP II)"}}

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        transparencia.completar_plan_compras(model, current_user,
                                             ArchivoSubido.de_formulario(request.files.get("subir_archivo")),
                                             quitar_archivo=bool(form.quitar_archivo.data))

    def after_model_change(self, form, model, is_created):
        archivos.borrar_retirados()

    def on_model_delete(self, model):
        super().on_model_delete(model)
        archivos.retirar(model.archivo, transparencia.CARPETA_PLAN_COMPRAS)

    def after_model_delete(self, model):
        archivos.borrar_retirados()

    def handle_view_exception(self, exc):
        archivos.descartar_nuevos()  # el archivo de un guardado que no se hizo no queda en la carpeta
        return super().handle_view_exception(exc)

    @expose("/art74/")
    def art74(self):
        vigencias = db.session.scalars(sa.select(Vigencia).order_by(Vigencia.anio.desc())).all()
        pedida = request.args.get("vigencia", "")
        # Por defecto, la del año en curso (o la más reciente).
        vigencia = (next((v for v in vigencias if str(v.anio) == pedida), None)
                    or next((v for v in vigencias if v.anio == ahora().year), vigencias[0] if vigencias else None))
        return self.render("transparencia/lista.html", vigencia=vigencia, vigencias=vigencias,
                           art74=transparencia.art74(vigencia.anio) if vigencia else None,
                           conjuntos=datos_abiertos.CONJUNTOS, puede_escribir=self.puede_escribir())


def vistas_transparencia():
    return [VistaPlanCompras(PlanCompras, "Publicación (art. 74)", "Planeación", endpoint="plancompras")]
