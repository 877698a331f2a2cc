"""The evaluation for every mode of ``sim compare`` side by side: interviews, the judge and
event diffusion on the same residents, questions, scenario and seed.

Each mode's town runs headless and is saved at the end (``<out>/<mode>/town.save``, the
checkpoint format of ``python -m aga_npc.sim run --checkpoint``); interviews are put to the
town loaded back from that file, as they would be to any finished run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.cache import CachedEmbedder
from aga_npc.errors import ConfigError
from aga_npc.eval.diffusion import DiffusionWatch, Scenario, seed_scenario
from aga_npc.eval.interview import Question, interview
from aga_npc.eval.judge import Item, judge, summarise
from aga_npc.eval.llm import EvalLLM
from aga_npc.eval.runs import Watched, town_from_save, watched_run
from aga_npc.personas.model import Persona
from aga_npc.town.town import Town

__all__ = [
    "ALL_MODES",
    "diffusion_by_mode",
    "interview_by_mode",
    "judge_by_mode",
    "judge_items",
    "parse_modes",
]

ALL_MODES = ("baseline", "aga-paper", "aga", "lifestyle-only", "social-only")
"""Every mode of ``sim compare``, the baseline first."""
DAY = 1440
MAX_LOG_DAYS = 7


def parse_modes(text: str) -> list[str]:
    """``all`` or a comma list of modes.

    Raises:
        ConfigError: an unknown mode.
    """
    if text.strip() == "all":
        return list(ALL_MODES)
    out = []
    for part in text.split(","):
        name = part.strip()
        try:
            Mode.parse(name)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        if name not in out:
            out.append(name)
    return out


def pick_agents(names: Sequence[str], wanted: str | None, *, most: int = 5) -> list[str]:
    """The named agents (comma list), else every agent of a town of up to ``most``
    residents, else its first ``most``.

    Raises:
        ConfigError: a name that is not a resident.
    """
    if not wanted:
        return list(names[:most])
    chosen = [w.strip() for w in wanted.split(",") if w.strip()]
    unknown = [w for w in chosen if w not in names]
    if unknown:
        raise ConfigError(f"not residents of this town: {', '.join(unknown)}")
    return chosen


def _run_saved(
    personas: tuple[Persona, ...],
    *,
    mode: str,
    days: int,
    seed: int,
    settings: Settings,
    embedder: CachedEmbedder,
    map_path: Path | None,
    out: Path,
    watch: Callable[[Town], None] | None = None,
) -> tuple[Watched, Town]:
    save = out / mode / "town.save"
    watched = watched_run(
        personas,
        mode=mode,
        days=days,
        seed=seed,
        settings=settings,
        embedder=embedder,
        map_path=map_path,
        checkpoint=save,
        watch=watch,
    )
    town = town_from_save(
        save,
        personas,
        mode=mode,
        seed=seed,
        settings=settings,
        embedder=embedder,
        map_path=map_path,
    )
    return watched, town


def interview_by_mode(
    personas: tuple[Persona, ...],
    *,
    modes: Sequence[str],
    days: int,
    seed: int,
    settings: Settings,
    embedder: CachedEmbedder,
    map_path: Path | None,
    out: Path,
    questions: Sequence[Question],
    agents: str | None = None,
    save: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Per mode: the run (or the given ``save``, for one mode) and every answer."""
    llm = EvalLLM(settings, seed=seed)
    result: dict[str, Any] = {
        "npcs": len(personas),
        "days": days,
        "seed": seed,
        "model": llm.describe(),
        "questions": [{"category": q.category, "text": q.text} for q in questions],
        "modes": {},
    }
    for mode in modes:
        if save is not None:
            town = town_from_save(
                save,
                personas,
                mode=mode,
                seed=seed,
                settings=settings,
                embedder=embedder,
                map_path=map_path,
            )
        else:
            _, town = _run_saved(
                personas,
                mode=mode,
                days=days,
                seed=seed,
                settings=settings,
                embedder=embedder,
                map_path=map_path,
                out=out,
            )
        names = pick_agents(town.names(), agents)
        rows = interview(town, names, questions, llm, embedder)
        result["modes"][mode] = {"save": str(save or out / mode / "town.save"), "answers": rows}
        if log is not None:
            log(f"{mode}: {len(rows)} answers from {len(names)} agents")
    return result


