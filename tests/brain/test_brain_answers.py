"""answers.py: one validator per request kind; good shapes give typed answers, bad shapes
raise ValueError with a message a model can act on when re-asked."""

from __future__ import annotations

from typing import Any

import pytest

from aga_npc.brain.answers import (
    MAX_ITEMS,
    MAX_SUBTASKS,
    Choice,
    Commitment,
    FocalPoints,
    Insights,
    JointUpdate,
    Line,
    Outline,
    PlanItem,
    PlanningThought,
    Poignancy,
    ReactDecision,
    SocialAnswer,
    Steps,
    Subtasks,
    TalkDecision,
    Text,
    Triple,
    WakeUp,
    WholeConversation,
    parsed_as,
)
from aga_npc.types import LLMResult


def item(**changes: Any) -> dict[str, Any]:
    base = {"start": "09:00", "duration": 60, "activity": "work at the counter", "place": "Cafe"}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


# ---------------------------------------------------------------------- bad shapes

BAD: list[tuple[Any, Any, str]] = [
    (WakeUp.validate, {"wake_up": "25:00"}, "out of range"),
    (WakeUp.validate, {"wake_up": True}, "not a time of day"),
    (WakeUp.validate, {}, "not a time of day"),
    (Outline.validate, ["a list"], "JSON object"),
    (Outline.validate, {"activities": "work all day"}, "'activities' must be a list"),
    (Outline.validate, {"activities": [item(), "lunch"]}, "item 1"),
    (Outline.validate, {"activities": [item(start="noonish")]}, "item 0: not a time of day"),
    (Outline.validate, {"activities": [item(duration=0)]}, "positive number of minutes"),
    (Outline.validate, {"activities": [item(duration="NaN")]}, "positive number of minutes"),
    (Outline.validate, {"activities": [item(duration="soon")]}, "'duration' must be a number"),
    (Outline.validate, {"activities": [item(duration=True)]}, "'duration' must be a number"),
    (Outline.validate, {"activities": [item(duration=None)]}, "'duration' must be a number"),
    (Outline.validate, {"activities": [item(duration=[30])]}, "'duration' must be a number"),
    (Outline.validate, {"activities": [item(duration={"m": 3})]}, "'duration' must be a number"),
    (Subtasks.validate, {"subtasks": [{"task": "fry eggs", "minutes": [5]}]}, "'minutes'"),
    (Outline.validate, {"activities": [item(activity="  ")]}, "'activity' is missing"),
    (Outline.validate, {"activities": [item(activity=["work"])]}, "'activity' must be a string"),
    (Outline.validate, {"activities": [item()], "wake_up": "dawn"}, "not a time of day"),
    (Subtasks.validate, {"subtasks": []}, "non-empty list"),
    (Subtasks.validate, {"subtasks": [{"task": "fry eggs"}]}, "'minutes'"),
    (Subtasks.validate, {"subtasks": [{"minutes": 5}]}, "'task' is missing"),
    (Subtasks.validate, {"subtasks": ["fry eggs"]}, "subtask 0"),
    (Choice.sector, {"place": "Cafe"}, "'sector' is missing"),
    (Choice.arena, "kitchen", "JSON object"),
    (Choice.object, {"verb": "cook"}, "'object' is missing"),
    (Triple.validate, ["Ada", "cooks"], "JSON object"),
    (Triple.validate, {"subject": "Ada", "object": "eggs"}, "'predicate' is missing"),
    (Text.state, {"status": "hot"}, "'state' is missing"),
    (Steps.validate, {"steps": {}}, "non-empty list"),
    (Steps.validate, {"steps": [{"object": "A:b:c", "minutes": 5}]}, "'verb' is missing"),
    (Steps.validate, {"steps": [{"verb": "cook", "object": ["A:b:c"], "minutes": 5}]}, "step 0"),
    (Steps.validate, {"steps": [{"verb": "cook", "minutes": -5}]}, "positive number"),
    (Poignancy.validate, {"poignancy": "very"}, "no number"),
    (Poignancy.validate, {"poignancy": True}, "must be a number"),
    (Poignancy.validate, {"score": 5}, "no number"),
    (TalkDecision.validate, {"talk": "maybe"}, "'talk' must be true or false"),
    (TalkDecision.validate, {"reason": "busy"}, "'talk' must be true or false"),
    (ReactDecision.validate, {"react": "dance"}, "'react' must be 'wait' or 'continue'"),
    (Line.validate, {"line": "  "}, "'line' string"),
    (Line.validate, {"text": "Hi"}, "'line' string"),
    (Line.validate, {"line": "Bye.", "end": "perhaps"}, "'end' must be true or false"),
    (WholeConversation.validate, {"lines": "Hi / Hello"}, "'lines' list"),
    (WholeConversation.validate, {"lines": [["Ada", "Hi", "!"]]}, "[speaker, text]"),
    (PlanningThought.validate, {"thought": "x", "plan": ["coffee"]}, "'plan' must be"),
    (FocalPoints.validate, {"questions": []}, "non-empty list"),
    (FocalPoints.validate, {"questions": "why?"}, "non-empty list"),
    (Insights.validate, {"insights": []}, "non-empty list"),
    (Insights.validate, {"insights": [{"because_of": [1]}]}, "'insight' is missing"),
    (Insights.validate, {"insights": ["  ", ""]}, "non-empty"),
    (SocialAnswer.validate, "friends", "JSON object"),
    (SocialAnswer.validate, {"feeling": 3}, "'feeling' must be a string"),
    (JointUpdate.validate, {"a_about_b": {"feeling": "warm"}}, "'b_about_a'"),
    (
        JointUpdate.validate,
        {"a_about_b": {"feeling": 1}, "b_about_a": {}},
        "'a_about_b': 'feeling'",
    ),
]


