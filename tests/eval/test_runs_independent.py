"""A run of the evaluation does not depend on the runs before it: the embedding cache that
the caller passes computes each text once for all runs, but what a run can look up without
asking (``cached``) is only what that run itself embedded, as in ``sim compare``."""

from __future__ import annotations

from typing import Any

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.eval.runs import watched_run
from aga_npc.sim.population import town_for

SETTINGS = Settings(llm="offline", embed="hashing")


def run(seed: int, embedder: CachedEmbedder) -> dict[str, Any]:
    personas, map_path = town_for(3)
    report = watched_run(
        personas,
        mode="aga",
        days=1,
        seed=seed,
        settings=SETTINGS,
        embedder=embedder,
        map_path=map_path,
    ).report
    return {k: v for k, v in report.items() if "wall" not in k}


def test_a_run_after_another_is_the_run_alone() -> None:
    alone = run(1, CachedEmbedder(HashingEmbedder()))
    shared = CachedEmbedder(HashingEmbedder())
    run(0, shared)
    computed = len(shared)
    after = run(1, shared)
    assert after == alone
    assert computed > 0 and len(shared) >= computed, "the caller's cache keeps every vector"
