"""Named problems a map can have (what ``python -m aga_npc.maps check`` reports)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PROBLEM_CODES", "Problem"]

PROBLEM_CODES: Mapping[str, str] = {
    "missing_layer": "a semantic layer (locations, objects, spawns, collision) is missing",
    "location_without_sector": "a locations rectangle has no 'sector' property",
    "arena_outside_sector": "an arena rectangle does not lie inside a rectangle of its sector",
    "object_outside_arena": "an object does not lie inside any arena rectangle",
    "object_without_name": "an object has no name",
    "missing_kind": "an object has no 'kind' property",
    "unknown_kind": "an object's kind is not one of the known kinds",
    "bad_capacity": "an object's 'capacity' is not a whole number >= 1",
    "bad_states": "an object's 'states' is not a comma-separated list of distinct names",
    "bad_use_tile": "an object's use_x/use_y is missing a half, outside the map or blocked",
    "duplicate_address": "two objects share one sector:arena:object address",
    "unreachable_object": "an object's use tile cannot be walked to from a spawn",
    "unreachable_bed": "a bed's use tile cannot be walked to from a spawn",
    "spawn_blocked": "a spawn point stands on a blocked tile or outside the map",
    "spawn_unknown_bed": "a spawn's 'bed' is not the address of a bed on the map",
    "spawn_without_home": "a spawn has no 'home' property",
    "no_spawns": "the spawns layer holds no spawn point",
}
"""Every problem code with a one-line explanation."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with a map.

    Attributes:
        code: one of ``PROBLEM_CODES``.
        message: what is wrong and where, for humans.
        subject: the address, layer or object the problem is about ("" when global).
    """

    code: str
    message: str
    subject: str = ""

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {self.code!r}")

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "subject": self.subject}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        return cls(
            code=str(data["code"]),
            message=str(data["message"]),
            subject=str(data.get("subject", "")),
        )
