"""Reading request facts for the offline stand-in: persona fields with defaults, town places."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.planning.schedule import parse_hhmm

__all__ = [
    "WEEKDAYS",
    "PersonaFacts",
    "Town",
    "build_town",
    "first_name",
    "is_work_day",
    "persona_facts",
    "place_type",
    "text_list",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WORDS = re.compile(r"[a-z']+")
_LIFESTYLE_WAKE = re.compile(
    r"(?:wake|wakes|waking|get up|gets up)\D{0,24}?(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)", re.I
)
_LIFESTYLE_SLEEP = re.compile(
    r"(?:bed|sleep|sleeps)\D{0,24}?(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)", re.I
)

# Place types by the words in a sector's name, checked in this order.
_PLACE_TYPES: tuple[tuple[str, frozenset[str]], ...] = (
    ("home", frozenset({"house", "flat", "dorm", "cottage", "apartments", "apartment", "home"})),
    ("cafe", frozenset({"cafe", "café", "coffee", "bakery", "diner", "teahouse"})),
    ("bar", frozenset({"bar", "pub", "tavern", "inn", "kettle", "saloon", "crown", "brewery"})),
    ("shop", frozenset({"grocery", "store", "shop", "supply", "pharmacy", "market", "bakery"})),
    ("college", frozenset({"college", "school", "university", "academy", "library"})),
    ("hall", frozenset({"hall", "council"})),
    ("park", frozenset({"park", "garden", "gardens", "green", "meadow", "woods", "river"})),
    ("square", frozenset({"square", "plaza", "commons"})),
)


def text_list(value: Any) -> tuple[str, ...]:
    """A list-or-string persona field as a tuple of non-empty strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        parts = re.split(r"[;,\n]", value) if ("," in value or ";" in value) else [value]
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, Sequence):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return (str(value),)


def first_name(name: str) -> str:
    """The first word of a name ("Maria Lopez" -> "Maria")."""
    parts = name.split()
    return parts[0] if parts else name


def _time_field(value: Any, pattern: re.Pattern[str], lifestyle: str) -> int | None:
    if value is not None and value != "":
        try:
            return parse_hhmm(value)
        except ValueError:
            pass
    match = pattern.search(lifestyle) if lifestyle else None
    if match:
        try:
            return parse_hhmm(match.group(1).strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonaFacts:
    """The persona keys the stand-in reads, every one optional with a sensible default."""

    name: str
    first: str
    age: int | None
    traits: tuple[str, ...]
    lifestyle: str
    currently: str
    home: str
    workplace: str
    role: str
    work_days: tuple[str, ...]
    wake: int | None
    sleep: int | None
    requirements: tuple[str, ...]

    @property
    def blob(self) -> str:
        """Lower-case words of traits, lifestyle, currently and role (affinity matching)."""
        return " ".join((*self.traits, self.lifestyle, self.currently, self.role)).lower()

    @property
    def words(self) -> frozenset[str]:
        return frozenset(_WORDS.findall(self.blob))


def persona_facts(persona: Mapping[str, Any] | None) -> PersonaFacts:
    """Read a persona mapping (prompt fields or a Generative Agents scratch) with defaults."""
    p = persona if isinstance(persona, Mapping) else {}
    name = str(p.get("name") or p.get("first_name") or "Someone").strip() or "Someone"
    lifestyle = str(p.get("lifestyle") or "")
    traits = text_list(p.get("traits") or p.get("innate"))
    age_raw = p.get("age")
    try:
        age = int(age_raw) if age_raw not in (None, "") else None
    except (TypeError, ValueError):
        age = None
    days = tuple(d.lower() for d in text_list(p.get("work_days")) if d.lower() in WEEKDAYS)
    return PersonaFacts(
        name=name,
        first=first_name(name),
        age=age,
        traits=traits,
        lifestyle=lifestyle,
        currently=str(p.get("currently") or ""),
        home=str(p.get("home") or p.get("living_area") or "").split(":")[0].strip(),
        workplace=str(p.get("workplace") or "").split(":")[0].strip(),
        role=str(p.get("role") or "").strip().lower(),
        work_days=days,
        wake=_time_field(p.get("wake_time"), _LIFESTYLE_WAKE, lifestyle),
        sleep=_time_field(p.get("sleep_time"), _LIFESTYLE_SLEEP, lifestyle),
        requirements=text_list(p.get("daily_requirements") or p.get("daily_plan_req")),
    )


def is_work_day(day: Mapping[str, Any], persona: PersonaFacts) -> bool:
    """The day's ``is_work_day`` flag, else the persona's work days, else Monday-Friday."""
    if not persona.workplace:
        return False
    flag = day.get("is_work_day")
    if isinstance(flag, bool):
        return flag
    weekday = str(day.get("weekday") or "").lower()
    if persona.work_days:
        return weekday in persona.work_days
    return weekday not in ("saturday", "sunday")


def place_type(name: str) -> str:
    """The kind of place a sector name suggests (home, cafe, bar, shop, park ...)."""
    words = set(_WORDS.findall(name.lower()))
    for kind, keys in _PLACE_TYPES:
        if words & keys:
            return kind
    return "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class Town:
    """The listed places grouped by type, with the persona's home and workplace.

    ``by_type`` never lists the home or the workplace under a public type on a day off,
    so leisure choices cannot send an agent to work on its free day.
    """

    places: tuple[str, ...]
    home: str
    work: str
    by_type: Mapping[str, tuple[str, ...]]

    def has(self, kind: str) -> bool:
        return bool(self.by_type.get(kind))

    def named_in(self, text: str) -> str | None:
        """A listed place whose name occurs in ``text`` (case-insensitive), if any."""
        lowered = text.lower()
        for place in self.places:
            if len(place) > 2 and place.lower() in lowered:
                return place
        return None


def build_town(places: Sequence[Any], persona: PersonaFacts, *, work_day: bool) -> Town:
    """Group the request's places by type; home and workplace default to the persona's."""
    listed = tuple(str(p) for p in places if str(p).strip())
    home = persona.home or next((p for p in listed if place_type(p) == "home"), "") or "home"
    work = persona.workplace
    groups: dict[str, list[str]] = {}
    for place in listed:
        if place == home:
            continue
        if place == work and not work_day and work != home:
            continue
        groups.setdefault(place_type(place), []).append(place)
    return Town(
        places=listed,
        home=home,
        work=work,
        by_type={k: tuple(v) for k, v in groups.items()},
    )
