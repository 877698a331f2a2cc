"""Fixtures: a real TownHost (threaded gateway, offline stand-in in a thread, hashing
embedder) on the small test town; no pygame."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from host_helpers import RESIDENTS, SMALL_TOWN, HostFactory

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.host.town_host import HostConfig, TownHost, clone_personas
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas


@pytest.fixture
def make_host() -> Iterator[HostFactory]:
    """Build a TownHost on the small town (two residents, copies beyond two)."""
    hosts: list[TownHost] = []

    def factory(
        *,
        backend: object | None = None,
        npcs: int = 2,
        start: str = "06:00",
        seed: int = 0,
        map_path: Path = SMALL_TOWN,
        minutes_per_second: float = 1.0,
    ) -> TownHost:
        host = TownHost.create(
            clone_personas(load_personas(RESIDENTS), npcs),
            map_path=map_path,
            config=HostConfig(
                seed=seed,
                start=start,
                minutes_per_second=minutes_per_second,
                gc_freeze=False,
            ),
            settings=Settings(embed="hashing"),
            backend=backend or OfflineLLM(seed=seed),  # type: ignore[arg-type]
            embedder=CachedEmbedder(HashingEmbedder()),
        )
        hosts.append(host)
        return host

    yield factory
    for host in hosts:
        host.close()
