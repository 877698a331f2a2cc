"""The inline gateway: the same API as ``Gateway`` with no threads, for deterministic runs.

Work waits until the caller runs ``pump()``, which serves it on the calling thread, in
priority-then-submission order, running the async backend stack on an event loop this
gateway owns. Up to ``max_in_flight`` LLM requests are sent at once (different NPCs' requests
overlap their latency); their answers are delivered in the order the requests started, at a
pump fixed when they start (``delay`` pumps later), never in the order the network returns
them - so a seed gives the same run whatever the server's timing. Blocking calls run one at
a time as they come. With seeded backends and an injected clock, a headless simulation
replays exactly.

With ``batch_embeddings``, the ``embedder.embed(texts)`` calls a pump starts are served
together by one :class:`~aga_npc.runtime.batching.EmbedJob` (cache lookups first, each
missing text computed once); with ``embed_worker`` that job's embedder call runs on a worker
thread while the caller goes on, and its answers are delivered at the next pump (waited for
there) - the same run for a seed, with the embedding off the caller's thread.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aga_npc.llm.context import close_backend
from aga_npc.llm.ledger import TokenLedger
from aga_npc.ports import LLMBackend
from aga_npc.runtime.batching import EmbedJob, batch_embedder
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


@dataclass(slots=True)
class _Batch:
    job: EmbedJob
    futures: list[Future[None]]  # empty: computed already (inline)
    due: int  # the pump that delivers it


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
        batch_embeddings: serve the embedding calls of a pump together (see above).
        embed_worker: compute batched embeddings on worker threads, delivered at the next
            pump (implies ``batch_embeddings``).
        embed_threads: worker threads sharing a job's texts (2 on two cores: the caller
            mostly waits for the embeddings at the next pump).
    """

    def __init__(
        self,
        backend: LLMBackend,
        *,
        ledger: TokenLedger | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_in_flight: int = 1,
        delay: int = 0,
        batch_embeddings: bool = False,
        embed_worker: bool = False,
        embed_threads: int = 1,
    ) -> None:
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight must be >= 1, got {max_in_flight}")
        if delay < 0:
            raise ValueError(f"delay must be >= 0, got {delay}")
        self.backend = backend
        self.ledger = ledger
        self._clock = clock
        self.delay = delay
        self.batch_embeddings = batch_embeddings or embed_worker
        if embed_threads < 1:
            raise ValueError(f"embed_threads must be >= 1, got {embed_threads}")
        self.embed_worker = embed_worker
        self.embed_threads = embed_threads
        # calls run one at a time here; batched embedding calls wait in a job meanwhile
        self._sched = Scheduler(
            llm_limit=max_in_flight, call_limit=1 << 30 if self.batch_embeddings else 1
        )
        self._flights: list[_InFlight] = []
        self._batches: list[_Batch] = []
        self._to_batch: list[tuple[Any, Flight]] = []
        self._executor: ThreadPoolExecutor | None = None
        self._embed_counts = dict.fromkeys(("embed_jobs", "embed_texts", "embed_computed"), 0)
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
                self._launch_batches()
                delivered = self._deliver_batches() + self._deliver()
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
                continue
            owner = None
            if self.batch_embeddings:
                leader = flight.leader
                assert leader.fn is not None
                owner = batch_embedder(leader.fn, leader.args)
            if owner is not None:
                self._to_batch.append((owner, flight))
            else:
                self._complete(flight, run_call(flight))
        return started

    def _launch_batches(self) -> None:
        """One embedding job per embedder for the calls just started (planned here)."""
        if not self._to_batch:
            return
        groups: dict[int, tuple[Any, list[Flight]]] = {}
        for owner, flight in self._to_batch:  # insertion order: the order started
            groups.setdefault(id(owner), (owner, []))[1].append(flight)
        self._to_batch = []
        for owner, flights in groups.values():
            earlier = [b.job for b in self._batches]
            job = EmbedJob(owner, flights, earlier)
            c = self._embed_counts
            c["embed_jobs"] += 1
            c["embed_texts"] += job.texts
            c["embed_computed"] += len(job.missing)
            if self.embed_worker and job.missing:
                if self._executor is None:
                    self._executor = ThreadPoolExecutor(
                        self.embed_threads, thread_name_prefix="aga-embed"
                    )
                futures = [
                    self._executor.submit(job.compute, part)
                    for part in job.split(self.embed_threads)
                ]
                self._batches.append(_Batch(job, futures, self._pumps + 1))
            else:
                # no worker (or nothing to compute): done now; delivered after the jobs
                # planned before it, which it may take vectors from
                job.compute()
                self._batches.append(_Batch(job, [], self._pumps))

    def _deliver_batches(self) -> int:
        """Deliver the embedding jobs due now, in the order they were planned."""
        n = 0
        while self._batches and self._batches[0].due <= self._pumps:
            batch = self._batches.pop(0)
            if not all(f.done() for f in batch.futures):
                self._waits += 1
            for f in batch.futures:
                f.result()
            for flight, result in zip(batch.job.flights, batch.job.results(), strict=True):
                self._complete(flight, result)
            n += 1
        return n

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
            **self._embed_counts,
        }

    def close(self, timeout: float = 5.0) -> None:
        """Waiting tickets end with ``GatewayClosedError``; the backend and loop are closed."""
        if self._closed:
            return
        self._closed = True
        for t in self._sched.take_all_pending():
            self._stop(t, closed_error(t))
        batched = [f for _o, f in self._to_batch] + [
            f for b in self._batches for f in b.job.flights
        ]
        self._to_batch = []
        for b in self._batches:
            for future in b.futures:
                future.cancel()
        self._batches = []
        for flight in batched:
            for t in self._sched.finish(flight):
                self._stop(t, closed_error(t))
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
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
