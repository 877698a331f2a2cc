"""Events that conversations can be about (a party, an election, a study group): finding
them in memories, phrasing an invitation, and reading an accepted one back."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aga_npc.offline.facts import place_type
from aga_npc.offline.phrasing import pick, wordset
from aga_npc.planning.schedule import format_hhmm, parse_hhmm

__all__ = [
    "Event",
    "accepted",
    "agreed_plan",
    "declined",
    "find_event",
    "invitation_line",
    "is_invitation",
    "place_names",
    "venue",
]

_EVENTS = (
    ("study group", "study group session", 120),
    ("book club", "book club meeting", 90),
    ("game night", "game night", 150),
    ("party", "party", 180),
    ("election", "election debate", 90),
    ("concert", "concert", 120),
    ("festival", "festival", 180),
    ("picnic", "picnic", 120),
    ("exhibition", "art exhibition", 90),
    ("celebration", "celebration", 150),
    ("meeting", "town meeting", 90),
)
_PLACE = re.compile(r"\b(?:at|in) ((?:the |The )?[A-Z][\w']*(?: (?:[A-Z][\w']*|of|and))*)")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b|\b(\d{1,2}):(\d{2})\b", re.I)
_DAYS = re.compile(
    r"\b(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
_NOT_PLACES = wordset(
    "I The A January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
)
_INVITE = re.compile(
    r"would you like to (come|join)|want to (come|join)|you should come|join (me|us)|"
    r"come with (me|us)|are you coming|care to join",
    re.I,
)
_YES = re.compile(
    r"\b(i'd love to|i would love to|sure|count me in|sounds (great|fun|lovely|wonderful)|"
    r"yes|i'll be there|of course|absolutely|definitely|wouldn't miss it)\b",
    re.I,
)
_NO = re.compile(
    r"\b(can't|cannot|can not|busy|wish i could|another time|not sure|no thanks|"
    r"won't make it|rain check)\b",
    re.I,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something happening at a place and time that one can invite another to."""

    name: str
    place: str
    start: str
    day: str
    duration: int
    source: str = ""

    @property
    def when(self) -> str:
        """ "today", "tomorrow" or "on Saturday"."""
        return self.day if self.day in ("today", "tomorrow") else f"on {self.day.capitalize()}"

    @property
    def a_name(self) -> str:
        """The name with its article ("a party", "an election debate")."""
        return ("an " if self.name[:1] in "aeiou" else "a ") + self.name

    def to_plan(self) -> dict[str, object]:
        """The agreed plan object of the ``relationship`` answer."""
        return {
            "activity": self.name,
            "day": self.day,
            "start": self.start,
            "duration": self.duration,
            "place": self.place,
        }


def _clock(text: str) -> str:
    match = _CLOCK.search(text)
    if not match:
        return ""
    try:
        if match.group(3):
            value = f"{match.group(1)}:{match.group(2) or '00'} {match.group(3)}"
        else:
            value = f"{match.group(4)}:{match.group(5)}"
        return format_hhmm(parse_hhmm(value))
    except ValueError:
        return ""


def _place(text: str) -> str:
    for match in _PLACE.finditer(text):
        words = match.group(1).split()
        while words and words[-1] in ("of", "and"):
            words.pop()
        if words and words[0] not in _NOT_PLACES:
            return " ".join(words)
    return ""


# Nouns that name a kind of place ("the cafe's party"), and where an event of a kind is
# usually held when nothing says where ("the election debate" is at the town hall).
_VENUE_NOUNS = (
    ("cafe", "cafe"),
    ("café", "cafe"),
    ("pub", "bar"),
    ("bar", "bar"),
    ("library", "college"),
    ("college", "college"),
    ("town hall", "hall"),
    ("grocery", "shop"),
    ("park", "park"),
    ("square", "square"),
)
_USUAL_VENUE = (
    ("election", "hall"),
    ("debate", "hall"),
    ("town meeting", "hall"),
    ("council", "hall"),
    ("exhibition", "hall"),
    ("study group", "college"),
    ("quiz", "bar"),
    ("concert", "bar"),
)
_NAME = re.compile(r"\b(?:The )?[A-Z][a-z']+(?: [A-Z][a-z']+)+")


