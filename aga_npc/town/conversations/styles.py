"""The three dialogue styles.

- :class:`GenerativeLines` (the baseline, ``lifestyle-only``): before every line the
  speaker embeds the last line, retrieves memories about the listener (50) and about the
  line (15), asks the LLM to summarise the relationship from them, then asks for the line
  with the whole conversation, the summary and the memories - Generative Agents' way.
- :class:`SocialLines` (the AGA modes): one call per line whose prompt is the last round
  plus the speaker's Social Memory about the listener - the paper's substitution.
- :class:`WholeExchange` (cognitive level of detail, far from the player): the whole
  conversation in one call, with Social Memory or raw memories per the mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aga_npc.brain.answers import Line, Text, WholeConversation, parsed_as
from aga_npc.brain.mind import first_row
from aga_npc.brain.requests import CallKind, Failure
from aga_npc.planning.schedule import format_hhmm
from aga_npc.prompts import (
    conversation_whole_messages,
    relationship_summary_messages,
    utterance_messages,
)
from aga_npc.social.conversation_rules import conversation_should_end
from aga_npc.town.conversations.base import Conversation
from aga_npc.types import Module, Priority

if TYPE_CHECKING:
    from aga_npc.town.town import Town

__all__ = ["GenerativeLines", "SocialLines", "WholeExchange"]

DAY = 1440
RAW_MEMORIES = 10


def _day(now: int) -> int:
    return now // DAY + 1


def _add_line(convo: Conversation, speaker: str, answer: Line | Failure, tokens: int) -> None:
    convo.busy = False
    if isinstance(answer, Failure):
        convo.scratch["end"] = True
        return
    convo.lines.append((speaker, answer.text))
    if tokens:
        convo.line_prompt_tokens.append(tokens)
    ended = (
        answer.end
        or conversation_should_end(
            len(convo.lines), convo.max_lines, [t for _, t in convo.lines]
        ).end
    )
    if ended:
        convo.scratch["end"] = True


class SocialLines:
    """One utterance call per line with the speaker's Social Memory (AGA)."""

    name = "social"

    def next_line(self, convo: Conversation, now: int, town: Town) -> None:
        speaker, listener = convo.speaker()
        brain = town.brains[speaker]
        convo.busy = True
        messages = utterance_messages(
            speaker=brain.persona(),
            listener=listener,
            place=convo.place,
            time=format_hhmm(now),
            lines=convo.lines,
            social=brain.social_context(listener),
            summary=None,
            memories=None,
            turn=len(convo.lines),
            max_turns=convo.max_lines,
        )
        convo.book.ask(
            Module.UTTERANCE,
            messages,
            validator=Line.validate,
            parse=_with_tokens(Line),
            then=lambda answer: _add_line(convo, speaker, *_split(answer)),
            day=_day(now),
            priority=Priority.NORMAL,
            max_tokens=120,
            agent=speaker,
        )


class GenerativeLines:
    """Generative Agents' line: embed the last line, retrieve, summarise, then speak."""

    name = "generative"

    def next_line(self, convo: Conversation, now: int, town: Town) -> None:
        speaker, listener = convo.speaker()
        brain = town.brains[speaker]
        convo.busy = True
        query = convo.lines[-1][1] if convo.lines else listener
        vector = brain.services.cached_vector(query)
        if vector is not None:
            self._summarise(convo, now, town, vector)
            return
        convo.book.call(
            CallKind.EMBED_QUERY,
            brain.services.embedder.embed,
            [query],
            then=lambda value: self._summarise(convo, town.now, town, first_row(value)),
            priority=Priority.HIGH,
            agent=speaker,
        )

    def _summarise(self, convo: Conversation, now: int, town: Town, vector: Any) -> None:
        speaker, listener = convo.speaker()
        brain = town.brains[speaker]
        memories = brain.memories_about(listener, vector, now)
        convo.book.ask(
            Module.RELATIONSHIP_SUMMARY,
            relationship_summary_messages(name=speaker, other=listener, memories=memories),
            json=False,
            parse=Text.read,
            then=lambda answer: self._speak(convo, town, memories, answer),
            day=_day(now),
            priority=Priority.NORMAL,
            max_tokens=150,
            agent=speaker,
        )

    def _speak(
        self, convo: Conversation, town: Town, memories: list[str], answer: Text | Failure
    ) -> None:
        now = town.now
        speaker, listener = convo.speaker()
        brain = town.brains[speaker]
        summary = "" if isinstance(answer, Failure) else answer.text
        convo.book.ask(
            Module.UTTERANCE,
            utterance_messages(
                speaker=brain.persona(),
                listener=listener,
                place=convo.place,
                time=format_hhmm(now),
                lines=convo.lines,
                social=None,
                summary=summary,
                memories=memories[: brain.settings.convo_line_memories],
                turn=len(convo.lines),
                max_turns=convo.max_lines,
            ),
            validator=Line.validate,
            parse=_with_tokens(Line),
            then=lambda a: _add_line(convo, speaker, *_split(a)),
            day=_day(now),
            priority=Priority.NORMAL,
            max_tokens=120,
            agent=speaker,
        )


class WholeExchange:
    """The whole conversation in one call."""

    name = "whole"

    def __init__(self, *, social: bool) -> None:
        self.social = social

    def next_line(self, convo: Conversation, now: int, town: Town) -> None:
        a, b = town.brains[convo.a], town.brains[convo.b]
        convo.busy = True
        messages = conversation_whole_messages(
            a=a.persona(),
            b=b.persona(),
            place=convo.place,
            time=format_hhmm(now),
            social_a=a.social_context(convo.b) if self.social else None,
            social_b=b.social_context(convo.a) if self.social else None,
            memories_a=None if self.social else a.recent_about(convo.b, now, RAW_MEMORIES),
            memories_b=None if self.social else b.recent_about(convo.a, now, RAW_MEMORIES),
            max_turns=convo.max_lines,
        )
        convo.book.ask(
            Module.CONVERSATION,
            messages,
            validator=WholeConversation.validate,
            parse=parsed_as(WholeConversation),
            then=lambda answer: self._on_lines(convo, answer),
            day=_day(now),
            priority=Priority.NORMAL,
            max_tokens=600,
            agent=convo.a,
        )

    def _on_lines(self, convo: Conversation, answer: WholeConversation | Failure) -> None:
        convo.busy = False
        if not isinstance(answer, Failure):
            for who, line in answer.lines[: convo.max_lines]:
                convo.lines.append((convo.a if who == convo.a else convo.b, line))
        convo.scratch["end"] = True


def _with_tokens(kind: type[Line]) -> Any:
    """A parser that keeps the prompt's token count beside the line (the report shows
    dialogue prompt tokens per line)."""
    inner = parsed_as(kind)

    def parse(result: Any) -> tuple[Line, int]:
        return inner(result), int(result.usage.prompt_tokens)

    return parse


def _split(answer: Any) -> tuple[Line | Failure, int]:
    if isinstance(answer, Failure):
        return answer, 0
    line, tokens = answer
    return line, tokens
