"""Tasks run largest first in spawn workers; the comparison is the same with 1 or 2 workers."""

from __future__ import annotations

import json
import math
import operator
from pathlib import Path
from typing import Any

import pytest

from aga_npc.brain.modes import Mode
from aga_npc.errors import ConfigError
from aga_npc.personas.loader import town_personas
from aga_npc.sim.cli import main
from aga_npc.sim.compare import strip_wall_times
from aga_npc.sim.parallel import RunTask, largest_first, run_task, run_tasks


def test_largest_first_keeps_the_order_of_equal_costs() -> None:
    assert largest_first([1.0, 3.0, 2.0, 3.0]) == [1, 3, 2, 0]
    assert largest_first([]) == []


def test_a_task_costs_its_runs_times_agent_days() -> None:
    personas = tuple(p.to_dict() for p in town_personas(3))
    aga = RunTask(personas=personas, mode=Mode.AGA, seed=0, days=2, warm_runs=2)
    base = RunTask(personas=personas, mode=Mode.BASELINE, seed=0, days=2, warm_runs=2)
    assert (aga.warm, aga.cost) == (2, 18.0)
    assert (base.warm, base.cost) == (0, 6.0)
    with pytest.raises(ValueError, match="days"):
        RunTask(personas=personas, mode=Mode.AGA, seed=0, days=0)


def test_in_process_runs_take_the_largest_task_first_and_return_in_task_order() -> None:
    seen: list[int] = []
    results = run_tasks(
        operator.neg,
        [1, 5, 3],
        cost=float,
        workers=1,
        on_done=lambda task, result, at: seen.append(task),
    )
    assert results == [-1, -5, -3]
    assert seen == [5, 3, 1]


def test_worker_processes_return_results_in_task_order() -> None:
    seen: list[int] = []
    results = run_tasks(
        operator.neg,
        list(range(6)),
        cost=float,
        workers=2,
        on_done=lambda task, result, at: seen.append(task),
    )
    assert results == [0, -1, -2, -3, -4, -5]
    assert sorted(seen) == list(range(6))


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="math domain error"):
        run_tasks(math.sqrt, [4.0, -1.0, 9.0], cost=float, workers=2)


def test_a_function_from_main_is_refused() -> None:
    def local(x: int) -> int:
        return x

    local.__module__ = "__main__"
    with pytest.raises(ConfigError, match="importable"):
        run_tasks(local, [1], cost=float, workers=2)


def compare(out: Path, *extra: str) -> dict[str, Any]:
    argv = [
        "compare",
        "--npcs",
        "3",
        "--days",
        "1",
        "--seeds",
        "0,1",
        "--warm-runs",
        "1",
        "--embed",
        "hashing",
        "--out",
        str(out),
        "--no-charts",
        "--quiet",
        *extra,
    ]
    assert main(argv) == 0
    data = {"comparison": json.loads((out / "comparison.json").read_text())}
    for path in sorted((out / "runs").glob("*.json")):
        data[path.name] = json.loads(path.read_text())
    return data


def test_one_worker_and_two_workers_write_the_same_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = compare(tmp_path / "one", "--workers", "1")
    two = compare(tmp_path / "two", "--workers", "2")
    assert one["comparison"]["timing"]["executor"] == "in-process"
    assert two["comparison"]["timing"]["executor"] == "processes"
    assert len(two["comparison"]["timing"]["tasks"]) == 10
    assert json.dumps(strip_wall_times(one), sort_keys=True) == json.dumps(
        strip_wall_times(two), sort_keys=True
    )
    comp = one["comparison"]
    assert comp["seeds"] == [0, 1]
    assert set(comp["modes"]) == {m.value for m in Mode}
    assert sorted(n for n in one if n != "comparison") == sorted(
        f"seed{s}_{m.value}.json" for s in (0, 1) for m in Mode
    )
    assert one["seed1_aga.json"]["seed"] == 1 and one["seed1_aga.json"]["warm_runs"] == 1
    assert one["seed1_baseline.json"]["warm_runs"] == 0
    # lifestyle-only is measured on aga-paper's warm runs (one task, timed per mode)
    assert one["seed1_lifestyle-only.json"]["warm_mode"] == "aga-paper"
    assert comp["modes"]["lifestyle-only"]["warm_mode"] == "aga-paper"
    assert comp["modes"]["aga"]["warm_mode"] == "aga"
    rows = comp["modes"]["baseline"]["per_seed"]
    assert rows[0]["tokens"] != rows[1]["tokens"], "the two seeds are different runs"
    assert "ratio to baseline" in capsys.readouterr().out


def test_modes_sharing_warm_runs_each_start_from_what_the_warm_runs_left() -> None:
    """A mode in ``also`` is measured from a copy of the warm state: what ran before it in
    the same task changes nothing, and the first mode is measured as if it ran alone."""
    personas = tuple(p.to_dict() for p in town_personas(3))
    common: dict[str, Any] = {"personas": personas, "seed": 0, "days": 1, "warm_runs": 1}
    common["embed"] = "hashing"
    alone = run_task(RunTask(mode=Mode.AGA_PAPER, **common))
    pair = run_task(RunTask(mode=Mode.AGA_PAPER, also=(Mode.LIFESTYLE_ONLY,), **common))
    three = run_task(RunTask(mode=Mode.AGA_PAPER, also=(Mode.AGA, Mode.LIFESTYLE_ONLY), **common))
    assert [r["mode"] for r in three] == ["aga-paper", "aga", "lifestyle-only"]
    same = strip_wall_times
    assert same(alone[0]) == same(pair[0]) == same(three[0])
    assert same(pair[1]) == same(three[2])
    assert pair[1]["policy"]["hits"] > 0, "the copy holds the warm runs' routines"
    with pytest.raises(ValueError, match="policy"):
        RunTask(mode=Mode.AGA_PAPER, also=(Mode.BASELINE,), **common)
    with pytest.raises(ValueError, match="repeats"):
        RunTask(mode=Mode.AGA_PAPER, also=(Mode.AGA_PAPER,), **common)
