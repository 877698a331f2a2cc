"""Planning prompts of Generative Agents' loop: wake-up hour, daily plan, hourly schedule,
task decomposition and re-planning the rest of the day.

Every mode sends the same prompts; only the ``aga`` mode's one-call schedule asks for the
whole day at once (``hourly_schedule_messages(hour=None)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.prompts.format import DATA_NOTE, envelope
from aga_npc.prompts.persona import Persona, identity

__all__ = [
    "daily_plan_messages",
    "decompose_messages",
    "hourly_schedule_messages",
    "replan_messages",
    "wake_up_messages",
]


THINGS_NOTE = (
    " Activities use only the things listed (kinds of objects with their verbs, at the "
    "places where they are): never plan to use an object the town does not have."
)
"""Added to a planning task when the request lists the town's ``things``."""


def _with_things(
    context: dict[str, Any], task: str, things: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], str]:
    """The context and task with the town's things, when there are any (a map of only the
    household kinds lists none: the prompts' examples already assume them)."""
    if not things:
        return context, task
    return {**context, "things": [dict(t) for t in things]}, task + THINGS_NOTE


def _system(name: str) -> str:
    return (
        f"You are the inner voice of {name}, a resident of a small town in a life "
        "simulation game. Stay in character, keep to the facts in the context, and answer "
        "with one JSON object only, exactly in the answer format. " + DATA_NOTE
    )


def wake_up_messages(*, persona: Persona, day: Mapping[str, Any]) -> tuple[Any, ...]:
    """The hour the person gets up on this day (once a day)."""
    return envelope(
        system=_system(str(persona["name"])),
        module="wake_up",
        context={"persona": identity(persona), "day": dict(day)},
        task=(
            f"Given {persona['name']}'s lifestyle and the day of the week, at what time "
            f"does {persona['name']} wake up on this day? People keep their habits: a work "
            "day starts early enough to get to work, a day off may start a little later."
        ),
        answer_format='{"wake_up": "06:30"}',
    )


def daily_plan_messages(
    *,
    persona: Persona,
    day: Mapping[str, Any],
    wake_up: str,
    memories: Sequence[str],
    invitations: Sequence[Mapping[str, Any]],
    places: Sequence[str],
    things: Sequence[Mapping[str, Any]] = (),
) -> tuple[Any, ...]:
    """The day in broad strokes (once a day): timed items with places. ``things``: the
    town's object kinds with their verbs and places (``{"kind", "verbs", "places"}``),
    listed when the map is not the household default."""
    context, task = _with_things(
        {
            "persona": identity(persona),
            "day": dict(day),
            "wake_up": wake_up,
            "memories": list(memories),
            "invitations": [dict(i) for i in invitations],
            "places": list(places),
        },
        f"Outline {persona['name']}'s day in broad strokes, from waking up at {wake_up} "
        "until going to sleep, in order. Give each item a start time (HH:MM, 24 h), its "
        "length in minutes, what happens in everyday words and the place (one of the "
        "listed places). Respect the lifestyle, the work days, meals at normal times "
        "and accepted invitations, and end the day sleeping at home.",
        things,
    )
    return envelope(
        system=_system(str(persona["name"])),
        module="daily_plan",
        context=context,
        task=task,
        answer_format=(
            '{"wake_up": "07:00", "activities": [{"start": "07:00", "duration": 30, '
            '"activity": "wake up and get ready", "place": "<home>"}, ...]}'
        ),
    )


