"""Failure told plainly: the sim against a loopback OpenAI-style server (the real openai SDK)
whose every answer is garbage counts its fallbacks, says the run failed and, with
``--strict``, exits non-zero; against a server that answers well it does neither."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))

from fault_server import FaultServer
from llm_servers import Reply, ScriptedServer, completion_body

from aga_npc.sim.cli import main
from aga_npc.sim.report import health, run_failed

pytestmark = pytest.mark.integration

GARBAGE = (
    "Sure! Here you go ~~~ {not json at all",
    "",
    '{"answer": ["this", "is", "not", "it"]}',
    "I'm sorry, I cannot help with that.",
)


@pytest.fixture
def garbage() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    count = iter(range(10**9))
    server.responder = lambda body: Reply(
        body=completion_body(GARBAGE[next(count) % len(GARBAGE)], usage=(40, 8))
    )
    try:
        yield server
    finally:
        server.close()


def run(
    base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> tuple[int, dict[str, Any]]:
    monkeypatch.setenv("AGA_LLM", "openai")
    monkeypatch.setenv("AGA_LLM_BASE_URL", base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-garbage")
    out = tmp_path / "report.json"
    code = main(
        [
            *("run", "--npcs", "3", "--days", "1", "--mode", "aga", "--embed", "hashing"),
            *("--json", str(out), "--quiet", *extra),
        ]
    )
    return code, json.loads(out.read_text("utf-8"))


def test_garbage_answers_are_fallbacks_and_strict_fails(
    garbage: ScriptedServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = run(garbage.base_url, tmp_path, monkeypatch, "--strict")
    assert len(garbage.bodies) > 0
    assert report["llm"]["backend"] == "openai"
    assert report["llm_fallbacks"] > 0
    h = report["health"]
    assert h["verdict"] == "failed" and h["fallback_share"] > 0.5, h
    assert h["fallbacks"] == report["llm_fallbacks"]
    assert "FAILED" in h["summary"]
    assert code == 3
    assert "FAILED" in capsys.readouterr().err
    # without --strict the run still says so, but exits 0
    code, report = run(garbage.base_url, tmp_path, monkeypatch)
    assert code == 0 and run_failed(report)
    assert "FAILED" in capsys.readouterr().err


def test_a_server_that_answers_well_passes_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FaultServer(rate=0.0, seed=1)
    try:
        code, report = run(server.base_url, tmp_path, monkeypatch, "--strict")
    finally:
        server.down()
    assert code == 0
    assert report["health"]["verdict"] == "ok"
    assert report["llm_fallbacks"] == 0 and report["llm_calls"] > 50


@pytest.mark.parametrize(
    ("outcomes", "verdict"),
    [
        ({"ok": 10}, "ok"),
        ({"ok": 9, "failed": 1}, "degraded"),
        ({"ok": 5, "failed": 3, "expired": 2, "retried": 40}, "degraded"),
        ({"ok": 4, "failed": 5, "refused": 1}, "failed"),
        ({"ok": 0, "cancelled": 1}, "failed"),
        ({"retried": 3}, "ok"),
    ],
)
def test_verdict_table(outcomes: dict[str, int], verdict: str) -> None:
    assert health(outcomes)["verdict"] == verdict
    assert run_failed({"llm_outcomes": outcomes}) == (verdict == "failed")
