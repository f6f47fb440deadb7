"""Datos base que toda instalación necesita (roles, semáforo, los 12 planes del Decreto 612). Re-ejecutable: crea lo que falte."""
from decimal import Decimal

import sqlalchemy as sa

from gestion.base.extensiones import datastore
from gestion.reglas import roles as R
from modelos import ColorSemaforo, PlanInstitucional, UmbralSemaforo, db

UMBRALES_POR_DEFECTO = {ColorSemaforo.ROJO: Decimal(0), ColorSemaforo.AMARILLO: Decimal(70),
                        ColorSemaforo.VERDE: Decimal(90)}


def sembrar_roles() -> None:
    for nombre, descripcion in R.DESCRIPCIONES.items():
        rol = datastore.find_or_create_role(name=nombre)
        rol.description = descripcion


def sembrar_semaforo() -> None:
    existentes = set(db.session.scalars(sa.select(UmbralSemaforo.color)))
    for color, desde in UMBRALES_POR_DEFECTO.items():
        if color not in existentes:
            db.session.add(UmbralSemaforo(color=color, desde=desde))


# Los 12 planes que el Plan de Acción integra (Decreto 612 de 2018, art. 2.2.22.3.14 del Decreto 1083 de 2015):
# numeral, código, nombre y la norma propia de cada uno. La migración 0017 siembra la misma lista.
DECRETO_612 = "Decreto 612 de 2018 (Decreto 1083 de 2015, art. 2.2.22.3.14, num. {})"
PLANES_DECRETO_612 = (
    (1, "PINAR", "Plan Institucional de Archivos de la Entidad (PINAR)", "Ley 594 de 2000; Decreto 1080 de 2015"),
    (2, "PAA", "Plan Anual de Adquisiciones", "Decreto 1082 de 2015, art. 2.2.1.1.1.4.1"),
    (3, "PAV", "Plan Anual de Vacantes", "Ley 909 de 2004, art. 14"),
    (4, "PPRH", "Plan de Previsión de Recursos Humanos", "Ley 909 de 2004, art. 17"),
    (5, "PETH", "Plan Estratégico de Talento Humano", "Ley 909 de 2004; Decreto 1083 de 2015"),
    (6, "PIC", "Plan Institucional de Capacitación", "Decreto Ley 1567 de 1998"),
    (7, "PII", "Plan de Incentivos Institucionales", "Decreto Ley 1567 de 1998; Ley 909 de 2004"),
    (8, "PTA-SST", "Plan de Trabajo Anual en Seguridad y Salud en el Trabajo", "Decreto 1072 de 2015"),
    (9, "PAAC", "Plan Anticorrupción y de Atención al Ciudadano", "Ley 1474 de 2011, art. 73"),
    (10, "PETI", "Plan Estratégico de Tecnologías de la Información y las Comunicaciones (PETI)",
     "Decreto 1078 de 2015"),
    (11, "PTRSPI", "Plan de Tratamiento de Riesgos de Seguridad y Privacidad de la Información",
     "Decreto 1078 de 2015"),
    (12, "PSPI", "Plan de Seguridad y Privacidad de la Información", "Decreto 1078 de 2015"),
)
INSTANCIA_ADOPCION = "Comité Institucional de Gestión y Desempeño"


def sembrar_planes_institucionales() -> None:
    existentes = set(db.session.scalars(sa.select(PlanInstitucional.numeral)))
    for numeral, codigo, nombre, norma in PLANES_DECRETO_612:
        if numeral not in existentes:
            db.session.add(PlanInstitucional(numeral=numeral, codigo=codigo, nombre=nombre,
                                             referencia_legal=f"{DECRETO_612.format(numeral)}; {norma}",
                                             instancia_adopcion=INSTANCIA_ADOPCION))


def sembrar() -> None:
    sembrar_roles()
    sembrar_semaforo()
    sembrar_planes_institucionales()
    db.session.flush()
