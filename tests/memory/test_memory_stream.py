"""MemoryStream: retrieval scoring, pending embeddings, reflection trigger, bound, state."""

from __future__ import annotations

import math

import msgpack
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aga_npc.errors import SchemaVersionError, StoreError
from aga_npc.memory.events import EventKind, RetrievalWeights
from aga_npc.memory.stream import MemoryStream

ONLY_RECENCY = RetrievalWeights(recency=1.0, importance=0.0, relevance=0.0)
ONLY_IMPORTANCE = RetrievalWeights(recency=0.0, importance=1.0, relevance=0.0)
ONLY_RELEVANCE = RetrievalWeights(recency=0.0, importance=0.0, relevance=1.0)


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


# ---------------------------------------------------------------- retrieval scoring
def test_most_recently_accessed_event_has_highest_recency():
    s = MemoryStream()
    old = s.append(kind="done", text="ate breakfast", now=0, importance=3)
    mid = s.append(kind="done", text="read a book", now=600, importance=3)
    new = s.append(kind="done", text="watered plants", now=1200, importance=3)
    hits = s.retrieve(None, now=1260, k=3, weights=ONLY_RECENCY, touch=False)
    assert [h.event.id for h in hits] == [new.id, mid.id, old.id]
    assert hits[0].recency == 1.0
    assert hits[-1].recency == 0.0
    # mid is 11 h old, new 1 h, old 21 h: normalised (0.995**11 - 0.995**21)/(0.995**1 - 0.995**21)
    expected = (0.995**11 - 0.995**21) / (0.995**1 - 0.995**21)
    assert hits[1].recency == pytest.approx(expected)


def test_recency_counts_from_last_access_not_creation():
    s = MemoryStream()
    old = s.append(kind="observed", text="the fox by the river", now=0, importance=3)
    newer = s.append(kind="observed", text="the bakery opened", now=600, importance=3)
    s.mark_accessed([old.id], now=900)
    hits = s.retrieve(None, now=960, k=2, weights=ONLY_RECENCY, touch=False)
    assert [h.event.id for h in hits] == [old.id, newer.id]


def test_importance_is_min_max_normalised():
    s = MemoryStream()
    for imp in (2, 5, 8):
        s.append(kind="thought", text=f"thought of weight {imp}", now=0, importance=imp)
    hits = s.retrieve(None, now=0, k=3, weights=ONLY_IMPORTANCE, touch=False)
    assert [h.event.importance for h in hits] == [8, 5, 2]
    assert [h.importance for h in hits] == [1.0, 0.5, 0.0]


def test_flat_component_normalises_to_one_half_and_does_not_rank():
    s = MemoryStream()
    a = s.append(kind="done", text="a thing", now=0, importance=4)
    b = s.append(kind="done", text="b thing", now=0, importance=4)
    hits = s.retrieve(None, now=0, k=2, touch=False)
    for h in hits:
        assert (h.recency, h.importance, h.relevance) == (0.5, 0.5, 0.5)
        assert h.score == pytest.approx(1.5)
    # a full tie goes to the newer event
    assert [h.event.id for h in hits] == [b.id, a.id]


def test_single_candidate_gets_one_half_parts():
    s = MemoryStream()
    s.append(kind="done", text="alone", now=0, importance=9, embedding=unit(1, 0))
    (hit,) = s.retrieve(unit(0, 1), now=100, k=5)
    assert (hit.recency, hit.importance, hit.relevance) == (0.5, 0.5, 0.5)


def test_score_is_weighted_sum_of_parts():
    s = MemoryStream()
    s.append(kind="done", text="x", now=0, importance=1, embedding=unit(1, 0, 0))
    s.append(kind="done", text="y", now=300, importance=10, embedding=unit(0, 1, 0))
    s.append(kind="done", text="z", now=600, importance=5, embedding=unit(1, 1, 0))
    w = RetrievalWeights(recency=0.5, importance=2.0, relevance=3.0)
    hits = s.retrieve(unit(1, 0.2, 0), now=700, k=3, weights=w, touch=False)
    for h in hits:
        assert min(h.recency, h.importance, h.relevance) >= 0.0
        assert max(h.recency, h.importance, h.relevance) <= 1.0
        assert h.score == pytest.approx(0.5 * h.recency + 2.0 * h.importance + 3.0 * h.relevance)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for part in ("recency", "importance", "relevance"):
        values = sorted(getattr(h, part) for h in hits)
        assert values[0] == 0.0 and values[-1] == 1.0


