"""La matriz de rutas: cada ruta de `app.url_map`, para cada rol y el anónimo, con una fila propia y una de otra
dependencia, recibe la respuesta que el procedimiento le da; ningún POST negado cambia nada en la base.

La tabla de abajo dice, ruta por ruta, quién pasa. Quien no pasa recibe 403 (el anónimo va al ingreso); un
rol limitado a su dependencia (director, territorial, entidad) que pide la fila de otra recibe 404, como si no
existiera. Una ruta nueva sin su fila en la tabla hace fallar la prueba, y también una fila de una ruta que ya
no existe. Cada petición corre en un savepoint que se deshace: ninguna cambia el mundo de la siguiente.
"""
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace

import sqlalchemy as sa

from gestion.reglas import roles as R
from modelos import Avance, EstadoPlan, HistorialEstado, Indicador, MetaTerritorial, ProyectoInversion, Usuario, db

from .test_acceso import LECTURA_ESPERADA

P = R.PLANEACION
CI = R.CONTROL_INTERNO
LIMITADOS = {R.DIRECTOR: "central", R.TERRITORIAL: "territorial", R.ENTIDAD: "entidad"}
NADIE = frozenset()
CON_SESION = R.TODOS
PUBLICO = "público"  # también el anónimo
INGRESO = "ingreso"  # 302 a /login
PASA = "pasa"  # un POST que no se niega: cualquier respuesta salvo 403, 404, el ingreso o un 500
FILA_INEXISTENTE = 2_000_000_000


@dataclass(frozen=True)
class Regla:
    quien: frozenset | str  # los roles que pasan (los demás, 403), o PUBLICO
    ok: int | str = 200  # lo que recibe quien pasa; PASA en los POST
    fila: bool = True  # la ruta lleva el id de una fila: la de otra dependencia es 404 para los limitados
    ajena: int | None = 404  # lo que recibe un limitado con la fila de otra dependencia (o sin fila)
    rechaza: frozenset = NADIE  # pasan la vista, pero el servicio se niega: vuelven (302) con un mensaje


# --- las vistas de modelo: sus nueve rutas de Flask-Admin ----------------------------------------------------
@dataclass(frozen=True)
class Escritura:
    crear: frozenset = NADIE
    editar: frozenset = NADIE
    borrar: frozenset = NADIE
    escribir: frozenset = NADIE  # quien pasa el POST de la vista (sin lista editable: ajax_update es 404)


CATALOGO = Escritura(P, P, P, P)
SOLO_LECTURA = Escritura()
ESCRITURA = {
    **{v: CATALOGO for v in ("cuatrienio", "dependencia", "instancia", "pndlinea", "pndobjetivo", "pndpacto",
                             "politicamipg", "proyectoinversion", "umbralsemaforo", "unidadmedida", "vigencia",
                             "ventanareporte", "objetivo", "indicador", "planes_estrategicos", "compromiso",
                             "etapacronograma", "plancompras", "planinstitucional")},
    "actividad": Escritura({R.DIRECTOR}, {R.DIRECTOR}, {R.DIRECTOR}, {R.DIRECTOR}),
    "metaterritorial": Escritura(editar={R.TERRITORIAL}, escribir={R.TERRITORIAL}),
    "planes_accion": Escritura(editar=P, escribir=P),
    "usuario": Escritura({R.ADMINISTRADOR}, {R.ADMINISTRADOR}, escribir={R.ADMINISTRADOR}),
    "rol": Escritura(editar={R.ADMINISTRADOR}, escribir={R.ADMINISTRADOR}),
    **{v: Escritura(escribir=R.CON_DEPENDENCIA) for v in ("avance", "reportetrimestral", "tablero",
                                                          "accionderivada")},
    **{v: Escritura(escribir=P) for v in ("diagnosticotrimestral", "informeseguimiento", "recordatorio",
                                          "correopendiente", "calidad_reporte")},
    **{v: SOLO_LECTURA for v in ("historialestado", "registroauditoria", "solicitudajuste", "trabajo",
                                 "inventario_planes")},
    # Lo único que Control Interno escribe: su verificación (sin formulario de modelo ni borrado: su cuadro).
    "verificacion_oci": Escritura(escribir={CI}),
}
# Lo que abre quien pasa, cuando no es la página misma (200).
DESVIOS = {
    # El PES y el PEI están publicados: su edición, la de sus objetivos e indicadores, vuelve a la lista.
    "planes_estrategicos.edit_view": {"ok": 302}, "objetivo.edit_view": {"ok": 302},
    "indicador.edit_view": {"ok": 302},
    # El plan de acción está aprobado: sus actividades y metas ya no se editan.
    "actividad.edit_view": {"ok": 302}, "metaterritorial.edit_view": {"ok": 302},
    # Sin página de detalle (la de un reporte o un informe es su ficha): vuelve a la lista sin leer la fila.
    **{f"{v}.details_view": {"ok": 302, "ajena": 302}
       for v in ("reportetrimestral", "tablero", "informeseguimiento", "calidad_reporte", "inventario_planes")},
    "tablero.export": {"ok": 302}, "calidad_reporte.export": {"ok": 302},  # no se exportan como lista
    "inventario_planes.export": {"ok": 302},
    # Un trabajo se lee en su ficha (trabajo.ficha); la lista no se exporta.
    "trabajo.details_view": {"ok": 302, "ajena": 302}, "trabajo.export": {"ok": 302},
}


