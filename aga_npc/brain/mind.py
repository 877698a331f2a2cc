"""Mind: the brain's memory side. Owns the memory stream, importance scoring, reflection,
mind wandering and the Social Memory, and knows the town's places and objects by name."""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from aga_npc.brain.intent import Nearby
from aga_npc.brain.modes import Mode
from aga_npc.brain.profile import AgentProfile
from aga_npc.memory.events import EventKind, MemoryEvent, texts
from aga_npc.memory.importance import ImportanceCache, parse_importance
from aga_npc.memory.stream import MemoryStream
from aga_npc.memory.wander import cluster_events, sample_wandering
from aga_npc.planning.schedule import DailyPlan, format_hhmm
from aga_npc.ports import WorldView
from aga_npc.prompts import importance_messages, reflect_messages
from aga_npc.social.social_memory import SocialMemory
from aga_npc.types import LLMRequest, Module, Priority

if TYPE_CHECKING:
    from aga_npc.brain.npc import NpcBrain

log = logging.getLogger(__name__)

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
    ) -> None:
        self.profile = profile
        self.mode = mode
        self.places = list(places)
        self.mind_wandering = mind_wandering
        self.stream = MemoryStream(max_events=max_events)
        self.importance = ImportanceCache()
        self._importance_queue: list[int] = []
        self._importance_in_flight = False
        self._labels: dict[int, int] = {}
        self._clustering = False
        self._clustered_day = -1
        self._embedding_in_flight = False
        self._last_embed_submit = -(10**9)
        self._reflecting = False
        self._objects_cache: dict[str, list[dict[str, Any]]] = {}
        self._seat_cache: dict[tuple[int, int] | None, str] = {}
        self.social = SocialMemory(profile.name)
        self._last_seen: dict[str, str] = {}
        self._anchors: dict[str, str] = {}

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
        if self._importance_queue and not self._importance_in_flight:
            self._ask_importance(brain)
        day = now // 1440
        if (
            self.mind_wandering
            and not self._clustering
            and day != self._clustered_day
            and now % 1440 >= 20 * 60
        ):
            self._cluster(day, brain)

    def _cluster(self, day: int, brain: NpcBrain) -> None:
        """DBSCAN over the memory embeddings, once a game day, in a worker."""
        events = tuple(ev for ev in self.stream.events() if ev.embedding is not None)
        self._clustered_day = day
        if len(events) < WANDER_SAMPLES:
            return
        self._clustering = True
        brain.submit_call_aux(
            "cluster_memories", cluster_events, (events,), partial(self._on_labels, events)
        )

    def _on_labels(self, events: tuple[MemoryEvent, ...], result: Any) -> None:
        self._clustering = False
        if getattr(result, "error", None) is not None or getattr(result, "value", None) is None:
            return
        self._labels = {ev.id: int(label) for ev, label in zip(events, result.value, strict=False)}

    def _ask_importance(self, brain: NpcBrain) -> None:
        """One LLM importance call for the oldest event the cache could not score."""
        while self._importance_queue:
            event = self.stream.get(self._importance_queue.pop(0))
            if event is None:
                continue
            cached = self.importance.lookup(event.text, event.kind.value, names=event.people)
            if cached is not None:
                self.stream.set_importance(event.id, cached)
                continue
            request = LLMRequest(
                agent=self.profile.name,
                module=Module.IMPORTANCE,
                messages=importance_messages(name=self.profile.name, event=event.text),
                json=True,
                validator=_validate_importance,
                priority=Priority.LOW,
                allow_fallback=True,
                max_tokens=20,
            )
            self._importance_in_flight = True
            brain.submit_aux("importance", request, partial(self._on_importance, event))
            return

    def _on_importance(self, event: MemoryEvent, result: Any) -> None:
        self._importance_in_flight = False
        if getattr(result, "error", None) is not None or not isinstance(result.parsed, dict):
            return
        score = self.importance.store(
            event.text, event.kind.value, result.parsed["importance"], names=event.people
        )
        self.stream.set_importance(event.id, score)

    def observe(
        self, now: int, nearby: Sequence[Nearby], sector: str, *, limit: int | None = None
    ) -> None:
        """Remember what others are seen doing (only when it changed since the last look).

        ``limit`` caps the new observations taken in this call (an attention bandwidth);
        the others stay unseen, so the next look picks them up.
        """
        taken = 0
        for other in nearby:
            if self._last_seen.get(other.name) == other.doing:
                continue
            if limit is not None and taken >= limit:
                break
            taken += 1
            self._last_seen[other.name] = other.doing
            self.remember(
                now,
                EventKind.OBSERVED,
                f"{self.profile.name} saw {other.name} {_clean(other.doing)} at {sector}",
                people=(other.name,),
            )

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
        """Append a memory. Importance comes from the cache (routine events never cost an LLM
        call); a novel event about others gets a provisional score and one LLM importance
        request, whose answer is cached by event pattern."""
        ask = False
        score = importance
        if score is None:
            score = self.importance.lookup(text, kind.value, names=people)
            if score is None:
                score = self.importance.estimate(text, kind.value, names=people)
                # plans, one's own activities and what others are seen doing are routine by
                # nature: the estimate stands; what is said or thought can be news worth
                # one LLM rating (then cached by pattern)
                ask = kind in (EventKind.SAID, EventKind.THOUGHT)
        event = self.stream.append(
            kind=kind, text=text, now=now, importance=max(1, min(10, score)), people=people
        )
        if ask:
            self._importance_queue.append(event.id)
            del self._importance_queue[:-8]
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
        """Mind wandering: memories sampled inversely to their DBSCAN cluster's size.

        Uses the labels of the last daily clustering (computed in a worker); events newer
        than it count as clusters of their own.
        """
        # experiences, not one's own plan summaries, and not routines already merged into
        # one "(N times)" event: those are repetition by definition
        events = [
            ev
            for ev in self.stream.events()
            if ev.embedding is not None and ev.kind is not EventKind.PLANNED and ev.count == 1
        ]
        if len(events) < WANDER_SAMPLES:
            return []
        fresh = max(self._labels.values(), default=-1) + 1
        labels = []
        for ev in events:
            label = self._labels.get(ev.id)
            if label is None or label < 0:
                label, fresh = fresh, fresh + 1
            labels.append(label)
        picks = sample_wandering(events, rng, WANDER_SAMPLES, labels=labels)
        return [ev.describe() for ev in picks]

    def known_places(self) -> list[str]:
        return list(self.places)

    def objects_for(self, world: WorldView, sector: str) -> list[dict[str, Any]]:
        """The objects of a place as prompt lines (cached: the furniture does not move).

        Other people's beds are left out: an NPC sleeps in its own bed.
        """
        cached = self._objects_cache.get(sector)
        if cached is None:
            own_bed = self.profile.bed
            cached = [
                {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)}
                for o in world.objects(sector=sector)
                if not (o.kind == "bed" and own_bed and o.address != own_bed)
            ]
            self._objects_cache[sector] = cached
        return cached

    def anchor(self, world: WorldView, sector: str, agent: str) -> str:
        """A spot to be at in ``sector`` for actions on no object: a seat, else any object
        the agent can reach (cached per sector; "" when the sector has none)."""
        spot = self._anchors.get(sector)
        if spot is None:
            spot = ""
            objects = [o for o in world.objects(sector=sector) if o.kind != "bed"]
            for verbs in (SEAT_VERBS, ("work", "study", "read"), ()):
                match = next(
                    (
                        o
                        for o in objects
                        if (not verbs or any(v in o.affordances for v in verbs))
                        and world.is_reachable(agent, o.address)
                    ),
                    None,
                )
                if match is not None:
                    spot = match.address
                    break
            self._anchors[sector] = spot
        return spot

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
        try:
            self.stream.set_embeddings(ids, result.value)
        except ValueError as exc:  # a broken embedder: keep the memories, retry later
            log.warning("memory embeddings rejected: %s", exc)

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
        return {
            "stream": self.stream.get_state(),
            "places": list(self.places),
            "social": self.social.to_dict(),
            "importance": self.importance.to_dict(),
            "labels": [[k, v] for k, v in sorted(self._labels.items())],
            "clustered_day": self._clustered_day,
        }

    def set_state(self, state: Mapping[str, Any]) -> None:
        self.stream.set_state(state["stream"])
        self.places = list(state.get("places", self.places))
        if "social" in state:
            self.social = SocialMemory.from_dict(state["social"])
        if "importance" in state:
            self.importance = ImportanceCache.from_dict(state["importance"])
        self._labels = {int(k): int(v) for k, v in state.get("labels", [])}
        self._clustered_day = int(state.get("clustered_day", -1))
        self._embedding_in_flight = False
        self._reflecting = False


def _validate_insights(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("insights"), list):
        raise ValueError("the answer must be an object with an 'insights' list")
    return value


def _validate_importance(value: Any) -> Any:
    if isinstance(value, dict) and "importance" in value:
        return {"importance": parse_importance(value["importance"])}
    return {"importance": parse_importance(value)}


def _clean(text: str) -> str:
    """The activity text without trailing punctuation, starting lower-case."""
    stripped = text.strip().rstrip(".")
    return stripped[:1].lower() + stripped[1:]
