"""DBSCAN equals scikit-learn's; mind-wandering weights and sampling."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs

from aga_npc.memory.events import MemoryEvent
from aga_npc.memory.wander import (
    cluster_events,
    cluster_sizes,
    dbscan,
    sample_wandering,
    wandering_weights,
)


def data_set(seed: int) -> np.ndarray:
    """Gaussian blobs plus uniform noise, of varying size and dimension."""
    rng = np.random.default_rng(seed)
    x, _ = make_blobs(
        n_samples=int(rng.integers(40, 300)),
        centers=int(rng.integers(2, 7)),
        n_features=int(rng.integers(2, 9)),
        cluster_std=float(rng.uniform(0.4, 2.0)),
        random_state=seed,
    )
    noise = rng.uniform(x.min(), x.max(), size=(int(rng.integers(0, 80)), x.shape[1]))
    x = np.vstack([x, noise])
    return x[rng.permutation(len(x))]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(
    ("metric", "eps"),
    [
        ("euclidean", 0.4),
        ("euclidean", 1.0),
        ("euclidean", 2.5),
        ("cosine", 0.005),
        ("cosine", 0.05),
    ],
)
@pytest.mark.parametrize("min_samples", [1, 2, 4, 8])
def test_labels_equal_sklearn(seed, metric, eps, min_samples):
    x = data_set(seed)
    expected = DBSCAN(eps=eps, min_samples=min_samples, metric=metric).fit(x).labels_
    got = dbscan(x, eps=eps, min_samples=min_samples, metric=metric)
    assert got.dtype == np.intp
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", range(3))
def test_labels_equal_sklearn_on_unit_embeddings(seed):
    """Paraphrase-like clusters of float32 unit vectors in 64-d, as memory embeddings are."""
    rng = np.random.default_rng(100 + seed)
    centres = rng.normal(size=(6, 64))
    sizes = rng.integers(1, 30, size=6)
    x = np.vstack(
        [c + 0.35 * rng.normal(size=(s, 64)) for c, s in zip(centres, sizes, strict=True)]
    )
    x = np.vstack([x, rng.normal(size=(40, 64))])
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    for eps in (0.08, 0.1, 0.2):
        expected = DBSCAN(eps=eps, min_samples=2, metric="cosine").fit(x).labels_
        np.testing.assert_array_equal(dbscan(x, eps=eps, min_samples=2, metric="cosine"), expected)
        assert len(set(expected.tolist())) > 2  # the data set really has clusters and noise


def test_border_point_joins_first_cluster_like_sklearn():
    # two dense groups on a line and one point between them within eps of both edges
    left = np.array([[0.0], [0.1], [0.2]])
    right = np.array([[1.2], [1.3], [1.4]])
    border = np.array([[0.7]])
    x = np.vstack([right, border, left])  # the right group is listed first
    expected = DBSCAN(eps=0.5, min_samples=3).fit(x).labels_
    got = dbscan(x, eps=0.5, min_samples=3)
    np.testing.assert_array_equal(got, expected)
    assert got[3] == 0  # the border point went to the first-numbered cluster


def test_cosine_zero_vectors_like_sklearn():
    x = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 0.01], [0.0, 0.0], [0.0, 1.0]])
    for eps in (0.5, 1.0, 1.5):
        expected = DBSCAN(eps=eps, min_samples=2, metric="cosine").fit(x).labels_
        np.testing.assert_array_equal(dbscan(x, eps=eps, min_samples=2, metric="cosine"), expected)


def test_dbscan_edge_cases_and_errors():
    assert dbscan(np.zeros((0, 3)), eps=1.0).shape == (0,)
    np.testing.assert_array_equal(dbscan(np.eye(3), eps=0.1, min_samples=1), [0, 1, 2])
    with pytest.raises(ValueError, match="metric"):
        dbscan(np.eye(3), eps=1.0, metric="manhattan")
    with pytest.raises(ValueError, match="eps"):
        dbscan(np.eye(3), eps=0.0)
    with pytest.raises(ValueError, match="2-D"):
        dbscan(np.ones(3), eps=1.0)
    with pytest.raises(ValueError, match="non-finite"):
        dbscan(np.array([[np.nan, 0.0]]), eps=1.0)


def test_cluster_sizes_and_weights_are_inverse_to_cluster_size():
    labels = np.array([0, 0, 0, 0, 1, 1, -1, -1])
    np.testing.assert_array_equal(cluster_sizes(labels), [4, 4, 4, 4, 2, 2, 1, 1])
    w = wandering_weights(labels)
    assert w.sum() == pytest.approx(1.0)
    # every cluster (and every noise point) carries the same total mass
    assert w[:4].sum() == pytest.approx(w[4:6].sum()) == pytest.approx(w[6])
    assert w[6] / w[0] == pytest.approx(4.0)


def events_with_clusters(big: int = 30, small: int = 3, singles: int = 5) -> list[MemoryEvent]:
    rng = np.random.default_rng(3)
    events: list[MemoryEvent] = []

    def add(text: str, vec: np.ndarray | None) -> None:
        events.append(
            MemoryEvent(
                id=len(events),
                kind="observed",
                text=text,
                created=0,
                last_access=0,
                importance=3,
                embedding=vec,
            )
        )

    base = rng.normal(size=32)
    for i in range(big):
        add(f"preparing the party {i}", base + 0.05 * rng.normal(size=32))
    other = rng.normal(size=32)
    for i in range(small):
        add(f"feeding the cat {i}", other + 0.05 * rng.normal(size=32))
    for i in range(singles):
        add(f"one-off {i}", rng.normal(size=32))
    add("still being embedded", None)
    return events


def test_cluster_events_treats_missing_embeddings_as_noise():
    events = events_with_clusters()
    labels = cluster_events(events)
    assert labels[-1] == -1
    sizes = cluster_sizes(labels)
    assert sizes[0] == 30 and sizes[30] == 3 and sizes[-1] == 1


def test_sampling_is_reproducible_distinct_and_bounded():
    events = events_with_clusters()
    a = sample_wandering(events, random.Random(42), 5)
    b = sample_wandering(events, random.Random(42), 5)
    assert [e.id for e in a] == [e.id for e in b]
    assert len({e.id for e in a}) == 5
    assert len(sample_wandering(events, random.Random(1), 100)) == len(events)
    assert sample_wandering(events, random.Random(1), 0) == []
    assert sample_wandering([], random.Random(1), 3) == []


def test_sampling_frequencies_follow_inverse_cluster_size():
    events = events_with_clusters()
    labels = cluster_events(events)
    rng = random.Random(7)
    counts: Counter[str] = Counter()
    draws = 6000
    for _ in range(draws):
        (ev,) = sample_wandering(events, rng, 1, labels=labels)
        counts[ev.text.split(" ")[0]] += 1
    # clusters: party (30 events), cat (3 events), 5 one-offs + 1 pending = 8 groups of equal mass
    share = {key: n / draws for key, n in counts.items()}
    assert share["preparing"] == pytest.approx(1 / 8, abs=0.02)
    assert share["feeding"] == pytest.approx(1 / 8, abs=0.02)
    assert share["one-off"] == pytest.approx(5 / 8, abs=0.03)
    # per event, a one-off memory is ~30 times likelier than one party memory
    per_party = counts["preparing"] / 30
    per_single = counts["one-off"] / 5
    assert 20 < per_single / per_party < 45


def test_sampling_rejects_mismatched_labels():
    events = events_with_clusters()
    with pytest.raises(ValueError, match="shape"):
        sample_wandering(events, random.Random(0), 2, labels=[0, 1])
