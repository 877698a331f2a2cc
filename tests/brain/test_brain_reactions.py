"""Reactions: perception (vision radius, attention, retention, one's own actions), when
decide_talk is asked and what its answer does, the decision_cache saving, decide_react
only for the object one heads for, and a wait re-planning the day."""

from __future__ import annotations

from typing import Any

import pytest
from brain_kit import ADA, DAY, PLACES, Rig

from aga_npc.brain.answers import Commitment
from aga_npc.brain.intent import Nearby
from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.reactions import Reactions, event_text
from aga_npc.brain.settings import LoopSettings
from aga_npc.errors import ServerError
from aga_npc.memory.events import EventKind
from aga_npc.types import Action

NOON = 12 * 60
BENCH = "Park:lawn:bench"


class Replans:
    def __init__(self) -> None:
        self.calls: list[tuple[int, str, Commitment | None]] = []

    def replan(self, now: int, event: str, commitment: Commitment | None) -> bool:
        self.calls.append((now, event, commitment))
        return True


class Setup:
    def __init__(self, rig: Rig, *, mode: Mode = Mode.BASELINE, **changes: Any) -> None:
        self.rig = rig
        self.settings = LoopSettings.for_mode(mode, **changes)
        self.book = rig.book()
        self.mind = Mind(profile=ADA, settings=self.settings, places=PLACES)
        self.mind.attach(self.book, rig.embedder)
        self.replans = Replans()
        self.reactions = Reactions(
            profile=ADA,
            settings=self.settings,
            requests=self.book,
            mind=self.mind,
            planner=self.replans,
        )

    def look(
        self,
        now: int,
        *nearby: Nearby,
        heading_to: str = "",
        available: bool = True,
        limit: int | None = None,
    ) -> int:
        fresh = self.reactions.perceive(
            now,
            nearby,
            place="Park",
            doing="walking in the park",
            heading_to=heading_to,
            available=available,
            limit=limit,
        )
        self.rig.settle(self.book)
        return fresh

    def memories(self, kind: EventKind | None = None) -> list[str]:
        return [e.text for e in self.mind.stream.events() if kind is None or e.kind is kind]


def ben(doing: str = "reading a book", **changes: Any) -> Nearby:
    values: dict[str, Any] = {"name": "Ben Ortiz", "distance": 2.0, "doing": doing}
    values.update(changes)
    return Nearby(**values)


def script(talk: Any = None, react: Any = None) -> dict[str, Any]:
    return {
        "poignancy": {"poignancy": 4},
        "decide_talk": talk if talk is not None else {"talk": False, "reason": "busy"},
        "decide_react": react if react is not None else {"react": "wait", "minutes": 15},
    }


# ---------------------------------------------------------------------- perception


def test_only_agents_within_the_vision_radius_are_perceived(rig: Any) -> None:
    s = Setup(rig(script()), vision_radius=4.0)
    fresh = s.look(NOON, ben(distance=3.9), Nearby(name="Cleo Park", distance=4.5, doing="jogging"))
    assert fresh == 1
    assert s.memories(EventKind.OBSERVED) == ["Ben Ortiz is reading a book at Park"]
    assert [c["sees"]["name"] for c in s.rig.script.contexts["decide_talk"]] == ["Ben Ortiz"]


def test_attention_takes_the_nearest_new_events_first(rig: Any) -> None:
    s = Setup(rig(script()), attention=1)
    far = Nearby(name="Cleo Park", distance=6.0, doing="jogging")
    near = ben(distance=1.0)
    assert s.look(NOON, far, near) == 1
    assert s.memories(EventKind.OBSERVED) == ["Ben Ortiz is reading a book at Park"]
    # the next look takes the other one; Ben is not new any more
    assert s.look(NOON + 1, far, near) == 1
    assert s.memories(EventKind.OBSERVED)[-1] == "Cleo Park is jogging at Park"
    assert s.look(NOON + 2, far, near) == 0


def test_a_per_tick_limit_narrows_attention(rig: Any) -> None:
    s = Setup(rig(script()))
    crowd = [Nearby(name=f"P{i}", distance=1.0 + i, doing=f"task {i}") for i in range(5)]
    assert s.look(NOON, *crowd, limit=2) == 2
    assert s.look(NOON + 1, *crowd) == 3


def test_an_event_among_the_last_retained_ones_is_not_remembered_again(rig: Any) -> None:
    for retention, expected in ((8, 2), (1, 3)):
        s = Setup(rig(script()), retention=retention)
        for minute, doing in ((0, "reading a book"), (1, "drinking tea"), (2, "reading a book")):
            s.look(NOON + minute, ben(doing))
        observed = s.memories(EventKind.OBSERVED)
        assert len(observed) == expected, (retention, observed)
        assert s.reactions.stats.perceived == 3


