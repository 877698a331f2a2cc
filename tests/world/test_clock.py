"""The game clock value type."""

from __future__ import annotations

import pytest

from aga_npc.world import GameClock, parse_hhmm


def test_game_starts_day_one_at_six() -> None:
    clock = GameClock()
    assert (clock.day, clock.minute_of_day, clock.hhmm, clock.weekday) == (1, 360, "06:00", "mon")


def test_advance_rolls_over_midnight_and_weekdays() -> None:
    clock = GameClock.at("23:30", day=7)
    later = clock.advance(45)
    assert (later.day, later.hhmm, later.weekday) == (8, "00:15", "mon")
    assert clock.hhmm == "23:30"  # a value: unchanged
    assert later.total_minutes - clock.total_minutes == 45
    assert GameClock(first_weekday=5).weekday == "sat"
    assert str(GameClock.at("07:05", day=3)) == "day 3 (wed) 07:05"
    with pytest.raises(ValueError, match="cannot go back"):
        clock.advance(-1)


def test_round_trip_and_validation() -> None:
    clock = GameClock.at("13:47", day=4, first_weekday=2)
    assert GameClock.from_dict(clock.to_dict()) == clock
    with pytest.raises(ValueError, match="day must be >= 1"):
        GameClock(day=0)
    with pytest.raises(ValueError, match=r"0\.\.1439"):
        GameClock(minute_of_day=1440)


@pytest.mark.parametrize(
    ("text", "minutes"), [("00:00", 0), ("07:30", 450), (" 23:59 ", 1439), ("6:05", 365)]
)
def test_parse_hhmm(text: str, minutes: int) -> None:
    assert parse_hhmm(text) == minutes


@pytest.mark.parametrize("text", ["24:00", "7", "07:60", "seven", "07:3a", ""])
def test_parse_hhmm_rejects_bad_times(text: str) -> None:
    with pytest.raises(ValueError, match=r"HH:MM|between"):
        parse_hhmm(text)
