"""Planner: wake-up -> daily plan -> the hourly schedule (one call per waking hour with the
schedule so far, or one call in the ``aga`` mode), merging continued activities, the
routine plan on failures, re-planning the rest of today, invitations, the stage table."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import pytest
from brain_kit import ADA, ADA_HOME, CAFE, DAY, PARK, PLACES, Rig

from aga_npc.brain.answers import Commitment, PlanItem
from aga_npc.brain.modes import Mode
from aga_npc.brain.planner import TRANSITIONS, DayStage, Planner, _DayWork, routine_plan
from aga_npc.brain.requests import RequestBook
from aga_npc.brain.settings import LoopSettings
from aga_npc.errors import ServerError
from aga_npc.planning.schedule import DailyPlan, format_hhmm, parse_hhmm

OUTLINE = [
    ("07:00", 60, "have breakfast", ADA_HOME),
    ("08:00", 240, "work at the counter", CAFE),
    ("12:00", 60, "have lunch", CAFE),
    ("13:00", 240, "work at the counter", CAFE),
    ("17:00", 120, "walk in the park", PARK),
    ("19:00", 150, "read at home", ADA_HOME),
    ("21:30", 570, "sleep", ADA_HOME),
]
WAKE = 7 * 60
BEDTIME = 21 * 60 + 30


def outline_answer(_: Any = None) -> dict[str, Any]:
    return {
        "wake_up": "07:00",
        "activities": [
            {"start": s, "duration": d, "activity": t, "place": p} for s, d, t, p in OUTLINE
        ],
    }


def covering(minute: int) -> tuple[str, str]:
    for start, duration, text, place in OUTLINE:
        begin = parse_hhmm(start)
        if begin <= minute < begin + duration:
            return text, place
    raise AssertionError(f"nothing planned at {minute}")


def hour_answer(ctx: dict[str, Any]) -> dict[str, Any]:
    """The hourly schedule as a model writes it: the items of the daily plan within the
    hour, with the same words and place as in the hour before."""
    begin = int(ctx["hour"]) * 60
    out = []
    for start, duration, text, place in OUTLINE:
        first = max(parse_hhmm(start), begin)
        last = min(parse_hhmm(start) + duration, begin + 60)
        if first < last:
            out.append(
                {
                    "start": format_hhmm(first),
                    "duration": last - first,
                    "activity": text,
                    "place": place,
                }
            )
    return {"activities": out}


def whole_day_answer(ctx: dict[str, Any]) -> dict[str, Any]:
    assert ctx["hour"] is None
    return outline_answer()


class Memory:
    """What the planner needs from the memory side, recording what it was told."""

    def __init__(self) -> None:
        self.plans: list[tuple[int, int, list[PlanItem]]] = []

    def planning_memories(self, now: int, rng: random.Random) -> list[str]:
        return ["Ada promised to bake for the fair"]

    def known_places(self) -> list[str]:
        return list(PLACES)

    def on_plan(self, now: int, day: int, items: Sequence[PlanItem]) -> None:
        self.plans.append((now, day, list(items)))


class Harness:
    def __init__(self, rig: Rig, *, mode: Mode = Mode.BASELINE) -> None:
        self.rig = rig
        self.book: RequestBook = rig.book()
        self.memory = Memory()
        self.changes: list[int] = []
        self.planner = Planner(
            profile=ADA,
            requests=self.book,
            memory=self.memory,
            settings=LoopSettings.for_mode(mode),
            rng=random.Random(0),
            on_change=self.changes.append,
        )

    def plan_day(self, now: int, rounds: int = 100) -> DailyPlan:
        day = now // DAY + 1
        for _ in range(rounds):
            self.planner.tick(now)
            self.rig.settle(self.book)
            plan = self.planner.plan(day)
            if plan is not None:
                return plan
        raise AssertionError("no plan was made")


def spans(plan: DailyPlan) -> list[tuple[str, int, str, str]]:
    return [(format_hhmm(a.start), a.duration, a.text, a.place) for a in plan.activities]


GA_DAY = {
    "wake_up": {"wake_up": "07:00"},
    "daily_plan": outline_answer,
    "hourly_schedule": hour_answer,
}


def test_generative_agents_day_asks_every_waking_hour_with_the_schedule_so_far(rig: Any) -> None:
    h = Harness(rig(GA_DAY))
    plan = h.plan_day(3 * 60)
    kinds = h.rig.kinds()
    hours = list(range(WAKE // 60, (BEDTIME - 1) // 60 + 1))
    assert kinds == {"wake_up": 1, "daily_plan": 1, "hourly_schedule": len(hours)}
    asked = h.rig.script.contexts["hourly_schedule"]
    assert [c["hour"] for c in asked] == hours
    # each hour sees the schedule written so far, and the whole daily plan
    for i, ctx in enumerate(asked):
        assert len(ctx["schedule_so_far"]) == i
        assert len(ctx["daily_plan"]) == len(OUTLINE)
    assert asked[-1]["schedule_so_far"][0]["activity"] == "have breakfast"
    # the daily plan was asked with the wake-up hour and the planning memories
    [daily] = h.rig.script.contexts["daily_plan"]
    assert daily["wake_up"] == "07:00" and "Ada promised to bake for the fair" in daily["memories"]
    assert plan.wake_up == WAKE
    assert h.planner.revision(1) == 1 and h.changes == [1]
    assert len(h.memory.plans) == 1 and h.memory.plans[0][1] == 1


def test_continued_hours_merge_into_one_item(rig: Any) -> None:
    h = Harness(rig(GA_DAY))
    plan = h.plan_day(3 * 60)
    assert spans(plan)[:6] == [
        ("07:00", 60, "have breakfast", ADA_HOME),
        ("08:00", 240, "work at the counter", CAFE),
        ("12:00", 60, "have lunch", CAFE),
        ("13:00", 240, "work at the counter", CAFE),
        ("17:00", 120, "walk in the park", PARK),
        ("19:00", BEDTIME - 19 * 60, "read at home", ADA_HOME),
    ]


@pytest.mark.parametrize("last_hour", ["as planned", "a whole hour of reading"])
def test_the_day_ends_at_the_daily_plans_bedtime_and_sleeps_through_the_night(
    rig: Any, last_hour: str
) -> None:
    def hour(ctx: dict[str, Any]) -> dict[str, Any]:
        if last_hour != "as planned" and ctx["hour"] == BEDTIME // 60:
            item = {"start": "21:00", "duration": 60, "activity": "read at home", "place": ADA_HOME}
            return {"activities": [item]}
        return hour_answer(ctx)

    h = Harness(rig({**GA_DAY, "hourly_schedule": hour}))
    plan = h.plan_day(3 * 60)
    last = plan.activities[-1]
    assert (last.text, last.place) == ("sleep", ADA_HOME)
    assert last.start == BEDTIME, "the daily plan's bedtime, not the persona's usual one"
    assert last.end >= DAY + ADA.wake, "asleep until the morning"
    assert plan.activities[-2].end == BEDTIME


def test_a_bedtime_after_midnight_is_kept(rig: Any) -> None:
    late = [
        ("00:00", 420, "sleep", ADA_HOME),  # the night before: not tonight's bedtime
        ("07:00", 60, "have breakfast", ADA_HOME),
        ("08:00", 840, "relax at home", ADA_HOME),
        ("22:00", 150, "dance at the party", PARK),
        ("00:30", 390, "sleep", ADA_HOME),
    ]

    def outline(_: Any) -> dict[str, Any]:
        items = [{"start": s, "duration": d, "activity": t, "place": p} for s, d, t, p in late]
        return {"wake_up": "07:00", "activities": items}

    def hour(ctx: dict[str, Any]) -> dict[str, Any]:
        begin, out = int(ctx["hour"]) * 60, []
        for start, duration, text, place in late[1:]:
            first = parse_hhmm(start) + (DAY if parse_hhmm(start) < WAKE else 0)
            a, b = max(first, begin), min(first + duration, begin + 60)
            if a < b:
                out.append(
                    {"start": format_hhmm(a), "duration": b - a, "activity": text, "place": place}
                )
        return {"activities": out}

    h = Harness(rig({**GA_DAY, "daily_plan": outline, "hourly_schedule": hour}))
    plan = h.plan_day(3 * 60)
    assert [c["hour"] for c in h.rig.script.contexts["hourly_schedule"]][-1] == 24
    party, sleep = plan.activities[-2:]
    assert (party.text, party.start, party.end) == ("dance at the party", 22 * 60, DAY + 30)
    assert (sleep.text, sleep.start) == ("sleep", DAY + 30)
    assert sleep.end >= DAY + ADA.wake


def test_merging_needs_the_same_words_the_same_place_and_no_gap(rig: Any) -> None:
    answers = {
        8: ("work at the counter", CAFE, 0),
        9: ("Work at the  counter ", CAFE, 0),  # same words: continued
        10: ("work at the counter", PARK, 0),  # another place: a new item
        11: ("work at the counter", PARK, 20),  # starts 20 minutes late: a new item
    }

    def hour(ctx: dict[str, Any]) -> dict[str, Any]:
        h = int(ctx["hour"])
        text, place, late = answers.get(h, (*covering(h * 60), 0))
        start = f"{h:02d}:{late:02d}"
        return {
            "activities": [
                {"start": start, "duration": 60 - late, "activity": text, "place": place}
            ]
        }

    h = Harness(rig({**GA_DAY, "hourly_schedule": hour}))
    plan = h.plan_day(3 * 60)
    morning = [s for s in spans(plan) if "counter" in s[2].lower()][:3]
    assert [(s[0], s[3]) for s in morning] == [("08:00", CAFE), ("10:00", PARK), ("11:20", PARK)]
    assert morning[0][1] == 120


def test_one_call_schedule_asks_the_whole_day_once(rig: Any) -> None:
    h = Harness(
        rig({**GA_DAY, "hourly_schedule": whole_day_answer}),
        mode=Mode.AGA,
    )
    plan = h.plan_day(3 * 60)
    assert h.rig.kinds() == {"wake_up": 1, "daily_plan": 1, "hourly_schedule": 1}
    waking_hours = (BEDTIME - 1) // 60 - WAKE // 60 + 1
    assert h.planner.schedule_calls_avoided == waking_hours - 1
    assert [s[2] for s in spans(plan)] == [t for _, _, t, _ in OUTLINE]


@pytest.mark.parametrize(
    ("broken", "asked"),
    [
        ({"wake_up": ServerError("down", status=503)}, {"wake_up"}),
        ({"daily_plan": {"activities": []}}, {"wake_up", "daily_plan"}),
        ({"daily_plan": {"activities": "no idea"}}, {"wake_up", "daily_plan"}),
    ],
)
def test_a_failed_wake_up_or_daily_plan_falls_back_to_the_routine_plan(
    rig: Any, broken: dict[str, Any], asked: set[str]
) -> None:
    h = Harness(rig({**GA_DAY, **broken}))
    plan = h.plan_day(3 * 60)
    assert plan == routine_plan(ADA, 1)
    assert set(h.rig.kinds()) == asked
    assert h.planner.revision(1) == 1 and h.changes == [1]
    # the day is settled: no more planning requests for it
    before = dict(h.rig.kinds())
    for minute in (4 * 60, 9 * 60, 20 * 60):
        assert h.planner.tick(minute) is False
    h.rig.settle(h.book)
    assert h.rig.kinds() == before and not h.planner.busy()


def test_routine_plan_follows_the_persona_on_work_days_and_days_off() -> None:
    monday, saturday = routine_plan(ADA, 1), routine_plan(ADA, 6)
    assert any(a.place == CAFE for a in monday.activities)
    assert all(a.place == ADA_HOME for a in saturday.activities)
    for plan in (monday, saturday):
        assert plan.wake_up == ADA.wake
        assert plan.activities[-1].text == "sleep" and plan.activities[-1].start == ADA.sleep
        ends = [a.end for a in plan.activities[:-1]]
        assert ends == [a.start for a in plan.activities[1:]], "no gaps"


def test_a_failed_hour_leaves_no_hole_and_all_failed_hours_keep_the_daily_plan(
    rig: Any,
) -> None:
    def flaky(ctx: dict[str, Any]) -> Any:
        return ServerError("busy", status=503) if ctx["hour"] == 10 else hour_answer(ctx)

    h = Harness(rig({**GA_DAY, "hourly_schedule": flaky}))
    plan = h.plan_day(3 * 60)
    ends = [a.end for a in plan.activities[:-1]]
    assert ends == [a.start for a in plan.activities[1:]]
    assert plan.activity_at(10 * 60 + 30) is not None

    none = Harness(rig({**GA_DAY, "hourly_schedule": ServerError("down", status=503)}))
    plan = none.plan_day(3 * 60)
    assert [s[2] for s in spans(plan)] == [t for _, _, t, _ in OUTLINE]
    assert plan != routine_plan(ADA, 1)


def test_planning_starts_at_three_once_yesterday_has_a_plan(rig: Any) -> None:
    h = Harness(rig(GA_DAY))
    assert h.planner.tick(0) is True, "no plan at all: plan today at once"
    assert h.planner.busy()
    h.rig.settle(h.book)
    h.plan_day(0)
    assert h.planner.tick(DAY + 2 * 60 + 59) is False, "day 2 is planned from 03:00"
    assert h.planner.tick(DAY + 3 * 60) is True
    h.rig.settle(h.book)
    h.plan_day(DAY + 3 * 60)
    h.plan_day(2 * DAY + 3 * 60)
    assert sorted(h.planner.plans) == [2, 3], "plans older than yesterday are dropped"
    assert h.changes == [1, 2, 3]


def test_an_invitation_goes_into_that_days_daily_plan_only(rig: Any) -> None:
    h = Harness(rig(GA_DAY))
    # agreed at 01:00 for 09:00 today, before today's plan exists: it goes into that plan
    walk = Commitment(activity="walk", day_offset=0, start=9 * 60, duration=30, place=PARK)
    h.planner.add_invitation(walk, 60)
    h.plan_day(3 * 60)
    assert h.rig.script.contexts["daily_plan"][0]["invitations"] == [walk.to_dict()]
    coffee = Commitment(
        activity="coffee with Ben", day_offset=1, start=16 * 60, duration=60, place=CAFE
    )
    h.planner.add_invitation(coffee, 15 * 60)
    assert [i["day"] for i in h.planner.invitations] == [2]
    h.plan_day(DAY + 3 * 60)
    assert h.rig.script.contexts["daily_plan"][-1]["invitations"] == [coffee.to_dict()]
    assert h.planner.invitations == [], "used invitations are dropped"


def test_replan_keeps_the_past_and_writes_the_rest_with_the_commitment(rig: Any) -> None:
    def replan(ctx: dict[str, Any]) -> dict[str, Any]:
        c = ctx["new_commitment"]
        return {
            "activities": [
                {
                    "start": "14:00",
                    "duration": 60,
                    "activity": "work at the counter",
                    "place": CAFE,
                },
                {
                    "start": c["start"],
                    "duration": c["duration"],
                    "activity": c["activity"],
                    "place": c["place"],
                },
                {"start": "16:00", "duration": 300, "activity": "read at home", "place": ADA_HOME},
            ]
        }

    h = Harness(rig({**GA_DAY, "replan": replan}))
    before = h.plan_day(3 * 60)
    now = 14 * 60 + 20
    coffee = Commitment(
        activity="coffee with Ben", day_offset=0, start=15 * 60, duration=60, place=CAFE
    )
    assert h.planner.replan(now, "Ben asked for a coffee", coffee) is True
    assert h.planner.busy()
    assert h.planner.replan(now, "again", None) is False, "one re-plan at a time"
    h.rig.settle(h.book)
    assert h.rig.calls("replan") == 1
    [ctx] = h.rig.script.contexts["replan"]
    assert ctx["new_commitment"] == coffee.to_dict()
    assert ctx["what_happened"] == "Ben asked for a coffee"
    remaining = ctx["remaining_schedule"]
    assert remaining[0]["start"] == "14:20" and remaining[0]["activity"] == "work at the counter"
    after = h.planner.plan(1)
    assert after is not None and after != before
    past = [a for a in before.activities if a.end <= now]
    assert list(after.activities[: len(past)]) == past
    current = after.activities[len(past)]
    assert (current.text, current.start, current.end) == ("work at the counter", 13 * 60, now)
    at = after.activity_at(15 * 60 + 10)
    assert at is not None and after.activities[at].text == "coffee with Ben"
    assert all(a.start >= now for a in after.activities[len(past) + 1 :])
    assert h.planner.revision(1) == 2 and h.planner.replans == 1
    assert h.changes == [1, 1]
    assert not h.planner.busy()


def test_a_failed_or_empty_replan_leaves_the_plan_and_allows_the_next(rig: Any) -> None:
    h = Harness(rig({**GA_DAY, "replan": [ServerError("x", status=503), {"activities": []}]}))
    before = h.plan_day(3 * 60)
    assert h.planner.replan(10 * 60, "a", None)
    h.rig.settle(h.book)
    assert h.planner.plan(1) == before and h.planner.revision(1) == 1
    assert h.planner.replan(10 * 60, "b", None), "the failed re-plan does not block the next"
    h.rig.settle(h.book)
    assert h.planner.plan(1) == before and h.planner.replans == 0
    assert h.changes == [1]


def test_replan_without_a_plan_for_today_asks_nothing(rig: Any) -> None:
    h = Harness(rig(GA_DAY))
    assert h.planner.replan(10 * 60, "something", None) is False
    assert len(h.book) == 0


def test_a_replan_answer_about_an_older_plan_is_ignored(rig: Any) -> None:
    h = Harness(
        rig(
            {
                **GA_DAY,
                "replan": {
                    "activities": [
                        {"start": "11:00", "duration": 60, "activity": "nap", "place": ADA_HOME}
                    ]
                },
            }
        )
    )
    h.plan_day(3 * 60)
    assert h.planner.replan(10 * 60, "tired", None)
    # meanwhile the plan was replaced (a load that kept the request, say)
    newer = routine_plan(ADA, 1)
    state = h.planner.get_state()
    state["plans"] = [newer.to_dict()]
    state["revisions"] = [[1, 5]]
    h.planner.set_state(state)
    h.rig.settle(h.book)
    assert h.planner.plan(1) == newer and h.planner.revision(1) == 5


def test_planner_state_round_trips(rig: Any) -> None:
    h = Harness(rig(GA_DAY))
    h.plan_day(3 * 60)
    h.planner.add_invitation(
        Commitment(activity="tea", day_offset=1, start=600, duration=30, place=PARK), 600
    )
    state = h.planner.get_state()
    other = Harness(rig(GA_DAY))
    other.planner.set_state(state)
    assert other.planner.get_state() == state
    assert other.planner.plan(1) == h.planner.plan(1)
    assert other.planner.revision(1) == 1
    assert other.planner.tick(4 * 60) is False, "a loaded plan is not asked again"


def test_the_stage_table_is_a_forward_lifecycle() -> None:
    assert TRANSITIONS[DayStage.READY] == frozenset()
    for stage in DayStage:
        if stage is not DayStage.READY:
            assert DayStage.READY in TRANSITIONS[stage], "any stage can fall back"
    for stage in DayStage:
        for target in DayStage:
            work = _DayWork(day=1, stage=stage)
            if target in TRANSITIONS[stage] or target is stage:
                work.move(target)
                assert work.stage is target
            else:
                with pytest.raises(RuntimeError, match="illegal plan stage"):
                    work.move(target)


def test_a_replan_asked_while_one_is_in_flight_waits_for_it(rig: Any) -> None:
    h = Harness(rig({**GA_DAY, "replan": lambda ctx: {"activities": ctx["remaining_schedule"]}}))
    h.plan_day(3 * 60)
    now = 14 * 60 + 20
    tea = Commitment(activity="tea with Ben", day_offset=0, start=18 * 60, duration=45, place=CAFE)
    assert h.planner.replan(now, "first", None) is True
    assert h.planner.replan(now, "agreed with Ben: tea", tea) is False  # waits, not lost
    h.rig.settle(h.book)
    assert h.rig.calls("replan") == 1
    assert h.planner.tick(now + 1) is True  # the waiting one is asked now
    h.rig.settle(h.book)
    assert h.rig.calls("replan") == 2
    assert h.rig.script.contexts["replan"][-1]["new_commitment"] == tea.to_dict()
    plan = h.planner.plan(1)
    assert plan is not None
    at = plan.activity_at(18 * 60 + 10)
    assert at is not None and plan.activities[at].text == "tea with Ben"


def test_an_answer_that_leaves_the_commitment_out_gets_it_put_in(rig: Any) -> None:
    # the model rewrote the rest of the day and forgot what was agreed
    h = Harness(rig({**GA_DAY, "replan": lambda ctx: {"activities": ctx["remaining_schedule"]}}))
    h.plan_day(3 * 60)
    now = 10 * 60
    walk = Commitment(
        activity="walk with Ben", day_offset=0, start=17 * 60 + 30, duration=60, place=PARK
    )
    assert h.planner.replan(now, "agreed with Ben: a walk", walk) is True
    h.rig.settle(h.book)
    plan = h.planner.plan(1)
    assert plan is not None
    at = plan.activity_at(17 * 60 + 45)
    assert at is not None
    assert (plan.activities[at].text, plan.activities[at].place) == ("walk with Ben", PARK)
    # what it overlapped is cut around it, not dropped
    assert any(a.text == "walk in the park" and a.end == 17 * 60 + 30 for a in plan.activities)


def test_an_agreement_before_todays_plan_goes_into_todays_plan(rig: Any) -> None:
    h = Harness(rig(GA_DAY))
    late = Commitment(
        activity="breakfast with Ben", day_offset=0, start=7 * 60, duration=30, place=CAFE
    )
    assert h.planner.replan(60, "agreed at 01:00", late) is False  # no plan for today yet
    assert [i["day"] for i in h.planner.invitations] == [1]
    h.plan_day(3 * 60)
    assert h.rig.script.contexts["daily_plan"][0]["invitations"] == [late.to_dict()]
