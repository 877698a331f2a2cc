"""``OfflineLLM``: the deterministic, seeded stand-in backend that answers every request kind."""

from __future__ import annotations

import json
import random
import re
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from aga_npc.offline.decompose import answer_decompose
from aga_npc.offline.dialogue import answer_conversation
from aga_npc.offline.facts import first_name
from aga_npc.offline.insight import answer_importance, answer_reflect
from aga_npc.offline.phrasing import make_rng, pick
from aga_npc.offline.plan_day import answer_plan_day
from aga_npc.offline.player import answer_player_reply
from aga_npc.offline.social import answer_relationship
from aga_npc.prompts import extract_context, extract_task
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["OfflineLLM", "answer_text"]

NAME = "offline"
MODEL = "offline-standin-1"
_PIECES = re.compile(r"\s*\S+")

Handler = Callable[[Mapping[str, Any], random.Random], str]
_HANDLERS: dict[str, Handler] = {
    "plan_day": answer_plan_day,
    "decompose": answer_decompose,
    "importance": answer_importance,
    "reflect": answer_reflect,
    "conversation": answer_conversation,
    "dialogue": answer_conversation,
    "relationship": answer_relationship,
}


class OfflineLLM:
    """A deterministic stand-in for a chat model, for play and simulation without a server.

    Every request kind the brain sends is answered from the facts in the request's context
    block, in the exact answer format of ``aga_npc.prompts.builders``. Randomness comes from
    a ``random.Random`` seeded by ``(seed, request.content_hash())``: the same request always
    gets the same text, and a different request (another day, another place) gets another.
    No sleeping, no I/O, no clock. Usage is counted with the package's offline cl100k
    tokenizer, as the ``openai`` backend does for a server that reports none, so the token
    ledger and the mode ratios see realistic figures.

    Args:
        seed: mixed into every request's generator.
        count_usage: count prompt and completion tokens (about 0.1-0.5 ms per call); with
            False, usage stays zero for a wrapper that counts tokens itself.

    Attributes:
        name: always ``"offline"`` (reports and the UI show it).
        model: ``"offline-standin-1"``.
    """

    name: str = NAME
    model: str = MODEL

    def __init__(self, *, seed: int = 0, count_usage: bool = True) -> None:
        self.seed = int(seed)
        self.count_usage = count_usage

    def __repr__(self) -> str:
        return f"OfflineLLM(seed={self.seed})"

    async def complete(self, request: LLMRequest) -> LLMResult:
        """The completion for ``request`` (one attempt, zero latency)."""
        text = answer_text(request, seed=self.seed)
        return LLMResult(
            text=text,
            usage=_usage(request, text) if self.count_usage else Usage(),
            latency=0.0,
            attempts=1,
            backend=self.name,
            model=self.model,
        )

    async def stream(self, request: LLMRequest) -> AsyncIterator[str]:
        """The same text as ``complete``, in word-sized pieces (each with its leading space)."""
        for piece in _PIECES.findall(answer_text(request, seed=self.seed)):
            yield piece


def _usage(request: LLMRequest, text: str) -> Usage:
    from aga_npc.llm.tokens import count_message_tokens, count_tokens

    return Usage(
        prompt_tokens=count_message_tokens(request.messages),
        completion_tokens=count_tokens(text),
    )


def answer_text(request: LLMRequest, *, seed: int = 0) -> str:
    """The offline completion text for a request (pure; the backend's core)."""
    rng = make_rng(seed, request.content_hash())
    context = extract_context(request.messages) or {}
    module = request.module_name
    if module == "player_reply" or (module == "other" and "you" in context):
        return answer_player_reply(context, extract_task(request.messages), rng)
    handler = _HANDLERS.get(module)
    if handler is not None:
        return handler(context, rng)
    return _generic(context, request, rng)


def _generic(context: Mapping[str, Any], request: LLMRequest, rng: random.Random) -> str:
    """A short answer for request kinds the stand-in has no special knowledge of."""
    persona = context.get("persona") if isinstance(context.get("persona"), Mapping) else {}
    who = first_name(str((persona or {}).get("name") or "")) or "They"
    facts = [str(m) for m in context.get("memories") or context.get("events") or () if str(m)]
    if facts:
        text = pick(
            rng,
            (
                f"{who} has mostly been busy with this: {facts[0].rstrip('.')}.",
                f"In short: {facts[0].rstrip('.')}, among {len(facts)} things worth noting.",
            ),
        )
    else:
        text = pick(
            rng, ("Nothing notable to add.", "All is well; nothing stands out.", "Understood.")
        )
    if request.json:
        return json.dumps({"answer": text}, ensure_ascii=False)
    return text
