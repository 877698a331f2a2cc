"""Fixtures for the LLM tests: a real fakellm server (session) and a scripted loopback server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llm_servers import FakeLLMServer, ScriptedServer, start_fakellm


@pytest.fixture(scope="session")
def fakellm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeLLMServer]:
    """fakellm on a free loopback port for the whole session; stopped at the end."""
    server = start_fakellm(tmp_path_factory.mktemp("fakellm"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    """A scripted OpenAI-style server on a free loopback port."""
    server = ScriptedServer()
    try:
        yield server
    finally:
        server.close()
