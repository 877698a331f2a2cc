"""settings.py: the savings switches (parse, per mode) and the loop settings' checks."""

from __future__ import annotations

from typing import Any

import pytest

from aga_npc.brain.modes import Mode
from aga_npc.brain.settings import GA_RETRIEVAL, LoopSettings, Savings


def test_savings_parse_all_none_and_lists() -> None:
    assert Savings.parse("all") == Savings.all()
    assert Savings.parse(" ALL ") == Savings.all()
    assert Savings.parse("none") == Savings.none() == Savings.parse("") == Savings()
    chosen = Savings.parse(" One-Call-Schedule , decision_cache,")
    assert chosen.enabled() == ("one_call_schedule", "decision_cache")
    assert set(Savings.all().enabled()) == set(Savings.names())
    assert Savings.none().enabled() == ()


@pytest.mark.parametrize("text", ["cheap", "one_call_schedule,bogus", "all,none"])
def test_savings_parse_refuses_unknown_names_and_lists_the_known(text: str) -> None:
    with pytest.raises(ValueError, match="unknown savings") as caught:
        Savings.parse(text)
    for name in Savings.names():
        assert name in str(caught.value)


def test_every_switch_name_round_trips_through_parse() -> None:
    for name in Savings.names():
        one = Savings.parse(name)
        assert one.enabled() == (name,)
        assert Savings.parse(",".join(one.enabled())) == one


@pytest.mark.parametrize("mode", list(Mode))
def test_only_the_aga_mode_has_the_savings(mode: Mode) -> None:
    settings = LoopSettings.for_mode(mode)
    expected = Savings.all() if mode is Mode.AGA else Savings.none()
    assert settings.savings == expected
    # Generative Agents' loop is the same in every mode
    assert settings.retrieval == GA_RETRIEVAL
    assert settings.reflection_trigger == LoopSettings().reflection_trigger


def test_for_mode_applies_changes_and_checks_them() -> None:
    changed = LoopSettings.for_mode(Mode.AGA, max_lines=6, attention=2)
    assert (changed.max_lines, changed.attention) == (6, 2)
    assert changed.savings == Savings.all()
    only = LoopSettings.for_mode(Mode.AGA, savings=Savings.parse("decision_cache"))
    assert only.savings.enabled() == ("decision_cache",)
    with pytest.raises(ValueError, match="max_lines"):
        LoopSettings.for_mode(Mode.BASELINE, max_lines=1)


BAD: list[tuple[dict[str, Any], str]] = [
    ({"reflection_trigger": 0}, "reflection_trigger"),
    ({"reflection_trigger": -5.0}, "reflection_trigger"),
    ({"max_lines": 1}, "max_lines"),
    ({"max_lines": 41}, "max_lines"),
    ({"attention": 0}, "attention"),
    ({"vision_radius": 0.0}, "vision_radius"),
    ({"vision_radius": -1.0}, "vision_radius"),
    ({"focal_points": 0}, "focal_points"),
    ({"insights_per_point": 0}, "insights_per_point"),
    ({"retention": -1}, "retention"),
    ({"chat_cooldown": -10}, "chat_cooldown"),
    ({"convo_person_memories": -1}, "convo_person_memories"),
    ({"convo_line_memories": -1}, "convo_line_memories"),
    ({"decompose_min": -1}, "decompose_min"),
]


@pytest.mark.parametrize(("changes", "name"), BAD)
def test_bad_loop_settings_are_refused(changes: dict[str, Any], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        LoopSettings(**changes)


def test_loop_settings_are_frozen() -> None:
    settings = LoopSettings()
    with pytest.raises(AttributeError):
        settings.max_lines = 4  # type: ignore[misc]