def test_the_state_of_the_object_another_uses_is_perceived_too(rig: Any) -> None:
    s = Setup(rig(script()))
    s.look(NOON, ben(target="Park:lawn:bench", object_state="occupied"))
    assert "bench is occupied" in s.memories(EventKind.OBSERVED)
    s.look(NOON + 1, ben(target="Park:lawn:bench", object_state="wet"))
    assert "bench is wet" in s.memories(EventKind.OBSERVED)


def test_every_new_event_is_rated_for_poignancy_in_generative_agents_modes(rig: Any) -> None:
    s = Setup(rig(script()))
    s.look(NOON, ben(target="Park:lawn:bench", object_state="occupied"))
    assert s.rig.calls("poignancy") == 2
    assert all(e.importance == 4 for e in s.mind.stream.events())


def test_own_actions_become_memories_once_while_retained(rig: Any) -> None:
    s = Setup(rig(script()))
    fry = Action(
        verb="cook",
        target="Ada House:kitchen:stove",
        description="frying eggs",
        object_state="heating the pan",
    )
    s.reactions.on_own_action(NOON, fry, "Ada House")
    s.reactions.on_own_action(NOON + 5, fry, "Ada House")
    s.rig.settle(s.book)
    assert s.memories(EventKind.DONE) == ["Ada Finch is frying eggs"]
    assert s.memories(EventKind.OBSERVED) == ["stove is heating the pan"]
    s.reactions.on_own_action(NOON + 9, Action(verb="think", description="plan the week"), "")
    assert s.memories(EventKind.DONE)[-1] == "Ada Finch: plan the week"


def test_event_text_reads_naturally() -> None:
    assert event_text("Ada", "Frying eggs.") == "Ada is frying eggs"
    assert event_text("Ada", "at the counter") == "Ada is at the counter"
    assert event_text("Ada", "cook dinner") == "Ada: cook dinner"
    assert event_text("Ada", "  ") == "Ada is idle"


# ---------------------------------------------------------------------- deciding to talk


@pytest.mark.parametrize(
    ("why", "other", "now", "available"),
    [
        ("not available", ben(), NOON, False),
        ("other busy", ben(busy=True), NOON, True),
        (
            "the player",
            Nearby(name="the player", distance=1.0, doing="walking", player=True),
            NOON,
            True,
        ),
        ("late", ben(), 23 * 60 + 5, True),
    ],
)
def test_no_talk_decision_is_asked_when_talking_is_out_of_the_question(
    rig: Any, why: str, other: Nearby, now: int, available: bool
) -> None:
    s = Setup(rig(script()))
    s.look(now, other, available=available)
    assert "decide_talk" not in s.rig.kinds(), why
    assert s.reactions.stats.decide_talk == 0
    assert s.reactions.stats.perceived == 1, "still perceived"


def test_a_recent_conversation_is_a_cooldown(rig: Any) -> None:
    s = Setup(rig(script()), chat_cooldown=60)
    s.reactions.talked("Ben Ortiz", NOON)
    s.look(NOON + 59, ben("reading"))
    assert s.reactions.stats.decide_talk == 0
    s.look(NOON + 60, ben("drinking tea"))
    assert s.reactions.stats.decide_talk == 1
    [ctx] = s.rig.script.contexts["decide_talk"]
    assert ctx["last_chat"] == "1 hours ago"


def test_one_decision_per_person_at_a_time(rig: Any) -> None:
    s = Setup(rig(script()))
    s.reactions.perceive(
        NOON, [ben("reading")], place="Park", doing="x", heading_to="", available=True
    )
    s.reactions.perceive(
        NOON + 1, [ben("writing")], place="Park", doing="x", heading_to="", available=True
    )
    assert s.book.count("decide_talk") == 1
    s.rig.settle(s.book)
    s.look(NOON + 2, ben("sketching"))
    assert s.reactions.stats.decide_talk == 2, "asked again once the first answer came"


def test_a_yes_makes_the_agent_want_to_talk_and_stops_other_decisions(rig: Any) -> None:
    s = Setup(rig(script(talk={"talk": True, "reason": "friend"})))
    s.mind.remember(
        NOON - 60,
        EventKind.THOUGHT,
        "Ben Ortiz owes Ada a book",
        people=("Ben Ortiz",),
        importance=6,
    )
    s.look(NOON, ben())
    assert s.reactions.wants_talk == "Ben Ortiz"
    assert s.reactions.stats.decided_to_talk == 1
    [ctx] = s.rig.script.contexts["decide_talk"]
    assert "Ben Ortiz owes Ada a book" in ctx["memories_about_them"]
    assert ctx["sees"] == {"name": "Ben Ortiz", "doing": "reading a book"}
    s.look(NOON + 1, Nearby(name="Cleo Park", distance=1.0, doing="jogging"))
    assert s.reactions.stats.decide_talk == 1, "no other decision while wanting to talk"
    s.reactions.talked("Ben Ortiz", NOON + 10)
    assert s.reactions.wants_talk == ""


