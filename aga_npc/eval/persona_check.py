"""The persona check: an activity is out of character when it is the work of a place the
persona has nothing to do with (a bartender revising for a chemistry exam)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from aga_npc.offline.facts import place_type
from aga_npc.offline.wandering import ROLE_WORDS
from aga_npc.personas.model import Persona

__all__ = ["out_of_character", "persona_violations"]

_WORDS = re.compile(r"[a-z']+")


def _persona_words(persona: Persona) -> set[str]:
    text = " ".join(
        (persona.role, persona.backstory, persona.currently, persona.lifestyle, *persona.traits)
    )
    return set(_WORDS.findall(text.lower()))


def out_of_character(activity: str, persona: Persona) -> str:
    """Why ``activity`` does not fit ``persona`` ("" when it fits).

    Work words of a workplace type (``ROLE_WORDS``: a college's exams, a bar's cocktails, a
    cafe's counter) fit a persona who works at such a place or whose role, backstory,
    current situation or lifestyle uses one of those words; anyone else doing that work is
    out of character.
    """
    words = set(_WORDS.findall(activity.lower()))
    own = _persona_words(persona)
    mine = place_type(persona.workplace) if persona.workplace else ""
    for kind, vocab in ROLE_WORDS.items():
        hit = words & vocab
        if hit and kind != mine and not (own & vocab):
            return f"{', '.join(sorted(hit))}: {kind} work, not {persona.role or 'theirs'}"
    return ""


def persona_violations(
    activities: Iterable[tuple[str, str]], personas: Sequence[Persona]
) -> list[dict[str, str]]:
    """``[{"agent", "activity", "why"}]`` for every (agent, activity) out of character."""
    by_name = {p.name: p for p in personas}
    found = []
    for name, text in activities:
        persona = by_name.get(name)
        if persona is None:
            continue
        why = out_of_character(text, persona)
        if why:
            found.append({"agent": name, "activity": text, "why": why})
    return found
