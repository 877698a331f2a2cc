"""Walks in a town whose path searches run in slices (the real-time loop's setting)."""

from __future__ import annotations

from typing import Any

from aga_npc.offline import OfflineLLM

COUNTER = "Test Cafe:cafe:counter"
ADA = "Ada Finch"


def _failed(town: Any, name: str) -> int:
    return sum(r.failed_actions for r in town.agent_days() if r.agent == name)


def test_a_walk_whose_search_finds_no_way_fails_like_an_unreachable_target(
    make_town: Any,
) -> None:
    town = make_town(OfflineLLM(seed=0)).town
    town.stepper.path_budget = 1
    body = town.bodies[ADA]
    assert town.stepper.send_to(ADA, COUNTER)
    body.target = COUNTER
    assert town.stepper.searching(ADA)
    before = _failed(town, ADA)
    town.world.set_blocked([(3, 6)])  # the house door shuts while the path is searched
    town.update(1 / 60, brain_budget=0)
    assert body.failed == COUNTER and body.target == ""
    assert not town.stepper.walking(ADA)
    assert _failed(town, ADA) == before + 1


def test_a_search_for_a_walk_the_brain_gave_up_is_not_a_failure(make_town: Any) -> None:
    town = make_town(OfflineLLM(seed=0)).town
    town.stepper.path_budget = 1
    body = town.bodies[ADA]
    assert town.stepper.send_to(ADA, COUNTER)
    body.target = "Test House:kitchen:stove"  # the brain moved on meanwhile
    before = _failed(town, ADA)
    town.world.set_blocked([(3, 6)])
    town.update(1 / 60, brain_budget=0)
    assert body.failed == "" and _failed(town, ADA) == before