def test_a_failed_decision_is_no_decision_and_asked_again_later(rig: Any) -> None:
    s = Setup(
        rig(script(talk=[ServerError("x", status=503)] * 4 + [{"talk": True}])), mode=Mode.AGA
    )
    s.look(NOON, ben("reading book 1"))
    assert s.reactions.wants_talk == "" and s.reactions.stats.decided_to_talk == 0
    s.look(NOON + 1, ben("reading book 2"))
    assert s.reactions.wants_talk == "Ben Ortiz", "a failure is not cached as a no"


# ---------------------------------------------------------------------- decision cache


@pytest.mark.parametrize(("mode", "asked"), [(Mode.AGA, 1), (Mode.BASELINE, 2)])
def test_a_no_is_remembered_for_the_day_only_with_the_saving(
    rig: Any, mode: Mode, asked: int
) -> None:
    s = Setup(rig(script()), mode=mode)
    s.look(NOON, ben("reading book 1"))
    s.look(NOON + 1, ben("reading book 22"))  # the same pattern
    assert s.rig.calls("decide_talk") == asked
    assert s.reactions.stats.cached_decisions == 2 - asked
    s.look(NOON + 2, ben("watering plants"))  # another pattern
    assert s.rig.calls("decide_talk") == asked + 1
    s.look(DAY + NOON, ben("reading book 3"))  # a new day forgets
    assert s.rig.calls("decide_talk") == asked + 2


# ---------------------------------------------------------------------- deciding to react


def test_decide_react_only_when_the_other_uses_the_object_one_heads_for(rig: Any) -> None:
    s = Setup(rig(script()))
    s.look(NOON, ben(target="Cafe:shop floor:table 1"), heading_to=BENCH)
    assert "decide_react" not in s.rig.kinds()
    s.look(NOON + 1, ben("sitting", target=BENCH), heading_to=BENCH)
    assert s.rig.calls("decide_react") == 1
    [ctx] = s.rig.script.contexts["decide_react"]
    assert ctx["wants_to_use"] == "bench" and ctx["sees"]["doing"] == "sitting"


def test_no_react_decision_after_a_yes_to_talking(rig: Any) -> None:
    s = Setup(rig(script(talk={"talk": True})))
    s.look(NOON, ben(target=BENCH), heading_to=BENCH)
    assert "decide_react" not in s.rig.kinds()


def test_a_wait_holds_the_agent_and_replans_the_day(rig: Any) -> None:
    s = Setup(rig(script(react={"react": "wait", "minutes": 15})))
    s.look(NOON, ben(target=BENCH), heading_to=BENCH)
    waiting = s.reactions.waiting_for(NOON + 1)
    assert waiting is not None and (waiting.other, waiting.target) == ("Ben Ortiz", BENCH)
    assert waiting.until == NOON + 15
    [(now, event, commitment)] = s.replans.calls
    assert now == NOON and "waits 15 minutes for Ben Ortiz" in event and "bench" in event
    assert commitment is None
    assert s.reactions.stats.waits == 1
    assert s.reactions.waiting_for(NOON + 15) is None, "the wait ends by itself"


@pytest.mark.parametrize("react", [{"react": "continue"}, ServerError("x", status=503)])
def test_carrying_on_neither_waits_nor_replans(rig: Any, react: Any) -> None:
    s = Setup(rig(script(react=react)))
    s.look(NOON, ben(target=BENCH), heading_to=BENCH)
    assert s.reactions.waiting_for(NOON + 1) is None and s.replans.calls == []


def test_reaction_state_round_trips_and_forgets_what_was_in_progress(rig: Any) -> None:
    s = Setup(rig(script(talk={"talk": True})))
    s.reactions.talked("Cleo Park", NOON - 30)
    s.look(NOON, ben())
    state = s.reactions.get_state()
    other = Setup(rig(script()))
    other.reactions.set_state(state)
    assert other.reactions.get_state() == state
    assert other.reactions.last_chat == {"Cleo Park": NOON - 30}
    assert other.reactions.stats == s.reactions.stats
    s.reactions.set_state(state)
    assert s.reactions.wants_talk == "" and s.reactions.waiting is None
    # what was seen before the load is seen afresh
    assert s.look(NOON + 1, ben()) == 1


@pytest.mark.parametrize(("mode", "talk_calls"), [(Mode.AGA, 1), (Mode.BASELINE, 2)])
def test_a_remembered_no_still_considers_waiting_for_ones_object(
    rig: Any, mode: Mode, talk_calls: int
) -> None:
    """The saving skips the talk decision only; whether to wait is asked as in GA."""
    s = Setup(rig(script()), mode=mode)
    s.look(NOON, ben("reading book 1", target=BENCH), heading_to="Cafe:shop floor:table 1")
    assert "decide_react" not in s.rig.kinds()
    s.look(NOON + 1, ben("reading book 2", target=BENCH), heading_to=BENCH)
    assert s.rig.calls("decide_talk") == talk_calls
    assert s.rig.calls("decide_react") == 1
    assert s.reactions.waiting_for(NOON + 2) is not None
