"""NpcBrain, the facade: tick -> intents, talking, the debrief after a conversation, the
state round trip and the snapshot's marker."""

from __future__ import annotations

from typing import Any

import msgpack
import pytest
from brain_kit import ADA, ADA_BED, CAFE, DAY, Body, make_world, script

from aga_npc.brain.intent import IntentKind, Nearby, Source
from aga_npc.brain.mind import POIGNANCY_WAIT
from aga_npc.brain.modes import Mode
from aga_npc.brain.npc import TRANSITIONS, BrainState, NpcBrain
from aga_npc.brain.services import BrainServices, PlanKey
from aga_npc.memory.events import EventKind
from aga_npc.policy.store import PolicyStore
from aga_npc.town.policy_port import StorePolicy
from aga_npc.types import Action


def test_the_brain_waits_then_acts_on_its_plan(rig: Any) -> None:
    body = Body(rig(script()))
    first = body.tick(6 * 60)
    assert first.kind is not IntentKind.TALK and first.source in (Source.WAITING, Source.FALLBACK)
    assert body.brain.state is BrainState.PLANNING
    intent = body.run(6 * 60 + 1, 8 * 60 + 10)
    assert body.brain.state is BrainState.ACTING
    assert (intent.kind, intent.verb, intent.target) == (
        IntentKind.USE,
        "serve",
        "Cafe:shop floor:counter",
    )
    assert intent.activity == "serve coffee" and intent.source is Source.LLM
    assert intent.until == 12 * 60
    kinds = body.rig.kinds()
    assert kinds["wake_up"] == kinds["daily_plan"] == kinds["hourly_schedule"] == 1
    assert "decompose" not in kinds, "the aga mode asks the merged chain"
    log = [text for _, text, _ in body.brain.activity_log]
    assert log[:2] == ["have breakfast", "serve coffee"]
    assert body.brain.stats()["llm_calls"] == sum(kinds.values())


def test_at_night_without_a_plan_the_npc_sleeps_in_its_own_bed(rig: Any) -> None:
    body = Body(rig({}))  # nothing answers
    intent = body.tick(2 * 60)
    assert (intent.kind, intent.verb, intent.target) == (IntentKind.USE, "sleep", ADA_BED)
    assert not body.brain.available_for_chat()


def test_the_next_item_is_resolved_ahead(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 7 * 60 + 5)
    assert body.brain.current is not None
    day, rev, idx = body.brain.current
    ahead = body.brain.resolver.get((day, rev, idx + 1))
    assert ahead is not None and ahead.ready and ahead.text == "serve coffee"


def test_talking_overrides_the_plan_and_ends_back_in_it(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 8 * 60 + 10)
    assert body.brain.available_for_chat()
    body.brain.begin_talk("Ben Ortiz")
    intent = body.tick(8 * 60 + 11)
    assert (intent.kind, intent.partner, intent.source) == (
        IntentKind.TALK,
        "Ben Ortiz",
        Source.TALK,
    )
    assert intent.activity == "serve coffee"
    assert not body.brain.available_for_chat() and body.brain.snapshot().talking_to == "Ben Ortiz"
    body.brain.end_talk()
    intent = body.tick(8 * 60 + 12)
    assert intent.kind is IntentKind.USE and body.brain.state is BrainState.ACTING


def debrief(body: Body, now: int) -> None:
    lines = [("Ada Finch", "Coffee later?"), ("Ben Ortiz", "Sure.")]
    body.brain.debrief("Ben Ortiz", lines, "they agreed on coffee", now)
    body.rig.settle(body.brain.book)


