"""False alarms on realistic data: the offline stand-in's own days on the bundled town.

Every resident gets the stand-in's day plan and its decompositions for a week and a few
seeds (``standin_days``). Nothing in them is a broken NPC, so the sleep, meal, place and
work rules must stay all but silent (a rare odd plan of the stand-in's is a true finding:
"Bram takes a short nap" planned from 13:15 to 16:55).

The plan-action rule is different: the stand-in picks a decomposition recipe by keywords,
and some picks do not carry out their plan; its own step description says so ("chat with
friends" for "catch up on reading", "pay at the counter" for a grocer's "open the
grocery"). Those are real mismatches a player would see, counted apart from the flags the
stand-in's description does not explain.

Measured while the stand-in's wording was being reworked (25 residents, 7 days; actions on
objects): with 4 seeds, 2.9 % flagged of 18,086 (2.65 % slips, 0.23 % unexplained) and,
a revision later, 1.8 % of 17,861 (1.79 % slips, 0.03 % unexplained). Every unexplained
flag reviewed was a slip too (fridge "get food" for "buy fresh vegetables" planned at
home, or for the "get" in "before the day gets away"; a "look up a reference" step at a
bookshelf during "put on a record and unwind").
"""

from __future__ import annotations

from collections import Counter

from standin_days import standin_days

from aga_npc.town.agreement import fit_reason, plan_activities
from aga_npc.town.checker import summarise

DAYS, SEEDS = 7, 3
SILENT_RULES = (
    "sleep",
    "no_meals",
    "meals",
    "daytime_sleep",
    "work_on_day_off",
    "work",
    "wrong_place",
    "actions",
)
MAX_ODD_DAYS = 0.01  # of agent-days, per rule (seen: a "short nap" planned for 220 min)
MAX_FLAGGED = 0.05  # of actions on objects, stand-in slips included
MAX_UNEXPLAINED = 0.01  # flags the stand-in's own step description does not explain


def test_honest_days_raise_almost_no_sleep_meal_place_or_work_violations() -> None:
    summary = summarise(record for record, _ in standin_days(DAYS, SEEDS))
    agent_days = summary["agent_days"]
    assert agent_days == 25 * DAYS * SEEDS
    for rule in SILENT_RULES:  # a rare odd plan of the stand-in's may show up, no more
        assert summary["by_rule"][rule] <= MAX_ODD_DAYS * agent_days, summary["details"][rule]
    assert 2.5 <= summary["meals_per_agent_day"] <= 3.5


def test_plan_mismatch_on_honest_days_is_mostly_the_standins_own_slips() -> None:
    checked = 0
    slips: Counter[tuple[str, str, str, str]] = Counter()
    unexplained: Counter[tuple[str, str, str, str]] = Counter()
    for record, descriptions in standin_days(DAYS, SEEDS):
        for action, description in zip(record.executed, descriptions, strict=True):
            if not action.kind:
                continue
            checked += 1
            if fit_reason(action.plan, action.verb, action.kind, place=action.place) is None:
                continue
            planned = set(plan_activities(action.plan, place=action.place))
            described = set(plan_activities(description))
            key = (action.plan, action.verb, action.kind, description)
            if described and not described & planned:
                slips[key] += 1  # the step itself says it does something else
            else:
                unexplained[key] += 1
    flagged = sum(slips.values()) + sum(unexplained.values())
    print(
        f"\nplan-action agreement on {checked} stand-in actions on objects: "
        f"{flagged / checked:.2%} flagged, {sum(slips.values()) / checked:.2%} stand-in "
        f"slips, {sum(unexplained.values()) / checked:.2%} unexplained"
    )
    assert checked > 10_000
    assert sum(unexplained.values()) / checked < MAX_UNEXPLAINED, unexplained.most_common(20)
    assert flagged / checked < MAX_FLAGGED, (slips + unexplained).most_common(20)
