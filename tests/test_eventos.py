"""Lo que corre al guardar está en gestion/eventos.py: cada manejador registrado una vez, en el orden de la tabla,
por la fábrica y no por importar un módulo."""
import subprocess
import sys
from pathlib import Path

from gestion.base.config import ConfigPruebas
from gestion.eventos import EVENTOS
from gestion.fabrica import crear_app
from modelos import db


def _registrados(evento: str) -> list:
    return list(getattr(db.session().dispatch, evento))


def test_cada_evento_corre_una_vez_en_el_orden_de_la_tabla_aunque_haya_varias_apps(app, contexto, tmp_path):
    crear_app(ConfigPruebas, SQLALCHEMY_DATABASE_URI="sqlite://", instance_path=str(tmp_path))  # otra app, mismo proceso
    for evento in {e for e, _m, _p in EVENTOS}:
        assert _registrados(evento) == [m for e, m, _p in EVENTOS if e == evento], evento
    assert all(motivo for _e, _m, motivo in EVENTOS)


def test_importar_los_modulos_no_registra_ningun_evento():
    codigo = ("import sqlalchemy as sa; from sqlalchemy.orm import Session; import gestion.fabrica, vistas; "
              "from gestion.eventos import EVENTOS; "
              "print(sum(sa.event.contains(Session, e, m) for e, m, _ in EVENTOS))")
    salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert salida.stdout.strip() == "0"