def reglas_de_vista(endpoint: str) -> dict[str, Regla]:
    ver = frozenset(LECTURA_ESPERADA[endpoint])
    e = ESCRITURA[endpoint]
    reglas = {
        "index_view": Regla(ver, fila=False), "export": Regla(ver, fila=False),
        "details_view": Regla(ver), "ajax_lookup": Regla(ver, ok=404, fila=False),  # sin campo «name»
        "create_view": Regla(frozenset(e.crear), fila=False), "edit_view": Regla(frozenset(e.editar)),
        "POST create_view": Regla(frozenset(e.crear), PASA, fila=False),
        "POST edit_view": Regla(frozenset(e.editar), PASA),
        "POST delete_view": Regla(frozenset(e.borrar), PASA),
        # La acción en bloque ignora las filas fuera del alcance: vuelve a la lista sin tocar nada.
        "POST action_view": Regla(frozenset(e.borrar), PASA, ajena=302),
        "POST ajax_update": Regla(frozenset(e.escribir), 404, fila=False),
    }
    return {clave: replace(regla, **DESVIOS.get(f"{endpoint}.{clave}", {})) for clave, regla in reglas.items()}


# --- las rutas propias, una por una --------------------------------------------------------------------------
DIRECTOR = frozenset({R.DIRECTOR})
TERRITORIAL = frozenset({R.TERRITORIAL})
JEFE = frozenset({R.JEFE_OAP})
VER_PA = frozenset(LECTURA_ESPERADA["planes_accion"])
VER_PE = frozenset(LECTURA_ESPERADA["planes_estrategicos"])
VER_SEG = frozenset(LECTURA_ESPERADA["reportetrimestral"])
VER_INF = frozenset(LECTURA_ESPERADA["informeseguimiento"])
VER_AJ = frozenset(LECTURA_ESPERADA["solicitudajuste"])
ESTRATEGICO = P | R.COMITES  # cada transición decide por su cuenta quién la hace; la sección las deja pasar

