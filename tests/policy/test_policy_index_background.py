"""The hnswlib graph a single add makes necessary is built off the caller's thread (with
``background_build``): searches stay exact until it is ready, and the changes made
meanwhile are all in it once it is taken into use."""

from __future__ import annotations

import threading

import numpy as np

from aga_npc.policy.index import IndexSettings, VectorIndex

DIM = 16


def unit_rows(n: int, seed: int) -> np.ndarray:
    m = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_the_threshold_add_starts_a_background_build_and_searches_stay_exact() -> None:
    index = VectorIndex(DIM, IndexSettings(exact_below=64, background_build=True))
    rows = unit_rows(200, 1)
    gate = threading.Event()
    real_start = index._start_build

    def held_start() -> None:  # hold the build until the test has searched meanwhile
        real_start()
        build = index._build
        assert build is not None
        original = build.done
        held = threading.Event()
        build.done = held

        def release() -> None:
            original.wait()
            gate.wait()
            held.set()

        threading.Thread(target=release, daemon=True).start()

    index._start_build = held_start  # type: ignore[method-assign]
    for i in range(64):
        index.add(i, rows[i])
    assert index.building and not index.uses_hnsw
    assert threading.current_thread() is threading.main_thread()
    # Changes during the build: adds, a replacement, a removal.
    for i in range(64, 100):
        index.add(i, rows[i])
    index.add(5, rows[150])
    index.remove(7)
    for q in rows[100:120]:
        assert index.search(q, 5) == index.exact_search(q, 5)  # exact meanwhile
    gate.set()
    assert index.wait_built(timeout=30)
    assert index.uses_hnsw and not index.building
    # Everything changed during the build is in the graph: the graph finds each vector.
    for label in [*range(64, 100), 5]:
        vec = rows[150] if label == 5 else rows[label]
        assert index.search(vec, 1)[0][0] == label
    assert all(lab != 7 for lab, _ in index.search(rows[7], 10))


def test_without_background_build_the_graph_is_built_inside_the_add() -> None:
    index = VectorIndex(DIM, IndexSettings(exact_below=32))
    rows = unit_rows(40, 2)
    for i in range(32):
        index.add(i, rows[i])
    assert index.uses_hnsw and not index.building
