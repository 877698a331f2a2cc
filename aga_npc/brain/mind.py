"""Mind: the brain's memory side. Owns the memory stream, importance scoring, reflection,
mind wandering and the Social Memory, and knows the town's places and objects by name."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from aga_npc.brain.modes import Mode
from aga_npc.brain.profile import AgentProfile
from aga_npc.memory.events import EventKind, texts
from aga_npc.memory.stream import MemoryStream
from aga_npc.planning.schedule import DailyPlan, format_hhmm
from aga_npc.ports import WorldView
from aga_npc.prompts import reflect_messages
from aga_npc.types import LLMRequest, Module, Priority

if TYPE_CHECKING:
    from aga_npc.brain.npc import NpcBrain

__all__ = ["Mind"]

EMBED_BATCH_MIN = 6
EMBED_EVERY_MINUTES = 30
PLANNING_RECALL = 4
WANDER_SAMPLES = 3
SEAT_VERBS = ("sit", "rest")


class Mind:
    """Memory, importance, reflection, mind wandering and Social Memory for one NPC.

    Args:
        profile: the NPC.
        mode: decides what dialogue prompts carry.
        places: the town's sector names the NPC may plan to go to.
        mind_wandering: sample rare memories into the daily planning prompt.
        max_events: the memory stream bound.
    """

    def __init__(
        self,
        *,
        profile: AgentProfile,
        mode: Mode,
        places: Sequence[str] = (),
        mind_wandering: bool = True,
        max_events: int = 600,
        importance: Callable[[str, str], int | None] | None = None,
    ) -> None:
        self.profile = profile
        self.mode = mode
        self.places = list(places)
        self.mind_wandering = mind_wandering
        self.stream = MemoryStream(max_events=max_events)
        self._importance = importance
        self._embedding_in_flight = False
        self._last_embed_submit = -(10**9)
        self._reflecting = False
        self._objects_cache: dict[str, list[dict[str, Any]]] = {}
        self._seat_cache: dict[tuple[int, int] | None, str] = {}
        self.social: Any = None  # set by the social layer when present

    # ------------------------------------------------------------------ hooks from the brain
    def tick(self, now: int, brain: NpcBrain) -> None:
        """Batch-embed pending memories and start a reflection when one is due."""
        if not self._embedding_in_flight:
            pending = self.stream.pending_embeddings()
            if pending and (
                len(pending) >= EMBED_BATCH_MIN
                or now - self._last_embed_submit >= EMBED_EVERY_MINUTES
            ):
                batch = pending[:32]
                ids = [ev.id for ev in batch]
                self._embedding_in_flight = True
                self._last_embed_submit = now
                brain.submit_call_aux(
                    "embed_memories",
                    brain.services.embedder.embed,
                    ([ev.text for ev in batch],),
                    partial(self._on_embeddings, ids),
                )
        if self.stream.reflection_due and not self._reflecting:
            self._start_reflection(now, brain)

    def on_activity(self, now: int, text: str, place: str) -> None:
        self.remember(now, EventKind.DONE, f"{self.profile.name}: {_clean(text)} at {place}")

    def on_plan(self, now: int, plan: DailyPlan) -> None:
        summary = "; ".join(f"{format_hhmm(a.start)} {a.text}" for a in plan.activities[:12])
        self.remember(
            now, EventKind.PLANNED, f"{self.profile.name} planned day {plan.day}: {summary}"
        )

    def remember(
        self,
        now: int,
        kind: EventKind,
        text: str,
        *,
        people: Sequence[str] = (),
        importance: int | None = None,
    ) -> int:
        """Append a memory; importance from the cache or a routine default (no LLM call)."""
        score = importance
        if score is None and self._importance is not None:
            score = self._importance(text, kind.value)
        if score is None:
            score = _heuristic_importance(text, kind)
        event = self.stream.append(
            kind=kind, text=text, now=now, importance=max(1, min(10, score)), people=people
        )
        return event.id

    # ------------------------------------------------------------------ prompt material
    def planning_memories(self, now: int, rng: random.Random) -> list[str]:
        """Recent important memories plus, with mind wandering, a few sampled rare ones."""
        hits = self.stream.retrieve(None, now, k=PLANNING_RECALL, touch=False)
        chosen = texts(hits)
        if self.mind_wandering:
            chosen.extend(t for t in self.wander(rng) if t not in chosen)
        return chosen

    def wander(self, rng: random.Random) -> list[str]:
        """Mind wandering samples (overridden by the social layer's DBSCAN sampler)."""
        events = [ev for ev in self.stream.events() if ev.embedding is not None]
        if len(events) < WANDER_SAMPLES:
            return []
        picks = rng.sample(events, WANDER_SAMPLES)
        return [ev.describe() for ev in picks]

    def known_places(self) -> list[str]:
        return list(self.places)

    def objects_for(self, world: WorldView, sector: str) -> list[dict[str, Any]]:
        """The objects of a place as prompt lines (cached: the furniture does not move)."""
        cached = self._objects_cache.get(sector)
        if cached is None:
            cached = [
                {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)}
                for o in world.objects(sector=sector)
            ]
            self._objects_cache[sector] = cached
        return cached

    def nearest_seat(self, world: WorldView, profile: AgentProfile) -> str:
        """A place to sit at home (used when idling in the street)."""
        seat = self._seat_cache.get(None)
        if seat is None:
            seat = ""
            for obj in world.objects(sector=profile.home):
                if any(v in obj.affordances for v in SEAT_VERBS) and obj.kind != "bed":
                    seat = obj.address
                    break
            self._seat_cache[None] = seat
        return seat

    # ------------------------------------------------------------------ internals
    def _on_embeddings(self, ids: list[int], result: Any) -> None:
        self._embedding_in_flight = False
        if getattr(result, "error", None) is not None or getattr(result, "value", None) is None:
            return
        vectors = np.asarray(result.value, dtype=np.float32)
        for event_id, vec in zip(ids, vectors, strict=False):
            self.stream.set_embedding(event_id, vec)

    def _start_reflection(self, now: int, brain: NpcBrain) -> None:
        self._reflecting = True
        self.stream.reset_reflection()
        recent = self.stream.recent(30)
        ranked = sorted(recent, key=lambda ev: (-ev.importance, -ev.id))[:12]
        request = LLMRequest(
            agent=self.profile.name,
            module=Module.REFLECT,
            messages=reflect_messages(
                persona=self.profile.prompt_fields(), memories=[ev.describe() for ev in ranked]
            ),
            json=True,
            validator=_validate_insights,
            priority=Priority.LOW,
            allow_fallback=True,
            max_tokens=300,
        )
        evidence = [ev.id for ev in ranked]
        brain.submit_aux(
            "reflect", request, lambda result: self._on_reflection(now, evidence, result)
        )

    def _on_reflection(self, now: int, evidence: list[int], result: Any) -> None:
        self._reflecting = False
        if getattr(result, "error", None) is not None or not isinstance(result.parsed, dict):
            return
        for insight in result.parsed.get("insights", [])[:3]:
            self.stream.append(
                kind=EventKind.REFLECTION,
                text=str(insight)[:200],
                now=now,
                importance=6,
                evidence=evidence,
            )

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"stream": self.stream.get_state(), "places": list(self.places)}
        if self.social is not None and hasattr(self.social, "to_dict"):
            state["social"] = self.social.to_dict()
        return state

    def set_state(self, state: Mapping[str, Any]) -> None:
        self.stream.set_state(state["stream"])
        self.places = list(state.get("places", self.places))
        self._embedding_in_flight = False
        self._reflecting = False


def _validate_insights(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("insights"), list):
        raise ValueError("the answer must be an object with an 'insights' list")
    return value


_ROUTINE = ("sleep", "brush", "shower", "wash", "wake", "get ready", "commute", "walk")
_SOCIAL = ("talk", "chat", "party", "meet", "friend", "invite", "date", "visit")
_BIG = ("election", "wedding", "engaged", "fired", "promotion", "accident", "died", "moved")


def _heuristic_importance(text: str, kind: EventKind) -> int:
    lowered = text.lower()
    if any(w in lowered for w in _BIG):
        return 8
    if kind is EventKind.SAID or any(w in lowered for w in _SOCIAL):
        return 5
    if kind is EventKind.PLANNED:
        return 3
    if any(w in lowered for w in _ROUTINE):
        return 1
    return 2


def _clean(text: str) -> str:
    """The activity text without trailing punctuation, starting lower-case."""
    stripped = text.strip().rstrip(".")
    return stripped[:1].lower() + stripped[1:]
