"""ConversationScheduler: only decided conversations start, with someone close, awake and
free; max_lines and ending lines; the wrap (one summary, then each side's debrief, and the
Social Memory update per side or joint); interrupting; state; the phase table."""

from __future__ import annotations

from typing import Any

import pytest
from convo_kit import ADA, BEN, Built, TownMaker

from aga_npc.brain.intent import Intent, IntentKind
from aga_npc.brain.modes import Mode
from aga_npc.brain.npc import BrainState
from aga_npc.brain.settings import LoopSettings
from aga_npc.errors import ServerError
from aga_npc.memory.events import EventKind
from aga_npc.town.conversations import ConversationScheduler, Phase
from aga_npc.town.conversations.base import PHASES, Conversation

TOPICS = [
    "Nice weather today.",
    "The tomatoes in the park are ripe.",
    "Are you coming to the party on Friday?",
    "I baked scones this morning.",
    "The cafe was busy at noon.",
    "My sister visits next week.",
    "Have you read the new novel?",
    "The bus was late again.",
    "I should fix the garden fence.",
    "Let us cook together soon.",
]


def line(end: Any = False) -> Any:
    """Lines on ever new topics (a repeated line would end the conversation by itself)."""
    return lambda ctx: {"line": TOPICS[int(ctx["turn"]) % len(TOPICS)], "end": end}


CHATTY = {"utterance": line()}


def lines_of(built: Built) -> list[list[Any]]:
    return [c["lines"] for c in built.convos.finished]


def test_nobody_starts_talking_without_a_decision(make: TownMaker) -> None:
    built = make(CHATTY)
    built.talk(10)
    assert built.convos.started == 0
    assert built.calls("utterance") == 0


def test_a_decided_conversation_starts_and_both_stop_for_it(make: TownMaker) -> None:
    built = make(CHATTY)
    built.decide(ADA, BEN)
    built.talk(1)
    convos = built.convos
    assert convos.started == 1 and set(convos.active) == {ADA, BEN}
    ada, ben = built.town.brains[ADA], built.town.brains[BEN]
    assert (ada.state, ada.talk_partner) == (BrainState.TALKING, BEN)
    assert (ben.state, ben.talk_partner) == (BrainState.TALKING, ADA)
    assert ada.wants_talk == "", "the decision is used up"
    convo = convos.active[ADA]
    assert (convo.a, convo.b, convo.place) == (ADA, BEN, "Test House")


@pytest.mark.parametrize("why", ["asleep", "busy", "far", "unknown"])
def test_no_conversation_with_someone_asleep_talking_far_or_unknown(
    make: TownMaker, why: str
) -> None:
    built = make(CHATTY)
    town = built.town
    other = BEN
    if why == "asleep":
        town.brains[BEN].intent = Intent(kind=IntentKind.USE, verb="sleep", activity="sleep")
    elif why == "busy":
        town.brains[BEN].begin_talk("the player")
    elif why == "far":
        town.world.move_agent(BEN, (12, 10))  # in the park
    else:
        other = "Nobody Here"
    built.decide(ADA, other)
    built.talk(3)
    assert built.convos.started == 0
    assert town.brains[ADA].wants_talk == "", "a decision that cannot happen is dropped"


def test_a_conversation_ends_after_max_lines(make: TownMaker) -> None:
    built = make(CHATTY, max_lines=4)
    built.decide(ADA, BEN)
    built.talk(20)
    [lines] = lines_of(built)
    assert [w for w, _ in lines] == [ADA, BEN, ADA, BEN]
    assert built.calls("utterance") == 4
    assert built.convos.lines == 4
    assert not built.convos.active


def test_a_line_that_ends_the_conversation_ends_it(make: TownMaker) -> None:
    built = make(
        {
            "utterance": [
                {"line": "Hi Ben.", "end": False},
                {"line": "Got to go, bye!", "end": "true"},
            ]
        }
    )
    built.decide(ADA, BEN)
    built.talk(20)
    assert [len(x) for x in lines_of(built)] == [2]


def test_a_line_that_says_end_false_does_not_end_it(make: TownMaker) -> None:
    built = make({"utterance": line("false")}, max_lines=6)
    built.decide(ADA, BEN)
    built.talk(20)
    assert [len(x) for x in lines_of(built)] == [6]


def test_a_failed_line_ends_the_conversation(make: TownMaker) -> None:
    built = make(
        {"utterance": [{"line": "Hi Ben.", "end": False}] + [ServerError("x", status=503)] * 8},
        max_lines=6,
    )
    built.decide(ADA, BEN)
    built.talk(20)
    assert [len(x) for x in lines_of(built)] == [1]


