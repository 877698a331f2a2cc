"""Mind: the brain's memory side. Owns the memory stream, poignancy, memory embeddings,
reflection, mind wandering and the Social Memory, and knows the town's places by name.

Every new event, thought and chat is rated for poignancy by the LLM, as in Generative
Agents (idle events are 1 without asking); the ``aga`` mode's ``poignancy_cache`` saving
reuses the score of an event pattern already rated and of obvious routines, and its
``batched_poignancy`` saving rates an agent's new memories several to a call.
"""

from __future__ import annotations

import functools
import logging
import random
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from aga_npc.brain.answers import PlanItem, Poignancy, PoignancyBatch, parsed_as
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.reflection import Reflection
from aga_npc.brain.requests import CallKind, Failure, Requests
from aga_npc.brain.settings import LoopSettings
from aga_npc.errors import StoreError
from aga_npc.memory.events import EventKind, MemoryEvent, ScoredEvent, texts
from aga_npc.memory.importance import ImportanceCache
from aga_npc.memory.stream import MemoryStream
from aga_npc.memory.wander import cluster_events, sample_wandering
from aga_npc.planning.schedule import format_hhmm
from aga_npc.ports import Embedder, WorldView
from aga_npc.prompts import poignancy_batch_messages, poignancy_messages
from aga_npc.social.social_memory import SocialMemory
from aga_npc.types import Module, Priority

log = logging.getLogger(__name__)

__all__ = ["DecodedMind", "Mind", "MindDecoder", "RateAs"]

EMBED_BATCH_MIN = 32
EMBED_EVERY_MINUTES = 60
PLANNING_RECALL = 4
WANDER_SAMPLES = 3
CAME_TO_MIND = "(came to mind) "
"""Marks a wandered memory in the daily plan prompt's memories (it may inspire an activity)."""
POIGNANCY_BATCH = 8
"""Most memories rated in one ``poignancy_batch`` call (``batched_poignancy``)."""
POIGNANCY_WAIT = 120
"""Game minutes the oldest memory waits for its batch before the batch goes anyway."""
SEAT_VERBS = ("sit", "rest")
DAY = 1440


class RateAs:
    """How a new memory's poignancy is asked for (Generative Agents' three prompts)."""

    EVENT = "event"
    THOUGHT = "thought"
    CHAT = "chat"


