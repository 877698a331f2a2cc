"""Fixtures for the map-check tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from broken_maps import MapEditor


@pytest.fixture
def editor(tmp_path: Path) -> MapEditor:
    """An editor over a copy of the hand-made test town, saving into ``tmp_path``."""
    return MapEditor(tmp_path)
