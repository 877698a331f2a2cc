"""Fixtures for the world tests: the hand-made maps in tests/world/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from aga_npc.world import World

DATA = Path(__file__).parent / "data"
SMALL_TOWN = DATA / "small_town.tmx"
BARE = DATA / "bare.tmx"


@pytest.fixture(scope="session")
def small_town_path() -> Path:
    return SMALL_TOWN


@pytest.fixture
def world() -> World:
    """A fresh small test town: Test House (bedroom, kitchen), Test Cafe, Test Park."""
    return World.load(SMALL_TOWN)
