"""Las tareas que corre la cola (`gestion.trabajos.cola`): el libro del informe de seguimiento, su remisión a Control
Interno, el libro del PAI publicado y las cargas grandes de actividades o avances. Cada una recibe el trabajo, quien
lo pidió y su progreso, y devuelve un `cola.Resultado`; `TAREAS` las nombra por tipo."""
from datetime import datetime, timezone

from gestion.base import auditoria
from gestion.excel import informe as excel_informe
from gestion.excel import pai as excel_pai
from gestion.importacion import actividades as importacion_actividades
from gestion.importacion import avances as importacion_avances
from gestion.importacion import avances_propios, reparto
from gestion.importacion import mapeo as importacion_mapeo
from gestion.importacion import metas_territoriales as importacion_metas
from gestion.importacion import previa as importacion_previa
from gestion.importacion.errores import libro_con_errores
from gestion.importacion.lectura import ImportacionRechazada
from gestion.planes.plan_accion import resumen_pai
from gestion.seguimiento import cifras_guardadas, revision
from gestion.trabajos import cola
from gestion.trabajos.cola import Tarea
from modelos import InformeSeguimiento, Plan, ReporteTrimestral, Trabajo, Vigencia, db


def marca_remision(informe: InformeSeguimiento) -> str:
    """Cuándo se remitió el informe por última vez, como texto estable: la página lo lleva en el formulario y
    el trabajo lo compara, así un doble clic (o un reintento) no vuelve a escribir a Control Interno."""
    momento: datetime | None = informe.remitido_en
    if momento is None:
        return "nunca"
    if momento.tzinfo is not None:
        momento = momento.astimezone(timezone.utc).replace(tzinfo=None)
    return momento.isoformat(timespec="seconds")


def _informe(trabajo: Trabajo) -> InformeSeguimiento:
    informe = db.session.get(InformeSeguimiento, trabajo.parametros["informe_id"])
    if informe is None:
        raise cola.TrabajoFallido("El informe ya no existe.")
    return informe


def _libro_del_informe(trabajo, usuario, progreso) -> cola.Resultado:
    informe = _informe(trabajo)
    # Las cifras guardadas al día y confirmadas antes de leerlas: el progreso no se anota sobre cambios a medias.
    cifras_guardadas.al_dia(informe.vigencia)
    contenido = revision.libro_del_informe(informe, progreso.paso)
    progreso.paso("Guardando el libro.")
    return cola.Resultado(f"{informe}: libro listo para descargar.", contenido,
                     excel_informe.nombre_archivo(informe.vigencia, informe.trimestre))


def _remitir(trabajo, usuario, progreso) -> cola.Resultado:
    informe = _informe(trabajo)
    if marca_remision(informe) != trabajo.parametros["remision_leida"]:
        return cola.Resultado(f"{informe} ya se había remitido ({informe.destinatarios}); no se envió de nuevo.")
    progreso.paso("Preparando el libro y el correo a Control Interno.")
    revision.remitir_informe(informe, usuario)  # el correo sale después del commit, con el «terminado»
    return cola.Resultado(f"{informe} remitido a Control Interno ({informe.destinatarios}).")


def _libro_del_pai(trabajo, usuario, progreso) -> cola.Resultado:
    p = trabajo.parametros
    pai = db.session.get(Plan, p["plan_id"])
    progreso.paso("Reuniendo las actividades del plan.")
    resumen = resumen_pai(pai, dependencia_id=p.get("dependencia_id"), objetivo_id=p.get("objetivo_id"))
    progreso.paso("Escribiendo el libro.")
    return cola.Resultado(f"{pai}: libro listo para descargar.", excel_pai.libro_pai(resumen), excel_pai.nombre_archivo(pai))


def _cargar(trabajo, progreso, importar, exito, que: str, marcar=None) -> cola.Resultado:
    """Una carga todo o nada desde el libro guardado, con su marcha (`que`: lo que guarda, «actividades»); si se
    rechaza por filas, el libro marcado como resultado (`marcar(contenido, errores)`: el de un libro propio, que
    tiene sus columnas donde las tenga)."""
    p = trabajo.parametros
    marcar = marcar or (lambda contenido, errores: libro_con_errores(contenido, errores, p.get("hoja"))[0])
    contenido = (cola.raiz() / p["entrada"]).read_bytes()
    progreso.cuenta(0, 1, f"Leyendo «{p['nombre']}».")
    try:
        devuelto = importar(contenido, cola.MarchaDeCarga(progreso, cola.filas_del_libro(contenido, p.get("hoja")), que))
    except ImportacionRechazada as rechazo:
        libro = None
        if rechazo.detalle and len(rechazo.detalle) == len(rechazo.errores):
            libro = marcar(contenido, rechazo.detalle)
        raise cola.TrabajoFallido(f"No se importó nada: el archivo tiene {len(rechazo.errores)} error(es). Corríjalos y "
                             "vuelva a cargarlo.", rechazo.errores, libro,
                             f"errores-{p['nombre']}" if libro else None) from rechazo
    mensaje = exito(devuelto)
    auditoria.registrar_evento("importar", p["endpoint"], p.get("objeto_id"),
                               {"archivo": p["nombre"], "resultado": mensaje})
    return cola.Resultado(mensaje)


