"""``sim compare``: every mode side by side on the same seed, the summary table and charts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.factory import build_embedder
from aga_npc.policy.store import PolicyStore
from aga_npc.sim.runner import RunConfig, _personas, _progress, _settings, simulate
from aga_npc.store.atomic import atomic_write_bytes

__all__ = ["PAPER", "compare_modes"]


def compare_modes(args: argparse.Namespace) -> dict[str, Any]:
    """``sim compare``: warm the policy modes, then measure every mode with the same seed."""
    settings = _settings(args)
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder)
    personas = _personas(args)
    modes = [Mode.parse(m.strip()) for m in str(args.modes).split(",") if m.strip()]
    if Mode.BASELINE not in modes:
        modes.insert(0, Mode.BASELINE)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    reports: dict[str, Any] = {}
    for mode in modes:
        store = PolicyStore(embedder=embedder) if mode.uses_policy else None
        base = RunConfig(
            personas=personas,
            mode=mode,
            days=args.days,
            seed=args.seed,
            map_path=Path(args.map) if args.map else None,
            lod=args.lod,
            mind_wandering=not args.no_mind_wandering,
        )
        warm = args.warm_runs if mode.uses_policy else 0
        for k in range(warm):
            warm_config = RunConfig(
                personas=base.personas,
                mode=mode,
                days=base.days,
                seed=base.seed + 1000 * (k + 1),
                map_path=base.map_path,
                lod=base.lod,
                mind_wandering=base.mind_wandering,
            )
            simulate(
                warm_config,
                settings=settings,
                embedder=embedder,
                store=store,
                progress=_progress(f"{mode.value} warm {k + 1}/{warm}", args.quiet),
            )
        report = simulate(
            base,
            settings=settings,
            embedder=embedder,
            store=store,
            progress=_progress(mode.value, args.quiet),
        )
        report["warm_runs"] = warm
        if store is not None:
            report["policy"]["store_size"] = len(store)
        reports[mode.value] = report
    comparison = _comparison(reports)
    atomic_write_bytes(
        out / "comparison.json", json.dumps(comparison, indent=1, sort_keys=True).encode("utf-8")
    )
    try:
        from aga_npc.sim.charts import heatmap, tokens_chart

        tokens_chart(comparison, out / "tokens_by_mode.png")
        for name, report in reports.items():
            close = report["closeness"]
            heatmap(
                close["names"],
                close["matrix"],
                out / f"closeness_{name}.png",
                label=f"Closeness after {report['days']} days ({name})",
            )
    except ImportError as exc:  # pygame is an optional extra
        print(f"note: no PNG charts ({exc})", file=sys.stderr)
    _print_summary(comparison)
    return comparison


PAPER = {"aga": 0.311, "lifestyle-only": 0.402, "social-only": 0.586, "aga@25": 0.427}


def _comparison(reports: dict[str, Any]) -> dict[str, Any]:
    base = reports["baseline"]["tokens"]["total"] or 1
    return {
        "modes": reports,
        "ratio_to_baseline": {m: r["tokens"]["total"] / base for m, r in reports.items()},
        "calls_per_agent_day": {m: r["calls_per_agent_day"] for m, r in reports.items()},
        "violations": {m: r["violations"]["total"] for m, r in reports.items()},
        "dialogue_prompt_tokens_per_turn": {
            m: r["conversations"]["turn_prompt_tokens_mean"] for m, r in reports.items()
        },
        "paper_ratio": PAPER,
        "llm": reports["baseline"]["llm"],
    }


def _print_summary(comparison: dict[str, Any]) -> None:
    print(
        f"{'mode':16} {'tokens':>10} {'ratio':>7} {'paper':>7} "
        f"{'calls/agent-day':>16} {'violations':>10}"
    )
    npcs = next(iter(comparison["modes"].values()))["npcs"]
    for mode, report in comparison["modes"].items():
        ratio = comparison["ratio_to_baseline"][mode]
        paper_key = "aga@25" if (mode == "aga" and npcs == 25) else mode
        paper = PAPER.get(paper_key)
        paper_text = f"{paper:.3f}" if paper is not None else "-"
        print(
            f"{mode:16} {report['tokens']['total']:>10} {ratio:>7.3f} {paper_text:>7} "
            f"{report['calls_per_agent_day']:>16.1f} {report['violations']['total']:>10}"
        )
