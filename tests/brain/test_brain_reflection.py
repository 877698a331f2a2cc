"""Reflection: the importance trigger, focal points, per question an embedding and the
insights, reflection memories with their evidence, and the insight_poignancy saving."""

from __future__ import annotations

import re
from typing import Any

import pytest
from brain_kit import ADA, PLACES, Rig

from aga_npc.brain.mind import Mind
from aga_npc.brain.modes import Mode
from aga_npc.brain.reflection import TRANSITIONS, Reflection, ReflectionStage
from aga_npc.brain.settings import LoopSettings
from aga_npc.errors import ServerError
from aga_npc.memory.events import EventKind

NOON = 12 * 60
FACTS = [
    "Ben Ortiz brought Ada a cake",
    "Ben Ortiz asked Ada about the fair",
    "Ada Finch burnt the scones",
    "Ada Finch sold out of bread",
]


def insights_answer(ctx: dict[str, Any]) -> dict[str, Any]:
    """Two insights citing statements 1 and 2, and one citing a statement that is not there."""
    n = len(ctx["statements"])
    items: list[dict[str, Any]] = [
        {"insight": f"about {ctx['question']}", "because_of": [1, 2], "poignancy": 8},
        {"insight": f"more on {ctx['question']}", "because_of": [n + 5, 0, 2], "poignancy": 6},
    ]
    return {"insights": items}


def script(**changes: Any) -> dict[str, Any]:
    handlers: dict[str, Any] = {
        "poignancy": {"poignancy": 5},
        "focal_points": {"questions": ["What does Ben want?", "How is the bakery?", "Why?", "4?"]},
        "insights": insights_answer,
    }
    handlers.update(changes)
    return handlers


class Setup:
    def __init__(self, rig: Rig, *, mode: Mode = Mode.BASELINE, **changes: Any) -> None:
        self.rig = rig
        changes.setdefault("reflection_trigger", 20.0)
        self.settings = LoopSettings.for_mode(mode, **changes)
        self.book = rig.book()
        self.mind = Mind(profile=ADA, settings=self.settings, places=PLACES)
        self.mind.attach(self.book, rig.embedder)
        self.reflection: Reflection = self.mind.reflection

    def fill(self, now: int = NOON - 60, importance: int = 6) -> None:
        for text in FACTS:
            self.mind.remember(now, EventKind.OBSERVED, text, importance=importance)

    def run(self, now: int = NOON, ticks: int = 30) -> None:
        for minute in range(ticks):
            self.mind.tick(now + minute)
            self.rig.settle(self.book)

    def reflections(self) -> list[Any]:
        return [e for e in self.mind.stream.events() if e.kind is EventKind.REFLECTION]


def test_nothing_happens_below_the_trigger(rig: Any) -> None:
    s = Setup(rig(script()), reflection_trigger=100.0)
    s.fill()
    s.run()
    assert "focal_points" not in s.rig.kinds() and s.reflection.count == 0


def test_a_reflection_asks_focal_points_then_per_question_an_embedding_and_insights(
    rig: Any,
) -> None:
    s = Setup(rig(script()), focal_points=2, insights_per_point=5)
    s.fill()
    s.run()
    kinds = s.rig.kinds()
    assert kinds["focal_points"] == 1
    assert kinds["insights"] == 2, "one insights call per focal point kept"
    [focal] = s.rig.script.contexts["focal_points"]
    assert all(any(f in st for st in focal["statements"]) for f in FACTS)
    asked = s.rig.script.contexts["insights"]
    assert [c["question"] for c in asked] == ["What does Ben want?", "How is the bakery?"]
    assert all(c["count"] == 5 and c["rate_poignancy"] is False for c in asked)
    assert s.reflection.count == 1 and s.reflection.insights == 4
    assert not s.reflection.busy
    texts = [e.text for e in s.reflections()]
    assert texts == [
        "about What does Ben want?",
        "more on What does Ben want?",
        "about How is the bakery?",
        "more on How is the bakery?",
    ]


