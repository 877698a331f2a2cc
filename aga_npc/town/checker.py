"""Behaviour checker: counts violations of common sense per agent-day.

Checked for every agent and game day:
- ``sleep``: at 03:00 the agent is asleep in its own bed;
- ``meals``: breakfast, lunch and dinner each happen at most once, at plausible times;
- ``work``: on a work day the agent spends at least an hour at its workplace;
- ``actions``: actions that could not be grounded or performed (after the re-ask loop).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MEAL_WINDOWS", "AgentDay", "check_day", "meal_kind"]

MEAL_WINDOWS = {
    "breakfast": (5 * 60, 11 * 60 + 30),
    "lunch": (11 * 60, 15 * 60 + 30),
    "dinner": (17 * 60, 22 * 60 + 30),
}
_MEAL_WORDS = {
    "breakfast": ("breakfast", "brunch"),
    "lunch": ("lunch",),
    "dinner": ("dinner", "supper"),
}
MIN_WORK_MINUTES = 60


_NOT_A_MEAL = ("service", "customers", "orders", "menu", "shift", "for the guests")


def meal_kind(text: str) -> str | None:
    """Which meal an activity text is about, if any ("cook the lunch service" is work)."""
    lowered = text.lower()
    if any(w in lowered for w in _NOT_A_MEAL):
        return None
    for kind, words in _MEAL_WORDS.items():
        if any(w in lowered for w in words):
            return kind
    return None


@dataclass(slots=True)
class AgentDay:
    """What the town recorded of one agent on one game day."""

    agent: str
    day: int
    work_day: bool
    activities: list[tuple[int, str]] = field(default_factory=list)
    slept_in_own_bed: bool | None = None
    work_minutes: int = 0
    actions: int = 0
    failed_actions: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "day": self.day,
            "work_day": self.work_day,
            "slept_in_own_bed": self.slept_in_own_bed,
            "work_minutes": self.work_minutes,
            "actions": self.actions,
            "failed_actions": self.failed_actions,
        }


def check_day(record: AgentDay) -> dict[str, list[str]]:
    """Violations of one agent-day, by rule, each a readable sentence."""
    found: dict[str, list[str]] = {"sleep": [], "meals": [], "work": [], "actions": []}
    if record.slept_in_own_bed is False:
        found["sleep"].append(
            f"{record.agent} was not asleep in own bed at 03:00 after day {record.day}"
        )
    seen: dict[str, int] = {}
    for minute, text in record.activities:
        kind = meal_kind(text)
        if kind is None:
            continue
        seen[kind] = seen.get(kind, 0) + 1
        lo, hi = MEAL_WINDOWS[kind]
        mod = minute % 1440
        if not lo <= mod <= hi:
            found["meals"].append(f"{record.agent} had {kind} at {mod // 60:02d}:{mod % 60:02d}")
    for kind, count in seen.items():
        if count > 1:
            found["meals"].append(f"{record.agent} had {kind} {count} times on day {record.day}")
    if record.work_day and record.work_minutes < MIN_WORK_MINUTES:
        found["work"].append(
            f"{record.agent} spent {record.work_minutes} min at work on work day {record.day}"
        )
    if record.failed_actions:
        found["actions"].append(
            f"{record.agent}: {record.failed_actions} of {record.actions} actions failed "
            f"on day {record.day}"
        )
    return found


def summarise(records: Iterable[AgentDay]) -> dict[str, Any]:
    """Totals by rule, per agent-day counts, and the failed-action share."""
    by_rule: dict[str, int] = {"sleep": 0, "meals": 0, "work": 0, "actions": 0}
    details: list[str] = []
    actions = failed = agent_days = 0
    for record in records:
        agent_days += 1
        actions += record.actions
        failed += record.failed_actions
        for rule, items in check_day(record).items():
            by_rule[rule] += len(items)
            details.extend(items)
    return {
        "total": sum(by_rule.values()),
        "by_rule": by_rule,
        "agent_days": agent_days,
        "per_agent_day": (sum(by_rule.values()) / agent_days) if agent_days else 0.0,
        "failed_action_share": (failed / actions) if actions else 0.0,
        "details": details[:200],
    }
