"""``python -m aga_npc.eval curves|relationships``: JSON figures and PNG charts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.factory import build_embedder
from aga_npc.eval.curves import emergent_curves
from aga_npc.eval.relationships import relationship_timeline
from aga_npc.eval.runs import watched_run
from aga_npc.personas.loader import load_personas
from aga_npc.personas.model import Persona
from aga_npc.sim.population import town_for


def _seeds(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-", 1)
        return list(range(int(a), int(b) + 1))
    return [int(s) for s in text.split(",") if s.strip()]


def _town(args: argparse.Namespace) -> tuple[tuple[Persona, ...], Path | None]:
    map_path = Path(args.map) if args.map else None
    if args.personas:
        return tuple(load_personas(args.personas)), map_path
    personas, generated = town_for(args.npcs)
    return personas, map_path or generated


def _write(out: Path, name: str, data: dict[str, Any]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def _charts(draw: Any) -> None:
    try:
        draw()
    except ImportError:  # pygame is the demo's optional dependency
        print("no PNG chart: install aga-npc[pygame]", file=sys.stderr)


def curves(args: argparse.Namespace, settings: Settings, embedder: CachedEmbedder) -> int:
    personas, map_path = _town(args)
    result = emergent_curves(
        personas,
        seeds=_seeds(args.seeds),
        days=args.days,
        mode=args.mode,
        settings=settings,
        embedder=embedder,
        map_path=map_path,
        log=None if args.quiet else lambda line: print(line, file=sys.stderr),
    )
    path = _write(Path(args.out), "curves", result)

    def draw() -> None:
        from aga_npc.eval.charts import line_chart

        line_chart(
            {f"mind wandering {k}": v for k, v in result["curves"].items()},
            Path(args.out) / "curves.png",
            title=f"Cumulative activity types ({result['npcs']} NPCs, {args.days} days a run)",
            xlabel="runs",
            ylabel="activity types",
        )

    _charts(draw)
    bad = sum(len(v) for v in result["out_of_character"].values())
    print(
        f"activity types after {len(result['seeds'])} runs: on {result['curves']['on'][-1]}, "
        f"off {result['curves']['off'][-1]}, ratio {result['ratio']}; "
        f"out of character: {bad}; written {path}"
    )
    return 0


def relationships(args: argparse.Namespace, settings: Settings, embedder: CachedEmbedder) -> int:
    personas, map_path = _town(args)
    watched = watched_run(
        personas,
        mode=args.mode,
        days=args.days,
        seed=args.seed,
        settings=settings,
        embedder=embedder,
        map_path=map_path,
    )
    result = relationship_timeline(watched)
    path = _write(Path(args.out), "relationships", result)

    def draw() -> None:
        from aga_npc.eval.charts import line_chart

        line_chart(
            {k: [r["closeness"] for r in rows] for k, rows in result["pairs"].items()},
            Path(args.out) / "relationships.png",
            title=f"Closeness per pair by game day ({result['mode']}, seed {args.seed})",
            xlabel="game day (first point: the start of the run)",
            ylabel="closeness",
            ymax=10.0,
        )

    _charts(draw)
    print(f"{len(result['pairs'])} pairs, {len(result['changed'])} changed; written {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aga_npc.eval")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, days in (("curves", 2), ("relationships", 3)):
        p = sub.add_parser(name)
        p.add_argument("--npcs", type=int, default=3)
        p.add_argument("--personas")
        p.add_argument("--map")
        p.add_argument("--days", type=int, default=days)
        p.add_argument("--mode", default="aga")
        p.add_argument("--embed", choices=("local", "openai", "hashing"))
        p.add_argument("--out", default="eval")
        p.add_argument("--quiet", action="store_true")
        if name == "curves":
            p.add_argument("--seeds", default="0-9", help="runs: 0-9 or 0,2,7")
        else:
            p.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    settings = Settings.from_env().with_overrides(embed=args.embed)
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder)
    command = curves if args.command == "curves" else relationships
    return command(args, settings, embedder)


if __name__ == "__main__":
    raise SystemExit(main())
