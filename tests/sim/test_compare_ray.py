"""``--ray local``: the same tasks on a private Ray instance give the same comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aga_npc.sim.cli import main
from aga_npc.sim.compare import strip_wall_times

pytest.importorskip("ray")

ARGV = [
    "compare",
    "--npcs",
    "3",
    "--days",
    "1",
    "--seeds",
    "0,1",
    "--warm-runs",
    "1",
    "--modes",
    "aga-paper",
    "--embed",
    "hashing",
    "--no-charts",
    "--quiet",
]


@pytest.mark.slow
@pytest.mark.timeout(900)  # starting Ray on a loaded 2-core machine took over 300 s once
def test_ray_local_gives_the_same_comparison_as_this_process(tmp_path: Path) -> None:
    assert main([*ARGV, "--workers", "1", "--out", str(tmp_path / "here")]) == 0
    assert main([*ARGV, "--workers", "2", "--ray", "local", "--out", str(tmp_path / "ray")]) == 0
    here = json.loads((tmp_path / "here" / "comparison.json").read_text())
    ray = json.loads((tmp_path / "ray" / "comparison.json").read_text())
    assert ray["timing"]["executor"] == "ray (local)"
    assert strip_wall_times(here) == strip_wall_times(ray)


def test_no_ray_cluster_to_join_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setenv("RAY_TMPDIR", str(tmp_path / "ray"))  # no cluster's address file here
    argv = [*ARGV, "--seeds", "0", "--ray", "auto", "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--ray auto: cannot start or join Ray" in err and "Traceback" not in err
