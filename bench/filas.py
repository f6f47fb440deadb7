"""Las páginas que consultaban por fila y las que crecían con las dependencias, al lado de sus pisos (issue 23,
puntos 1, 4 y 7).

Uso, una orden por escala (cada --base por separado, sobre el volumen de `gestion volumen`, que se genera una vez
por base y se reusa):

    .venv/bin/python bench/filas.py --escala doble --base sqlite:////tmp/volumen-doble.db \\
        --base postgresql://postgres@127.0.0.1:5432/volumen_doble

Mide, como bench/paginas.py (del que toma la app, el contador y los pisos), cada página alternada en cada
repetición con la respuesta mínima autenticada y con el SQL crudo de sus filas: mediana, p95, consultas por
petición, tamaño y CPU. Las páginas por fila: la ficha de un plan territorial (35 actividades con 4 DT cada
una; el bench la prepara en la base la primera vez), el reporte trimestral de una dependencia (86 ítems) y el de
una Dirección Territorial de ese plan (35 ítems), la verificación de Control Interno y la calidad del reporte.
Las que no deben crecer con las dependencias: el tablero, el inicio de la OAP y el PAI público. Meta de la
issue: p95 ≤ 150 ms a dos sectores. Con `--antes RUTA` mide el mismo código de otra copia del repositorio
(p. ej. el commit anterior, sacado con `git archive`), para comparar antes y después.
"""
import argparse
import statistics
import sys
from decimal import Decimal
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
if "--antes" in sys.argv:  # el código de la otra copia, con este mismo script
    RAIZ = Path(sys.argv[sys.argv.index("--antes") + 1]).resolve()
sys.path.insert(0, str(RAIZ))
sys.path.insert(1, str(RAIZ / "bench"))

import paginas  # noqa: E402
import sqlalchemy as sa  # noqa: E402

import gestion  # noqa: E402
from modelos import Actividad, Avance, EstadoPlan, EstadoReporte, MetaTerritorial, Plan, ReporteTrimestral, TipoPlan, db  # noqa: E402

TERRITORIALES = 35  # como el plan de la issue: 35 actividades territoriales
DT_POR_ACTIVIDAD = 4
META = 150  # ms, p95 a dos sectores


def _plan_territorial(app) -> int:
    """Un plan enviado de la vigencia en curso con TERRITORIALES actividades desglosadas entre 4 DT (las metas de
    las DT suman la de la actividad). Se hace una vez por base: la segunda corrida lo encuentra."""
    with app.app_context():
        planes = db.session.scalars(sa.select(Plan.id).where(
            Plan.tipo == TipoPlan.PA, Plan.estado == EstadoPlan.ENVIADO,
            Plan.vigencia_id == sa.select(sa.func.max(Plan.vigencia_id)).where(Plan.tipo == TipoPlan.PA)
            .scalar_subquery()).order_by(Plan.id).limit(2)).all()
        plan = planes[-1]  # no el de la ficha de bench/paginas.py
        territoriales = db.session.scalar(sa.select(sa.func.count(Actividad.id)).where(
            Actividad.plan_id == plan, Actividad.territorial))
        if territoriales >= TERRITORIALES:
            return plan
        dts = db.session.scalars(sa.select(MetaTerritorial.dependencia_id).distinct()
                                 .order_by(MetaTerritorial.dependencia_id).limit(DT_POR_ACTIVIDAD)).all()
        actividades = db.session.scalars(sa.select(Actividad).where(Actividad.plan_id == plan, ~Actividad.territorial)
                                         .order_by(Actividad.codigo).limit(TERRITORIALES - territoriales)).all()
        filas = []
        for actividad in actividades:
            filas += [{"actividad_id": actividad.id, "dependencia_id": dt, "version": 1,
                       **{f"meta_t{q}": Decimal(getattr(actividad, f"meta_t{q}")) / len(dts) for q in range(1, 5)}}
                      for dt in dts]
        db.session.execute(sa.update(Actividad).where(Actividad.id.in_([a.id for a in actividades]))
                           .values(territorial=True))
        db.session.execute(MetaTerritorial.__table__.insert(), filas)
        db.session.commit()
        print(f"  (plan {plan}: {len(actividades)} actividades más desglosadas entre {len(dts)} DT)", flush=True)
        return plan


