"""Pathfinding benchmark: cross-map A* paths on the town map, cold and cached.

Cold: the path cache and distance fields are cleared before each query (the per-map
preprocessing, component labels and ALT landmarks, is part of loading and reported
separately as ``prepare_ms``). Cached: the same query again. A cross-map pair joins two
object use tiles at least a third of (width + height) apart in Manhattan distance.

    python benchmarks/pathfinding.py [--map aga_npc/data/maps/town.tmx] [--pairs 400]
        [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from aga_npc.errors import MapError
from aga_npc.world import Grid, World

ROOT = Path(__file__).resolve().parents[1]


def _pct(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples), q)) if samples else float("nan")


def _pairs(world: World, count: int, seed: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    tiles = sorted({o.tile for o in world.objects()} | {s.tile for s in world.spawns})
    labels = world.grid.labels
    if len(tiles) < 2:  # a map without objects: random walkable tiles
        ys, xs = np.nonzero(world.grid.walkable)
        tiles = [(int(x), int(y)) for x, y in zip(xs, ys, strict=True)]
    rng = random.Random(seed)
    far = (world.width + world.height) / 3
    out: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for _ in range(count * 200):
        a, b = rng.choice(tiles), rng.choice(tiles)
        if abs(a[0] - b[0]) + abs(a[1] - b[1]) < far:
            continue
        if labels[a[1], a[0]] < 0 or labels[a[1], a[0]] != labels[b[1], b[0]]:
            continue
        out.append((a, b))
        if len(out) == count:
            break
    return out


def _time_paths(
    grid: Grid, pairs: list, repeat_cached: bool
) -> tuple[list[float], list[float], list[int]]:  # type: ignore[type-arg]
    cold, cached, lengths = [], [], []
    for a, b in pairs:
        grid.clear_cache()
        t0 = time.perf_counter_ns()
        path = grid.find_path(a, b)
        cold.append((time.perf_counter_ns() - t0) / 1e6)
        if path is None:
            raise SystemExit(f"no path between {a} and {b}: the benchmark map is broken")
        lengths.append(len(path) - 1)
        if repeat_cached:
            t0 = time.perf_counter_ns()
            grid.find_path(a, b)
            cached.append((time.perf_counter_ns() - t0) / 1e6)
    return cold, cached, lengths


def _shown(path: str) -> str:
    full = Path(path).resolve()
    return str(full.relative_to(ROOT)) if full.is_relative_to(ROOT) else str(full)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--map", default=str(ROOT / "aga_npc" / "data" / "maps" / "town.tmx"), help="TMX map"
    )
    parser.add_argument("--pairs", type=int, default=400, help="cross-map queries to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="100 pairs (finishes in seconds)")
    parser.add_argument("--json", dest="json_path", help="write the figures to this file")
    args = parser.parse_args(argv)
    n_pairs = 100 if args.quick else args.pairs

    t0 = time.perf_counter()
    try:
        world = World.load(args.map)
    except MapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    load_ms = (time.perf_counter() - t0) * 1000
    walk = world.grid.walkable
    t0 = time.perf_counter()
    fresh = Grid(walk)
    fresh.prepare()
    prepare_ms = (time.perf_counter() - t0) * 1000

    pairs = _pairs(world, n_pairs, args.seed)
    if not pairs:
        print("error: no cross-map pairs of connected tiles on this map", file=sys.stderr)
        return 2
    _time_paths(fresh, pairs[:10], False)  # warm-up (imports, allocator)
    cold, cached, lengths = _time_paths(fresh, pairs, True)
    plain = Grid(walk, landmarks=0)
    plain_cold, _, _ = _time_paths(plain, pairs, False)

    result = {
        "map": _shown(args.map),
        "grid": [world.width, world.height],
        "walkable_tiles": int(walk.sum()),
        "pairs": len(pairs),
        "path_len_mean": float(np.mean(lengths)),
        "load_ms": round(load_ms, 2),
        "prepare_ms": round(prepare_ms, 2),
        "cold_ms_p50": round(_pct(cold, 50), 4),
        "cold_ms_p99": round(_pct(cold, 99), 4),
        "cold_ms_max": round(max(cold), 4),
        "cached_ms_p50": round(_pct(cached, 50), 4),
        "cached_ms_p99": round(_pct(cached, 99), 4),
        "manhattan_astar_cold_ms_p50": round(_pct(plain_cold, 50), 4),
        "manhattan_astar_cold_ms_p99": round(_pct(plain_cold, 99), 4),
    }
    print(
        f"pathfinding on {result['map']} ({world.width}x{world.height}, "
        f"{result['walkable_tiles']} walkable), {len(pairs)} cross-map pairs, "
        f"mean length {result['path_len_mean']:.0f} steps"
    )
    print(f"{'figure':<34}{'ms':>10}")
    for key in (
        "load_ms",
        "prepare_ms",
        "cold_ms_p50",
        "cold_ms_p99",
        "cold_ms_max",
        "cached_ms_p50",
        "cached_ms_p99",
        "manhattan_astar_cold_ms_p50",
        "manhattan_astar_cold_ms_p99",
    ):
        print(f"{key:<34}{result[key]:>10.3f}")
    if args.json_path:
        out = Path(args.json_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=out.parent, delete=False, suffix=".tmp") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        os.replace(f.name, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
