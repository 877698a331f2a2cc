"""Token budget per game hour and per real minute; over budget, fallback requests are refused.

``TokenBudget`` keeps a sliding window of spending on two injected clocks (game minutes and
monotonic real seconds). ``BudgetBackend`` refuses ``allow_fallback`` requests at once with
``BudgetExceededError`` while either window is spent, so the NPC keeps its cached routine;
requests that cannot fall back (the player's dialogue) always go through and are charged.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from aga_npc.errors import BudgetExceededError, ConfigError
from aga_npc.llm.context import close_backend, current_trace
from aga_npc.llm.context import trace_call as _trace_call
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult

__all__ = ["BudgetBackend", "TokenBudget"]

GAME_WINDOW_MINUTES = 60.0
REAL_WINDOW_SECONDS = 60.0


class TokenBudget:
    """Sliding-window token limits.

    Args:
        per_game_hour: tokens allowed in any 60 game minutes (None: no limit).
        per_real_minute: tokens allowed in any 60 real seconds (None: no limit).
        game_clock: current game time in minutes (required with ``per_game_hour``).
        clock: monotonic real seconds.
    """

    def __init__(
        self,
        *,
        per_game_hour: int | None = None,
        per_real_minute: int | None = None,
        game_clock: Callable[[], float] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        for label, value in (
            ("per_game_hour", per_game_hour),
            ("per_real_minute", per_real_minute),
        ):
            if value is not None and value < 0:
                raise ConfigError(f"token budget {label} must be >= 0, got {value}")
        if per_game_hour is not None and game_clock is None:
            raise ConfigError("token budget per_game_hour needs a game_clock (game minutes)")
        self.per_game_hour = per_game_hour
        self.per_real_minute = per_real_minute
        self._game_clock = game_clock
        self._clock = clock
        self._lock = threading.Lock()
        # (game minute, real second, tokens), oldest first
        self._spent: deque[tuple[float, float, int]] = deque()

    def _now(self) -> tuple[float, float]:
        game = self._game_clock() if self._game_clock is not None else 0.0
        return game, self._clock()

    def _window_sums(self, game: float, real: float) -> tuple[int, int]:
        # Drop entries outside both windows; sum the rest per window.
        while self._spent and (
            self._spent[0][0] <= game - GAME_WINDOW_MINUTES
            and self._spent[0][1] <= real - REAL_WINDOW_SECONDS
        ):
            self._spent.popleft()
        in_game = sum(t for g, _r, t in self._spent if g > game - GAME_WINDOW_MINUTES)
        in_real = sum(t for _g, r, t in self._spent if r > real - REAL_WINDOW_SECONDS)
        return in_game, in_real

    def spent(self) -> dict[str, int]:
        """Tokens in the current windows: ``{"game_hour": n, "real_minute": m}``."""
        with self._lock:
            g, r = self._window_sums(*self._now())
        return {"game_hour": g, "real_minute": r}

    def over(self) -> str | None:
        """Which limit is spent (``"game hour"`` / ``"real minute"``), or None when within."""
        with self._lock:
            g, r = self._window_sums(*self._now())
        if self.per_game_hour is not None and g >= self.per_game_hour:
            return f"game hour ({g} of {self.per_game_hour} tokens)"
        if self.per_real_minute is not None and r >= self.per_real_minute:
            return f"real minute ({r} of {self.per_real_minute} tokens)"
        return None

    def charge(self, tokens: int) -> None:
        """Count ``tokens`` as spent now."""
        if tokens <= 0:
            return
        game, real = self._now()
        with self._lock:
            self._spent.append((game, real, int(tokens)))

    def get_state(self) -> dict[str, Any]:
        """Spending inside the windows, as plain data (clock values as recorded)."""
        with self._lock:
            return {"spent": [list(x) for x in self._spent]}

    def set_state(self, state: Mapping[str, Any]) -> None:
        """Restore ``get_state`` output."""
        with self._lock:
            self._spent = deque((float(g), float(r), int(t)) for g, r, t in state.get("spent", ()))


class BudgetBackend:
    """Refuses fallback-capable requests while ``budget`` is spent; charges every request.

    Raises:
        BudgetExceededError: at once, with no backend call, when over budget and
            ``request.allow_fallback``.
    """

    def __init__(self, inner: LLMBackend, budget: TokenBudget) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.budget = budget

    async def complete(self, request: LLMRequest) -> LLMResult:
        if request.allow_fallback:
            why = self.budget.over()
            if why is not None:
                raise BudgetExceededError(
                    f"{request.module_name} for {request.agent} refused: token budget per {why}"
                )
        outer = current_trace()
        with _trace_call(outer) as trace:
            start = len(trace.attempts)
            try:
                result = await self.inner.complete(request)
            except BaseException:
                attempts = trace.attempts[start:]
                self.budget.charge(sum(a.usage.total_tokens for a in attempts))
                raise
        attempts = trace.attempts[start:]
        spent = (
            sum(a.usage.total_tokens for a in attempts) if attempts else result.usage.total_tokens
        )
        self.budget.charge(spent)
        return result

    async def aclose(self) -> None:
        await close_backend(self.inner)
