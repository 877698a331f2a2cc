"""Every checker rule flags a bad day and leaves a good one alone."""

from __future__ import annotations

import dataclasses

import pytest
from day_builder import HOME, WORK, DayBuilder, ordinary_day

from aga_npc.town.checker import (
    RULES,
    ActionSource,
    AgentDay,
    check_day,
    meals_of,
    summarise,
)


def flagged(record: AgentDay) -> dict[str, list[str]]:
    return {rule: items for rule, items in check_day(record).items() if items}


def test_an_ordinary_day_is_clean_on_every_rule() -> None:
    for work_day in (True, False):
        record = ordinary_day(work_day=work_day).build()
        assert flagged(record) == {}
        found = check_day(record)
        assert set(found) == set(RULES)


# ------------------------------------------------------------------ sleep
def test_sleep_flags_a_night_away_from_the_own_bed() -> None:
    record = ordinary_day().build()
    record.slept_in_own_bed = False
    assert flagged(record) == {
        "sleep": ["Amara Osei was not asleep in own bed at 03:00 after day 1"]
    }
    record.slept_in_own_bed = None  # not observed: not judged
    assert flagged(record) == {}


# ------------------------------------------------------------------ no_meals
def test_no_meals_flags_a_day_without_eating() -> None:
    b = DayBuilder()
    b.item("07:00", "wake up and get ready").act("shower", "shower", 20)
    b.item("09:00", "attend class at Alder College", WORK).act("study", "desk", 300)
    b.item("19:00", "have a drink at The Copper Kettle", "The Copper Kettle").act(
        "order", "bar", 5
    ).act("drink", "bar", 60)
    b.item("23:00", "go to sleep").act("sleep", "bed", 480)
    assert flagged(b.build()) == {"no_meals": ["Amara Osei ate nothing on day 1"]}


def test_a_meal_item_whose_eating_never_happened_is_no_meal() -> None:
    b = DayBuilder()
    b.item("12:00", "have lunch at home").act("sit", "table", 30)  # a fallback seat
    b.item("23:00", "go to sleep").act("sleep", "bed", 480)
    assert "no_meals" in flagged(b.build())


def test_one_snack_is_enough_for_no_meals() -> None:
    b = DayBuilder()
    b.item("15:00", "meet friends at Juniper Cafe", "Juniper Cafe").act("eat", "table", 20)
    b.item("23:00", "go to sleep").act("sleep", "bed", 480)
    assert "no_meals" not in flagged(b.build())


def test_an_empty_record_is_not_judged_for_meals() -> None:
    assert flagged(AgentDay(agent="A", day=2, work_day=False)) == {}


# ------------------------------------------------------------------ meals
def test_cooking_and_eating_one_dinner_is_one_dinner() -> None:
    b = ordinary_day()
    b.record.schedule.pop()  # drop the night; add dinner in two items instead
    b.record.executed.pop()
    b.item("21:00", "cook dinner").act("get food", "fridge", 5).act("cook", "stove", 20).act(
        "eat", "table", 10
    )
    b.item("21:35", "eat dinner").act("eat", "table", 25)
    b.item("23:00", "go to sleep").act("sleep", "bed", 480)
    record = b.build()
    # the ordinary day's "cook dinner and eat at home" at 18:30 is a second, separate dinner
    assert [m.kind for m in meals_of(record)].count("dinner") == 2
    b2 = DayBuilder()
    b2.item("18:00", "prepare lunch for tomorrow").act("cook", "stove", 30)
    b2.item("18:40", "cook dinner").act("cook", "stove", 30).act("eat", "table", 10)
    b2.item("19:20", "eat dinner").act("eat", "table", 30)
    b2.item("23:00", "go to sleep").act("sleep", "bed", 480)
    meals = meals_of(b2.build())
    assert [m.kind for m in meals] == ["dinner"]
    assert meals[0].texts == ("cook dinner", "eat dinner")
    assert flagged(b2.build()) == {}


def test_preparing_lunch_early_and_having_it_at_noon_is_one_lunch() -> None:
    b = DayBuilder()
    b.item("07:30", "make a sandwich for lunch").act("get food", "fridge", 5).act(
        "cook", "stove", 10
    )
    b.item("08:00", "have breakfast").act("eat", "table", 20)
    b.item("12:30", "have lunch").act("eat", "table", 30)
    b.item("19:00", "have dinner at home").act("eat", "table", 30)
    record = b.build()
    assert [(m.kind, m.texts) for m in meals_of(record)] == [
        ("breakfast", ("have breakfast",)),
        ("lunch", ("make a sandwich for lunch", "have lunch")),
        ("dinner", ("have dinner at home",)),
    ]
    assert "meals" not in flagged(record)


