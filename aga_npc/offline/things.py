"""The town's things for the offline planner: which object kinds the map has (with their
verbs and places), read from a planning request's ``things`` list.

A request without the list is a town of every household kind (the demo town): nothing is
filtered and no option is added, so those plans stay as they were. With the list, plans
never name a household object the map lacks ("watch TV" on a farm with no TV), and the
game's own kinds become activities: work at a workplace holding them, and pastimes for a
persona whose own words name them ("fishes by the pond" -> fish at the fishing spot).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from aga_npc.offline.leisure import LeisureOption, option
from aga_npc.offline.paraphrase import Say
from aga_npc.world.kinds import KIND_AFFORDANCES

__all__ = ["Thing", "Things", "read_things", "verb_forms"]

_WORDS = re.compile(r"[a-z]+")
# Words of a plan text that name a household object (only checked for kinds the map lacks).
_KIND_WORDS: Mapping[str, frozenset[str]] = {
    "tv": frozenset({"tv", "television", "telly"}),
    "sofa": frozenset({"sofa", "couch"}),
    "piano": frozenset({"piano"}),
    "easel": frozenset({"easel", "canvas", "watercolour", "watercolor"}),
    "shelf": frozenset({"shelf", "shelves", "restock", "stock"}),
    "bookshelf": frozenset({"bookshelf", "bookshelves", "library"}),
    "desk": frozenset({"desk", "homework"}),
    "blackboard": frozenset({"blackboard", "lecture", "lectures"}),
    "bench": frozenset({"bench"}),
    "fountain": frozenset({"fountain"}),
    "counter": frozenset({"counter", "till"}),
    "bar": frozenset({"bar", "pint", "pints", "cocktails", "taps"}),
    "garden": frozenset({"garden", "gardening", "weed", "weeding", "hedges", "flower"}),
    "stove": frozenset({"stove"}),
    "fridge": frozenset({"fridge"}),
    "shower": frozenset({"shower"}),
    "sink": frozenset({"sink"}),
    "toilet": frozenset({"toilet"}),
}
# Household pastimes that need an object of one of these kinds.
_OPTION_NEEDS: Mapping[str, tuple[str, ...]] = {
    "tv": ("tv",),
    "library": ("bookshelf",),
    "drinks": ("bar", "table"),
    "coffee": ("counter", "table"),
}
_SKIP_VERBS = frozenset({"sit", "rest", "chat", "wash", "use toilet"})


def verb_forms(verb: str) -> frozenset[str]:
    """A verb's head word with its -s, -es, -ed and -ing forms (fish -> fishes, fishing)."""
    head = verb.split()[0] if verb.split() else verb
    forms = {head, head + "s", head + "es", head + "ed", head + "ing"}
    if head.endswith("e"):
        forms |= {head[:-1] + "ing", head + "d"}
    if len(head) > 2 and head[-1] not in "aeiouwy" and head[-2] in "aeiou":
        forms |= {head + head[-1] + "ing", head + head[-1] + "ed"}
    return frozenset(forms)


@dataclass(frozen=True, slots=True, kw_only=True)
class Thing:
    """One object kind of the town: its verbs and the places holding one."""

    kind: str
    verbs: tuple[str, ...]
    places: tuple[str, ...]
    minutes: int = 0  # one use's usual length (0: not given)

    @property
    def household(self) -> bool:
        return self.kind in KIND_AFFORDANCES


@dataclass(frozen=True, slots=True, kw_only=True)
class Things:
    """The town's things; ``listed`` False: the request gave none (every household kind)."""

    items: tuple[Thing, ...] = ()
    listed: bool = False

    def has(self, kind: str) -> bool:
        return not self.listed or any(t.kind == kind for t in self.items)

    def missing(self, text: str) -> bool:
        """Whether ``text`` names a household object the town does not have."""
        if not self.listed:
            return False
        words = set(_WORDS.findall(text.lower()))
        return any(words & names for kind, names in _KIND_WORDS.items() if not self.has(kind))

    def allows(self, opt: LeisureOption) -> bool:
        """Whether a household pastime's objects exist (TV, library shelves ...)."""
        needs = _OPTION_NEEDS.get(opt.key)
        return needs is None or any(self.has(k) for k in needs)

    def own(self) -> tuple[Thing, ...]:
        """The game's own kinds (not household ones), in the request's order."""
        return tuple(t for t in self.items if not t.household)

    def at(self, place: str) -> tuple[Thing, ...]:
        return tuple(t for t in self.items if place in t.places)

    def place_for(self, text: str, *, avoid: str = "") -> str | None:
        """The place of a thing (the game's own kinds first) whose verb ``text`` names,
        other than ``avoid`` when another has it; None when no verb is named."""
        words = set(_WORDS.findall(text.lower()))
        ranked = sorted(self.items, key=lambda t: t.household)
        for thing in ranked:
            named = [v for v in thing.verbs if v not in _SKIP_VERBS and verb_forms(v) & words]
            if named and thing.places:
                others = [p for p in thing.places if p != avoid]
                return (others or list(thing.places))[0]
        return None

    def work_say(self, work: str) -> Say | None:
        """Work at ``work`` worded from the game's own kinds there (None: it has none)."""
        here = [t for t in self.own() if work in t.places]
        cores = tuple(
            core
            for t in here
            for v in t.verbs
            if v not in _SKIP_VERBS
            for core in (f"~{v} at the {t.kind}", f"~{v} at {{work}}")
        )
        if not cores:
            return None
        return Say(key=f"work:things:{work}", cores=cores, broad=(), subject_p=0.3)

    def pastimes(self, words: frozenset[str], work: str) -> tuple[LeisureOption, ...]:
        """Pastimes at the game's own kinds whose verbs or names the persona's ``words``
        use (gated on them: a persona never told to fish is not sent fishing)."""
        out = []
        for thing in self.own():
            places = tuple(p for p in thing.places if p != work) or thing.places
            verbs = [v for v in thing.verbs if v not in _SKIP_VERBS]
            affinity = {w for v in verbs for w in verb_forms(v)} | set(thing.kind.split())
            if not verbs or not places or not (affinity & words):
                continue
            cores = tuple(
                core for v in verbs for core in (f"~{v} at {{place}}", f"~{v} by the {thing.kind}")
            )
            opt = option(
                f"thing:{thing.kind}",
                "",
                "morning afternoon evening",
                cores,
                weight=1.5,
                affinity=" ".join(sorted(affinity)),
                gated=True,
                longest=max(45, 2 * thing.minutes),
            )
            out.append(replace(opt, places=places))
        return tuple(out)


def read_things(value: Any) -> Things:
    """The request's ``things`` (``[{"kind", "verbs", "places"}]``); absent: not listed."""
    if not isinstance(value, Sequence) or isinstance(value, str) or not value:
        return Things()
    items = []
    for raw in value:
        if not isinstance(raw, Mapping) or not str(raw.get("kind") or "").strip():
            continue
        verbs = raw.get("verbs") or ()
        places = raw.get("places") or ()
        minutes = raw.get("minutes")
        items.append(
            Thing(
                kind=str(raw["kind"]).strip().lower(),
                verbs=tuple(str(v).lower() for v in verbs if str(v).strip()),
                places=tuple(str(p) for p in places if str(p).strip()),
                minutes=minutes if isinstance(minutes, int) and minutes > 0 else 0,
            )
        )
    return Things(items=tuple(items), listed=True)
