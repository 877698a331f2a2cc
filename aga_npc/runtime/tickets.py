"""Tickets: the game thread's handle on queued work, and the shared stream buffer.

A ticket is completed exactly once (by the worker, or by ``cancel()`` on the game thread);
every read is a single attribute load, so polling it from the frame loop never blocks.

Thread contract, by caller:

- the game thread: ``done``, ``result``, ``state``, ``partial_text``, ``cancel``,
  ``set_priority`` (and ``wait`` for tools, tests and shutdown paths). ``cancel`` and
  ``set_priority`` are forwarded to the ticket's :class:`TicketOwner` (its gateway).
- the gateways only: :meth:`Ticket.complete`, from the gateway's worker (loop) thread,
  or on the game thread when it cancels, closes the gateway or submits after closing; a
  lock makes the first completion win.
- the scheduler only (on the one thread that owns it): :meth:`Ticket.mark_running` and
  :meth:`Ticket.attach_stream`. The scheduler also keeps which flight each ticket is in.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from aga_npc.types import CallResult, LLMRequest, LLMResult

__all__ = ["StreamBuffer", "Ticket", "TicketOwner", "TicketState"]

R = TypeVar("R", LLMResult, CallResult)


class TicketState(enum.Enum):
    """Lifecycle of a ticket; ``TRANSITIONS`` lists the allowed moves."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"


TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    TicketState.PENDING: frozenset({TicketState.RUNNING, TicketState.DONE}),
    TicketState.RUNNING: frozenset({TicketState.DONE}),
    TicketState.DONE: frozenset(),
}


class StreamBuffer:
    """Text streamed so far for one call; written by the worker, read by the game thread."""

    __slots__ = ("text",)

    def __init__(self) -> None:
        self.text = ""

    def reset(self) -> None:
        self.text = ""

    def delta(self, text: str) -> None:
        # One reference assignment: readers see the old or the new string, never a mix.
        self.text = self.text + text


class TicketOwner(Protocol):
    """What a ticket needs from the gateway that issued it (both called on the game thread)."""

    def cancel_ticket(self, ticket: Ticket[Any]) -> bool:
        """Cancel ``ticket`` unless it is done; True when this call cancelled it."""
        ...

    def set_ticket_priority(self, ticket: Ticket[Any], priority: int) -> None:
        """Set ``ticket.priority`` and move it in the queue if it still waits."""
        ...


class Ticket(Generic[R]):
    """Handle on one submitted request (``Ticket[LLMResult]``) or call (``Ticket[CallResult]``).

    Attributes:
        id: unique, increasing in submission order.
        request: the ``LLMRequest``, or None for a ``submit_call`` ticket.
        agent / kind: who asked and what (``kind`` is the module name for LLM tickets).
        priority: current priority (lower first); change it with ``set_priority``.
        deadline: absolute time on the gateway clock after which the ticket expires.
    """

    __slots__ = (
        "_event",
        "_lock",
        "_owner",
        "_result",
        "_state",
        "_stream",
        "agent",
        "args",
        "deadline",
        "fn",
        "id",
        "kind",
        "priority",
        "request",
    )

    def __init__(
        self,
        ticket_id: int,
        owner: TicketOwner,
        *,
        request: LLMRequest | None = None,
        agent: str,
        kind: str,
        priority: int,
        deadline: float | None = None,
        fn: Callable[..., Any] | None = None,
        args: tuple[Any, ...] = (),
    ) -> None:
        self.id = ticket_id
        self.request = request
        self.agent = agent
        self.kind = kind
        self.priority = priority
        self.deadline = deadline
        self.fn = fn
        self.args = args
        self._owner = owner
        self._result: R | None = None
        self._state = TicketState.PENDING
        self._stream: StreamBuffer | None = None
        self._lock = threading.Lock()
        self._event: threading.Event | None = None

    @staticmethod
    def for_request(ticket_id: int, owner: TicketOwner, request: LLMRequest) -> Ticket[LLMResult]:
        """The ticket of an LLM request (agent, kind, priority and deadline from it)."""
        return Ticket(
            ticket_id,
            owner,
            request=request,
            agent=request.agent,
            kind=request.module_name,
            priority=int(request.priority),
            deadline=request.deadline,
        )

    @staticmethod
    def for_call(
        ticket_id: int,
        owner: TicketOwner,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        agent: str,
        kind: str,
        priority: int,
        deadline: float | None,
    ) -> Ticket[CallResult]:
        """The ticket of a blocking call ``fn(*args)``."""
        return Ticket(
            ticket_id,
            owner,
            agent=agent,
            kind=kind,
            priority=int(priority),
            deadline=deadline,
            fn=fn,
            args=args,
        )

    def __repr__(self) -> str:
        return f"<Ticket {self.id} {self.kind} for {self.agent} {self._state.value}>"

    @property
    def state(self) -> TicketState:
        return self._state

    def done(self) -> bool:
        """Whether the result is ready. Never blocks (one attribute read)."""
        return self._result is not None

    def result(self) -> R | None:
        """The ``LLMResult`` / ``CallResult`` once done, else None. Never raises.

        Failures (errors, cancellation, expiry, refusal) are results with ``error`` set.
        """
        return self._result

    def cancel(self) -> bool:
        """Cancel the ticket unless it is done; True when this call cancelled it.

        The ticket is done at once (``RequestCancelledError``); a call shared with other
        tickets keeps running for them.
        """
        if self._result is not None:
            return False
        return self._owner.cancel_ticket(self)

    def set_priority(self, priority: int) -> None:
        """Move a waiting ticket up or down the queue (no effect once it runs)."""
        self._owner.set_ticket_priority(self, int(priority))

    def partial_text(self) -> str:
        """Text streamed so far (for a typewriter effect); the full text once done."""
        result = self._result
        if isinstance(result, LLMResult):
            return result.text
        stream = self._stream
        return stream.text if stream is not None else ""

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done or ``timeout`` seconds pass; True when done.

        For tools, tests and shutdown paths only: a frame loop polls ``done()`` instead.
        """
        with self._lock:
            if self._result is not None:
                return True
            if self._event is None:
                self._event = threading.Event()
            event = self._event
        return event.wait(timeout)

    # -- the scheduler's side (the thread that owns the scheduler) -----------------------

    def attach_stream(self, stream: StreamBuffer) -> None:
        """Read ``partial_text`` from ``stream``, the buffer of the call serving this ticket.

        Scheduler only, when it queues the ticket (a coalesced ticket shares the buffer of
        the call it joins, text so far included). One reference assignment: the game
        thread sees the old or the new buffer.
        """
        self._stream = stream

    def mark_running(self) -> None:
        """PENDING -> RUNNING (no change once done). Scheduler only, when the call starts."""
        with self._lock:
            if self._state is TicketState.PENDING:
                self._state = TicketState.RUNNING

    # -- the gateways' side ---------------------------------------------------------------

    def complete(self, result: R) -> bool:
        """Set the result once; False when the ticket was already done.

        Gateways only (it is not part of ``aga_npc.ports.RequestTicket``): the worker
        completes a served ticket, and ``cancel`` on the game thread completes it through
        the gateway. Game code cancels instead. Thread-safe: the first completion wins and
        wakes ``wait``.
        """
        with self._lock:
            if self._result is not None:
                return False
            self._state = TicketState.DONE
            self._result = result
            event = self._event
        if event is not None:
            event.set()
        return True
