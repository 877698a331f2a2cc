"""Protocols (ports) that the core logic depends on and the adapters implement.

- ``LLMBackend``: one narrow async call; wrappers (retry, JSON repair, metering, budget,
  record/replay) implement the same protocol and stack.
- ``Embedder``: ``embed(texts) -> float32 (n, d)`` L2-normalised rows.
- ``WorldView``: what execution conditions and action validation read of the live world.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from aga_npc.types import LLMRequest, LLMResult, ObjectInfo

__all__ = ["Embedder", "LLMBackend", "StreamingBackend", "WorldView"]

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
