"""The threaded Gateway: a worker thread with an asyncio loop, polled from the game thread."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from aga_npc.config import Settings
from aga_npc.errors import (
    BudgetExceededError,
    DeadlineExceededError,
    GatewayClosedError,
    RequestCancelledError,
)
from aga_npc.llm import TokenBudget, TokenLedger, build_stack
from aga_npc.ports import RequestGateway
from aga_npc.runtime import Gateway, Ticket
from aga_npc.testing import FakeLLM
from aga_npc.types import CallResult, ChatMessage, LLMRequest, LLMResult, Priority


def req(text: str, *, agent: str = "Klaus", **kw: Any) -> LLMRequest:
    return LLMRequest(
        agent=agent, module="dialogue", messages=(ChatMessage(role="user", content=text),), **kw
    )


def echo(request: LLMRequest) -> str:
    return "re: " + request.messages[-1].content


def until(cond: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.001)


def result_of(ticket: Ticket[LLMResult], timeout: float = 5.0) -> LLMResult:
    assert ticket.wait(timeout)
    r = ticket.result()
    assert r is not None
    return r


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    f = FakeLLM(echo)
    yield f
    f.release()


@pytest.fixture
def gw(fake: FakeLLM) -> Iterator[Gateway]:
    g = Gateway(fake, max_concurrency=1)
    yield g
    fake.release()
    g.close(timeout=1.0)


def served(fake: FakeLLM) -> list[str]:
    return [r.messages[-1].content for r in fake.calls]


def test_implements_the_gateway_protocol(gw: Gateway) -> None:
    assert isinstance(gw, RequestGateway)
    assert gw.pump() == 0


def test_priority_order_behind_a_busy_slot(gw: Gateway, fake: FakeLLM) -> None:
    fake.hold()
    blocker = gw.submit(req("blocker"))
    until(lambda: fake.in_flight == 1)
    tickets = [
        gw.submit(req("normal")),
        gw.submit(req("player", priority=Priority.PLAYER)),
        gw.submit(req("low", priority=Priority.LOW)),
        gw.submit(req("high", priority=Priority.HIGH)),
    ]
    # The loop takes submissions in batches: let it take all four before the slot frees,
    # or the first may start alone (seen once in CI: 'normal' before 'player').
    until(lambda: not gw._adds and gw.pending_count() == 4)
    fake.release()
    for t in [blocker, *tickets]:
        result_of(t)
    assert served(fake) == ["blocker", "player", "high", "normal", "low"]


def test_reprioritising_from_the_game_thread(gw: Gateway, fake: FakeLLM) -> None:
    fake.hold()
    gw.submit(req("blocker"))
    until(lambda: fake.in_flight == 1)
    far = gw.submit(req("far npc", priority=Priority.LOW))
    near = gw.submit(req("near npc", priority=Priority.LOW))
    near.set_priority(Priority.PLAYER)  # the player walked up to this NPC
    fake.release()
    result_of(far)
    result_of(near)
    assert served(fake) == ["blocker", "near npc", "far npc"]


def test_identical_submits_make_one_backend_call(fake: FakeLLM) -> None:
    ledger = TokenLedger()
    fake.hold()
    with Gateway(fake, ledger=ledger, max_concurrency=4) as g:
        tickets = [g.submit(req("what is for lunch?", agent=f"npc{i}")) for i in range(10)]
        until(lambda: fake.in_flight == 1)
        fake.release()
        results = [result_of(t) for t in tickets]
        stats = g.stats()
    assert fake.call_count == 1
    assert all(r.text == "re: what is for lunch?" for r in results)
    assert sorted(r.outcome for r in results) == ["coalesced"] * 9 + ["ok"]
    assert stats["coalesced"] == 9
    assert [e.outcome for e in ledger.entries()] == ["coalesced"] * 9


def test_cancel_pending_and_running(gw: Gateway, fake: FakeLLM) -> None:
    fake.hold()
    running = gw.submit(req("running"))
    until(lambda: fake.in_flight == 1)
    pending = gw.submit(req("pending"))
    assert pending.cancel() is True
    assert pending.done()  # at once, on the game thread
    assert running.cancel() is True
    r = running.result()
    assert r is not None and isinstance(r.error, RequestCancelledError)
    # The running call was stopped: the backend is free again without a release.
    until(lambda: fake.in_flight == 0)
    fake.release()
    after = gw.submit(req("after"))
    assert result_of(after).text == "re: after"
    assert served(fake) == ["running", "after"]
    until(lambda: gw.stats()["cancelled"] == 2)


def test_cancelling_one_of_two_coalesced_tickets_keeps_the_call(gw: Gateway, fake: FakeLLM) -> None:
    fake.hold()
    a = gw.submit(req("shared"))
    b = gw.submit(req("shared"))
    until(lambda: fake.in_flight == 1)
    a.cancel()
    fake.release()
    assert result_of(b).ok
    assert fake.call_count == 1


def test_deadline_expires_a_waiting_ticket(gw: Gateway, fake: FakeLLM) -> None:
    fake.hold()
    gw.submit(req("blocker"))
    until(lambda: fake.in_flight == 1)
    late = gw.submit(req("late", deadline=time.monotonic() + 0.05))
    r = result_of(late, timeout=2.0)  # expires while the slot is still busy
    assert isinstance(r.error, DeadlineExceededError)
    assert r.outcome == "expired"
    assert fake.in_flight == 1  # the blocker is still held
    fake.release()
    until(lambda: gw.stats()["completed"] == 2)
    assert served(fake) == ["blocker"]


def test_deadline_stops_a_running_call(fake: FakeLLM) -> None:
    fake.hold()
    with Gateway(fake) as g:
        t = g.submit(req("slow", deadline=time.monotonic() + 0.05))
        r = result_of(t, timeout=2.0)
        assert isinstance(r.error, DeadlineExceededError)
        until(lambda: fake.in_flight == 0)


def test_concurrency_limit(fake: FakeLLM) -> None:
    slow = FakeLLM(echo, latency=0.02)
    with Gateway(slow, max_concurrency=3) as g:
        tickets = [g.submit(req(f"q{i}")) for i in range(20)]
        for t in tickets:
            result_of(t)
        stats = g.stats()
    assert slow.max_in_flight == 3
    assert stats["max_llm_calls_in_flight"] == 3
    assert stats["completed"] == stats["ok"] == 20


def test_submit_call_runs_on_a_worker_thread(gw: Gateway) -> None:
    def where(x: int) -> tuple[str, int]:
        return threading.current_thread().name, x * 2

    def boom() -> None:
        raise ValueError("bad input")

    t = gw.submit_call(where, 21, agent="Klaus", kind="embed")
    bad = gw.submit_call(boom, kind="embed")
    assert t.wait(5) and bad.wait(5)
    result = t.result()
    assert isinstance(result, CallResult)
    name, value = result.value
    assert value == 42
    assert name != threading.current_thread().name
    assert name.startswith("aga-gateway-call")
    failed = bad.result()
    assert failed is not None and isinstance(failed.error, ValueError)
    assert gw.stats()["calls"] == 2


def test_calls_do_not_wait_for_llm_slots(gw: Gateway, fake: FakeLLM) -> None:
    fake.hold()
    gw.submit(req("blocker"))
    until(lambda: fake.in_flight == 1)
    t = gw.submit_call(lambda: "embedded", kind="embed")
    assert t.wait(5)  # the LLM slot is taken, the embedder still runs


def test_budget_refusal_through_the_threaded_gateway() -> None:
    fake = FakeLLM(default="words " * 30)
    ledger = TokenLedger()
    budget = TokenBudget(per_real_minute=20)
    stack = build_stack(Settings(), ledger, backend=fake, rng=random.Random(0), budget=budget)
    with Gateway(stack, ledger=ledger) as g:
        assert result_of(g.submit(req("first"))).ok
        refused = result_of(g.submit(req("second")))
    assert isinstance(refused.error, BudgetExceededError)
    assert refused.outcome == "refused"
    assert fake.call_count == 1


def test_drain_returns_each_finished_ticket_exactly_once(fake: FakeLLM) -> None:
    rng = random.Random(5)
    with Gateway(FakeLLM(echo, latency=0.001), max_concurrency=4) as g:
        tickets = []
        drained: list[Ticket[Any]] = []
        for i in range(400):
            t = g.submit(req(f"q{rng.randint(0, 60)}", priority=rng.choice(list(Priority))))
            tickets.append(t)
            if rng.random() < 0.1:
                rng.choice(tickets).cancel()
            if rng.random() < 0.1:
                rng.choice(tickets).set_priority(rng.choice(list(Priority)))
            if i % 25 == 0:
                drained.extend(g.drain())
        for t in tickets:
            assert t.wait(10)
        # Cancellations are counted when the loop reads them: let it catch up.
        until(lambda: g.stats()["completed"] == 400)
        drained.extend(g.drain())
        stats = g.stats()
    assert sorted(t.id for t in drained) == [t.id for t in tickets]
    assert stats["submitted"] == 400
    assert stats["pending"] == 0 and stats["in_flight"] == 0


def test_close_ends_waiting_and_running_work(fake: FakeLLM) -> None:
    fake.hold()
    g = Gateway(fake)
    running = g.submit(req("running"))
    until(lambda: fake.in_flight == 1)
    waiting = g.submit(req("waiting"))
    t0 = time.monotonic()
    g.close(timeout=0.1)
    assert time.monotonic() - t0 < 3.0
    for t in (running, waiting):
        r = t.result()
        assert r is not None and isinstance(r.error, GatewayClosedError)
    late = g.submit(req("late"))
    late_r = late.result()
    assert late_r is not None and isinstance(late_r.error, GatewayClosedError)
    assert fake.closed
    g.close()  # idempotent


def test_streaming_ticket_shows_text(gw: Gateway) -> None:
    t = gw.submit(req("say it", stream=True))
    r = result_of(t)
    assert t.partial_text() == r.text == "re: say it"


def test_idle_worker_sleeps_and_the_next_submit_wakes_it() -> None:
    with Gateway(FakeLLM(echo), poll_interval=0.001, idle_polls=3) as g:
        assert result_of(g.submit(req("first"))).text == "re: first"
        woken = g.stats()["worker_wakeups"]
        time.sleep(0.1)  # far longer than 3 empty polls: the worker stops polling
        t0 = time.monotonic()
        assert result_of(g.submit(req("second"))).text == "re: second"
        assert time.monotonic() - t0 < 1.0
        assert g.stats()["worker_wakeups"] == woken + 1


def test_a_cancel_wakes_a_sleeping_worker() -> None:
    fake = FakeLLM(echo)
    fake.hold()
    with Gateway(fake, poll_interval=0.001, idle_polls=3) as g:
        t = g.submit(req("held"))
        until(lambda: fake.in_flight == 1)
        woken = g.stats()["worker_wakeups"]
        time.sleep(0.1)  # the worker has gone to sleep while the call is held
        t.cancel()
        until(lambda: fake.in_flight == 0)  # the worker woke up and stopped the call
        assert g.stats()["worker_wakeups"] == woken + 1
        fake.release()
