"""A headless run does not depend on the interpreter's string-hash seed.

Each worker of ``compare --workers/--ray`` is a new interpreter with its own
``PYTHONHASHSEED``; anything that follows a set's iteration order (a tie in
``Counter.most_common`` fed from a set, say) makes the same seed give different runs there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def run_in_new_interpreter(tmp_path: Path, mode: str, hash_seed: str) -> dict[str, Any]:
    out = tmp_path / f"{mode}-{hash_seed}.json"
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    argv = [sys.executable, "-m", "aga_npc.sim", "run", "--npcs", "3", "--days", "1"]
    argv += ["--mode", mode, "--embed", "hashing", "--quiet", "--json", str(out)]
    subprocess.run(argv, env=env, check=True, timeout=600)
    report: dict[str, Any] = json.loads(out.read_text())
    report.pop("wall_seconds")
    return report


@pytest.mark.parametrize("mode", ["baseline", "aga"])
def test_two_hash_seeds_give_the_same_run(tmp_path: Path, mode: str) -> None:
    a = run_in_new_interpreter(tmp_path, mode, "1")
    b = run_in_new_interpreter(tmp_path, mode, "2")
    assert a["llm_calls"] > 0
    assert a == b
