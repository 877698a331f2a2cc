"""The persona value type: who a resident is, where they live and work, whom they know.

``Persona.from_dict(data, source=path)`` validates a TOML table strictly (unknown fields,
wrong types and out-of-range values are errors) and raises ``PersonaError`` naming the
file and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from aga_npc.errors import PersonaError
from aga_npc.places import Address

__all__ = ["WEEKDAYS", "Persona", "Relationship"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_SETS = {
    "weekdays": WEEKDAYS[:5],
    "weekends": WEEKDAYS[5:],
    "daily": WEEKDAYS,
    "everyday": WEEKDAYS,
    "none": (),
}
_DAY_ALIASES = {
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}


def _minutes(text: str) -> int:
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"expected HH:MM, got {text!r}")
    h, m = int(parts[0]), int(parts[1])
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"expected a time between 00:00 and 23:59, got {text!r}")
    return h * 60 + m


@dataclass(frozen=True, slots=True, kw_only=True)
class Relationship:
    """What one resident thinks of another at the start.

    Attributes:
        relationship: how they are related ("wife", "coworker", "friend", "neighbour").
        closeness: 0 (strangers) .. 10 (closest).
        feeling: a short phrase ("proud of her", "a little jealous").
    """

    relationship: str
    closeness: int = 5
    feeling: str = ""

    def __post_init__(self) -> None:
        if not self.relationship.strip():
            raise ValueError("relationship must not be empty")
        if isinstance(self.closeness, bool) or not 0 <= self.closeness <= 10:
            raise ValueError(f"closeness must be an integer 0..10, got {self.closeness!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "relationship": self.relationship,
            "closeness": self.closeness,
            "feeling": self.feeling,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Persona:
    """One resident (docs/DESIGN.md section 7).

    Attributes:
        name: full name, unique in a town.
        home: home sector (what ``@home`` means for this resident).
        age: years, or None when unknown.
        traits: personality traits ("curious", "stubborn").
        backstory: who they are, what they know.
        currently: what occupies them these days.
        lifestyle: their routine in words.
        workplace: work sector, "" for none.
        bed: bed address ``sector:arena:object`` in ``home``; "" lets the world pick one.
        role: job title shared by residents with the same job (policies are shared by it).
        work_days: the weekdays they work (``mon`` .. ``sun``).
        wake_time, sleep_time: ``"HH:MM"``.
        daily_requirements: things they must do every day.
        relationships: other resident's name -> ``Relationship``.
        events: seeded memories (a party being planned, an election).
        source: the file it came from (not compared).
    """

    name: str
    home: str
    age: int | None = None
    traits: tuple[str, ...] = ()
    backstory: str = ""
    currently: str = ""
    lifestyle: str = ""
    workplace: str = ""
    bed: str = ""
    role: str = ""
    work_days: tuple[str, ...] = WEEKDAYS[:5]
    wake_time: str = "07:00"
    sleep_time: str = "23:00"
    daily_requirements: tuple[str, ...] = ()
    relationships: Mapping[str, Relationship] = field(default_factory=dict)
    events: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        where = self.source or f"<persona {self.name!r}>"

        def fail(field_name: str, reason: str) -> PersonaError:
            return PersonaError(where, field_name, reason)

        if not self.name.strip():
            raise fail("name", "must not be empty")
        if not self.home.strip():
            raise fail("home", "must name the home sector")
        if self.age is not None and (
            isinstance(self.age, bool) or not isinstance(self.age, int) or not 0 <= self.age <= 130
        ):
            raise fail("age", f"must be a whole number 0..130, got {self.age!r}")
        for day in self.work_days:
            if day not in WEEKDAYS:
                raise fail("work_days", f"unknown day {day!r}; use {', '.join(WEEKDAYS)}")
        for name in ("wake_time", "sleep_time"):
            try:
                _minutes(getattr(self, name))
            except ValueError as exc:
                raise fail(name, str(exc)) from None
        if self.bed:
            bed = Address.try_parse(self.bed)
            if bed is None or not bed.is_object:
                raise fail("bed", f"must read sector:arena:object, got {self.bed!r}")
            if bed.sector != self.home:
                raise fail("bed", f"{self.bed!r} is not in the home sector {self.home!r}")
        for other, rel in self.relationships.items():
            if not isinstance(rel, Relationship):
                raise fail(f"relationships.{other}", "must be a Relationship")
            if other == self.name:
                raise fail(f"relationships.{other}", "a resident cannot relate to themself")
        object.__setattr__(self, "relationships", MappingProxyType(dict(self.relationships)))

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def wake_minute(self) -> int:
        """``wake_time`` as minutes since midnight."""
        return _minutes(self.wake_time)

    @property
    def sleep_minute(self) -> int:
        """``sleep_time`` as minutes since midnight."""
        return _minutes(self.sleep_time)

    def works_on(self, weekday: str) -> bool:
        """Whether the resident goes to work on ``weekday`` (``"mon"`` .. ``"sun"``)."""
        return bool(self.workplace) and weekday in self.work_days

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the TOML layout (``from_dict`` reads it back)."""
        out: dict[str, Any] = {
            "name": self.name,
            "home": self.home,
            "workplace": self.workplace,
            "traits": list(self.traits),
            "backstory": self.backstory,
            "currently": self.currently,
            "lifestyle": self.lifestyle,
            "role": self.role,
            "work_days": list(self.work_days),
            "wake_time": self.wake_time,
            "sleep_time": self.sleep_time,
            "daily_requirements": list(self.daily_requirements),
            "relationships": {k: v.to_dict() for k, v in self.relationships.items()},
            "events": list(self.events),
        }
        if self.age is not None:
            out["age"] = self.age
        if self.bed:
            out["bed"] = self.bed
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<dict>") -> Persona:
        """Validate a TOML table (or ``to_dict`` output) into a Persona.

        Raises:
            PersonaError: naming ``source`` and the offending field.
        """
        return _Parser(source).persona(data)


