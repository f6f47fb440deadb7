"""La OAP trae un libro (una hoja o varias) con las actividades de varias dependencias a sus planes de acción de
una vigencia: subir; elegir hojas, columnas y la columna de la dependencia; ver la vista previa por dependencia,
decidir lo que falta en los catálogos; importar todo o nada. Carga → revisa → llama a
`gestion.importacion.reparto` → muestra."""
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_security import current_user

from gestion.base.archivos import ArchivoRechazado
from gestion.base.errores import OperacionRechazada
from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import mapeo as M
from gestion.importacion import reparto as servicio
from gestion.importacion.catalogos_nuevos import Decision
from gestion.importacion.lectura import ImportacionRechazada
from gestion.trabajos import cola
from modelos import Dependencia, MapeoColumnas, Vigencia, db

from .descargas import leer_temporal
from .mapeos_guardados import subir_libro
from .operaciones import operacion
from .parametros import entero
from .trabajos import lanzar, pagina

ERRORES_POR_PAGINA = 50
# Los parámetros de la página que no son del pedido: no pasan al formulario de importar.
PROPIOS = {"pagina", "previa"}


def _decisiones(prefijo: str) -> dict[str, Decision]:
    """Lo que la OAP eligió para cada valor: «{prefijo}:{clave}» = «crear» o «usar:CÓDIGO», con su código y
    nombre para crear en «{prefijo}_codigo:{clave}» y «{prefijo}_nombre:{clave}»."""
    elegidas = {}
    for nombre in request.values:
        if nombre.startswith(f"{prefijo}:"):
            clave = nombre[len(prefijo) + 1:]
            decision = Decision.de_formulario(request.values.get(nombre),
                                              request.values.get(f"{prefijo}_codigo:{clave}"),
                                              request.values.get(f"{prefijo}_nombre:{clave}"))
            if decision is not None:
                elegidas[clave] = decision
    return elegidas


