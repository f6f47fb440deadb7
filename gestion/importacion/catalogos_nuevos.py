"""Lo que el libro cita y el catálogo no tiene (unidades de medida, proyectos de inversión por BPIN, dependencias;
objetivos y políticas si se asociaron): cada valor se dice una vez, con cuántas filas lo citan (331 errores por una
unidad que falta no dicen nada), y la OAP, que lleva los catálogos, lo crea en la misma importación después de
confirmarlo o lo asocia a uno existente.

Se crea por el ORM (la auditoría lo registra) dentro de la transacción de la importación: si la importación se
rechaza, no queda ninguno. Objetivos y políticas solo se asocian: un objetivo es de un PEI aprobado y una política
MIPG viene del modelo, no de un libro."""
import difflib
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from gestion.importacion.actividades import _buscar
from gestion.importacion.lectura import ErrorFila, normalizar, rechazar
from gestion.planes import campos
from gestion.planes.consultas import Catalogos
from gestion.reglas.permisos import EDITAR, exigir
from modelos import Dependencia, ProyectoInversion, TipoDependencia, UnidadMedida, db

# atributo de la actividad → el catálogo que lo valida (en `Catalogos`)
CATALOGO = {"unidad": "unidades", "proyecto": "proyectos", "objetivo": "objetivos", "politica": "politicas"}
CREABLES = frozenset({"unidad", "proyecto"})
SUGERENCIAS = 3


@dataclass
class Decision:
    """Lo que la OAP eligió para un valor que falta: crearlo (con su código y nombre) o usar uno existente."""

    crear: bool = False
    usar: str | None = None  # el código (o BPIN) del existente
    codigo: str | None = None
    nombre: str | None = None

    @classmethod
    def de_formulario(cls, eleccion: str | None, codigo: str | None = None, nombre: str | None = None):
        """«crear» o «usar:CÓDIGO», como lo manda el formulario; None si no eligió."""
        eleccion = (eleccion or "").strip()
        if eleccion == "crear":
            return cls(crear=True, codigo=(codigo or "").strip() or None, nombre=(nombre or "").strip() or None)
        if eleccion.startswith("usar:") and eleccion[5:].strip():
            return cls(usar=eleccion[5:].strip())
        return None


@dataclass
class Faltante:
    campo: str  # el atributo de la actividad
    valor: str  # como lo escribe el libro (la primera vez)
    filas: list[tuple[str, int]] = field(default_factory=list)  # (hoja, fila) de cada fila que lo cita
    dependencias: list[int] = field(default_factory=list)  # las de esas filas: la primera es la dueña del proyecto
    sugerencias: list[tuple[str, str]] = field(default_factory=list)  # (código, nombre) parecidos
    motivo: str | None = None  # por qué no se puede crear (un BPIN de otra dependencia)

    @property
    def clave(self) -> str:
        return normalizar(self.valor)

    @property
    def etiqueta(self) -> str:
        return campos.POR_NOMBRE[self.campo].etiqueta

    @property
    def creable(self) -> bool:
        return self.campo in CREABLES and self.motivo is None

    @property
    def donde(self) -> str:
        hoja, fila = self.filas[0]
        return f"{len(self.filas)} fila(s); la primera, la {fila} de «{hoja}»"


def clave_de(campo: str, valor) -> tuple[str, str]:
    return campo, normalizar(valor)


def _parecidos(valor: str, opciones: dict) -> list[tuple[str, str]]:
    nombres = {normalizar(str(o)): (codigo, str(o)) for codigo, o in opciones.items()}
    cercanos = difflib.get_close_matches(normalizar(valor), list(nombres), n=SUGERENCIAS, cutoff=0.5)
    return [nombres[n] for n in cercanos]


def buscar(campo: str, valor: str, validos: Catalogos):
    return _buscar(getattr(validos, CATALOGO[campo]), valor)


