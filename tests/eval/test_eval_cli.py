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
