"""The offline stand-in LLM answering in child interpreters, away from the game's GIL.

A real model is a network call: the gateway's worker thread waits on a socket and the game
thread keeps the interpreter. The offline stand-in instead computes its answers in Python
(planning, phrasing, token counting), and in the game's process that work would take the
GIL from the frame for a few milliseconds at a time. ``ProcessOfflineLLM`` gives the same
answers (same seed, same request -> same text) from separate processes.

Each child is a fresh interpreter running this module's ``main`` (its priority lowered
before it imports anything), talking over its stdin and stdout (length-prefixed pickles),
not a ``multiprocessing`` worker: a ``spawn`` worker re-imports the game's ``__main__``
script, and a game script without an ``if __name__ == "__main__":`` guard (common in pygame
tutorials) would start a second copy of the game. A child never imports anything of the game.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import logging
import os
import pickle
import subprocess
import sys
import threading
import weakref
from pathlib import Path
from typing import IO, Any

from aga_npc.offline.backend import MODEL, NAME, OfflineLLM
from aga_npc.types import LLMRequest, LLMResult

__all__ = ["ProcessOfflineLLM", "StandInProcessError"]

log = logging.getLogger(__name__)

CLOSE_WAIT = 3.0  # seconds
_HEADER = 8  # bytes of the big-endian length before each pickle
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding aga_npc/
# The child lowers its priority before it imports anything: the imports (a second or so of
# CPU) would otherwise compete with the game's first frames at the game's own priority.
_BOOT = (
    "import os, sys\n"
    "if int(sys.argv[2]) and hasattr(os, 'nice'):\n"
    "    os.nice(int(sys.argv[2]))\n"
    "from aga_npc.offline.process import main\n"
    "raise SystemExit(main(sys.argv[1:2] + ['0']))\n"
)


class StandInProcessError(RuntimeError):
    """The stand-in's child process ended or answered with an error."""


def _write(stream: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "big") + data)
    stream.flush()


def _read(stream: IO[bytes]) -> Any:
    """The next pickle on ``stream``; EOFError when it ended."""
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        raise EOFError
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # our own child, over a private pipe


def _answer(llm: OfflineLLM, request: LLMRequest) -> LLMResult:
    """``OfflineLLM.complete`` never awaits, so drive it once."""
    coro = llm.complete(request)
    try:
        coro.send(None)
    except StopIteration as done:
        result: LLMResult = done.value
        return result
    coro.close()
    raise RuntimeError("the offline stand-in awaited something; it must not")


def serve(seed: int, nice: int, inp: IO[bytes], out: IO[bytes]) -> None:
    """The child's loop: answer each ``(id, request)`` with ``(id, ok, result or error)``
    until ``inp`` ends."""
    if nice and hasattr(os, "nice"):
        os.nice(nice)  # background work: when cores are scarce the game's frame goes first
    llm = OfflineLLM(seed=seed)
    while True:
        try:
            ident, request = _read(inp)
        except EOFError:
            return
        try:
            reply: tuple[int, bool, object] = (ident, True, _answer(llm, request))
        except Exception as exc:  # told to the parent, which fails the call
            reply = (ident, False, f"{type(exc).__name__}: {exc}")
        _write(out, reply)


