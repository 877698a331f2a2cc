"""The offline stand-in LLM answering in a worker process, away from the game's GIL.

A real model is a network call: the gateway's worker thread waits on a socket and the game
thread keeps the interpreter. The offline stand-in instead computes its answers in Python
(planning, phrasing, token counting), and in the game's process that work would take the
GIL from the frame for a few milliseconds at a time. ``ProcessOfflineLLM`` gives the same
answers (same seed, same request -> same text) from a separate process.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from aga_npc.offline import MODEL, NAME, OfflineLLM
from aga_npc.types import LLMRequest, LLMResult

__all__ = ["ProcessOfflineLLM"]

log = logging.getLogger(__name__)

_LLM: OfflineLLM | None = None
CLOSE_WAIT = 3.0  # seconds


def _start(seed: int, nice: int) -> None:
    global _LLM
    if nice and hasattr(os, "nice"):
        os.nice(nice)  # background work: when cores are scarce the game's frame goes first
    _LLM = OfflineLLM(seed=seed)


def _answer(request: LLMRequest) -> LLMResult:
    """Run in the worker process: ``OfflineLLM.complete`` never awaits, so drive it once."""
    assert _LLM is not None, "the stand-in process was not initialised"
    coro = _LLM.complete(request)
    try:
        coro.send(None)
    except StopIteration as done:
        result: LLMResult = done.value
        return result
    coro.close()
    raise RuntimeError("the offline stand-in awaited something; it must not")


class ProcessOfflineLLM:
    """``OfflineLLM(seed)`` in ``workers`` separate processes (an ``LLMBackend``).

    Args:
        seed: the stand-in's seed.
        workers: processes answering at once.
        nice: how much to lower the processes' scheduling priority (POSIX; 0 keeps it).

    The processes start with the first call (a second or so); requests wait in the
    gateway meanwhile, as they would for a slow server.
    """

    name: str = NAME
    model: str = MODEL

    def __init__(self, *, seed: int = 0, workers: int = 1, nice: int = 10) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.seed = int(seed)
        self.workers = workers
        self.nice = int(nice)
        self._pool: ProcessPoolExecutor | None = None

    def __repr__(self) -> str:
        return f"ProcessOfflineLLM(seed={self.seed}, workers={self.workers})"

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start,
                initargs=(self.seed, self.nice),
            )
        return self._pool

    async def complete(self, request: LLMRequest) -> LLMResult:
        """The stand-in's answer, computed in the worker process."""
        slim = dataclasses.replace(request, validator=None)  # validators stay here
        loop = asyncio.get_running_loop()
        result: Any = await loop.run_in_executor(self._executor(), _answer, slim)
        return result

    async def aclose(self) -> None:
        """Stop the worker processes and wait (at most ``CLOSE_WAIT`` seconds, on a helper
        thread) until the pool's manager thread has ended: a pool left shutting down
        makes the interpreter's exit write to its closed wake-up pipe and print an
        ``OSError`` traceback (CPython 3.11's ProcessPoolExecutor)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            try:
                await asyncio.wait_for(
                    asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True),
                    CLOSE_WAIT,
                )
            except TimeoutError:
                log.warning("the offline stand-in process did not stop within %.1f s", CLOSE_WAIT)