def place_names(texts: Iterable[str]) -> list[str]:
    """Capitalised names of places in the texts ("Juniper Cafe", "The Copper Kettle"):
    names whose words say what kind of place they are."""
    found: list[str] = []
    for text in texts:
        for match in _NAME.finditer(text):
            name = match.group(0)
            if place_type(name) not in ("other", "home") and name not in found:
                found.append(name)
    return found


def venue(text: str, known: Sequence[str]) -> str:
    """Where an event a text talks about is held, as one of the ``known`` place names when
    it is one: the place the text names ("the party at the Town Hall"), else a known place
    of the kind such events are held at ("the election debate" -> the town hall), else of
    the kind a noun of the text names ("the cafe's anniversary party" -> the known cafe),
    else that noun itself ("the cafe"); "" when nothing says where."""
    named = _place(text)
    lowered = text.lower()
    folded = {k.lower(): k for k in known if k}
    bare = named[4:] if named.startswith("the ") else named
    for candidate in (named, bare):
        if candidate and candidate.lower() in folded:
            return folded[candidate.lower()]
    if bare:
        return bare
    usual = [kind for event, kind in _USUAL_VENUE if event in lowered]
    nouns = [kind for noun, kind in _VENUE_NOUNS if re.search(rf"\b{noun}\b", lowered)]
    for kind in usual or nouns:
        match = next((k for k in known if k and place_type(k) == kind), "")
        if match:
            return match
    if usual:
        return ""
    noun = next((n for n, _ in _VENUE_NOUNS if re.search(rf"\b{n}\b", lowered)), "")
    return f"the {noun}" if noun else ""


def find_event(texts: Iterable[str], known: Sequence[str] = ()) -> Event | None:
    """The first event named in the texts, with its place (one of the ``known`` places
    when given: see ``venue``), time and day when stated."""
    for text in texts:
        lowered = text.lower()
        for key, name, duration in _EVENTS:
            if key in lowered:
                day = _DAYS.search(text)
                day_word = day.group(1).lower() if day else "tomorrow"
                if day_word == "tonight":
                    day_word = "today"
                return Event(
                    name=name,
                    place=venue(text, known),
                    start=_clock(text) or ("18:00" if duration >= 120 else "17:00"),
                    day=day_word,
                    duration=duration,
                    source=text,
                )
    return None


def invitation_line(event: Event, rng: random.Random) -> str:
    """An invitation to the event in everyday words."""
    at = f" at {event.place}" if event.place else ""
    when, start, a_name = event.when, event.start, event.a_name
    return pick(
        rng,
        (
            f"Would you like to come to the {event.name}{at} {when} at {start}?",
            f"I'm going to the {event.name}{at} {when} at {start} - want to join me?",
            f"Are you free {when}? There's {a_name}{at} at {start}, you should come!",
            f"There's {a_name}{at} {when} at {start}. Would you like to join me?",
        ),
    )


def is_invitation(line: str) -> bool:
    """Whether a line invites the listener to something."""
    return bool(_INVITE.search(line))


def accepted(line: str) -> bool:
    """Whether a reply accepts (says yes and does not decline)."""
    return bool(_YES.search(line)) and not _NO.search(line)


def declined(line: str) -> bool:
    return bool(_NO.search(line))


def agreed_plan(transcript: Sequence[tuple[str, str]]) -> Event | None:
    """The event of an invitation in the transcript that the other speaker accepted."""
    for i, (who, line) in enumerate(transcript):
        if not is_invitation(line):
            continue
        event = find_event([line])
        reply = next((ln for w, ln in transcript[i + 1 :] if w != who), None)
        if event is not None and reply is not None and accepted(reply):
            return event
    return None
