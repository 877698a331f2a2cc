"""PlanningThought's day: only a day that is today is scheduled as today. A weekday name
that is not today's weekday, a date, "next week" is a thought about a later day - no
change of today's plan - and with the day known (``PlanningThought.on_day``) a weekday
becomes a plan for that day. Day 1 is a Monday, as the brain counts
(``AgentProfile.is_work_day``)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from aga_npc.brain.answers import Commitment, PlanningThought, day_offset
from aga_npc.brain.social_side import SocialSide

DAY = 1440
TUESDAY = 2  # game day 2
SATURDAY = 6


def answer(day: str | None, start: str = "18:00") -> dict[str, Any]:
    plan: dict[str, Any] = {"activity": "dinner with Ben", "start": start, "place": "Cafe"}
    if day is not None:
        plan["day"] = day
    return {"thought": "Dinner with Ben", "plan": plan}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (None, 0),
        ("", 0),
        ("today", 0),
        ("Tonight at 18:00", 0),
        ("this evening", 0),
        ("after work", 0),
        ("tomorrow", 1),
        ("Tomorrow evening", 1),
        ("the day after tomorrow", 2),
        # weekday names and dates cannot be placed without the day: never today
        ("saturday", None),
        ("Sat", None),
        ("on Tuesday", None),
        ("day 3", None),
        ("March 14", None),
        ("2024-03-14", None),
        ("14/3", None),
        ("the 14th", None),
        ("next week", None),
        ("this weekend", None),
    ],
)
def test_the_day_when_today_is_unknown(day: str | None, expected: int | None) -> None:
    thought = PlanningThought.validate(answer(day))
    if expected is None:
        assert thought.plan is None and thought.thought == "Dinner with Ben"
    else:
        assert thought.plan is not None and thought.plan.day_offset == expected


@pytest.mark.parametrize(
    ("day", "today", "expected"),
    [
        ("saturday", TUESDAY, 4),
        ("Saturday evening", TUESDAY, 4),
        ("sat", TUESDAY, 4),
        ("tuesday", TUESDAY, 0),  # today's own weekday is today
        ("this Tuesday", TUESDAY, 0),
        ("next tuesday", TUESDAY, 7),
        ("monday", TUESDAY, 6),
        ("wednesday", TUESDAY, 1),
        ("saturday", SATURDAY, 0),
        ("sunday", SATURDAY, 1),
        ("day 5", TUESDAY, 3),
        ("day 1", TUESDAY, None),  # already past
        ("tomorrow", TUESDAY, 1),
        ("today", TUESDAY, 0),
        ("July 4", TUESDAY, None),
    ],
)
def test_a_weekday_is_placed_when_the_day_is_known(
    day: str, today: int, expected: int | None
) -> None:
    assert day_offset(day, today=today) == expected
    thought = PlanningThought.on_day(today)(answer(day))
    assert (thought.plan.day_offset if thought.plan else None) == expected


class Recorder:
    """What a planning thought does to the plans: a re-plan of today or an invitation."""

    def __init__(self) -> None:
        self.replans: list[Commitment | None] = []
        self.invitations: list[Commitment] = []

    def replan(self, now: int, event: str, commitment: Commitment | None) -> bool:
        self.replans.append(commitment)
        return True

    def add_invitation(self, commitment: Commitment, now: int) -> None:
        self.invitations.append(commitment)


def consume(answer_value: dict[str, Any], *, now: int, known_day: bool) -> Recorder:
    """Hand an answer to the brain's social side, as its request's continuation does."""
    planner = Recorder()
    side = SimpleNamespace(
        planner=planner, mind=SimpleNamespace(remember=lambda *a, **k: 0), profile=None
    )
    validator = PlanningThought.on_day(now // DAY + 1) if known_day else PlanningThought.validate
    SocialSide._on_planning_thought(side, "Ben Ortiz", now, validator(answer_value))  # type: ignore[arg-type]
    return planner


@pytest.mark.parametrize("known_day", [False, True])
def test_saturday_on_a_tuesday_does_not_change_todays_plan(known_day: bool) -> None:
    tuesday_morning = (TUESDAY - 1) * DAY + 9 * 60
    planner = consume(answer("saturday"), now=tuesday_morning, known_day=known_day)
    assert planner.replans == []
    if known_day:  # an invitation for Saturday's plan
        [invite] = planner.invitations
        assert invite.day_offset == 4
    else:  # a thought only
        assert planner.invitations == []
    # today (as before) still re-plans today
    planner = consume(answer("today"), now=tuesday_morning, known_day=known_day)
    assert [c.activity if c else None for c in planner.replans] == ["dinner with Ben"]
