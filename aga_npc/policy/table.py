"""The policy store's contents: entries by id, and per (scope, place) an exact-text table and
a nearest-plan index. :class:`PlanTable` owns them; the store decides what goes in.

Not thread-safe: main thread only, like the store.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import numpy as np
import numpy.typing as npt

from aga_npc.policy.combiner import PhraseVectors, phrase_vectors
from aga_npc.policy.entries import PolicyEntry, PolicyScope
from aga_npc.policy.index import IndexSettings, VectorIndex
from aga_npc.policy.signature import Signature, normalise_text, signature

__all__ = ["Partition", "PlanTable"]

FloatArray = npt.NDArray[np.float32]
Partition = tuple[PolicyScope, str]  # (scope, place)


class _Plans:
    """One scope's plans at one place: exact-text table and vector index."""

    __slots__ = ("exact", "index")

    def __init__(self, dim: int, settings: IndexSettings) -> None:
        self.exact: dict[str, int] = {}
        self.index = VectorIndex(dim, settings)


class PlanTable:
    """Entries by id, found by exact text or by vector within one scope at one place.

    Args:
        dim: vector dimension.
        settings: index parameters.
    """

    def __init__(self, dim: int, settings: IndexSettings) -> None:
        self.dim = dim
        self.settings = settings
        self._entries: dict[int, PolicyEntry] = {}
        self._signatures: dict[int, Signature] = {}
        self._parts: dict[int, PhraseVectors] = {}
        self._plans: dict[Partition, _Plans] = {}
        self._next_id = 1
        self._deferred: dict[Partition, dict[int, FloatArray]] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    @property
    def next_id(self) -> int:
        """The id the next new entry gets (never one used before, even when removed)."""
        return self._next_id

    def reserve_ids(self, next_id: int) -> None:
        """Never hand out ids below ``next_id`` (restored from saved state)."""
        self._next_id = max(self._next_id, next_id)

    def get(self, entry_id: int) -> PolicyEntry:
        """The entry with this id. Raises KeyError when absent."""
        return self._entries[entry_id]

    def find(self, entry_id: int | None) -> PolicyEntry | None:
        """The entry with this id, or None."""
        return self._entries.get(entry_id) if entry_id is not None else None

    def entries(
        self, scope: PolicyScope | None = None, place: str | None = None
    ) -> list[PolicyEntry]:
        """All entries (of one scope, at one place), oldest first."""
        return [
            e
            for e in self._entries.values()
            if (scope is None or e.scope == scope) and (place is None or e.place == place)
        ]

    def signature(self, entry_id: int) -> Signature:
        """The activity signature of an entry's plan text."""
        return self._signatures[entry_id]

    def parts(
        self, entry_id: int, vector_of: Callable[[str], FloatArray | None] | None
    ) -> PhraseVectors | None:
        """The vectors of an entry's plan parts, read once through ``vector_of`` (an
        embedding cache) and kept; None while one of them is not known."""
        found = self._parts.get(entry_id)
        if found is None and vector_of is not None:
            entry = self._entries[entry_id]
            found = phrase_vectors(self._signatures[entry_id], entry.vector, vector_of)
            if found is not None:
                self._parts[entry_id] = found
        return found

    def exact(self, part: Partition, text: str) -> int | None:
        """The entry stored under this (normalised) text in ``part``, or None."""
        plans = self._plans.get(part)
        return plans.exact.get(normalise_text(text)) if plans is not None else None

    def search(self, part: Partition, vector: FloatArray, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest entries of ``part`` by cosine, best first."""
        plans = self._plans.get(part)
        return plans.index.search(vector, k) if plans is not None else []

    def index(self, part: Partition) -> VectorIndex | None:
        """The nearest-plan index of ``part`` (None when nothing was stored there)."""
        plans = self._plans.get(part)
        return plans.index if plans is not None else None

    def put(self, entry: PolicyEntry) -> None:
        """Insert or replace an entry; one with another text, scope or place is re-indexed."""
        old = self._entries.get(entry.id)
        if old is not None and (
            old.plan_text != entry.plan_text or old.scope != entry.scope or old.place != entry.place
        ):
            self.drop(entry.id)
            old = None
        self._entries[entry.id] = entry
        self._next_id = max(self._next_id, entry.id + 1)
        if old is not None:
            return
        part = (entry.scope, entry.place)
        plans = self._plans.get(part)
        if plans is None:
            plans = self._plans[part] = _Plans(self.dim, self.settings)
        self._signatures[entry.id] = signature(entry.plan_text)
        plans.exact.setdefault(normalise_text(entry.plan_text), entry.id)
        if self._deferred is not None:
            self._deferred.setdefault(part, {})[entry.id] = entry.vector
        else:
            plans.index.add(entry.id, entry.vector)

    def drop(self, entry_id: int) -> PolicyEntry | None:
        """Remove an entry; returns it (None when absent)."""
        entry = self._entries.pop(entry_id, None)
        if entry is None:
            return None
        part = (entry.scope, entry.place)
        if self._deferred is not None:
            self._deferred.get(part, {}).pop(entry_id, None)
        self._signatures.pop(entry_id, None)
        self._parts.pop(entry_id, None)
        plans = self._plans[part]
        plans.index.remove(entry_id)
        key = normalise_text(entry.plan_text)
        if plans.exact.get(key) == entry_id:
            del plans.exact[key]
        return entry

    def clear(self) -> None:
        """Forget every entry (ids already used stay used)."""
        self._entries, self._signatures, self._plans = {}, {}, {}
        self._parts = {}
        if self._deferred is not None:
            self._deferred = {}

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Defer vector indexing until the block ends, then index each partition in one
        batch (one hnswlib build with ``IndexSettings.build_threads``)."""
        if self._deferred is not None:
            yield
            return
        self._deferred = {}
        try:
            yield
        finally:
            deferred, self._deferred = self._deferred, None
            for part, items in deferred.items():
                live = [(i, v) for i, v in items.items() if i in self._entries]
                if live:
                    self._plans[part].index.add_many(
                        [i for i, _ in live], np.stack([v for _, v in live])
                    )