def test_two_dinners_eaten_are_flagged() -> None:
    b = DayBuilder()
    b.item("18:00", "have dinner at home").act("eat", "table", 40)
    b.item("20:30", "have dinner at Juniper Cafe", "Juniper Cafe").act("order", "counter", 5).act(
        "eat", "table", 30
    )
    found = flagged(b.build())
    assert found["meals"] == [
        "Amara Osei had dinner 2 times on day 1 (18:00 'have dinner at home', "
        "20:35 'have dinner at Juniper Cafe')"
    ]


def test_an_item_noted_again_when_it_resumes_is_one_meal() -> None:
    b = DayBuilder()
    b.item("12:19", "Lunch break").act("eat", "table", 15)
    b.item("12:40", "Lunch break").act("eat", "table", 15)  # resumed after a talk
    b.item("19:00", "have dinner at home").act("eat", "table", 30)
    assert flagged(b.build()) == {}


def test_a_meal_at_an_odd_time_is_flagged() -> None:
    b = DayBuilder()
    b.item("08:00", "have breakfast").act("eat", "table", 20)
    b.item("01:10", "have dinner at home", day=2).act("eat", "table", 30)
    found = flagged(b.build())
    assert found["meals"] == [
        "Amara Osei had dinner at 01:10 on day 1, outside 17:00-22:30 ('have dinner at home')"
    ]


def test_cooking_the_lunch_service_at_work_is_not_a_lunch() -> None:
    b = DayBuilder(agent="Idris Vale", home="Harbor Flat", workplace="Juniper Cafe")
    cafe = "Juniper Cafe"
    b.item("10:00", "prep vegetables and cook the lunch service", cafe).act(
        "cook", "stove", 120
    ).act("serve", "counter", 30)
    b.item("13:00", "have a quick lunch break at work", cafe).act("eat", "table", 30)
    b.item("19:00", "have dinner at home", "Harbor Flat").act("eat", "table", 30)
    record = b.build()
    assert [m.kind for m in meals_of(record)] == ["lunch", "dinner"]
    assert flagged(record) == {}


def test_records_without_actions_count_meals_from_their_texts() -> None:
    legacy = AgentDay(
        agent="A",
        day=1,
        work_day=False,
        activities=[(450, "cook dinner"), (1110, "eat dinner"), (1200, "have dinner again")],
    )
    meals = meals_of(legacy)
    assert [(m.kind, m.minute) for m in meals] == [("dinner", 1110), ("dinner", 1200)]
    assert len(flagged(legacy)["meals"]) == 1
    one = dataclasses.replace(legacy, activities=[(1080, "cook dinner"), (1110, "eat dinner")])
    assert flagged(one) == {}


# ------------------------------------------------------------------ daytime_sleep
def test_sleeping_at_one_on_a_work_day_is_flagged() -> None:
    b = DayBuilder()
    b.item("08:00", "have breakfast").act("eat", "table", 20)
    b.item("13:00", "attend class at Alder College", WORK).act(
        "sleep", f"{HOME}:room 1:bed 1", 90, source=ActionSource.POLICY
    )
    found = flagged(b.build())
    assert found["daytime_sleep"] == [
        "Amara Osei slept 90 min between 10:00 and 17:00 on work day 1 (from 13:00, "
        "'attend class at Alder College'; allowed 30 min)"
    ]


def test_a_short_nap_on_a_day_off_and_the_night_are_fine() -> None:
    b = ordinary_day(work_day=False)
    b.item("14:00", "take a short nap").act("nap", "bed", 45)
    assert flagged(b.build()) == {}
    b.item("14:45", "sleep the afternoon away").act("sleep", "bed", 150)
    assert "daytime_sleep" in flagged(b.build())


def test_sleep_from_the_night_before_does_not_count_as_daytime() -> None:
    b = DayBuilder(day=2)
    b.item("09:45", "have breakfast").act("eat", "table", 20)
    b.item("23:30", "go to sleep").act("sleep", "bed", 600)  # until 09:30 of day 3
    assert "daytime_sleep" not in flagged(b.build())


def test_a_planned_nap_before_an_evening_shift_is_fine_but_not_a_whole_afternoon() -> None:
    b = DayBuilder(agent="Silas Grue", home="Mill Cottage", workplace="The Copper Kettle")
    b.item("09:30", "have breakfast", "Mill Cottage").act("eat", "table", 20)
    b.item("13:00", "take a short nap", "Mill Cottage").act("nap", "bed", 60)
    assert flagged(b.build()) == {}
    b.item("14:00", "have a long nap", "Mill Cottage").act("sleep", "bed", 180)
    assert "daytime_sleep" in flagged(b.build())


