"""Per-tick work limits: a brain handles a bounded number of answers and observations per tick."""

from __future__ import annotations

from typing import Any

import pytest

from aga_npc.brain.intent import Nearby
from aga_npc.brain.npc import NpcBrain, _Pending
from aga_npc.memory.events import EventKind
from aga_npc.offline import OfflineLLM


class _Ticket:
    """A ticket that is finished (with ``value``) or still running."""

    def __init__(self, value: Any, *, done: bool = True) -> None:
        self.value = value
        self._done = done

    def done(self) -> bool:
        return self._done

    def result(self) -> Any:
        return self.value if self._done else None


def _brain(make_town: Any) -> tuple[NpcBrain, Any]:
    built = make_town(OfflineLLM(seed=0))
    town = built.town
    name = sorted(town.brains)[0]
    return town.brains[name], town


def _queue(brain: NpcBrain, handled: list[Any]) -> None:
    brain.pending = [
        _Pending("embed", _Ticket("first"), {"handler": handled.append}),
        _Pending("embed", _Ticket("running", done=False), {"handler": handled.append}),
        _Pending("embed", _Ticket("second"), {"handler": handled.append}),
        _Pending("embed", _Ticket("third"), {"handler": handled.append}),
    ]


def test_a_limited_brain_handles_one_finished_answer_a_tick_in_order(make_town: Any) -> None:
    brain, town = _brain(make_town)
    brain.per_tick_limit = 1
    handled: list[Any] = []
    _queue(brain, handled)
    brain._poll(town.now, town.world)
    assert handled == ["first"]
    assert len(brain.pending) == 3  # the running one and two finished ones wait
    brain._poll(town.now, town.world)
    brain._poll(town.now, town.world)
    assert handled == ["first", "second", "third"]
    assert [p.ticket.result() for p in brain.pending] == [None]  # only the running one left
    brain._poll(town.now, town.world)
    assert handled == ["first", "second", "third"]


def test_an_unlimited_brain_handles_every_finished_answer_at_once(make_town: Any) -> None:
    brain, town = _brain(make_town)
    assert brain.per_tick_limit is None  # the sim's default
    handled: list[Any] = []
    _queue(brain, handled)
    brain._poll(town.now, town.world)
    assert handled == ["first", "second", "third"]
    assert len(brain.pending) == 1


def test_observations_beyond_the_limit_are_taken_on_the_next_look(make_town: Any) -> None:
    brain, town = _brain(make_town)
    mind = brain.mind
    seen = [Nearby(name=n, distance=2.0, doing="reading a book") for n in ("Ann", "Bo", "Cy")]

    def observed() -> list[str]:
        return [e.text for e in mind.stream.events() if e.kind is EventKind.OBSERVED]

    before = len(observed())
    mind.observe(town.now, seen, "Test Park", limit=1)
    assert len(observed()) == before + 1
    mind.observe(town.now, seen, "Test Park", limit=2)
    assert len(observed()) == before + 3
    mind.observe(town.now, seen, "Test Park", limit=2)
    assert len(observed()) == before + 3  # nothing changed since: nothing new
    new = observed()[before:]
    assert [t.split(" saw ")[1].split(" ")[0] for t in new] == ["Ann", "Bo", "Cy"]


def test_a_zero_limit_is_refused(make_town: Any) -> None:
    brain, _ = _brain(make_town)
    with pytest.raises(ValueError, match="per_tick_limit"):
        NpcBrain(profile=brain.profile, mode=brain.mode, services=brain.services, per_tick_limit=0)


class _MissingPolicy:
    """A Lifestyle Policy that never has the routine (and counts the lookups)."""

    def __init__(self) -> None:
        self.lookups = 0

    def lookup(self, **kw: Any) -> Any:
        from aga_npc.brain.services import PolicyDecision

        self.lookups += 1
        return PolicyDecision(hit=False, reason="no_match")

    def store(self, **kw: Any) -> None:
        raise AssertionError("nothing is stored here")


def _spread_case(make_town: Any, limit: int | None) -> tuple[NpcBrain, Any, Any, list[Any]]:
    import dataclasses

    import numpy as np

    from aga_npc.brain.npc import _Resolution

    brain, town = _brain(make_town)
    brain.per_tick_limit = limit
    policy = _MissingPolicy()
    brain.services = dataclasses.replace(brain.services, policy=policy)
    day = max(brain.plans) if brain.plans else 1
    brain.plans.setdefault(day, brain._routine_plan(day))
    key = (day, 0)
    act = brain.plans[day].activities[0]
    res = _Resolution(key=key, text=act.text, place=act.place, duration=act.duration)
    res.status = "embedding"
    brain.resolutions[key] = res
    vector = np.ones(brain.services.embedder.dim, dtype=np.float32)
    brain.pending = [_Pending("embed", _Ticket(_Vector(vector)), {"key": key})]
    submitted: list[Any] = []
    brain._submit = lambda purpose, request, **meta: submitted.append(purpose)  # type: ignore[method-assign]
    return brain, town, res, submitted


class _Vector:
    def __init__(self, vector: Any) -> None:
        self.value = vector[None, :]
        self.error = None


def _step(brain: NpcBrain, town: Any, key: tuple[int, int]) -> None:
    """One tick's worth of the steps under test: poll answers, then resolve ``key``."""
    brain._worked = False
    brain._poll(town.now, town.world)
    brain._resolve(key, town.now, town.world)


def test_a_limited_brain_does_one_heavy_step_a_tick(make_town: Any) -> None:
    brain, town, res, submitted = _spread_case(make_town, 1)
    policy = brain.services.policy
    _step(brain, town, res.key)  # the embedding arrives: handled, nothing more
    assert (res.status, policy.lookups, submitted) == ("lookup", 0, [])
    _step(brain, town, res.key)  # the lookup: a miss
    assert (res.status, policy.lookups, submitted) == ("miss", 1, [])
    _step(brain, town, res.key)  # the decomposition prompt
    assert (res.status, policy.lookups, submitted) == ("decomposing", 1, ["decompose"])


def test_an_unlimited_brain_goes_from_answer_to_prompt_in_one_tick(make_town: Any) -> None:
    brain, town, res, submitted = _spread_case(make_town, None)
    _step(brain, town, res.key)
    assert (res.status, brain.services.policy.lookups, submitted) == (
        "decomposing",
        1,
        ["decompose"],
    )


def test_overdue_brains_are_ticked_whatever_the_budget_and_a_load_restarts_the_count(
    make_town: Any,
) -> None:
    town = make_town(OfflineLLM(seed=0)).town
    ticked: list[str] = []
    real_tick = town._tick

    def counting(name: str, now: int) -> None:
        ticked.append(name)
        real_tick(name, now)

    town._tick = counting
    town.update(0.0, brain_budget=0, max_gap=2)
    assert ticked == []  # nobody waited two game minutes yet
    town.world.advance_clock(2)
    town.update(0.0, brain_budget=0, brain_ms_budget=0.0, max_gap=2)
    assert sorted(ticked) == sorted(town.names())  # no budget at all, still every brain
    ticked.clear()
    town.update(0.0, brain_budget=0, max_gap=2)
    assert ticked == []  # each just thought
    town.world.advance_clock(600)  # as when a later save is loaded
    town.restart_ticks()
    town.update(0.0, brain_budget=0, max_gap=2)
    assert ticked == []
