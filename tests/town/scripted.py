"""A scripted LLM for the town tests: a fixed daily plan and a per-action chain that finds
the object each activity needs; every other request kind is the offline stand-in's answer."""

from __future__ import annotations

import json
from typing import Any

from aga_npc.offline.backend import answer_text
from aga_npc.prompts import extract_context
from aga_npc.types import LLMRequest

__all__ = ["PLAN", "VERB_FOR", "scripted"]

PLAN = {
    "wake_up": "07:00",
    "activities": [
        {
            "start": "07:00",
            "duration": 60,
            "activity": "cook and eat breakfast",
            "place": "Test House",
        },
        {"start": "08:00", "duration": 240, "activity": "work", "place": "@WORK@"},
        {"start": "12:00", "duration": 60, "activity": "have lunch", "place": "Test Cafe"},
        {"start": "13:00", "duration": 180, "activity": "work", "place": "@WORK@"},
        {"start": "16:00", "duration": 120, "activity": "relax in the park", "place": "Test Park"},
        {"start": "18:00", "duration": 60, "activity": "cook dinner", "place": "Test House"},
        {"start": "19:00", "duration": 180, "activity": "read at home", "place": "Test House"},
        {"start": "22:00", "duration": 540, "activity": "sleep", "place": "Test House"},
    ],
}

VERB_FOR = {
    "breakfast": ("stove", "cook"),
    "dinner": ("stove", "cook"),
    "lunch": ("table", "eat"),
    "work": ("counter", "serve"),
    "park": ("bench", "sit"),
    "read": ("table", "read"),
    "sleep": ("bed", "sleep"),
}


def _pick(ctx: dict[str, Any], text: str) -> tuple[str, str] | None:
    """(kind, verb) for an activity or subtask text from VERB_FOR."""
    for word, pair in VERB_FOR.items():
        if word in text.lower():
            return pair
    return None


def scripted(bad_first: bool = False) -> Any:
    """A FakeLLM responder: the daily plan and the per-action chain from VERB_FOR, the
    merged chain with an invalid first answer when ``bad_first``; every other kind from the
    offline stand-in (so the whole loop runs)."""
    seen: dict[str, int] = {}

    def respond(request: LLMRequest) -> str:
        ctx = extract_context(request.messages) or {}
        module = request.module_name
        if module == "daily_plan":
            work = ctx["persona"]["workplace"]
            return json.dumps(PLAN).replace("@WORK@", work)
        if module == "decompose":
            activity = ctx["activity"]
            seen[activity] = seen.get(activity, 0) + 1
            pair = _pick(ctx, activity)
            first = f"{activity} ({pair[0]})" if pair else activity
            return json.dumps(
                {"subtasks": [{"task": first, "minutes": 20}, {"task": "thinking", "minutes": 5}]}
            )
        if module == "action_arena":
            pair = _pick(ctx, ctx["subtask"] + " " + ctx.get("activity", ""))
            rooms = ctx["room_options"]
            want = {"stove": "kitchen", "table": "kitchen", "bed": "bedroom"}.get(
                pair[0] if pair else "", ""
            )
            return json.dumps({"arena": next((r for r in rooms if r == want), rooms[0])})
        if module == "action_object":
            pair = _pick(ctx, ctx["subtask"] + " " + ctx.get("activity", ""))
            for obj in ctx["objects"]:
                if pair and obj["kind"] == pair[0] and pair[1] in obj["verbs"]:
                    return json.dumps({"object": obj["name"], "verb": pair[1]})
            obj = ctx["objects"][0]
            return json.dumps({"object": obj["name"], "verb": obj["verbs"][0]})
        if module == "action_chain":
            activity = ctx["activity"]
            seen[activity] = seen.get(activity, 0) + 1
            if bad_first and "forbidden" not in ctx:
                return json.dumps(
                    {
                        "steps": [
                            {"verb": "cook", "object": "Test House:kitchen:dragon", "minutes": 10}
                        ]
                    }
                )
            pair = _pick(ctx, activity)
            for obj in ctx["objects"]:
                if pair and obj["kind"] == pair[0] and pair[1] in obj["verbs"]:
                    return json.dumps(
                        {
                            "steps": [
                                {"verb": pair[1], "object": obj["address"], "minutes": 20},
                                {"verb": "think", "object": "", "minutes": 5},
                            ]
                        }
                    )
            return json.dumps({"steps": [{"verb": "think", "object": "", "minutes": 10}]})
        return answer_text(request, seed=0)

    respond.seen = seen  # type: ignore[attr-defined]
    return respond
