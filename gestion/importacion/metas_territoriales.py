"""Metas trimestrales de una Dirección Territorial desde Excel: cada DT fija las suyas para las actividades
territoriales que le asignaron (una definición central, metas según su cobertura).

Todo o nada, como las demás cargas. La fila se identifica por la dependencia del plan y el código de la
actividad. Una meta de un plan que ya no está en formulación no cambia (si viene igual, no es error);
una fila que falta en el archivo deja su meta como estaba y se informa.
"""
from dataclasses import dataclass
from decimal import Decimal

from gestion.base import formato
from gestion.base.formato import leer_numero
from gestion.excel import plantilla_metas
from gestion.excel.plantilla_metas import CODIGO, DIRECCION, HOJA_DATOS, PLAN, TRIMESTRES
from gestion.importacion.lectura import ErrorFila, ImportacionRechazada, leer_filas, normalizar
from gestion.planes.campos import META_TERRITORIAL
from gestion.planes.consultas import metas_de_direccion
from gestion.reglas import flujo
from gestion.reglas.permisos import EDITAR, AccesoDenegado, puede
from modelos import TipoDependencia, db
from modelos.base import DECIMALES_CANTIDAD

MAXIMO = Decimal("1e12")  # Numeric(18, 6)
ATRIBUTOS = tuple(c.nombre for c in META_TERRITORIAL)


@dataclass
class Carga:
    cambiadas: int
    sin_fila: int

    def mensaje(self) -> str:
        texto = f"Metas cargadas desde Excel: {self.cambiadas} actividad(es) con metas nuevas."
        if self.sin_fila:
            texto += f" {self.sin_fila} sin fila en el archivo quedaron como estaban."
        return texto


def direccion_de(usuario):
    """La Dirección Territorial del usuario que fija metas; AccesoDenegado si no es una."""
    dependencia = getattr(usuario, "dependencia", None)
    if not puede(usuario, EDITAR, "metas_territoriales") or dependencia is None or (
            dependencia.tipo is not TipoDependencia.TERRITORIAL):
        raise AccesoDenegado("Solo una Dirección Territorial fija sus metas trimestrales.")
    return dependencia


def plantilla(usuario, vigencia) -> bytes:
    direccion = direccion_de(usuario)
    return plantilla_metas.libro(direccion, vigencia, metas_de_direccion(direccion, vigencia))


def _verificar_direccion(direccion, contenido: bytes) -> None:
    """La plantilla de otra DT trae los mismos códigos: su hoja «Datos» la delata."""
    try:
        datos = leer_filas(contenido, ["dato", "valor"], hoja=HOJA_DATOS)
    except ImportacionRechazada:
        return  # sin la hoja (las filas se copiaron a otro libro) no hay con qué comparar
    for _, fila in datos:
        if normalizar(fila.get("dato")) == normalizar(DIRECCION) and str(fila.get("valor")) != direccion.codigo:
            raise ImportacionRechazada([f"El archivo es la plantilla de la Dirección Territorial {fila.get('valor')}, "
                                        f"no de {direccion.codigo}: descargue la suya."])


def _cantidad(valor, titulo: str) -> Decimal:
    try:
        numero = leer_numero(valor)
    except ValueError:
        raise ValueError(f"«{titulo}»: «{valor}» no es un número.") from None
    numero = Decimal(0) if numero is None else numero
    if formato.decimales(numero) > DECIMALES_CANTIDAD:
        raise ValueError(f"«{titulo}»: {formato.numero(numero, 28)} tiene {formato.decimales(numero)} decimales y se "
                         f"guardan hasta {DECIMALES_CANTIDAD}: redondéelo en el libro como deba quedar.")
    if numero < 0:
        raise ValueError(f"«{titulo}» no puede ser negativa ({formato.numero(numero)}).")
    if numero >= MAXIMO:
        raise ValueError(f"«{titulo}» es demasiado grande.")
    return numero


def importar(usuario, vigencia, contenido: bytes) -> Carga:
    direccion = direccion_de(usuario)
    filas = leer_filas(contenido, [PLAN, CODIGO, *TRIMESTRES])
    _verificar_direccion(direccion, contenido)
    if not filas:
        raise ImportacionRechazada(["El archivo no trae filas con metas."])
    metas = {(m.actividad.plan.dependencia.codigo.upper(), m.actividad.codigo.upper()): m
             for m in metas_de_direccion(direccion, vigencia)}
    errores, vistas, cambios = [], {}, []
    for numero, fila in filas:
        clave = (str(fila.get(normalizar(PLAN)) or "").strip().upper(),
                 str(fila.get(normalizar(CODIGO)) or "").strip().upper())
        meta = metas.get(clave)
        if meta is None:
            errores.append(ErrorFila(numero, f"la actividad {clave[1] or '(sin código)'} del plan de {clave[0] or '?'} "
                                             "no es una actividad territorial asignada a esta Dirección.", CODIGO))
            continue
        if clave in vistas:
            errores.append(ErrorFila(numero, f"la actividad {clave[1]} ya está en la fila {vistas[clave]}.", CODIGO))
            continue
        vistas[clave] = numero
        valores = {}
        for atributo, titulo in zip(ATRIBUTOS, TRIMESTRES, strict=True):
            try:
                valores[atributo] = _cantidad(fila.get(normalizar(titulo)), titulo)
            except ValueError as error:
                errores.append(ErrorFila(numero, str(error), titulo))
        if len(valores) < len(ATRIBUTOS) or all(getattr(meta, a) == v for a, v in valores.items()):
            continue
        plan = meta.actividad.plan
        if not flujo.contenido_editable(plan):
            errores.append(ErrorFila(numero, f"«{plan}» está {plan.estado.etiqueta.lower()}: sus metas ya no cambian."))
            continue
        cambios.append((meta, valores))
    if errores:
        raise ImportacionRechazada(errores)
    for meta, valores in cambios:
        for atributo, valor in valores.items():
            setattr(meta, atributo, valor)
    db.session.flush()
    return Carga(len(cambios), len(metas) - len(vistas))
