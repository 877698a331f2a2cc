"""PolicyStore lookups: places, reasons, variant order, rescaling, scope order, run-time
reports and bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest

from aga_npc.embed import CachedEmbedder, HashingEmbedder
from aga_npc.policy import (
    AddressCond,
    AgentInCond,
    FailureVerdict,
    IndexSettings,
    LookupReason,
    ObjectCond,
    PolicyScope,
    PolicyStore,
    Provenance,
)
from aga_npc.testing.fake_world import FakeWorld
from aga_npc.types import Action

DIM = 8
ANN = PolicyScope.agent("ann")
BARISTA = PolicyScope.role("barista")
TOWN = PolicyScope.town()
HOME = "@home"


def vec(*xs: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def breakfast(target: str = "@home:kitchen:table", minutes: int = 20) -> list[Action]:
    return [
        Action(verb="cook", target="@home:kitchen:stove", duration=10, description="fry eggs"),
        Action(verb="eat", target=target, duration=minutes, description="eat", emoji="🍳"),
    ]


@pytest.fixture()
def world() -> FakeWorld:
    w = FakeWorld(
        homes={"ann": "Brook House", "bob": "Mill Cottage"},
        works={"ann": "Juniper Cafe", "bob": "Juniper Cafe"},
        places={"ann": ("Brook House", "kitchen")},
    )
    for home in ("Brook House", "Mill Cottage"):
        w.add(f"{home}:kitchen:stove", "stove")
        w.add(f"{home}:kitchen:table", "table", capacity=2)
    w.add("Juniper Cafe:cafe:counter", "counter")
    return w


@pytest.fixture()
def store() -> PolicyStore:
    return PolicyStore(embedder_name="test", dim=DIM)


def add_breakfast(store: PolicyStore, scope: PolicyScope = ANN, **kw: object) -> int:
    options: dict[str, object] = {"actions": breakfast(), "scope": scope, "place": HOME}
    options.update(kw)
    text = str(options.pop("text", "have breakfast"))
    v = options.pop("v", vec(1))
    return store.add(text, v, **options)  # type: ignore[arg-type]


def test_empty_store_misses_with_no_candidate(store: PolicyStore, world: FakeWorld) -> None:
    r = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.NO_CANDIDATE and not r.hit and r.actions == ()
    assert store.stats.lookups == 1 and store.stats.misses == 1


def test_exact_hit_rescales_and_counts_the_use(store: PolicyStore, world: FakeWorld) -> None:
    eid = add_breakfast(store, provenance=Provenance(agent="ann", game_minute=400))
    r = store.lookup(
        "Have breakfast.",
        vec(0, 1),
        place=HOME,
        agent="ann",
        world=world,
        duration=60,
        game_minute=500,
    )
    assert r.reason is LookupReason.EXACT_HIT and r.hit
    assert r.cosine == 1.0 and r.entry_id == eid and r.scope == ANN and r.place == HOME
    assert r.variant_index == 0 and r.variant_id == 0
    assert [a.duration for a in r.actions] == [20, 40]
    assert [a.description for a in r.actions] == ["fry eggs", "eat"]
    assert r.actions[1].emoji == "🍳"  # rescaling keeps the per-action chain's fields
    entry = store.get(eid)
    assert entry.hits == 1 and entry.last_use == 500 and entry.variants[0].hits == 1
    assert entry.duration == 30  # the stored plan's own duration is unchanged
    exact = store.lookup_exact("have breakfast", place=HOME, agent="ann", world=world)
    assert exact.hit and exact.reason is LookupReason.EXACT_HIT


def test_similar_hit_reports_cosine(store: PolicyStore, world: FakeWorld) -> None:
    add_breakfast(store)
    r = store.lookup("eat breakfast", vec(1, 0.2), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.SIMILAR_HIT
    assert r.matched_text == "have breakfast"
    assert r.cosine == pytest.approx(float(vec(1) @ vec(1, 0.2)), abs=1e-5)
    exact = store.lookup_exact("eat breakfast", place=HOME, agent="ann", world=world)
    assert exact.reason is LookupReason.NO_CANDIDATE


def test_a_plan_at_another_place_is_never_served(store: PolicyStore, world: FakeWorld) -> None:
    add_breakfast(store)
    at_work = {"place": "@work", "agent": "ann", "world": world}
    exact = store.lookup_exact("have breakfast", **at_work)  # type: ignore[arg-type]
    similar = store.lookup("have breakfast", vec(1), **at_work)  # type: ignore[arg-type]
    for r in (exact, similar):
        assert r.reason is LookupReason.NO_CANDIDATE and not r.hit
    cafe = [Action(verb="eat", target="Juniper Cafe:cafe:counter", duration=15)]
    store.add("have breakfast", vec(1), place="Juniper Cafe", actions=cafe, scope=ANN)
    r = store.lookup("have breakfast", vec(1), place="Juniper Cafe", agent="ann", world=world)
    assert r.hit and r.actions == tuple(cafe)
    home = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert home.hit and home.actions[0].target == "@home:kitchen:stove"
    assert len(store.entries(place=HOME)) == len(store.entries(place="Juniper Cafe")) == 1


def test_a_routine_acting_outside_its_place_is_refused(store: PolicyStore) -> None:
    mixed = [*breakfast(), Action(verb="order", target="Juniper Cafe:cafe:counter")]
    with pytest.raises(ValueError, match="outside @home"):
        store.add("have breakfast", vec(1), place=HOME, actions=mixed, scope=ANN)
    with pytest.raises(ValueError, match="acts outside"):  # even with a condition given
        store.add(
            "have breakfast",
            vec(1),
            place=HOME,
            actions=mixed,
            scope=ANN,
            condition=AgentInCond(sector="@home"),
        )
    assert len(store) == 0


def test_lookalike_is_rejected_even_with_identical_vectors(
    store: PolicyStore, world: FakeWorld
) -> None:
    add_breakfast(store, text="cook dinner")
    r = store.lookup("eat dinner", vec(1), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.REJECTED_LOOKALIKE
    assert r.matched_text == "cook dinner" and "cook" in r.detail and r.actions == ()


def test_distant_candidate_is_no_candidate(store: PolicyStore, world: FakeWorld) -> None:
    add_breakfast(store)
    r = store.lookup("have breakfast and chat", vec(0, 1), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.NO_CANDIDATE and r.entry_id is None
    assert r.cosine == pytest.approx(0.0, abs=1e-6)


def test_no_condition_held_names_the_entry_and_the_failure(
    store: PolicyStore, world: FakeWorld
) -> None:
    eid = add_breakfast(store)
    world.remove("Brook House:kitchen:stove")
    r = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.NO_CONDITION_HELD and r.entry_id == eid
    assert "Brook House:kitchen:stove is gone" in r.detail
    assert store.get(eid).hits == 0


def test_the_default_condition_comes_from_the_world(store: PolicyStore, world: FakeWorld) -> None:
    eid = add_breakfast(store, world=world, agent="ann")
    kinds = {c.kind for c in store.get(eid).variants[0].condition.of}  # type: ignore[union-attr]
    assert kinds == {"stove", "table"}
    world.remove("Brook House:kitchen:stove")
    world.add("Brook House:kitchen:old stove", "stove")  # another stove will do
    assert store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world).hit


def test_variants_are_tried_in_order(store: PolicyStore, world: FakeWorld) -> None:
    eid = add_breakfast(store)
    late = breakfast(minutes=40)
    assert add_breakfast(store, actions=late, condition=ObjectCond(kind="stove")) == eid
    assert [v.id for v in store.get(eid).variants] == [0, 1]
    first = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert first.variant_id == 0
    world.remove("Brook House:kitchen:table")
    r = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert r.variant_id == 1 and r.variant_index == 1 and r.actions == tuple(late)
    world.remove("Brook House:kitchen:stove")
    world.remove("Mill Cottage:kitchen:stove")
    r = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.NO_CONDITION_HELD
    assert "variant 0" in r.detail and "variant 1" in r.detail


def test_explicit_conditions_and_into(store: PolicyStore, world: FakeWorld) -> None:
    counter = [Action(verb="work", target="@work:cafe:counter", duration=30)]
    eid = store.add(
        "open the cafe",
        vec(0, 0, 1),
        place="@work",
        actions=counter,
        condition=AgentInCond(sector="@work"),
        scope=BARISTA,
    )
    lookup = {"place": "@work", "agent": "ann", "role": "barista", "world": world}
    r = store.lookup("open the cafe", vec(0, 0, 1), **lookup)  # type: ignore[arg-type]
    assert r.reason is LookupReason.NO_CONDITION_HELD  # ann is at home
    other = store.add(
        "unlock the cafe",
        vec(0, 0, 1),
        place="@work",
        actions=counter,
        condition=ObjectCond(kind="counter", sector="@work"),
        scope=BARISTA,
        into=r.entry_id,
    )
    assert other == eid and len(store.get(eid).variants) == 2
    again = store.lookup("open the cafe", vec(0, 0, 1), **lookup)  # type: ignore[arg-type]
    assert again.hit and again.variant_index == 1
    elsewhere = store.add(  # into an entry of another scope: a new entry instead
        "open the cafe", vec(0, 0, 1), place="@work", actions=counter, scope=ANN, into=eid
    )
    assert elsewhere != eid


def test_identical_variant_is_not_duplicated_and_variants_are_capped(world: FakeWorld) -> None:
    store = PolicyStore(embedder_name="test", dim=DIM, max_variants=2)
    eid = add_breakfast(store)
    add_breakfast(store)
    assert len(store.get(eid).variants) == 1
    store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)  # v0 used
    add_breakfast(store, actions=breakfast(minutes=5))
    add_breakfast(store, actions=breakfast(minutes=7))
    kept = [(v.id, v.actions[1].duration) for v in store.get(eid).variants]
    assert kept == [(0, 20), (2, 7)]  # the unused 5-minute variant went; ids are not reused


def test_scope_order_agent_then_role_then_town(store: PolicyStore, world: FakeWorld) -> None:
    add_breakfast(store, TOWN, actions=breakfast(minutes=1))
    add_breakfast(store, BARISTA, actions=breakfast(minutes=2))
    add_breakfast(store, ANN, actions=breakfast(minutes=3))

    def eat_minutes(agent: str, role: str | None) -> int:
        r = store.lookup("have breakfast", vec(1), place=HOME, agent=agent, role=role, world=world)
        assert r.hit
        return r.actions[1].duration

    assert eat_minutes("ann", "barista") == 3
    assert eat_minutes("bob", "barista") == 2
    assert eat_minutes("bob", None) == 1
    assert eat_minutes("bob", "teacher") == 1
    assert store.scopes_for("bob", "barista") == (PolicyScope.agent("bob"), BARISTA, TOWN)
    only_town = store.lookup(
        "have breakfast", vec(1), place=HOME, agent="ann", scopes=[TOWN], world=world
    )
    assert only_town.scope == TOWN


def test_a_later_scope_serves_when_the_first_has_no_condition(
    store: PolicyStore, world: FakeWorld
) -> None:
    add_breakfast(store, ANN, condition=AddressCond(address="Brook House:kitchen:table"))
    add_breakfast(store, TOWN, actions=breakfast(minutes=9))
    world.remove("Brook House:kitchen:table")
    world.homes["ann"] = "Mill Cottage"  # ann moved house: her own routine points nowhere
    r = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert r.hit and r.scope == TOWN and r.actions[1].duration == 9


def test_place_symbols_make_one_policy_serve_every_agent(
    store: PolicyStore, world: FakeWorld
) -> None:
    add_breakfast(store, TOWN)
    assert store.lookup("have breakfast", vec(1), place=HOME, agent="bob", world=world).hit
    world.remove("Mill Cottage:kitchen:stove")
    assert not store.lookup("have breakfast", vec(1), place=HOME, agent="bob", world=world).hit
    assert store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world).hit


def test_a_failing_variant_is_demoted_then_evicted_then_the_entry_goes(world: FakeWorld) -> None:
    store = PolicyStore(embedder_name="test", dim=DIM, max_failures=2)
    eid = add_breakfast(store)
    add_breakfast(store, actions=breakfast(minutes=5))
    assert store.report_failure(eid, 0, why="stove gone") is FailureVerdict.DEMOTED
    assert [(v.id, v.failures) for v in store.get(eid).variants] == [(1, 0), (0, 1)]
    r = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert r.variant_id == 1  # the demoted variant is tried after the other
    assert store.report_failure(eid, 0) is FailureVerdict.EVICTED
    assert [v.id for v in store.get(eid).variants] == [1]
    assert store.report_failure(eid, 0) is FailureVerdict.UNKNOWN  # already gone
    assert store.report_failure(eid, 1) is FailureVerdict.DEMOTED
    assert store.report_failure(eid, 1) is FailureVerdict.REMOVED
    assert len(store) == 0 and store.report_failure(eid, 1) is FailureVerdict.UNKNOWN
    r = store.lookup("have breakfast", vec(1), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.NO_CANDIDATE
    s = store.stats
    assert (s.failures, s.demoted, s.evicted, s.removed) == (4, 2, 2, 1)


def test_a_success_forgives_failures_in_a_row(world: FakeWorld) -> None:
    store = PolicyStore(embedder_name="test", dim=DIM, max_failures=2)
    eid = add_breakfast(store)
    assert store.report_failure(eid, 0) is FailureVerdict.DEMOTED
    assert store.report_success(eid, 0)
    v = store.get(eid).variants[0]
    assert (v.successes, v.failures) == (1, 0)
    assert store.report_failure(eid, 0) is FailureVerdict.DEMOTED  # not evicted: trust restored
    assert not store.report_success(eid, 9) and not store.report_success(99, 0)


def test_lookup_text_and_stats_with_a_real_embedder(world: FakeWorld) -> None:
    emb = CachedEmbedder(HashingEmbedder())
    store = PolicyStore(embedder=emb)
    assert store.dim == 256 and store.embed_cache is emb
    add_breakfast(store, v=emb.embed(["have breakfast"])[0])
    assert store.lookup_text("have breakfast", place=HOME, agent="ann", world=world).hit
    assert not store.lookup_text("repair the bicycle", place=HOME, agent="ann", world=world).hit
    stats = store.stats.to_dict()
    assert {k: stats[k] for k in ("lookups", "hits", "misses", "stored")} == {
        "lookups": 2,
        "hits": 1,
        "misses": 1,
        "stored": 1,
    }
    assert stats["by_reason"] == {"exact_hit": 1, "no_candidate": 1}


def test_bad_vectors_are_refused(store: PolicyStore, world: FakeWorld) -> None:
    with pytest.raises(ValueError, match="dim"):
        store.lookup("x", np.ones(3, dtype=np.float32), place=HOME, agent="ann", world=world)
    with pytest.raises(ValueError, match="non-zero"):
        add_breakfast(store, v=np.zeros(DIM, dtype=np.float32))
    with pytest.raises(ValueError, match="embedder"):
        PolicyStore(dim=4)


def test_many_entries_use_hnsw_and_still_find_the_plan(world: FakeWorld) -> None:
    rng = np.random.default_rng(0)
    store = PolicyStore(embedder_name="t", dim=DIM, index=IndexSettings(exact_below=64))
    target = vec(1, 1, 1, 1)
    for i in range(300):
        v = rng.normal(size=DIM).astype(np.float32)
        add_breakfast(store, TOWN, text=f"errand number {i}", v=v)
    add_breakfast(store, TOWN, v=target, actions=breakfast(minutes=4))
    r = store.lookup("eat breakfast", target, place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.SIMILAR_HIT and r.actions[1].duration == 4


def test_condition_objects_reference_the_world_only_through_the_view(
    store: PolicyStore, world: FakeWorld
) -> None:
    store.add(
        "serve customers",
        vec(0, 1),
        place="@work",
        actions=[Action(verb="serve", target="@work:cafe:counter", duration=60)],
        condition=AddressCond(address="@work:cafe:counter", free=1, reachable=True),
        scope=BARISTA,
    )
    lookup = {"place": "@work", "agent": "bob", "role": "barista", "world": world}
    calls = world.reachable_calls
    assert store.lookup("serve customers", vec(0, 1), **lookup).hit  # type: ignore[arg-type]
    assert world.reachable_calls == calls + 1
    world.block("bob", "Juniper Cafe:cafe:counter")
    r = store.lookup("serve customers", vec(0, 1), **lookup)  # type: ignore[arg-type]
    assert r.reason is LookupReason.NO_CONDITION_HELD and "not reachable" in r.detail


def test_bulk_load_defers_indexing_until_the_block_ends(world: FakeWorld) -> None:
    store = PolicyStore(embedder_name="t", dim=DIM, index=IndexSettings(exact_below=4))
    with store.bulk_load():
        for i in range(10):
            add_breakfast(store, TOWN, text=f"errand {i}", v=vec(1, i))
        gone = add_breakfast(store, TOWN, text="go to sleep", v=vec(0, 0, 1))
        store.remove(gone)
        inside = store.lookup("do errand", vec(1, 3), place=HOME, agent="ann", world=world)
        assert inside.reason is LookupReason.NO_CANDIDATE  # not indexed yet
    r = store.lookup("do errand", vec(1, 3), place=HOME, agent="ann", world=world)
    assert r.reason is LookupReason.SIMILAR_HIT and r.matched_text == "errand 3"
    sleep = store.lookup("go to sleep", vec(0, 0, 1), place=HOME, agent="ann", world=world)
    assert sleep.matched_text != "go to sleep"


def test_exact_precheck_misses_are_not_double_counted(store: PolicyStore, world: FakeWorld) -> None:
    add_breakfast(store)
    where = {"place": HOME, "agent": "ann", "world": world}
    assert not store.lookup_exact("eat breakfast", **where).hit  # type: ignore[arg-type]
    assert store.lookup("eat breakfast", vec(1), **where).hit  # type: ignore[arg-type]
    assert store.lookup_exact("have breakfast", **where).hit  # type: ignore[arg-type]
    assert (store.stats.lookups, store.stats.hits, store.stats.misses) == (2, 2, 0)
