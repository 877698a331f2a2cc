"""The built wheel works outside the repository (issue 16, packaging).

Builds the wheel (``pip wheel . --no-deps``), installs it with its ``demo`` extra into a
fresh venv in a temp folder, and from a folder outside the checkout runs the console script
``aga-npc-demo --headless --frames 300`` and ``python -m aga_npc.sim run --npcs 3 --days 1``.
The installed package must be the wheel's copy (not the checkout through a path), and the
map and art must come from inside it. pip uses this machine's configured indexes, as
``.ci/run`` does for the project's own install. About a minute; runs in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import aga_npc

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.packaging, pytest.mark.timeout(1200)]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    return env


def _run(argv: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{argv}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", out], cwd=out)
    (built,) = out.glob("aga_npc-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    folder = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", folder / "v"], cwd=folder)
    python = folder / "v" / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", f"{wheel}[demo]"], cwd=folder)
    return folder / "v"


def test_the_wheel_holds_the_map_the_art_and_the_script(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for part in (
        "aga_npc/data/maps/town.tmx",
        "aga_npc/data/assets/kenney/rpg-urban/urban_tilemap.png",
        "aga_npc/data/assets/kenney/roguelike-city/city_tilemap.png",
        "aga_npc/data/assets/kenney/roguelike-interior/interior_tilemap.png",
        "aga_npc/data/assets/aga_extras.png",
        "aga_npc/data/assets/CREDITS.md",
        "aga_npc/llm/data/cl100k_base.tiktoken",
        "aga_npc/policy/matcher_weights.json",
    ):
        assert part in names, part
    assert any(n.startswith("aga_npc/personas/data/town25/") for n in names)
    meta = f"aga_npc-{aga_npc.__version__}.dist-info"
    entry = zipfile.ZipFile(wheel).read(f"{meta}/entry_points.txt").decode()
    assert "aga-npc-demo = aga_npc.pygame.demo:main" in entry
    # No repository files leak in: the wheel is the package alone.
    assert not any(
        n.startswith(("tests/", "tools/", "benchmarks/", "maps/", "assets/")) for n in names
    )


def test_the_installed_wheel_runs_the_demo_and_the_sim(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    where = tmp_path / "elsewhere"
    where.mkdir()
    probe = _run(
        [
            python,
            "-c",
            "import json, aga_npc; from aga_npc.town.build import default_map_path; "
            "from aga_npc.pygame.characters import assets_dir; "
            "from importlib.metadata import version; "
            "print(json.dumps([aga_npc.__file__, str(default_map_path()), "
            "str(assets_dir()), version('aga-npc'), aga_npc.__version__]))",
        ],
        cwd=where,
    )
    package, town, assets, meta_version, version = json.loads(probe.stdout)
    site = str(venv.resolve())
    assert package.startswith(site) and not package.startswith(str(ROOT)), package
    assert town.startswith(site) and Path(town).is_file(), town
    assert assets.startswith(site) and (Path(assets) / "kenney").is_dir(), assets
    assert meta_version == version == aga_npc.__version__

    demo = _run(
        [venv / "bin" / "aga-npc-demo", "--headless", "--frames", "300", "--report", "r.json"],
        cwd=where,
    )
    report = json.loads((where / "r.json").read_text(encoding="utf-8"))
    assert report["frames"] == 300 and report["npcs"] == 25, demo.stdout
    assert "Traceback" not in demo.stderr

    sim_argv = ["run", "--npcs", "3", "--days", "1", "--quiet", "--json", "sim.json"]
    _run([python, "-m", "aga_npc.sim", *sim_argv], cwd=where)
    sim = json.loads((where / "sim.json").read_text(encoding="utf-8"))
    assert sim["mode"] == "aga" and sim["npcs"] == 3 and len(sim["agents"]) == 3, sorted(sim)
    assert sim["days"] == 1 and sim["llm_calls"] > 0
