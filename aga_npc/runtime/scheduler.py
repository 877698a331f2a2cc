"""The sans-I/O scheduling core shared by the threaded and the inline gateway.

Owns the queue of *flights* (one flight = one backend call or one blocking call, shared
by every ticket coalesced into it) and which flight each queued or running ticket is in:
priority order with re-prioritising, concurrency limits per kind (LLM calls, blocking
calls), coalescing by dedup key, deadline expiry at start time, and the counters behind
``stats()``. It does no I/O and starts no tasks: the
gateways ask it what to run next and tell it what finished. Single-threaded by contract.
"""

from __future__ import annotations

import heapq
from typing import Any

from aga_npc.runtime.tickets import StreamBuffer, Ticket

__all__ = ["CALL", "LLM", "Flight", "Scheduler"]

LLM = "llm"
CALL = "call"
_KINDS = (LLM, CALL)


class Flight:
    """One unit of work and the tickets waiting for it (``members[0]`` is the leader)."""

    __slots__ = (
        "key",
        "kind",
        "members",
        "priority",
        "running",
        "seq",
        "stream",
        "task",
        "version",
    )

    def __init__(self, kind: str, key: str | None, first: Ticket[Any]) -> None:
        self.kind = kind
        self.key = key
        self.members: list[Ticket[Any]] = [first]
        self.priority = first.priority
        self.seq = first.id
        self.version = 0
        self.running = False
        self.task: Any = None  # the gateway's handle on the running work
        request = first.request
        self.stream = StreamBuffer() if request is not None and request.stream else None

    @property
    def leader(self) -> Ticket[Any]:
        return self.members[0]


