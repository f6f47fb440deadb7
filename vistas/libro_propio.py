"""Traer el plan de acción desde el libro propio de la oficina, en tres pasos sobre la misma página:
subir el libro; elegir hoja, fila de títulos y columnas (con vista previa); importar todo o nada.

El libro subido se guarda un rato para la sesión (`descargas.guardar_temporal`): los pasos no lo vuelven
a pedir. Carga → revisa → llama a `gestion.importacion.mapeo` → muestra."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_security import current_user

from gestion.base.archivos import ArchivoRechazado
from gestion.base.errores import OperacionRechazada
from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import actividades as importacion_actividades
from gestion.importacion import mapeo as servicio
from gestion.importacion.lectura import ImportacionRechazada
from gestion.importacion.previa import como_datos
from gestion.trabajos import cola
from modelos import EstadoTrabajo, Plan, TipoPlan, Trabajo, db

from . import mapeos_guardados as guardados
from .descargas import guardar_temporal, leer_temporal
from .operaciones import operacion
from .parametros import entero
from .trabajos import lanzar, pagina

ERRORES_POR_PAGINA = 50
PREVIA_EN_TRABAJO = "previa_libro_propio"  # gestion.trabajos.tareas


def _entero(nombre: str, defecto: int) -> int:
    valor = entero(nombre)
    return valor if valor and valor > 0 else defecto


class ImportacionDesdeLibroPropio:
    """Mezcla para la vista de planes de acción (usa su `get_one`, con el alcance del usuario, y su `_volver`)."""

    def _plan_a_traer(self) -> Plan:
        """La OAP y el director (el de otra dependencia no ve el plan: 404); los demás roles, 403."""
        if not servicio.puede_traer_alguno(current_user):
            abort(403)
        plan = self.get_one(request.values.get("id"))
        if plan.tipo is not TipoPlan.PA:
            abort(404)
        return plan

    def _pagina(self, plan, **contexto):
        # El enlace a la plantilla, solo para quien también puede cargarla (el director; no la OAP).
        return self.render("plan_accion/libro_propio.html", plan=plan, **contexto,
                           con_plantilla=importacion_actividades.motivo_no_cargar(current_user, plan) is None)

    @expose("/libro_propio/", methods=("GET", "POST"))
    def libro_propio(self):
        plan = self._plan_a_traer()
        motivo = servicio.motivo_no_traer(current_user, plan)
        if motivo:
            flash(motivo, "warning")
            return self._volver(plan)
        if request.method == "POST" and "archivo" in request.files:
            return self._subir(plan)
        guardado_temporal = leer_temporal(request.values.get("libro"))
        if guardado_temporal is None:
            return self._pagina(plan, paso="subir")
        contenido, nombre = guardado_temporal
        try:
            hojas = servicio.hojas(contenido)
            firmas = servicio.firmas(contenido)
            mapeos = servicio.mapeos_para(plan, current_user, firmas)
            guardado = guardados.elegido(mapeos, firmas)
            mapeo, titulos, sugerencia, avisos = guardados.pedido(
                contenido, hojas, guardado, CAMPOS,
                lambda hoja, fila: servicio.sugerencia(contenido, hoja, fila, plan.vigencia.anio))
        except ImportacionRechazada as rechazo:
            flash(str(rechazo), "error")
            return self._pagina(plan, paso="subir"), 422
        contexto = dict(paso="mapear", libro=request.values["libro"], nombre=nombre, hojas=hojas, mapeo=mapeo,
                        titulos=titulos, campos=CAMPOS, mapeos=mapeos, guardado=guardado, sugerencia=sugerencia,
                        avisos=avisos, previa=None, errores_libro=None, pagina_errores=_entero("pagina", 1),
                        por_pagina=ERRORES_POR_PAGINA)
        try:  # desde aquí, un error deja al usuario en el paso de las columnas, con lo que ya asoció
            if request.method == "POST":
                return self._importar(plan, contenido, mapeo, nombre)
            if "previa" in request.values:
                trabajo = self._trabajo_de_la_previa(plan, mapeo)
                if trabajo is not None and trabajo.estado is not EstadoTrabajo.TERMINADO:
                    return pagina(trabajo)  # aún corre, o falló (su página dice por qué)
                if trabajo is None and cola.supera_umbral(cola.filas_del_libro(contenido, mapeo.hoja)):
                    servicio.exigir_obligatorios(mapeo, servicio.ACTIVIDADES)  # lo que falta se dice aquí, con lo ya asociado
                    return self._previa_en_trabajo(plan, contenido, mapeo, nombre)
                contexto["previa"] = previa = (trabajo.datos if trabajo is not None
                                               else self._previa_aqui(plan, contenido, mapeo, nombre, contexto))
                if trabajo is not None and cola.ruta_resultado(trabajo) is not None:
                    contexto["errores_libro"] = url_for("trabajo.resultado", id=trabajo.id)
                inicio = (contexto["pagina_errores"] - 1) * ERRORES_POR_PAGINA
                contexto.update(errores_pagina=previa["errores"][inicio:inicio + ERRORES_POR_PAGINA],
                                paginas=-(-len(previa["errores"]) // ERRORES_POR_PAGINA),
                                argumentos={k: v for k, v in request.args.items() if k != "pagina"})
        except ImportacionRechazada as rechazo:
            return self._pagina(plan, error=str(rechazo), **contexto), 422
        return self._pagina(plan, **contexto)

    @staticmethod
    def _previa_aqui(plan, contenido: bytes, mapeo, nombre: str, contexto: dict) -> dict:
        previa = servicio.vista_previa(plan, contenido, mapeo)
        if previa.errores:  # con errores: el libro de la oficina con cada celda marcada
            marcado, _ = servicio.libro_con_errores(contenido, mapeo, previa.errores)
            contexto["errores_libro"] = url_for("descargas.descargar", clave=guardar_temporal(marcado,
                                                                                            f"errores-{nombre}"))
        return como_datos(previa, mapeo)

    def _previa_en_trabajo(self, plan, contenido: bytes, mapeo, nombre: str):
        """Un libro grande no se lee en la petición (el proxy la cortaría): su vista previa es un trabajo, con su
        progreso; al terminar, su página lleva de vuelta a esta con la vista previa y el mismo mapeo."""
        trabajo = lanzar(PREVIA_EN_TRABAJO, {
            "objeto_id": plan.id, "entrada": cola.guardar_entrada(contenido), "nombre": nombre[:150],
            "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado, "columnas": mapeo.columnas, "escalas": mapeo.escalas,
            "decimales": mapeo.decimales, "endpoint": request.endpoint,
            "argumentos": argumentos_de_la_previa(plan, request.values["libro"], mapeo)},
            f"Vista previa de «{nombre[:150]}» para «{plan}»", dependencia_id=plan.dependencia_id)
        return pagina(trabajo)

    @staticmethod
    def _trabajo_de_la_previa(plan, mapeo) -> Trabajo | None:
        """El trabajo que calculó la vista previa de este libro con este mapeo, si la página viene de él."""
        trabajo = db.session.get(Trabajo, entero("trabajo") or 0)
        if trabajo is None or trabajo.tipo != PREVIA_EN_TRABAJO or not cola.puede_ver(current_user, trabajo):
            return None
        esperados = argumentos_de_la_previa(plan, request.values.get("libro"), mapeo)
        if (trabajo.parametros or {}).get("argumentos") != esperados:
            return None  # otro libro u otro mapeo (un clic cambió una escala): otra vista previa
        if trabajo.estado is EstadoTrabajo.TERMINADO and trabajo.datos is None:
            return None
        return trabajo

    def _subir(self, plan):
        try:
            clave = guardados.subir_libro()
        except (ArchivoRechazado, ImportacionRechazada) as error:
            flash(str(error), "error")
            return self._pagina(plan, paso="subir"), 422
        return redirect(url_for(".libro_propio", id=plan.id, libro=clave))

    def _importar(self, plan, contenido: bytes, mapeo, nombre: str):
        nombre_mapeo = request.form.get("nombre_mapeo", "").strip()
        if cola.supera_umbral(cola.filas_del_libro(contenido, mapeo.hoja)):
            # Un libro grande no se importa en la petición (el proxy la cortaría): va a un trabajo, con lo que
            # se vio y confirmó en la vista previa.
            trabajo = lanzar("importar_libro_propio", {
                "objeto_id": plan.id, "entrada": cola.guardar_entrada(contenido), "nombre": nombre[:150],
                "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado, "columnas": mapeo.columnas,
                "escalas": mapeo.escalas, "decimales": mapeo.decimales, "nombre_mapeo": nombre_mapeo,
                "huella_borrado": request.form.get("huella_borrado"), "endpoint": request.endpoint},
                f"Traer «{nombre[:150]}» a «{plan}»", dependencia_id=plan.dependencia_id)
            return pagina(trabajo)
        with operacion() as desenlace:
            try:
                carga = servicio.importar(plan, contenido, mapeo, current_user, request.form.get("huella_borrado"))
            except ImportacionRechazada as rechazo:  # la lista entera la muestra la vista previa, paginada
                raise OperacionRechazada(f"No se importó nada: el libro tiene {len(rechazo.errores)} error(es); "
                                         "están en la vista previa.") from rechazo
            if nombre_mapeo:
                servicio.guardar_mapeo(plan, nombre_mapeo, mapeo, current_user, contenido)
            desenlace.exito = carga.mensaje(plan) + (f" Mapeo «{nombre_mapeo}» guardado." if nombre_mapeo else "")
        if desenlace.hecha:
            return self._volver(plan)
        # Rechazada (todo deshecho): de vuelta a la vista previa, que muestra el error de cada fila.
        return redirect(url_for(".libro_propio", **argumentos_de_la_previa(plan, request.form.get("libro"), mapeo)))


def argumentos_de_la_previa(plan, libro: str | None, mapeo) -> dict:
    """La dirección de la vista previa de `libro` con `mapeo`: la misma lleva de vuelta desde un rechazo o desde
    el trabajo que la calculó, y nada de lo asociado se pierde."""
    return {"id": plan.id, "libro": libro, "hoja": mapeo.hoja, "fila": mapeo.fila_encabezado, "elegidas": 1,
            "previa": 1, **{f"col_{a}": t for a, t in mapeo.columnas.items()},
            **{f"escala_{a}": e for a, e in mapeo.escalas.items()},
            **{f"decimal_{a}": d for a, d in mapeo.decimales.items()}}
