"""Los campos de una actividad de un Plan de Acción (y de una meta territorial), en un solo registro.

Cada campo dice aquí su nombre (el atributo del modelo), su etiqueta en español (la misma en el formulario, la
ficha, la página pública, los libros, los mensajes de la carga y la diferencia entre versiones), su tipo (del
que salen el formato de Excel, de `gestion.base.formatos_excel`, y el de pantalla, de `gestion.base.formato`) y dónde
va: si se copia a una versión nueva, si se compara entre versiones, si sale en los libros, si se carga desde la
plantilla y el libro propio, si lo muestran la ficha y la página pública.

Agregar un campo a una actividad: la columna en el modelo y su migración, una entrada en `ACTIVIDAD`, y las
reglas propias que tenga (la validación de la carga, la lista de chequeo). Los títulos de libros de años
anteriores siguen valiendo al cargar: van en `alias`.
"""
from dataclasses import dataclass
from decimal import Decimal

from gestion.base import formato
from gestion.base.formatos_excel import FORMATO_FECHA, FORMATO_NUMERO, FORMATO_PESOS, FORMATO_PORCENTAJE
from modelos import Tendencia, TipoAcumulacion
from modelos.base import DECIMALES_CANTIDAD

# Tipos de campo.
TEXTO = "texto"
CANTIDAD = "cantidad"  # metas: números con decimales, no negativos
PORCENTAJE = "porcentaje"  # guardado de 0 a 100
PESOS = "pesos"
FECHA = "fecha"
SI_NO = "si_no"
REFERENCIA = "referencia"  # a un catálogo (objetivo, política, unidad, proyecto): se escribe por su código
VARIAS = "varias"  # a varias filas de un catálogo (planes institucionales): sus códigos separados por coma
OPCION = "opcion"  # una de las opciones de un enum etiquetado (la tendencia): se escribe por su etiqueta

_EXCEL = {CANTIDAD: FORMATO_NUMERO, PORCENTAJE: FORMATO_PORCENTAJE, PESOS: FORMATO_PESOS, FECHA: FORMATO_FECHA}
_PANTALLA = {CANTIDAD: formato.cantidad, PORCENTAJE: formato.porcentaje, PESOS: formato.pesos, FECHA: formato.fecha}
NUMERICOS = (CANTIDAD, PORCENTAJE, PESOS)
# Los decimales que guarda cada tipo numérico: una cifra con más es un error al cargar, nunca se redondea.
DECIMALES = {CANTIDAD: DECIMALES_CANTIDAD, PORCENTAJE: 2, PESOS: 2}
TRIMESTRES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Campo:
    nombre: str  # el atributo del modelo (la relación, en una referencia)
    etiqueta: str
    tipo: str = TEXTO
    ancho: int = 14  # columna de Excel
    # Una referencia: el atributo del catálogo que la identifica en la plantilla (código, BPIN) y el que se ve en
    # pantalla (None: el nombre del catálogo, su str).
    clave: str | None = None
    en_pantalla: str | None = None
    ancho_nombre: int | None = None  # columna del libro que trae el nombre completo (el PAI)
    longitud: int | None = None  # máximo de caracteres de un texto
    versionado: bool = True  # se copia a la versión que propone un ajuste
    comparado: bool = True  # la diferencia entre versiones lo muestra
    exportado: bool = True  # sale en el libro del PAI
    importado: bool = True  # se carga desde la plantilla y desde el libro propio de la oficina
    # Un libro sin esta columna (una plantilla de antes de que existiera) se carga y deja el valor como estaba.
    opcional: bool = False
    # Una celda vacía deja el campo sin valor (la línea base que no se conoce), no en 0 ni en la primera opción.
    anulable: bool = False
    ficha: bool = False  # columna de la tabla de actividades de la ficha del plan
    publico: bool = False  # columna de la tabla de actividades del PAI publicado
    total: bool = False  # las tablas y la diferencia entre versiones lo suman
    alias: tuple[str, ...] = ()  # etiquetas de antes: títulos de plantillas viejas, instantáneas guardadas
    opciones: type | None = None  # el enum de una opción

    @property
    def columna(self) -> str:
        """La columna de la tabla: la de la llave foránea en una referencia (en varias, la relación misma)."""
        return f"{self.nombre}_id" if self.tipo == REFERENCIA else self.nombre

    @property
    def formato_excel(self) -> str | None:
        return _EXCEL.get(self.tipo)

    @property
    def numerico(self) -> bool:
        return self.tipo in NUMERICOS

    @property
    def decimales(self) -> int | None:
        return DECIMALES.get(self.tipo)

    @property
    def titulos(self) -> tuple[str, ...]:
        """Los títulos con que se acepta la columna al cargar: la etiqueta y los de plantillas anteriores."""
        return (self.etiqueta, *self.alias)

    def valor(self, objeto):
        return getattr(objeto, self.nombre)

    def en_plantilla(self, objeto):
        """El valor como lo escribe la plantilla: una referencia por su código; lo demás, tal cual."""
        valor = self.valor(objeto)
        if self.tipo == REFERENCIA:
            return getattr(valor, self.clave) if valor is not None else None
        if self.tipo == VARIAS:
            return ", ".join(getattr(o, self.clave) for o in valor) or None
        if self.tipo == SI_NO:
            return "Sí" if valor else "No"
        if self.tipo == OPCION:
            return None if valor is None else valor.etiqueta
        if self.tipo == PORCENTAJE:
            return None if valor is None else Decimal(valor) / 100  # fracción, para el formato de porcentaje
        return valor

    def en_libro(self, objeto):
        """El valor en un libro para leer (el PAI): una referencia con su nombre completo."""
        if self.tipo == REFERENCIA:
            valor = self.valor(objeto)
            return str(valor or "")
        if self.tipo == VARIAS:
            return "; ".join(str(o) for o in self.valor(objeto))
        return self.en_plantilla(objeto)

    def formatear(self, valor) -> str:
        """Un valor de este campo como se lee en pantalla ("" si no hay)."""
        if valor is None or valor == "" or (self.tipo == VARIAS and not valor):
            return ""
        if self.tipo == VARIAS:
            return ", ".join(str(getattr(o, self.en_pantalla) if self.en_pantalla else o) for o in valor)
        if self.tipo == SI_NO:
            return "Sí" if valor else "No"
        if self.tipo == REFERENCIA:
            return str(getattr(valor, self.en_pantalla) if self.en_pantalla else valor)
        if self.tipo in _PANTALLA:
            return _PANTALLA[self.tipo](valor)
        return str(valor)

    def texto(self, objeto) -> str:
        """El valor del campo en `objeto`, como se lee en pantalla ("" si no hay)."""
        return self.formatear(self.valor(objeto))


