"""Protocols (ports) that the core logic depends on and the adapters implement.

- ``LLMBackend``: one narrow async call; wrappers (retry, JSON repair, metering, budget,
  record/replay) implement the same protocol and stack.
- ``Embedder``: ``embed(texts) -> float32 (n, d)`` L2-normalised rows.
- ``WorldView``: what execution conditions and action validation read of the live world.
- ``RequestGateway`` / ``RequestTicket``: how the main thread hands LLM requests and blocking
  calls (embeddings) to a worker and polls for the results, without ever waiting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np
import numpy.typing as npt

from aga_npc.types import CallResult, LLMRequest, LLMResult, ObjectInfo, Priority

__all__ = [
    "Embedder",
    "LLMBackend",
    "RequestGateway",
    "RequestTicket",
    "StreamingBackend",
    "WorldView",
]

R_co = TypeVar("R_co", covariant=True)

FloatArray = npt.NDArray[np.float32]


@runtime_checkable
class LLMBackend(Protocol):
    """One chat completion. Raises an ``aga_npc.errors.LLMError`` subclass on failure."""

    name: str
    model: str

    async def complete(self, request: LLMRequest) -> LLMResult:
        """Return the completion for ``request`` (text, usage, latency, attempts)."""
        ...


@runtime_checkable
class StreamingBackend(LLMBackend, Protocol):
    """A backend that can also stream a completion's text pieces as they arrive."""

    def stream(self, request: LLMRequest) -> AsyncIterator[str]:
        """Yield text deltas; the last item is followed by nothing (usage via ``complete``)."""
        ...


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Return an array of shape ``(len(texts), dim)``, dtype float32, rows of norm 1."""
        ...


@runtime_checkable
class WorldView(Protocol):
    """Read-only facts about the live world (or an immutable snapshot of it).

    Sector names may be given literally or as the place symbols ``"@home"`` and ``"@work"``,
    which resolve to the asking agent's home and workplace sectors.
    """

    def minute_of_day(self) -> int:
        """Game minutes since midnight, 0..1439."""
        ...

    def objects(
        self,
        *,
        kind: str | None = None,
        sector: str | None = None,
        arena: str | None = None,
        agent: str | None = None,
    ) -> Sequence[ObjectInfo]:
        """Objects matching every given filter (``agent`` resolves ``@home``/``@work``)."""
        ...

    def object_at(self, address: str) -> ObjectInfo | None:
        """The object with this ``sector:arena:object`` address, or None when gone."""
        ...

    def is_reachable(self, agent: str, address: str) -> bool:
        """Whether ``agent`` can walk from where it stands to the object's use tile."""
        ...

    def agent_place(self, agent: str) -> tuple[str, str] | None:
        """The (sector, arena) the agent stands in, or None when outside any arena."""
        ...

    def resolve_sector(self, agent: str, sector: str) -> str | None:
        """Resolve ``@home``/``@work`` for ``agent``; literal names are returned unchanged."""
        ...


@runtime_checkable
class RequestTicket(Protocol[R_co]):
    """A handle on submitted work; every method is safe to call from the game thread.

    ``R_co`` is ``LLMResult`` for ``submit`` and ``CallResult`` for ``submit_call``.
    """

    @property
    def id(self) -> int:
        """Unique, increasing in submission order."""
        ...

    @property
    def request(self) -> LLMRequest | None:
        """The LLM request, or None for a ``submit_call`` ticket."""
        ...

    def done(self) -> bool:
        """Whether the result is ready (never blocks)."""
        ...

    def result(self) -> R_co | None:
        """The result once ``done()``, else None. Failures are results with ``error`` set."""
        ...

    def cancel(self) -> bool:
        """Cancel unless already done; True when this call cancelled it."""
        ...

    def set_priority(self, priority: int) -> None:
        """Change the priority of a ticket still waiting (lower is served first)."""
        ...

    def partial_text(self) -> str:
        """Text streamed so far (streaming requests); the full text once done."""
        ...


@runtime_checkable
class RequestGateway(Protocol):
    """Carries requests off the main thread: the threaded ``Gateway`` and ``InlineGateway``."""

    def submit(self, request: LLMRequest) -> RequestTicket[LLMResult]:
        """Queue an LLM request and return its ticket at once."""
        ...

    def submit_call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        agent: str = "system",
        kind: str = "call",
        priority: int = Priority.NORMAL,
        deadline: float | None = None,
    ) -> RequestTicket[CallResult]:
        """Queue a blocking callable ``fn(*args)`` (e.g. an embedding) for a worker thread."""
        ...

    def drain(self) -> Sequence[RequestTicket[Any]]:
        """Tickets finished since the last drain, in finishing order."""
        ...

    def pump(self) -> int:
        """Run queued work now (inline gateway) or do nothing (threaded); returns items run."""
        ...

    def pending_count(self) -> int:
        """Tickets waiting to start."""
        ...

    def in_flight_count(self) -> int:
        """Tickets being served."""
        ...

    def stats(self) -> dict[str, int]:
        """Counters: submitted, completed, coalesced, cancelled, expired, max_queue, ..."""
        ...

    def close(self, timeout: float = 5.0) -> None:
        """Stop accepting work, cancel what waits, finish or cancel what runs."""
        ...
