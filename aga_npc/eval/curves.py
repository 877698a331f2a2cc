"""Emergent-behaviour curves (the paper's Figure 6): cumulative distinct activity types over
runs with mind wandering on and off, each activity checked against its persona, and the
memory that inspired each wandering activity (its "why")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.eval.activities import (
    SAME_TYPE,
    ActivityTypes,
    activity_core,
    cumulative_types,
    inspired_by,
)
from aga_npc.eval.persona_check import persona_violations
from aga_npc.eval.runs import watched_run
from aga_npc.personas.model import Persona

__all__ = ["emergent_curves"]


def emergent_curves(
    personas: tuple[Persona, ...],
    *,
    seeds: list[int],
    days: int,
    mode: str,
    settings: Settings,
    embedder: CachedEmbedder,
    map_path: Path | None = None,
    threshold: float = SAME_TYPE,
    also_at: tuple[float, ...] = (),
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run every seed with mind wandering on and off; the curves and the checks as JSON.

    ``curves[on|off]`` is the cumulative number of activity types after each run (types by
    embedding, :class:`ActivityTypes` at ``threshold``, one set per setting); ``ratio`` the
    last point on over off. ``out_of_character`` lists every activity of either setting the
    persona check refuses; ``why`` each wandering run's activities that share words with a
    memory that came to mind that day. ``curves_at`` holds the same curves with the types
    clustered at each threshold of ``also_at`` (the same runs, so a threshold's effect is
    seen apart from the runs').
    """
    names = [p.name for p in personas]
    result: dict[str, Any] = {
        "npcs": len(personas),
        "days": days,
        "mode": mode,
        "seeds": seeds,
        "embedder": embedder.name,
        "threshold": threshold,
        "curves": {},
        "activities": {},
        "out_of_character": {},
        "why": [],
    }
    runs: dict[str, list[list[str]]] = {}
    for setting, wandering in (("on", True), ("off", False)):
        types = ActivityTypes(embedder, threshold=threshold)
        runs[setting] = []
        curve: list[int] = []
        counts: list[int] = []
        bad: list[dict[str, str]] = []
        for seed in seeds:
            watched = watched_run(
                personas,
                mode=mode,
                days=days,
                seed=seed,
                settings=settings,
                embedder=embedder,
                map_path=map_path,
                mind_wandering=wandering,
            )
            pairs = [
                (name, str(text))
                for name, agent in watched.report["agents"].items()
                for _, text in agent["activities"]
            ]
            cores = [activity_core(t, names) for _, t in pairs]
            runs[setting].append(cores)
            types.add(cores)
            curve.append(len(types))
            counts.append(len(pairs))
            bad.extend({**v, "seed": str(seed)} for v in persona_violations(pairs, personas))
            if wandering:
                result["why"].extend(_why(watched.report, watched.wandered, seed))
            if log is not None:
                log(f"mind wandering {setting}, seed {seed}: {curve[-1]} activity types so far")
        result["curves"][setting] = curve
        result["activities"][setting] = counts
        result["out_of_character"][setting] = bad
        result[f"types_{setting}"] = list(types.leaders)
    on, off = result["curves"]["on"], result["curves"]["off"]
    result["ratio"] = round(on[-1] / off[-1], 3) if on and off and off[-1] else None
    result["curves_at"] = {}
    for other in also_at:
        at = {k: cumulative_types(v, embedder, threshold=other) for k, v in runs.items()}
        last_off = at["off"][-1] if at["off"] else 0
        result["curves_at"][str(other)] = {
            **at,
            "ratio": round(at["on"][-1] / last_off, 3) if last_off else None,
        }
    return result


def _why(
    report: dict[str, Any], wandered: dict[str, dict[int, list[str]]], seed: int
) -> list[dict[str, Any]]:
    rows = []
    for name, agent in report["agents"].items():
        for minute, text in agent["activities"]:
            day = int(minute) // 1440 + 1
            memories = wandered.get(name, {}).get(day, [])
            memory = inspired_by(str(text), memories, min_shared=2)
            if memory:
                rows.append(
                    {"seed": seed, "agent": name, "day": day, "activity": text, "memory": memory}
                )
    return rows
