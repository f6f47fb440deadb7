"""Catálogos que mantiene la OAP: todos con búsqueda, filtros y orden."""
from flask_admin.model.form import InlineFormAdmin

from modelos import (
    Cuatrienio,
    Dependencia,
    Instancia,
    PlanInstitucional,
    PndLinea,
    PndObjetivo,
    PndPacto,
    PoliticaMipg,
    PresupuestoProyecto,
    ProyectoInversion,
    UmbralSemaforo,
    UnidadMedida,
    Vigencia,
)

from .base import VistaModelo


class VistaDependencias(VistaModelo):
    column_list = ("codigo", "nombre", "tipo", "padre", "activa")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("tipo", "activa", "padre.nombre")
    column_sortable_list = ("codigo", "nombre", "tipo", ("padre", "padre.nombre"), "activa")
    column_default_sort = "codigo"
    form_columns = ("codigo", "nombre", "tipo", "padre", "activa")
    column_select_related_list = (Dependencia.padre,)


class VistaCuatrienios(VistaModelo):
    column_list = ("anio_inicio", "anio_fin")
    column_default_sort = "anio_inicio"
    form_columns = ("anio_inicio", "anio_fin")


class VistaVigencias(VistaModelo):
    column_list = ("anio", "cuatrienio")
    column_filters = ("anio",)
    column_default_sort = ("anio", True)
    form_columns = ("anio", "cuatrienio")


class VistaPndPactos(VistaModelo):
    column_list = ("codigo", "nombre", "cuatrienio")
    column_searchable_list = ("codigo", "nombre")
    column_default_sort = "codigo"
    form_columns = ("codigo", "nombre", "cuatrienio")


class VistaPndLineas(VistaModelo):
    column_list = ("codigo", "nombre", "pacto")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("pacto.nombre",)
    column_default_sort = "codigo"
    form_columns = ("codigo", "nombre", "pacto")
    column_select_related_list = (PndLinea.pacto,)


class VistaPndObjetivos(VistaModelo):
    column_list = ("codigo", "nombre", "linea")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("linea.nombre",)
    column_default_sort = "codigo"
    form_columns = ("codigo", "nombre", "linea")
    column_select_related_list = (PndObjetivo.linea,)


class VistaPoliticasMipg(VistaModelo):
    column_list = ("codigo", "nombre", "dimension", "activa")
    column_searchable_list = ("codigo", "nombre", "dimension")
    column_filters = ("dimension", "activa")
    column_default_sort = "codigo"
    form_columns = ("codigo", "nombre", "dimension", "activa")


class PresupuestoEnLinea(InlineFormAdmin):
    form_columns = ("id", "vigencia", "valor")
    form_label = "Presupuesto por vigencia"


class VistaProyectos(VistaModelo):
    column_list = ("bpin", "nombre", "dependencia", "activo")
    column_searchable_list = ("bpin", "nombre")
    column_filters = ("dependencia.nombre", "activo")
    column_default_sort = "bpin"
    form_columns = ("bpin", "nombre", "dependencia", "activo")
    column_details_list = ("bpin", "nombre", "dependencia", "activo", "presupuestos")
    column_select_related_list = (ProyectoInversion.dependencia,)
    inline_models = (PresupuestoEnLinea(PresupuestoProyecto),)


class VistaUnidades(VistaModelo):
    column_list = ("codigo", "nombre")
    column_searchable_list = ("codigo", "nombre")
    column_default_sort = "codigo"
    form_columns = ("codigo", "nombre")


class VistaInstancias(VistaModelo):
    column_list = ("codigo", "nombre", "tipo")
    column_searchable_list = ("codigo", "nombre")
    column_filters = ("tipo",)
    form_columns = ("codigo", "nombre", "tipo")


class VistaUmbrales(VistaModelo):
    column_list = ("color", "desde")
    column_default_sort = "desde"
    form_columns = ("color", "desde")
    column_descriptions = {"desde": "Porcentaje de cumplimiento desde el cual rige el color."}


class VistaPlanesInstitucionales(VistaModelo):
    """Los 12 del Decreto 612 vienen sembrados con su numeral y su norma; la OAP agrega los propios de la entidad."""

    column_list = ("numeral", "codigo", "nombre", "dependencia", "instancia_adopcion", "periodo", "activo")
    column_labels = {"numeral": "Numeral (Decreto 612)", "referencia_legal": "Referencia legal",
                     "dependencia": "Dependencia que lo formula", "instancia_adopcion": "Instancia que lo adopta",
                     "anio_inicio": "Desde (año)", "anio_fin": "Hasta (año)", "periodo": "Periodo"}
    column_searchable_list = ("codigo", "nombre", "referencia_legal")
    column_filters = ("activo", "dependencia.nombre")
    column_sortable_list = ("numeral", "codigo", "nombre", ("dependencia", "dependencia.nombre"), "activo")
    column_default_sort = "codigo"
    # El numeral no se escribe: marca los 12 que siembra la migración.
    form_columns = ("codigo", "nombre", "referencia_legal", "dependencia", "instancia_adopcion", "anio_inicio",
                    "anio_fin", "activo")
    column_details_list = ("numeral", "codigo", "nombre", "referencia_legal", "dependencia", "instancia_adopcion",
                           "periodo", "activo")
    column_select_related_list = (PlanInstitucional.dependencia,)


def vistas_catalogos():
    categoria = "Catálogos"
    return [
        VistaDependencias(Dependencia, "Dependencias", categoria),
        VistaCuatrienios(Cuatrienio, "Cuatrienios", categoria),
        VistaVigencias(Vigencia, "Vigencias", categoria),
        VistaPndPactos(PndPacto, "PND: pactos y transformaciones", categoria),
        VistaPndLineas(PndLinea, "PND: líneas", categoria),
        VistaPndObjetivos(PndObjetivo, "PND: objetivos", categoria),
        VistaPoliticasMipg(PoliticaMipg, "Políticas MIPG", categoria),
        VistaProyectos(ProyectoInversion, "Proyectos de inversión", categoria),
        VistaPlanesInstitucionales(PlanInstitucional, "Planes institucionales (Decreto 612)", categoria),
        VistaUnidades(UnidadMedida, "Unidades de medida", categoria),
        VistaInstancias(Instancia, "Comités e instancias", categoria),
        VistaUmbrales(UmbralSemaforo, "Semáforo", categoria),
    ]
