"""The brain's social side: what a conversation or the player's dialogue needs from an NPC
(its persona, its Social Memory about someone, Generative Agents' per-line retrieval) and
what a conversation leaves behind (the memory of it, a memo, a planning thought - an
agreement for later today re-plans today -, the Social Memory update)."""

from __future__ import annotations

from typing import Any

from aga_npc.brain.answers import Commitment, PlanningThought, SocialAnswer, Text, parsed_as
from aga_npc.brain.mind import Mind, RateAs
from aga_npc.brain.planner import Planner
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.reactions import Reactions
from aga_npc.brain.requests import Failure, RequestBook
from aga_npc.brain.settings import LoopSettings
from aga_npc.memory.events import EventKind, texts
from aga_npc.planning.schedule import format_hhmm
from aga_npc.prompts import convo_memo_messages, planning_thought_messages, relationship_messages
from aga_npc.prompts.sanitize import player_memory_text
from aga_npc.types import Module, Priority

__all__ = ["SocialSide", "later"]

DAY = 1440
TONE_STEP = {"rude": -1.0, "kind": 0.5, "neutral": 0.2}
"""The least a dialogue's tone moves closeness (rude down, kind up)."""
HURT = frozenset(
    (
        "hurt",
        "annoyed",
        "wary",
        "uneasy",
        "offended",
        "angry",
        "upset",
        "cold",
        "irritated",
        "sad",
        "disappointed",
        "resentful",
        "insulted",
    )
)
"""Feelings that fit having been spoken to rudely."""


