"""The brain's save format: everything one brain knows as plain data (msgpack-able), and
back.

Requests in flight are not saved: after ``set_state`` the brain asks again for what it was
waiting for (an unresolved item, a missing plan). A conversation is not saved either: a
brain saved while talking comes back acting (or planning, before its first item).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aga_npc.brain.day import BrainState
from aga_npc.brain.intent import Intent, IntentKind, Source

if TYPE_CHECKING:
    from aga_npc.brain.npc import NpcBrain

__all__ = ["VERSION", "get_state", "rng_from_data", "rng_to_data", "set_state"]

VERSION = 2

RngData = list[int | list[int] | float | None]
"""A ``random.Random`` state as plain data: ``[version, internal state, gauss]``."""


def get_state(brain: NpcBrain) -> dict[str, Any]:
    """The brain's state as plain data (the keys in this order: the saved bytes depend on
    it)."""
    day = brain.day
    return {
        "version": VERSION,
        "state": day.state.value,
        "planner": brain.planner.get_state(),
        "resolver": brain.resolver.get_state(),
        "reactions": brain.reactions.get_state(),
        "current": list(day.current) if day.current is not None else None,
        "talk_partner": day.talk_partner,
        "counters": [
            day.actions,
            day.failed_actions,
            brain.tokens_saved,
            brain.social.conversations,
            brain.social.joint_updates,
        ],
        "book": brain.book.stats.to_dict(),
        "activity_log": [list(x) for x in day.activity_log],
        "rng": rng_to_data(brain.rng),
        "mind": brain.mind.get_state(),
    }


def set_state(brain: NpcBrain, state: Mapping[str, Any]) -> None:
    """Restore what ``get_state`` returned into ``brain`` (pending work is dropped, to be
    asked for again; counters missing from an older save are 0).

    Raises:
        ValueError: a newer or malformed state.
    """
    if int(state.get("version", 0)) != VERSION:
        raise ValueError(f"brain state version {state.get('version')!r} is not supported")
    day = brain.day
    brain.book.drop_all()
    brain.planner.set_state(state["planner"])
    brain.resolver.set_state(state["resolver"])
    brain.reactions.set_state(state.get("reactions", {}))
    current = state.get("current")
    day.current = (int(current[0]), int(current[1]), int(current[2])) if current else None
    day.talk_partner = ""
    saved = BrainState(state.get("state", BrainState.PLANNING.value))
    if saved is BrainState.TALKING:  # the conversation is not saved
        saved = BrainState.ACTING if day.current is not None else BrainState.PLANNING
    day.state = saved
    counters = [int(x) for x in state.get("counters", [])] + [0] * 5
    day.actions, day.failed_actions, brain.tokens_saved = counters[:3]
    brain.social.conversations, brain.social.joint_updates = counters[3:5]
    brain.book.stats.load(dict(state.get("book", {})))
    day.activity_log = [(int(m), str(t), str(p)) for m, t, p in state.get("activity_log", [])]
    if "rng" in state:
        brain.rng.setstate(rng_from_data(state["rng"]))
    brain.mind.set_state(state["mind"])
    day.intent = Intent(kind=IntentKind.STAY, source=Source.WAITING)


def rng_to_data(rng: random.Random) -> RngData:
    """``rng``'s state as plain data."""
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def rng_from_data(data: Sequence[Any]) -> tuple[int, tuple[int, ...], float | None]:
    """A state for ``random.Random.setstate`` from what ``rng_to_data`` returned (after a
    msgpack round trip: lists for tuples)."""
    version, internal, gauss = data
    return (int(version), tuple(int(x) for x in internal), gauss)
