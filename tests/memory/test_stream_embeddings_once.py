"""MemoryStream holds each embedding once: an event's ``embedding`` is a read-only view of
the row of the matrix retrieval multiplies, through growth, the bound, replacement,
retrieval's touch and a save round trip (issue 17: memory at 200+ NPCs)."""

from __future__ import annotations

import gc
import tracemalloc
import weakref

import msgpack
import numpy as np
import pytest

from aga_npc.memory.events import MemoryEvent, RetrievalWeights, embedding_to_bytes
from aga_npc.memory.stream import MemoryStream

ONLY_RELEVANCE = RetrievalWeights(recency=0.0, importance=0.0, relevance=1.0)
DIM = 384


def vectors(n: int, dim: int = DIM, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mat = rng.standard_normal((n, dim)).astype(np.float32)
    return mat / np.linalg.norm(mat, axis=1, keepdims=True)


def word(i: int) -> str:
    """A distinct word per number (numbers alone do not make texts distinct routines)."""
    return "".join(chr(ord("a") + (i // 26**k) % 26) for k in range(3))


def assert_held_once(s: MemoryStream) -> None:
    """Every event's vector is its row of the retrieval matrix (the same memory), and the
    events own no vector data of their own."""
    rows = s.embedding_rows()
    for i, ev in enumerate(s.events()):
        if ev.embedding is None:
            assert not rows[i].any(), f"pending event {ev.id} has a non-zero row"
            continue
        assert not ev.embedding.flags.owndata
        assert ev.embedding.base is rows.base
        assert np.shares_memory(ev.embedding, rows[i])
        assert ev.embedding.__array_interface__["data"][0] == rows[i].__array_interface__["data"][0]


def test_event_vector_is_the_row_retrieval_uses():
    vecs = vectors(40)
    s = MemoryStream(max_events=100)
    for i in range(40):
        # every third event's embedding arrives later, in a batch
        s.append(
            kind="observed",
            text=f"saw thing {i}",
            now=i,
            importance=3,
            embedding=None if i % 3 == 0 else vecs[i],
        )
    s.set_embeddings([i for i in range(40) if i % 3 == 0], vecs[::3])
    assert_held_once(s)
    for ev in s.events():
        np.testing.assert_allclose(ev.embedding, vecs[ev.id], rtol=1e-6)
    hits = s.retrieve(vecs[17], now=50, k=40, weights=ONLY_RELEVANCE, touch=False)
    assert hits[0].event.id == 17
    assert hits[0].cosine == pytest.approx(1.0, abs=1e-5)
    for h in hits:
        assert h.cosine == pytest.approx(float(h.event.embedding @ vecs[17]), abs=1e-5)


def test_memory_per_event_is_one_vector_not_two():
    n = 512  # the matrix's capacity after its doublings from 64: no empty rows counted
    vecs = vectors(n)
    tracemalloc.start()
    try:
        s = MemoryStream(max_events=1000)
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            s.append(kind="observed", text=f"event {i}", now=i, importance=3, embedding=vecs[i])
        per_event = (tracemalloc.get_traced_memory()[0] - before) / n
    finally:
        tracemalloc.stop()
    vector = DIM * 4
    # one vector plus the event object, its text and a view header (a few hundred bytes);
    # two copies of the vector would be over 2 x 1,536 bytes
    assert vector <= per_event < 1.4 * vector, per_event
    assert sum(ev.embedding.nbytes for ev in s.events() if ev.embedding.flags.owndata) == 0


def test_growth_repoints_views_and_frees_the_old_matrix():
    vecs = vectors(200)
    s = MemoryStream(max_events=1000)
    first = s.append(
        kind="thought", text="the first thought", now=0, importance=5, embedding=vecs[0]
    )
    old = weakref.ref(first.embedding.base)
    for i in range(1, 200):  # 64 -> 128 -> 256 rows
        s.append(kind="thought", text=f"thought {i}", now=i, importance=5, embedding=vecs[i])
    gc.collect()
    assert old() is None, "the outgrown matrix is still alive"
    assert first is s.get(first.id)
    np.testing.assert_allclose(first.embedding, vecs[0], rtol=1e-6)
    assert_held_once(s)


def test_forgetting_and_consolidation_keep_vectors_aligned():
    vecs = vectors(300, seed=1)
    s = MemoryStream(max_events=40, protect=4)
    held: dict[int, MemoryEvent] = {}
    for i in range(300):
        # a routine repeated every 5th event (consolidated), the rest distinct
        text = "ate breakfast at home" if i % 5 == 0 else f"talked about {word(i)}"
        ev = s.append(kind="done", text=text, now=i * 10, importance=1 + i % 9, embedding=vecs[i])
        held[ev.id] = ev
    assert s.forgotten_total > 0 and s.consolidated_total > 0
    assert_held_once(s)
    for ev in s.events():
        # a consolidated event keeps its newest member's vector, i.e. its own id's
        np.testing.assert_allclose(ev.embedding, vecs[ev.id], rtol=1e-6)
        hit = s.retrieve(vecs[ev.id], now=3000, k=1, weights=ONLY_RELEVANCE, touch=False)[0]
        assert hit.event.id == ev.id and hit.cosine == pytest.approx(1.0, abs=1e-5)
    # events the stream dropped kept their vectors, in memory of their own
    gone = [ev for event_id, ev in held.items() if event_id not in s]
    assert gone
    for ev in gone:
        np.testing.assert_allclose(ev.embedding, vecs[ev.id], rtol=1e-6)
        assert ev.embedding.flags.owndata
        assert not ev.embedding.flags.writeable


def test_events_held_elsewhere_keep_their_values_through_the_bound():
    """A clustering job on a worker holds a tuple of events while the frame thread goes on
    appending; their vectors must not change under it."""
    vecs = vectors(120, seed=2)
    s = MemoryStream(max_events=30, protect=3)
    for i in range(30):
        s.append(kind="observed", text=f"noticed {i}", now=i, importance=5, embedding=vecs[i])
    job = s.events()
    stacked = np.stack([ev.embedding for ev in job])
    for i in range(30, 120):
        s.append(kind="observed", text=f"noticed {i}", now=i, importance=5, embedding=vecs[i])
        # retrieval touches events: the stream replaces its objects, the job keeps the old
        s.retrieve(vecs[i - 25], now=i, k=3)
    np.testing.assert_array_equal(np.stack([ev.embedding for ev in job]), stacked)


def test_replacing_an_embedding_leaves_held_events_unchanged():
    a, b = vectors(2, seed=3)
    s = MemoryStream()
    ev = s.append(kind="observed", text="the old mill", now=0, importance=4, embedding=a)
    other = s.append(kind="observed", text="the new mill", now=1, importance=4, embedding=b)
    assert s.set_embedding(ev.id, b)
    np.testing.assert_allclose(ev.embedding, a, rtol=1e-6)  # the object handed out before
    np.testing.assert_allclose(s.get(ev.id).embedding, b, rtol=1e-6)
    np.testing.assert_allclose(other.embedding, b, rtol=1e-6)
    hit = s.retrieve(b, now=2, k=2, weights=ONLY_RELEVANCE, touch=False)
    assert [h.cosine for h in hit] == pytest.approx([1.0, 1.0], abs=1e-5)
    assert_held_once(s)
    # the same through a batch
    assert s.set_embeddings([other.id], [a]) == 1
    np.testing.assert_allclose(other.embedding, b, rtol=1e-6)
    np.testing.assert_allclose(s.get(other.id).embedding, a, rtol=1e-6)
    assert_held_once(s)


def test_touch_and_importance_keep_the_view():
    vecs = vectors(5, seed=4)
    s = MemoryStream()
    for i in range(5):
        s.append(kind="observed", text=f"sight {i}", now=i, importance=3, embedding=vecs[i])
    s.retrieve(vecs[2], now=100, k=2)  # touch: last_access changes
    s.set_importance(3, 9)
    assert s.get(2).last_access == 100.0 and s.get(3).importance == 9
    assert_held_once(s)


def test_a_view_cannot_be_made_writeable():
    s = MemoryStream()
    ev = s.append(kind="observed", text="a red kite", now=0, importance=3, embedding=[0.6, 0.8])
    with pytest.raises(ValueError):
        ev.embedding[0] = 1.0
    with pytest.raises(ValueError):
        ev.embedding.flags.writeable = True
    with pytest.raises(ValueError):
        s.embedding_rows()[0, 0] = 1.0
    assert s.retrieve([0.6, 0.8], now=1, k=1)[0].cosine == pytest.approx(1.0)


def test_embedding_rows_before_any_embedding():
    s = MemoryStream()
    s.append(kind="observed", text="pending", now=0, importance=3)
    with pytest.raises(ValueError, match="no embedding"):
        s.embedding_rows()


def test_save_round_trip_is_the_same_save_and_loads_into_views():
    vecs = vectors(90, seed=5)
    s = MemoryStream(max_events=60)
    for i in range(90):
        pending = i % 7 == 0
        s.append(
            kind="done",
            text="watered the plants" if i % 4 == 0 else f"did chore {i}",
            now=i * 5,
            importance=2 + i % 7,
            embedding=None if pending else vecs[i],
        )
    packed = msgpack.packb(s.get_state(), use_bin_type=True)
    back = MemoryStream(max_events=60)
    back.set_state(msgpack.unpackb(packed, raw=False))
    assert msgpack.packb(back.get_state(), use_bin_type=True) == packed
    assert_held_once(back)
    assert [ev.id for ev in back.events()] == [ev.id for ev in s.events()]
    np.testing.assert_array_equal(back.embedding_rows(), s.embedding_rows())


def test_a_state_written_before_the_change_loads():
    """The save format is unchanged: a state as the previous release wrote it (each event
    its own embedding bytes) loads, and is written back byte for byte."""
    a, b = vectors(2, dim=4, seed=6)
    state = {
        "version": 1,
        "dim": 4,
        "next_id": 3,
        "since_reflection": 7.0,
        "reflect_from_id": 0,
        "consolidated_total": 0,
        "forgotten_total": 0,
        "events": [
            {
                "id": i,
                "kind": "observed",
                "text": f"old event {i}",
                "created": float(i),
                "last_access": float(i),
                "importance": 3,
                "embedding": vec,
                "people": [],
                "keywords": [],
                "count": 1,
                "evidence": [],
            }
            for i, vec in ((0, embedding_to_bytes(a)), (1, None), (2, embedding_to_bytes(b)))
        ],
    }
    packed = msgpack.packb(state, use_bin_type=True)
    s = MemoryStream()
    s.set_state(msgpack.unpackb(packed, raw=False))
    assert_held_once(s)
    np.testing.assert_allclose(s.get(2).embedding, b, rtol=1e-6)
    assert s.get(1).embedding is None
    assert msgpack.packb(s.get_state(), use_bin_type=True) == packed
