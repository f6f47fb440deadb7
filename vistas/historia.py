"""Cargar como historia el plan de acción de una vigencia pasada y sus trimestres, desde el libro propio de la
oficina (solo la OAP): subir el libro con la dependencia y la vigencia; elegir hoja, fila, las columnas del plan y
las de cada trimestre (sugeridas), ver lo que quedaría, y cargar. Carga → revisa → llama a
`gestion.importacion.historia` → muestra."""
import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_security import current_user

from gestion.base import formato
from gestion.base.archivos import ArchivoRechazado
from gestion.excel.plantilla_actividades import CAMPOS
from gestion.importacion import avances_propios
from gestion.importacion import historia as servicio
from gestion.importacion import mapeo as generico
from gestion.importacion.lectura import ImportacionRechazada
from gestion.planes import plan_accion
from gestion.reglas import roles as R
from gestion.reglas.permisos import roles_de
from modelos import Dependencia, Vigencia, db

from .descargas import leer_temporal
from .libro_propio import ERRORES_POR_PAGINA
from .mapeos_guardados import subir_libro
from .operaciones import operacion
from .parametros import entero

TRIMESTRES = (1, 2, 3, 4)
# Lo que se asocia de cada trimestre: la fila se reconoce por el código (o la descripción) de la actividad del plan.
DATOS_DEL_TRIMESTRE = ("valor", "avance_cualitativo", "justificacion", "evidencia")


class HistoriaDesdeLibroPropio:
    """Mezcla para la vista de planes de acción."""

    def _pasadas(self) -> list[Vigencia]:
        return db.session.scalars(sa.select(Vigencia).where(Vigencia.anio < formato.hoy().year)
                                  .order_by(Vigencia.anio.desc())).all()

    def _pagina_historia(self, **contexto):
        return self.render("plan_accion/historia.html", vigencias=self._pasadas(),
                           dependencias=plan_accion.dependencias_solicitables(), trimestres=TRIMESTRES,
                           campos=CAMPOS, datos=[avances_propios.AVANCES.por_nombre[d] for d in DATOS_DEL_TRIMESTRE],
                           **contexto)

    def _mapeos_de_historia(self, contenido: bytes, hojas: list[str], vigencia: Vigencia):
        hoja = request.values.get("hoja") if request.values.get("hoja") in hojas else hojas[0]
        fila = entero("fila")
        fila = fila if fila and fila > 0 else generico.sugerir_fila(contenido, hoja)
        titulos = [t for t in generico.titulos(contenido, hoja, fila) if t]
        if "elegidas" in request.values:
            plan = {c.nombre: request.values[f"col_{c.nombre}"] for c in CAMPOS
                    if request.values.get(f"col_{c.nombre}") in titulos}
            por_trimestre = {t: {d: request.values[f"t{t}_{d}"] for d in DATOS_DEL_TRIMESTRE
                                 if request.values.get(f"t{t}_{d}") in titulos} for t in TRIMESTRES}
        else:
            plan = generico.sugerencia(contenido, hoja, fila, vigencia.anio).columnas
            por_trimestre = {t: {d: c for d, c in avances_propios.sugerir_columnas(
                contenido, hoja, fila, t, vigencia.anio).columnas.items() if d in DATOS_DEL_TRIMESTRE}
                for t in TRIMESTRES}
        claves = {a: plan[a] for a in ("codigo", "descripcion") if a in plan}
        trimestres = {t: generico.Mapeo(hoja, fila, claves | columnas) for t, columnas in por_trimestre.items()
                      if "valor" in columnas}
        return generico.Mapeo(hoja, fila, plan), trimestres, por_trimestre, titulos

    @expose("/historia/", methods=("GET", "POST"))
    def historia(self):
        if not roles_de(current_user) & R.PLANEACION:
            abort(403)
        if request.method == "POST" and "archivo" in request.files:
            return self._subir_historia()
        temporal = leer_temporal(request.values.get("libro"))
        dependencia = db.session.get(Dependencia, entero("dependencia") or 0)
        vigencia = db.session.get(Vigencia, entero("vigencia") or 0)
        if temporal is None or dependencia is None or vigencia is None:
            return self._pagina_historia(paso="subir")
        contenido, nombre = temporal
        motivo = servicio.motivo_no_cargar(current_user, dependencia, vigencia)
        if motivo:
            flash(motivo, "error")
            return self._pagina_historia(paso="subir"), 422
        try:
            hojas = generico.hojas(contenido)
            plan, trimestres, por_trimestre, titulos = self._mapeos_de_historia(contenido, hojas, vigencia)
        except ImportacionRechazada as rechazo:
            flash(str(rechazo), "error")
            return self._pagina_historia(paso="subir"), 422
        contexto = dict(paso="mapear", libro=request.values["libro"], nombre=nombre, hojas=hojas, mapeo=plan,
                        por_trimestre=por_trimestre, titulos=titulos, dependencia=dependencia, vigencia=vigencia,
                        resultado=None, errores=None)
        if request.method == "POST":
            with operacion() as desenlace:
                resultado = servicio.cargar(dependencia, vigencia, contenido, plan, trimestres, current_user, nombre)
                desenlace.exito = servicio.mensaje(resultado)
            if desenlace.hecha:
                return redirect(url_for(".ficha", id=resultado.plan.id))
            return self._pagina_historia(**contexto), 422
        if "previa" in request.values:
            try:
                contexto["resultado"], contexto["errores"] = servicio.previa(
                    dependencia, vigencia, contenido, plan, trimestres, current_user, nombre)
            except ImportacionRechazada as rechazo:
                contexto["errores"] = rechazo.errores
            pagina = max(entero("pagina") or 1, 1)
            errores = contexto["errores"] or []
            contexto.update(pagina_errores=pagina, paginas=-(-len(errores) // ERRORES_POR_PAGINA),
                            errores_pagina=errores[(pagina - 1) * ERRORES_POR_PAGINA:pagina * ERRORES_POR_PAGINA],
                            argumentos={k: v for k, v in request.args.items() if k != "pagina"})
        return self._pagina_historia(**contexto)

    def _subir_historia(self):
        try:
            clave = subir_libro()
        except (ArchivoRechazado, ImportacionRechazada) as error:
            flash(str(error), "error")
            return self._pagina_historia(paso="subir"), 422
        return redirect(url_for(".historia", libro=clave,
                                dependencia=request.form.get("dependencia"), vigencia=request.form.get("vigencia")))
