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
from aga_npc.sim.runner import RunConfig, simulate
from aga_npc.town.town import Town

__all__ = ["Watched", "watched_run"]

DAY = 1440


@dataclass(slots=True)
class Watched:
    """What one run left: the report, the memories mind wandering sampled per agent and day,
    and each agent's Social Memory rows at the end of every game day."""

    report: dict[str, Any]
    wandered: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    relations: dict[int, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)


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
) -> Watched:
    """Run the town headless (a fresh policy store) and watch it every game hour."""
    parsed = Mode.parse(mode)
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

    def on_hour(town: Town, _: TokenLedger) -> None:
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
    return Watched(report=report, wandered=wandered, relations=relations)
