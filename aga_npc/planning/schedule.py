"""Daily plans: parsing and normalising the ``plan_day`` answer into a gap-free schedule."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Activity",
    "DailyPlan",
    "format_hhmm",
    "parse_hhmm",
    "parse_plan",
    "validate_plan_json",
    "with_entry",
]

DAY = 1440
_HHMM = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*([aApP][mM])?\s*$")
MIN_ACTIVITIES = 3
MAX_ACTIVITIES = 40


def parse_hhmm(value: Any) -> int:
    """Minutes since midnight from "07:30", "7:30 pm", "19", or an int of minutes.

    Raises:
        ValueError: the value is not a time of day.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a time of day: {value!r}")
    if isinstance(value, int):
        if 0 <= value < DAY:
            return value
        raise ValueError(f"minutes out of range: {value}")
    match = _HHMM.match(str(value))
    if not match:
        raise ValueError(f"not a time of day: {value!r}")
    hour = int(match.group(1))
    minute = int(match.group(2) or 0)
    ampm = (match.group(3) or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"bad 12-hour time: {value!r}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"time out of range: {value!r}")
    return hour * 60 + minute


def format_hhmm(minute_of_day: int) -> str:
    """ "HH:MM" for minutes since midnight (wraps past 24 h)."""
    m = minute_of_day % DAY
    return f"{m // 60:02d}:{m % 60:02d}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity:
    """One scheduled activity; ``start`` in minutes since midnight (may exceed 1440)."""

    start: int
    duration: int
    text: str
    place: str = ""

    def __post_init__(self) -> None:
        if self.duration < 1:
            raise ValueError(f"activity duration must be >= 1, got {self.duration}")
        if not self.text.strip():
            raise ValueError("activity text must not be empty")

    @property
    def end(self) -> int:
        return self.start + self.duration

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "duration": self.duration,
            "text": self.text,
            "place": self.place,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Activity:
        return cls(
            start=int(data["start"]),
            duration=int(data["duration"]),
            text=str(data["text"]),
            place=str(data.get("place", "")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyPlan:
    """A day's activities in order, contiguous from wake-up to the last one's end."""

    day: int
    wake_up: int
    activities: tuple[Activity, ...]

    def activity_at(self, minute_of_day: int) -> int | None:
        """Index of the activity running at ``minute_of_day`` (None before wake-up/after)."""
        for i, act in enumerate(self.activities):
            if act.start <= minute_of_day < act.end:
                return i
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "wake_up": self.wake_up,
            "activities": [a.to_dict() for a in self.activities],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DailyPlan:
        return cls(
            day=int(data["day"]),
            wake_up=int(data["wake_up"]),
            activities=tuple(Activity.from_dict(a) for a in data["activities"]),
        )


def validate_plan_json(value: Any) -> Any:
    """Shape check for the ``plan_day`` answer (used as the request's JSON validator).

    Raises:
        ValueError: with a message a model can act on when re-asked.
    """
    if not isinstance(value, dict):
        raise ValueError("the answer must be a JSON object with 'wake_up' and 'activities'")
    acts = value.get("activities")
    if not isinstance(acts, list) or len(acts) < MIN_ACTIVITIES:
        raise ValueError(f"'activities' must be a list of at least {MIN_ACTIVITIES} items")
    for i, act in enumerate(acts):
        if not isinstance(act, dict):
            raise ValueError(f"activity {i} must be an object")
        for key in ("start", "duration", "activity"):
            if key not in act:
                raise ValueError(f"activity {i} lacks {key!r}")
        parse_hhmm(act["start"])
        try:
            duration = int(act["duration"])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"activity {i}: duration must be a number of minutes") from exc
        if duration < 1:
            raise ValueError(f"activity {i}: duration must be positive")
        if not str(act["activity"]).strip():
            raise ValueError(f"activity {i}: empty description")
    return value


def parse_plan(
    value: Mapping[str, Any],
    *,
    day: int,
    known_places: Sequence[str],
    default_place: str,
    sleep_at: int,
) -> DailyPlan:
    """Normalise a validated ``plan_day`` answer into a contiguous schedule.

    Activities are sorted by start; overlaps trim the earlier activity; gaps extend the
    earlier one; unknown places fall back to ``default_place``; after midnight starts are
    kept after the evening (a "01:00" after "23:00" becomes 25:00). If the plan does not end
    with sleep, a sleep activity at home is appended at ``sleep_at``.
    """
    validate_plan_json(value)
    raw: list[tuple[int, int, str, str]] = []
    places = set(known_places)
    wake = parse_hhmm(value.get("wake_up", value["activities"][0]["start"]))
    for act in value["activities"][:MAX_ACTIVITIES]:
        start = parse_hhmm(act["start"])
        if start < wake - 120:  # after midnight
            start += DAY
        place = str(act.get("place", "") or "")
        raw.append((start, int(act["duration"]), str(act["activity"]).strip(), place))
    raw.sort(key=lambda r: r[0])
    fixed: list[Activity] = []
    for i, (start, duration, text, place) in enumerate(raw):
        nxt = raw[i + 1][0] if i + 1 < len(raw) else None
        if fixed and start < fixed[-1].end:
            start = fixed[-1].end
        end = start + duration
        if nxt is not None:
            end = max(nxt, start + 1) if end > nxt or nxt - end <= 240 else end
        if end <= start:
            continue
        use_place = place if place in places else default_place
        fixed.append(Activity(start=start, duration=end - start, text=text, place=use_place))
    if not fixed:
        raise ValueError("no usable activities in the plan")
    last = fixed[-1]
    if not _is_sleep(last.text):
        start = max(last.end, sleep_at if sleep_at > wake else sleep_at + DAY)
        if start > last.end:
            fixed[-1] = Activity(
                start=last.start, duration=start - last.start, text=last.text, place=last.place
            )
        fixed.append(
            Activity(
                start=start,
                duration=max(60, wake + DAY - start),
                text="sleep",
                place=default_place,
            )
        )
    return DailyPlan(day=day, wake_up=fixed[0].start, activities=tuple(fixed))


def _is_sleep(text: str) -> bool:
    lowered = text.lower()
    return "sleep" in lowered or "go to bed" in lowered or "bedtime" in lowered


def with_entry(plan: DailyPlan, entry: Activity) -> DailyPlan:
    """``plan`` with ``entry`` put in at its time (an invitation accepted today): what it
    overlaps is cut around it and an activity cut to nothing is dropped, so the plan stays
    gap-free; an entry past the plan's end extends the last activity up to it.

    Raises:
        ValueError: the entry starts before the plan's wake-up (a time gone by for it).
    """
    if entry.start < plan.wake_up:
        raise ValueError(f"entry at {format_hhmm(entry.start)} is before the plan's wake-up")
    out: list[Activity] = []
    for act in plan.activities:
        if act.end <= entry.start or act.start >= entry.end:
            out.append(act)
            continue
        if act.start < entry.start:
            out.append(
                Activity(
                    start=act.start,
                    duration=entry.start - act.start,
                    text=act.text,
                    place=act.place,
                )
            )
        if act.end > entry.end:
            out.append(
                Activity(
                    start=entry.end, duration=act.end - entry.end, text=act.text, place=act.place
                )
            )
    if out and out[-1].end < entry.start and all(a.end <= entry.start for a in out):
        last = out[-1]
        out[-1] = Activity(
            start=last.start, duration=entry.start - last.start, text=last.text, place=last.place
        )
    out.append(entry)
    return DailyPlan(
        day=plan.day, wake_up=plan.wake_up, activities=tuple(sorted(out, key=lambda a: a.start))
    )
