"""Nearest-plan search over unit vectors: exact numpy for small sets, hnswlib (cosine) above.

Not thread-safe: the policy store adds and searches on the main thread only (hnswlib is
called with ``num_threads=1``). Labels are the store's entry ids.

With ``IndexSettings.background_build`` (game hosts), the hnswlib graph that a single
:meth:`VectorIndex.add` makes necessary (the ``exact_below``-th vector) is built on a
background thread from a copy of the vectors, and searches stay exact (the matrix product)
until it is ready; the adds and removes made meanwhile are replayed onto it when it is
taken into use, at the next add or search. Without it (the default: headless runs stay
reproducible, since an approximate answer must not depend on thread timing) the graph is
built inside that ``add`` (63 ms at 1,024 vectors of 384 dimensions).
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["EXACT_BELOW", "IndexSettings", "VectorIndex"]

FloatArray = npt.NDArray[np.float32]

# Below this many vectors exact search (a matrix product, recall 1.0, nothing to build) is
# as fast as an hnswlib query. Measured on one core with clustered 384-d vectors
# (benchmarks/policy_lookup.py prints it): p50 0.025 vs 0.025 ms at 500, 0.042 vs 0.032 ms
# at 1,000, 0.106 vs 0.059 ms at 4,000; with random vectors the crossover is nearer 2,500.
EXACT_BELOW = 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexSettings:
    """Index parameters.

    Attributes:
        exact_below: use exact search while the index holds fewer vectors than this.
        m: hnswlib graph degree.
        ef_construction: hnswlib build-time candidate list.
        ef_search: hnswlib query-time candidate list (recall vs speed).
        seed: hnswlib's random seed (builds are reproducible).
        build_threads: threads for batch builds (:meth:`VectorIndex.add_many`, store loads);
            single adds and searches always use one thread.
        background_build: build the graph that a single add makes necessary on a
            background thread, answering exactly meanwhile (see the module docstring).
    """

    exact_below: int = EXACT_BELOW
    m: int = 16
    ef_construction: int = 64
    ef_search: int = 64
    seed: int = 0
    build_threads: int = 1
    background_build: bool = False

    def __post_init__(self) -> None:
        if (
            self.exact_below < 0
            or self.m < 2
            or self.ef_construction < 1
            or self.ef_search < 1
            or self.build_threads < 1
        ):
            raise ValueError(f"invalid index settings: {self}")


@dataclass(slots=True)
class _Build:
    """A graph being built on a background thread, and the changes made since its copy."""

    thread: threading.Thread
    done: threading.Event
    result: list[Any] = field(default_factory=list)
    changes: list[tuple[int, FloatArray | None]] = field(default_factory=list)


class VectorIndex:
    """Labels -> unit vectors with top-k cosine search.

    Args:
        dim: vector dimension.
        settings: index parameters.
    """

    def __init__(self, dim: int, settings: IndexSettings | None = None) -> None:
        if dim < 1:
            raise ValueError(f"index dimension must be >= 1, got {dim}")
        self.dim = dim
        self.settings = settings or IndexSettings()
        self._mat = np.zeros((16, dim), dtype=np.float32)
        self._labels: list[int] = []
        self._rows: dict[int, int] = {}
        self._hnsw: Any = None
        self._hnsw_capacity = 0
        self._build: _Build | None = None

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, label: object) -> bool:
        return label in self._rows

    @property
    def uses_hnsw(self) -> bool:
        """Whether searches currently go through hnswlib."""
        return self._hnsw is not None and len(self) >= self.settings.exact_below

    @property
    def building(self) -> bool:
        """Whether a graph is being built in the background (searches are exact)."""
        return self._build is not None

    def wait_built(self, timeout: float | None = None) -> bool:
        """Wait for a background build and take it into use; whether none is left
        (tools and tests; a game never waits)."""
        build = self._build
        if build is not None and build.done.wait(timeout):
            self._adopt()
        return self._build is None

    def add(self, label: int, vector: FloatArray) -> None:
        """Add (or replace) one vector. O(1) amortised; hnswlib insert when built; the
        first graph build inside this call, or started in the background (settings)."""
        vec = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"vector has dim {vec.shape[0]}, index has {self.dim}")
        self._adopt()
        if label in self._rows:
            self.remove(label)
        self._append_row(label, vec)
        if self._build is not None:
            self._build.changes.append((label, vec.copy()))
        elif self._hnsw is not None:
            self._hnsw_add(np.asarray([label]), vec[None, :])
        elif len(self) >= self.settings.exact_below:
            if self.settings.background_build:
                self._start_build()
            else:
                self._build_hnsw()

    def add_many(self, labels: list[int], vectors: FloatArray) -> None:
        """Add many vectors at once (builds hnswlib in one batch when over the threshold)."""
        mat = np.asarray(vectors, dtype=np.float32).reshape(len(labels), self.dim)
        if self._build is not None:
            self._build.done.wait()
            self._adopt()
        hnsw, self._hnsw = self._hnsw, None
        try:
            for label, vec in zip(labels, mat, strict=True):
                if label in self._rows:
                    self.remove(label)
                self._append_row(label, vec)
        finally:
            self._hnsw = hnsw
        if self._hnsw is not None:
            self._hnsw_add(np.asarray(labels), mat, threads=self.settings.build_threads)
        elif len(self) >= self.settings.exact_below:
            self._build_hnsw()

    def _append_row(self, label: int, vec: FloatArray) -> None:
        if len(self._labels) == self._mat.shape[0]:
            grown = np.zeros((self._mat.shape[0] * 2, self.dim), dtype=np.float32)
            grown[: len(self._labels)] = self._mat[: len(self._labels)]
            self._mat = grown
        self._rows[label] = len(self._labels)
        self._mat[len(self._labels)] = vec
        self._labels.append(label)

    def remove(self, label: int) -> None:
        """Remove a vector (no-op when absent)."""
        row = self._rows.pop(label, None)
        if row is None:
            return
        last = len(self._labels) - 1
        if row != last:
            moved = self._labels[last]
            self._mat[row] = self._mat[last]
            self._labels[row] = moved
            self._rows[moved] = row
        self._labels.pop()
        if self._build is not None:
            self._build.changes.append((label, None))
        elif self._hnsw is not None:
            self._hnsw.mark_deleted(label)

    def vector(self, label: int) -> FloatArray:
        """The stored vector of ``label`` (a copy)."""
        return np.array(self._mat[self._rows[label]])

    def search(self, query: FloatArray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest labels by cosine, best first, as ``(label, cosine)``."""
        n = len(self)
        if n == 0 or k < 1:
            return []
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        k = min(k, n)
        self._adopt()
        if self.uses_hnsw:
            try:
                labels, dists = self._hnsw.knn_query(q[None, :], k=k, num_threads=1)
            except RuntimeError:  # too few live elements reachable: fall back to exact
                return self.exact_search(q, k)
            return [(int(lab), float(1.0 - d)) for lab, d in zip(labels[0], dists[0], strict=True)]
        return self.exact_search(q, k)

    def exact_search(self, query: FloatArray, k: int) -> list[tuple[int, float]]:
        """Exact top-``k`` by a matrix product (ground truth for recall measurements)."""
        n = len(self)
        if n == 0 or k < 1:
            return []
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        sims = self._mat[:n] @ q
        k = min(k, n)
        top = np.argpartition(-sims, k - 1)[:k] if k < n else np.arange(n)
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(self._labels[i], float(sims[i])) for i in top]

    def _build_hnsw(self) -> None:
        n = len(self)
        self._hnsw_capacity = max(1024, 2 * n)
        self._hnsw = _new_graph(
            self.dim, self.settings, self._hnsw_capacity, self._mat[:n], self._labels
        )

    def _start_build(self) -> None:
        """Build the graph from a copy of the vectors on a background thread."""
        n = len(self)
        mat = np.array(self._mat[:n])
        labels = list(self._labels)
        capacity = max(1024, 2 * n)
        done = threading.Event()
        result: list[Any] = []

        def build() -> None:
            try:
                result.append(_new_graph(self.dim, self.settings, capacity, mat, labels))
            except BaseException as exc:  # kept: raised where it is taken into use
                result.append(exc)
            finally:
                done.set()

        thread = threading.Thread(target=build, name="aga-hnsw-build", daemon=True)
        self._build = _Build(thread=thread, done=done, result=result)
        self._hnsw_capacity = capacity
        thread.start()

    def _adopt(self) -> None:
        """Take a finished background graph into use, replaying the changes made since."""
        build = self._build
        if build is None or not build.done.is_set():
            return
        self._build = None
        graph = build.result[0]
        if isinstance(graph, BaseException):
            raise graph
        self._hnsw = graph
        for label, vec in build.changes:
            if vec is None:
                with contextlib.suppress(RuntimeError):  # added and removed during the build
                    graph.mark_deleted(label)
            else:
                self._hnsw_add(np.asarray([label]), vec[None, :])

    def _hnsw_add(self, labels: npt.NDArray[Any], vectors: FloatArray, *, threads: int = 1) -> None:
        needed = self._hnsw.get_current_count() + len(labels)
        if needed > self._hnsw_capacity:
            self._hnsw_capacity = max(needed, 2 * self._hnsw_capacity)
            self._hnsw.resize_index(self._hnsw_capacity)
        self._hnsw.add_items(vectors, labels, num_threads=threads)


def _new_graph(
    dim: int, s: IndexSettings, capacity: int, mat: FloatArray, labels: list[int]
) -> Any:
    import hnswlib

    index = hnswlib.Index(space="cosine", dim=dim)
    index.init_index(
        max_elements=capacity, ef_construction=s.ef_construction, M=s.m, random_seed=s.seed
    )
    index.set_ef(s.ef_search)
    if len(labels):
        index.add_items(mat, np.asarray(labels), num_threads=s.build_threads)
    return index