def judge_items(mode: str, watched: Watched, answers: Sequence[dict[str, Any]]) -> list[Item]:
    """What the judge scores for one mode: every interview answer, every agent's activity
    log per game day, and every finished conversation."""
    items = [
        Item("interview answer", mode, str(a["agent"]), str(a["answer"]), str(a["question"]))
        for a in answers
    ]
    for name, agent in watched.report["agents"].items():
        by_day: dict[int, list[str]] = {}
        for minute, text in agent["activities"]:
            by_day.setdefault(int(minute) // DAY + 1, []).append(str(text))
        for day in sorted(by_day)[:MAX_LOG_DAYS]:
            items.append(Item("activity log", mode, name, by_day[day]))
    for convo in watched.conversations:
        lines = [[str(w), str(t)] for w, t in convo.get("lines", ())]
        if lines:
            items.append(Item("dialogue", mode, f"{convo['a']} & {convo['b']}", lines))
    return items


def judge_by_mode(
    personas: tuple[Persona, ...],
    *,
    modes: Sequence[str],
    days: int,
    seed: int,
    settings: Settings,
    judge_with: Settings,
    embedder: CachedEmbedder,
    map_path: Path | None,
    out: Path,
    questions: Sequence[Question],
    agents: str | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Per mode: run, interview, and have the judge score the answers, the activity logs
    and the dialogues; the mean and spread per mode and kind."""
    agents_llm = EvalLLM(settings, seed=seed)
    judge_llm = EvalLLM(judge_with, seed=seed)
    rows: list[dict[str, Any]] = []
    answers_by_mode: dict[str, list[dict[str, Any]]] = {}
    for mode in modes:
        watched, town = _run_saved(
            personas,
            mode=mode,
            days=days,
            seed=seed,
            settings=settings,
            embedder=embedder,
            map_path=map_path,
            out=out,
        )
        names = pick_agents(town.names(), agents)
        answers = interview(town, names, questions, agents_llm, embedder)
        answers_by_mode[mode] = answers
        scored = judge(judge_items(mode, watched, answers), judge_llm)
        rows.extend(scored)
        if log is not None:
            log(f"{mode}: {len(scored)} items judged")
    return {
        "npcs": len(personas),
        "days": days,
        "seed": seed,
        "agents_model": agents_llm.describe(),
        "judge": judge_llm.describe(),
        "summary": summarise(rows),
        "scores": rows,
        "answers": answers_by_mode,
    }


def diffusion_by_mode(
    personas: tuple[Persona, ...],
    scenario: Scenario,
    *,
    modes: Sequence[str],
    days: int,
    seed: int,
    settings: Settings,
    embedder: CachedEmbedder,
    map_path: Path | None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Per mode: the town with the organiser seeded, watched for the event."""
    seeded = seed_scenario(personas, scenario)
    if days < scenario.day:
        raise ConfigError(f"the event is on day {scenario.day}; run at least that many days")
    result: dict[str, Any] = {"npcs": len(personas), "days": days, "seed": seed, "modes": {}}
    for mode in modes:
        watch = DiffusionWatch(scenario)
        watched = watched_run(
            seeded,
            mode=mode,
            days=days,
            seed=seed,
            settings=settings,
            embedder=embedder,
            map_path=map_path,
            watch=watch,
        )
        result["modes"][mode] = watch.report([p.name for p in seeded])
        result["llm"] = watched.report["llm"]
        if log is not None:
            counts = result["modes"][mode]["counts"]
            log(
                f"{mode}: heard {counts['heard']}, planned {counts['planned']}, attended "
                f"{counts['attended']} of {counts['others']}"
            )
    return result
