"""Retry timing (pure, table-tested) and the retry wrapper."""

from __future__ import annotations

import asyncio
import email.utils
import random

import pytest

from aga_npc.errors import (
    EmptyResponseError,
    LLMConnectionError,
    LLMTimeoutError,
    MalformedOutputError,
    PermanentLLMError,
    RateLimitError,
    ServerError,
)
from aga_npc.llm import RetryingBackend, RetryPolicy, parse_retry_after, retry_delay
from aga_npc.testing import FakeLLM
from aga_npc.types import ChatMessage, LLMRequest


class FixedRandom(random.Random):
    """random() always returns ``value``: 0.0 means no jitter, ~1.0 the largest jitter."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


RL = RateLimitError("429")
RL_AFTER = RateLimitError("429", retry_after=3.0)
RL_HUGE = RateLimitError("429", retry_after=3600.0)
S500 = ServerError("500", status=500)
S503_AFTER = ServerError("503", status=503, retry_after=1.5)
TIMEOUT = LLMTimeoutError("t")
CONN = LLMConnectionError("c")


@pytest.mark.parametrize(
    ("attempt", "error", "jitter", "expected"),
    [
        # exponential backoff from 0.5 s, doubling, no jitter
        (1, S500, 0.0, 0.5),
        (2, S500, 0.0, 1.0),
        (3, TIMEOUT, 0.0, 2.0),
        (1, CONN, 0.0, 0.5),
        (1, RL, 0.0, 0.5),
        # largest jitter takes 25% off
        (1, S500, 1.0, 0.375),
        (3, S500, 0.5, 2.0 * 0.875),
        # Retry-After replaces the backoff and ignores jitter; capped at 60 s
        (1, RL_AFTER, 1.0, 3.0),
        (2, S503_AFTER, 0.0, 1.5),
        (1, RL_HUGE, 0.0, 60.0),
        # out of attempts (default 4 in all)
        (4, S500, 0.0, None),
        (5, RL_AFTER, 0.0, None),
        # never retried
        (1, PermanentLLMError("400", status=400), 0.0, None),
        (1, EmptyResponseError("empty"), 0.0, None),
        (1, MalformedOutputError("bad"), 0.0, None),
        (1, ValueError("bug"), 0.0, None),
    ],
)
def test_retry_delay_table(
    attempt: int, error: BaseException, jitter: float, expected: float | None
) -> None:
    delay = retry_delay(attempt, error, rng=FixedRandom(jitter))
    if expected is None:
        assert delay is None
    else:
        assert delay == pytest.approx(expected)


def test_backoff_is_capped() -> None:
    delays = [
        retry_delay(a, S500, rng=FixedRandom(0.0), max_attempts=20, cap=8.0) for a in range(1, 10)
    ]
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0, 8.0]


def test_jitter_stays_in_range_with_a_real_rng() -> None:
    rng = random.Random(42)
    for attempt in (1, 2, 3):
        full = 0.5 * 2 ** (attempt - 1)
        for _ in range(200):
            d = retry_delay(attempt, S500, rng=rng)
            assert d is not None
            assert 0.75 * full <= d <= full


def test_attempt_counts_from_one() -> None:
    with pytest.raises(ValueError):
        retry_delay(0, S500, rng=FixedRandom(0.0))


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "5"}, 5.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"Retry-After": "-3"}, 0.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after-ms": "junk", "retry-after": "9"}, 9.0),
        ({"Retry-After": email.utils.formatdate(NOW + 42, usegmt=True)}, 42.0),
        ({"Retry-After": email.utils.formatdate(NOW - 42, usegmt=True)}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after_table(headers: dict[str, str], expected: float | None) -> None:
    got = parse_retry_after(headers, now=NOW)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def req() -> LLMRequest:
    return LLMRequest(
        agent="a", module="plan_day", messages=(ChatMessage(role="user", content="x"),)
    )


class SleepLog:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def test_wrapper_retries_transient_errors_then_succeeds() -> None:
    fake = FakeLLM(default="done", failures=[RL_AFTER, S500])
    sleep = SleepLog()
    backend = RetryingBackend(fake, rng=FixedRandom(0.0), sleep=sleep)
    result = asyncio.run(backend.complete(req()))
    assert result.text == "done"
    assert result.attempts == 3
    assert result.outcome == "retried"
    assert fake.call_count == 3
    assert sleep.delays == [3.0, 1.0]  # Retry-After, then the 2nd backoff step


def test_wrapper_gives_up_after_max_attempts_with_the_last_error() -> None:
    errors = [ServerError(f"500 #{i}", status=500) for i in range(5)]
    fake = FakeLLM(failures=errors)
    sleep = SleepLog()
    backend = RetryingBackend(
        fake, rng=FixedRandom(0.0), policy=RetryPolicy(max_attempts=3), sleep=sleep
    )
    with pytest.raises(ServerError, match="500 #2"):
        asyncio.run(backend.complete(req()))
    assert fake.call_count == 3
    assert sleep.delays == [0.5, 1.0]


def test_wrapper_does_not_retry_permanent_errors() -> None:
    fake = FakeLLM(failures=[PermanentLLMError("401", status=401)])
    sleep = SleepLog()
    backend = RetryingBackend(fake, rng=FixedRandom(0.0), sleep=sleep)
    with pytest.raises(PermanentLLMError):
        asyncio.run(backend.complete(req()))
    assert fake.call_count == 1
    assert sleep.delays == []


def test_policy_validates() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(base=-1.0)
