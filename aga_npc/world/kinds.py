"""Object kinds and the verbs (affordances) each supports, as in docs/MAP_CONVENTIONS.md."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["KIND_AFFORDANCES", "KNOWN_KINDS", "affordances", "kinds_for_verb"]

KIND_AFFORDANCES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "bed": ("sleep", "rest", "nap"),
        "stove": ("cook",),
        "fridge": ("get food", "store food"),
        "sink": ("wash", "wash dishes", "brush teeth"),
        "shower": ("shower", "wash"),
        "toilet": ("use toilet",),
        "table": ("eat", "sit", "work", "read", "write", "chat"),
        "desk": ("study", "work", "write", "read"),
        "counter": ("serve", "order", "pay", "work", "prepare drinks"),
        "shelf": ("browse", "stock", "pick"),
        "bookshelf": ("read", "browse"),
        "bench": ("sit", "rest", "read", "chat"),
        "sofa": ("sit", "rest", "read", "watch tv"),
        "tv": ("watch tv",),
        "blackboard": ("teach", "lecture"),
        "piano": ("play music",),
        "easel": ("paint",),
        "garden": ("garden", "water plants"),
        "bar": ("serve", "order", "drink", "chat"),
        "fountain": ("sit", "rest", "chat"),
    }
)
"""Every known object kind and its verbs, in the order of the conventions table."""

KNOWN_KINDS: frozenset[str] = frozenset(KIND_AFFORDANCES)


def affordances(kind: str) -> tuple[str, ...]:
    """The verbs an object of ``kind`` supports; ``()`` for an unknown kind."""
    return KIND_AFFORDANCES.get(kind, ())


def kinds_for_verb(verb: str) -> tuple[str, ...]:
    """The kinds whose objects support ``verb`` (e.g. ``"sit"`` -> table, bench, ...)."""
    return tuple(kind for kind, verbs in KIND_AFFORDANCES.items() if verb in verbs)
