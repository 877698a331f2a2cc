"""Small word tools of the offline stand-in: -ing forms, and which object kinds and verbs a
subtask phrase means (read off the decomposition recipes)."""

from __future__ import annotations

import re
from functools import lru_cache

from aga_npc.offline.recipes import RECIPES

__all__ = ["gerund", "gerund_phrase", "step_hint"]

_PREFIXES = ("still ", "finishing up ")
_SUFFIXES = (" (continued)", ", carefully", ", taking a short pause")

_IRREGULAR = {"lie": "lying", "die": "dying", "tie": "tying", "be": "being", "see": "seeing"}
_DOUBLE = frozenset(["b", "d", "g", "m", "n", "p", "t"])


def gerund(verb: str) -> str:
    """The -ing form of an English verb ("make" -> "making", "sit" -> "sitting")."""
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v]
    if v.endswith("ing") and len(v) > 5:
        return v
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")) and len(v) > 2:
        return v[:-1] + "ing"
    if (
        len(v) >= 3
        and v[-1] in _DOUBLE
        and v[-2] in "aeiou"
        and v[-3] not in "aeiou"
        and len(v) <= 4
    ):
        return v + v[-1] + "ing"
    return v + "ing"


def gerund_phrase(text: str) -> str:
    """The phrase with its first word as an -ing form ("fry the eggs" -> "frying the eggs")."""
    words = text.strip().rstrip(".").split()
    if not words:
        return text
    first = words[0].lower()
    if first.endswith("ing") and len(first) > 4:
        return " ".join([first, *words[1:]])
    return " ".join([gerund(first), *words[1:]])


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[re.Pattern[str], tuple[str, ...], tuple[str, ...]], ...]:
    out = []
    for recipe in RECIPES:
        for step in recipe.steps:
            for text in step.texts:
                phrase = gerund_phrase(text.lower())
                pattern = re.escape(phrase).replace(r"\{food\}", ".+").replace(r"\{meal\}", ".+")
                out.append((re.compile(f"^{pattern}$"), step.kinds, step.verbs))
    return tuple(out)


def step_hint(subtask: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The object kinds and verbs of the recipe step this subtask phrase came from."""
    phrase = subtask.lower().strip().rstrip(".")
    for prefix in _PREFIXES:
        if phrase.startswith(prefix):
            phrase = phrase[len(prefix) :]
    for suffix in _SUFFIXES:
        if phrase.endswith(suffix):
            phrase = phrase[: -len(suffix)]
    candidates = [phrase]
    for marker in (" in the ", " at the "):
        cut = phrase.rfind(marker)
        if cut > 0:
            candidates.append(phrase[:cut])
            candidates.append(candidates[-1].rsplit(" at the ", 1)[0])
    for candidate in candidates:
        for pattern, kinds, verbs in _index():
            if pattern.match(candidate):
                return kinds, verbs
    return None
