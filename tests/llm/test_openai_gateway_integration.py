"""The real openai SDK against a real fakellm server on loopback, driven through the gateway."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llm_servers import FakeLLMServer, Reply, ScriptedServer, free_port

from aga_npc.config import Settings
from aga_npc.errors import LLMTimeoutError, MalformedOutputError, ServerError
from aga_npc.llm import RetryPolicy, TokenLedger, build_stack, count_tokens
from aga_npc.ports import LLMBackend
from aga_npc.runtime import Gateway, Ticket
from aga_npc.types import ChatMessage, LLMRequest, LLMResult

pytestmark = pytest.mark.integration

FAST_RETRY = RetryPolicy(max_attempts=3, base=0.01, cap=0.05)


def req(text: str, *, module: str = "dialogue", agent: str = "Isabella", **kw: Any) -> LLMRequest:
    # A unique tag keeps fakellm's per-conversation turn counters apart between tests.
    content = f"{text} (run {uuid.uuid4().hex[:8]})"
    return LLMRequest(
        agent=agent,
        module=module,
        messages=(
            ChatMessage(role="system", content="You are Isabella, who runs the cafe."),
            ChatMessage(role="user", content=content),
        ),
        **kw,
    )


def settings_for(base_url: str, *, timeout: float = 10.0) -> Settings:
    return Settings(llm="openai", base_url=base_url, api_key="sk-test", request_timeout=timeout)


def wait_done(ticket: Ticket[LLMResult], timeout: float = 20.0) -> LLMResult:
    assert ticket.wait(timeout), f"ticket {ticket.id} did not finish in {timeout}s"
    result = ticket.result()
    assert result is not None
    return result


@pytest.fixture
def ledger() -> TokenLedger:
    return TokenLedger()


@pytest.fixture
def gateway(fakellm: FakeLLMServer, ledger: TokenLedger) -> Iterator[Gateway]:
    stack = build_stack(
        settings_for(fakellm.base_url), ledger, rng=random.Random(7), retry=FAST_RETRY
    )
    gw = Gateway(stack, ledger=ledger, max_concurrency=8)
    try:
        yield gw
    finally:
        gw.close()


def test_plain_chat_returns_server_text_and_usage(gateway: Gateway, ledger: TokenLedger) -> None:
    result = wait_done(gateway.submit(req("[hello] how are you?")))
    assert result.ok, result.error
    assert result.text == "Hello from fakellm."
    assert result.backend == "openai"
    assert result.attempts == 1
    # fakellm counts completion tokens with cl100k (served from our shipped file).
    assert result.usage.completion_tokens == count_tokens("Hello from fakellm.")
    assert result.usage.prompt_tokens > 0
    [entry] = ledger.entries()
    assert (entry.outcome, entry.module, entry.agent) == ("ok", "dialogue", "Isabella")
    assert entry.completion_tokens == result.usage.completion_tokens


def test_json_output_is_parsed_from_fenced_reply(gateway: Gateway) -> None:
    result = wait_done(gateway.submit(req("[json-plan] plan my day", module="plan_day", json=True)))
    assert result.ok, result.error
    assert result.parsed == {"activities": ["wake up", "eat breakfast"]}


def test_streaming_fills_partial_text_then_full_result(gateway: Gateway) -> None:
    expected = "Good morning! The bakery opens at seven and the bread is still warm."
    ticket = gateway.submit(req("[dialogue] say hello", stream=True))
    seen: list[str] = []
    deadline = time.monotonic() + 10
    while not ticket.done() and time.monotonic() < deadline:
        text = ticket.partial_text()
        if text and (not seen or text != seen[-1]):
            seen.append(text)
        time.sleep(0.002)
    result = wait_done(ticket)
    assert result.ok, result.error
    assert result.text == expected
    # fakellm streams word by word (10 ms apart): we saw growing prefixes of the line.
    assert len(seen) >= 3
    assert all(expected.startswith(s) for s in seen)
    assert [len(s) for s in seen] == sorted(len(s) for s in seen)
    # fakellm sends no usage while streaming: the completion is counted with tiktoken.
    assert result.usage.completion_tokens == count_tokens(expected)


def test_rate_limit_then_success_is_retried(
    gateway: Gateway, ledger: TokenLedger, fakellm: FakeLLMServer
) -> None:
    before = fakellm.rule_count("rate-limit-once")
    result = wait_done(gateway.submit(req("[rate-limit-once] hi")))
    assert result.ok, result.error
    assert result.text == "Recovered after one rate limit."
    assert result.attempts == 2
    assert result.outcome == "retried"
    assert fakellm.rule_count("rate-limit-once") == before + 1
    outcomes = [(e.outcome, e.attempt_kind, e.error_kind) for e in ledger.entries()]
    assert outcomes == [("retried", "first", "rate_limit"), ("ok", "retry", "")]


def test_server_error_exhausts_retries_into_typed_error(
    gateway: Gateway, ledger: TokenLedger, fakellm: FakeLLMServer
) -> None:
    before = fakellm.rule_count("always-500")
    result = wait_done(gateway.submit(req("[always-500] hi")))
    assert not result.ok
    assert isinstance(result.error, ServerError)
    assert result.error.status == 500
    assert result.outcome == "failed"
    assert result.attempts == FAST_RETRY.max_attempts
    assert fakellm.rule_count("always-500") == before + FAST_RETRY.max_attempts
    assert [e.outcome for e in ledger.entries()] == ["retried", "retried", "failed"]
    assert {e.error_kind for e in ledger.entries()} == {"server_error"}


def test_timeout_is_a_typed_error_after_retries(scripted: ScriptedServer) -> None:
    # fakellm cannot delay an answer; the scripted loopback server sleeps past the timeout.
    scripted.push(Reply(body={}, delay=1.5))
    ledger = TokenLedger()
    stack = build_stack(
        settings_for(scripted.base_url, timeout=0.2),
        ledger,
        rng=random.Random(1),
        retry=RetryPolicy(max_attempts=2, base=0.01, cap=0.01),
    )
    with Gateway(stack, ledger=ledger) as gw:
        t0 = time.monotonic()
        result = wait_done(gw.submit(req("slow please")))
        elapsed = time.monotonic() - t0
    assert isinstance(result.error, LLMTimeoutError)
    assert result.attempts == 2
    assert len(scripted.bodies) == 2
    assert elapsed < 1.4  # gave up on the timeout, did not wait for the slow answer
    assert [e.error_kind for e in ledger.entries()] == ["timeout", "timeout"]


def test_garbage_instead_of_json_is_reasked_once_then_typed_error(
    gateway: Gateway, ledger: TokenLedger, fakellm: FakeLLMServer
) -> None:
    before = fakellm.rule_count("garbage-always")
    result = wait_done(gateway.submit(req("[garbage-always] plan", module="plan_day", json=True)))
    assert isinstance(result.error, MalformedOutputError)
    assert "Not JSON" in result.error.text
    assert fakellm.rule_count("garbage-always") == before + 2  # first try + one re-ask
    assert [(e.outcome, e.attempt_kind, e.error_kind) for e in ledger.entries()] == [
        ("retried", "first", "malformed"),
        ("failed", "reask", "malformed"),
    ]
    # Both replies cost tokens and both are in the ledger.
    assert all(e.completion_tokens > 0 for e in ledger.entries())


def test_garbage_once_is_repaired_by_the_reask(gateway: Gateway, ledger: TokenLedger) -> None:
    result = wait_done(gateway.submit(req("[garbage-once] plan", module="plan_day", json=True)))
    assert result.ok, result.error
    assert result.parsed == {"activities": ["open the shop", "bake bread"]}
    assert result.attempts == 2
    assert result.usage.total_tokens == sum(e.total_tokens for e in ledger.entries())


class InFlightCounter:
    """A pass-through backend that counts how many calls are inside it at once."""

    def __init__(self, inner: LLMBackend) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.now = 0
        self.peak = 0
        self.calls = 0

    async def complete(self, request: LLMRequest) -> LLMResult:
        self.now += 1
        self.calls += 1
        self.peak = max(self.peak, self.now)
        try:
            return await self.inner.complete(request)
        finally:
            self.now -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()  # type: ignore[attr-defined]


def test_fifty_concurrent_requests_respect_the_limit(fakellm: FakeLLMServer) -> None:
    from aga_npc.llm import build_backend

    counter = InFlightCounter(build_backend(settings_for(fakellm.base_url)))
    ledger = TokenLedger()
    stack = build_stack(settings_for(fakellm.base_url), ledger, backend=counter, retry=FAST_RETRY)
    with Gateway(stack, ledger=ledger, max_concurrency=8) as gw:
        # Streaming answers take ~10 ms per word at fakellm, so calls overlap for real.
        tickets = [gw.submit(req(f"[dialogue] line {i}", stream=True)) for i in range(50)]
        results = [wait_done(t, 60) for t in tickets]
        stats = gw.stats()
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    assert counter.calls == 50
    assert counter.peak == 8  # the limit was reached and never exceeded
    assert stats["max_llm_calls_in_flight"] == 8
    assert ledger.totals()["calls"] == 50


def test_record_real_transcript_then_replay_without_any_server(
    fakellm: FakeLLMServer, tmp_path: Path
) -> None:
    path = tmp_path / "transcript.msgpack"
    requests = [
        req("[hello] morning"),
        req("[json-plan] plan", module="plan_day", json=True),
        req("[garbage-once] plan", module="plan_day", json=True),
        req("[dialogue] chat", stream=True),
    ]
    live_ledger = TokenLedger()
    stack = build_stack(
        settings_for(fakellm.base_url), live_ledger, retry=FAST_RETRY, record_path=path
    )
    with Gateway(stack, ledger=live_ledger) as gw:
        live = [wait_done(gw.submit(r)) for r in requests]
    assert all(r.ok for r in live), [r.error for r in live]
    assert b"sk-test" not in path.read_bytes()  # the API key never reaches the file

    # Replay: the settings point at a port nobody listens on; nothing is contacted.
    dead = settings_for(f"http://127.0.0.1:{free_port()}/v1")
    replay_ledger = TokenLedger()
    with Gateway(build_stack(dead, replay_ledger, replay_path=path), ledger=replay_ledger) as gw:
        replayed = [wait_done(gw.submit(r)) for r in requests]
    for a, b in zip(live, replayed, strict=True):
        assert b.ok, b.error
        assert (a.text, a.parsed, a.usage) == (b.text, b.parsed, b.usage)
    assert replay_ledger.totals()["total"] == live_ledger.totals()["total"]
    assert {e.backend for e in replay_ledger.entries()} == {"replay"}