class ImportacionDeVariasDependencias:
    """Mezcla para la vista de planes de acción (usa su `_vigencia`)."""

    def _exigir_repartir(self):
        if not servicio.puede_repartir(current_user):
            abort(403)

    def _guardado(self, contenido: bytes) -> MapeoColumnas | None:
        """El mapeo de varias dependencias guardado para un libro con los mismos títulos (de cualquier dependencia)."""
        firmas = M.firmas(contenido)
        guardados = db.session.scalars(sa.select(MapeoColumnas).where(MapeoColumnas.firma.in_(firmas),
                                                                      MapeoColumnas.destino == M.DE_VARIAS)
                                       .order_by(MapeoColumnas.actualizado_en.desc())) if firmas else []
        return next(iter(guardados), None)

    def _pedido(self, contenido: bytes, hojas: list[str]):
        """El pedido que se está viendo, los títulos de la primera hoja elegida y la sugerencia (si no eligió)."""
        guardado = None if "elegidas" in request.values else self._guardado(contenido)
        opciones = (guardado.opciones or {}) if guardado else {}
        elegidas = [h for h in request.values.getlist("hojas") if h in hojas] or \
            [h for h in opciones.get("hojas", []) if h in hojas] or hojas
        modelo, sugerida = servicio.hoja_modelo(contenido, elegidas)
        primera = request.values.get("modelo") if request.values.get("modelo") in elegidas else (
            guardado.hoja if guardado and guardado.hoja in elegidas else modelo)
        fila = entero("fila") or (guardado.fila_encabezado if guardado and guardado.hoja == primera
                                  else sugerida if primera == modelo else M.sugerir_fila(contenido, primera))
        titulos = [t for t in M.titulos(contenido, primera, fila) if t]
        sugerencia = None
        if "elegidas" in request.values:
            columnas = {c.nombre: request.values[f"col_{c.nombre}"] for c in CAMPOS
                        if request.values.get(f"col_{c.nombre}") in titulos}
            dependencia = request.values.get("dependencia") if request.values.get("dependencia") in titulos else None
        elif guardado is not None:
            columnas = {a: t for a, t in guardado.columnas.items() if t in titulos}
            dependencia = opciones.get("dependencia") if opciones.get("dependencia") in titulos else None
        else:
            vigencia = self._vigencia(request.values.get("vigencia"))
            sugerencia = M.sugerencia(contenido, primera, fila, vigencia.anio if vigencia else None)
            columnas = dict(sugerencia.columnas)
            dependencia = servicio.sugerir_dependencia(titulos)
            if dependencia in columnas.values():  # la columna de la dependencia no es además un campo
                columnas = {a: t for a, t in columnas.items() if t != dependencia}
        pedido = servicio.Pedido(columnas=columnas, hojas=elegidas, dependencia=dependencia,
                                 filas={primera: fila}, asignadas=_decisiones("dep"),
                                 decisiones={tuple(c.split(":", 1)): d for c, d in _decisiones("cat").items()
                                             if ":" in c},
                                 crear_planes="crear_planes" in request.values)
        return pedido, primera, fila, titulos, sugerencia, guardado

    @expose("/libro_varias/", methods=("GET", "POST"))
    def libro_varias(self):
        self._exigir_repartir()
        vigencias = db.session.scalars(sa.select(Vigencia).order_by(Vigencia.anio.desc())).all()
        if request.method == "POST" and "archivo" in request.files:
            return self._subir_varias()
        temporal = leer_temporal(request.values.get("libro"))
        if temporal is None:
            return self.render("plan_accion/libro_varias.html", paso="subir", vigencias=vigencias)
        contenido, nombre = temporal
        vigencia = self._vigencia(request.values.get("vigencia")) or (vigencias[0] if vigencias else None)
        contexto = dict(paso="mapear", libro=request.values["libro"], nombre=nombre, vigencias=vigencias,
                        vigencia=vigencia, campos=CAMPOS, previa=None, pagina_errores=max(entero("pagina") or 1, 1),
                        por_pagina=ERRORES_POR_PAGINA)
        try:
            hojas = M.hojas(contenido)
            pedido, modelo, fila, titulos, sugerencia, guardado = self._pedido(contenido, hojas)
        except ImportacionRechazada as rechazo:
            flash(str(rechazo), "error")
            return self.render("plan_accion/libro_varias.html", paso="subir", vigencias=vigencias), 422
        contexto.update(hojas=hojas, pedido=pedido, modelo=modelo, fila=fila, titulos=titulos, sugerencia=sugerencia,
                        guardado=guardado)
        if vigencia is None:
            contexto["error"] = "No hay vigencias en el catálogo: cree la vigencia antes de traer sus planes."
            return self.render("plan_accion/libro_varias.html", **contexto), 422
        try:  # desde aquí, un error deja a la OAP en el paso de las columnas, con lo que ya eligió
            if request.method == "POST":
                return self._importar_varias(contenido, vigencia, pedido, modelo, fila)
            if "previa" in request.values:
                previa = servicio.vista_previa(contenido, vigencia, pedido, current_user)
                inicio = (contexto["pagina_errores"] - 1) * ERRORES_POR_PAGINA
                contexto.update(previa=previa, errores_pagina=previa.errores[inicio:inicio + ERRORES_POR_PAGINA],
                                paginas=-(-len(previa.errores) // ERRORES_POR_PAGINA),
                                argumentos=[(k, v) for k, v in request.args.items(multi=True) if k not in PROPIOS],
                                existentes=db.session.scalars(sa.select(Dependencia).where(Dependencia.activa)
                                                              .order_by(Dependencia.nombre)).all())
        except ImportacionRechazada as rechazo:
            return self.render("plan_accion/libro_varias.html", error=str(rechazo), **contexto), 422
        return self.render("plan_accion/libro_varias.html", **contexto)

    def _subir_varias(self):
        try:
            clave = subir_libro(
                "Elija el libro de Excel (.xlsx) con los planes de las dependencias.")
        except (ArchivoRechazado, ImportacionRechazada) as error:
            flash(str(error), "error")
            return redirect(url_for(".libro_varias"))
        return redirect(url_for(".libro_varias", libro=clave, vigencia=request.form.get("vigencia")))

    def _importar_varias(self, contenido: bytes, vigencia: Vigencia, pedido, modelo: str, fila: int):
        nombre_mapeo = request.form.get("nombre_mapeo", "").strip()
        if cola.supera_umbral(sum(cola.filas_del_libro(contenido, h) for h in pedido.hojas)):
            # Un libro grande no se importa en la petición (el proxy la cortaría): va a un trabajo, con lo que se
            # vio y decidió en la vista previa.
            nombre = leer_temporal(request.form.get("libro"))[1]
            trabajo = lanzar("importar_varias", {
                "objeto_id": vigencia.id, "entrada": cola.guardar_entrada(contenido), "nombre": nombre[:150],
                "pedido": pedido.como_parametros(), "modelo": modelo, "fila": fila, "nombre_mapeo": nombre_mapeo,
                "huella_borrado": request.form.get("huella_borrado"), "endpoint": request.endpoint},
                f"Traer «{nombre[:150]}» a los planes de acción {vigencia.anio}")
            return pagina(trabajo)
        with operacion() as desenlace:
            try:
                reparto = servicio.importar(contenido, vigencia, pedido, current_user, request.form.get("huella_borrado"))
            except ImportacionRechazada as rechazo:  # la lista entera la muestra la vista previa, paginada
                raise OperacionRechazada(f"No se importó nada: el libro tiene {len(rechazo.errores)} error(es) o "
                                         "asuntos por decidir; están en la vista previa.") from rechazo
            if nombre_mapeo:
                servicio.guardar_mapeo(nombre_mapeo, contenido, servicio.Hoja(modelo, fila), pedido, current_user)
            desenlace.exito = reparto.mensaje() + (f" Mapeo «{nombre_mapeo}» guardado." if nombre_mapeo else "")
        if desenlace.hecha:
            return redirect(url_for(".index_view"))
        # Rechazada (todo deshecho): de vuelta a la vista previa con lo elegido.
        argumentos = [(k, v) for k, v in request.form.items(multi=True) if k not in {"csrf_token", "huella_borrado",
                                                                                    "nombre_mapeo"}]
        return redirect(url_for(".libro_varias") + "?" + urlencode(argumentos + [("previa", "1")]))
