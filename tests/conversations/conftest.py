"""Fixtures of the conversation tests: ``make(...)`` builds the test town and closes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from convo_kit import Built, TownMaker, make_town


@pytest.fixture
def make() -> Iterator[TownMaker]:
    made: list[Built] = []

    def factory(*args: Any, **kwargs: Any) -> Built:
        built = make_town(*args, **kwargs)
        made.append(built)
        return built

    yield factory
    for built in made:
        built.gateway.close()