def _importar_actividades(trabajo, usuario, progreso) -> cola.Resultado:
    """La plantilla de un libro grande: la petición no lo lee para saber qué borraría (el proxy la cortaría); lo
    sabe este trabajo, que entonces no carga nada y deja la lista para que quien carga la vea y la confirme."""
    plan = db.session.get(Plan, trabajo.parametros["objeto_id"])
    try:
        return _cargar(trabajo, progreso,
                       lambda contenido, marcha: importacion_actividades.importar(
                           plan, contenido, usuario, marcha, borrar=trabajo.parametros.get("borrar", ())),
                       lambda carga: carga.mensaje(plan), "actividades")
    except importacion_actividades.BorradoSinConfirmar as rechazo:
        db.session.rollback()
        faltan = set(rechazo.por_borrar)
        quedan = {a.codigo for a in plan.actividades} - faltan
        por_borrar = importacion_actividades.por_borrar(plan, quedan)
        raise cola.TrabajoFallido(
            f"No se cargó nada: el archivo no trae {len(faltan)} actividad(es) que el plan tiene y cargarlo las "
            "borraría. Revíselas abajo: confirme para cargarlo y borrarlas, o agréguelas al archivo.",
            datos={"por_borrar": [{"codigo": b.codigo, "descripcion": b.descripcion, "reportes": b.reportes,
                                   "direcciones": list(b.direcciones)} for b in por_borrar]}) from rechazo


def _mapeo(p: dict) -> importacion_mapeo.Mapeo:
    return importacion_mapeo.Mapeo(p["hoja"], p["fila"], p["columnas"], p.get("escalas") or {},
                                   p.get("decimales") or {})


def _previa_libro_propio(trabajo, usuario, progreso) -> cola.Resultado:
    """La vista previa de «Traer de un libro propio» de un libro grande, fuera de la petición (el proxy la
    cortaría): la misma de la petición (`mapeo.vista_previa`), contando por qué fila va. Devuelve la vista previa
    como datos para su página y, si hay errores, el libro de la oficina con cada celda equivocada marcada."""
    p = trabajo.parametros
    plan = db.session.get(Plan, p["objeto_id"])
    if plan is None:
        raise cola.TrabajoFallido("El plan ya no existe.")
    motivo = importacion_mapeo.motivo_no_traer(usuario, plan)
    if motivo:
        raise cola.TrabajoFallido(motivo)
    mapeo = _mapeo(p)
    contenido = (cola.raiz() / p["entrada"]).read_bytes()
    progreso.cuenta(0, 1, f"Leyendo «{p['nombre']}».")
    try:
        previa = importacion_mapeo.vista_previa(plan, contenido, mapeo, marcha=cola.MarchaDeCarga(
            progreso, cola.filas_del_libro(contenido, mapeo.hoja), "filas", guarda=False))
    except ImportacionRechazada as rechazo:  # el libro no se deja leer con este mapeo
        raise cola.TrabajoFallido(str(rechazo)) from rechazo
    libro = importacion_mapeo.libro_con_errores(contenido, mapeo, previa.errores)[0] if previa.errores else None
    errores = f", {len(previa.errores)} error(es)" if previa.errores else ", sin errores"
    return cola.Resultado(f"Vista previa lista: {len(previa.lectura.filas)} actividad(es) a importar{errores}.",
                          libro, f"errores-{p['nombre']}" if libro else None,
                          importacion_previa.como_datos(previa, mapeo))


def _importar_libro_propio(trabajo, usuario, progreso) -> cola.Resultado:
    """«Traer de un libro propio» de un libro grande: lo mismo que en la petición (`mapeo.importar`), con el mapeo,
    las escalas y los borrados que se vieron y confirmaron en la vista previa."""
    p = trabajo.parametros
    plan = db.session.get(Plan, p["objeto_id"])
    mapeo = _mapeo(p)

    def importar(contenido, marcha):
        carga = importacion_mapeo.importar(plan, contenido, mapeo, usuario, p.get("huella_borrado"), marcha)
        if p.get("nombre_mapeo"):
            importacion_mapeo.guardar_mapeo(plan, p["nombre_mapeo"], mapeo, usuario, contenido)
        return carga

    return _cargar(trabajo, progreso, importar, lambda carga: carga.mensaje(plan), "actividades",
                   lambda contenido, errores: importacion_mapeo.libro_con_errores(contenido, mapeo, errores)[0])