class Mind:
    """Memory, poignancy, reflection, mind wandering and Social Memory for one NPC.

    Args:
        profile: the NPC.
        settings: the loop's settings (retrieval weights, reflection, savings).
        places: the town's sector names the NPC may plan to go to.
        things: the object kinds at those places, ``{"kind", "verbs", "places"}`` each, for
            the planning prompts (empty on a map of only the household kinds).
        mind_wandering: sample rare memories into the daily planning prompt.
        max_events: the memory stream bound.
    """

    def __init__(
        self,
        *,
        profile: AgentProfile,
        settings: LoopSettings,
        places: Sequence[str] = (),
        things: Sequence[Mapping[str, Any]] = (),
        mind_wandering: bool = True,
        max_events: int = 800,
    ) -> None:
        self.profile = profile
        self.settings = settings
        self.places = list(places)
        self.things = tuple(dict(t) for t in things)
        self.mind_wandering = mind_wandering
        self.wandered: tuple[str, ...] = ()  # the last memories mind wandering sampled
        self.stream = MemoryStream(
            max_events=max_events, reflection_threshold=settings.reflection_trigger
        )
        self.importance = ImportanceCache()
        self.social = SocialMemory(profile.name)
        self.reflection = Reflection(profile=profile, settings=settings)
        self.requests: Requests | None = None
        self.embedder: Embedder | None = None
        self.poignancy_asked = 0
        self.poignancy_cached = 0
        self.poignancy_batches = 0  # poignancy_batch calls sent (batched_poignancy)
        self.poignancy_batched = 0  # memories those calls rated
        self._unrated: list[tuple[MemoryEvent, str]] = []
        self._unrated_since = 0
        self._labels: dict[int, int] = {}
        self._clustering = False
        self._clustered_day = -1
        self._embedding_in_flight = False
        self._last_embed_submit = -(10**9)
        self._sector_rooms: dict[str, list[str]] | None = None
        self._anchors: dict[str, str] = {}
        self._seat = ""

    def attach(self, requests: Requests, embedder: Embedder) -> None:
        """Connect the mind to its brain's request book and the embedder."""
        self.requests = requests
        self.embedder = embedder
        self.reflection.attach(requests, embedder, self)

    # ------------------------------------------------------------------ per tick
    def tick(self, now: int) -> bool:
        """Batch-embed new memories, start a reflection when due, cluster once a day.
        Returns whether a heavy step was taken (a reflection prompt built); submitting an
        embedding call is light."""
        asked = False
        requests, embedder = self.requests, self.embedder
        if requests is None or embedder is None:
            return False
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
                requests.call(
                    CallKind.EMBED_MEMORIES,
                    embedder.embed,
                    [ev.text for ev in batch],
                    then=lambda value: self._on_embeddings(ids, value),
                )
        if self._unrated and now - self._unrated_since >= POIGNANCY_WAIT:
            self._send_batch()
        if self.stream.reflection_due and not self.reflection.busy:
            self.stream.reset_reflection()
            self.reflection.start(now)
            asked = True
        day = now // DAY
        if (
            self.mind_wandering
            and not self._clustering
            and day != self._clustered_day
            and now % DAY >= 20 * 60
        ):
            self._cluster(day)
        return asked

    def _on_embeddings(self, ids: list[int], value: Any) -> None:
        self._embedding_in_flight = False
        if isinstance(value, Failure) or value is None:
            return
        try:
            self.stream.set_embeddings(ids, value)
        except ValueError as exc:  # a broken embedder: keep the memories, retry later
            log.warning("memory embeddings rejected: %s", exc)

    def _cluster(self, day: int) -> None:
        """DBSCAN over the memory embeddings, once a game day, in a worker."""
        events = tuple(ev for ev in self.stream.events() if ev.embedding is not None)
        self._clustered_day = day
        if len(events) < WANDER_SAMPLES or self.requests is None:
            return
        self._clustering = True
        self.requests.call(
            CallKind.CLUSTER,
            cluster_events,
            events,
            then=lambda value: self._on_labels(events, value),
        )

    def _on_labels(self, events: tuple[MemoryEvent, ...], value: Any) -> None:
        self._clustering = False
        if isinstance(value, Failure) or value is None:
            return
        self._labels = {ev.id: int(label) for ev, label in zip(events, value, strict=False)}

    # ------------------------------------------------------------------ remembering
    def remember(
        self,
        now: int,
        kind: EventKind,
        text: str,
        *,
        people: Sequence[str] = (),
        importance: int | None = None,
        rate: str | None = RateAs.EVENT,
        evidence: Sequence[int] = (),
    ) -> int:
        """Append a memory and have its poignancy rated.

        ``importance`` given: stored as it is. Otherwise idle events are 1; with the
        ``poignancy_cache`` saving a pattern already rated (or an obvious routine) reuses
        its score; anything else is stored with a provisional score and one poignancy
        request of kind ``rate`` (None: the provisional score stands).
        """
        ask = False
        score = importance
        if score is None:
            if _is_idle(text):
                score = 1
            elif self.settings.savings.poignancy_cache:
                score = self.importance.lookup(text, kind.value, names=people)
                if score is None:
                    score = self.importance.estimate(text, kind.value, names=people)
                    ask = rate is not None
                else:
                    self.poignancy_cached += 1
            else:
                score = self.importance.estimate(text, kind.value, names=people)
                ask = rate is not None
        event = self.stream.append(
            kind=kind,
            text=text,
            now=now,
            importance=max(1, min(10, score)),
            people=people,
            evidence=evidence,
        )
        if ask and rate is not None:
            self._ask_poignancy(event, rate, now)
        return event.id

    def _ask_poignancy(self, event: MemoryEvent, rate: str, now: int) -> None:
        if self.requests is None:
            return
        self.poignancy_asked += 1
        if self.settings.savings.batched_poignancy:
            if not self._unrated:
                self._unrated_since = now
            self._unrated.append((event, rate))
            if len(self._unrated) >= POIGNANCY_BATCH:
                self._send_batch()
            return
        self.requests.ask(
            Module.POIGNANCY,
            poignancy_messages(persona=self.profile.prompt_fields(), memory=event.text, kind=rate),
            validator=Poignancy.validate,
            parse=parsed_as(Poignancy),
            then=lambda answer: self._on_poignancy(event, answer),
            day=now // DAY + 1,
            priority=Priority.LOW,
            max_tokens=20,
        )

    def _send_batch(self) -> None:
        """Ask for the ratings of the memories waiting for one, in one call."""
        batch, self._unrated = self._unrated, []
        if self.requests is None or not batch:
            return
        self.poignancy_batches += 1
        self.poignancy_batched += len(batch)
        self.requests.ask(
            Module.POIGNANCY_BATCH,
            poignancy_batch_messages(
                persona=self.profile.prompt_fields(),
                memories=[(rate, event.text) for event, rate in batch],
            ),
            validator=functools.partial(PoignancyBatch.validate, count=len(batch)),
            parse=parsed_as(PoignancyBatch),
            then=lambda answer: self._on_batch(batch, answer),
            day=self._unrated_since // DAY + 1,
            priority=Priority.LOW,
            max_tokens=12 + 4 * len(batch),
        )

    def _on_batch(
        self, batch: list[tuple[MemoryEvent, str]], answer: PoignancyBatch | Failure
    ) -> None:
        if isinstance(answer, Failure):
            return  # the provisional scores stand, as for a failed single rating
        for (event, _), score in zip(batch, answer.scores, strict=True):
            self._rated(event, score)

    def _on_poignancy(self, event: MemoryEvent, answer: Poignancy | Failure) -> None:
        if isinstance(answer, Failure):
            return
        self._rated(event, answer.score)

    def _rated(self, event: MemoryEvent, score: int) -> None:
        if self.settings.savings.poignancy_cache:
            score = self.importance.store(event.text, event.kind.value, score, names=event.people)
        self.stream.set_importance(event.id, score)

    def on_plan(self, now: int, day: int, items: Sequence[PlanItem]) -> None:
        """The day's plan is remembered as a thought (and rated, as Generative Agents does)."""
        summary = "; ".join(f"{format_hhmm(i.start)} {i.text}" for i in items[:12])
        self.remember(
            now,
            EventKind.PLANNED,
            f"This is {self.profile.name}'s plan for day {day}: {summary}",
            rate=RateAs.THOUGHT,
        )

    # ------------------------------------------------------------------ retrieval
    def retrieve(
        self,
        query: Any,
        now: int,
        k: int,
        *,
        person: str | None = None,
        touch: bool = True,
    ) -> list[ScoredEvent]:
        """Generative Agents' retrieval (recency, relevance, importance with the loop's
        weights)."""
        return self.stream.retrieve(
            query, now, k=k, weights=self.settings.retrieval, person=person, touch=touch
        )

    def recent_statements(self, n: int) -> list[str]:
        """The ``n`` most recent non-idle memories as statements (reflection's input)."""
        events = [ev for ev in self.stream.recent(n * 2) if not _is_idle(ev.text)]
        return [ev.describe() for ev in events[:n]]

    def planning_memories(self, now: int, rng: random.Random) -> list[str]:
        """Recent important memories plus, with mind wandering, a few sampled rare ones."""
        hits = self.stream.retrieve(None, now, k=PLANNING_RECALL, touch=False)
        chosen = texts(hits)
        if self.mind_wandering:
            wandered = [t for t in self.wander(rng) if t not in chosen]
            self.wandered = tuple(wandered)
            chosen.extend(f"{CAME_TO_MIND}{t}" for t in wandered)
        return chosen

    def wander(self, rng: random.Random) -> list[str]:
        """Mind wandering: memories sampled inversely to their DBSCAN cluster's size.

        Uses the labels of the last daily clustering (computed in a worker); events newer
        than it count as clusters of their own.
        """
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

    # ------------------------------------------------------------------ places
    def known_places(self) -> list[str]:
        return list(self.places)

    def known_things(self) -> list[dict[str, Any]]:
        return [dict(t) for t in self.things]

    def sector_rooms(self, world: WorldView) -> dict[str, list[str]]:
        """Every known sector with its rooms (the sector prompt's options; cached)."""
        if self._sector_rooms is None:
            rooms: dict[str, list[str]] = {p: [] for p in self.places}
            for obj in world.objects():
                arenas = rooms.get(obj.sector)
                if arenas is not None and obj.arena not in arenas:
                    arenas.append(obj.arena)
            self._sector_rooms = rooms
        return self._sector_rooms

    def anchor(self, world: WorldView, sector: str) -> str:
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
                        and world.is_reachable(self.profile.name, o.address)
                    ),
                    None,
                )
                if match is not None:
                    spot = match.address
                    break
            self._anchors[sector] = spot
        return spot

    def home_seat(self, world: WorldView) -> str:
        """A place to sit at home (used when idling in the street)."""
        if not self._seat:
            for obj in world.objects(sector=self.profile.home):
                if any(v in obj.affordances for v in SEAT_VERBS) and obj.kind != "bed":
                    self._seat = obj.address
                    break
        return self._seat

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        return {
            "stream": self.stream.get_state(),
            "places": list(self.places),
            "social": self.social.to_dict(),
            "importance": self.importance.to_dict(),
            "labels": [[k, v] for k, v in sorted(self._labels.items())],
            "clustered_day": self._clustered_day,
            "poignancy": [self.poignancy_asked, self.poignancy_cached],
            "poignancy_batches": [self.poignancy_batches, self.poignancy_batched],
        }

    def decoder(self) -> MindDecoder:
        """What decodes a saved state of this mind on a worker (frame thread: O(1))."""
        s = self.stream
        return MindDecoder(
            max_events=s.max_events,
            decay=s.decay,
            reflection_threshold=s.reflection_threshold,
            dim=s.dim,
            low_water=s.low_water,
            protect=s.protect,
        )

    def set_state(self, state: Mapping[str, Any] | DecodedMind) -> None:
        """Restore :meth:`get_state` output, or a :class:`DecodedMind` made from it on a
        worker (then the memory stream, Social Memory and poignancy cache are taken as
        they are: a swap, not a rebuild)."""
        if isinstance(state, DecodedMind):
            stream, social, importance, state = state.take()
            self.stream = stream
            self.social = social if social is not None else self.social
            self.importance = importance if importance is not None else self.importance
        else:
            self.stream.set_state(state["stream"])
            if "social" in state:
                self.social = SocialMemory.from_dict(state["social"])
            if "importance" in state:
                self.importance = ImportanceCache.from_dict(state["importance"])
        self.places = list(state.get("places", self.places))
        self._labels = {int(k): int(v) for k, v in state.get("labels", [])}
        self._clustered_day = int(state.get("clustered_day", -1))
        asked, cached = state.get("poignancy", [0, 0])
        self.poignancy_asked, self.poignancy_cached = int(asked), int(cached)
        batches, batched = state.get("poignancy_batches", [0, 0])
        self.poignancy_batches, self.poignancy_batched = int(batches), int(batched)
        self._unrated = []  # memories saved unrated keep their provisional scores
        self._embedding_in_flight = False
        self._clustering = False
        self.reflection.reset()


