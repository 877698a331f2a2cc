"""Occupations the offline stand-in knows: working hours and role-specific work wording."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aga_npc.offline.facts import PersonaFacts, place_type
from aga_npc.offline.paraphrase import Say

__all__ = ["ROLES", "RoleSpec", "role_for"]

_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleSpec:
    """How one occupation spends its working hours.

    Attributes:
        key: short role name.
        keywords: role words that select it.
        start, end: usual working hours (minutes since midnight).
        say: work activity wordings (``paraphrase`` templates); ``{work}`` is the
            workplace and ``{topic}`` the person's subject, when they have one.
        food_at_work: the workplace serves food (lunch/dinner breaks eat there).
    """

    key: str
    keywords: frozenset[str]
    start: int
    end: int
    say: Say
    food_at_work: bool = False

    @property
    def texts(self) -> tuple[str, ...]:
        """The verb-phrase templates of the role's work (``say.cores``)."""
        return self.say.cores


def _role(
    key: str,
    words: str,
    start: str,
    end: str,
    cores: tuple[str, ...],
    *,
    mods: tuple[str, ...] = (),
    broad: tuple[str, ...] = ("work at {work}",),
    food: bool = False,
) -> RoleSpec:
    h1, m1 = start.split(":")
    h2, m2 = end.split(":")
    return RoleSpec(
        key=key,
        keywords=frozenset(words.split()),
        start=int(h1) * 60 + int(m1),
        end=int(h2) * 60 + int(m2),
        say=Say(
            key=f"work:{key}",
            cores=cores,
            mods=mods,
            broad=broad,
            broad_p=0.12,
            subject_p=0.3,
            mod_p=0.35,
        ),
        food_at_work=food,
    )


