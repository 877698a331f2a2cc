"""Retry timing as pure functions, and the retry wrapper that applies them.

Transient failures (429, 408, 409, 5xx, timeouts, connection errors) are retried with
exponential backoff (``base`` doubling to ``cap``) and jitter; a server's ``Retry-After``
replaces the backoff (capped at ``max_retry_after``). Everything else fails at once.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace

from aga_npc.errors import TransientLLMError
from aga_npc.llm.context import attempt_kind, close_backend
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult

__all__ = ["RetryPolicy", "RetryingBackend", "parse_retry_after", "retry_delay"]

DEFAULT_BASE = 0.5
DEFAULT_CAP = 8.0
DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_MAX_RETRY_AFTER = 60.0
JITTER = 0.25


def retry_delay(
    attempt: int,
    error: BaseException,
    *,
    rng: random.Random,
    base: float = DEFAULT_BASE,
    cap: float = DEFAULT_CAP,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
) -> float | None:
    """Seconds to wait before the next attempt, or None to give up.

    Args:
        attempt: attempts made so far (1 after the first failure).
        error: the failure of the latest attempt.
        rng: jitter source (seeded for reproducible runs).
        base: backoff of the first retry, doubled for each later one.
        cap: backoff never exceeds this.
        max_attempts: total attempts allowed, the first one included.
        max_retry_after: a server's Retry-After is honoured up to this many seconds.

    Returns:
        None when ``error`` is not transient or ``attempt >= max_attempts``; the server's
        Retry-After (capped) when it sent one; else ``min(cap, base * 2**(attempt-1))``
        scaled by a jitter factor drawn from ``[0.75, 1.0)``.
    """
    if attempt < 1:
        raise ValueError(f"attempt counts from 1, got {attempt}")
    if attempt >= max_attempts or not isinstance(error, TransientLLMError):
        return None
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None and math.isfinite(retry_after):
        return min(max(0.0, float(retry_after)), max_retry_after)
    backoff = min(cap, base * 2.0 ** (attempt - 1))
    return backoff * (1.0 - JITTER * rng.random())


def parse_retry_after(headers: Mapping[str, str], *, now: float) -> float | None:
    """Seconds a server asked to wait, from ``retry-after-ms`` or ``retry-after`` headers.

    ``Retry-After`` may hold seconds or an HTTP date (RFC 9110); ``now`` is the current
    Unix time used to turn a date into seconds. Header names are matched case-insensitively.
    Returns None when no usable header is present; never a negative number.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    ms = lower.get("retry-after-ms")
    if ms is not None:
        try:
            value = float(ms) / 1000.0
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return max(0.0, value)
    raw = lower.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    try:
        value = float(raw)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        return max(0.0, when.timestamp() - now)
    return max(0.0, value) if math.isfinite(value) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class RetryPolicy:
    """Parameters of ``retry_delay`` (see there)."""

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    base: float = DEFAULT_BASE
    cap: float = DEFAULT_CAP
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be >= 1, got {self.max_attempts}")
        if self.base < 0 or self.cap < 0 or self.max_retry_after < 0:
            raise ValueError("RetryPolicy delays must be non-negative")


class RetryingBackend:
    """Retries transient failures of ``inner`` per ``policy``; re-raises the last error.

    Args:
        inner: the backend to call.
        rng: jitter source; pass a seeded ``random.Random`` for reproducible runs.
        policy: attempts and delays.
        sleep: awaited with each delay (inject a fake to test without waiting).
        clock: monotonic seconds, for the result's total latency.
    """

    def __init__(
        self,
        inner: LLMBackend,
        *,
        rng: random.Random,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.policy = policy if policy is not None else RetryPolicy()
        self._rng = rng
        self._sleep = sleep
        self._clock = clock

    async def complete(self, request: LLMRequest) -> LLMResult:
        t0 = self._clock()
        attempt = 1
        while True:
            try:
                if attempt == 1:
                    result = await self.inner.complete(request)
                else:
                    with attempt_kind("retry"):
                        result = await self.inner.complete(request)
            except TransientLLMError as exc:
                delay = retry_delay(
                    attempt,
                    exc,
                    rng=self._rng,
                    base=self.policy.base,
                    cap=self.policy.cap,
                    max_attempts=self.policy.max_attempts,
                    max_retry_after=self.policy.max_retry_after,
                )
                if delay is None:
                    raise
                await self._sleep(delay)
                attempt += 1
                continue
            if attempt == 1:
                return result
            return replace(
                result,
                attempts=result.attempts + attempt - 1,
                latency=self._clock() - t0,
                outcome="retried" if result.outcome == "ok" else result.outcome,
            )

    async def aclose(self) -> None:
        await close_backend(self.inner)
