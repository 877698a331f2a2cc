"""Daily plan parsing: malformed answers are rejected with a reason; good ones normalised."""

from __future__ import annotations

from typing import Any

import pytest

from aga_npc.planning.schedule import (
    DailyPlan,
    format_hhmm,
    parse_hhmm,
    parse_plan,
    validate_plan_json,
)

PLACES = ["Home", "Cafe", "Park"]


def plan(*acts: tuple[str, int, str, str], wake: str = "07:00") -> dict[str, Any]:
    return {
        "wake_up": wake,
        "activities": [
            {"start": s, "duration": d, "activity": a, "place": p} for s, d, a, p in acts
        ],
    }


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("07:30", 450), ("7:05", 425), ("7 pm", 1140), ("12:00 am", 0), ("12 pm", 720), ("24:00", 0)],
)
def test_parse_hhmm_accepts_common_forms(text: str, minutes: int) -> None:
    assert parse_hhmm(text) == minutes


@pytest.mark.parametrize("text", ["", "noon", "25:00", "7:75", "13 pm", "-1"])
def test_parse_hhmm_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hhmm(text)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([], "JSON object"),
        ({"activities": "sleep all day"}, "at least"),
        ({"activities": [{"start": "07:00"}] * 3}, "lacks 'duration'"),
        (
            {"activities": [{"start": "07:00", "duration": "long", "activity": "x"}] * 3},
            "number of minutes",
        ),
        ({"activities": [{"start": "07:00", "duration": 0, "activity": "x"}] * 3}, "positive"),
        ({"activities": [{"start": "07:00", "duration": 5, "activity": " "}] * 3}, "empty"),
        ({"activities": [{"start": "dawn", "duration": 5, "activity": "x"}] * 3}, "time of day"),
    ],
)
def test_validator_names_the_problem(value: Any, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        validate_plan_json(value)


def test_parse_sorts_trims_overlaps_and_fills_small_gaps() -> None:
    raw = plan(
        ("12:00", 60, "lunch at the cafe", "Cafe"),
        ("07:00", 60, "breakfast", "Home"),
        ("07:30", 240, "work", "Cafe"),  # overlaps breakfast: breakfast is trimmed
        ("22:00", 540, "sleep", "Home"),
    )
    result = parse_plan(raw, day=1, known_places=PLACES, default_place="Home", sleep_at=22 * 60)
    starts = [format_hhmm(a.start) for a in result.activities]
    assert starts == ["07:00", "07:30", "12:00", "22:00"]
    for a, b in zip(result.activities, result.activities[1:], strict=False):
        assert a.end <= b.start
    assert result.activities[0].end == 7 * 60 + 30  # trimmed to where work starts
    assert result.activities[1].end == 12 * 60  # the 30-minute gap before lunch is filled


def test_unknown_place_falls_back_and_sleep_is_appended() -> None:
    raw = plan(
        ("07:00", 60, "breakfast", "Atlantis"),
        ("08:00", 120, "read", "Park"),
        ("10:00", 60, "walk", "Park"),
    )
    result = parse_plan(raw, day=2, known_places=PLACES, default_place="Home", sleep_at=23 * 60)
    assert result.activities[0].place == "Home"
    assert result.activities[-1].text == "sleep"
    assert result.activities[-1].start == 23 * 60
    assert result.activities[-1].place == "Home"


def test_after_midnight_activity_stays_after_the_evening() -> None:
    raw = plan(
        ("07:00", 60, "breakfast", "Home"),
        ("23:00", 60, "party", "Cafe"),
        ("00:30", 400, "sleep", "Home"),
    )
    result = parse_plan(raw, day=1, known_places=PLACES, default_place="Home", sleep_at=23 * 60)
    assert [a.text for a in result.activities] == ["breakfast", "party", "sleep"]
    assert result.activities[-1].start == 24 * 60 + 30


def test_plan_round_trips_to_plain_data() -> None:
    raw = plan(
        ("07:00", 60, "breakfast", "Home"), ("08:00", 60, "a", "Cafe"), ("09:00", 60, "b", "Park")
    )
    result = parse_plan(raw, day=3, known_places=PLACES, default_place="Home", sleep_at=22 * 60)
    assert DailyPlan.from_dict(result.to_dict()) == result
    assert result.activity_at(8 * 60 + 30) == 1
    assert result.activity_at(5 * 60) is None
