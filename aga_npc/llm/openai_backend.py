"""The ``openai`` backend: any OpenAI-compatible chat server through ``openai.AsyncOpenAI``.

Works with OpenAI, Ollama, vLLM, LM Studio and the llama.cpp server. The SDK's own retries
are off (``max_retries=0``): the retry wrapper owns that. SDK exceptions become the
``aga_npc.errors`` tree. Streaming requests ask for ``stream_options={"include_usage":
True}``. Token counts come from the server's usage, else from the offline tokenizer. This
is the only module that imports ``openai``.

Structured outputs (``structured``, or ``AGA_LLM_STRUCTURED``): a JSON request whose kind
declares its answer's schema (``aga_npc.llm.schemas``) is sent with
``response_format={"type": "json_schema", "json_schema": {...}}`` (OpenAI, vLLM and the
llama.cpp server constrain the answer to it); other JSON requests with
``{"type": "json_object"}``.

- ``"auto"`` (default): schemas while the server takes them, detected on the first schema
  request: a 400, 422 or 500 to ``json_schema`` tries llama-cpp-python's form
  (``{"type": "json_object", "schema": {...}}``), and a failure of that drops schemas for
  the rest of the session (``json_object`` only; a 400 to that drops it too). The first
  form that answers is kept for the session.
- ``"json_schema"``: always send schemas (a server that rejects them fails the request).
- ``"ollama"``: Ollama's own ``format`` field holds the schema (plus ``json_object``).
- ``"off"``: ``json_object`` only, as before schemas existed.
- ``"none"``: no ``response_format`` at all; the prompt and the repair path only (for a
  server whose constrained sampling is too slow: llama-cpp-python's grammar sampling on a
  small CPU ran at well under one token a second here).

Whatever the server does with the schema, the answer still goes through the JSON repair
wrapper above this backend (parse, validate, re-ask once).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import openai

from aga_npc.config import Settings
from aga_npc.errors import (
    ConfigError,
    EmptyResponseError,
    LLMConnectionError,
    LLMError,
    LLMTimeoutError,
    PermanentLLMError,
    RateLimitError,
    ServerError,
)
from aga_npc.llm.context import current_sink
from aga_npc.llm.registry import register_backend
from aga_npc.llm.retry import parse_retry_after
from aga_npc.llm.schemas import schema_for
from aga_npc.llm.tokens import count_message_tokens, count_tokens
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["STRUCTURED_MODES", "OpenAIBackend", "create_openai_backend", "map_openai_error"]

log = logging.getLogger(__name__)

# Local servers ignore the key, but the SDK insists on one.
NO_KEY_PLACEHOLDER = "no-key-set"
RETRYABLE_STATUS = frozenset({408, 409})
STRUCTURED_MODES = ("auto", "json_schema", "ollama", "off", "none")
_SCHEMA_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def cached_prompt_tokens(usage: Any) -> int:
    """``usage.prompt_tokens_details.cached_tokens`` (prompt tokens the server took from its
    prefix cache), at most the prompt tokens; 0 when the server does not report it."""
    details = getattr(usage, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) if details is not None else None
    if not isinstance(cached, int) or cached < 0:
        return 0
    return min(cached, int(getattr(usage, "prompt_tokens", 0) or 0))


def map_openai_error(exc: BaseException, *, now: float) -> LLMError:
    """The ``aga_npc.errors`` counterpart of an ``openai`` SDK exception.

    429 -> ``RateLimitError`` (with Retry-After); 408, 409, 5xx -> ``ServerError``;
    timeouts -> ``LLMTimeoutError``; unreachable -> ``LLMConnectionError``; an error event
    inside a stream -> ``ServerError``; anything else -> ``PermanentLLMError``.
    ``now`` is the Unix time, to read a Retry-After given as an HTTP date.
    """
    if isinstance(exc, openai.APITimeoutError):
        return LLMTimeoutError(f"request timed out: {exc}")
    if isinstance(exc, openai.APIConnectionError):
        return LLMConnectionError(f"could not reach the server: {exc}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        headers = {str(k): str(v) for k, v in exc.response.headers.items()}
        retry_after = parse_retry_after(headers, now=now)
        msg = f"HTTP {status}: {exc.message}"
        if status == 429:
            return RateLimitError(msg, status=status, retry_after=retry_after)
        if status >= 500 or status in RETRYABLE_STATUS:
            return ServerError(msg, status=status, retry_after=retry_after)
        return PermanentLLMError(msg, status=status)
    if isinstance(exc, openai.APIResponseValidationError):
        return PermanentLLMError(f"unexpected response shape: {exc}", status=exc.status_code)
    if isinstance(exc, openai.APIError):
        return ServerError(f"server reported an error: {exc.message}")
    return PermanentLLMError(f"{type(exc).__name__}: {exc}")


@dataclass(slots=True)
class _StreamState:
    usage: Usage | None = None
    model: str = ""
    pieces: list[str] = field(default_factory=list)


class OpenAIBackend:
    """Chat completions from an OpenAI-compatible server.

    Args:
        model: the model name sent with every request.
        base_url: the server's ``/v1`` URL (None: api.openai.com).
        api_key: kept in memory only (never in ``repr``, logs or files).
        timeout: seconds per request (connect, read, write each).
        clock: monotonic seconds, for latency. ``wall_clock``: Unix time, for Retry-After dates.
        structured: how answer schemas are sent (``STRUCTURED_MODES``; module docstring).

    ``schema_form`` is the form schemas are sent in (``"json_schema"``, ``"json_object"``
    for llama-cpp-python's, ``"ollama"``, or ``""`` once an ``"auto"`` server rejected
    both); ``schema_confirmed`` turns True once a server answered one;
    ``schema_requests`` counts the requests sent with one.
    """

    name = "openai"

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        structured: str = "auto",
    ) -> None:
        if structured not in STRUCTURED_MODES:
            raise ValueError(
                f"structured must be one of {', '.join(STRUCTURED_MODES)}, got {structured!r}"
            )
        self.model = model
        self.structured = structured
        self.base_url = base_url
        self.timeout = timeout
        self._api_key = api_key
        self._clock = clock
        self._wall_clock = wall_clock
        self._client: openai.AsyncOpenAI | None = None
        self.json_mode_supported = True
        self.stream_usage_supported = True
        self.schemas_supported = structured not in ("off", "none")
        self.schema_form = {"off": "", "ollama": "ollama"}.get(structured, "json_schema")
        self.schema_confirmed = False
        self.schema_requests = 0

    def __repr__(self) -> str:
        return f"OpenAIBackend(model={self.model!r}, base_url={self.base_url!r})"

    def _get_client(self) -> openai.AsyncOpenAI:
        # Created on first use, inside the event loop that will serve every call.
        if self._client is None:
            self._client = openai.AsyncOpenAI(
                base_url=self.base_url,
                api_key=self._api_key or NO_KEY_PLACEHOLDER,
                timeout=self.timeout,
                max_retries=0,
            )
        return self._client

    def _params(
        self, request: LLMRequest, *, stream: bool
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        base: dict[str, Any] = {
            "model": self.model,
            "messages": [m.to_dict() for m in request.messages],
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
        }
        if request.seed is not None:
            base["seed"] = request.seed
        optional: dict[str, Any] = {}
        schema = schema_for(request) if self.schemas_supported else None
        if schema is not None and self.schema_form == "ollama":
            optional["extra_body"] = {"format": schema}
        elif schema is not None and self.schema_form == "json_object":
            optional["response_format"] = {"type": "json_object", "schema": schema}
        elif schema is not None:
            optional["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": _schema_name(request.module_name),
                    "schema": schema,
                    "strict": False,
                },
            }
        plain = self.structured == "none"
        if (
            request.json
            and self.json_mode_supported
            and not plain
            and "response_format" not in optional
        ):
            optional["response_format"] = {"type": "json_object"}
        if stream:
            base["stream"] = True
            if self.stream_usage_supported:
                optional["stream_options"] = {"include_usage": True}
        return base, optional

    def _uses_schema(self, optional: dict[str, Any]) -> bool:
        fmt = optional.get("response_format")
        return "extra_body" in optional or (isinstance(fmt, dict) and len(fmt) > 1)

    async def _create(self, request: LLMRequest, *, stream: bool) -> Any:
        client = self._get_client()
        base, optional = self._params(request, stream=stream)
        with_schema = self._uses_schema(optional)
        if with_schema:
            self.schema_requests += 1
        detecting = with_schema and self.structured == "auto" and not self.schema_confirmed
        try:
            response = await client.chat.completions.create(**base, **optional)
        except (openai.UnprocessableEntityError, openai.InternalServerError) as exc:
            if not detecting:
                raise map_openai_error(exc, now=self._wall_clock()) from exc
            return await self._next_schema_form(request, stream=stream, status=exc.status_code)
        except openai.BadRequestError as exc:
            if detecting:
                return await self._next_schema_form(request, stream=stream, status=400)
            if not optional or (with_schema and self.structured != "auto"):
                raise map_openai_error(exc, now=self._wall_clock()) from exc
            first = exc
        except openai.OpenAIError as exc:
            raise map_openai_error(exc, now=self._wall_clock()) from exc
        else:
            if with_schema:
                self.schema_confirmed = True
            return response
        # 400 with optional parameters: the server may not know them. Ask once without.
        try:
            response = await client.chat.completions.create(**base)
        except openai.OpenAIError as exc:
            raise map_openai_error(exc, now=self._wall_clock()) from first
        if "response_format" in optional:
            self.json_mode_supported = False
        if "stream_options" in optional:
            self.stream_usage_supported = False
        log.info(
            "%s at %s rejected %s (HTTP 400); continuing without it",
            self.model,
            self.base_url,
            ", ".join(sorted(optional)),
        )
        return response

    async def _next_schema_form(self, request: LLMRequest, *, stream: bool, status: int) -> Any:
        """An ``"auto"`` server failed a schema request: try the next form (the detection,
        once per session), then ask the request again."""
        self.schema_requests -= 1
        if self.schema_form == "json_schema":
            self.schema_form = "json_object"
        else:
            self.schema_form = ""
            self.schemas_supported = False
        log.info(
            "%s at %s failed an answer schema (HTTP %s); %s from now on",
            self.model,
            self.base_url,
            status,
            f"schemas as {self.schema_form}" if self.schema_form else "JSON mode",
        )
        return await self._create(request, stream=stream)

    async def complete(self, request: LLMRequest) -> LLMResult:
        """One completion; streams into the current stream sink when ``request.stream``.

        Raises:
            LLMError: a subclass from ``map_openai_error``, or ``EmptyResponseError``.
        """
        if request.stream:
            return await self._complete_streaming(request)
        t0 = self._clock()
        response = await self._create(request, stream=False)
        choices = response.choices or []
        text = (choices[0].message.content or "") if choices else ""
        if not text.strip():
            raise EmptyResponseError(f"{self.model} answered {request.module_name} with no content")
        usage = self._usage(response.usage, request, text)
        return LLMResult(
            text=text,
            usage=usage,
            latency=self._clock() - t0,
            attempts=1,
            backend=self.name,
            model=response.model or self.model,
        )

    @staticmethod
    def _usage(raw: Any, request: LLMRequest, text: str) -> Usage:
        if raw is not None and raw.prompt_tokens is not None:
            return Usage(
                prompt_tokens=int(raw.prompt_tokens),
                completion_tokens=int(raw.completion_tokens or 0),
                cached_tokens=cached_prompt_tokens(raw),
            )
        return Usage(
            prompt_tokens=count_message_tokens(request.messages),
            completion_tokens=count_tokens(text),
        )

    async def _iter_stream(self, request: LLMRequest, state: _StreamState) -> AsyncIterator[str]:
        stream = await self._create(request, stream=True)
        try:
            async for chunk in stream:
                if chunk.model:
                    state.model = chunk.model
                if chunk.usage is not None:
                    state.usage = Usage(
                        prompt_tokens=int(chunk.usage.prompt_tokens or 0),
                        completion_tokens=int(chunk.usage.completion_tokens or 0),
                        cached_tokens=cached_prompt_tokens(chunk.usage),
                    )
                for choice in chunk.choices or ():
                    piece = choice.delta.content if choice.delta is not None else None
                    if piece:
                        state.pieces.append(piece)
                        yield piece
        except openai.OpenAIError as exc:
            raise map_openai_error(exc, now=self._wall_clock()) from exc
        finally:
            await stream.close()

    async def _complete_streaming(self, request: LLMRequest) -> LLMResult:
        t0 = self._clock()
        sink = current_sink()
        if sink is not None:
            sink.reset()
        state = _StreamState()
        async for piece in self._iter_stream(request, state):
            if sink is not None:
                sink.delta(piece)
        text = "".join(state.pieces)
        if not text.strip():
            raise EmptyResponseError(f"{self.model} streamed no content for {request.module_name}")
        usage = state.usage or Usage(
            prompt_tokens=count_message_tokens(request.messages),
            completion_tokens=count_tokens(text),
        )
        return LLMResult(
            text=text,
            usage=usage,
            latency=self._clock() - t0,
            attempts=1,
            backend=self.name,
            model=state.model or self.model,
        )

    async def stream(self, request: LLMRequest) -> AsyncIterator[str]:
        """Yield the completion's text deltas as the server sends them.

        Raises:
            LLMError: as ``complete``; a failure mid-stream ends the iteration with it.
        """
        state = _StreamState()
        async for piece in self._iter_stream(request, state):
            yield piece

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()


def _schema_name(module: str) -> str:
    """A schema name servers accept (letters, digits, ``_`` and ``-``, at most 64)."""
    name = "".join(c if c in _SCHEMA_NAME_CHARS else "_" for c in module)[:64]
    return name or "answer"


def create_openai_backend(settings: Settings) -> OpenAIBackend:
    """The registry factory: an ``OpenAIBackend`` from ``Settings`` (structured outputs
    from ``AGA_LLM_STRUCTURED``: auto, json_schema, ollama or off; default auto)."""
    structured = (os.environ.get("AGA_LLM_STRUCTURED") or "auto").strip().lower()
    if structured not in STRUCTURED_MODES:
        raise ConfigError(
            f"AGA_LLM_STRUCTURED must be one of {', '.join(STRUCTURED_MODES)}, got {structured!r}"
        )
    return OpenAIBackend(
        model=settings.model,
        base_url=settings.base_url,
        api_key=settings.api_key,
        timeout=settings.request_timeout,
        structured=structured,
    )


register_backend("openai", create_openai_backend, replace=True)
