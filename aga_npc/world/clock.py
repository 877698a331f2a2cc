"""The game clock: a value type holding the game day and the minute of that day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MINUTES_PER_DAY", "WEEKDAYS", "GameClock", "parse_hhmm"]

MINUTES_PER_DAY = 1440
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_hhmm(text: str) -> int:
    """Minutes since midnight for ``"HH:MM"`` (00:00..23:59).

    Raises:
        ValueError: when ``text`` is not a valid 24-hour time.
    """
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(f"expected a time HH:MM, got {text!r}")
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(f"expected a time between 00:00 and 23:59, got {text!r}")
    return hours * 60 + minutes


@dataclass(frozen=True, slots=True, kw_only=True)
class GameClock:
    """Game time: ``day`` (1-based) and ``minute_of_day`` (0..1439).

    Day 1 is a Monday unless ``first_weekday`` says otherwise. The game starts on day 1 at
    06:00 (``GameClock()``). ``advance`` returns a new clock; the value never changes.
    """

    day: int = 1
    minute_of_day: int = 6 * 60
    first_weekday: int = 0

    def __post_init__(self) -> None:
        if self.day < 1:
            raise ValueError(f"GameClock.day must be >= 1, got {self.day}")
        if not 0 <= self.minute_of_day < MINUTES_PER_DAY:
            raise ValueError(f"GameClock.minute_of_day must be 0..1439, got {self.minute_of_day}")
        if not 0 <= self.first_weekday < 7:
            raise ValueError(f"GameClock.first_weekday must be 0..6, got {self.first_weekday}")

    @classmethod
    def at(cls, hhmm: str, *, day: int = 1, first_weekday: int = 0) -> GameClock:
        """A clock on ``day`` at the time ``"HH:MM"``."""
        return cls(day=day, minute_of_day=parse_hhmm(hhmm), first_weekday=first_weekday)

    @property
    def total_minutes(self) -> int:
        """Game minutes since day 1, 00:00."""
        return (self.day - 1) * MINUTES_PER_DAY + self.minute_of_day

    @property
    def weekday(self) -> str:
        """Three-letter weekday name (``"mon"`` .. ``"sun"``)."""
        return WEEKDAYS[(self.day - 1 + self.first_weekday) % 7]

    @property
    def hhmm(self) -> str:
        """The time of day as ``"HH:MM"``."""
        return f"{self.minute_of_day // 60:02d}:{self.minute_of_day % 60:02d}"

    def advance(self, minutes: int) -> GameClock:
        """A clock ``minutes`` later (``minutes`` >= 0)."""
        if minutes < 0:
            raise ValueError(f"a clock cannot go back, got {minutes} minutes")
        total = self.total_minutes + int(minutes)
        day, minute = divmod(total, MINUTES_PER_DAY)
        return GameClock(day=day + 1, minute_of_day=minute, first_weekday=self.first_weekday)

    def __str__(self) -> str:
        return f"day {self.day} ({self.weekday}) {self.hhmm}"

    def to_dict(self) -> dict[str, int]:
        return {
            "day": self.day,
            "minute_of_day": self.minute_of_day,
            "first_weekday": self.first_weekday,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GameClock:
        return cls(
            day=int(data.get("day", 1)),
            minute_of_day=int(data.get("minute_of_day", 6 * 60)),
            first_weekday=int(data.get("first_weekday", 0)),
        )
