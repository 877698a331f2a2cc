"""Prompt-cache friendly prompts: static facts, task and answer format first, the situation
last; two consecutive requests of a kind by one agent share most of their start."""

from __future__ import annotations

from typing import Any

import pytest

from aga_npc.brain.modes import Mode
from aga_npc.config import Settings
from aga_npc.embed.hashing import HashingEmbedder
from aga_npc.host.assemble import Wiring, assemble
from aga_npc.llm.context import close_backend
from aga_npc.llm.tokens import chat_tokens, shared_prefix_tokens
from aga_npc.offline import OfflineLLM
from aga_npc.personas.loader import town_personas
from aga_npc.policy.store import PolicyStore
from aga_npc.prompts.format import (
    CONTEXT_HEADER,
    FORMAT_HEADER,
    SITUATION_HEADER,
    TASK_HEADER,
    envelope,
    extract_context,
    extract_task,
)
from aga_npc.town.build import TownSpec
from aga_npc.types import ChatMessage, LLMRequest

# Measured on a 3-NPC aga day, seed 0 (benchmarks/prompt_prefix.py, see BENCHMARKS.md):
# insights 28% (the question and the statements are the request), hourly_schedule 55%,
# action_chain 67%, daily_plan 76%, wake_up and poignancy over 95%; 80% over all tokens.
# With the batched_poignancy saving (a list of memories per call): poignancy_batch 78%.
EVERY_KIND = 0.25
MOSTLY_STATIC = {
    "poignancy_batch": 0.7,
    "wake_up": 0.9,
    "daily_plan": 0.6,
    "action_chain": 0.5,
}
ALL_TOKENS = 0.7


class Capture:
    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.model = inner, inner.name, inner.model
        self.requests: list[LLMRequest] = []

    async def complete(self, request: LLMRequest) -> Any:
        self.requests.append(request)
        return await self.inner.complete(request)

    async def aclose(self) -> None:
        await close_backend(self.inner)


@pytest.fixture(scope="module")
def day_requests() -> list[LLMRequest]:
    capture = Capture(OfflineLLM(seed=0))
    built = assemble(
        TownSpec(personas=tuple(town_personas(3)), mode=Mode.AGA, seed=0),
        wiring=Wiring(realtime=False),
        settings=Settings(embed="hashing"),
        backend=capture,
        embedder=HashingEmbedder(),
        store=lambda cached: PolicyStore(embedder=cached),
    )
    for _ in range(1440):
        built.town.step_minute()
    built.gateway.close()
    return capture.requests


def shares(requests: list[LLMRequest]) -> dict[str, tuple[int, int]]:
    """Per kind: (shared prefix tokens, tokens) over consecutive requests of one agent."""
    last: dict[tuple[str, str], LLMRequest] = {}
    out: dict[str, tuple[int, int]] = {}
    for r in requests:
        key = (r.agent, r.module_name)
        prev = last.get(key)
        if prev is not None:
            shared, total = out.get(r.module_name, (0, 0))
            out[r.module_name] = (
                shared + shared_prefix_tokens(prev.messages, r.messages),
                total + chat_tokens(r.messages),
            )
        last[key] = r
    return out


def test_consecutive_requests_of_an_agent_share_a_static_prefix(
    day_requests: list[LLMRequest],
) -> None:
    by_kind = shares(day_requests)
    assert {"poignancy_batch", "action_chain", "daily_plan", "wake_up"} <= set(by_kind)
    for kind, (shared, total) in by_kind.items():
        assert shared / total >= max(EVERY_KIND, MOSTLY_STATIC.get(kind, 0.0)), kind
    assert sum(s for s, _ in by_kind.values()) / sum(t for _, t in by_kind.values()) >= ALL_TOKENS


def test_the_measure_catches_a_prompt_that_starts_with_what_changes() -> None:
    def old_style(minute: int) -> tuple[ChatMessage, ...]:
        return (
            ChatMessage(role="system", content=f"It is 07:{minute:02d}. You are Amara."),
            ChatMessage(role="user", content="Amara is a student at Alder College. " * 40),
        )

    a, b = old_style(1), old_style(2)
    assert shared_prefix_tokens(a, b) / chat_tokens(b) < 0.05
    assert shared_prefix_tokens(b, b) == chat_tokens(b)


def test_envelope_puts_static_facts_first_and_the_situation_last() -> None:
    system, user = envelope(
        system="You are the inner voice of Amara.",
        module="action_chain",
        # the builder names what changes first: the envelope still puts it last
        context={
            "time": "07:05",
            "activity": "have breakfast",
            "persona": {"name": "Amara"},
            "objects": [{"address": "Cafe:kitchen:fridge"}],
            "places": ["Cafe", "Dorm"],
        },
        task="Break the activity into steps.",
        answer_format='{"steps": []}',
    )
    text = user.content
    order = [text.index(h) for h in (CONTEXT_HEADER, TASK_HEADER, FORMAT_HEADER, SITUATION_HEADER)]
    assert order == sorted(order)
    static = text[: text.index(TASK_HEADER)]
    situation = text[text.index(SITUATION_HEADER) :]
    assert '"persona"' in static and '"places"' in static and '"module"' in static
    assert "07:05" not in static and "breakfast" not in static
    # slow-changing keys lead the situation: the place's objects before the time
    assert situation.index('"objects"') < situation.index('"time"')
    assert extract_context([system, user]) == {
        "module": "action_chain",
        "persona": {"name": "Amara"},
        "places": ["Cafe", "Dorm"],
        "objects": [{"address": "Cafe:kitchen:fridge"}],
        "time": "07:05",
        "activity": "have breakfast",
    }
    assert extract_task([system, user]) == "Break the activity into steps."


def test_extract_task_stops_at_the_situation_when_there_is_no_answer_format() -> None:
    messages = envelope(
        system="s", module="utterance", context={"time": "08:00"}, task="Say hello."
    )
    assert extract_task(messages) == "Say hello."
    assert extract_context(messages) == {"module": "utterance", "time": "08:00"}


def test_a_damaged_situation_block_is_no_context() -> None:
    _, user = envelope(system="s", module="poignancy", context={"memory": "x"}, task="t")
    broken = ChatMessage(role="user", content=user.content.replace('{"memory"', '{"memory'))
    assert extract_context([broken]) is None
