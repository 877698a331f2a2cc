"""The metering wrapper: turns each request's attempts into token-ledger entries.

It sits outermost in the stack so it sees the final outcome of every request, including
budget refusals, while ``AttemptProbe`` (innermost) lists every backend call in the
request's ``CallTrace``: retried attempts, JSON re-asks and replays each get their own
entry with their own tokens, latency and error kind.

It also keeps, beside the ledger (``parse_tally(ledger)``), how every JSON request's answer
parsed, per game day and request kind: at the first try, after the JSON wrapper's re-ask,
or not at all (the caller fell back).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any

from aga_npc.errors import BudgetExceededError
from aga_npc.llm.context import Attempt, CallTrace, close_backend, current_trace, error_kind
from aga_npc.llm.context import trace_call as _trace_call
from aga_npc.llm.ledger import LedgerEntry, TokenLedger
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["PARSE_OUTCOMES", "MeteringBackend", "ParseTally", "entries_for", "parse_tally"]

PARSE_OUTCOMES = ("first", "repaired", "failed")


class ParseTally:
    """How JSON answers parsed, per (game day, request kind): counts of ``PARSE_OUTCOMES``.

    Thread-safe; O(kinds) memory however long the game runs.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[tuple[int, str], list[int]] = {}

    def add(self, day: int, module: str, outcome: str) -> None:
        """Count one JSON request's parse ``outcome`` (one of ``PARSE_OUTCOMES``)."""
        index = PARSE_OUTCOMES.index(outcome)
        with self._lock:
            row = self._rows.setdefault((day, module), [0, 0, 0])
            row[index] += 1

    def by_module(self, *, last_day: int | None = None) -> dict[str, dict[str, Any]]:
        """``{kind: {"requests", "first_try", "after_repair", "failed", "first_try_rate",
        "after_repair_rate"}}`` over days up to ``last_day`` (None: all), kinds sorted.

        ``after_repair`` counts every request that got a usable answer (first try or
        re-ask); rates are shares of ``requests``."""
        sums: dict[str, list[int]] = {}
        with self._lock:
            for (day, module), row in self._rows.items():
                if last_day is not None and day > last_day:
                    continue
                acc = sums.setdefault(module, [0, 0, 0])
                for i, v in enumerate(row):
                    acc[i] += v
        out: dict[str, dict[str, Any]] = {}
        for module in sorted(sums):
            first, repaired, failed = sums[module]
            n = first + repaired + failed
            out[module] = {
                "requests": n,
                "first_try": first,
                "after_repair": first + repaired,
                "failed": failed,
                "first_try_rate": round(first / n, 4) if n else 0.0,
                "after_repair_rate": round((first + repaired) / n, 4) if n else 0.0,
            }
        return out

    def overall(self, *, last_day: int | None = None) -> dict[str, Any]:
        """The same figures summed over every kind."""
        rows = self.by_module(last_day=last_day).values()
        n = sum(r["requests"] for r in rows)
        first = sum(r["first_try"] for r in rows)
        after = sum(r["after_repair"] for r in rows)
        return {
            "requests": n,
            "first_try": first,
            "after_repair": after,
            "failed": n - after,
            "first_try_rate": round(first / n, 4) if n else 0.0,
            "after_repair_rate": round(after / n, 4) if n else 0.0,
        }


_tallies: weakref.WeakKeyDictionary[TokenLedger, ParseTally] = weakref.WeakKeyDictionary()
_tallies_lock = threading.Lock()


def parse_tally(ledger: TokenLedger) -> ParseTally:
    """The parse tally kept beside ``ledger`` (created empty on first use)."""
    with _tallies_lock:
        tally = _tallies.get(ledger)
        if tally is None:
            tally = _tallies[ledger] = ParseTally()
        return tally


