"""What a debug view and the report read from a brain: the snapshot (its schedule, the
kinds of requests in flight, the conversation partner) and the counters."""

from __future__ import annotations

from typing import Any

from brain_kit import CAFE, Body, script

from aga_npc.brain.snapshot import brain_stats, take_snapshot


def test_a_fresh_brain_shows_nothing_planned(rig: Any) -> None:
    body = Body(rig(script()))
    snap = take_snapshot(body.brain)
    assert (snap.name, snap.state, snap.mode) == ("Ada Finch", "starting", "aga")
    assert snap.schedule == () and snap.pending == () and snap.talking_to == ""
    assert snap.marker() == "[waiting]"


def test_the_pending_field_holds_request_kinds(rig: Any) -> None:
    body = Body(rig(script()))
    body.tick(3 * 60)
    assert take_snapshot(body.brain).pending == ("wake_up",) == body.brain.book.kinds()


def test_the_snapshot_follows_the_day(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 8 * 60 + 5)
    body.brain.begin_talk("Ben Ortiz")
    snap = take_snapshot(body.brain)
    assert snap.state == "talking" and snap.talking_to == "Ben Ortiz"
    assert (snap.activity, snap.verb, snap.target) == (
        "serve coffee",
        "serve",
        "Cafe:shop floor:counter",
    )
    assert len(snap.schedule) == 7 and snap.schedule[1] == ("08:00", "serve coffee", CAFE)
    assert snap == body.brain.snapshot(), "the brain forwards to this module"


def test_the_counters_are_the_parts_counters(rig: Any) -> None:
    r = rig(script())
    body = Body(r)
    body.run(6 * 60, 8 * 60 + 5)
    body.failed = body.brain.intent.target
    body.tick(8 * 60 + 5)
    stats = brain_stats(body.brain)
    assert (stats["actions"], stats["failed_actions"]) == (2, 1)
    assert stats["llm_calls"] == sum(r.kinds().values())
    assert stats["decompositions"] == body.brain.resolver.stats.decompositions
    assert stats["perceived"] == body.brain.reactions.stats.perceived
    assert stats == body.brain.stats()
