"""Traer los avances de un trimestre desde el libro de seguimiento propio de la oficina, desde la ficha del
reporte: subir el libro; elegir hoja, fila de títulos y columnas (las del trimestre del reporte, sugeridas) con
vista previa; importar todo o nada. Carga → revisa → llama a `gestion.importacion.avances_propios` → muestra."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_security import current_user

from gestion.base.archivos import ArchivoRechazado
from gestion.base.errores import OperacionRechazada
from gestion.importacion import avances_propios as servicio
from gestion.importacion import mapeo as generico
from gestion.importacion.lectura import ImportacionRechazada
from gestion.trabajos import cola

from . import mapeos_guardados as guardados
from .descargas import guardar_temporal, leer_temporal
from .libro_propio import ERRORES_POR_PAGINA
from .operaciones import operacion
from .parametros import entero
from .trabajos import lanzar, pagina


class AvancesDesdeLibroPropio:
    """Mezcla para la vista de reportes (usa su `get_one`, con el alcance del usuario)."""

    def _reporte_a_traer(self):
        """La OAP y la dependencia dueña (un limitado no ve el reporte de otra: 404); los demás roles, 403."""
        if not servicio.puede_traer_alguno(current_user):
            abort(403)
        return self.get_one(request.values.get("id"))

    def _pagina_avances(self, reporte, **contexto):
        return self.render("seguimiento/avances_propios.html", reporte=reporte, campos=servicio.CAMPOS, **contexto)

    @expose("/libro_propio/", methods=("GET", "POST"))
    def libro_propio(self):
        reporte = self._reporte_a_traer()
        motivo = servicio.motivo_no_traer(current_user, reporte)
        if motivo:
            return self._pagina_avances(reporte, paso="no", motivo=motivo)
        if request.method == "POST" and "archivo" in request.files:
            return self._subir_avances(reporte)
        temporal = leer_temporal(request.values.get("libro"))
        if temporal is None:
            return self._pagina_avances(reporte, paso="subir")
        contenido, nombre = temporal
        try:
            hojas = generico.hojas(contenido)
            firmas = generico.firmas(contenido)
            mapeos = generico.mapeos_para(reporte, current_user, firmas, generico.DE_AVANCES)
            guardado = guardados.elegido(mapeos, firmas)
            mapeo, titulos, sugerencia, avisos = guardados.pedido(
                contenido, hojas, guardado, servicio.CAMPOS,
                lambda hoja, fila: servicio.sugerencia(contenido, hoja, fila, reporte),
                lambda guardado, titulos: servicio.columnas_guardadas(guardado, titulos, reporte.trimestre,
                                                                      reporte.vigencia.anio))
        except ImportacionRechazada as rechazo:
            flash(str(rechazo), "error")
            return self._pagina_avances(reporte, paso="subir"), 422
        comun = request.values.get("justificacion_comun", "").strip()[:2000]
        contexto = dict(paso="mapear", libro=request.values["libro"], nombre=nombre, hojas=hojas, mapeo=mapeo,
                        titulos=titulos, sugerencia=sugerencia, mapeos=mapeos, guardado=guardado, avisos=avisos,
                        previa=None, errores_libro=None, comun=comun,
                        pagina_errores=max(entero("pagina") or 1, 1), por_pagina=ERRORES_POR_PAGINA)
        try:  # desde aquí, un error deja al usuario en el paso de las columnas, con lo que ya asoció
            if request.method == "POST":
                return self._importar_avances(reporte, contenido, mapeo, comun, nombre)
            if "previa" in request.values:
                contexto["previa"] = previa = servicio.vista_previa(reporte, contenido, mapeo, comun)
                inicio = (contexto["pagina_errores"] - 1) * ERRORES_POR_PAGINA
                contexto.update(errores_pagina=previa.errores[inicio:inicio + ERRORES_POR_PAGINA],
                                paginas=-(-len(previa.errores) // ERRORES_POR_PAGINA),
                                argumentos={k: v for k, v in request.args.items() if k != "pagina"})
                if previa.errores:
                    marcado, _ = servicio.libro_con_errores(contenido, mapeo, previa.errores)
                    contexto["errores_libro"] = guardar_temporal(marcado, f"errores-{nombre}")
        except ImportacionRechazada as rechazo:
            return self._pagina_avances(reporte, error=str(rechazo), **contexto), 422
        return self._pagina_avances(reporte, **contexto)

    def _subir_avances(self, reporte):
        try:
            clave = guardados.subir_libro()
        except (ArchivoRechazado, ImportacionRechazada) as error:
            flash(str(error), "error")
            return self._pagina_avances(reporte, paso="subir"), 422
        return redirect(url_for(".libro_propio", id=reporte.id, libro=clave))

    def _importar_avances(self, reporte, contenido: bytes, mapeo, comun: str, nombre: str):
        nombre_mapeo = request.form.get("nombre_mapeo", "").strip()
        if cola.supera_umbral(cola.filas_del_libro(contenido, mapeo.hoja)):
            # Un libro grande no se importa en la petición (el proxy la cortaría): va a un trabajo, todo o nada.
            trabajo = lanzar("importar_avances_propios", {
                "objeto_id": reporte.id, "entrada": cola.guardar_entrada(contenido), "nombre": nombre[:150],
                "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado, "columnas": mapeo.columnas,
                "escalas": mapeo.escalas, "decimales": mapeo.decimales, "comun": comun, "nombre_mapeo": nombre_mapeo,
                "endpoint": request.endpoint},
                f"Traer los avances de «{nombre[:150]}» a «{reporte}»", dependencia_id=reporte.dependencia_id)
            return pagina(trabajo)
        with operacion() as desenlace:
            try:
                guardados = servicio.importar(reporte, contenido, mapeo, current_user, comun, archivo=nombre)
            except ImportacionRechazada as rechazo:  # la lista entera la muestra la vista previa, paginada
                raise OperacionRechazada(f"No se importó nada: el libro tiene {len(rechazo.errores)} error(es); "
                                         "están en la vista previa.") from rechazo
            if nombre_mapeo:
                generico.guardar_mapeo(reporte, nombre_mapeo, mapeo, current_user, contenido, generico.DE_AVANCES)
            desenlace.exito = servicio.mensaje(reporte, guardados, len(reporte.avances) - guardados) + (
                f" Mapeo «{nombre_mapeo}» guardado." if nombre_mapeo else "")
        if desenlace.hecha:
            return redirect(url_for(".ficha", id=reporte.id))
        return redirect(url_for(".libro_propio", id=reporte.id, libro=request.form.get("libro"), hoja=mapeo.hoja,
                                fila=mapeo.fila_encabezado, elegidas=1, previa=1, justificacion_comun=comun,
                                **{f"col_{a}": t for a, t in mapeo.columnas.items()},
                                **{f"escala_{a}": e for a, e in mapeo.escalas.items()},
                                **{f"decimal_{a}": d for a, d in mapeo.decimales.items()}))
