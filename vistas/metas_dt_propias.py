"""Las metas de las Direcciones Territoriales de un plan de acción desde el libro propio de la oficina (la OAP,
que coordina a todas): subir el libro; elegir hoja, fila de títulos y columnas (trimestres en columnas, o
«Trimestre» y «Meta» si vienen en filas), con vista previa de lo que cambia y todos los errores por páginas;
importar todo o nada. Carga → revisa → llama a `gestion.importacion.metas_dt` → muestra."""
from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_security import current_user

from gestion.base.archivos import ArchivoRechazado
from gestion.base.errores import OperacionRechazada
from gestion.importacion import mapeo
from gestion.importacion import metas_dt as servicio
from gestion.importacion.lectura import ImportacionRechazada
from gestion.reglas import roles as R
from gestion.reglas.permisos import roles_de

from . import mapeos_guardados as guardados
from .descargas import leer_temporal
from .operaciones import operacion
from .parametros import entero

POR_PAGINA = 50


class MetasDtDesdeLibroPropio:
    """Mezcla para la vista de planes de acción (usa su `get_one`, con el alcance del usuario, y su `_volver`): la
    OAP trae las metas de todas las DT de un plan. La vista de metas territoriales la usa para que una DT traiga
    las suyas (vistas/planes_accion.py: VistaMetasTerritoriales), con su propio plan, vuelta y mapeos."""

    def _plan_de_metas_dt(self):
        if not roles_de(current_user) & R.PLANEACION:
            abort(403)
        return self.get_one(request.values.get("id"))

    def _dueno_de_mapeos(self, plan):
        """De qué dependencia son los mapeos guardados que se ofrecen y se guardan: la del plan."""
        return plan

    def _url_volver_de_metas_dt(self, plan) -> str:
        return self.get_url(".ficha", id=plan.id)

    def _pagina_metas_dt(self, plan, **contexto):
        return self.render("plan_accion/metas_dt_libro.html", plan=plan, campos=servicio.DESTINO.campos,
                           volver=self._url_volver_de_metas_dt(plan),
                           dueno_id=self._dueno_de_mapeos(plan).dependencia_id, **contexto)

    @expose("/metas_dt_libro/", methods=("GET", "POST"))
    def metas_dt_libro(self):
        plan = self._plan_de_metas_dt()
        motivo = servicio.motivo_no_cargar(current_user, plan)
        if motivo:
            flash(motivo, "warning")
            return self._volver(plan)
        if request.method == "POST" and "archivo" in request.files:
            return self._subir_metas_dt(plan)
        temporal = leer_temporal(request.values.get("libro"))
        if temporal is None:
            return self._pagina_metas_dt(plan, paso="subir")
        contenido, nombre = temporal
        try:
            hojas = mapeo.hojas(contenido)
            firmas = mapeo.firmas(contenido)
            mapeos = mapeo.mapeos_para(self._dueno_de_mapeos(plan), current_user, firmas, mapeo.DE_METAS_DT)
            guardado = guardados.elegido(mapeos, firmas)
            elegido, titulos, sugerencia, avisos = guardados.pedido(
                contenido, hojas, guardado, servicio.DESTINO.campos,
                lambda hoja, fila: mapeo.sugerencia(contenido, hoja, fila, None, servicio.DESTINO))
        except ImportacionRechazada as rechazo:
            flash(str(rechazo), "error")
            return self._pagina_metas_dt(plan, paso="subir"), 422
        contexto = dict(paso="mapear", libro=request.values["libro"], nombre=nombre, hojas=hojas, mapeo=elegido,
                        titulos=titulos, sugerencia=sugerencia, mapeos=mapeos, guardado=guardado, avisos=avisos,
                        previa=None)
        try:
            if request.method == "POST":
                return self._importar_metas_dt(plan, contenido, elegido)
            if "previa" in request.values:
                previa = servicio.leer(plan, contenido, elegido, current_user)
                pagina = max(entero("pagina") or 1, 1)
                contexto.update(previa=previa, pagina_errores=pagina,
                                errores_pagina=previa.errores[(pagina - 1) * POR_PAGINA:pagina * POR_PAGINA],
                                paginas=-(-len(previa.errores) // POR_PAGINA),
                                argumentos={k: v for k, v in request.args.items() if k != "pagina"})
        except ImportacionRechazada as rechazo:  # un campo sin columna: se sigue en el paso de las columnas
            return self._pagina_metas_dt(plan, error=str(rechazo), **contexto), 422
        return self._pagina_metas_dt(plan, **contexto)

    def _subir_metas_dt(self, plan):
        try:
            clave = guardados.subir_libro(
                "Elija el libro de Excel (.xlsx) con las metas de las Direcciones Territoriales.")
        except (ArchivoRechazado, ImportacionRechazada) as error:
            flash(str(error), "error")
            return self._pagina_metas_dt(plan, paso="subir"), 422
        return redirect(self.get_url(".metas_dt_libro", id=plan.id, libro=clave))

    def _importar_metas_dt(self, plan, contenido: bytes, elegido):
        with operacion() as desenlace:
            try:
                cambiadas = servicio.importar(plan, contenido, elegido, current_user)
            except ImportacionRechazada as rechazo:  # la lista entera la muestra la vista previa, paginada
                raise OperacionRechazada(f"No se importó nada: el libro tiene {len(rechazo.errores)} error(es); "
                                         "están en la vista previa.") from rechazo
            nombre_mapeo = request.form.get("nombre_mapeo", "").strip()
            if nombre_mapeo:
                mapeo.guardar_mapeo(self._dueno_de_mapeos(plan), nombre_mapeo, elegido, current_user, contenido,
                                    mapeo.DE_METAS_DT)
            desenlace.exito = (f"Metas de las Direcciones Territoriales traídas del libro propio: {cambiadas} "
                               "actividad(es) × Dirección con metas nuevas."
                               + (f" Mapeo «{nombre_mapeo}» guardado." if nombre_mapeo else ""))
        if desenlace.hecha:
            return self._volver(plan)
        return redirect(self.get_url(".metas_dt_libro", id=plan.id, libro=request.form.get("libro"),
                                     hoja=elegido.hoja, fila=elegido.fila_encabezado, elegidas=1, previa=1,
                                     **{f"col_{a}": t for a, t in elegido.columnas.items()}))
