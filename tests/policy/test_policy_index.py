"""Vector index: exact and hnswlib search agree, removal, growth past the initial capacity."""

from __future__ import annotations

import numpy as np

from aga_npc.policy import IndexSettings, VectorIndex


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(1, n // 20), dim))
    pts = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.normal(size=(n, dim))
    pts /= np.linalg.norm(pts, axis=1, keepdims=True)
    return pts.astype(np.float32)


def test_small_index_is_exact() -> None:
    idx = VectorIndex(8)
    vecs = _clustered(50, 8, 1)
    for i, v in enumerate(vecs):
        idx.add(i, v)
    assert not idx.uses_hnsw and len(idx) == 50
    hits = idx.search(vecs[7], 3)
    assert hits[0][0] == 7 and abs(hits[0][1] - 1.0) < 1e-5
    sims = vecs @ vecs[7]
    assert [h[0] for h in hits] == list(np.argsort(-sims)[:3])


def test_hnsw_recall_against_exact_with_incremental_growth() -> None:
    dim = 24
    vecs = _clustered(3000, dim, 2)
    idx = VectorIndex(dim, IndexSettings(exact_below=200, ef_search=64))
    for i, v in enumerate(vecs):  # one at a time: builds at 200, resizes past 1024 and 2048
        idx.add(i, v)
    assert idx.uses_hnsw
    queries = _clustered(100, dim, 3)
    found = 0
    for q in queries:
        approx = {label for label, _ in idx.search(q, 5)}
        exact = {label for label, _ in idx.exact_search(q, 5)}
        found += len(approx & exact)
    assert found / 500 >= 0.95


def test_remove_and_replace() -> None:
    idx = VectorIndex(4, IndexSettings(exact_below=3))
    basis = np.eye(4, dtype=np.float32)
    for i in range(4):
        idx.add(i, basis[i])
    assert idx.uses_hnsw
    idx.remove(2)
    assert 2 not in idx and len(idx) == 3
    assert all(label != 2 for label, _ in idx.search(basis[2], 3))
    assert all(label != 2 for label, _ in idx.exact_search(basis[2], 3))
    idx.add(3, basis[0])  # replace label 3's vector
    np.testing.assert_array_equal(idx.vector(3), basis[0])
    assert {label for label, _ in idx.exact_search(basis[0], 2)} == {0, 3}
    idx.remove(99)  # absent: no-op
    assert idx.search(basis[0], 0) == [] and VectorIndex(4).search(basis[0], 5) == []


def test_add_many_matches_single_adds() -> None:
    vecs = _clustered(300, 16, 4)
    one = VectorIndex(16, IndexSettings(exact_below=100))
    many = VectorIndex(16, IndexSettings(exact_below=100))
    for i, v in enumerate(vecs):
        one.add(i, v)
    many.add_many(list(range(300)), vecs)
    assert many.uses_hnsw
    for q in vecs[:20]:
        assert one.exact_search(q, 5) == many.exact_search(q, 5)
        assert many.search(q, 1)[0][1] > 0.999
