"""The standard wrapper stack: what lands in the ledger for each kind of request."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from aga_npc.config import Settings
from aga_npc.errors import (
    BudgetExceededError,
    MalformedOutputError,
    PermanentLLMError,
    RateLimitError,
    ServerError,
)
from aga_npc.llm import (
    MeteringBackend,
    RetryPolicy,
    TokenBudget,
    TokenLedger,
    build_stack,
)
from aga_npc.ports import LLMBackend
from aga_npc.testing import FakeLLM
from aga_npc.types import ChatMessage, LLMRequest, LLMResult


async def no_sleep(_delay: float) -> None:
    return None


def req(module: str = "plan_day", **kw: Any) -> LLMRequest:
    return LLMRequest(
        agent="Klaus",
        module=module,
        messages=(ChatMessage(role="user", content=f"{module} please"),),
        **kw,
    )


def stack_for(fake: FakeLLM, ledger: TokenLedger, **kw: Any) -> LLMBackend:
    return build_stack(Settings(), ledger, backend=fake, rng=random.Random(0), sleep=no_sleep, **kw)


def run(backend: LLMBackend, request: LLMRequest) -> LLMResult:
    return asyncio.run(backend.complete(request))


def rows(ledger: TokenLedger) -> list[tuple[str, str, str]]:
    return [(e.outcome, e.attempt_kind, e.error_kind) for e in ledger.entries()]


def test_success_is_one_ok_entry_with_the_call_tokens() -> None:
    ledger = TokenLedger()
    fake = FakeLLM(default="Bake bread at six.")
    result = run(stack_for(fake, ledger), req())
    [entry] = ledger.entries()
    assert (entry.outcome, entry.agent, entry.module) == ("ok", "Klaus", "plan_day")
    assert (entry.prompt_tokens, entry.completion_tokens) == (
        result.usage.prompt_tokens,
        result.usage.completion_tokens,
    )
    assert (entry.backend, entry.model) == ("fake", "fake-model")


def test_each_retry_is_an_entry_with_its_error_kind() -> None:
    ledger = TokenLedger()
    fake = FakeLLM(failures=[RateLimitError("429"), ServerError("502", status=502)])
    result = run(stack_for(fake, ledger), req())
    assert result.ok and result.attempts == 3
    assert rows(ledger) == [
        ("retried", "first", "rate_limit"),
        ("retried", "retry", "server_error"),
        ("ok", "retry", ""),
    ]


def test_json_reask_is_an_entry_and_tokens_of_both_replies_count() -> None:
    ledger = TokenLedger()
    fake = FakeLLM({"decompose": ["not json", '{"steps": ["cook"]}']})
    result = run(stack_for(fake, ledger), req("decompose", json=True))
    assert result.parsed == {"steps": ["cook"]}
    assert rows(ledger) == [("retried", "first", "malformed"), ("ok", "reask", "")]
    assert ledger.totals()["total"] == result.usage.total_tokens
    assert all(e.total_tokens > 0 for e in ledger.entries())


def test_retry_inside_a_reask_is_labelled_retry() -> None:
    ledger = TokenLedger()
    fake = FakeLLM({"decompose": ["not json", '{"ok": 1}']})
    fake.fail_next(None, ServerError("503", status=503))  # 1st call answers, 2nd fails
    run(stack_for(fake, ledger), req("decompose", json=True))
    assert rows(ledger) == [
        ("retried", "first", "malformed"),
        ("retried", "reask", "server_error"),
        ("ok", "retry", ""),
    ]


def test_permanent_failure_is_one_failed_entry() -> None:
    ledger = TokenLedger()
    fake = FakeLLM(failures=[PermanentLLMError("401", status=401)])
    with pytest.raises(PermanentLLMError):
        run(stack_for(fake, ledger), req())
    assert rows(ledger) == [("failed", "first", "permanent")]


def test_malformed_after_reask_is_failed_malformed() -> None:
    ledger = TokenLedger()
    fake = FakeLLM(default="never json")
    with pytest.raises(MalformedOutputError):
        run(stack_for(fake, ledger), req(json=True))
    assert rows(ledger) == [("retried", "first", "malformed"), ("failed", "reask", "malformed")]


class GameClock:
    def __init__(self) -> None:
        self.minutes = 0.0

    def __call__(self) -> float:
        return self.minutes


def test_budget_refuses_fallback_requests_at_once_and_records_refusal() -> None:
    ledger = TokenLedger()
    fake = FakeLLM(default="word " * 20)
    game = GameClock()
    budget = TokenBudget(per_game_hour=30, game_clock=game, clock=lambda: 0.0)
    stack = stack_for(fake, ledger, budget=budget)
    run(stack, req())  # spends > 30 tokens
    with pytest.raises(BudgetExceededError, match="game hour"):
        run(stack, req())
    assert fake.call_count == 1  # the refusal made no call
    # The player's dialogue cannot fall back: it still goes through.
    player = run(stack, req("player_reply", allow_fallback=False))
    assert player.ok
    assert fake.call_count == 2
    assert [e.outcome for e in ledger.entries()] == ["ok", "refused", "ok"]
    refused = ledger.entries()[1]
    assert (refused.error_kind, refused.total_tokens) == ("budget", 0)
    # An hour of game time later the window has slid past the spending.
    game.minutes = 61.0
    assert run(stack, req()).ok


def test_metering_without_probe_records_one_entry_per_request() -> None:
    ledger = TokenLedger()
    fake = FakeLLM(default="hello")
    result = asyncio.run(MeteringBackend(fake, ledger).complete(req()))
    [entry] = ledger.entries()
    assert entry.total_tokens == result.usage.total_tokens
    fake.fail_next(ServerError("500", status=500))
    with pytest.raises(ServerError):
        asyncio.run(MeteringBackend(fake, ledger).complete(req()))
    assert [e.outcome for e in ledger.entries()] == ["ok", "failed"]


def test_retry_policy_is_applied() -> None:
    ledger = TokenLedger()
    fake = FakeLLM(failures=[ServerError("500", status=500)] * 5)
    with pytest.raises(ServerError):
        run(stack_for(fake, ledger, retry=RetryPolicy(max_attempts=2)), req())
    assert fake.call_count == 2
