"""What a brain sees each tick (``Perception``) and what it wants done (``Intent``)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from aga_npc.ports import WorldView

__all__ = ["FACINGS", "Intent", "IntentKind", "Nearby", "Perception", "Source", "facing_of"]

FACINGS = ("up", "down", "left", "right")
"""The four directions ``Intent.facing`` takes ("" before an NPC has faced anywhere)."""


def facing_of(dx: float, dy: float, default: str = "") -> str:
    """The facing of a step ``(dx, dy)`` in tile units (y grows downwards, as on screen):
    the larger component wins, horizontal on a tie; ``default`` for no step."""
    if dx == 0 and dy == 0:
        return default
    if abs(dx) >= abs(dy):
        return "right" if dx > 0 else "left"
    return "down" if dy > 0 else "up"


class Source(enum.StrEnum):
    """How the current action was obtained (the debug overlay shows it)."""

    POLICY = "policy"
    LLM = "llm"
    FALLBACK = "fallback"
    WAITING = "waiting"
    TALK = "talk"


class IntentKind(enum.StrEnum):
    """What the world stepper should do with the agent."""

    USE = "use"
    """Walk to ``target`` (an object address) and use it with ``verb`` until ``until``."""
    STAY = "stay"
    """Stay where you are (idle, thinking, waiting for a result)."""
    TALK = "talk"
    """Stand still facing ``partner`` and talk."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Intent:
    """The brain's wish for its body, re-issued every tick (compare with ``==``).

    ``facing`` and ``speed`` describe the body as it moves now, for a game's sprite: the
    brain leaves them at their defaults; ``TownHost.intent(name)`` fills them in each
    frame from the stepper.

    Attributes:
        facing: ``"up"``, ``"down"``, ``"left"`` or ``"right"`` (screen directions, y
            down): the direction of the current step while walking; towards the partner
            while talking; towards the object while using it; else the last one ("" for a
            brain's own intent).
        speed: tiles per real second the body moves at now (0.0 when standing, waiting
            for a path, or held up by the player standing in the way).
    """

    kind: IntentKind
    target: str = ""
    verb: str = ""
    description: str = ""
    activity: str = ""
    until: int = 0
    source: Source = Source.FALLBACK
    partner: str = ""
    facing: str = ""
    speed: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "target": self.target,
            "verb": self.verb,
            "description": self.description,
            "activity": self.activity,
            "until": self.until,
            "source": self.source.value,
            "partner": self.partner,
            "facing": self.facing,
            "speed": self.speed,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Nearby:
    """Another agent (or the player) the brain can see.

    Attributes:
        name: who ("the player" for the player).
        distance: tiles away.
        doing: what it is doing, in words ("frying eggs").
        busy: talking, asleep or otherwise not to be disturbed.
        target: the object it uses ("" for none).
        object_state: that object's state meanwhile ("heating the pan").
        player: whether this is the player.
    """

    name: str
    distance: float
    doing: str = ""
    busy: bool = False
    target: str = ""
    object_state: str = ""
    player: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Perception:
    """What the brain perceives this tick.

    Attributes:
        world: the live world (read only, main thread) for grounding and conditions.
        place: the (sector, arena) the agent stands in, or None outside any arena.
        arrived: whether the body reached the current intent's target.
        failed: the target of an action the body could not perform since the last tick
            (unreachable, or the object is full), or "" when nothing failed.
        nearby: other agents in sight.
    """

    world: WorldView
    place: tuple[str, str] | None = None
    arrived: bool = False
    failed: str = ""
    nearby: tuple[Nearby, ...] = field(default=())
