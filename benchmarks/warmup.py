"""The first frames of the headless demo with the local MiniLM embedder: warm-up on vs off,
against the same drawing with the brains paused and a bare busy loop (the machine's floor).

    python benchmarks/warmup.py [--quick] [--json out.json] [--repeats 3] [--frames 300]
                                [--npcs 25]

Each run is a fresh process (the first import of onnxruntime is what is measured): the
demo town with ``--npcs`` residents, ``HostConfig(embed="local", warm_up=...)``, drawn
headless by ``GameApp`` (SDL dummy driver, 60 FPS cap) for ``--frames`` frames, every frame
kept (no frame left out as warm-up), set up as the demo sets itself up (switch interval,
tokenizer threads). Runs alternate on, off, drawing, on, ... so that a shared machine's
drifts hit every side alike; "drawing" is the same app with the host paused (no brain, no
model, no request), the best our frames can be on this machine. Each run first measures the
machine's floor: a 3 ms busy loop 60 times a second in one thread, nothing else running.
On Linux each of the slowest frames is split into time on a CPU, time waiting in the run
queue (our other threads and processes taking the cores) and the rest (blocked, or the
virtual machine's CPU taken by its host). Reported per side: the max and p99 of the frames' wall
time and main-thread CPU time over the first ``--frames`` frames (the median run, and
every run), the slowest frames with their index, and the machine's load average at the
start of each run, and the longest interval from one frame's start to the next (60 FPS:
16.7 ms; a stall while the loop sleeps in ``clock.tick``, e.g. the GIL held by a model
loading on another thread, shows there and not in the frame time). Goal (issue 16): max
wall frame <= 16.7 ms in the first 300 frames with the warm-up on.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import environment, parser, percentile, print_table, write_json

ROOT = Path(__file__).resolve().parent.parent
FRAME_GOAL_MS = 16.7
SIDES = ("on", "off", "drawing")


def child(frames: int, npcs: int, side: str, out: Path) -> None:
    """One run in this process: build the host and the app, run ``frames`` frames.
    ``side``: "on" / "off" (the warm-up), or "drawing" (the host paused: no brain, no
    model, no request; the same drawing: what the machine gives our frames at best)."""
    warm_up = side == "on"
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    # as the demo sets them (aga_npc.pygame.demo.main)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from aga_npc.pygame.demo import SWITCH_INTERVAL

    sys.setswitchinterval(SWITCH_INTERVAL)
    load = os.getloadavg()[0]
    floor = machine_floor(frames)
    started = time.perf_counter()
    from aga_npc.host.town_host import HostConfig, TownHost, clone_personas
    from aga_npc.personas.loader import town_personas
    from aga_npc.pygame.app import AppConfig, GameApp
    from aga_npc.town.build import default_map_path
    from aga_npc.world.model import World

    map_path = default_map_path()
    chosen = town_personas(3 if npcs == 3 else 25)
    host = TownHost.create(
        clone_personas(chosen, npcs),
        world=World.load(map_path),
        config=HostConfig(seed=0, embed="local", warm_up=warm_up),
    )
    built = time.perf_counter()
    try:
        app = GameApp(host, map_path, config=AppConfig(warmup_frames=0))
        host.paused = side == "drawing"
        app_built = time.perf_counter()
        loaded_at_first_frame = _model_loaded(host)
        starts: list[float] = []
        sched: list[tuple[float, float]] = []  # (on-CPU ms, run-queue ms) per frame
        step = app.step

        def timed_step(dt: float) -> float:
            starts.append(time.perf_counter())
            before = schedstat()
            result = step(dt)
            after = schedstat()
            if before is not None and after is not None:
                sched.append((after[0] - before[0], after[1] - before[1]))
            return result

        app.step = timed_step  # type: ignore[method-assign]
        stats = app.run(frames)
        loaded_after = _model_loaded(host)
        wall = stats.frame_ms[:frames]
        cpu = stats.cpu_ms[:frames]
    finally:
        host.close()
    gaps = [(b - a) * 1000.0 for a, b in itertools.pairwise(starts)]
    slowest = sorted(range(len(wall)), key=lambda i: -wall[i])[:5]
    out.write_text(
        json.dumps(
            {
                "side": side,
                "warm_up": warm_up,
                "frames": len(wall),
                "load_at_start": round(load, 2),
                "host_build_s": round(built - started, 3),
                "app_build_s": round(app_built - built, 3),
                "model_loaded_at_first_frame": loaded_at_first_frame,
                "model_loaded_after": loaded_after,
                "wall_ms": {"max": max(wall), "p99": percentile(wall, 99)},
                "cpu_ms": {"max": max(cpu), "p99": percentile(cpu, 99)},
                "over_goal": sum(1 for v in wall if v > FRAME_GOAL_MS),
                # frame start to frame start (60 FPS: 16.7 ms): a stall outside the timed
                # frame (the GIL held while the loop sleeps in clock.tick) shows here
                "interval_ms": {"max": max(gaps), "p99": percentile(gaps, 99)},
                "slowest": [[i, round(wall[i], 2), round(cpu[i], 2)] for i in slowest],
                # Linux: per slowest frame, ms on a CPU, ms runnable but waiting for one (our
                # other threads and processes), and the rest: blocked (the GIL, a lock) or
                # the virtual machine's CPU taken by its host
                "slowest_sched": [
                    [i, *(round(v, 2) for v in sched[i])] for i in slowest if i < len(sched)
                ],
                "run_queue_ms_max": round(max((q for _, q in sched), default=0.0), 2),
                "machine_floor": floor,
            }
        )
    )


def schedstat() -> tuple[float, float] | None:
    """This thread's time on a CPU and waiting in the run queue, ms (Linux; else None)."""
    import threading

    try:
        with open(f"/proc/self/task/{threading.get_native_id()}/schedstat") as f:
            on_cpu, waiting, _ = f.read().split()
    except OSError:
        return None
    return int(on_cpu) / 1e6, int(waiting) / 1e6


