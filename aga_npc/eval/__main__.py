"""``python -m aga_npc.eval curves|relationships|interview|judge|diffusion``: JSON figures
and PNG charts (see the README's "Evaluation" section)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.factory import build_embedder
from aga_npc.errors import ConfigError, StoreError
from aga_npc.eval.curves import emergent_curves
from aga_npc.eval.diffusion import load_scenario
from aga_npc.eval.interview import load_questions
from aga_npc.eval.llm import STAND_IN_LABEL, judge_settings
from aga_npc.eval.protocol import (
    diffusion_by_mode,
    interview_by_mode,
    judge_by_mode,
    parse_modes,
)
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


def _per_mode(command: Any) -> Any:
    """Run a one-mode command for each mode of ``--mode`` (``all``: every mode of sim
    compare); with several, each writes into ``<out>/<mode>/``."""

    def run(args: argparse.Namespace, settings: Settings, embedder: CachedEmbedder) -> int:
        modes = parse_modes(args.mode)
        out = Path(args.out)
        for mode in modes:
            one = argparse.Namespace(**vars(args))
            one.mode = mode
            one.out = str(out if len(modes) == 1 else out / mode)
            code = int(command(one, settings, embedder))
            if code:
                return code
        return 0

    return run


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


def _log(args: argparse.Namespace) -> Any:
    return None if args.quiet else (lambda line: print(line, file=sys.stderr))


def interview_cmd(args: argparse.Namespace, settings: Settings, embedder: CachedEmbedder) -> int:
    personas, map_path = _town(args)
    modes = parse_modes(args.mode)
    if args.save and len(modes) != 1:
        raise ConfigError("--save is one run: give its --mode (one mode)")
    result = interview_by_mode(
        personas,
        modes=modes,
        days=args.days,
        seed=args.seed,
        settings=settings,
        embedder=embedder,
        map_path=map_path,
        out=Path(args.out),
        questions=load_questions(Path(args.questions) if args.questions else None),
        agents=args.agents,
        save=Path(args.save) if args.save else None,
        log=_log(args),
    )
    path = _write(Path(args.out), "interview", result)
    shares: dict[str, dict[str, float]] = {}
    for mode, block in result["modes"].items():
        by: dict[str, list[bool]] = {}
        for row in block["answers"]:
            said = row["answer"] and "remember" not in row["answer"].lower()
            by.setdefault(row["category"], []).append(bool(said))
        shares[mode] = {k: sum(v) / len(v) for k, v in by.items()}

    def draw() -> None:
        from aga_npc.eval.charts import bar_chart

        bar_chart(
            shares,
            Path(args.out) / "interview.png",
            title="Interview: share of questions answered (not 'I don't remember')",
            ylabel="share answered, per category",
            ymax=1.0,
            note=f"answers by {result['model']['model']}",
        )

    _charts(draw)
    n = sum(len(b["answers"]) for b in result["modes"].values())
    print(f"{n} answers in {len(modes)} mode(s); written {path}")
    return 0


def judge_cmd(args: argparse.Namespace, settings: Settings, embedder: CachedEmbedder) -> int:
    personas, map_path = _town(args)
    judge_with = judge_settings(
        settings, llm=args.judge_llm, base_url=args.judge_base_url, model=args.judge_model
    )
    result = judge_by_mode(
        personas,
        modes=parse_modes(args.mode),
        days=args.days,
        seed=args.seed,
        settings=settings,
        judge_with=judge_with,
        embedder=embedder,
        map_path=map_path,
        out=Path(args.out),
        questions=load_questions(Path(args.questions) if args.questions else None),
        agents=args.agents,
        log=_log(args),
    )
    path = _write(Path(args.out), "judge", result)
    label = STAND_IN_LABEL if result["judge"]["stand_in"] else f"judge: {result['judge']['model']}"
    means = {
        mode: {k: v["mean"] for k, v in kinds.items() if k != "all" and v["mean"] is not None}
        for mode, kinds in result["summary"].items()
    }
    sds = {
        mode: {k: v["sd"] for k, v in kinds.items() if k != "all" and v["sd"] is not None}
        for mode, kinds in result["summary"].items()
    }

    def draw() -> None:
        from aga_npc.eval.charts import bar_chart

        bar_chart(
            means,
            Path(args.out) / "judge.png",
            title="Human-likeness 1-5 by mode (mean, whiskers: sd)",
            ylabel="judge's score",
            ymax=5.0,
            errors=sds,
            note=label,
        )

    _charts(draw)
    for mode, kinds in result["summary"].items():
        cells = ", ".join(
            f"{k} {v['mean']} (sd {v['sd']}, n {v['n']}, unscored {v['unscored']})"
            for k, v in kinds.items()
        )
        print(f"{mode}: {cells}")
    print(f"{label}; written {path}")
    return 0


def diffusion_cmd(args: argparse.Namespace, settings: Settings, embedder: CachedEmbedder) -> int:
    personas, map_path = _town(args)
    scenario = load_scenario(Path(args.scenario) if args.scenario else None, npcs=args.npcs)
    result = diffusion_by_mode(
        personas,
        scenario,
        modes=parse_modes(args.mode),
        days=args.days,
        seed=args.seed,
        settings=settings,
        embedder=embedder,
        map_path=map_path,
        log=_log(args),
    )
    path = _write(Path(args.out), "diffusion", result)
    counts = {
        mode: {
            k: float(v)
            for k, v in block["counts"].items()
            if k in ("heard", "planned", "attended", "attended_having_heard")
        }
        for mode, block in result["modes"].items()
    }

    def draw() -> None:
        from aga_npc.eval.charts import bar_chart

        others = len(personas) - 1
        bar_chart(
            counts,
            Path(args.out) / "diffusion.png",
            title=f"{scenario.event} by {scenario.organiser}: residents of {others} others",
            ylabel="residents",
            ymax=float(max(1, others)),
        )

    _charts(draw)
    for mode, block in result["modes"].items():
        c = block["counts"]
        print(
            f"{mode}: heard {c['heard']}, planned {c['planned']}, attended {c['attended']} "
            f"(having heard {c['attended_having_heard']}) of {c['others']}"
        )
    print(f"written {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aga_npc.eval")
    sub = parser.add_subparsers(dest="command", required=True)
    defaults = {"curves": 2, "relationships": 3, "interview": 1, "judge": 1, "diffusion": 2}
    for name, days in defaults.items():
        p = sub.add_parser(name)
        p.add_argument("--npcs", type=int, default=25 if name == "diffusion" else 3)
        p.add_argument("--personas")
        p.add_argument("--map")
        p.add_argument("--days", type=int, default=days)
        p.add_argument(
            "--mode",
            default="aga" if name in ("curves", "relationships") else "all",
            help="a mode, a comma list, or all (every mode of sim compare); curves and "
            "relationships write each mode into <out>/<mode>/ when given several",
        )
        p.add_argument("--embed", choices=("local", "openai", "hashing"))
        p.add_argument("--out", default="eval")
        p.add_argument("--quiet", action="store_true")
        if name == "curves":
            p.add_argument("--seeds", default="0-9", help="runs: 0-9 or 0,2,7")
        else:
            p.add_argument("--seed", type=int, default=0)
        if name in ("interview", "judge"):
            p.add_argument("--questions", help="a TOML question set (default: the bundled one)")
            p.add_argument("--agents", help="comma list of residents (default: up to 5)")
        if name == "interview":
            p.add_argument("--save", help="interview this save of a finished run (one --mode)")
        if name == "judge":
            p.add_argument("--judge-llm", choices=("offline", "openai"))
            p.add_argument("--judge-base-url", help="the judge's OpenAI-compatible endpoint")
            p.add_argument("--judge-model")
        if name == "diffusion":
            p.add_argument("--scenario", help="a TOML scenario (default: the bundled one)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env().with_overrides(embed=args.embed)
        embedder = build_embedder(settings)
        assert isinstance(embedder, CachedEmbedder)
        commands = {
            "curves": _per_mode(curves),
            "relationships": _per_mode(relationships),
            "interview": interview_cmd,
            "judge": judge_cmd,
            "diffusion": diffusion_cmd,
        }
        return commands[args.command](args, settings, embedder)
    except (ConfigError, StoreError) as exc:  # bad input or a bad save: say it, no trace
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
