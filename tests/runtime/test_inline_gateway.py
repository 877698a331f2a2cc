"""InlineGateway: ordering, re-prioritising, coalescing, cancellation, deadlines, determinism."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from aga_npc.config import Settings
from aga_npc.errors import (
    BudgetExceededError,
    DeadlineExceededError,
    GatewayClosedError,
    RequestCancelledError,
    ServerError,
)
from aga_npc.llm import TokenBudget, TokenLedger, build_stack
from aga_npc.ports import RequestGateway, RequestTicket
from aga_npc.runtime import InlineGateway
from aga_npc.testing import FakeLLM
from aga_npc.types import CallResult, ChatMessage, LLMRequest, LLMResult, Priority


async def no_sleep(_delay: float) -> None:
    return None


def req(text: str, *, agent: str = "Klaus", module: str = "plan_day", **kw: Any) -> LLMRequest:
    return LLMRequest(
        agent=agent, module=module, messages=(ChatMessage(role="user", content=text),), **kw
    )


def echo(request: LLMRequest) -> str:
    return "re: " + request.messages[-1].content


_OPEN: list[InlineGateway] = []


@pytest.fixture(autouse=True)
def _close_gateways() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def make(
    fake: FakeLLM, ledger: TokenLedger | None = None, **kw: Any
) -> tuple[InlineGateway, TokenLedger]:
    ledger = ledger if ledger is not None else TokenLedger()
    stack = build_stack(
        Settings(), ledger, backend=fake, rng=random.Random(0), sleep=no_sleep, **kw
    )
    gw = InlineGateway(stack, ledger=ledger, clock=lambda: 0.0)
    _OPEN.append(gw)
    return gw, ledger


def served(fake: FakeLLM) -> list[str]:
    return [r.messages[-1].content for r in fake.calls]


def test_implements_the_gateway_protocol() -> None:
    gw, _ = make(FakeLLM())
    assert isinstance(gw, RequestGateway)
    ticket = gw.submit(req("x"))
    assert isinstance(ticket, RequestTicket)
    assert not ticket.done() and ticket.result() is None


def test_nothing_runs_until_pump() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    t = gw.submit(req("a"))
    assert fake.call_count == 0 and gw.pending_count() == 1
    assert gw.pump() == 1
    result = t.result()
    assert result is not None and result.text == "re: a"
    assert gw.drain() == [t]
    assert gw.drain() == []


def test_priority_then_submission_order() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    gw.submit(req("normal-1"))
    gw.submit(req("low", priority=Priority.LOW))
    gw.submit(req("player", priority=Priority.PLAYER))
    gw.submit(req("normal-2"))
    gw.submit(req("high", priority=Priority.HIGH))
    gw.pump()
    assert served(fake) == ["player", "high", "normal-1", "normal-2", "low"]


def test_reprioritising_a_pending_ticket() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    gw.submit(req("a"))
    b = gw.submit(req("b"))
    c = gw.submit(req("c", priority=Priority.HIGH))
    b.set_priority(Priority.PLAYER)  # the player walked up to b's NPC
    c.set_priority(Priority.LOW)
    gw.pump()
    assert served(fake) == ["b", "a", "c"]


def test_identical_requests_are_coalesced_into_one_call() -> None:
    fake = FakeLLM(echo)
    gw, ledger = make(fake)
    tickets = [gw.submit(req("same question", agent=f"npc{i}")) for i in range(5)]
    other = gw.submit(req("different question"))
    gw.pump()
    assert fake.call_count == 2
    results = [t.result() for t in tickets]
    assert all(r is not None and r.text == "re: same question" for r in results)
    assert [r.outcome for r in results if r is not None] == ["ok"] + ["coalesced"] * 4
    assert gw.stats()["coalesced"] == 4
    assert other.result() is not None
    outcomes = [e.outcome for e in ledger.entries()]
    assert outcomes.count("coalesced") == 4 and outcomes.count("ok") == 2
    coalesced_agents = {e.agent for e in ledger.entries() if e.outcome == "coalesced"}
    assert coalesced_agents == {"npc1", "npc2", "npc3", "npc4"}
    # Only the call spent tokens.
    assert sum(e.total_tokens for e in ledger.entries() if e.outcome == "coalesced") == 0


def test_coalesced_ticket_raises_the_flight_priority() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    gw.submit(req("first"))
    gw.submit(req("shared", priority=Priority.LOW))
    gw.submit(req("shared", priority=Priority.PLAYER))
    gw.pump()
    assert served(fake) == ["shared", "first"]


def test_cancel_pending_ticket() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    a = gw.submit(req("a"))
    b = gw.submit(req("b"))
    assert b.cancel() is True
    assert b.cancel() is False
    result = b.result()
    assert result is not None and isinstance(result.error, RequestCancelledError)
    assert result.outcome == "cancelled"
    gw.pump()
    assert served(fake) == ["a"]
    assert a.cancel() is False  # already done
    assert gw.drain() == [b, a]


def test_cancelling_the_leader_keeps_the_call_for_followers() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    leader = gw.submit(req("q"))
    follower = gw.submit(req("q"))
    leader.cancel()
    gw.pump()
    assert fake.call_count == 1
    result = follower.result()
    assert result is not None and result.ok and result.outcome == "ok"


def test_deadline_expiry(clock: Any) -> None:
    fake = FakeLLM(echo)
    ledger = TokenLedger()
    stack = build_stack(Settings(), ledger, backend=fake, rng=random.Random(0), sleep=no_sleep)
    gw = InlineGateway(stack, ledger=ledger, clock=clock)
    _OPEN.append(gw)
    late = gw.submit(req("late", deadline=clock() + 5))
    fine = gw.submit(req("fine", deadline=clock() + 50))
    forever = gw.submit(req("forever"))
    clock.advance(10)
    gw.pump()
    result = late.result()
    assert result is not None and isinstance(result.error, DeadlineExceededError)
    assert result.outcome == "expired"
    assert served(fake) == ["fine", "forever"]
    assert fine.result() is not None and forever.result() is not None
    assert gw.stats()["expired"] == 1


def test_budget_refusal_reaches_the_ticket() -> None:
    fake = FakeLLM(default="many words " * 10)
    budget = TokenBudget(per_real_minute=10, clock=lambda: 0.0)
    gw, ledger = make(fake, budget=budget)
    first = gw.submit(req("spend"))
    gw.pump()
    second = gw.submit(req("more"))
    player = gw.submit(req("player line", allow_fallback=False))
    gw.pump()
    r1, r2, r3 = first.result(), second.result(), player.result()
    assert r1 is not None and r1.ok
    assert r2 is not None and isinstance(r2.error, BudgetExceededError)
    assert r2.outcome == "refused" and r2.attempts == 0
    assert r3 is not None and r3.ok
    assert fake.call_count == 2
    assert gw.stats()["refused"] == 1
    assert [e.outcome for e in ledger.entries()] == ["ok", "refused", "ok"]


def test_failures_become_results_never_exceptions() -> None:
    fake = FakeLLM(failures=[ServerError("boom", status=500)] * 10)
    gw, _ = make(fake)
    t = gw.submit(req("x"))
    gw.pump()
    result = t.result()
    assert result is not None and isinstance(result.error, ServerError)
    assert result.attempts == 4 and result.outcome == "failed"


def test_submit_call_runs_in_priority_order_with_llm_work() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    order: list[str] = []

    def embed(texts: list[str]) -> list[int]:
        order.append("embed")
        return [len(t) for t in texts]

    def boom() -> None:
        raise RuntimeError("embedder exploded")

    gw.submit(req("llm"))
    c = gw.submit_call(embed, ["ab", "cde"], agent="Klaus", kind="embed", priority=Priority.HIGH)
    bad = gw.submit_call(boom, kind="embed", priority=Priority.LOW)
    gw.pump()
    assert order == ["embed"] and fake.call_count == 1
    result = c.result()
    assert isinstance(result, CallResult)
    assert result.value == [2, 3] and result.ok and result.kind == "embed"
    failed = bad.result()
    assert failed is not None and isinstance(failed.error, RuntimeError)
    assert failed.outcome == "failed"
    assert c.request is None


def test_close_fails_waiting_tickets_and_later_submits() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    waiting = gw.submit(req("waiting"))
    gw.close()
    result = waiting.result()
    assert result is not None and isinstance(result.error, GatewayClosedError)
    late = gw.submit(req("late"))
    late_result = late.result()
    assert late_result is not None and isinstance(late_result.error, GatewayClosedError)
    assert fake.closed is True
    assert fake.call_count == 0


def _run_script(seed: int) -> tuple[list[Any], list[Any]]:
    rng = random.Random(seed)
    fake = FakeLLM(
        lambda r: f"{r.agent}:{r.messages[-1].content}:{len(r.messages)}",
        failures=[None, ServerError("flaky", status=503), None, None, ServerError("x", status=500)],
    )
    ledger = TokenLedger()
    stack = build_stack(
        Settings(), ledger, backend=fake, rng=random.Random(seed), sleep=no_sleep, clock=lambda: 0.0
    )
    gw = InlineGateway(stack, ledger=ledger, clock=lambda: 0.0)
    _OPEN.append(gw)
    tickets = []
    for step in range(6):
        for _ in range(rng.randint(1, 4)):
            tickets.append(
                gw.submit(
                    req(
                        f"q{rng.randint(0, 5)}",
                        agent=rng.choice(["A", "B", "C"]),
                        priority=rng.choice(list(Priority)),
                    )
                )
            )
        if step % 2:
            tickets[rng.randrange(len(tickets))].cancel()
        gw.pump(max_items=2)
    gw.pump()
    results = [
        (t.id, r.text, r.outcome, type(r.error).__name__)
        for t in tickets
        if isinstance(r := t.result(), LLMResult)
    ]
    entries = [(e.agent, e.module, e.outcome, e.total_tokens) for e in ledger.entries()]
    return results, entries


def test_same_seed_same_run() -> None:
    assert _run_script(11) == _run_script(11)
    assert _run_script(11) != _run_script(12)


def test_ticket_wait_and_partial_text_after_done() -> None:
    fake = FakeLLM(default="a streamed line")
    gw, _ = make(fake)
    t = gw.submit(req("talk", stream=True))
    assert t.partial_text() == ""
    assert t.wait(0.01) is False
    gw.pump()
    assert t.wait(0.01) is True
    assert t.partial_text() == "a streamed line"


def test_stats_count_everything() -> None:
    fake = FakeLLM(echo)
    gw, _ = make(fake)
    for i in range(3):
        gw.submit(req(f"q{i}"))
    gw.submit(req("q0"))
    gw.submit(req("q9")).cancel()
    assert gw.stats()["max_queue"] == 5
    gw.pump()
    stats = gw.stats()
    assert stats["submitted"] == 5
    assert stats["completed"] == 5
    assert (stats["ok"], stats["cancelled"], stats["coalesced"]) == (4, 1, 1)
    assert stats["pending"] == 0 and gw.in_flight_count() == 0


@pytest.mark.parametrize("bad", [0, -1])
def test_scheduler_limits_validate(bad: int) -> None:
    from aga_npc.runtime.scheduler import Scheduler

    with pytest.raises(ValueError):
        Scheduler(llm_limit=bad, call_limit=1)
