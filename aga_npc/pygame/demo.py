"""``python demo_game.py``: the demo town in a window, or headless with a frame report."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["build_parser", "main"]

DEFAULT_HEADLESS_FRAMES = 600
# A worker thread busy in Python (the offline stand-in LLM, JSON parsing) keeps the GIL for
# up to the switch interval whenever the frame wants it back; 0.1 ms instead of CPython's
# 5 ms keeps that wait out of the frame time. A game embedding aga_npc may do the same.
SWITCH_INTERVAL = 0.0001


class UsageError(Exception):
    """A command-line value that makes no sense (exit code 2)."""


def _prog() -> str:
    """The name errors are told under: the console script's, else demo_game.py."""
    return "aga-npc-demo" if Path(sys.argv[0]).name == "aga-npc-demo" else "demo_game.py"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=_prog(),
        description="The aga_npc demo town: NPCs with AGA brains in a pygame window.",
    )
    p.add_argument("--headless", action="store_true", help="no window (SDL dummy driver)")
    p.add_argument("--frames", type=int, default=None, help="stop after N frames")
    p.add_argument(
        "--npcs",
        type=int,
        default=None,
        help="NPCs (default: 25 residents, or every --personas one; more are copies)",
    )
    p.add_argument(
        "--personas",
        type=Path,
        default=None,
        help="persona TOML file, folder of them, or a Generative Agents personas/ folder "
        "(default: the town's residents; see docs/PERSONAS.md)",
    )
    p.add_argument("--llm-latency", type=float, default=0.0, help="seconds added to every LLM call")
    p.add_argument("--seed", type=int, default=0, help="seed of brains and offline LLM")
    p.add_argument("--report", type=Path, default=None, help="write frame statistics (JSON)")
    p.add_argument("--embed", choices=("local", "openai", "hashing"), default=None, help="embedder")
    p.add_argument("--map", type=Path, default=None, help="TMX map (default: the bundled town)")
    p.add_argument(
        "--kinds",
        type=Path,
        default=None,
        help="TOML file of the map's own object kinds, added to the household ones",
    )
    p.add_argument("--zoom", type=int, default=2, help="integer map zoom")
    p.add_argument("--size", default="1280x720", help="window size WxH")
    p.add_argument("--speed", type=float, default=1.0, help="game minutes per real second")
    p.add_argument("--start", default="06:00", help="game time at start (HH:MM)")
    p.add_argument("--save", type=Path, default=Path("saves") / "town.aga", help="save file")
    p.add_argument("--uncapped", action="store_true", help="no 60 FPS cap")
    p.add_argument("--overlay", action="store_true", help="start with the debug overlay on")
    p.add_argument("--brain-budget", type=int, default=None, help="brains ticked per frame")
    tape = p.add_mutually_exclusive_group()
    tape.add_argument(
        "--record",
        type=Path,
        default=None,
        metavar="PATH",
        help="write every LLM answer to PATH (model, endpoint and seed, never the API key)",
    )
    tape.add_argument(
        "--replay",
        type=Path,
        default=None,
        metavar="PATH",
        help="answer every LLM request from a --record file (no model, no network); a "
        "request it lacks falls back as an unanswered one does",
    )
    p.add_argument(
        "--no-gc-freeze",
        action="store_true",
        help="leave the cyclic collector as it is (default: gc.freeze() at the first frame)",
    )
    return p


