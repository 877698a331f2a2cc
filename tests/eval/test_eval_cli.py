"""``python -m aga_npc.eval curves|relationships`` on the 3-NPC town (offline stand-in,
hashing embedder): JSON and PNG written, figures consistent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {
    **os.environ,
    "AGA_LLM": "offline",
    "SDL_VIDEODRIVER": "dummy",
    "SDL_AUDIODRIVER": "dummy",
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aga_npc.eval", *args, "--embed", "hashing", "--quiet"],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_relationships_writes_a_timeline_per_pair_and_day(tmp_path: Path) -> None:
    done = run("relationships", "--days", "2", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "relationships.json").read_text())
    assert (tmp_path / "relationships.png").stat().st_size > 1000
    assert len(data["pairs"]) == 6  # 3 NPCs, ordered pairs
    for key, rows in data["pairs"].items():
        assert [r["day"] for r in rows] == [0, 1, 2], key
        assert all(0.0 <= r["closeness"] <= 10.0 and r["relationship"] for r in rows)
    start = data["pairs"]["Marta Ellison -> Silas Grue"][0]
    assert (start["closeness"], start["relationship"]) == (7.0, "old friend")  # the persona
    for key in data["changed"]:
        rows = data["pairs"][key]
        assert len({(r["closeness"], r["relationship"]) for r in rows}) > 1


@pytest.mark.slow
def test_curves_writes_both_settings_and_checks_every_activity(tmp_path: Path) -> None:
    done = run("curves", "--seeds", "0-1", "--days", "2", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "curves.json").read_text())
    assert (tmp_path / "curves.png").stat().st_size > 1000
    for setting in ("on", "off"):
        curve = data["curves"][setting]
        assert len(curve) == 2 and 0 < curve[0] <= curve[1]
        assert curve[-1] == len(data[f"types_{setting}"])
        assert data["out_of_character"][setting] == []
    assert data["ratio"] == round(data["curves"]["on"][-1] / data["curves"]["off"][-1], 3)
    assert "ratio" in done.stdout
    for row in data["why"]:
        assert row["memory"] and row["activity"]


@pytest.mark.slow
def test_interview_of_two_modes_from_their_saves(tmp_path: Path) -> None:
    done = run("interview", "--mode", "aga,baseline", "--days", "1", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "interview.json").read_text())
    assert (tmp_path / "interview.png").stat().st_size > 1000
    assert list(data["modes"]) == ["aga", "baseline"]
    asked = {(q["category"], q["text"]) for q in data["questions"]}
    for mode, block in data["modes"].items():
        assert Path(block["save"]).is_file() and Path(block["save"]).parent.name == mode
        assert len(block["answers"]) == 3 * len(asked)  # every agent of the 3-NPC town
        assert all(row["answer"] for row in block["answers"])
    assert data["model"]["stand_in"] is True


@pytest.mark.slow
def test_judge_labels_the_stand_in_in_json_and_console(tmp_path: Path) -> None:
    done = run(
        "judge", "--mode", "aga", "--days", "1", "--agents", "Amara Osei", "--out", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "judge.json").read_text())
    assert (tmp_path / "judge.png").stat().st_size > 1000
    assert data["judge"]["label"] == "stand-in judge: smoke test, not evidence"
    assert "stand-in judge: smoke test, not evidence" in done.stdout
    kinds = {row["kind"] for row in data["scores"]}
    assert {"interview answer", "activity log"} <= kinds
    assert all(1 <= row["score"] <= 5 for row in data["scores"])
    assert data["summary"]["aga"]["all"]["n"] == len(data["scores"])


@pytest.mark.slow
def test_diffusion_reports_who_heard_planned_and_attended(tmp_path: Path) -> None:
    done = run("diffusion", "--npcs", "3", "--mode", "aga", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "diffusion.json").read_text())
    assert (tmp_path / "diffusion.png").stat().st_size > 1000
    block = data["modes"]["aga"]
    assert block["scenario"]["organiser"] == "Silas Grue"
    assert block["counts"]["others"] == 2
    assert block["counts"]["heard"] == len(block["heard"])
    for row in block["heard"].values():
        if row["how"] == "conversation":
            assert "game night" in row["conversation"]["line"][1].lower()


def test_bad_input_is_an_error_message_not_a_trace(tmp_path: Path) -> None:
    done = run("interview", "--mode", "gossip", "--out", str(tmp_path))
    assert done.returncode == 2 and "unknown mode" in done.stderr
    assert "Traceback" not in done.stderr
    done = run("interview", "--save", str(tmp_path / "none.save"), "--mode", "aga")
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.slow
def test_relationships_of_several_modes_go_to_a_folder_each(tmp_path: Path) -> None:
    done = run("relationships", "--mode", "aga,baseline", "--days", "1", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    for mode in ("aga", "baseline"):
        data = json.loads((tmp_path / mode / "relationships.json").read_text())
        assert data["mode"] == mode and len(data["pairs"]) == 6
        assert (tmp_path / mode / "relationships.png").is_file()
    assert not (tmp_path / "relationships.json").exists()
