"""Generative Agents' per-action chain, driven by hand against the bundled town.

For one schedule item this does what the brain's resolver does, without a brain: the
``decompose`` request (or the item itself when it is short or sleep), then for every
subtask ``action_sector`` -> ``action_arena`` -> ``action_object``, each answer parsed
with the brain's validator and grounded with the brain's own fail-safes
(``aga_npc.brain.grounding``). The merged ``action_chain`` path is grounded the way the
``aga`` mode does it, re-asking with the rejected steps. The result is what the behaviour
checker would judge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from offline_town import place_objects, profile, sector_rooms, text_of, world

from aga_npc.brain import grounding
from aga_npc.brain.answers import Choice, Steps, Subtasks
from aga_npc.brain.resolver import MAX_CHAIN_ATTEMPTS, fit_minutes
from aga_npc.brain.settings import LoopSettings
from aga_npc.llm.jsonrepair import extract_json
from aga_npc.personas.model import Persona
from aga_npc.places import Address
from aga_npc.prompts import (
    action_chain_messages,
    arena_messages,
    decompose_messages,
    object_messages,
    sector_messages,
)
from aga_npc.town.agreement import fit_reason
from aga_npc.types import LLMRequest, Module

__all__ = ["Done", "ga_chain", "merged_chain", "misfits"]

DECOMPOSE_MIN = LoopSettings().decompose_min


@dataclass(frozen=True, slots=True, kw_only=True)
class Done:
    """One action as the town would execute it.

    Attributes:
        subtask: the subtask's words (the merged path: the step's description).
        verb, target, kind: the action on its object ("" when none).
        minutes: its length.
        valid: every answer of its chain was a listed option (no fail-safe was needed).
    """

    subtask: str
    verb: str
    target: str
    kind: str
    minutes: int
    valid: bool = True


def _ask(module: Module, messages: Any, validator: Callable[[Any], Any], seed: int) -> Any:
    request = LLMRequest(agent="x", module=module, messages=messages, json=True)
    return validator(extract_json(text_of(request, seed)))


def _is_sleep(text: str) -> bool:
    lowered = text.lower()
    return "sleep" in lowered or "go to bed" in lowered


def ga_chain(
    persona: Persona,
    activity: str,
    place: str,
    *,
    duration: int = 60,
    start: str = "08:00",
    seed: int = 0,
    current: str = "",
) -> list[Done]:
    """The baseline's decomposition and per-action chain for one schedule item."""
    who = profile(persona)
    fields = who.prompt_fields()
    here = world()
    if duration < DECOMPOSE_MIN or _is_sleep(activity):
        items = [(activity, duration)]
    else:
        answer = _ask(
            Module.DECOMPOSE,
            decompose_messages(
                persona=fields,
                activity=activity,
                start=start,
                duration=duration,
                place=place,
                before="",
                after="",
                objects=place_objects(place, who),
            ),
            Subtasks.validate,
            seed,
        )
        items = fit_minutes(list(answer.items), duration)
    done = []
    for subtask, minutes in items:
        chose = _ask(
            Module.ACTION_SECTOR,
            sector_messages(
                persona=fields,
                activity=activity,
                subtask=subtask,
                planned_place=place,
                current=current or who.home,
                sectors=sector_rooms(),
            ),
            Choice.sector,
            seed,
        )
        sector, ok_sector = grounding.pick_sector(chose.value, sector_rooms(), place)
        chose = _ask(
            Module.ACTION_ARENA,
            arena_messages(
                persona=fields,
                activity=activity,
                subtask=subtask,
                sector=sector,
                arenas=grounding.arena_options(here, sector, who),
            ),
            Choice.arena,
            seed,
        )
        arena, ok_arena = grounding.pick_arena(chose.value, here, sector, subtask, who)
        objects = grounding.object_options(here, sector, arena, who)
        chose = _ask(
            Module.ACTION_OBJECT,
            object_messages(
                persona=fields,
                activity=activity,
                subtask=subtask,
                where=f"{sector}:{arena}",
                objects=[
                    {"name": o.name, "kind": o.kind, "verbs": list(o.affordances)} for o in objects
                ],
            ),
            Choice.object,
            seed,
        )
        obj, verb, ok_object = grounding.pick_object(
            chose.value, chose.verb, here, sector, arena, subtask, who
        )
        done.append(
            Done(
                subtask=subtask,
                verb=verb or "think",
                target=obj.address if obj else "",
                kind=obj.kind if obj else "",
                minutes=minutes,
                valid=ok_sector and ok_arena and ok_object,
            )
        )
    return done


def merged_chain(
    persona: Persona,
    activity: str,
    place: str,
    *,
    duration: int = 60,
    start: str = "08:00",
    seed: int = 0,
) -> list[Done]:
    """The ``aga`` mode's merged ``action_chain`` call for one item, grounded and re-asked
    with the rejected steps as the resolver does (no fallback: an empty list when nothing
    could be grounded)."""
    who = profile(persona)
    here = world()
    forbidden: list[str] = []
    actions: list[Done] = []
    for _ in range(MAX_CHAIN_ATTEMPTS):
        answer = _ask(
            Module.ACTION_CHAIN,
            action_chain_messages(
                persona=who.prompt_fields(),
                activity=activity,
                duration=duration,
                place=place,
                time=start,
                objects=place_objects(place, who),
                forbidden=forbidden,
            ),
            Steps.validate,
            seed,
        )
        grounded = grounding.ground_chain_steps(
            answer.steps, world=here, agent=who.name, subject=who.name
        )
        wrong = [
            a for a in grounded.actions if a.target and Address.parse(a.target).sector != place
        ]
        rejected = [*grounded.rejected, *(f"{a.verb} on {a.target}: not in {place}" for a in wrong)]
        actions = [
            Done(
                subtask=a.description,
                verb=a.verb,
                target=a.target,
                kind=(here.object_at(a.target).kind if a.target else ""),  # type: ignore[union-attr]
                minutes=a.duration,
            )
            for a in grounded.actions
            if a not in wrong
        ]
        if not rejected:
            break
        forbidden.extend(rejected)
    return actions


def misfits(activity: str, place: str, done: list[Done]) -> list[str]:
    """What the behaviour checker would flag in these actions: plan mismatches and actions
    outside the planned place."""
    found = []
    for action in done:
        if action.target and Address.parse(action.target).sector != place:
            found.append(f"{action.verb} on {action.target}: not in {place} ({action.subtask!r})")
        reason = fit_reason(activity, action.verb, action.kind, place=place)
        if reason is not None:
            found.append(f"{reason} ({action.subtask!r} on {action.target})")
    return found