def entries_for(
    request: LLMRequest,
    attempts: list[Attempt],
    *,
    ok: bool,
    final_error_kind: str = "",
    cancelled: bool = False,
) -> list[LedgerEntry]:
    """Ledger entries for one request's attempts (pure).

    Every attempt but the last is ``retried``; the last is ``ok`` (or ``replayed``) when the
    request succeeded, ``cancelled`` when it was cancelled, else ``failed`` with the final
    error kind.
    """
    out: list[LedgerEntry] = []
    last = len(attempts) - 1
    for i, a in enumerate(attempts):
        if i < last:
            outcome, kind = "retried", a.error_kind or "unusable"
        elif cancelled:
            outcome, kind = "cancelled", "cancelled"
        elif ok:
            outcome, kind = ("replayed" if a.replayed else "ok"), ""
        else:
            outcome, kind = "failed", a.error_kind or final_error_kind
        out.append(
            LedgerEntry(
                agent=request.agent,
                module=request.module_name,
                day=request.day,
                prompt_tokens=a.usage.prompt_tokens,
                completion_tokens=a.usage.completion_tokens,
                cached_tokens=a.usage.cached_tokens,
                latency=a.latency,
                outcome=outcome,
                backend=a.backend,
                model=a.model,
                attempt_kind=a.kind,
                error_kind=kind,
            )
        )
    return out


class MeteringBackend:
    """Records every request served through ``inner`` into ``ledger``.

    Works with or without an ``AttemptProbe`` below it: without one, each request becomes a
    single entry built from its result (tokens summed over attempts).

    Args:
        inner: the rest of the stack.
        ledger: where entries go.
    """

    def __init__(self, inner: LLMBackend, ledger: TokenLedger) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.ledger = ledger
        self.parses = parse_tally(ledger)

    def _count_parse(self, request: LLMRequest, trace: CallTrace, *, failed: bool) -> None:
        if not request.json:
            return
        outcome = "failed" if failed else trace.parse
        if outcome in PARSE_OUTCOMES:
            self.parses.add(request.day, request.module_name, outcome)

    async def complete(self, request: LLMRequest) -> LLMResult:
        outer = current_trace()
        with _trace_call(outer if outer is not None else CallTrace()) as trace:
            start = len(trace.attempts)
            trace.parse = ""
            try:
                result = await self.inner.complete(request)
            except BudgetExceededError:
                self.ledger.record(
                    LedgerEntry(
                        agent=request.agent,
                        module=request.module_name,
                        day=request.day,
                        outcome="refused",
                        backend=self.name,
                        model=self.model,
                        error_kind=BudgetExceededError.kind,
                    )
                )
                raise
            except asyncio.CancelledError:
                self._record(request, trace.attempts[start:], None, cancelled=True)
                raise
            except Exception as exc:
                self._record(request, trace.attempts[start:], None, error=error_kind(exc))
                self._count_parse(request, trace, failed=True)
                raise
            self._record(request, trace.attempts[start:], result)
            if result.outcome != "replayed" or trace.parse:
                self._count_parse(request, trace, failed=False)
            return result

    def _record(
        self,
        request: LLMRequest,
        attempts: list[Attempt],
        result: LLMResult | None,
        *,
        error: str = "",
        cancelled: bool = False,
    ) -> None:
        if not attempts:
            if result is None and (cancelled or not error):
                return  # cancelled before any backend call: nothing was spent
            # No probe below us: one entry from the result (or the bare failure).
            attempts = [
                Attempt(
                    usage=result.usage if result is not None else Usage(),
                    latency=result.latency if result is not None else 0.0,
                    backend=(result.backend if result is not None else "") or self.name,
                    model=(result.model if result is not None else "") or self.model,
                    replayed=result is not None and result.outcome == "replayed",
                    error_kind=error,
                )
            ]
        for entry in entries_for(
            request,
            attempts,
            ok=result is not None,
            final_error_kind=error,
            cancelled=cancelled,
        ):
            self.ledger.record(entry)

    async def aclose(self) -> None:
        await close_backend(self.inner)
