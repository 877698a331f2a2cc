"""Grounding a small model can pass: near misses put right, copied placeholders rejected."""

from __future__ import annotations

import pytest
from brain_kit import ADA_HOME, make_world

from aga_npc.brain.answers import Steps, Subtasks
from aga_npc.brain.grounding import ground_chain_steps, repair_target
from aga_npc.prompts.acting import CHAIN_FORMAT


def step(verb: str, target: str, minutes: int = 10, description: str = "doing it") -> dict:
    return {"verb": verb, "object": target, "minutes": minutes, "description": description}


@pytest.mark.parametrize(
    "said",
    [
        "ada house:kitchen:stove",  # case
        "Ada House:Kitchen:Stoves",  # case and plural
        "kitchen stove",  # the room and the object in words
        "stove",  # the object alone
        "the Stoves",  # filler word and plural
        "Kitchen:Stove",  # the address without its sector
    ],
)
def test_a_near_miss_object_is_the_listed_one(said: str) -> None:
    obj = repair_target(said, make_world(), place=ADA_HOME, verb="cook")
    assert obj is not None and obj.address == "Ada House:kitchen:stove"


@pytest.mark.parametrize(
    "said",
    [
        "oven",  # a word the stove does not carry
        "bathroom stove",  # a room the stove is not in
        "kitchen",  # a room only, no object
        "Ben Flat:kitchenette:hob",  # another place's object
        "",
    ],
)
def test_a_reference_that_is_not_a_near_miss_is_not_guessed(said: str) -> None:
    assert repair_target(said, make_world(), place=ADA_HOME, verb="cook") is None


def test_the_verb_decides_between_objects_that_both_fit() -> None:
    world = make_world()
    # "ada house" names every object of the house: no name word, nothing is guessed
    assert repair_target("ada house", world, place=ADA_HOME) is None
    table = repair_target("kitchen table", world, place=ADA_HOME, verb="eating")
    assert table is not None and table.address == "Ada House:kitchen:table"


def test_chain_steps_are_repaired_before_any_reask() -> None:
    answer = Steps.validate(
        {
            "steps": [
                step("cooking", "kitchen stove"),  # verb form and object words
                step("Eats", "ADA HOUSE:KITCHEN:TABLE"),  # case
                step("sit", "Ada House:kitchen:sink"),  # no sink: rejected
                step("sit", "Ada House:kitchen:fridge"),  # a fridge is not sat on
            ]
        }
    )
    grounded = ground_chain_steps(
        answer.steps, world=make_world(), agent="Ada Finch", subject="Ada Finch", place=ADA_HOME
    )
    assert [(a.verb, a.target) for a in grounded.actions] == [
        ("cook", "Ada House:kitchen:stove"),
        ("eat", "Ada House:kitchen:table"),
    ]
    assert grounded.repaired == 4  # the stove's words, "cooking", the table's case, "eats"
    assert len(grounded.rejected) == 2
    assert "no such object" in grounded.rejected[0]
    assert "affords only take" in grounded.rejected[1]


def test_without_a_place_a_near_miss_may_be_anywhere_but_must_still_fit() -> None:
    obj = repair_target("hob", make_world(), verb="cook")
    assert obj is not None and obj.address == "Ben Flat:kitchenette:hob"


@pytest.mark.parametrize(
    "bad",
    [
        step("cook", "Ada House:kitchen:stove", description="<what the person does>"),
        step("cook", "<address of a listed object>"),
        step("<one of that object's verbs>", "Ada House:kitchen:stove"),
        step("cook", "Ada House:kitchen:stove", description="..."),
    ],
)
def test_a_step_copying_the_answer_formats_placeholder_is_rejected(bad: dict) -> None:
    with pytest.raises(ValueError, match="placeholder"):
        Steps.validate({"steps": [bad]})


def test_copied_emoji_and_state_placeholders_are_dropped_not_kept() -> None:
    item = {**step("cook", "Ada House:kitchen:stove"), "emoji": "<emoji>"}
    item["object_state"] = "<the object's state>"
    [parsed] = Steps.validate({"steps": [item]}).steps
    assert parsed.emoji == "" and parsed.object_state == ""


def test_a_subtask_copying_a_placeholder_is_rejected() -> None:
    with pytest.raises(ValueError, match="placeholder"):
        Subtasks.validate({"subtasks": [{"task": "<what the person does>", "minutes": 5}]})


def test_the_chain_format_has_no_concrete_example_to_copy() -> None:
    for concrete in ("frying", "eggs", "cook", "15"):
        assert concrete not in CHAIN_FORMAT


def test_the_decomposition_format_has_no_concrete_example_to_copy() -> None:
    from aga_npc.prompts.planning import decompose_messages

    [_system, user] = decompose_messages(
        persona={"name": "Ada Finch"},
        activity="have breakfast",
        start="07:00",
        duration=30,
        place=ADA_HOME,
        before="",
        after="",
    )
    answer_format = user.content.split("## Answer format", 1)[1]
    assert "<what the person does>" in answer_format
    assert "milk" not in answer_format and "fridge" not in answer_format