def _importar_varias(trabajo, usuario, progreso) -> cola.Resultado:
    """Los planes de varias dependencias desde un libro grande: lo que se vio y decidió en la vista previa
    (`reparto.importar`). Sin libro marcado: los errores son de varias hojas."""
    p = trabajo.parametros
    vigencia = db.session.get(Vigencia, p["objeto_id"])
    pedido = reparto.Pedido.de_parametros(p["pedido"])

    def importar(contenido, marcha):
        resultado = reparto.importar(contenido, vigencia, pedido, usuario, p.get("huella_borrado"))
        if p.get("nombre_mapeo"):
            reparto.guardar_mapeo(p["nombre_mapeo"], contenido, reparto.Hoja(p["modelo"], p["fila"]), pedido, usuario)
        return resultado

    return _cargar(trabajo, progreso, importar, lambda resultado: resultado.mensaje(), "actividades",
                   lambda contenido, errores: None)


def _importar_avances(trabajo, usuario, progreso) -> cola.Resultado:
    reporte = db.session.get(ReporteTrimestral, trabajo.parametros["objeto_id"])
    return _cargar(trabajo, progreso,
                   lambda contenido, marcha: importacion_avances.importar(reporte, contenido, usuario, marcha=marcha),
                   lambda guardados: importacion_avances.mensaje(reporte, guardados), "avances")


def _importar_avances_propios(trabajo, usuario, progreso) -> cola.Resultado:
    """Los avances de un trimestre desde un libro propio grande: lo mismo que en la petición
    (`avances_propios.importar`), con el mapeo que se vio en la vista previa, contando por qué fila va."""
    p = trabajo.parametros
    reporte = db.session.get(ReporteTrimestral, p["objeto_id"])
    mapeo = _mapeo(p)

    def importar(contenido, marcha):
        guardados = avances_propios.importar(reporte, contenido, mapeo, usuario, p.get("comun"),
                                             archivo=p["nombre"], marcha=marcha)
        if p.get("nombre_mapeo"):
            importacion_mapeo.guardar_mapeo(reporte, p["nombre_mapeo"], mapeo, usuario, contenido,
                                            importacion_mapeo.DE_AVANCES)
        return guardados

    return _cargar(trabajo, progreso, importar,
                   lambda guardados: avances_propios.mensaje(reporte, guardados, len(reporte.avances) - guardados)
                   + (f" Mapeo «{p['nombre_mapeo']}» guardado." if p.get("nombre_mapeo") else ""), "avances",
                   lambda contenido, errores: avances_propios.libro_con_errores(contenido, mapeo, errores)[0])


def _importar_metas_territoriales(trabajo, usuario, progreso) -> cola.Resultado:
    """Las metas de una Dirección Territorial desde un libro grande: lo mismo que en la petición."""
    vigencia = db.session.get(Vigencia, trabajo.parametros["vigencia_id"])
    return _cargar(trabajo, progreso,
                   lambda contenido, marcha: importacion_metas.importar(usuario, vigencia, contenido),
                   lambda carga: carga.mensaje(), "metas")


TAREAS: dict[str, Tarea] = {
    "informe_xlsx": Tarea(_libro_del_informe, pasos=3, recurso=revision.REVISION),
    "remitir": Tarea(_remitir, pasos=1, recurso=revision.REVISION),
    "pai_xlsx": Tarea(_libro_del_pai, pasos=2, recurso=None),
    "importar_actividades": Tarea(_importar_actividades, pasos=1, recurso="actividades"),
    "importar_libro_propio": Tarea(_importar_libro_propio, pasos=1, recurso="actividades"),
    "previa_libro_propio": Tarea(_previa_libro_propio, pasos=1, recurso="actividades"),
    "importar_avances": Tarea(_importar_avances, pasos=1, recurso="seguimiento"),
    "importar_avances_propios": Tarea(_importar_avances_propios, pasos=1, recurso="seguimiento"),
    "importar_varias": Tarea(_importar_varias, pasos=1, recurso="planes_accion"),
    "importar_metas_territoriales": Tarea(_importar_metas_territoriales, pasos=1, recurso="metas_territoriales"),
}
