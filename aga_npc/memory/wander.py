"""Mind wandering: DBSCAN over memory embeddings, then sampling that favours rare memories.

AGA (appendix D) clusters an agent's memory embeddings with DBSCAN and samples events with a
probability inversely related to the size of their cluster, so the 78 near-identical
"Valentine's party" memories do not crowd out the one "saw a fox by the river". The sampled
events go into the daily planning prompt.

:func:`dbscan` is a small numpy DBSCAN whose labels equal ``sklearn.cluster.DBSCAN``'s for
the same ``eps``, ``min_samples`` and metric (the tests check this against scikit-learn).
It builds the full boolean neighbourhood matrix in row chunks: O(n^2) time and n^2 bytes,
which is fine for n <= 2,000 (memory streams are bounded; 2,000 points take 4 MB) and not
meant for more.

Cost: at 1,000 events of 384-d, clustering takes a few tens of milliseconds on one core,
so a brain should run it off the frame (it is pure: pass the events to a worker).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from aga_npc.memory.events import MemoryEvent

__all__ = [
    "cluster_events",
    "cluster_sizes",
    "dbscan",
    "sample_wandering",
    "wandering_weights",
]

IntArray = npt.NDArray[np.intp]
_METRICS = ("euclidean", "cosine")
_CHUNK = 512  # rows of the distance matrix computed at once


def _neighbourhoods(x: npt.NDArray[np.float64], eps: float, metric: str) -> npt.NDArray[np.bool_]:
    """Boolean n x n matrix: ``dist(i, j) <= eps`` (each point is its own neighbour)."""
    n = x.shape[0]
    adj = np.empty((n, n), dtype=bool)
    if metric == "cosine":
        norms = np.linalg.norm(x, axis=1)
        # like sklearn.preprocessing.normalize: zero rows stay zero (cosine distance 1)
        safe = np.where(norms == 0.0, 1.0, norms)
        unit = x / safe[:, None]
        for start in range(0, n, _CHUNK):
            stop = min(n, start + _CHUNK)
            dist = 1.0 - unit[start:stop] @ unit.T
            np.clip(dist, 0.0, 2.0, out=dist)
            adj[start:stop] = dist <= eps
    else:
        sq = np.einsum("ij,ij->i", x, x)
        for start in range(0, n, _CHUNK):
            stop = min(n, start + _CHUNK)
            d2 = sq[start:stop, None] + sq[None, :] - 2.0 * (x[start:stop] @ x.T)
            np.maximum(d2, 0.0, out=d2)
            adj[start:stop] = np.sqrt(d2) <= eps
    np.fill_diagonal(adj, True)
    return adj


def dbscan(
    points: npt.ArrayLike, *, eps: float, min_samples: int = 5, metric: str = "euclidean"
) -> IntArray:
    """Cluster ``points`` with DBSCAN; labels as ``sklearn.cluster.DBSCAN(...).labels_``.

    A point is *core* when at least ``min_samples`` points (itself included) lie within
    ``eps`` (inclusive). Clusters are the connected components of core points plus the
    non-core points within ``eps`` of them; everything else is noise (-1). Numbering follows
    scikit-learn: clusters are numbered in order of their lowest-index core point, and a
    border point reachable from several clusters joins the lowest-numbered one (the cluster
    scikit-learn's depth-first expansion reaches first, since it finishes each cluster
    before starting the next).

    Args:
        points: (n, d) array.
        eps: neighbourhood radius (> 0).
        min_samples: neighbours (self included) that make a core point (>= 1).
        metric: "euclidean" or "cosine" (``1 - cos``, zero vectors at distance 1).

    Returns:
        int labels of shape (n,), -1 for noise.

    Raises:
        ValueError: bad arguments or a non-2-D / non-finite input.
    """
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {_METRICS}, got {metric!r}")
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    if min_samples < 1:
        raise ValueError(f"min_samples must be >= 1, got {min_samples}")
    x = np.asarray(points, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"points must be a 2-D array, got shape {x.shape}")
    n = x.shape[0]
    labels = np.full(n, -1, dtype=np.intp)
    if n == 0:
        return labels
    if not np.all(np.isfinite(x)):
        raise ValueError("points hold a non-finite value")
    adj = _neighbourhoods(x, eps, metric)
    core = adj.sum(axis=1) >= min_samples
    core_adj = adj & core[None, :]  # edges towards core points only

    label = 0
    for seed in np.flatnonzero(core).tolist():
        if labels[seed] != -1:
            continue
        labels[seed] = label
        frontier = np.array([seed])
        while frontier.size:
            reached = core_adj[frontier].any(axis=0) & (labels == -1)
            frontier = np.flatnonzero(reached)
            labels[frontier] = label
        label += 1

    border = np.flatnonzero(~core)
    if border.size and label:
        core_labels = np.where(core, labels, np.iinfo(np.intp).max)
        best = np.where(core_adj[border], core_labels[None, :], np.iinfo(np.intp).max).min(axis=1)
        hit = best != np.iinfo(np.intp).max
        labels[border[hit]] = best[hit]
    return labels


def cluster_sizes(labels: npt.ArrayLike) -> IntArray:
    """For each point, the size of its cluster; noise points count as clusters of size 1."""
    lab = np.asarray(labels, dtype=np.intp)
    sizes = np.ones(lab.shape[0], dtype=np.intp)
    clustered = lab >= 0
    if clustered.any():
        counts = np.bincount(lab[clustered])
        sizes[clustered] = counts[lab[clustered]]
    return sizes


def wandering_weights(labels: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Sampling probability per point: ``(1 / n_c) / sum_j (1 / n_cj)``.

    Each cluster (noise point) gets the same total mass, shared among its members, so a
    memory in a cluster of 78 is 78 times less likely than a one-off memory.
    """
    inv = 1.0 / cluster_sizes(labels).astype(np.float64)
    total = inv.sum()
    return inv / total if total > 0 else inv


