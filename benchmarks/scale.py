"""Scale: one game day of the town at 25, 100, 250 and 1,000 NPCs, each in its own process.

    python benchmarks/scale.py [--sizes 25,100,250,1000] [--days 1] [--json out.json]

Each size runs ``python -m aga_npc.sim run --npcs N --days D`` (aga mode, seed 0, the
offline stand-in, the default local embedder; a generated town beyond 25 NPCs, made into
the map cache before the clock starts) in a child process of its own, one after the other.
Per size it reports wall seconds per NPC-day (the whole child: start-up, map loading,
building the town, the run and the report), the run alone per NPC-day, tokens per NPC-day,
LLM calls, the child's peak RSS (``ru_maxrss`` from ``os.wait4``), its CPU seconds (all
threads) and the CPU seconds of its main thread. The goal of issue 17: the 1,000-NPC day in
<= 10 minutes wall on 2 cores with RSS <= 4 GB. The machine's load average (``os.getloadavg``)
before and after each size is written beside the figures: wall time is disturbed by other
work, main-thread CPU much less.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import environment, parser, print_table, write_json

DEFAULT_SIZES = (25, 100, 250, 1000)
GOAL_WALL_1000 = 600.0
GOAL_RSS_MB = 4096.0


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise SystemExit(f"--sizes takes whole numbers like 25,100, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise SystemExit(f"--sizes takes positive whole numbers, got {text!r}")
    return sizes


def _hourly(path: Path, wall0: float, cpu0: float, main0: float) -> Any:
    """A sim progress callback appending one JSON line per game hour to ``path``: a run
    stopped before its end still tells how far it got and at what cost."""

    def show(done: int, total: int) -> None:
        row = {
            "game_hours": done // 60,
            "of": total // 60,
            "wall_s": round(time.perf_counter() - wall0, 2),
            "cpu_s": round(time.process_time() - cpu0, 2),
            "main_thread_cpu_s": round(time.thread_time() - main0, 2),
            "load": [round(v, 2) for v in os.getloadavg()],
        }
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")

    return show


def child(npcs: int, days: int, out: Path, progress: Path | None = None) -> int:
    """Run the sim CLI's ``run`` in this process; write its figures to ``out`` (and one line
    per game hour to ``progress``)."""
    from aga_npc.runtime import inline
    from aga_npc.sim import runner
    from aga_npc.sim.cli import build_parser
    from aga_npc.sim.runner import run_mode

    args = build_parser().parse_args(
        ["run", "--npcs", str(npcs), "--days", str(days), "--seed", "0", "--quiet"]
    )
    gateways: list[Any] = []  # the run's gateway, to read its counters after the run
    original_init = inline.InlineGateway.__init__

    def keep(self: Any, *a: Any, **kw: Any) -> None:
        original_init(self, *a, **kw)
        gateways.append(self)

    inline.InlineGateway.__init__ = keep  # type: ignore[method-assign]
    wall0, cpu0, main0 = time.perf_counter(), time.process_time(), time.thread_time()
    if progress is not None:
        hourly = _hourly(progress, wall0, cpu0, main0)
        # the CLI's progress bar hook (quiet runs have none): the one place to observe hours
        runner._progress = lambda _label, _quiet: hourly  # type: ignore[assignment]  # noqa: SLF001
    report = run_mode(args)
    wall, cpu, main = (
        time.perf_counter() - wall0,
        time.process_time() - cpu0,
        time.thread_time() - main0,
    )
    figures = {
        "npcs": npcs,
        "days": days,
        "wall_in_child_s": wall,
        "run_wall_s": float(report["wall_seconds"]),
        "cpu_s": cpu,
        "main_thread_cpu_s": main,
        "tokens": int(report["tokens"]["total"]),
        "llm_calls": int(report["llm_calls"]),
        "llm_fallbacks": int(report["llm_fallbacks"]),
        "conversations_started": int(report["conversations"]["started"]),  # finished: last 200
        "embedder": report["embedder"],
    }
    if gateways:
        stats = gateways[-1].stats()
        for key in ("embed_jobs", "embed_texts", "embed_computed", "delivery_waits", "pumps"):
            figures[key] = int(stats.get(key, 0))
    out.write_text(json.dumps(figures), encoding="utf-8")
    return 0


def measure(npcs: int, days: int, progress: Path | None = None) -> dict[str, Any]:
    """One size in a child process: its figures, wall and peak RSS as the parent sees them
    (``progress``: the child's hourly lines go there)."""
    from aga_npc.maps.districts import RESIDENTS_PER_DISTRICT

    if npcs > RESIDENTS_PER_DISTRICT:  # generated once, outside the timed child
        from aga_npc.maps.generated import generated_town_map

        generated_town_map(npcs)
    with tempfile.TemporaryDirectory(prefix="aga-scale-") as tmp:
        out = Path(tmp) / "figures.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(npcs)]
        cmd += ["--days", str(days), "--child-out", str(out)]
        if progress is not None:
            progress.unlink(missing_ok=True)
            cmd += ["--child-progress", str(progress)]
        load_before = os.getloadavg()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"the {npcs}-NPC run failed (exit {proc.returncode})")
        figures = json.loads(out.read_text(encoding="utf-8"))
    npc_days = npcs * days
    return {
        **figures,
        "wall_s": wall,
        "wall_per_npc_day_s": wall / npc_days,
        "run_wall_per_npc_day_s": figures["run_wall_s"] / npc_days,
        "tokens_per_npc_day": figures["tokens"] / npc_days,
        "peak_rss_mb": usage.ru_maxrss / 1024.0,  # Linux: kilobytes
        "child_cpu_s": usage.ru_utime + usage.ru_stime,
        "main_thread_cpu_per_npc_day_s": figures["main_thread_cpu_s"] / npc_days,
        "load_before": [round(v, 2) for v in load_before],
        "load_after": [round(v, 2) for v in os.getloadavg()],
    }


