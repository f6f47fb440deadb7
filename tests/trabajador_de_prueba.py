"""Un trabajador de RQ en su propio proceso, como `flask --app wsgi gestion trabajador`, sobre la base que la
prueba le da (una SQLite en archivo, o la PostgreSQL de las pruebas) y un Redis que la prueba arrancó, con dos
tareas más: «dormir», que corre mientras exista un archivo (así la prueba lo mata en medio de un trabajo), y
«leer», que repite una lectura (en PostgreSQL, psycopg la prepara en la conexión).
Uso: python -m tests.trabajador_de_prueba CARPETA URL_REDIS URL_BASE."""
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from gestion.base.config import ConfigPruebas
from gestion.fabrica import crear_app
from gestion.trabajos import cola, tareas
from modelos import Trabajo, db


def app_de_prueba(carpeta: Path, redis: str, base: str):
    app = crear_app(ConfigPruebas, instance_path=str(carpeta), SQLALCHEMY_DATABASE_URI=base,
                    GESTION_REDIS_URL=redis, GESTION_CARPETA_ARCHIVOS=str(carpeta / "archivos"),
                    GESTION_TRABAJOS_LATIDO=0.3, GESTION_TRABAJOS_SIN_LATIDO=3)
    app.extensions["gestion_tareas"] = {**tareas.TAREAS, "dormir": cola.Tarea(_dormir(carpeta), 1, None),
                                        "leer": cola.Tarea(_leer, 1, None)}
    return app


def _leer(trabajo, usuario, progreso):
    for _ in range(10):  # más que el umbral de psycopg para preparar una sentencia (5)
        cuantos = db.session.scalar(sa.select(sa.func.count(Trabajo.id)).where(Trabajo.id <= trabajo.id))
    datos = None
    if db.engine.dialect.name == "postgresql":  # la sesión del servidor de este trabajo y la del proceso padre
        datos = {"sesion": db.session.scalar(sa.text("SELECT pg_backend_pid()")),
                 "sesion_del_padre": SESION_DEL_PADRE}
    return cola.Resultado(f"Leí {cuantos} trabajo(s).", datos=datos)


SESION_DEL_PADRE = None


def _dormir(carpeta: Path):
    def dormir(trabajo, usuario, progreso):
        progreso.paso("Durmiendo.")
        for _ in range(600):
            if not (carpeta / "dormir").exists():
                break
            time.sleep(0.1)
        return cola.Resultado("Desperté.")
    return dormir


if __name__ == "__main__":
    carpeta, redis, base = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    with app_de_prueba(carpeta, redis, base).app_context():
        if db.engine.dialect.name == "postgresql":  # la conexión que queda en el pool del padre
            SESION_DEL_PADRE = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
            db.session.commit()
        cola.trabajar()
