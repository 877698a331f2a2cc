"""The sans-I/O scheduler: bookkeeping invariants under random operation sequences."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aga_npc.runtime.scheduler import LLM, Flight, Scheduler
from aga_npc.runtime.tickets import Ticket
from aga_npc.types import ChatMessage, LLMRequest


class Owner:
    def cancel_ticket(self, ticket: Ticket[Any]) -> bool:
        return False

    def set_ticket_priority(self, ticket: Ticket[Any], priority: int) -> None:
        ticket.priority = priority


OWNER = Owner()


def ticket(i: int, text: str, priority: int, deadline: float | None = None) -> Ticket[Any]:
    r = LLMRequest(agent="a", module="m", messages=(ChatMessage(role="user", content=text),))
    return Ticket(i, OWNER, request=r, agent="a", kind="m", priority=priority, deadline=deadline)


ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 5), st.sampled_from([0, 10, 50, 90])),
        st.tuples(st.just("detach"), st.integers(0, 200), st.just(0)),
        st.tuples(st.just("prio"), st.integers(0, 200), st.sampled_from([0, 10, 50, 90])),
        st.tuples(st.just("start"), st.just(0), st.just(0)),
        st.tuples(st.just("finish"), st.integers(0, 10), st.just(0)),
    ),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(ops)
def test_counts_match_flights_and_start_order_respects_priority(
    sequence: list[tuple[str, int, int]],
) -> None:
    sched = Scheduler(llm_limit=2, call_limit=1)
    tickets: list[Ticket[Any]] = []
    running: list[Flight] = []
    for op, a, b in sequence:
        if op == "add":
            t = ticket(len(tickets) + 1, f"q{a}", b)
            tickets.append(t)
            sched.add(t)
        elif op == "detach" and tickets:
            t = tickets[a % len(tickets)]
            stopped = sched.detach(t)
            if stopped is not None:
                assert stopped.running and not stopped.members
                running.remove(stopped)
                sched.finish(stopped)
        elif op == "prio" and tickets:
            t = tickets[a % len(tickets)]
            t.priority = b
            sched.reprioritise(t)
        elif op == "start":
            waiting = _pending_flights(sched, tickets)
            flight, expired = sched.next_ready(None)
            assert expired == []
            if flight is None:
                assert not waiting or sched.running_flights[LLM] == 2
            else:
                best = min((f.priority, f.seq) for f in waiting)
                assert (flight.priority, flight.seq) == best
                running.append(flight)
        elif op == "finish" and running:
            sched.finish(running.pop(a % len(running)))
        # invariants
        pending = _pending_flights(sched, tickets)
        assert sched.pending_tickets == sum(len(f.members) for f in pending)
        assert sched.running_tickets == sum(len(f.members) for f in running)
        assert sched.running_flights[LLM] == len(running) <= 2
        assert sched.max_queue >= sched.pending_tickets
        held = [t for t in tickets if sched.flight_of(t) is not None]
        assert len(held) == sched.pending_tickets + sched.running_tickets
        assert all(t in f.members for t in held if (f := sched.flight_of(t)) is not None)


def _pending_flights(sched: Scheduler, tickets: list[Ticket[Any]]) -> list[Flight]:
    seen: dict[int, Flight] = {}
    for t in tickets:
        f = sched.flight_of(t)
        if f is not None and not f.running and f.members:
            seen[id(f)] = f
    return list(seen.values())


def test_expired_members_are_returned_at_start() -> None:
    sched = Scheduler(llm_limit=1, call_limit=1)
    late = ticket(1, "same", 50, deadline=5.0)
    fine = ticket(2, "same", 50, deadline=50.0)
    sched.add(late)
    sched.add(fine)
    flight, expired = sched.next_ready(10.0)
    assert expired == [late]
    assert flight is not None and flight.members == [fine]
    assert sched.pending_tickets == 0 and sched.running_tickets == 1


def test_take_all_pending_leaves_running_work() -> None:
    sched = Scheduler(llm_limit=1, call_limit=1)
    for i in range(4):
        sched.add(ticket(i + 1, f"q{i}", 50))
    flight, _ = sched.next_ready(None)
    assert flight is not None
    taken = sched.take_all_pending()
    assert [t.id for t in taken] == [2, 3, 4]
    assert sched.pending_tickets == 0 and sched.running_tickets == 1
    assert sched.next_ready(None) == (None, [])


def test_fan_out_skips_tickets_cancelled_at_the_last_moment() -> None:
    from aga_npc.errors import RequestCancelledError
    from aga_npc.llm import TokenLedger
    from aga_npc.runtime.serving import fan_out
    from aga_npc.types import LLMResult, Usage

    a, b, c = (ticket(i, "same", 50) for i in (1, 2, 3))
    cancelled = LLMResult(error=RequestCancelledError("x"), outcome="cancelled")
    assert b.complete(cancelled)  # the game thread won the race for b
    ledger = TokenLedger()
    result = LLMResult(text="hi", usage=Usage(prompt_tokens=5, completion_tokens=1), backend="f")
    done = fan_out([a, b, c], result, ledger)
    assert done == [a, c]
    assert b.result() is cancelled
    assert a.result() is result
    c_result = c.result()
    assert c_result is not None and c_result.outcome == "coalesced" and c_result.usage == Usage()
    assert [e.outcome for e in ledger.entries()] == ["coalesced"]
