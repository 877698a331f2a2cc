"""PolicyStore persistence: round trips, the embedding cache, flush cadence, damaged files,
and a writer killed with SIGKILL in the middle of its writes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import msgpack
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aga_npc.embed import CachedEmbedder, HashingEmbedder
from aga_npc.errors import CorruptFileError, StoreError
from aga_npc.policy import (
    AddressCond,
    AllCond,
    FailureVerdict,
    LookupReason,
    ObjectCond,
    PolicyJournal,
    PolicyScope,
    PolicyStore,
    Provenance,
    StoreStats,
    TimeWindowCond,
)
from aga_npc.policy.persist import SCHEMA, VERSION
from aga_npc.store import RecordLog, read_log
from aga_npc.testing.fake_world import FakeWorld
from aga_npc.types import Action

DIM = 8
HOME = "Home"  # the place of every routine here (a sector name)


def vec(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def acts(n: int = 2) -> list[Action]:
    return [
        Action(
            verb="use",
            target=f"Home:room:thing {i}",
            duration=5 + i,
            emoji="🪑",
            event=("", "use", f"thing {i}"),
            object_state="in use",
            object_emoji="✨",
            object_event=(f"thing {i}", "is", "used"),
        )
        for i in range(n)
    ]


def add(store: PolicyStore, text: str, v: np.ndarray, **kw: object) -> int:
    options: dict[str, object] = {"actions": acts(), "place": HOME}
    options.update(kw)
    return store.add(text, v, **options)  # type: ignore[arg-type]


def records(path: Path) -> tuple[object, ...]:
    return read_log(path, schema=SCHEMA, max_version=VERSION).records


def open_store(path: Path, **kw: object) -> PolicyStore:
    return PolicyStore.open(path, embedder_name="test", dim=DIM, **kw)  # type: ignore[arg-type]


def snapshot(store: PolicyStore) -> list[dict[str, object]]:
    out = []
    for e in store.entries():
        d = e.to_dict()
        d["vec"] = np.frombuffer(d["vec"], dtype="<f4").round(6).tolist()
        out.append(d)
    return out


def test_changes_survive_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    store = open_store(path)
    a = add(store, "have breakfast", vec(1), scope=PolicyScope.agent("ann"))
    b = add(store, "serve customers", vec(2), actions=acts(3), scope=PolicyScope.role("barista"))
    add(store, "have breakfast", vec(1), actions=acts(1), scope=PolicyScope.agent("ann"))
    world = FakeWorld()
    for i in range(3):
        world.add(f"Home:room:thing {i}", "thing")
    where = {"place": HOME, "agent": "ann", "world": world}
    assert store.lookup("have breakfast", vec(1), game_minute=77, **where).hit  # type: ignore[arg-type]
    store.remove(b)
    before = snapshot(store)
    store.close()
    with open_store(path) as again:
        assert snapshot(again) == before
        assert again.get(a).hits == 1 and again.get(a).last_use == 77
        assert len(again.get(a).variants) == 2
        assert again.get(a).variants[0].actions == tuple(acts())  # emoji, events, states
        c = add(again, "go to sleep", vec(3), scope=PolicyScope.town())
        assert c not in (a, b)  # ids are never reused, even after a removal


def test_run_time_reports_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    store = open_store(path, max_failures=2)
    eid = add(store, "have breakfast", vec(1), scope=PolicyScope.town())
    add(store, "have breakfast", vec(1), actions=acts(1), scope=PolicyScope.town())
    assert store.report_failure(eid, 0, why="gone") is FailureVerdict.DEMOTED
    assert store.report_success(eid, 1)
    store.close()
    with open_store(path, max_failures=2) as again:
        variants = again.get(eid).variants
        assert [(v.id, v.failures, v.successes) for v in variants] == [(1, 0, 1), (0, 1, 0)]
        assert again.report_failure(eid, 0) is FailureVerdict.EVICTED
        assert again.report_failure(eid, 1) is FailureVerdict.DEMOTED
    with open_store(path) as third:
        assert [(v.id, v.failures) for v in third.get(eid).variants] == [(1, 1)]
        assert third.get(eid).next_variant == 2  # a new variant never takes an old id


def test_a_format_1_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "old.aga"
    RecordLog.create(path, schema=SCHEMA, version=1, meta={"embedder": "test", "dim": DIM}).close()
    with pytest.raises(StoreError, match=r"format 1.*move the file away"):
        open_store(path)
    assert path.exists()  # nothing was overwritten


def test_store_state_round_trips(tmp_path: Path) -> None:
    store = PolicyStore(embedder_name="test", dim=DIM)
    eid = add(store, "have breakfast", vec(1), scope=PolicyScope.town())
    add(store, "read a book", vec(2), scope=PolicyScope.agent("ann"))
    store.report_failure(eid, 0)
    store.remove(add(store, "gone", vec(4), scope=PolicyScope.town()))
    state = store.get_state()
    wire = msgpack.unpackb(msgpack.packb(state, use_bin_type=True), raw=False)
    other = PolicyStore.open(tmp_path / "other.aga", embedder_name="test", dim=DIM)
    add(other, "to be replaced", vec(3), scope=PolicyScope.town())
    other.set_state(wire)
    assert snapshot(other) == snapshot(store) and other.stats == store.stats
    assert other.get_state() == state
    new = add(other, "after", vec(5), scope=PolicyScope.town())
    assert new == 4  # the id counter came along: removed ids are not reused
    other.close()
    with open_store(tmp_path / "other.aga") as reopened:  # the bound file was rewritten
        assert [e.plan_text for e in reopened.entries()] == [
            "have breakfast",
            "read a book",
            "after",
        ]
    with pytest.raises(StoreError, match="embedded with"):
        PolicyStore(embedder_name="other", dim=DIM).set_state(state)
    with pytest.raises(StoreError, match="place"):
        PolicyStore(embedder_name="test", dim=DIM).set_state({**state, "format": 1})
    broken = {**state, "entries": [{**state["entries"][0], "place": ""}]}
    target = PolicyStore(embedder_name="test", dim=DIM)
    with pytest.raises(ValueError):
        target.set_state(broken)
    assert len(target) == 0  # all or nothing


def test_stats_and_journal_state_round_trip(tmp_path: Path) -> None:
    stats = StoreStats(lookups=5, hits=3, misses=2, failures=1, demoted=1, by_reason={"x": 2})
    assert StoreStats.from_dict(stats.to_dict()) == stats
    with pytest.raises(ValueError):
        StoreStats.from_dict({"hits": -1})
    store = open_store(tmp_path / "p.aga", flush_every=30)
    journal = store.journal
    assert journal is not None
    journal.due(10)
    add(store, "have breakfast", vec(1), scope=PolicyScope.town())
    store.flush()
    state = journal.get_state()
    assert state == {"flush_every": 30, "last_flush": 10, "appended": 1}
    fresh = PolicyJournal(RecordLog.create(tmp_path / "q.aga", schema=SCHEMA, version=VERSION))
    fresh.set_state(state)
    assert fresh.get_state() == state and not fresh.due(39) and fresh.due(40)
    with pytest.raises(ValueError):
        fresh.set_state({**state, "flush_every": 0})
    fresh.close()
    store.close()


def test_embedding_cache_is_persisted_with_the_store(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    cache = CachedEmbedder(HashingEmbedder(dim=DIM))
    store = PolicyStore.open(path, embedder=cache)
    cache.embed(["have breakfast", "go to sleep"])
    store.flush()
    cache.embed(["read a book"])
    store.close()
    fresh = CachedEmbedder(HashingEmbedder(dim=DIM))
    PolicyStore.open(path, embedder=fresh).close()
    assert {t for t, _ in fresh.items()} == {"have breakfast", "go to sleep", "read a book"}
    np.testing.assert_array_equal(
        fresh.cached("read a book"), HashingEmbedder(dim=DIM).embed(["read a book"])[0]
    )


def test_another_embedder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    open_store(path).close()
    with pytest.raises(StoreError, match="embedded with 'test'"):
        PolicyStore.open(path, embedder_name="local:other", dim=DIM)
    with pytest.raises(StoreError, match="dim"):
        PolicyStore.open(path, embedder_name="test", dim=DIM + 1)


def test_flush_if_due_flushes_at_least_every_game_hour(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    store = open_store(path)
    assert not store.flush_if_due(0)
    add(store, "have breakfast", vec(1), scope=PolicyScope.town())
    assert not store.flush_if_due(59)
    assert len(records(path)) == 0
    assert store.flush_if_due(60)
    assert len(records(path)) == 1
    assert not store.flush_if_due(100)
    assert store.flush_if_due(121)
    store.close()
    with pytest.raises(ValueError):
        PolicyStore(embedder_name="t", dim=4, flush_every=90)
    assert not PolicyStore(embedder_name="t", dim=4).flush_if_due(600)  # no file: nothing


def test_compaction_rewrites_a_long_log_without_losing_anything(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    store = open_store(path)
    eid = add(store, "have breakfast", vec(1), scope=PolicyScope.town())
    world = FakeWorld()
    for i in range(2):
        world.add(f"Home:room:thing {i}", "thing")
    for minute in range(1500):  # many hit records on one entry
        store.lookup(
            "have breakfast", vec(1), place=HOME, agent="ann", world=world, game_minute=minute
        )
        if minute % 100 == 0:
            store.flush()
    store.flush()
    assert len(records(path)) < 600  # compacted at least once
    store.close()
    with open_store(path) as again:
        assert again.get(eid).hits == 1500 and again.get(eid).last_use == 1499


def test_in_memory_store_saves_to_a_path_and_binds_to_it(tmp_path: Path) -> None:
    store = PolicyStore(embedder_name="test", dim=DIM)
    add(store, "have breakfast", vec(1), scope=PolicyScope.town())
    assert store.flush() == 0  # not bound: nothing to write
    with pytest.raises(StoreError, match="not bound"):
        store.save()
    path = tmp_path / "saved.aga"
    store.save(path)
    add(store, "go to sleep", vec(2), scope=PolicyScope.town())
    store.close()
    with open_store(path) as again:
        assert [e.plan_text for e in again.entries()] == ["have breakfast", "go to sleep"]


def test_truncated_store_file_raises_names_file_and_offset_and_recovers(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    store = open_store(path)
    for i in range(6):
        add(store, f"plan {i}", vec(i), scope=PolicyScope.town())
        store.flush()
    store.close()
    offsets = read_log(path, schema=SCHEMA, max_version=VERSION).offsets
    data = path.read_bytes()
    path.write_bytes(data[: offsets[4] + 20])
    with pytest.raises(CorruptFileError) as info:
        open_store(path)
    assert info.value.path == str(path) and info.value.offset == offsets[4]
    assert str(path) in str(info.value) and f"byte {offsets[4]}" in str(info.value)
    assert (tmp_path / "policies.aga.corrupt").exists()
    recovered = open_store(path, recover=True)
    assert [e.plan_text for e in recovered.entries()] == [f"plan {i}" for i in range(4)]
    recovered.close()
    with open_store(path) as again:
        assert len(again.entries()) == 4


def test_a_valid_frame_with_an_invalid_record_is_reported_at_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    store = open_store(path)
    add(store, "have breakfast", vec(1), scope=PolicyScope.town())
    store.close()
    log, contents = RecordLog.open(path, schema=SCHEMA, version=VERSION)
    good = contents.records[0]
    bad = {"t": "put", "entry": dict(good["entry"], id=2)}
    bad["entry"]["variants"] = [dict(good["entry"]["variants"][0], condition={"op": "fly"})]
    log.append(bad)
    log.append({"t": "put", "entry": dict(good["entry"], id=3)})
    log.flush()
    log.close()
    offsets = read_log(path, schema=SCHEMA, max_version=VERSION).offsets
    with pytest.raises(CorruptFileError) as info:
        open_store(path)
    assert info.value.offset == offsets[1]
    assert "variants[0].condition.op" in str(info.value)
    with open_store(path, recover=True) as recovered:
        assert [e.id for e in recovered.entries()] == [1]  # the prefix, never past the damage


conditions = st.sampled_from(
    [
        ObjectCond(kind="stove", sector="@home", reachable=True, free=1),
        AddressCond(address="@work:cafe:counter", state="open"),
        AllCond(of=(TimeWindowCond(start=1320, end=120), ObjectCond(kind="bed"))),
    ]
)
entries = st.lists(
    st.tuples(
        st.text(alphabet="abcdefghij ", min_size=1, max_size=12).filter(str.strip),
        st.integers(0, 2**16),
        st.sampled_from([PolicyScope.town(), PolicyScope.agent("ann"), PolicyScope.role("cook")]),
        conditions,
        st.lists(st.integers(1, 90), min_size=1, max_size=4),
        st.integers(0, 5000),
    ),
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(items=entries, flush_each=st.booleans())
def test_round_trip_of_arbitrary_stores(tmp_path: Path, items: list, flush_each: bool) -> None:  # type: ignore[type-arg]
    path = tmp_path / "prop.aga"
    path.unlink(missing_ok=True)
    store = open_store(path)
    for text, seed, scope, cond, minutes, minute in items:
        store.add(
            text,
            vec(seed),
            place="A",
            actions=[Action(verb="do", target="A:b:c", duration=m) for m in minutes],
            condition=cond,
            scope=scope,
            provenance=Provenance(agent="ann", game_minute=minute, backend="offline"),
        )
        if flush_each:
            store.flush()
    before = snapshot(store)
    store.close()
    with open_store(path) as reopened:
        assert snapshot(reopened) == before
        compact = tmp_path / "compact.aga"
        compact.unlink(missing_ok=True)
        reopened.save(compact)
    with open_store(compact) as saved:
        assert snapshot(saved) == before


CHILD = textwrap.dedent(
    """
    import sys
    import numpy as np
    from aga_npc.policy import PolicyScope, PolicyStore
    from aga_npc.types import Action

    store = PolicyStore.open(sys.argv[1], embedder_name="test", dim=8)
    rng = np.random.default_rng(int(sys.argv[2]))
    n = 0
    while True:
        batch = []
        for _ in range(int(rng.integers(1, 6))):
            n += 1
            text = f"plan number {n}"
            store.add(text, rng.normal(size=8).astype(np.float32), place="A",
                      actions=[Action(verb="do", target="A:b:c", duration=5)],
                      scope=PolicyScope.town())
            batch.append(text)
        store.flush()
        print("\\n".join(batch), flush=True)
    """
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_mid_write_loses_nothing_that_was_flushed(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "policies.aga"
    errors = tmp_path / "child.err"
    flushed: list[str] = []
    target = random.Random(seed).randint(40, 400)
    with (
        open(errors, "w") as err,
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(seed)],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        ) as proc,
    ):
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while len(flushed) < target and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            flushed.append(line.strip())
        os.kill(proc.pid, signal.SIGKILL)  # lands anywhere: mid-add, mid-append, mid-fsync
        tail = proc.stdout.read()  # lines printed before the kill landed were flushed too
        proc.wait()
    flushed += [t for t in tail.splitlines() if t.strip()]
    assert proc.returncode == -signal.SIGKILL
    assert len(flushed) >= target, errors.read_text()
    with open_store(path) as store:
        stored = {e.plan_text for e in store.entries()}
        missing = [t for t in flushed if t not in stored]
        assert missing == []
        add(store, "after the crash", vec(0), scope=PolicyScope.town())
    with open_store(path) as store:
        assert "after the crash" in {e.plan_text for e in store.entries()}


def test_lookup_after_reload_uses_the_rebuilt_index(tmp_path: Path) -> None:
    path = tmp_path / "policies.aga"
    store = open_store(path)
    add(store, "have breakfast", vec(5), actions=acts(1), scope=PolicyScope.town())
    store.close()
    world = FakeWorld()
    world.add("Home:room:thing 0", "thing")
    with open_store(path) as again:
        r = again.lookup("eat breakfast", vec(5), place=HOME, agent="bob", world=world)
    assert r.reason is LookupReason.SIMILAR_HIT
