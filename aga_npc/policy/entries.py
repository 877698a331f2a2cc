"""Policy value types: scopes, provenance, variants (condition + actions), entries, rescaling.

An entry is one plan at one place (``@home``, ``@work`` or a sector): its text, embedding and
variants. Every action target of every variant lies in the entry's place; the types refuse
anything else, so a routine is never served for a place it does not belong to.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.places import Address
from aga_npc.policy.conditions import (
    Condition,
    ConditionError,
    condition_from_data,
    condition_to_data,
)
from aga_npc.policy.requirements import off_place_targets
from aga_npc.types import Action

__all__ = [
    "PolicyEntry",
    "PolicyScope",
    "Provenance",
    "ScopeKind",
    "Variant",
    "rescale_actions",
]


class ScopeKind(enum.StrEnum):
    """Who a policy serves. Lookups try agent, then role, then town."""

    AGENT = "agent"
    ROLE = "role"
    TOWN = "town"


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyScope:
    """A scope: one agent's own policies, one role's (all baristas) or the whole town's."""

    kind: ScopeKind
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ScopeKind(self.kind))
        if self.kind is ScopeKind.TOWN:
            if self.name:
                raise ValueError("the town scope has no name")
        elif not self.name:
            raise ValueError(f"a {self.kind.value} scope needs a name")

    @classmethod
    def agent(cls, name: str) -> PolicyScope:
        return cls(kind=ScopeKind.AGENT, name=name)

    @classmethod
    def role(cls, name: str) -> PolicyScope:
        return cls(kind=ScopeKind.ROLE, name=name)

    @classmethod
    def town(cls) -> PolicyScope:
        return cls(kind=ScopeKind.TOWN)

    def __str__(self) -> str:
        return self.kind.value if self.kind is ScopeKind.TOWN else f"{self.kind.value}:{self.name}"

    def to_data(self) -> list[str]:
        return [self.kind.value, self.name]

    @classmethod
    def from_data(cls, data: Any) -> PolicyScope:
        if not isinstance(data, list | tuple) or len(data) != 2:
            raise ValueError(f"scope must be [kind, name], got {data!r}")
        return cls(kind=ScopeKind(data[0]), name=str(data[1]))


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Where a policy came from: who decomposed it, when, with which backend and model.

    ``game_minute`` counts game minutes since the start of the simulation.
    """

    agent: str = ""
    role: str = ""
    game_minute: int = 0
    backend: str = ""
    model: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "role": self.role,
            "game_minute": self.game_minute,
            "backend": self.backend,
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Provenance:
        return cls(
            agent=str(data.get("agent", "")),
            role=str(data.get("role", "")),
            game_minute=int(data.get("game_minute", 0)),
            backend=str(data.get("backend", "")),
            model=str(data.get("model", "")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Variant:
    """One way to carry out a plan: the condition under which ``actions`` work.

    Attributes:
        condition: what must hold in the world.
        actions: the steps (targets carry place symbols).
        provenance: who decomposed it, when, with which model.
        id: stable within its entry (hit handles name it; never reused in the entry).
        hits: lookups that served it.
        successes: reported runs to the end.
        failures: reported run-time failures since the last success.
    """

    condition: Condition
    actions: tuple[Action, ...]
    provenance: Provenance = field(default_factory=Provenance)
    id: int = 0
    hits: int = 0
    successes: int = 0
    failures: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.actions, tuple):
            object.__setattr__(self, "actions", tuple(self.actions))
        if not self.actions:
            raise ValueError("a policy variant needs at least one action")
        if min(self.id, self.hits, self.successes, self.failures) < 0:
            raise ValueError("variant id and counters must be >= 0")

    @property
    def duration(self) -> int:
        """Total minutes of the stored actions."""
        return sum(a.duration for a in self.actions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": condition_to_data(self.condition),
            "actions": [a.to_dict() for a in self.actions],
            "provenance": self.provenance.to_dict(),
            "id": self.id,
            "hits": self.hits,
            "successes": self.successes,
            "failures": self.failures,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "variant") -> Variant:
        """Parse plain data.

        Raises:
            ValueError: naming the field path (``ConditionError`` for the condition).
        """
        condition = condition_from_data(data.get("condition"), where=f"{where}.condition")
        raw = data.get("actions")
        if not isinstance(raw, list | tuple) or not raw:
            raise ValueError(f"{where}.actions: expected a non-empty list")
        actions = []
        for i, item in enumerate(raw):
            try:
                actions.append(Action.from_dict(item))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{where}.actions[{i}]: {exc}") from exc
        return cls(
            condition=condition,
            actions=tuple(actions),
            provenance=Provenance.from_dict(data.get("provenance") or {}),
            id=int(data.get("id", 0)),
            hits=int(data.get("hits", 0)),
            successes=int(data.get("successes", 0)),
            failures=int(data.get("failures", 0)),
        )


def _readonly(vec: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    out = np.array(vec, dtype=np.float32, copy=True).reshape(-1)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyEntry:
    """A stored plan at a place: its text, embedding, typical duration and variants.

    Attributes:
        id: unique within the store.
        scope: who it serves.
        plan_text: the plan as first stored (the activity words, without the place).
        place: where it is planned: ``@home``, ``@work`` or a sector name. Every action
            target of every variant lies there.
        vector: the embedding of ``plan_text`` (read-only float32, norm 1).
        duration: the plan's typical duration in minutes (as first stored).
        provenance: who stored it and when.
        hits: reuses so far.
        last_use: game minute of the last reuse (or of storing).
        variants: condition + actions alternatives, tried in order (a variant that failed
            at run time goes to the back).
        next_variant: the id the next new variant gets (> every variant id so far).
    """

    id: int
    scope: PolicyScope
    plan_text: str
    place: str
    vector: npt.NDArray[np.float32] = field(compare=False, repr=False)
    duration: int
    provenance: Provenance = field(default_factory=Provenance)
    hits: int = 0
    last_use: int = 0
    variants: tuple[Variant, ...] = ()
    next_variant: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "vector", _readonly(self.vector))
        if not isinstance(self.variants, tuple):
            object.__setattr__(self, "variants", tuple(self.variants))
        if not self.plan_text.strip():
            raise ValueError("a policy entry needs plan text")
        if self.duration < 1:
            raise ValueError(f"policy duration must be >= 1 minute, got {self.duration}")
        Address(self.place)  # a place symbol or sector: non-empty, no ':'
        ids = [v.id for v in self.variants]
        if len(set(ids)) != len(ids):
            raise ValueError(f"entry {self.id}: variant ids repeat ({ids})")
        if ids and self.next_variant <= max(ids):
            object.__setattr__(self, "next_variant", max(ids) + 1)
        for v in self.variants:
            outside = off_place_targets(v.actions, self.place)
            if outside:
                raise ValueError(
                    f"entry {self.id} ({self.plan_text!r} at {self.place}): variant {v.id} "
                    f"acts outside the place ({', '.join(outside)})"
                )

    def variant(self, variant_id: int) -> Variant | None:
        """The variant with this id, or None when it is gone."""
        for v in self.variants:
            if v.id == variant_id:
                return v
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scope": self.scope.to_data(),
            "text": self.plan_text,
            "place": self.place,
            "vec": self.vector.astype("<f4").tobytes(),
            "duration": self.duration,
            "provenance": self.provenance.to_dict(),
            "hits": self.hits,
            "last_use": self.last_use,
            "variants": [v.to_dict() for v in self.variants],
            "next_variant": self.next_variant,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, dim: int | None = None) -> PolicyEntry:
        """Parse plain data; ``dim`` checks the vector length.

        Raises:
            ValueError: naming the field path of what is wrong.
        """
        where = f"entry {data.get('id')!r}"
        try:
            raw = data["vec"]
            if not isinstance(raw, bytes) or len(raw) % 4:
                raise ValueError(f"{where}.vec: expected float32 bytes")
            vec = np.frombuffer(raw, dtype="<f4").astype(np.float32)
            if dim is not None and vec.shape[0] != dim:
                raise ValueError(f"{where}.vec: dimension {vec.shape[0]}, expected {dim}")
            variants = tuple(
                Variant.from_dict(v, where=f"{where}.variants[{i}]")
                for i, v in enumerate(data.get("variants") or [])
            )
            return cls(
                id=int(data["id"]),
                scope=PolicyScope.from_data(data["scope"]),
                plan_text=str(data["text"]),
                place=str(data["place"]),
                vector=vec,
                duration=int(data["duration"]),
                provenance=Provenance.from_dict(data.get("provenance") or {}),
                hits=int(data.get("hits", 0)),
                last_use=int(data.get("last_use", 0)),
                variants=variants,
                next_variant=int(data.get("next_variant", 0)),
            )
        except ConditionError:
            raise
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{where}: missing or bad field {exc}") from exc


def rescale_actions(actions: Sequence[Action], duration: int | None) -> tuple[Action, ...]:
    """Scale action durations so they add up to ``duration`` minutes.

    Proportional, each at least 1 minute, rounding by largest remainder so the total is
    exact whenever ``duration >= len(actions)`` (below that every action gets 1 minute).
    ``None`` or a matching total returns the actions unchanged.
    """
    actions = tuple(actions)
    total = sum(a.duration for a in actions)
    if duration is None or not actions or duration == total:
        return actions
    if duration <= len(actions):
        return tuple(_with_duration(a, 1) for a in actions)
    shares = [a.duration * duration / total for a in actions]
    minutes = [max(1, int(x)) for x in shares]
    diff = duration - sum(minutes)
    if diff > 0:  # hand out the remainders, largest fraction first
        order = sorted(range(len(actions)), key=lambda i: (minutes[i] - shares[i], i))
        for i in order[:diff]:
            minutes[i] += 1
    while diff < 0:  # minimum-1 bumps overshot: take from the longest actions
        i = max(range(len(actions)), key=lambda j: (minutes[j], -j))
        minutes[i] -= 1
        diff += 1
    return tuple(_with_duration(a, m) for a, m in zip(actions, minutes, strict=True))


def _with_duration(action: Action, minutes: int) -> Action:
    if action.duration == minutes:
        return action
    return action.with_(duration=minutes)  # keeps emoji, events and object state
