"""Tablero de seguimiento: semáforo por dependencia y por objetivo del PEI, con detalle por actividad.

Las cifras salen de `gestion.seguimiento.cifras.cuadro`, limitado a lo que el usuario puede ver: un director o una
Dirección Territorial solo ven lo suyo. La versión imprimible usa el mismo cuadro.
"""
from flask import abort
from flask_admin import expose
from flask_security import current_user

from gestion.reglas.permisos import EDITAR, VER, puede
from gestion.seguimiento import cifras, cifras_guardadas, grafica
from gestion.seguimiento.consultas import diagnosticos, fecha_de_generacion

from .base import VistaSoloLectura
from .paginacion import POR_PAGINA, cortada
from .parametros import entero, vigencia_y_trimestre

# Con cientos de dependencias la página muestra una página de la tabla y las primeras filas de cada lista,
# cortadas y contadas en la base (el informe .xlsx y la versión imprimible las traen todas): la respuesta y la CPU
# no crecen con el sector. El orden de calidad del reporte se calcula sobre el historial de todas las
# dependencias: está en su propia página, a un enlace.


class VistaTablero(VistaSoloLectura):
    recurso = "seguimiento"
    can_view_details = False
    can_export = False

    def _cuadro(self):
        vigencia, trimestre = vigencia_y_trimestre()
        if vigencia is None:
            return None
        return cifras.cuadro(vigencia, trimestre, current_user)

    @expose("/")
    def index_view(self):
        """El resumen sale de las cifras guardadas, con una página de dependencias cortada en la base; solo el
        detalle de una dependencia o de un objetivo calcula actividad por actividad, y solo las suyas."""
        vigencia, trimestre = vigencia_y_trimestre()
        detalle = any(entero(p) is not None for p in ("dependencia", "objetivo", "integrado"))
        resumen = None
        if vigencia is not None:
            resumen = (cifras_guardadas.resumen(vigencia, trimestre, current_user, con_dependencias=False) if detalle
                       else cifras_guardadas.primera_vista(vigencia, trimestre, current_user, entero("pagina"),
                                                           POR_PAGINA))
        dependencia = objetivo = integrado = actividades = tendencia_dependencia = None
        pagina = trayectoria = None
        if resumen is not None:
            clave = entero("dependencia")
            if clave is not None:
                dependencia = resumen.dependencia(clave)
                if dependencia is None:
                    abort(404)
                actividades = cifras.cuadro(vigencia, trimestre, current_user, dependencia_id=clave).actividades_de(clave)
                tendencia = resumen.tendencias_de([clave])
                tendencia_dependencia = grafica.de_una_dependencia(tendencia[0], resumen.tabla) if tendencia else None
            clave = entero("objetivo")
            if clave is not None and dependencia is None:
                objetivo = next((o for o in resumen.objetivos if o.clave == clave), None)
                if objetivo is None:
                    abort(404)
                actividades = cifras.cuadro(vigencia, trimestre, current_user).actividades_del_objetivo(clave)
            clave = entero("integrado")
            if clave is not None and dependencia is None and objetivo is None:
                integrado = next((i for i in resumen.integrados if i.clave == clave), None)
                if integrado is None:
                    abort(404)
                actividades = cifras.cuadro(vigencia, trimestre, current_user).actividades_del_plan_integrado(clave)
        if resumen is not None and not detalle:
            pagina = cortada(resumen.dependencias, resumen.pagina, resumen.cuantas, POR_PAGINA)
            # La gráfica del conjunto y la pequeña de cada dependencia de la página que se muestra.
            trayectoria = grafica.tendencias(resumen.tendencia, resumen.tendencias_de(f.clave for f in pagina.filas),
                                             resumen.tabla)
        return self.render("seguimiento/tablero.html", cuadro=resumen, dependencia=dependencia, objetivo=objetivo,
                           integrado=integrado,
                           actividades=actividades, trayectoria=trayectoria, por_pagina=POR_PAGINA, pagina=pagina,
                           tendencia_dependencia=tendencia_dependencia,
                           ve_calidad=not detalle and puede(current_user, VER, "revision_seguimiento"),
                           vigencias=cifras.vigencias_con_planes(), revisa=puede(current_user, EDITAR,
                                                                                 "revision_seguimiento"))

    @expose("/imprimir/")
    def imprimir(self):
        cuadro = self._cuadro()
        if cuadro is None:
            abort(404)
        return self.render("seguimiento/imprimir.html", cuadro=cuadro,
                           diagnosticos=_diagnosticos_visibles(cuadro),
                           generado=fecha_de_generacion(cuadro.vigencia.id, cuadro.trimestre))


def _diagnosticos_visibles(cuadro) -> dict:
    visibles = {d.clave for d in cuadro.dependencias}
    return {clave: d for clave, d in diagnosticos(cuadro.vigencia.id, cuadro.trimestre).items() if clave in visibles}
