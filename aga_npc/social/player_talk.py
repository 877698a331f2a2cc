"""What the player's words ask for, read from the words (pure): the intent of a line, the
tone it is said in, the people it names, and an invitation's place and time checked against
the town's places and the clock.

The offline stand-in answers from these readings; with a real model they are the fallback
when its answer carries no structured fields, and the invitation check always decides
whether an accepted invitation goes into today's schedule (a model may accept a meeting
at 17:00 at 11:00 but not one at a place the town does not have, or at a time gone by).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aga_npc.planning.schedule import format_hhmm, parse_hhmm

__all__ = [
    "INTENTS",
    "TONES",
    "Invitation",
    "people_named",
    "player_name_in",
    "read_intent",
    "read_invitation",
    "read_tone",
    "resolve_place",
]

INTENTS = (
    "greeting",
    "doing",
    "where",
    "opinion",
    "invitation",
    "name",
    "small_talk",
    "goodbye",
)
TONES = ("kind", "neutral", "rude")

_GOODBYE = re.compile(
    r"\b(bye|goodbye|take care|good night|talk (to you )?later|catch you later|farewell|"
    r"have a (good|nice|great) (day|evening|night|one)|i('ve| have) got to go|gotta go|"
    r"i (must|should|need to) (go|be going|get going))\b",
    re.I,
)
_INVITE = re.compile(
    r"\b(meet me|meet up|let'?s meet|shall we meet|can we meet|could we meet|meet you|"
    r"come (to|with|over|by|along)|join me|join us|see me at|would you like to (come|join|meet)|"
    r"(do you )?want to (come|join|meet)|care to join|can you come|could you come|"
    r"will you come|let'?s go to|let'?s have)\b",
    re.I,
)
_WHERE = re.compile(r"\bwhere(?:'s| is| are| can i find| has| did| might)\b|\bseen\b", re.I)
_OPINION = re.compile(
    r"\b(what do you think (of|about)|how do you feel about|your opinion|do you like|"
    r"what'?s .+ like|how do you get on with|do you know)\b",
    re.I,
)
_DOING = re.compile(
    r"\b(what are you (doing|up to|working on)|what'?re you (doing|up to)|busy|"
    r"what'?s on (your|the) (plate|agenda)|doing today|your plans?|up to today)\b",
    re.I,
)
_NAME = re.compile(r"\b(who are you|your name|what do you do|what'?s your job)\b", re.I)
_GREETING = re.compile(
    r"^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|howdy|greetings|morning|yo)\b",
    re.I,
)
_RUDE = re.compile(
    r"\b(shut up|shut it|nobody likes|no one likes|nobody cares|no one cares|"
    r"i hate|hate you|stupid|idiot|moron|dumb|ugly|loser|pathetic|useless|worthless|"
    r"go away|get lost|leave me alone|you suck|sucks|stinks|annoying|boring|"
    r"terrible|awful|rubbish|get out|screw you|drop dead)\b",
    re.I,
)
_KIND = re.compile(
    r"\b(thank you|thanks|love your|i love|great|wonderful|lovely|kind of you|so kind|"
    r"appreciate|you'?re the best|beautiful|amazing|brilliant|congratulations|well done|"
    r"glad|like your|nice to meet|nice to see|good to see|i admire|proud of you|"
    r"you'?re (great|lovely|wonderful|amazing|kind))\b",
    re.I,
)
# "5pm", "5:30 pm", "17:00", "noon"
_CLOCK = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)|\b(\d{1,2}):(\d{2})\b|\b(noon|midday)\b",
    re.I,
)
_BARE_HOUR = re.compile(r"\b(?:at|by|around) (\d{1,2})\b(?![:\d])", re.I)
_OTHER_DAY = re.compile(
    r"\b(tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next week|"
    r"weekend)\b",
    re.I,
)
# "at the moon base", "to the old mill": a place phrase (no digits: "at 5pm" is a time)
_PLACE_PHRASE = re.compile(
    r"\b(?:at|to|in|by|outside) ((?:the |my |your |our )?[A-Za-z][A-Za-z' -]*?)"
    r"(?= at \d| by \d| around \d| for | tonight| today| later| this | tomorrow|[.,!?;]|$)",
    re.I,
)
_NOT_PLACE = frozenset(
    (
        "noon",
        "midday",
        "night",
        "the evening",
        "the morning",
        "the afternoon",
        "lunch",
        "dinner",
        "breakfast",
        "once",
        "least",
        "all",
        "last",
        "first",
        "me",
        "you",
        "us",
        "it",
        "that",
        "this",
        "some point",
        "the same time",
    )
)
# a noun in the player's words -> words a place's name has when it is that kind of place
_KINDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("cafe", "café", "coffee shop", "coffee"), ("cafe", "café", "coffee", "bakery", "diner")),
    (("pub", "bar", "tavern", "inn"), ("bar", "pub", "tavern", "inn", "kettle", "saloon")),
    (("park", "garden", "gardens"), ("park", "garden", "gardens", "green", "meadow")),
    (("square", "plaza"), ("square", "plaza", "commons")),
    (("library",), ("library",)),
    (("college", "school", "university"), ("college", "school", "university", "academy")),
    (("town hall", "hall", "council"), ("hall", "council")),
    (("shop", "store", "market", "grocery"), ("grocery", "store", "shop", "market", "supply")),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Invitation:
    """An invitation read from words (or a model's answer) and checked.

    Attributes:
        place: the town's place it names ("" when none resolved).
        said_place: the place as the words named it ("the moon base"; "" when none).
        start: minutes since midnight (None when no time was named).
        status: "ok" (a known place, later today), "past" (the time has gone by),
            "no_place" (no place, or one the town does not have), "no_time", "other_day"
            (another day than today: no entry in today's schedule).
    """

    place: str
    said_place: str
    start: int | None
    status: str

    @property
    def time(self) -> str:
        return format_hhmm(self.start) if self.start is not None else ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def read_intent(text: str, *, people: Sequence[str] = ()) -> str:
    """The intent of the player's line (one of :data:`INTENTS`)."""
    named = people_named(text, people)
    if _INVITE.search(text) or (
        _CLOCK.search(text) and re.search(r"\b(meet|come|join|see you)\b", text, re.I)
    ):
        return "invitation"
    if _GOODBYE.search(text) or re.search(r"\bsee you( later| around| soon)?\s*[.!]*$", text, re.I):
        return "goodbye"
    if _WHERE.search(text) and (named or re.search(r"\bwhere (is|are)\b", text, re.I)):
        return "where"
    if named and (_OPINION.search(text) or re.search(r"\b(think|feel|like)\b", text, re.I)):
        return "opinion"
    if _OPINION.search(text) and re.search(r"\b(of|about) \w", text, re.I):
        return "opinion"
    if _DOING.search(text):
        return "doing"
    if _NAME.search(text):
        return "name"
    stripped = re.sub(r"[^\w\s']", " ", text).strip()
    if _GREETING.search(text) and len(stripped.split()) <= 4:
        return "greeting"
    return "small_talk"


def read_tone(text: str) -> str:
    """ "rude", "kind" or "neutral": how the line is said (insults outweigh thanks)."""
    rude = len(_RUDE.findall(text))
    kind = len(_KIND.findall(text))
    if rude and rude >= kind:
        return "rude"
    if kind:
        return "kind"
    return "neutral"


def people_named(text: str, people: Sequence[str]) -> list[str]:
    """The people of ``people`` the text names (full name or first name, any case), in the
    order of ``people``."""
    low = text.lower()
    found = []
    for name in people:
        parts = name.split()
        keys = [name.lower()] + ([parts[0].lower()] if len(parts) > 1 else [])
        if any(re.search(rf"\b{re.escape(k)}\b", low) for k in keys if len(k) > 1):
            found.append(name)
    return found


def player_name_in(text: str) -> str:
    """A name the player gives for themself ("I'm Sam", "my name is Sam Hale"), else ""."""
    match = re.search(
        r"\b(?i:my name is|my name's|call me|i am|i'm)\s+"
        r"([A-Z][a-z'-]{1,19}(?: [A-Z][a-z'-]{1,19})?)",
        text,
    )
    if match is None:
        return ""
    name = match.group(1)
    words = name.split()
    if words[0].lower() in _NOT_NAMES:
        return ""
    if len(words) > 1 and words[1].lower() in _NOT_NAMES:
        name = words[0]
    return name


_NOT_NAMES = frozenset(
    (
        *("i", "im", "so", "sorry", "fine", "good", "well", "here", "new", "not", "just"),
        *("very", "really", "glad", "happy", "tired", "busy", "looking", "going", "the"),
        *("a", "an", "okay", "ok", "sure", "hungry", "ready", "back", "from"),
    )
)


def _clock(text: str) -> int | None:
    match = _CLOCK.search(text)
    if match is not None:
        try:
            if match.group(6):
                return 12 * 60
            if match.group(3):
                ampm = match.group(3).replace(".", "").lower()
                return parse_hhmm(f"{match.group(1)}:{match.group(2) or '00'} {ampm}")
            return parse_hhmm(f"{match.group(4)}:{match.group(5)}")
        except ValueError:
            return None
    bare = _BARE_HOUR.search(text)
    if bare is not None:
        hour = int(bare.group(1))
        if 1 <= hour <= 7:
            hour += 12  # "at 5": people meet at five in the afternoon, not the night
        if 0 <= hour < 24:
            return hour * 60
    return None


def resolve_place(said: str, places: Sequence[str]) -> str:
    """The town place ``said`` names: a place's own name (case-insensitive, with or
    without "the"), else the first place of the kind a noun names ("the cafe" -> "Juniper
    Cafe"); "" when the town has none."""
    low = said.lower().strip()
    bare = re.sub(r"^(the|my|your|our)\s+", "", low)
    for place in sorted(places, key=len, reverse=True):
        name = place.lower()
        if name and (name in low or name == bare or re.sub(r"^the\s+", "", name) == bare):
            return place
    for nouns, keys in _KINDS:
        if any(re.search(rf"\b{re.escape(n)}\b", bare) for n in nouns):
            for place in places:
                words = set(re.findall(r"[a-zé']+", place.lower()))
                if words & set(keys) or any(k in place.lower() for k in keys if " " in k):
                    return place
    return ""


def _said_place(text: str, places: Sequence[str]) -> str:
    low = text.lower()
    for place in sorted(places, key=len, reverse=True):
        if place and place.lower() in low:
            return place
    for match in _PLACE_PHRASE.finditer(text):
        phrase = match.group(1).strip(" -'")
        words = phrase.lower().split()
        if not words or phrase.lower() in _NOT_PLACE or words[-1] in ("o'clock",):
            continue
        if words[0] in ("the", "my", "your", "our") and len(words) == 1:
            continue
        return phrase
    return ""


def read_invitation(text: str, *, places: Sequence[str], now: int) -> Invitation:
    """The place and time of an invitation in the player's words, checked: a place of the
    town and a time later today (``now`` in minutes since midnight)."""
    said = _said_place(text, places)
    place = resolve_place(said, places) if said else ""
    start = _clock(text)
    return check_invitation(said, place, start, now=now, other_day=bool(_OTHER_DAY.search(text)))


def check_invitation(
    said: str, place: str, start: int | None, *, now: int, other_day: bool = False
) -> Invitation:
    """The status of an invitation with a resolved ``place`` and ``start`` (see
    :class:`Invitation`)."""
    if other_day:
        status = "other_day"
    elif not place:
        status = "no_place"
    elif start is None:
        status = "no_time"
    elif start <= now:
        status = "past"
    else:
        status = "ok"
    return Invitation(place=place, said_place=said, start=start, status=status)