def wrap_script(**changes: Any) -> dict[str, Any]:
    handlers: dict[str, Any] = {
        **CHATTY,
        "convo_summary": "They talked about the weather.",
        "convo_memo": "Ben seems cheerful.",
        "planning_thought": {"thought": "nothing to plan", "plan": None},
        "relationship": {"relationship": "close friend", "feeling": "warm", "closeness": 7},
        "poignancy": {"poignancy": 4},
    }
    handlers.update(changes)
    return handlers


@pytest.mark.parametrize(
    ("mode", "relationship_calls"),
    [(Mode.BASELINE, 0), (Mode.LIFESTYLE_ONLY, 0), (Mode.AGA_PAPER, 2), (Mode.SOCIAL_ONLY, 2)],
)
def test_the_wrap_is_one_summary_then_each_sides_debrief_and_updates(
    make: TownMaker, mode: Mode, relationship_calls: int
) -> None:
    built = make(wrap_script(), mode=mode, max_lines=2)
    built.decide(ADA, BEN)
    built.talk(30)
    assert built.calls("convo_summary") == 1
    assert built.script.agents["convo_summary"] == [ADA]
    assert sorted(built.script.agents["convo_memo"]) == [ADA, BEN]
    assert sorted(built.script.agents["planning_thought"]) == [ADA, BEN]
    assert built.calls("relationship") == relationship_calls
    if relationship_calls:
        assert sorted(built.script.agents["relationship"]) == [ADA, BEN]
        asked = {c["persona"]["name"]: c["other"] for c in built.script.contexts["relationship"]}
        assert asked == {ADA: BEN, BEN: ADA}
    for me, other in ((ADA, BEN), (BEN, ADA)):
        brain = built.town.brains[me]
        texts = [e.text for e in brain.mind.stream.events() if e.kind is EventKind.SAID]
        assert f"{me} talked with {other}: They talked about the weather." in texts
        assert brain.stats()["conversations"] == 1
        row = brain.relationships().get(other, {})
        if relationship_calls:
            assert row["relationship"] == "close friend" and row["feeling"] == "warm"
        else:
            assert row.get("relationship") != "close friend"
    [convo] = built.convos.finished
    assert convo["end"] > convo["start"]


def test_the_aga_mode_updates_both_sides_in_one_call(make: TownMaker) -> None:
    joint = {
        "a_about_b": {"relationship": "friend", "feeling": "warm", "closeness": 6},
        "b_about_a": {"relationship": "friend", "feeling": "shy", "closeness": 5},
    }
    built = make(wrap_script(relationship=joint), mode=Mode.AGA, max_lines=2)
    built.decide(ADA, BEN)
    built.talk(30)
    assert built.calls("relationship") == 1
    [ctx] = built.script.contexts["relationship"]
    assert (ctx["a"], ctx["b"]) == (ADA, BEN) and len(ctx["transcript"]) == 2
    # the seeded relationships are what each side thinks now
    assert ctx["current"]["a_about_b"]["relationship"] == "housemate"
    ada, ben = built.town.brains[ADA], built.town.brains[BEN]
    assert ada.relationships()[BEN]["feeling"] == "warm"
    assert ben.relationships()[ADA]["feeling"] == "shy"
    assert ada.stats()["joint_updates"] + ben.stats()["joint_updates"] == 1


def test_a_failed_summary_is_made_from_the_first_lines(make: TownMaker) -> None:
    built = make(
        wrap_script(
            convo_summary=ServerError("x", status=503),
            utterance=[{"line": "Hi Ben."}, {"line": "Hi Ada."}],
        ),
        max_lines=2,
    )
    built.decide(ADA, BEN)
    built.talk(30)
    said = [e.text for e in built.town.brains[ADA].mind.stream.events() if e.kind is EventKind.SAID]
    assert said == [f"{ADA} talked with {BEN}: Hi Ben.; Hi Ada."]


def test_a_conversation_without_lines_asks_nothing_after(make: TownMaker) -> None:
    built = make(wrap_script(utterance=ServerError("x", status=503)))
    built.decide(ADA, BEN)
    built.talk(10)
    assert [len(x) for x in lines_of(built)] == [0]
    for kind in ("convo_summary", "convo_memo", "planning_thought", "relationship"):
        assert built.calls(kind) == 0, kind
    now = built.town.now
    for me, other in ((ADA, BEN), (BEN, ADA)):
        assert now - built.town.brains[me].reactions.last_chat[other] <= 10, "the cooldown runs"
        assert built.town.brains[me].state is not BrainState.TALKING