class Scheduler:
    """Priority queue of flights with coalescing, limits and expiry.

    Args:
        llm_limit: LLM flights allowed to run at once.
        call_limit: blocking-call flights allowed to run at once.
    """

    def __init__(self, *, llm_limit: int, call_limit: int) -> None:
        if llm_limit < 1 or call_limit < 1:
            raise ValueError("concurrency limits must be >= 1")
        self.limits = {LLM: llm_limit, CALL: call_limit}
        self._heaps: dict[str, list[tuple[int, int, int, Flight]]] = {k: [] for k in _KINDS}
        self._by_key: dict[str, Flight] = {}
        self._flight_of: dict[Ticket[Any], Flight] = {}  # queued and running tickets
        self.running_flights: dict[str, int] = dict.fromkeys(_KINDS, 0)
        self.pending_tickets = 0
        self.running_tickets = 0
        self.max_queue = 0
        self.max_running = 0
        self.max_running_flights: dict[str, int] = dict.fromkeys(_KINDS, 0)
        self.coalesced = 0

    # -- adding and changing -------------------------------------------------------------

    def add(self, ticket: Ticket[Any]) -> bool:
        """Queue a ticket; True when it joined an identical flight (coalesced)."""
        request = ticket.request
        key = request.effective_dedup_key() if request is not None else None
        if key is not None:
            flight = self._by_key.get(key)
            if flight is not None:
                flight.members.append(ticket)
                self._flight_of[ticket] = flight
                if flight.stream is not None:
                    ticket.attach_stream(flight.stream)
                self.coalesced += 1
                if flight.running:
                    ticket.mark_running()
                    self.running_tickets += 1
                else:
                    self._bump_pending(1)
                    if ticket.priority < flight.priority:
                        flight.priority = ticket.priority
                        self._push(flight)
                return True
        flight = Flight(LLM if request is not None else CALL, key, ticket)
        self._flight_of[ticket] = flight
        if flight.stream is not None:
            ticket.attach_stream(flight.stream)
        if key is not None:
            self._by_key[key] = flight
        self._bump_pending(1)
        self._push(flight)
        return False

    def reprioritise(self, ticket: Ticket[Any]) -> None:
        """Apply ``ticket.priority`` to its flight (the best member priority wins)."""
        flight = self._flight_of.get(ticket)
        if flight is None or flight.running or ticket not in flight.members:
            return
        best = min(t.priority for t in flight.members)
        if best != flight.priority:
            flight.priority = best
            self._push(flight)

    def detach(self, ticket: Ticket[Any]) -> Flight | None:
        """Take a ticket out of its flight (cancelled or expired).

        Returns the flight when it is running and no ticket waits for it any more: the
        caller should stop that work. A pending flight left empty is dropped here.
        """
        flight = self._flight_of.get(ticket)
        if flight is None or ticket not in flight.members:
            return None
        flight.members.remove(ticket)
        del self._flight_of[ticket]
        if flight.running:
            self.running_tickets -= 1
        else:
            self.pending_tickets -= 1
        if flight.members:
            if not flight.running and ticket.priority <= flight.priority:
                self.reprioritise(flight.members[0])
            return None
        self._forget(flight)
        return flight if flight.running else None

    def flight_of(self, ticket: Ticket[Any]) -> Flight | None:
        """The flight ``ticket`` waits for or runs in; None once it left or finished."""
        return self._flight_of.get(ticket)

    # -- starting and finishing ----------------------------------------------------------

    def next_ready(self, now: float | None) -> tuple[Flight | None, list[Ticket[Any]]]:
        """The best flight that may start now, and tickets found expired on the way.

        Picks the lowest ``(priority, submission)`` among kinds under their limit. Members
        whose deadline is ``<= now`` are removed and returned for the caller to expire.
        """
        expired: list[Ticket[Any]] = []
        while True:
            best: tuple[int, int, int, Flight] | None = None
            best_kind = ""
            for kind in _KINDS:
                if self.running_flights[kind] >= self.limits[kind]:
                    continue
                heap = self._heaps[kind]
                self._clean_top(heap)
                if heap and (best is None or heap[0][:2] < best[:2]):
                    best, best_kind = heap[0], kind
            if best is None:
                return None, expired
            heapq.heappop(self._heaps[best_kind])
            flight = best[3]
            if now is not None:
                live = []
                for t in flight.members:
                    if t.deadline is not None and t.deadline <= now:
                        expired.append(t)
                        del self._flight_of[t]
                        self.pending_tickets -= 1
                    else:
                        live.append(t)
                flight.members = live
                if not live:
                    self._forget(flight)
                    continue
            flight.running = True
            n = len(flight.members)
            self.running_flights[best_kind] += 1
            if self.running_flights[best_kind] > self.max_running_flights[best_kind]:
                self.max_running_flights[best_kind] = self.running_flights[best_kind]
            self.pending_tickets -= n
            self.running_tickets += n
            self.max_running = max(self.max_running, self.running_tickets)
            for t in flight.members:
                t.mark_running()
            return flight, expired

    def finish(self, flight: Flight) -> list[Ticket[Any]]:
        """Mark a running flight done; returns the tickets still waiting for its result."""
        if flight.running:
            self.running_flights[flight.kind] -= 1
            flight.running = False
        self.running_tickets -= len(flight.members)
        self._forget(flight)
        members, flight.members = flight.members, []
        for t in members:
            self._flight_of.pop(t, None)
        return members

    def take_all_pending(self) -> list[Ticket[Any]]:
        """Remove every waiting ticket (shutdown); running flights are left alone."""
        out: list[Ticket[Any]] = []
        for heap in self._heaps.values():
            for _p, _s, version, flight in heap:
                if not flight.running and flight.version == version and flight.members:
                    out.extend(flight.members)
                    for t in flight.members:
                        self._flight_of.pop(t, None)
                    flight.members = []
                    self._forget(flight)
            heap.clear()
        self.pending_tickets = 0
        return sorted(out, key=lambda t: t.id)

    def expire_due(self, now: float) -> list[Ticket[Any]]:
        """Detach every waiting ticket whose deadline is ``<= now`` (O(pending))."""
        due = [
            t
            for heap in self._heaps.values()
            for _p, _s, version, flight in heap
            if not flight.running and flight.version == version
            for t in flight.members
            if t.deadline is not None and t.deadline <= now
        ]
        for t in due:
            self.detach(t)
        return due

    # -- internals -----------------------------------------------------------------------

    def _push(self, flight: Flight) -> None:
        flight.version += 1
        heapq.heappush(
            self._heaps[flight.kind], (flight.priority, flight.seq, flight.version, flight)
        )

    @staticmethod
    def _clean_top(heap: list[tuple[int, int, int, Flight]]) -> None:
        while heap:
            _p, _s, version, flight = heap[0]
            if flight.running or flight.version != version or not flight.members:
                heapq.heappop(heap)
            else:
                return

    def _forget(self, flight: Flight) -> None:
        if flight.key is not None and self._by_key.get(flight.key) is flight:
            del self._by_key[flight.key]

    def _bump_pending(self, n: int) -> None:
        self.pending_tickets += n
        if self.pending_tickets > self.max_queue:
            self.max_queue = self.pending_tickets
