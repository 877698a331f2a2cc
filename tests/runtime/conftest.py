"""Fixtures for the runtime tests: a manual clock."""

from __future__ import annotations

import pytest

from aga_npc.testing import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(100.0)
