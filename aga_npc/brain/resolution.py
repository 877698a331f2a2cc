"""The resolution of one schedule item: its status and transition table, the actions it
got and how, the per-action chain's work per subtask, a tick's work allowance, and the
resolver's counters (shared by :mod:`~aga_npc.brain.resolver` and
:mod:`~aga_npc.brain.chain`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from aga_npc.brain.intent import Source
from aga_npc.brain.services import HitHandle, Vector
from aga_npc.types import Action

__all__ = [
    "CHAIN_TRANSITIONS",
    "TRANSITIONS",
    "ChainStage",
    "ResStatus",
    "Resolution",
    "ResolverStats",
    "StepWork",
    "TickWork",
]


class ResStatus(enum.StrEnum):
    NEW = "new"
    EMBEDDING = "embedding"
    LOOKUP = "lookup"
    MISS = "miss"
    DECOMPOSING = "decomposing"
    CHAINING = "chaining"
    READY = "ready"


TRANSITIONS: dict[ResStatus, frozenset[ResStatus]] = {
    ResStatus.NEW: frozenset(
        {ResStatus.EMBEDDING, ResStatus.LOOKUP, ResStatus.MISS, ResStatus.READY}
    ),
    ResStatus.EMBEDDING: frozenset({ResStatus.LOOKUP, ResStatus.MISS}),
    ResStatus.LOOKUP: frozenset({ResStatus.READY, ResStatus.MISS}),
    ResStatus.MISS: frozenset({ResStatus.DECOMPOSING, ResStatus.CHAINING, ResStatus.READY}),
    ResStatus.DECOMPOSING: frozenset({ResStatus.DECOMPOSING, ResStatus.CHAINING, ResStatus.READY}),
    ResStatus.CHAINING: frozenset({ResStatus.READY}),
    ResStatus.READY: frozenset({ResStatus.MISS}),
}


class ChainStage(enum.StrEnum):
    SECTOR = "sector"
    ARENA = "arena"
    OBJECT = "object"
    DETAILS = "details"
    OBJECT_DETAILS = "object_details"
    DONE = "done"


CHAIN_TRANSITIONS: dict[ChainStage, frozenset[ChainStage]] = {
    ChainStage.SECTOR: frozenset({ChainStage.ARENA}),
    ChainStage.ARENA: frozenset({ChainStage.OBJECT, ChainStage.DETAILS}),
    ChainStage.OBJECT: frozenset({ChainStage.DETAILS}),
    ChainStage.DETAILS: frozenset({ChainStage.OBJECT_DETAILS, ChainStage.DONE}),
    ChainStage.OBJECT_DETAILS: frozenset({ChainStage.DONE}),
    ChainStage.DONE: frozenset(),
}
"""One subtask's way through the per-action chain (an arena with no objects, or an action
on no object, skips the object stages)."""


@dataclass(slots=True)
class TickWork:
    """One tick's allowance of heavy steps (a policy lookup, a prompt built, an answer
    handled): unlimited in the headless simulation, one in a real-time frame loop."""

    limited: bool = False
    spent: bool = False

    def can(self) -> bool:
        return not (self.limited and self.spent)

    def spend(self) -> None:
        self.spent = True


@dataclass(slots=True)
class StepWork:
    """One subtask on its way through the per-action chain."""

    text: str
    minutes: int
    stage: ChainStage = ChainStage.SECTOR
    waiting: int = 0
    sector: str = ""
    arena: str = ""
    target: str = ""
    obj_name: str = ""
    verb: str = ""
    emoji: str = ""
    event: tuple[str, ...] = ()
    state: str = ""
    obj_emoji: str = ""
    obj_event: tuple[str, ...] = ()

    def move(self, stage: ChainStage) -> None:
        if stage not in CHAIN_TRANSITIONS[self.stage]:
            raise RuntimeError(f"illegal chain stage {self.stage} -> {stage}")
        self.stage = stage

    def action(self) -> Action:
        return Action(
            verb=self.verb or "think",
            target=self.target,
            duration=max(1, self.minutes),
            description=self.text,
            emoji=self.emoji,
            event=self.event,
            object_state=self.state,
            object_emoji=self.obj_emoji,
            object_event=self.obj_event,
        )


@dataclass(slots=True)
class Resolution:
    """How one schedule item gets its actions."""

    key: tuple[int, int, int]  # (day, plan revision, item index)
    text: str
    place: str  # the planned place (a real sector)
    start: int  # absolute game minute the item starts
    duration: int
    status: ResStatus = ResStatus.NEW
    begin: int = 0  # absolute minute the actions are timed from
    actions: tuple[Action, ...] = ()
    source: Source = Source.WAITING
    reason: str = ""
    cosine: float = 0.0
    scope: str = ""
    handle: HitHandle | None = None
    vector: Vector | None = None
    steps: list[StepWork] = field(default_factory=list)
    attempts: int = 0
    forbidden: list[str] = field(default_factory=list)
    failed: bool = False
    invalid: int = 0

    def move(self, status: ResStatus) -> None:
        if status not in TRANSITIONS[self.status]:
            raise RuntimeError(f"illegal resolution transition {self.status} -> {status}")
        self.status = status

    @property
    def ready(self) -> bool:
        return self.status is ResStatus.READY

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": list(self.key),
            "text": self.text,
            "place": self.place,
            "start": self.start,
            "duration": self.duration,
            "begin": self.begin,
            "actions": [a.to_dict() for a in self.actions],
            "source": self.source.value,
            "reason": self.reason,
            "cosine": self.cosine,
            "scope": self.scope,
            "handle": [self.handle.entry, self.handle.variant] if self.handle else None,
            "failed": self.failed,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Resolution:
        handle = data.get("handle")
        return cls(
            key=(int(data["key"][0]), int(data["key"][1]), int(data["key"][2])),
            text=str(data["text"]),
            place=str(data["place"]),
            start=int(data["start"]),
            duration=int(data["duration"]),
            status=ResStatus.READY,
            begin=int(data.get("begin", data["start"])),
            actions=tuple(Action.from_dict(a) for a in data["actions"]),
            source=Source(data["source"]),
            reason=str(data.get("reason", "")),
            cosine=float(data.get("cosine", 0.0)),
            scope=str(data.get("scope", "")),
            handle=HitHandle(entry=int(handle[0]), variant=int(handle[1])) if handle else None,
            failed=bool(data.get("failed", False)),
        )


@dataclass(slots=True)
class ResolverStats:
    """Counters the report and the overlay read."""

    policy_hits: int = 0
    policy_misses: int = 0
    hits_by_scope: dict[str, int] = field(default_factory=dict)
    lookups_by_day: dict[int, list[int]] = field(default_factory=dict)  # day -> [hits, lookups]
    decompositions: int = 0
    invalid_actions: int = 0
    stored: int = 0
    routine_failures: int = 0
    wrong_place_rejected: int = 0
    chain_calls_avoided: int = 0
    repaired_steps: int = 0  # merged-chain steps whose object or verb was named slightly off
    grounding_fallbacks: int = 0  # items done with fall-back actions: no usable answer

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy_hits": self.policy_hits,
            "policy_misses": self.policy_misses,
            "hits_by_scope": dict(self.hits_by_scope),
            "lookups_by_day": {str(d): list(v) for d, v in sorted(self.lookups_by_day.items())},
            "decompositions": self.decompositions,
            "invalid_actions": self.invalid_actions,
            "stored": self.stored,
            "routine_failures": self.routine_failures,
            "wrong_place_rejected": self.wrong_place_rejected,
            "chain_calls_avoided": self.chain_calls_avoided,
            "repaired_steps": self.repaired_steps,
            "grounding_fallbacks": self.grounding_fallbacks,
        }

    def load(self, data: Any) -> None:
        for name in (
            "policy_hits",
            "policy_misses",
            "decompositions",
            "invalid_actions",
            "stored",
            "routine_failures",
            "wrong_place_rejected",
            "chain_calls_avoided",
            "repaired_steps",
            "grounding_fallbacks",
        ):
            setattr(self, name, int(data.get(name, 0)))
        self.hits_by_scope = {
            str(k): int(v) for k, v in dict(data.get("hits_by_scope", {})).items()
        }
        self.lookups_by_day = {
            int(d): [int(hits), int(lookups)]
            for d, (hits, lookups) in dict(data.get("lookups_by_day", {})).items()
        }
