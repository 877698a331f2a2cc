"""``python -m aga_npc.sim run|compare``: the headless town, its report and the comparison."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.errors import AgaError
from aga_npc.maps.districts import MAX_RESIDENTS

__all__ = ["main"]

MAX_DAYS = 60
MAX_NPCS = MAX_RESIDENTS  # the most residents a generated town houses
MAX_SEEDS = 100
MAX_WORKERS = 256
DEFAULT_SEEDS = (0, 1, 2, 3, 4)


def _positive_int(name: str, upper: int, lower: int = 1) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, got {text!r}"
            ) from None
        if not lower <= value <= upper:
            raise argparse.ArgumentTypeError(
                f"{name} must be between {lower} and {upper}, got {value}"
            )
        return value

    return parse


def _seed(text: str, flag: str = "--seed") -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{flag} must be a whole number, got {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"{flag} must be within 0..2^32-1, got {value}")
    return value


def parse_seeds(text: str) -> tuple[int, ...]:
    """``"0-4"``, ``"0,2,7"`` or both (``"0-2,7"``) as sorted distinct seeds."""
    seeds: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        lo_text, dash, hi_text = part.partition("-")
        if not part or (dash and not (lo_text and hi_text)):
            raise argparse.ArgumentTypeError(
                f"--seeds takes seeds and ranges like 0-4 or 0,2,7, got {text!r}"
            )
        lo = _seed(lo_text, "--seeds")
        hi = _seed(hi_text, "--seeds") if dash else lo
        if hi < lo:
            raise argparse.ArgumentTypeError(f"--seeds range {part!r} runs backwards")
        if hi - lo >= MAX_SEEDS or len(seeds) + hi - lo + 1 > MAX_SEEDS:
            raise argparse.ArgumentTypeError(f"--seeds: at most {MAX_SEEDS} seeds, got {text!r}")
        seeds.update(range(lo, hi + 1))
    return tuple(sorted(seeds))


def _one_seed(text: str) -> tuple[int, ...]:
    return (_seed(text),)


def _modes(text: str) -> list[str]:
    names = [m.strip() for m in text.split(",") if m.strip()]
    known = [m.value for m in Mode]
    for name in names:
        if name not in known:
            raise argparse.ArgumentTypeError(
                f"--modes: unknown mode {name!r}; expected some of {', '.join(known)}"
            )
    return list(dict.fromkeys(names))


def _warm_runs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--warm-runs must be a whole number, got {text!r}"
        ) from None
    if not 0 <= value <= 20:
        raise argparse.ArgumentTypeError(f"--warm-runs must be between 0 and 20, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aga_npc.sim", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--map", default=None, help="TMX map (default: the bundled town)")
        p.add_argument("--personas", default=None, help="persona file, folder or GA personas/")
        p.add_argument(
            "--kinds",
            default=None,
            help="TOML file of the map's own object kinds, added to the household ones "
            "(docs/MAP_CONVENTIONS.md)",
        )
        p.add_argument(
            "--npcs",
            type=_positive_int("--npcs", MAX_NPCS),
            default=3,
            help="residents: up to 25 in the bundled town, more in a generated town of "
            f"districts (made once into $AGA_MAP_CACHE; at most {MAX_NPCS})",
        )
        p.add_argument("--days", type=_positive_int("--days", MAX_DAYS), default=2)
        p.add_argument("--embed", choices=["local", "openai", "hashing"], default=None)
        p.add_argument(
            "--lod",
            choices=["turns", "whole"],
            default="turns",
            help="NPC-NPC conversations turn by turn, or whole exchanges in one call",
        )
        p.add_argument("--no-mind-wandering", action="store_true")
        p.add_argument(
            "--wording",
            choices=["default", "paraphrase"],
            default="default",
            help="the offline stand-in's plan wording: as a chat model words plans (default) "
            "or every item reworded every day (a stress test of the Lifestyle Policy)",
        )
        p.add_argument(
            "--savings",
            default=None,
            help="the aga mode's own savings: all (default), none, or comma-separated names "
            "(one_call_schedule, merged_action_chain, poignancy_cache, insight_poignancy, "
            "batched_poignancy, "
            "joint_relationship_update, decision_cache)",
        )
        p.add_argument(
            "--sharing",
            choices=["agent", "role", "town"],
            default="town",
            help="who reuses a learned routine: only its agent, the agent's role for work "
            "routines, or the whole town for home and public ones (default)",
        )
        p.add_argument(
            "--line-minutes",
            type=_positive_int("--line-minutes", 120, lower=0),
            default=None,
            help="game minutes per conversation line in every mode (default: the pace the "
            "baseline's lines keep, so every mode's agents talk for the same time; 0: as "
            "fast as the answers come)",
        )
        p.add_argument("--quiet", action="store_true", help="no progress output")
        p.add_argument(
            "--strict",
            action="store_true",
            help="exit 3 when most LLM requests of a run gave no usable answer (fell back)",
        )

    run = sub.add_parser("run", help="run one mode and write the report JSON")
    common(run)
    run.add_argument(
        "--seed", type=_seed, default=None, help="default 0 (with --replay: the recorded seed)"
    )
    run.add_argument("--mode", default="aga", choices=[m.value for m in Mode])
    run.add_argument("--json", dest="json_path", default=None, help="report path")
    run.add_argument("--policy-store", default=None, help="load/save the Lifestyle Policy here")
    run.add_argument(
        "--recover",
        action="store_true",
        help="when the --policy-store file is damaged, keep the routines before the damage "
        "(the damaged file is copied to <file>.corrupt first) and say what was kept",
    )
    run.add_argument("--checkpoint", default=None, help="save the whole town here every game hour")
    tape = run.add_mutually_exclusive_group()
    tape.add_argument(
        "--record",
        default=None,
        metavar="PATH",
        help="write every LLM answer of the run to PATH (msgpack; model, endpoint and seed, "
        "never the API key), to replay the run later",
    )
    tape.add_argument(
        "--replay",
        default=None,
        metavar="PATH",
        help="answer every LLM request from a --record file: no model, no network, the same "
        "report (but wall_seconds); a request the file lacks stops the run (exit 2)",
    )
    run.add_argument(
        "--resume", action="store_true", help="continue from --checkpoint when it exists"
    )

    compare = sub.add_parser(
        "compare",
        help="baseline and the AGA modes side by side, over several seeds",
        description="Per seed: each policy mode's warm runs (seeds seed + 1000*k, keeping only "
        "the policy store), then one measured run per mode; ratios to that seed's baseline "
        "are aggregated over the seeds into comparison.json.",
    )
    common(compare)
    seeds = compare.add_mutually_exclusive_group()
    seeds.add_argument(
        "--seeds",
        type=parse_seeds,
        default=DEFAULT_SEEDS,
        help="seeds as ranges and lists: 0-4 (the default), 0,2,7, 0-2,7",
    )
    seeds.add_argument(
        "--seed", dest="seeds", type=_one_seed, metavar="N", help="one seed (as --seeds N)"
    )
    compare.add_argument(
        "--warm-runs", type=_warm_runs, default=2, help="warm runs per policy mode (0-20)"
    )
    compare.add_argument("--out", default="reports", help="output folder")
    compare.add_argument(
        "--modes",
        type=_modes,
        default=[m.value for m in Mode],
        help="comma-separated modes (baseline is always added)",
    )
    compare.add_argument(
        "--workers",
        type=_positive_int("--workers", MAX_WORKERS),
        default=os.cpu_count() or 1,
        help="worker processes (1: all in this process; default: one per core, "
        f"{os.cpu_count() or 1} here); with --ray local, the CPUs Ray may use",
    )
    compare.add_argument(
        "--ray",
        default=None,
        metavar="auto|local|ADDRESS",
        help="run the tasks on Ray (the [ray] extra): auto joins this machine's cluster, local "
        "starts a private one, or a cluster address; every node needs aga_npc and the same "
        "AGA_* environment",
    )
    compare.add_argument("--no-charts", action="store_true", help="write no PNG charts")
    return parser


def _run_reports(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted((out / "runs").glob("*.json"))]


def _strict_exit(args: argparse.Namespace, reports: list[dict[str, Any]]) -> int:
    """Say when most requests of a run fell back; with ``--strict`` that run fails (3)."""
    from aga_npc.sim.report import run_failed

    failed = [r for r in reports if run_failed(r)]
    for r in failed:
        summary = r.get("health", {}).get("summary", "most LLM requests fell back")
        print(f"{r.get('mode')} seed {r.get('seed')}: {summary}", file=sys.stderr)
    return 3 if failed and args.strict else 0


def _prepare_tape(args: argparse.Namespace) -> None:
    """Check a --replay file before the run and take its seed when --seed is not given.

    Raises:
        StoreError / CorruptFileError / SchemaVersionError: the file cannot be replayed.
    """
    if not args.replay:
        if args.seed is None:
            args.seed = 0
        return
    from aga_npc.llm.recording import describe_meta, read_recording

    recording = read_recording(args.replay)
    recorded = recording.meta.get("seed")
    if args.seed is None:
        args.seed = recorded if isinstance(recorded, int) else 0
    elif isinstance(recorded, int) and recorded != args.seed:
        print(
            f"warning: {args.replay} was recorded with seed {recorded}, this run uses seed "
            f"{args.seed}: expect it to stop at the first request the recording lacks",
            file=sys.stderr,
        )
    if not args.quiet:
        print(
            f"replaying {len(recording)} LLM answers from {args.replay} "
            f"({describe_meta(recording.meta)}); no model is asked",
            file=sys.stderr,
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            from aga_npc.sim.runner import run_mode

            _prepare_tape(args)
            report = run_mode(args)
            if args.record and not args.quiet:
                print(f"recorded the run's LLM answers into {args.record}", file=sys.stderr)
            text = json.dumps(report, indent=1, sort_keys=True)
            if args.json_path:
                from aga_npc.store.atomic import atomic_write_bytes

                atomic_write_bytes(Path(args.json_path), text.encode("utf-8"))
            else:
                print(text)
            return _strict_exit(args, [report])
        from aga_npc.sim.compare import compare_modes

        compare_modes(args)
        return _strict_exit(args, _run_reports(Path(args.out)))
    except AgaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