def revisar(filas, validos_de) -> list[Faltante]:
    """Los valores que faltan en el catálogo, uno por valor distinto. `filas`: (hoja, fila, dependencia_id,
    {atributo: texto}); `validos_de(dependencia_id)`: los catálogos que valen para el plan de esa dependencia."""
    faltantes: dict[tuple[str, str], Faltante] = {}
    bpin_ajenos = None
    for hoja, numero, dependencia_id, valores in filas:
        validos = validos_de(dependencia_id)
        for campo in CATALOGO:
            texto = valores.get(campo)
            if not texto or buscar(campo, texto, validos) is not None:
                continue
            faltante = faltantes.get(clave_de(campo, texto))
            if faltante is None:
                faltante = faltantes[clave_de(campo, texto)] = Faltante(
                    campo, texto, sugerencias=_parecidos(texto, getattr(validos, CATALOGO[campo])))
                if campo == "proyecto":
                    if bpin_ajenos is None:
                        bpin_ajenos = dict(db.session.execute(sa.select(ProyectoInversion.bpin,
                                                                        Dependencia.nombre).join(Dependencia)).all())
                    if texto.strip().upper() in bpin_ajenos:
                        faltante.motivo = (f"el BPIN es de un proyecto de {bpin_ajenos[texto.strip().upper()]} o "
                                           "está inactivo")
            faltante.filas.append((hoja, numero))
            if dependencia_id not in faltante.dependencias:
                faltante.dependencias.append(dependencia_id)
    return sorted(faltantes.values(), key=lambda f: (f.campo, f.clave))


def sin_decidir(faltante: Faltante, decision: Decision | None) -> ErrorFila | None:
    """El error del valor, una vez, si la OAP no eligió qué hacer con él (o eligió crear lo que no se crea)."""
    if decision is not None and (decision.usar or (decision.crear and faltante.creable)):
        return None
    hoja, fila = faltante.filas[0]
    que_hacer = ("créelo o asócielo a uno existente" if faltante.creable else
                 f"{faltante.motivo}; asócielo a uno existente" if faltante.motivo else "asócielo a uno existente")
    return ErrorFila(fila, f"(hoja «{hoja}») «{faltante.etiqueta}» «{faltante.valor}» no está en el catálogo; lo "
                           f"citan {len(faltante.filas)} fila(s): {que_hacer}.", faltante.etiqueta)


def _codigo_libre(modelo, atributo: str, texto: str, largo: int = 20) -> str:
    """Un código derivado del nombre («Hectáreas» → «HECTAREAS»), que el catálogo no tenga."""
    base = re.sub(r"[^A-Z0-9]", "", normalizar(texto).upper())[:largo] or "NUEVO"
    usados = set(db.session.scalars(sa.select(getattr(modelo, atributo))
                                    .where(getattr(modelo, atributo).like(f"{base[:largo - 3]}%"))))
    codigo, n = base, 1
    while codigo in usados:
        n += 1
        codigo = f"{base[:largo - len(str(n)) - 1]}-{n}"
    return codigo


def crear(faltante: Faltante, decision: Decision, usuario) -> str:
    """Crea el valor en su catálogo (la OAP) y devuelve el código con que las filas lo citan."""
    exigir(usuario, EDITAR, "catalogos")
    nombre = " ".join((decision.nombre or faltante.valor).split())
    if faltante.campo == "unidad":
        codigo = (decision.codigo or _codigo_libre(UnidadMedida, "codigo", nombre))[:20]
        if db.session.scalar(sa.select(UnidadMedida.id).where(
                (UnidadMedida.codigo == codigo) | (sa.func.lower(UnidadMedida.nombre) == nombre.lower()))):
            rechazar(f"Ya hay una unidad de medida con el código «{codigo}» o el nombre «{nombre}»: asóciela.")
        db.session.add(UnidadMedida(codigo=codigo, nombre=nombre[:100]))
    elif faltante.campo == "proyecto" and faltante.creable:
        codigo = faltante.valor.strip().upper()[:20]
        db.session.add(ProyectoInversion(bpin=codigo, nombre=(decision.nombre or f"Proyecto BPIN {codigo}")[:300],
                                         dependencia_id=faltante.dependencias[0]))
    else:
        rechazar(f"«{faltante.etiqueta}» «{faltante.valor}» no se crea desde un libro: asócielo a uno existente.")
    db.session.flush()
    return codigo


def crear_dependencia(valor: str, decision: Decision, usuario) -> Dependencia:
    """Una dependencia del nivel central que el libro nombra y el catálogo no tiene (la OAP, al confirmarlo)."""
    exigir(usuario, EDITAR, "catalogos")
    nombre = " ".join((decision.nombre or valor).split())[:200]
    if not nombre:
        rechazar("Escriba el nombre de la dependencia que se va a crear.")
    codigo = (decision.codigo or _codigo_libre(Dependencia, "codigo", nombre))[:20]
    if db.session.scalar(sa.select(Dependencia.id).where(Dependencia.codigo == codigo)):
        rechazar(f"Ya hay una dependencia con el código «{codigo}»: asocie «{valor}» a ella o elija otro código.")
    dependencia = Dependencia(codigo=codigo, nombre=nombre, tipo=TipoDependencia.CENTRAL)
    db.session.add(dependencia)
    db.session.flush()
    return dependencia