_FIELDS = (
    "name",
    "age",
    "traits",
    "backstory",
    "currently",
    "lifestyle",
    "home",
    "workplace",
    "bed",
    "role",
    "work_days",
    "wake_time",
    "sleep_time",
    "daily_requirements",
    "relationships",
    "events",
)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, field_name: str | None, reason: str) -> PersonaError:
        return PersonaError(self.source, field_name, reason)

    def text(self, data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return ""
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, got {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(key, "must not be empty")
        return value.strip()

    def texts(self, data: Mapping[str, Any], key: str, *, split: bool) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = value.split(",") if split else [value]
            return tuple(p.strip() for p in parts if p.strip())
        if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value if v.strip())
        raise self.fail(key, "must be a list of strings or a string")

    def time(self, data: Mapping[str, Any], key: str, default: str) -> str:
        value = data.get(key, default)
        if isinstance(value, dt.time):
            value = f"{value.hour:02d}:{value.minute:02d}"
        if not isinstance(value, str):
            raise self.fail(key, f'must be a time string like "07:00", got {value!r}')
        try:
            _minutes(value.strip())
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None
        return value.strip()

    def days(self, data: Mapping[str, Any], workplace: str) -> tuple[str, ...]:
        value = data.get("work_days", "weekdays" if workplace else "none")
        if isinstance(value, str):
            key = value.strip().lower()
            if key in _DAY_SETS:
                return _DAY_SETS[key]
            value = [v for v in key.replace(",", " ").split() if v]
        if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
            raise self.fail("work_days", 'must be a list like ["mon", "tue"] or "weekdays"')
        out = []
        for v in value:
            day = _DAY_ALIASES.get(v.strip().lower(), v.strip().lower()[:3])
            if day not in WEEKDAYS:
                raise self.fail("work_days", f"unknown day {v!r}")
            if day not in out:
                out.append(day)
        return tuple(sorted(out, key=WEEKDAYS.index))

    def relationships(self, data: Mapping[str, Any]) -> dict[str, Relationship]:
        value = data.get("relationships", {})
        if not isinstance(value, Mapping):
            raise self.fail("relationships", "must be a table: other name -> {relationship, ...}")
        out: dict[str, Relationship] = {}
        for other, rel in value.items():
            where = f"relationships.{other}"
            if isinstance(rel, str):
                rel = {"relationship": rel}
            if not isinstance(rel, Mapping):
                raise self.fail(where, "must be a table with relationship, closeness, feeling")
            unknown = set(rel) - {"relationship", "closeness", "feeling"}
            if unknown:
                raise self.fail(f"{where}.{sorted(unknown)[0]}", "unknown field")
            kind = rel.get("relationship")
            if not isinstance(kind, str) or not kind.strip():
                raise self.fail(f"{where}.relationship", "must be a non-empty string")
            closeness = rel.get("closeness", 5)
            if isinstance(closeness, bool) or not isinstance(closeness, int):
                raise self.fail(f"{where}.closeness", f"must be an integer, got {closeness!r}")
            if not 0 <= closeness <= 10:
                raise self.fail(f"{where}.closeness", f"must be 0..10, got {closeness}")
            feeling = rel.get("feeling", "")
            if not isinstance(feeling, str):
                raise self.fail(f"{where}.feeling", "must be a string")
            out[str(other)] = Relationship(
                relationship=kind.strip(), closeness=closeness, feeling=feeling.strip()
            )
        return out

    def persona(self, data: Mapping[str, Any]) -> Persona:
        if not isinstance(data, Mapping):
            raise self.fail(None, "a persona must be a table of fields")
        for key in data:
            if key not in _FIELDS:
                raise self.fail(str(key), f"unknown field; known fields: {', '.join(_FIELDS)}")
        age = data.get("age")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
            raise self.fail("age", f"must be a whole number, got {age!r}")
        workplace = self.text(data, "workplace")
        return Persona(
            name=self.text(data, "name", required=True),
            home=self.text(data, "home", required=True),
            age=age,
            traits=self.texts(data, "traits", split=True),
            backstory=self.text(data, "backstory"),
            currently=self.text(data, "currently"),
            lifestyle=self.text(data, "lifestyle"),
            workplace=workplace,
            bed=self.text(data, "bed"),
            role=self.text(data, "role"),
            work_days=self.days(data, workplace),
            wake_time=self.time(data, "wake_time", "07:00"),
            sleep_time=self.time(data, "sleep_time", "23:00"),
            daily_requirements=self.texts(data, "daily_requirements", split=False),
            relationships=self.relationships(data),
            events=self.texts(data, "events", split=False),
            source=self.source,
        )
