"""Mind: poignancy per new memory (asked in Generative Agents' modes, idle events are 1, the
poignancy_cache saving), memory embeddings in batches, the daily clustering, places and
spots, and the state round trip."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import msgpack
import numpy as np
import pytest
from brain_kit import ADA, ADA_HOME, CAFE, DAY, PARK, PLACES, Rig, make_world

from aga_npc.brain.answers import PlanItem
from aga_npc.brain.mind import EMBED_BATCH_MIN, EMBED_EVERY_MINUTES, Mind, RateAs
from aga_npc.brain.modes import Mode
from aga_npc.brain.settings import LoopSettings, Savings
from aga_npc.errors import ServerError
from aga_npc.memory.events import EventKind

NOON = 12 * 60


class Setup:
    def __init__(self, rig: Rig, *, mode: Mode = Mode.BASELINE, **changes: Any) -> None:
        self.rig = rig
        self.book = rig.book()
        self.mind = Mind(
            profile=ADA, settings=LoopSettings.for_mode(mode, **changes), places=PLACES
        )
        self.mind.attach(self.book, rig.embedder)

    def importance(self, event_id: int) -> int:
        event = self.mind.stream.get(event_id)
        assert event is not None
        return event.importance


def rate(ctx: dict[str, Any]) -> dict[str, int]:
    """A model that finds arguments poignant and everything else mildly so."""
    return {"poignancy": 9 if "argu" in ctx["memory"] else 3}


# ---------------------------------------------------------------------- poignancy


@pytest.mark.parametrize(
    ("kind", "rate_as"),
    [
        (EventKind.OBSERVED, RateAs.EVENT),
        (EventKind.THOUGHT, RateAs.THOUGHT),
        (EventKind.SAID, RateAs.CHAT),
    ],
)
def test_every_new_memory_is_rated_as_its_kind(rig: Any, kind: EventKind, rate_as: str) -> None:
    s = Setup(rig({"poignancy": rate}))
    first = s.mind.remember(NOON, kind, "Ben Ortiz is arguing with Cleo", rate=rate_as)
    second = s.mind.remember(NOON, kind, "Ben Ortiz is arguing with Cleo", rate=rate_as)
    assert s.book.count("poignancy") == 2, "no cache in Generative Agents' loop"
    s.rig.settle(s.book)
    assert [c["kind"] for c in s.rig.script.contexts["poignancy"]] == [rate_as, rate_as]
    assert s.importance(first) == s.importance(second) == 9
    assert s.mind.poignancy_asked == 2 and s.mind.poignancy_cached == 0


def test_the_provisional_score_stands_until_the_answer_and_after_a_failure(rig: Any) -> None:
    s = Setup(rig({"poignancy": [ServerError("x", status=503)] * 4 + [{"poignancy": 8}]}))
    first = s.mind.remember(NOON, EventKind.THOUGHT, "Ada wonders about the fair")
    provisional = s.importance(first)
    s.rig.settle(s.book)
    assert s.importance(first) == provisional, "a failed rating keeps the provisional score"
    second = s.mind.remember(NOON, EventKind.THOUGHT, "Ada wonders about the prize")
    s.rig.settle(s.book)
    assert s.importance(second) == 8


def test_idle_events_given_scores_and_unrated_memories_ask_nothing(rig: Any) -> None:
    s = Setup(rig({"poignancy": rate}))
    idle = s.mind.remember(NOON, EventKind.OBSERVED, "Ben Ortiz is idle")
    given = s.mind.remember(NOON, EventKind.THOUGHT, "Ada got engaged", importance=10)
    silent = s.mind.remember(NOON, EventKind.THOUGHT, "Ada hums", rate=None)
    assert len(s.book) == 0
    assert s.importance(idle) == 1 and s.importance(given) == 10
    assert 1 <= s.importance(silent) <= 10


def test_the_poignancy_cache_reuses_a_rated_pattern_and_routine_scores(rig: Any) -> None:
    unbatched = replace(Savings.all(), batched_poignancy=False)  # one call per rating
    s = Setup(rig({"poignancy": rate}), mode=Mode.AGA, savings=unbatched)
    first = s.mind.remember(
        NOON, EventKind.OBSERVED, "Ben Ortiz is arguing with Cleo at 12", people=("Ben Ortiz",)
    )
    s.rig.settle(s.book)
    again = s.mind.remember(
        NOON + 5, EventKind.OBSERVED, "Dan Lee is arguing with Cleo at 13", people=("Dan Lee",)
    )
    routine = s.mind.remember(NOON + 6, EventKind.DONE, "Ada Finch is brushing her teeth")
    assert len(s.book) == 0
    assert s.rig.calls("poignancy") == 1
    assert s.importance(first) == s.importance(again) == 9
    assert s.importance(routine) <= 2
    assert s.mind.poignancy_asked == 1 and s.mind.poignancy_cached == 2
    s.mind.remember(NOON + 7, EventKind.OBSERVED, "Cleo Park won the lottery")
    assert s.book.count("poignancy") == 1, "a new pattern is asked"


def test_the_plan_is_remembered_as_a_rated_thought(rig: Any) -> None:
    s = Setup(rig({"poignancy": {"poignancy": 2}}))
    items = [
        PlanItem(start=7 * 60, duration=60, text="have breakfast", place=ADA_HOME),
        PlanItem(start=8 * 60, duration=480, text="work", place=CAFE),
    ]
    s.mind.on_plan(7 * 60, 1, items)
    s.rig.settle(s.book)
    [event] = s.mind.stream.events()
    assert event.kind is EventKind.PLANNED
    assert event.text == "This is Ada Finch's plan for day 1: 07:00 have breakfast; 08:00 work"
    assert [c["kind"] for c in s.rig.script.contexts["poignancy"]] == [RateAs.THOUGHT]


# ---------------------------------------------------------------------- embeddings


def test_memories_are_embedded_in_batches(rig: Any) -> None:
    s = Setup(rig())
    for i in range(EMBED_BATCH_MIN + 8):
        s.mind.remember(NOON, EventKind.THOUGHT, f"thought number {i}", importance=3)
    s.mind.tick(NOON)
    assert s.book.kinds() == ("embed_memories",)
    s.mind.tick(NOON)
    assert s.book.kinds() == ("embed_memories",), "one batch in flight at a time"
    s.rig.settle(s.book)
    pending = s.mind.stream.pending_embeddings()
    assert len(pending) == 8
    s.mind.tick(NOON + 1)
    assert len(s.book) == 0, "a small batch waits for more, or for a while"
    s.mind.tick(NOON + EMBED_EVERY_MINUTES)
    s.rig.settle(s.book)
    assert s.mind.stream.pending_embeddings() == []
    texts = [e.text for e in s.mind.stream.events()]
    vectors = np.stack([e.embedding for e in s.mind.stream.events() if e.embedding is not None])
    assert np.allclose(vectors, s.rig.embedder.embed(texts), atol=1e-5)


def test_a_broken_embedding_keeps_the_memories_for_a_later_batch(rig: Any) -> None:
    r = rig()

    class Short:
        name, dim = "short", r.embedder.dim

        def embed(self, texts: Any) -> Any:
            return np.ones((1, self.dim), dtype=np.float32)  # one row for many texts

    s = Setup(r)
    s.mind.attach(s.book, Short())
    for i in range(3):
        s.mind.remember(NOON, EventKind.THOUGHT, f"t {i}", importance=3)
    s.mind.tick(NOON)
    s.rig.settle(s.book)
    assert len(s.mind.stream.pending_embeddings()) == 3
    s.mind.attach(s.book, r.embedder)
    s.mind.tick(NOON + EMBED_EVERY_MINUTES)
    s.rig.settle(s.book)
    assert s.mind.stream.pending_embeddings() == []


def test_memories_are_clustered_once_a_day_in_the_evening(rig: Any) -> None:
    s = Setup(rig())
    for i in range(6):
        s.mind.remember(NOON, EventKind.OBSERVED, f"Ada saw bird {i} in the park", importance=3)
    s.mind.tick(NOON)
    s.rig.settle(s.book)
    s.mind.tick(19 * 60 + 59)
    assert len(s.book) == 0, "not before the evening"
    s.mind.tick(20 * 60)
    assert s.book.kinds() == ("cluster_memories",)
    s.rig.settle(s.book)
    s.mind.tick(22 * 60)
    assert len(s.book) == 0, "once a day"
    clustered = s.mind.get_state()["labels"]
    assert len(clustered) == 6
    s.mind.tick(DAY + 20 * 60)
    assert s.book.kinds() == ("cluster_memories",), "the next evening again"


def test_planning_memories_add_rare_ones_with_mind_wandering(rig: Any) -> None:
    s = Setup(rig())
    for i in range(12):
        s.mind.remember(
            NOON + i, EventKind.OBSERVED, f"memory {i} about thing {i * 7}", importance=1 + i % 9
        )
    s.mind.tick(NOON + 60)
    s.rig.settle(s.book)
    with_wander = s.mind.planning_memories(NOON + 120, random.Random(1))
    s.mind.mind_wandering = False
    without = s.mind.planning_memories(NOON + 120, random.Random(1))
    assert len(without) == 4 and set(without) <= set(with_wander)
    assert len(with_wander) > len(without)


# ---------------------------------------------------------------------- places and spots


def test_sector_rooms_list_every_known_place_and_its_rooms() -> None:
    mind = Mind(profile=ADA, settings=LoopSettings(), places=[*PLACES, "Town Square"])
    rooms = mind.sector_rooms(make_world())
    assert rooms["Town Square"] == [] and set(rooms[ADA_HOME]) == {
        "kitchen",
        "bedroom",
        "small room",
    }
    assert rooms[PARK] == ["lawn"]


def test_anchor_prefers_a_reachable_seat_and_never_a_bed() -> None:
    world = make_world()
    mind = Mind(profile=ADA, settings=LoopSettings(), places=PLACES)
    assert mind.anchor(world, CAFE) == "Cafe:shop floor:table 1"
    other = Mind(profile=ADA, settings=LoopSettings(), places=PLACES)
    world.block("Ada Finch", "Cafe:shop floor:table 1")
    assert other.anchor(world, CAFE) == "Cafe:back room:desk"
    assert other.anchor(world, "Town Square") == ""
    assert other.home_seat(world) == "Ada House:kitchen:table"


# ---------------------------------------------------------------------- state


def test_mind_state_round_trips_through_msgpack(rig: Any) -> None:
    s = Setup(rig({"poignancy": rate}), mode=Mode.AGA)
    s.mind.remember(
        NOON, EventKind.OBSERVED, "Ben Ortiz is arguing with Cleo", people=("Ben Ortiz",)
    )
    s.mind.remember(NOON, EventKind.THOUGHT, "Ada likes Ben", people=("Ben Ortiz",), importance=6)
    s.mind.social.apply_update("Ben Ortiz", now=NOON, relationship="friend", closeness=6.0)
    s.mind.tick(NOON)
    s.rig.settle(s.book)
    state = msgpack.unpackb(msgpack.packb(s.mind.get_state(), use_bin_type=True), raw=False)
    other = Setup(rig(), mode=Mode.AGA)
    other.mind.set_state(state)
    assert other.mind.get_state() == state
    assert other.mind.social.record_for("Ben Ortiz").relationship == "friend"
    assert len(other.mind.stream) == 2
    # the cached pattern came along: no call for it after the load
    other.mind.remember(
        NOON + 1, EventKind.OBSERVED, "Dan Lee is arguing with Cleo", people=("Dan Lee",)
    )
    assert len(other.book) == 0