def _meta(trimestre: int, **opciones) -> Campo:
    return Campo(f"meta_t{trimestre}", f"Meta T{trimestre}", CANTIDAD, 10, **opciones)


ACTIVIDAD: tuple[Campo, ...] = (
    Campo("codigo", "Código", ancho=10, longitud=20, comparado=False, ficha=True, publico=True),
    Campo("descripcion", "Descripción", ancho=60, longitud=500, ficha=True, publico=True),
    Campo("objetivo", "Objetivo del PEI", REFERENCIA, clave="codigo", en_pantalla="codigo", ancho_nombre=50,
          ficha=True, publico=True, alias=("Objetivo PEI",)),
    Campo("politica", "Política MIPG", REFERENCIA, clave="codigo", en_pantalla="codigo", ancho_nombre=30),
    Campo("indicador", "Indicador", ancho=40, longitud=300, ficha=True, publico=True),
    Campo("formula", "Fórmula", ancho=40, longitud=300),
    Campo("unidad", "Unidad de medida", REFERENCIA, ancho=10, clave="codigo", ancho_nombre=14, ficha=True,
          alias=("Unidad",)),
    Campo("meta_anual", "Meta anual", CANTIDAD, 12, ficha=True, publico=True),
    *(_meta(t, ficha=True, publico=True) for t in TRIMESTRES),
    Campo("peso", "Peso (%)", PORCENTAJE, 10, ficha=True, publico=True, total=True, alias=("Peso %", "Peso")),
    Campo("fecha_inicio", "Fecha de inicio", FECHA, 14, ficha=True, alias=("Fecha inicio",)),
    Campo("fecha_fin", "Fecha de fin", FECHA, 14, ficha=True, alias=("Fecha fin",)),
    Campo("presupuesto", "Presupuesto", PESOS, 18, ficha=True, publico=True, total=True),
    Campo("proyecto", "Proyecto de inversión", REFERENCIA, ancho=16, clave="bpin", en_pantalla="bpin",
          ancho_nombre=40, ficha=True, alias=("BPIN proyecto",)),
    Campo("responsable", "Responsable", ancho=30, longitud=200),
    # Los planes del Decreto 612 (y los propios de la entidad) que la actividad integra al Plan de Acción.
    Campo("planes_institucionales", "Planes institucionales", VARIAS, ancho=18, clave="codigo", en_pantalla="codigo",
          ancho_nombre=50, ficha=True, publico=True, opcional=True),
    # La marca territorial se carga con las Direcciones Territoriales, con su propia regla
    # (`gestion.importacion.actividades._validar_territorial`), no con las demás columnas.
    Campo("territorial", "Territorial", SI_NO, 12, importado=False),
    # De ella sale cómo se mide el cumplimiento (`gestion.seguimiento.cifras.cumplimiento_actividad`); un libro de
    # antes sin la columna deja la de cada actividad (creciente en una nueva).
    Campo("tendencia", "Tendencia", OPCION, 14, opciones=Tendencia, ficha=True, publico=True, opcional=True),
    # Desde dónde se mide una decreciente, y cómo se acumulan sus trimestres (sin tipo, se suman): los dos deciden el
    # cumplimiento con la tendencia. Opcionales y sin valor por omisión: nunca se supone una línea base.
    Campo("linea_base", "Línea base", CANTIDAD, 12, ficha=True, publico=True, opcional=True, anulable=True),
    Campo("tipo_acumulacion", "Tipo de acumulación", OPCION, 16, opciones=TipoAcumulacion, ficha=True, publico=True,
          opcional=True, anulable=True),
)

