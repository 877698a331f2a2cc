"""``--kinds`` on the simulation and the demo: a map with the game's own object kinds runs
from the command line, and a bad kinds file is one message and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aga_npc.sim.cli import main

DATA = Path(__file__).resolve().parents[1] / "world" / "data"
FARM, KINDS, RESIDENTS = DATA / "farm.tmx", DATA / "farm_kinds.toml", DATA / "farm_residents"


def test_sim_run_on_a_map_with_its_own_kinds(tmp_path: Path) -> None:
    out = tmp_path / "farm.json"
    args = ["run", "--map", str(FARM), "--kinds", str(KINDS), "--personas", str(RESIDENTS)]
    code = main([*args, "--days", "1", "--embed", "hashing", "--json", str(out), "--quiet"])
    assert code == 0
    report = json.loads(out.read_text())
    assert report["npcs"] == len(list(RESIDENTS.glob("*.toml")))
    assert report["llm_calls"] > 0


def test_a_bad_kinds_file_is_exit_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "kinds.toml"
    bad.write_text('[kinds."fishing spot"]\nverbs = []\n', encoding="utf-8")
    args = ["run", "--map", str(FARM), "--kinds", str(bad), "--personas", str(RESIDENTS)]
    assert main([*args, "--days", "1", "--embed", "hashing", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "verbs" in err and "Traceback" not in err


def test_the_demo_takes_kinds_and_refuses_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pygame")
    from aga_npc.pygame.demo import main as demo

    bad = tmp_path / "kinds.toml"
    bad.write_text('[kinds."field"]\nverbs = ["harvest"]\nsize = 3\n', encoding="utf-8")
    args = ["--map", str(FARM), "--personas", str(RESIDENTS), "--headless", "--frames", "5"]
    assert demo([*args, "--kinds", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "size" in err
    assert demo([*args, "--kinds", str(KINDS), "--embed", "hashing"]) == 0
