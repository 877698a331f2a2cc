"""Decomposition answers: shape check, grounding against a world, duration fitting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aga_npc.planning.decompose import (
    fit_durations,
    ground_steps,
    validate_decompose_json,
)
from aga_npc.types import Action
from aga_npc.world.model import World

SMALL_TOWN = Path(__file__).resolve().parents[1] / "town" / "data" / "small_town.tmx"


@pytest.fixture(scope="module")
def world() -> World:
    w = World.load(SMALL_TOWN)
    w.add_agent("Ada", home="Test House", workplace="Test Cafe")
    return w


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("steps", "JSON object"),
        ({"steps": []}, "non-empty"),
        ({"steps": [{"verb": "", "minutes": 5}]}, "lacks a verb"),
        ({"steps": [{"verb": "cook", "minutes": "ten"}]}, "number"),
        ({"steps": [{"verb": "cook", "minutes": 0}]}, "positive"),
        ({"steps": [{"verb": "cook", "minutes": 5, "object": 7}]}, "address"),
    ],
)
def test_validator_rejects_malformed_steps(value: Any, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        validate_decompose_json(value)


def test_grounding_rejects_missing_object_wrong_verb_and_keeps_good_steps(world: World) -> None:
    stove = next(o.address for o in world.objects(kind="stove"))
    value = {
        "steps": [
            {"verb": "cook", "object": stove, "minutes": 10, "description": "frying eggs"},
            {"verb": "sleep", "object": stove, "minutes": 5},
            {"verb": "eat", "object": "Test House:kitchen:dragon", "minutes": 5},
            {"verb": "think", "object": "", "minutes": 5},
        ]
    }
    grounding = ground_steps(validate_decompose_json(value), world=world, agent="Ada")
    assert [a.verb for a in grounding.actions] == ["cook", "think"]
    assert len(grounding.rejected) == 2
    assert any("affords only" in r for r in grounding.rejected)
    assert any("no such object" in r for r in grounding.rejected)
    assert not grounding.ok


@given(
    st.lists(st.integers(min_value=1, max_value=120), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=600),
)
def test_fit_durations_sums_exactly_and_keeps_order(minutes: list[int], total: int) -> None:
    actions = [Action(verb=f"v{i}", duration=m) for i, m in enumerate(minutes)]
    fitted = fit_durations(actions, total)
    assert [a.verb for a in fitted] == [a.verb for a in actions]
    assert all(a.duration >= 1 for a in fitted)
    assert sum(a.duration for a in fitted) == max(total, len(actions))