def test_pending_embeddings_out_of_order_and_after_a_reload():
    """Embeddings arrive in any order; the pending list is always exactly the events
    without one, oldest first, also after a round trip and after forgetting."""
    s = MemoryStream()
    ids = [s.append(kind="observed", text=f"e{i}", now=i, importance=3).id for i in range(6)]
    assert [e.id for e in s.pending_embeddings()] == ids
    s.set_embeddings([ids[2], ids[0]], [unit(1, 0), unit(0, 1)])
    assert [e.id for e in s.pending_embeddings()] == [ids[1], ids[3], ids[4], ids[5]]
    s.set_embedding(ids[1], unit(1, 1))
    assert [e.id for e in s.pending_embeddings()] == ids[3:]
    late = s.append(kind="observed", text="late", now=9, importance=3, embedding=unit(1, 0))
    later = s.append(kind="observed", text="later", now=9, importance=3)
    assert [e.id for e in s.pending_embeddings()] == [*ids[3:], later.id]
    copy = MemoryStream()
    copy.set_state(s.get_state())
    assert [e.id for e in copy.pending_embeddings()] == [*ids[3:], later.id]
    s.set_embeddings([*ids[3:], later.id], [unit(1, 0)] * 4)
    assert s.pending_embeddings() == [] and late.id in s


def test_relevance_follows_cosine_and_pending_embedding_counts_as_zero():
    s = MemoryStream()
    same = s.append(kind="observed", text="stove", now=0, importance=3, embedding=unit(1, 0))
    opposite = s.append(kind="observed", text="cold", now=0, importance=3, embedding=unit(-1, 0))
    pending = s.append(kind="observed", text="pending", now=0, importance=3)
    hits = s.retrieve(unit(1, 0), now=0, k=3, weights=ONLY_RELEVANCE, touch=False)
    assert [h.event.id for h in hits] == [same.id, pending.id, opposite.id]
    assert [h.cosine for h in hits] == pytest.approx([1.0, 0.0, -1.0])
    assert [h.relevance for h in hits] == pytest.approx([1.0, 0.5, 0.0])


def test_embedding_arrives_later():
    s = MemoryStream()
    a = s.append(kind="observed", text="a", now=0, importance=3, embedding=unit(0, 1))
    b = s.append(kind="observed", text="b", now=0, importance=3)
    assert [e.id for e in s.pending_embeddings()] == [b.id]
    assert s.set_embedding(b.id, [2.0, 0.0])
    assert s.pending_embeddings() == []
    hits = s.retrieve(unit(1, 0), now=0, k=1, weights=ONLY_RELEVANCE)
    assert hits[0].event.id == b.id and hits[0].cosine == pytest.approx(1.0)
    assert a.id in s
    assert not s.set_embedding(999, [1.0, 0.0])
    with pytest.raises(ValueError, match="dimension"):
        s.set_embedding(a.id, [1.0, 0.0, 0.0])


def test_query_of_wrong_dimension_is_rejected():
    s = MemoryStream(dim=3)
    s.append(kind="done", text="x", now=0, importance=3, embedding=unit(1, 0, 0))
    with pytest.raises(ValueError, match="dimension"):
        s.retrieve(unit(1, 0), now=0)


def test_touch_updates_last_access_and_can_be_disabled():
    s = MemoryStream()
    ev = s.append(kind="done", text="x", now=0, importance=3)
    s.retrieve(None, now=50, touch=False)
    assert s.get(ev.id).last_access == 0
    (hit,) = s.retrieve(None, now=60)
    assert hit.event.last_access == 60
    assert s.get(ev.id).last_access == 60
    s.mark_accessed([ev.id], now=10)  # never moves backwards
    assert s.get(ev.id).last_access == 60