@dataclass(frozen=True, slots=True)
class MindDecoder:
    """Builds a :class:`DecodedMind` from a saved mind state, touching no live mind: the
    memory stream (the bulk of a load: every memory checked and indexed), the Social
    Memory and the poignancy cache, made like the mind's own (same bound and dimension).
    Safe on a worker thread."""

    max_events: int
    decay: float
    reflection_threshold: float
    dim: int | None
    low_water: float
    protect: int

    def __call__(self, state: Mapping[str, Any]) -> DecodedMind:
        """Raises:
        StoreError: the state does not decode (names the part)."""
        stream = MemoryStream(
            max_events=self.max_events,
            decay=self.decay,
            reflection_threshold=self.reflection_threshold,
            dim=self.dim,
            low_water=self.low_water,
            protect=self.protect,
        )
        stream.set_state(state["stream"])
        try:
            social = SocialMemory.from_dict(state["social"]) if "social" in state else None
            importance = (
                ImportanceCache.from_dict(state["importance"]) if "importance" in state else None
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError(f"mind state: {exc!r}") from None
        rest = {k: v for k, v in state.items() if k not in ("stream", "social", "importance")}
        return DecodedMind(stream, social, importance, rest)


class DecodedMind:
    """A mind's saved state decoded on a worker, for :meth:`Mind.set_state` to take once
    (its objects become the mind's own: a second take would share them, so it raises)."""

    __slots__ = ("_lock", "_parts")

    def __init__(
        self,
        stream: MemoryStream,
        social: SocialMemory | None,
        importance: ImportanceCache | None,
        rest: Mapping[str, Any],
    ) -> None:
        self._parts: (
            tuple[MemoryStream, SocialMemory | None, ImportanceCache | None, Mapping[str, Any]]
            | None
        ) = (stream, social, importance, rest)
        self._lock = threading.Lock()

    def take(
        self,
    ) -> tuple[MemoryStream, SocialMemory | None, ImportanceCache | None, Mapping[str, Any]]:
        """The decoded parts and the rest of the state (once).

        Raises:
            StoreError: taken before (a decoded save is applied to one town, once).
        """
        with self._lock:
            parts, self._parts = self._parts, None
        if parts is None:
            raise StoreError("this decoded mind state was applied already (decode it again)")
        return parts


_IDLE = re.compile(r" is idle(?: at [^.]*)?\.?$")


def _is_idle(text: str) -> bool:
    """'Ada Finch is idle' or 'Ada Finch is idle at Brook House' (an observed idle event)."""
    return _IDLE.search(text.lower()) is not None


def first_row(value: Any) -> Any:
    """The first row of an embed call's value (None when there is none)."""
    if value is None or isinstance(value, Failure):
        return None
    arr = np.asarray(value, dtype=np.float32)
    return arr[0] if arr.ndim == 2 else arr
