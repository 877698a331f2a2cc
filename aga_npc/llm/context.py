"""Per-request context carried down the wrapper stack: attempt trace, attempt kind, stream sink.

Wrappers keep the narrow ``complete(request)`` interface; what they need to tell each other
about one request travels in context variables, which asyncio copies per task, so requests
served concurrently never see each other's context:

- ``CallTrace``: every backend attempt of the request (usage, latency, error kind, whether it
  was a first try, a retry or a JSON re-ask). ``AttemptProbe`` (innermost) appends to it,
  the metering wrapper (outermost) turns it into ledger entries.
- attempt kind: set by the retry and JSON wrappers around their repeated calls.
- stream sink: where a streaming backend pushes text deltas (the gateway's ticket buffer).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Protocol

from aga_npc.errors import LLMError
from aga_npc.ports import LLMBackend
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = [
    "Attempt",
    "AttemptProbe",
    "CallTrace",
    "StreamSink",
    "attempt_kind",
    "current_attempt_kind",
    "current_sink",
    "current_trace",
    "error_kind",
    "stream_sink",
    "trace_call",
]

ATTEMPT_KINDS = ("first", "retry", "reask")


def error_kind(error: BaseException) -> str:
    """Short ledger name of a failure: ``LLMError.kind``, else the exception class name."""
    if isinstance(error, LLMError):
        return error.kind
    if isinstance(error, asyncio.CancelledError):
        return "cancelled"
    return type(error).__name__


@dataclass(frozen=True, slots=True, kw_only=True)
class Attempt:
    """One backend call made for a request.

    Attributes:
        kind: ``"first"``, ``"retry"`` (after a transient failure) or ``"reask"`` (JSON repair).
        usage: tokens the call consumed (0 when it failed before an answer).
        latency: wall seconds of the call.
        error_kind: why the attempt was not usable ("" when it was): the error kind, or
            ``"malformed"`` when it answered but the JSON wrapper rejected the answer.
        backend: backend name; ``model``: the model that answered.
        replayed: served from a recording instead of a live backend.
    """

    kind: str = "first"
    usage: Usage = field(default_factory=Usage)
    latency: float = 0.0
    error_kind: str = ""
    backend: str = ""
    model: str = ""
    replayed: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ATTEMPT_KINDS:
            raise ValueError(f"Attempt.kind must be one of {ATTEMPT_KINDS}, got {self.kind!r}")


class CallTrace:
    """The attempts made for one request (mutable, owned by one asyncio task).

    ``parse`` is set by the JSON wrapper: ``"first"`` when the first answer parsed and
    validated, ``"repaired"`` when a re-ask's did, ``"failed"`` when none did ("" for
    requests it did not parse).
    """

    __slots__ = ("attempts", "parse")

    def __init__(self) -> None:
        self.attempts: list[Attempt] = []
        self.parse = ""

    def add(self, attempt: Attempt) -> None:
        self.attempts.append(attempt)

    def mark_last(self, error_kind: str) -> None:
        """Mark the latest attempt as unusable (e.g. ``"malformed"`` JSON)."""
        if self.attempts:
            self.attempts[-1] = replace(self.attempts[-1], error_kind=error_kind)

    @property
    def usage(self) -> Usage:
        total = Usage()
        for a in self.attempts:
            total = total + a.usage
        return total


class StreamSink(Protocol):
    """Receives a streaming completion's text as it arrives."""

    def reset(self) -> None:
        """A new attempt starts: forget text received so far."""
        ...

    def delta(self, text: str) -> None:
        """Append a piece of text."""
        ...


_trace: ContextVar[CallTrace | None] = ContextVar("aga_npc_call_trace", default=None)
_kind: ContextVar[str] = ContextVar("aga_npc_attempt_kind", default="first")
_sink: ContextVar[StreamSink | None] = ContextVar("aga_npc_stream_sink", default=None)


def current_trace() -> CallTrace | None:
    """The trace of the request being served in this task, if any."""
    return _trace.get()


def current_attempt_kind() -> str:
    return _kind.get()


def current_sink() -> StreamSink | None:
    return _sink.get()


@contextlib.contextmanager
def trace_call(trace: CallTrace | None = None) -> Iterator[CallTrace]:
    """Run a block with ``trace`` (or a new one) as the current request trace."""
    t = trace if trace is not None else CallTrace()
    token = _trace.set(t)
    try:
        yield t
    finally:
        _trace.reset(token)


@contextlib.contextmanager
def attempt_kind(kind: str) -> Iterator[None]:
    """Calls made inside the block are attempts of this kind (``"retry"``, ``"reask"``)."""
    token = _kind.set(kind)
    try:
        yield
    finally:
        _kind.reset(token)


@contextlib.contextmanager
def stream_sink(sink: StreamSink | None) -> Iterator[None]:
    """Streaming backends push text deltas of calls inside the block to ``sink``."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


class AttemptProbe:
    """Innermost wrapper: records every call to the backend it wraps into the current trace.

    Args:
        inner: the real backend (or the replayer).
        clock: monotonic seconds, for the attempt latency.
    """

    def __init__(self, inner: LLMBackend, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self._clock = clock

    async def complete(self, request: LLMRequest) -> LLMResult:
        trace = _trace.get()
        kind = _kind.get()
        t0 = self._clock()
        try:
            result = await self.inner.complete(request)
        except BaseException as exc:
            if trace is not None:
                trace.add(
                    Attempt(
                        kind=kind,
                        latency=self._clock() - t0,
                        error_kind=error_kind(exc),
                        backend=self.inner.name,
                        model=self.inner.model,
                    )
                )
            raise
        if trace is not None:
            trace.add(
                Attempt(
                    kind=kind,
                    usage=result.usage,
                    latency=self._clock() - t0,
                    backend=result.backend or self.inner.name,
                    model=result.model or self.inner.model,
                    replayed=result.outcome == "replayed",
                )
            )
        return result

    async def aclose(self) -> None:
        await close_backend(self.inner)


async def close_backend(backend: object) -> None:
    """Close a backend (and, through wrappers, the one inside it) when it can be closed."""
    aclose = getattr(backend, "aclose", None)
    if aclose is not None:
        await aclose()
