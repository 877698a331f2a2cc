"""The cognitive loop's settings: Generative Agents' constants (retrieval weights, the
reflection trigger, conversation retrieval sizes, perception) and the ``aga`` mode's own
savings, each one a named switch."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from aga_npc.brain.modes import Mode
from aga_npc.memory.events import RetrievalWeights

__all__ = ["GA_RETRIEVAL", "LoopSettings", "Savings"]

GA_RETRIEVAL = RetrievalWeights(recency=0.5, relevance=3.0, importance=2.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Savings:
    """This project's savings on top of the paper's two substitutions (the ``aga`` mode).

    Attributes:
        one_call_schedule: the hourly schedule in one call for the whole day instead of
            one call per waking hour.
        merged_action_chain: on a Lifestyle Policy miss, one ``action_chain`` call gives
            the steps with their objects, emoji and object states, instead of a
            decomposition plus eight calls per step.
        poignancy_cache: the poignancy of an event pattern already rated (or an obvious
            routine) is reused instead of asked again.
        insight_poignancy: a reflection's insight call rates its own insights, instead of
            one poignancy call per insight.
        batched_poignancy: an agent's new memories that need a rating wait and are rated
            together, up to ``POIGNANCY_BATCH`` in one ``poignancy_batch`` call (sent when
            full, or when the oldest has waited ``POIGNANCY_WAIT`` game minutes), instead
            of one call each; the persona is sent once per batch.
        joint_relationship_update: one Social Memory update per conversation for both
            sides instead of one per side.
        decision_cache: a decision not to talk to someone doing something is remembered
            for the day (a routine reaction), instead of asked again at every sighting.
    """

    one_call_schedule: bool = False
    merged_action_chain: bool = False
    poignancy_cache: bool = False
    insight_poignancy: bool = False
    batched_poignancy: bool = False
    joint_relationship_update: bool = False
    decision_cache: bool = False

    @classmethod
    def all(cls) -> Savings:
        return cls(**{f.name: True for f in fields(cls)})

    @classmethod
    def none(cls) -> Savings:
        return cls()

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def enabled(self) -> tuple[str, ...]:
        return tuple(n for n in self.names() if getattr(self, n))

    @classmethod
    def parse(cls, text: str) -> Savings:
        """``"all"``, ``"none"`` or comma-separated switch names.

        Raises:
            ValueError: an unknown name (the message lists the known ones).
        """
        text = text.strip().lower()
        if text in ("all", ""):
            return cls.all() if text == "all" else cls.none()
        if text == "none":
            return cls.none()
        chosen = [n.strip().replace("-", "_") for n in text.split(",") if n.strip()]
        bad = [n for n in chosen if n not in cls.names()]
        if bad:
            raise ValueError(f"unknown savings {bad}; known: {', '.join(cls.names())}")
        return cls(**dict.fromkeys(chosen, True))


@dataclass(frozen=True, slots=True, kw_only=True)
class LoopSettings:
    """Settings of Generative Agents' loop as every mode runs it.

    Attributes:
        retrieval: weights of recency, relevance and importance (Generative Agents: 0.5,
            3 and 2).
        reflection_trigger: summed importance of new memories that starts a reflection.
        focal_points: questions per reflection; ``insights_per_point`` insights each.
        convo_person_memories: memories retrieved about the listener per line (50).
        convo_line_memories: memories retrieved about the last line per line (15).
        max_lines: a conversation ends after this many lines (8 a side).
        vision_radius: tiles an agent perceives around itself (in its own room).
        attention: new events taken in per look (the nearest).
        retention: an event among the agent's last this many events is not new.
        chat_cooldown: game minutes after a conversation before the same two talk again.
        line_minutes: game minutes a conversation line takes at least, counted from the
            conversation's start (0: a line comes as soon as its answers do). A dialogue
            style that needs more requests per line takes more game minutes per line, so
            headless comparisons pace every mode alike: the agents then talk for the same
            time and meet as often whatever the style costs.
        decompose_min: schedule items shorter than this are one action, not decomposed.
        savings: the ``aga`` mode's switches (all off in the other modes).
    """

    retrieval: RetrievalWeights = GA_RETRIEVAL
    reflection_trigger: float = 150.0
    focal_points: int = 3
    insights_per_point: int = 5
    convo_person_memories: int = 50
    convo_line_memories: int = 15
    max_lines: int = 16
    vision_radius: float = 8.0
    attention: int = 8
    retention: int = 8
    chat_cooldown: int = 120
    line_minutes: int = 0
    decompose_min: int = 15
    savings: Savings = field(default_factory=Savings)

    def __post_init__(self) -> None:
        if self.reflection_trigger <= 0:
            raise ValueError("reflection_trigger must be positive")
        if not 2 <= self.max_lines <= 40:
            raise ValueError("max_lines must be within 2..40")
        if self.attention < 1 or self.vision_radius <= 0:
            raise ValueError("attention and vision_radius must be positive")
        if self.focal_points < 1 or self.insights_per_point < 1:
            raise ValueError("focal_points and insights_per_point must be at least 1")
        for name in (
            "retention",
            "chat_cooldown",
            "line_minutes",
            "convo_person_memories",
            "convo_line_memories",
            "decompose_min",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    @classmethod
    def for_mode(cls, mode: Mode, **changes: Any) -> LoopSettings:
        """The settings of ``mode``: every saving on for ``aga``, none elsewhere."""
        savings = Savings.all() if mode is Mode.AGA else Savings.none()
        return replace(cls(savings=savings), **changes)