class _Child:
    """One child process, its writer lock and the calls waiting for its answers."""

    def __init__(self, seed: int, nice: int, *, argv: list[str] | None = None) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p
        )
        self.proc = subprocess.Popen(  # this interpreter, our own module
            argv or [sys.executable, "-c", _BOOT, str(seed), str(nice)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.waiting: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future[LLMResult]]] = {}
        self.lock = threading.Lock()  # guards ``waiting``; never held while blocked on a pipe
        self.write_lock = threading.Lock()  # one request at a time on the child's stdin
        self.reader = threading.Thread(target=self._read_answers, daemon=True)
        self.reader.name = f"aga-standin-reader-{self.proc.pid}"
        self.reader.start()

    def send(self, ident: int, request: LLMRequest) -> None:
        assert self.proc.stdin is not None
        # a full stdin pipe blocks here until the child reads; the reader thread must still
        # be able to take answers meanwhile (else the child, blocked on its stdout, never
        # reads again), so this is not ``self.lock``
        with self.write_lock:
            _write(self.proc.stdin, (ident, request))

    def _read_answers(self) -> None:
        assert self.proc.stdout is not None
        while True:
            try:
                ident, ok, value = _read(self.proc.stdout)
            except (EOFError, OSError, pickle.UnpicklingError):
                break
            with self.lock:
                entry = self.waiting.pop(ident, None)
            if entry is not None:
                loop, future = entry
                error = None if ok else StandInProcessError(str(value))
                loop.call_soon_threadsafe(_settle, future, value, error)
        with self.lock:
            left, self.waiting = list(self.waiting.values()), {}
        for loop, future in left:
            error = StandInProcessError(f"the offline stand-in process {self.proc.pid} ended")
            with contextlib.suppress(RuntimeError):  # its loop is closed: nobody waits
                loop.call_soon_threadsafe(_settle, future, None, error)

    def close(self, wait: float) -> None:
        """End the child and reap it within ``wait`` s: an idle child returns when its
        stdin closes; one with calls still queued is stopped (nobody wants those answers)."""
        with self.lock:
            busy = bool(self.waiting)
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        if busy:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            log.warning("the offline stand-in process did not stop within %.1f s", wait)
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=wait)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def _settle(future: asyncio.Future[LLMResult], value: Any, error: Exception | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)


def _close_all(children: list[_Child]) -> None:
    for child in children:
        child.close(CLOSE_WAIT)


class ProcessOfflineLLM:
    """``OfflineLLM(seed)`` in ``workers`` child processes (an ``LLMBackend``).

    Args:
        seed: the stand-in's seed.
        workers: processes answering at once.
        nice: how much to lower the processes' scheduling priority (POSIX; 0 keeps it).

    The processes start with the first call (a second or so); requests wait in the
    gateway meanwhile, as they would for a slow server. A call whose process ended fails
    with ``StandInProcessError`` (the gateway's fallbacks take over).
    """

    name: str = NAME
    model: str = MODEL

    def __init__(self, *, seed: int = 0, workers: int = 1, nice: int = 10) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.seed = int(seed)
        self.workers = workers
        self.nice = int(nice)
        self._children: list[_Child] = []
        self._ids = itertools.count()
        self._start_lock = threading.Lock()
        self._finalizer: weakref.finalize | None = None

    def __repr__(self) -> str:
        return f"ProcessOfflineLLM(seed={self.seed}, workers={self.workers})"

    def _pick(self) -> _Child:
        with self._start_lock:
            if not self._children:
                self._children = [_Child(self.seed, self.nice) for _ in range(self.workers)]
                # a game that never calls aclose still leaves no process behind
                self._finalizer = weakref.finalize(self, _close_all, list(self._children))
            return min(self._children, key=lambda c: len(c.waiting))

    async def complete(self, request: LLMRequest) -> LLMResult:
        """The stand-in's answer, computed in a child process."""
        slim = dataclasses.replace(request, validator=None)  # validators stay here
        loop = asyncio.get_running_loop()
        child = self._pick()
        if child.proc.poll() is not None:
            raise StandInProcessError(f"the offline stand-in process {child.proc.pid} ended")
        ident = next(self._ids)
        future: asyncio.Future[LLMResult] = loop.create_future()
        with child.lock:
            child.waiting[ident] = (loop, future)
        try:
            await asyncio.to_thread(child.send, ident, slim)
            return await future
        except (OSError, ValueError) as exc:  # its stdin closed: the process ended
            raise StandInProcessError(f"the offline stand-in process ended: {exc}") from exc
        finally:  # answered, failed or cancelled: nobody waits for this id any more
            with child.lock:
                child.waiting.pop(ident, None)
            if not future.done():
                future.cancel()

    async def aclose(self) -> None:
        """Stop the child processes and wait (at most ``CLOSE_WAIT`` seconds each, on a
        helper thread) until they are reaped; calls still waiting fail."""
        children, self._children = self._children, []
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if children:
            await asyncio.to_thread(_close_all, children)


def main(argv: list[str] | None = None) -> int:
    """The child: ``python -m aga_npc.offline.process SEED NICE``."""
    args = sys.argv[1:] if argv is None else argv
    seed, nice = int(args[0]), int(args[1]) if len(args) > 1 else 0
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print never breaks a frame
    sys.stdout = sys.stderr
    serve(seed, nice, sys.stdin.buffer, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
