"""La plataforma: configuración, extensiones, ingreso y sesiones, cabeceras, validación del borde, archivos,
correo, auditoría, respaldo, formatos y errores. No sabe nada del procedimiento."""