def machine_floor(frames: int, work_ms: float = 3.0) -> dict[str, float]:
    """The machine's own jitter, before anything of ours starts: ``frames`` rounds of a
    ``work_ms`` busy loop in one thread, 60 per second; a frame of ours cannot be steadier
    than this. Reports the rounds' max and p99 wall ms and how many took over the goal."""
    walls = []
    for _ in range(frames):
        started = time.perf_counter()
        while (time.perf_counter() - started) * 1000.0 < work_ms:
            pass
        spent = time.perf_counter() - started
        walls.append(spent * 1000.0)
        time.sleep(max(0.0, 1 / 60 - spent))
    return {
        "work_ms": work_ms,
        "max": round(max(walls), 2),
        "p99": round(percentile(walls, 99), 2),
        "over_goal": sum(1 for v in walls if v > FRAME_GOAL_MS),
    }


def _model_loaded(host: Any) -> bool:
    """Whether the host's local embedder (under its cache and pacing wrappers) is loaded."""
    from aga_npc.embed.local import LocalEmbedder

    emb = host.policy_store.embedder
    for _ in range(4):
        if isinstance(emb, LocalEmbedder):
            return emb.loaded
        emb = getattr(emb, "inner", None)
    return False


def run_one(frames: int, npcs: int, side: str, workdir: Path, index: int) -> dict[str, Any]:
    out = workdir / f"warmup_{index}_{side}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--frames",
        str(frames),
        "--npcs",
        str(npcs),
        "--out",
        str(out),
    ]
    cmd += ["--side", side]
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, timeout=600)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3, help="runs per side (default 3)")
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--npcs", type=int, default=25)
    p.add_argument("--child", action="store_true", help=argparse_hidden())
    p.add_argument("--side", choices=SIDES, default="on", help=argparse_hidden())
    p.add_argument("--out", type=Path, help=argparse_hidden())
    args = p.parse_args(argv)
    if args.child:
        child(args.frames, args.npcs, args.side, args.out)
        return 0
    repeats = 1 if args.quick else args.repeats
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            for side in SIDES:
                run = run_one(args.frames, args.npcs, side, Path(tmp), i)
                runs[side].append(run)
                print(
                    f"{side:7s} run {i + 1}: max {run['wall_ms']['max']:.1f} ms, "
                    f"p99 {run['wall_ms']['p99']:.1f} ms, cpu max {run['cpu_ms']['max']:.1f} ms, "
                    f"{run['over_goal']} frames over {FRAME_GOAL_MS} ms, "
                    f"interval max {run['interval_ms']['max']:.1f} ms, "
                    f"model loaded at frame 0 {run['model_loaded_at_first_frame']}, "
                    f"after {run['model_loaded_after']}, load {run['load_at_start']}; "
                    f"run-queue wait max {run['run_queue_ms_max']:.1f} ms; machine floor "
                    f"({run['machine_floor']['work_ms']:.0f} ms busy loop): max "
                    f"{run['machine_floor']['max']:.1f} ms, "
                    f"{run['machine_floor']['over_goal']} over {FRAME_GOAL_MS} ms",
                    file=sys.stderr,
                )
    sides: dict[str, Any] = {}
    rows = []
    for side, side_runs in runs.items():
        med = {
            key: statistics.median(r[key.split(".")[0]][key.split(".")[1]] for r in side_runs)
            for key in (
                "wall_ms.max",
                "wall_ms.p99",
                "cpu_ms.max",
                "cpu_ms.p99",
                "interval_ms.max",
            )
        }
        med["run_queue_ms_max"] = statistics.median(r["run_queue_ms_max"] for r in side_runs)
        med["floor_max"] = statistics.median(r["machine_floor"]["max"] for r in side_runs)
        sides[side] = {"median": med, "runs": side_runs}
        rows.append(
            [
                side,
                f"{med['wall_ms.max']:.1f}",
                f"{med['wall_ms.p99']:.1f}",
                f"{med['cpu_ms.max']:.1f}",
                f"{med['cpu_ms.p99']:.1f}",
                f"{med['interval_ms.max']:.1f}",
                f"{med['run_queue_ms_max']:.1f}",
                f"{med['floor_max']:.1f}",
                " ".join(str(r["over_goal"]) for r in side_runs),
                " ".join(str(r["machine_floor"]["over_goal"]) for r in side_runs),
                " ".join(str(r["load_at_start"]) for r in side_runs),
            ]
        )
    print(f"first {args.frames} frames, {args.npcs} NPCs, local MiniLM (median of {repeats})")
    print_table(
        rows,
        [
            "side",
            "max ms",
            "p99 ms",
            "cpu max ms",
            "cpu p99 ms",
            "interval max ms",
            "run-queue max ms",
            "floor max ms",
            f"frames > {FRAME_GOAL_MS} ms (per run)",
            "floor rounds over",
            "load (per run)",
        ],
    )
    on_max = sides["on"]["median"]["wall_ms.max"]
    met = on_max <= FRAME_GOAL_MS
    print(f"goal: max frame <= {FRAME_GOAL_MS} ms with the warm-up: {'met' if met else 'NOT met'}")
    drawing_over = sum(r["over_goal"] for r in runs["drawing"])
    floor_over = sum(r["machine_floor"]["over_goal"] for side in runs.values() for r in side)
    if not met and (drawing_over or floor_over):
        print(
            f"  this machine: {drawing_over} frame(s) of drawing alone and {floor_over} round(s) "
            f"of a bare 3 ms busy loop took over {FRAME_GOAL_MS} ms"
        )
    result = {
        "benchmark": "warmup",
        "frames": args.frames,
        "npcs": args.npcs,
        "repeats": repeats,
        "goal_ms": FRAME_GOAL_MS,
        "goal_met": met,
        "sides": sides,
        "environment": environment(),
    }
    if args.json:
        write_json(args.json, result)
    return 0


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    raise SystemExit(main())
