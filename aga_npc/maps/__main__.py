"""``python -m aga_npc.maps check PATH.tmx [--json] [--kinds KINDS.toml]`` and
``... render PATH.tmx OUT.png``.

Exit status: 0 no problems, 1 the map has problems (each named), 2 the map or the kinds
file cannot be read (or rendering failed). Errors are one clear line on stderr, never a
traceback. ``--kinds`` adds a game's object kinds (a TOML file, see
docs/MAP_CONVENTIONS.md) to the household ones the map is checked against.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence

from aga_npc.errors import MapError

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m aga_npc.maps", description="Check or render a Tiled TMX map."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a map against the map conventions")
    check.add_argument("path", help="the .tmx file")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument(
        "--kinds",
        metavar="KINDS.toml",
        help="the game's own object kinds (added to the household kinds)",
    )
    render = sub.add_parser("render", help="draw the map into a PNG file (needs pygame)")
    render.add_argument("path", help="the .tmx file")
    render.add_argument("out", help="the .png file to write")
    render.add_argument("--zoom", type=int, default=1, help="integer scale factor (default 1)")
    return parser


def _check(path: str, as_json: bool, kinds_path: str | None) -> int:
    from aga_npc.maps.check import check_map, format_report
    from aga_npc.world.kinds import KindRegistry

    try:
        kinds = KindRegistry.resolve(kinds_path)
        report = check_map(path, kinds=kinds)
    except MapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _render(path: str, out: str, zoom: int) -> int:
    if zoom < 1:
        print("error: --zoom must be >= 1", file=sys.stderr)
        return EXIT_UNREADABLE
    if not os.path.isfile(path):
        print(f"error: {path}: no such map file", file=sys.stderr)
        return EXIT_UNREADABLE
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:  # lazily: pygame is an optional extra
        renderer = importlib.import_module("aga_npc.pygame.map_renderer")
    except ImportError as exc:
        print(
            f"error: rendering needs pygame (pip install 'aga-npc[pygame]'): {exc}",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    try:
        width, height = renderer.render_to_png(path, out, zoom=zoom)
    except MapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"wrote {out} ({width} x {height} px)")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.path, args.json, args.kinds)
        return _render(args.path, args.out, args.zoom)
    except Exception as exc:  # the contract: a clear line, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
