"""Headless simulation speed: wall seconds for one warm game day of the whole town.

    python benchmarks/sim_speed.py [--quick] [--json out.json] [--npcs 25] [--embed local]

"Warm" as in the paper: the scenario runs once first to build the Lifestyle Policy (and
the embedding cache), then one more game day is timed with the offline stand-in LLM, the
inline gateway and the default local embedder. Goal: <= 30 s for 25 NPCs on this machine.
``--quick`` times the 3-resident town instead.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.factory import build_embedder
from aga_npc.personas.loader import town_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.sim.runner import RunConfig, simulate
from benchmarks._common import environment, parser, print_table, write_json

GOAL_SECONDS = 30.0


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--npcs", type=int, choices=(3, 25), default=25)
    p.add_argument("--embed", choices=("local", "hashing"), default="local")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    npcs = 3 if args.quick else args.npcs
    settings = Settings().with_overrides(embed=args.embed)
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder)
    store = PolicyStore(embedder=embedder)
    personas = tuple(town_personas(npcs))
    started = time.perf_counter()
    simulate(
        RunConfig(personas=personas, mode=Mode.AGA, days=1, seed=args.seed + 1000),
        settings=settings,
        embedder=embedder,
        store=store,
    )
    warmup = time.perf_counter() - started
    report = simulate(
        RunConfig(personas=personas, mode=Mode.AGA, days=1, seed=args.seed),
        settings=settings,
        embedder=embedder,
        store=store,
    )
    wall = float(report["wall_seconds"])
    result = {
        "npcs": npcs,
        "game_days": 1,
        "wall_seconds": wall,
        "warmup_seconds": round(warmup, 3),
        "game_days_per_minute": 60.0 / wall if wall else 0.0,
        "llm_calls": report["llm_calls"],
        "policy_hits": report["policy"]["hits"],
        "embedder": embedder.name,
        "goal_seconds": GOAL_SECONDS,
        "environment": environment(),
        "command": " ".join(["python", "benchmarks/sim_speed.py", *sys.argv[1:]]),
    }
    print_table(
        [[npcs, 1, wall, result["game_days_per_minute"], report["llm_calls"], embedder.name]],
        ["npcs", "game days", "wall s", "days/min", "llm calls", "embedder"],
    )
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