def test_sleep_during_restocking_is_no_nap() -> None:
    b = DayBuilder()
    b.item("08:00", "have breakfast").act("eat", "table", 20)
    b.item("13:00", "restock the shelves").act("sleep", "bed", 60)
    assert "daytime_sleep" in flagged(b.build())  # a nap may last 120 min, this is no nap
    b2 = DayBuilder(work_day=False)
    b2.item("08:00", "have breakfast").act("eat", "table", 20)
    b2.item("13:00", "rest for a while at home").act("sleep", "bed", 110)
    assert "daytime_sleep" not in flagged(b2.build())


def test_sleeping_on_past_noon_after_the_night_is_flagged() -> None:
    b = DayBuilder(day=1)
    b.item("08:00", "have breakfast").act("eat", "table", 20)
    b.item("23:30", "go to sleep").act("sleep", "bed", 14 * 60)  # until 13:30 of day 2
    assert flagged(b.build())["daytime_sleep"] == [
        "Amara Osei slept 210 min between 10:00 and 17:00 on day off 2 (from 23:30, "
        "'go to sleep'; allowed 120 min)"
    ]


def test_brunch_at_noon_is_on_time() -> None:
    b = DayBuilder(work_day=False)
    b.item("12:00", "have brunch with friends at Juniper Cafe", "Juniper Cafe").act(
        "eat", "table", 45
    )
    b.item("19:00", "have dinner at home").act("eat", "table", 30)
    assert flagged(b.build()) == {}


# ------------------------------------------------------------------ work rules
def test_nine_hours_at_work_on_a_day_off_are_flagged() -> None:
    record = ordinary_day(work_day=False).build()
    record.work_minutes = 540
    assert flagged(record) == {
        "work_on_day_off": [
            "Amara Osei spent 540 min at Alder College on day 1, a day off (allowed 180 min)"
        ]
    }
    record.work_minutes = 120  # lunch with friends at the workplace's cafe
    assert flagged(record) == {}


def test_working_at_home_is_never_work_on_a_day_off() -> None:
    record = ordinary_day(work_day=False).build()
    record.workplace = record.home
    record.work_minutes = 900
    assert flagged(record) == {}
    record.workplace = ""  # unknown (an older record): not judged
    assert flagged(record) == {}


def test_less_than_an_hour_at_work_on_a_work_day_is_flagged() -> None:
    record = ordinary_day().build()
    record.work_minutes = 30
    assert flagged(record) == {"work": ["Amara Osei spent 30 min at work on work day 1"]}


# ------------------------------------------------------------------ wrong_place
def test_homework_at_home_done_in_a_classroom_is_flagged() -> None:
    b = ordinary_day()
    b.item("20:00", "do homework at home").act(
        "study", "Alder College:classroom B:desk 6", 45, source=ActionSource.POLICY
    )
    assert flagged(b.build()) == {
        "wrong_place": [
            "Amara Osei at 20:00 'study' on Alder College:classroom B:desk 6 (45 min, policy) "
            "for 'do homework at home', planned at Alder Dorm"
        ]
    }


def test_homework_at_home_at_the_own_desk_is_fine() -> None:
    b = ordinary_day()
    b.item("20:00", "do homework at home").act("study", "Alder Dorm:room 1:desk 1", 45)
    assert flagged(b.build()) == {}


def test_lunch_at_home_at_the_cafe_counter_is_flagged() -> None:
    b = DayBuilder()
    b.item("12:00", "have lunch at home").act("order", "Juniper Cafe:cafe:counter", 5).act(
        "eat", "Juniper Cafe:cafe:table 1", 30
    )
    found = flagged(b.build())
    assert len(found["wrong_place"]) == 2
    assert "plan_mismatch" not in found  # ordering and eating are lunch, only the place is off


def test_talk_reaction_and_objectless_actions_are_exempt_from_the_place_rule() -> None:
    b = ordinary_day()
    b.item("16:00", "read a book on the sofa")
    b.act("chat", "Town Square:square:bench 1", 10, source=ActionSource.TALK)
    b.act("sit", "Town Square:square:bench 2", 5, source=ActionSource.REACTION)
    b.act("think", "", 20)
    assert flagged(b.build()) == {}


# ------------------------------------------------------------------ plan_mismatch
def test_stocking_the_shelves_as_serving_at_the_counter_is_flagged() -> None:
    shop = "Pine Street Grocery"
    b = DayBuilder(agent="Owen Tashiro", home="Harbor Flat", workplace=shop)
    b.item("09:00", "stock the shelves", shop).act(
        "serve", f"{shop}:store:counter", 120, source=ActionSource.POLICY
    )
    b.item("12:00", "have lunch", shop).act("eat", "table", 30)
    assert flagged(b.build()) == {
        "plan_mismatch": [
            "Owen Tashiro at 09:00 'serve' on Pine Street Grocery:store:counter (120 min, "
            "policy) does not fit 'stock the shelves': serve on a counter is not part of stock"
        ]
    }
    good = DayBuilder(agent="Owen Tashiro", home="Harbor Flat", workplace=shop)
    good.item("09:00", "stock the shelves", shop).act("stock", f"{shop}:store:shelf 1", 90).act(
        "pick", f"{shop}:storeroom:shelf", 30
    )
    good.item("12:00", "have lunch", shop).act("eat", "table", 30)
    assert flagged(good.build()) == {}


