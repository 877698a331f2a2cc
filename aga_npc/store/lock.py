"""One writer per file: an OS-level exclusive lock on a ``<file>.lock`` beside the file.

The lock is taken on a separate file because the data file itself is replaced by rename
(compaction, atomic rewrites), which would leave a lock on the old inode behind. The OS
releases the lock when the holder exits or crashes, so a stale ``.lock`` file left on disk
never blocks anyone. ``fcntl.flock`` on Linux and macOS, ``msvcrt.locking`` on Windows; both
are taken without waiting. The lock is per open file description: a second
:class:`FileLock` on the same path in the same process is refused too.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from aga_npc.errors import PolicyFileLocked, StoreError

__all__ = ["FileLock", "lock_path_for"]


def lock_path_for(path: str | os.PathLike[str]) -> Path:
    """The lock file of ``path`` (``<name>.lock`` in the same folder)."""
    p = Path(path)
    return p.with_name(p.name + ".lock")


class FileLock:
    """An exclusive, non-blocking lock on ``path`` held until :meth:`release`.

    Args:
        path: the data file to guard (the lock file is ``<path>.lock``).

    Raises:
        PolicyFileLocked: another holder has it (names the file and what to do).
        StoreError: the lock file cannot be created.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.lock_path = lock_path_for(path)
        try:
            self._fd: int | None = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{self.lock_path}: cannot create the lock file: {exc}") from exc
        try:
            _lock(self._fd)
        except OSError as exc:
            os.close(self._fd)
            self._fd = None
            raise PolicyFileLocked(os.fspath(self.path), os.fspath(self.lock_path)) from exc
        os.set_inheritable(self._fd, False)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the lock up (idempotent). The lock file stays: it is harmless."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)

    def __del__(self) -> None:  # a store dropped without close() must not keep the file
        self.release()

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
