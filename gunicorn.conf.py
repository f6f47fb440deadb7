"""gunicorn lee este archivo cuando arranca desde la raíz del repositorio (`gunicorn wsgi:app`, README «Producción»)."""
import os

# Cada worker atiende con hilos: mientras uno espera a PostgreSQL, otro usa la CPU. Con 2 workers en 2 núcleos y
# 20 clientes (bench/carga.py --servidores 1, 07/12/2026, misma CPU por petición, 22 ms): sync 42 peticiones/s y
# p95 660 ms; gthread de 4 hilos 63 peticiones/s y p95 548 ms (bench/RESULTADOS.md).
worker_class = "gthread"
# Dos hilos y no cuatro: con la CPU por petición de hoy (~16 ms entre app y base), a escala de sector, p95 de
# 1, 2, 3 y 4 hilos: 316, 228–261, 279 y 303–315 ms. Con más hilos las páginas pesadas se reparten la CPU con las
# demás y se alargan todas; con uno, la espera a la base deja la CPU quieta (bench/RESULTADOS.md).
threads = 2
# Cada worker atiende a lo sumo 10 conexiones; las demás esperan en la cola del socket, que es una sola para los
# dos workers. Sin tope, cada cliente con conexión persistente queda atado al worker que lo aceptó: los 20 clientes
# de bench/carga.py quedaban repartidos 13 y 7 toda la corrida, y los del worker cargado esperaban casi el doble.
# Con el tope, p95 180–215 ms en 4 corridas; sin él, 174–417 en 13 (bench/RESULTADOS.md). Pasado el tope, gunicorn
# cierra tras responder la conexión que sobra (worker_connections − threads en espera) y el cliente reconecta.
# Detrás del proxy del ministerio son pocas conexiones; un navegador directo con la conexión ociosa ocupa su
# lugar hasta `keepalive` (2 s).
worker_connections = 10


def on_starting(server):
    # Antes de que los workers carguen la app: ella sabe así cuántos comparten el conteo de intentos de ingreso
    # (gestion.base.ingreso rechaza en producción el conteo en memoria con más de uno).
    os.environ["GESTION_WORKERS"] = str(server.cfg.workers)
