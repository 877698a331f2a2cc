"""The inline gateway keeps several requests in flight and still delivers deterministically:
answers complete in the order their requests were sent, at the pump fixed when sent, however
long each one took on the backend."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from aga_npc.runtime.inline import InlineGateway
from aga_npc.types import ChatMessage, LLMRequest, LLMResult, Module


class SlowBackend:
    """Answers with the request's text after a latency drawn per request (seeded)."""

    name = "slow"
    model = "slow"

    def __init__(self, seed: int = 0, low: float = 0.0, high: float = 0.03) -> None:
        self.rng = random.Random(seed)
        self.low, self.high = low, high
        self.in_flight = 0
        self.max_in_flight = 0
        self.started: list[str] = []

    async def complete(self, request: LLMRequest) -> LLMResult:
        text = request.messages[-1].content
        self.started.append(text)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.rng.uniform(self.low, self.high))
        finally:
            self.in_flight -= 1
        return LLMResult(text=text, backend=self.name, model=self.model)


def ask(gateway: InlineGateway, agent: str, text: str) -> Any:
    return gateway.submit(
        LLMRequest(
            agent=agent,
            module=Module.POIGNANCY,
            messages=(ChatMessage(role="user", content=text),),
            json=False,
            dedup_key=f"{agent}:{text}",
        )
    )


def test_requests_of_one_pump_overlap_and_finish_in_the_order_sent() -> None:
    backend = SlowBackend(seed=3)
    gateway = InlineGateway(backend, max_in_flight=8)
    tickets = [ask(gateway, f"npc{i % 3}", f"q{i}") for i in range(12)]
    gateway.pump()
    finished = gateway.drain()
    assert [t.result().text for t in finished] == [f"q{i}" for i in range(12)]
    assert all(t.done() for t in tickets)
    assert backend.max_in_flight == 8
    assert gateway.stats()["max_llm_calls_in_flight"] == 8
    gateway.close()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_delivery_order_does_not_depend_on_latency(seed: int) -> None:
    orders = []
    for backend_seed in (seed, seed + 100):
        gateway = InlineGateway(SlowBackend(seed=backend_seed), max_in_flight=4)
        for i in range(10):
            ask(gateway, "npc", f"q{i}")
        gateway.pump()
        orders.append([t.result().text for t in gateway.drain()])
        gateway.close()
    assert orders[0] == orders[1] == [f"q{i}" for i in range(10)]


def test_one_in_flight_serves_one_at_a_time() -> None:
    backend = SlowBackend()
    gateway = InlineGateway(backend, max_in_flight=1)
    for i in range(5):
        ask(gateway, "npc", f"q{i}")
    gateway.pump()
    assert backend.max_in_flight == 1 and len(gateway.drain()) == 5
    gateway.close()


def test_a_delayed_answer_arrives_exactly_at_its_pump() -> None:
    """Asked before pump 0 with delay 3: not done after pumps 0-2 (even when the backend
    answered at once), done after pump 3; a request of pump 1 is due at pump 4."""
    gateway = InlineGateway(SlowBackend(high=0.0), max_in_flight=4, delay=3)
    first = ask(gateway, "a", "first")
    gateway.pump()
    second = ask(gateway, "b", "second")
    for _ in range(2):
        gateway.pump()
        assert not first.done()
    gateway.pump()
    assert first.done() and not second.done()
    gateway.pump()
    assert second.done()
    assert gateway.stats()["delivery_waits"] == 0  # sent early, in by the time it was due
    gateway.close()


def test_a_slow_answer_is_waited_for_at_its_pump() -> None:
    gateway = InlineGateway(SlowBackend(low=0.05, high=0.05), max_in_flight=2, delay=1)
    ticket = ask(gateway, "a", "slow")
    gateway.pump()
    assert not ticket.done()
    gateway.pump()  # due now: waits for it
    assert ticket.done() and ticket.result().text == "slow"
    assert gateway.stats()["delivery_waits"] == 1
    gateway.close()


def test_closing_with_requests_in_flight_completes_them_as_closed() -> None:
    gateway = InlineGateway(SlowBackend(low=1.0, high=1.0), max_in_flight=2, delay=5)
    ticket = ask(gateway, "a", "never")
    gateway.pump()
    gateway.close()
    result = ticket.result()
    assert ticket.done() and result is not None and not result.ok


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        InlineGateway(SlowBackend(), max_in_flight=0)
    with pytest.raises(ValueError):
        InlineGateway(SlowBackend(), delay=-1)