def _contexto(app) -> dict:
    contexto = paginas._contexto(app)
    contexto["plan_territorial"] = _plan_territorial(app)
    with app.app_context():
        vigencia = contexto["vigencia_id"]
        propio = sa.select(ReporteTrimestral.id).join(Plan, Plan.id == ReporteTrimestral.plan_id).where(
            ReporteTrimestral.vigencia_id == vigencia, ReporteTrimestral.trimestre == 2,
            ReporteTrimestral.dependencia_id == Plan.dependencia_id,
            ReporteTrimestral.estado == EstadoReporte.ACEPTADO).order_by(ReporteTrimestral.id).limit(1)
        contexto["reporte"] = db.session.scalar(propio)
        # La DT con más ítems en un reporte del T2: la parte territorial de un plan.
        items = sa.func.count(Avance.id)
        fila = db.session.execute(
            sa.select(ReporteTrimestral.id, items).join(Avance, Avance.reporte_id == ReporteTrimestral.id)
            .join(Plan, Plan.id == ReporteTrimestral.plan_id)
            .where(ReporteTrimestral.vigencia_id == vigencia, ReporteTrimestral.trimestre == 2,
                   ReporteTrimestral.dependencia_id != Plan.dependencia_id)
            .group_by(ReporteTrimestral.id).order_by(items.desc(), ReporteTrimestral.id).limit(1)).first()
        contexto["reporte_dt"] = fila[0] if fila else contexto["reporte"]
    return contexto


# --- el SQL crudo de las filas de cada página ---------------------------------------------------
def crudo_ficha_territorial(conexion, contexto):
    plan = contexto["plan_territorial"]
    paginas._crudo(conexion, "SELECT * FROM plan WHERE id = :p", p=plan)
    paginas._crudo(conexion, paginas.CHEQUEO.format(ids=plan))
    for sql in paginas.CHEQUEO_2:
        paginas._crudo(conexion, sql.format(ids=plan))
    paginas._crudo(conexion, """SELECT m.*, d.codigo, d.nombre FROM meta_territorial m
        JOIN actividad a ON a.id = m.actividad_id JOIN dependencia d ON d.id = m.dependencia_id
        WHERE a.plan_id = :p""", p=plan)
    paginas._crudo(conexion, "SELECT * FROM historial_estado WHERE objeto_tipo = 'plan' AND objeto_id = :p", p=plan)


def _crudo_reporte(clave):
    def crudo(conexion, contexto):
        reporte = contexto[clave]
        paginas._crudo(conexion, "SELECT * FROM reporte_trimestral WHERE id = :r", r=reporte)
        paginas._crudo(conexion, """SELECT v.*, a.codigo, a.descripcion, a.meta_t1, a.meta_t2, a.meta_t3, a.meta_t4,
            m.meta_t1, m.meta_t2, m.meta_t3, m.meta_t4 FROM avance v JOIN actividad a ON a.id = v.actividad_id
            JOIN reporte_trimestral r ON r.id = v.reporte_id
            LEFT JOIN meta_territorial m ON m.actividad_id = a.id AND m.dependencia_id = r.dependencia_id
            WHERE v.reporte_id = :r ORDER BY a.codigo""", r=reporte)
        paginas._crudo(conexion, """SELECT * FROM historial_estado WHERE objeto_tipo = 'reporte_trimestral'
            AND objeto_id = :r""", r=reporte)
    return crudo


def crudo_cuadro_ci(conexion, contexto):
    paginas._cuadro(conexion, {**contexto, "trimestre": 1})
    paginas._crudo(conexion, "SELECT * FROM verificacion_oci WHERE vigencia_id = :v AND periodo = 'T1'",
                   v=contexto["vigencia_id"])


def crudo_calidad(conexion, contexto):
    paginas._crudo(conexion, """SELECT r.dependencia_id, r.estado, r.enviado_en, count(v.id)
        FROM reporte_trimestral r LEFT JOIN avance v ON v.reporte_id = r.id
        WHERE r.vigencia_id = :v AND r.trimestre = 1 GROUP BY r.dependencia_id, r.estado, r.enviado_en""",
                   v=contexto["vigencia_id"])


