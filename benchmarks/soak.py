"""Soak: a week of game time for the whole town, headless; memory and token use per day.

    python benchmarks/soak.py [--quick] [--json out.json] [--days 7] [--npcs 25]

Reports per game day: resident set size (RSS, MB) at the end of the day, peak RSS so far,
memory-stream sizes (mean and max events per agent), Lifestyle Policy store size, and the
day's tokens and LLM calls; and the RSS growth per day after day 2 (goal: < 10% per day).
``--quick``: 3 NPCs for 3 days with the hashing embedder.
"""

from __future__ import annotations

import itertools
import resource
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.factory import build_embedder
from aga_npc.llm.ledger import TokenLedger
from aga_npc.personas.loader import town_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.sim.runner import RunConfig, simulate
from aga_npc.town.town import Town
from benchmarks._common import environment, parser, print_table, write_json

GROWTH_GOAL = 0.10


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc), else the peak."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * resource.getpagesize() / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main() -> int:
    p = parser(__doc__ or "")
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--npcs", type=int, choices=(3, 25), default=25)
    p.add_argument("--embed", choices=("local", "hashing"), default="local")
    args = p.parse_args()
    days = 3 if args.quick else args.days
    npcs = 3 if args.quick else args.npcs
    embed = "hashing" if args.quick else args.embed
    settings = Settings().with_overrides(embed=embed)
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder)
    store = PolicyStore(embedder=embedder)
    rows: list[dict[str, Any]] = []
    state = {"tokens": 0, "calls": 0, "t": time.perf_counter()}

    def on_hour(town: Town, ledger: TokenLedger) -> None:
        if town.now % 1440 != 6 * 60:  # one sample a game day, at 06:00
            return
        totals = ledger.totals()
        sizes = [len(b.mind.stream) for b in town.brains.values()]
        now = time.perf_counter()
        rows.append(
            {
                "day": len(rows) + 1,
                "rss_mb": round(rss_mb(), 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1),
                "memory_events_mean": round(sum(sizes) / len(sizes), 1),
                "memory_events_max": max(sizes),
                "policy_entries": len(store),
                "embedding_cache": len(embedder),
                "tokens": totals["total"] - state["tokens"],
                "llm_calls": totals["calls"] - state["calls"],
                "wall_s": round(now - state["t"], 2),
            }
        )
        state.update(tokens=totals["total"], calls=totals["calls"], t=now)

    report = simulate(
        RunConfig(personas=tuple(town_personas(npcs)), mode=Mode.AGA, days=days, seed=0),
        settings=settings,
        embedder=embedder,
        store=store,
        on_hour=on_hour,
    )
    growth = [
        (b["rss_mb"] - a["rss_mb"]) / a["rss_mb"]
        for a, b in itertools.pairwise(rows[1:])
        if a["rss_mb"] > 0
    ]
    result = {
        "npcs": npcs,
        "game_days": days,
        "embedder": embedder.name,
        "days": rows,
        "rss_growth_per_day_after_day2": [round(g, 4) for g in growth],
        "max_rss_growth_after_day2": round(max(growth), 4) if growth else 0.0,
        "growth_goal": GROWTH_GOAL,
        "peak_rss_mb": max((r["peak_rss_mb"] for r in rows), default=0.0),
        "violations": report["violations"]["total"],
        "wall_seconds": report["wall_seconds"],
        "environment": environment(),
        "command": " ".join(["python", "benchmarks/soak.py", *sys.argv[1:]]),
    }
    print_table(
        [
            [
                r["day"],
                r["rss_mb"],
                r["peak_rss_mb"],
                r["memory_events_mean"],
                r["memory_events_max"],
                r["policy_entries"],
                r["tokens"],
                r["llm_calls"],
                r["wall_s"],
            ]
            for r in rows
        ],
        [
            "day",
            "rss MB",
            "peak MB",
            "mem mean",
            "mem max",
            "policies",
            "tokens",
            "calls",
            "wall s",
        ],
    )
    print(f"RSS growth per day after day 2: {result['rss_growth_per_day_after_day2']}")
    if args.json:
        write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