def test_filters_by_kind_person_and_exclusion():
    s = MemoryStream()
    s.append(kind="done", text="cooked", now=0, importance=3)
    said = s.append(kind="said", text="hi Maria", now=1, importance=3, people=["Maria Lopez"])
    thought = s.append(
        kind="thought", text="Maria is kind", now=2, importance=5, people=["Maria Lopez"]
    )
    assert [h.event.id for h in s.retrieve(None, 3, kinds=["said"], touch=False)] == [said.id]
    by_person = s.retrieve(None, 3, person="maria lopez", touch=False)
    assert {h.event.id for h in by_person} == {said.id, thought.id}
    assert [
        h.event.id for h in s.retrieve(None, 3, person="Maria Lopez", exclude=[thought.id])
    ] == [said.id]
    assert s.retrieve(None, 3, person="Nobody") == []
    assert [e.id for e in s.about("MARIA LOPEZ")] == [said.id, thought.id]


def test_k_limits_and_top_k_matches_full_sort():
    rng = np.random.default_rng(7)
    s = MemoryStream(max_events=500)
    for i in range(300):
        s.append(
            kind="observed",
            text=f"event {i}",
            now=i * 7,
            importance=int(rng.integers(1, 11)),
            embedding=rng.normal(size=16),
        )
    q = rng.normal(size=16)
    full = s.retrieve(q, now=3000, k=1000, touch=False)
    assert len(full) == 300
    top = s.retrieve(q, now=3000, k=12, touch=False)
    assert [h.event.id for h in top] == [h.event.id for h in full[:12]]
    assert s.retrieve(q, now=3000, k=0) == []


# ---------------------------------------------------------------- reflection trigger
def test_reflection_trigger_threshold_and_reset():
    s = MemoryStream(reflection_threshold=20)
    for _ in range(3):
        s.append(kind="observed", text="something", now=0, importance=6)
    assert not s.reflection_due
    assert s.importance_since_reflection == 18
    s.append(kind="reflection", text="I keep seeing things", now=0, importance=9)
    assert not s.reflection_due  # reflections do not feed the trigger
    ev = s.append(kind="said", text="hello", now=0, importance=1)
    assert not s.reflection_due
    s.set_importance(ev.id, 3)  # the real score arrives
    assert s.reflection_due and s.importance_since_reflection == 21
    s.reset_reflection()
    assert not s.reflection_due and s.importance_since_reflection == 0
    s.set_importance(ev.id, 10)  # an event from before the reset no longer counts
    assert s.importance_since_reflection == 0


# ---------------------------------------------------------------- bound
def fill_routine_week(s: MemoryStream, days: int = 7) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {"people": [], "reflection": []}
    rng = np.random.default_rng(1)
    t = 0
    for day in range(days):
        for hour in range(16):
            for minute in range(0, 60, 10):
                t = day * 1440 + (7 + hour) * 60 + minute
                s.append(
                    kind="observed",
                    text=f"bed {minute // 10} is idle",
                    now=t,
                    importance=1,
                    embedding=rng.normal(size=8),
                )
            s.append(kind="done", text="ate breakfast at home", now=t, importance=2)
            if hour % 5 == 0:
                ev = s.append(
                    kind="said",
                    text=f"talked with Maria about day {day} hour {hour}",
                    now=t,
                    importance=4,
                    people=["Maria"],
                )
                ids["people"].append(ev.id)
        ev = s.append(kind="reflection", text=f"insight of day {day}", now=t, importance=8)
        ids["reflection"].append(ev.id)
    return ids


