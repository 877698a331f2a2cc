"""Personas, the bundled town and request builders for the stand-in's tests.

Every request is built with the brain's own prompt builders (``aga_npc.prompts``), with
the same ``max_tokens`` the brain asks with, so the tests read what the stand-in answers
to the brain, not to a copy of its prompts.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.brain.profile import AgentProfile
from aga_npc.offline import OfflineLLM, answer_text
from aga_npc.personas.loader import town_personas
from aga_npc.personas.model import Persona
from aga_npc.prompts import (
    action_chain_messages,
    conversation_whole_messages,
    daily_plan_messages,
    decompose_messages,
    player_reply_messages,
    poignancy_messages,
    relationship_messages,
    utterance_messages,
)
from aga_npc.town.build import default_map_path, profile_from_persona
from aga_npc.types import LLMRequest, LLMResult, Module
from aga_npc.world import World

PLACES = (
    "Brook House",
    "Harbor Flat",
    "Alder Dorm",
    "Cedar Apartments",
    "Fenwick House",
    "Rowan Cottage",
    "Juniper Cafe",
    "Town Hall",
    "Lantern House",
    "Mill Cottage",
    "Pine Street Grocery",
    "The Copper Kettle",
    "Alder College",
    "Town Square",
    "Elm Park",
)

PERSONAS: dict[str, dict[str, Any]] = {
    "student": {
        "name": "Maria Lopez",
        "age": 21,
        "traits": ["curious", "friendly", "hard-working"],
        "lifestyle": "Maria goes to class on weekdays and studies in the library.",
        "currently": "Maria is preparing for her physics exams",
        "home": "Alder Dorm",
        "workplace": "Alder College",
        "role": "student",
    },
    "barista": {
        "name": "Isabella Rodriguez",
        "age": 34,
        "traits": "warm, outgoing, organised",
        "currently": "Isabella is planning a party at Juniper Cafe on Saturday at 18:00",
        "home": "Brook House",
        "workplace": "Juniper Cafe",
        "role": "barista",
        "wake_time": "06:00",
    },
    "professor": {
        "name": "Klaus Mueller",
        "age": 58,
        "traits": ["thoughtful", "quiet"],
        "home": "Lantern House",
        "workplace": "Alder College",
        "role": "professor",
    },
    "gardener": {
        "name": "Tom Moreno",
        "age": 45,
        "home": "Mill Cottage",
        "workplace": "Elm Park",
        "role": "gardener",
        "wake_time": "06:30",
        "sleep_time": "22:00",
    },
    "mayor": {
        "name": "Sam Moore",
        "age": 62,
        "home": "Brook House",
        "workplace": "Town Hall",
        "role": "mayor",
    },
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_of(n: int, *, works: bool = True) -> dict[str, Any]:
    """The ``day`` block the planner sends (day 1 is a Monday)."""
    weekday = WEEKDAYS[(n - 1) % 7]
    return {"day": n, "weekday": weekday, "is_work_day": works and weekday in WEEKDAYS[:5]}


# ---------------------------------------------------------------------- the bundled town
@functools.cache
def world() -> World:
    """The bundled demo town, with the 25 residents in their beds (read only here)."""
    town = World.load(default_map_path())
    for persona in town_personas(25):
        town.add_agent(
            persona.name,
            home=persona.home,
            workplace=persona.workplace or None,
            bed=persona.bed or None,
        )
    return town


@functools.cache
def residents() -> tuple[Persona, ...]:
    return tuple(town_personas(25))


def resident(first: str) -> Persona:
    """A resident of the 25-resident town by first name."""
    return next(p for p in residents() if p.name.split()[0] == first)


def profile(persona: Persona) -> AgentProfile:
    """The brain's profile of a resident, with the bed the world gave it."""
    return profile_from_persona(persona, bed=world().agent_bed(persona.name) or "")


def sector_rooms() -> dict[str, list[str]]:
    """Every sector with its rooms (the sector prompt's options, as the mind builds them)."""
    rooms: dict[str, list[str]] = {}
    for obj in world().objects():
        arenas = rooms.setdefault(obj.sector, [])
        if obj.arena not in arenas:
            arenas.append(obj.arena)
    return rooms


def place_objects(place: str, who: AgentProfile) -> list[dict[str, Any]]:
    """The planned place's objects as prompt lines (other people's beds left out), as the
    resolver lists them."""
    return [
        {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)}
        for o in world().objects(sector=place)
        if not (o.kind == "bed" and who.bed and o.address != who.bed)
    ]


# ---------------------------------------------------------------------- requests
def plan_request(
    persona: Mapping[str, Any],
    *,
    day: int = 1,
    wake_up: str = "07:00",
    memories: Sequence[str] = (),
    invitations: Sequence[Mapping[str, Any]] = (),
    places: Sequence[str] = PLACES,
) -> LLMRequest:
    return LLMRequest(
        agent=str(persona["name"]),
        module=Module.DAILY_PLAN,
        messages=daily_plan_messages(
            persona=persona,
            day=day_of(day, works=bool(persona.get("workplace"))),
            wake_up=wake_up,
            memories=memories,
            invitations=invitations,
            places=places,
        ),
        json=True,
        max_tokens=900,
    )