def test_interrupt_ends_a_conversation_at_once(make: TownMaker) -> None:
    built = make(wrap_script(), max_lines=10)
    built.decide(ADA, BEN)
    built.talk(3)
    convos = built.convos
    assert convos.active
    convos.interrupt(BEN, built.town)
    assert not convos.active
    assert built.town.brains[ADA].state is not BrainState.TALKING
    assert built.town.brains[BEN].state is not BrainState.TALKING
    built.talk(5)
    assert len(convos.finished) == 1 and built.calls("convo_summary") == 1


def test_with_a_limit_one_conversation_is_advanced_per_call(make: TownMaker) -> None:
    built = make(CHATTY)
    convos = built.convos
    built.decide(ADA, BEN)
    built.talk(1)
    assert convos.step(built.town.now + 1, built.town, limit=0) is False
    assert convos.step(built.town.now + 1, built.town, limit=1) is True


def test_scheduler_state_keeps_counters_and_finished_and_drops_the_rest(make: TownMaker) -> None:
    built = make(wrap_script(), max_lines=2, chat_cooldown=0)
    built.decide(ADA, BEN)
    built.talk(30)
    convos = built.convos
    state = convos.get_state()
    assert state["started"] == 1 and state["lines"] == 2 and len(state["finished"]) == 1
    assert len(state["line_prompt_tokens"]) == 2 and all(t > 0 for t in state["line_prompt_tokens"])
    built.decide(ADA, BEN)
    built.talk(1)
    assert convos.active
    convos.set_state(state)
    assert not convos.active and convos.get_state() == state


def test_the_level_of_detail_is_checked() -> None:
    with pytest.raises(ValueError, match="lod"):
        ConversationScheduler(mode=Mode.AGA, settings=LoopSettings(), lod="paragraph")


def test_the_phase_table_is_enforced(make: TownMaker) -> None:
    book = make().town.brains[ADA].book
    for phase in Phase:
        for target in Phase:
            convo = Conversation(a=ADA, b=BEN, place="x", started=0, max_lines=4, book=book)
            convo.phase = phase
            if target in PHASES[phase]:
                convo.move(target)
                assert convo.phase is target
            else:
                with pytest.raises(RuntimeError, match="illegal conversation phase"):
                    convo.move(target)


def test_the_cooldown_starts_when_the_conversation_ends(make: TownMaker) -> None:
    """Not when its summary arrives: meanwhile the two are free and see each other."""
    built = make(wrap_script(), max_lines=2)
    town, convos = built.town, built.convos
    built.decide(ADA, BEN)
    for _ in range(20):
        convos.step(town.now, town)
        if convos.finished:
            break
        built.gateway.pump()
        town.stepper.step_minutes(1)
    assert convos.finished and built.calls("convo_summary") == 0, "the summary is not in yet"
    ended = convos.finished[0]["end"]
    for me, other in ((ADA, BEN), (BEN, ADA)):
        assert town.brains[me].reactions.last_chat.get(other) == ended


def test_a_decision_made_before_a_conversation_does_not_outlive_it(make: TownMaker) -> None:
    """Both decided to talk at the same look: one conversation, not a second one after."""
    built = make(wrap_script(), max_lines=2)
    built.decide(BEN, ADA)
    built.decide(ADA, BEN)
    built.talk(30)
    assert built.convos.started == 1
    assert built.town.brains[ADA].wants_talk == "" and built.town.brains[BEN].wants_talk == ""


def test_people_who_just_talked_do_not_talk_again_within_the_cooldown(make: TownMaker) -> None:
    """The whole loop: every decide_talk says yes, the two stay in one room for an hour."""
    built = make(wrap_script(decide_talk={"talk": True, "reason": "housemates"}), start="18:00")
    built.town.run_minutes(60)
    convos = built.convos
    assert convos.started == 1, [(c["start"], c["end"]) for c in convos.finished]


def test_a_late_decision_does_not_break_the_cooldown(make: TownMaker) -> None:
    """A decide_talk asked before a conversation and answered after it is stale."""
    built = make(wrap_script(), max_lines=2, chat_cooldown=120)
    built.decide(ADA, BEN)
    built.talk(10)
    assert built.convos.started == 1 and not built.convos.active
    built.decide(BEN, ADA)  # the answer of a decision asked before the conversation
    built.talk(10)
    assert built.convos.started == 1
    assert built.town.brains[BEN].wants_talk == ""