def test_bound_is_never_exceeded_and_keeps_people_and_reflections():
    s = MemoryStream(max_events=200)
    sizes = []
    orig_append = s.append

    def tracking_append(**kw):
        ev = orig_append(**kw)
        sizes.append(len(s))
        return ev

    s.append = tracking_append  # type: ignore[method-assign]
    ids = fill_routine_week(s)
    assert max(sizes) <= 200
    assert s.forgotten_total + s.consolidated_total > 0
    for event_id in ids["people"] + ids["reflection"]:
        assert event_id in s
    breakfasts = [e for e in s.events() if e.text == "ate breakfast at home"]
    assert breakfasts and max(e.count for e in breakfasts) > 1
    total = sum(e.count for e in breakfasts)
    assert total <= 7 * 16 and total > len(breakfasts)


def test_consolidated_event_keeps_max_importance_and_latest_access():
    s = MemoryStream(max_events=10, protect=1)
    s.append(kind="done", text="Ate breakfast at home.", now=0, importance=2)
    s.append(kind="done", text="ate breakfast at home", now=10, importance=5)
    for i in range(8):
        s.append(kind="thought", text=f"unique thought {'abcdefgh'[i]}", now=20 + i, importance=9)
    s.append(kind="done", text="ate breakfast at home", now=100, importance=1)
    assert len(s) <= 10
    (merged,) = [e for e in s.events() if "breakfast" in e.text.lower()]
    assert merged.count == 3
    assert merged.importance == 5
    assert merged.last_access == 100
    assert merged.describe().endswith("(3 times)")


def test_forgetting_drops_lowest_importance_times_recency_first():
    s = MemoryStream(max_events=10, low_water=0.8, protect=1)
    kept = [s.append(kind="observed", text=f"vivid {c}", now=0, importance=9) for c in "abcdefg"]
    dull = [s.append(kind="observed", text=f"dull {c}", now=0, importance=1) for c in "xyz"]
    s.append(kind="observed", text="newest", now=1, importance=1)
    assert len(s) == 8
    for ev in kept:
        assert ev.id in s
    assert sum(ev.id in s for ev in dull) == 0


def test_bound_is_deterministic():
    a, b = MemoryStream(max_events=150), MemoryStream(max_events=150)
    fill_routine_week(a, days=3)
    fill_routine_week(b, days=3)
    assert msgpack.packb(a.get_state()) == msgpack.packb(b.get_state())


# ---------------------------------------------------------------- state
def test_state_round_trip_through_msgpack_preserves_retrieval():
    s = MemoryStream(max_events=120, reflection_threshold=40)
    fill_routine_week(s, days=2)
    s.append(kind="observed", text="pending one", now=5000, importance=3)
    blob = msgpack.packb(s.get_state(), use_bin_type=True)
    t = MemoryStream(max_events=120, reflection_threshold=40)
    t.set_state(msgpack.unpackb(blob, raw=False))
    assert t.events() == s.events()
    for x, y in zip(t.events(), s.events(), strict=True):
        assert (x.embedding is None) == (y.embedding is None)
        if x.embedding is not None:
            np.testing.assert_array_equal(x.embedding, y.embedding)
    assert t.importance_since_reflection == s.importance_since_reflection
    q = np.ones(8)
    assert t.retrieve(q, 6000, k=15, touch=False) == s.retrieve(q, 6000, k=15, touch=False)
    nxt_s = s.append(kind="done", text="after", now=6000, importance=2)
    nxt_t = t.append(kind="done", text="after", now=6000, importance=2)
    assert nxt_s.id == nxt_t.id


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([k.value for k in EventKind]),
            st.integers(1, 10),
            st.booleans(),
            st.sampled_from(["eat", "sleep", "talk", "walk"]),
        ),
        max_size=40,
    )
)
def test_state_round_trip_property(ops):
    s = MemoryStream(max_events=20, dim=4)
    for i, (kind, imp, has_vec, word) in enumerate(ops):
        vec = np.array([1.0, i % 3, imp, 0.5]) if has_vec else None
        s.append(kind=kind, text=f"{word} {i}", now=i * 13, importance=imp, embedding=vec)
    state = msgpack.unpackb(msgpack.packb(s.get_state(), use_bin_type=True), raw=False)
    t = MemoryStream(max_events=20, dim=4)
    t.set_state(state)
    assert t.get_state() == s.get_state()


