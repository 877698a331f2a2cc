"""The policy store's file: an ``aga_npc.store`` record log of changes, compacted now and then.

Header meta: ``{"embedder": name, "dim": d}``. Records (msgpack maps):

- ``{"t": "put", "entry": PolicyEntry.to_dict()}``: insert or replace an entry;
- ``{"t": "hit", "id", "v", "hits", "vhits", "last_use"}``: a reuse (absolute counters);
- ``{"t": "del", "id"}``: an entry was forgotten;
- ``{"t": "emb", "text", "vec"}``: an embedding-cache vector (float32 little-endian bytes).

Replaying the records in order rebuilds the store. Compaction rewrites the file atomically
as one ``put`` per entry plus the cache.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from aga_npc.errors import CorruptFileError, StoreError
from aga_npc.policy.conditions import ConditionError
from aga_npc.policy.entries import PolicyEntry

if TYPE_CHECKING:
    from aga_npc.policy.store import PolicyStore
    from aga_npc.store import LogContents

__all__ = [
    "SCHEMA",
    "VERSION",
    "EmbeddingCache",
    "flush_store",
    "open_store",
    "save_store",
    "take_records",
    "write_records",
]

SCHEMA = "aga_npc.policy"
VERSION = 1
COMPACT_SLACK = 1024

FloatArray = npt.NDArray[np.float32]


class EmbeddingCache(Protocol):
    """What the store needs of an embedding cache (``aga_npc.embed.CachedEmbedder``)."""

    def take_new(self) -> list[tuple[str, FloatArray]]: ...

    def items(self) -> list[tuple[str, FloatArray]]: ...

    def load(self, items: Iterable[tuple[str, FloatArray]]) -> int: ...


def _meta(store: PolicyStore) -> dict[str, Any]:
    return {"embedder": store.embedder_name, "dim": store.dim}


def open_store(store: PolicyStore, path: str | os.PathLike[str], *, recover: bool) -> None:
    """Load ``path`` into the (empty) ``store`` and bind the store to it."""
    from aga_npc.store import RecordLog, backup_file

    name = os.fspath(path)
    log, contents = RecordLog.open(
        path, schema=SCHEMA, version=VERSION, meta=_meta(store), recover=recover
    )
    try:
        embedder, dim = contents.meta.get("embedder"), contents.meta.get("dim")
        if embedder != store.embedder_name or dim != store.dim:
            raise StoreError(
                f"{name}: policies were embedded with {embedder!r} (dim {dim}), but this run "
                f"uses {store.embedder_name!r} (dim {store.dim}); vectors from different "
                "embedders cannot be compared: set AGA_EMBED back, or move the file away to "
                "start a new store"
            )
        with store.bulk_load():
            bad = _replay(store, contents, name)
        if bad is not None:
            kept = backup_file(path, "corrupt")
            if not recover:
                raise CorruptFileError(
                    name,
                    bad.offset,
                    f"{bad.reason}; a copy was kept at {kept}; open with recover=True to keep "
                    "the valid records before this point",
                )
        store._log = log
        if bad is not None or contents.damage is not None or contents.version != VERSION:
            save_store(store, None)
    except BaseException:
        log.close()
        raise


def _replay(store: PolicyStore, contents: LogContents, name: str) -> CorruptFileError | None:
    """Apply records in order; stop at the first invalid one and return its error."""
    cache_items: list[tuple[str, Any]] = []
    for i, (record, offset) in enumerate(zip(contents.records, contents.offsets, strict=True)):
        try:
            _apply(store, record, cache_items)
        except (ValueError, KeyError, TypeError) as exc:
            detail = str(exc) if isinstance(exc, ValueError | ConditionError) else repr(exc)
            if store.embed_cache is not None and cache_items:
                store.embed_cache.load(cache_items)
            return CorruptFileError(name, offset, f"record {i} is invalid: {detail}")
    if store.embed_cache is not None and cache_items:
        store.embed_cache.load(cache_items)
    return None


def _apply(store: PolicyStore, record: Any, cache_items: list[tuple[str, Any]]) -> None:
    if not isinstance(record, dict):
        raise ValueError(f"expected a map, got {type(record).__name__}")
    kind = record.get("t")
    if kind == "put":
        entry = PolicyEntry.from_dict(record["entry"], dim=store.dim)
        if not entry.variants:
            raise ValueError(f"entry {entry.id} has no variants")
        old = store._entries.get(entry.id)
        if old is not None and (old.plan_text != entry.plan_text or old.scope != entry.scope):
            store.remove(entry.id)
        store._put(entry)
    elif kind == "hit":
        hit_entry = store._entries.get(int(record["id"]))
        if hit_entry is None:
            return
        entry = hit_entry
        v = int(record["v"])
        if not 0 <= v < len(entry.variants):
            raise ValueError(f"hit names variant {v} of entry {entry.id}")
        variants = list(entry.variants)
        variants[v] = _replace(variants[v], hits=int(record["vhits"]))
        store._entries[entry.id] = _replace(
            entry, hits=int(record["hits"]), last_use=int(record["last_use"]), variants=variants
        )
    elif kind == "del":
        store.remove(int(record["id"]))
    elif kind == "emb":
        raw = record["vec"]
        if not isinstance(raw, bytes) or len(raw) != 4 * store.dim:
            raise ValueError(f"embedding vector must be {4 * store.dim} bytes")
        cache_items.append((str(record["text"]), np.frombuffer(raw, dtype="<f4")))
    else:
        raise ValueError(f"unknown record type {kind!r}")
    store._pending.clear()  # replaying is not a change


def _replace(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    if "variants" in changes:
        changes["variants"] = tuple(changes["variants"])
    return replace(obj, **changes)


def take_records(store: PolicyStore) -> list[dict[str, Any]]:
    """The queued changes and new cache vectors, taken off the queue (main thread, cheap)."""
    if store._log is None:
        store._pending.clear()
        return []
    records, store._pending = store._pending, []
    if store.embed_cache is not None:
        for text, vec in store.embed_cache.take_new():
            records.append({"t": "emb", "text": text, "vec": _vec_bytes(vec)})
    return records


def write_records(store: PolicyStore, records: list[dict[str, Any]]) -> int:
    """Append ``records`` to the bound log and make them durable (fsync).

    Safe on a worker thread: the log is guarded by the store's file lock, which compaction
    takes too. Returns the records written.
    """
    with store._file_lock:
        log = store._log
        if log is None or not records:
            return 0
        for record in records:
            log.append(record)
        log.flush()
        store._appended += len(records)
    return len(records)


def flush_store(store: PolicyStore) -> int:
    """Append queued changes (and new cache vectors) durably; compact when the log has
    grown well past the live contents. Returns the records written."""
    written = write_records(store, take_records(store))
    live = len(store) + (len(store.embed_cache.items()) if store.embed_cache is not None else 0)
    if store._log is not None and store._appended > 3 * live + COMPACT_SLACK:
        save_store(store, None)
    return written


def save_store(store: PolicyStore, path: str | os.PathLike[str] | None) -> None:
    """Write the whole store atomically (to ``path``, or over the bound file) and bind it."""
    from aga_npc.store import RecordLog

    records: list[dict[str, Any]] = [{"t": "put", "entry": e.to_dict()} for e in store.entries()]
    if store.embed_cache is not None:
        store.embed_cache.take_new()
        records += [
            {"t": "emb", "text": text, "vec": _vec_bytes(vec)}
            for text, vec in store.embed_cache.items()
        ]
    if path is None:
        if store._log is None:
            raise StoreError("the policy store is not bound to a file: pass a path to save()")
        with store._file_lock:
            store._log.rewrite(records, meta=_meta(store))
            store._appended = 0
    else:
        if store._log is not None:
            store._log.close()
        store._log = RecordLog.create(path, schema=SCHEMA, version=VERSION, meta=_meta(store))
        store._log.rewrite(records, meta=_meta(store))
    store._pending.clear()
    store._appended = 0


def _vec_bytes(vec: Any) -> bytes:
    return np.asarray(vec, dtype="<f4").reshape(-1).tobytes()
