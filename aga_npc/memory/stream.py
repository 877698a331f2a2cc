"""The memory stream: append events, retrieve by recency + importance + relevance, stay bounded.

Generative-Agents-style retrieval, vectorised with numpy. The stream keeps, next to the
events themselves, contiguous per-row arrays (embedding matrix, importance, last access,
kind code) that grow by doubling, so retrieval over 2,000 events is one matrix-vector
product and a few array operations. Rows of events whose embedding is still pending are
zero in the matrix, which gives them cosine 0 (relevance 0) without a branch.

Each embedding is held once, in that matrix: an event's ``embedding`` is a read-only view of
its row (about 1.5 KiB per event at 384-d, not twice that). A row a view was handed out
for is never written again: growing, compacting (the bound) and replacing an embedding
build a new matrix and re-point the live events' views to it, so a view somebody holds
(a clustering job on a worker, a retrieval hit) keeps its values, and the old matrix is
freed once nothing holds a view of it. An event the stream drops (forgotten, merged away)
gets its own copy of its vector first, so it keeps no matrix alive.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.errors import SchemaVersionError, StoreError
from aga_npc.memory.bound import plan_bound
from aga_npc.memory.events import (
    DEFAULT_WEIGHTS,
    KIND_CODES,
    EventKind,
    MemoryEvent,
    RetrievalWeights,
    ScoredEvent,
    as_unit_rows,
    as_unit_vector,
)

__all__ = ["STATE_VERSION", "MemoryEvent", "MemoryStream", "ScoredEvent"]

STATE_VERSION = 1
_FLAT = 1e-9  # a component whose spread over the candidates is below this is "all equal"


def minmax(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Min-max normalise to 0..1; when all values are (nearly) equal every value becomes 0.5.

    The flat case happens with one candidate, with no query (all cosines 0) or with equal
    importances. 0.5 (the Generative Agents reference does the same) adds the same constant
    to every candidate, so that component cannot change the ranking.
    """
    lo = float(values.min())
    hi = float(values.max())
    if hi - lo <= _FLAT:
        return np.full(values.shape, 0.5)
    return (values - lo) / (hi - lo)


