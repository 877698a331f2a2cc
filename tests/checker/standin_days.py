"""Honest agent-days from the offline stand-in: its day plans, decomposed on the bundled map.

Each resident of the demo town gets the stand-in's plan for each day (``build_plan`` with
the context the brain sends), every plan item is decomposed with the place's objects as
the brain lists them (``build_steps``), grounded like the brain grounds answers (steps on
missing objects or with verbs an object does not afford are dropped, as the re-ask loop
would replace them) and laid out in time. The result is one ``AgentDay`` per resident and
day, as the town would record it with every action coming from the LLM.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path
from typing import Any

import aga_npc
from aga_npc.brain.answers import Steps
from aga_npc.brain.chain import fit_actions
from aga_npc.brain.grounding import ground_chain_steps
from aga_npc.offline.decompose import build_steps
from aga_npc.offline.plan_day import build_plan
from aga_npc.personas.loader import town_personas
from aga_npc.personas.model import Persona
from aga_npc.planning.schedule import parse_hhmm
from aga_npc.town.checker import ActionRecord, ActionSource, AgentDay, ScheduleStart
from aga_npc.world import World

DAY = 1440
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAP = Path(aga_npc.__file__).resolve().parent / "data" / "maps" / "town.tmx"


def _prompt_fields(persona: Persona) -> dict[str, Any]:
    """The persona as the brain writes it into prompts (``profile_from_persona``)."""
    fields: dict[str, Any] = {
        "name": persona.name,
        "age": persona.age,
        "traits": list(persona.traits),
        "backstory": persona.backstory,
        "currently": persona.currently,
        "lifestyle": persona.lifestyle,
        "home": persona.home,
        "workplace": persona.workplace,
        "role": persona.role,
        "work_days": list(persona.work_days),
        "wake_time": persona.wake_time,
        "sleep_time": persona.sleep_time,
        "daily_requirements": list(persona.daily_requirements),
    }
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def _is_work_day(persona: Persona, day: int) -> bool:
    return bool(persona.workplace) and SHORT[(day - 1) % 7] in persona.work_days


class _Town:
    """The bundled map with the residents in their beds, and each place's object lines."""

    def __init__(self, npcs: int) -> None:
        self.world = World.load(MAP)
        self.personas = town_personas(npcs)
        self.places = list(self.world.sector_names())
        self.beds: dict[str, str] = {}
        for p in self.personas:
            self.world.add_agent(
                p.name, None, home=p.home, workplace=p.workplace or None, bed=p.bed or None
            )
            self.beds[p.name] = self.world.agent_bed(p.name) or ""
        self._lines: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def objects_for(self, agent: str, sector: str) -> list[dict[str, Any]]:
        """The decompose prompt's object lines (others' beds left out, as the brain does)."""
        key = (agent, sector)
        if key not in self._lines:
            bed = self.beds[agent]
            self._lines[key] = [
                {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)}
                for o in self.world.objects(sector=sector)
                if not (o.kind == "bed" and bed and o.address != bed)
            ]
        return self._lines[key]


def _day(town: _Town, persona: Persona, day: int, seed: int) -> tuple[AgentDay, list[str]]:
    rng = random.Random(f"{seed}:{persona.name}:{day}")
    work_day = _is_work_day(persona, day)
    context = {
        "persona": _prompt_fields(persona),
        "day": {"day": day, "weekday": WEEKDAYS[(day - 1) % 7], "is_work_day": work_day},
        "memories": [],
        "invitations": [],
        "places": town.places,
    }
    plan = build_plan(context, rng)
    record = AgentDay(
        agent=persona.name,
        day=day,
        work_day=work_day,
        home=persona.home,
        workplace=persona.workplace,
    )
    descriptions: list[str] = []
    base = (day - 1) * DAY
    previous = -1
    for item in plan["activities"]:
        start = base + parse_hhmm(item["start"])
        while start < previous:
            start += DAY
        previous = start
        text, place, duration = item["activity"], item["place"], int(item["duration"])
        record.schedule.append(ScheduleStart(minute=start, text=text, place=place))
        steps = build_steps(
            {
                "persona": {"name": persona.name, "role": persona.role},
                "activity": text,
                "duration": duration,
                "place": place,
                "time": item["start"],
                "objects": town.objects_for(persona.name, place),
            },
            rng,
        )
        grounding = ground_chain_steps(
            Steps.validate(steps).steps,
            world=town.world,
            agent=persona.name,
            subject=persona.name,
        )
        at = start
        for action in fit_actions(grounding.actions, duration):
            info = town.world.object_at(action.target) if action.target else None
            record.executed.append(
                ActionRecord(
                    start=at,
                    minutes=action.duration,
                    verb=action.verb,
                    target=action.target,
                    kind=info.kind if info is not None else "",
                    plan=text,
                    place=place,
                    source=ActionSource.LLM,
                )
            )
            in_workplace = (info.sector if info is not None else place) == persona.workplace
            if in_workplace and at < base + 4 * 60 + DAY:
                record.work_minutes += action.duration
            descriptions.append(action.description)
            at += action.duration
    return record, descriptions


@functools.lru_cache(maxsize=4)
def standin_days(
    days: int = 7, seeds: int = 2, npcs: int = 25
) -> tuple[tuple[AgentDay, tuple[str, ...]], ...]:
    """One record per resident, day (1..``days``) and seed (0..``seeds``-1), each with the
    stand-in's own description of every executed action (in ``executed`` order)."""
    town = _Town(npcs)
    out = []
    for seed in range(seeds):
        for day in range(1, days + 1):
            for persona in town.personas:
                record, descriptions = _day(town, persona, day, seed)
                out.append((record, tuple(descriptions)))
    return tuple(out)
