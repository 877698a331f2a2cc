"""Importance (poignancy) scores without an LLM call per routine event.

Generative Agents asks the LLM to rate every event 1-10. Most events are routines
("sleeping in bed", "brushing teeth") whose score never changes, so:

1. :class:`ImportanceCache` remembers LLM scores under a *pattern key* (kind + normalised
   text with numbers, names and stop words removed); the same routine reuses the score.
2. :func:`heuristic_importance` scores obvious routines (sleep, hygiene, meals, commuting,
   idle object states) deterministically, and declines anything that looks eventful.
3. Only what neither knows needs an LLM request; meanwhile :meth:`ImportanceCache.estimate`
   gives a provisional score per kind so the event can be stored at once.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from aga_npc.memory.events import EventKind
from aga_npc.memory.text import normalise_text, pattern_key

__all__ = [
    "KIND_DEFAULTS",
    "ImportanceCache",
    "heuristic_importance",
    "parse_importance",
]

# Provisional scores while the real one is pending.
KIND_DEFAULTS: dict[EventKind, int] = {
    EventKind.OBSERVED: 2,
    EventKind.DONE: 2,
    EventKind.PLANNED: 3,
    EventKind.SAID: 4,
    EventKind.THOUGHT: 4,
    EventKind.REFLECTION: 6,
}

# Words that make an event worth a real rating even if it mentions a routine.
_EVENTFUL = re.compile(
    r"\b(party|parties|birthday|wedding|married|marry|propos\w*|love|date|kiss\w*|died|dead|"
    r"death|funeral|sick|ill|hospital|accident|injur\w*|fight\w*|argu\w*|angry|cry\w*|fired|"
    r"hired|job offer|promot\w*|elect\w*|secret|news|pregnan\w*|divorce\w*|fire|stole\w*|"
    r"thief|police|award|exam|interview|first time|never)\b"
)

# (pattern on normalised text, score). First match wins.
_ROUTINES: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(p), s)
    for p, s in (
        (r"\b(is idle|is empty|is free|is off|is on|is closed|is open|is being used)\b$", 1),
        (r"\b(sleep\w*|asleep|nap\w*|go\w* to bed|in bed|rest\w*|idle|relax\w*|lying)\b", 1),
        (r"\b(brush\w* (her |his |their )?teeth|shower\w*|bath\w*|wash\w*|toilet|bathroom)\b", 1),
        (r"\b(get\w* dressed|dress\w*|groom\w*|mak\w* (the |her |his )?bed|tidy\w*|clean\w*)\b", 1),
        (r"\b(wak\w* up|woke up|get\w* up|morning routine|stretch\w*)\b", 2),
        (r"\b(walk\w*|commut\w*|head\w* (to|home|back)|go\w* (to|home|back)|return\w* home)\b", 1),
        (r"\b(breakfast|lunch|dinner|snack|eat\w*|ate|cook\w*|drink\w*|coffee|tea)\b", 2),
        (r"\b(work\w*|stud\w*|read\w*|writ\w*|serv\w*|stock\w*|brows\w*)\b", 2),
    )
)

_ROUTINE_KINDS = frozenset({EventKind.OBSERVED, EventKind.DONE, EventKind.PLANNED})
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def heuristic_importance(text: str, kind: EventKind | str) -> int | None:
    """A deterministic score for an obvious routine, or None when an LLM should rate it.

    Only observed, done and planned events are scored; dialogue, thoughts and reflections
    always return None, as does any text with an eventful word (party, argument, died ...).

    Args:
        text: the event text.
        kind: the event kind.

    Returns:
        1 or 2 for routines, None otherwise.
    """
    if EventKind(kind) not in _ROUTINE_KINDS:
        return None
    norm = normalise_text(text)
    if not norm or _EVENTFUL.search(norm):
        return None
    for pattern, score in _ROUTINES:
        if pattern.search(norm):
            return score
    return None


def parse_importance(value: Any) -> int:
    """An LLM's importance answer as an int 1..10 (clamped).

    Accepts an int, a float (rounded), or text holding a number ("7", "7/10",
    "Rating: 8"); the first number counts.

    Raises:
        ValueError: no number in the answer.
    """
    if isinstance(value, bool):
        raise ValueError(f"importance must be a number, got {value!r}")
    if isinstance(value, int | float):
        number = float(value)
    else:
        match = _NUMBER.search(str(value))
        if match is None:
            raise ValueError(f"importance answer holds no number: {str(value)[:80]!r}")
        number = float(match.group(0))
    if number != number:  # NaN
        raise ValueError("importance must not be NaN")
    return int(min(10, max(1, round(number))))


class ImportanceCache:
    """Importance scores by event pattern, bounded, least recently used evicted first.

    Args:
        max_entries: how many patterns to keep.
        use_heuristics: let :meth:`lookup` fall back to :func:`heuristic_importance`.
    """

    def __init__(self, *, max_entries: int = 4096, use_heuristics: bool = True) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be >= 1, got {max_entries}")
        self.max_entries = max_entries
        self.use_heuristics = use_heuristics
        self._entries: OrderedDict[str, int] = OrderedDict()
        self.hits = 0
        self.heuristic_hits = 0
        self.misses = 0

    @staticmethod
    def key(text: str, kind: EventKind | str, *, names: Iterable[str] = ()) -> str:
        """The cache key: ``kind|pattern`` (numbers, ``names`` and stop words removed)."""
        return f"{EventKind(kind).value}|{pattern_key(text, names=names)}"

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, text: str, kind: EventKind | str, *, names: Iterable[str] = ()) -> int | None:
        """The cached score for this pattern, else the routine heuristic, else None.

        None means "ask the LLM, then :meth:`store` the answer". Counts hits and misses.
        """
        key = self.key(text, kind, names=names)
        cached = self._entries.get(key)
        if cached is not None:
            self._entries.move_to_end(key)
            self.hits += 1
            return cached
        if self.use_heuristics:
            guess = heuristic_importance(text, kind)
            if guess is not None:
                self.heuristic_hits += 1
                return guess
        self.misses += 1
        return None

    def estimate(self, text: str, kind: EventKind | str, *, names: Iterable[str] = ()) -> int:
        """A score to store the event with right away: cached, heuristic or the kind default.

        Does not count as a lookup (use it for the provisional value only).
        """
        cached = self._entries.get(self.key(text, kind, names=names))
        if cached is not None:
            return cached
        guess = heuristic_importance(text, kind) if self.use_heuristics else None
        return guess if guess is not None else KIND_DEFAULTS[EventKind(kind)]

    def store(
        self, text: str, kind: EventKind | str, importance: Any, *, names: Iterable[str] = ()
    ) -> int:
        """Remember a score for this pattern (parsed and clamped by :func:`parse_importance`).

        Returns:
            The stored score.
        """
        score = parse_importance(importance)
        key = self.key(text, kind, names=names)
        if key.endswith("|"):
            return score  # nothing meaningful to key on
        self._entries[key] = score
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return score

    def stats(self) -> dict[str, int]:
        """Counters for reports: ``hits``, ``heuristic_hits``, ``misses``, ``entries``."""
        return {
            "hits": self.hits,
            "heuristic_hits": self.heuristic_hits,
            "misses": self.misses,
            "entries": len(self._entries),
        }

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the entries in eviction order (oldest first)."""
        return {"version": 1, "entries": [[k, v] for k, v in self._entries.items()]}

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, max_entries: int = 4096, use_heuristics: bool = True
    ) -> ImportanceCache:
        """Rebuild a cache from :meth:`to_dict` output.

        Raises:
            ValueError: malformed entries (the message names the index).
        """
        cache = cls(max_entries=max_entries, use_heuristics=use_heuristics)
        for i, item in enumerate(data.get("entries", ())):
            if not isinstance(item, list | tuple) or len(item) != 2:
                raise ValueError(f"importance cache: entries[{i}] must be a [key, score] pair")
            key, score = item
            value = int(score)
            if not isinstance(key, str) or not 1 <= value <= 10:
                raise ValueError(f"importance cache: entries[{i}] is invalid: {item!r}")
            cache._entries[key] = value
        while len(cache._entries) > cache.max_entries:
            cache._entries.popitem(last=False)
        return cache
