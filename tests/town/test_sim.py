"""Headless simulation with the offline stand-in: determinism, modes, behaviour checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import load_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.prompts import extract_context
from aga_npc.sim.cli import main
from aga_npc.sim.runner import RunConfig, simulate
from aga_npc.types import LLMRequest, LLMResult

DATA = Path(__file__).resolve().parent / "data"


def config(mode: Mode, *, days: int = 2, seed: int = 0) -> RunConfig:
    return RunConfig(
        personas=tuple(load_personas(DATA / "residents")),
        mode=mode,
        days=days,
        seed=seed,
        map_path=DATA / "small_town.tmx",
    )


def run(mode: Mode, *, days: int = 2, seed: int = 0) -> dict[str, Any]:
    embedder = CachedEmbedder(HashingEmbedder())
    store = PolicyStore(embedder=embedder) if mode.uses_policy else None
    return simulate(
        config(mode, days=days, seed=seed), settings=Settings(), embedder=embedder, store=store
    )


def test_same_seed_gives_identical_reports_and_another_seed_differs() -> None:
    a, b, c = run(Mode.AGA), run(Mode.AGA), run(Mode.AGA, seed=7)
    for r in (a, b, c):
        r.pop("wall_seconds")
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert a["agents"] != c["agents"]


@pytest.mark.parametrize("mode", list(Mode))
def test_two_day_run_has_no_behaviour_violations(mode: Mode) -> None:
    report = run(mode)
    assert report["violations"]["agent_days"] == 2 * report["npcs"]
    assert report["violations"]["total"] == 0, report["violations"]["details"]
    assert report["llm"]["backend"] == "offline"
    for agent in report["agents"].values():
        texts = [t.lower() for _, t in agent["activities"]]
        assert any("sleep" in t or "bed" in t for t in texts)


def test_report_has_the_contract_keys() -> None:
    report = run(Mode.BASELINE, days=1)
    for key in (
        "mode",
        "npcs",
        "days",
        "seed",
        "llm",
        "tokens",
        "llm_calls",
        "llm_failures",
        "llm_fallbacks",
        "policy",
        "agents",
        "wall_seconds",
    ):
        assert key in report
    assert set(report["tokens"]) >= {"prompt", "completion", "total", "by_module"}
    total = sum(m["prompt"] + m["completion"] for m in report["tokens"]["by_module"].values())
    assert total == report["tokens"]["total"]
    assert {"lookups", "hits", "misses", "stored"} <= set(report["policy"])
    for agent in report["agents"].values():
        assert {"activities", "relationships"} <= set(agent)


class Recording:
    """Delegates to the offline stand-in and keeps every request."""

    name = "offline"

    def __init__(self, seed: int = 0) -> None:
        self.inner = OfflineLLM(seed=seed)
        self.model = self.inner.model
        self.calls: list[LLMRequest] = []

    async def complete(self, request: LLMRequest) -> LLMResult:
        self.calls.append(request)
        return await self.inner.complete(request)


@pytest.mark.parametrize(("mode", "social"), [(Mode.SOCIAL_ONLY, True), (Mode.BASELINE, False)])
def test_dialogue_prompts_carry_social_memory_or_raw_memories(
    make_town: Any, mode: Mode, social: bool
) -> None:
    backend = Recording()
    built = make_town(backend, mode=mode)
    built.town.run_minutes(2 * 1440)
    turns = [r for r in backend.calls if r.module_name == "utterance"]
    assert turns, "the housemates talked at least once in two days"
    for request in turns:
        ctx = extract_context(request.messages) or {}
        assert ("social_memory" in ctx) is social
        assert ("memories" in ctx) is (not social)
        assert ("relationship_summary" in ctx) is (not social)
    summaries = [r for r in backend.calls if r.module_name == "relationship_summary"]
    if social:
        assert not summaries, "Social Memory replaces the per-line relationship summary"
    else:
        # Generative Agents: one relationship summary before every line
        assert len(summaries) == len(turns)
    rel = built.town.brains["Ben Ortiz"].relationships().get("Ada Finch", {})
    if social:
        assert rel["relationship"] != "unknown" and rel["times_talked"] >= 1


def test_cli_rejects_absurd_values_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["run", "--days", "0"], ["run", "--npcs", "-3"], ["run", "--seed", "x"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and "must be" in err
