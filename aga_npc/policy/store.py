"""The Lifestyle Policy store: scoped plan-at-a-place -> (condition, actions) memory.

Embedding is the caller's job and happens off the main thread (the brain submits
``embedder.embed`` through the runtime); :meth:`PolicyStore.lookup` then takes the vector
(or none, for exact text only) and answers in well under a millisecond (numpy / hnswlib and
condition checks, no model). Everything here runs on the main thread; nothing is
thread-safe.

Plans are kept per scope and place: a lookup for "have lunch" at ``@home`` sees only
routines stored for ``@home``, exact and similar. Variants are tried in order; a variant
that fails at run time is moved behind the others and dropped after ``max_failures``
failures in a row (:meth:`PolicyStore.report_failure`).

Persistence (optional) belongs to :class:`aga_npc.policy.persist.PolicyJournal`: every
change is queued as a record and reaches the disk on :meth:`PolicyStore.flush`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from aga_npc.errors import StoreError
from aga_npc.policy.combiner import phrase_vectors
from aga_npc.policy.conditions import Condition
from aga_npc.policy.entries import PolicyEntry, PolicyScope, Provenance, Variant
from aga_npc.policy.index import IndexSettings, VectorIndex
from aga_npc.policy.matching import MatchSettings, embedding_texts
from aga_npc.policy.persist import VERSION, EmbeddingCache, PolicyJournal, Recovery
from aga_npc.policy.requirements import routine_condition
from aga_npc.policy.results import FailureVerdict, LookupResult, StoreStats
from aga_npc.policy.search import Query, find_routine
from aga_npc.policy.signature import signature
from aga_npc.policy.table import PlanTable
from aga_npc.ports import Embedder, WorldView
from aga_npc.types import Action

__all__ = ["DecodedPolicy", "PolicyDecoder", "PolicyStore"]

FloatArray = npt.NDArray[np.float32]


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
        flush_every: game minutes between flushes in :meth:`flush_if_due` (1..60).
        max_variants: variants kept per plan (the least used goes first).
        max_failures: run-time failures in a row after which a variant is evicted.
        vector_of: where the vectors of plan parts are read for the learned same-plan rule
            (text -> vector or None; never embeds). Default: the embedder's cache
            (``cached``), when it has one. The caller embeds the parts with the plan text:
            ``embedder.embed(embedding_texts(text))`` (:mod:`aga_npc.policy.matching`);
            a lookup whose parts are not cached falls back to the cosine needs.
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
        vector_of: Callable[[str], FloatArray | None] | None = None,
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
        if vector_of is None and embedder is not None:
            vector_of = getattr(embedder, "cached", None)
        self.vector_of = vector_of
        self.embedder_name = embedder_name
        self.dim = dim
        self.match = match or MatchSettings.for_embedder(embedder_name)
        self.index_settings = index or IndexSettings()
        self.embed_cache = embed_cache
        self.flush_every = flush_every
        self.max_variants = max_variants
        self.max_failures = max_failures
        self.stats = StoreStats()
        self._table = PlanTable(dim, self.index_settings)
        self._journal: PolicyJournal | None = None

    # -- contents ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._table)

    def get(self, entry_id: int) -> PolicyEntry:
        """The entry with this id. Raises KeyError when absent."""
        return self._table.get(entry_id)

    def entries(
        self, scope: PolicyScope | None = None, place: str | None = None
    ) -> list[PolicyEntry]:
        """All entries (of one scope, at one place), oldest first."""
        return self._table.entries(scope, place)

    @staticmethod
    def scopes_for(agent: str, role: str | None = None) -> tuple[PolicyScope, ...]:
        """The default lookup order: the agent's own scope, its role's, then the town's."""
        order = [PolicyScope.agent(agent)]
        if role:
            order.append(PolicyScope.role(role))
        order.append(PolicyScope.town())
        return tuple(order)

    def vector_index(self, scope: PolicyScope, place: str) -> VectorIndex | None:
        """The nearest-plan index of one scope at one place (tools and benchmarks read it;
        None when nothing was stored there)."""
        return self._table.index((scope, place))

    @property
    def journal(self) -> PolicyJournal | None:
        """The file's journal, or None when the store lives in memory only."""
        return self._journal

    # -- lookup -----------------------------------------------------------------------------

    def lookup(
        self,
        plan_text: str,
        vector: FloatArray | None,
        *,
        place: str,
        agent: str,
        world: WorldView,
        scopes: Sequence[PolicyScope] | None = None,
        role: str | None = None,
        duration: int | None = None,
        game_minute: int = 0,
    ) -> LookupResult:
        """Find stored actions for ``plan_text`` at ``place`` that can run in ``world`` now.

        Scopes are tried in order (default :meth:`scopes_for`); in each, only plans stored
        for ``place``: the exact text first, then (with a vector) the nearest stored plans
        that pass the same-plan rule, best cosine first; for each plan its variants in
        order; the first condition that holds wins. A hit counts as a use (hit count, last
        use = ``game_minute``).

        Time budget: well under 1 ms at 100k stored plans (no embedding here).

        Args:
            plan_text: the activity as the schedule names it (without the place).
            vector: its embedding (from the store's embedder), or None for exact text only.
            place: where it is planned (``@home``, ``@work`` or a sector name).
            agent: who will act (conditions are evaluated for this agent).
            world: the live world view (or a snapshot).
            scopes: the scopes to try, in order.
            role: the agent's role, for the default scope order.
            duration: minutes the new plan should take; actions are rescaled to it.
            game_minute: current game time in minutes since the start.
        """
        vec = None
        if vector is not None:
            vec = np.asarray(vector, dtype=np.float32).reshape(-1)
            if vec.shape[0] != self.dim:
                raise ValueError(f"vector has dim {vec.shape[0]}, store has {self.dim}")
        order = tuple(scopes) if scopes is not None else self.scopes_for(agent, role)
        parts = None
        if vec is not None and self.match.learned is not None and self.vector_of is not None:
            parts = phrase_vectors(signature(plan_text), vec, self.vector_of)
        query = Query(
            text=plan_text,
            vector=vec,
            place=place,
            agent=agent,
            world=world,
            duration=duration,
            parts=parts,
        )
        result = find_routine(self._table, query, order, self.match, self.vector_of)
        if result.hit:
            result = self._touch(result, game_minute)
        return self._count(result)

    def lookup_exact(
        self,
        plan_text: str,
        *,
        place: str,
        agent: str,
        world: WorldView,
        scopes: Sequence[PolicyScope] | None = None,
        role: str | None = None,
        duration: int | None = None,
        game_minute: int = 0,
    ) -> LookupResult:
        """Look up by exact (normalised) text only: no vector needed, so the brain can try
        it before asking for an embedding. Misses are ``NO_CANDIDATE`` or
        ``NO_CONDITION_HELD`` and are not counted in :attr:`stats` (the full
        :meth:`lookup` that follows counts them)."""
        order = tuple(scopes) if scopes is not None else self.scopes_for(agent, role)
        query = Query(
            text=plan_text, vector=None, place=place, agent=agent, world=world, duration=duration
        )
        result = find_routine(self._table, query, order, self.match)
        if not result.hit:
            return result
        return self._count(self._touch(result, game_minute))

    def lookup_text(
        self,
        plan_text: str,
        embedder: Embedder | None = None,
        **options: Any,
    ) -> LookupResult:
        """Embed inline (``embedder`` or the store's own; the text with its parts,
        :func:`~aga_npc.policy.matching.embedding_texts`, so a caching embedder holds the
        parts for the learned rule), then :meth:`lookup` with ``options`` (``place``,
        ``agent``, ``world``, ...).

        Blocking: for offline tools, tests and benchmarks, never the frame loop.
        """
        embedder = embedder or self.embedder
        if embedder is None:
            raise ValueError("lookup_text needs an embedder (the store was built without one)")
        return self.lookup(plan_text, embedder.embed(embedding_texts(plan_text))[0], **options)

    def _touch(self, result: LookupResult, game_minute: int) -> LookupResult:
        assert result.entry_id is not None and result.variant_index is not None
        entry = self._table.get(result.entry_id)
        variants = list(entry.variants)
        v = variants[result.variant_index]
        variants[result.variant_index] = replace(v, hits=v.hits + 1)
        entry = replace(entry, hits=entry.hits + 1, last_use=game_minute, variants=tuple(variants))
        self._table.put(entry)
        self._record(
            {
                "t": "hit",
                "id": entry.id,
                "vid": v.id,
                "hits": entry.hits,
                "vhits": v.hits + 1,
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

    # -- changes ----------------------------------------------------------------------------

    def add(
        self,
        plan_text: str,
        vector: FloatArray,
        *,
        place: str,
        actions: Sequence[Action],
        scope: PolicyScope,
        provenance: Provenance | None = None,
        condition: Condition | None = None,
        world: WorldView | None = None,
        agent: str = "",
        duration: int | None = None,
        into: int | None = None,
    ) -> int:
        """Store ``actions`` for ``plan_text`` at ``place``; returns the entry id.

        The same text in the same scope and place (or the entry ``into``, when it is of the
        same scope and place) gets the routine as another variant; an identical variant is
        not added twice. Beyond ``max_variants`` the least used variant goes.

        Args:
            plan_text: the activity words (without the place).
            vector: the embedding of ``plan_text``.
            place: where it is planned (``@home``, ``@work`` or a sector); every action
                target must lie there.
            actions: the actions that ran (targets with place symbols).
            scope: who the policy serves.
            provenance: who decomposed it, when, with which model.
            condition: when the actions work (default:
                :func:`aga_npc.policy.requirements.routine_condition` with ``world``).
            world: the world the routine ran in (for the default condition).
            agent: who ran it (for the default condition).
            duration: the plan's duration (default: the actions' total).
            into: an entry to attach the variant to (a near miss from :meth:`lookup`).

        Raises:
            ValueError: a bad vector, or an action target outside ``place``.
        """
        vec = _unit(vector, self.dim)
        provenance = provenance or Provenance()
        if condition is None:
            condition = routine_condition(actions, place=place, world=world, agent=agent)
        variant = Variant(condition=condition, actions=tuple(actions), provenance=provenance)
        target = self._table.find(into)
        if target is None or target.scope != scope or target.place != place:
            target = self._table.find(self._table.exact((scope, place), plan_text))
        if target is not None:
            if any(
                v.actions == variant.actions and v.condition == variant.condition
                for v in target.variants
            ):
                return target.id
            variants = [*target.variants, replace(variant, id=target.next_variant)]
            if len(variants) > self.max_variants:
                drop = min(range(len(variants) - 1), key=lambda i: (variants[i].hits, i))
                del variants[drop]
            entry = replace(target, variants=tuple(variants), next_variant=target.next_variant + 1)
        else:
            entry = PolicyEntry(
                id=self._table.next_id,
                scope=scope,
                plan_text=plan_text,
                place=place,
                vector=vec,
                duration=duration or variant.duration,
                provenance=provenance,
                last_use=provenance.game_minute,
                variants=(variant,),
                next_variant=1,
            )
        self.restore(entry)
        self._record({"t": "put", "entry": entry.to_dict()})
        self.stats.stored += 1
        return entry.id

    def report_failure(self, entry_id: int, variant_id: int, *, why: str = "") -> FailureVerdict:
        """A reused variant failed when executed (``why`` is for logs only).

        The variant goes behind the entry's other variants; after ``max_failures``
        failures in a row it is evicted, and the entry with it when no variant is left.
        """
        entry = self._table.find(entry_id)
        variant = entry.variant(variant_id) if entry is not None else None
        if entry is None or variant is None:
            return FailureVerdict.UNKNOWN
        self.stats.failures += 1
        others = [v for v in entry.variants if v.id != variant_id]
        failed = replace(variant, failures=variant.failures + 1)
        if failed.failures < self.max_failures:
            verdict = FailureVerdict.DEMOTED
            self.stats.demoted += 1
            others.append(failed)
        elif others:
            verdict = FailureVerdict.EVICTED
            self.stats.evicted += 1
        else:
            self.stats.evicted += 1
            self.stats.removed += 1
            self.remove(entry_id)
            return FailureVerdict.REMOVED
        self._replace(replace(entry, variants=tuple(others)))
        return verdict

    def report_success(self, entry_id: int, variant_id: int) -> bool:
        """A reused variant ran to its end: counted, and its failures in a row are forgiven.
        Returns whether the variant still exists."""
        entry = self._table.find(entry_id)
        variant = entry.variant(variant_id) if entry is not None else None
        if entry is None or variant is None:
            return False
        self.stats.successes += 1
        done = replace(variant, successes=variant.successes + 1, failures=0)
        self._replace(
            replace(
                entry, variants=tuple(done if v.id == variant_id else v for v in entry.variants)
            )
        )
        return True

    def remove(self, entry_id: int) -> None:
        """Forget an entry (no-op when absent)."""
        if self._table.drop(entry_id) is not None:
            self._record({"t": "del", "id": entry_id})

    def _replace(self, entry: PolicyEntry) -> None:
        """Swap an entry's counters or variants (same text, scope and place) and record it."""
        self._table.put(entry)
        self._record({"t": "put", "entry": entry.to_dict()})

    def _record(self, record: dict[str, Any]) -> None:
        if self._journal is not None:
            self._journal.queue(record)

    # -- loading (no records) ---------------------------------------------------------------

    def restore(self, entry: PolicyEntry) -> None:
        """Insert or replace an entry as loaded (from a file or a saved state); writes no
        record. Replacing an entry with another text, scope or place re-indexes it."""
        self._table.put(entry)

    def restore_use(
        self, entry_id: int, variant_id: int, *, hits: int, variant_hits: int, last_use: int
    ) -> None:
        """Set a reuse's counters as loaded (no-op for a forgotten entry); writes no record.

        Raises:
            ValueError: the entry has no such variant.
        """
        entry = self._table.find(entry_id)
        if entry is None:
            return
        if entry.variant(variant_id) is None:
            raise ValueError(f"a hit names variant {variant_id} of entry {entry_id}")
        variants = tuple(
            replace(v, hits=variant_hits) if v.id == variant_id else v for v in entry.variants
        )
        self._table.put(replace(entry, hits=hits, last_use=last_use, variants=variants))

    def bulk_load(self) -> contextlib.AbstractContextManager[None]:
        """Defer vector indexing until the block ends, then index in batches.

        For loading many entries at once (store files, tools): one batched hnswlib build
        (with ``IndexSettings.build_threads``) instead of one insert per entry. Lookups
        inside the block do not see the new entries by similarity.
        """
        return self._table.bulk_load()

    # -- state ------------------------------------------------------------------------------

    def get_state(self) -> dict[str, Any]:
        """Every entry and counter as plain (msgpack-able) data (town saves)."""
        return {
            "format": VERSION,
            "embedder": self.embedder_name,
            "dim": self.dim,
            "next_id": self._table.next_id,
            "entries": [e.to_dict() for e in self._table.entries()],
            "stats": self.stats.to_dict(),
        }

    def decoder(self) -> PolicyDecoder:
        """What decodes a saved state of this store on a worker (frame thread: O(1))."""
        return PolicyDecoder(
            embedder_name=self.embedder_name, dim=self.dim, index_settings=self.index_settings
        )

    def set_state(self, state: Mapping[str, Any] | DecodedPolicy) -> None:
        """Replace the contents with :meth:`get_state`'s, or with what :meth:`decoder` made
        of them on a worker (then only a swap here); all or nothing. A bound file is
        rewritten to match.

        Raises:
            StoreError: another embedder or dimension, or routines from before places.
            ValueError: a malformed entry (names its field).
        """
        decoded = state if isinstance(state, DecodedPolicy) else self.decoder()(state)
        if decoded.embedder_name != self.embedder_name or decoded.dim != self.dim:
            raise StoreError(
                f"decoded routines were embedded with {decoded.embedder_name!r} (dim "
                f"{decoded.dim}), this store uses {self.embedder_name!r} (dim {self.dim})"
            )
        self._table = decoded.table
        self.stats = decoded.stats
        if self._journal is not None:
            self._journal.compact(self)

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
            PolicyFileLocked: another process (or store) is writing the file.
            CorruptFileError: the file is damaged (names file and byte; a copy is kept).
            SchemaVersionError: written by a newer aga_npc.
            StoreError: written with another embedder or dimension, or in the old format.
        """
        store = cls(embedder=embedder, embedder_name=embedder_name, dim=dim, **options)
        store.attach(
            PolicyJournal.open(
                path,
                store,
                recover=recover,
                embed_cache=store.embed_cache,
                flush_every=store.flush_every,
            )
        )
        return store

    @property
    def recovery(self) -> Recovery | None:
        """What :meth:`open` with ``recover=True`` salvaged from a damaged file (None when
        the file was intact or the store has no file)."""
        return self._journal.recovery if self._journal is not None else None

    def attach(self, journal: PolicyJournal) -> None:
        """Bind the store to a journal holding its contents (:meth:`open` and :meth:`save`
        do this); a previous journal is closed without a flush."""
        if self._journal is not None and self._journal is not journal:
            self._journal.close()
        self._journal = journal

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the whole store compactly (atomic replace) and bind to ``path``.

        Without ``path``, compacts the bound file.
        """
        if path is None:
            if self._journal is None:
                raise StoreError("the policy store is not bound to a file: pass a path to save()")
            self._journal.compact(self)
            return
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self.attach(
            PolicyJournal.create(
                path, self, embed_cache=self.embed_cache, flush_every=self.flush_every
            )
        )

    def flush(self) -> int:
        """Make every change so far durable; returns the records written (0 when unbound)."""
        return self._journal.flush(self) if self._journal is not None else 0

    def flush_async(self, submit: Callable[..., Any]) -> int:
        """Flush without blocking the caller on disk: the queued records are taken here
        (cheap) and ``submit(fn, *args)`` runs the write and fsync elsewhere, e.g.
        ``lambda fn, *a: gateway.submit_call(fn, *a, kind="policy_flush")``.

        Returns the records handed over. Entries added meanwhile wait for the next flush.
        """
        if self._journal is None:
            return 0
        records = self._journal.take()
        if records:
            submit(self._journal.write, records)
        return len(records)

    def flush_if_due(self, game_minute: int, *, submit: Callable[..., Any] | None = None) -> bool:
        """Flush when ``flush_every`` game minutes have passed since the last flush.

        Call it every game minute (or every frame); it flushes at least once per game hour.
        With ``submit`` the write goes through :meth:`flush_async` (frame loops).
        Returns whether it flushed (never for a store without a file).
        """
        if self._journal is None or not self._journal.due(game_minute):
            return False
        if submit is None:
            self.flush()
        else:
            self.flush_async(submit)
        return True

    def close(self) -> None:
        """Flush and release the file."""
        if self._journal is not None:
            self.flush()
            self._journal.close()
            self._journal = None

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


@dataclass(frozen=True, slots=True)
class DecodedPolicy:
    """A saved store's routines decoded into a new table (its index built), ready to be
    swapped in by :meth:`PolicyStore.set_state`. Made by :class:`PolicyDecoder`."""

    embedder_name: str
    dim: int
    table: PlanTable
    stats: StoreStats


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyDecoder:
    """Decodes a saved store state into a :class:`DecodedPolicy`, touching no live store:
    every entry parsed and checked, the table and its vector index built. Safe on a worker
    thread (a town load decodes here, then the frame thread only swaps)."""

    embedder_name: str
    dim: int
    index_settings: IndexSettings

    def __call__(self, state: Mapping[str, Any]) -> DecodedPolicy:
        """Raises:
        StoreError: another embedder or dimension, or routines from before places.
        ValueError: a malformed entry (names its field)."""
        if int(state.get("format", 1)) < VERSION:
            raise StoreError(
                "saved routines from before routines carried their place cannot be reused"
            )
        if state.get("embedder") != self.embedder_name or state.get("dim") != self.dim:
            raise StoreError(
                f"saved routines were embedded with {state.get('embedder')!r} (dim "
                f"{state.get('dim')}), this store uses {self.embedder_name!r} (dim {self.dim})"
            )
        entries = [PolicyEntry.from_dict(e, dim=self.dim) for e in state.get("entries", [])]
        stats = StoreStats.from_dict(state.get("stats", {}))
        table = PlanTable(self.dim, self.index_settings)
        table.reserve_ids(int(state.get("next_id", 1)))
        with table.bulk_load():
            for entry in entries:
                table.put(entry)
        return DecodedPolicy(
            embedder_name=self.embedder_name, dim=self.dim, table=table, stats=stats
        )