def test_a_debrief_remembers_the_chat_a_memo_and_a_thought(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 9 * 60)
    debrief(body, 9 * 60)
    texts = {e.text: e for e in body.brain.mind.stream.events()}
    said = texts["Ada Finch talked with Ben Ortiz: they agreed on coffee"]
    assert said.kind is EventKind.SAID and said.people == ("Ben Ortiz",)
    assert texts["Ben is kind."].kind is EventKind.THOUGHT
    assert "nothing to plan" in texts
    # aga batches ratings: the three wait for the batch, which goes within POIGNANCY_WAIT
    body.run(9 * 60, 9 * 60 + POIGNANCY_WAIT + 1)
    batches = body.rig.script.contexts["poignancy_batch"]
    rated = {m["memory"]: m["kind"] for c in batches for m in c["memories"]}
    assert rated["Ada Finch talked with Ben Ortiz: they agreed on coffee"] == "chat"
    assert rated["Ben is kind."] == "thought"
    assert any(t.startswith("nothing to plan") and k == "thought" for t, k in rated.items())
    assert "poignancy" not in body.rig.kinds(), "aga asks no single ratings"
    assert body.brain.stats()["conversations"] == 1
    assert body.brain.reactions.last_chat == {"Ben Ortiz": 9 * 60}
    assert "replan" not in body.rig.kinds() and body.brain.planner.invitations == []


def thought(day: str, start: str) -> dict[str, Any]:
    return {
        "thought": "coffee with Ben",
        "plan": {
            "activity": "coffee with Ben",
            "day": day,
            "start": start,
            "duration": 60,
            "place": CAFE,
        },
    }


def test_an_agreement_later_today_replans_today(rig: Any) -> None:
    body = Body(rig(script(planning_thought=thought("today", "15:00"))))
    body.run(6 * 60, 9 * 60)
    debrief(body, 9 * 60)
    assert body.rig.calls("replan") == 1
    [ctx] = body.rig.script.contexts["replan"]
    assert ctx["new_commitment"]["start"] == "15:00"
    plan = body.brain.plans[1]
    idx = plan.activity_at(15 * 60 + 30)
    assert idx is not None and plan.activities[idx].text == "coffee with Ben"
    assert body.brain.planner.invitations == []


@pytest.mark.parametrize(("day", "start"), [("tomorrow", "15:00"), ("today", "08:00")])
def test_an_agreement_for_another_day_or_a_past_time_is_an_invitation(
    rig: Any, day: str, start: str
) -> None:
    body = Body(rig(script(planning_thought=thought(day, start))))
    body.run(6 * 60, 9 * 60)
    debrief(body, 9 * 60)
    assert "replan" not in body.rig.kinds()
    [invitation] = body.brain.planner.invitations
    assert invitation["day"] == 2 and invitation["activity"] == "coffee with Ben"
    body.run(DAY + 3 * 60, DAY + 3 * 60 + 5)
    invited = body.rig.script.contexts["daily_plan"][-1]["invitations"]
    assert [i["activity"] for i in invited] == ["coffee with Ben"]


def test_an_action_that_fails_is_reported_for_a_reused_routine(rig: Any) -> None:
    r = rig(script())
    store = PolicyStore(embedder=r.embedder)
    StorePolicy(store).store(
        plan=PlanKey(text="serve coffee", place="@work"),
        vector=r.embedder.embed(["serve coffee"])[0],
        agent="Ada Finch",
        role="barista",
        duration=240,
        actions=[Action(verb="serve", target="@work:shop floor:counter", duration=240)],
        now=0,
        world=make_world(),
    )
    body = Body(r, store=store)
    body.run(6 * 60, 8 * 60 + 5)
    assert body.brain.intent.source is Source.POLICY
    body.failed = body.brain.intent.target
    body.tick(8 * 60 + 5)
    assert body.brain.failed_actions == 1
    assert body.policy.stats.failures == 1
    assert body.brain.stats()["routine_failures"] == 1
    body.run(8 * 60 + 6, 8 * 60 + 20)
    assert body.brain.intent.source is Source.LLM, "the rest of the item was decomposed"


def test_a_routine_that_ran_is_stored_when_its_item_ends(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 8 * 60 + 5)
    assert [e.plan_text for e in body.store.entries()] == ["have breakfast"]
    body.run(8 * 60 + 5, 12 * 60 + 5)
    assert {e.plan_text for e in body.store.entries()} == {"have breakfast", "serve coffee"}


