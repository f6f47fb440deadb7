"""CPU por petición de las listas y los inicios, al lado de sus pisos (issue 23, puntos 3 y 5).

Uso (la base ya con `gestion volumen --escala ministerio`):

    .venv/bin/python bench/cpu_listas.py --base sqlite:////tmp/volumen-ministerio.db --peticiones 200

Mide en el mismo proceso, con el cliente de pruebas, el tiempo de CPU del proceso (`time.process_time`) de
`--peticiones` peticiones seguidas a cada página, en `--rondas` rondas que alternan la página con sus pisos: en una
máquina compartida y cargada el tiempo de reloj mide la espera por los demás, el de CPU no (solo lo infla algo la
caché que otros ensucian, igual para la página y sus pisos). Da la mediana de las rondas.

Pisos, cada uno una ruta que el script registra en su propia app:
- **mínima**: una respuesta autenticada que dice «hola» (la misma de bench/paginas.py);
- **magra**: una página Flask autenticada que lee los mismos 50 planes de la lista de PA (con su dependencia y su
  vigencia) y los dibuja en una tabla con una plantilla de un solo nivel, sin Flask-Admin: lo mínimo que cuesta
  mostrar esa lista;
- **panel vacío**: una página del panel (Flask-Admin, la base con el menú) sin contenido.

La meta de la issue: listas e inicios ≤ 4× la mínima en CPU.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

import sqlalchemy as sa  # noqa: E402
from flask_admin import BaseView, expose  # noqa: E402
from flask_security import auth_required  # noqa: E402
from sqlalchemy.orm import joinedload  # noqa: E402

from gestion.base.proceso import fijar_lo_cargado  # noqa: E402
from gestion.demo.cargador import CONTRASENA_POR_DEFECTO  # noqa: E402
from gestion.fabrica import crear_app  # noqa: E402
from modelos import Plan, TipoPlan, db  # noqa: E402
from tests.navegador import Navegador  # noqa: E402

MAGRA = """<!DOCTYPE html><html lang="es"><head><title>Planes</title></head><body><main><h1>Planes de acción</h1>
<table><thead><tr><th>Tipo</th><th>Nombre</th><th>Dependencia</th><th>Vigencia</th><th>Versión</th><th>Estado</th>
<th>Enviado el</th><th>Aprobado el</th></tr></thead>
{% for p in planes %}<tr><td><a href="/admin/planes_accion/ficha/?id={{ p.id }}">{{ p.tipo.etiqueta }}</a></td>
<td>{{ p.nombre }}</td><td>{{ p.dependencia }}</td><td>{{ p.vigencia }}</td><td>{{ p.numero_version }}</td>
<td><span class="badge badge-{{ p.estado.clase }}">{{ p.estado.etiqueta }}</span></td>
<td>{{ p.enviado_en | fecha }}</td><td>{{ p.aprobado_en | fecha }}</td></tr>{% endfor %}
</table></main></body></html>"""

# (nombre, quién, url)
PAGINAS = [
    ("Lista de PA", "oap", "/admin/planes_accion/"),
    ("Bandeja de la OAP", "oap", "/admin/planes_accion/?flt0_estado_equals=ENVIADO"),
    ("Lista de actividades", "oap", "/admin/actividad/"),
    ("Reportes trimestrales", "oap", "/admin/reportetrimestral/"),
    ("Lista de auditoría", "oap", "/admin/registroauditoria/"),
    ("Informes de seguimiento", "oap", "/admin/informeseguimiento/"),
    ("Lista de PA (director)", "director", "/admin/planes_accion/"),
    ("Actividades (director)", "director", "/admin/actividad/"),
    ("Reportes (director)", "director", "/admin/reportetrimestral/"),
    ("Inicio de la OAP", "oap", "/admin/"),
    ("Inicio del director", "director", "/admin/"),
    # La ficha de un plan enviado de la vigencia, la misma que pide bench/carga.py.
    ("Ficha del plan", "oap", "/admin/planes_accion/ficha/?id={ficha}"),
]


def _app(url: str):
    os.environ["DATABASE_URL"] = url
    app = crear_app(GESTION_LIMITE_LOGIN="100000 per minute", GESTION_LIMITE_FALLOS_LOGIN="100000 per minute")

    @app.route("/_bench/hola")
    @auth_required("session")
    def hola():
        return "hola"

    # Compilada una vez, como toda plantilla en producción: render_template_string la compilaba en cada petición
    # (~3 ms de los ~7 que medía esta página en PostgreSQL), y el piso salía 5× la mínima en vez de ~2×.
    magra_compilada = app.jinja_env.from_string(MAGRA)

    @app.route("/_bench/magra")
    @auth_required("session")
    def magra():
        planes = db.session.scalars(sa.select(Plan).where(Plan.tipo.in_((TipoPlan.PA, TipoPlan.PAI)))
                                    .options(joinedload(Plan.dependencia), joinedload(Plan.vigencia))
                                    .order_by(Plan.id).limit(50)).all()
        return magra_compilada.render(planes=planes)

    class PanelVacio(BaseView):
        @expose("/")
        def index(self):
            return self.render("admin/master.html")

        def is_visible(self):
            return False

    app.extensions["admin"][0].add_view(PanelVacio(name="Panel vacío", endpoint="_bench_vacio"))
    fijar_lo_cargado()  # como wsgi.py en cada servidor
    return app


def _ingresar(app, email: str) -> Navegador:
    navegador = Navegador(app)
    respuesta = navegador.post("/login", data={"email": email, "password": CONTRASENA_POR_DEFECTO})
    assert respuesta.status_code == 302, f"no pudo ingresar {email}"
    return navegador


def cpu_por_peticion(navegador: Navegador, url: str, peticiones: int) -> float:
    respuesta = navegador.get(url)
    assert respuesta.status_code == 200, f"{url}: {respuesta.status_code}"
    inicio = time.process_time()
    for _ in range(peticiones):
        navegador.get(url)
    return (time.process_time() - inicio) * 1000 / peticiones


def medir(url: str, peticiones: int, rondas: int, solo=None) -> list[tuple[str, float, float]]:
    app = _app(url)
    with app.app_context():
        director = db.session.scalar(sa.text(
            "SELECT email FROM usuario WHERE email LIKE 'director.v%@volumen.gov.co' ORDER BY email LIMIT 1"))
        ficha = db.session.scalar(sa.text(
            "SELECT p.id FROM plan p JOIN vigencia v ON v.id = p.vigencia_id WHERE p.tipo = 'pa' AND v.anio = 2026 "
            "AND p.estado = 'enviado' ORDER BY p.id LIMIT 1"))
    quienes = {"oap": _ingresar(app, "oap@demo.gov.co"), "director": _ingresar(app, director)}
    pisos = [("Respuesta mínima autenticada (piso)", "oap", "/_bench/hola"),
             ("Lista magra de 50 planes (piso)", "oap", "/_bench/magra"),
             ("Página vacía del panel", "oap", "/admin/_bench_vacio/")]
    paginas = pisos + [(nombre, quien, url.format(ficha=ficha)) for nombre, quien, url in PAGINAS
                       if not solo or any(s.lower() in nombre.lower() for s in solo)]
    cifras = {nombre: [] for nombre, _, _ in paginas}
    for ronda in range(rondas):
        for nombre, quien, ruta in paginas:
            cifras[nombre].append(cpu_por_peticion(quienes[quien], ruta, peticiones))
        print(f"  ronda {ronda + 1} de {rondas}", flush=True)
    minima = statistics.median(cifras[pisos[0][0]])
    return [(nombre, statistics.median(valores), statistics.median(valores) / minima)
            for nombre, valores in cifras.items()]


def main() -> None:
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--base", required=True, help="URL de la base con el volumen")
    argumentos.add_argument("--peticiones", type=int, default=200, help="peticiones seguidas por cifra")
    argumentos.add_argument("--rondas", type=int, default=3)
    argumentos.add_argument("--solo", action="append", help="mide solo las páginas cuyo nombre contiene esto")
    opciones = argumentos.parse_args()
    filas = medir(opciones.base, opciones.peticiones, opciones.rondas, opciones.solo)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=RAIZ, capture_output=True,
                            text=True).stdout.strip()
    print(f"\n{datetime.now(timezone.utc):%d/%m/%Y %H:%M} UTC · commit `{commit}` · "
          f"{sa.make_url(opciones.base).get_backend_name()} · carga (1 min) {os.getloadavg()[0]:.1f} · "
          f"{opciones.peticiones} peticiones × {opciones.rondas} rondas\n")
    print("| página | CPU ms por petición | × la mínima | meta ≤ 4× |")
    print("|---|---:|---:|---|")
    for nombre, cpu, veces in filas:
        meta = "" if "(piso)" in nombre or nombre.startswith("Página vacía") else ("sí" if veces <= 4 else "**no**")
        print(f"| {nombre} | {cpu:.2f} | {veces:.1f}× | {meta} |")


if __name__ == "__main__":
    main()