# Las metas que cada Dirección Territorial fija para una actividad territorial.
META_TERRITORIAL: tuple[Campo, ...] = tuple(_meta(t) for t in TRIMESTRES)

POR_NOMBRE = {c.nombre: c for c in ACTIVIDAD}
ETIQUETAS = {c.nombre: c.etiqueta for c in ACTIVIDAD}
VERSIONADOS = tuple(c for c in ACTIVIDAD if c.versionado)
COMPARADOS = tuple(c for c in ACTIVIDAD if c.comparado)
EXPORTADOS = tuple(c for c in ACTIVIDAD if c.exportado)
IMPORTADOS = tuple(c for c in ACTIVIDAD if c.importado)
FICHA = tuple(c for c in ACTIVIDAD if c.ficha)
PUBLICOS = tuple(c for c in ACTIVIDAD if c.publico)
SUMADOS = tuple(c for c in ACTIVIDAD if c.total)
# Una etiqueta de antes (o la de hoy) → la de hoy: lee instantáneas guardadas con los nombres anteriores.
ETIQUETA_ACTUAL = {titulo: c.etiqueta for c in ACTIVIDAD for titulo in c.titulos}


def etiqueta(nombre: str) -> str:
    """La etiqueta de un campo por su nombre o su columna («objetivo_id» → «Objetivo del PEI»)."""
    campo = POR_NOMBRE.get(nombre) or POR_NOMBRE.get(nombre.removesuffix("_id"))
    return campo.etiqueta if campo else nombre

# Un indicador de un plan estratégico (PES, PEI) y su objetivo, como los trae la ficha técnica de una oficina
# (`gestion.importacion.estructura`). Línea base, años y metas admiten texto («NA», «< 3 %»): se interpreta y se dice.
INDICADOR_ESTRATEGICO: tuple[Campo, ...] = (
    Campo("objetivo_codigo", "Código del objetivo", longitud=20),
    Campo("objetivo", "Objetivo", longitud=500),
    Campo("codigo", "Código del indicador", longitud=20),
    Campo("nombre", "Indicador", longitud=500),
    Campo("formula", "Fórmula", longitud=500),
    Campo("unidad", "Unidad de medida"),
    Campo("linea_base", "Línea base", CANTIDAD),
    Campo("anio_linea_base", "Año de la línea base", CANTIDAD),
    Campo("tendencia", "Tendencia o comportamiento deseado"),
    Campo("tipo_acumulacion", "Tipo de acumulación"),
    Campo("periodicidad", "Periodicidad"),
    Campo("responsable", "Dependencia responsable"),
    Campo("meta", "Meta o estándar", CANTIDAD),
    Campo("anio_meta", "Año de la meta", CANTIDAD),
)


def metas_anuales(anios) -> tuple[Campo, ...]:
    """Una meta por año del cuatrienio («Meta 2025»), para los libros que traen una columna por año."""
    return tuple(Campo(f"meta_{anio}", f"Meta {anio}", CANTIDAD, 12) for anio in anios)
