"""Offline answers of the planning calls: wake-up hour, daily plan, hourly schedule,
task decomposition into subtasks, and re-planning the rest of the day.

The daily plan is built by :func:`aga_npc.offline.plan_day.build_plan`; each hourly
answer then reads its hour off the daily plan in the context (as a model following the
plan it was given does), so the merged schedule is the planned day.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from aga_npc.offline.decompose import plan_steps
from aga_npc.offline.events import venue
from aga_npc.offline.facts import persona_facts
from aga_npc.offline.phrasing import chance, pick, render_json
from aga_npc.offline.plan_day import build_plan
from aga_npc.offline.words import gerund_phrase
from aga_npc.planning.schedule import format_hhmm, parse_hhmm

__all__ = [
    "answer_daily_plan",
    "answer_hourly_schedule",
    "answer_replan",
    "answer_subtasks",
    "answer_wake_up",
]

DAY = 1440
PIECE = (10, 15, 15)  # a long step is told as subtasks of about this many minutes ...
MAX_LINES = 14  # ... unless that would make a decomposition longer than this


def answer_wake_up(context: Mapping[str, Any], rng: random.Random) -> str:
    """The usual wake-up time, a little later on a day off."""
    persona = persona_facts(_map(context.get("persona")))
    day = _map(context.get("day"))
    wake = persona.wake if persona.wake is not None else 7 * 60
    if not day.get("is_work_day", True) and chance(rng, 0.5):
        wake += pick(rng, (15, 30, 45))
    return render_json(rng, {"wake_up": format_hhmm(wake)}, fence=0.05, compact=0.8)


def answer_daily_plan(
    context: Mapping[str, Any], rng: random.Random, *, wording: str = "default"
) -> str:
    """The day in timed items with places (the project's detailed day plan)."""
    plan = build_plan(context, rng, wording=wording)
    wake = context.get("wake_up")
    if isinstance(wake, str) and wake:
        plan["wake_up"] = wake
    return render_json(rng, plan, fence=0.15, lead=0.1)


def _items(raw: Any) -> list[tuple[int, int, str, str]]:
    out = []
    for item in raw if isinstance(raw, Sequence) else ():
        if not isinstance(item, Mapping):
            continue
        try:
            start = parse_hhmm(item.get("start", ""))
            duration = max(1, int(item.get("duration", 0) or 0))
        except (TypeError, ValueError):
            continue
        out.append((start, duration, str(item.get("activity", "")), str(item.get("place", ""))))
    base = out[0][0] if out else 0
    fixed = []
    for start, duration, text, place in out:
        if start < base - 120:
            start += DAY
        fixed.append((start, duration, text, place))
    return fixed


def answer_hourly_schedule(context: Mapping[str, Any], rng: random.Random) -> str:
    """The activities of one hour (or of the whole day), read off the daily plan."""
    items = _items(context.get("daily_plan"))
    hour = context.get("hour")
    if hour is None:
        chosen = [
            {"start": format_hhmm(s), "duration": d, "activity": t, "place": p}
            for s, d, t, p in items
        ]
        return render_json(rng, {"activities": chosen}, fence=0.1, lead=0.1)
    try:
        lo = int(hour) * 60
    except (TypeError, ValueError):
        lo = 0
    hi = lo + 60
    chosen = []
    for start, duration, text, place in items:
        end = start + duration
        for shift in (0, DAY):
            a, b = max(start, lo + shift), min(end, hi + shift)
            if a < b:
                chosen.append(
                    {"start": format_hhmm(a), "duration": b - a, "activity": text, "place": place}
                )
    if not chosen and items:
        last = items[-1]
        chosen.append(
            {"start": format_hhmm(lo), "duration": 60, "activity": last[2], "place": last[3]}
        )
    return render_json(rng, {"activities": chosen}, fence=0.05, compact=0.5)


def answer_subtasks(context: Mapping[str, Any], rng: random.Random) -> str:
    """5-15 minute subtasks of the activity (longer ones only when a long activity would
    take more than ``MAX_LINES``), as -ing phrases that say where each happens.

    The steps come from the place's objects (``plan_steps``); each names its object and
    room ("frying eggs at the stove in the kitchen") so that the per-action chain that
    follows can find them. A step on no object is said at the spot it is done at
    ("getting dressed by the bed in the bedroom"), or left out when it has none (making
    tea is no part of the reading it went with).
    """
    steps = plan_steps(context, rng)
    spots = _spots(context.get("objects"))
    total = sum(int(step.get("minutes") or 5) for step in steps)
    piece = max(pick(rng, PIECE), -(-total // MAX_LINES))
    subtasks: list[dict[str, Any]] = []
    for i, step in enumerate(steps):
        text = gerund_phrase(str(step.get("description") or step.get("verb") or "resting"))
        address = str(step.get("object") or "")
        if not address:
            address = _spot(step.get("_spot") or (), steps, i, spots, rng)
            if not address and len(steps) > 1:
                continue
            if address:
                _, arena, obj = address.split(":")
                text = f"{text} {_AT.get(spots[address], 'at')} the {obj} in the {arena}"
        elif address.count(":") == 2:
            text = _placed(text, address, spots.get(address, ""))
        for part, minutes in enumerate(_pieces(int(step.get("minutes") or 5), piece, rng)):
            subtasks.append({"task": _part(text, part, rng), "minutes": minutes})
    if not subtasks:
        activity = gerund_phrase(str(context.get("activity") or "resting"))
        subtasks.append({"task": activity, "minutes": int(context.get("duration") or 30)})
    return render_json(rng, {"subtasks": subtasks}, fence=0.1, compact=0.4)


def _placed(text: str, address: str, kind: str) -> str:
    """The subtask with its object and room named once ("eating at a table" -> "eating at
    the table 2 in the cafe")."""
    _, arena, obj = address.split(":")
    lowered = text.lower()
    if obj.lower() not in lowered and kind:
        for article in (" a ", " the "):
            at = lowered.rfind(f"{article}{kind}")
            end = at + len(article) + len(kind)
            if at >= 0 and (end == len(text) or not text[end].isalnum()):
                text = f"{text[:at]} the {obj}{text[end:]}"
                lowered = text.lower()
                break
    if obj.lower() not in lowered:
        return f"{text} at the {obj} in the {arena}"
    if arena.lower() not in lowered:
        return f"{text} in the {arena}"
    return text


def _pieces(minutes: int, piece: int, rng: random.Random) -> list[int]:
    """A step's minutes as subtasks of about ``piece`` minutes (the prompt's 5-15, as
    Generative Agents decomposes), unequal by five minutes now and then as a model words
    them; a step up to five minutes past ``piece`` stays whole."""
    if minutes <= piece + 5:
        return [max(1, minutes)]
    count = max(2, round(minutes / piece))
    base = minutes // count
    out = [max(5, base + rng.choice((-5, 0, 0, 0, 5))) for _ in range(count - 1)]
    out.append(minutes - sum(out))
    if out[-1] < 5:  # the jitter ate the last piece: fall back to even pieces
        out = [base] * (count - 1) + [minutes - base * (count - 1)]
    return out


_AT = {"bed": "by", "sofa": "on", "bench": "on", "fountain": "by", "table": "at", "desk": "at"}
_PRIVATE = ("bedroom", "room ", "apartment")


def _spots(raw: Any) -> dict[str, str]:
    """The listed objects: address -> kind."""
    out: dict[str, str] = {}
    for item in raw if isinstance(raw, Sequence) else ():
        if isinstance(item, Mapping) and str(item.get("address") or "").count(":") == 2:
            out[str(item["address"])] = str(item.get("kind") or "")
    return out


def _spot(
    kinds: Sequence[str],
    steps: Sequence[Mapping[str, Any]],
    index: int,
    spots: Mapping[str, str],
    rng: random.Random,
) -> str:
    """Where a step on no object is done: an object of one of ``kinds`` (in order), in the
    room of the nearest step on an object when it has one, else not in a bedroom (beds
    aside); "" when the place has none."""
    order = sorted(range(len(steps)), key=lambda j: abs(j - index))
    near = [
        str(steps[j].get("object") or "").split(":")[1]
        for j in order
        if str(steps[j].get("object") or "").count(":") == 2
    ]
    best: list[str] = []
    best_score = -1
    for address, kind in spots.items():
        if kind not in kinds:
            continue
        arena = address.split(":")[1]
        private = any(p in arena.lower() + " " for p in _PRIVATE)
        score = 10 * (len(kinds) - list(kinds).index(kind))
        score += 5 if near and arena == near[0] else 0
        score += 2 if kind == "bed" or not private else 0
        if score > best_score:
            best, best_score = [address], score
        elif score == best_score:
            best.append(address)
    return pick(rng, best) if best else ""


_GOING_ON = (
    "{t}",
    "{t} (continued)",
    "still {t}",
    "{t}, carefully",
    "{t}, taking a short pause",
    "finishing up {t}",
)


def _part(text: str, part: int, rng: random.Random) -> str:
    """A long step told as several subtasks, worded as a model does ("still ...")."""
    if part == 0:
        return text
    return pick(rng, _GOING_ON[1:]).format(t=text)


def answer_replan(context: Mapping[str, Any], rng: random.Random) -> str:
    """The rest of today from now: the remaining schedule with the new commitment put in at
    its time (what it overlaps is cut around it)."""
    now = parse_hhmm(str(context.get("now") or "00:00"))
    items = _items(context.get("remaining_schedule"))
    items = [(max(s, now), s + d - max(s, now), t, p) for s, d, t, p in items if s + d > now]
    commitment = _map(context.get("new_commitment"))
    places = [str(p) for p in context.get("places") or () if str(p)]
    place = str(commitment.get("place") or "")
    if commitment.get("activity") and places and place not in places:
        # "the cafe" -> the town's cafe; a commitment nowhere known is not planned
        said = str(commitment["activity"])
        place = venue(f"{said} at {place}" if place else said, places)
        place = place if place in places else ""
    if commitment.get("activity") and (place or not places):
        try:
            c_start = parse_hhmm(commitment.get("start", "18:00"))
            c_len = max(15, int(commitment.get("duration", 60) or 60))
        except (TypeError, ValueError):
            c_start, c_len = now + 60, 60
        if c_start < now:
            c_start += DAY
        c_end = c_start + c_len
        place = place or (items[0][3] if items else "")
        cut: list[tuple[int, int, str, str]] = []
        for s, d, t, p in items:
            e = s + d
            if e <= c_start or s >= c_end:
                cut.append((s, d, t, p))
                continue
            if s < c_start:
                cut.append((s, c_start - s, t, p))
            if e > c_end:
                cut.append((c_end, e - c_end, t, p))
        cut.append((c_start, c_len, str(commitment["activity"]), place))
        items = sorted(cut)
    out = [
        {"start": format_hhmm(s), "duration": d, "activity": t, "place": p}
        for s, d, t, p in items
        if d > 0
    ]
    return render_json(rng, {"activities": out}, fence=0.1, lead=0.1)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