def _check(args: argparse.Namespace) -> tuple[int, int]:
    if args.frames is not None and args.frames < 1:
        raise UsageError(f"--frames must be at least 1, got {args.frames}")
    if args.npcs is not None and not 1 <= args.npcs <= 2000:
        raise UsageError(f"--npcs must be between 1 and 2000, got {args.npcs}")
    if not math.isfinite(args.llm_latency) or args.llm_latency < 0:
        raise UsageError(f"--llm-latency must be 0 or more seconds, got {args.llm_latency}")
    if not 1 <= args.zoom <= 8:
        raise UsageError(f"--zoom must be an integer from 1 to 8, got {args.zoom}")
    if not math.isfinite(args.speed) or args.speed <= 0:
        raise UsageError(f"--speed must be a positive number, got {args.speed}")
    if args.brain_budget is not None and args.brain_budget < 1:
        raise UsageError(f"--brain-budget must be at least 1, got {args.brain_budget}")
    try:
        w_text, h_text = str(args.size).lower().split("x")
        width, height = int(w_text), int(h_text)
    except ValueError:
        raise UsageError(f"--size must read WIDTHxHEIGHT, got {args.size!r}") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise UsageError(f"--size {width}x{height} is outside 320x240 .. 7680x4320")
    if args.replay is not None:
        from aga_npc.errors import StoreError
        from aga_npc.llm.recording import read_recording

        try:
            read_recording(args.replay)
        except StoreError as exc:
            raise UsageError(f"--replay: {exc}") from None
    from aga_npc.world.clock import parse_hhmm

    try:
        parse_hhmm(args.start)
    except ValueError as exc:
        raise UsageError(f"--start: {exc}") from None
    return width, height


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; returns the exit code (2 for bad arguments or an unreadable map)."""
    args = build_parser().parse_args(argv)
    prog = _prog()
    try:
        size = _check(args)
    except UsageError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    if args.headless:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
    sys.setswitchinterval(SWITCH_INTERVAL)
    # The local embedder's tokenizer would otherwise spread batches over every core.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from aga_npc.errors import AgaError, MapError, PersonaError

    try:
        host, map_path = _build_host(args)
    except (MapError, PersonaError, UsageError) as exc:  # bad input: the map or the personas
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except AgaError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    try:
        return _run(args, host, map_path, size)
    finally:
        host.close()


def _build_host(args: argparse.Namespace) -> tuple[Any, Path]:
    from aga_npc.host.town_host import HostConfig, TownHost, clone_personas
    from aga_npc.personas.loader import check_on_map, load_personas, town_personas
    from aga_npc.town.build import default_map_path
    from aga_npc.world.kinds import KindRegistry
    from aga_npc.world.model import World

    map_path = args.map or default_map_path()
    if not map_path.is_file():
        raise UsageError(f"no map at {map_path}")
    if args.personas is not None:
        chosen = load_personas(args.personas)  # PersonaError names the file and field
    else:
        chosen = town_personas(3 if args.npcs == 3 else 25)
    personas = clone_personas(chosen, args.npcs or len(chosen))
    kinds = KindRegistry.resolve(args.kinds)  # MapError names the kinds file and field
    world = World.load(map_path, kinds=kinds)  # MapError names the file
    # Every home, workplace and bed on this map, and a bed for each resident; the copies
    # beyond the residents get start tiles near their home from the host instead.
    copies = {p.name for p in personas} - {p.name for p in chosen}
    check_on_map(personas, world, start_tiles=copies)
    config = HostConfig(
        seed=args.seed,
        llm_latency=args.llm_latency,
        embed=args.embed,
        start=args.start,
        minutes_per_second=args.speed,
        gc_freeze=not args.no_gc_freeze,
        record=args.record,
        replay=args.replay,
    )
    return TownHost.create(personas, world=world, config=config), map_path


def _run(args: argparse.Namespace, host: Any, map_path: Path, size: tuple[int, int]) -> int:
    import pygame

    from aga_npc.host.stats import FrameStats, GcWatch
    from aga_npc.pygame.app import AppConfig, GameApp
    from aga_npc.store.atomic import atomic_write_bytes

    config = AppConfig(
        size=size,
        zoom=args.zoom,
        fps=0 if args.uncapped else 60,
        save_path=args.save,
        brain_budget=args.brain_budget,
    )
    start_clock = str(host.clock)
    app = GameApp(host, map_path, config=config)
    app.show_overlay = bool(args.overlay)
    frames = args.frames or (DEFAULT_HEADLESS_FRAMES if args.headless else None)
    watch = GcWatch()
    try:
        with watch:
            stats = app.run(frames)
    except KeyboardInterrupt:
        stats = app.stats
    finally:
        pygame.display.quit()
    report = stats.report(
        npcs=len(host.names()),
        gateway=host.gateway.stats(),
        extra={
            "seed": args.seed,
            "llm_latency": args.llm_latency,
            "speed": args.speed,
            "backend": host.backend_name,
            "model": host.model,
            "embedder": host.policy_store.embedder_name,
            "warmup_frames": config.warmup_frames,
            "fps_cap": config.fps,
            "window": list(size),
            "game_clock": {"start": start_clock, "end": str(host.clock)},
            "brains_per_frame": args.brain_budget,
            "gc_freeze": not args.no_gc_freeze,
            "gc": watch.report(),
        },
    )
    if args.headless or args.report:
        print(FrameStats.table(report))
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(args.report, json.dumps(report, indent=1).encode("utf-8"))
    return 0
