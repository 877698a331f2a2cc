"""demo_game.py's command line: absurd values get one clear message and exit code 2; the
frame report's shape; the embedding example runs headless."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aga_npc.host.stats import FrameStats
from aga_npc.pygame.demo import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--frames", "0"], "--frames"),
        (["--npcs", "-1"], "--npcs"),
        (["--llm-latency", "-3"], "--llm-latency"),
        (["--llm-latency", "nan"], "--llm-latency"),
        (["--zoom", "0"], "--zoom"),
        (["--size", "big"], "--size"),
        (["--speed", "0"], "--speed"),
        (["--start", "25:00"], "--start"),
        (["--map", "/nonexistent/town.tmx"], "no map"),
    ],
)
def test_absurd_values_exit_2_with_one_message(
    args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--headless", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("demo_game.py: error:") and words in err[0]


def test_unparsable_numbers_exit_2_without_a_traceback() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "demo_game.py"), "--headless", "--frames", "many"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "--frames" in out.stderr


def test_frame_stats_report_has_the_contract_keys() -> None:
    stats = FrameStats(warmup=2)
    for i in range(102):
        stats.record(float(i), i / 100)
    report = stats.report(npcs=7, gateway={"submitted": 9, "completed": 8, "max_queue": 3})
    assert set(report) >= {"frames", "npcs", "frame_ms", "brain_ms_per_frame", "llm"}
    assert report["frames"] == 102 and report["npcs"] == 7
    assert set(report["frame_ms"]) == {"mean", "p50", "p99", "max"}
    assert set(report["brain_ms_per_frame"]) == {"mean", "p99"}
    assert report["llm"] == {"submitted": 9, "completed": 8, "max_queue": 3}
    # The two warm-up frames (0 and 1 ms) are left out: 2..101 remain.
    assert report["frame_ms"]["max"] == 101.0
    assert report["frame_ms"]["mean"] == pytest.approx(51.5)
    assert report["frame_ms"]["p50"] == pytest.approx(51.5)
    assert 100.0 <= report["frame_ms"]["p99"] <= 101.0
    table = FrameStats.table(report)
    assert "p99" in table and "max queue 3" in table


def test_embedding_example_runs_headless() -> None:
    env = {**os.environ, "AGA_EMBED": "hashing", "SDL_VIDEODRIVER": "dummy"}
    env.pop("AGA_LLM_BASE_URL", None)
    env.pop("OPENAI_BASE_URL", None)
    env.pop("OPENAI_API_KEY", None)
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "embed_minimal.py"),
            "--headless",
            "--frames",
            "300",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    # The NPC answered the player, and the clock moved on (300 frames at 60 FPS: 5 minutes).
    assert any(": " in line and not line.startswith("day") for line in lines[:-1])
    assert lines[-1].startswith("day 1 (mon) 08:0")


def test_embedding_glue_is_at_most_40_lines() -> None:
    lines = (ROOT / "examples" / "embed_minimal.py").read_text(encoding="utf-8").splitlines()
    begin = next(i for i, line in enumerate(lines) if "brain glue: begin" in line)
    end = next(i for i, line in enumerate(lines) if "brain glue: end" in line)
    inside = [
        line for line in lines[begin + 1 : end] if line.strip() and not line.strip().startswith("#")
    ]
    outside = [
        line for i, line in enumerate(lines) if not begin <= i <= end and "# brain glue" in line
    ]
    assert len(inside) + len(outside) <= 40


def test_headless_demo_on_the_real_town_writes_the_report(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy"}
    for key in ("AGA_LLM", "AGA_LLM_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        env.pop(key, None)
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "demo_game.py"),
            "--headless",
            "--frames",
            "90",
            "--npcs",
            "27",
            "--seed",
            "3",
            "--embed",
            "hashing",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["frames"] == 90 and data["npcs"] == 27
    assert set(data["frame_ms"]) == {"mean", "p50", "p99", "max"}
    assert 0 < data["frame_ms"]["p50"] <= data["frame_ms"]["p99"] <= data["frame_ms"]["max"]
    assert data["llm"]["submitted"] > 0 and data["backend"] == "offline"
    assert "frame ms" in out.stdout and "p99" in out.stdout