def test_the_snapshot_cosine_is_the_one_behind_the_current_action(rig: Any) -> None:
    r = rig(script())
    store = PolicyStore(embedder=r.embedder)
    StorePolicy(store).store(
        plan=PlanKey(text="serve coffee", place="@work"),
        vector=r.embedder.embed(["serve coffee"])[0],
        agent="Ada Finch",
        role="barista",
        duration=240,
        actions=[Action(verb="serve", target="@work:shop floor:counter", duration=240)],
        now=0,
        world=make_world(),
    )
    body = Body(r, store=store)
    body.run(6 * 60, 7 * 60 + 30)
    # breakfast came from the LLM; the item after it, resolved ahead, from the policy
    assert body.brain.intent.source is Source.LLM
    assert body.brain.resolver.last is not None and body.brain.resolver.last.cosine == 1.0
    snap = body.brain.snapshot()
    assert snap.source == "llm" and snap.cosine == 0.0
    body.run(7 * 60 + 30, 8 * 60 + 5)
    snap = body.brain.snapshot()
    assert snap.source == "policy" and snap.cosine == 1.0
    assert snap.reason.startswith("exact_hit")
    assert snap.schedule[1] == ("08:00", "serve coffee", CAFE)


def test_brain_state_round_trips_and_asks_again_for_pending_work(rig: Any) -> None:
    body = Body(rig(script()))
    body.run(6 * 60, 8 * 60 + 5)
    body.tick(8 * 60 + 5, nearby=(Nearby(name="Ben Ortiz", distance=1.0, doing="reading"),))
    body.brain.begin_talk("Ben Ortiz")
    state = msgpack.unpackb(msgpack.packb(body.brain.get_state(), use_bin_type=True), raw=False)
    assert state["state"] == "talking"
    other = Body(rig(script()))
    other.brain.set_state(state)
    restored = other.brain.get_state()
    assert restored["state"] == "acting", "a conversation is not restored"
    assert restored["talk_partner"] == ""
    restored["state"], restored["talk_partner"] = state["state"], state["talk_partner"]
    assert restored == state
    assert other.brain.plans == body.brain.plans
    assert len(other.brain.book) == 0
    intent = other.tick(8 * 60 + 6)
    assert intent.kind is IntentKind.USE and intent.target == "Cafe:shop floor:counter"
    assert other.brain.stats()["llm_calls"] == body.brain.stats()["llm_calls"]


def test_work_in_flight_at_a_save_is_asked_again_after_the_load(rig: Any) -> None:
    r = rig(script())
    body = Body(r)
    body.tick(3 * 60)  # the wake-up hour is asked; its answer is not handled yet
    assert body.brain.book.kinds() == ("wake_up",)
    state = body.brain.get_state()
    other = Body(r)
    other.brain.set_state(state)
    assert len(other.brain.book) == 0
    other.tick(3 * 60 + 1)
    assert r.calls("wake_up") == 2, "asked again"
    other.run(3 * 60 + 2, 3 * 60 + 10)
    assert other.brain.plans.get(1) is not None


def test_an_unknown_state_version_is_refused(rig: Any) -> None:
    body = Body(rig(script()))
    state = body.brain.get_state()
    for version in (1, 3, 99):
        state["version"] = version
        with pytest.raises(ValueError, match="version"):
            body.brain.set_state(state)


def test_the_brain_state_table() -> None:
    assert all(BrainState.TALKING in TRANSITIONS[s] for s in BrainState)
    assert all(
        BrainState.STARTING not in TRANSITIONS[s] for s in BrainState if s is not BrainState.TALKING
    )
    assert TRANSITIONS[BrainState.STARTING] == frozenset({BrainState.PLANNING, BrainState.TALKING})


def test_a_per_tick_limit_must_be_positive(rig: Any) -> None:
    r = rig()
    with pytest.raises(ValueError, match="per_tick_limit"):
        NpcBrain(
            profile=ADA,
            mode=Mode.AGA,
            services=BrainServices(
                requests=r.gateway, embedder=r.embedder, cached_vector=r.embedder.cached
            ),
            per_tick_limit=0,
        )
