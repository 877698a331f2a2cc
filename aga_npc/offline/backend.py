"""``OfflineLLM``: the deterministic, seeded stand-in backend that answers every request kind."""

from __future__ import annotations

import json
import random
import re
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from aga_npc.offline import act_chain, day_plans, thoughts
from aga_npc.offline.dialogue import answer_conversation
from aga_npc.offline.facts import first_name
from aga_npc.offline.phrasing import make_rng, pick
from aga_npc.offline.player import answer_player_reply
from aga_npc.offline.social import answer_relationship
from aga_npc.prompts import extract_context, extract_task
from aga_npc.types import LLMRequest, LLMResult, Usage

__all__ = ["OfflineLLM", "answer_text"]

NAME = "offline"
WORDINGS = ("default", "paraphrase")
MODEL = "offline-standin-1"
_PIECES = re.compile(r"\s*\S+")

Handler = Callable[[Mapping[str, Any], random.Random], str]
_HANDLERS: dict[str, Handler] = {
    "wake_up": day_plans.answer_wake_up,
    "hourly_schedule": day_plans.answer_hourly_schedule,
    "decompose": day_plans.answer_subtasks,
    "replan": day_plans.answer_replan,
    "action_sector": act_chain.answer_sector,
    "action_arena": act_chain.answer_arena,
    "action_object": act_chain.answer_object,
    "action_emoji": act_chain.answer_action_emoji,
    "object_emoji": act_chain.answer_object_emoji,
    "action_event": act_chain.answer_action_event,
    "object_event": act_chain.answer_object_event,
    "object_state": act_chain.answer_object_state,
    "action_chain": act_chain.answer_action_chain,
    "poignancy": thoughts.answer_poignancy,
    "poignancy_batch": thoughts.answer_poignancy_batch,
    "focal_points": thoughts.answer_focal_points,
    "insights": thoughts.answer_insights,
    "decide_talk": thoughts.answer_decide_talk,
    "decide_react": thoughts.answer_decide_react,
    "relationship_summary": thoughts.answer_relationship_summary,
    "utterance": thoughts.answer_utterance,
    "conversation": answer_conversation,
    "convo_summary": thoughts.answer_convo_summary,
    "convo_memo": thoughts.answer_convo_memo,
    "planning_thought": thoughts.answer_planning_thought,
}


class OfflineLLM:
    """A deterministic stand-in for a chat model, for play and simulation without a server.

    Every request kind the brain sends is answered from the facts in the request's context
    block, in the answer format its ``aga_npc.prompts`` builder asks for (``_HANDLERS``;
    ``_generic`` only answers kinds the brain never sends). Randomness comes from
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

    def __init__(
        self, *, seed: int = 0, count_usage: bool = True, wording: str = "default"
    ) -> None:
        if wording not in WORDINGS:
            raise ValueError(f"wording must be one of {WORDINGS}, got {wording!r}")
        self.seed = int(seed)
        self.count_usage = count_usage
        self.wording = wording

    def __repr__(self) -> str:
        return f"OfflineLLM(seed={self.seed}, wording={self.wording!r})"

    async def complete(self, request: LLMRequest) -> LLMResult:
        """The completion for ``request`` (one attempt, zero latency)."""
        text = answer_text(request, seed=self.seed, wording=self.wording)
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
        for piece in _PIECES.findall(answer_text(request, seed=self.seed, wording=self.wording)):
            yield piece


def _usage(request: LLMRequest, text: str) -> Usage:
    from aga_npc.llm.tokens import count_message_tokens, count_tokens

    return Usage(
        prompt_tokens=count_message_tokens(request.messages),
        completion_tokens=count_tokens(text),
    )


def answer_text(request: LLMRequest, *, seed: int = 0, wording: str = "default") -> str:
    """The offline completion text for a request (pure; the backend's core).

    ``wording`` "paraphrase" rewords every daily plan item every day (a stress test of
    the Lifestyle Policy's matching); "default" words plans as a chat model does.
    """
    rng = make_rng(seed, request.content_hash())
    context = extract_context(request.messages) or {}
    module = request.module_name
    if module == "player_reply" or (module == "other" and "you" in context):
        return answer_player_reply(context, extract_task(request.messages), rng)
    if module == "daily_plan":
        return day_plans.answer_daily_plan(context, rng, wording=wording)
    if module == "relationship":
        if "a" in context and "b" in context:
            return thoughts.answer_joint_relationship(context, rng)
        return answer_relationship(context, rng)
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
