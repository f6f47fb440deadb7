"""Trabajos largos fuera de la petición: la cola y las tareas que corre."""
