"""What retrieved memories say about another person, as a model reads them in Generative
Agents' dialogue prompts: the relationship ("Arturo Delgado's wife is Rosa Delgado"),
whether they have met at all, and which memories are worth bringing up in a conversation
(news, plans and things said; not what someone was doing a minute ago, a schedule, or
the relationship fact itself)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aga_npc.offline.facts import first_name

__all__ = ["Acquaintance", "is_news", "read_memories", "sightings"]

_KIN_OF = re.compile(r"^(.+?)'s ([a-z][a-z -]*?) is (.+?)\.?$")
# What someone was seen doing somewhere ("Rosa Delgado is sitting down to eat at the table
# in the kitchen at Fenwick House"), as opposed to news ("Klaus is restoring a sailboat").
_DOING = re.compile(
    r"^[A-Z][\w'-]*(?: [A-Z][\w'-]*)* (?:is|was) (?:\w+ing|asleep)\b.* "
    r"(?:at|in) (?:the )?[A-Z][\w']*(?: [A-Z][\w']*)*\.?$"
)
_SCHEDULE = re.compile(r"\bplan for (?:day|today|tomorrow)\b|^\S+(?: \S+)?: [a-z]")
_TALKED = re.compile(
    r"\btalked with\b|\bchatted (?:briefly )?with\b|^nothing new to plan\b|^[\w' ]+ told [\w' ]+: ",
    re.I,
)
_OBJECT_STATE = re.compile(r"^(?:the )?[a-z][\w ]* (?:is|are) ")  # "sink is running water"
_SEEN = re.compile(
    r"^([A-Z][\w'-]*(?: [A-Z][\w'-]*)*) (?:is|was) .* "
    r"(?:at|in) (?:the )?([A-Z][\w']*(?: [A-Z][\w']*)*)\.?$"
)
# The listener's role from the speaker's side when a fact names it the other way round
# ("Rosa Delgado's husband is Arturo Delgado", read by Arturo: Rosa is his wife).
_INVERSE = {
    "husband": "wife",
    "wife": "husband",
    "boss": "employee",
    "employee": "boss",
    "mother": "family",
    "father": "family",
    "daughter": "family",
    "son": "family",
    "sister": "family",
    "brother": "family",
    "professor": "student",
    "student": "professor",
}
_CLOSENESS = (
    (("wife", "husband", "partner"), 9.0),
    (("mother", "father", "daughter", "son", "sister", "brother", "family"), 8.0),
    (("friend", "roommate", "flatmate"), 6.0),
    (("neighbour", "neighbor", "classmate", "coworker", "colleague", "boss", "employee"), 5.0),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Acquaintance:
    """What the speaker's memories say about the listener.

    Attributes:
        relationship: the listener's role for the speaker ("wife", "roommate"),
            "acquaintance" when they have met, "unknown" when nothing says so.
        closeness: 0 (strangers) to 10.
        facts: memories worth bringing up, most relevant first.
    """

    relationship: str
    closeness: float
    facts: tuple[str, ...]

    def as_social(self) -> dict[str, object]:
        """The same as a Social Memory row (what the AGA prompt carries)."""
        return {
            "relationship": self.relationship,
            "closeness": self.closeness,
            "summary_events": list(self.facts),
        }


def _same(a: str, b: str) -> bool:
    """Whether two names name the same person (a full name, or a first name alone)."""
    a, b = a.strip().lower(), b.strip().lower()
    if not a or not b:
        return False
    return a == b or ((" " not in a or " " not in b) and a.split()[0] == b.split()[0])


def is_news(text: str) -> bool:
    """Whether a memory is something one would bring up or reflect on: not a sighting,
    a schedule, a relationship fact, a note that a talk happened or a line repeated."""
    text = text.strip()
    return bool(text) and not (
        _KIN_OF.match(text)
        or _DOING.match(text)
        or _SCHEDULE.search(text)
        or _TALKED.search(text)
        or _OBJECT_STATE.match(text)
    )


def sightings(memories: Sequence[str]) -> tuple[list[str], list[str]]:
    """The people and the places in memories of what someone was seen doing, most often
    seen first ("Amara Osei is studying at the table in the library at Alder College")."""
    people: dict[str, int] = {}
    places: dict[str, int] = {}
    for memory in memories:
        seen = _SEEN.match(memory.strip())
        if seen is None or not _DOING.match(memory.strip()):
            continue
        people[seen.group(1)] = people.get(seen.group(1), 0) + 1
        places[seen.group(2)] = places.get(seen.group(2), 0) + 1
    order = sorted(people, key=lambda k: -people[k]), sorted(places, key=lambda k: -places[k])
    return order[0], order[1]


def read_memories(speaker: str, listener: str, memories: Sequence[str]) -> Acquaintance:
    """Read the relationship, the acquaintance and the facts worth saying off memories."""
    relationship = ""
    met = False
    facts: list[str] = []
    short = first_name(listener).lower()
    for memory in memories:
        text = memory.strip()
        if not text:
            continue
        mentions = short in text.lower()
        met = met or mentions
        kin = _KIN_OF.match(text)
        if kin is not None:
            owner, role, other = kin.groups()
            if not relationship and _same(owner, speaker) and _same(other, listener):
                relationship = role.split(" and ")[0].strip()
            elif not relationship and _same(owner, listener) and _same(other, speaker):
                relationship = _INVERSE.get(role.split(" and ")[0].strip(), "acquaintance")
            continue
        if not is_news(text):
            continue
        if text not in facts:
            facts.append(text)
    relationship = relationship or ("acquaintance" if met else "unknown")
    closeness = next(
        (score for words, score in _CLOSENESS if any(w in relationship for w in words)),
        3.0 if met else 0.0,
    )
    return Acquaintance(relationship=relationship, closeness=closeness, facts=tuple(facts[:5]))
