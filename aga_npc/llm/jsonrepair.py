"""JSON parse-and-repair: strip code fences, extract the first JSON object, validate, re-ask once.

``extract_json`` is pure. Besides fences and prose around the JSON it mends what small
models write: single-quoted strings and keys, trailing commas, Python's ``True``/``False``/
``None``, and a reply that repeats its object (the first one is taken).
``JsonRepairBackend`` wraps a backend: for ``request.json`` requests it parses and
validates the completion; when that fails (an empty answer included) it asks once more,
showing the model its reply and what was wrong, and then raises ``MalformedOutputError``.
It tells the request's trace whether the first answer parsed (``CallTrace.parse``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aga_npc.errors import EmptyResponseError, MalformedOutputError
from aga_npc.llm.context import attempt_kind, close_backend, current_trace
from aga_npc.ports import LLMBackend
from aga_npc.types import ChatMessage, LLMRequest, LLMResult

__all__ = ["JsonRepairBackend", "extract_json", "parse_and_validate"]

_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)```", re.DOTALL)
_SHOWN_REPLY_CHARS = 2000
REASK_TEMPLATE = (
    "Your previous reply could not be used: {reason}. Reply again with exactly one JSON "
    "object and nothing else: no code fences, no comments, no text before or after it."
)
# What a validator may raise to say "wrong shape"; anything else is a bug and propagates.
VALIDATION_ERRORS = (ValueError, TypeError, KeyError, IndexError)


_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_PY_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"|\b(True|False|None)\b')
_PY_JSON = {"True": "true", "False": "false", "None": "null"}


def _first_object(text: str) -> Any:
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        return value
    raise ValueError("no JSON object found in the reply")


def _requote(text: str) -> str:
    """Single-quoted strings as JSON strings ({'a': 'it\'s'} -> {"a": "it's"}); double-
    quoted strings are kept as they are, apostrophes inside words left alone."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
            continue
        prev = text[:i].rstrip()[-1:] if i else ""
        if c == "'" and prev in ("", "{", "[", ",", ":"):
            j = i + 1
            buf: list[str] = []
            while j < n:
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                if text[j] == "'" and text[j + 1 : j + 2].strip()[:1] in ("", ",", "}", "]", ":"):
                    break
                buf.append(text[j])
                j += 1
            out.append(json.dumps("".join(buf), ensure_ascii=False))
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _mend(text: str) -> str:
    """What small models get wrong in otherwise readable JSON, put right."""
    mended = _requote(text) if "'" in text else text
    # Python literals outside strings ("True story" inside a string stays)
    mended = _PY_LITERAL.sub(lambda m: _PY_JSON[m.group(1)] if m.group(1) else m.group(0), mended)
    return _TRAILING_COMMA.sub(r"\1", mended)


def extract_json(text: str) -> Any:
    """The JSON value in a model's reply.

    Tries, in order: the whole text; the contents of the first code fence (```json ... ```);
    the first ``{...}`` object that parses, wherever it starts. The first two only count
    when they hold an object or an array (a bare ``42`` or ``"ok"`` is not an answer).

    Raises:
        ValueError: no JSON could be found; the message says so.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError("the reply is empty")
    whole = _loads_container(stripped)
    if whole is not None:
        return whole
    fence = _FENCE.search(stripped)
    if fence is not None:
        stripped = fence.group(1).strip()
        fenced = _loads_container(stripped)
        if fenced is not None:
            return fenced
    outer = _object_at_first_brace(stripped)
    if outer is not None:
        return outer
    mended = _mend(stripped)
    value = _loads_container(mended)
    if value is None:
        value = _object_at_first_brace(mended)
    return value if value is not None else _first_object(stripped)


def _object_at_first_brace(text: str) -> Any:
    start = text.find("{")
    if start < 0:
        return None
    try:
        value, _end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError:
        return None
    return value


def _loads_container(text: str) -> dict[str, Any] | list[Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict | list) else None


def parse_and_validate(text: str, validator: Callable[[Any], Any] | None) -> Any:
    """``extract_json`` then ``validator`` (if any); raises ValueError-like errors when bad."""
    value = extract_json(text)
    return validator(value) if validator is not None else value


def _reason(exc: BaseException) -> str:
    msg = str(exc) or type(exc).__name__
    return msg if isinstance(exc, ValueError) else f"{type(exc).__name__}: {msg}"


class JsonRepairBackend:
    """Parses and validates JSON completions; re-asks up to ``reasks`` times, then raises.

    Non-JSON requests pass through unchanged. On success the result's ``parsed`` holds the
    validated value; usage and attempts are summed over the re-asks.

    Raises:
        MalformedOutputError: the last reply still failed; ``.text`` holds it.
    """

    def __init__(
        self,
        inner: LLMBackend,
        *,
        reasks: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if reasks < 0:
            raise ValueError(f"reasks must be >= 0, got {reasks}")
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.reasks = reasks
        self._clock = clock

    async def complete(self, request: LLMRequest) -> LLMResult:
        if not request.json:
            return await self.inner.complete(request)
        t0 = self._clock()
        trace = current_trace()
        try:
            result = await self._answer(request, first=True)
        except BaseException:
            if trace is not None:
                trace.parse = "failed"
            raise
        usage, attempts = result.usage, result.attempts
        current = request
        for round_ in range(self.reasks + 1):
            try:
                value = parse_and_validate(result.text, request.validator)
            except VALIDATION_ERRORS as exc:
                if trace is not None and result.text:  # an empty answer keeps its kind
                    trace.mark_last(MalformedOutputError.kind)
                reason = _reason(exc)
                if round_ == self.reasks:
                    if trace is not None:
                        trace.parse = "failed"
                    raise MalformedOutputError(
                        f"{request.module_name} for {request.agent}: no valid JSON after "
                        f"{self.reasks + 1} replies: {reason}",
                        text=result.text,
                    ) from exc
                current = self._reask_request(current, result.text, reason)
                try:
                    with attempt_kind("reask"):
                        result = await self._answer(current, first=False)
                except BaseException:
                    if trace is not None:
                        trace.parse = "failed"
                    raise
                usage = usage + result.usage
                attempts += result.attempts
                continue
            if trace is not None:
                trace.parse = "first" if round_ == 0 else "repaired"
            if round_ == 0:
                return replace(result, parsed=value)
            return replace(
                result,
                parsed=value,
                usage=usage,
                attempts=attempts,
                latency=self._clock() - t0,
                outcome="retried" if result.outcome == "ok" else result.outcome,
            )
        raise AssertionError("unreachable")  # pragma: no cover

    async def _answer(self, request: LLMRequest, *, first: bool) -> LLMResult:
        """The inner backend's answer; an empty one is an answer with no JSON in it (so it
        is re-asked like any bad JSON), not a failure of the request."""
        try:
            return await self.inner.complete(request)
        except EmptyResponseError:
            return LLMResult(text="", backend=self.name, model=self.model)

    @staticmethod
    def _reask_request(request: LLMRequest, bad_text: str, reason: str) -> LLMRequest:
        shown = bad_text[:_SHOWN_REPLY_CHARS] or "(empty)"
        messages = (
            *request.messages,
            ChatMessage(role="assistant", content=shown),
            ChatMessage(role="user", content=REASK_TEMPLATE.format(reason=reason)),
        )
        return replace(request, messages=messages, dedup_key=None)

    async def aclose(self) -> None:
        await close_backend(self.inner)
