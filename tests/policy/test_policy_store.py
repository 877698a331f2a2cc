"""PolicyStore lookups: reasons, variant order, rescaling, scope order, bookkeeping."""

from __future__ import annotations

import numpy as np
import pytest

from aga_npc.embed import CachedEmbedder, HashingEmbedder
from aga_npc.policy import (
    AddressCond,
    AgentInCond,
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


def vec(*xs: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(xs)] = xs
    return v / np.linalg.norm(v)


def breakfast(target: str = "@home:kitchen:table", minutes: int = 20) -> list[Action]:
    return [
        Action(verb="cook", target="@home:kitchen:stove", duration=10, description="fry eggs"),
        Action(verb="eat", target=target, duration=minutes, description="eat"),
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


def test_empty_store_misses_with_no_candidate(store: PolicyStore, world: FakeWorld) -> None:
    r = store.lookup("have breakfast", vec(1), agent="ann", world=world)
    assert r.reason is LookupReason.NO_CANDIDATE and not r.hit and r.actions == ()
    assert store.stats.lookups == 1 and store.stats.misses == 1


def test_exact_hit_rescales_and_counts_the_use(store: PolicyStore, world: FakeWorld) -> None:
    eid = store.add(
        "have breakfast",
        vec(1),
        actions=breakfast(),
        scope=ANN,
        provenance=Provenance(agent="ann", game_minute=400),
    )
    r = store.lookup(
        "Have breakfast.", vec(0, 1), agent="ann", world=world, duration=60, game_minute=500
    )
    assert r.reason is LookupReason.EXACT_HIT and r.hit
    assert r.cosine == 1.0 and r.entry_id == eid and r.variant_index == 0 and r.scope == ANN
    assert [a.duration for a in r.actions] == [20, 40]
    assert [a.description for a in r.actions] == ["fry eggs", "eat"]
    entry = store.get(eid)
    assert entry.hits == 1 and entry.last_use == 500 and entry.variants[0].hits == 1
    assert entry.duration == 30  # the stored plan's own duration is unchanged
    assert store.lookup_exact("have breakfast", agent="ann", world=world).hit


def test_similar_hit_reports_cosine(store: PolicyStore, world: FakeWorld) -> None:
    store.add("have breakfast", vec(1), actions=breakfast(), scope=ANN)
    r = store.lookup("eat breakfast", vec(1, 0.2), agent="ann", world=world)
    assert r.reason is LookupReason.SIMILAR_HIT
    assert r.matched_text == "have breakfast"
    assert r.cosine == pytest.approx(float(vec(1) @ vec(1, 0.2)), abs=1e-5)
    assert store.lookup_exact("eat breakfast", agent="ann", world=world).reason is (
        LookupReason.NO_CANDIDATE
    )


def test_lookalike_is_rejected_even_with_identical_vectors(
    store: PolicyStore, world: FakeWorld
) -> None:
    store.add("cook dinner", vec(1), actions=breakfast(), scope=ANN)
    r = store.lookup("eat dinner", vec(1), agent="ann", world=world)
    assert r.reason is LookupReason.REJECTED_LOOKALIKE
    assert r.matched_text == "cook dinner" and "cook" in r.detail and r.actions == ()


def test_distant_candidate_is_no_candidate(store: PolicyStore, world: FakeWorld) -> None:
    store.add("have breakfast", vec(1), actions=breakfast(), scope=ANN)
    r = store.lookup("have breakfast and chat", vec(0, 1), agent="ann", world=world)
    assert r.reason is LookupReason.NO_CANDIDATE and r.entry_id is None
    assert r.cosine == pytest.approx(0.0, abs=1e-6)


def test_no_condition_held_names_the_entry_and_the_failure(
    store: PolicyStore, world: FakeWorld
) -> None:
    eid = store.add("have breakfast", vec(1), actions=breakfast(), scope=ANN)
    world.remove("Brook House:kitchen:stove")
    r = store.lookup("have breakfast", vec(1), agent="ann", world=world)
    assert r.reason is LookupReason.NO_CONDITION_HELD and r.entry_id == eid
    assert "Brook House:kitchen:stove is gone" in r.detail
    assert store.get(eid).hits == 0


def test_variants_are_tried_in_order(store: PolicyStore, world: FakeWorld) -> None:
    at_home = breakfast()
    at_cafe = [Action(verb="eat", target="Juniper Cafe:cafe:counter", duration=15)]
    eid = store.add("have breakfast", vec(1), actions=at_home, scope=ANN)
    assert store.add("have breakfast", vec(1), actions=at_cafe, scope=ANN) == eid
    assert len(store.get(eid).variants) == 2
    assert store.lookup("have breakfast", vec(1), agent="ann", world=world).variant_index == 0
    world.occupy("Brook House:kitchen:stove", "zed")
    r = store.lookup("have breakfast", vec(1), agent="ann", world=world)
    assert r.variant_index == 1 and r.actions == tuple(at_cafe)
    world.occupy("Juniper Cafe:cafe:counter", "zed")
    r = store.lookup("have breakfast", vec(1), agent="ann", world=world)
    assert r.reason is LookupReason.NO_CONDITION_HELD
    assert "variant 0" in r.detail and "variant 1" in r.detail


def test_explicit_conditions_and_into(store: PolicyStore, world: FakeWorld) -> None:
    eid = store.add(
        "open the cafe",
        vec(0, 0, 1),
        actions=[Action(verb="work", target="@work:cafe:counter", duration=30)],
        condition=AgentInCond(sector="@work"),
        scope=BARISTA,
    )
    r = store.lookup("open the cafe", vec(0, 0, 1), agent="ann", role="barista", world=world)
    assert r.reason is LookupReason.NO_CONDITION_HELD  # ann is at home
    other = store.add(
        "unlock the cafe",
        vec(0, 0, 1),
        actions=[Action(verb="work", target="@work:cafe:counter", duration=30)],
        condition=ObjectCond(kind="counter", sector="@work"),
        scope=BARISTA,
        into=r.entry_id,
    )
    assert other == eid and len(store.get(eid).variants) == 2
    again = store.lookup("open the cafe", vec(0, 0, 1), agent="ann", role="barista", world=world)
    assert again.hit and again.variant_index == 1


def test_identical_variant_is_not_duplicated_and_variants_are_capped(world: FakeWorld) -> None:
    store = PolicyStore(embedder_name="test", dim=DIM, max_variants=2)
    eid = store.add("have breakfast", vec(1), actions=breakfast(), scope=ANN)
    store.add("have breakfast", vec(1), actions=breakfast(), scope=ANN)
    assert len(store.get(eid).variants) == 1
    store.lookup("have breakfast", vec(1), agent="ann", world=world)  # variant 0 now used
    store.add("have breakfast", vec(1), actions=breakfast(minutes=5), scope=ANN)
    store.add("have breakfast", vec(1), actions=breakfast(minutes=7), scope=ANN)
    kept = [v.actions[1].duration for v in store.get(eid).variants]
    assert kept == [20, 7]  # the unused 5-minute variant went, the used one stayed


def test_scope_order_agent_then_role_then_town(store: PolicyStore, world: FakeWorld) -> None:
    store.add("have breakfast", vec(1), actions=breakfast(minutes=1), scope=TOWN)
    store.add("have breakfast", vec(1), actions=breakfast(minutes=2), scope=BARISTA)
    store.add("have breakfast", vec(1), actions=breakfast(minutes=3), scope=ANN)

    def eat_minutes(agent: str, role: str | None) -> int:
        r = store.lookup("have breakfast", vec(1), agent=agent, role=role, world=world)
        assert r.hit
        return r.actions[1].duration

    assert eat_minutes("ann", "barista") == 3
    assert eat_minutes("bob", "barista") == 2
    assert eat_minutes("bob", None) == 1
    assert eat_minutes("bob", "teacher") == 1
    assert store.scopes_for("bob", "barista") == (PolicyScope.agent("bob"), BARISTA, TOWN)


def test_a_later_scope_serves_when_the_first_has_no_condition(
    store: PolicyStore, world: FakeWorld
) -> None:
    store.add("have breakfast", vec(1), actions=breakfast("Brook House:kitchen:table"), scope=ANN)
    store.add("have breakfast", vec(1), actions=breakfast(minutes=9), scope=TOWN)
    world.remove("Brook House:kitchen:table")
    world.homes["ann"] = "Mill Cottage"  # ann moved house: her own routine points nowhere
    r = store.lookup("have breakfast", vec(1), agent="ann", world=world)
    assert r.hit and r.scope == TOWN and r.actions[1].duration == 9


def test_place_symbols_make_one_policy_serve_every_agent(
    store: PolicyStore, world: FakeWorld
) -> None:
    store.add("have breakfast", vec(1), actions=breakfast(), scope=TOWN)
    assert store.lookup("have breakfast", vec(1), agent="bob", world=world).hit
    world.remove("Mill Cottage:kitchen:stove")
    assert not store.lookup("have breakfast", vec(1), agent="bob", world=world).hit
    assert store.lookup("have breakfast", vec(1), agent="ann", world=world).hit


def test_failures_drop_variants_then_entries(world: FakeWorld) -> None:
    store = PolicyStore(embedder_name="test", dim=DIM, max_failures=2)
    eid = store.add("have breakfast", vec(1), actions=breakfast(), scope=ANN)
    store.add("have breakfast", vec(1), actions=breakfast(minutes=5), scope=ANN)
    assert store.report_failure(eid, 0)
    assert store.get(eid).variants[0].failures == 1
    assert store.report_failure(eid, 0)
    assert [v.actions[1].duration for v in store.get(eid).variants] == [5]
    store.report_failure(eid, 0)
    assert not store.report_failure(eid, 0)
    assert len(store) == 0
    r = store.lookup("have breakfast", vec(1), agent="ann", world=world)
    assert r.reason is LookupReason.NO_CANDIDATE


def test_lookup_text_and_stats_with_a_real_embedder(world: FakeWorld) -> None:
    emb = CachedEmbedder(HashingEmbedder())
    store = PolicyStore(embedder=emb)
    assert store.dim == 256 and store.embed_cache is emb
    store.add("have breakfast", emb.embed(["have breakfast"])[0], actions=breakfast(), scope=ANN)
    assert store.lookup_text("have breakfast", agent="ann", world=world).hit
    assert not store.lookup_text("repair the bicycle", agent="ann", world=world).hit
    assert store.stats.to_dict() == {
        "lookups": 2,
        "hits": 1,
        "misses": 1,
        "stored": 1,
        "by_reason": {"exact_hit": 1, "no_candidate": 1},
    }


def test_bad_vectors_are_refused(store: PolicyStore, world: FakeWorld) -> None:
    with pytest.raises(ValueError, match="dim"):
        store.lookup("x", np.ones(3, dtype=np.float32), agent="ann", world=world)
    with pytest.raises(ValueError, match="non-zero"):
        store.add("x", np.zeros(DIM, dtype=np.float32), actions=breakfast(), scope=ANN)
    with pytest.raises(ValueError, match="embedder"):
        PolicyStore(dim=4)


def test_many_entries_use_hnsw_and_still_find_the_plan(world: FakeWorld) -> None:
    from aga_npc.policy import IndexSettings

    rng = np.random.default_rng(0)
    store = PolicyStore(embedder_name="t", dim=DIM, index=IndexSettings(exact_below=64))
    target = vec(1, 1, 1, 1)
    for i in range(300):
        v = rng.normal(size=DIM).astype(np.float32)
        store.add(f"errand number {i}", v, actions=breakfast(), scope=TOWN)
    store.add("have breakfast", target, actions=breakfast(minutes=4), scope=TOWN)
    r = store.lookup("eat breakfast", target, agent="ann", world=world)
    assert r.reason is LookupReason.SIMILAR_HIT and r.actions[1].duration == 4


def test_condition_objects_reference_the_world_only_through_the_view(
    store: PolicyStore, world: FakeWorld
) -> None:
    store.add(
        "serve customers",
        vec(0, 1),
        actions=[Action(verb="serve", target="@work:cafe:counter", duration=60)],
        condition=AddressCond(address="@work:cafe:counter", free=1, reachable=True),
        scope=BARISTA,
    )
    calls = world.reachable_calls
    assert store.lookup("serve customers", vec(0, 1), agent="bob", role="barista", world=world).hit
    assert world.reachable_calls == calls + 1
    world.block("bob", "Juniper Cafe:cafe:counter")
    r = store.lookup("serve customers", vec(0, 1), agent="bob", role="barista", world=world)
    assert r.reason is LookupReason.NO_CONDITION_HELD and "not reachable" in r.detail


def test_bulk_load_defers_indexing_until_the_block_ends(world: FakeWorld) -> None:
    from aga_npc.policy import IndexSettings

    store = PolicyStore(embedder_name="t", dim=DIM, index=IndexSettings(exact_below=4))
    with store.bulk_load():
        for i in range(10):
            store.add(f"errand {i}", vec(1, i), actions=breakfast(), scope=TOWN)
        gone = store.add("go to sleep", vec(0, 0, 1), actions=breakfast(), scope=TOWN)
        store.remove(gone)
        inside = store.lookup("do errand", vec(1, 3), agent="ann", world=world)
        assert inside.reason is LookupReason.NO_CANDIDATE  # not indexed yet
    r = store.lookup("do errand", vec(1, 3), agent="ann", world=world)
    assert r.reason is LookupReason.SIMILAR_HIT and r.matched_text == "errand 3"
    assert store.lookup("go to sleep", vec(0, 0, 1), agent="ann", world=world).matched_text != (
        "go to sleep"
    )


def test_exact_precheck_misses_are_not_double_counted(store: PolicyStore, world: FakeWorld) -> None:
    store.add("have breakfast", vec(1), actions=breakfast(), scope=ANN)
    assert not store.lookup_exact("eat breakfast", agent="ann", world=world).hit
    assert store.lookup("eat breakfast", vec(1), agent="ann", world=world).hit
    assert store.lookup_exact("have breakfast", agent="ann", world=world).hit
    assert (store.stats.lookups, store.stats.hits, store.stats.misses) == (2, 2, 0)
