"""Lista de chequeo de los puntos de control (sección 6 del procedimiento).

Los ítems automáticos se calculan; los de juicio los marca la OAP con un comentario.
Un plan que falla un ítem automático no se aprueba, y se devuelve con esos ítems como observación.
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
        return f"{self.descripcion}: {'; '.join(self.detalle)}" if self.detalle else self.descripcion


@dataclass
class ListaChequeo:
    items: list[ItemChequeo] = field(default_factory=list)

    @property
    def fallidos(self) -> list[ItemChequeo]:
        return [i for i in self.items if i.automatico and i.cumple is False]

    @property
    def cumple(self) -> bool:
        return not self.fallidos

    def observaciones(self) -> str:
        return "\n".join(f"- {i.texto_falla}" for i in self.fallidos)
