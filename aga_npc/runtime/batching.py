"""Embedding calls batched across brains: one embedder call per pump, on a worker if asked.

Every brain asks for its own embeddings (a plan text, a handful of memories, a question),
each a blocking call ``embedder.embed(texts)`` through the gateway. Served one at a time on
the game thread, a 1,000-NPC headless day spent three quarters of its time there, mostly in
small calls (a single text costs the local MiniLM about twice as much per text as a batch
of 32). An :class:`EmbedJob` takes every such call a pump starts, looks the texts up in the
embedder's cache on the game thread, computes only the texts nobody has (each once, in one
call of the inner embedder, which may run on a worker thread), then puts the new vectors
into the cache and completes each call with its own rows - back on the game thread.

Determinism: what a job computes is fixed when the pump plans it (the cache as the game
thread sees it, texts in the order the calls were started), the worker only runs the inner
embedder on that list, and the cache changes only on the game thread, at the pump that
delivers the job. So a seed gives the same run whether the work ran on a worker or inline,
and whatever the worker's speed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.embed.cache import CachedEmbedder
from aga_npc.errors import EmbeddingError
from aga_npc.ports import Embedder
from aga_npc.runtime.scheduler import Flight
from aga_npc.types import CallResult

__all__ = ["EmbedJob", "batch_embedder"]

FloatArray = npt.NDArray[np.float32]


def batch_embedder(fn: Callable[..., Any], args: tuple[Any, ...]) -> Embedder | None:
    """The embedder when ``fn(*args)`` is ``embedder.embed(texts)`` (a batchable call), else
    None. Only a bound ``embed`` of an :class:`~aga_npc.ports.Embedder` with one sequence of
    strings qualifies; any other call runs as it is."""
    if getattr(fn, "__name__", "") != "embed" or len(args) != 1:
        return None
    owner = getattr(fn, "__self__", None)
    if owner is None or not isinstance(owner, Embedder):
        return None
    texts = args[0]
    if isinstance(texts, str | bytes) or not isinstance(texts, Sequence):
        return None
    if not all(isinstance(t, str) for t in texts):
        return None
    return owner


class EmbedJob:
    """The embedding calls one pump started for one embedder, served by one inner call.

    Built on the game thread (:meth:`__init__` plans: cache lookups, the texts to compute),
    :meth:`compute` runs anywhere (only the inner embedder), :meth:`results` back on the
    game thread (cache update, one :class:`CallResult` per flight, in the flights' order).

    Args:
        embedder: the embedder whose ``embed`` the flights call; a
            :class:`~aga_npc.embed.cache.CachedEmbedder` is looked up and filled as above,
            any other embedder gets the distinct texts of all the flights in one call.
        flights: the calls, in the order the pump started them.
        earlier: jobs planned before and not yet delivered (their texts are not computed
            again: this job takes their vectors when it is delivered, after them).
    """

    def __init__(
        self, embedder: Embedder, flights: Sequence[Flight], earlier: Sequence[EmbedJob] = ()
    ) -> None:
        self.embedder = embedder
        self.flights = list(flights)
        self.cache = embedder if isinstance(embedder, CachedEmbedder) else None
        self.inner: Embedder = self.cache.inner if self.cache is not None else embedder
        self._texts = [list(f.leader.args[0]) for f in self.flights]
        # who asked, kept now: a cancelled ticket leaves its flight before delivery
        self._askers = [(f.leader.agent, f.leader.kind) for f in self.flights]
        wanted = list(dict.fromkeys(t for texts in self._texts for t in texts))
        self._known: dict[str, FloatArray] = {}
        if self.cache is not None:
            self._known = self.cache.known(t for texts in self._texts for t in texts)
        self._borrowed: dict[str, EmbedJob] = {}
        self.missing: list[str] = []
        for job in earlier:
            if job.embedder is not embedder:
                continue
            for t in job.missing:
                if t not in self._known:
                    self._borrowed.setdefault(t, job)
        self.missing = [t for t in wanted if t not in self._known and t not in self._borrowed]
        self._fresh: FloatArray | None = None
        self._parts: dict[int, FloatArray] = {}
        self._error: BaseException | None = None
        self._latency = 0.0
        self._rows: dict[str, FloatArray] | None = None

    @property
    def texts(self) -> int:
        """How many texts the calls asked for (with repeats)."""
        return sum(len(t) for t in self._texts)

    def split(self, parts: int) -> list[list[int]]:
        """Which missing texts each of ``parts`` workers computes (indices into
        ``missing``): dealt out by length, so the parts cost about the same; fixed by the
        texts alone (the same split in every run)."""
        by_length = sorted(range(len(self.missing)), key=lambda i: (len(self.missing[i]), i))
        return [p for p in (by_length[k::parts] for k in range(max(1, parts))) if p]

    def compute(self, part: Sequence[int] | None = None) -> None:
        """Run the inner embedder on the missing texts, or on the ``part`` of them given by
        :meth:`split` (thread-safe, parts may run at once; never raises)."""
        t0 = time.perf_counter()
        idx = list(range(len(self.missing))) if part is None else list(part)
        try:
            if idx:
                texts = [self.missing[i] for i in idx]
                fresh = np.asarray(self.inner.embed(texts), dtype=np.float32)
                if fresh.shape != (len(texts), self.inner.dim):
                    raise EmbeddingError(
                        f"embedder {self.inner.name} returned shape {fresh.shape}, "
                        f"expected {(len(texts), self.inner.dim)}"
                    )
                for i, row in zip(idx, fresh, strict=True):
                    self._parts[i] = row  # distinct keys per part: safe across threads
        except Exception as exc:  # every call of the job gets it as its error
            self._error = exc
        self._latency = max(self._latency, time.perf_counter() - t0)

    def _assemble(self) -> None:
        if self._error is None and self.missing and len(self._parts) == len(self.missing):
            self._fresh = np.stack([self._parts[i] for i in range(len(self.missing))])
        self._parts = {}

    def results(self) -> list[CallResult]:
        """One result per flight, in order (game thread; after :meth:`compute`)."""
        rows = self._deliver_rows()
        out: list[CallResult] = []
        for texts, (agent, kind) in zip(self._texts, self._askers, strict=True):
            missing = [x for x in texts if x not in rows]
            if missing:
                error = self._error or EmbeddingError(f"no vector for {missing[0]!r}")
                out.append(
                    CallResult(
                        error=error,
                        latency=self._latency,
                        agent=agent,
                        kind=kind,
                        outcome="failed",
                    )
                )
                continue
            value = (
                np.stack([rows[x] for x in texts])
                if texts
                else np.zeros((0, self.inner.dim), dtype=np.float32)
            )
            out.append(CallResult(value=value, latency=self._latency, agent=agent, kind=kind))
        return out

    def _deliver_rows(self) -> dict[str, FloatArray]:
        """Vectors by text: cached at planning, computed here, or by an earlier job."""
        if self._rows is not None:
            return self._rows
        self._assemble()
        rows: dict[str, FloatArray] = dict(self._known)
        if self._fresh is not None:
            if self.cache is not None:
                rows.update(self.cache.remember(self.missing, self._fresh))
            else:
                rows.update(zip(self.missing, self._fresh, strict=True))
        for t, job in self._borrowed.items():
            vec = job.row(t)
            if vec is not None:
                rows[t] = vec
        self._rows = rows
        return rows

    def row(self, text: str) -> FloatArray | None:
        """The vector this job delivered for ``text`` (None: not delivered or failed)."""
        if self._rows is None:
            return None
        return self._rows.get(text)
