"""Fixtures: a real TownHost (threaded gateway, hashing embedder) on the small test town,
and a GameApp around it drawing with the SDL dummy driver."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
from pygame_helpers import RESIDENTS, SMALL_TOWN, AppFactory, HostFactory

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.host.town_host import HostConfig, TownHost, clone_personas
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.ports import LLMBackend
from aga_npc.pygame.app import AppConfig, GameApp


@pytest.fixture
def make_host() -> Iterator[HostFactory]:
    """Build a TownHost on the small town (two residents, copies beyond two)."""
    hosts: list[TownHost] = []

    def factory(
        backend: LLMBackend | None = None,
        *,
        npcs: int = 2,
        start: str = "06:00",
        seed: int = 0,
        map_path: Path = SMALL_TOWN,
    ) -> TownHost:
        host = TownHost.create(
            clone_personas(load_personas(RESIDENTS), npcs),
            map_path=map_path,
            config=HostConfig(seed=seed, start=start),
            settings=Settings(embed="hashing"),
            backend=backend or OfflineLLM(seed=seed),
            embedder=CachedEmbedder(HashingEmbedder()),
        )
        hosts.append(host)
        return host

    yield factory
    for host in hosts:
        host.close()


@pytest.fixture
def make_app() -> Iterator[AppFactory]:
    """A GameApp (dummy video driver) around a host; the window is closed afterwards."""
    apps: list[GameApp] = []

    def factory(
        host: TownHost,
        *,
        size: tuple[int, int] = (480, 320),
        player_start: tuple[int, int] | None = None,
        **kw: Any,
    ) -> GameApp:
        app = GameApp(
            host, SMALL_TOWN, config=AppConfig(size=size, **kw), player_start=player_start
        )
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.close()
    pygame.quit()