PROPIAS = {
    "raiz": Regla(PUBLICO, 302, fila=False),
    "admin.index": Regla(CON_SESION, fila=False),
    "publico.indice": Regla(PUBLICO, fila=False), "publico.pai_indice": Regla(PUBLICO, fila=False),
    "publico.accesibilidad": Regla(PUBLICO, fila=False),
    "publico.plan": Regla(PUBLICO), "publico.plan_xlsx": Regla(PUBLICO),
    "publico.pai": Regla(PUBLICO, 404), "publico.pai_xlsx": Regla(PUBLICO, 404),  # no hay PAI publicado
    "POST publico.pai_xlsx": Regla(PUBLICO, 404),  # reintentar el libro de un PAI grande
    "publico.ajuste": Regla(PUBLICO, 404),  # el id de una fila no es un ajuste que el público vea
    # Datos abiertos: el año de la URL (el id de una fila) no es una vigencia con algo publicado.
    "publico.datos_indice": Regla(PUBLICO, fila=False),
    **{f"publico.datos_{f}": Regla(PUBLICO, 404) for f in ("csv", "json", "diccionario")},
    # El art. 74 y el informe de gestión: tampoco hay vigencia con ese año.
    **{f"publico.{r}": Regla(PUBLICO, 404) for r in ("transparencia", "plan_compras", "informe_gestion_html",
                                                       "informe_gestion_xlsx")},
    "plancompras.art74": Regla(frozenset(LECTURA_ESPERADA["plancompras"]), fila=False),
    "descargas.descargar": Regla(PUBLICO, 404, fila=False),  # una clave que no existe
    # Plan de acción (actividades 10 a 16)
    "planes_accion.ficha": Regla(VER_PA),
    "planes_accion.acta": Regla(VER_PA, 404),  # el plan no tiene acta
    # La OAP y el comité leen el plan, pero enviarlo es del director: el servicio se niega con un mensaje.
    "POST planes_accion.enviar": Regla(DIRECTOR, PASA, rechaza=P | {R.COMITE_INSTITUCIONAL}),
    "POST planes_accion.aprobar": Regla(P, PASA), "POST planes_accion.verificar": Regla(P, PASA),
    "planes_accion.verificar_en_bloque": Regla(P, fila=False),
    "POST planes_accion.verificar_en_bloque": Regla(P, PASA, fila=False),
    "planes_accion.devolver": Regla(P), "POST planes_accion.devolver": Regla(P, PASA),
    "planes_accion.solicitar": Regla(P, fila=False), "POST planes_accion.solicitar": Regla(P, PASA, fila=False),
    "planes_accion.consolidar": Regla(P, fila=False),
    "POST planes_accion.consolidar": Regla(P, PASA, fila=False),
    # Presentar y publicar el PAI es del Jefe de la OAP: la ruta lo pregunta a la tabla de transiciones, como el botón.
    "planes_accion.presentar": Regla(VER_PA, 302), "POST planes_accion.presentar": Regla(JEFE, PASA),  # solo el PAI
    "POST planes_accion.publicar": Regla(JEFE, PASA),
    # Cargar actividades desde la plantilla: solo el director; desde un libro propio, también la OAP. Sobre un plan
    # que aún se formula (este ya no).
    "planes_accion.plantilla_actividades": Regla(DIRECTOR),
    "planes_accion.cargar_actividades": Regla(DIRECTOR, 302),
    "POST planes_accion.cargar_actividades": Regla(DIRECTOR, PASA),
    "planes_accion.libro_propio": Regla(DIRECTOR | P, 302), "POST planes_accion.libro_propio": Regla(DIRECTOR | P, PASA),
    "planes_accion.metas_dt_libro": Regla(P, 302), "POST planes_accion.metas_dt_libro": Regla(P, PASA),
    # Cargar como historia el plan de una vigencia pasada y sus trimestres: solo la OAP.
    "planes_accion.historia": Regla(P, fila=False), "POST planes_accion.historia": Regla(P, PASA, fila=False),
    # Los planes de varias dependencias desde un libro: solo la OAP (cada director trae el suyo).
    "planes_accion.libro_varias": Regla(P, fila=False), "POST planes_accion.libro_varias": Regla(P, PASA, fila=False),
    "metaterritorial.plantilla": Regla(TERRITORIAL, fila=False), "metaterritorial.cargar": Regla(TERRITORIAL, fila=False),
    "POST metaterritorial.cargar": Regla(TERRITORIAL, PASA, fila=False),
    # Sus metas desde su propio libro, plan por plan: la DT elige uno con actividades suyas; sin él, 404.
    "metaterritorial.libro_propio": Regla(TERRITORIAL, fila=False),
    "metaterritorial.metas_dt_libro": Regla(TERRITORIAL, 404, fila=False),
    "POST metaterritorial.metas_dt_libro": Regla(TERRITORIAL, 404, fila=False),
    "POST etapacronograma.completar": Regla(P, PASA, fila=False),
    # Planes estratégicos (actividades 1 a 9)
    "planes_estrategicos.plan_view": Regla(VER_PE), "planes_estrategicos.excel_view": Regla(VER_PE),
    "planes_estrategicos.acta_view": Regla(VER_PE, 404),
    "planes_estrategicos.metas_view": Regla(VER_PE, 302), "POST planes_estrategicos.metas_view": Regla(P, PASA),
    "planes_estrategicos.libro_propio_view": Regla(VER_PE, 302),
    "POST planes_estrategicos.libro_propio_view": Regla(P, PASA),
    **{f"POST planes_estrategicos.{r}": Regla(ESTRATEGICO, PASA)
       for r in ("concertar_view", "observar_view", "aprobar_view", "publicar_view")},
    # Seguimiento (actividades 17 a 19 y 25 a 30)
    "reportetrimestral.ficha": Regla(VER_SEG), "reportetrimestral.nuevo": Regla(R.CON_DEPENDENCIA, fila=False),
    "POST reportetrimestral.nuevo": Regla(R.CON_DEPENDENCIA, 404, fila=False),  # sin un plan elegido
    "reportetrimestral.plantilla": Regla(R.CON_DEPENDENCIA), "reportetrimestral.cargar": Regla(R.CON_DEPENDENCIA),
    "POST reportetrimestral.cargar": Regla(R.CON_DEPENDENCIA, PASA),
    # Traer los avances de un libro propio: la dependencia dueña del reporte y la OAP (el libro que le entregan).
    "reportetrimestral.libro_propio": Regla(R.CON_DEPENDENCIA | P),
    "POST reportetrimestral.libro_propio": Regla(R.CON_DEPENDENCIA | P, PASA),
    "POST reportetrimestral.guardar": Regla(R.CON_DEPENDENCIA, PASA),
    "POST reportetrimestral.enviar": Regla(R.CON_DEPENDENCIA, PASA),
    "POST reportetrimestral.aceptar": Regla(P, PASA), "POST reportetrimestral.devolver": Regla(P, PASA),
    "avance.evidencia": Regla(frozenset(LECTURA_ESPERADA["avance"]), 404),  # el avance no tiene archivo
    "tablero.imprimir": Regla(frozenset(LECTURA_ESPERADA["tablero"]), fila=False),
    "ventanareporte.reabrir": Regla(LECTURA_ESPERADA["ventanareporte"]),
    "POST ventanareporte.reabrir": Regla(P, PASA),
    "diagnosticotrimestral.cuadro": Regla(LECTURA_ESPERADA["diagnosticotrimestral"], fila=False),
    "POST diagnosticotrimestral.cuadro": Regla(P, PASA, fila=False),
    "informeseguimiento.generar": Regla(P, fila=False), "POST informeseguimiento.generar": Regla(P, PASA, fila=False),
    "informeseguimiento.sinergia": Regla(VER_INF, fila=False),
    "calidad_reporte.xlsx": Regla(frozenset(LECTURA_ESPERADA["calidad_reporte"]), fila=False),
    "inventario_planes.xlsx": Regla(frozenset(LECTURA_ESPERADA["inventario_planes"]), fila=False),
    **{f"informeseguimiento.{r}": Regla(VER_INF, 404) for r in ("ficha", "xlsx", "acta")},  # no hay informe
    **{f"POST informeseguimiento.{r}": Regla(P, PASA) for r in ("remitir", "presentar", "accion")},
    # Ajustes (actividades 20 a 24): sin solicitud en el mundo, las rutas de una solicitud son 404.
    "solicitudajuste.solicitar": Regla(VER_AJ), "POST solicitudajuste.solicitar": Regla(VER_AJ - {CI}, PASA),
    **{f"solicitudajuste.{r}": Regla(VER_AJ, 404) for r in ("ficha", "acta", "comparar")},
    **{f"POST solicitudajuste.{r}": Regla(VER_AJ - {CI}, PASA) for r in ("decidir", "aprobar")},
    # La verificación de Control Interno y su evaluación por dependencia: solo Control Interno las escribe.
    **{f"verificacion_oci.{r}": Regla(frozenset({CI}), fila=False) for r in ("cuadro", "evaluacion", "evaluacion_xlsx")},
    **{f"POST verificacion_oci.{r}": Regla(frozenset({CI}), PASA, fila=False) for r in ("cuadro", "publicar", "evaluacion")},
}

