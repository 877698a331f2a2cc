"""The metering wrapper: turns each request's attempts into token-ledger entries.

It sits outermost in the stack so it sees the final outcome of every request, including
budget refusals, while ``AttemptProbe`` (innermost) lists every backend call in the
request's ``CallTrace``: retried attempts, JSON re-asks and replays each get their own
entry with their own tokens, latency and error kind.
"""

from __future__ import annotations

import asyncio

from aga_npc.errors import BudgetExceededError
from aga_npc.llm.context import Attempt, CallTrace, close_backend, current_trace, error_kind
from aga_npc.llm.context import trace_call as _trace_call
from aga_npc.llm.ledger import LedgerEntry, TokenLedger
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["MeteringBackend", "entries_for"]


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

    async def complete(self, request: LLMRequest) -> LLMResult:
        outer = current_trace()
        with _trace_call(outer if outer is not None else CallTrace()) as trace:
            start = len(trace.attempts)
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
                raise
            self._record(request, trace.attempts[start:], result)
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
