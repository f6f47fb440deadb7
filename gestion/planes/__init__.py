"""Los planes, actividades 1 a 15 y sus versiones: servicios de cada paso, actas, ajustes, la lista de chequeo
guardada, y en `consultas` lo que los libros leen."""