def hourly_schedule_messages(
    *,
    persona: Persona,
    day: Mapping[str, Any],
    daily_plan: Sequence[Mapping[str, Any]],
    so_far: Sequence[Mapping[str, Any]],
    hour: int | None,
    places: Sequence[str],
    things: Sequence[Mapping[str, Any]] = (),
) -> tuple[Any, ...]:
    """What the person does in one hour of the day (``hour`` None: the whole day at once).

    Generative Agents asks once per waking hour, each time with the schedule so far;
    consecutive hours that carry the same activity are merged into one item. ``things``
    as in ``daily_plan_messages``.
    """
    if hour is None:
        span = "for the whole day, from waking up until going to sleep"
    else:
        # the hour itself is in the situation (the task stays the same every hour)
        span = 'for one hour, from the "hour" in the situation (HH:00) to the next hour'
    context, task = _with_things(
        {
            "persona": identity(persona),
            "day": dict(day),
            "hour": hour,
            "daily_plan": [dict(i) for i in daily_plan],
            "schedule_so_far": [dict(i) for i in so_far],
            "places": list(places),
        },
        f"Write {persona['name']}'s schedule {span}, following the daily plan and "
        "continuing the schedule so far. Each entry has a start time (HH:MM), its "
        "length in minutes, the activity in everyday words and the place (one of the "
        "listed places). An activity that goes on from the previous hour keeps exactly "
        "the same words and place. For example, if the daily plan says work at the "
        'bakery from 08:00 to 12:00 and it is 09:00, answer [{"start": "09:00", '
        '"duration": 60, "activity": "work at the bakery counter", "place": '
        '"Bakery"}].',
        things,
    )
    return envelope(
        system=_system(str(persona["name"])),
        module="hourly_schedule",
        context=context,
        task=task,
        answer_format=(
            '{"activities": [{"start": "09:00", "duration": 60, "activity": "...", '
            '"place": "<place>"}]}'
        ),
    )


def decompose_messages(
    *,
    persona: Persona,
    activity: str,
    start: str,
    duration: int,
    place: str,
    before: str,
    after: str,
    objects: Sequence[Mapping[str, Any]] = (),
) -> tuple[Any, ...]:
    """Task decomposition: one schedule item into 5-15 minute subtasks (text only; the
    per-action chain places each subtask afterwards). ``objects``: what the place has."""
    return envelope(
        system=_system(str(persona["name"])),
        module="decompose",
        context={
            "persona": identity(persona),
            "activity": activity,
            "start": start,
            "duration": duration,
            "place": place,
            "before": before,
            "after": after,
            "objects": [dict(o) for o in objects],
        },
        task=(
            f"Break {persona['name']}'s activity into subtasks of about 5 to 15 minutes "
            "each (at most 14 subtasks), in order, whose minutes add up to its duration "
            "exactly. Describe each subtask in a few everyday "
            "words, as what the person does. For example, 'have breakfast' at home from "
            "07:00 for 30 minutes could be: take milk and eggs from the fridge (5), fry "
            "the eggs on the stove (10), eat breakfast at the kitchen table (10), wash the "
            "dishes in the sink (5)."
        ),
        answer_format=(
            '{"subtasks": [{"task": "<what the person does>", "minutes": <number>}, ...]}'
        ),
    )


def replan_messages(
    *,
    persona: Persona,
    now: str,
    remaining: Sequence[Mapping[str, Any]],
    event: str,
    commitment: Mapping[str, Any] | None,
    places: Sequence[str],
    things: Sequence[Mapping[str, Any]] = (),
) -> tuple[Any, ...]:
    """Re-plan the rest of today after a reaction or a conversation (Generative Agents'
    new decomposition of the schedule around what happened). ``things`` as in
    ``daily_plan_messages``."""
    context: dict[str, Any] = {
        "persona": identity(persona),
        "now": now,
        "what_happened": event,
        "remaining_schedule": [dict(i) for i in remaining],
        "places": list(places),
    }
    if commitment:
        context["new_commitment"] = dict(commitment)
    context, task = _with_things(
        context,
        f"It is {now}. Something happened that changes {persona['name']}'s day. "
        "Rewrite the rest of today's schedule from now until going to sleep: keep what "
        "still fits, shorten or move what no longer fits, and include the new "
        "commitment at its time and place if there is one. Each entry has a start time "
        "(HH:MM), its length in minutes, the activity and the place.",
        things,
    )
    return envelope(
        system=_system(str(persona["name"])),
        module="replan",
        context=context,
        task=task,
        answer_format=(
            '{"activities": [{"start": "15:30", "duration": 60, "activity": "...", '
            '"place": "<place>"}]}'
        ),
    )
