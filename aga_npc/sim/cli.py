"""``python -m aga_npc.sim run|compare``: the headless town, its report and the comparison."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.errors import AgaError

__all__ = ["main"]

MAX_DAYS = 60
MAX_NPCS = 500


def _positive_int(name: str, upper: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, got {text!r}"
            ) from None
        if not 1 <= value <= upper:
            raise argparse.ArgumentTypeError(f"{name} must be between 1 and {upper}, got {value}")
        return value

    return parse


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a whole number, got {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"--seed must be within 0..2^32-1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m aga_npc.sim", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--map", default=None, help="TMX map (default: the bundled town)")
        p.add_argument("--personas", default=None, help="persona file, folder or GA personas/")
        p.add_argument("--npcs", type=_positive_int("--npcs", MAX_NPCS), default=3)
        p.add_argument("--days", type=_positive_int("--days", MAX_DAYS), default=2)
        p.add_argument("--seed", type=_seed, default=0)
        p.add_argument("--embed", choices=["local", "openai", "hashing"], default=None)
        p.add_argument(
            "--lod",
            choices=["turns", "whole"],
            default="turns",
            help="NPC-NPC conversations turn by turn, or whole exchanges in one call",
        )
        p.add_argument("--no-mind-wandering", action="store_true")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    run = sub.add_parser("run", help="run one mode and write the report JSON")
    common(run)
    run.add_argument("--mode", default="aga", choices=[m.value for m in Mode])
    run.add_argument("--json", dest="json_path", default=None, help="report path")
    run.add_argument("--policy-store", default=None, help="load/save the Lifestyle Policy here")
    run.add_argument("--checkpoint", default=None, help="save the whole town here every game hour")
    run.add_argument(
        "--resume", action="store_true", help="continue from --checkpoint when it exists"
    )

    compare = sub.add_parser("compare", help="baseline and the AGA modes side by side")
    common(compare)
    compare.add_argument("--warm-runs", type=int, default=2)
    compare.add_argument("--out", default="reports", help="output folder")
    compare.add_argument("--modes", default=",".join(m.value for m in Mode))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from aga_npc.sim.compare import compare_modes
    from aga_npc.sim.runner import run_mode

    try:
        if args.command == "run":
            report = run_mode(args)
            text = json.dumps(report, indent=1, sort_keys=True)
            if args.json_path:
                from aga_npc.store.atomic import atomic_write_bytes

                atomic_write_bytes(Path(args.json_path), text.encode("utf-8"))
            else:
                print(text)
            return 0
        if not 0 <= args.warm_runs <= 20:
            parser.error(f"--warm-runs must be between 0 and 20, got {args.warm_runs}")
        compare_modes(args)
        return 0
    except AgaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
