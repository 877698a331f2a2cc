"""Occupations the offline stand-in knows: working hours and role-specific work wording."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aga_npc.offline.facts import PersonaFacts, place_type

__all__ = ["ROLES", "RoleSpec", "role_for"]

_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleSpec:
    """How one occupation spends its working hours.

    Attributes:
        key: short role name.
        keywords: role words that select it.
        start, end: usual working hours (minutes since midnight).
        texts: work activity wordings; ``{work}`` is the workplace.
        food_at_work: the workplace serves food (lunch/dinner breaks eat there).
    """

    key: str
    keywords: frozenset[str]
    start: int
    end: int
    texts: tuple[str, ...]
    food_at_work: bool = False


def _role(
    key: str, words: str, start: str, end: str, texts: tuple[str, ...], food: bool = False
) -> RoleSpec:
    h1, m1 = start.split(":")
    h2, m2 = end.split(":")
    return RoleSpec(
        key=key,
        keywords=frozenset(words.split()),
        start=int(h1) * 60 + int(m1),
        end=int(h2) * 60 + int(m2),
        texts=texts,
        food_at_work=food,
    )


ROLES: tuple[RoleSpec, ...] = (
    _role(
        "barista",
        "barista baristas waiter waitress server",
        "07:00",
        "15:00",
        (
            "serve coffee at the counter",
            "make coffee and serve customers at {work}",
            "take orders and prepare drinks at the counter",
            "work the shift at {work}, serving coffee",
            "brew espresso and serve the regulars",
            "serve customers and wipe down the tables",
            "prepare drinks for the morning rush",
        ),
        food=True,
    ),
    _role(
        "cook",
        "cook chef baker",
        "09:00",
        "17:00",
        (
            "cook in the kitchen at {work}",
            "prepare meals for the customers",
            "prep vegetables and cook the lunch service",
            "bake bread and pastries in the kitchen",
            "cook orders at the stove",
        ),
        food=True,
    ),
    _role(
        "bartender",
        "bartender barkeeper barman barmaid publican innkeeper",
        "16:00",
        "23:30",
        (
            "tend the bar at {work}",
            "serve drinks at the bar",
            "pour drinks and chat with the regulars",
            "work the evening shift behind the bar",
            "mix drinks and serve customers at {work}",
        ),
        food=True,
    ),
    _role(
        "student",
        "student pupil undergraduate",
        "09:00",
        "16:00",
        (
            "attend class at {work}",
            "go to lectures at {work}",
            "study in the library",
            "work on assignments in the library",
            "take notes in class",
            "attend a seminar at {work}",
            "study for the next exam in the library",
        ),
    ),
    _role(
        "professor",
        "professor teacher lecturer tutor instructor",
        "09:00",
        "17:00",
        (
            "teach a class at {work}",
            "give a lecture in the classroom",
            "grade papers in the office",
            "prepare the next lecture",
            "hold office hours",
            "teach the afternoon seminar",
        ),
    ),
    _role(
        "gardener",
        "gardener groundskeeper landscaper",
        "08:00",
        "16:00",
        (
            "tend the flower beds in {work}",
            "water the plants in {work}",
            "weed the garden beds",
            "prune the hedges and bushes",
            "plant new flowers in {work}",
            "look after the gardens in {work}",
        ),
    ),
    _role(
        "painter",
        "painter artist illustrator sculptor",
        "09:30",
        "16:30",
        (
            "paint in the studio",
            "work on a new painting",
            "sketch ideas for the next canvas",
            "finish the landscape painting",
            "mix colours and paint at the easel",
        ),
    ),
    _role(
        "mayor",
        "mayor councillor councilor official politician",
        "08:30",
        "17:00",
        (
            "work in the office at {work}",
            "meet with residents at {work}",
            "review the town budget",
            "answer letters from residents",
            "chair a council meeting at {work}",
            "go over town plans at the desk",
        ),
    ),
    _role(
        "shopkeeper",
        "shopkeeper grocer cashier clerk merchant pharmacist storekeeper",
        "08:00",
        "17:00",
        (
            "run the counter at {work}",
            "stock the shelves",
            "serve customers at the counter",
            "check deliveries in the storeroom",
            "restock the shelves and tidy the store",
        ),
    ),
    _role(
        "librarian",
        "librarian archivist",
        "09:00",
        "17:00",
        (
            "shelve books in the library",
            "help visitors find books",
            "catalogue new books",
            "work at the library desk",
        ),
    ),
    _role(
        "writer",
        "writer author novelist poet journalist",
        "09:00",
        "15:00",
        (
            "write at the desk",
            "work on the novel",
            "edit the latest chapter",
            "write an article",
        ),
    ),
    _role(
        "musician",
        "musician pianist singer composer",
        "10:00",
        "16:00",
        (
            "practise the piano",
            "compose a new piece",
            "rehearse for the next performance",
            "work on a new song at the piano",
        ),
    ),
)
GENERIC = _role(
    "worker",
    "",
    "09:00",
    "17:00",
    (
        "work at {work}",
        "get work done at {work}",
        "handle the day's tasks at {work}",
        "work on projects at {work}",
        "work at the desk at {work}",
    ),
)
_BY_KEY = {r.key: r for r in ROLES}
_BY_PLACE = {
    "cafe": "barista",
    "bar": "bartender",
    "park": "gardener",
    "hall": "mayor",
    "shop": "shopkeeper",
}

_PLACE_OF = {role: place for place, role in _BY_PLACE.items()}


def role_for(persona: PersonaFacts) -> RoleSpec:
    """The occupation from the role field, else the workplace's type, else the lifestyle."""
    role = _match(persona.role)
    kind = place_type(persona.workplace) if persona.workplace else ""
    if role is not None:
        usual = _PLACE_OF.get(role.key)
        if usual and kind in _BY_PLACE and kind != usual:
            # "town clerk" is not a shop clerk: the workplace decides what the work is
            return _BY_KEY[_BY_PLACE[kind]]
        return role
    if kind == "college":
        return _BY_KEY["student"] if (persona.age or 20) < 26 else _BY_KEY["professor"]
    if kind in _BY_PLACE:
        return _BY_KEY[_BY_PLACE[kind]]
    if not persona.role:
        role = _match(persona.lifestyle)
    return role if role is not None else GENERIC


def _match(text: str) -> RoleSpec | None:
    words = set(_WORDS.findall(text.lower()))
    if not words:
        return None
    for role in ROLES:
        if words & role.keywords:
            return role
    return None
