"""The brain's save format: its keys in order, the byte-identical round trip, what is not
restored (a conversation, requests in flight), older saves' missing counters, the random
state, and unsupported versions."""

from __future__ import annotations

import random
from typing import Any

import msgpack
import pytest
from brain_kit import Body, script

from aga_npc.brain import persist
from aga_npc.brain.day import BrainState
from aga_npc.brain.intent import Intent, IntentKind, Source

KEYS = [
    "version",
    "state",
    "planner",
    "resolver",
    "reactions",
    "current",
    "talk_partner",
    "counters",
    "book",
    "activity_log",
    "rng",
    "mind",
]


def packed(state: dict[str, Any]) -> bytes:
    return bytes(msgpack.packb(state, use_bin_type=True))


def unpacked(data: bytes) -> dict[str, Any]:
    out: dict[str, Any] = msgpack.unpackb(data, raw=False)
    return out


def test_the_saved_keys_and_their_order(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 7 * 60 + 5)
    state = persist.get_state(body.brain)
    assert list(state) == KEYS and state["version"] == persist.VERSION == 2
    assert state["state"] == "acting" and state["talk_partner"] == ""
    assert state["activity_log"] == [[7 * 60, "have breakfast", "Ada House"]]
    assert state["counters"] == [1, 0, 0, 0, 0]
    assert state == body.brain.get_state(), "the brain forwards to this module"


def test_a_saved_brain_comes_back_byte_for_byte(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 8 * 60 + 5)
    body.brain.tokens_saved = 7
    saved = packed(persist.get_state(body.brain))
    other = Body(rig(script()))
    persist.set_state(other.brain, unpacked(saved))
    assert packed(persist.get_state(other.brain)) == saved
    assert other.brain.current == body.brain.current and other.brain.tokens_saved == 7
    assert other.brain.intent == Intent(kind=IntentKind.STAY, source=Source.WAITING)
    assert len(other.brain.book) == 0
    assert other.run(8 * 60 + 5, 8 * 60 + 8) == body.run(8 * 60 + 5, 8 * 60 + 8)


def test_a_conversation_is_not_restored(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 7 * 60 + 5)
    body.brain.begin_talk("Ben Ortiz")
    state = persist.get_state(body.brain)
    assert (state["state"], state["talk_partner"]) == ("talking", "Ben Ortiz")
    other = Body(rig(script()))
    persist.set_state(other.brain, state)
    assert (other.brain.state, other.brain.talk_partner) == (BrainState.ACTING, "")
    fresh = Body(rig(script()))
    fresh.brain.begin_talk("Ben Ortiz")  # before any item
    again = Body(rig(script()))
    persist.set_state(again.brain, persist.get_state(fresh.brain))
    assert again.brain.state is BrainState.PLANNING and again.brain.current is None


def test_counters_missing_from_an_older_save_are_zero(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 7 * 60 + 5)
    body.brain.social.conversations = 3
    state = persist.get_state(body.brain)
    state["counters"] = [4, 1]
    persist.set_state(body.brain, state)
    counts = (body.brain.actions, body.brain.failed_actions, body.brain.tokens_saved)
    assert counts == (4, 1, 0)
    assert (body.brain.social.conversations, body.brain.social.joint_updates) == (0, 0)


def test_the_random_state_survives_msgpack() -> None:
    rng = random.Random("0:Ada Finch")
    rng.random()
    data = unpacked(packed({"rng": persist.rng_to_data(rng)}))["rng"]
    back = random.Random()
    back.setstate(persist.rng_from_data(data))
    assert [back.random() for _ in range(3)] == [rng.random() for _ in range(3)]


def test_the_brain_random_state_is_restored(rig: Any) -> None:
    body = Body(rig(script()))
    body.brain.rng.random()
    state = persist.get_state(body.brain)
    other = Body(rig(script()))
    persist.set_state(other.brain, state)
    assert other.brain.rng.random() == body.brain.rng.random()


@pytest.mark.parametrize("version", [None, 1, 3])
def test_an_unsupported_version_is_refused_before_anything_changes(
    rig: Any, version: int | None
) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 7 * 60 + 5)
    state = persist.get_state(body.brain)
    other = Body(rig(script()))
    before = persist.get_state(other.brain)
    if version is None:
        del state["version"]
    else:
        state["version"] = version
    with pytest.raises(ValueError, match="version"):
        persist.set_state(other.brain, state)
    assert persist.get_state(other.brain) == before