# Los trabajos largos (gestion/trabajos.py): sin trabajos en el mundo, la ficha, el resultado y el reintento
# de uno son 404 para quien entra a la lista.
VER_TRABAJOS = frozenset(LECTURA_ESPERADA["trabajo"])
PROPIAS.update({"trabajo.ficha": Regla(VER_TRABAJOS, 404), "trabajo.resultado": Regla(VER_TRABAJOS, 404),
                "POST trabajo.reintentar": Regla(VER_TRABAJOS - {CI}, 404)})  # Control Interno solo lee

# Las de Flask-Security y los archivos estáticos se prueban aparte (test_ingreso, test_segundo_factor).
FUERA_DE_LA_MATRIZ = {"static", "admin.static", "security.static", "security.login", "security.logout",
                      "security.change_password", "security.verify", "security.mf_recovery",
                      "security.mf_recovery_codes", "security.tf_select", "security.two_factor_rescue",
                      "security.two_factor_setup", "security.two_factor_setup_validate",
                      "security.two_factor_token_validation"}


def tabla_de_expectativas(app) -> dict[str, Regla]:
    tabla = dict(PROPIAS)
    for vista in app.extensions["admin"][0]._views:
        # Una vista nueva sin su lectura (test_acceso) o su escritura (aquí) deja sus rutas sin expectativa.
        if vista.endpoint in LECTURA_ESPERADA and vista.endpoint in ESCRITURA:
            for clave, regla in reglas_de_vista(vista.endpoint).items():
                metodo, _, nombre = clave.rpartition(" ")
                tabla[f"{metodo + ' ' if metodo else ''}{vista.endpoint}.{nombre}"] = regla
    return tabla