def test_set_state_errors_name_the_problem():
    s = MemoryStream()
    s.append(kind="done", text="x", now=0, importance=2, embedding=unit(1, 0))
    state = s.get_state()
    with pytest.raises(SchemaVersionError):
        MemoryStream().set_state({**state, "version": 99})
    broken = {**state, "events": [{**state["events"][0], "embedding": b"\x00" * 3}]}
    with pytest.raises(StoreError, match=r"events\[0\].*bytes"):
        MemoryStream().set_state(broken)
    with pytest.raises(StoreError, match="next_id"):
        MemoryStream().set_state({**state, "next_id": 0})
    with pytest.raises(StoreError, match="dim"):
        MemoryStream(dim=5).set_state(state)


def test_recent_returns_newest_in_chronological_order():
    s = MemoryStream()
    evs = [
        s.append(kind=k, text=f"e{i}", now=i, importance=2)
        for i, k in enumerate(["done", "said"] * 3)
    ]
    assert [e.id for e in s.recent(2)] == [evs[4].id, evs[5].id]
    assert [e.id for e in s.recent(2, kinds=["done"])] == [evs[2].id, evs[4].id]
    assert s.recent(0) == []


def test_recency_uses_configured_decay():
    s = MemoryStream(decay=0.5)
    s.append(kind="done", text="a", now=0, importance=3)
    s.append(kind="done", text="b", now=60, importance=3)
    s.append(kind="done", text="c", now=120, importance=3)
    hits = s.retrieve(None, now=120, k=3, weights=ONLY_RECENCY, touch=False)
    # raw recencies 1, 0.5, 0.25 -> normalised 1, 1/3, 0
    assert [h.recency for h in hits] == pytest.approx([1.0, 1 / 3, 0.0])
    assert math.isclose(hits[0].score, 1.0)


def test_embeddings_arrive_as_a_batch():
    s = MemoryStream()
    a = s.append(kind="observed", text="a", now=0, importance=3)
    b = s.append(kind="observed", text="b", now=0, importance=3)
    c = s.append(kind="observed", text="c", now=0, importance=3)
    one_by_one = MemoryStream()
    for text in "abc":
        one_by_one.append(kind="observed", text=text, now=0, importance=3)
    rows = [[3.0, 4.0], [0.0, 2.0], [1.0, 0.0]]
    assert s.set_embeddings([a.id, 999, c.id], rows) == 2  # 999 is gone: skipped
    for event_id, row in ((a.id, rows[0]), (c.id, rows[2])):
        one_by_one.set_embedding(event_id, row)
    assert [e.id for e in s.pending_embeddings()] == [b.id]
    for event_id in (a.id, c.id):
        got, want = s.get(event_id).embedding, one_by_one.get(event_id).embedding
        np.testing.assert_array_equal(got, want)  # same vector as one at a time
        assert not got.flags.writeable
    assert s.get(a.id).embedding == pytest.approx([0.6, 0.8])
    q = unit(0.6, 0.8)
    assert [h.event.id for h in s.retrieve(q, now=0, k=1, weights=ONLY_RELEVANCE)] == [a.id]


def test_a_bad_embedding_batch_changes_nothing():
    s = MemoryStream()
    a = s.append(kind="observed", text="a", now=0, importance=3)
    b = s.append(kind="observed", text="b", now=0, importance=3)
    with pytest.raises(ValueError, match="non-finite"):
        s.set_embeddings([a.id, b.id], [[1.0, 0.0], [float("nan"), 1.0]])
    with pytest.raises(ValueError, match="norm 0"):
        s.set_embeddings([a.id, b.id], [[1.0, 0.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="2 events"):
        s.set_embeddings([a.id, b.id], [[1.0, 0.0]])
    assert [e.id for e in s.pending_embeddings()] == [a.id, b.id]
    assert s.set_embeddings([], []) == 0
