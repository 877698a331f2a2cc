"""StorePolicy end to end: the brain's PolicyPort over a store, with a FakeWorld and a real
World: places, exact lookups without a vector, hit handles closing the loop, sharing rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aga_npc.brain.services import HitHandle, PlanKey, PolicyPort
from aga_npc.policy import FailureVerdict, PolicyStore
from aga_npc.testing.fake_world import FakeWorld
from aga_npc.town.policy_port import PortStats, StorePolicy
from aga_npc.types import Action
from aga_npc.world import World

DIM = 8
SMALL_TOWN = Path(__file__).resolve().parent.parent / "world" / "data" / "small_town.tmx"


def vec(*xs: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


BREAKFAST = PlanKey(text="have breakfast", place="@home")
SERVE = PlanKey(text="serve customers", place="@work")


def cook_and_eat(home: str = "@home") -> list[Action]:
    return [
        Action(verb="cook", target=f"{home}:kitchen:stove", duration=10, emoji="🍳"),
        Action(verb="eat", target=f"{home}:kitchen:table", duration=20),
    ]


def serve() -> list[Action]:
    return [Action(verb="serve", target="@work:cafe:counter", duration=60)]


@pytest.fixture()
def world() -> FakeWorld:
    w = FakeWorld(
        homes={"ann": "Brook House", "bob": "Mill Cottage", "cy": "Mill Cottage"},
        works={"ann": "Juniper Cafe", "bob": "Juniper Cafe", "cy": "Juniper Cafe"},
    )
    for home in ("Brook House", "Mill Cottage"):
        w.add(f"{home}:kitchen:stove", "stove", state="off", states=("off", "on"))
        w.add(f"{home}:kitchen:table", "table", capacity=2)
    w.add("Juniper Cafe:cafe:counter", "counter", capacity=2)
    return w


def port(sharing: str = "town", **store_options: object) -> StorePolicy:
    store = PolicyStore(embedder_name="test", dim=DIM, **store_options)  # type: ignore[arg-type]
    return StorePolicy(store, sharing=sharing)


def learn(p: StorePolicy, world: FakeWorld | World, **kw: object) -> None:
    options: dict[str, object] = {
        "plan": BREAKFAST,
        "vector": vec(1),
        "agent": "ann",
        "role": "barista",
        "duration": 30,
        "actions": cook_and_eat(),
        "now": 100,
        "world": world,
    }
    options.update(kw)
    p.store(**options)  # type: ignore[arg-type]


def ask(p: StorePolicy, world: FakeWorld | World, **kw: object):  # type: ignore[no-untyped-def]
    options: dict[str, object] = {
        "plan": BREAKFAST,
        "vector": None,
        "agent": "ann",
        "role": "barista",
        "duration": 30,
        "world": world,
        "now": 200,
    }
    options.update(kw)
    return p.lookup(**options)  # type: ignore[arg-type]


def test_store_policy_is_a_policy_port() -> None:
    assert isinstance(port(), StorePolicy)
    _: PolicyPort = port()  # mypy checks the protocol


def test_an_exact_hit_needs_no_vector_and_carries_a_handle(world: FakeWorld) -> None:
    p = port()
    learn(p, world)
    d = ask(p, world, duration=60)
    assert d.hit and d.cosine == 1.0 and d.matched == "have breakfast" and d.scope == "town"
    assert d.handle == HitHandle(entry=1, variant=0)
    assert [a.duration for a in d.actions] == [20, 40] and d.actions[0].emoji == "🍳"
    assert all(a.target.startswith("@home:") for a in d.actions)
    similar = ask(p, world, plan=PlanKey(text="eat breakfast", place="@home"), vector=vec(1, 0.1))
    assert similar.hit and similar.cosine < 1.0
    miss = ask(p, world, plan=PlanKey(text="eat breakfast", place="@home"))  # no vector
    assert not miss.hit and miss.handle is None and miss.scope == ""
    assert p.stats.lookups == 3 and p.stats.exact_only == 2 and p.stats.misses == 0


def test_place_is_part_of_the_meaning(world: FakeWorld) -> None:
    p = port()
    learn(p, world)
    at_work = ask(p, world, plan=PlanKey(text="have breakfast", place="@work"), vector=vec(1))
    assert not at_work.hit
    at_cafe = ask(p, world, plan=PlanKey(text="have breakfast", place="Juniper Cafe"))
    assert not at_cafe.hit
    # ann's own home named by its sector is her @home: the same plan
    assert ask(p, world, plan=PlanKey(text="have breakfast", place="Brook House")).hit
    assert not ask(p, world, plan=PlanKey(text="have breakfast", place="")).hit


def test_literal_targets_at_home_are_stored_with_the_symbol(world: FakeWorld) -> None:
    p = port()
    learn(p, world, plan=PlanKey(text="have breakfast", place="Brook House"),
          actions=cook_and_eat("Brook House"))  # fmt: skip
    d = ask(p, world, agent="bob")  # bob's own home
    assert d.hit and d.actions[0].target == "@home:kitchen:stove"


def test_a_routine_acting_elsewhere_is_never_stored_for_the_plan(world: FakeWorld) -> None:
    p = port()
    elsewhere = [*cook_and_eat(), Action(verb="order", target="Juniper Cafe:cafe:counter")]
    learn(p, world, actions=elsewhere)
    assert p.stats.refused == 1 and p.stats.stored == 0 and len(p.policy_store) == 0
    assert not ask(p, world).hit


def test_a_routine_whose_object_was_removed_is_not_served_again(world: FakeWorld) -> None:
    p = port()
    learn(p, world)
    assert ask(p, world).hit
    world.remove("Brook House:kitchen:stove")
    d = ask(p, world, vector=vec(1))
    assert not d.hit and "no stove in @home" in d.reason
    assert ask(p, world, agent="bob").hit  # bob's kitchen still has its stove
    world.add("Brook House:kitchen:new stove", "stove")  # a new stove in the kitchen will do
    assert ask(p, world).hit


def test_a_variant_that_keeps_failing_at_run_time_is_evicted(world: FakeWorld) -> None:
    p = port(max_failures=2)
    learn(p, world)
    learn(p, world, actions=[Action(verb="eat", target="@home:kitchen:table", duration=30)])
    first = ask(p, world)
    assert first.handle == HitHandle(entry=1, variant=0)
    p.report_failure(first.handle, now=210, why="the stove did not light")
    second = ask(p, world)
    assert second.handle == HitHandle(entry=1, variant=1)  # the failed one is tried last
    p.report_success(second.handle, now=240)
    p.report_failure(first.handle, now=250, why="the stove did not light")  # twice: evicted
    assert [v.id for v in p.policy_store.get(1).variants] == [1]
    p.report_failure(second.handle, now=260, why="table gone")
    p.report_failure(second.handle, now=270, why="table gone")
    assert len(p.policy_store) == 0 and not ask(p, world, vector=vec(1)).hit
    p.report_failure(second.handle, now=280, why="stale handle")  # harmless
    s = p.stats
    assert (s.failures, s.evicted, s.successes) == (4, 2, 1)


def test_a_success_restores_trust(world: FakeWorld) -> None:
    p = port(max_failures=2)
    learn(p, world)
    handle = ask(p, world).handle
    assert handle is not None
    p.report_failure(handle, now=1, why="busy for long")
    p.report_success(handle, now=2)
    p.report_failure(handle, now=3, why="busy for long")
    assert ask(p, world).hit  # one failure in a row: still served


def test_a_near_miss_gets_the_new_routine_as_a_variant(world: FakeWorld) -> None:
    p = port()
    learn(p, world)
    world.remove("Mill Cottage:kitchen:stove")
    grab = PlanKey(text="grab breakfast", place="@home")
    miss = ask(p, world, agent="bob", plan=grab, vector=vec(1, 0.1))
    assert not miss.hit and miss.matched == "have breakfast"
    cold = [Action(verb="eat", target="@home:kitchen:table", duration=15)]
    learn(p, world, agent="bob", plan=grab, vector=vec(1, 0.1), actions=cold)
    entry = p.policy_store.get(1)
    assert len(p.policy_store) == 1 and [v.id for v in entry.variants] == [0, 1]
    assert ask(p, world, agent="bob").actions[0].verb == "eat"


def test_a_rejected_lookalike_is_not_a_near_miss(world: FakeWorld) -> None:
    """A different activity that the same-plan rule turned down gets an entry of its own;
    were it made a variant of the look-alike, 'have breakfast' would serve its actions."""
    p = port()
    learn(p, world)
    wash = PlanKey(text="wash the dishes", place="@home")
    miss = ask(p, world, plan=wash, vector=vec(1, 0.3))
    assert not miss.hit and miss.reason.startswith("rejected_lookalike")
    sink = [Action(verb="cook", target="@home:kitchen:stove", duration=15)]
    learn(p, world, plan=wash, vector=vec(1, 0.3), actions=sink)
    assert len(p.policy_store) == 2
    assert [len(e.variants) for e in p.policy_store.entries()] == [1, 1]
    assert ask(p, world).actions[0].duration == 10  # breakfast still serves its own routine


@pytest.mark.parametrize(
    ("sharing", "bob_home", "bob_work", "cy_work"),
    [
        ("agent", False, False, False),  # the paper: every agent learns for itself
        ("role", False, True, False),  # workplace routines shared by role
        ("town", True, True, False),  # plus home and public routines for everyone
    ],
)
def test_sharing_rules(
    world: FakeWorld, sharing: str, bob_home: bool, bob_work: bool, cy_work: bool
) -> None:
    p = port(sharing)
    learn(p, world)
    learn(p, world, plan=SERVE, vector=vec(0, 1), actions=serve())
    assert ask(p, world).scope == ("town" if sharing == "town" else "agent")
    assert ask(p, world, agent="bob").hit is bob_home
    bob = ask(p, world, agent="bob", plan=SERVE)
    assert bob.hit is bob_work
    assert bob.scope == ("role" if bob_work else "")
    assert ask(p, world, agent="cy", role="cook", plan=SERVE).hit is cy_work
    assert ask(p, world, agent="ann", plan=SERVE).hit  # ann's own always serve her
    hits = p.stats.hits_by_scope
    assert sum(hits.values()) == p.stats.hits
    assert hits["role"] == (2 if sharing != "agent" else 0)  # bob's and ann's serve


def test_without_a_role_workplace_routines_stay_with_the_agent(world: FakeWorld) -> None:
    p = port("town")
    learn(p, world, plan=SERVE, vector=vec(0, 1), actions=serve(), role="")
    assert ask(p, world, plan=SERVE, role="").scope == "agent"
    assert not ask(p, world, plan=SERVE, agent="bob", role="").hit


def test_port_state_round_trips(world: FakeWorld) -> None:
    p = port("role")
    learn(p, world)
    world.remove("Brook House:kitchen:stove")
    ask(p, world, vector=vec(1))  # a near miss to remember
    world.add("Brook House:kitchen:stove", "stove")
    assert ask(p, world).hit
    state = p.get_state()
    other = port()
    other.set_state(state)
    assert other.get_state() == state and other.sharing == "role"
    assert PortStats.from_dict(p.stats.to_dict()) == p.stats
    with pytest.raises(ValueError):
        other.set_state({**state, "sharing": "galaxy"})
    with pytest.raises(ValueError):
        PortStats.from_dict({"hits": -2})
    with pytest.raises(ValueError):
        PortStats.from_dict({"hits_by_scope": {"planet": 1}})


def test_end_to_end_in_a_real_world() -> None:
    world = World.load(SMALL_TOWN)
    world.add_agent("ann", home="Test House", workplace="Test Cafe")
    world.add_agent("bob", home="Test House", workplace="Test Cafe")
    p = port("town", max_failures=2)
    learn(p, world, actions=cook_and_eat())
    learn(p, world, plan=SERVE, vector=vec(0, 1), actions=serve())
    cond = p.policy_store.get(1).variants[0].condition
    assert {c.kind for c in cond.of} == {"stove", "table"}  # type: ignore[union-attr]
    d = ask(p, world, agent="bob")
    assert d.hit and d.scope == "town" and d.handle is not None
    assert ask(p, world, agent="bob", plan=SERVE).scope == "role"
    stove = world.object_at("Test House:kitchen:stove")
    assert stove is not None
    world.claim("ann", "Test House:kitchen:stove")
    world.set_state("Test House:kitchen:stove", "on")
    assert ask(p, world, agent="bob").hit  # busy and on: waited for, still served
    world.set_blocked([stove.tile])  # the stove can no longer be reached
    blocked = ask(p, world, agent="bob", vector=vec(1))
    assert not blocked.hit and "no usable stove" in blocked.reason
    world.set_blocked([stove.tile], blocked=False)
    p.report_failure(d.handle, now=300, why="stove unreachable")
    p.report_failure(d.handle, now=310, why="stove unreachable")
    assert not ask(p, world, agent="bob", vector=vec(1)).hit  # evicted after two failures
    assert p.policy_store.stats.removed == 1
    assert FailureVerdict.REMOVED.value == "removed"


def test_a_home_routine_serves_a_home_whose_rooms_are_named_otherwise() -> None:
    w = FakeWorld(homes={"ann": "Brook House", "dee": "Alder Dorm"}, works={})
    w.add("Brook House:kitchen:stove", "stove", state="off", states=("off", "on"))
    w.add("Brook House:kitchen:table", "table", capacity=2)
    w.add("Alder Dorm:common kitchen:stove", "stove", state="off", states=("off", "on"))
    w.add("Alder Dorm:common kitchen:table", "table", capacity=2)
    p = port()
    learn(p, w)
    d = ask(p, w, agent="dee")
    assert d.hit  # "@home:kitchen" learned by ann: dee's stove is in the "common kitchen"
    w.remove("Alder Dorm:common kitchen:stove")
    missing = ask(p, w, agent="dee", vector=vec(1))
    assert not missing.hit and "no stove in @home" in missing.reason
