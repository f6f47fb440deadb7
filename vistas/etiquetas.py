"""Etiquetas en español de las columnas, compartidas por todas las vistas."""
from gestion.planes import campos

# Las de los campos de una actividad salen de su registro; «objetivo» también nombra el de un indicador
# estratégico, así que la general dice «Objetivo» (la vista de actividades usa las del registro).
ETIQUETAS = {**campos.ETIQUETAS, **{
    "codigo": "Código", "nombre": "Nombre", "tipo": "Tipo", "padre": "Depende de", "activa": "Activa",
    "activo": "Activo", "anio": "Año", "anio_inicio": "Año inicial", "anio_fin": "Año final",
    "cuatrienio": "Cuatrienio", "vigencia": "Vigencia", "pacto": "Pacto / transformación",
    "linea": "Línea", "dimension": "Dimensión MIPG", "bpin": "Código BPIN", "dependencia": "Dependencia",
    "proyecto": "Proyecto de inversión", "valor": "Valor", "fase": "Fase", "inicio": "Inicio", "fin": "Fin",
    "color": "Color", "desde": "Desde (%)", "estado": "Estado", "numero_version": "Versión",
    "vigente": "Versión vigente", "observaciones": "Observaciones", "enviado_en": "Enviado el",
    "enviado_por": "Enviado por", "aprobado_en": "Aprobado el", "aprobado_por": "Aprobado por",
    "publicado_en": "Publicado el", "publicado_por": "Publicado por", "plan": "Plan",
    "descripcion": "Descripción", "objetivo": "Objetivo", "objetivos_pnd": "Objetivos del PND",
    "politicas_mipg": "Políticas MIPG", "objetivos_pes": "Objetivos del PES", "formula": "Fórmula",
    "unidad": "Unidad de medida", "linea_base": "Línea base", "anio_linea_base": "Año de la línea base",
    "periodicidad": "Periodicidad",
    "tendencia": "Tendencia", "responsable": "Responsable", "sinergia": "SINERGIA",
    "codigo_sinergia": "Código SINERGIA", "tipo_acumulacion": "Tipo de acumulación",
    "indicador": "Indicador", "presupuesto": "Presupuesto", "actividad": "Actividad",
    "email": "Correo electrónico", "active": "Activo", "roles": "Roles", "name": "Nombre",
    "description": "Descripción", "last_login_at": "Último ingreso", "current_login_at": "Ingreso actual",
    "login_count": "Ingresos", "confirmed_at": "Confirmado el", "trimestre": "Trimestre",
    "en": "Fecha", "usuario": "Usuario", "usuario_email": "Usuario", "accion": "Acción",
    "tabla": "Tabla", "objeto_id": "Registro", "direccion": "Dirección IP", "cambios": "Cambios",
    "objeto_tipo": "Objeto",
    "estado_desde": "Estado anterior", "estado_hasta": "Estado nuevo", "observacion": "Observación",
    "numero": "Número", "fecha": "Fecha", "decisiones": "Decisiones", "archivo": "Archivo",
    "instancia": "Instancia", "abre": "Abre", "cierra": "Cierra", "hasta": "Hasta",
    "valor_logrado": "Valor logrado", "avance_cualitativo": "Avance cualitativo",
    "justificacion": "Justificación", "evidencia_enlace": "Enlace de evidencia",
    "presupuesto_comprometido": "Presupuesto comprometido", "presupuesto_pagado": "Presupuesto pagado",
    "reporte": "Reporte", "diagnostico": "Diagnóstico", "autor": "Autor", "fecha_limite": "Fecha límite",
    "cambio_propuesto": "Cambio propuesto", "causa": "Causa", "revision": "Revisión",
    "solicitante": "Solicitante", "solicitado_en": "Solicitado el", "revisado_en": "Revisado el",
    "revisado_por": "Revisado por", "version": "Versión", "asunto": "Asunto", "destinatarios": "Destinatarios",
    "destinatario": "Destinatario",
    "item": "Ítem", "cumple": "Cumple",
    "comentario": "Comentario", "dependencias": "Dependencias", "metas": "Metas por año",
    "indicadores": "Indicadores", "presupuestos": "Presupuesto por vigencia", "acta_aprobacion": "Acta de aprobación",
    "acta_presentacion": "Acta de presentación", "creado_en": "Creado el", "plan_anterior": "Versión anterior",
}}