def rutas_de(app) -> dict[str, object]:
    """«GET x.y» / «POST x.y» → regla de Werkzeug, de todo lo que la app sirve."""
    rutas = {}
    for regla in app.url_map.iter_rules():
        if regla.endpoint in FUERA_DE_LA_MATRIZ:
            continue
        for metodo in sorted(regla.methods & {"GET", "POST"}):
            rutas[regla.endpoint if metodo == "GET" else f"POST {regla.endpoint}"] = regla
    return rutas


def test_cada_ruta_tiene_su_expectativa_y_cada_expectativa_su_ruta(app):
    tabla, rutas = tabla_de_expectativas(app), rutas_de(app)
    sin_expectativa = sorted(set(rutas) - set(tabla))
    assert not sin_expectativa, f"rutas sin fila en la tabla de tests/test_rutas.py: {sin_expectativa}"
    sin_ruta = sorted(set(tabla) - set(rutas))
    assert not sin_ruta, f"expectativas de rutas que ya no existen: {sin_ruta}"


# --- el mundo: filas propias y ajenas ------------------------------------------------------------------------
def _armar_mundo(fabrica) -> dict[str, dict[str | None, int]]:
    """Dos dependencias de cada clase, cada una con sus filas; devuelve, por vista, el id de la fila de cada
    dependencia (None: una fila que no es de ninguna)."""
    m = fabrica.mundo
    fabrica.publicar_estrategicos()
    otra_entidad = fabrica.dependencia("E05", "Otra entidad adscrita", m.entidad.tipo)
    m.pes.objetivos[0].indicadores[0].responsable = m.entidad
    otro = Indicador(codigo="OS1-I2", nombre="Otro indicador", formula="Suma", unidad=m.unidad,
                     linea_base=0, periodicidad="trimestral", tendencia="creciente", responsable=otra_entidad,
                     tipo_acumulacion="flujo")
    m.pes.objetivos[0].indicadores.append(otro)
    planes = {}
    for dependencia, territorial in ((m.central, m.territorial), (m.central2, m.territorial2)):
        plan = fabrica.plan_accion(dependencia, estado=EstadoPlan.APROBADO, proyecto=fabrica.proyecto(dependencia))
        fabrica.actividad_territorial(plan, {territorial: (1, 1, 1, 1)})
        planes[dependencia] = plan
    reportes = {d: fabrica.reporte(planes[d], 1, {"A1": 10, "A2": 10}) for d in (m.central, m.central2)}
    db.session.commit()

    def por_dependencia(central, central2, territorial=None, territorial2=None, entidad=None, entidad2=None):
        return {"central": central, "central2": central2, "territorial": territorial, "territorial2": territorial2,
                "entidad": entidad, "entidad2": entidad2}

    def meta(dt):
        return db.session.scalar(sa.select(MetaTerritorial.id).filter_by(dependencia_id=dt.id))

    a1, b1 = planes[m.central].actividades[0], planes[m.central2].actividades[0]
    avance = {d: db.session.scalar(sa.select(Avance.id).filter_by(reporte_id=reportes[d].id).order_by(Avance.id))
              for d in reportes}
    historial = {d: db.session.scalar(sa.select(HistorialEstado.id).filter_by(objeto_tipo="plan",
                 objeto_id=planes[d].id).order_by(HistorialEstado.id)) for d in planes}
    filas = {
        "planes_accion": por_dependencia(planes[m.central].id, planes[m.central2].id),
        "actividad": por_dependencia(a1.id, b1.id, a1.id, b1.id),
        "metaterritorial": por_dependencia(meta(m.territorial), meta(m.territorial2),
                                           meta(m.territorial), meta(m.territorial2)),
        "reportetrimestral": por_dependencia(reportes[m.central].id, reportes[m.central2].id),
        "avance": por_dependencia(avance[m.central], avance[m.central2]),
        "proyectoinversion": por_dependencia(*db.session.scalars(sa.select(ProyectoInversion.id).order_by(
            ProyectoInversion.id)).all()[:2]),
        "indicador": por_dependencia(m.pei.objetivos[0].indicadores[0].id, None, entidad=m.pes.objetivos[0]
                                     .indicadores[0].id, entidad2=otro.id),
        "historialestado": por_dependencia(historial[m.central], historial[m.central2]),
        "planes_estrategicos": {None: m.pei.id}, "publico": {None: m.pei.id}, "objetivo": {None: m.pei.objetivos[0].id},
        "dependencia": {None: m.central.id}, "usuario": {None: db.session.scalar(sa.select(sa.func.min(Usuario.id)))},
    }
    filas["tablero"] = filas["calidad_reporte"] = filas["reportetrimestral"]
    return filas


