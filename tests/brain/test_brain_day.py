"""The day loop on its own: the lifecycle and its transition table, the item of the minute
(yesterday's overnight one before today's wake-up), the activity log, the counters, talking
and being available for a chat."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from brain_kit import ADA_HOME, CAFE, DAY, Body, Rig, script

from aga_npc.brain import npc
from aga_npc.brain.day import TRANSITIONS, BrainState, DayLoop
from aga_npc.brain.intent import Intent, IntentKind, Perception, Source


class LoopBody(Body):
    """Ada's body asking her day loop directly (not through the brain)."""

    def __init__(self, rig: Rig) -> None:
        super().__init__(rig)
        self.loop: DayLoop = self.brain.day

    def think(self, now: int, perception: Perception) -> Intent:
        return self.loop.tick(now, perception)


def test_the_brain_module_still_exports_the_lifecycle() -> None:
    assert npc.BrainState is BrainState and npc.TRANSITIONS is TRANSITIONS


def test_the_loop_plans_then_acts_and_logs_each_item_once(rig: Any) -> None:
    body = LoopBody(rig(script()))
    loop = body.loop
    assert loop.state is BrainState.STARTING and loop.current is None
    first = body.tick(6 * 60)
    assert loop.state is BrainState.PLANNING
    assert first.source in (Source.WAITING, Source.FALLBACK) and loop.intent == first
    intent = body.run(6 * 60 + 1, 8 * 60 + 10)
    assert loop.state is BrainState.ACTING
    assert (intent.verb, intent.target, intent.activity) == (
        "serve",
        "Cafe:shop floor:counter",
        "serve coffee",
    )
    assert loop.activity_log == [
        (7 * 60, "have breakfast", ADA_HOME),
        (8 * 60, "serve coffee", CAFE),
    ]
    assert loop.actions == 2, "one action per item, not one per tick"
    body.run(8 * 60 + 10, 8 * 60 + 30)
    assert loop.actions == 2 and len(loop.activity_log) == 2
    res, state = loop.current_action()
    assert res is not None and res.text == "serve coffee" and state == "in use"
    assert body.brain.intent is loop.intent, "the brain forwards to its loop"


def test_the_item_of_the_minute_before_wake_up_is_yesterdays_overnight_one(
    rig: Any,
) -> None:
    body = LoopBody(rig(script()))
    body.run(6 * 60, 7 * 60 + 5)
    loop = body.loop
    rev = body.brain.planner.revision(1)
    assert loop._activity(6 * 60) is None, "before the first wake-up nothing is planned"
    found = loop._activity(7 * 60 + 30)
    assert found is not None and found[0] == (1, rev, 0) and found[2] == 7 * 60
    overnight = loop._activity(DAY + 3 * 60)  # day 2 has no plan yet
    assert overnight is not None
    key, item, start = overnight
    assert (key, item.text, start) == ((1, rev, 6), "sleep", 22 * 60)
    assert loop._activity(DAY + 8 * 60) is None, "past the overnight item"
    nxt = loop._next((1, rev, 0))
    assert nxt is not None and nxt[1].text == "serve coffee" and nxt[2] == 8 * 60
    assert loop._next((1, rev, 6)) is None, "the last item has no next one"
    assert loop._next((1, rev + 1, 0)) is None, "nor has an item of another revision"


def test_every_transition_of_the_table_and_only_those_is_allowed(rig: Any) -> None:
    loop = LoopBody(rig(script())).loop
    refused = set()
    for old, new in itertools.product(BrainState, BrainState):
        loop.state = old
        if new is old or new in TRANSITIONS[old]:
            loop._move(new)
            assert loop.state is new
        else:
            with pytest.raises(RuntimeError, match="illegal brain transition"):
                loop._move(new)
            assert loop.state is old, "a refused move changes nothing"
            refused.add((old, new))
    back_to_start = {(s, BrainState.STARTING) for s in BrainState} - {
        (BrainState.STARTING, BrainState.STARTING),
        (BrainState.TALKING, BrainState.STARTING),
    }
    from_start = {
        (BrainState.STARTING, s)
        for s in (BrainState.RESOLVING, BrainState.ACTING, BrainState.WAITING)
    }
    assert refused == back_to_start | from_start


def test_talking_from_the_start_and_ending_back_in_planning(rig: Any) -> None:
    body = LoopBody(rig(script()))
    loop = body.loop
    loop.begin_talk("Ben Ortiz")
    assert (loop.state, loop.talk_partner) == (BrainState.TALKING, "Ben Ortiz")
    intent = body.tick(9 * 60)
    assert (intent.kind, intent.partner, intent.source) == (
        IntentKind.TALK,
        "Ben Ortiz",
        Source.TALK,
    )
    assert not loop.available_for_chat()
    loop.end_talk()
    assert (loop.state, loop.talk_partner) == (BrainState.PLANNING, ""), "no item yet"


@pytest.mark.parametrize(
    ("verb", "activity", "free"),
    [
        ("read", "read at home", True),
        ("sleep", "", False),
        ("brush teeth", "morning routine", False),
        ("", "Sleeping in", False),
        ("teach", "class", False),
    ],
)
def test_who_is_available_for_a_chat(rig: Any, verb: str, activity: str, free: bool) -> None:
    loop = LoopBody(rig(script())).loop
    loop.state = BrainState.ACTING
    loop.intent = Intent(kind=IntentKind.USE, verb=verb, activity=activity)
    assert loop.available_for_chat() is free


def test_a_refused_action_is_counted_even_without_an_item(rig: Any) -> None:
    body = LoopBody(rig(script()))
    body.failed = "Cafe:shop floor:counter"
    body.tick(6 * 60)
    assert body.loop.failed_actions == 1 and body.brain.failed_actions == 1
    body.tick(6 * 60 + 1)
    assert body.loop.failed_actions == 1, "counted once, on the tick that reported it"
