"""Reflection as Generative Agents does it: when the summed poignancy of new memories
reaches the trigger, ask for the three most salient questions about the last hundred
memories (focal points), then for each question retrieve the relevant memories and ask for
insights with the statements they rest on. Every insight becomes a reflection memory,
rated for poignancy like any thought (the ``aga`` mode's ``insight_poignancy`` saving takes
the rating from the insight call itself).

Lifecycle: IDLE -> FOCAL -> INSIGHTS (one question at a time: embed, then ask) -> IDLE.
"""

from __future__ import annotations

import enum
from collections import deque
from typing import TYPE_CHECKING, Any

from aga_npc.brain.answers import FocalPoints, Insights, parsed_as
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.requests import CallKind, Failure, Requests
from aga_npc.brain.settings import LoopSettings
from aga_npc.memory.events import EventKind
from aga_npc.ports import Embedder
from aga_npc.prompts import focal_points_messages, insights_messages
from aga_npc.types import Module, Priority

if TYPE_CHECKING:
    from aga_npc.brain.mind import Mind

__all__ = ["Reflection", "ReflectionStage"]

RECENT = 100
EVIDENCE = 30
DAY = 1440


class ReflectionStage(enum.StrEnum):
    IDLE = "idle"
    FOCAL = "focal"
    INSIGHTS = "insights"


TRANSITIONS: dict[ReflectionStage, frozenset[ReflectionStage]] = {
    ReflectionStage.IDLE: frozenset({ReflectionStage.FOCAL}),
    ReflectionStage.FOCAL: frozenset({ReflectionStage.INSIGHTS, ReflectionStage.IDLE}),
    ReflectionStage.INSIGHTS: frozenset({ReflectionStage.IDLE}),
}


class Reflection:
    """One agent's reflections (at most one in progress)."""

    def __init__(self, *, profile: AgentProfile, settings: LoopSettings) -> None:
        self.profile = profile
        self.settings = settings
        self.stage = ReflectionStage.IDLE
        self.count = 0
        self.insights = 0
        self.rated_in_call = 0
        self._requests: Requests | None = None
        self._embedder: Embedder | None = None
        self._mind: Mind | None = None
        self._questions: deque[str] = deque()
        self._started = 0

    def attach(self, requests: Requests, embedder: Embedder, mind: Mind) -> None:
        self._requests, self._embedder, self._mind = requests, embedder, mind

    @property
    def busy(self) -> bool:
        return self.stage is not ReflectionStage.IDLE

    def reset(self) -> None:
        self.stage = ReflectionStage.IDLE
        self._questions.clear()

    def _move(self, stage: ReflectionStage) -> None:
        if stage not in TRANSITIONS[self.stage]:
            raise RuntimeError(f"illegal reflection stage {self.stage} -> {stage}")
        self.stage = stage

    def start(self, now: int) -> None:
        """Ask for the focal points of the most recent memories."""
        requests, mind = self._requests, self._mind
        if requests is None or mind is None or self.busy:
            return
        self._move(ReflectionStage.FOCAL)
        self._started = now
        requests.ask(
            Module.FOCAL_POINTS,
            focal_points_messages(
                persona=self.profile.prompt_fields(), statements=mind.recent_statements(RECENT)
            ),
            validator=FocalPoints.validate,
            parse=parsed_as(FocalPoints),
            then=self._on_focal,
            day=now // DAY + 1,
            priority=Priority.LOW,
            max_tokens=150,
        )

    def _on_focal(self, answer: FocalPoints | Failure) -> None:
        if isinstance(answer, Failure):
            self._move(ReflectionStage.IDLE)
            return
        self.count += 1
        self._questions = deque(answer.questions[: self.settings.focal_points])
        self._move(ReflectionStage.INSIGHTS)
        self._next_question()

    def _next_question(self) -> None:
        requests, embedder = self._requests, self._embedder
        if not self._questions or requests is None or embedder is None:
            self._move(ReflectionStage.IDLE)
            return
        question = self._questions.popleft()
        requests.call(
            CallKind.EMBED_QUERY,
            embedder.embed,
            [question],
            then=lambda value: self._ask_insights(question, value),
        )

    def _ask_insights(self, question: str, value: Any) -> None:
        from aga_npc.brain.mind import first_row

        requests, mind = self._requests, self._mind
        if requests is None or mind is None:
            return
        now = self._started
        hits = mind.retrieve(first_row(value), now, EVIDENCE)
        events = [h.event for h in hits]
        if not events:
            self._next_question()
            return
        requests.ask(
            Module.INSIGHTS,
            insights_messages(
                persona=self.profile.prompt_fields(),
                question=question,
                statements=[ev.describe() for ev in events],
                count=self.settings.insights_per_point,
                with_poignancy=self.settings.savings.insight_poignancy,
            ),
            validator=Insights.validate,
            parse=parsed_as(Insights),
            then=lambda answer: self._on_insights([ev.id for ev in events], answer),
            day=now // DAY + 1,
            priority=Priority.LOW,
            max_tokens=400,
        )

    def _on_insights(self, ids: list[int], answer: Insights | Failure) -> None:
        mind = self._mind
        if mind is not None and not isinstance(answer, Failure):
            from aga_npc.brain.mind import RateAs

            for item in answer.items[: self.settings.insights_per_point]:
                evidence = [ids[n - 1] for n in item.evidence if 1 <= n <= len(ids)]
                own = item.poignancy if self.settings.savings.insight_poignancy else None
                self.rated_in_call += own is not None
                mind.remember(
                    self._started,
                    EventKind.REFLECTION,
                    item.text,
                    importance=own,
                    rate=RateAs.THOUGHT,
                    evidence=evidence,
                )
                self.insights += 1
        self._next_question()