class SocialSide:
    """One NPC's side of conversations (owned by its ``NpcBrain``, which forwards to it)."""

    def __init__(
        self,
        *,
        profile: AgentProfile,
        settings: LoopSettings,
        book: RequestBook,
        mind: Mind,
        planner: Planner,
        reactions: Reactions,
    ) -> None:
        self.profile = profile
        self.settings = settings
        self.book = book
        self.mind = mind
        self.planner = planner
        self.reactions = reactions
        self.conversations = 0
        self.joint_updates = 0

    def persona(self) -> dict[str, Any]:
        """The persona fields prompts carry."""
        return self.profile.prompt_fields()

    def social_context(self, other: str) -> dict[str, Any]:
        """The Social Memory about ``other`` as a dialogue prompt carries it."""
        record = self.mind.social.record_for(other)
        return {
            "about": other,
            "relationship": record.relationship,
            "feeling": record.feeling,
            "closeness": record.closeness,
            "summary_events": list(record.summary),
            "topics": list(record.topics),
        }

    def memories_about(self, other: str, query: Any, now: int) -> list[str]:
        """Generative Agents' per-line retrieval: memories relevant to ``query`` (the last
        line's embedding) first, then memories about ``other``, deduplicated (the line's
        own memories lead, so the utterance, which takes the first
        ``convo_line_memories``, carries what the last line brings to mind)."""
        person = self.mind.retrieve(None, now, self.settings.convo_person_memories, person=other)
        line = (
            self.mind.retrieve(query, now, self.settings.convo_line_memories)
            if query is not None
            else []
        )
        seen: list[str] = []
        for text in texts(line) + texts(person):
            if text not in seen:
                seen.append(text)
        return seen

    def recent_about(self, other: str, now: int, k: int = 3) -> list[str]:
        return texts(self.mind.retrieve(None, now, k, person=other, touch=False))

    def debrief(self, other: str, lines: list[tuple[str, str]], summary: str, now: int) -> None:
        """After a conversation: remember it (rated as a chat), then a memo and a planning
        thought (each rated as a thought); an agreement for later today re-plans today, one
        for another day becomes an invitation for that day's plan."""
        self.conversations += 1
        self.reactions.talked(other, now)
        self.mind.remember(
            now,
            EventKind.SAID,
            f"{self.profile.name} talked with {other}: {summary}",
            people=(other,),
            rate=RateAs.CHAT,
        )
        day = now // DAY + 1
        persona = self.profile.prompt_fields()
        self.book.ask(
            Module.CONVO_MEMO,
            convo_memo_messages(persona=persona, other=other, lines=lines),
            json=False,
            parse=Text.read,
            then=lambda answer: self._on_memo(other, now, answer),
            day=day,
            priority=Priority.LOW,
            max_tokens=120,
        )
        self.book.ask(
            Module.PLANNING_THOUGHT,
            planning_thought_messages(
                persona=persona, other=other, lines=lines, time=format_hhmm(now)
            ),
            validator=PlanningThought.validate,
            parse=parsed_as(PlanningThought),
            then=lambda answer: self._on_planning_thought(other, now, answer),
            day=day,
            priority=Priority.NORMAL,
            max_tokens=150,
        )

    def _on_memo(self, other: str, now: int, answer: Text | Failure) -> None:
        if isinstance(answer, Failure):
            return
        self.mind.remember(
            now, EventKind.THOUGHT, answer.text, people=(other,), rate=RateAs.THOUGHT
        )

    def _on_planning_thought(self, other: str, now: int, answer: PlanningThought | Failure) -> None:
        if isinstance(answer, Failure):
            return
        self.mind.remember(
            now, EventKind.THOUGHT, answer.thought, people=(other,), rate=RateAs.THOUGHT
        )
        plan = answer.plan
        if plan is None:
            return
        if plan.day_offset == 0 and plan.start > now % DAY:
            self.planner.replan(now, f"agreed with {other}: {plan.activity}", plan)
        else:
            self.planner.add_invitation(later(plan), now)

    def note_joint_update(self) -> None:
        """One Social Memory update served both sides (the ``aga`` mode's saving)."""
        self.joint_updates += 1

    def apply_social(self, other: str, answer: SocialAnswer, now: int) -> None:
        """A Social Memory update from the conversation with ``other``."""
        social = self.mind.social
        social.apply(other, answer.update, now=now)
        about = self.mind.retrieve(None, now, 3, person=other, touch=False)
        social.add_summary_events(other, texts(about), now=now)

    def recent_memories(self, now: int, k: int) -> list[str]:
        """The ``k`` best memories by recency and importance (no query)."""
        return texts(self.mind.retrieve(None, now, k))

    def hear_player(self, said: str, reply: str, now: int, player: str = "") -> None:
        """Remember an exchange with the player (the player's words as quoted speech;
        ``player``: their name, "" when unnamed)."""
        self.mind.remember(
            now,
            EventKind.SAID,
            player_memory_text(self.profile.name, said, reply, player),
            people=("player",),
            importance=4,
        )

    def update_social(
        self, other: str, transcript: list[tuple[str, str]], now: int, tone: str = ""
    ) -> None:
        """Ask for and apply one Social Memory update about ``other`` (after the player's
        dialogue closes). ``tone`` ("kind", "neutral", "rude"; "" when not read) holds the
        direction whatever the answer says: after rudeness closeness is at least 1 lower
        and the feeling a hurt one, after kindness at least 0.5 higher. A failed answer
        moves closeness by the tone alone (+0.5 when none)."""
        record = self.mind.social.record_for(other)
        before = record.closeness

        def apply(answer: SocialAnswer | Failure) -> None:
            if isinstance(answer, Failure):
                self.mind.social.apply_update(
                    other, now=now, closeness_delta=TONE_STEP.get(tone, 0.5)
                )
            else:
                self.apply_social(other, answer, now)
            self._hold_tone(other, tone, before, now)

        self.book.ask(
            Module.RELATIONSHIP,
            relationship_messages(
                name=self.profile.name,
                other=other,
                transcript=transcript,
                current={
                    "relationship": record.relationship,
                    "feeling": record.feeling,
                    "closeness": record.closeness,
                },
                tone=tone,
            ),
            validator=SocialAnswer.validate,
            parse=parsed_as(SocialAnswer),
            then=apply,
            day=now // DAY + 1,
            priority=Priority.NORMAL,
            max_tokens=250,
        )

    def _hold_tone(self, other: str, tone: str, before: float, now: int) -> None:
        social = self.mind.social
        record = social.record_for(other)
        if tone == "rude":
            feeling = record.feeling if record.feeling.lower() in HURT else "hurt"
            closeness = min(record.closeness, max(0.0, before + TONE_STEP["rude"]))
            social.apply_update(other, now=now, closeness=closeness, feeling=feeling, talked=False)
        elif tone == "kind" and record.closeness < before + TONE_STEP["kind"]:
            social.apply_update(
                other, now=now, closeness=min(10.0, before + TONE_STEP["kind"]), talked=False
            )

    def relationships(self) -> dict[str, dict[str, Any]]:
        """Social Memory rows by person (relationship, feeling, closeness ...)."""
        return self.mind.social.relationships()

    def closeness(self, other: str) -> float:
        return float(self.mind.social.record_for(other).closeness)


def later(plan: Commitment) -> Commitment:
    """A commitment for today whose time has passed moves to tomorrow."""
    if plan.day_offset >= 1:
        return plan
    return Commitment(
        activity=plan.activity,
        day_offset=1,
        start=plan.start,
        duration=plan.duration,
        place=plan.place,
    )
