"""PacedEmbedder: a compute-bound embedder that works in small pieces, between frames.

The local embedder computes on this machine's CPU. A batch of 32 memories is about 150 ms
of one core and of the memory bus, and a frame that runs meanwhile is slowed down by it.
``PacedEmbedder`` splits each call into chunks of ``chunk`` texts and, before each one,
calls ``pause(seconds)`` with the chunk's expected duration, so that the game can hold it
back until its frame is over (``FrameGate.wait_idle``). The expected duration is learnt
from the chunks already run. Vectors are the same as the inner embedder's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from aga_npc.ports import Embedder

__all__ = ["PacedEmbedder"]

FloatArray = npt.NDArray[np.float32]
SMOOTHING = 0.2  # weight of the newest chunk in the per-text time estimate


class PacedEmbedder:
    """An :class:`~aga_npc.ports.Embedder` that pauses before each chunk of texts.

    Args:
        inner: the embedder doing the work (its ``name`` and ``dim`` are passed through).
        pause: called with the chunk's expected seconds before the chunk runs (on the
            thread calling ``embed``: a worker, never the game thread).
        chunk: texts per inner call (>= 1).
        clock: monotonic seconds (injectable for tests).
    """

    def __init__(
        self,
        inner: Embedder,
        pause: Callable[[float], object],
        *,
        chunk: int = 1,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if chunk < 1:
            raise ValueError(f"chunk must be >= 1, got {chunk}")
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.pause = pause
        self.chunk = chunk
        self._clock = clock
        self.per_text = 0.0  # learnt seconds per text (0: not known yet)

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Embed ``texts`` chunk by chunk; same result as ``inner.embed(texts)``."""
        texts = list(texts)
        parts: list[FloatArray] = []
        for start in range(0, len(texts), self.chunk):
            part = texts[start : start + self.chunk]
            self.pause(self.per_text * len(part))
            t0 = self._clock()
            parts.append(np.asarray(self.inner.embed(part), dtype=np.float32))
            self.dim = self.inner.dim  # an endpoint may learn its dimension on first call
            took = (self._clock() - t0) / len(part)
            p = self.per_text
            self.per_text = took if not p else p + SMOOTHING * (took - p)
        if not parts:
            return np.zeros((0, self.inner.dim), dtype=np.float32)
        return np.concatenate(parts, axis=0)
