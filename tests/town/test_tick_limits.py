"""Per-tick work limits: a brain handles a bounded number of answers and observations per tick."""

from __future__ import annotations

from typing import Any

import pytest

from aga_npc.brain.intent import Nearby
from aga_npc.brain.npc import NpcBrain
from aga_npc.brain.requests import RequestBook
from aga_npc.brain.resolver import ResStatus, TickWork
from aga_npc.brain.services import PolicyDecision
from aga_npc.memory.events import EventKind
from aga_npc.offline import OfflineLLM
from aga_npc.types import Module


class _Ticket:
    """A ticket that is finished (with ``value``) or still running."""

    def __init__(self, value: Any, *, done: bool = True) -> None:
        self.value = value
        self._done = done

    def done(self) -> bool:
        return self._done

    def result(self) -> Any:
        return self.value if self._done else None

    def cancel(self) -> bool:
        return False


class _Gateway:
    """Hands out the prepared tickets in order."""

    def __init__(self, tickets: list[_Ticket]) -> None:
        self.tickets = list(tickets)

    def submit_call(self, fn: Any, *args: Any, **kw: Any) -> _Ticket:
        return self.tickets.pop(0)


class _Value:
    def __init__(self, value: Any) -> None:
        self.value = value
        self.error = None


def _book(handled: list[Any]) -> RequestBook:
    tickets = [
        _Ticket(_Value("first")),
        _Ticket(None, done=False),
        _Ticket(_Value("second")),
        _Ticket(_Value("third")),
    ]
    book = RequestBook(_Gateway(tickets), "Ann")  # type: ignore[arg-type]
    for _ in tickets:
        book.call("embed_memories", lambda: None, then=handled.append)
    return book


def test_a_limited_book_handles_one_finished_answer_a_poll_in_order() -> None:
    handled: list[Any] = []
    book = _book(handled)
    assert book.poll(1) == 1
    assert handled == ["first"]
    assert len(book) == 3  # the running one and two finished ones wait
    book.poll(1)
    book.poll(1)
    assert handled == ["first", "second", "third"]
    assert len(book) == 1  # only the running one left
    assert book.poll(1) == 0


def test_an_unlimited_book_handles_every_finished_answer_at_once() -> None:
    handled: list[Any] = []
    book = _book(handled)
    assert book.poll(None) == 3
    assert handled == ["first", "second", "third"]
    assert len(book) == 1


def _brain(make_town: Any) -> tuple[NpcBrain, Any]:
    built = make_town(OfflineLLM(seed=0))
    town = built.town
    name = sorted(town.brains)[0]
    return town.brains[name], town


def test_observations_beyond_the_limit_are_taken_on_the_next_look(make_town: Any) -> None:
    brain, town = _brain(make_town)
    seen = [Nearby(name=n, distance=2.0, doing="reading a book") for n in ("Ann", "Bo", "Cy")]

    def observed() -> list[str]:
        return [e.text for e in brain.mind.stream.events() if e.kind is EventKind.OBSERVED]

    def look(limit: int) -> None:
        brain.reactions.perceive(
            town.now,
            seen,
            place="Test Park",
            doing="",
            heading_to="",
            available=False,
            limit=limit,
        )

    before = len(observed())
    look(1)
    assert len(observed()) == before + 1
    look(2)
    assert len(observed()) == before + 3
    look(2)
    assert len(observed()) == before + 3  # nothing changed since: nothing new
    new = observed()[before:]
    assert [t.split(" ")[0] for t in new] == ["Ann", "Bo", "Cy"]


def test_a_zero_limit_is_refused(make_town: Any) -> None:
    brain, _ = _brain(make_town)
    with pytest.raises(ValueError, match="per_tick_limit"):
        NpcBrain(profile=brain.profile, mode=brain.mode, services=brain.services, per_tick_limit=0)


class _MissingPolicy:
    """A Lifestyle Policy that never has the routine (and counts the lookups)."""

    def __init__(self) -> None:
        self.lookups = 0

    def lookup(self, **kw: Any) -> PolicyDecision:
        self.lookups += 1
        return PolicyDecision(hit=False, reason="no_match")

    def store(self, **kw: Any) -> None:
        raise AssertionError("nothing is stored here")

    def embedding_texts(self, text: str) -> tuple[str, ...]:
        return (text,)


def _spread_case(make_town: Any, limited: bool) -> tuple[Any, Any, Any, _MissingPolicy]:
    import dataclasses

    brain, town = _brain(make_town)
    policy = _MissingPolicy()
    resolver = brain.resolver
    resolver.services = dataclasses.replace(brain.services, policy=policy)
    res = resolver.ensure(
        (1, 1, 0), text="water the plants", place="Test House", start=town.now, duration=30
    )
    return resolver, town, res, policy


def test_a_limited_resolver_does_one_heavy_step_a_tick(make_town: Any) -> None:
    resolver, town, res, policy = _spread_case(make_town, True)
    resolver.advance(res, town.now, town.world, TickWork(limited=True))  # the exact lookup
    assert (res.status, policy.lookups) == (ResStatus.EMBEDDING, 1)
    town.gateway.pump()
    resolver.requests.poll()  # the embedding arrives
    assert res.status is ResStatus.LOOKUP
    resolver.advance(res, town.now, town.world, TickWork(limited=True))  # the lookup: a miss
    assert (res.status, policy.lookups) == (ResStatus.MISS, 2)
    before = len(resolver.requests)
    resolver.advance(res, town.now, town.world, TickWork(limited=True))  # the decomposition
    assert res.status is ResStatus.DECOMPOSING and len(resolver.requests) == before + 1
    assert resolver.requests.kinds()[-1] == Module.ACTION_CHAIN.value  # aga: merged chain
    spent = TickWork(limited=True)
    spent.spend()
    resolver.advance(res, town.now, town.world, spent)  # nothing more in a spent tick
    assert len(resolver.requests) == before + 1


def test_an_unlimited_resolver_goes_from_vector_to_prompt_in_one_tick(make_town: Any) -> None:
    resolver, town, res, policy = _spread_case(make_town, False)
    resolver.advance(res, town.now, town.world, TickWork())
    town.gateway.pump()
    resolver.requests.poll()
    resolver.advance(res, town.now, town.world, TickWork())
    assert res.status is ResStatus.DECOMPOSING and policy.lookups == 2
    assert Module.ACTION_CHAIN.value in resolver.requests.kinds()


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
