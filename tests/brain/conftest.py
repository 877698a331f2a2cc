"""Fixtures of the brain tests: ``rig(handlers)`` builds the scripted stack and closes it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from brain_kit import Rig, make_rig


@pytest.fixture
def rig() -> Iterator[Callable[..., Rig]]:
    made: list[Rig] = []

    def factory(*args: Any, **kwargs: Any) -> Rig:
        r = make_rig(*args, **kwargs)
        made.append(r)
        return r

    yield factory
    for r in made:
        r.gateway.close()
