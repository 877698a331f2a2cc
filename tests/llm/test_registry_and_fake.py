"""The backend registry, and the public FakeLLM."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from aga_npc.config import Settings
from aga_npc.errors import ConfigError, ServerError
from aga_npc.llm import available_backends, build_backend, register_backend
from aga_npc.llm import registry as registry_mod
from aga_npc.llm.openai_backend import OpenAIBackend
from aga_npc.ports import LLMBackend, StreamingBackend
from aga_npc.testing import FakeLLM
from aga_npc.types import ChatMessage, LLMRequest


def test_openai_is_built_from_settings() -> None:
    backend = build_backend(
        Settings(llm="openai", base_url="http://127.0.0.1:9/v1", model="llama3", api_key="k")
    )
    assert isinstance(backend, OpenAIBackend)
    assert (backend.name, backend.model, backend.base_url) == (
        "openai",
        "llama3",
        "http://127.0.0.1:9/v1",
    )
    assert "openai" in available_backends()


def test_registered_backend_is_built_and_names_are_protected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # start from a registry where "offline" has not registered itself yet (other tests may
    # have imported aga_npc.offline already)
    factories = {k: v for k, v in registry_mod._factories.items() if k != "offline"}
    monkeypatch.setattr(registry_mod, "_factories", factories)
    monkeypatch.setitem(registry_mod._BUILTIN_MODULES, "offline", "aga_npc.llm.no_such_module")
    with pytest.raises(ConfigError, match="not available"):
        build_backend(Settings(llm="offline"))
    fake = FakeLLM(default="offline says hi")
    register_backend("offline", lambda settings: fake)
    assert build_backend(Settings(llm="offline")) is fake
    with pytest.raises(ValueError, match="already registered"):
        register_backend("offline", lambda settings: FakeLLM())
    register_backend("offline", lambda settings: FakeLLM(), replace=True)
    assert build_backend(Settings(llm="offline")) is not fake


def test_unknown_backend_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry_mod, "_factories", {})
    monkeypatch.setattr(registry_mod, "_BUILTIN_MODULES", {})
    with pytest.raises(ConfigError, match="unknown LLM backend 'offline'"):
        build_backend(Settings(llm="offline"))


def test_llm_package_import_is_light() -> None:
    code = (
        "import sys, aga_npc.llm, aga_npc.runtime, aga_npc.testing; "
        "print(sorted(m for m in ('openai', 'httpx', 'httpx2', 'tiktoken', 'pygame') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def req(module: str = "plan_day", text: str = "x") -> LLMRequest:
    return LLMRequest(agent="a", module=module, messages=(ChatMessage(role="user", content=text),))


def test_fake_serves_scripts_in_order_then_repeats_the_last() -> None:
    fake = FakeLLM({"plan_day": ["one", "two"], "reflect": "deep"}, default="dflt")

    async def go() -> list[str]:
        return [
            (await fake.complete(req(m))).text
            for m in ("plan_day", "plan_day", "plan_day", "reflect", "dialogue")
        ]

    assert asyncio.run(go()) == ["one", "two", "two", "deep", "dflt"]
    assert fake.call_count == 5
    assert len(fake.calls_for("plan_day")) == 3


def test_fake_callable_responder_and_scripted_failures() -> None:
    fake = FakeLLM(
        lambda r: r.messages[-1].content.upper(), failures=[None, ServerError("x", status=500)]
    )

    async def go() -> tuple[str, BaseException | None]:
        first = (await fake.complete(req(text="abc"))).text
        try:
            await fake.complete(req(text="def"))
        except ServerError as exc:
            return first, exc
        return first, None

    first, err = asyncio.run(go())
    assert first == "ABC"
    assert isinstance(err, ServerError)
    assert fake.call_count == 2


def test_fake_implements_the_ports_and_streams() -> None:
    fake = FakeLLM(default="a b c")
    assert isinstance(fake, LLMBackend)
    assert isinstance(fake, StreamingBackend)

    async def go() -> list[str]:
        return [p async for p in fake.stream(req())]

    assert asyncio.run(go()) == ["a", " b", " c"]


def test_fake_is_deterministic() -> None:
    async def go() -> list[tuple[str, int]]:
        fake = FakeLLM({"plan_day": ["x", "y", "z"]})
        out = []
        for _ in range(4):
            r = await fake.complete(req())
            out.append((r.text, r.usage.total_tokens))
        return out

    assert asyncio.run(go()) == asyncio.run(go())


def test_public_api_is_pinned() -> None:
    import aga_npc.llm
    import aga_npc.runtime
    import aga_npc.testing

    assert aga_npc.llm.__all__ == [
        "DEFAULT_PRICES",
        "AttemptProbe",
        "BudgetBackend",
        "CallTrace",
        "JsonRepairBackend",
        "LedgerEntry",
        "MeteringBackend",
        "ModelPrice",
        "Recorder",
        "Replayer",
        "RetryPolicy",
        "RetryingBackend",
        "TokenBudget",
        "TokenLedger",
        "available_backends",
        "build_backend",
        "build_stack",
        "count_message_tokens",
        "count_tokens",
        "extract_json",
        "parse_retry_after",
        "register_backend",
        "retry_delay",
        "stream_sink",
        "trace_call",
    ]
    assert aga_npc.runtime.__all__ == [
        "Gateway",
        "InlineGateway",
        "StreamBuffer",
        "Ticket",
        "TicketState",
    ]
    assert "FakeLLM" in aga_npc.testing.__all__
    for module in (aga_npc.llm, aga_npc.runtime, aga_npc.testing):
        for name in module.__all__:
            assert getattr(module, name) is not None