def test_insights_rest_on_the_statements_they_cite(rig: Any) -> None:
    s = Setup(rig(script()), focal_points=1)
    s.fill()
    s.run()
    [ctx] = s.rig.script.contexts["insights"]
    cited = [re.sub(r"^\d+\. ", "", st) for st in ctx["statements"][:2]]
    first, second = s.reflections()
    described = {e.id: e.describe() for e in s.mind.stream.events()}
    assert [described[i] for i in first.evidence] == cited
    # numbers that are not statements are dropped
    assert [described[i] for i in second.evidence] == cited[1:]


def test_insights_per_point_caps_what_is_kept(rig: Any) -> None:
    s = Setup(rig(script()), focal_points=1, insights_per_point=1)
    s.fill()
    s.run()
    assert [e.text for e in s.reflections()] == ["about What does Ben want?"]


@pytest.mark.parametrize(
    ("mode", "poignancy_calls", "importance"),
    [(Mode.BASELINE, 2, 5), (Mode.AGA, 0, 8)],
)
def test_each_insight_is_rated_unless_the_insight_call_rates_it(
    rig: Any, mode: Mode, poignancy_calls: int, importance: int
) -> None:
    s = Setup(rig(script()), mode=mode, focal_points=1)
    s.fill()
    s.run()
    rated = s.rig.script.contexts["poignancy"]
    assert len(rated) == poignancy_calls
    assert all(c["kind"] == "thought" for c in rated)
    [ctx] = s.rig.script.contexts["insights"]
    assert ctx["rate_poignancy"] is (mode is Mode.AGA)
    assert s.reflections()[0].importance == importance
    assert s.reflection.rated_in_call == (2 if mode is Mode.AGA else 0)


def test_a_failed_focal_points_call_ends_the_reflection_and_a_later_one_starts(
    rig: Any,
) -> None:
    s = Setup(
        rig(script(focal_points=[ServerError("x", status=503)] * 4 + [{"questions": ["Q?"]}]))
    )
    s.fill()
    s.run(ticks=3)
    assert s.reflection.stage is ReflectionStage.IDLE and s.reflection.count == 0
    assert s.reflections() == []
    s.fill(now=NOON + 10)  # enough new importance again
    s.run(NOON + 10, ticks=3)
    assert s.reflection.count == 1 and len(s.reflections()) == 2


def test_a_question_with_nothing_to_recall_asks_no_insights(rig: Any) -> None:
    s = Setup(rig(script()))
    s.reflection.start(NOON)  # an empty memory
    s.run(ticks=3)
    assert s.rig.calls("focal_points") == 1 and "insights" not in s.rig.kinds()
    assert not s.reflection.busy


def test_a_failed_embedding_still_asks_with_recent_memories(rig: Any) -> None:
    r = rig(script())

    class Broken:
        name, dim = "broken", 8

        def embed(self, texts: Any) -> Any:
            raise RuntimeError("no model")

    s = Setup(r, focal_points=1)
    s.mind.attach(s.book, Broken())
    s.fill()
    s.run(ticks=3)
    assert s.rig.calls("insights") == 1 and len(s.reflections()) == 2


def test_a_blank_insight_is_no_memory(rig: Any) -> None:
    answer = {"insights": ["   ", {"insight": "Ben cares for Ada", "because_of": [1]}]}
    s = Setup(rig(script(insights=answer)), focal_points=1)
    s.fill()
    s.run()
    assert [e.text for e in s.reflections()] == ["Ben cares for Ada"]


def test_one_reflection_at_a_time_and_reset(rig: Any) -> None:
    s = Setup(rig(script()))
    s.fill()
    s.reflection.start(NOON)
    s.reflection.start(NOON)
    assert s.book.count("focal_points") == 1 and s.reflection.busy
    s.reflection.reset()
    assert not s.reflection.busy
    s.book.drop_all()


def test_the_reflection_stage_table_is_enforced() -> None:
    r = Reflection(profile=ADA, settings=LoopSettings())
    for stage in ReflectionStage:
        for target in ReflectionStage:
            r.stage = stage
            if target in TRANSITIONS[stage]:
                r._move(target)
                assert r.stage is target
            else:
                with pytest.raises(RuntimeError, match="illegal reflection stage"):
                    r._move(target)
