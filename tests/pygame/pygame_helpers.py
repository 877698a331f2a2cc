"""Shared helpers of the pygame tests: data paths, factory types, ``run_until``."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from aga_npc.host.town_host import TownHost
from aga_npc.pygame.app import GameApp

DATA = Path(__file__).resolve().parents[1] / "town" / "data"
SMALL_TOWN = DATA / "small_town.tmx"
RESIDENTS = DATA / "residents"
TILES_PNG = DATA / "tiles.png"

HostFactory = Callable[..., TownHost]
AppFactory = Callable[..., GameApp]


def run_until(app: GameApp, done: Callable[[], bool], *, timeout: float = 10.0) -> int:
    """Run frames (1/60 s of game each, real time passing for the worker) until ``done()``;
    returns the frames run. Fails the test on timeout."""
    frames = 0
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not reached after {frames} frames ({timeout} s)")
        app.frame(1 / 60)
        frames += 1
        time.sleep(0.002)
    return frames
