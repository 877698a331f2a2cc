"""Headless runs of the town for the evaluation, watched once per game hour."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.llm.ledger import TokenLedger
from aga_npc.personas.model import Persona
from aga_npc.policy.store import PolicyStore
from aga_npc.runtime.inline import InlineGateway
from aga_npc.sim.runner import RunConfig, simulate
from aga_npc.town.build import TownSpec, build_town
from aga_npc.town.policy_port import StorePolicy
from aga_npc.town.save import load_town, save_town
from aga_npc.town.town import Town

__all__ = ["Watched", "town_from_save", "watched_run"]

DAY = 1440


@dataclass(slots=True)
class Watched:
    """What one run left: the report, the memories mind wandering sampled per agent and day,
    each agent's Social Memory rows at the end of every game day, and the conversations
    finished by the end (the town keeps the last 200)."""

    report: dict[str, Any]
    wandered: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    relations: dict[int, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    conversations: list[dict[str, Any]] = field(default_factory=list)


def watched_run(
    personas: tuple[Persona, ...],
    *,
    mode: str,
    days: int,
    seed: int,
    settings: Settings,
    embedder: CachedEmbedder,
    map_path: Path | None = None,
    mind_wandering: bool = True,
    progress: Callable[[int, int], None] | None = None,
    checkpoint: Path | None = None,
    watch: Callable[[Town], None] | None = None,
) -> Watched:
    """Run the town headless (a fresh policy store) and watch it every game hour.

    ``checkpoint``: save the town there at the end of the run (``aga_npc.town.save``, what
    ``python -m aga_npc.sim run --checkpoint`` writes); ``watch(town)`` is called every game
    hour too.

    The run looks texts up in a cache of its own over ``embedder`` (which computes each
    text once for every run that shares it), so what it finds without asking depends only
    on its own history: a run after others is the run alone."""
    parsed = Mode.parse(mode)
    embedder = CachedEmbedder(embedder)
    store = PolicyStore(embedder=embedder) if parsed.uses_policy else None
    config = RunConfig(
        personas=personas,
        mode=parsed,
        days=days,
        seed=seed,
        map_path=map_path,
        mind_wandering=mind_wandering,
    )
    wandered: dict[str, dict[int, list[str]]] = {}
    relations: dict[int, dict[str, dict[str, dict[str, Any]]]] = {}
    hours = [0]
    talks: list[dict[str, Any]] = []

    def on_hour(town: Town, _: TokenLedger) -> None:
        hours[0] += 1
        if watch is not None:
            watch(town)
        if hours[0] == days * 24:
            convos = town.conversations
            talks.extend(dict(c) for c in (convos.finished if convos is not None else []))
            if checkpoint is not None:
                checkpoint.parent.mkdir(parents=True, exist_ok=True)
                save_town(checkpoint, town, policy=store)
        day = (town.now - 1) // DAY + 1  # the hour that just ended belongs to this day
        for name, snap in town.snapshots().items():
            if snap.wandered and snap.wandered not in wandered.get(name, {}).values():
                wandered.setdefault(name, {})[day] = list(snap.wandered)
        if not relations:  # the first hour: the relationships the run started with, as day 0
            relations[0] = {name: town.brains[name].relationships() for name in town.names()}
        if town.now % DAY == 0:
            relations[day] = {name: town.brains[name].relationships() for name in town.names()}

    report = simulate(
        config,
        settings=settings,
        embedder=embedder,
        store=store,
        progress=progress,
        on_hour=on_hour,
    )
    return Watched(report=report, wandered=wandered, relations=relations, conversations=talks)


def town_from_save(
    path: Path,
    personas: tuple[Persona, ...],
    *,
    mode: str,
    seed: int,
    settings: Settings,
    embedder: CachedEmbedder,
    map_path: Path | None = None,
) -> Town:
    """The town of a save (a checkpoint of a finished run), built as the run built it and
    loaded from the file; it is only read (never stepped), so its gateway is the offline
    stand-in's.

    Raises:
        SaveError, CorruptFileError, StoreError: see ``aga_npc.town.save.load_town``.
    """
    from aga_npc.llm.registry import build_stack
    from aga_npc.offline import OfflineLLM

    parsed = Mode.parse(mode)
    store = PolicyStore(embedder=embedder) if parsed.uses_policy else None
    ledger = TokenLedger()
    stack = build_stack(settings, ledger, backend=OfflineLLM(seed=seed))
    town = build_town(
        TownSpec(personas=personas, mode=parsed, seed=seed, map_path=map_path),
        gateway=InlineGateway(stack, ledger=ledger),
        embedder=embedder,
        cached_vector=embedder.cached,
        policy=StorePolicy(store) if store is not None else None,
    )
    load_town(path, town, policy=store)
    return town
