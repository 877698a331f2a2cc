"""Headless runs: one mode (``run``) or every mode side by side (``compare``)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgpack

from aga_npc.brain.modes import Mode
from aga_npc.brain.settings import LoopSettings, Savings
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.embed.factory import build_embedder
from aga_npc.errors import StoreError
from aga_npc.host.assemble import Wiring, assemble
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.recording import Replayer
from aga_npc.llm.registry import settings_for_replay
from aga_npc.personas.loader import load_personas
from aga_npc.personas.model import Persona
from aga_npc.policy.store import PolicyStore
from aga_npc.sim.population import town_for
from aga_npc.sim.report import build_report
from aga_npc.store.atomic import atomic_write_bytes
from aga_npc.town.build import TownSpec
from aga_npc.town.save import load_town, previous_save_path, save_town
from aga_npc.town.town import Town

__all__ = ["RunConfig", "run_mode", "simulate"]

DAY = 1440


@dataclass(frozen=True, slots=True, kw_only=True)
class RunConfig:
    """One headless run."""

    personas: tuple[Persona, ...]
    mode: Mode
    days: int
    seed: int
    map_path: Path | None = None
    kinds: Path | None = None
    """A TOML file of the map's own object kinds (added to the household ones)."""
    lod: str = "turns"
    mind_wandering: bool = True
    wording: str = "default"
    savings: str | None = None
    sharing: str = "town"
    answer_delay: int = 0
    """Game minutes between asking and hearing an answer beyond the next one (0: answers
    arrive the minute after they are asked, whatever the server's latency). The minute is
    fixed when the request is sent, so a seed gives the same run; a delay lets the town
    keep going while slow requests are in flight (a game at x60 with a 3 s model: 3)."""
    line_minutes: int | None = None
    """Game minutes per conversation line (``LoopSettings.line_minutes``; None: the paced
    default :func:`paired_line_minutes`, 0: as fast as the answers come)."""
    record: Path | None = None
    """Record every LLM answer of the run into this file (``aga_npc.llm.recording``)."""
    replay: Path | None = None
    """Answer every LLM request from this recording, with no model and no network; a
    request the recording lacks stops the run with ``ReplayMissError``."""


def simulate(
    config: RunConfig,
    *,
    settings: Settings,
    embedder: CachedEmbedder,
    store: PolicyStore | None,
    progress: Callable[[int, int], None] | None = None,
    checkpoint: Path | None = None,
    resume: bool = False,
    on_hour: Callable[[Town, TokenLedger], None] | None = None,
) -> dict[str, Any]:
    """Run the town for ``config.days`` game days as fast as the CPU allows.

    The gateway is inline (deterministic): requests submitted in a game minute are sent
    together (several in flight at once) and their answers delivered, in the order they
    were sent, at the end of that minute (``config.answer_delay`` minutes later when set).
    The policy store and embedding cache are passed in so that warm runs can share them.

    With ``checkpoint`` the whole town (and its token ledger beside it) is saved atomically
    every game hour; with ``resume`` a run starts from that checkpoint when one exists (the
    previous good save when the last one is damaged), so a killed run loses at most one
    game hour. ``on_hour(town, ledger)`` is called at every full game hour (benchmarks).
    """
    replayer = Replayer(config.replay) if config.replay is not None else None
    built = assemble(
        TownSpec(
            personas=config.personas,
            mode=config.mode,
            seed=config.seed,
            map_path=config.map_path,
            kinds=config.kinds,
            lod=config.lod,
            mind_wandering=config.mind_wandering,
            loop=_loop(config),
        ),
        wiring=Wiring(
            realtime=False,
            wording=config.wording,
            answer_delay=config.answer_delay,
            sharing=config.sharing,
            stack_options={
                "record_path": config.record,
                "replay_path": replayer,
                "record_run": _recorded_run(config, settings),
                "record_append": False,
            },
        ),
        settings=settings,
        embedder=embedder,
        store=store,
    )
    town, gateway, ledger = built.town, built.gateway, built.ledger
    end = town.now + config.days * DAY
    if checkpoint is not None and resume:
        _resume(checkpoint, town, store, ledger)
    started = time.perf_counter()
    total = end - town.now
    for done in range(1, total + 1):
        town.step_minute()
        if replayer is not None and replayer.first_miss is not None:
            gateway.close()
            raise replayer.first_miss
        if progress is not None and done % 60 == 0:
            progress(done, total)
        if checkpoint is not None and town.now % 60 == 0:
            _checkpoint(checkpoint, town, store, ledger)
        if on_hour is not None and town.now % 60 == 0:
            on_hour(town, ledger)
    wall = time.perf_counter() - started
    gateway.close()
    llm = {
        "backend": settings.llm,
        "model": "offline" if settings.llm == "offline" else settings.model,
    }
    return build_report(
        town=town,
        ledger=ledger,
        mode=config.mode.value,
        days=config.days,
        seed=config.seed,
        llm=llm,
        embedder=embedder.name,
        wall_seconds=wall,
        extra={"dialogue": "social memory" if config.mode.uses_social_memory else "raw memories"},
    )


def _recorded_run(config: RunConfig, settings: Settings) -> dict[str, Any]:
    """What a recording of this run says about it (a replay takes its seed and in-flight
    limit from there, and a miss names the rest)."""
    return {
        "seed": config.seed,
        "mode": config.mode.value,
        "npcs": len(config.personas),
        "days": config.days,
        "max_in_flight": settings.concurrency_for(len(config.personas)),
        "answer_delay": config.answer_delay,
        "line_minutes": _loop(config).line_minutes,
    }