def casos_para(filas, vista_endpoint, modelo, rol) -> dict[str, int]:
    """{"propia": id, "ajena": id} para el rol: la fila de su dependencia y la de otra de su clase. Un rol que no
    se limita a una dependencia prueba una fila cualquiera (la de la dirección central); un limitado cuya
    dependencia no tiene filas en esa vista, solo la ajena."""
    por_dep = filas.get(vista_endpoint)
    if por_dep is None:
        primera = db.session.scalar(sa.select(sa.func.min(modelo.id))) if modelo is not None else None
        return {"propia": primera} if primera else {"ajena": FILA_INEXISTENTE}
    if None in por_dep:
        return {"propia": por_dep[None]}
    if rol not in LIMITADOS:
        return {"propia": por_dep["central"]}
    propia, ajena = por_dep.get(LIMITADOS[rol]), por_dep.get(LIMITADOS[rol] + "2")
    if propia is None:
        return {"ajena": por_dep["central"]}
    return {"propia": propia, **({"ajena": ajena} if ajena else {})}


# --- el recorrido --------------------------------------------------------------------------------------------
def _consulta_foto() -> str:
    partes = []
    for tabla in db.metadata.sorted_tables:
        version = sa.func.coalesce(sa.func.sum(tabla.c.version), 0) if "version" in tabla.c else sa.literal(0)
        partes.append(sa.select(sa.literal(tabla.name, sa.String), sa.func.count(), version).select_from(tabla))
    return str(sa.union_all(*partes).compile(db.engine, compile_kwargs={"literal_binds": True}))


