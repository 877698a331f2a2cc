"""When a conversation is over: pure rules over its lines (two farewells in a row, a
repeated line, an empty line, or the line limit). Whether one starts is the LLM's decision
(``decide_talk``, see ``aga_npc.brain.reactions``), as in Generative Agents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aga_npc.memory.text import near_duplicate, normalise_text

__all__ = ["EndDecision", "conversation_should_end", "is_farewell"]


_FAREWELL = re.compile(
    r"\b(good ?bye|bye|bye bye|see (you|ya)|take care|farewell|talk (to you )?(later|soon)|"
    r"catch you later|gotta go|got to go|have to go|must go|have a (good|nice|great|lovely) "
    r"(day|one|evening|night|morning|afternoon|weekend)|good ?night|until next time)\b"
)


def is_farewell(line: str) -> bool:
    """Whether a dialogue line says goodbye ("Bye!", "See you later", "Take care")."""
    return bool(_FAREWELL.search(normalise_text(line)))


@dataclass(frozen=True, slots=True, kw_only=True)
class EndDecision:
    """Whether a conversation is over, and why ("max turns", "goodbye", "repetition", ...)."""

    end: bool
    reason: str


def conversation_should_end(
    turns: int,
    max_turns: int,
    last_lines: Sequence[str],
    *,
    repeat_threshold: float = 0.8,
) -> EndDecision:
    """Whether to stop a conversation after its latest line.

    Ends on: ``turns >= max_turns``; an empty latest line (the speaker had nothing to say);
    the latest two lines both farewells (one goodbye alone lets the other answer it); or
    the latest line nearly repeating an earlier line in ``last_lines`` (word-set Jaccard
    >= ``repeat_threshold``), which is how LLM dialogue loops look.

    Args:
        turns: lines spoken so far.
        max_turns: the limit.
        last_lines: the recent lines' texts without speaker names, oldest first.
        repeat_threshold: near-duplicate threshold for the repetition rule.
    """
    if max_turns < 1:
        raise ValueError(f"max_turns must be >= 1, got {max_turns}")
    if turns >= max_turns:
        return EndDecision(end=True, reason="max turns")
    if not last_lines:
        return EndDecision(end=False, reason="continue")
    latest = last_lines[-1]
    if not normalise_text(latest):
        return EndDecision(end=True, reason="nothing more to say")
    if len(last_lines) >= 2 and is_farewell(latest) and is_farewell(last_lines[-2]):
        return EndDecision(end=True, reason="goodbye")
    for earlier in last_lines[:-1]:
        if near_duplicate(latest, earlier, threshold=repeat_threshold):
            return EndDecision(end=True, reason="repetition")
    return EndDecision(end=False, reason="continue")
