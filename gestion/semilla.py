"""Datos base que toda instalación necesita (roles, semáforo). Re-ejecutable: crea lo que falte."""
from decimal import Decimal

import sqlalchemy as sa

from gestion.base.extensiones import datastore
from gestion.reglas import roles as R
from modelos import ColorSemaforo, UmbralSemaforo, db

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


def sembrar() -> None:
    sembrar_roles()
    sembrar_semaforo()
    db.session.flush()
