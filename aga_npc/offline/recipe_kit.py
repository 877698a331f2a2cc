"""The decomposition lexicon's building blocks: a recipe (what an activity means in steps on
object kinds and verbs), its steps, and compact constructors for writing them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Recipe", "StepSpec", "recipe", "step", "word_forms"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StepSpec:
    """One step of a recipe.

    Attributes:
        kinds: object kinds that can serve, in order of preference (empty: no object).
        verbs: verbs to use, in order of preference (the first the object affords wins).
        weight: (low, high) relative minutes, drawn per call.
        texts: descriptions; ``{meal}`` and ``{food}`` are filled in.
        optional: probability that the step is included.
        group: steps sharing a non-zero group may come in any order.
        fallback: only used when no earlier step of the recipe found an object.
        fixed: the drawn minutes are kept as they are instead of scaled to the duration.
        spot: for a step on no object, the kinds of object it is done at when a subtask
            must name one (Generative Agents' chain puts every subtask on an object):
            getting dressed by the bed, a stroll past a bench. Empty: the step is left
            out of such a decomposition (making tea is no part of the reading it goes with).
        when: words (with their inflections) of which the plan must name one for the step
            to be included; empty: always. Passing plates belongs to cooking for service,
            not to getting the day's soup started.
    """

    kinds: tuple[str, ...]
    verbs: tuple[str, ...]
    weight: tuple[int, int]
    texts: tuple[str, ...]
    optional: float = 1.0
    group: int = 0
    fallback: bool = False
    fixed: bool = False
    spot: tuple[str, ...] = ()
    when: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipe:
    """An activity meaning: trigger words and phrases, an optional role, its steps, the
    rooms (parts of arena names) where it usually happens, and whether it makes sense with
    no object at all (a walk)."""

    key: str
    words: frozenset[str]
    phrases: tuple[str, ...]
    steps: tuple[StepSpec, ...]
    role: str = ""
    arenas: tuple[str, ...] = ()
    objectless: bool = False


def word_forms(word: str) -> set[str]:
    """Common inflections of a trigger word (cook -> cooks, cooking, cooked)."""
    forms = {word, word + "s", word + "es", word + "ing", word + "ed"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word + "d"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) <= 4 and word[-1] in "pgnt" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ing", word + word[-1] + "ed"}
    return forms


def step(
    kinds: str,
    verbs: str,
    lo: int,
    hi: int,
    texts: str,
    *,
    optional: float = 1.0,
    group: int = 0,
    fallback: bool = False,
    fixed: bool = False,
    spot: str = "",
    when: str = "",
) -> StepSpec:
    """A step from compact text: kinds, verbs and spot comma-separated, texts "|"-separated,
    ``when`` words space-separated (their inflections are matched too)."""
    needs: set[str] = set()
    for w in when.split():
        needs |= word_forms(w)
    return StepSpec(
        kinds=tuple(k for k in kinds.split(",") if k),
        verbs=tuple(v for v in verbs.split(",") if v),
        weight=(lo, hi),
        texts=tuple(texts.split("|")),
        optional=optional,
        group=group,
        fallback=fallback,
        fixed=fixed,
        spot=tuple(k for k in spot.split(",") if k),
        when=frozenset(needs),
    )


def recipe(
    key: str,
    words: str,
    phrases: str,
    *steps: StepSpec,
    role: str = "",
    arenas: str = "",
    objectless: bool = False,
) -> Recipe:
    """A recipe from compact text: trigger words space-separated (their inflections are
    matched too), phrases and arenas comma-separated."""
    triggers: set[str] = set()
    for w in words.split():
        triggers |= word_forms(w)
    return Recipe(
        key=key,
        words=frozenset(triggers),
        phrases=tuple(p.strip() for p in phrases.split(",") if p.strip()),
        steps=steps,
        role=role,
        arenas=tuple(a for a in arenas.split(",") if a),
        objectless=objectless,
    )