ROLES: tuple[RoleSpec, ...] = (
    _role(
        "barista",
        "barista baristas waiter waitress server",
        "07:00",
        "15:00",
        (
            "~serve coffee at the counter",
            "~make coffee and ~serve customers[ at {work}|]",
            "~take orders and ~prepare drinks at the counter",
            "~work the {part} shift at {work}[, serving coffee|]",
            "~brew espresso and ~serve the regulars",
            "~serve customers and ~wipe down the tables",
            "~prepare drinks for the {part} rush",
            "~pull espresso shots[ for the regulars| for the queue|]",
            "~steam milk for lattes[ and cappuccinos|]",
            "~check the espresso machine's pressure",
            "~restock the pastry case and ~serve customers",
            "~keep the coffee orders moving at the counter",
            "~take orders at the counter[ and ~chat with the regulars|]",
        ),
        mods=(
            "before the {part} rush",
            "for the regulars",
            "at {work}",
            "{span}",
            "with a smile",
        ),
        broad=("work at {work}", "work the shift at {work}", "serve coffee"),
        food=True,
    ),
    _role(
        "cook",
        "cook chef baker",
        "09:00",
        "17:00",
        (
            "~cook in the kitchen at {work}",
            "~prepare meals for the customers",
            "~prep vegetables and ~cook the lunch service",
            "~bake bread and pastries in the kitchen",
            "~cook orders at the stove",
            "~chop vegetables for the soup of the day",
            "~simmer stock for the soup of the day",
            "~plate up orders in the kitchen",
            "~knead dough for [the bread|the morning pastries]",
            "~prep the kitchen for service",
            "~cook [a batch of|the] {dish} for the customers",
        ),
        mods=("at {work}", "for the customers", "{span}"),
        broad=("work in the kitchen at {work}", "cook at {work}"),
        food=True,
    ),
    _role(
        "bartender",
        "bartender barkeeper barman barmaid publican innkeeper",
        "16:00",
        "23:30",
        (
            "~tend the bar at {work}",
            "~serve drinks at the bar",
            "~pour drinks and ~chat with the regulars",
            "~work the evening shift behind the bar",
            "~mix drinks and ~serve customers at {work}",
            "~pull pints for the regulars",
            "~change a barrel and ~serve at the bar",
            "~wipe down the bar and ~pour drinks",
            "~keep the drinks flowing at {work}",
        ),
        mods=("at {work}", "for the {part} crowd", "{span}", "until closing"),
        broad=("work at {work}", "work the bar at {work}"),
        food=True,
    ),
    _role(
        "musician",
        "musician pianist singer composer piano guitar violin music",
        "10:00",
        "16:00",
        (
            "~practise the piano",
            "~compose a new piece",
            "~rehearse for the next performance",
            "~work on a new song at the piano",
            "~give a piano lesson",
            "~teach a pupil scales on the piano",
            "~go through a lesson piece with a pupil at the piano",
        ),
        mods=("at {work}", "[for an hour|for a while]"),
        broad=("give piano lessons", "practise the piano"),
    ),
    _role(
        "student",
        "student pupil undergraduate",
        "09:00",
        "16:00",
        (
            "~attend class at {work}",
            "~go to lectures at {work}",
            "~study in the library",
            "~work on assignments in the library",
            "~take notes in class",
            "~attend a seminar at {work}",
            "~study for the next exam in the library",
            "~sit through a [long|double] {topic} lecture",
            "~take notes in the {topic} seminar",
            "~work on the {topic} assignment in the library",
            "~go to the {topic} [lab|tutorial]",
            "~attend the {topic} lecture[ at {work}|]",
        ),
        mods=("at {work}", "{span}", "with classmates"),
        broad=("attend classes", "go to class", "attend class at {work}"),
    ),
    _role(
        "professor",
        "professor teacher lecturer tutor instructor",
        "09:00",
        "17:00",
        (
            "~teach a class at {work}",
            "~give a lecture in the classroom",
            "~grade papers in the office",
            "~prepare the next lecture",
            "~hold office hours",
            "~teach the afternoon seminar",
            "~teach a {topic} class[ at {work}|]",
            "~lecture on {topic} to the first-years",
            "~mark {topic} essays in the office",
            "~run a {topic} tutorial for a small group of students",
            "~give the {topic} lecture",
        ),
        mods=("at {work}", "{span}"),
        broad=("teach at {work}", "teach classes"),
    ),
    _role(
        "gardener",
        "gardener groundskeeper landscaper",
        "08:00",
        "16:00",
        (
            "~tend the flower beds in {work}",
            "~water the plants in {work}",
            "~weed the garden beds",
            "~prune the hedges and bushes",
            "~plant new flowers in {work}",
            "~look after the gardens in {work}",
            "~plant spring bulbs along the paths",
            "~rake and ~weed the rose beds",
            "~mulch the flower beds in {work}",
            "~water the seedlings in {work}",
        ),
        mods=("in {work}", "{span}", "before it gets too warm"),
        broad=("work in {work}", "tend the gardens in {work}"),
    ),
    _role(
        "painter",
        "painter artist illustrator sculptor",
        "09:30",
        "16:30",
        (
            "~paint in the studio",
            "~work on a new painting",
            "~sketch ideas for the next canvas",
            "~finish the landscape painting",
            "~mix colours and ~paint at the easel",
            "~paint {subject} [on a large canvas|at the easel]",
            "~add the [final|first] layers to the painting of {subject}",
        ),
        mods=("in the studio", "{span}", "in the good light"),
        broad=("paint in the studio", "paint"),
    ),
    _role(
        "clerk",
        "clerk secretary official",
        "08:30",
        "16:30",
        (
            "~file the town's paperwork",
            "~process permits at the desk",
            "~answer letters from residents",
            "~update the town records",
            "~prepare documents for the council meeting",
            "~work through the paperwork in the office",
            "~sort the post and ~answer letters at the desk",
        ),
        mods=("at {work}", "{span}"),
        broad=("work in the office at {work}", "work at {work}"),
    ),
    _role(
        "mayor",
        "mayor councillor councilor politician",
        "08:30",
        "17:00",
        (
            "~work in the office at {work}",
            "~meet with residents at {work}",
            "~review the town budget",
            "~answer letters from residents",
            "~chair a council meeting at {work}",
            "~go over town plans at the desk",
            "~sign permits and ~go through the paperwork",
            "~draft the agenda for the council meeting",
            "~go through the budget report at the desk",
        ),
        mods=("at {work}", "{span}"),
        broad=("work at {work}", "work in the office at {work}"),
    ),
    _role(
        "shopkeeper",
        "shopkeeper grocer cashier clerk merchant pharmacist storekeeper",
        "08:00",
        "17:00",
        (
            "~run the counter at {work}",
            "~stock the shelves",
            "~serve customers at the counter",
            "~check deliveries in the storeroom",
            "~restock the shelves and ~tidy the store",
            "~unpack a delivery in the storeroom",
            "~price new stock and ~fill the shelves",
            "~ring up customers at the counter",
            "~haggle with a supplier over a delivery",
        ),
        mods=("at {work}", "{span}"),
        broad=("work at {work}", "work the counter at {work}"),
    ),
    _role(
        "librarian",
        "librarian archivist",
        "09:00",
        "17:00",
        (
            "~shelve books in the library",
            "~help visitors find books",
            "~catalogue new books",
            "~work at the library desk",
            "~sort the returned books in the library",
            "~reorganise a shelf of old books",
            "~help a student find a book on {topic}",
        ),
        mods=("at {work}", "{span}"),
        broad=("work in the library", "work at the library desk"),
    ),
    _role(
        "writer",
        "writer author novelist poet journalist",
        "09:00",
        "15:00",
        (
            "~write at the desk",
            "~work on the novel",
            "~edit the latest chapter",
            "~write an article",
            "~draft the next part of {poss} {topic}",
            "~write a few pages at the desk",
        ),
        mods=("at the desk", "{span}"),
        broad=("write at the desk", "write"),
    ),
)
GENERIC = _role(
    "worker",
    "",
    "09:00",
    "17:00",
    (
        "~work at {work}",
        "~get work done at {work}",
        "~handle the day's tasks at {work}",
        "~work on projects at {work}",
        "~work at the desk at {work}",
    ),
    broad=("work at {work}", "work"),
)
_BY_KEY = {r.key: r for r in ROLES}
_BY_PLACE = {
    "cafe": "barista",
    "bar": "bartender",
    "park": "gardener",
    "hall": "mayor",
    "shop": "shopkeeper",
}

_PLACE_OF = {role: place for place, role in _BY_PLACE.items()} | {"clerk": "hall"}


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
    """The role a job title names; a place word in it decides ("store clerk", "cafe
    owner"), else the first role with a keyword ("piano teacher" is a musician)."""
    words = set(_WORDS.findall(text.lower()))
    if not words:
        return None
    kind = place_type(text)
    matched = [role for role in ROLES if words & role.keywords]
    if kind in _BY_PLACE:
        return next((r for r in matched if _PLACE_OF.get(r.key) == kind), _BY_KEY[_BY_PLACE[kind]])
    return matched[0] if matched else None
