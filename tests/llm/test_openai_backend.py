"""OpenAIBackend against a scripted loopback server: error mapping, JSON mode, streaming, usage."""

from __future__ import annotations

import asyncio
import email.utils
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from llm_servers import (
    Reply,
    ScriptedServer,
    completion_body,
    free_port,
    stream_chunks,
)

from aga_npc.config import Settings
from aga_npc.errors import (
    EmptyResponseError,
    LLMConnectionError,
    PermanentLLMError,
    RateLimitError,
    ServerError,
)
from aga_npc.llm import build_backend, count_message_tokens, count_tokens, stream_sink
from aga_npc.llm.openai_backend import OpenAIBackend
from aga_npc.ports import LLMBackend
from aga_npc.runtime import StreamBuffer
from aga_npc.types import ChatMessage, LLMRequest, LLMResult

T = TypeVar("T")

pytestmark = pytest.mark.integration

SECRET = "sk-very-secret-test-key-123"


def req(**kw: object) -> LLMRequest:
    return LLMRequest(
        agent="Klaus",
        module="plan_day",
        messages=(ChatMessage(role="user", content="What will you do today?"),),
        **kw,  # type: ignore[arg-type]
    )


def backend_for(server: ScriptedServer, **kw: object) -> OpenAIBackend:
    return OpenAIBackend(
        model="scripted-model",
        base_url=server.base_url,
        api_key=SECRET,
        timeout=5.0,
        **kw,  # type: ignore[arg-type]
    )


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


async def _complete(backend: LLMBackend, request: LLMRequest) -> LLMResult:
    try:
        return await backend.complete(request)
    finally:
        await backend.aclose()


def test_rate_limit_carries_retry_after_seconds(scripted: ScriptedServer) -> None:
    scripted.push(
        Reply(status=429, body={"error": {"message": "slow"}}, headers={"Retry-After": "7"})
    )
    with pytest.raises(RateLimitError) as info:
        run(_complete(backend_for(scripted), req()))
    assert info.value.retry_after == 7.0
    assert info.value.status == 429


def test_rate_limit_carries_retry_after_http_date(scripted: ScriptedServer) -> None:
    when = 1_900_000_000.0
    scripted.push(
        Reply(
            status=429,
            body={"error": {"message": "slow"}},
            headers={"Retry-After": email.utils.formatdate(when, usegmt=True)},
        )
    )
    backend = backend_for(scripted, wall_clock=lambda: when - 30.0)
    with pytest.raises(RateLimitError) as info:
        run(_complete(backend, req()))
    assert info.value.retry_after == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (500, ServerError),
        (503, ServerError),
        (408, ServerError),
        (409, ServerError),
        (401, PermanentLLMError),
        (404, PermanentLLMError),
        (422, PermanentLLMError),
    ],
)
def test_status_codes_map_to_the_error_tree(
    scripted: ScriptedServer, status: int, error_type: type[Exception]
) -> None:
    scripted.push(Reply(status=status, body={"error": {"message": f"mock {status}"}}))
    with pytest.raises(error_type) as info:
        run(_complete(backend_for(scripted), req()))
    assert getattr(info.value, "status", None) == status
    assert f"mock {status}" in str(info.value)


def test_unreachable_server_is_a_connection_error() -> None:
    backend = OpenAIBackend(
        model="m", base_url=f"http://127.0.0.1:{free_port()}/v1", api_key=None, timeout=2.0
    )
    with pytest.raises(LLMConnectionError):
        run(_complete(backend, req()))


def test_empty_content_is_an_empty_response_error(scripted: ScriptedServer) -> None:
    scripted.push(Reply(body=completion_body(None)))
    with pytest.raises(EmptyResponseError):
        run(_complete(backend_for(scripted), req()))


def test_json_mode_is_requested_and_dropped_when_the_server_rejects_it(
    scripted: ScriptedServer,
) -> None:
    def responder(body: dict[str, object]) -> Reply:
        if "response_format" in body:
            return Reply(status=400, body={"error": {"message": "unknown field response_format"}})
        return Reply(body=completion_body('{"ok": true}'))

    scripted.responder = responder
    backend = backend_for(scripted)

    async def two_calls() -> list[LLMResult]:
        try:
            return [await backend.complete(req(json=True)), await backend.complete(req(json=True))]
        finally:
            await backend.aclose()

    first, second = run(two_calls())
    assert first.text == second.text == '{"ok": true}'
    # 1st call: rejected with response_format, asked again without; 2nd: asked without at once.
    assert ["response_format" in b for b in scripted.bodies] == [True, False, False]
    assert scripted.bodies[0]["response_format"] == {"type": "json_object"}
    assert backend.json_mode_supported is False


def test_a_400_unrelated_to_json_mode_is_permanent_and_not_remembered(
    scripted: ScriptedServer,
) -> None:
    scripted.push(Reply(status=400, body={"error": {"message": "context too long"}}))
    backend = backend_for(scripted)
    with pytest.raises(PermanentLLMError, match="context too long"):
        run(_complete(backend, req(json=True)))
    assert len(scripted.bodies) == 2
    assert backend.json_mode_supported is True


def test_usage_comes_from_server_when_present_else_tiktoken(scripted: ScriptedServer) -> None:
    scripted.push(Reply(body=completion_body("Bake bread.", usage=(123, 45))))
    result = run(_complete(backend_for(scripted), req()))
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (123, 45)

    scripted.replies.clear()
    scripted.push(Reply(body=completion_body("Bake bread.", usage=None)))
    result = run(_complete(backend_for(scripted), req()))
    request = req()
    assert result.usage.prompt_tokens == count_message_tokens(request.messages)
    assert result.usage.completion_tokens == count_tokens("Bake bread.")


def test_streaming_pushes_deltas_and_uses_stream_usage(scripted: ScriptedServer) -> None:
    pieces = ["Good", " morning", ", Klaus", "!"]
    scripted.push(Reply(sse=stream_chunks(pieces, usage=(40, 4))))
    seen: list[str] = []

    class Recording(StreamBuffer):
        def delta(self, text: str) -> None:
            super().delta(text)
            seen.append(self.text)

    buffer = Recording()

    async def go() -> LLMResult:
        with stream_sink(buffer):
            return await _complete(backend_for(scripted), req(stream=True))

    result = run(go())
    assert result.text == "Good morning, Klaus!"
    assert seen == ["Good", "Good morning", "Good morning, Klaus", "Good morning, Klaus!"]
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (40, 4)
    assert scripted.bodies[0]["stream"] is True
    assert scripted.bodies[0]["stream_options"] == {"include_usage": True}


def test_stream_method_yields_deltas(scripted: ScriptedServer) -> None:
    scripted.push(Reply(sse=stream_chunks(["Hel", "lo"], usage=None)))
    backend = backend_for(scripted)

    async def collect() -> list[str]:
        try:
            return [piece async for piece in backend.stream(req())]
        finally:
            await backend.aclose()

    assert run(collect()) == ["Hel", "lo"]


def test_api_key_is_sent_but_never_shown(
    scripted: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    scripted.push(Reply(status=401, body={"error": {"message": "invalid key"}}))
    settings = Settings(llm="openai", base_url=scripted.base_url, api_key=SECRET)
    backend = build_backend(settings)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(PermanentLLMError) as info:
        run(_complete(backend, req()))
    assert scripted.headers[0]["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in repr(backend)
    assert SECRET not in repr(settings)
    assert SECRET not in str(info.value)
    assert SECRET not in caplog.text
