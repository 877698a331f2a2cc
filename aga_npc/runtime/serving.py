"""Serving one flight and sharing its outcome: the part both gateways run the same way.

``serve_llm`` calls the backend stack inside the request's context (attempt trace, stream
sink) and turns any failure into an ``LLMResult`` with ``error`` set, so nothing raises into
the game loop. ``fan_out`` gives the leader its result and every coalesced ticket a copy
(outcome ``"coalesced"``, no tokens), and writes the coalesced entries to the ledger.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aga_npc.errors import (
    BudgetExceededError,
    DeadlineExceededError,
    GatewayClosedError,
    LLMError,
    RequestCancelledError,
)
from aga_npc.llm.context import error_kind, stream_sink, trace_call
from aga_npc.llm.ledger import LedgerEntry, TokenLedger
from aga_npc.ports import LLMBackend
from aga_npc.runtime.framegate import FrameGate
from aga_npc.runtime.scheduler import Flight
from aga_npc.runtime.tickets import Ticket
from aga_npc.types import CallResult, LLMResult, Usage

__all__ = ["fan_out", "serve_call", "serve_llm", "stop_result"]


async def serve_llm(
    backend: LLMBackend, flight: Flight, *, clock: Callable[[], float]
) -> LLMResult:
    """Run the flight's request through ``backend``; failures become results."""
    request = flight.leader.request
    assert request is not None
    t0 = clock()
    with stream_sink(flight.stream), trace_call() as trace:
        try:
            return await backend.complete(request)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return LLMResult(
                error=exc,
                usage=trace.usage,
                latency=clock() - t0,
                attempts=len(trace.attempts),
                backend=backend.name,
                model=backend.model,
                outcome="refused" if isinstance(exc, BudgetExceededError) else "failed",
            )


def run_call(
    flight: Flight,
    clock: Callable[[], float] = time.perf_counter,
    gate: FrameGate | None = None,
) -> CallResult:
    """Run a blocking-call flight on the current thread; exceptions become results.

    With ``gate``, the call starts between the game's frames (see ``FrameGate``).
    """
    ticket = flight.leader
    assert ticket.fn is not None
    if gate is not None:
        gate.wait_idle()
    t0 = clock()
    try:
        value = ticket.fn(*ticket.args)
    except Exception as exc:
        return CallResult(
            error=exc, latency=clock() - t0, agent=ticket.agent, kind=ticket.kind, outcome="failed"
        )
    return CallResult(value=value, latency=clock() - t0, agent=ticket.agent, kind=ticket.kind)


async def serve_call(
    flight: Flight,
    loop: asyncio.AbstractEventLoop,
    executor: Any,
    gate: FrameGate | None = None,
) -> CallResult:
    """Run a blocking-call flight in ``executor`` without blocking the event loop."""
    return await loop.run_in_executor(executor, run_call, flight, time.perf_counter, gate)


def stop_result(ticket: Ticket[Any], error: LLMError) -> LLMResult | CallResult:
    """The result of a ticket stopped before its answer: cancelled, expired or closed."""
    outcome = "expired" if isinstance(error, DeadlineExceededError) else "cancelled"
    if ticket.request is None:
        return CallResult(error=error, agent=ticket.agent, kind=ticket.kind, outcome=outcome)
    return LLMResult(error=error, attempts=0, outcome=outcome)


def cancelled_error(ticket: Ticket[Any]) -> RequestCancelledError:
    return RequestCancelledError(f"ticket {ticket.id} ({ticket.kind} for {ticket.agent}) cancelled")


def expired_error(ticket: Ticket[Any], now: float) -> DeadlineExceededError:
    return DeadlineExceededError(
        f"ticket {ticket.id} ({ticket.kind} for {ticket.agent}) passed its deadline "
        f"{ticket.deadline:.3f} (now {now:.3f})"
    )


def closed_error(ticket: Ticket[Any]) -> GatewayClosedError:
    return GatewayClosedError(
        f"gateway closed before ticket {ticket.id} ({ticket.kind}) was served"
    )


def fan_out(
    members: list[Ticket[Any]],
    result: LLMResult | CallResult,
    ledger: TokenLedger | None,
) -> list[Ticket[Any]]:
    """Complete every member with the flight's result; returns the tickets completed here.

    The first member gets ``result``; the others a copy with outcome ``"coalesced"``, zero
    usage and zero attempts, each recorded in ``ledger`` as a ``coalesced`` entry.
    """
    done: list[Ticket[Any]] = []
    for i, ticket in enumerate(members):
        if i == 0 or not isinstance(result, LLMResult):
            if ticket.complete(result):
                done.append(ticket)
            continue
        mine = replace(result, usage=Usage(), attempts=0, latency=0.0, outcome="coalesced")
        # A ticket cancelled on the game thread a moment ago keeps its cancellation.
        if not ticket.complete(mine):
            continue
        done.append(ticket)
        if ledger is not None and ticket.request is not None:
            ledger.record(
                LedgerEntry(
                    agent=ticket.request.agent,
                    module=ticket.request.module_name,
                    day=ticket.request.day,
                    outcome="coalesced",
                    backend=result.backend,
                    model=result.model,
                    error_kind=error_kind(result.error) if result.error is not None else "",
                )
            )
    return done
