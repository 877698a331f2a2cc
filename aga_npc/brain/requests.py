"""RequestBook: one brain's requests in flight, each with a typed continuation.

A brain part asks with :meth:`RequestBook.ask` (an LLM request of one ``Module`` kind, a
parser that turns the answer into that kind's dataclass, and a continuation) or
:meth:`RequestBook.call` (a blocking callable such as an embedding, run by the gateway's
worker). :meth:`RequestBook.poll` runs the continuations of finished tickets on the
brain's own tick, in submission order. A continuation receives either its parsed answer or
a :class:`Failure` - never the raw result - so nothing untyped crosses the async boundary.

Thread contract: everything here runs on the game thread; the gateway's tickets are the
only objects shared with workers, and they are only polled (``done()``, ``result()``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from aga_npc.ports import RequestGateway, RequestTicket
from aga_npc.types import CallResult, ChatMessage, LLMRequest, LLMResult, Module, Priority

__all__ = ["CallKind", "Failure", "RequestBook", "Requests"]

T = TypeVar("T")
_REQUEST_IDS = itertools.count(1)  # unique per process: no two requests share a dedup key


class CallKind:
    """Names of the non-LLM calls a brain makes through the gateway (stats and logs)."""

    EMBED_PLAN = "embed_plan"
    EMBED_MEMORIES = "embed_memories"
    EMBED_QUERY = "embed_query"
    CLUSTER = "cluster_memories"


@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """A request that gave no usable answer.

    Attributes:
        kind: the request kind (a ``Module`` value or a ``CallKind`` name).
        reason: why, in words (the error message, or the parser's complaint).
        outcome: the ledger outcome ("failed", "refused", "expired", "cancelled", ...) or
            "unparsed" when the answer came but could not be read.
    """

    kind: str
    reason: str
    outcome: str = "failed"


@dataclass(slots=True)
class _Entry(Generic[T]):
    kind: str
    ticket: RequestTicket[Any]
    parse: Callable[[Any], T]
    then: Callable[[T | Failure], None]
    llm: bool


class Requests(Protocol):
    """What the parts of a brain (planner, resolver, mind, reactions) ask through."""

    def ask(
        self,
        kind: Module,
        messages: Sequence[ChatMessage],
        *,
        parse: Callable[[LLMResult], T],
        then: Callable[[T | Failure], None],
        day: int,
        json: bool = True,
        validator: Callable[[Any], Any] | None = None,
        priority: int = Priority.NORMAL,
        max_tokens: int = 300,
        agent: str | None = None,
    ) -> None: ...

    def call(
        self,
        kind: str,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T | Failure], None],
        priority: int = Priority.LOW,
        agent: str | None = None,
    ) -> None: ...


@dataclass(slots=True)
class BookStats:
    """What one brain's requests cost (the overlay and the report read it)."""

    llm_calls: int = 0
    tokens: int = 0
    failures: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "llm_calls": self.llm_calls,
            "tokens": self.tokens,
            "failures": self.failures,
            "by_kind": dict(self.by_kind),
        }

    def load(self, data: dict[str, Any]) -> None:
        self.llm_calls = int(data.get("llm_calls", 0))
        self.tokens = int(data.get("tokens", 0))
        self.failures = int(data.get("failures", 0))
        self.by_kind = {str(k): int(v) for k, v in dict(data.get("by_kind", {})).items()}


class RequestBook:
    """The requests of one agent, with their continuations.

    Args:
        gateway: the request gateway (threaded in games, inline in the simulation).
        agent: the agent's name (every request is made for it).
    """

    def __init__(self, gateway: RequestGateway, agent: str) -> None:
        self.gateway = gateway
        self.agent = agent
        self.stats = BookStats()
        self._entries: list[_Entry[Any]] = []

    def ask(
        self,
        kind: Module,
        messages: Sequence[ChatMessage],
        *,
        parse: Callable[[LLMResult], T],
        then: Callable[[T | Failure], None],
        day: int,
        json: bool = True,
        validator: Callable[[Any], Any] | None = None,
        priority: int = Priority.NORMAL,
        max_tokens: int = 300,
        agent: str | None = None,
    ) -> None:
        """Submit one LLM request of ``kind``; ``then`` gets ``parse(result)`` or a Failure.

        ``parse`` may raise ValueError (the answer is unusable): ``then`` gets a Failure with
        outcome "unparsed". ``agent`` names whom the request is for when it is not the
        book's own agent (a conversation's book asks for each speaker).
        """
        who = agent or self.agent
        request = LLMRequest(
            agent=who,
            module=kind,
            messages=tuple(messages),
            json=json,
            validator=validator,
            priority=priority,
            allow_fallback=True,
            max_tokens=max_tokens,
            day=day,
            # every request is its own call, as in Generative Agents: two agents asking
            # the same thing in the same minute are not served by one call
            dedup_key=f"{who}#{next(_REQUEST_IDS)}",
        )
        ticket = self.gateway.submit(request)
        self._entries.append(_Entry(kind.value, ticket, parse, then, llm=True))

    def call(
        self,
        kind: str,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T | Failure], None],
        priority: int = Priority.LOW,
        agent: str | None = None,
    ) -> None:
        """Run ``fn(*args)`` on the gateway's worker; ``then`` gets its value or a Failure."""
        ticket = self.gateway.submit_call(
            fn, *args, agent=agent or self.agent, kind=kind, priority=priority
        )
        self._entries.append(_Entry(kind, ticket, _call_value, then, llm=False))

    def has_answers(self) -> bool:
        """Whether a request has finished (the next :meth:`poll` handles it)."""
        return any(e.ticket.done() for e in self._entries)

    def kinds(self) -> tuple[str, ...]:
        """The kinds in flight, in submission order (debug views)."""
        return tuple(e.kind for e in self._entries)

    def count(self, kind: str) -> int:
        return sum(1 for e in self._entries if e.kind == kind)

    def __len__(self) -> int:
        return len(self._entries)

    def poll(self, limit: int | None = None) -> int:
        """Run the continuations of finished requests (at most ``limit``, oldest first);
        returns how many ran. Continuations may ask again; those wait for a later poll."""
        if not self._entries:
            return 0
        finished: list[_Entry[Any]] = []
        keep: list[_Entry[Any]] = []
        for entry in self._entries:
            if (limit is None or len(finished) < limit) and entry.ticket.done():
                finished.append(entry)
            else:
                keep.append(entry)
        if not finished:
            return 0
        self._entries = keep
        for entry in finished:
            entry.then(self._outcome(entry))
        return len(finished)

    def drop_all(self) -> None:
        """Forget every request in flight (a save was loaded: the work is asked again)."""
        for entry in self._entries:
            entry.ticket.cancel()
        self._entries = []

    def _outcome(self, entry: _Entry[T]) -> T | Failure:
        result = entry.ticket.result()
        if entry.llm and isinstance(result, LLMResult):
            if result.attempts > 0:
                self.stats.llm_calls += 1
                self.stats.by_kind[entry.kind] = self.stats.by_kind.get(entry.kind, 0) + 1
            self.stats.tokens += result.usage.total_tokens
        error = getattr(result, "error", None)
        if result is None or error is not None:
            self.stats.failures += 1
            outcome = str(getattr(result, "outcome", "failed"))
            return Failure(kind=entry.kind, reason=str(error or "no result"), outcome=outcome)
        try:
            return entry.parse(result)
        except (ValueError, TypeError, KeyError) as exc:
            self.stats.failures += 1
            return Failure(kind=entry.kind, reason=str(exc), outcome="unparsed")


def _call_value(result: CallResult) -> Any:
    return result.value
