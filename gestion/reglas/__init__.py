"""Las reglas del procedimiento: roles, quién puede qué (permisos y alcance), la tabla de transiciones, los
puntos de control (listas de chequeo) y las ventanas de reporte."""
