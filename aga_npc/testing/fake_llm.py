"""FakeLLM: a scripted, deterministic LLM backend for tests (yours and ours).

Answers by module (a fixed text, or a list of texts served in turn), by a callable, or a
default; raises scripted errors for chosen calls; can add artificial async latency or
hold every call until released; records each call so tests can count backend calls.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence

from aga_npc.llm.context import current_sink
from aga_npc.llm.tokens import count_message_tokens, count_tokens
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["FakeLLM"]

Responder = Callable[[LLMRequest], str]


class FakeLLM:
    """A scripted backend implementing ``LLMBackend`` and ``StreamingBackend``.

    Args:
        responses: ``{module: text}`` or ``{module: [text, text, ...]}`` (served in order,
            the last one repeating), or a callable ``request -> text``.
        default: the text for modules ``responses`` does not name.
        failures: errors to raise on the first calls, in order (``None`` = answer normally).
        latency: seconds each call takes (awaited with ``sleep``).
        model: the model name reported in results.
        sleep: awaited for ``latency`` (inject a no-op for instant tests).

    Attributes:
        calls: every request received, in order (failed calls included).
        in_flight / max_in_flight: calls running now / at most at once.
    """

    name = "fake"

    def __init__(
        self,
        responses: Mapping[str, str | Sequence[str]] | Responder | None = None,
        *,
        default: str = "ok",
        failures: Iterable[BaseException | None] = (),
        latency: float = 0.0,
        model: str = "fake-model",
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.model = model
        self.default = default
        self.latency = latency
        self._sleep = sleep
        self._responder: Responder | None = None
        self._scripts: dict[str, deque[str]] = {}
        if callable(responses):
            self._responder = responses
        elif responses is not None:
            for module, value in responses.items():
                texts = [value] if isinstance(value, str) else list(value)
                if not texts:
                    raise ValueError(f"FakeLLM responses for {module!r} must not be empty")
                self._scripts[str(module)] = deque(texts)
        self._failures: deque[BaseException | None] = deque(failures)
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._released.set()
        self.calls: list[LLMRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.closed = False

    @property
    def call_count(self) -> int:
        with self._lock:
            return len(self.calls)

    def calls_for(self, module: str) -> list[LLMRequest]:
        """The calls received for one module."""
        with self._lock:
            return [r for r in self.calls if r.module_name == module]

    def fail_next(self, *errors: BaseException | None) -> None:
        """Raise these errors (``None`` = answer) on the next calls, before older scripts."""
        with self._lock:
            self._failures.extendleft(reversed(errors))

    def hold(self) -> None:
        """Make every call wait (from now on) until ``release()``; thread-safe."""
        self._released.clear()

    def release(self) -> None:
        """Let held and future calls proceed."""
        self._released.set()

    def _text_for(self, request: LLMRequest) -> str:
        if self._responder is not None:
            return self._responder(request)
        script = self._scripts.get(request.module_name)
        if script is None:
            return self.default
        return script.popleft() if len(script) > 1 else script[0]

    async def _begin(self, request: LLMRequest) -> BaseException | None:
        with self._lock:
            self.calls.append(request)
            failure = self._failures.popleft() if self._failures else None
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            while not self._released.is_set():
                await asyncio.sleep(0.001)
            if self.latency > 0:
                await self._sleep(self.latency)
        except BaseException:
            self._end()
            raise
        return failure

    def _end(self) -> None:
        with self._lock:
            self.in_flight -= 1

    async def complete(self, request: LLMRequest) -> LLMResult:
        """Answer ``request`` from the script (streams word by word into the current sink)."""
        failure = await self._begin(request)
        try:
            if failure is not None:
                raise failure
            with self._lock:
                text = self._text_for(request)
        finally:
            self._end()
        sink = current_sink()
        if request.stream and sink is not None:
            sink.reset()
            for piece in _pieces(text):
                sink.delta(piece)
        return LLMResult(
            text=text,
            usage=Usage(
                prompt_tokens=count_message_tokens(request.messages),
                completion_tokens=count_tokens(text),
            ),
            latency=self.latency,
            attempts=1,
            backend=self.name,
            model=self.model,
        )

    async def stream(self, request: LLMRequest) -> AsyncIterator[str]:
        """Yield the scripted answer word by word."""
        result = await self.complete(request)
        for piece in _pieces(result.text):
            yield piece

    async def aclose(self) -> None:
        self.closed = True


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)]
