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
        if self.fallidos:
            return f"«{plan}» no se aprueba: no cumple " + "; ".join(f"«{i.texto_falla}»" for i in self.fallidos) + "."
        if self.por_verificar:
            return (f"«{plan}» no se aprueba: la OAP aún no verifica "
                    + "; ".join(f"«{i.descripcion}»" for i in self.por_verificar) + ".")
        return None

    def observaciones(self) -> str:
        return "\n".join(f"- {i.texto_falla}" for i in self.fallidos)
