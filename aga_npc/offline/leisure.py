"""Free-time options of the offline planner, each with its phrase grammar.

Options carry the fit family used by the tests' decomposition check (``family``) and the
place type where they happen; ``{place}`` in a template is the chosen place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aga_npc.offline.paraphrase import Say

__all__ = ["LEISURE", "LeisureOption", "option"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LeisureOption:
    """A free-time activity the planner may choose.

    Attributes:
        key: identity (an outing of a kind at most once a day).
        say: its wordings.
        place_type: where it happens ("home" or a public place type).
        times: parts of the day it suits ("morning", "afternoon", "evening").
        weight: base weight.
        affinity: persona words that triple the weight.
        gated: only offered when the persona has an affinity word.
        weekend: weight factor on Saturdays and Sundays.
        night_out: weight factor on Friday and Saturday evenings.
        longest: the most minutes one session of it lasts.
        family: what the activity is (the decomposition check's family).
        slots: template values of this option (a persona's topic).
        places: where it happens when no place type says (a game's own object kind's
            places; see :mod:`aga_npc.offline.things`).
    """

    key: str
    say: Say
    place_type: str
    times: frozenset[str]
    weight: float = 1.0
    affinity: frozenset[str] = frozenset()
    gated: bool = False
    weekend: float = 1.0
    night_out: float = 1.0
    longest: int = 120
    family: str = ""
    slots: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    places: tuple[str, ...] = ()


def option(
    key: str,
    place_type: str,
    times: str,
    cores: tuple[str, ...],
    *,
    mods: tuple[str, ...] = (),
    broad: tuple[str, ...] = (),
    weight: float = 1.0,
    affinity: str = "",
    gated: bool = False,
    weekend: float = 1.0,
    night_out: float = 1.0,
    longest: int = 120,
    family: str = "",
    subject_p: float = 0.35,
    slots: Mapping[str, str | tuple[str, ...]] | None = None,
) -> LeisureOption:
    """A ``LeisureOption`` from compact arguments (times and affinity space-separated)."""
    return LeisureOption(
        key=key,
        say=Say(
            key=f"leisure:{key}",
            cores=cores,
            mods=mods,
            broad=broad,
            broad_p=0.15 if broad else 0.0,
            subject_p=subject_p,
        ),
        place_type=place_type,
        times=frozenset(times.split()),
        weight=weight,
        affinity=frozenset(affinity.split()),
        gated=gated,
        weekend=weekend,
        night_out=night_out,
        longest=longest,
        family=family or key,
        slots=dict(slots or {}),
    )


_EVENING = ("after a long day", "to unwind", "before turning in", "for an hour or so")
_AFTERNOON = ("for a while", "for an hour", "in the quiet of the afternoon", "to recharge")
_BOOK = (
    "a novel",
    "a detective novel",
    "a library book",
    "a book of short stories",
    "an old favourite book",
    "a biography",
    "a historical novel",
    "the book on the nightstand",
)

LEISURE: tuple[LeisureOption, ...] = (
    option(
        "read",
        "home",
        "afternoon evening",
        (
            "~read {book}[ on the sofa| by the window|]",
            "~read a few chapters of {book}",
            "~curl up with {book}",
            "~catch up on reading",
            "~settle in with {book}[ and a pot of tea|]",
            "~get lost in {book}",
            "~read [quietly|a while] on the sofa",
        ),
        mods=_EVENING,
        broad=("read a book", "read on the sofa"),
        affinity="read reading books book curious literature writer student professor quiet "
        "bookish",
        slots={"book": _BOOK},
    ),
    option(
        "music",
        "home",
        "afternoon evening",
        (
            "~listen to music and ~relax",
            "~put on a record and ~unwind",
            "~listen to [some jazz|an old record|the radio|some music] on the sofa",
            "~put on [some jazz|an old record|a favourite album] and ~relax",
            "~listen to [a concert|some music] on the radio",
        ),
        mods=_EVENING,
        weight=0.7,
        affinity="music piano musician singing song songs musical",
        longest=90,
    ),
    option(
        "tv",
        "home",
        "evening",
        (
            "~watch TV",
            "~watch a [movie|film|quiz show] on TV",
            "~watch the evening news",
            "~catch [a film|a documentary|the news] on TV",
            "~put the TV on and ~relax on the sofa",
        ),
        broad=("watch TV",),
        weight=0.8,
    ),
    option(
        "chores",
        "home",
        "morning afternoon",
        (
            "~tidy up the house",
            "~do the laundry",
            "~clean the kitchen",
            "~do some chores around the house",
            "~wash the dishes and ~tidy the kitchen",
            "~hang out the laundry",
            "~give the kitchen a good clean",
        ),
        broad=("do the laundry", "tidy up the house"),
        weight=0.8,
        weekend=1.6,
        affinity="tidy organised organized neat",
        longest=90,
    ),
    option(
        "bake",
        "home",
        "afternoon",
        (
            "~bake [some bread|a loaf of bread|cookies|scones|a cake]",
            "~try a new [cake|bread|biscuit] recipe",
            "~bake a batch of [cookies|scones|muffins][ for the neighbours|]",
        ),
        weight=0.4,
        affinity="cook cooking bake baking food chef",
        longest=90,
    ),
    option(
        "write",
        "home",
        "morning evening",
        (
            "~write in {poss} journal",
            "~write letters to friends",
            "~plan the week ahead",
            "~write a letter to [an old friend|a cousin|family]",
            "~jot down [a few thoughts|the day's thoughts] in {poss} journal",
        ),
        weight=0.5,
        affinity="write writing writer journal poet thoughtful",
        longest=60,
    ),
    option(
        "nap",
        "home",
        "afternoon",
        ("~take a short nap", "~doze on the sofa for a while", "~have a [quick|short] nap"),
        broad=("take a nap",),
        weight=0.3,
        weekend=2.5,
        affinity="lazy tired calm",
        longest=60,
    ),
    option(
        "relax",
        "home",
        "morning afternoon evening",
        (
            "~relax at home",
            "~unwind on the sofa",
            "~rest for a while at home",
            "~put {poss} feet up and ~relax",
            "~relax on the sofa[ with a cup of tea|]",
        ),
        broad=("relax at home", "relax"),
        weight=0.7,
    ),
    option(
        "sketch",
        "home",
        "afternoon evening",
        (
            "~sketch in a notebook",
            "~paint a small watercolour",
            "~sketch [the view from the window|a still life|whatever is on the table]",
        ),
        weight=0.8,
        affinity="art artist artistic painter paint painting creative drawing",
        gated=True,
    ),
    option(
        "study",
        "home",
        "afternoon evening",
        (
            "~review notes for class",
            "~do homework at the desk",
            "~study for the upcoming exam",
            "~go over the week's notes",
        ),
        weight=0.9,
        affinity="student studying study exam exams",
        gated=True,
    ),
    option(
        "coffee",
        "cafe",
        "morning afternoon",
        (
            "~get a coffee at {place}",
            "~meet friends for coffee at {place}",
            "~sit with a latte at {place} and ~people-watch",
            "~stop by {place} for a [coffee|cappuccino|pot of tea]",
            "~catch up with a friend over coffee at {place}",
        ),
        weight=0.9,
        affinity="coffee social friendly outgoing chatty talkative",
        longest=60,
    ),
    option(
        "drinks",
        "bar",
        "evening",
        (
            "~have a drink at {place}",
            "~meet friends for a drink at {place}",
            "~catch up with friends over a drink at {place}",
            "~have a [pint|glass of wine|beer] at {place}",
            "~stop by {place} for a drink",
        ),
        weight=0.3,
        night_out=4.0,
        affinity="social outgoing friendly music chatty talkative",
        longest=150,
    ),
    option(
        "walk",
        "park",
        "morning afternoon evening",
        (
            "~take a walk in {place}",
            "~stroll through {place}",
            "~go for a [walk|stroll] [around|through] {place}",
            "~sit on a bench in {place} and ~enjoy the fresh air",
            "~walk [a loop|a few laps] around {place}",
        ),
        broad=("take a walk in {place}", "go for a walk"),
        weekend=1.5,
        affinity="nature active outdoors walking fit sporty",
        longest=90,
    ),
    option(
        "square",
        "square",
        "afternoon evening",
        (
            "~walk around {place}",
            "~people-watch by the fountain in {place}",
            "~chat with neighbours in {place}",
            "~sit by the fountain in {place}",
        ),
        weight=0.8,
        affinity="social friendly curious chatty talkative",
        longest=75,
        family="social",
    ),
    option(
        "groceries",
        "shop",
        "morning afternoon",
        (
            "~buy groceries at {place}",
            "~do the grocery shopping at {place}",
            "~pick up a few things at {place}",
            "~shop for [the week|groceries|a few things] at {place}",
            "~stock up on groceries at {place}",
        ),
        broad=("buy groceries", "go grocery shopping"),
        weight=0.8,
        weekend=1.8,
        longest=60,
    ),
    option(
        "library",
        "college",
        "afternoon",
        (
            "~browse the library at {place}",
            "~borrow a book from the library at {place}",
            "~return books to the library at {place}",
        ),
        weight=0.4,
        affinity="read reading books curious student",
        longest=75,
    ),
    option(
        "townhall",
        "hall",
        "afternoon",
        ("~drop by the office at {place} to sort out some paperwork",),
        weight=0.2,
        affinity="civic politics community",
        longest=60,
    ),
)
