"""Plan decomposition answers: shape check, grounding against the world, duration fitting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.ports import WorldView
from aga_npc.types import Action

__all__ = [
    "Grounding",
    "fit_durations",
    "ground_steps",
    "validate_decompose_json",
]

MAX_STEPS = 8


def validate_decompose_json(value: Any) -> Any:
    """Shape check for the ``decompose`` answer (the request's JSON validator).

    Raises:
        ValueError: with a message a model can act on when re-asked.
    """
    if not isinstance(value, dict):
        raise ValueError("the answer must be a JSON object with 'steps'")
    steps = value.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ValueError("'steps' must be a non-empty list")
    for i, step in enumerate(steps):
        if not isinstance(step, dict):
            raise ValueError(f"step {i} must be an object")
        if not str(step.get("verb", "")).strip():
            raise ValueError(f"step {i} lacks a verb")
        try:
            minutes = int(step.get("minutes", 0))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"step {i}: minutes must be a number") from exc
        if minutes < 1:
            raise ValueError(f"step {i}: minutes must be positive")
        if "object" in step and not isinstance(step["object"], str | type(None)):
            raise ValueError(f"step {i}: object must be an address string")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Grounding:
    """Steps checked against the world: the usable actions and what was rejected, why."""

    actions: tuple[Action, ...]
    rejected: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return bool(self.actions) and not self.rejected


def ground_steps(value: Any, *, world: WorldView, agent: str) -> Grounding:
    """Turn validated steps into actions; reject steps whose object is missing, unreachable
    or does not afford the verb (each rejection is a "forbidden" line for the re-ask)."""
    actions: list[Action] = []
    rejected: list[str] = []
    for step in value["steps"][:MAX_STEPS]:
        verb = str(step["verb"]).strip().lower()
        target = str(step.get("object") or "").strip()
        minutes = int(step["minutes"])
        description = str(step.get("description") or verb).strip()[:120]
        if target:
            info = world.object_at(target)
            if info is None:
                rejected.append(f"{verb} on {target}: no such object")
                continue
            if verb not in info.affordances:
                rejected.append(
                    f"{verb} on {target}: a {info.kind} affords only {', '.join(info.affordances)}"
                )
                continue
            if not world.is_reachable(agent, target):
                rejected.append(f"{verb} on {target}: not reachable")
                continue
        actions.append(Action(verb=verb, target=target, duration=minutes, description=description))
    return Grounding(actions=tuple(actions), rejected=tuple(rejected))


def fit_durations(actions: Sequence[Action], total: int) -> tuple[Action, ...]:
    """Rescale action durations so they sum to ``total`` minutes (each at least 1).

    Largest-remainder rounding keeps the sum exact and the result deterministic.
    """
    if not actions:
        return ()
    total = max(total, len(actions))
    weights = [max(a.duration, 1) for a in actions]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    floors = [max(1, int(r)) for r in raw]
    remainder = total - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    i = 0
    while remainder > 0:
        floors[order[i % len(order)]] += 1
        remainder -= 1
        i += 1
    while remainder < 0:
        j = max(range(len(floors)), key=lambda k: (floors[k], -k))
        if floors[j] <= 1:
            break
        floors[j] -= 1
        remainder += 1
    return tuple(
        Action(verb=a.verb, target=a.target, duration=d, description=a.description)
        for a, d in zip(actions, floors, strict=True)
    )
