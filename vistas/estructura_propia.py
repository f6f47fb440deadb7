"""Traer la estructura de un PES o PEI (objetivos, indicadores, metas por año) desde las fichas técnicas de la
oficina, con los mismos pasos que «Traer de un libro propio» de un plan de acción: subir el libro; elegir hoja,
fila de títulos y columnas, con vista previa (cómo se lee cada columna, todos los errores y avisos por páginas);
importar todo o nada. Carga → revisa → llama a `gestion.importacion.estructura` → muestra."""
from types import SimpleNamespace

from flask import flash, redirect, request
from flask_admin import expose
from flask_security import current_user

from gestion.base.archivos import ArchivoRechazado
from gestion.base.errores import OperacionRechazada
from gestion.importacion import errores as libro_de_errores
from gestion.importacion import estructura as servicio
from gestion.importacion import mapeo
from gestion.importacion.lectura import ImportacionRechazada
from modelos import TipoAcumulacion

from . import mapeos_guardados as guardados
from .descargas import guardar_temporal, leer_temporal
from .operaciones import operacion
from .parametros import entero

POR_PAGINA = 50


def _positivo(nombre: str, defecto: int | None = 1) -> int | None:
    valor = entero(nombre)
    return valor if valor and valor > 0 else defecto


class EstructuraDesdeLibroPropio:
    """Mezcla para la vista de planes estratégicos (usa su `_plan`, con el alcance del usuario)."""

    def _pagina_estructura(self, plan, **contexto):
        return self.render("estrategicos/libro_propio.html", plan=plan, **contexto)

    @expose("/plan/<int:id>/libro_propio", methods=("GET", "POST"))
    def libro_propio_view(self, id):
        plan = self._plan(id)
        volver = self.get_url(".plan_view", id=plan.id)
        motivo = servicio.motivo_no_traer(current_user, plan)
        if motivo:
            flash(motivo, "error")
            return redirect(volver)
        if request.method == "POST" and "archivo" in request.files:
            return self._subir_estructura(plan)
        temporal = leer_temporal(request.values.get("libro"))
        if temporal is None:
            return self._pagina_estructura(plan, paso="subir")
        contenido, nombre = temporal
        destino = servicio.destino_de(plan)
        dueno = SimpleNamespace(dependencia_id=None)  # los de la OAP para toda la entidad, no de una dependencia
        try:
            hojas = mapeo.hojas(contenido)
            firmas = mapeo.firmas(contenido)
            mapeos = mapeo.mapeos_para(dueno, current_user, firmas, mapeo.DE_ESTRUCTURA)
            guardado = guardados.elegido(mapeos, firmas)
            elegido, titulos, sugerencia, avisos = guardados.pedido(
                contenido, hojas, guardado, destino.campos,
                lambda hoja, fila: servicio.sugerencia(plan, contenido, hoja, fila))
        except ImportacionRechazada as rechazo:
            flash(str(rechazo), "error")
            return self._pagina_estructura(plan, paso="subir"), 422
        anio_meta = entero("anio_meta")
        tipos = {t.value for t in TipoAcumulacion} | {""}
        acumulaciones = {clave.removeprefix("acum__"): valor for clave, valor in request.values.items()
                         if clave.startswith("acum__") and valor in tipos}
        opciones = servicio.Opciones(anio_meta if anio_meta in (servicio.TODOS_LOS_ANIOS, *plan.cuatrienio.anios)
                                     else None, acumulaciones)
        contexto = dict(paso="mapear", libro=request.values["libro"], nombre=nombre, hojas=hojas, mapeo=elegido,
                        titulos=titulos, campos=destino.campos, sugerencia=sugerencia, opciones=opciones,
                        mapeos=mapeos, guardado=guardado, avisos=avisos,
                        anios=plan.cuatrienio.anios, todos=servicio.TODOS_LOS_ANIOS, tipos=TipoAcumulacion,
                        previa=None)
        try:
            if request.method == "POST":
                return self._importar_estructura(plan, contenido, elegido, opciones, volver)
            if "previa" in request.values:
                contexto.update(self._previa(plan, contenido, elegido, opciones, nombre))
        except ImportacionRechazada as rechazo:  # un campo sin columna: se sigue en el paso de las columnas
            return self._pagina_estructura(plan, error=str(rechazo), **contexto), 422
        return self._pagina_estructura(plan, **contexto)

    def _previa(self, plan, contenido: bytes, elegido, opciones, nombre: str) -> dict:
        previa = servicio.leer(plan, contenido, elegido, opciones)
        pagina_errores, pagina_avisos = _positivo("pagina"), _positivo("pagina_avisos")
        contexto = dict(previa=previa, pagina_errores=pagina_errores, pagina_avisos=pagina_avisos,
                        errores_pagina=previa.errores[(pagina_errores - 1) * POR_PAGINA:pagina_errores * POR_PAGINA],
                        avisos_pagina=previa.avisos[(pagina_avisos - 1) * POR_PAGINA:pagina_avisos * POR_PAGINA],
                        paginas=-(-len(previa.errores) // POR_PAGINA), paginas_avisos=-(-len(previa.avisos) // POR_PAGINA),
                        argumentos={k: v for k, v in request.args.items() if k not in ("pagina", "pagina_avisos")},
                        errores_libro=None)
        if previa.errores:  # el libro de la oficina con cada celda equivocada marcada
            posicion = {t: i + 1 for i, t in enumerate(mapeo.titulos(contenido, elegido.hoja, elegido.fila_encabezado))
                        if t}
            etiquetas = {c.nombre: c.etiqueta for c in servicio.destino_de(plan).campos}
            columna_de = {etiquetas[a]: posicion[t] for a, t in elegido.columnas.items() if t in posicion}
            marcado, _ = libro_de_errores.libro_con_errores(contenido, previa.errores, elegido.hoja,
                                                            elegido.fila_encabezado, columna_de)
            contexto["errores_libro"] = guardar_temporal(marcado, f"errores-{nombre}")
        return contexto

    def _subir_estructura(self, plan):
        try:
            clave = guardados.subir_libro(
                "Elija el libro de Excel (.xlsx) con las fichas técnicas de los indicadores.")
        except (ArchivoRechazado, ImportacionRechazada) as error:
            flash(str(error), "error")
            return self._pagina_estructura(plan, paso="subir"), 422
        return redirect(self.get_url(".libro_propio_view", id=plan.id, libro=clave))

    def _importar_estructura(self, plan, contenido: bytes, elegido, opciones, volver: str):
        with operacion() as desenlace:
            try:
                resumen = servicio.importar(plan, contenido, elegido, current_user, opciones)
            except ImportacionRechazada as rechazo:  # la lista entera la muestra la vista previa, paginada
                raise OperacionRechazada(f"No se importó nada: el libro tiene {len(rechazo.errores)} error(es); "
                                         "están en la vista previa.") from rechazo
            nombre_mapeo = request.form.get("nombre_mapeo", "").strip()
            if nombre_mapeo:
                mapeo.guardar_mapeo(SimpleNamespace(dependencia_id=None), nombre_mapeo,
                                    elegido, current_user, contenido, mapeo.DE_ESTRUCTURA)
            desenlace.exito = resumen.mensaje(plan) + (f" Mapeo «{nombre_mapeo}» guardado." if nombre_mapeo else "")
        if desenlace.hecha:
            return redirect(volver)
        return redirect(self.get_url(
            ".libro_propio_view", id=plan.id, libro=request.form.get("libro"), hoja=elegido.hoja,
            fila=elegido.fila_encabezado, elegidas=1, previa=1, anio_meta=opciones.anio_meta,
            **{f"col_{a}": t for a, t in elegido.columnas.items()},
            **{f"escala_{a}": e for a, e in elegido.escalas.items()},
            **{f"decimal_{a}": d for a, d in elegido.decimales.items()},
            **{f"acum__{texto}": valor for texto, valor in opciones.acumulaciones.items()}))
