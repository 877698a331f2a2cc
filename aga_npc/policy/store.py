"""The Lifestyle Policy store: scoped plan -> (condition, actions) memory with fast lookup.

Embedding is the caller's job and happens off the main thread (the brain submits
``embedder.embed`` through the runtime); :meth:`PolicyStore.lookup` then takes the vector
and answers in well under a millisecond (numpy / hnswlib and condition checks, no model).
Everything here runs on the main thread; nothing is thread-safe.

Persistence (optional) is an append-only record log (:mod:`aga_npc.store`): every change
is queued as a record and reaches the disk on :meth:`flush`; :meth:`flush_if_due` flushes at
least once per game hour. See :mod:`aga_npc.policy.persist` for the file format.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.policy.conditions import Condition, check_condition, condition_for_actions
from aga_npc.policy.entries import PolicyEntry, PolicyScope, Provenance, Variant, rescale_actions
from aga_npc.policy.index import IndexSettings, VectorIndex
from aga_npc.policy.matching import MatchSettings, decide_signatures
from aga_npc.policy.persist import EmbeddingCache
from aga_npc.policy.results import LookupReason, LookupResult, StoreStats, better_miss
from aga_npc.policy.signature import Signature, normalise_text, signature
from aga_npc.ports import Embedder, WorldView
from aga_npc.types import Action

__all__ = ["PolicyStore"]

FloatArray = npt.NDArray[np.float32]


class _Scope:
    """One scope's entries: exact-text table and vector index."""

    __slots__ = ("exact", "index")

    def __init__(self, dim: int, settings: IndexSettings) -> None:
        self.exact: dict[str, int] = {}
        self.index = VectorIndex(dim, settings)