# Las tablas como las nombra una persona (auditoría, historial de estados).
TABLAS = {
    "accion_derivada": "Acción derivada", "acta": "Acta", "actividad": "Actividad", "avance": "Avance",
    "compromiso": "Compromiso", "consolidacion_pai": "Consolidación del PAI", "correo_pendiente": "Correo por reenviar",
    "cuatrienio": "Cuatrienio", "dependencia": "Dependencia", "diagnostico_trimestral": "Diagnóstico trimestral",
    "etapa_cronograma": "Etapa del cronograma", "indicador": "Indicador", "informe_seguimiento": "Informe de seguimiento",
    "instancia": "Comité o instancia", "mapeo_columnas": "Mapeo de columnas", "meta_indicador": "Meta por año",
    "meta_territorial": "Meta territorial", "objetivo": "Objetivo", "objetivo_mipg": "Objetivo ↔ política MIPG",
    "objetivo_pes": "Objetivo ↔ objetivo del PES", "objetivo_pnd": "Objetivo ↔ objetivo del PND", "plan": "Plan",
    "pnd_linea": "Línea del PND", "pnd_objetivo": "Objetivo del PND", "pnd_pacto": "Pacto del PND",
    "politica_mipg": "Política MIPG", "presentacion_comite": "Presentación al comité",
    "presupuesto_proyecto": "Presupuesto de proyecto", "proyecto_inversion": "Proyecto de inversión",
    "reapertura_ventana": "Reapertura de ventana", "recordatorio": "Recordatorio",
    "reporte_trimestral": "Reporte trimestral", "rol": "Rol", "roles_usuarios": "Roles de usuario",
    "solicitud_ajuste": "Solicitud de ajuste", "umbral_semaforo": "Umbral del semáforo",
    "unidad_medida": "Unidad de medida", "usuario": "Usuario", "ventana_reporte": "Ventana de reporte",
    "verificacion_plan": "Verificación del plan", "vigencia": "Vigencia",
}

# Lo que anota el registro de auditoría (gestion.base.auditoria): altas, cambios, borrados y eventos.
ACCIONES_AUDITORIA = {"crear": "Alta", "editar": "Cambio", "eliminar": "Borrado", "importar": "Importación"}


# Una importación se anota con la página que la hizo («planes_accion.cargar_actividades»): se lee por su tabla.
TABLA_DE_VISTA = {"planes_accion": "plan", "metaterritorial": "meta_territorial",
                  "reportetrimestral": "reporte_trimestral"}


def etiqueta_tabla(tabla: str | None) -> str:
    if not tabla:
        return ""
    vista = tabla.split(".")[0]
    return (TABLAS.get(tabla) or TABLAS.get(TABLA_DE_VISTA.get(vista, vista))
            or tabla.replace("_", " ").replace(".", " · ").capitalize())


def etiqueta_campo(campo: str, tabla: str | None = None) -> str:
    """«dependencia_id» se lee «Dependencia»; lo que no tiene etiqueta, sin guiones bajos. Un campo de una
    actividad, con la etiqueta de su registro."""
    if tabla == "actividad" and campos.etiqueta(campo) != campo:
        return campos.etiqueta(campo)
    if campo in ETIQUETAS:
        return ETIQUETAS[campo]
    if campo.endswith("_id") and campo[:-3] in ETIQUETAS:
        return ETIQUETAS[campo[:-3]]
    return campo.replace("_", " ").capitalize()
