"""The threaded gateway: one background thread runs an asyncio loop that serves all requests.

The game thread only appends to an inbox and reads finished tickets: ``submit`` creates a
ticket and appends it (no lock, and no system call while the worker is awake); ``drain``
pops what finished since the last call. While work keeps arriving, the loop thread picks
the inbox up every ``poll_interval`` seconds: waking it per submit would make the game
thread hand the GIL to the worker in the middle of its frame. After ``idle_polls`` empty
polls the worker stops polling (no idle CPU) and the next submit wakes it once. No lock is
ever held across I/O and the game thread never waits on the worker. The loop thread owns
the ``Scheduler`` and is the only one touching it. A game that brackets its frames with
``begin_frame()``/``end_frame()`` gets the worker's own work (loop callbacks, calls) moved
to the time between frames (``aga_npc.runtime.framegate``).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aga_npc.llm.context import close_backend
from aga_npc.llm.ledger import TokenLedger
from aga_npc.ports import LLMBackend
from aga_npc.runtime.framegate import FrameGate, GatedSelector
from aga_npc.runtime.scheduler import LLM, Flight, Scheduler
from aga_npc.runtime.serving import (
    cancelled_error,
    closed_error,
    expired_error,
    fan_out,
    serve_call,
    serve_llm,
    stop_result,
)
from aga_npc.runtime.tickets import Ticket
from aga_npc.types import CallResult, LLMRequest, LLMResult, Priority

__all__ = ["Gateway"]

log = logging.getLogger(__name__)


class Gateway:
    """Serves LLM requests and blocking calls on a worker thread; the frame loop only polls.

    Args:
        backend: the backend stack (usually ``aga_npc.llm.build_stack(...)``).
        ledger: receives ``coalesced`` entries (the stack's metering records the rest).
        max_concurrency: LLM calls in flight at once.
        call_workers: threads running ``submit_call`` work (embeddings).
        clock: the clock of request deadlines (monotonic seconds).
        poll_interval: seconds between inbox checks by the worker (adds at most this much
            latency to each request).
        idle_polls: empty polls in a row after which the worker sleeps until woken.
        name: thread name, for debuggers.
        frame_gate: shared with the game loop (None: a gate of its own, open until
            ``begin_frame`` is called).
    """

    def __init__(
        self,
        backend: LLMBackend,
        *,
        ledger: TokenLedger | None = None,
        max_concurrency: int = 8,
        call_workers: int = 1,
        clock: Callable[[], float] = time.monotonic,
        poll_interval: float = 0.002,
        idle_polls: int = 50,
        name: str = "aga-gateway",
        frame_gate: FrameGate | None = None,
    ) -> None:
        if poll_interval <= 0:
            raise ValueError(f"poll_interval must be positive, got {poll_interval}")
        self.backend = backend
        self.ledger = ledger
        self._clock = clock
        self._poll_interval = poll_interval
        self._idle_polls = max(1, idle_polls)
        self._empty_polls = 0
        self._polling = False  # loop thread: a _poll is scheduled
        self._asleep = False  # read by the game thread: wake the loop on the next post
        self._wakeups = 0
        self._sched = Scheduler(llm_limit=max_concurrency, call_limit=call_workers)
        self._ids = itertools.count(1)
        # Game thread -> loop thread. New tickets and (rarer) cancel/priority changes are kept
        # apart so a submit allocates nothing but its ticket.
        self._adds: deque[Ticket[Any]] = deque()
        self._ops: deque[tuple[str, Ticket[Any]]] = deque()
        self._finished: deque[Ticket[Any]] = deque()
        self._closed = False
        self._submitted = 0
        self._counts = {
            "completed": 0,
            "ok": 0,
            "failed": 0,
            "refused": 0,
            "cancelled": 0,
            "expired": 0,
            "calls": 0,
        }
        self._tasks: set[asyncio.Task[Any]] = set()
        self._executor = ThreadPoolExecutor(
            max_workers=call_workers, thread_name_prefix=name + "-call"
        )
        self.frame_gate = frame_gate or FrameGate()
        self._loop = asyncio.SelectorEventLoop(GatedSelector(self.frame_gate))
        started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(started,), name=name, daemon=True)
        self._thread.start()
        started.wait()

    # -- game thread API -------------------------------------------------------------------

    def submit(self, request: LLMRequest) -> Ticket[LLMResult]:
        """Queue ``request``; returns its ticket at once. Never blocks.

        Time budget: about 2 us typical, p99 under 50 us (``benchmarks/gateway.py``).
        """
        ticket = Ticket.for_request(next(self._ids), self, request)
        self._enqueue(ticket)
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
        """Queue ``fn(*args)`` for a worker thread; its return value becomes the result.

        Runs in the gateway's call executor (``call_workers`` threads), apart from the LLM
        slots; the ticket's result is a ``CallResult``. Same cost as ``submit``.
        """
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
        self._enqueue(ticket)
        return ticket

    def begin_frame(self) -> None:
        """The game starts a frame: the worker starts no new work of its own until
        ``end_frame`` (or ``FrameGate.max_hold``). Time budget: about 1 us."""
        self.frame_gate.begin_frame()

    def end_frame(self) -> None:
        """The game's frame is done (after drawing): the worker goes on. A few us."""
        self.frame_gate.end_frame()

    def drain(self) -> list[Ticket[Any]]:
        """Tickets finished since the last drain, in finishing order.

        Time budget: O(finished), independent of how many wait; about 30 us for a dozen
        finished tickets with 1,000 pending (``benchmarks/gateway.py``). Call once a frame.
        """
        out: list[Ticket[Any]] = []
        pop = self._finished.popleft
        try:
            while True:
                out.append(pop())
        except IndexError:
            return out

    def pump(self) -> int:
        """Nothing to do: the worker thread serves requests on its own. Returns 0."""
        return 0

    def pending_count(self) -> int:
        """Tickets waiting to start (including ones the loop has not picked up yet)."""
        return self._sched.pending_tickets + len(self._adds)

    def in_flight_count(self) -> int:
        """Tickets whose call is running."""
        return self._sched.running_tickets

    def stats(self) -> dict[str, int]:
        """Counters since start (read without locking; may lag the loop by one event)."""
        s = self._sched
        return {
            "submitted": self._submitted,
            **self._counts,
            "coalesced": s.coalesced,
            "pending": self.pending_count(),
            "in_flight": s.running_tickets,
            "max_queue": s.max_queue,
            "max_in_flight": s.max_running,
            "llm_calls_in_flight": s.running_flights[LLM],
            "max_llm_calls_in_flight": s.max_running_flights[LLM],
            "worker_wakeups": self._wakeups,
            "held_for_frames": self.frame_gate.held,
        }

    def close(self, timeout: float = 5.0) -> None:
        """Stop: waiting tickets end with ``GatewayClosedError``; running calls get ``timeout``
        seconds to finish, then are cancelled. Closes the backend. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.frame_gate.end_frame()  # closing is not a frame: let the worker finish
        if self._thread.is_alive():
            fut = asyncio.run_coroutine_threadsafe(self._shutdown(timeout), self._loop)
            try:
                fut.result(timeout + 5.0)
            except Exception:  # shutdown must finish whatever happened
                log.exception("gateway shutdown did not finish cleanly")
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout + 5.0)
        if not self._thread.is_alive():
            self._loop.close()
        self._executor.shutdown(wait=False, cancel_futures=True)
        # Anything submitted while closing ends now.
        self._fail_closed_inbox()

    def __enter__(self) -> Gateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the tickets' owner (game thread; ``aga_npc.runtime.tickets.TicketOwner``) ----------

    def cancel_ticket(self, ticket: Ticket[Any]) -> bool:
        """What ``ticket.cancel()`` does: done at once, the worker is told. Never blocks."""
        if not ticket.complete(stop_result(ticket, cancelled_error(ticket))):
            return False
        self._finished.append(ticket)
        self._post("cancel", ticket)
        return True

    def set_ticket_priority(self, ticket: Ticket[Any], priority: int) -> None:
        """What ``ticket.set_priority()`` does: the worker re-queues it. Never blocks."""
        ticket.priority = priority
        if not ticket.done():
            self._post("priority", ticket)

    def _enqueue(self, ticket: Ticket[Any]) -> None:
        self._submitted += 1
        if self._closed:
            if ticket.complete(stop_result(ticket, closed_error(ticket))):
                self._finished.append(ticket)
            return
        # deque.append is atomic; the worker polls the inbox (see the module docstring).
        self._adds.append(ticket)
        if self._asleep:
            self._wake()

    def _post(self, op: str, ticket: Ticket[Any]) -> None:
        self._ops.append((op, ticket))
        if self._asleep:
            self._wake()

    def _wake(self) -> None:
        self._asleep = False
        try:
            self._loop.call_soon_threadsafe(self._start_polling)
        except RuntimeError:  # loop closed: close() fails what is left
            self._fail_closed_inbox()

    # -- loop thread -------------------------------------------------------------------------

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(started.set)
        self._loop.call_soon(self._start_polling)
        try:
            self._loop.run_forever()
        finally:
            log.debug("gateway loop stopped")

    def _start_polling(self) -> None:
        if not self._polling and not self._closed:
            self._wakeups += 1
            self._polling = True
            self._empty_polls = 0
            self._poll()

    def _poll(self) -> None:
        if self._closed:
            self._polling = False
            return
        if self._adds or self._ops:
            self._empty_polls = 0
            self._process_inbox()
        else:
            self._empty_polls += 1
            if self._empty_polls >= self._idle_polls:
                # Go to sleep, then look once more: a post that raced with the flag
                # either is seen here or sees the flag and wakes us.
                self._asleep = True
                if not (self._adds or self._ops):
                    self._polling = False
                    return
                self._asleep = False
                self._empty_polls = 0
                self._process_inbox()
        self._loop.call_later(self._poll_interval, self._poll)

    def _process_inbox(self) -> None:
        # Adds first: a cancel or priority change always follows its ticket's add, and a
        # ticket cancelled before the loop saw it is already done (its add is skipped).
        adds, ops = self._adds, self._ops
        sched = self._sched
        try:
            while adds:
                ticket = adds.popleft()
                if ticket.done():
                    continue
                if self._closed:
                    self._finish_stopped(ticket, closed_error(ticket))
                    continue
                sched.add(ticket)
                if ticket.deadline is not None:
                    delay = max(0.0, ticket.deadline - self._clock())
                    self._loop.call_later(delay, self._expire, ticket)
            while ops:
                op, ticket = ops.popleft()
                if op == "cancel":
                    self._counts["cancelled"] += 1
                    self._counts["completed"] += 1
                    self._stop_flight(sched.detach(ticket))
                elif op == "priority":
                    sched.reprioritise(ticket)
            self._start_ready()
        except Exception:  # the loop must survive a bug in one event
            log.exception("gateway inbox processing failed")

    def _expire(self, ticket: Ticket[Any]) -> None:
        if ticket.done():
            return
        self._stop_flight(self._sched.detach(ticket))
        self._finish_stopped(ticket, expired_error(ticket, self._clock()))
        self._start_ready()

    def _stop_flight(self, flight: Flight | None) -> None:
        if flight is not None and flight.task is not None:
            flight.task.cancel()

    def _finish_stopped(self, ticket: Ticket[Any], error: Any) -> None:
        if ticket.complete(stop_result(ticket, error)):
            key = "expired" if error.kind == "expired" else "cancelled"
            self._counts[key] += 1
            self._counts["completed"] += 1
            self._finished.append(ticket)

    def _start_ready(self) -> None:
        if self._closed:
            return
        while True:
            flight, expired = self._sched.next_ready(self._clock())
            now = self._clock()
            for t in expired:
                self._finish_stopped(t, expired_error(t, now))
            if flight is None:
                return
            if flight.kind == LLM:
                coro: Any = serve_llm(self.backend, flight, clock=time.monotonic)
            else:
                coro = serve_call(flight, self._loop, self._executor, self.frame_gate)
            task = self._loop.create_task(self._serve(flight, coro))
            flight.task = task
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _serve(self, flight: Flight, coro: Any) -> None:
        try:
            result = await coro
        except asyncio.CancelledError:
            # Every ticket left (cancelled/expired/closed); the slot is free again.
            members = self._sched.finish(flight)
            for t in members:
                self._finish_stopped(t, closed_error(t))
            if not self._closed:
                self._start_ready()
            return
        members = self._sched.finish(flight)
        done = fan_out(members, result, self.ledger)
        self._count_result(result, len(done))
        self._finished.extend(done)
        if not self._closed:
            self._start_ready()

    def _count_result(self, result: LLMResult | CallResult, n: int) -> None:
        c = self._counts
        c["completed"] += n
        if isinstance(result, CallResult):
            c["calls"] += n
            c["ok" if result.ok else "failed"] += n
        elif result.outcome == "refused":
            c["refused"] += n
        else:
            c["ok" if result.ok else "failed"] += n

    async def _shutdown(self, timeout: float) -> None:
        self._process_inbox()
        for t in self._sched.take_all_pending():
            self._finish_stopped(t, closed_error(t))
        running = [t for t in self._tasks if not t.done()]
        if running:
            _done, still = await asyncio.wait(running, timeout=timeout)
            for task in still:
                task.cancel()
            if still:
                await asyncio.wait(still, timeout=1.0)
        try:
            await close_backend(self.backend)
        except Exception:  # a failing close must not stop the shutdown
            log.exception("closing the LLM backend failed")

    def _fail_closed_inbox(self) -> None:
        while True:
            try:
                ticket = self._adds.popleft()
            except IndexError:
                return
            if ticket.complete(stop_result(ticket, closed_error(ticket))):
                self._finished.append(ticket)
