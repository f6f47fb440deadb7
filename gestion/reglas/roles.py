"""Los roles del procedimiento DE-PD-01: cada uno es una responsabilidad que el texto nombra."""

OAP = "oap"
JEFE_OAP = "jefe_oap"
DIRECTOR = "director"
TERRITORIAL = "territorial"
ENTIDAD = "entidad"
COMITE_SECTORIAL = "comite_sectorial"
COMITE_DIRECTIVO = "comite_directivo"
COMITE_INSTITUCIONAL = "comite_institucional"
CONTROL_INTERNO = "control_interno"
ADMINISTRADOR = "administrador"

DESCRIPCIONES = {
    OAP: "Funcionario de la Oficina Asesora de Planeación",
    JEFE_OAP: "Jefe de la Oficina Asesora de Planeación",
    DIRECTOR: "Director o jefe de oficina",
    TERRITORIAL: "Dirección Territorial",
    ENTIDAD: "Entidad adscrita o vinculada",
    COMITE_SECTORIAL: "Comité Sectorial de Gestión y Desempeño",
    COMITE_DIRECTIVO: "Comité Directivo",
    COMITE_INSTITUCIONAL: "Comité Institucional de Gestión y Desempeño",
    CONTROL_INTERNO: "Oficina de Control Interno de Gestión",
    ADMINISTRADOR: "Administrador del sistema",
}

TODOS = frozenset(DESCRIPCIONES)
PLANEACION = frozenset({OAP, JEFE_OAP})
COMITES = frozenset({COMITE_SECTORIAL, COMITE_DIRECTIVO, COMITE_INSTITUCIONAL})
# Roles que ven y tocan solo las filas de su propia dependencia.
CON_DEPENDENCIA = frozenset({DIRECTOR, TERRITORIAL, ENTIDAD})
