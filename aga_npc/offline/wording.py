"""Paraphrase tables for the daily plan: routines, meals, sleep and leisure options."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BED_PREP",
    "BREAKFAST",
    "BREAKS",
    "COMMUTES",
    "DINNER",
    "LEISURE",
    "LUNCH",
    "MORNING_EXTRAS",
    "ROUTINE",
    "ROUTINE_SPLIT",
    "SLEEP",
    "LeisureOption",
]

MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"

ROUTINE = (
    "wake up and get ready",
    "wake up, shower and get dressed",
    "get up and do the morning routine",
    "wake up, wash up and get dressed",
    "morning routine: shower, brush teeth, get dressed",
    "get out of bed and freshen up",
    "wake up and take a shower",
)
ROUTINE_SPLIT = (
    ("wake up and stretch", "wake up", "get out of bed and open the curtains"),
    ("take a shower and get dressed", "shower and get dressed", "wash up and get dressed"),
)
# Meals by where they happen: "home", "out" (a cafe or bar), "work".
BREAKFAST = {
    "home": (
        "have breakfast",
        "eat a quick breakfast in the kitchen",
        "make and eat breakfast",
        "have toast and coffee for breakfast",
        "cook eggs for breakfast",
        "eat breakfast while reading the news",
        "have a bowl of porridge for breakfast",
        "make pancakes for breakfast",
        "breakfast at home",
    ),
    "out": (
        "have breakfast at {place}",
        "grab a coffee and a croissant at {place} for breakfast",
    ),
}
LUNCH = {
    "home": (
        "have lunch at home",
        "make a sandwich for lunch",
        "cook a simple lunch",
        "eat leftovers for lunch",
        "have soup for lunch",
    ),
    "out": (
        "have lunch at {place}",
        "grab lunch at {place}",
        "eat a sandwich at {place} for lunch",
        "meet a friend for lunch at {place}",
    ),
    "work": (
        "eat a packed lunch at work",
        "have lunch at {place}",
        "take a lunch break",
        "have a quick lunch break at {place}",
    ),
}
DINNER = {
    "home": (
        "cook dinner and eat at home",
        "have dinner at home",
        "make pasta for dinner",
        "cook a stir-fry for dinner",
        "eat dinner in the kitchen",
        "heat up soup for dinner",
    ),
    "out": (
        "have dinner at {place}",
        "eat dinner with friends at {place}",
        "grab a bite for dinner at {place}",
    ),
    "work": (
        "eat dinner during a break at {place}",
        "have a quick dinner break at work",
    ),
}
SLEEP = (
    "go to sleep",
    "sleep",
    "go to bed",
    "head to bed and sleep",
    "sleep at home",
    "turn in for the night and sleep",
)
BED_PREP = ("get ready for bed", "brush teeth and change into pyjamas", "wind down before bed")
MORNING_EXTRAS = ("tidy up the kitchen", "check messages", "water the houseplants", "make the bed")
COMMUTES = ("walk to {work}", "head over to {work}", "walk to work")
BREAKS = ("take a short coffee break", "take a short break", "stretch and take a short break")


@dataclass(frozen=True, slots=True, kw_only=True)
class LeisureOption:
    """A free-time activity the planner may choose.

    Attributes:
        key: identity (never chosen twice in one day).
        texts: wordings; ``{place}`` is the chosen place of ``place_type``.
        place_type: where it happens ("home" or a public place type).
        times: parts of the day it suits.
        weight: base weight.
        affinity: persona words that triple the weight.
        gated: only offered when the persona has an affinity word.
        weekend: weight factor on Saturdays and Sundays.
        night_out: weight factor on Friday and Saturday evenings.
        longest: the most minutes one session of it lasts.
    """

    key: str
    texts: tuple[str, ...]
    place_type: str
    times: frozenset[str]
    weight: float = 1.0
    affinity: frozenset[str] = frozenset()
    gated: bool = False
    weekend: float = 1.0
    night_out: float = 1.0
    longest: int = 120


def _opt(
    key: str,
    place_type: str,
    times: str,
    texts: tuple[str, ...],
    *,
    weight: float = 1.0,
    affinity: str = "",
    gated: bool = False,
    weekend: float = 1.0,
    night_out: float = 1.0,
    longest: int = 120,
) -> LeisureOption:
    return LeisureOption(
        key=key,
        texts=texts,
        place_type=place_type,
        times=frozenset(times.split()),
        weight=weight,
        affinity=frozenset(affinity.split()),
        gated=gated,
        weekend=weekend,
        night_out=night_out,
        longest=longest,
    )


LEISURE: tuple[LeisureOption, ...] = (
    _opt(
        "read",
        "home",
        "afternoon evening",
        (
            "read a book on the sofa",
            "read a few chapters of a novel",
            "curl up with a book",
            "catch up on reading",
        ),
        affinity="read reading books book curious literature writer student professor quiet",
    ),
    _opt(
        "music",
        "home",
        "afternoon evening",
        (
            "play the piano",
            "listen to music and relax",
            "practise the piano for a while",
            "put on a record and unwind",
        ),
        weight=0.7,
        affinity="music piano musician singing song songs",
        longest=90,
    ),
    _opt(
        "tv",
        "home",
        "evening",
        ("watch TV", "watch a movie at home", "watch the evening news"),
        weight=0.8,
    ),
    _opt(
        "chores",
        "home",
        "morning afternoon",
        (
            "tidy up the house",
            "do the laundry",
            "clean the kitchen",
            "do some chores around the house",
        ),
        weight=0.8,
        weekend=1.6,
        affinity="tidy organised organized neat",
        longest=90,
    ),
    _opt(
        "bake",
        "home",
        "afternoon",
        ("bake some bread", "try a new recipe", "bake cookies"),
        weight=0.4,
        affinity="cook cooking bake baking food chef",
        longest=90,
    ),
    _opt(
        "write",
        "home",
        "morning evening",
        ("write in the journal", "write letters to friends", "plan the week ahead"),
        weight=0.5,
        affinity="write writing writer journal poet thoughtful",
        longest=60,
    ),
    _opt(
        "nap",
        "home",
        "afternoon",
        ("take a short nap", "rest on the sofa for a while"),
        weight=0.3,
        weekend=2.5,
        affinity="lazy tired calm",
        longest=60,
    ),
    _opt(
        "relax",
        "home",
        "morning afternoon evening",
        ("relax at home", "unwind on the sofa", "rest for a while at home"),
        weight=0.7,
    ),
    _opt(
        "sketch",
        "home",
        "afternoon evening",
        ("sketch in a notebook", "paint a small watercolour"),
        weight=0.8,
        affinity="art artist artistic painter paint painting creative drawing",
        gated=True,
    ),
    _opt(
        "study",
        "home",
        "afternoon evening",
        ("review notes for class", "do homework at the desk", "study for the upcoming exam"),
        weight=0.9,
        affinity="student studying study exam exams",
        gated=True,
    ),
    _opt(
        "coffee",
        "cafe",
        "morning afternoon",
        (
            "get a coffee at {place}",
            "meet friends for coffee at {place}",
            "sit with a latte at {place} and people-watch",
        ),
        weight=0.9,
        affinity="coffee social friendly outgoing chatty",
        longest=60,
    ),
    _opt(
        "drinks",
        "bar",
        "evening",
        (
            "have a drink at {place}",
            "meet friends at {place}",
            "listen to the live music at {place}",
            "catch up with friends over a drink at {place}",
        ),
        weight=0.3,
        night_out=4.0,
        affinity="social outgoing friendly music chatty",
        longest=150,
    ),
    _opt(
        "walk",
        "park",
        "morning afternoon evening",
        (
            "take a walk in {place}",
            "stroll through {place}",
            "go for a jog in {place}",
            "sit on a bench in {place} and enjoy the fresh air",
        ),
        weekend=1.5,
        affinity="nature active outdoors walking fit sporty",
        longest=90,
    ),
    _opt(
        "square",
        "square",
        "afternoon evening",
        (
            "walk around {place}",
            "people-watch by the fountain in {place}",
            "chat with neighbours in {place}",
        ),
        weight=0.8,
        affinity="social friendly curious chatty",
        longest=75,
    ),
    _opt(
        "groceries",
        "shop",
        "morning afternoon",
        (
            "buy groceries at {place}",
            "do the grocery shopping at {place}",
            "pick up a few things at {place}",
        ),
        weight=0.8,
        weekend=1.8,
        longest=60,
    ),
    _opt(
        "library",
        "college",
        "afternoon",
        ("browse the library at {place}", "borrow a book from the library at {place}"),
        weight=0.4,
        affinity="read reading books curious student",
        longest=75,
    ),
    _opt(
        "townhall",
        "hall",
        "afternoon",
        ("drop by {place} to pay a bill", "attend a town meeting at {place}"),
        weight=0.2,
        affinity="civic politics community",
        longest=60,
    ),
)
