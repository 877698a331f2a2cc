"""The one condition builder: place, object kinds per arena, unusable states, no occupancy."""

from __future__ import annotations

import pytest

from aga_npc.policy import (
    AddressCond,
    AllCond,
    ObjectCond,
    PlaceCond,
    evaluate,
    off_place_targets,
    routine_condition,
)
from aga_npc.testing.fake_world import FakeWorld
from aga_npc.types import Action


@pytest.fixture()
def world() -> FakeWorld:
    w = FakeWorld(
        homes={"ann": "Brook House", "bob": "Mill Cottage"},
        works={"ann": "Juniper Cafe"},
    )
    for home in ("Brook House", "Mill Cottage"):
        w.add(f"{home}:kitchen:stove", "stove", state="off", states=("off", "on"))
        w.add(f"{home}:kitchen:table", "table", capacity=2)
    w.add("Brook House:living room:tv", "tv", state="off", states=("off", "on", "broken"))
    return w


BREAKFAST = [
    Action(verb="cook", target="@home:kitchen:stove", duration=10),
    Action(verb="think", duration=2),
    Action(verb="eat", target="@home:kitchen:table", duration=15),
    Action(verb="cook", target="@home:kitchen:stove", duration=3),
]


def test_kinds_in_the_own_place_in_any_room(world: FakeWorld) -> None:
    cond = routine_condition(BREAKFAST, place="@home", world=world, agent="ann")
    assert cond == AllCond(
        of=(
            ObjectCond(kind="stove", sector="@home", arena=None, reachable=True),
            ObjectCond(kind="table", sector="@home", arena=None, reachable=True),
        )
    )
    assert evaluate(cond, world, "bob")  # learned in ann's home, holds in bob's


def test_occupancy_and_use_states_are_not_part_of_it(world: FakeWorld) -> None:
    cond = routine_condition(BREAKFAST, place="@home", world=world, agent="ann")
    world.occupy("Brook House:kitchen:stove", "bob")
    world.set_state("Brook House:kitchen:stove", "on")
    assert evaluate(cond, world, "ann")  # a busy stove is waited for


def test_a_removed_object_fails_it(world: FakeWorld) -> None:
    cond = routine_condition(BREAKFAST, place="@home", world=world, agent="ann")
    world.remove("Brook House:kitchen:stove")
    assert not evaluate(cond, world, "ann")
    world.add("Brook House:kitchen:stove 2", "stove")  # another stove in the kitchen will do
    assert evaluate(cond, world, "ann")


def test_unusable_states_the_object_can_be_in_are_avoided(world: FakeWorld) -> None:
    watch = [Action(verb="watch tv", target="@home:living room:tv", duration=30)]
    cond = routine_condition(watch, place="@home", world=world, agent="ann")
    assert cond == ObjectCond(
        kind="tv", sector="@home", arena=None, avoid=("broken",), reachable=True
    )
    assert evaluate(cond, world, "ann")
    world.set_state("Brook House:living room:tv", "broken")
    assert not evaluate(cond, world, "ann")


def test_without_a_world_each_target_needs_its_own_object() -> None:
    cond = routine_condition(BREAKFAST, place="@home")
    assert cond == AllCond(
        of=(
            AddressCond(address="@home:kitchen:stove", reachable=True),
            AddressCond(address="@home:kitchen:table", reachable=True),
        )
    )


def test_a_target_the_world_lacks_needs_that_object(world: FakeWorld) -> None:
    acts = [Action(verb="sit", target="@home:garden:bench", duration=5)]
    assert routine_condition(acts, place="@home", world=world, agent="ann") == AddressCond(
        address="@home:garden:bench", reachable=True
    )


def test_no_targets_needs_the_place(world: FakeWorld) -> None:
    think = [Action(verb="think", duration=10)]
    cond = routine_condition(think, place="@work", world=world, agent="ann")
    assert cond == PlaceCond(sector="@work")
    assert evaluate(cond, world, "ann") and not evaluate(cond, world, "bob")


def test_targets_outside_the_place_are_refused(world: FakeWorld) -> None:
    mixed = [*BREAKFAST, Action(verb="order", target="Juniper Cafe:cafe:counter", duration=5)]
    assert off_place_targets(mixed, "@home") == ["Juniper Cafe:cafe:counter"]
    with pytest.raises(ValueError, match="outside @home"):
        routine_condition(mixed, place="@home", world=world, agent="ann")
    with pytest.raises(ValueError, match="outside @work"):
        routine_condition(BREAKFAST, place="@work", world=world, agent="ann")
    with pytest.raises(ValueError):
        routine_condition(BREAKFAST, place="")


def test_a_public_place_keeps_its_rooms(world: FakeWorld) -> None:
    world.add("Juniper Cafe:cafe:counter", "counter", capacity=2)
    world.add("Juniper Cafe:kitchen:counter", "counter")
    serve = [Action(verb="serve", target="Juniper Cafe:cafe:counter", duration=30)]
    cond = routine_condition(serve, place="Juniper Cafe", world=world, agent="bob")
    assert cond == ObjectCond(kind="counter", sector="Juniper Cafe", arena="cafe", reachable=True)
    world.remove("Juniper Cafe:cafe:counter")
    assert not evaluate(cond, world, "bob")  # the kitchen's counter is not the cafe's
