"""Bad input at the command line: one clear message, a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aga_npc.store.framing import encode_frame, encode_header
from aga_npc.store.snapshot import SNAPSHOT_MAGIC
from aga_npc.town.save import SCHEMA, VERSION

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "town" / "data"


def run(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def assert_clean_failure(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    text = done.stderr + done.stdout
    for needle in needles:
        assert needle in text, text


def sim_run(*extra: str) -> list[str]:
    return ["-m", "aga_npc.sim", "run", "--days", "1", "--embed", "hashing", "--quiet", *extra]


def test_malformed_persona_toml_names_the_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "Ada"\nhome = "Test House"\nage = "old"\n')
    done = run(*sim_run("--map", str(DATA / "small_town.tmx"), "--personas", str(bad)))
    assert_clean_failure(done, str(bad), "age")
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "Ada\nhome = \n')
    done = run(*sim_run("--map", str(DATA / "small_town.tmx"), "--personas", str(broken)))
    assert_clean_failure(done, str(broken))


def test_map_with_missing_layers_or_unknown_kind_is_refused(tmp_path: Path) -> None:
    text = (DATA / "small_town.tmx").read_text()
    unknown = tmp_path / "unknown_kind.tmx"
    unknown.write_text(text.replace('value="stove"', 'value="teleporter"'), encoding="utf-8")
    (tmp_path / "tiles.png").write_bytes((DATA / "tiles.png").read_bytes())
    done = run("-m", "aga_npc.maps", "check", str(unknown))
    assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
    assert "teleporter" in done.stdout
    garbage = tmp_path / "garbage.tmx"
    garbage.write_text("<map><this is not xml")
    done = run("-m", "aga_npc.maps", "check", str(garbage))
    assert done.returncode == 2
    assert_clean_failure(done, str(garbage))
    done = run(*sim_run("--map", str(garbage), "--personas", str(DATA / "residents")))
    assert_clean_failure(done, str(garbage))


def test_a_save_from_a_newer_schema_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "town.sav"
    newer.write_bytes(SNAPSHOT_MAGIC + encode_header(SCHEMA, VERSION + 1, {}) + encode_frame({}))
    done = run(
        *sim_run(
            "--map",
            str(DATA / "small_town.tmx"),
            "--personas",
            str(DATA / "residents"),
            "--checkpoint",
            str(newer),
            "--resume",
        )
    )
    assert_clean_failure(done, str(newer))
    assert "newer" in (done.stderr + done.stdout).lower()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["-m", "aga_npc.sim", "run", "--days", "-2"], "--days"),
        (["-m", "aga_npc.sim", "run", "--npcs", "0"], "--npcs"),
        (
            ["-m", "aga_npc.sim", "run", "--npcs", "6000"],
            "--npcs must be between 1 and 5025",
        ),  # no town holds them
        (["-m", "aga_npc.sim", "run", "--mode", "fast"], "--mode"),
        (["-m", "aga_npc.sim", "compare", "--warm-runs", "999"], "--warm-runs"),
        (["demo_game.py", "--headless", "--frames", "0"], "--frames"),
        (["demo_game.py", "--headless", "--npcs", "-1"], "--npcs"),
        (["demo_game.py", "--headless", "--llm-latency", "-3"], "latency"),
        (["-m", "aga_npc.maps", "check"], "usage"),
    ],
)
def test_absurd_cli_values(argv: list[str], needle: str) -> None:
    assert_clean_failure(run(*argv), needle)
