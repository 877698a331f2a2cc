"""Crash-safe msgpack persistence: atomic snapshots and append-only record logs.

- :func:`write_snapshot` / :func:`read_snapshot`: a whole file replaced atomically (save games,
  compacted stores).
- :class:`RecordLog` / :func:`read_log`: appends framed records (length + crc32) and commits
  them with fsync; a crash loses at most the records since the last ``flush()``.
- :class:`FileLock`: one writer per file (an OS lock on ``<file>.lock``; a second writer gets
  ``PolicyFileLocked``).

Damaged files raise ``aga_npc.errors.CorruptFileError`` (file and byte offset) after a copy
is kept next to them; newer schema versions raise ``SchemaVersionError``.
"""

from aga_npc.store.atomic import atomic_write_bytes, backup_file, fsync_dir
from aga_npc.store.lock import FileLock
from aga_npc.store.recordlog import LogContents, RecordLog, read_log
from aga_npc.store.snapshot import Snapshot, read_snapshot, write_snapshot

__all__ = [
    "FileLock",
    "LogContents",
    "RecordLog",
    "Snapshot",
    "atomic_write_bytes",
    "backup_file",
    "fsync_dir",
    "read_log",
    "read_snapshot",
    "write_snapshot",
]
