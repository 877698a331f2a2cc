"""Events that conversations can be about (a party, an election, a study group): finding
them in memories, phrasing an invitation, and reading an accepted one back."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


def find_event(texts: Iterable[str]) -> Event | None:
    """The first event named in the texts, with its place, time and day when stated."""
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
                    place=_place(text),
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
