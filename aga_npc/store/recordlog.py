"""An append-only, crash-safe log of msgpack records with a committed-length header.

Layout::

    MAGIC (8) | COMMIT (16: committed_len u64, flushes u32, crc32 u32) | header frame | frames

``flush()`` appends the pending frames, fsyncs, then rewrites the 16-byte commit block in
place (one small write inside the first disk sector) and fsyncs again. A reader trusts
exactly the bytes up to ``committed_len``:

- bytes past it are the residue of a flush that never returned (a crash); they are
  reported, copied to a backup and cut off on the next open for writing;
- a file shorter than ``committed_len``, or a bad frame before it, is corruption: it raises
  ``CorruptFileError`` naming the file and byte (after keeping a copy of the file), and
  ``recover=True`` loads the valid records before the damage instead.

``rewrite()`` (compaction) publishes a complete new log atomically. One writer per file.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from aga_npc.errors import CorruptFileError, StoreError
from aga_npc.store.atomic import atomic_write_bytes, backup_file, next_backup_path
from aga_npc.store.framing import (
    FRAME_HEADER,
    decode_frame,
    decode_header,
    encode_frame,
    encode_header,
)

__all__ = ["LOG_MAGIC", "LogContents", "RecordLog", "read_log"]

LOG_MAGIC = b"\x89AGALOG\n"
_COMMIT = struct.Struct("<QII")
_COMMIT_AT = len(LOG_MAGIC)
_HEADER_AT = _COMMIT_AT + _COMMIT.size


def _commit_block(committed: int, flushes: int) -> bytes:
    head = struct.pack("<QI", committed, flushes)
    return _COMMIT.pack(committed, flushes, zlib.crc32(head))


@dataclass(frozen=True, slots=True, kw_only=True)
class LogContents:
    """What a log holds.

    Attributes:
        version: the schema version the file was written with.
        meta: the header's meta mapping.
        records: the committed records, in order.
        offsets: the byte offset of each record's frame (for error messages).
        committed_bytes: the committed length from the commit block.
        residue_bytes: bytes past the committed end (an interrupted flush).
        damage: with ``recover=True`` only: the corruption that ended the valid prefix.
        kept_copy: where :meth:`RecordLog.open` copied a damaged file before recovering
            it (empty when nothing was damaged).
    """

    version: int
    meta: dict[str, Any] = field(default_factory=dict)
    records: tuple[Any, ...] = ()
    offsets: tuple[int, ...] = ()
    committed_bytes: int = 0
    residue_bytes: int = 0
    damage: CorruptFileError | None = None
    kept_copy: str = ""


def read_log(
    path: str | os.PathLike[str], *, schema: str, max_version: int, recover: bool = False
) -> LogContents:
    """Read a record log without changing it.

    Args:
        path: the log file.
        schema: the expected schema name.
        max_version: the newest schema version this code understands.
        recover: return the valid records before a damaged or missing part (with
            ``damage`` set) instead of raising.

    Raises:
        CorruptFileError: truncated or damaged (names the path and byte offset).
        SchemaVersionError: written by a newer schema version.
        StoreError: missing or unreadable, or another schema.
    """
    name = os.fspath(path)
    try:
        buf = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise StoreError(f"{name}: no such log file") from exc
    except OSError as exc:
        raise StoreError(f"{name}: cannot read: {exc}") from exc
    return _parse(buf, name, schema=schema, max_version=max_version, recover=recover)


def _parse(buf: bytes, name: str, *, schema: str, max_version: int, recover: bool) -> LogContents:
    size = len(buf)
    if size < _HEADER_AT:
        raise CorruptFileError(name, size, "file too short for a record-log header")
    if buf[:_COMMIT_AT] != LOG_MAGIC:
        raise CorruptFileError(name, 0, "not an aga_npc record log (bad magic bytes)")
    committed, _flushes, crc = _COMMIT.unpack_from(buf, _COMMIT_AT)
    if zlib.crc32(buf[_COMMIT_AT : _COMMIT_AT + 12]) != crc:
        raise CorruptFileError(name, _COMMIT_AT, "commit block checksum mismatch")
    header, version, meta = decode_header(
        buf, _HEADER_AT, size, name, schema=schema, max_version=max_version
    )
    if committed < header.end:
        raise CorruptFileError(name, _COMMIT_AT, f"committed length {committed} is inside header")
    records: list[Any] = []
    offsets: list[int] = []
    damage: CorruptFileError | None = None
    offset = header.end
    limit = min(committed, size)
    while offset < committed:
        try:
            if offset >= size or offset + FRAME_HEADER.size > limit:
                raise CorruptFileError(
                    name,
                    offset,
                    f"file truncated: {committed} bytes were committed but it has {size}",
                )
            frame = decode_frame(buf, offset, limit, name)
        except CorruptFileError as exc:
            if committed > size and "truncated" not in exc.reason:
                exc = CorruptFileError(
                    name,
                    offset,
                    f"file truncated: {committed} bytes were committed but it has {size}"
                    f" ({exc.reason})",
                )
            if not recover:
                raise exc from None
            damage = exc
            break
        records.append(frame.value)
        offsets.append(frame.offset)
        offset = frame.end
    return LogContents(
        version=version,
        meta=meta,
        records=tuple(records),
        offsets=tuple(offsets),
        committed_bytes=committed,
        residue_bytes=max(0, size - committed),
        damage=damage,
    )


def _build(schema: str, version: int, meta: dict[str, Any] | None, records: Iterable[Any]) -> bytes:
    body = encode_header(schema, version, meta) + b"".join(encode_frame(r) for r in records)
    committed = _HEADER_AT + len(body)
    return LOG_MAGIC + _commit_block(committed, 0) + body


class RecordLog:
    """A writer for one record log. Not thread-safe: use it from one thread.

    Build with :meth:`create` or :meth:`open`. Records are plain msgpack data.
    """

    def __init__(
        self,
        path: Path,
        file: BinaryIO,
        *,
        schema: str,
        version: int,
        meta: dict[str, Any],
        committed: int,
        writer_version: int | None = None,
    ) -> None:
        self._path = path
        self._file: BinaryIO | None = file
        self._schema = schema
        self._version = version
        self._writer_version = version if writer_version is None else writer_version
        self._meta = meta
        self._committed = committed
        self._flushes = 0
        self._pending: list[bytes] = []

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        schema: str,
        version: int,
        meta: dict[str, Any] | None = None,
        records: Iterable[Any] = (),
        writer_version: int | None = None,
    ) -> RecordLog:
        """Atomically write a new log holding ``records`` (replacing any file) and open it.

        ``writer_version`` is the schema version this writer appends with when it differs
        from the file's ``version`` (a file of an older version opens read-only for
        appends until :meth:`rewrite` migrates it); None: ``version``.
        """
        target = Path(path)
        data = _build(schema, version, meta, records)
        atomic_write_bytes(target, data)
        return cls(
            target,
            _open_rw(target),
            schema=schema,
            version=version,
            meta=dict(meta or {}),
            committed=len(data),
            writer_version=writer_version,
        )

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        schema: str,
        version: int,
        meta: dict[str, Any] | None = None,
        recover: bool = False,
    ) -> tuple[RecordLog, LogContents]:
        """Open a log for appending, creating it (with ``meta``) when missing.

        The residue of an interrupted flush is copied to ``<path>.residue`` and cut off.
        A damaged file is copied to ``<path>.corrupt`` before anything else happens; then
        it raises, or with ``recover=True`` the valid prefix is rewritten in its place (an
        empty log when even the header is damaged).

        Returns:
            The writer and the committed contents. A file written with an older schema
            version opens read-only for appends until :meth:`rewrite` migrates it.

        Raises:
            CorruptFileError: damaged and ``recover`` is false (a copy was kept).
            SchemaVersionError: written by a newer schema version.
        """
        target = Path(path)
        if not target.exists():
            log = cls.create(target, schema=schema, version=version, meta=meta)
            return log, LogContents(version=version, meta=dict(meta or {}))
        name = os.fspath(target)
        try:
            contents = read_log(target, schema=schema, max_version=version, recover=recover)
        except CorruptFileError as exc:
            kept = backup_file(target, "corrupt")
            if recover:  # the header itself is damaged: no valid prefix exists; start over
                log = cls.create(target, schema=schema, version=version, meta=meta)
                return log, LogContents(
                    version=version, meta=dict(meta or {}), damage=exc, kept_copy=str(kept)
                )
            raise CorruptFileError(
                name,
                exc.offset,
                f"{exc.reason}; a copy was kept at {kept}; open with recover=True to keep "
                "the valid records before this point",
            ) from exc
        if contents.damage is not None:
            kept = backup_file(target, "corrupt")
            contents = replace(contents, kept_copy=str(kept))
            log = cls.create(
                target,
                schema=schema,
                version=contents.version,
                meta=contents.meta,
                records=contents.records,
                writer_version=version,
            )
            return log, contents
        if contents.residue_bytes:
            _save_residue(target, contents.committed_bytes)
        file = _open_rw(target)
        if contents.residue_bytes:
            file.truncate(contents.committed_bytes)
            os.fsync(file.fileno())
        log = cls(
            target,
            file,
            schema=schema,
            version=contents.version,
            meta=contents.meta,
            committed=contents.committed_bytes,
            writer_version=version,
        )
        return log, contents

    @property
    def path(self) -> Path:
        return self._path

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self._meta)

    @property
    def version(self) -> int:
        """The schema version of the file on disk."""
        return self._version

    @property
    def committed_bytes(self) -> int:
        return self._committed

    @property
    def pending_records(self) -> int:
        return len(self._pending)

    def append(self, record: Any) -> None:
        """Queue one record; it reaches the disk on the next :meth:`flush`.

        Raises:
            TypeError: ``record`` is not plain msgpack data.
            StoreError: the file has an older schema version (call :meth:`rewrite` first).
        """
        if self._writer_version != self._version:
            raise StoreError(
                f"{self._path}: file has schema version {self._version}; rewrite it with "
                f"version {self._writer_version} before appending"
            )
        self._pending.append(encode_frame(record))

    def flush(self) -> int:
        """Write the queued records durably; returns the bytes appended (0 when none).

        Raises:
            StoreError: the write failed (the queued records stay queued).
        """
        if not self._pending:
            return 0
        file = self._require_open()
        data = b"".join(self._pending)
        end = self._committed + len(data)
        try:
            file.seek(self._committed)
            file.write(data)
            os.fsync(file.fileno())
            file.seek(_COMMIT_AT)
            file.write(_commit_block(end, self._flushes + 1))
            os.fsync(file.fileno())
        except OSError as exc:
            raise StoreError(f"{self._path}: cannot append: {exc}") from exc
        self._committed = end
        self._flushes += 1
        self._pending.clear()
        return len(data)

    def rewrite(self, records: Iterable[Any], *, meta: dict[str, Any] | None = None) -> int:
        """Atomically replace the whole log with ``records`` (compaction or migration).

        Queued records are dropped: ``records`` is the complete new content. Returns the
        new file size.
        """
        self._require_open()
        version = self._writer_version
        new_meta = dict(self._meta if meta is None else meta)
        data = _build(self._schema, version, new_meta, records)
        self.close()
        atomic_write_bytes(self._path, data)
        self._file = _open_rw(self._path)
        self._version = version
        self._meta = new_meta
        self._committed = len(data)
        self._pending.clear()
        return len(data)

    def close(self) -> None:
        """Close the file. Queued records that were not flushed are lost."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _require_open(self) -> BinaryIO:
        if self._file is None:
            raise StoreError(f"{self._path}: log is closed")
        return self._file

    def __enter__(self) -> RecordLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_rw(path: Path) -> BinaryIO:
    try:
        return open(path, "r+b", buffering=0)
    except OSError as exc:
        raise StoreError(f"{path}: cannot open for writing: {exc}") from exc


def _save_residue(path: Path, committed: int) -> Path:
    dest = next_backup_path(path, "residue")
    with open(path, "rb") as src:
        src.seek(committed)
        tail = src.read()
    atomic_write_bytes(dest, tail)
    return dest