class PolicyStore:
    """Plans the town has already worked out, with the conditions under which they work.

    Args:
        embedder: the embedder whose vectors the store holds; supplies ``embedder_name``
            and ``dim``, and is the ``embed_cache`` when it is a ``CachedEmbedder``. Only
            :meth:`lookup_text` calls it; :meth:`lookup` never embeds.
        embedder_name: the embedder's name (stored; checked on load), without ``embedder``.
        dim: vector dimension, without ``embedder``.
        match: the same-plan rule (default: calibrated for ``embedder_name``).
        index: index parameters.
        embed_cache: an embedding cache persisted with the store (new vectors are written
            on flush and loaded back on open).
        flush_every: game minutes between flushes in :meth:`flush_if_due` (<= 60).
        max_variants: variants kept per plan (the least used goes first).
        max_failures: reported execution failures after which a variant is dropped.
    """

    def __init__(
        self,
        *,
        embedder: Embedder | None = None,
        embedder_name: str | None = None,
        dim: int | None = None,
        match: MatchSettings | None = None,
        index: IndexSettings | None = None,
        embed_cache: EmbeddingCache | None = None,
        flush_every: int = 60,
        max_variants: int = 8,
        max_failures: int = 2,
    ) -> None:
        if embedder is not None:
            embedder_name = embedder_name or embedder.name
            dim = dim or embedder.dim
            if embed_cache is None and hasattr(embedder, "take_new"):
                embed_cache = embedder  # type: ignore[assignment]
        if not embedder_name:
            raise ValueError("PolicyStore needs an embedder or an embedder_name")
        if dim is None or dim < 1:
            raise ValueError(
                f"PolicyStore needs the vector dimension (got {dim}); an endpoint embedder "
                "learns it on its first call: embed once or pass dim="
            )
        if not 1 <= flush_every <= 60:
            raise ValueError(f"flush_every must be 1..60 game minutes, got {flush_every}")
        if max_variants < 1 or max_failures < 1:
            raise ValueError("max_variants and max_failures must be >= 1")
        self.embedder = embedder
        self.embedder_name = embedder_name
        self.dim = dim
        self.match = match or MatchSettings.for_embedder(embedder_name)
        self.index_settings = index or IndexSettings()
        self.embed_cache = embed_cache
        self.flush_every = flush_every
        self.max_variants = max_variants
        self.max_failures = max_failures
        self.stats = StoreStats()
        self._entries: dict[int, PolicyEntry] = {}
        self._signatures: dict[int, Signature] = {}
        self._scopes: dict[PolicyScope, _Scope] = {}
        self._next_id = 1
        self._pending: list[dict[str, Any]] = []
        self._log: Any = None  # aga_npc.store.RecordLog when bound to a file
        self._appended = 0
        self._last_flush: int | None = None
        self._file_lock = threading.Lock()  # the log file: main-thread compaction vs a
        # worker's write_records (see flush_async)
        self._deferred: dict[PolicyScope, dict[int, FloatArray]] | None = None

    # -- contents ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, entry_id: int) -> PolicyEntry:
        """The entry with this id. Raises KeyError when absent."""
        return self._entries[entry_id]

    def entries(self, scope: PolicyScope | None = None) -> list[PolicyEntry]:
        """All entries (of one scope), oldest first."""
        return [e for e in self._entries.values() if scope is None or e.scope == scope]

    @staticmethod
    def scopes_for(agent: str, role: str | None = None) -> tuple[PolicyScope, ...]:
        """The lookup order for an agent: its own scope, its role's, then the town's."""
        order = [PolicyScope.agent(agent)]
        if role:
            order.append(PolicyScope.role(role))
        order.append(PolicyScope.town())
        return tuple(order)

    # -- lookup -----------------------------------------------------------------------------

    def lookup_exact(
        self,
        plan_text: str,
        *,
        agent: str,
        world: WorldView,
        role: str | None = None,
        duration: int | None = None,
        game_minute: int = 0,
    ) -> LookupResult:
        """Look up by exact (normalised) text only: no vector needed, so the brain can try
        it before asking for an embedding. Misses are ``NO_CANDIDATE`` or
        ``NO_CONDITION_HELD`` and are not counted in :attr:`stats` (the full
        :meth:`lookup` that follows counts them)."""
        return self._lookup(
            plan_text, None, agent, role, world, duration, game_minute, count_miss=False
        )

    def lookup(
        self,
        plan_text: str,
        vector: FloatArray,
        *,
        agent: str,
        world: WorldView,
        role: str | None = None,
        duration: int | None = None,
        game_minute: int = 0,
    ) -> LookupResult:
        """Find stored actions for ``plan_text`` that can run in ``world`` now.

        Scopes are tried in order agent -> role -> town; in each, the exact text first, then
        the nearest stored plans that pass the same-plan rule, best cosine first; for each
        plan its variants in order; the first condition that holds wins. A hit counts as a
        use (hit count, last use = ``game_minute``).

        Time budget: well under 1 ms at 100k stored plans (no embedding here).

        Args:
            plan_text: the plan as the schedule names it.
            vector: its embedding (from the same embedder as the store's).
            agent: who will act (conditions are evaluated for this agent).
            world: the live world view (or a snapshot).
            role: the agent's role for the role scope (e.g. "barista").
            duration: minutes the new plan should take; actions are rescaled to it.
            game_minute: current game time in minutes since the start.
        """
        vec = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vec.shape[0] != self.dim:
            raise ValueError(f"vector has dim {vec.shape[0]}, store has {self.dim}")
        return self._lookup(plan_text, vec, agent, role, world, duration, game_minute)

    def lookup_text(
        self,
        plan_text: str,
        embedder: Embedder | None = None,
        *,
        agent: str,
        world: WorldView,
        role: str | None = None,
        duration: int | None = None,
        game_minute: int = 0,
    ) -> LookupResult:
        """Embed inline (``embedder`` or the store's own), then :meth:`lookup`.

        Blocking: for offline tools, tests and benchmarks, never the frame loop.
        """
        embedder = embedder or self.embedder
        if embedder is None:
            raise ValueError("lookup_text needs an embedder (the store was built without one)")
        vector = embedder.embed([plan_text])[0]
        return self.lookup(
            plan_text,
            vector,
            agent=agent,
            world=world,
            role=role,
            duration=duration,
            game_minute=game_minute,
        )

    def _lookup(
        self,
        plan_text: str,
        vec: FloatArray | None,
        agent: str,
        role: str | None,
        world: WorldView,
        duration: int | None,
        game_minute: int,
        *,
        count_miss: bool = True,
    ) -> LookupResult:
        key = normalise_text(plan_text)
        query_sig = signature(plan_text)
        miss: LookupResult | None = None
        for scope in self.scopes_for(agent, role):
            sc = self._scopes.get(scope)
            if sc is None:
                continue
            exact_id = sc.exact.get(key)
            if exact_id is not None:
                result = self._try_entry(
                    exact_id, plan_text, 1.0, LookupReason.EXACT_HIT, agent, world, duration
                )
                if result.hit:
                    return self._count(self._touch(result, game_minute))
                miss = better_miss(miss, result)
            if vec is None:
                continue
            for label, cosine in sc.index.search(vec, self.match.candidates):
                if label == exact_id:
                    continue
                entry = self._entries[label]
                decision = decide_signatures(query_sig, self._signatures[label], cosine, self.match)
                if not decision.same:
                    reason = (
                        LookupReason.REJECTED_LOOKALIKE
                        if decision.rule == "lookalike"
                        else LookupReason.NO_CANDIDATE
                    )
                    miss = better_miss(
                        miss,
                        LookupResult(
                            reason=reason,
                            plan_text=plan_text,
                            cosine=cosine,
                            matched_text=entry.plan_text,
                            scope=entry.scope,
                            entry_id=entry.id,
                            detail=decision.reason,
                        ),
                    )
                    continue
                result = self._try_entry(
                    label, plan_text, cosine, LookupReason.SIMILAR_HIT, agent, world, duration
                )
                if result.hit:
                    return self._count(self._touch(result, game_minute))
                miss = better_miss(miss, result)
        if miss is None:
            miss = LookupResult(
                reason=LookupReason.NO_CANDIDATE,
                plan_text=plan_text,
                detail="no stored plans" if not self._entries else "no stored plan near",
            )
        elif miss.reason is LookupReason.NO_CANDIDATE and miss.entry_id is not None:
            miss = replace(miss, entry_id=None, scope=None)  # nothing matched: nothing to join
        return self._count(miss) if count_miss else miss

    def _try_entry(
        self,
        entry_id: int,
        plan_text: str,
        cosine: float,
        reason: LookupReason,
        agent: str,
        world: WorldView,
        duration: int | None,
    ) -> LookupResult:
        entry = self._entries[entry_id]
        failures = []
        for i, variant in enumerate(entry.variants):
            why = check_condition(variant.condition, world, agent)
            if why is None:
                return LookupResult(
                    reason=reason,
                    plan_text=plan_text,
                    cosine=cosine,
                    matched_text=entry.plan_text,
                    scope=entry.scope,
                    entry_id=entry.id,
                    variant_index=i,
                    actions=rescale_actions(variant.actions, duration),
                    detail=f"variant {i} of {len(entry.variants)}",
                )
            failures.append(f"variant {i}: {why}")
        return LookupResult(
            reason=LookupReason.NO_CONDITION_HELD,
            plan_text=plan_text,
            cosine=cosine,
            matched_text=entry.plan_text,
            scope=entry.scope,
            entry_id=entry.id,
            detail="; ".join(failures) or "no variants",
        )

    def _touch(self, result: LookupResult, game_minute: int) -> LookupResult:
        assert result.entry_id is not None and result.variant_index is not None
        entry = self._entries[result.entry_id]
        variants = list(entry.variants)
        v = variants[result.variant_index]
        variants[result.variant_index] = replace(v, hits=v.hits + 1)
        entry = replace(entry, hits=entry.hits + 1, last_use=game_minute, variants=tuple(variants))
        self._entries[entry.id] = entry
        self._queue(
            {
                "t": "hit",
                "id": entry.id,
                "v": result.variant_index,
                "hits": entry.hits,
                "vhits": variants[result.variant_index].hits,
                "last_use": game_minute,
            }
        )
        return result

    def _count(self, result: LookupResult) -> LookupResult:
        self.stats.lookups += 1
        if result.hit:
            self.stats.hits += 1
        else:
            self.stats.misses += 1
        key = result.reason.value
        self.stats.by_reason[key] = self.stats.by_reason.get(key, 0) + 1
        return result

    # -- storing ----------------------------------------------------------------------------

    def add(
        self,
        plan_text: str,
        vector: FloatArray,
        *,
        actions: Sequence[Action],
        scope: PolicyScope,
        provenance: Provenance | None = None,
        condition: Condition | None = None,
        duration: int | None = None,
        into: int | None = None,
    ) -> int:
        """Store a plan's actions after they executed successfully; returns the entry id.

        The new (condition, actions) becomes a variant of entry ``into`` (when given and
        present, e.g. from a ``NO_CONDITION_HELD`` lookup), else of the entry with the same
        text in ``scope``, else of a new entry. An identical variant is not stored twice.

        Args:
            plan_text: the plan.
            vector: its embedding.
            actions: the actions that ran.
            scope: who the policy serves.
            provenance: who decomposed it, when, with which model.
            condition: when the actions work (default: :func:`condition_for_actions`).
            duration: the plan's duration (default: the actions' total).
            into: an existing entry to attach the variant to.
        """
        vec = _unit(vector, self.dim)
        provenance = provenance or Provenance()
        variant = Variant(
            condition=condition if condition is not None else condition_for_actions(actions),
            actions=tuple(actions),
            provenance=provenance,
        )
        target = into if into is not None and into in self._entries else None
        if target is None:
            sc = self._scopes.get(scope)
            target = sc.exact.get(normalise_text(plan_text)) if sc else None
        if target is not None:
            entry = self._entries[target]
            if any(
                v.actions == variant.actions and v.condition == variant.condition
                for v in entry.variants
            ):
                return entry.id
            variants = [*entry.variants, variant]
            if len(variants) > self.max_variants:
                drop = min(range(len(variants) - 1), key=lambda i: (variants[i].hits, i))
                del variants[drop]
            entry = replace(entry, variants=tuple(variants))
        else:
            entry = PolicyEntry(
                id=self._next_id,
                scope=scope,
                plan_text=plan_text,
                vector=vec,
                duration=duration or variant.duration,
                provenance=provenance,
                last_use=provenance.game_minute,
                variants=(variant,),
            )
        self._put(entry)
        self._queue({"t": "put", "entry": entry.to_dict()})
        self.stats.stored += 1
        return entry.id

    def report_failure(self, entry_id: int, variant_index: int) -> bool:
        """A reused variant failed when executed. After ``max_failures`` it is dropped (and
        the entry with it when no variant is left). Returns whether the entry still exists."""
        entry = self._entries.get(entry_id)
        if entry is None or not 0 <= variant_index < len(entry.variants):
            return entry is not None
        variants = list(entry.variants)
        v = replace(variants[variant_index], failures=variants[variant_index].failures + 1)
        if v.failures >= self.max_failures:
            del variants[variant_index]
        else:
            variants[variant_index] = v
        if not variants:
            self.remove(entry_id)
            return False
        entry = replace(entry, variants=tuple(variants))
        self._entries[entry.id] = entry
        self._queue({"t": "put", "entry": entry.to_dict()})
        return True

    def remove(self, entry_id: int) -> None:
        """Forget an entry (no-op when absent)."""
        entry = self._entries.pop(entry_id, None)
        if entry is None:
            return
        if self._deferred is not None:
            self._deferred.get(entry.scope, {}).pop(entry_id, None)
        self._signatures.pop(entry_id, None)
        sc = self._scopes[entry.scope]
        sc.index.remove(entry_id)
        key = normalise_text(entry.plan_text)
        if sc.exact.get(key) == entry_id:
            del sc.exact[key]
        self._queue({"t": "del", "id": entry_id})

    def _put(self, entry: PolicyEntry) -> None:
        """Insert or replace an entry in memory (no log record)."""
        old = self._entries.get(entry.id)
        self._entries[entry.id] = entry
        self._next_id = max(self._next_id, entry.id + 1)
        sc = self._scopes.get(entry.scope)
        if sc is None:
            sc = self._scopes[entry.scope] = _Scope(self.dim, self.index_settings)
        if old is None or old.plan_text != entry.plan_text:
            self._signatures[entry.id] = signature(entry.plan_text)
            sc.exact.setdefault(normalise_text(entry.plan_text), entry.id)
            if self._deferred is not None:
                self._deferred.setdefault(entry.scope, {})[entry.id] = entry.vector
            else:
                sc.index.add(entry.id, entry.vector)

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Defer vector indexing until the block ends, then index in batches.

        For loading many entries at once (store files, tools): one batched hnswlib build
        (with ``IndexSettings.build_threads``) instead of one insert per entry. Lookups
        inside the block do not see the new entries by similarity.
        """
        if self._deferred is not None:
            yield
            return
        self._deferred = {}
        try:
            yield
        finally:
            deferred, self._deferred = self._deferred, None
            for scope, items in deferred.items():
                live = [(i, v) for i, v in items.items() if i in self._entries]
                if live:
                    self._scopes[scope].index.add_many(
                        [i for i, _ in live], np.stack([v for _, v in live])
                    )

    def _queue(self, record: dict[str, Any]) -> None:
        if self._log is not None:
            self._pending.append(record)

    # -- persistence ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        embedder: Embedder | None = None,
        embedder_name: str | None = None,
        dim: int | None = None,
        recover: bool = False,
        **options: Any,
    ) -> PolicyStore:
        """Open (or create) the store file at ``path`` and bind the store to it.

        Args:
            path: the policy log file.
            embedder: as in the constructor.
            embedder_name: must match the file's embedder (vectors are model-specific).
            dim: vector dimension.
            recover: load the valid prefix of a damaged file (a copy is kept) instead of
                raising.
            **options: passed to the constructor (``match``, ``embed_cache``, ...).

        Raises:
            CorruptFileError: the file is damaged (names file and byte; a copy is kept).
            SchemaVersionError: written by a newer aga_npc.
            StoreError: written with another embedder or dimension.
        """
        from aga_npc.policy.persist import open_store

        store = cls(embedder=embedder, embedder_name=embedder_name, dim=dim, **options)
        open_store(store, path, recover=recover)
        return store

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the whole store compactly (atomic replace) and bind to ``path``.

        Without ``path``, compacts the bound file.
        """
        from aga_npc.policy.persist import save_store

        save_store(self, path)

    def flush(self) -> int:
        """Make every change so far durable; returns the records written (0 when unbound)."""
        from aga_npc.policy.persist import flush_store

        return flush_store(self)

    def flush_async(self, submit: Callable[..., Any]) -> int:
        """Flush without blocking the caller on disk: the queued records are taken here
        (cheap) and ``submit(fn, *args)`` runs the write and fsync elsewhere, e.g.
        ``lambda fn, *a: gateway.submit_call(fn, *a, kind="policy_flush")``.

        Returns the records handed over. Entries added meanwhile wait for the next flush.
        """
        from aga_npc.policy.persist import take_records, write_records

        records = take_records(self)
        if records:
            submit(write_records, self, records)
        return len(records)

    def flush_if_due(self, game_minute: int, *, submit: Callable[..., Any] | None = None) -> bool:
        """Flush when ``flush_every`` game minutes have passed since the last flush.

        Call it every game minute (or every frame); it flushes at least once per game hour.
        With ``submit`` the write goes through :meth:`flush_async` (frame loops).
        Returns whether it flushed.
        """
        if self._last_flush is None:
            self._last_flush = game_minute
            return False
        if game_minute - self._last_flush < self.flush_every:
            return False
        if submit is None:
            self.flush()
        else:
            self.flush_async(submit)
        self._last_flush = game_minute
        return True

    def close(self) -> None:
        """Flush and release the file."""
        if self._log is not None:
            self.flush()
            self._log.close()
            self._log = None

    def __enter__(self) -> PolicyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unit(vector: FloatArray, dim: int) -> FloatArray:
    vec = np.asarray(vector, dtype=np.float32).reshape(-1)
    if vec.shape[0] != dim:
        raise ValueError(f"vector has dim {vec.shape[0]}, store has {dim}")
    norm = float(np.linalg.norm(vec))
    if not np.isfinite(norm) or norm == 0.0:
        raise ValueError("vector must be finite and non-zero")
    return vec / norm