@pytest.mark.parametrize(
    ("validate", "value", "message"),
    BAD,
    ids=[f"{v.__qualname__}-{i}" for i, (v, _, _) in enumerate(BAD)],
)
def test_a_bad_shape_raises_value_error_naming_the_problem(
    validate: Any, value: Any, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        validate(value)
    assert type(caught.value) is ValueError or isinstance(caught.value, ValueError)
    assert message in str(caught.value)


def test_parsed_as_refuses_an_answer_of_another_kind() -> None:
    result = LLMResult(text="{}", parsed=Poignancy(score=3))
    assert parsed_as(Poignancy)(result) == Poignancy(score=3)
    with pytest.raises(ValueError, match="expected a WakeUp answer, got Poignancy"):
        parsed_as(WakeUp)(result)


def test_text_read_refuses_an_empty_answer() -> None:
    for text in ("", "   ", '""', '  " "  '):
        with pytest.raises(ValueError, match="empty answer"):
            Text.read(LLMResult(text=text))


# ---------------------------------------------------------------------- good shapes


def test_wake_up_accepts_the_usual_time_spellings() -> None:
    assert WakeUp.validate({"wake_up": "06:30"}).minute == 390
    assert WakeUp.validate({"time": "7 pm"}).minute == 19 * 60
    assert WakeUp.validate("8:15").minute == 8 * 60 + 15


def test_outline_items_are_normalised() -> None:
    outline = Outline.validate(
        {
            "wake_up": "6:30 am",
            "items": [
                {"start": "7 pm", "minutes": "45 minutes", "activity": "  cook   dinner "},
                item(place=None),
            ],
        }
    )
    assert outline.wake_up == 390
    first, second = outline.items
    assert first == PlanItem(start=19 * 60, duration=45, text="cook dinner", place="")
    assert second.place == "" and second.duration == 60
    assert Outline.validate({"activities": []}).items == ()
    assert Outline.validate({"activities": [item()], "wake_up": ""}).wake_up is None


def test_outline_and_subtasks_are_capped() -> None:
    long = Outline.validate({"activities": [item()] * (MAX_ITEMS + 5)})
    assert len(long.items) == MAX_ITEMS
    many = Subtasks.validate({"subtasks": [{"task": "t", "minutes": 5}] * (MAX_SUBTASKS + 3)})
    assert len(many.items) == MAX_SUBTASKS


def test_plan_item_round_trips_through_its_dict() -> None:
    original = PlanItem(start=1440 + 75, duration=30, text="read", place="Ada House")
    back = PlanItem.read(original.to_dict(), "item")
    # a time after midnight is written as the clock shows it
    assert original.to_dict()["start"] == "01:15"
    assert back == PlanItem(start=75, duration=30, text="read", place="Ada House")


def test_choices_triples_and_states() -> None:
    assert Choice.sector({"sector": " Cafe "}).value == "Cafe"
    assert Choice.object({"object": "stove", "verb": "COOK"}) == Choice(value="stove", verb="cook")
    assert Choice.object({"object": "stove"}).verb == ""
    assert Triple.validate(["Ada", "fries", "eggs"]).as_tuple() == ("Ada", "fries", "eggs")
    assert Triple.validate({"subject": "stove", "predicate": "is"}).obj == ""
    assert Text.state({"state": "heating  the pan"}).text == "heating the pan"
    assert Text.read(LLMResult(text='  "🍳  frying"  ')).text == "🍳 frying"


def test_chain_steps_read_their_fields() -> None:
    steps = Steps.validate(
        {
            "steps": [
                {"verb": "Cook", "object": " A:kitchen:stove ", "minutes": "10", "emoji": "🍳"},
                {"verb": "think", "object": None, "minutes": 5, "description": "plan the day"},
            ]
            * 5
        }
    )
    assert len(steps.steps) == 8
    first, second = steps.steps[:2]
    assert (first.verb, first.target, first.minutes) == ("cook", "A:kitchen:stove", 10)
    assert first.description == "cook" and first.emoji == "🍳"
    assert (second.target, second.description) == ("", "plan the day")


def test_poignancy_is_clamped_to_one_to_ten() -> None:
    assert Poignancy.validate({"poignancy": 15}).score == 10
    assert Poignancy.validate({"rating": "8/10"}).score == 8
    assert Poignancy.validate({"importance": 0}).score == 1
    assert Poignancy.validate(4.6).score == 5


def test_decisions() -> None:
    assert TalkDecision.validate({"talk": "Yes", "reason": "friend"}) == TalkDecision(
        talk=True, reason="friend"
    )
    assert TalkDecision.validate({"talk": False}).talk is False
    wait = ReactDecision.validate({"react": "wait", "minutes": 500})
    assert wait.wait and wait.minutes == 60
    assert ReactDecision.validate({"react": "1", "minutes": 0}).minutes == 1
    assert ReactDecision.validate({"react": "wait", "minutes": "a bit"}).minutes == 10
    assert not ReactDecision.validate({"react": "continue"}).wait


@pytest.mark.parametrize("minutes", [float("inf"), "1e999", float("nan"), None, [5]])
def test_a_wait_of_any_odd_length_is_the_default_wait(minutes: Any) -> None:
    assert ReactDecision.validate({"react": "wait", "minutes": minutes}).minutes == 10


@pytest.mark.parametrize(
    ("end", "expected"),
    [(None, False), (False, False), (True, True), ("false", False), ("no", False), ("yes", True)],
)
def test_a_line_ends_the_conversation_only_when_it_says_so(end: Any, expected: bool) -> None:
    value = {"line": "  See  you! "} if end is None else {"line": "See you!", "end": end}
    line = Line.validate(value)
    assert line.text.startswith("See you!") and line.end is expected


def test_whole_conversation_lines() -> None:
    convo = WholeConversation.validate({"lines": [["Ada", "Hi  there"], ("Ben", 42)] * 15})
    assert len(convo.lines) == 20
    assert convo.lines[:2] == (("Ada", "Hi there"), ("Ben", "42"))


def test_planning_thought_reads_a_commitment() -> None:
    thought = PlanningThought.validate(
        {
            "thought": "I should see Ben again",
            "plan": {
                "activity": "coffee with Ben",
                "day": "Tomorrow",
                "start": "4 pm",
                "duration": 600,
                "place": "Cafe",
            },
        }
    )
    assert thought.plan == Commitment(
        activity="coffee with Ben", day_offset=1, start=16 * 60, duration=240, place="Cafe"
    )
    assert thought.plan.to_dict()["start"] == "16:00"
    short = PlanningThought.validate({"plan": {"activity": "chat", "duration": 5}})
    assert short.plan is not None and short.plan.duration == 15 and short.plan.day_offset == 0
    assert short.thought == "nothing to plan"


@pytest.mark.parametrize(
    "plan",
    [
        {"activity": "dinner", "start": "whenever"},
        {"activity": "dinner", "duration": "long"},
        {"activity": "dinner", "duration": [60]},
        {"activity": ""},
        {"start": "18:00"},
        None,
    ],
)
def test_a_vague_plan_is_kept_as_a_thought_only(plan: Any) -> None:
    thought = PlanningThought.validate({"thought": "maybe dinner", "plan": plan})
    assert thought.plan is None and thought.thought == "maybe dinner"


def test_focal_points_and_insights() -> None:
    focal = FocalPoints.validate({"questions": ["Why  is Ben   sad?", 42, "a", "b"]})
    assert focal.questions == ("Why is Ben sad?", "42", "a")
    insights = Insights.validate(
        {
            "insights": [
                "Ben works  too hard",
                "   ",
                {"insight": "Ada likes mornings", "because_of": [1, "3", "x", True, 2.0]},
                {"insight": "Ada is tired", "poignancy": "7"},
            ]
        }
    )
    texts = [i.text for i in insights.items]
    assert texts == ["Ben works too hard", "Ada likes mornings", "Ada is tired"]
    assert insights.items[1].evidence == (1, 3, 2)
    assert insights.items[2].poignancy == 7 and insights.items[0].poignancy is None


def test_social_answers() -> None:
    answer = SocialAnswer.validate(
        {"relationship": "friend", "closeness": "6/10", "importance": 12}
    )
    assert answer.update.relationship == "friend" and answer.update.closeness == 6.0
    assert answer.importance == 10
    assert SocialAnswer.validate({"importance": "high"}).importance is None
    joint = JointUpdate.validate(
        {"a_about_b": {"feeling": "warm"}, "b_about_a": {"feeling": "wary"}}
    )
    assert (joint.a.update.feeling, joint.b.update.feeling) == ("warm", "wary")
