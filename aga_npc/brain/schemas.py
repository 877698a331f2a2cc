"""The answer schemas of the brain's JSON request kinds (see ``aga_npc.llm.schemas``).

Where a prompt lists options (places, rooms, objects with their verbs) the schema makes
them enums, built from the request's own context block, so a server that honours schemas
can only answer a listed place, an object's address with one of that object's verbs.
Every schema stays lenient where the validators are (optional fields stay optional).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.prompts.format import extract_context
from aga_npc.types import LLMRequest

__all__ = [
    "CHOICE_ARENA",
    "FOCAL_POINTS",
    "INSIGHTS",
    "JOINT_RELATIONSHIP",
    "LINE",
    "PLANNING_THOUGHT",
    "POIGNANCY",
    "POIGNANCY_BATCH",
    "REACT",
    "RELATIONSHIP",
    "STATE",
    "SUBTASKS",
    "TALK",
    "TRIPLE",
    "WAKE_UP",
    "WHOLE_CONVERSATION",
    "arena_schema",
    "object_schema",
    "outline_schema",
    "sector_schema",
    "steps_schema",
]

HHMM = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
TEXT = {"type": "string"}
MINUTES = {"type": "integer", "minimum": 1, "maximum": 600}
MAX_OBJECT_ALTERNATIVES = 40


def _obj(props: Mapping[str, Any], required: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(props),
        "required": list(required),
        "additionalProperties": False,
    }


def _context(request: LLMRequest) -> dict[str, Any]:
    return extract_context(request.messages) or {}


def _strings(values: Any) -> list[str]:
    if not isinstance(values, list | tuple):
        return []
    out: list[str] = []
    for v in values:
        if isinstance(v, str) and v and v not in out:
            out.append(v)
    return out


def _text_or_enum(options: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": options} if options else dict(TEXT)


WAKE_UP = _obj({"wake_up": HHMM}, ["wake_up"])
SUBTASKS = _obj(
    {
        "subtasks": {
            "type": "array",
            "minItems": 1,
            "maxItems": 14,
            "items": _obj({"task": TEXT, "minutes": MINUTES}, ["task", "minutes"]),
        }
    },
    ["subtasks"],
)
TRIPLE = _obj({"subject": TEXT, "predicate": TEXT, "object": TEXT}, ["subject", "predicate"])
STATE = _obj({"state": TEXT}, ["state"])
POIGNANCY = _obj({"poignancy": {"type": "integer", "minimum": 1, "maximum": 10}}, ["poignancy"])
POIGNANCY_BATCH = _obj(
    {
        "poignancy": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "integer", "minimum": 1, "maximum": 10},
        }
    },
    ["poignancy"],
)
TALK = _obj({"talk": {"type": "boolean"}, "reason": TEXT}, ["talk"])
REACT = _obj(
    {
        "react": {"type": "string", "enum": ["wait", "continue"]},
        "minutes": {"type": "integer", "minimum": 1, "maximum": 60},
        "reason": TEXT,
    },
    ["react"],
)
LINE = _obj({"line": TEXT, "end": {"type": "boolean"}}, ["line"])
WHOLE_CONVERSATION = _obj(
    {
        "lines": {
            "type": "array",
            "maxItems": 20,
            "items": {"type": "array", "items": TEXT, "minItems": 2, "maxItems": 2},
        }
    },
    ["lines"],
)
PLANNING_THOUGHT = _obj(
    {
        "thought": TEXT,
        "plan": {
            "anyOf": [
                _obj(
                    {
                        "activity": TEXT,
                        "day": TEXT,
                        "start": HHMM,
                        "duration": MINUTES,
                        "place": TEXT,
                    },
                    ["activity", "day", "start", "duration", "place"],
                ),
                {"type": "null"},
            ]
        },
    },
    ["thought", "plan"],
)
FOCAL_POINTS = _obj(
    {"questions": {"type": "array", "items": TEXT, "minItems": 1, "maxItems": 3}},
    ["questions"],
)
INSIGHTS = _obj(
    {
        "insights": {
            "type": "array",
            "minItems": 1,
            "maxItems": 8,
            "items": _obj(
                {
                    "insight": TEXT,
                    "because_of": {"type": "array", "items": {"type": "integer"}},
                    "poignancy": {"type": "integer", "minimum": 1, "maximum": 10},
                },
                ["insight", "because_of"],
            ),
        }
    },
    ["insights"],
)
RELATIONSHIP = _obj(
    {
        "relationship": TEXT,
        "feeling": TEXT,
        "closeness": {"type": "number"},
        "summary_events": {"type": "array", "items": TEXT},
        "importance": {"type": "integer", "minimum": 1, "maximum": 10},
    },
    ["relationship", "feeling", "closeness"],
)
JOINT_RELATIONSHIP = _obj(
    {"a_about_b": RELATIONSHIP, "b_about_a": RELATIONSHIP}, ["a_about_b", "b_about_a"]
)
CHOICE_ARENA = "room_options"


def outline_schema(request: LLMRequest) -> dict[str, Any]:
    """``daily_plan`` / ``hourly_schedule`` / ``replan``: timed items, places from the
    prompt's list."""
    places = _strings(_context(request).get("places"))
    item = _obj(
        {"start": HHMM, "duration": MINUTES, "activity": TEXT, "place": _text_or_enum(places)},
        ["start", "duration", "activity", "place"],
    )
    props: dict[str, Any] = {"activities": {"type": "array", "minItems": 1, "items": item}}
    if request.module_name == "daily_plan":
        props = {"wake_up": HHMM, **props}
    return _obj(props, ["activities"])


