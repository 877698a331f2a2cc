"""A thread-safe text -> vector cache that wraps any embedder and feeds the store's log."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from aga_npc.errors import EmbeddingError
from aga_npc.ports import Embedder

__all__ = ["CachedEmbedder"]

FloatArray = npt.NDArray[np.float32]


class CachedEmbedder:
    """An :class:`~aga_npc.ports.Embedder` that remembers every vector it has computed.

    ``embed`` may be called from worker threads while the main thread calls ``cached``;
    a lock guards the table but is never held during the wrapped embedder's call, so a slow
    embedding does not block a main-thread lookup. Least recently used entries are dropped
    beyond ``max_entries``.

    New vectors are also queued for persistence: :meth:`take_new` drains them (the policy
    store writes them to its log on flush) and :meth:`load` refills the cache from disk.

    Args:
        inner: the embedder to wrap.
        max_entries: cache capacity (>= 1).
    """

    def __init__(self, inner: Embedder, *, max_entries: int = 50_000) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be >= 1, got {max_entries}")
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.max_entries = max_entries
        self._table: OrderedDict[str, FloatArray] = OrderedDict()
        self._new: dict[str, FloatArray] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._table)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Embed ``texts``, computing only those not cached (in one call to the inner embedder).

        Raises:
            EmbeddingError: the inner embedder failed or returned a wrong shape.
        """
        texts = list(texts)
        found: dict[str, FloatArray] = {}
        with self._lock:
            for t in texts:
                vec = self._table.get(t)
                if vec is not None:
                    self._table.move_to_end(t)
                    found[t] = vec
            missing = list(dict.fromkeys(t for t in texts if t not in found))
            self.hits += len(texts) - len(missing)
            self.misses += len(missing)
        if missing:
            fresh = np.asarray(self.inner.embed(missing), dtype=np.float32)
            self.dim = self.inner.dim  # an endpoint may learn its dimension on first call
            if fresh.shape != (len(missing), self.inner.dim):
                raise EmbeddingError(
                    f"embedder {self.inner.name} returned shape {fresh.shape}, "
                    f"expected {(len(missing), self.inner.dim)}"
                )
            with self._lock:
                for t, vec in zip(missing, fresh, strict=True):
                    row = vec.copy()
                    row.setflags(write=False)
                    found[t] = row
                    self._put(t, row)
                    self._new[t] = row
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[t] for t in texts])

    def known(self, texts: Iterable[str]) -> dict[str, FloatArray]:
        """The cached vectors among ``texts`` (counted as hits; the others as misses).

        The first half of an embedding split in two (``aga_npc.runtime.batching``): look up
        on the game thread, compute what is missing elsewhere, then :meth:`remember` it.
        """
        found: dict[str, FloatArray] = {}
        with self._lock:
            for t in texts:
                if t in found:
                    self.hits += 1
                    continue
                vec = self._table.get(t)
                if vec is None:
                    self.misses += 1
                    continue
                self._table.move_to_end(t)
                found[t] = vec
                self.hits += 1
        return found

    def remember(self, texts: Sequence[str], vectors: FloatArray) -> dict[str, FloatArray]:
        """Put vectors computed by ``inner`` for ``texts`` into the cache; returns them as
        read-only rows by text. A text cached meanwhile keeps its cached vector (the first
        vector computed for a text is the one every later lookup sees).

        Raises:
            EmbeddingError: ``vectors`` does not have one row of ``inner.dim`` per text.
        """
        fresh = np.asarray(vectors, dtype=np.float32)
        self.dim = self.inner.dim
        if fresh.shape != (len(texts), self.inner.dim):
            raise EmbeddingError(
                f"embedder {self.inner.name} returned shape {fresh.shape}, "
                f"expected {(len(texts), self.inner.dim)}"
            )
        out: dict[str, FloatArray] = {}
        with self._lock:
            for t, vec in zip(texts, fresh, strict=True):
                old = self._table.get(t)
                if old is not None:
                    out[t] = old
                    continue
                row = vec.copy()
                row.setflags(write=False)
                out[t] = row
                self._put(t, row)
                self._new[t] = row
        return out

    def cached(self, text: str) -> FloatArray | None:
        """The cached vector for ``text`` (read-only), or None. Fast; main-thread safe."""
        with self._lock:
            vec = self._table.get(text)
            if vec is not None:
                self._table.move_to_end(text)
                self.hits += 1
            return vec

    def take_new(self) -> list[tuple[str, FloatArray]]:
        """Drain the vectors computed since the last call (for persistence)."""
        with self._lock:
            items = list(self._new.items())
            self._new.clear()
        return items

    def items(self) -> list[tuple[str, FloatArray]]:
        """Every cached (text, vector) pair, least recently used first."""
        with self._lock:
            return list(self._table.items())

    def load(self, items: Iterable[tuple[str, FloatArray]]) -> int:
        """Put persisted vectors into the cache (not queued as new); returns how many.

        Raises:
            EmbeddingError: a vector has the wrong dimension.
        """
        n = 0
        with self._lock:
            for text, vec in items:
                row = np.asarray(vec, dtype=np.float32).reshape(-1)
                if row.shape[0] != self.inner.dim:
                    raise EmbeddingError(
                        f"cached vector for {text!r} has dim {row.shape[0]}, "
                        f"embedder {self.inner.name} has {self.inner.dim}"
                    )
                row = row.copy()
                row.setflags(write=False)
                self._put(text, row)
                n += 1
        return n

    def _put(self, text: str, row: FloatArray) -> None:
        self._table[text] = row
        self._table.move_to_end(text)
        while len(self._table) > self.max_entries:
            old, _ = self._table.popitem(last=False)
            self._new.pop(old, None)