def decompose_request(
    activity: str,
    place: str,
    *,
    persona: Persona | None = None,
    duration: int = 30,
    start: str = "08:00",
    before: str = "",
    after: str = "",
) -> LLMRequest:
    who = profile(persona or resident("Felix"))
    return LLMRequest(
        agent=who.name,
        module=Module.DECOMPOSE,
        messages=decompose_messages(
            persona=who.prompt_fields(),
            activity=activity,
            start=start,
            duration=duration,
            place=place,
            before=before,
            after=after,
            objects=place_objects(place, who),
        ),
        json=True,
        max_tokens=400,
    )


def chain_request(
    activity: str,
    place: str,
    *,
    persona: Persona | None = None,
    duration: int = 30,
    time: str = "08:00",
    forbidden: Sequence[str] = (),
) -> LLMRequest:
    who = profile(persona or resident("Felix"))
    return LLMRequest(
        agent=who.name,
        module=Module.ACTION_CHAIN,
        messages=action_chain_messages(
            persona=who.prompt_fields(),
            activity=activity,
            duration=duration,
            place=place,
            time=time,
            objects=place_objects(place, who),
            forbidden=forbidden,
        ),
        json=True,
        max_tokens=500,
    )


def poignancy_request(persona: Mapping[str, Any], memory: str, kind: str = "event") -> LLMRequest:
    return LLMRequest(
        agent=str(persona["name"]),
        module=Module.POIGNANCY,
        messages=poignancy_messages(persona=persona, memory=memory, kind=kind),
        json=True,
        max_tokens=30,
    )


def turn_request(
    speaker: Mapping[str, Any],
    listener: str,
    *,
    lines: Sequence[tuple[str, str]] = (),
    social: Mapping[str, Any] | None = None,
    summary: str | None = None,
    memories: Sequence[str] | None = None,
    turn: int | None = None,
    max_turns: int = 8,
    place: str = "Juniper Cafe",
    time: str = "10:00",
) -> LLMRequest:
    """One conversation line: with ``social`` the AGA prompt (Social Memory and the last
    round), else Generative Agents' (the whole conversation, a relationship summary and
    retrieved memories). ``turn`` defaults to the number of lines so far."""
    return LLMRequest(
        agent=str(speaker["name"]),
        module=Module.UTTERANCE,
        messages=utterance_messages(
            speaker=speaker,
            listener=listener,
            place=place,
            time=time,
            lines=lines,
            social=social,
            summary=summary if social is None else None,
            memories=(memories or []) if social is None else None,
            turn=len(lines) if turn is None else turn,
            max_turns=max_turns,
        ),
        json=True,
        max_tokens=120,
    )


def whole_request(
    a: Mapping[str, Any],
    b: Mapping[str, Any],
    *,
    social_a: Mapping[str, Any] | None = None,
    social_b: Mapping[str, Any] | None = None,
    memories_a: Sequence[str] | None = None,
    memories_b: Sequence[str] | None = None,
    max_turns: int = 8,
) -> LLMRequest:
    return LLMRequest(
        agent=str(a["name"]),
        module=Module.CONVERSATION,
        messages=conversation_whole_messages(
            a=a,
            b=b,
            place="Town Square",
            time="16:00",
            social_a=social_a,
            social_b=social_b,
            memories_a=memories_a,
            memories_b=memories_b,
            max_turns=max_turns,
        ),
        json=True,
        max_tokens=600,
    )


def relationship_request(
    name: str, other: str, transcript: Sequence[tuple[str, str]], current: Mapping[str, Any]
) -> LLMRequest:
    return LLMRequest(
        agent=name,
        module=Module.RELATIONSHIP,
        messages=relationship_messages(
            name=name, other=other, transcript=transcript, current=current
        ),
        json=True,
        max_tokens=300,
    )


def player_request(
    npc: Mapping[str, Any],
    said: str,
    *,
    social: Mapping[str, Any] | None = None,
    memories: Sequence[str] | None = None,
    history: Sequence[tuple[str, str]] = (),
) -> LLMRequest:
    return LLMRequest(
        agent=str(npc["name"]),
        module=Module.PLAYER_REPLY,
        messages=player_reply_messages(
            npc=npc,
            place="Juniper Cafe",
            time="11:00",
            social=social,
            memories=memories,
            history=history,
            player_text=said,
        ),
        priority=0,
    )


# ---------------------------------------------------------------------- answers
def complete(backend: OfflineLLM, request: LLMRequest) -> LLMResult:
    return asyncio.run(backend.complete(request))


def text_of(request: LLMRequest, seed: int = 0) -> str:
    return answer_text(request, seed=seed)


_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)```", re.DOTALL)


def json_of(text: str) -> Any:
    """The JSON object in a reply: whole text, else a code fence, else the first object."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    fence = _FENCE.search(text)
    if fence:
        return json.loads(fence.group(1))
    start = text.index("{")
    value, _ = json.JSONDecoder().raw_decode(text, start)
    return value


def decomposed_verbs(
    persona: Mapping[str, str],
    activity: str,
    objects: Sequence[Mapping[str, Any]],
    *,
    place: str,
    duration: int = 60,
    seeds: int = 20,
) -> set[str]:
    """The verbs on objects the stand-in's decomposition of ``activity`` uses over
    ``seeds`` seeds (one persona, one place's objects)."""
    from aga_npc.offline.decompose import build_steps
    from aga_npc.offline.phrasing import make_rng

    verbs: set[str] = set()
    for seed in range(seeds):
        context = {
            "persona": persona,
            "activity": activity,
            "duration": duration,
            "place": place,
            "objects": list(objects),
            "forbidden": ["nothing"],
        }
        steps = build_steps(context, make_rng(seed, activity))["steps"]
        verbs |= {s["verb"] for s in steps if s["object"]}
    return verbs
