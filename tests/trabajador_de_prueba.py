"""Un trabajador de RQ en su propio proceso, como `flask --app wsgi gestion trabajador`, sobre una base SQLite en
archivo y un Redis que la prueba arrancó, con una tarea más: «dormir», que corre mientras exista un archivo (así la
prueba lo mata en medio de un trabajo). Uso: python -m tests.trabajador_de_prueba CARPETA URL_REDIS."""
import sys
import time
from pathlib import Path

from gestion.base.config import ConfigPruebas
from gestion.fabrica import crear_app
from gestion.trabajos import cola, tareas


def app_de_prueba(carpeta: Path, redis: str):
    app = crear_app(ConfigPruebas, instance_path=str(carpeta), SQLALCHEMY_DATABASE_URI=f"sqlite:///{carpeta}/base.db",
                    GESTION_REDIS_URL=redis, GESTION_CARPETA_ARCHIVOS=str(carpeta / "archivos"),
                    GESTION_TRABAJOS_LATIDO=0.3, GESTION_TRABAJOS_SIN_LATIDO=3)
    app.extensions["gestion_tareas"] = {**tareas.TAREAS, "dormir": cola.Tarea(_dormir(carpeta), 1, None)}
    return app


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
    carpeta, redis = Path(sys.argv[1]), sys.argv[2]
    with app_de_prueba(carpeta, redis).app_context():
        cola.trabajar()
