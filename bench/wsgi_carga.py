"""La app de los servidores de bench/carga.py: la de wsgi.py más la respuesta mínima autenticada, el piso con que
se compara la CPU por petición de la mezcla (la misma ruta que registra bench/paginas.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_security import auth_required  # noqa: E402

from gestion.base.proceso import fijar_lo_cargado  # noqa: E402
from gestion.fabrica import crear_app  # noqa: E402

app = crear_app()


@app.route("/_bench/hola")
@auth_required("session")
def hola():
    return "hola"


fijar_lo_cargado()
