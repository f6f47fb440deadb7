"""Cada página al lado de sus dos pisos, medidos en la misma corrida (issue 11).

Uso (una orden por escala; cada --base se mide por separado; con --generar, una base sin volumen se borra entera
y se genera):

    .venv/bin/python bench/paginas.py --escala ministerio --generar \\
        --base sqlite:////tmp/volumen-ministerio.db --base postgresql://postgres@127.0.0.1:5432/gestion_bench

Por página: mediana y p95 en ms sobre `--repeticiones` corridas (tras una de calentamiento), consultas SQL
por petición, tamaño de la respuesta y sus pisos: una respuesta mínima autenticada («hola», una ruta que el
script registra en su propia app antes de la primera petición) y el SQL crudo de los mismos datos. Las metas
de la issue: listas e inicios p95 ≤ 10× la mínima y ≤ 3× su SQL crudo; ficha del plan ≤ 100 ms; tablero ≤
150 ms; páginas públicas ≤ 1 MB; aprobar en bloque 100 planes por HTTP ≤ 2 s. Las exportaciones y la carga
de 5.000 filas las mide bench/excel.py.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_security import auth_required  # noqa: E402

from gestion.base.proceso import fijar_lo_cargado  # noqa: E402
from gestion.demo import volumen  # noqa: E402
from gestion.demo.cargador import CONTRASENA_POR_DEFECTO  # noqa: E402
from gestion.fabrica import crear_app  # noqa: E402
from gestion.reglas import roles as R  # noqa: E402
from modelos import EstadoPlan, HistorialEstado, Plan, TipoPlan, Vigencia, db  # noqa: E402
from tests.navegador import Navegador  # noqa: E402

sys.path.insert(1, str(Path(__file__).resolve().parent))
import alcance_pg  # noqa: E402

MB = 1024 * 1024


class Contador:
    """Cuenta las sentencias SQL de la app mientras está activo."""

    def __init__(self, engine):
        self.n = 0
        self.activo = False
        sa.event.listen(engine, "before_cursor_execute", self._contar)

    def _contar(self, *args, **kwargs):
        if self.activo:
            self.n += 1

    def medir(self, funcion):
        self.n, self.activo = 0, True
        try:
            inicio, cpu = time.perf_counter(), time.process_time()
            resultado = funcion()
            # El tiempo de CPU de este proceso no cuenta la espera por los otros trabajos de la máquina.
            self.cpu = time.process_time() - cpu
            return time.perf_counter() - inicio, self.n, resultado
        finally:
            self.activo = False


def _p95(tiempos):
    ordenados = sorted(tiempos)
    return ordenados[min(len(ordenados) - 1, round(0.95 * (len(ordenados) - 1)))]


def _app(url: str):
    os.environ["DATABASE_URL"] = url
    # La carpeta de instancia de siempre: su sal de contraseñas es la que usó `gestion volumen`.
    app = crear_app(GESTION_LIMITE_LOGIN="100000 per minute",
                    GESTION_LIMITE_FALLOS_LOGIN="100000 per minute")

    @app.route("/_bench/hola")
    @auth_required("session")
    def hola():
        return "hola"

    fijar_lo_cargado()  # como wsgi.py en cada servidor
    return app


def _preparar(app, escala: str, generar: bool) -> None:
    with app.app_context():
        tiene = sa.inspect(db.engine).has_table("plan") and db.session.scalar(
            sa.select(Plan.id).where(Plan.tipo == TipoPlan.PA).limit(1))
        if tiene:
            print("  (reuso el volumen que ya tiene la base)", flush=True)
            return
        if not generar:
            sys.exit("La base no tiene volumen: genérelo con `flask gestion volumen` o agregue --generar "
                     "(borra la base entera y la crea de nuevo).")
        inicio = time.perf_counter()
        volumen.reiniciar()
        cuentas = volumen.generar(escala, app.config.get("GESTION_DEMO_PASSWORD") or CONTRASENA_POR_DEFECTO)
        db.session.commit()
        volumen.actualizar_estadisticas()
        print(f"  volumen «{escala}» generado en {time.perf_counter() - inicio:.0f} s: "
              f"{cuentas.get('plan', 0)} planes, {cuentas.get('actividad', 0):,} actividades, "
              f"{cuentas.get('avance', 0):,} avances, {cuentas.get('registro_auditoria', 0):,} auditoría", flush=True)


def _ingresar(app, email):
    navegador = Navegador(app)
    respuesta = navegador.post("/login", data={"email": email, "password": CONTRASENA_POR_DEFECTO})
    assert respuesta.status_code == 302, f"no pudo ingresar {email}"
    return navegador


# --- el SQL crudo de los datos de cada página ------------------------------------------------------
def _crudo(conexion, sql: str, **parametros):
    if conexion.dialect.name == "postgresql":
        sql = sql.replace(" LIKE ", " ILIKE ")  # como la búsqueda de Flask-Admin
    return conexion.execute(sa.text(sql), parametros).fetchall()


LISTA_PLANES = """SELECT p.id, p.tipo, p.nombre, p.estado, p.numero_version, p.enviado_en, p.aprobado_en,
    d.codigo, d.nombre, v.anio FROM plan p LEFT JOIN dependencia d ON d.id = p.dependencia_id
    LEFT JOIN vigencia v ON v.id = p.vigencia_id WHERE p.tipo IN ('pa', 'pai') {filtro}
    ORDER BY p.id LIMIT 50"""
# Lo que la lista, la bandeja y los inicios leen de la lista de chequeo: la guardada de cada plan de la página.
CHEQUEO_GUARDADO = "SELECT plan_id, items FROM chequeo_plan WHERE plan_id IN ({ids})"
# La ficha sí evalúa la lista en vivo: estas son sus entradas.
CHEQUEO = """SELECT a.plan_id, a.codigo, a.objetivo_id, a.indicador, a.formula, a.unidad_id, a.meta_anual, a.meta_t1,
    a.meta_t2, a.meta_t3, a.meta_t4, a.peso, a.fecha_inicio, a.fecha_fin, a.territorial, a.proyecto_id, a.presupuesto
    FROM actividad a WHERE a.plan_id IN ({ids}) ORDER BY a.plan_id, a.codigo"""
CHEQUEO_2 = ["""SELECT o.id, o.plan_id, p.tipo, p.cuatrienio_id,
                EXISTS (SELECT 1 FROM objetivo_pes x WHERE x.objetivo_id = o.id),
                EXISTS (SELECT 1 FROM objetivo_pnd x WHERE x.objetivo_id = o.id)
                FROM objetivo o JOIN plan p ON p.id = o.plan_id
                WHERE o.id IN (SELECT objetivo_id FROM actividad WHERE plan_id IN ({ids}))""",
             "SELECT m.* FROM meta_territorial m JOIN actividad a ON a.id = m.actividad_id WHERE a.plan_id IN ({ids})",
             "SELECT * FROM verificacion_plan WHERE plan_id IN ({ids})",
             "SELECT * FROM compromiso WHERE dependencia_id IN (SELECT dependencia_id FROM plan WHERE id IN ({ids}))"]
# El tablero y los inicios leen las cifras guardadas (cifra_agregada), sumadas por dependencia.
CUADRO = """SELECT c.dependencia_id, d.nombre, sum(c.actividades), sum(c.peso_trimestre), sum(c.suma_trimestre),
    sum(c.peso_acumulado), sum(c.suma_acumulado), sum(c.incoherentes) FROM cifra_agregada c
    JOIN dependencia d ON d.id = c.dependencia_id WHERE c.vigencia_id = :vigencia AND c.trimestre = {q} {filtro}
    GROUP BY c.dependencia_id, d.nombre ORDER BY d.nombre"""


def _lista_planes(conexion, filtro=""):
    filas = _crudo(conexion, LISTA_PLANES.format(filtro=filtro))
    ids = ",".join(str(f[0]) for f in filas) or "0"
    _crudo(conexion, f"SELECT count(*) FROM plan p WHERE p.tipo IN ('pa', 'pai') {filtro}")
    _crudo(conexion, CHEQUEO_GUARDADO.format(ids=ids))


def _cuadro(conexion, contexto, filtro=""):
    _crudo(conexion, CUADRO.format(q=contexto["trimestre"], filtro=filtro), vigencia=contexto["vigencia_id"])


def crudo_inicio_oap(conexion, contexto):
    _cuadro(conexion, contexto)
    _lista_planes(conexion, "AND p.estado = 'enviado'")


def crudo_inicio_director(conexion, contexto):
    _cuadro(conexion, contexto, f"AND c.duena_id = {contexto['dependencia_id']}")
    _crudo(conexion, "SELECT * FROM plan WHERE dependencia_id = :d ORDER BY id", d=contexto["dependencia_id"])
    _crudo(conexion, CHEQUEO_GUARDADO.format(ids=contexto["plan_director"]))


def crudo_publico_pai(conexion, contexto):
    _crudo(conexion, """SELECT a.codigo, a.descripcion, a.indicador, a.meta_anual, a.peso, a.presupuesto, d.nombre
        FROM consolidacion_pai c JOIN plan p ON p.id = c.plan_id JOIN dependencia d ON d.id = p.dependencia_id
        JOIN actividad a ON a.plan_id = p.id WHERE c.pai_id = :pai ORDER BY d.codigo, a.codigo LIMIT 50""",
           pai=contexto["pai"])
    _crudo(conexion, "SELECT count(*) FROM consolidacion_pai WHERE pai_id = :pai", pai=contexto["pai"])


def crudo_art74(conexion, contexto):
    """Lo que no sale de otras páginas: el presupuesto del PAI por proyecto y por dependencia."""
    for agrupar in ("a.proyecto_id", "p.dependencia_id"):
        _crudo(conexion, f"""SELECT {agrupar}, sum(a.presupuesto), count(*) FROM consolidacion_pai c
            JOIN plan p ON p.id = c.plan_id JOIN actividad a ON a.plan_id = p.id WHERE c.pai_id = :pai
            GROUP BY {agrupar}""", pai=contexto["pai"])


def crudo_actividades_csv(conexion, contexto):
    _crudo(conexion, """SELECT a.*, d.codigo, d.nombre FROM consolidacion_pai c JOIN plan p ON p.id = c.plan_id
        JOIN dependencia d ON d.id = p.dependencia_id JOIN actividad a ON a.plan_id = p.id WHERE c.pai_id = :pai
        ORDER BY d.codigo, a.codigo""", pai=contexto["pai"])


def crudo_ficha(conexion, contexto):
    plan = contexto["plan_ficha"]
    _crudo(conexion, "SELECT * FROM plan WHERE id = :p", p=plan)
    _crudo(conexion, CHEQUEO.format(ids=plan))
    for sql in CHEQUEO_2:
        _crudo(conexion, sql.format(ids=plan))
    _crudo(conexion, "SELECT * FROM historial_estado WHERE objeto_tipo = 'plan' AND objeto_id = :p", p=plan)


def crudo_actividades(conexion, contexto, busqueda=None):
    donde = "WHERE a.codigo LIKE :q OR a.descripcion LIKE :q OR a.indicador LIKE :q" if busqueda else ""
    _crudo(conexion, f"""SELECT a.*, p.nombre, o.nombre FROM actividad a JOIN plan p ON p.id = a.plan_id
        LEFT JOIN objetivo o ON o.id = a.objetivo_id {donde} ORDER BY a.codigo LIMIT 50""", q=f"%{busqueda}%")
    _crudo(conexion, f"SELECT count(*) FROM actividad a {donde}", q=f"%{busqueda}%")


def crudo_auditoria(conexion, contexto, busqueda=None):
    donde = "WHERE tabla LIKE :q OR usuario_email LIKE :q OR objeto_id LIKE :q" if busqueda else ""
    _crudo(conexion, f"SELECT * FROM registro_auditoria {donde} ORDER BY en DESC LIMIT 50", q=f"%{busqueda}%")
    if busqueda:  # el registro entero se hojea sin contarlo; buscado, la página dice cuántos encontró
        _crudo(conexion, f"SELECT count(*) FROM registro_auditoria {donde}", q=f"%{busqueda}%")


def crudo_actividades_director(conexion, contexto):
    filtro = "WHERE p.dependencia_id = :d"
    _crudo(conexion, f"""SELECT a.*, p.nombre, o.nombre FROM actividad a JOIN plan p ON p.id = a.plan_id
        LEFT JOIN objetivo o ON o.id = a.objetivo_id {filtro} ORDER BY a.codigo LIMIT 50""", d=contexto["dependencia_id"])
    _crudo(conexion, f"SELECT count(*) FROM actividad a JOIN plan p ON p.id = a.plan_id {filtro}",
           d=contexto["dependencia_id"])


def crudo_actividades_dt(conexion, contexto):
    filtro = "WHERE a.id IN (SELECT actividad_id FROM meta_territorial WHERE dependencia_id = :d)"
    _crudo(conexion, f"""SELECT a.*, p.nombre, o.nombre FROM actividad a JOIN plan p ON p.id = a.plan_id
        LEFT JOIN objetivo o ON o.id = a.objetivo_id {filtro} ORDER BY a.codigo LIMIT 50""", d=contexto["dt_id"])
    _crudo(conexion, f"SELECT count(*) FROM actividad a {filtro}", d=contexto["dt_id"])


def crudo_reportes_dt(conexion, contexto):
    _crudo(conexion, """SELECT r.*, p.nombre, v.anio FROM reporte_trimestral r JOIN plan p ON p.id = r.plan_id
        JOIN vigencia v ON v.id = r.vigencia_id WHERE r.dependencia_id = :d ORDER BY r.id DESC LIMIT 50""",
           d=contexto["dt_id"])
    _crudo(conexion, "SELECT count(*) FROM reporte_trimestral WHERE dependencia_id = :d", d=contexto["dt_id"])


def crudo_inicio_dt(conexion, contexto):
    _cuadro(conexion, contexto, f"AND c.dependencia_id = {contexto['dt_id']}")
    _crudo(conexion, "SELECT * FROM reporte_trimestral WHERE dependencia_id = :d AND vigencia_id = :v",
           d=contexto["dt_id"], v=contexto["vigencia_id"])


# (nombre, quién, url, SQL crudo, meta: "lista" | ms | None); las URLs usan el contexto de la base; quién, una
# clave de USUARIOS (None: sin ingresar).
PAGINAS = [
    ("Lista de PA", "oap", "/admin/planes_accion/", lambda c, x: _lista_planes(c), "lista"),
    ("Búsqueda en la lista de PA", "oap", "/admin/planes_accion/?search=volumen+0003",
     lambda c, x: _lista_planes(c, "AND p.nombre LIKE '%volumen 0003%'"), "lista"),
    ("Bandeja de la OAP", "oap", "/admin/planes_accion/?flt0_estado_equals=ENVIADO",
     lambda c, x: _lista_planes(c, "AND p.estado = 'enviado'"), "lista"),
    ("Inicio de la OAP", "oap", "/admin/", crudo_inicio_oap, "lista"),
    ("Inicio del director", "director", "/admin/", crudo_inicio_director, "lista"),
    ("Tablero (trimestre)", "oap", "/admin/tablero/?vigencia={anio}&trimestre={trimestre}",
     lambda c, x: _cuadro(c, x), 150),
    ("PAI público", None, "/publico/pai/{pai}", crudo_publico_pai, "publica"),
    ("Art. 74 público", None, "/publico/transparencia/{anio_pai}", crudo_art74, "publica"),
    # Todo el PAI en una respuesta: crece con el PAI (sin meta de tamaño), las consultas no.
    ("Actividades del PAI en CSV", None, "/publico/datos/{anio_pai}/actividades.csv", crudo_actividades_csv, None),
    ("Ficha del plan", "oap", "/admin/planes_accion/ficha/?id={plan_ficha}", crudo_ficha, 100),
    ("Lista de actividades", "oap", "/admin/actividad/", crudo_actividades, "lista"),
    ("Búsqueda en actividades (1 %)", "oap", "/admin/actividad/?search=A017",
     lambda c, x: crudo_actividades(c, x, "A017"), "lista"),
    ("Actividades del director", "director", "/admin/actividad/", crudo_actividades_director, "lista"),
    ("Tablero del director", "director", "/admin/tablero/?vigencia={anio}&trimestre={trimestre}",
     lambda c, x: _cuadro(c, x, f"AND c.dependencia_id = {x['dependencia_id']}"), 150),
    ("Inicio de la DT", "territorial", "/admin/", crudo_inicio_dt, "lista"),
    ("Actividades de la DT", "territorial", "/admin/actividad/", crudo_actividades_dt, "lista"),
    ("Reportes de la DT", "territorial", "/admin/reportetrimestral/", crudo_reportes_dt, "lista"),
    ("Tablero de la DT", "territorial", "/admin/tablero/?vigencia={anio}&trimestre={trimestre}",
     lambda c, x: _cuadro(c, x, f"AND c.dependencia_id = {x['dt_id']}"), 150),
    ("Inicio de Control Interno", "ci", "/admin/", crudo_inicio_oap, "lista"),
    ("Lista de auditoría", "oap", "/admin/registroauditoria/", crudo_auditoria, "lista"),
    ("Búsqueda en auditoría", "oap", "/admin/registroauditoria/?search=director.v0003",
     lambda c, x: crudo_auditoria(c, x, "director.v0003"), "lista"),
]


def _contexto(app) -> dict:
    with app.app_context():
        actual = db.session.scalar(sa.select(Vigencia).filter_by(anio=volumen.ACTUAL))
        pai = db.session.scalar(sa.select(Plan.id).where(Plan.tipo == TipoPlan.PAI, Plan.estado == EstadoPlan.PUBLICADO)
                                .order_by(Plan.vigencia_id.desc()).limit(1))
        # El caso pesado de cada rol limitado a su dependencia (el de bench/alcance_pg.py).
        director, territorial = (alcance_pg.usuario_mas_cargado(rol) for rol in (R.DIRECTOR, R.TERRITORIAL))
        dependencia, dt = director.dependencia_id, territorial.dependencia_id
        director, territorial = director.email, territorial.email
        plan_director = db.session.scalar(sa.select(Plan.id).where(Plan.dependencia_id == dependencia,
                                                                    Plan.vigencia_id == actual.id))
        plan_ficha = db.session.scalar(sa.select(Plan.id).where(Plan.tipo == TipoPlan.PA, Plan.vigencia_id == actual.id,
                                                                 Plan.estado == EstadoPlan.ENVIADO).limit(1))
        anio_pai = db.session.scalar(sa.select(Vigencia.anio).join(Plan, Plan.vigencia_id == Vigencia.id)
                                     .where(Plan.id == pai))
        return {"anio": actual.anio, "vigencia_id": actual.id, "trimestre": 2, "pai": pai, "anio_pai": anio_pai,
                "director": director, "territorial": territorial, "dt_id": dt,
                "dependencia_id": dependencia, "plan_director": plan_director, "plan_ficha": plan_ficha}


# Quién pide cada página: la clave de PAGINAS → el correo (del contexto, si es el de un usuario del volumen).
USUARIOS = {"oap": "oap@demo.gov.co", "ci": "control.interno@demo.gov.co", "director": "{director}",
            "territorial": "{territorial}"}


def medir_base(url: str, escala: str, repeticiones: int, generar: bool, solo=None, paginas=None, contexto=None,
               aprobar: bool = True) -> list[tuple]:
    """Mide `paginas` (por omisión PAGINAS; bench/filas.py pasa las suyas y su contexto) sobre una base: cada
    página alternada en cada repetición con la respuesta mínima autenticada y con el SQL crudo de sus filas."""
    app = _app(url)
    _preparar(app, escala, generar)
    contexto = (contexto or _contexto)(app)
    with app.app_context():
        contador = Contador(db.engine)
        motor = db.engine
    usuarios = {quien: _ingresar(app, correo.format(**contexto)) for quien, correo in USUARIOS.items()}
    usuarios[None] = Navegador(app)

    def serie(*funciones):
        """Las funciones, alternadas en cada repetición: con la máquina ocupada por otros, la página y sus
        pisos ven la misma carga."""
        for funcion in funciones:
            funcion()  # calentamiento
        tiempos, cpu = [[] for _ in funciones], [[] for _ in funciones]
        consultas, resultados = [0] * len(funciones), [None] * len(funciones)
        for _ in range(repeticiones):
            for i, funcion in enumerate(funciones):
                segundos, consultas[i], resultados[i] = contador.medir(funcion)
                tiempos[i].append(segundos * 1000)
                cpu[i].append(contador.cpu * 1000)
        return [(statistics.median(t), _p95(t), consultas[i], resultados[i], statistics.median(cpu[i]))
                for i, t in enumerate(tiempos)]

    def hola():
        return usuarios["oap"].get("/_bench/hola")

    (mediana_min, p95_min, consultas_min, respuesta_min, cpu_min), = serie(hola)
    filas = [("Respuesta mínima autenticada", mediana_min, p95_min, consultas_min, len(respuesta_min.data),
              None, None, None, cpu_min, None, None)]
    with motor.connect() as conexion:
        for nombre, quien, plantilla, crudo, meta in paginas or PAGINAS:
            if solo and not any(s.lower() in nombre.lower() for s in solo):
                continue
            url_pagina = plantilla.format(**contexto)
            pagina, minima, sql = serie(lambda quien=quien, url_pagina=url_pagina: usuarios[quien].get(url_pagina), hola,
                                        lambda crudo=crudo: crudo(conexion, contexto))
            mediana, p95, consultas, respuesta, cpu = pagina
            assert respuesta.status_code == 200, f"{url_pagina}: {respuesta.status_code}"
            filas.append((nombre, mediana, p95, consultas, len(respuesta.data), minima[0], sql[0], meta, cpu,
                          minima[4], sql[4]))
            print(f"  {nombre}: {mediana:.0f} / {p95:.0f} ms, {consultas} consultas, CPU {cpu:.1f} ms (mínima "
                  f"{minima[0]:.1f} ms y {minima[4]:.1f} de CPU, SQL crudo {sql[0]:.1f} ms)", flush=True)
    if aprobar and (not solo or any(s.lower() in "aprobar en bloque" for s in solo)):
        filas.append(_aprobar_en_bloque(app, usuarios["oap"], contador))
    return filas


def _aprobar_en_bloque(app, oap, contador) -> tuple:
    """Aprueba por HTTP hasta 100 planes enviados (con sus puntos de juicio marcados) y los deja como estaban."""
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Plan.id).where(Plan.estado == EstadoPlan.ENVIADO)
                                      .order_by(Plan.id).limit(100)))
        ultimo_historial = db.session.scalar(sa.select(sa.func.max(HistorialEstado.id)))
    segundos, consultas, respuesta = contador.medir(
        lambda: oap.post("/admin/planes_accion/action/", data={"action": "aprobar", "rowid": [str(i) for i in ids]}))
    with app.app_context():
        aprobados = db.session.scalar(sa.select(sa.func.count(Plan.id)).where(
            Plan.id.in_(ids), Plan.estado == EstadoPlan.APROBADO))
        db.session.execute(sa.update(Plan).where(Plan.id.in_(ids)).values(
            estado=EstadoPlan.ENVIADO, aprobado_en=None, aprobado_por_id=None, version=Plan.version + 1))
        db.session.execute(sa.delete(HistorialEstado).where(HistorialEstado.id > ultimo_historial))
        db.session.commit()
    assert respuesta.status_code == 302, respuesta.status_code
    return (f"Aprobar en bloque {aprobados} de {len(ids)} planes (HTTP)", segundos * 1000, segundos * 1000,
            consultas, 0, None, None, 2000, contador.cpu * 1000, None, None)


def imprimir(base: str, filas: list[tuple]) -> None:
    print(f"\n### {base}\n")
    print("| página | mediana ms | p95 ms | consultas | tamaño | mínima ms | p95 ÷ mínima (≤ 10) "
          "| SQL crudo ms | p95 ÷ crudo (≤ 3) | meta | cumple | CPU ms: página / mínima / crudo |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|")
    for nombre, mediana, p95, consultas, tamano, minima, crudo, meta, cpu, cpu_min, cpu_crudo in filas:
        tam = f"{tamano / 1024:,.0f} KB" if tamano else ""
        if meta == "lista":
            r_min, r_crudo = p95 / minima, p95 / max(crudo, 0.01)
            cumple = r_min <= 10 and r_crudo <= 3
            texto_meta = "≤ 10× mínima y ≤ 3× crudo"
        elif meta == "publica":
            r_min, r_crudo = p95 / minima, p95 / max(crudo, 0.01)
            cumple = tamano <= MB
            texto_meta = "≤ 1 MB"
        elif isinstance(meta, int):
            r_min = p95 / minima if minima else None
            r_crudo = p95 / max(crudo, 0.01) if crudo is not None else None
            cumple = p95 <= meta
            texto_meta = f"≤ {meta} ms"
        else:
            r_min = r_crudo = None
            cumple, texto_meta = None, "piso"
        celdas = [nombre, f"{mediana:,.1f}", f"{p95:,.1f}", str(consultas), tam,
                  f"{minima:.1f}" if minima else "", f"{r_min:.1f}×" if r_min else "",
                  f"{crudo:.1f}" if crudo is not None else "", f"{r_crudo:.1f}×" if r_crudo else "", texto_meta,
                  "" if cumple is None else ("sí" if cumple else "**no**"),
                  " / ".join(f"{c:,.1f}" for c in (cpu, cpu_min, cpu_crudo) if c is not None)]
        print("| " + " | ".join(celdas) + " |")


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--escala", choices=list(volumen.ESCALAS), default="ministerio")
    argumentos.add_argument("--base", action="append", help="URL de la base (repetible); por defecto un SQLite "
                                                           "temporal por escala")
    argumentos.add_argument("--repeticiones", type=int, default=10)
    argumentos.add_argument("--solo", action="append", help="mide solo las páginas cuyo nombre contiene esto "
                                                           "(repetible; «aprobar en bloque» para la acción)")
    argumentos.add_argument("--generar", action="store_true",
                            help="si una base no tiene volumen, la borra entera y lo genera")
    opciones = argumentos.parse_args()
    bases = opciones.base or [f"sqlite:///{tempfile.gettempdir()}/volumen-{opciones.escala}.db"]
    resultados = []
    for base in bases:
        print(f"Midiendo {sa.make_url(base).get_backend_name()} ({opciones.escala})…", flush=True)
        resultados.append((base, medir_base(base, opciones.escala, opciones.repeticiones, opciones.generar,
                                                   opciones.solo)))
    imprimir_todo(opciones.escala, opciones.repeticiones, resultados)


def imprimir_todo(escala: str, repeticiones: int, resultados: list) -> None:
    """Las tablas de cada base, con la carga de la máquina al terminar; en PostgreSQL, además, EXPLAIN (ANALYZE)
    de los filtros de alcance de cada rol con y sin JIT (bench/alcance_pg.py)."""
    carga = ", ".join(f"{c:.1f}" for c in os.getloadavg())
    print(f"\nEscala {escala}; {repeticiones} repeticiones por cifra tras una de calentamiento; carga media de la "
          f"máquina al terminar (1, 5, 15 min): {carga}.")
    for base, filas in resultados:
        imprimir(f"{sa.make_url(base).get_backend_name()} · {escala}", filas)
        if sa.make_url(base).get_backend_name() == "postgresql":
            print(f"\nFiltros de alcance en PostgreSQL ({escala}), EXPLAIN (ANALYZE) sin y con JIT:\n")
            alcance_pg.revisar(_app(base))


if __name__ == "__main__":
    main()
