"""Acting: which action of a resolved schedule item runs now, and what an NPC does while
it has nothing better (pure functions of the brain's state; no requests)."""

from __future__ import annotations

from collections.abc import Callable

from aga_npc.brain.intent import Intent, IntentKind, Perception, Source
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.resolution import Resolution
from aga_npc.types import Action

__all__ = ["act", "idle"]

DAY = 1440


def act(
    res: Resolution, now: int, perception: Perception, anchor: Callable[[str], str]
) -> tuple[Intent, Action]:
    """The intent for minute ``now`` of a resolved item, and the action behind it: the
    action whose time it is; an action on no object still happens at the item's place (a
    spot there, ``anchor(place)``, when the agent is elsewhere)."""
    elapsed = now - res.begin
    offset = 0
    current = res.actions[-1]
    until = res.start + res.duration
    for action in res.actions:
        if elapsed < offset + action.duration:
            current = action
            until = res.begin + offset + action.duration
            break
        offset += action.duration
    target, kind = current.target, IntentKind.USE
    if not target:
        here = perception.place[0] if perception.place is not None else ""
        if res.place and here != res.place:
            target = anchor(res.place)
        if not target:
            kind = IntentKind.STAY
    intent = Intent(
        kind=kind,
        target=target,
        verb=current.verb,
        description=current.description,
        activity=res.text,
        until=until,
        source=res.source,
    )
    return intent, current


def idle(
    now: int,
    perception: Perception,
    *,
    profile: AgentProfile,
    previous: Intent,
    seat: Callable[[], str],
    waiting: bool = False,
    activity: str = "",
) -> Intent:
    """Idle behaviour that fits the place while nothing better is known: sleep in the own
    bed at night, keep the current action (or stay) inside a room, else walk to a seat at
    home (``seat()``)."""
    mod = now % DAY
    night = mod >= profile.sleep or mod < profile.wake
    source = Source.WAITING if waiting else Source.FALLBACK
    if night and profile.bed:
        return Intent(
            kind=IntentKind.USE,
            target=profile.bed,
            verb="sleep",
            description="sleeping",
            activity=activity or "sleep",
            until=now + 1,
            source=source,
        )
    if perception.place is not None:
        keep = previous
        if keep.kind is IntentKind.USE and keep.target:
            return Intent(
                kind=keep.kind,
                target=keep.target,
                verb=keep.verb,
                description=keep.description,
                activity=activity or keep.activity,
                until=now + 1,
                source=source,
            )
        return Intent(
            kind=IntentKind.STAY,
            description="thinking about what to do next",
            activity=activity,
            until=now + 1,
            source=source,
        )
    spot = seat()
    return Intent(
        kind=IntentKind.USE if spot else IntentKind.STAY,
        target=spot,
        verb="sit" if spot else "",
        description="taking a seat while thinking",
        activity=activity,
        until=now + 1,
        source=source,
    )
