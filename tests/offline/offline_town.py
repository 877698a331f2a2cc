"""A small copy of the demo town (docs/MAP_CONVENTIONS.md), personas, and request builders."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline import OfflineLLM, answer_text
from aga_npc.prompts import (
    conversation_turn_messages,
    conversation_whole_messages,
    decompose_messages,
    plan_day_messages,
    player_reply_messages,
    relationship_messages,
)
from aga_npc.types import LLMRequest, LLMResult, Module, ObjectInfo
from aga_npc.world.kinds import KIND_AFFORDANCES

# sector -> arena -> object names (kind = name without a trailing number)
LAYOUT: dict[str, dict[str, tuple[str, ...]]] = {
    "Brook House": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "living room": ("sofa", "tv"),
        "main bedroom": ("bed 1", "bed 2"),
        "kids room": ("bed 1", "bed 2"),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Alder Dorm": {
        "common kitchen": ("stove", "fridge", "sink", "table 1", "table 2"),
        "lounge": ("sofa", "tv"),
        "room 1": ("bed 1", "bed 2", "desk 1", "desk 2"),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Rowan Cottage": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "bedroom": ("bed 1", "bed 2"),
        "studio": ("easel",),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Lantern House": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "living room": ("piano", "sofa"),
        "bedroom": ("bed 1", "bed 2"),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Mill Cottage": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "bedroom": ("bed 1",),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Juniper Cafe": {
        "cafe": ("counter", "table 1", "table 2", "table 3"),
        "kitchen": ("stove", "fridge", "sink"),
    },
    "Alder College": {
        "classroom A": ("desk 1", "desk 2", "desk 3", "blackboard"),
        "library": ("bookshelf 1", "bookshelf 2", "table 1", "table 2"),
        "office": ("desk 1", "desk 2"),
    },
    "Pine Street Grocery": {
        "store": ("shelf 1", "shelf 2", "shelf 3", "counter"),
        "storeroom": ("shelf",),
    },
    "The Copper Kettle": {
        "bar room": ("bar", "table 1", "table 2", "piano"),
        "kitchen": ("stove", "fridge", "sink"),
    },
    "Town Hall": {"office": ("desk 1", "desk 2"), "meeting room": ("table",)},
    "Elm Park": {"park": ("bench 1", "bench 2", "garden", "fountain")},
    "Town Square": {"square": ("bench 1", "bench 2", "fountain")},
}
PLACES = tuple(LAYOUT)
HOMES = ("Brook House", "Alder Dorm", "Rowan Cottage", "Lantern House", "Mill Cottage")


def _kind(name: str) -> str:
    return re.sub(r" \d+$", "", name)


OBJECTS: dict[str, ObjectInfo] = {}
for _sector, _arenas in LAYOUT.items():
    for _arena, _names in _arenas.items():
        for _name in _names:
            _k = _kind(_name)
            _addr = f"{_sector}:{_arena}:{_name}"
            OBJECTS[_addr] = ObjectInfo(
                address=_addr,
                kind=_k,
                sector=_sector,
                arena=_arena,
                name=_name,
                affordances=KIND_AFFORDANCES[_k],
            )


class TinyWorld:
    """A read-only ``WorldView`` over ``OBJECTS``; ``unreachable`` addresses fail reachability."""

    def __init__(self, unreachable: Sequence[str] = ()) -> None:
        self.unreachable = set(unreachable)

    def minute_of_day(self) -> int:
        return 8 * 60

    def objects(
        self,
        *,
        kind: str | None = None,
        sector: str | None = None,
        arena: str | None = None,
        agent: str | None = None,
    ) -> Sequence[ObjectInfo]:
        return [
            o
            for o in OBJECTS.values()
            if (kind is None or o.kind == kind)
            and (sector is None or o.sector == sector)
            and (arena is None or o.arena == arena)
        ]

    def object_at(self, address: str) -> ObjectInfo | None:
        return OBJECTS.get(address)

    def is_reachable(self, agent: str, address: str) -> bool:
        return address in OBJECTS and address not in self.unreachable

    def agent_place(self, agent: str) -> tuple[str, str] | None:
        return None

    def resolve_sector(self, agent: str, sector: str) -> str | None:
        return sector


def objects_of(sector: str) -> list[dict[str, Any]]:
    """The decompose context's object lines for one place, as the brain builds them."""
    return [
        {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)}
        for o in OBJECTS.values()
        if o.sector == sector
    ]


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
    "painter": {
        "name": "Ayesha Khan",
        "age": 30,
        "traits": ["creative", "calm"],
        "home": "Rowan Cottage",
        "workplace": "Rowan Cottage",
        "role": "painter",
    },
    "mayor": {
        "name": "Sam Moore",
        "age": 62,
        "home": "Brook House",
        "workplace": "Town Hall",
        "role": "mayor",
    },
    "bartender": {
        "name": "Jane Price",
        "home": "Mill Cottage",
        "workplace": "The Copper Kettle",
        "role": "bartender",
    },
    "retired": {"name": "Eddy Lin", "age": 70, "home": "Lantern House"},
    "minimal": {"name": "Nobody Special"},
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def day_of(
    n: int, *, work_days: Sequence[str] = WEEKDAYS[:5], works: bool = True
) -> dict[str, Any]:
    weekday = WEEKDAYS[(n - 1) % 7]
    return {"day": n, "weekday": weekday, "is_work_day": works and weekday in work_days}


def plan_request(
    persona: Mapping[str, Any],
    *,
    day: int = 1,
    memories: Sequence[str] = (),
    invitations: Sequence[Mapping[str, Any]] = (),
    places: Sequence[str] = PLACES,
) -> LLMRequest:
    return LLMRequest(
        agent=str(persona["name"]),
        module=Module.PLAN_DAY,
        messages=plan_day_messages(
            persona=persona,
            day=day_of(day, works=bool(persona.get("workplace"))),
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
    duration: int = 30,
    role: str = "",
    forbidden: Sequence[str] = (),
    time: str = "08:00",
) -> LLMRequest:
    return LLMRequest(
        agent="Maria Lopez",
        module=Module.DECOMPOSE,
        messages=decompose_messages(
            persona={"name": "Maria Lopez", "role": role},
            activity=activity,
            duration=duration,
            place=place,
            time=time,
            objects=objects_of(place),
            forbidden=forbidden,
        ),
        json=True,
        max_tokens=500,
    )


def turn_request(
    speaker: Mapping[str, Any],
    listener: str,
    *,
    last_round: Sequence[tuple[str, str]] = (),
    social: Mapping[str, Any] | None = None,
    memories: Sequence[str] | None = None,
    turn: int = 0,
    max_turns: int = 8,
    place: str = "Juniper Cafe",
    time: str = "10:00",
) -> LLMRequest:
    return LLMRequest(
        agent=str(speaker["name"]),
        module=Module.CONVERSATION,
        messages=conversation_turn_messages(
            speaker=speaker,
            listener=listener,
            place=place,
            time=time,
            last_round=last_round,
            social=social,
            memories=memories,
            turn=turn,
            max_turns=max_turns,
        ),
        json=True,
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
