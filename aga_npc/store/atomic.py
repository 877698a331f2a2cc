"""Durable file primitives: atomic replace with fsync, directory fsync, numbered backups."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from aga_npc.errors import StoreError

__all__ = ["atomic_write_bytes", "backup_file", "fsync_dir", "next_backup_path"]


def fsync_dir(directory: str | os.PathLike[str]) -> None:
    """Flush a directory entry to disk so a rename or create inside it survives a crash.

    Platforms that cannot open a directory (Windows) skip this silently: there the
    rename itself is durable once the file data is.
    """
    try:
        fd = os.open(os.fspath(directory), os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    Writes a temporary file in the same directory, fsyncs it, ``os.replace``s it over the
    target and fsyncs the directory.

    Raises:
        StoreError: the file could not be written (the message names the path).
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(f"{target}: cannot write file: {exc}") from exc
    fsync_dir(target.parent)


def next_backup_path(path: str | os.PathLike[str], tag: str = "bak") -> Path:
    """The first free name among ``<path>.<tag>``, ``<path>.<tag>.1``, ``<path>.<tag>.2`` ..."""
    base = Path(path)
    candidate = base.with_name(f"{base.name}.{tag}")
    n = 0
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}.{tag}.{n}")
    return candidate


def backup_file(path: str | os.PathLike[str], tag: str = "bak") -> Path:
    """Copy ``path`` to a fresh numbered backup next to it and return the backup's path.

    Existing backups are never overwritten. The copy is fsynced before returning, so it is
    safe to overwrite the original afterwards.

    Raises:
        StoreError: the copy could not be made.
    """
    dest = next_backup_path(path, tag)
    try:
        shutil.copyfile(path, dest)
        fd = os.open(dest, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(f"{path}: cannot make a backup at {dest}: {exc}") from exc
    fsync_dir(dest.parent)
    return dest
