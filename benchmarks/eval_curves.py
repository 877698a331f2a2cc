"""Emergent-behaviour curves (issue 19, the paper's Figure 6): cumulative distinct activity
types over runs of the 3-NPC town, mind wandering on vs off, types clustered by embedding.

    python benchmarks/eval_curves.py [--seeds 0-9] [--days 2] [--embed local]
        [--threshold 0.65] [--json out.json] [--quick] [--calibrate]

Runs ``aga_npc.eval.curves.emergent_curves`` (aga mode, offline stand-in, a fresh policy
store per run) and prints the two curves, the on/off ratio after the last run (goal >= 1.5)
and the out-of-character activities the persona check found (goal 0); the same runs'
curves at the former threshold 0.8 too. ``--quick``: 3 seeds, hashing embedder.
``--calibrate``: only the threshold calibration (adjusted Rand index of the clustering
against the stand-in's own activities, per threshold; see ``aga_npc.eval.activities``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import environment, parser, print_table, write_json

GOAL_RATIO = 1.5


def main() -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--seeds", default="0-9")
    p.add_argument("--days", type=int, default=2)
    p.add_argument("--embed", default="local", choices=("local", "hashing", "openai"))
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--calibrate", action="store_true")
    args = p.parse_args()

    from aga_npc.config import Settings
    from aga_npc.embed.cache import CachedEmbedder
    from aga_npc.embed.factory import build_embedder
    from aga_npc.eval.activities import SAME_TYPE, calibrate
    from aga_npc.eval.curves import emergent_curves
    from aga_npc.sim.population import town_for

    if args.quick:
        args.seeds, args.embed = "0-2", "hashing"
    a, _, b = args.seeds.partition("-")
    seeds = list(range(int(a), int(b or a) + 1))
    settings = Settings.from_env().with_overrides(llm="offline", embed=args.embed)
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder)
    if args.calibrate:
        rows = calibrate(embedder, (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85))
        print_table(
            [(r["threshold"], r["ari"], r["types"], r["activities"]) for r in rows],
            ("threshold", "adjusted Rand", "types", "true activities"),
        )
        if args.json:
            write_json(args.json, {"benchmark": "eval_calibration", "rows": rows})
        return 0
    personas, map_path = town_for(3)
    started = time.perf_counter()
    result = emergent_curves(
        personas,
        seeds=seeds,
        days=args.days,
        mode="aga",
        settings=settings,
        embedder=embedder,
        map_path=map_path,
        threshold=args.threshold if args.threshold is not None else SAME_TYPE,
        also_at=(0.8,),
    )
    wall = time.perf_counter() - started
    on, off = result["curves"]["on"], result["curves"]["off"]
    print_table(
        [(i + 1, on[i], off[i]) for i in range(len(on))],
        ("runs", "types, wandering on", "types, wandering off"),
    )
    bad = {k: len(v) for k, v in result["out_of_character"].items()}
    ratio = result["ratio"]
    print(
        f"\nratio on/off after {len(seeds)} runs: {ratio} (goal >= {GOAL_RATIO}); "
        f"out of character: on {bad['on']}, off {bad['off']} (goal 0); "
        f"activities inspired by a wandered memory: {len(result['why'])}; {wall:.0f} s"
    )
    for at, row in result["curves_at"].items():
        print(
            f"same runs at threshold {at}: on {row['on'][-1]}, off {row['off'][-1]}, "
            f"ratio {row['ratio']}"
        )
    if args.json:
        write_json(
            args.json,
            {
                "benchmark": "eval_curves",
                "environment": environment(),
                "goal_ratio": GOAL_RATIO,
                "met": ratio is not None and ratio >= GOAL_RATIO and not any(bad.values()),
                "wall_seconds": round(wall, 1),
                **{k: v for k, v in result.items() if not k.startswith("types_")},
            },
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
