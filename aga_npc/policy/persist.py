"""The policy store's file: :class:`PolicyJournal` owns the record log, the records waiting to
be written, the file lock, the write counters and the flush cadence.

The file is an ``aga_npc.store`` record log. Header meta: ``{"embedder": name, "dim": d}``.
Records (msgpack maps):

- ``{"t": "put", "entry": PolicyEntry.to_dict()}``: insert or replace an entry;
- ``{"t": "hit", "id", "vid", "hits", "vhits", "last_use"}``: a reuse of variant ``vid``
  (absolute counters);
- ``{"t": "del", "id"}``: an entry was forgotten;
- ``{"t": "emb", "text", "vec"}``: an embedding-cache vector (float32 little-endian bytes).

Replaying the records in order rebuilds the store (through its public ``restore``,
``restore_use`` and ``remove``). Compaction rewrites the file atomically as one ``put`` per
entry plus the cache.

One writer per file: the journal holds an OS lock on ``<file>.lock``
(:class:`aga_npc.store.lock.FileLock`) from open to close, so a second process (or a second
store in this one) opening the same file for writing gets
:class:`~aga_npc.errors.PolicyFileLocked` at once instead of interleaving its appends and
compactions with the first writer's (which lost or corrupted records). There is no
read-only mode: a run that wants the learned routines without the writer gives itself a
copy of the file.

Format 2 (issue 15) stores each routine's place and stable variant ids; plan vectors embed
the activity words alone. Format 1 files (place folded into the plan text) are refused with
a :class:`~aga_npc.errors.StoreError` that says what to do.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from aga_npc.errors import CorruptFileError, StoreError
from aga_npc.policy.conditions import ConditionError
from aga_npc.policy.entries import PolicyEntry
from aga_npc.store.lock import FileLock

if TYPE_CHECKING:
    from aga_npc.store import LogContents, RecordLog

__all__ = [
    "COMPACT_SLACK",
    "SCHEMA",
    "VERSION",
    "EmbeddingCache",
    "JournalTarget",
    "PolicyJournal",
    "Recovery",
]

SCHEMA = "aga_npc.policy"
VERSION = 2
COMPACT_SLACK = 1024

FloatArray = npt.NDArray[np.float32]


class EmbeddingCache(Protocol):
    """What the store needs of an embedding cache (``aga_npc.embed.CachedEmbedder``)."""

    def take_new(self) -> list[tuple[str, FloatArray]]: ...

    def items(self) -> list[tuple[str, FloatArray]]: ...

    def load(self, items: Iterable[tuple[str, FloatArray]]) -> int: ...


class JournalTarget(Protocol):
    """What the journal needs of the store it persists (``PolicyStore``)."""

    embedder_name: str
    dim: int

    def __len__(self) -> int: ...

    def entries(self) -> list[PolicyEntry]: ...

    def restore(self, entry: PolicyEntry) -> None: ...

    def restore_use(
        self, entry_id: int, variant_id: int, *, hits: int, variant_hits: int, last_use: int
    ) -> None: ...

    def remove(self, entry_id: int) -> None: ...

    def bulk_load(self) -> AbstractContextManager[None]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Recovery:
    """What ``recover=True`` salvaged from a damaged policy file.

    Attributes:
        path: the policy file (now rewritten with what was kept).
        entries_kept: routines loaded from the valid part.
        records_kept: records before the damage that were replayed.
        damaged_copy: where the damaged file was copied before it was rewritten.
        reason: what was wrong (file, byte offset, why).
    """

    path: str
    entries_kept: int
    records_kept: int
    damaged_copy: str
    reason: str

    def describe(self) -> str:
        """One line for a log or a HUD."""
        return (
            f"recovered {self.path}: kept {self.entries_kept} routines "
            f"({self.records_kept} records before the damage); the damaged file was copied "
            f"to {self.damaged_copy} ({self.reason})"
        )


def _meta(target: JournalTarget) -> dict[str, Any]:
    return {"embedder": target.embedder_name, "dim": target.dim}


class _Batch(list[dict[str, Any]]):
    """Records taken by :meth:`PolicyJournal.take`: written at most once."""

    __slots__ = ("written",)

    def __init__(self, records: list[dict[str, Any]]) -> None:
        super().__init__(records)
        self.written = False


class PolicyJournal:
    """The store's changes on their way to its file.

    The store queues one record per change (:meth:`queue`); :meth:`flush` writes them
    durably (fsync) and compacts the file when it has grown well past the live contents;
    :meth:`take` + :meth:`write` split a flush so the write runs on a worker thread; a
    taken batch stays owed until it is written, so a flush (and so a close) writes batches
    whose worker write never ran (a cancelled job loses nothing).
    :meth:`due` says when the next flush is due (at least every ``flush_every`` game
    minutes). Main thread only, except :meth:`write` (guarded by the file lock, which
    compaction takes too).

    Build with :meth:`open` (load an existing file into a store) or :meth:`create`.

    Args:
        log: the open record log.
        embed_cache: the embedding cache persisted with the store (new vectors are written
            on flush), or None.
        flush_every: game minutes between flushes in :meth:`due` (1..60).
    """

    def __init__(
        self,
        log: RecordLog,
        *,
        embed_cache: EmbeddingCache | None = None,
        flush_every: int = 60,
        file_lock: FileLock | None = None,
    ) -> None:
        if not 1 <= flush_every <= 60:
            raise ValueError(f"flush_every must be 1..60 game minutes, got {flush_every}")
        self.embed_cache = embed_cache
        self.recovery: Recovery | None = None
        self._file_lock = file_lock
        self.flush_every = flush_every
        self._log: RecordLog | None = log
        self._pending: list[dict[str, Any]] = []
        self._owed: list[_Batch] = []  # taken, not yet written (guarded by _lock)
        self._lock = threading.Lock()
        self._appended = 0
        self._last_flush: int | None = None

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        target: JournalTarget,
        *,
        recover: bool = False,
        embed_cache: EmbeddingCache | None = None,
        flush_every: int = 60,
    ) -> PolicyJournal:
        """Load the file at ``path`` (created when missing) into the empty ``target``.

        With ``recover=True`` a damaged file keeps its valid records (a copy of the damaged
        file is kept first) and :attr:`recovery` says what was salvaged.

        Raises:
            PolicyFileLocked: another writer has the file open.
            CorruptFileError: the file is damaged (names file and byte; a copy is kept).
            SchemaVersionError: written by a newer aga_npc.
            StoreError: written with another embedder or dimension, or in format 1.
        """
        from aga_npc.store import RecordLog, backup_file

        name = os.fspath(path)
        file_lock = FileLock(path)
        try:
            log, contents = RecordLog.open(
                path, schema=SCHEMA, version=VERSION, meta=_meta(target), recover=recover
            )
        except BaseException:
            file_lock.release()
            raise
        kept = contents.kept_copy
        try:
            _check_header(name, contents, target)
            with target.bulk_load():
                bad, replayed = _replay(target, contents, name, embed_cache)
            if bad is not None:
                kept = str(backup_file(path, "corrupt"))
                if not recover:
                    raise CorruptFileError(
                        name,
                        bad.offset,
                        f"{bad.reason}; a copy was kept at {kept}; open with recover=True to "
                        "keep the valid records before this point",
                    )
        except BaseException:
            log.close()
            file_lock.release()
            raise
        journal = cls(log, embed_cache=embed_cache, flush_every=flush_every, file_lock=file_lock)
        damage = bad or contents.damage
        if damage is not None:
            journal.recovery = Recovery(
                path=name,
                entries_kept=len(target),
                records_kept=replayed,
                damaged_copy=kept,
                reason=damage.reason,
            )
            journal.compact(target)
        return journal

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        target: JournalTarget,
        *,
        embed_cache: EmbeddingCache | None = None,
        flush_every: int = 60,
    ) -> PolicyJournal:
        """Write ``target``'s whole contents to a new file at ``path`` (atomic replace)."""
        from aga_npc.store import RecordLog

        file_lock = FileLock(path)
        try:
            log = RecordLog.create(path, schema=SCHEMA, version=VERSION, meta=_meta(target))
        except BaseException:
            file_lock.release()
            raise
        journal = cls(log, embed_cache=embed_cache, flush_every=flush_every, file_lock=file_lock)
        journal.compact(target)
        return journal

    # -- recording --------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The file (empty once closed)."""
        return os.fspath(self._log.path) if self._log is not None else ""

    def queue(self, record: dict[str, Any]) -> None:
        """Queue one change record for the next flush."""
        if self._log is not None:
            self._pending.append(record)

    def pending_count(self) -> int:
        """Records queued and not yet taken."""
        return len(self._pending)

    def take(self) -> list[dict[str, Any]]:
        """The queued records plus new cache vectors, taken off the queue (cheap).

        The batch is owed until :meth:`write` gets it; :meth:`flush` writes owed batches
        first, so a batch whose worker write was cancelled still reaches the file.
        """
        if self._log is None:
            self._pending.clear()
            return []
        records = _Batch(self._pending)
        self._pending = []
        if self.embed_cache is not None:
            for text, vec in self.embed_cache.take_new():
                records.append({"t": "emb", "text": text, "vec": _vec_bytes(vec)})
        if records:
            with self._lock:
                self._owed.append(records)
        return records

    def write(self, records: list[dict[str, Any]]) -> int:
        """Append ``records`` and make them durable (fsync). Safe on a worker thread.

        A batch from :meth:`take` is written once: when a flush already wrote it, this
        writes nothing. Returns the records written (0 once closed).
        """
        with self._lock:
            return self._write_locked(records)

    def _write_locked(self, records: list[dict[str, Any]]) -> int:
        log = self._log
        if log is None or not records:
            return 0
        batches: list[list[dict[str, Any]]] = [records]
        if isinstance(records, _Batch):
            if records.written:
                return 0
            # Batches taken earlier go first, so the file keeps the order of the changes.
            at = next((i for i, b in enumerate(self._owed) if b is records), len(self._owed))
            taken = [*self._owed[:at], records]
            for done in taken:
                done.written = True
            del self._owed[: at + 1]
            batches = list(taken)
        count = 0
        for chunk in batches:
            for record in chunk:
                log.append(record)
            count += len(chunk)
        log.flush()
        self._appended += count
        return count

    def _write_owed(self) -> int:
        """Write every taken batch whose worker write has not run yet, oldest first."""
        with self._lock:
            return sum(self._write_locked(batch) for batch in list(self._owed))

    def flush(self, target: JournalTarget) -> int:
        """Write what is owed and queued; compact when the file holds more than three times
        the live contents (plus slack). Returns the records written."""
        written = self._write_owed()
        written += self.write(self.take())
        cache = len(self.embed_cache.items()) if self.embed_cache is not None else 0
        if self._log is not None and self._appended > 3 * (len(target) + cache) + COMPACT_SLACK:
            self.compact(target)
        return written

    def compact(self, target: JournalTarget) -> None:
        """Rewrite the file atomically as ``target``'s live contents; drops the queue."""
        records: list[dict[str, Any]] = [
            {"t": "put", "entry": e.to_dict()} for e in target.entries()
        ]
        if self.embed_cache is not None:
            self.embed_cache.take_new()
            records += [
                {"t": "emb", "text": text, "vec": _vec_bytes(vec)}
                for text, vec in self.embed_cache.items()
            ]
        if self._log is None:
            raise StoreError("the policy journal is closed")
        with self._lock:
            self._log.rewrite(records, meta=_meta(target))
            self._appended = 0
            for batch in self._owed:  # the rewrite holds their changes
                batch.written = True
            self._owed.clear()
        self._pending.clear()

    def due(self, game_minute: int) -> bool:
        """Whether ``flush_every`` game minutes have passed since the last flush; the first
        call starts the count. A True answer counts as a flush (restarts the count)."""
        if self._last_flush is None or game_minute < self._last_flush:
            self._last_flush = game_minute
            return False
        if game_minute - self._last_flush < self.flush_every:
            return False
        self._last_flush = game_minute
        return True

    def close(self) -> None:
        """Release the file and its lock (flush first: :meth:`flush`)."""
        with self._lock:
            if self._log is not None:
                self._log.close()
                self._log = None
            if self._file_lock is not None:
                self._file_lock.release()
                self._file_lock = None
        self._pending.clear()

    # -- state ------------------------------------------------------------------------------

    def get_state(self) -> dict[str, Any]:
        """The cadence and counters as plain data (the records live in the file)."""
        return {
            "flush_every": self.flush_every,
            "last_flush": self._last_flush,
            "appended": self._appended,
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore :meth:`get_state`.

        Raises:
            ValueError: a value is out of range.
        """
        every = int(state["flush_every"])
        if not 1 <= every <= 60:
            raise ValueError(f"flush_every must be 1..60 game minutes, got {every}")
        appended = int(state.get("appended", 0))
        if appended < 0:
            raise ValueError(f"appended must be >= 0, got {appended}")
        last = state.get("last_flush")
        self.flush_every = every
        self._last_flush = None if last is None else int(last)
        self._appended = appended


def _check_header(name: str, contents: LogContents, target: JournalTarget) -> None:
    if contents.version < VERSION:
        raise StoreError(
            f"{name}: a policy file in format {contents.version}, from before routines "
            "carried their place (plan vectors then embedded the place too); this version "
            "cannot reuse them: move the file away to start a new store"
        )
    embedder, dim = contents.meta.get("embedder"), contents.meta.get("dim")
    if embedder != target.embedder_name or dim != target.dim:
        raise StoreError(
            f"{name}: policies were embedded with {embedder!r} (dim {dim}), but this run "
            f"uses {target.embedder_name!r} (dim {target.dim}); vectors from different "
            "embedders cannot be compared: set AGA_EMBED back, or move the file away to "
            "start a new store"
        )


def _replay(
    target: JournalTarget, contents: LogContents, name: str, cache: EmbeddingCache | None
) -> tuple[CorruptFileError | None, int]:
    """Apply records in order; stop at the first invalid one. Returns its error (or None)
    and how many records were applied."""
    cache_items: list[tuple[str, FloatArray]] = []
    bad: CorruptFileError | None = None
    applied = 0
    for i, (record, offset) in enumerate(_records(contents)):
        try:
            _apply(target, record, cache_items)
        except (ValueError, KeyError, TypeError) as exc:
            detail = str(exc) if isinstance(exc, ValueError | ConditionError) else repr(exc)
            bad = CorruptFileError(name, offset, f"record {i} is invalid: {detail}")
            break
        applied += 1
    if cache is not None and cache_items:
        cache.load(cache_items)
    return bad, applied


def _records(contents: LogContents) -> Iterator[tuple[Any, int]]:
    return zip(contents.records, contents.offsets, strict=True)


def _apply(target: JournalTarget, record: Any, cache_items: list[tuple[str, FloatArray]]) -> None:
    if not isinstance(record, dict):
        raise ValueError(f"expected a map, got {type(record).__name__}")
    kind = record.get("t")
    if kind == "put":
        entry = PolicyEntry.from_dict(record["entry"], dim=target.dim)
        if not entry.variants:
            raise ValueError(f"entry {entry.id} has no variants")
        target.restore(entry)
    elif kind == "hit":
        target.restore_use(
            int(record["id"]),
            int(record["vid"]),
            hits=int(record["hits"]),
            variant_hits=int(record["vhits"]),
            last_use=int(record["last_use"]),
        )
    elif kind == "del":
        target.remove(int(record["id"]))
    elif kind == "emb":
        raw = record["vec"]
        if not isinstance(raw, bytes) or len(raw) != 4 * target.dim:
            raise ValueError(f"embedding vector must be {4 * target.dim} bytes")
        cache_items.append((str(record["text"]), np.frombuffer(raw, dtype="<f4")))
    else:
        raise ValueError(f"unknown record type {kind!r}")


def _vec_bytes(vec: Any) -> bytes:
    return np.asarray(vec, dtype="<f4").reshape(-1).tobytes()
