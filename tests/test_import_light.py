"""`import aga_npc` must stay light: no pygame, no LLM SDK, no HTTP client, no ONNX runtime."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("pygame", "openai", "httpx", "onnxruntime", "tokenizers", "tiktoken")


def test_import_aga_npc_pulls_no_heavy_modules() -> None:
    code = (
        "import json, sys; import aga_npc; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_the_game_api_from_aga_npc_pulls_no_heavy_modules() -> None:
    """``from aga_npc import TownHost, HostConfig, grid_world, Persona`` is the host side:
    it may build a town but must not pull pygame or an SDK on import."""
    code = (
        "import json, sys; from aga_npc import TownHost, HostConfig, grid_world, Persona; "
        "import aga_npc.host.town_host as h, aga_npc.host.gridworld as g, "
        "aga_npc.personas.model as m; "
        "assert TownHost is h.TownHost and HostConfig is h.HostConfig; "
        "assert grid_world is g.grid_world and Persona is m.Persona; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_the_version_has_one_source() -> None:
    """pyproject.toml reads the version from ``aga_npc.__version__`` and states none itself
    (the installed wheel's metadata is checked against it in tests/packaging)."""
    import tomllib
    from pathlib import Path

    import aga_npc

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "aga_npc.__version__"}
    assert aga_npc.__version__.count(".") == 2


def test_the_host_package_imports_no_pygame() -> None:
    """``aga_npc.host`` is the engine-agnostic host: every module in it loads without pygame
    (a game on another engine uses it), and ``aga_npc.pygame`` no longer carries the host."""
    import aga_npc.host
    import aga_npc.pygame

    package = Path(aga_npc.host.__file__).parent
    names = sorted(f"aga_npc.host.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__")
    assert "aga_npc.host.town_host" in names
    code = (
        "import importlib, json, sys; "
        f"[importlib.import_module(n) for n in {names!r}]; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []
    assert "TownHost" not in aga_npc.pygame.__all__
    assert "TownHost" in aga_npc.host.__all__
