"""Lookup outcomes of the Lifestyle Policy: the reason enum, the frozen result, counters."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from aga_npc.policy.entries import PolicyScope
from aga_npc.types import Action

__all__ = ["FailureVerdict", "LookupReason", "LookupResult", "StoreStats", "better_miss"]


class LookupReason(enum.StrEnum):
    """Why a lookup did or did not return actions (for the ledger and the debug overlay)."""

    EXACT_HIT = "exact_hit"
    SIMILAR_HIT = "similar_hit"
    NO_CANDIDATE = "no_candidate"
    REJECTED_LOOKALIKE = "rejected_lookalike"
    NO_CONDITION_HELD = "no_condition_held"


class FailureVerdict(enum.StrEnum):
    """What a reported run-time failure did to the variant."""

    DEMOTED = "demoted"  # moved behind the entry's other variants
    EVICTED = "evicted"  # failed ``max_failures`` times in a row: dropped
    REMOVED = "removed"  # evicted and it was the last variant: the entry is gone
    UNKNOWN = "unknown"  # the entry or variant was already gone


@dataclass(frozen=True, slots=True, kw_only=True)
class LookupResult:
    """The outcome of one policy lookup.

    Attributes:
        reason: hit or the kind of miss.
        plan_text: the plan that was looked up.
        place: where it is planned (only routines stored for that place are considered).
        cosine: cosine of the matched (or best rejected) stored plan; ``None`` when no
            stored plan was compared.
        matched_text: the stored plan's text (hit, or best candidate on a miss).
        scope: the scope of that stored plan.
        entry_id: its id; on ``NO_CONDITION_HELD`` pass it as ``into=`` when storing the
            new decomposition, so it becomes another variant of the same plan.
        variant_index: the position of the variant whose condition held (hits only).
        variant_id: that variant's stable id (what failure and success reports name).
        actions: the actions to run, durations rescaled to the requested duration; empty
            on a miss. Targets may use the place symbols ``@home``/``@work``.
        detail: a short human-readable explanation (the failed condition, the look-alike
            conflict, ...).
    """

    reason: LookupReason
    plan_text: str
    place: str = ""
    cosine: float | None = None
    matched_text: str | None = None
    scope: PolicyScope | None = None
    entry_id: int | None = None
    variant_index: int | None = None
    variant_id: int | None = None
    actions: tuple[Action, ...] = ()
    detail: str = ""

    @property
    def hit(self) -> bool:
        """Whether actions were found."""
        return self.reason in (LookupReason.EXACT_HIT, LookupReason.SIMILAR_HIT)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for logs and reports."""
        return {
            "reason": self.reason.value,
            "plan_text": self.plan_text,
            "place": self.place,
            "cosine": self.cosine,
            "matched_text": self.matched_text,
            "scope": str(self.scope) if self.scope is not None else None,
            "entry_id": self.entry_id,
            "variant_index": self.variant_index,
            "variant_id": self.variant_id,
            "actions": [a.to_dict() for a in self.actions],
            "detail": self.detail,
        }


@dataclass(slots=True)
class StoreStats:
    """Counters for the report (``policy: {lookups, hits, misses, stored, ...}``).

    ``successes`` / ``failures`` count run-time reports; a failure ``demoted`` its variant
    (tried after the others) or ``evicted`` it; ``removed`` counts entries left without
    variants.
    """

    lookups: int = 0
    hits: int = 0
    misses: int = 0
    stored: int = 0
    successes: int = 0
    failures: int = 0
    demoted: int = 0
    evicted: int = 0
    removed: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        out["by_reason"] = dict(self.by_reason)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StoreStats:
        """The counters of :meth:`to_dict` (missing ones are 0).

        Raises:
            ValueError: a counter is negative or not a number.
        """
        stats = cls(by_reason={str(k): int(v) for k, v in dict(data.get("by_reason", {})).items()})
        for f in fields(cls):
            if f.name != "by_reason":
                value = int(data.get(f.name, 0))
                if value < 0:
                    raise ValueError(f"policy stats: {f.name} is negative ({value})")
                setattr(stats, f.name, value)
        return stats


MISS_RANK = {
    LookupReason.NO_CONDITION_HELD: 3,
    LookupReason.REJECTED_LOOKALIKE: 2,
    LookupReason.NO_CANDIDATE: 1,
}


def better_miss(old: LookupResult | None, new: LookupResult) -> LookupResult:
    """Keep the most informative miss: a matched plan whose conditions failed beats a
    look-alike rejection, which beats a plain distant candidate; ties go to the higher
    cosine (then the earlier scope)."""
    if old is None:
        return new
    rank_old, rank_new = MISS_RANK[old.reason], MISS_RANK[new.reason]
    if rank_new != rank_old:
        return new if rank_new > rank_old else old
    return new if (new.cosine or -2.0) > (old.cosine or -2.0) else old