def sector_schema(request: LLMRequest) -> dict[str, Any]:
    """``action_sector``: one of the listed areas."""
    options = _context(request).get("area_options")
    names = _strings(list(options)) if isinstance(options, Mapping) else []
    return _obj({"sector": _text_or_enum(names)}, ["sector"])


def arena_schema(request: LLMRequest) -> dict[str, Any]:
    """``action_arena``: one of the listed rooms."""
    return _obj({"arena": _text_or_enum(_strings(_context(request).get(CHOICE_ARENA)))}, ["arena"])


def _listed_objects(context: Mapping[str, Any], key: str) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    raw = context.get("objects")
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        name = item.get(key)
        verbs = _strings(item.get("verbs"))
        if isinstance(name, str) and name and verbs and all(name != n for n, _ in out):
            out.append((name, verbs))
    return out[:MAX_OBJECT_ALTERNATIVES]


def object_schema(request: LLMRequest) -> dict[str, Any]:
    """``action_object``: a listed object with one of its own verbs."""
    listed = _listed_objects(_context(request), "name")
    if not listed:
        return _obj({"object": TEXT, "verb": TEXT}, ["object", "verb"])
    return {
        "anyOf": [
            _obj(
                {"object": {"type": "string", "enum": [name]}, "verb": _text_or_enum(verbs)},
                ["object", "verb"],
            )
            for name, verbs in listed
        ]
    }


def steps_schema(request: LLMRequest) -> dict[str, Any]:
    """``action_chain``: 1 to 6 steps, each a listed object's address with one of that
    object's verbs (or no object, an empty string, with any verb)."""
    listed = _listed_objects(_context(request), "address")
    base = {"description": TEXT, "minutes": MINUTES, "emoji": TEXT, "object_state": TEXT}
    required = ["description", "object", "verb", "minutes"]
    alternatives = [
        _obj(
            {
                "description": TEXT,
                "object": {"type": "string", "enum": [address]},
                "verb": _text_or_enum(verbs),
                **{k: v for k, v in base.items() if k != "description"},
            },
            required,
        )
        for address, verbs in listed
    ]
    if not alternatives:
        alternatives = [_obj({**base, "object": TEXT, "verb": TEXT}, required)]
    return _obj(
        {
            "steps": {
                "type": "array",
                "minItems": 1,
                "maxItems": 6,
                "items": {"anyOf": alternatives},
            }
        },
        ["steps"],
    )