# (nombre, quién, url, SQL crudo, meta en ms: la ficha, la de bench/paginas.py; las demás, la de la issue)
PAGINAS = [
    ("Ficha de un plan territorial (35 × 4 DT)", "oap", "/admin/planes_accion/ficha/?id={plan_territorial}",
     crudo_ficha_territorial, 100),
    ("Reporte trimestral de una dependencia", "oap", "/admin/reportetrimestral/ficha/?id={reporte}",
     _crudo_reporte("reporte"), META),
    ("Reporte trimestral de una DT", "oap", "/admin/reportetrimestral/ficha/?id={reporte_dt}",
     _crudo_reporte("reporte_dt"), META),
    ("Verificación de Control Interno", "ci", "/admin/verificacion_oci/cuadro/?vigencia={anio}&periodo=T1",
     crudo_cuadro_ci, META),
    ("Calidad del reporte", "oap", "/admin/calidad_reporte/?vigencia={anio}&trimestre=1", crudo_calidad, META),
    ("Tablero (trimestre)", "oap", "/admin/tablero/?vigencia={anio}&trimestre={trimestre}",
     lambda c, x: paginas._cuadro(c, x), META),
    ("Inicio de la OAP", "oap", "/admin/", paginas.crudo_inicio_oap, META),
    ("PAI público", None, "/publico/pai/{pai}", paginas.crudo_publico_pai, META),
]


def medir_base(url: str, escala: str, repeticiones: int, solo=None) -> list[tuple]:
    app = paginas._app(url)
    paginas._preparar(app, escala, generar=False)
    contexto = _contexto(app)
    with app.app_context():
        contador = paginas.Contador(db.engine)
        motor = db.engine
    usuarios = {"oap": paginas._ingresar(app, "oap@demo.gov.co"),
                "ci": paginas._ingresar(app, "control.interno@demo.gov.co"), None: paginas.Navegador(app)}

    def serie(*funciones):
        """Alternadas en cada repetición: con la máquina ocupada, la página y sus pisos ven la misma carga."""
        for funcion in funciones:
            funcion()  # calentamiento
        tiempos, cpu = [[] for _ in funciones], [[] for _ in funciones]
        consultas, resultados = [0] * len(funciones), [None] * len(funciones)
        for _ in range(repeticiones):
            for i, funcion in enumerate(funciones):
                segundos, consultas[i], resultados[i] = contador.medir(funcion)
                tiempos[i].append(segundos * 1000)
                cpu[i].append(contador.cpu * 1000)
        return [(statistics.median(t), paginas._p95(t), consultas[i], resultados[i], statistics.median(cpu[i]))
                for i, t in enumerate(tiempos)]

    def hola():
        return usuarios["oap"].get("/_bench/hola")

    (mediana, p95, consultas, respuesta, cpu), = serie(hola)
    filas = [("Respuesta mínima autenticada", mediana, p95, consultas, len(respuesta.data), None, None, None, cpu,
              None, None)]
    with motor.connect() as conexion:
        for nombre, quien, plantilla, crudo, meta in PAGINAS:
            if solo and not any(s.lower() in nombre.lower() for s in solo):
                continue
            url_pagina = plantilla.format(**contexto)
            pagina, minima, sql = serie(lambda quien=quien, u=url_pagina: usuarios[quien].get(u), hola,
                                        lambda crudo=crudo: crudo(conexion, contexto))
            mediana, p95, consultas, respuesta, cpu = pagina
            assert respuesta.status_code == 200, f"{url_pagina}: {respuesta.status_code}"
            filas.append((nombre, mediana, p95, consultas, len(respuesta.data), minima[0], sql[0], meta, cpu,
                          minima[4], sql[4]))
            print(f"  {nombre}: {mediana:.0f} / {p95:.0f} ms, {consultas} consultas, CPU {cpu:.1f} ms (mínima "
                  f"{minima[0]:.1f} ms, SQL crudo {sql[0]:.1f} ms)", flush=True)
    return filas


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--escala", default="doble", help="el nombre de la escala de la base, para el título")
    argumentos.add_argument("--base", action="append", required=True, help="URL de una base con volumen (repetible)")
    argumentos.add_argument("--repeticiones", type=int, default=10)
    argumentos.add_argument("--solo", action="append", help="mide solo las páginas cuyo nombre contiene esto")
    argumentos.add_argument("--antes", help="otra copia del repositorio: mide su código con este script")
    opciones = argumentos.parse_args()
    resultados = []
    for base in opciones.base:
        codigo = Path(gestion.__file__).parent.parent
        print(f"Midiendo {sa.make_url(base).get_backend_name()} ({opciones.escala}, código de {codigo})…", flush=True)
        resultados.append((base, medir_base(base, opciones.escala, opciones.repeticiones, opciones.solo)))
    print(f"\nEscala {opciones.escala}; {opciones.repeticiones} repeticiones por cifra tras una de calentamiento.")
    for base, filas in resultados:
        paginas.imprimir(f"{sa.make_url(base).get_backend_name()} · {opciones.escala}", filas)


if __name__ == "__main__":
    main()
