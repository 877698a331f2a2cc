"""Fixtures of the evaluation tests: fakellm with the evaluation's rules (interview answers,
judge verdicts, a malformed verdict, an invitee's plan) and a saved 3-resident run."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))

from eval_kit import RULES
from llm_servers import FakeLLMServer, ScriptedServer, start_fakellm


@pytest.fixture(scope="session")
def fakellm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeLLMServer]:
    """fakellm on a free loopback port with the evaluation's rules."""
    server = start_fakellm(tmp_path_factory.mktemp("fakellm-eval"), rules=RULES)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def saved_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished one-day run of the 3-resident town (aga, offline, hashing), saved."""
    from aga_npc.config import Settings
    from aga_npc.embed.cache import CachedEmbedder
    from aga_npc.embed.hashing import HashingEmbedder
    from aga_npc.eval.runs import watched_run
    from aga_npc.sim.population import town_for

    path = tmp_path_factory.mktemp("eval-run") / "town.save"
    personas, map_path = town_for(3)
    watched_run(
        personas,
        mode="aga",
        days=1,
        seed=0,
        settings=Settings(llm="offline", embed="hashing"),
        embedder=CachedEmbedder(HashingEmbedder()),
        map_path=map_path,
        checkpoint=path,
    )
    return path
