"""Importing Generative Agents persona files (``bootstrap_memory/scratch.json``).

Fields read: name, first_name, last_name, age, innate, learned, currently, lifestyle,
living_area, daily_plan_req (the rest of a scratch file is ignored). Places are mapped
onto the town: a ``living_area`` whose house matches a home by name keeps it; otherwise the
people who shared a house move together into the closest available home (by the words
describing it, then the tightest fit), with a warning. The workplace and role are guessed
from job words in learned/currently/lifestyle, with a warning naming the word used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aga_npc.errors import PersonaError
from aga_npc.personas.catalog import Home, TownCatalog, role_for
from aga_npc.personas.model import WEEKDAYS, Persona

__all__ = ["SCRATCH_FIELDS", "ScratchRecord", "import_scratch", "is_scratch"]

SCRATCH_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "age",
    "innate",
    "learned",
    "currently",
    "lifestyle",
    "living_area",
    "daily_plan_req",
)
_MARKERS = ("innate", "learned", "living_area", "daily_plan_req")
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?"
_WAKE = re.compile(r"(?:wak(?:es?|ing)|awak(?:es?|ing)|gets? up|rises?)\b[^.\d]{0,24}?" + _TIME)
_SLEEP = re.compile(r"(?:(?:goes|go|going) to (?:bed|sleep)|sleeps?)\b[^.\d]{0,24}?" + _TIME)
_DAILY = re.compile(r"\b(?:every ?day|daily|seven days)\b")


def is_scratch(data: Any) -> bool:
    """Whether parsed JSON looks like a Generative Agents scratch file."""
    return isinstance(data, Mapping) and "name" in data and any(k in data for k in _MARKERS)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScratchRecord:
    """One parsed scratch file: where it came from and its fields."""

    source: str
    data: Mapping[str, Any]


def _text(rec: ScratchRecord, key: str) -> str:
    value = rec.data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PersonaError(rec.source, key, f"must be a string, got {type(value).__name__}")
    return " ".join(value.split())


def _clock(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3).lower()
    if not (1 <= hour <= 12 and minute < 60):
        return None
    hour = hour % 12 + (12 if half == "p" else 0)
    return f"{hour:02d}:{minute:02d}"


def _house(rec: ScratchRecord) -> str:
    """The house named by a Generative Agents ``living_area``.

    That is GA's own path ``world:sector:arena:object`` ("the Ville:Lin family's
    house:Mei's bedroom:bed"), not one of our place addresses: its second part is the
    house, matched to a home of the town by name or by words (so it is not parsed with
    ``aga_npc.places.Address``).
    """
    area = _text(rec, "living_area")
    parts = [p.strip() for p in area.split(":")]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else "")


def _sentences(text: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip())


class _HomeAssigner:
    def __init__(self, catalog: TownCatalog, warnings: list[str]) -> None:
        self.free = {h.name: h.beds for h in catalog.homes}
        self.catalog = catalog
        self.warnings = warnings

    def _score(self, home: Home, house: str) -> int:
        words = set(re.findall(r"[a-z]+", house.lower()))
        return len(words & set(home.words))

    def assign(self, house: str, people: list[ScratchRecord]) -> list[str]:
        n = len(people)
        exact = self.catalog.home(house) if house else None
        if exact is not None and self.free[exact.name] >= n:
            self.free[exact.name] -= n
            return [exact.name] * n
        fitting = [h for h in self.catalog.homes if self.free[h.name] >= n]
        names = ", ".join(p.data.get("name", "?") for p in people)
        if fitting:
            best = min(
                fitting,
                key=lambda h: (
                    -self._score(h, house),
                    self.free[h.name] - n,
                    self.catalog.homes.index(h),
                ),
            )
            self.free[best.name] -= n
            self.warnings.append(
                f"{people[0].source}: living area {house!r} is not a home with {n} free "
                f"bed(s) in this town; {names} moved to {best.name!r}"
            )
            return [best.name] * n
        out = []
        for person in people:  # no home takes the whole household: split it up
            if not self.catalog.homes:
                raise PersonaError(person.source, "living_area", "the town has no homes")
            best = max(self.catalog.homes, key=lambda h: (self.free[h.name], h.beds))
            if self.free[best.name] > 0:
                self.free[best.name] -= 1
                note = "household split up"
            else:
                note = "no free bed left anywhere, sharing"
            out.append(best.name)
            self.warnings.append(
                f"{person.source}: living area {house!r} cannot be kept ({note}); "
                f"{person.data.get('name', '?')} moved to {best.name!r}"
            )
        return out


def _persona(rec: ScratchRecord, home: str, catalog: TownCatalog, warnings: list[str]) -> Persona:
    data = rec.data
    name = _text(rec, "name") or " ".join(
        p for p in (_text(rec, "first_name"), _text(rec, "last_name")) if p
    )
    if not name:
        raise PersonaError(rec.source, "name", "is required")
    age = data.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        raise PersonaError(rec.source, "age", f"must be a whole number, got {age!r}")
    learned, currently, lifestyle = (_text(rec, k) for k in ("learned", "currently", "lifestyle"))
    plan = _text(rec, "daily_plan_req")
    workplace, role = "", ""
    for text in (learned, currently, lifestyle, plan):
        found = catalog.workplace_for(text)
        if found:
            workplace, keyword = found
            role = role_for(text)
            warnings.append(
                f"{rec.source}: workplace of {name} guessed as {workplace!r} "
                f"from the word {keyword!r}" + (f" (role {role!r})" if role else "")
            )
            break
    else:
        role = role_for(learned)
        warnings.append(f"{rec.source}: no workplace found for {name}; none assigned")
    everyday = bool(_DAILY.search(f"{plan} {lifestyle}".lower()))
    try:
        return Persona(
            name=name,
            home=home,
            age=age,
            traits=tuple(t.strip() for t in _text(rec, "innate").split(",") if t.strip()),
            backstory=learned,
            currently=currently,
            lifestyle=lifestyle,
            workplace=workplace,
            role=role,
            work_days=(WEEKDAYS if everyday else WEEKDAYS[:5]) if workplace else (),
            wake_time=_clock(_WAKE.search(lifestyle)) or "07:00",
            sleep_time=_clock(_SLEEP.search(lifestyle)) or "23:00",
            daily_requirements=_sentences(plan),
            source=rec.source,
        )
    except PersonaError:
        raise
    except ValueError as exc:
        raise PersonaError(rec.source, None, str(exc)) from None


def import_scratch(
    records: Sequence[ScratchRecord],
    catalog: TownCatalog,
    warnings: list[str] | None = None,
) -> list[Persona]:
    """Turn Generative Agents scratch records into personas living in ``catalog``'s town.

    Households (same living-area house) stay together where a home has room. Every guess
    (home moved, workplace derived) adds a message to ``warnings`` when given.

    Raises:
        PersonaError: a record misses its name or has a field of the wrong type.
    """
    notes: list[str] = [] if warnings is None else warnings
    for rec in records:
        for key in SCRATCH_FIELDS:
            if key in ("age",):
                continue
            _text(rec, key)  # type check every text field up front
    households: dict[str, list[ScratchRecord]] = {}
    for rec in records:
        households.setdefault(_house(rec).lower(), []).append(rec)
    assigner = _HomeAssigner(catalog, notes)
    homes: dict[int, str] = {}
    for people in households.values():
        for rec, home in zip(people, assigner.assign(_house(people[0]), people), strict=True):
            homes[id(rec)] = home
    return [_persona(rec, homes[id(rec)], catalog, notes) for rec in records]