GENERATIVE_LINE_PUMPS = 4
"""Game minutes Generative Agents' line takes here at the least: the last line's embedding
(two pumps: computed off the thread, delivered at the next), the relationship summary, then
the utterance, each asked when the one before is answered."""


def paired_line_minutes(answer_delay: int = 0) -> int:
    """The pace that every dialogue style can keep in a headless run: the baseline's line
    at ``answer_delay``. Pacing every mode alike pairs the conversations across modes: a
    Social Memory line (one request) would otherwise take a quarter of the game time of a
    baseline line, so the AGA modes' agents would be free sooner and talk (and perceive,
    remember and reflect) more: 159 conversations against the baseline's 125 in a 25-NPC
    day."""
    return GENERATIVE_LINE_PUMPS * (1 + answer_delay)


def _loop(config: RunConfig) -> LoopSettings:
    """The mode's loop settings, with the savings switches overridden when asked, and
    conversations paced (``config.line_minutes``)."""
    pace = config.line_minutes
    loop = LoopSettings.for_mode(
        config.mode,
        line_minutes=paired_line_minutes(config.answer_delay) if pace is None else pace,
    )
    if config.savings is not None:
        loop = dataclasses.replace(loop, savings=Savings.parse(config.savings))
    return loop


def _ledger_path(checkpoint: Path) -> Path:
    return checkpoint.with_name(checkpoint.name + ".ledger")


def _checkpoint(
    checkpoint: Path, town: Town, store: PolicyStore | None, ledger: TokenLedger
) -> None:
    """Save the town, then its ledger (both atomic); the ledger names the town's minute."""
    save_town(checkpoint, town, policy=store)
    data = {"minute": town.now, "ledger": ledger.to_dict()}
    atomic_write_bytes(_ledger_path(checkpoint), msgpack.packb(data, use_bin_type=True))


def _resume(checkpoint: Path, town: Town, store: PolicyStore | None, ledger: TokenLedger) -> None:
    """Continue from the last checkpoint (or the previous one when the last is damaged)."""
    candidates = [checkpoint, previous_save_path(checkpoint)]
    last_error: Exception | None = None
    for path in candidates:
        if not path.exists():
            continue
        try:
            load_town(path, town, policy=store)
        except StoreError as exc:
            last_error = exc
            print(f"warning: {exc}", file=sys.stderr)
            continue
        break
    else:
        if last_error is not None:
            raise last_error
        return
    ledger_file = _ledger_path(checkpoint)
    if ledger_file.exists():
        try:
            data = msgpack.unpackb(ledger_file.read_bytes(), raw=False)
            if int(data["minute"]) == town.now:
                for entry in TokenLedger.from_dict(data["ledger"]).entries():
                    ledger.record(entry)
        except (ValueError, KeyError, TypeError, msgpack.UnpackException) as exc:
            print(f"warning: {ledger_file}: token ledger not restored ({exc})", file=sys.stderr)


def _town(args: argparse.Namespace) -> tuple[tuple[Persona, ...], Path | None]:
    """Residents and map: ``--personas``/``--map`` as given, else the town for ``--npcs``
    (``aga_npc.sim.population``: the bundled town up to 25, a generated one beyond)."""
    map_path = Path(args.map) if args.map else None
    if args.personas:
        return tuple(load_personas(args.personas)), map_path
    personas, generated = town_for(args.npcs)
    return personas, map_path or generated


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env().with_overrides(embed=args.embed)
    replay = getattr(args, "replay", None)
    return settings_for_replay(settings, replay) if replay else settings


def _progress(label: str, quiet: bool) -> Callable[[int, int], None] | None:
    if quiet:
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done // 60}/{total // 60} h"
        )
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def run_mode(args: argparse.Namespace) -> dict[str, Any]:
    """``sim run``: one mode; loads and saves ``--policy-store`` when given."""
    settings = _settings(args)
    embedder = build_embedder(settings)
    assert isinstance(embedder, CachedEmbedder)
    mode = Mode.parse(args.mode)
    store = None
    if mode.uses_policy:
        path = Path(args.policy_store) if args.policy_store else None
        store = (
            PolicyStore.open(path, embedder=embedder, recover=getattr(args, "recover", False))
            if path
            else PolicyStore(embedder=embedder)
        )
        if store.recovery is not None:
            print(f"warning: {store.recovery.describe()}", file=sys.stderr)
    personas, map_path = _town(args)
    config = RunConfig(
        personas=personas,
        mode=mode,
        days=args.days,
        seed=args.seed,
        map_path=map_path,
        kinds=Path(args.kinds) if getattr(args, "kinds", None) else None,
        lod=args.lod,
        mind_wandering=not args.no_mind_wandering,
        wording=args.wording,
        savings=args.savings,
        sharing=args.sharing,
        line_minutes=args.line_minutes,
        record=Path(args.record) if getattr(args, "record", None) else None,
        replay=Path(args.replay) if getattr(args, "replay", None) else None,
    )
    report = simulate(
        config,
        settings=settings,
        embedder=embedder,
        store=store,
        progress=_progress(mode.value, args.quiet),
        checkpoint=Path(args.checkpoint) if args.checkpoint else None,
        resume=args.resume,
    )
    if store is not None and args.policy_store:
        store.save()
    return report
