"""Actas de los comités: el único lugar que las valida y las registra con su archivo.

Las usan la aprobación de un PES o un PEI (actividades 3 y 6), la presentación del PAI (14), la del
informe de seguimiento (19) y la aprobación de un ajuste por un comité (24).
"""
from datetime import date

import sqlalchemy as sa

from gestion.base import archivos, formato
from gestion.base.archivos import ArchivoSubido
from gestion.reglas.flujo import TransicionInvalida
from modelos import Acta, Instancia, TipoInstancia, db

CARPETA = "actas"
TIPOS = {"pdf", "docx", "jpg", "jpeg", "png"}
LARGO_NUMERO = 40


class ActaInvalida(TransicionInvalida):
    """El acta no se puede registrar así: la transición que la pide no procede y nada cambió."""


def instancia(tipo: TipoInstancia) -> Instancia:
    encontrada = db.session.scalar(sa.select(Instancia).where(Instancia.tipo == tipo))
    if encontrada is None:
        raise ActaInvalida(f"Registre el {tipo.etiqueta} en el catálogo de instancias.")
    return encontrada


def validar(instancia: Instancia | None, numero: str, fecha: date | None, archivo: ArchivoSubido | None = None,
            tipos: set[str] = TIPOS, hoy: date | None = None) -> str:
    """Devuelve el número limpio; rechaza lo que no formaría un acta válida y única."""
    numero = (numero or "").strip()
    if instancia is None:
        raise ActaInvalida("Indique el comité del acta.")
    if not numero:
        raise ActaInvalida("Escriba el número del acta.")
    if len(numero) > LARGO_NUMERO:
        raise ActaInvalida(f"El número del acta admite hasta {LARGO_NUMERO} caracteres.")
    if fecha is None:
        raise ActaInvalida("Escriba la fecha del acta (dd/mm/aaaa).")
    if fecha > (hoy or formato.hoy()):
        raise ActaInvalida("La fecha del acta no puede ser posterior a hoy.")
    if db.session.scalar(sa.select(Acta.id).where(Acta.instancia_id == instancia.id, Acta.numero == numero)):
        raise ActaInvalida(f"Ya existe el acta {numero} del {instancia}.")
    if archivo is not None:
        archivos.validar(archivo, tipos, "Acta")
    return numero


def registrar(instancia: Instancia, numero: str, fecha: date | None, decisiones: str | None = None,
              archivo: ArchivoSubido | None = None, tipos: set[str] = TIPOS, hoy: date | None = None) -> Acta:
    numero = validar(instancia, numero, fecha, archivo, tipos, hoy)
    acta = Acta(instancia=instancia, numero=numero, fecha=fecha, decisiones=(decisiones or "").strip() or None,
                archivo=archivos.guardar(archivo, CARPETA, tipos, "Acta") if archivo is not None else None)
    db.session.add(acta)
    db.session.flush()
    return acta


def ruta(acta: Acta | None):
    """El archivo del acta en disco, o None si no tiene."""
    return archivos.ruta(acta.archivo, CARPETA) if acta is not None and acta.archivo else None


def nombre_descarga(acta: Acta, ruta_archivo) -> str:
    return f"acta-{acta.numero}{ruta_archivo.suffix}".replace("/", "-")
