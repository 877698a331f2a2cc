"""The per-action prompts of Generative Agents' loop: where (sector, arena, object), the
action's and the object's emoji and event triples, and the object's state; plus this
project's merged ``action_chain`` prompt that asks for all of it in one call.

The Lifestyle Policy replaces every one of these calls when a stored routine matches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.prompts.format import envelope
from aga_npc.prompts.persona import Persona, identity, short_identity

__all__ = [
    "CHAIN_FORMAT",
    "action_chain_messages",
    "action_emoji_messages",
    "action_event_messages",
    "arena_messages",
    "object_emoji_messages",
    "object_event_messages",
    "object_messages",
    "object_state_messages",
    "sector_messages",
]


def _system(name: str) -> str:
    return (
        f"You decide the concrete actions of {name}, a resident of a small town in a life "
        "simulation game. Keep to the options in the context and answer with one JSON "
        "object only, exactly in the answer format."
    )


def _plain_system() -> str:
    return (
        "You label actions in a life simulation game. Answer with the label only: no "
        "explanation, no quotes."
    )


def sector_messages(
    *,
    persona: Persona,
    activity: str,
    subtask: str,
    planned_place: str,
    current: str,
    sectors: Mapping[str, Sequence[str]],
) -> tuple[Any, ...]:
    """Which area (building or outdoor place) the subtask happens in."""
    name = str(persona["name"])
    return envelope(
        system=_system(name),
        module="action_sector",
        context={
            "persona": identity(persona),
            "activity": activity,
            "subtask": subtask,
            "planned_place": planned_place,
            "currently_in": current,
            "area_options": {k: list(v) for k, v in sectors.items()},
        },
        task=(
            f"Choose the area where {name} does the subtask. Stay in the current area if "
            "the subtask can be done there; go out only when it needs another place; the "
            "activity's planned place is usually right. The answer must be one of the "
            "area options, verbatim. For example: Sam lives in Oak House (kitchen, "
            "bedroom, bathroom) and is at home; for 'taking a walk' Sam goes to Willow "
            "Park; for 'brushing teeth' Sam stays in Oak House."
        ),
        answer_format='{"sector": "<one of the area options>"}',
    )


def arena_messages(
    *, persona: Persona, activity: str, subtask: str, sector: str, arenas: Sequence[str]
) -> tuple[Any, ...]:
    """Which room of the chosen area."""
    name = str(persona["name"])
    return envelope(
        system=_system(name),
        module="action_arena",
        context={
            "persona": short_identity(persona),
            "activity": activity,
            "subtask": subtask,
            "area": sector,
            "room_options": list(arenas),
        },
        task=(
            f"{name} is going to {sector} to do the subtask. Which room? Answer one of the "
            "room options, verbatim (a bedroom that is not the person's own is never "
            "right)."
        ),
        answer_format='{"arena": "<one of the room options>"}',
    )


def object_messages(
    *,
    persona: Persona,
    activity: str,
    subtask: str,
    where: str,
    objects: Sequence[Mapping[str, Any]],
) -> tuple[Any, ...]:
    """Which object of the chosen room, and what is done with it."""
    name = str(persona["name"])
    return envelope(
        system=_system(name),
        module="action_object",
        context={
            "persona": short_identity(persona),
            "activity": activity,
            "subtask": subtask,
            "room": where,
            "objects": [dict(o) for o in objects],
        },
        task=(
            f"Which object does {name} use for the subtask, and with which of its verbs? "
            "Answer one of the listed objects, verbatim, and one of its verbs."
        ),
        answer_format='{"object": "<object name>", "verb": "<one of its verbs>"}',
    )


def action_emoji_messages(*, subtask: str) -> tuple[Any, ...]:
    """The action as one or two emoji (shown above the character)."""
    return envelope(
        system=_plain_system(),
        module="action_emoji",
        context={"action": subtask},
        task="Convert the action into one or two emoji.",
    )


def object_emoji_messages(*, obj: str, state: str) -> tuple[Any, ...]:
    """The object's state as one or two emoji."""
    return envelope(
        system=_plain_system(),
        module="object_emoji",
        context={"object": obj, "state": state},
        task="Convert the object's state into one or two emoji.",
    )


def action_event_messages(*, name: str, subtask: str) -> tuple[Any, ...]:
    """The action as a (subject, predicate, object) triple (the memory's event form)."""
    return envelope(
        system=_system(name),
        module="action_event",
        context={"subject": name, "action": subtask},
        task=(
            "Turn the action into a (subject, predicate, object) triple. For example, "
            "'Dolores is changing the sheets of her bed' -> (Dolores, change, bed sheets)."
        ),
        answer_format='{"subject": "<name>", "predicate": "...", "object": "..."}',
    )


def object_state_messages(*, name: str, subtask: str, obj: str) -> tuple[Any, ...]:
    """What the object is doing while it is used ("being used to fry eggs")."""
    return envelope(
        system=_system(name),
        module="object_state",
        context={"person": name, "action": subtask, "object": obj},
        task=(
            f"While {name} does the action, what state is the {obj} in? A few words. For "
            "example, a stove while frying eggs: 'heating the frying pan'."
        ),
        answer_format='{"state": "..."}',
    )


def object_event_messages(*, obj: str, state: str) -> tuple[Any, ...]:
    """The object's state as a triple."""
    return envelope(
        system=_plain_system(),
        module="object_event",
        context={"object": obj, "state": state},
        task=(
            "Turn the object's state into a (subject, predicate, object) triple, the "
            "object being the subject. For example, 'stove: heating the frying pan' -> "
            "(stove, heat, frying pan)."
        ),
        answer_format='{"subject": "<object>", "predicate": "...", "object": "..."}',
    )


def action_chain_messages(
    *,
    persona: Persona,
    activity: str,
    duration: int,
    place: str,
    time: str,
    objects: Sequence[Mapping[str, Any]],
    forbidden: Sequence[str] = (),
) -> tuple[Any, ...]:
    """This project's merged call: the activity's steps with their objects, verbs, emoji,
    triples and object states at once (the ``aga`` mode's saving on a policy miss)."""
    context: dict[str, Any] = {
        "persona": short_identity(persona),
        "activity": activity,
        "duration": duration,
        "place": place,
        "time": time,
        "objects": [dict(o) for o in objects],
    }
    if forbidden:
        context["forbidden"] = list(forbidden)
    return envelope(
        system=_system(str(persona["name"])),
        module="action_chain",
        context=context,
        task=(
            "Break the activity into 1 to 6 concrete steps whose minutes add up to its "
            "duration. Each step uses one listed object: copy its address exactly and pick one "
            "of that object's own verbs (steps that use no object leave it empty). Give "
            "each step an emoji and, when it uses an object, the object's state meanwhile. "
            "Describe what this person does in this activity, in your own words. Never use "
            "anything listed as forbidden."
        ),
        answer_format=CHAIN_FORMAT,
    )


CHAIN_FORMAT = (
    '{"steps": [{"description": "<what the person does>", "object": "<address of a listed '
    'object>", "verb": "<one of that object\'s verbs>", "minutes": <number>, "emoji": '
    '"<emoji>", "object_state": "<the object\'s state>"}]}'
)
"""The merged chain's answer format: placeholders only (a small model copies a concrete
example into its answer); ``Steps.validate`` rejects a step that copies a placeholder."""