def test_a_barista_serving_customers_at_the_counter_fits() -> None:
    cafe = "Juniper Cafe"
    b = DayBuilder(agent="Felix Ellison", home="Brook House", workplace=cafe)
    b.item("07:00", "serve customers at the counter", cafe).act(
        "prepare drinks", f"{cafe}:cafe:counter", 90
    ).act("serve", f"{cafe}:cafe:counter", 90).act("wash dishes", f"{cafe}:kitchen:sink", 20)
    b.item("12:00", "have lunch at work", cafe).act("eat", f"{cafe}:cafe:table 2", 30)
    assert flagged(b.build()) == {}
    b.item("13:00", "serve coffee at the counter", cafe).act("order", f"{cafe}:cafe:counter", 5)
    assert list(flagged(b.build())) == ["plan_mismatch"]


def test_talk_and_reaction_actions_are_exempt_from_the_plan_rule() -> None:
    b = ordinary_day()
    b.item("16:00", "stock the shelves", HOME)
    b.act("chat", "table", 10, source=ActionSource.TALK)
    b.act("eat", "table", 10, source=ActionSource.REACTION)
    assert flagged(b.build()) == {}


# ------------------------------------------------------------------ actions
def test_failed_actions_are_reported() -> None:
    record = ordinary_day().build()
    record.failed_actions = 3
    assert flagged(record) == {"actions": ["Amara Osei: 3 actions failed on day 1"]}


# ------------------------------------------------------------------ summarise
def test_summarise_counts_every_rule_and_the_shares() -> None:
    good = ordinary_day(day=1).build()
    bad = DayBuilder(day=2, work_day=False)
    bad.item("10:00", "stock the shelves").act("serve", "counter", 60).act("stock", "shelf", 60)
    bad.item("12:00", "take a nap").act("sleep", "bed", 200)
    bad_record = bad.build()
    bad_record.failed_actions = 1
    bad_record.slept_in_own_bed = False
    summary = summarise([good, bad_record])
    assert list(summary["by_rule"]) == list(RULES)
    assert summary["by_rule"] == {
        "sleep": 1,
        "no_meals": 1,
        "meals": 0,
        "daytime_sleep": 1,
        "work_on_day_off": 0,
        "work": 0,
        "wrong_place": 0,
        "plan_mismatch": 1,
        "actions": 1,
    }
    assert summary["total"] == 5
    assert summary["agent_days"] == 2
    assert summary["per_agent_day"] == pytest.approx(2.5)
    assert summary["agent_days_flagged"] == 1
    assert summary["flagged_agent_days"] == [
        {
            "agent": "Amara Osei",
            "day": 2,
            "total": 5,
            "sleep": 1,
            "no_meals": 1,
            "daytime_sleep": 1,
            "plan_mismatch": 1,
            "actions": 1,
        }
    ]
    executed = len(good.executed) + len(bad_record.executed)
    assert summary["executed_actions"] == executed
    assert summary["failed_action_share"] == pytest.approx(1 / (executed + 1))
    assert summary["plan_checked_actions"] == executed
    assert summary["plan_mismatch_share"] == pytest.approx(1 / executed)
    assert summary["plan_mismatch_by_source"]["llm"]["mismatched"] == 1
    assert summary["meals_per_agent_day"] == pytest.approx(1.5)
    assert all(rule in summary["details"] for rule in RULES)


def test_summarise_of_nothing_is_all_zero() -> None:
    summary = summarise([])
    assert summary["total"] == 0 and set(summary["by_rule"].values()) == {0}
    assert summary["plan_mismatch_share"] == 0.0 and summary["failed_action_share"] == 0.0


def test_the_mismatch_share_counts_only_judged_actions() -> None:
    b = DayBuilder(work_day=False)
    b.item("07:30", "have breakfast").act("eat", "table", 20)
    b.item("09:00", "go for a run in Elm Park", "Elm Park").act(
        "walk", "Elm Park:park:fountain", 30
    )  # an action on no object, done at a spot of the park
    b.item("10:00", "stock the shelves").act("serve", "counter", 60)
    summary = summarise([b.build()])
    assert summary["plan_checked_actions"] == 2
    assert summary["plan_mismatch_share"] == pytest.approx(0.5)
