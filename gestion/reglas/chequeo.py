"""Lista de chequeo de los puntos de control (sección 6 del procedimiento).

Los ítems automáticos se calculan; los de juicio los marca la OAP con un comentario.
Un plan no se aprueba mientras un ítem no se cumpla (automático o de juicio) o uno de juicio siga por
verificar; se devuelve con los que no se cumplen como observación.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ItemChequeo:
    codigo: str
    descripcion: str
    cumple: bool | None  # None: ítem de juicio aún sin marcar
    detalle: tuple[str, ...] = ()  # lo que incumple, nombrado (objetivos, actividades...)
    automatico: bool = True
    comentario: str | None = None

    @property
    def texto_falla(self) -> str:
        razones = list(self.detalle) + ([self.comentario] if not self.automatico and self.comentario else [])
        return f"{self.descripcion}: {'; '.join(razones)}" if razones else self.descripcion


@dataclass
class ListaChequeo:
    items: list[ItemChequeo] = field(default_factory=list)

    @property
    def fallidos(self) -> list[ItemChequeo]:
        return [i for i in self.items if i.cumple is False]

    @property
    def por_verificar(self) -> list[ItemChequeo]:
        """Ítems de juicio que la OAP aún no marca."""
        return [i for i in self.items if i.cumple is None]

    @property
    def cumple(self) -> bool:
        return not self.fallidos and not self.por_verificar

    @property
    def resumen(self) -> str:
        """El estado de la lista en una frase, el mismo en la lista, la ficha y el inicio."""
        partes = []
        if self.fallidos:
            partes.append(f"{len(self.fallidos)} por corregir")
        if self.por_verificar:
            partes.append(f"{len(self.por_verificar)} por verificar")
        return " · ".join(partes) or "Cumple la lista de chequeo"

    @property
    def clase(self) -> str:
        return "danger" if self.fallidos else "secondary" if self.por_verificar else "success"

    def motivo_no_aprobar(self, plan) -> str | None:
        """Un resumen acotado (va en un mensaje de la página): los primeros puntos, cada uno recortado; la lista
        entera la muestra la ficha del plan."""
        if self.fallidos:
            textos = [i.texto_falla for i in self.fallidos]
            motivo = f"«{plan}» no se aprueba: no cumple " + _resumen([f"«{_recortado(t)}»" for t in textos]) + "."
            recortado = len(textos) > PUNTOS_EN_UN_MENSAJE or any(len(t) > LARGO_DE_UN_PUNTO for t in textos)
            return motivo + (f" {COMPLETA}" if recortado else "")
        if self.por_verificar:
            return (f"«{plan}» no se aprueba: la OAP aún no verifica "
                    + _resumen([f"«{i.descripcion}»" for i in self.por_verificar]) + ".")
        return None

    def observaciones(self, maximo: int | None = None) -> str:
        """Los puntos que no se cumplen, uno por línea. Con `maximo`, caben en ese largo: los que quepan, cada
        uno recortado, y cuántos faltan (un plan de cientos de actividades no se traba por el largo de su
        observación; la lista completa sigue en la lista de chequeo de la ficha del plan)."""
        lineas = [f"- {i.texto_falla}" for i in self.fallidos]
        completo = "\n".join(lineas)
        if maximo is None or len(completo) <= maximo:
            return completo
        elegidas, largo, reserva = [], 0, len(FALTAN.format(len(lineas))) + 1
        for linea in (_recortado(linea) for linea in lineas):
            if largo + len(linea) + 1 > maximo - reserva:
                break
            elegidas.append(linea)
            largo += len(linea) + 1
        faltan = len(lineas) - len(elegidas)
        return "\n".join(elegidas + [FALTAN.format(faltan) if faltan else COMPLETA])


LARGO_DE_UN_PUNTO = 300
PUNTOS_EN_UN_MENSAJE = 5
COMPLETA = "(Resumida: la lista completa está en la lista de chequeo de la ficha del plan.)"
FALTAN = "- … y {} punto(s) más. " + COMPLETA


def _recortado(texto: str) -> str:
    return texto if len(texto) <= LARGO_DE_UN_PUNTO else texto[:LARGO_DE_UN_PUNTO - 1].rstrip() + "…"


def _resumen(partes: list[str]) -> str:
    resto = len(partes) - PUNTOS_EN_UN_MENSAJE
    return "; ".join(partes[:PUNTOS_EN_UN_MENSAJE]) + (f" y {resto} más" if resto > 0 else "")
