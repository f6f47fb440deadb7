"""Los filtros de alcance por dependencia en PostgreSQL, con EXPLAIN (ANALYZE) (issue 23, punto 2).

Uso, sobre una base con volumen (`gestion volumen --escala sector`):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/volumen_sector .venv/bin/python bench/alcance_pg.py

Para cada rol limitado a su dependencia (director, Dirección Territorial, entidad) y cada modelo con regla en
`gestion.reglas.alcance`, cuenta las filas que ve con el filtro de la app y dice cuántas estimó PostgreSQL, cuántas
hubo, el tiempo de ejecución y el de compilación JIT, con la sesión tal como la abre la app (jit=off) y con JIT
encendido. La meta: estimación del orden de lo real (≤ 10×) y ningún milisegundo de JIT en una consulta de página.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from gestion.fabrica import crear_app  # noqa: E402
from gestion.reglas import alcance  # noqa: E402
from gestion.reglas import roles as R  # noqa: E402
from modelos import Actividad, MetaTerritorial, Plan, ReporteTrimestral, Rol, Usuario, db  # noqa: E402

# El caso pesado de cada rol: la dependencia con más filas de lo que ese rol mira primero.
FILAS_POR_DEPENDENCIA = {
    R.DIRECTOR: sa.select(Plan.dependencia_id.label("dep"), sa.func.count(Actividad.id).label("n"))
    .join(Actividad, Actividad.plan_id == Plan.id).group_by(Plan.dependencia_id),
    R.TERRITORIAL: sa.select(MetaTerritorial.dependencia_id.label("dep"), sa.func.count().label("n"))
    .group_by(MetaTerritorial.dependencia_id),
    R.ENTIDAD: sa.select(ReporteTrimestral.dependencia_id.label("dep"), sa.func.count().label("n"))
    .group_by(ReporteTrimestral.dependencia_id),
}


def usuario_mas_cargado(rol: str) -> Usuario | None:
    filas = FILAS_POR_DEPENDENCIA[rol].subquery()
    return db.session.scalar(
        sa.select(Usuario).join(Usuario.roles).join(filas, filas.c.dep == Usuario.dependencia_id)
        .where(Rol.name == rol).order_by(filas.c.n.desc(), Usuario.email).limit(1))


def _explicar(sql: str) -> dict:
    return db.session.execute(sa.text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)).scalar()[0]


def revisar(app) -> None:
    """Imprime la tabla de cada regla para el usuario más cargado de cada rol (bench/paginas.py la llama en cada
    base PostgreSQL que mide)."""
    with app.app_context():
        print(f"{'rol':12} {'modelo':22} {'estimadas':>9} {'reales':>7} {'×':>6} {'ms':>7} {'ms con JIT':>10} "
              f"{'JIT ms':>7}  meta")
        for rol in (R.DIRECTOR, R.TERRITORIAL, R.ENTIDAD):
            usuario = usuario_mas_cargado(rol)
            if usuario is None:
                continue
            for modelo in alcance.REGLAS:
                consulta = sa.select(modelo.id).where(alcance.criterio(modelo, usuario))
                sql = str(consulta.compile(db.engine, compile_kwargs={"literal_binds": True}))
                db.session.execute(sa.text("SET jit = off"))  # como abre la app sus conexiones
                sin_jit = _explicar(sql)
                db.session.execute(sa.text("SET jit = on"))
                con_jit = _explicar(sql)
                raiz = sin_jit["Plan"]
                estimadas, reales = raiz["Plan Rows"], raiz["Actual Rows"]
                veces = max(estimadas, 1) / max(reales, 1)
                compilacion = con_jit.get("JIT", {}).get("Timing", {}).get("Total", 0.0)
                ok = "ok" if veces <= 10 or estimadas <= 1000 else "MAL ESTIMADA"
                print(f"{rol:12} {modelo.__name__:22} {estimadas:>9} {reales:>7} {veces:>6.1f} "
                      f"{sin_jit['Execution Time']:>7.1f} {con_jit['Execution Time']:>10.1f} {compilacion:>7.1f}  {ok}")
        db.session.rollback()


def main() -> None:
    app = crear_app()
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            sys.exit("Este bench es de PostgreSQL: DATABASE_URL=postgresql://…")
    revisar(app)


if __name__ == "__main__":
    main()
