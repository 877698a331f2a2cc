"""The inline gateway: the same API as ``Gateway`` with no threads, for deterministic runs.

Work waits until the caller runs ``pump()``, which serves it on the calling thread, in
priority-then-submission order, running the async backend stack on an event loop this
gateway owns. Up to ``max_in_flight`` LLM requests are sent at once (different NPCs' requests
overlap their latency); their answers are delivered in the order the requests started, at a
pump fixed when they start (``delay`` pumps later), never in the order the network returns
them - so a seed gives the same run whatever the server's timing. Blocking calls run one at
a time as they come. With seeded backends and an injected clock, a headless simulation
replays exactly.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aga_npc.llm.context import close_backend
from aga_npc.llm.ledger import TokenLedger
from aga_npc.ports import LLMBackend
from aga_npc.runtime.scheduler import LLM, Flight, Scheduler
from aga_npc.runtime.serving import (
    cancelled_error,
    closed_error,
    expired_error,
    fan_out,
    run_call,
    serve_llm,
    stop_result,
)
from aga_npc.runtime.tickets import Ticket
from aga_npc.types import CallResult, LLMRequest, LLMResult, Priority

__all__ = ["InlineGateway"]

# how long a pump lets requests in flight make progress when none is due yet (sending them)
_NUDGE_SECONDS = 0.002


@dataclass(slots=True)
class _InFlight:
    flight: Flight
    task: asyncio.Task[LLMResult]
    due: int  # the pump that delivers the answer


class InlineGateway:
    """Serves queued work synchronously when ``pump()`` is called.

    Args:
        backend: the backend stack (usually ``aga_npc.llm.build_stack(...)``).
        ledger: receives ``coalesced`` entries.
        clock: the clock of request deadlines (inject the game's clock for exact replays).
        max_in_flight: LLM requests sent at once (1: one at a time).
        delay: pumps between the one that sends a request and the one that delivers its
            answer (0: the same pump, as if the model answered at once; a town pumps once
            per game minute, so 3 models a game at x60 with a three-second model). The
            pump that delivers waits for the answer when it is not in yet.
    """

    def __init__(
        self,
        backend: LLMBackend,
        *,
        ledger: TokenLedger | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_in_flight: int = 1,
        delay: int = 0,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight must be >= 1, got {max_in_flight}")
        if delay < 0:
            raise ValueError(f"delay must be >= 0, got {delay}")
        self.backend = backend
        self.ledger = ledger
        self._clock = clock
        self.delay = delay
        self._sched = Scheduler(llm_limit=max_in_flight, call_limit=1)
        self._flights: list[_InFlight] = []
        self._pumps = 0
        self._waits = 0  # deliveries that had to wait for an answer (the run's critical path)
        self._ids = itertools.count(1)
        self._finished: list[Ticket[Any]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._pumping = False
        self._counts = dict.fromkeys(
            ("submitted", "completed", "ok", "failed", "refused", "cancelled", "expired", "calls"),
            0,
        )

    def submit(self, request: LLMRequest) -> Ticket[LLMResult]:
        """Queue ``request``; it is served by the next ``pump()``."""
        ticket = Ticket.for_request(next(self._ids), self, request)
        self._add(ticket)
        return ticket

    def submit_call(
        self,
        fn: Callable[..., Any],
        *args: Any,
        agent: str = "system",
        kind: str = "call",
        priority: int = Priority.NORMAL,
        deadline: float | None = None,
    ) -> Ticket[CallResult]:
        """Queue ``fn(*args)``; it runs on the calling thread during the next ``pump()``."""
        ticket = Ticket.for_call(
            next(self._ids),
            self,
            fn,
            args,
            agent=agent,
            kind=kind,
            priority=priority,
            deadline=deadline,
        )
        self._add(ticket)
        return ticket

    def pump(self, max_items: int | None = None) -> int:
        """Send queued work, best priority first, and deliver the answers due now.

        Returns how many items started. Answers are delivered in the order their requests
        started; an answer due at this pump is waited for.

        Args:
            max_items: stop after starting this many backend calls / blocking calls (None:
                all, including work submitted while pumping).
        """
        if self._closed or self._pumping:
            return 0
        self._pumping = True
        ran = 0
        try:
            now = self._clock()
            for t in self._sched.expire_due(now):
                self._stop(t, expired_error(t, now))
            while True:
                started = self._start(max_items, ran)
                ran += started
                delivered = self._deliver()
                if not started and not delivered:
                    break
            if self._flights:
                self._nudge()
        finally:
            self._pumping = False
            self._pumps += 1
        return ran

    def _start(self, max_items: int | None, ran: int) -> int:
        """Start every ready item (LLM requests up to the limit); calls run right here."""
        started = 0
        loop = self._event_loop()
        while max_items is None or ran + started < max_items:
            flight, expired = self._sched.next_ready(self._clock())
            for t in expired:
                self._stop(t, expired_error(t, self._clock()))
            if flight is None:
                break
            started += 1
            if flight.kind == LLM:
                task = loop.create_task(serve_llm(self.backend, flight, clock=time.monotonic))
                self._flights.append(_InFlight(flight, task, self._pumps + self.delay))
            else:
                self._complete(flight, run_call(flight))
        return started

    def _deliver(self) -> int:
        """Wait for the answers due at this pump; complete them in the order they started."""
        due = [f for f in self._flights if f.due <= self._pumps]
        if not due:
            return 0
        if not all(f.task.done() for f in due):
            self._waits += 1
        self._event_loop().run_until_complete(asyncio.wait([f.task for f in due]))
        self._flights = [f for f in self._flights if f.due > self._pumps]
        for f in due:
            self._complete(f.flight, f.task.result())
        return len(due)

    def _nudge(self) -> None:
        """Let requests in flight progress a moment (sent now, not when they are due)."""
        self._event_loop().run_until_complete(
            asyncio.wait([f.task for f in self._flights], timeout=_NUDGE_SECONDS)
        )

    def _complete(self, flight: Flight, result: LLMResult | CallResult) -> None:
        members = self._sched.finish(flight)
        done = fan_out(members, result, self.ledger)
        self._count(result, len(done))
        self._finished.extend(done)

    def drain(self) -> list[Ticket[Any]]:
        """Tickets finished since the last drain, in finishing order."""
        out, self._finished = self._finished, []
        return out

    def pending_count(self) -> int:
        return self._sched.pending_tickets

    def in_flight_count(self) -> int:
        return self._sched.running_tickets

    def stats(self) -> dict[str, int]:
        s = self._sched
        return {
            **self._counts,
            "coalesced": s.coalesced,
            "pending": s.pending_tickets,
            "in_flight": s.running_tickets,
            "max_queue": s.max_queue,
            "max_in_flight": s.max_running,
            "llm_calls_in_flight": s.running_flights[LLM],
            "max_llm_calls_in_flight": s.max_running_flights[LLM],
            "pumps": self._pumps,
            "delivery_waits": self._waits,
        }

    def close(self, timeout: float = 5.0) -> None:
        """Waiting tickets end with ``GatewayClosedError``; the backend and loop are closed."""
        if self._closed:
            return
        self._closed = True
        for t in self._sched.take_all_pending():
            self._stop(t, closed_error(t))
        loop = self._event_loop()
        flights, self._flights = self._flights, []
        for f in flights:
            f.task.cancel()
            for t in self._sched.finish(f.flight):
                self._stop(t, closed_error(t))
        if flights:
            loop.run_until_complete(asyncio.wait([f.task for f in flights]))
        try:
            loop.run_until_complete(asyncio.wait_for(close_backend(self.backend), timeout))
        finally:
            loop.close()

    def __enter__(self) -> InlineGateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the tickets' owner (``aga_npc.runtime.tickets.TicketOwner``) -------------------------

    def cancel_ticket(self, ticket: Ticket[Any]) -> bool:
        """What ``ticket.cancel()`` does: takes it out of the queue and completes it."""
        self._sched.detach(ticket)
        return self._stop(ticket, cancelled_error(ticket))

    def set_ticket_priority(self, ticket: Ticket[Any], priority: int) -> None:
        """What ``ticket.set_priority()`` does: moves it in the queue if it still waits."""
        ticket.priority = priority
        self._sched.reprioritise(ticket)

    # -- internals ---------------------------------------------------------------------------

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        return self._loop

    def _add(self, ticket: Ticket[Any]) -> None:
        self._counts["submitted"] += 1
        if self._closed:
            self._stop(ticket, closed_error(ticket))
            return
        self._sched.add(ticket)

    def _stop(self, ticket: Ticket[Any], error: Any) -> bool:
        if not ticket.complete(stop_result(ticket, error)):
            return False
        self._counts["expired" if error.kind == "expired" else "cancelled"] += 1
        self._counts["completed"] += 1
        self._finished.append(ticket)
        return True

    def _count(self, result: LLMResult | CallResult, n: int) -> None:
        c = self._counts
        c["completed"] += n
        if isinstance(result, CallResult):
            c["calls"] += n
            c["ok" if result.ok else "failed"] += n
        elif result.outcome == "refused":
            c["refused"] += n
        else:
            c["ok" if result.ok else "failed"] += n
