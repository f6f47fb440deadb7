"""Traer el plan de acción desde el libro propio de la oficina, en tres pasos sobre la misma página:
subir el libro; elegir hoja, fila de títulos y columnas (con vista previa); importar todo o nada.

El libro subido se guarda un rato para la sesión (`descargas.guardar_temporal`): los pasos no lo vuelven
a pedir. Carga → revisa → llama a `gestion.importacion.mapeo` → muestra."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_security import current_user

from gestion.base import archivos
from gestion.base.archivos import ArchivoRechazado, ArchivoSubido
from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import actividades as importacion_actividades
from gestion.importacion import mapeo as servicio
from gestion.importacion.lectura import ImportacionRechazada
from modelos import MapeoColumnas, Plan, TipoPlan

from .descargas import guardar_temporal, leer_temporal
from .operaciones import operacion
from .parametros import entero


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

    def _mapeo_pedido(self, contenido: bytes, hojas: list[str], guardado: MapeoColumnas | None):
        # «Usar este mapeo»: manda el guardado (hoja, fila y columnas), no lo que el formulario traía elegido.
        usar_guardado = guardado is not None and "usar_mapeo" in request.values
        hoja = (guardado.hoja if usar_guardado else request.values.get("hoja")) or (
            guardado.hoja if guardado else hojas[0])
        if hoja not in hojas:
            hoja = hojas[0]
        fila = (guardado.fila_encabezado if usar_guardado and guardado.hoja == hoja else
                _entero("fila", guardado.fila_encabezado if guardado and guardado.hoja == hoja
                        else servicio.sugerir_fila(contenido, hoja)))
        titulos = [t for t in servicio.titulos(contenido, hoja, fila) if t]
        if "elegidas" in request.values and not usar_guardado:
            columnas = {c.nombre: request.values[f"col_{c.nombre}"] for c in CAMPOS
                        if request.values.get(f"col_{c.nombre}") in titulos}
        elif guardado is not None:
            columnas = {a: t for a, t in guardado.columnas.items() if t in titulos}
        else:
            columnas = servicio.sugerir(titulos)
        return servicio.Mapeo(hoja, fila, columnas), titulos

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
        mapeos = servicio.mapeos_de(plan.dependencia_id)
        guardado = next((m for m in mapeos if str(m.id) == request.values.get("mapeo")), None)
        try:
            hojas = servicio.hojas(contenido)
            mapeo, titulos = self._mapeo_pedido(contenido, hojas, guardado)
            if request.method == "POST":
                return self._importar(plan, contenido, mapeo)
            previa = servicio.vista_previa(plan, contenido, mapeo) if "previa" in request.values else None
            errores_libro = None
            if previa and previa[2]:  # con errores: el libro de la oficina con cada celda marcada
                marcado, _ = servicio.libro_con_errores(contenido, mapeo, previa[2])
                errores_libro = guardar_temporal(marcado, f"errores-{nombre}")
        except ImportacionRechazada as rechazo:
            flash(str(rechazo), "error")
            return self._pagina(plan, paso="subir"), 422
        return self._pagina(plan, paso="mapear", libro=request.values["libro"],
                           nombre=nombre, hojas=hojas, mapeo=mapeo, titulos=titulos, campos=CAMPOS, mapeos=mapeos,
                           guardado=guardado, previa=previa, errores_libro=errores_libro)

    def _subir(self, plan):
        archivo = ArchivoSubido.de_formulario(request.files.get("archivo"))
        try:
            if archivo is None:
                raise ArchivoRechazado("Elija el libro de Excel (.xlsx) de la oficina.")
            archivos.validar(archivo, {"xlsx"}, "Libro de Excel")
            servicio.hojas(archivo.contenido)  # que se pueda abrir, antes de guardarlo
        except (ArchivoRechazado, ImportacionRechazada) as error:
            flash(str(error), "error")
            return self._pagina(plan, paso="subir"), 422
        clave = guardar_temporal(archivo.contenido, archivo.nombre)
        return redirect(url_for(".libro_propio", id=plan.id, libro=clave))

    def _importar(self, plan, contenido: bytes, mapeo):
        nombre_mapeo = request.form.get("nombre_mapeo", "").strip()
        with operacion() as desenlace:
            carga = servicio.importar(plan, contenido, mapeo, current_user)
            if nombre_mapeo:
                servicio.guardar_mapeo(plan, nombre_mapeo, mapeo, current_user)
            desenlace.exito = carga.mensaje(plan) + (f" Mapeo «{nombre_mapeo}» guardado." if nombre_mapeo else "")
        if desenlace.hecha:
            return self._volver(plan)
        # Rechazada (todo deshecho): de vuelta a la vista previa, que muestra el error de cada fila.
        return redirect(url_for(".libro_propio", id=plan.id, libro=request.form.get("libro"), hoja=mapeo.hoja,
                                fila=mapeo.fila_encabezado, elegidas=1, previa=1,
                                **{f"col_{a}": t for a, t in mapeo.columnas.items()}))