def cluster_events(
    events: Sequence[MemoryEvent],
    *,
    eps: float = 0.25,
    min_samples: int = 2,
    metric: str = "cosine",
) -> IntArray:
    """DBSCAN labels for events by their embeddings; events without one are noise (-1).

    Defaults: cosine distance 0.25 (similarity 0.75) and ``min_samples=2``, so any two
    near-paraphrases form a cluster and noise means "said or seen only once".
    """
    labels = np.full(len(events), -1, dtype=np.intp)
    rows = [i for i, ev in enumerate(events) if ev.embedding is not None]
    if rows:
        matrix = np.stack([events[i].embedding for i in rows])  # type: ignore[misc]
        labels[rows] = dbscan(matrix, eps=eps, min_samples=min_samples, metric=metric)
    return labels


def sample_wandering(
    events: Sequence[MemoryEvent],
    rng: random.Random,
    k: int,
    *,
    eps: float = 0.25,
    min_samples: int = 2,
    metric: str = "cosine",
    labels: npt.ArrayLike | None = None,
) -> list[MemoryEvent]:
    """Sample up to ``k`` distinct events, weighted inversely to their cluster size.

    Args:
        events: candidate events (e.g. the stream's events without the newest few).
        rng: the injected random source; the result depends only on it and the inputs.
        k: how many to draw (fewer when there are fewer events).
        eps: DBSCAN radius, see :func:`cluster_events`.
        min_samples: DBSCAN core size.
        metric: DBSCAN metric.
        labels: precomputed cluster labels for ``events`` (skips clustering).

    Returns:
        The sampled events in the order drawn (without replacement).
    """
    n = len(events)
    if k <= 0 or n == 0:
        return []
    if labels is None:
        labels = cluster_events(events, eps=eps, min_samples=min_samples, metric=metric)
    lab = np.asarray(labels, dtype=np.intp)
    if lab.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {lab.shape}")
    weights = wandering_weights(lab).tolist()
    chosen: list[MemoryEvent] = []
    for _ in range(min(k, n)):
        total = sum(weights)
        if total <= 0:
            break
        target = rng.random() * total
        acc = 0.0
        pick = n - 1
        for i, w in enumerate(weights):
            acc += w
            if w > 0 and target < acc:
                pick = i
                break
        while weights[pick] == 0:  # float round-off at the top end
            pick -= 1
        chosen.append(events[pick])
        weights[pick] = 0.0
    return chosen
