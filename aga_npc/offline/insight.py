"""The offline ``importance`` and ``reflect`` answers, derived from keywords and memories."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.facts import first_name, persona_facts, place_type
from aga_npc.offline.phrasing import pick, render_json, wordset

__all__ = ["answer_importance", "answer_reflect", "importance_of"]

_WORDS = re.compile(r"[a-z']+")
# (score range, trigger words); the highest band with a hit wins.
_BANDS: tuple[tuple[tuple[int, int], frozenset[str]], ...] = (
    (
        (7, 9),
        wordset(
            "married wedding engaged engagement divorce funeral died death dies pregnant born "
            "baby accepted fired hired promotion promoted accident fire proposal proposed "
            "breakup heartbroken elected won graduation graduated moved"
        ),
    ),
    (
        (4, 6),
        wordset(
            "talk talked talking chat chatted conversation met meet meeting friend friends "
            "invite invited invitation party election vote argument argued date visit visited "
            "plan planning planned help helped celebrate celebration exam gift news debate"
        ),
    ),
    (
        (2, 3),
        wordset(
            "work working study studying class serve serving shop shopping cook cooking "
            "clean cleaning"
        ),
    ),
    (
        (1, 2),
        wordset(
            "sleep sleeping wake waking brush brushing teeth shower showering breakfast lunch "
            "dinner eat eating walk "
            "walking idle sitting read reading bed coffee wash washing toilet resting"
        ),
    ),
)
_STOP = wordset(
    "the and that this with from have has had was were for are but not you your they them "
    "their his her she him into about there then than what when where which while will would "
    "been being some just very also said says is at on in of to a an it its i my me we our"
)
_VERBISH = ("ed", "ing", "ly", "s'")
_NAME = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")
_NOT_NAMES = wordset(
    "I The A An It He She They We You This That There Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October "
    "November December Today Tomorrow Yesterday"
)


def importance_of(event: str, rng: random.Random) -> int:
    """Poignancy 1-10: routine 1-3, social 4-6, big life events 7-9; unknown 2-4."""
    words = set(_WORDS.findall(event.lower()))
    for (lo, hi), triggers in _BANDS:
        if words & triggers:
            return rng.randint(lo, hi)
    return rng.randint(2, 4)


def answer_importance(context: Mapping[str, Any], rng: random.Random) -> str:
    """The completion text ``{"importance": n}``."""
    value = importance_of(str(context.get("event") or ""), rng)
    return render_json(rng, {"importance": value}, compact=0.7, fence=0.05)


def answer_reflect(context: Mapping[str, Any], rng: random.Random) -> str:
    """The completion text ``{"insights": [...]}`` with 1-3 insights from the memories."""
    raw = context.get("persona")
    persona = persona_facts(raw if isinstance(raw, Mapping) else {})
    memories = context.get("memories")
    texts = [str(m) for m in memories] if isinstance(memories, Sequence) else []
    return render_json(rng, {"insights": insights(persona.name, texts, rng)}, fence=0.1)


def insights(name: str, memories: Sequence[str], rng: random.Random) -> list[str]:
    """Insights naming the people, places and themes that recur in the memories."""
    me = first_name(name)
    own = set(name.split())
    people: Counter[str] = Counter()
    places: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    for text in memories:
        for match in _NAME.findall(text):
            words = match.split()
            if words[0] in _NOT_NAMES or set(words) & own:
                continue
            if place_type(match) != "other":
                places[match] += 1
            else:
                people[words[0]] += 1
        seen: set[str] = set()
        for word in _WORDS.findall(text.lower()):
            if word in seen or len(word) < 5 or word in _STOP or word.endswith(_VERBISH):
                continue
            seen.add(word)
            themes[word] += 1
    for word in list(themes):
        if themes[word] < 2 or word.capitalize() in people or word.capitalize() in own:
            del themes[word]
    out: list[str] = []
    if people:
        person = people.most_common(1)[0][0]
        out.append(
            pick(
                rng,
                (
                    f"{me} enjoys spending time with {person}",
                    f"{person} has become an important part of {me}'s days",
                    f"{me} and {person} keep running into each other and get along well",
                ),
            )
        )
    if themes:
        theme = pick(rng, [t for t, _ in themes.most_common(3)])
        out.append(
            pick(
                rng,
                (
                    f"{me} has been thinking a lot about {theme}",
                    f"{theme.capitalize()} keeps coming up in {me}'s life lately",
                    f"{me} cares about {theme} more than they admit",
                ),
            )
        )
    if places:
        place = places.most_common(1)[0][0]
        out.append(
            pick(
                rng,
                (
                    f"{me} spends much of the time at {place}",
                    f"{place} is one of {me}'s favourite places",
                ),
            )
        )
    if not out:
        return [f"{me} has had a quiet, ordinary few days"]
    head, rest = out[:1], out[1:]
    rng.shuffle(rest)
    return head + rest[: rng.randint(0, len(rest))]
