"""Shared helpers of the host tests: data paths, the factory type, a recording backend."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from aga_npc.host.town_host import TownHost
from aga_npc.offline import OfflineLLM
from aga_npc.types import LLMRequest, LLMResult

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
SMALL_TOWN = DATA / "small_town.tmx"
RESIDENTS = DATA / "residents"

HostFactory = Callable[..., TownHost]


class Recording:
    """The offline stand-in, keeping every request it was sent."""

    def __init__(self, seed: int = 0) -> None:
        self.inner = OfflineLLM(seed=seed)
        self.name = self.inner.name
        self.model = self.inner.model
        self.requests: list[LLMRequest] = []

    async def complete(self, request: LLMRequest) -> LLMResult:
        self.requests.append(request)
        await asyncio.sleep(0)
        return await self.inner.complete(request)
