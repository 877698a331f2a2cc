"""Bad maps and personas in the demo and the sim (issue 16, point 9): one message naming the
file and the field, exit code 2, no traceback.

Each case runs both commands as a user would, in a subprocess:
``demo_game.py --headless --map X --personas Y`` and
``python -m aga_npc.sim run --map X --personas Y``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "town" / "data"
SMALL_TOWN = DATA / "small_town.tmx"
RESIDENTS = DATA / "residents"
ADA = (RESIDENTS / "ada_finch.toml").read_text(encoding="utf-8")
BEN = (RESIDENTS / "ben_ortiz.toml").read_text(encoding="utf-8")

EMPTY_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" orientation="orthogonal" renderorder="right-down" width="12" height="8"
 tilewidth="16" tileheight="16" infinite="0" nextlayerid="1" nextobjectid="1">
</map>
"""


def demo(map_path: Path, personas: Path | None) -> list[str]:
    argv = [str(ROOT / "demo_game.py"), "--headless", "--frames", "5", "--embed", "hashing"]
    argv += ["--map", str(map_path)]
    return argv + (["--personas", str(personas)] if personas else ["--npcs", "3"])


def sim(map_path: Path, personas: Path | None) -> list[str]:
    argv = ["-m", "aga_npc.sim", "run", "--days", "1", "--embed", "hashing", "--quiet"]
    argv += ["--map", str(map_path)]
    return argv + (["--personas", str(personas)] if personas else ["--npcs", "3"])


COMMANDS = {"demo": demo, "sim": sim}


def refused(argv: list[str], cwd: Path) -> str:
    """The one line of a clean refusal (exit 2, no traceback, nothing on stdout)."""
    done = subprocess.run(
        [sys.executable, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PATH": "/usr/bin:/bin"},
    )
    text = done.stdout + done.stderr
    assert done.returncode == 2, text
    assert "Traceback" not in text, text
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and not done.stdout.strip(), text
    return lines[0]


def town(tmp_path: Path, *files: tuple[str, str]) -> Path:
    folder = tmp_path / "people"
    folder.mkdir()
    for name, text in files:
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def field(line: str, name: str) -> None:
    assert f"(field {name!r})" in line, line


@pytest.fixture(params=sorted(COMMANDS))
def command(request: pytest.FixtureRequest) -> Callable[[Path, Path | None], list[str]]:
    return COMMANDS[request.param]


def test_sectors_that_do_not_match_the_personas(
    command: Callable[[Path, Path | None], list[str]], tmp_path: Path
) -> None:
    """The bundled residents on another town's map: their homes are not its sectors."""
    line = refused(command(SMALL_TOWN, None), tmp_path)
    assert re.search(r"aga_npc/personas/data/town(3|25)/\w+\.toml", line), line
    field(line, "home")
    assert str(SMALL_TOWN) in line and "Test House" in line  # the map and what it has


def test_an_empty_map(command: Callable[[Path, Path | None], list[str]], tmp_path: Path) -> None:
    bare = tmp_path / "bare.tmx"
    bare.write_text(EMPTY_TMX, encoding="utf-8")
    line = refused(command(bare, RESIDENTS), tmp_path)
    assert str(bare) in line and "layer 'locations'" in line and "no sectors" in line, line
    nothing = tmp_path / "nothing.tmx"
    nothing.write_bytes(b"")
    line = refused(command(nothing, RESIDENTS), tmp_path)
    assert str(nothing) in line and "cannot read map" in line, line


def test_a_map_without_beds_for_the_residents(
    command: Callable[[Path, Path | None], list[str]], tmp_path: Path
) -> None:
    text = SMALL_TOWN.read_text(encoding="utf-8")
    no_spawns = re.sub(r'<objectgroup id="6" name="spawns">.*?</objectgroup>', "", text, flags=re.S)
    assert no_spawns != text
    bedless = tmp_path / "bedless.tmx"
    bedless.write_text(no_spawns, encoding="utf-8")
    (tmp_path / "tiles.png").write_bytes((DATA / "tiles.png").read_bytes())
    line = refused(command(bedless, RESIDENTS), tmp_path)
    field(line, "home")
    assert "ada_finch.toml" in line and str(bedless) in line and "0 bed(s)" in line, line


@pytest.mark.parametrize(
    ("old", "new", "name"),
    [
        ('home = "Test House"', 'home = "Nowhere Farm"', "home"),
        ('workplace = "Test Cafe"', 'workplace = "The Moon"', "workplace"),
        ('role = "barista"', 'role = "barista"\nbed = "Test House:bedroom:bed 9"', "bed"),
    ],
)
def test_a_persona_whose_place_is_not_on_the_map(
    command: Callable[[Path, Path | None], list[str]],
    tmp_path: Path,
    old: str,
    new: str,
    name: str,
) -> None:
    assert old in ADA
    people = town(tmp_path, ("ada_finch.toml", ADA.replace(old, new)), ("ben_ortiz.toml", BEN))
    line = refused(command(SMALL_TOWN, people), tmp_path)
    field(line, name)
    assert str(people / "ada_finch.toml") in line and str(SMALL_TOWN) in line, line
    assert new.split('"')[-2] in line  # the value that is not there


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (ADA.replace("age = 34", 'age = "old"'), "age"),
        (ADA.replace('name = "Ada Finch"\n', ""), "name"),
        (ADA.replace('wake_time = "06:30"', 'wake_time = "half six"'), "wake_time"),
        (ADA.replace('name = "Ada Finch"', 'name = "Ada Finch'), None),  # not TOML at all
    ],
)
def test_a_malformed_persona_file(
    command: Callable[[Path, Path | None], list[str]],
    tmp_path: Path,
    text: str,
    name: str | None,
) -> None:
    people = town(tmp_path, ("ada_finch.toml", text), ("ben_ortiz.toml", BEN))
    line = refused(command(SMALL_TOWN, people), tmp_path)
    assert str(people / "ada_finch.toml") in line, line
    if name is None:
        assert "not valid TOML" in line and "line" in line, line
    else:
        field(line, name)


def test_good_personas_on_their_map_are_not_refused(tmp_path: Path) -> None:
    """The checks refuse only what is wrong: the same files, unchanged, run in both."""
    done = subprocess.run(
        [sys.executable, *demo(SMALL_TOWN, RESIDENTS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "frames 5  npcs 2" in done.stdout, done.stdout
