"""LatencyBackend: a wrapper that waits a fixed time before every call (``--llm-latency``).

It shows that the frame loop does not depend on how slow the model is: the wait happens on
the gateway's worker (an ``await``), never on the game thread. Wrap the bare backend, below
the retry and metering wrappers, so that each attempt is delayed like a slow server::

    backend = LatencyBackend(OfflineLLM(seed=0), latency=2.0)
    stack = build_stack(settings, ledger, backend=backend)
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Awaitable, Callable

from aga_npc.llm.context import close_backend
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult

__all__ = ["LatencyBackend"]


class LatencyBackend:
    """Delays every call to ``inner`` by ``latency`` seconds.

    Args:
        inner: the backend to wrap.
        latency: seconds to wait before each call (>= 0, finite).
        sleep: awaited for the delay (inject a recorder in tests).

    Raises:
        ValueError: a negative, infinite or NaN latency.
    """

    def __init__(
        self,
        inner: LLMBackend,
        latency: float,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        latency = float(latency)
        if not math.isfinite(latency) or latency < 0:
            raise ValueError(f"latency must be a finite number of seconds >= 0, got {latency}")
        self.inner = inner
        self.latency = latency
        self.name = inner.name
        self.model = inner.model
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"LatencyBackend({self.inner!r}, latency={self.latency})"

    async def complete(self, request: LLMRequest) -> LLMResult:
        """Wait ``latency`` seconds, then return ``inner.complete(request)``."""
        if self.latency > 0:
            await self._sleep(self.latency)
        return await self.inner.complete(request)

    async def stream(self, request: LLMRequest) -> AsyncIterator[str]:
        """Wait ``latency`` seconds, then pass on the inner backend's stream (or its whole
        text as one piece when it cannot stream)."""
        if self.latency > 0:
            await self._sleep(self.latency)
        inner_stream = getattr(self.inner, "stream", None)
        if inner_stream is None:
            result = await self.inner.complete(request)
            yield result.text
            return
        async for piece in inner_stream(request):
            yield piece

    async def aclose(self) -> None:
        await close_backend(self.inner)