def _result(rows: list[dict[str, Any]], days: int) -> dict[str, Any]:
    goal: dict[str, Any] = {"npcs": 1000, "wall_s": GOAL_WALL_1000, "rss_mb": GOAL_RSS_MB}
    big = [r for r in rows if r["npcs"] >= 1000]
    if big:
        goal["met"] = all(
            r["wall_s"] <= GOAL_WALL_1000 and r["peak_rss_mb"] <= GOAL_RSS_MB for r in big
        )
    return {
        "days": days,
        "sizes": rows,
        "goal": goal,
        "environment": environment(),
        "command": " ".join(["python", "benchmarks/scale.py", *sys.argv[1:]]),
    }


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="NPC counts")
    p.add_argument("--days", type=int, default=1)
    p.add_argument("--child", type=int, default=None, help=None)
    p.add_argument("--child-out", type=Path, default=None, help=None)
    p.add_argument("--child-progress", type=Path, default=None, help=None)
    args = p.parse_args()
    if args.child is not None:
        return child(args.child, args.days, args.child_out, args.child_progress)
    sizes = (25, 100) if args.quick else _sizes(args.sizes)
    rows: list[dict[str, Any]] = []
    for npcs in sizes:
        progress = (
            Path(args.json).with_suffix(f".{npcs}.hours.jsonl") if args.json else None
        )  # one line per game hour: how far a run stopped midway got
        row = measure(npcs, args.days, progress)
        rows.append(row)
        print(
            f"{npcs} NPCs: {row['wall_s']:.1f} s wall, {row['peak_rss_mb']:.0f} MB peak RSS, "
            f"main thread {row['main_thread_cpu_s']:.1f} s CPU, load {row['load_after']}",
            file=sys.stderr,
        )
        if args.json:  # after every size: a long run stopped midway keeps its rows
            write_json(args.json, _result(rows, args.days))
    print_table(
        [
            [
                r["npcs"],
                r["wall_s"],
                r["wall_per_npc_day_s"],
                r["run_wall_per_npc_day_s"],
                r["main_thread_cpu_per_npc_day_s"],
                r["tokens_per_npc_day"],
                r["llm_calls"],
                r["peak_rss_mb"],
                r["load_after"][0],
            ]
            for r in rows
        ],
        [
            "npcs",
            "wall s",
            "wall s/NPC-day",
            "run s/NPC-day",
            "main CPU s/NPC-day",
            "tokens/NPC-day",
            "LLM calls",
            "peak RSS MB",
            "load 1 min",
        ],
    )
    result = _result(rows, args.days)
    if "met" in result["goal"]:
        print(
            f"goal (1,000 NPCs <= 600 s, <= 4 GB): {'met' if result['goal']['met'] else 'missed'}"
        )
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
