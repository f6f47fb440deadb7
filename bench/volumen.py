"""Mide lo que la OAP hace con decenas de planes a la vez y lo que cuesta cada página con volumen.

Uso (SQLite temporal por defecto; DATABASE_URL=postgresql://... para medir en PostgreSQL, sobre una
base vacía que el script crea con las migraciones):

    .venv/bin/python bench/volumen.py --dependencias 120 --actividades 20

Imprime una tabla de cifras: tiempo de cada operación masiva y mediana/máximo de cada página.
No afirma nada: las metas, si una issue las fija, se comparan con estas cifras.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from flask_security import hash_password  # noqa: E402

from gestion import correo, crear_app, plan_accion, seguimiento  # noqa: E402
from gestion import roles as R  # noqa: E402
from gestion.config import ConfigPruebas  # noqa: E402
from gestion.demo import cargador  # noqa: E402
from gestion.extensiones import datastore  # noqa: E402
from modelos import (Actividad, Dependencia, EstadoPlan, Objetivo, Plan, PoliticaMipg,  # noqa: E402
                     TipoDependencia, TipoPlan, UnidadMedida, db)

CONTRASENA = "bench"
CIFRAS: list[tuple[str, str]] = []


@contextmanager
def cronometro(nombre: str, unidades: int | None = None):
    inicio = time.perf_counter()
    yield
    segundos = time.perf_counter() - inicio
    detalle = f"{segundos:8.2f} s"
    if unidades:
        detalle += f"  ({unidades / segundos:,.0f} por segundo)"
    CIFRAS.append((nombre, detalle))


def _usuario(email: str, rol: str, dependencia=None):
    return datastore.create_user(email=email, nombre=email, password=hash_password(CONTRASENA), active=True,
                                 fs_uniquifier=uuid.uuid4().hex, roles=[datastore.find_role(rol)],
                                 dependencia=dependencia)


def poblar(n_dependencias: int, n_actividades: int) -> None:
    cargador.sembrar()
    cargador.cargar_catalogos()
    cargador.cargar_usuarios(CONTRASENA)
    cargador.cargar_planes_estrategicos()
    vigencia = cargador.vigencia(2026)
    pei = db.session.scalar(sa.select(Plan).filter_by(tipo=TipoPlan.PEI, vigente=True))
    objetivo = db.session.scalar(sa.select(Objetivo).filter_by(plan_id=pei.id).limit(1))
    politica = db.session.scalar(sa.select(PoliticaMipg).limit(1))
    unidad = db.session.scalar(sa.select(UnidadMedida).limit(1))
    oap = cargador.usuario("oap@demo.gov.co")

    dependencias = []
    for i in range(n_dependencias):
        dep = Dependencia(codigo=f"B{i:04d}", nombre=f"Dirección de volumen {i:04d}", tipo=TipoDependencia.CENTRAL)
        db.session.add(dep)
        dependencias.append(dep)
        _usuario(f"director.b{i:04d}@bench.gov.co", R.DIRECTOR, dep)
    db.session.flush()

    with cronometro(f"Solicitar {n_dependencias} planes (act. 9)", n_dependencias):
        resultados = plan_accion.solicitar(vigencia, dependencias, oap)
    pesos = [Decimal(100) // n_actividades] * n_actividades
    pesos[-1] += Decimal(100) - sum(pesos)
    with cronometro(f"Formular {n_dependencias * n_actividades} actividades", n_dependencias * n_actividades):
        for resultado in resultados:
            plan = resultado.objeto
            for j, peso in enumerate(pesos, start=1):
                plan.actividades.append(Actividad(
                    codigo=f"A{j}", descripcion=f"Actividad {j} de {plan.dependencia.codigo}", objetivo=objetivo,
                    politica=politica, indicador="Visitas", formula="Número de visitas", unidad=unidad,
                    meta_anual=Decimal(40), meta_t1=Decimal(10), meta_t2=Decimal(10), meta_t3=Decimal(10),
                    meta_t4=Decimal(10), peso=peso, fecha_inicio=date(2026, 2, 1), fecha_fin=date(2026, 12, 15),
                    presupuesto=Decimal(1_000_000), responsable="Grupo"))
            db.session.flush()
    with cronometro(f"Enviar {n_dependencias} planes (act. 11)", n_dependencias):
        for resultado in resultados:
            plan = resultado.objeto
            plan_accion.enviar(plan, cargador.director_de(plan.dependencia.codigo))
    correo.descartar_pendientes()
    db.session.commit()


def _cliente(app, email):
    cliente = app.test_client()
    respuesta = cliente.post("/login", data={"email": email, "password": CONTRASENA})
    assert respuesta.status_code == 302, f"no pudo ingresar {email}"
    return cliente


def medir_pagina(app, cliente, nombre: str, url: str, repeticiones: int = 5) -> None:
    tiempos = []
    for _ in range(repeticiones):
        with app.app_context():
            inicio = time.perf_counter()
            respuesta = cliente.get(url)
            tiempos.append(time.perf_counter() - inicio)
        assert respuesta.status_code == 200, f"{url}: {respuesta.status_code}"
    CIFRAS.append((f"GET {nombre}", f"{statistics.median(tiempos) * 1000:8.0f} ms mediana, "
                                     f"{max(tiempos) * 1000:.0f} ms máx. ({repeticiones} veces)"))


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--dependencias", type=int, default=120)
    argumentos.add_argument("--actividades", type=int, default=20)
    opciones = argumentos.parse_args()

    carpeta = tempfile.mkdtemp(prefix="bench-gestion-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{carpeta}/bench.db"
    app = crear_app(ConfigPruebas, instance_path=carpeta, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    n, a = opciones.dependencias, opciones.actividades
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conexion:
            conexion.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        with cronometro("Total: catálogos, PES y PEI de la demo y el volumen"):
            poblar(n, a)
        ids = [str(i) for i in db.session.scalars(sa.select(Plan.id).where(Plan.estado == EstadoPlan.ENVIADO))]

    oap = _cliente(app, "oap@demo.gov.co")
    director = _cliente(app, "director.b0000@bench.gov.co")
    medir_pagina(app, oap, "inicio de la OAP", "/admin/")
    medir_pagina(app, oap, "bandeja de recibidos (lista de chequeo por fila)",
                 "/admin/planes_accion/?flt0_estado_equals=ENVIADO")
    medir_pagina(app, oap, f"lista de actividades ({n * a} filas)", "/admin/actividad/")
    medir_pagina(app, oap, "búsqueda en actividades", "/admin/actividad/?search=Actividad+7")
    medir_pagina(app, director, "lista de actividades del director", "/admin/actividad/")

    marcas = {f"cumple-{item}": "si" for item in ("normas", "funciones", "metodologia")}
    with app.app_context(), cronometro(f"Verificar los puntos de juicio de {len(ids)} planes (HTTP, un envío "
                                       "por plan)", len(ids)):
        for plan_id in ids:
            assert oap.post("/admin/planes_accion/verificar/", data={"id": plan_id, **marcas}).status_code == 302
    with app.app_context(), cronometro(f"Aprobar en bloque {len(ids)} planes (HTTP, act. 12)", len(ids)):
        respuesta = oap.post("/admin/planes_accion/action/", data={"action": "aprobar", "rowid": ids})
        assert respuesta.status_code == 302
    with app.app_context():
        aprobados = db.session.scalar(sa.select(sa.func.count(Plan.id)).where(Plan.estado == EstadoPlan.APROBADO,
                                                                              Plan.id.in_([int(i) for i in ids])))
        CIFRAS.append(("  planes aprobados", f"{aprobados} de {len(ids)}"))
        vigencia = cargador.vigencia(2026)
        vigencia_id = vigencia.id
        with cronometro("Consolidar el PAI (act. 13)"):
            plan_accion.consolidar(vigencia, cargador.usuario("oap@demo.gov.co"), "Medición de volumen.")
            db.session.commit()
        oap_usuario = cargador.usuario("oap@demo.gov.co")
        ventana = seguimiento.ventana_de(vigencia.id, 1)
        seguimiento.abrir_ventana(ventana, oap_usuario)
        planes = db.session.scalars(sa.select(Plan).where(Plan.id.in_([int(i) for i in ids]))).all()
        with cronometro(f"Reportar T1 de {n * a} actividades y enviar {n} reportes (act. 16)", n * a):
            for plan in planes:
                director_plan = cargador.director_de(plan.dependencia.codigo)
                reporte = seguimiento.abrir_reporte(plan, vigencia, 1, director_plan, hoy=ventana.abre)
                for avance in reporte.avances:
                    seguimiento.registrar_avance(avance, director_plan, valor=Decimal(10), comprometido=Decimal(250_000),
                                                 pagado=Decimal(200_000), hoy=ventana.abre)
                seguimiento.enviar_reporte(reporte, director_plan, hoy=ventana.abre)
            db.session.commit()
    medir_pagina(app, oap, "tablero de seguimiento 2026 T1", f"/admin/tablero/?vigencia={vigencia_id}&trimestre=1")
    with app.app_context(), cronometro("Informe de seguimiento .xlsx (act. 17)"):
        from gestion import cifras
        from gestion.excel import informe
        informe.libro(cifras.cuadro(cargador.vigencia(2026), 1), {})

    ancho = max(len(nombre) for nombre, _ in CIFRAS)
    print(f"\nVolumen: {n} dependencias × {a} actividades · base: {sa.make_url(url).get_backend_name()}")
    for nombre, detalle in CIFRAS:
        print(f"{nombre:<{ancho}}  {detalle}")


if __name__ == "__main__":
    main()
