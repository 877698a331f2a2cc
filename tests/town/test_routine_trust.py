"""Lifestyle Policy routines in a running town: a routine whose object is gone is not served,
a reused routine that fails at run time is reported, demoted and then evicted, and the
NPC decomposes what is left instead of standing still."""

from __future__ import annotations

from typing import Any

from scripted import scripted

from aga_npc.brain.intent import Source
from aga_npc.brain.modes import Mode
from aga_npc.policy import Sharing
from aga_npc.testing import FakeLLM

DAY = 1440
STOVE = "Test House:kitchen:stove"


def _breakfasts(brain: Any, day: int) -> list[Any]:
    return [r for r in brain.resolver if "breakfast" in r.text and r.key[0] == day and r.ready]


def _routine(store: Any) -> Any:
    return next(e for e in store.entries() if "breakfast" in e.plan_text)


def test_a_routine_whose_object_became_unreachable_is_not_served(make_town: Any) -> None:
    built = make_town(FakeLLM(scripted()), mode=Mode.AGA_PAPER)
    town = built.town
    town.run_minutes(DAY)  # day 1: breakfast decomposed, run, stored
    assert _routine(built.store)
    stove = town.world.object_at(STOVE)
    assert stove is not None
    town.world.set_blocked([stove.tile])
    town.run_minutes(3 * 60)  # through day 2's breakfast
    ada = town.brains["Ada Finch"]
    day2 = _breakfasts(ada, 2)
    assert day2, "day 2's breakfast was resolved"
    assert all(r.source is not Source.POLICY for r in day2)
    assert "stove" in day2[0].reason and "no_condition_held" in day2[0].reason


def _wait_for_reused_breakfast(town: Any, brain: Any, day: int) -> Any:
    """Step until ``day``'s breakfast is resolved from the policy, before it starts."""
    for _ in range(DAY):
        found = [r for r in _breakfasts(brain, day) if r.source is Source.POLICY]
        if found and town.now < found[0].start:
            return found[0]
        town.step_minute()
    raise AssertionError(f"day {day}'s breakfast was never reused from the policy")


def test_a_reused_routine_that_keeps_failing_is_demoted_then_evicted(make_town: Any) -> None:
    built = make_town(FakeLLM(scripted()), mode=Mode.AGA_PAPER)
    town, store = built.town, built.store
    ada = town.brains["Ada Finch"]
    # Ada's routines are Ada's alone: Ben's successes with them would restore their trust
    port = ada.services.policy
    assert port is not None
    port.sharing = Sharing.AGENT  # type: ignore[attr-defined]
    town.run_minutes(DAY - 120)  # day 1 learned; now 04:00 of day 2
    entry = _routine(store)
    variants = len(entry.variants)
    stove = town.world.object_at(STOVE)
    assert stove is not None
    failed: list[int] = []
    day = 2
    while any(e.id == entry.id for e in store.entries()):
        assert day <= 2 + 2 * variants, "the routine should be gone by now"
        reused = _wait_for_reused_breakfast(town, ada, day)
        assert reused.handle is not None
        tried = reused.handle.variant
        town.world.set_blocked([stove.tile])  # the stove cannot be reached any more
        before = ada.stats()["routine_failures"]
        for _ in range(120):
            if ada.stats()["routine_failures"] > before:
                break
            town.step_minute()
        assert ada.stats()["routine_failures"] == before + 1, "the failure was reported"
        assert reused.source is not Source.POLICY or not reused.ready, "the rest is redone"
        left = {v.id: v for e in store.entries() if e.id == entry.id for v in e.variants}
        if tried in left:
            # demoted: the failed variant is tried after the others from now on
            assert list(left)[-1] == tried and left[tried].failures == 1
        failed.append(tried)
        town.world.set_blocked([stove.tile], blocked=False)
        town.run_minutes(day * DAY + 4 * 60 - town.now)  # to 04:00 of the next day
        day += 1
    # every variant failed twice in a row (each one after a demotion): all evicted, and the
    # next breakfast is worked out afresh
    assert sorted(failed) == sorted(list(range(variants)) * 2)
    town.run_minutes(4 * 60)
    assert _breakfasts(ada, day)
    assert all(r.source is not Source.POLICY for r in _breakfasts(ada, day))