@contextmanager
def todo_se_deshace(app):
    """Las sesiones de la app se unen a una sola conexión con `join_transaction_mode="create_savepoint"`
    (su commit solo libera su savepoint); cada petición corre en un savepoint propio que luego se deshace."""
    db.session.commit()
    db.session.close()
    motores = db._app_engines[app]
    original = motores[None]
    conexion = original.connect()
    if conexion.dialect.name == "sqlite":
        conexion.exec_driver_sql("BEGIN")  # pysqlite no abriría la transacción hasta el primer INSERT
    else:
        conexion.begin()
    opciones = db.session.session_factory.kw
    motores[None], opciones["join_transaction_mode"] = conexion, "create_savepoint"
    consulta = _consulta_foto()

    @contextmanager
    def peticion():
        punto = conexion.begin_nested()
        try:
            yield lambda: sorted(conexion.exec_driver_sql(consulta).all())
        finally:
            db.session.remove()
            punto.rollback()

    try:
        yield peticion
    finally:
        db.session.remove()
        motores[None] = original
        opciones.pop("join_transaction_mode", None)
        conexion.rollback()
        conexion.close()


def _obtenido(respuesta):
    if respuesta.status_code == 302 and "/login" in respuesta.headers.get("Location", ""):
        return INGRESO
    return respuesta.status_code


def _esperado(regla: Regla, rol: str | None, clase: str):
    if regla.quien == PUBLICO:
        return regla.ok
    if rol is None:
        return INGRESO
    if rol in regla.rechaza:
        return 302
    if rol not in regla.quien:
        return 403
    return regla.ajena if clase == "ajena" else regla.ok


def _cumple(esperado, obtenido) -> bool:
    if esperado == PASA:
        return obtenido not in (403, 404, INGRESO) and obtenido < 500
    return esperado == obtenido


MANEJADOR_EN_LINEA = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)


def _problemas_de_csp(html: str, nonce: str) -> list[str]:
    problemas = [m.group(0)[:80] for m in MANEJADOR_EN_LINEA.finditer(html)]
    for m in SCRIPT.finditer(html):
        atributos = m.group(1)
        if "src=" not in atributos and f'nonce="{nonce}"' not in atributos:
            problemas.append(m.group(0)[:80])
    return problemas


