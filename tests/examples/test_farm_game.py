"""examples/farm_game.py, a game shaped like a real third-party one: at most 60 lines of
aga_npc glue (counted honestly: every line outside the marked region that touches the
brains is marked and counted), its own map and kinds, and villagers that use the farm's
own verbs in a headless run."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tokenize
import tomllib
from pathlib import Path

import pytest

from aga_npc.world.kinds import KindRegistry

ROOT = Path(__file__).resolve().parents[2]
GAME = ROOT / "examples" / "farm_game.py"
FARM = ROOT / "examples" / "farm"
BEGIN = "# --- aga_npc glue ---"
END = "# --- end of aga_npc glue ---"
MARK = re.compile(r"#\s*glue\b")
# names that only exist because of the brains: a code line using one is glue
GLUE_NAMES = {"host", "villagers", "dialogue", "executed", "brains_frame", "talk_to_nearest"}
GLUE_NAMES |= {"dialogue_takes", "TownHost", "NpcView", "DialogueBox", "HostConfig"}


def glue_lines(source: str) -> tuple[list[str], list[str]]:
    """(the counted glue lines, code lines outside the region using brain names unmarked)."""
    names_on: dict[int, set[str]] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME:
            names_on.setdefault(tok.start[0], set()).add(tok.string)
    counted: list[str] = []
    unmarked: list[str] = []
    inside = False
    regions = 0
    for number, line in enumerate(source.splitlines(), 1):
        text = line.strip()
        if text == BEGIN:
            assert not inside, f"line {number}: a glue region opened inside another"
            inside, regions = True, regions + 1
            continue
        if text == END:
            assert inside, f"line {number}: a glue region closed that was not open"
            inside = False
            continue
        if not text or text.startswith("#"):
            continue
        if inside or MARK.search(line):
            counted.append(line)
        elif names_on.get(number, set()) & GLUE_NAMES:
            unmarked.append(f"{number}: {line}")
    assert not inside, "a glue region is not closed"
    assert regions >= 1, "no glue region"
    return counted, unmarked


def test_the_glue_is_at_most_60_lines_and_all_of_it_is_marked() -> None:
    counted, unmarked = glue_lines(GAME.read_text(encoding="utf-8"))
    assert unmarked == [], "lines using the brains outside the glue, not marked # glue"
    assert 20 <= len(counted) <= 60, len(counted)


def test_the_glue_counter_catches_hidden_glue() -> None:
    source = GAME.read_text(encoding="utf-8")
    hidden = source.replace("    brains_frame(dt)  # glue\n", "    brains_frame(dt)\n")
    assert hidden != source
    _, unmarked = glue_lines(hidden)
    assert any("brains_frame(dt)" in line for line in unmarked)
    with pytest.raises(AssertionError, match="not closed"):
        glue_lines(source.replace(END, "# the end"))


def test_the_farm_map_loads_with_its_own_kinds_and_object_layer_collisions() -> None:
    from aga_npc.world.model import World

    kinds = KindRegistry.resolve(FARM / "kinds.toml")
    world = World.load(FARM / "farm.tmx", kinds=kinds)
    by_kind = {spec.kind for spec in world.layout.objects.values()}
    assert {"field", "fishing spot", "market stall"} <= by_kind
    # the collision object layer blocks the villagers: walls and water, not the doors
    walls = [
        tuple(int(v) // 16 for v in m)
        for m in re.findall(
            r'<object id="\d+" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/>',
            (FARM / "farm.tmx").read_text(encoding="utf-8"),
        )
    ]
    assert len(walls) >= 10
    for x, y, w, h in walls:
        for tile in [(tx, ty) for tx in range(x, x + w) for ty in range(y, y + h)]:
            assert not world.grid.is_walkable(tile), tile
    assert world.grid.is_walkable((10, 9)) and world.grid.is_walkable((7, 5))  # doors
    text = (FARM / "farm.tmx").read_text(encoding="utf-8")
    assert '<objectgroup id="5" name="collision"' in text
    assert '<layer id="2" name="walls"' in text and 'name="collision" width=' not in text
    # every tileset image is bundled art, found from the map's folder
    for source in re.findall(r'<image source="([^"]+)"', text):
        image = (FARM / source).resolve()
        assert image.is_file() and (ROOT / "aga_npc" / "data" / "assets") in image.parents
    # the generator writes this very file
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import runpy; print(runpy.run_path({str(FARM / 'make_map.py')!r})['build']())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == text + "\n"


def test_the_license_note_names_the_art() -> None:
    note = (FARM / "LICENSE.md").read_text(encoding="utf-8")
    assert "Kenney" in note and "CC0" in note


def test_a_bad_frame_count_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, str(GAME), "--headless", "--frames", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--frames must be at least 1" in result.stderr and "Traceback" not in result.stderr


def custom_verbs() -> set[str]:
    data = tomllib.loads((FARM / "kinds.toml").read_text(encoding="utf-8"))
    return {verb for kind in data["kinds"].values() for verb in kind["verbs"]}


def test_headless_villagers_use_the_farms_own_verbs(tmp_path: Path) -> None:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    result = subprocess.run(
        [sys.executable, str(GAME), "--headless", "--frames", "600"],
        capture_output=True,
        text=True,
        timeout=280,
        cwd=tmp_path,  # run from anywhere, as a user would
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summaries = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(summaries) == 1, "one game ran (an unguarded script must not start twice)"
    summary = json.loads(summaries[0])
    assert summary["frames"] == 600
    assert set(summary["executed"]) <= {"Tom Reed", "Mae Reed", "Ivy Reed"}
    done = {verb for verbs in summary["executed"].values() for verb in verbs}
    assert done & custom_verbs(), summary
    assert "Traceback" not in result.stderr
