"""Whole-file msgpack snapshots (save games, compacted stores), replaced atomically.

Layout: ``MAGIC`` (8 bytes) | header frame ``{schema, version, meta}`` | one body frame |
nothing else. A snapshot is only ever published complete (temp file, fsync, rename, fsync
of the directory), so a short or damaged one is corruption, never a crash artefact, and
loading it raises ``CorruptFileError`` naming the file and byte.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aga_npc.errors import CorruptFileError, StoreError
from aga_npc.store.atomic import atomic_write_bytes, backup_file
from aga_npc.store.framing import decode_frame, decode_header, encode_frame, encode_header

__all__ = ["SNAPSHOT_MAGIC", "Snapshot", "read_snapshot", "write_snapshot"]

SNAPSHOT_MAGIC = b"\x89AGASNP\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """A loaded snapshot: its schema version, meta mapping and body (plain data)."""

    version: int
    meta: dict[str, Any] = field(default_factory=dict)
    body: Any = None


def write_snapshot(
    path: str | os.PathLike[str],
    body: Any,
    *,
    schema: str,
    version: int,
    meta: dict[str, Any] | None = None,
) -> int:
    """Atomically replace ``path`` with a snapshot of ``body``; returns the bytes written.

    Raises:
        TypeError: ``body`` is not plain msgpack data.
        StoreError: the file could not be written.
    """
    data = SNAPSHOT_MAGIC + encode_header(schema, version, meta) + encode_frame(body)
    atomic_write_bytes(path, data)
    return len(data)


def read_snapshot(
    path: str | os.PathLike[str], *, schema: str, max_version: int, backup: bool = True
) -> Snapshot:
    """Load a snapshot written by :func:`write_snapshot`.

    Args:
        path: the file.
        schema: the expected schema name.
        max_version: the newest schema version this code understands.
        backup: copy a corrupt file to ``<path>.corrupt`` (numbered, never overwriting)
            before raising, so nothing later can destroy the evidence.

    Raises:
        CorruptFileError: the file is truncated or damaged (names the path and offset).
        SchemaVersionError: written by a newer schema version.
        StoreError: the file is missing, unreadable, or holds another schema.
    """
    name = os.fspath(path)
    try:
        buf = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise StoreError(f"{name}: no such snapshot file") from exc
    except OSError as exc:
        raise StoreError(f"{name}: cannot read: {exc}") from exc
    try:
        return _parse(buf, name, schema=schema, max_version=max_version)
    except CorruptFileError as exc:
        if not backup:
            raise
        kept = backup_file(path, "corrupt")
        raise CorruptFileError(
            name, exc.offset, f"{exc.reason} (a copy was kept at {kept})"
        ) from exc


def _parse(buf: bytes, name: str, *, schema: str, max_version: int) -> Snapshot:
    if len(buf) < len(SNAPSHOT_MAGIC):
        raise CorruptFileError(name, len(buf), "file too short for a snapshot header")
    if buf[: len(SNAPSHOT_MAGIC)] != SNAPSHOT_MAGIC:
        raise CorruptFileError(name, 0, "not an aga_npc snapshot (bad magic bytes)")
    header, version, meta = decode_header(
        buf, len(SNAPSHOT_MAGIC), len(buf), name, schema=schema, max_version=max_version
    )
    body = decode_frame(buf, header.end, len(buf), name)
    if body.end != len(buf):
        raise CorruptFileError(name, body.end, f"{len(buf) - body.end} unexpected trailing bytes")
    return Snapshot(version=version, meta=meta, body=body.value)