def recorrer(app, clientes: dict, filas) -> tuple[list[str], dict[str, list[str]], int]:
    """Cada ruta × cada cliente × (propia, ajena): los desacuerdos con la tabla, lo que la CSP no admitiría
    en cada página que abre, y cuántas peticiones se hicieron."""
    tabla, rutas = tabla_de_expectativas(app), rutas_de(app)
    vistas = {v.endpoint: v for v in app.extensions["admin"][0]._views}
    filas_por_cliente = {}
    for clave, regla_werkzeug in rutas.items():
        seccion = regla_werkzeug.endpoint.split(".")[0]
        vista = vistas.get(seccion)
        for nombre in clientes:
            filas_por_cliente[(clave, nombre)] = casos_para(filas, seccion, getattr(vista, "model", None), nombre)
    fallas, csp, peticiones = [], {}, 0
    with todo_se_deshace(app) as peticion:
        for clave in sorted(rutas):
            regla_werkzeug, regla = rutas[clave], tabla[clave]
            metodo = "POST" if clave.startswith("POST ") else "GET"
            for nombre, cliente in clientes.items():
                rol = None if nombre == "anónimo" else nombre
                casos = filas_por_cliente[(clave, nombre)]
                if not regla.fila:
                    casos = {"propia": next(iter(casos.values()))}
                for clase, fila in casos.items():
                    argumentos = {a: fila for a in regla_werkzeug.arguments}
                    argumentos.update({k: v for k, v in (("export_type", "xlsx"), ("clave", "no-existe"))
                                       if k in argumentos})
                    url = regla_werkzeug.build(argumentos)[1]
                    url += ("&" if "?" in url else "?") + f"id={fila}"
                    with peticion() as foto:
                        antes = foto() if metodo == "POST" else None
                        if metodo == "GET":
                            respuesta = cliente.get(url)
                        else:
                            respuesta = cliente.post(url, data={"id": fila, "rowid": fila, "plan_id": fila,
                                                                "action": "delete"})
                        cuerpo = respuesta.get_data()  # las descargas salen por partes: se leen enteras
                        cambio = metodo == "POST" and foto() != antes
                    peticiones += 1
                    esperado, obtenido = _esperado(regla, rol, clase), _obtenido(respuesta)
                    if not _cumple(esperado, obtenido):
                        fallas.append(f"{clave} {nombre}/{clase}: esperado {esperado}, obtenido {obtenido}")
                    negado = esperado in (403, 404, INGRESO) or clase == "ajena" or rol in regla.rechaza
                    if cambio and negado:
                        fallas.append(f"{clave} {nombre}/{clase}: negado ({obtenido}) pero cambió la base")
                    # Lo que responde a alguien con sesión (página, descarga, error o redirección) no queda en la caché
                    # del navegador ni de un proxy.
                    if rol is not None and respuesta.headers.get("Cache-Control") != "no-store":
                        fallas.append(f"{clave} {nombre}/{clase}: Cache-Control "
                                      f"{respuesta.headers.get('Cache-Control')!r}, no «no-store»")
                    if obtenido == 200 and respuesta.mimetype == "text/html":
                        nonce = re.search(r"'nonce-([^']+)'", respuesta.headers["Content-Security-Policy"]).group(1)
                        problemas = _problemas_de_csp(cuerpo.decode(), nonce)
                        if problemas:
                            csp.setdefault(clave, problemas)
    return fallas, csp, peticiones


def test_cada_rol_recibe_en_cada_ruta_lo_que_el_procedimiento_le_da(app, navegador, fabrica, usuarios):
    """Y cada página que abre (HTML) no trae manejadores en atributos ni <script> sin el nonce, y nada de lo que
    recibe alguien con sesión queda en caché (Cache-Control: no-store)."""
    filas = _armar_mundo(fabrica)
    clientes = {"anónimo": navegador(), **{rol: navegador(usuarios[rol]) for rol in sorted(R.DESCRIPCIONES)}}
    fallas, csp, peticiones = recorrer(app, clientes, filas)
    assert peticiones > 4000
    assert not fallas, f"{len(fallas)} desacuerdos con la tabla:\n" + "\n".join(fallas)
    assert not csp, csp


def test_la_csp_no_admite_script_en_linea_ni_en_atributos(navegador):
    politica = navegador().get("/publico/").headers["Content-Security-Policy"]
    directivas = dict(d.strip().split(" ", 1) for d in politica.split(";"))
    assert all("'unsafe-inline'" not in v for k, v in directivas.items() if k.startswith("script-src"))
    assert directivas["script-src-attr"] == "'none'"
