"""Execution conditions against a FakeWorld: every kind, combinators, parsing, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aga_npc.policy import (
    TRUE,
    AddressCond,
    AgentInCond,
    AllCond,
    AnyCond,
    ConditionError,
    NotCond,
    ObjectCond,
    PlaceCond,
    TimeWindowCond,
    check_condition,
    condition_from_data,
    condition_to_data,
    evaluate,
)
from aga_npc.ports import WorldView
from aga_npc.testing.fake_world import FakeWorld


@pytest.fixture()
def world() -> FakeWorld:
    w = FakeWorld(
        homes={"ann": "Brook House", "bob": "Mill Cottage"},
        works={"ann": "Juniper Cafe"},
        places={"ann": ("Brook House", "kitchen")},
        minute=7 * 60,
    )
    w.add("Brook House:kitchen:stove", "stove", state="off", states=("off", "on"))
    w.add("Brook House:kitchen:table", "table", capacity=2)
    w.add("Juniper Cafe:cafe:table 1", "table", capacity=1, occupants=("cy",))
    w.add("Juniper Cafe:cafe:table 2", "table", capacity=1)
    w.add("Mill Cottage:kitchen:stove", "stove", state="on", states=("off", "on"))
    return w


def test_fake_world_is_a_world_view(world: FakeWorld) -> None:
    assert isinstance(world, WorldView)


def test_object_exists_in_sector_with_place_symbols(world: FakeWorld) -> None:
    stove_home = ObjectCond(kind="stove", sector="@home")
    assert evaluate(stove_home, world, "ann")
    assert evaluate(stove_home, world, "bob")  # @home means Mill Cottage for bob
    assert not evaluate(stove_home, world, "cy")  # cy has no home
    assert not evaluate(ObjectCond(kind="stove", sector="@work"), world, "ann")
    assert evaluate(ObjectCond(kind="table", sector="@work", arena="cafe"), world, "ann")
    assert not evaluate(ObjectCond(kind="table", sector="@home", arena="bedroom"), world, "ann")
    assert check_condition(ObjectCond(kind="piano"), world, "ann") == "no piano in the world"


def test_object_state_reachable_and_free_capacity(world: FakeWorld) -> None:
    off_stove = ObjectCond(kind="stove", sector="@home", state="off")
    assert evaluate(off_stove, world, "ann")
    world.set_state("Brook House:kitchen:stove", "on")
    assert "not off" in (check_condition(off_stove, world, "ann") or "")
    reachable = ObjectCond(kind="stove", sector="@home", reachable=True)
    assert evaluate(reachable, world, "ann")
    world.block("ann", "Brook House:kitchen:stove")
    assert "not reachable" in (check_condition(reachable, world, "ann") or "")
    free_table = ObjectCond(kind="table", sector="Juniper Cafe", free=1)
    assert evaluate(free_table, world, "ann")  # table 2 is free
    world.occupy("Juniper Cafe:cafe:table 2", "dee")
    assert not evaluate(free_table, world, "ann")
    assert evaluate(free_table, world, "dee")  # dee already sits there: usable for dee
    assert not evaluate(ObjectCond(kind="table", sector="@home", free=3), world, "ann")


def test_one_object_must_pass_every_test(world: FakeWorld) -> None:
    # table 1 is reachable but full, table 2 free but blocked: no single table qualifies
    world.block("ann", "Juniper Cafe:cafe:table 2")
    cond = ObjectCond(kind="table", sector="Juniper Cafe", free=1, reachable=True)
    assert not evaluate(cond, world, "ann")
    world.block("ann", "Juniper Cafe:cafe:table 2", blocked=False)
    assert evaluate(cond, world, "ann")


def test_address_condition(world: FakeWorld) -> None:
    cond = AddressCond(address="@home:kitchen:stove", reachable=True, free=1)
    assert evaluate(cond, world, "ann") and evaluate(cond, world, "bob")
    world.remove("Brook House:kitchen:stove")
    assert check_condition(cond, world, "ann") == "Brook House:kitchen:stove is gone"
    assert evaluate(cond, world, "bob")
    assert "means nothing" in (check_condition(cond, world, "cy") or "")
    busy = AddressCond(address="Juniper Cafe:cafe:table 1", free=1)
    assert not evaluate(busy, world, "ann") and evaluate(busy, world, "cy")
    on = AddressCond(address="@home:kitchen:stove", state="on")
    assert evaluate(on, world, "bob")


def test_agent_in(world: FakeWorld) -> None:
    assert evaluate(AgentInCond(sector="@home"), world, "ann")
    assert evaluate(AgentInCond(sector="Brook House", arena="kitchen"), world, "ann")
    assert not evaluate(AgentInCond(sector="@home", arena="bedroom"), world, "ann")
    assert not evaluate(AgentInCond(sector="@work"), world, "ann")
    assert not evaluate(AgentInCond(sector="@home"), world, "bob")  # bob stands nowhere
    world.move_agent("ann", "Juniper Cafe", "cafe")
    assert evaluate(AgentInCond(sector="@work"), world, "ann")


@pytest.mark.parametrize(
    ("start", "end", "minute", "inside"),
    [
        (360, 600, 360, True),
        (360, 600, 599, True),
        (360, 600, 600, False),
        (360, 600, 100, False),
        (1320, 120, 1400, True),  # 22:00-02:00 wraps past midnight
        (1320, 120, 30, True),
        (1320, 120, 120, False),
        (1320, 120, 700, False),
        (0, 1440, 1439, True),
    ],
)
def test_time_window(world: FakeWorld, start: int, end: int, minute: int, inside: bool) -> None:
    world.set_minute(minute)
    assert evaluate(TimeWindowCond(start=start, end=end), world, "ann") is inside


def test_combinators(world: FakeWorld) -> None:
    yes = ObjectCond(kind="stove", sector="@home")
    no = ObjectCond(kind="piano")
    assert evaluate(AllCond(of=(yes, yes)), world, "ann")
    assert not evaluate(AllCond(of=(yes, no)), world, "ann")
    assert evaluate(AnyCond(of=(no, yes)), world, "ann")
    assert not evaluate(AnyCond(of=(no, no)), world, "ann")
    assert not evaluate(AnyCond(of=()), world, "ann")
    assert evaluate(NotCond(of=no), world, "ann") and not evaluate(NotCond(of=yes), world, "ann")
    assert evaluate(TRUE, world, "ann")
    assert "none of" in (check_condition(AnyCond(of=(no, no)), world, "ann") or "")


def test_place_condition_needs_the_place_to_mean_something(world: FakeWorld) -> None:
    assert evaluate(PlaceCond(sector="@work"), world, "ann")
    assert check_condition(PlaceCond(sector="@work"), world, "bob") == (
        "@work means nothing for bob"
    )  # bob has no workplace
    assert evaluate(PlaceCond(sector="Elm Park"), world, "bob")
    with pytest.raises(ValueError):
        PlaceCond(sector="Elm Park:pond")


def test_avoided_states_rule_an_object_out(world: FakeWorld) -> None:
    world.add("Brook House:living room:tv", "tv", state="off", states=("off", "on", "broken"))
    tv = ObjectCond(kind="tv", sector="@home", avoid=("broken",))
    assert evaluate(tv, world, "ann")
    world.set_state("Brook House:living room:tv", "broken")
    assert check_condition(tv, world, "ann") == (
        "no usable tv in @home (Brook House:living room:tv is broken)"
    )
    with pytest.raises(ValueError, match="both required and avoided"):
        ObjectCond(kind="tv", state="broken", avoid=("broken",))


def test_condition_values_validate_themselves() -> None:
    with pytest.raises(ValueError):
        ObjectCond(kind="")
    with pytest.raises(ValueError):
        ObjectCond(kind="bed", free=-1)
    with pytest.raises(ValueError):
        AddressCond(address="kitchen:stove")
    with pytest.raises(ValueError):
        AddressCond(address="@home:kitchen")  # an arena, not an object


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"op": "object"}, "condition.kind"),
        ({"op": "flying"}, "condition.op"),
        ({"op": "all", "of": [{"op": "time", "start": 5, "end": 2000}]}, "condition.of[0].end"),
        ({"op": "any", "of": [{"op": "object", "kind": "bed", "free": -1}]}, "of[0].free"),
        ({"op": "address", "address": "kitchen:stove"}, "condition.address"),
        ({"op": "object", "kind": "bed", "colour": "red"}, "unknown field"),
        ({"op": "not"}, "condition.of"),
        ({"op": "time", "start": 10, "end": 10}, "empty time window"),
        ("stove", "expected a mapping"),
        ({"op": "object", "kind": "bed", "reachable": "yes"}, "reachable"),
        ({"op": "object", "kind": "tv", "avoid": "broken"}, "condition.avoid"),
        ({"op": "object", "kind": "tv", "state": "on", "avoid": ["on"]}, "also required"),
        ({"op": "place"}, "condition.sector"),
        ({"op": "place", "sector": "Elm Park:pond"}, "condition.sector"),
    ],
)
def test_bad_condition_data_names_the_field(data: object, where: str) -> None:
    with pytest.raises(ConditionError) as info:
        condition_from_data(data)
    assert where in str(info.value)
    assert isinstance(info.value, ValueError)


def test_condition_depth_is_bounded() -> None:
    data: dict[str, object] = {"op": "object", "kind": "bed"}
    for _ in range(30):
        data = {"op": "not", "of": data}
    with pytest.raises(ConditionError, match="deeper"):
        condition_from_data(data)


names = st.text(alphabet="abcdefgh @", min_size=1, max_size=6).filter(lambda s: s.strip() == s)
leaf = st.one_of(
    st.builds(
        ObjectCond,
        kind=names,
        sector=st.none() | names,
        arena=st.none() | names,
        state=st.none() | names,
        avoid=st.lists(st.sampled_from(["broken", "locked"]), unique=True).map(tuple),
        reachable=st.booleans(),
        free=st.integers(0, 3),
    ),
    st.builds(
        AddressCond,
        address=st.tuples(names, names, names).map(":".join),
        state=st.none() | names,
        reachable=st.booleans(),
        free=st.integers(0, 3),
    ),
    st.builds(AgentInCond, sector=names, arena=st.none() | names),
    st.builds(PlaceCond, sector=names),
    st.tuples(st.integers(0, 1440), st.integers(0, 1440))
    .filter(lambda t: t[0] != t[1])
    .map(lambda t: TimeWindowCond(start=t[0], end=t[1])),
)
conditions = st.recursive(
    leaf,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3).map(lambda xs: AllCond(of=tuple(xs))),
        st.lists(kids, max_size=3).map(lambda xs: AnyCond(of=tuple(xs))),
        kids.map(lambda c: NotCond(of=c)),
    ),
    max_leaves=8,
)


@given(conditions)
def test_condition_round_trips_through_plain_data(cond: object) -> None:
    import msgpack

    data = condition_to_data(cond)  # type: ignore[arg-type]
    wire = msgpack.unpackb(msgpack.packb(data), raw=False)
    assert condition_from_data(wire) == cond
