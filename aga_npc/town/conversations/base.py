"""One conversation's state, and the protocol a dialogue style implements.

A conversation is driven by the scheduler once per game minute: its style asks for what
the next line needs (one or more requests through the conversation's own request book)
and adds the line when it arrives. Styles talk to the brains only through their public
methods (``persona``, ``social_context``, ``memories_about``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from aga_npc.brain.npc import NpcBrain
from aga_npc.brain.requests import RequestBook

if TYPE_CHECKING:
    from aga_npc.town.town import Town

__all__ = ["Conversation", "DialogueStyle", "Phase"]


class Phase(enum.StrEnum):
    TALK = "talk"
    WRAP = "wrap"
    DONE = "done"


PHASES: dict[Phase, frozenset[Phase]] = {
    Phase.TALK: frozenset({Phase.WRAP, Phase.DONE}),
    Phase.WRAP: frozenset({Phase.DONE}),
    Phase.DONE: frozenset(),
}


@dataclass(slots=True)
class Conversation:
    """One conversation between two NPCs."""

    a: str
    b: str
    place: str
    started: int
    max_lines: int
    book: RequestBook
    lines: list[tuple[str, str]] = field(default_factory=list)
    phase: Phase = Phase.TALK
    busy: bool = False  # a request for the next line is in flight
    ended: int = 0
    wraps_pending: int = 0
    summary: str = ""
    line_prompt_tokens: list[int] = field(default_factory=list)
    scratch: dict[str, Any] = field(default_factory=dict)

    def speaker(self) -> tuple[str, str]:
        """(speaker, listener) of the next line."""
        return (self.a, self.b) if len(self.lines) % 2 == 0 else (self.b, self.a)

    def move(self, phase: Phase) -> None:
        if phase not in PHASES[self.phase]:
            raise RuntimeError(f"illegal conversation phase {self.phase} -> {phase}")
        self.phase = phase


class DialogueStyle(Protocol):
    """How the lines of a conversation are made (Generative Agents' per-line retrieval and
    summary, Social Memory per line, or the whole exchange in one call)."""

    name: str

    def next_line(self, convo: Conversation, now: int, town: Town) -> None:
        """Ask for what the next line needs (``convo.busy`` while waiting); the answer's
        continuation appends to ``convo.lines`` or ends the conversation."""
        ...


def brains(town: Town, convo: Conversation) -> tuple[NpcBrain, NpcBrain]:
    return town.brains[convo.a], town.brains[convo.b]
