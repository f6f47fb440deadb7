"""Las páginas que consultaban por fila y las que crecían con las dependencias, al lado de sus pisos (issue 23,
puntos 1, 4 y 7).

Uso, una orden por escala (cada --base por separado, sobre el volumen de `gestion volumen`, que se genera una vez
por base y se reusa):

    .venv/bin/python bench/filas.py --escala doble --base sqlite:////tmp/volumen-doble.db \\
        --base postgresql://postgres@127.0.0.1:5432/volumen_doble

Mide con el bucle de bench/paginas.py (el mismo para las dos listas de páginas: cada página alternada en cada
repetición con la respuesta mínima autenticada y con el SQL crudo de sus filas; mediana, p95, consultas por
petición, tamaño y CPU). Las páginas por fila: la ficha de un plan territorial (35 actividades con 4 DT cada
una; el bench la prepara en la base la primera vez), el reporte trimestral de una dependencia (86 ítems) y el de
una Dirección Territorial de ese plan (35 ítems). Las que no deben crecer con las dependencias: la verificación de
Control Interno, la calidad del reporte, el tablero, el inicio de la OAP y el PAI público. Meta de la issue: p95
≤ 150 ms a dos sectores.
"""
import argparse
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(1, str(Path(__file__).resolve().parent))

import paginas  # noqa: E402
import sqlalchemy as sa  # noqa: E402

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
    """Lo que la página lee: las dependencias del trimestre (cifras guardadas), sus reportes con su historial y
    las cuentas guardadas de los avances."""
    paginas._cuadro(conexion, {**contexto, "trimestre": 1})
    v = contexto["vigencia_id"]
    reportes = "SELECT id FROM reporte_trimestral WHERE vigencia_id = :v AND trimestre = 1"
    paginas._crudo(conexion, reportes.replace("id FROM", "id, dependencia_id FROM"), v=v)
    paginas._crudo(conexion, f"""SELECT objeto_id, accion, en FROM historial_estado WHERE objeto_tipo =
        'reporte_trimestral' AND accion IN ('enviar', 'devolver') AND objeto_id IN ({reportes})""", v=v)
    paginas._crudo(conexion, "SELECT reporte_id, items, completos FROM cifra_items WHERE vigencia_id = :v "
                   "AND trimestre = 1", v=v)
    paginas._crudo(conexion, "SELECT duena_id, actividades, sin_avance FROM cifra_sin_avance WHERE vigencia_id = :v "
                   "AND trimestre = 1", v=v)


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
    ("Calidad del reporte (Control Interno, búsqueda)", "ci",
     "/admin/calidad_reporte/?vigencia={anio}&trimestre=1&q=territorial", crudo_calidad, META),
    ("Tablero (trimestre)", "oap", "/admin/tablero/?vigencia={anio}&trimestre={trimestre}",
     lambda c, x: paginas._cuadro(c, x), META),
    ("Inicio de la OAP", "oap", "/admin/", paginas.crudo_inicio_oap, META),
    ("PAI público", None, "/publico/pai/{pai}", paginas.crudo_publico_pai, META),
]


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--escala", default="doble", help="el nombre de la escala de la base, para el título")
    argumentos.add_argument("--base", action="append", required=True, help="URL de una base con volumen (repetible)")
    argumentos.add_argument("--repeticiones", type=int, default=10)
    argumentos.add_argument("--solo", action="append", help="mide solo las páginas cuyo nombre contiene esto")
    opciones = argumentos.parse_args()
    resultados = []
    for base in opciones.base:
        print(f"Midiendo {sa.make_url(base).get_backend_name()} ({opciones.escala})…", flush=True)
        resultados.append((base, paginas.medir_base(base, opciones.escala, opciones.repeticiones, generar=False,
                                                    solo=opciones.solo, paginas=PAGINAS, contexto=_contexto,
                                                    aprobar=False)))
    paginas.imprimir_todo(opciones.escala, opciones.repeticiones, resultados)


if __name__ == "__main__":
    main()
