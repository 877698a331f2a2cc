"""``maps check --kinds``: a map of a game's own kinds checked against its kinds file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from aga_npc.maps.__main__ import main

DATA = Path(__file__).parents[1] / "world" / "data"
FARM = DATA / "farm.tmx"
FARM_KINDS = DATA / "farm_kinds.toml"


def test_check_with_the_games_kinds_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FARM), "--kinds", str(FARM_KINDS), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == []
    assert report["objects"]["fishing spot"] == 1 and report["objects"]["field"] == 2


def test_check_without_them_names_each_unknown_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FARM)]) == 1
    out = capsys.readouterr().out
    assert out.count("[unknown_kind]") == 5
    assert "unknown kind 'market stall' (known: bar, bed" in out


def test_a_kinds_file_lacking_one_of_the_maps_kinds_leaves_it_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds = tmp_path / "kinds.toml"
    kinds.write_text('[kinds.field]\nverbs = ["harvest"]\n', encoding="utf-8")
    assert main(["check", str(FARM), "--kinds", str(kinds)]) == 1
    out = capsys.readouterr().out
    assert out.count("[unknown_kind]") == 3
    assert "field, fountain" in out  # the file's kind is among the known ones


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[kinds.pond]\nverbs = ["fish"]\nsmell = 1\n', 'kinds."pond".smell'),
        ('[kinds.pond]\nverbs = "fish"\n', 'kinds."pond".verbs'),
        ("[kinds.pond]\nverbs = []\n", 'kinds."pond".verbs'),
        ('[kinds.pond]\nverbs = ["a"]\n[kinds.Pond]\nverbs = ["b"]\n', "duplicate kind"),
    ],
)
def test_a_bad_kinds_file_exits_two_with_one_line(tmp_path: Path, text: str, field: str) -> None:
    kinds = tmp_path / "kinds.toml"
    kinds.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "aga_npc.maps", "check", str(FARM), "--kinds", str(kinds)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"error: {kinds}: ")
    assert field in proc.stderr and proc.stderr.count("\n") == 1