class MemoryStream:
    """One agent's memory stream.

    Args:
        max_events: the bound; when an append exceeds it, the stream consolidates and
            forgets down to ``low_water * max_events`` (see :mod:`aga_npc.memory.bound`).
        decay: recency factor per game hour since last access (0.995 as in Generative
            Agents); the most recently accessed event has the highest recency.
        reflection_threshold: summed importance of non-reflection events since the last
            reset at which :attr:`reflection_due` turns true (150 as in Generative Agents).
        dim: the embedding dimension; fixed by the first embedding when None.
        low_water: fraction of ``max_events`` to forget down to, so bound work is amortised.
        protect: how many of the newest events are never forgotten (default 5% of the bound).
    """

    def __init__(
        self,
        *,
        max_events: int = 1000,
        decay: float = 0.995,
        reflection_threshold: float = 150.0,
        dim: int | None = None,
        low_water: float = 0.9,
        protect: int | None = None,
    ) -> None:
        if max_events < 10:
            raise ValueError(f"max_events must be >= 10, got {max_events}")
        if not 0.0 < decay <= 1.0:
            raise ValueError(f"decay must be within (0, 1], got {decay}")
        if reflection_threshold <= 0:
            raise ValueError(f"reflection_threshold must be positive, got {reflection_threshold}")
        if not 0.5 <= low_water <= 1.0:
            raise ValueError(f"low_water must be within [0.5, 1], got {low_water}")
        if dim is not None and dim < 1:
            raise ValueError(f"dim must be positive, got {dim}")
        self.max_events = max_events
        self.decay = decay
        self.reflection_threshold = reflection_threshold
        self.low_water = low_water
        self.protect = max(1, max_events // 20) if protect is None else protect
        if not 1 <= self.protect <= int(max_events * low_water):
            raise ValueError(f"protect must be within 1..{int(max_events * low_water)}")
        self._dim = dim
        self._reset_storage()
        self._next_id = 0
        self._since_reflection = 0.0
        self._reflect_from_id = 0
        self.consolidated_total = 0
        self.forgotten_total = 0

    # ------------------------------------------------------------------ storage
    def _reset_storage(self, capacity: int = 64) -> None:
        self._cap = capacity
        self._n = 0
        self._events: list[MemoryEvent] = []
        self._pending_from = 0  # no row before this one waits for its embedding
        self._row: dict[int, int] = {}
        self._people: dict[str, set[int]] = {}
        self._imp = np.zeros(capacity, dtype=np.float64)
        self._acc = np.zeros(capacity, dtype=np.float64)
        self._kind = np.zeros(capacity, dtype=np.int8)
        # the only copy of every embedding; read-only, so no view of it can be written
        self._mat: npt.NDArray[np.float32] | None = (
            None if self._dim is None else _matrix(capacity, self._dim)
        )

    def _grow(self, needed: int) -> None:
        if needed <= self._cap:
            return
        cap = max(needed, self._cap * 2)
        n = self._n
        for name in ("_imp", "_acc", "_kind"):
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[:n] = old[:n]
            setattr(self, name, new)
        if self._mat is not None:
            mat = np.zeros((cap, self._mat.shape[1]), dtype=np.float32)
            mat[:n] = self._mat[:n]
            mat.flags.writeable = False
            self._install(mat)
        self._cap = cap

    def _install(self, mat: npt.NDArray[np.float32]) -> None:
        """Make ``mat`` (read-only, row ``i`` holding event ``i``'s vector) the matrix and
        point every event's ``embedding`` at its row of it.

        The events are the stream's own objects; their values do not change (the same
        vector, held elsewhere), so a worker reading one meanwhile sees either view."""
        self._mat = mat
        for row, ev in enumerate(self._events):
            if ev.embedding is not None:
                object.__setattr__(ev, "embedding", mat[row])

    def _check_dim(self, vec: npt.NDArray[np.float32]) -> None:
        if self._dim is None:
            self._dim = int(vec.shape[0])
        if vec.shape[0] != self._dim:
            raise ValueError(f"embedding has dimension {vec.shape[0]}, the stream uses {self._dim}")
        if self._mat is None:
            self._mat = _matrix(self._cap, self._dim)

    def _push(self, ev: MemoryEvent) -> None:
        """Append ``ev`` (a new object of this stream's: its embedding, if any, is moved into
        the matrix and the event gets a view of its row instead)."""
        vec = ev.embedding
        if vec is not None:
            self._check_dim(vec)
        self._grow(self._n + 1)
        row = self._n
        self._events.append(ev)
        self._row[ev.id] = row
        self._write_row(row, ev)
        if vec is not None:
            _write(self._mat, [row], [vec])
            object.__setattr__(ev, "embedding", self._row_view(row))
        for person in ev.people:
            self._people.setdefault(person.casefold(), set()).add(ev.id)
        self._n += 1

    def _row_view(self, row: int) -> npt.NDArray[np.float32]:
        assert self._mat is not None
        return self._mat[row]

    def _write_row(self, row: int, ev: MemoryEvent) -> None:
        """The per-row scalars of ``ev`` (its vector is written by the callers)."""
        self._imp[row] = ev.importance
        self._acc[row] = ev.last_access
        self._kind[row] = KIND_CODES[ev.kind]

    def _rebuild(self, events: list[MemoryEvent]) -> None:
        self._reset_storage(max(64, len(events)))
        for ev in events:
            self._push(ev)

    def _compact(self, removed: Collection[int], merged: Mapping[int, MemoryEvent]) -> None:
        """Delete rows ``removed`` and replace rows ``merged``, keeping row order.

        The vectors go into a new matrix (views of the old one may be held elsewhere); the
        events leaving the stream (removed, or replaced by their merged event) get their own
        copies first."""
        n = self._n
        keep_mask = np.ones(n, dtype=bool)
        keep_mask[list(removed)] = False
        keep = np.flatnonzero(keep_mask)
        m = keep.size
        for row in [*removed, *merged]:
            _detach(self._events[row])
        for row, ev in merged.items():
            self._events[row] = ev
            self._write_row(row, ev)
        for name in ("_imp", "_acc", "_kind"):
            arr = getattr(self, name)
            arr[:m] = arr[keep]
            arr[m:n] = 0
        self._events = [self._events[r] for r in keep.tolist()]
        if self._mat is not None:
            mat = np.zeros(self._mat.shape, dtype=np.float32)
            mat[:m] = self._mat[keep]
            new_row = {int(r): i for i, r in enumerate(keep.tolist())}
            for row, ev in merged.items():
                if row in new_row:
                    mat[new_row[row]] = 0.0 if ev.embedding is None else ev.embedding
            mat.flags.writeable = False
            self._install(mat)
        self._pending_from = 0
        self._n = m
        self._row = {ev.id: row for row, ev in enumerate(self._events)}
        self._people = {}
        for ev in self._events:
            for person in ev.people:
                self._people.setdefault(person.casefold(), set()).add(ev.id)

    def embedding_rows(self) -> npt.NDArray[np.float32]:
        """The embedding matrix's rows in use, read-only: row ``i`` is ``events()[i]``'s
        vector (the very memory its ``embedding`` views), zero while that event's embedding
        is pending. A view: rows of pending events are filled in when their embeddings
        arrive; nothing else in it changes later (the stream moves to a new matrix).

        Raises:
            ValueError: no embedding has been stored yet (the dimension is unknown).
        """
        if self._mat is None:
            raise ValueError("no embedding stored yet")
        return self._mat[: self._n]

    # ------------------------------------------------------------------ basic access
    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[MemoryEvent]:
        return iter(tuple(self._events))

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._row

    @property
    def dim(self) -> int | None:
        """The embedding dimension, once known."""
        return self._dim

    def get(self, event_id: int) -> MemoryEvent | None:
        """The event with this id, or None when unknown or forgotten."""
        row = self._row.get(event_id)
        return None if row is None else self._events[row]

    def events(self) -> tuple[MemoryEvent, ...]:
        """All events, oldest first."""
        return tuple(self._events)

    def recent(self, n: int, *, kinds: Collection[str] | None = None) -> list[MemoryEvent]:
        """The ``n`` newest events (optionally of the given kinds), oldest first."""
        if n <= 0:
            return []
        if kinds is None:
            return list(self._events[-n:])
        wanted = {EventKind(k) for k in kinds}
        out: list[MemoryEvent] = []
        for ev in reversed(self._events):
            if ev.kind in wanted:
                out.append(ev)
                if len(out) == n:
                    break
        out.reverse()
        return out

    def about(self, person: str) -> list[MemoryEvent]:
        """Events whose ``people`` include ``person`` (case-insensitive), oldest first."""
        ids = self._people.get(person.casefold(), set())
        return [self._events[self._row[i]] for i in sorted(ids)]

    def pending_embeddings(self) -> list[MemoryEvent]:
        """Events still waiting for their embedding, oldest first (to (re)submit after a load).

        Asked every tick: the scan starts at the first row that was still pending last time
        (embeddings are only ever added to a row; new rows come at the end)."""
        events = self._events
        start = self._pending_from
        while start < len(events) and events[start].embedding is not None:
            start += 1
        self._pending_from = start
        return [ev for ev in events[start:] if ev.embedding is None]

    # ------------------------------------------------------------------ mutation
    def append(
        self,
        *,
        kind: EventKind | str,
        text: str,
        now: float,
        importance: int,
        embedding: Any = None,
        people: Iterable[str] = (),
        keywords: Iterable[str] = (),
        evidence: Iterable[int] = (),
    ) -> MemoryEvent:
        """Add an event that happened at game minute ``now``; enforce the bound.

        Args:
            kind: the event kind.
            text: the event in natural language.
            now: game minutes since the start; becomes ``created`` and ``last_access``.
            importance: 1..10 (a provisional value is fine; see :meth:`set_importance`).
            embedding: its unit vector, or None while it is being computed
                (:meth:`set_embedding` fills it in later).
            people: names the event is about.
            keywords: free keywords.
            evidence: for reflections, the ids of the events they were drawn from.

        Returns:
            The stored event (it is among the protected newest events, so never forgotten
            by its own append).

        Raises:
            ValueError: an invalid field, or an embedding of the wrong dimension.
        """
        ev = MemoryEvent(
            id=self._next_id,
            kind=EventKind(kind),
            text=text,
            created=float(now),
            last_access=float(now),
            importance=int(importance),
            embedding=embedding,
            people=tuple(str(p) for p in people),
            keywords=tuple(str(k) for k in keywords),
            evidence=tuple(int(e) for e in evidence),
        )
        self._push(ev)
        self._next_id += 1
        if ev.kind is not EventKind.REFLECTION:
            self._since_reflection += ev.importance
        if self._n > self.max_events:
            self.enforce_bound(float(now))
        return ev

    def set_embedding(self, event_id: int, embedding: Any) -> bool:
        """Attach (or replace) an event's embedding.

        Returns:
            False when the event is gone (forgotten while its embedding was computed).

        Raises:
            ValueError: the vector is invalid or of the wrong dimension.
        """
        row = self._row.get(event_id)
        if row is None:
            return False
        vec = as_unit_vector(embedding)
        self._check_dim(vec)
        self._attach([row], [vec])
        return True

    def set_embeddings(self, event_ids: Sequence[int], embeddings: Any) -> int:
        """Attach one embedding per id (rows of ``embeddings``), as a batch: one numpy pass
        to check and normalise, no per-event revalidation. Ids of events that are gone are
        skipped. Returns how many events got their embedding.

        Raises:
            ValueError: a row is invalid, of the wrong dimension, or the counts differ
                (nothing is changed then).
        """
        if len(event_ids) == 0:
            return 0
        rows = as_unit_rows(embeddings)
        if rows.shape[0] != len(event_ids):
            raise ValueError(f"{rows.shape[0]} embeddings for {len(event_ids)} events")
        self._check_dim(rows[0])
        found = [
            (row, vec)
            for row, vec in zip(map(self._row.get, event_ids), rows, strict=True)
            if row is not None
        ]
        self._attach([row for row, _ in found], [vec for _, vec in found])
        return len(found)

    def _attach(self, rows: Sequence[int], vecs: Sequence[npt.NDArray[np.float32]]) -> None:
        """Write unit vectors ``vecs`` into ``rows`` and give those events views of them.

        A row that already has a vector may have a view of it held elsewhere, so replacing
        one copies the matrix first (rare: an embedding normally arrives once)."""
        if not rows:
            return
        assert self._mat is not None
        replacing = any(self._events[row].embedding is not None for row in rows)
        if replacing:
            mat = self._mat.copy()
            mat.flags.writeable = False
            self._install(mat)
            for row in rows:  # the events these rows held keep their old vectors
                _detach(self._events[row])
        _write(self._mat, rows, vecs)
        for row in rows:
            self._events[row] = _with_embedding(self._events[row], self._row_view(row))

    def set_importance(self, event_id: int, importance: int) -> bool:
        """Replace a provisional importance (e.g. when the LLM's score arrives).

        Returns:
            False when the event is gone.
        """
        row = self._row.get(event_id)
        if row is None:
            return False
        old = self._events[row]
        ev = _replace(old, importance=int(importance))
        self._events[row] = ev
        self._imp[row] = ev.importance
        if ev.kind is not EventKind.REFLECTION and ev.id >= self._reflect_from_id:
            self._since_reflection += ev.importance - old.importance
        return True

    def mark_accessed(self, event_ids: Iterable[int], now: float) -> None:
        """Record that these events were used at game minute ``now`` (never moves backwards)."""
        for event_id in event_ids:
            row = self._row.get(event_id)
            if row is None:
                continue
            ev = self._events[row]
            if now > ev.last_access:
                ev = _replace(ev, last_access=float(now))
                self._events[row] = ev
                self._acc[row] = ev.last_access

    def enforce_bound(self, now: float) -> int:
        """Consolidate and forget down to ``low_water * max_events`` if over the bound.

        Runs by itself on :meth:`append`; callers rarely need it.

        Returns:
            How many events were removed.
        """
        if self._n <= self.max_events:
            return 0
        target = max(self.protect, int(self.max_events * self.low_water))
        plan = plan_bound(
            self._events, now=now, target=target, decay=self.decay, protect=self.protect
        )
        self._compact(plan.removed, plan.merged)
        self.consolidated_total += plan.consolidated
        self.forgotten_total += plan.forgotten
        return len(plan.removed)

    # ------------------------------------------------------------------ reflection trigger
    @property
    def importance_since_reflection(self) -> float:
        """Summed importance of non-reflection events appended since the last reset."""
        return self._since_reflection

    @property
    def reflection_due(self) -> bool:
        """Whether the summed importance reached ``reflection_threshold``."""
        return self._since_reflection >= self.reflection_threshold

    def reset_reflection(self) -> None:
        """Start a new accumulation (call when the reflection request is submitted)."""
        self._since_reflection = 0.0
        self._reflect_from_id = self._next_id

    # ------------------------------------------------------------------ retrieval
    def retrieve(
        self,
        query: Any,
        now: float,
        k: int = 10,
        weights: RetrievalWeights = DEFAULT_WEIGHTS,
        *,
        kinds: Collection[str] | None = None,
        person: str | None = None,
        exclude: Collection[int] = (),
        touch: bool = True,
    ) -> list[ScoredEvent]:
        """The ``k`` best events for ``query`` at game minute ``now``, best first.

        ``score = w_rec * norm(recency) + w_imp * norm(importance) + w_rel * norm(relevance)``
        where recency is ``decay ** hours since last access`` (newest access highest),
        relevance is the cosine to ``query`` (0 for pending embeddings) and ``norm`` is
        min-max over the candidates (see :func:`minmax` for the all-equal case). Ties go to
        the newer event.

        Args:
            query: query unit vector, or None to rank by recency and importance only.
            now: game minutes.
            k: how many to return.
            weights: component weights.
            kinds: only events of these kinds.
            person: only events whose ``people`` include this name.
            exclude: event ids to leave out.
            touch: record the access (``last_access = now``) of the returned events, as
                Generative Agents does; pass False for read-only views (debug overlay).

        Returns:
            Scored hits; the events reflect the access when ``touch`` is true.
        """
        n = self._n
        if n == 0 or k <= 0:
            return []
        mask: npt.NDArray[np.bool_] | None = None
        if kinds is not None:
            codes = [KIND_CODES[EventKind(x)] for x in kinds]
            mask = np.isin(self._kind[:n], codes)
        if person is not None:
            pmask = np.zeros(n, dtype=bool)
            ids = self._people.get(person.casefold(), ())
            pmask[[self._row[i] for i in ids]] = True
            mask = pmask if mask is None else mask & pmask
        if exclude:
            if mask is None:
                mask = np.ones(n, dtype=bool)
            for event_id in exclude:
                row = self._row.get(event_id)
                if row is not None:
                    mask[row] = False
        idx = np.arange(n) if mask is None else np.flatnonzero(mask)
        if idx.size == 0:
            return []

        hours = np.maximum(now - self._acc[idx], 0.0) / 60.0
        recency = np.power(self.decay, hours)
        importance = self._imp[idx]
        cosine = np.zeros(idx.size, dtype=np.float64)
        if query is not None and self._mat is not None:
            q = as_unit_vector(query, what="query")
            if q.shape[0] != self._dim:
                raise ValueError(f"query has dimension {q.shape[0]}, the stream uses {self._dim}")
            cosine = (self._mat[:n] @ q).astype(np.float64)[idx]
        n_rec, n_imp, n_rel = minmax(recency), minmax(importance), minmax(cosine)
        score = weights.recency * n_rec + weights.importance * n_imp + weights.relevance * n_rel

        m = idx.size
        if k < m:
            kth = np.partition(score, m - k)[m - k]
            cand = np.flatnonzero(score >= kth)
        else:
            cand = np.arange(m)
        order = cand[np.lexsort((-cand, -score[cand]))][:k]

        hits: list[ScoredEvent] = []
        for j in order.tolist():
            row = int(idx[j])
            hits.append(
                ScoredEvent(
                    event=self._events[row],
                    score=float(score[j]),
                    recency=float(n_rec[j]),
                    importance=float(n_imp[j]),
                    relevance=float(n_rel[j]),
                    cosine=float(cosine[j]),
                )
            )
        if touch:
            self.mark_accessed([h.event.id for h in hits], now)
            hits = [dataclasses.replace(h, event=self._events[self._row[h.event.id]]) for h in hits]
        return hits

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """Plain data (msgpack-able) with every event; embeddings as float32 bytes."""
        return {
            "version": STATE_VERSION,
            "dim": self._dim,
            "next_id": self._next_id,
            "since_reflection": self._since_reflection,
            "reflect_from_id": self._reflect_from_id,
            "consolidated_total": self.consolidated_total,
            "forgotten_total": self.forgotten_total,
            "events": [ev.to_dict() for ev in self._events],
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Replace the contents with :meth:`get_state` output.

        Raises:
            SchemaVersionError: written by a newer state version.
            StoreError: a field is missing or invalid (the message names it).
        """
        version = state.get("version")
        if not isinstance(version, int) or version < 1:
            raise StoreError(f"memory stream state: bad 'version' {version!r}")
        if version > STATE_VERSION:
            raise SchemaVersionError(
                f"memory stream state version {version} is newer than {STATE_VERSION}"
            )
        dim = state.get("dim")
        if dim is not None and (not isinstance(dim, int) or dim < 1):
            raise StoreError(f"memory stream state: bad 'dim' {dim!r}")
        if dim is not None and self._dim is not None and dim != self._dim:
            raise StoreError(f"memory stream state: dim {dim}, this stream uses {self._dim}")
        raw_events = state.get("events")
        if not isinstance(raw_events, list | tuple):
            raise StoreError("memory stream state: 'events' must be a list")
        events: list[MemoryEvent] = []
        last_id = -1
        for i, raw in enumerate(raw_events):
            try:
                if not isinstance(raw, Mapping):
                    raise ValueError("not a mapping")
                if raw.get("embedding") is not None and dim is None:
                    raise ValueError("has an embedding but the state has no 'dim'")
                ev = MemoryEvent.from_dict(raw, dim=dim)
            except (ValueError, TypeError) as exc:
                raise StoreError(f"memory stream state: events[{i}]: {exc}") from None
            if ev.id <= last_id:
                raise StoreError(f"memory stream state: events[{i}]: ids must increase")
            last_id = ev.id
            events.append(ev)
        try:
            next_id = int(state["next_id"])
            since = float(state.get("since_reflection", 0.0))
            reflect_from = int(state.get("reflect_from_id", 0))
            consolidated = int(state.get("consolidated_total", 0))
            forgotten = int(state.get("forgotten_total", 0))
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"memory stream state: bad or missing field: {exc}") from None
        if next_id <= last_id or not math.isfinite(since):
            raise StoreError("memory stream state: 'next_id' must exceed every event id")
        if dim is not None:
            self._dim = dim
        self._rebuild(events)
        self._next_id = next_id
        self._since_reflection = since
        self._reflect_from_id = reflect_from
        self.consolidated_total = consolidated
        self.forgotten_total = forgotten


def _with_embedding(ev: MemoryEvent, vec: npt.NDArray[np.float32]) -> MemoryEvent:
    """``ev`` with ``vec`` as its embedding, without re-running its validation: ``vec``
    must already be a read-only unit float32 vector (a row of the stream's matrix)."""
    out = copy.copy(ev)
    object.__setattr__(out, "embedding", vec)
    return out


def _replace(ev: MemoryEvent, **changes: Any) -> MemoryEvent:
    """``dataclasses.replace`` (the changed fields validated) keeping ``ev``'s embedding
    object as it is: the same view of the matrix row, not a new copy of the vector."""
    out = dataclasses.replace(ev, embedding=None, **changes)
    object.__setattr__(out, "embedding", ev.embedding)
    return out


def _detach(ev: MemoryEvent) -> None:
    """Give an event leaving the stream its own copy of its vector (same values), so it
    keeps no matrix of the stream alive."""
    if ev.embedding is not None and ev.embedding.base is not None:
        vec = ev.embedding.copy()
        vec.flags.writeable = False
        object.__setattr__(ev, "embedding", vec)


def _matrix(capacity: int, dim: int) -> npt.NDArray[np.float32]:
    """A read-only zero matrix of ``capacity`` rows of ``dim`` (rows are written by
    :func:`_write` only)."""
    mat = np.zeros((capacity, dim), dtype=np.float32)
    mat.flags.writeable = False
    return mat


def _write(
    mat: npt.NDArray[np.float32] | None,
    rows: Sequence[int],
    vecs: Sequence[npt.NDArray[np.float32]],
) -> None:
    """Write ``vecs`` into ``rows`` of the read-only ``mat``: rows no view refers to yet
    (the stream's invariant)."""
    assert mat is not None
    mat.flags.writeable = True
    try:
        for row, vec in zip(rows, vecs, strict=True):
            mat[row] = vec
    finally:
        mat.flags.writeable = False
