"""JSON extraction (pure) and the parse-and-repair wrapper."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aga_npc.errors import MalformedOutputError
from aga_npc.llm import JsonRepairBackend, extract_json
from aga_npc.testing import FakeLLM
from aga_npc.types import ChatMessage, LLMRequest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ("  [1, 2]  ", [1, 2]),
        ('```json\n{"a": {"b": [1, 2]}}\n```', {"a": {"b": [1, 2]}}),
        ('```\n{"a": 2}\n```', {"a": 2}),
        ('Here you go:\n```json\n{"a": 3}\n```\nEnjoy!', {"a": 3}),
        (
            'Sure! {"plan": "bake", "note": "use {flour}"} hope it helps',
            {"plan": "bake", "note": "use {flour}"},
        ),
        ('first {"x": 1} then {"y": 2}', {"x": 1}),
        ('broken {"x": 1 and then {"y": 2}', {"y": 2}),
        ('{"quote": "a \\"}\\" inside"}', {"quote": 'a "}" inside'}),
    ],
)
def test_extract_json_finds_the_value(text: str, expected: Any) -> None:
    assert extract_json(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "no json at all", '{"unterminated": 1', "42", '"just a string"', "```json\n```"],
)
def test_extract_json_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        extract_json(text)


def needs_steps(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("steps"), list):
        raise ValueError("expected an object with a 'steps' list")
    return value


def req(**kw: Any) -> LLMRequest:
    return LLMRequest(
        agent="Maria",
        module="decompose",
        messages=(ChatMessage(role="user", content="Decompose: have breakfast"),),
        json=True,
        **kw,
    )


def test_valid_reply_is_parsed_without_reask() -> None:
    fake = FakeLLM({"decompose": '{"steps": ["cook"]}'})
    result = asyncio.run(JsonRepairBackend(fake).complete(req(validator=needs_steps)))
    assert result.parsed == {"steps": ["cook"]}
    assert fake.call_count == 1


def test_bad_reply_is_reasked_with_the_reason() -> None:
    fake = FakeLLM({"decompose": ['{"stairs": 1}', '{"steps": ["cook", "eat"]}']})
    result = asyncio.run(JsonRepairBackend(fake).complete(req(validator=needs_steps)))
    assert result.parsed == {"steps": ["cook", "eat"]}
    assert result.attempts == 2
    assert result.outcome == "retried"
    first, second = fake.calls
    # The re-ask shows the model its reply and what was wrong with it.
    assert second.messages[: len(first.messages)] == first.messages
    assert second.messages[-2].role == "assistant"
    assert second.messages[-2].content == '{"stairs": 1}'
    assert "expected an object with a 'steps' list" in second.messages[-1].content
    # Usage is summed over both replies.
    assert result.usage.completion_tokens > 0


def test_still_bad_after_reask_is_a_typed_error_with_the_text() -> None:
    fake = FakeLLM({"decompose": ["nope", "still nope"]})
    with pytest.raises(MalformedOutputError) as info:
        asyncio.run(JsonRepairBackend(fake).complete(req()))
    assert info.value.text == "still nope"
    assert "decompose" in str(info.value)
    assert fake.call_count == 2


def test_zero_reasks_fails_on_first_bad_reply() -> None:
    fake = FakeLLM({"decompose": "nope"})
    with pytest.raises(MalformedOutputError):
        asyncio.run(JsonRepairBackend(fake, reasks=0).complete(req()))
    assert fake.call_count == 1


def test_validator_bugs_are_not_swallowed() -> None:
    def buggy(value: Any) -> Any:
        raise RuntimeError("bug in validator")

    fake = FakeLLM({"decompose": '{"steps": []}'})
    with pytest.raises(RuntimeError, match="bug in validator"):
        asyncio.run(JsonRepairBackend(fake).complete(req(validator=buggy)))


def test_non_json_requests_pass_through() -> None:
    fake = FakeLLM(default="plain words")
    request = LLMRequest(
        agent="Maria", module="dialogue", messages=(ChatMessage(role="user", content="hi"),)
    )
    result = asyncio.run(JsonRepairBackend(fake).complete(request))
    assert result.text == "plain words"
    assert result.parsed is None
