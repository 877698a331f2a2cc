"""Structured outputs: every JSON request kind sends its answer schema, a server that takes
schemas honours them, one that does not is detected once and the repair path takes over."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llm_servers import Reply, ScriptedServer, completion_body

from aga_npc.brain.answers import Steps, TalkDecision
from aga_npc.config import Settings
from aga_npc.llm import build_stack
from aga_npc.llm.ledger import TokenLedger
from aga_npc.llm.metering import parse_tally
from aga_npc.llm.openai_backend import OpenAIBackend
from aga_npc.llm.schemas import schema_for, with_schema
from aga_npc.prompts.acting import action_chain_messages
from aga_npc.prompts.format import envelope
from aga_npc.types import LLMRequest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._messy import MessyServer, start_messy  # noqa: E402

pytestmark = pytest.mark.integration

OBJECTS = [
    {"address": "Ada House:kitchen:stove", "kind": "stove", "verbs": ["cook"]},
    {"address": "Ada House:kitchen:table", "kind": "table", "verbs": ["eat", "sit"]},
]


def chain_request() -> LLMRequest:
    messages = action_chain_messages(
        persona={"name": "Ada Finch", "age": 31, "traits": "cheerful"},
        activity="have breakfast",
        duration=30,
        place="Ada House",
        time="07:00",
        objects=OBJECTS,
    )
    return LLMRequest(
        agent="Ada Finch",
        module="action_chain",
        messages=messages,
        json=True,
        validator=Steps.validate,
        max_tokens=300,
    )


def talk_request() -> LLMRequest:
    messages = envelope(
        system="You decide.", module="decide_talk", context={"who": "Ben"}, task="Talk?"
    )
    return LLMRequest(
        agent="Ada Finch",
        module="decide_talk",
        messages=messages,
        json=True,
        validator=TalkDecision.validate,
        max_tokens=40,
    )


def ask(server_url: str, request: LLMRequest) -> tuple[Any, TokenLedger]:
    ledger = TokenLedger()
    settings = Settings(llm="openai", base_url=server_url, api_key="sk-test", model="small")

    async def go() -> Any:
        stack = build_stack(settings, ledger)
        try:
            return await stack.complete(request)
        finally:
            await stack.aclose()  # type: ignore[attr-defined]

    return asyncio.run(go()), ledger


@pytest.fixture
def messy(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[MessyServer]:
    server = start_messy(tmp_path, honour_schemas=request.param)
    try:
        yield server
    finally:
        server.close()


def test_the_chain_schema_pairs_each_listed_address_with_its_own_verbs() -> None:
    schema = schema_for(chain_request())
    assert schema is not None
    alternatives = schema["properties"]["steps"]["items"]["anyOf"]
    pairs = {
        (a["properties"]["object"]["enum"][0], tuple(a["properties"]["verb"]["enum"]))
        for a in alternatives
    }
    assert pairs == {
        ("Ada House:kitchen:stove", ("cook",)),
        ("Ada House:kitchen:table", ("eat", "sit")),
    }


def test_a_request_without_a_declared_schema_has_none() -> None:
    plain = LLMRequest(agent="a", module="x", messages=talk_request().messages, json=True)
    assert schema_for(plain) is None
    assert schema_for(LLMRequest(agent="a", module="x", messages=plain.messages)) is None

    @with_schema(lambda _request: None)
    def declines(value: Any) -> Any:
        return value

    assert (
        schema_for(
            LLMRequest(
                agent="a", module="x", messages=plain.messages, json=True, validator=declines
            )
        )
        is None
    )


@pytest.mark.parametrize("messy", [True], indirect=True)
def test_the_schema_is_sent_and_honoured(messy: MessyServer) -> None:
    result, ledger = ask(messy.base_url, talk_request())
    [sent] = messy.schemas
    assert sent["name"] == "decide_talk"
    assert sent["schema"]["properties"]["talk"] == {"type": "boolean"}
    assert result.parsed.talk is True
    assert parse_tally(ledger).by_module()["decide_talk"]["first_try"] == 1


@pytest.mark.parametrize("messy", [False], indirect=True)
def test_a_server_ignoring_the_schema_is_repaired_by_the_reask(messy: MessyServer) -> None:
    result, ledger = ask(messy.base_url, talk_request())
    assert len(messy.schemas) == 2  # the first answer and the re-ask both carried it
    assert result.parsed.talk is True
    row = parse_tally(ledger).by_module()["decide_talk"]
    assert (row["first_try"], row["after_repair"], row["failed"]) == (0, 1, 0)


def _ok(content: str) -> Reply:
    return Reply(body=completion_body(content))


def test_auto_detects_llama_cpp_pythons_schema_form_once(scripted: ScriptedServer) -> None:
    def respond(body: dict[str, Any]) -> Reply:
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema":
            return Reply(status=500, body={"error": {"message": "Input should be 'text'"}})
        return _ok('{"talk": false}')

    scripted.responder = respond
    backend = OpenAIBackend(model="m", base_url=scripted.base_url)

    async def go() -> None:
        for _ in range(2):
            await backend.complete(talk_request())
        await backend.aclose()

    asyncio.run(go())
    formats = [b["response_format"] for b in scripted.bodies]
    assert [f["type"] for f in formats] == ["json_schema", "json_object", "json_object"]
    assert "schema" in formats[1] and "schema" in formats[2]  # the schema travels still
    assert backend.schema_form == "json_object" and backend.schema_confirmed


def test_auto_drops_schemas_when_no_form_is_taken(scripted: ScriptedServer) -> None:
    def respond(body: dict[str, Any]) -> Reply:
        fmt = body.get("response_format") or {}
        if len(fmt) > 1:
            return Reply(status=400, body={"error": {"message": "unknown field"}})
        return _ok('{"talk": true}')

    scripted.responder = respond
    backend = OpenAIBackend(model="m", base_url=scripted.base_url)

    async def go() -> None:
        await backend.complete(talk_request())
        await backend.complete(talk_request())
        await backend.aclose()

    asyncio.run(go())
    assert [b["response_format"] for b in scripted.bodies[-2:]] == [{"type": "json_object"}] * 2
    assert not backend.schemas_supported and len(scripted.bodies) == 4


def test_json_schema_mode_never_downgrades(scripted: ScriptedServer) -> None:
    scripted.responder = lambda body: Reply(status=400, body={"error": {"message": "no"}})
    backend = OpenAIBackend(model="m", base_url=scripted.base_url, structured="json_schema")

    async def go() -> None:
        try:
            await backend.complete(talk_request())
        finally:
            await backend.aclose()

    with pytest.raises(Exception, match="HTTP 400"):
        asyncio.run(go())
    assert len(scripted.bodies) == 1 and backend.schemas_supported


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("off", {"response_format": {"type": "json_object"}}),
        ("none", {}),
    ],
)
def test_off_and_none_send_no_schema(
    scripted: ScriptedServer, mode: str, expected: dict[str, Any]
) -> None:
    scripted.responder = lambda body: _ok('{"talk": true}')
    backend = OpenAIBackend(model="m", base_url=scripted.base_url, structured=mode)

    async def go() -> None:
        await backend.complete(talk_request())
        await backend.aclose()

    asyncio.run(go())
    [body] = scripted.bodies
    assert {k: v for k, v in body.items() if k in ("response_format", "format")} == expected


def test_ollama_mode_sends_the_schema_as_format(scripted: ScriptedServer) -> None:
    scripted.responder = lambda body: _ok('{"talk": true}')
    backend = OpenAIBackend(model="m", base_url=scripted.base_url, structured="ollama")

    async def go() -> None:
        await backend.complete(talk_request())
        await backend.aclose()

    asyncio.run(go())
    [body] = scripted.bodies
    assert body["format"]["properties"]["talk"] == {"type": "boolean"}
    assert body["response_format"] == {"type": "json_object"}


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="structured"):
        OpenAIBackend(model="m", structured="grammar")
