"""The demo's --record/--replay: a headless game writes a recording its replay answers from;
a damaged or missing recording is one clear message and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aga_npc.llm.recording import read_recording
from aga_npc.pygame.demo import main

GAME = ["--headless", "--npcs", "3", "--frames", "150", "--speed", "60", "--embed", "hashing"]


@pytest.fixture(autouse=True)
def _headless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    for name in ("AGA_LLM", "AGA_LLM_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_demo_records_and_replays(tmp_path: Path) -> None:
    rec = tmp_path / "game.rec"
    assert main([*GAME, "--record", str(rec), "--report", str(tmp_path / "live.json")]) == 0
    recording = read_recording(rec)  # how many answers came in depends on the machine's speed
    assert recording.meta["seed"] == 0
    assert recording.meta["model"] == "offline-standin-1"
    assert recording.meta["run"] == {"mode": "aga", "npcs": 3}

    recorded = rec.read_bytes()
    out = tmp_path / "replay.json"
    assert main([*GAME, "--replay", str(rec), "--report", str(out)]) == 0
    report = json.loads(out.read_text("utf-8"))
    assert (report["backend"], report["model"]) == ("offline", "offline-standin-1")
    assert report["llm"]["submitted"] >= 1
    assert rec.read_bytes() == recorded  # a replay never writes its recording


@pytest.mark.parametrize("damage", ["missing", "truncated"])
def test_demo_damaged_replay_exits_2_with_one_message(
    tmp_path: Path, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.rec"
    if damage == "truncated":
        bad.write_bytes(b"\x83\xa6format")  # a map cut short
    assert main(["--headless", "--replay", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--replay" in err[0] and str(bad) in err[0]
    assert ("no such recording" if damage == "missing" else "corrupt or truncated") in err[0]


def test_demo_refuses_record_and_replay_together(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--headless", "--record", "a.rec", "--replay", "b.rec"])
    assert stop.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
