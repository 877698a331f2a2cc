"""The offline stand-in's reaction to a memory that came to mind: an activity composed from
what the memory names and who is planning.

Mind wandering puts a few rare memories in the daily plan prompt; a model reacts to them
in an open-ended way, in the persona's character. The stand-in answers for the model, so
it composes a reaction instead of picking from a fixed list:

- the cues of the memory: the things it names (``THINGS``: the stove, the place cards, the
  fountain), the people it names and the relation it states ("Amara Osei's cafe owner is
  Marta Ellison");
- the persona's mindset (:class:`Mindset`): its ways of going about things (``STYLES``,
  from its traits, role and story: curious, a storyteller, organised, a host, a maker), its
  subject ("chemistry"), a job it once had ("fisherman") and what occupies it now ("the
  chemistry exam");
- frames (:mod:`aga_npc.offline.reaction_frames`) that join the two: a verb phrase of a
  style about a kind of thing, a person or the kind of place the memory names, with the
  thing, the person, the subject, the former job or the concern in its slots, at a place
  that suits it.

A frame needing a slot the persona has not (a subject, a former job) is not used, nor one
the persona's style does not take ("read up on the science of baking" is a curious
person's reaction). Dull things (the toilet, one's teeth) give no reaction, as a model
would not build a day on them. What is composed must not be someone else's work
(:func:`aga_npc.offline.role_work.role_work` and the workplace words of ``ROLE_WORDS``):
the caller checks every reaction before it joins the day.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from aga_npc.offline.facts import Town, place_type
from aga_npc.offline.phrasing import pick
from aga_npc.offline.reaction_frames import (
    DULL,
    PAIRS,
    PERSON_FRAMES,
    PLACE_FRAMES,
    STYLES,
    THING_FRAMES,
    THINGS,
    Frame,
)

__all__ = [
    "PERSON_FRAMES",
    "PLACE_FRAMES",
    "STYLES",
    "THINGS",
    "THING_FRAMES",
    "Frame",
    "Mindset",
    "Reaction",
    "cues",
    "mindset",
    "reactions",
]

_WORDS = re.compile(r"[a-z']+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Mindset:
    """What a persona brings to a memory: its styles, the slots its frames may use and
    its job (a ``RoleSpec.key``: its own work is not someone else's)."""

    styles: frozenset[str]
    slots: Mapping[str, str]
    role: str = ""


_PAST = re.compile(r"\b(?:was|worked as|used to be) an? ([a-z]+)(?= before|[,.;]| for| in)")
_CONCERN = re.compile(
    r"\b(?:is|are) (?:busy |currently )?(?:preparing for|planning|thinking of|thinking about|"
    r"working on|organising|organizing|training for|saving for|hoping to|learning) "
    r"([^.;]+?)(?: and |[.;]|$)"
)


def mindset(
    persona: Mapping[str, object],
    words: frozenset[str],
    *,
    topic: str = "",
    role: str = "",
    poss: str = "their",
) -> Mindset:
    """The mindset of a persona mapping (prompt fields); ``words`` its lower-case words
    (``PersonaFacts.words``), ``topic`` its subject ("" for none), ``role`` its job,
    ``poss`` its possessive pronoun."""
    backstory = str(persona.get("backstory") or "")
    currently = str(persona.get("currently") or "")
    own = words | set(_WORDS.findall(backstory.lower()))
    styles = frozenset(k for k, vocab in STYLES.items() if own & vocab)
    slots: dict[str, str] = {"poss": poss}
    if topic:
        slots["topic"] = topic
    past = _PAST.search(backstory)
    if past:
        slots["past"] = past.group(1)
    concern = _CONCERN.search(currently)
    if concern:
        text = concern.group(1).strip()
        slots["concern"] = re.sub(r"^an? ", "the ", text)
    return Mindset(styles=styles, slots=slots, role=role)


_RELATION = re.compile(r"^[A-Z][\w' -]*?'s ([a-z][a-z ]+?) is ([A-Z][a-z]+)")
_ANYONE = ("a neighbour", "an old friend")
_FIXED = frozenset({"place"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Reaction:
    """One composed reaction: its frame, the template slots and the place."""

    frame: Frame
    slots: Mapping[str, str]
    place: str
    key: str


def cues(text: str, people: Sequence[str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """``([(kind, noun)], {person: place type})`` of a memory: the things it names and
    the people (with the place type its stated relation names: "Amara Osei's cafe owner
    is Marta Ellison" -> Marta: cafe); nothing when it names a dull thing."""
    lowered = text.lower()
    words = _WORDS.findall(lowered)
    if DULL & set(words):
        return [], {}
    things: list[tuple[str, str]] = []
    for pair, kind in PAIRS.items():
        if pair in lowered:
            things.append((kind, pair))
    for word in words:
        noun = word if any(word in n for n in THINGS.values()) else word.removesuffix("s")
        for kind, nouns in THINGS.items():
            if noun in nouns and all(noun not in p for _, p in things):
                things.append((kind, noun))
    people_at = {p: "" for p in people}
    match = _RELATION.match(text.strip())
    if match and match.group(2) in people_at:
        kind = place_type(match.group(1))
        people_at[match.group(2)] = kind if kind not in ("other", "home") else ""
    return things, people_at


def _usable(frame: Frame, mind: Mindset, slots: Mapping[str, str], town: Town) -> bool:
    if frame.style and frame.style not in mind.styles:
        return False
    if frame.where != "home" and not town.has(frame.where):
        return False
    return set(re.findall(r"\{(\w+)\}", frame.text)) - _FIXED <= set(slots)


def reactions(
    text: str, people: Sequence[str], mind: Mindset, town: Town, rng: random.Random
) -> list[Reaction]:
    """Every reaction the frames compose for one memory (``people``: the persons it names,
    first names), each with its place; empty when the memory gives nothing to react to."""
    if DULL & set(_WORDS.findall(text.lower())):
        return []
    things, people_at = cues(text, people)
    out: list[Reaction] = []
    for kind, noun in things:
        who = people[0] if people else pick(rng, _ANYONE)
        slots = {**mind.slots, "thing": f"the {noun}", "who": who}
        for frame in THING_FRAMES[kind]:
            if _usable(frame, mind, slots, town):
                out.append(_reaction(frame, slots, town, rng, f"{kind}:{frame.text}"))
    named = town.named_in(text)
    if named is not None and named not in (town.home, town.work):
        kind = place_type(named)
        for frame in PLACE_FRAMES.get(kind, ()):
            if _usable(frame, mind, mind.slots, town):
                out.append(
                    Reaction(
                        frame=frame,
                        slots={**mind.slots, "place": named},
                        place=named,
                        key=f"place:{frame.text}",
                    )
                )
    for who, at in people_at.items():
        slots = {**mind.slots, "who": who}
        for frame in PERSON_FRAMES:
            if frame.where == "{rel}":
                if not at:
                    continue
                frame = Frame(frame.style, at, frame.text)
            if _usable(frame, mind, slots, town):
                out.append(_reaction(frame, slots, town, rng, f"person:{who}:{frame.text}"))
    return out


def _reaction(
    frame: Frame, slots: Mapping[str, str], town: Town, rng: random.Random, key: str
) -> Reaction:
    place = town.home if frame.where == "home" else pick(rng, town.by_type[frame.where])
    return Reaction(frame=frame, slots={**slots, "place": place}, place=place, key=key)
