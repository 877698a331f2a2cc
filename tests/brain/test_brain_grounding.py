"""grounding.py: checking per-action answers against the world (with fall-backs), other
people's beds, grounding the merged chain, binding stored routines for one agent, and the
actions an NPC falls back to."""

from __future__ import annotations

import pytest
from brain_kit import (
    ADA,
    ADA_BED,
    ADA_HOME,
    BEN,
    BEN_BED,
    BEN_HOME,
    CAFE,
    CLEO_BED,
    PARK,
    make_world,
    thing,
)

from aga_npc.brain import grounding
from aga_npc.brain.answers import ChainStep
from aga_npc.brain.profile import AgentProfile
from aga_npc.types import Action

CLEO = AgentProfile(name="Cleo Park", home=ADA_HOME, bed=CLEO_BED)
GUEST = AgentProfile(name="Dan Guest", home=ADA_HOME)  # no bed of his own


# ---------------------------------------------------------------------- options and picks


def test_pick_sector_accepts_listed_names_only() -> None:
    options = [ADA_HOME, CAFE, PARK]
    assert grounding.pick_sector(CAFE, options, ADA_HOME) == (CAFE, True)
    assert grounding.pick_sector("  cafe ", options, ADA_HOME) == (CAFE, True)
    assert grounding.pick_sector("the moon", options, ADA_HOME) == (ADA_HOME, False)
    assert grounding.pick_sector("", options, PARK) == (PARK, False)


def test_rooms_holding_only_other_peoples_beds_are_not_offered() -> None:
    world = make_world()
    assert set(grounding.arena_options(world, ADA_HOME, ADA)) == {"kitchen", "bedroom"}
    assert set(grounding.arena_options(world, ADA_HOME, CLEO)) == {"kitchen", "small room"}
    assert set(grounding.arena_options(world, ADA_HOME, GUEST)) == {
        "kitchen",
        "bedroom",
        "small room",
    }
    assert grounding.object_options(world, ADA_HOME, "small room", ADA) == []
    assert [o.address for o in grounding.object_options(world, ADA_HOME, "bedroom", ADA)] == [
        ADA_BED
    ]


def test_pick_arena_checks_the_answer_and_falls_back_to_the_best_room() -> None:
    world = make_world()
    assert grounding.pick_arena("Kitchen ", world, ADA_HOME, "x", ADA) == ("kitchen", True)
    assert grounding.pick_arena("attic", world, ADA_HOME, "fry eggs on the stove", ADA) == (
        "kitchen",
        False,
    )
    assert grounding.pick_arena("attic", world, ADA_HOME, "go to bed", ADA) == ("bedroom", False)
    # another person's bedroom is no answer, even when named
    room, valid = grounding.pick_arena("small room", world, ADA_HOME, "sleep", ADA)
    assert not valid and room != "small room"
    assert grounding.pick_arena("lawn", world, "Town Square", "walk", ADA) == ("", False)


def test_pick_object_by_name_or_address_with_an_afforded_verb() -> None:
    world = make_world()
    obj, verb, valid = grounding.pick_object(
        "STOVE", "cook", world, ADA_HOME, "kitchen", "fry eggs", ADA
    )
    assert obj is not None and obj.address == "Ada House:kitchen:stove" and verb == "cook"
    assert valid
    obj, _, valid = grounding.pick_object(
        "Ada House:kitchen:table", "eat", world, ADA_HOME, "kitchen", "eat", ADA
    )
    assert obj is not None and obj.name == "table" and valid


def test_a_walk_keeps_its_verb_at_the_object_it_ends_up_by() -> None:
    """ "Rosa walks over to Town Hall in the fresh air" spent its minutes reading at the
    office's bookshelf: the per-action chain puts every subtask on an object, and the
    object's own verb replaced the walk. The object is only where the walk ends up."""
    world = make_world()
    for subtask, answer, verb, moving in [
        ("Ada walks over to the back room in the fresh air", "desk", "read", "walk"),
        ("take a stroll through the park", "bench", "rest", "stroll"),
        ("walk over to the cafe", "dragon", "", "walk"),
        # "Amara walks over to Alder College in the fresh air" became 15 minutes of
        # teaching at a classroom's blackboard for the subtask "taking a slow walk"
        ("taking a slow walk", "desk", "read", "walk"),
        ("going for a short stroll in the park", "bench", "rest", "stroll"),
        ("heading out on a brisk walk", "desk", "read", "walk"),
    ]:
        sector, arena = ("Park", "lawn") if "park" in subtask else (CAFE, "back room")
        obj, picked, _ = grounding.pick_object(answer, verb, world, sector, arena, subtask, ADA)
        assert obj is not None and picked == moving, subtask
    # not a walk, or a walk to the very object: the object's verb stays
    for subtask, answer, verb in [
        ("read the reports at the desk", "desk", "read"),
        ("walk to the desk and read the reports", "desk", "read"),
        ("read a book after a walk", "desk", "read"),
    ]:
        _, picked, _ = grounding.pick_object(answer, verb, world, CAFE, "back room", subtask, ADA)
        assert picked == "read", subtask


def test_pick_object_falls_back_to_the_best_fit_and_a_verb_it_affords() -> None:
    world = make_world()
    obj, verb, valid = grounding.pick_object(
        "dragon", "ride", world, ADA_HOME, "kitchen", "read the paper at the table", ADA
    )
    assert obj is not None and obj.name == "table" and verb == "read" and not valid
    obj, verb, valid = grounding.pick_object(
        "table", "cook", world, ADA_HOME, "kitchen", "have a snack", ADA
    )
    assert obj is not None and obj.name == "table" and verb == "eat" and not valid
    assert grounding.pick_object("bed", "sleep", world, ADA_HOME, "small room", "x", ADA) == (
        None,
        "",
        False,
    )


# ---------------------------------------------------------------------- the merged chain


def chain(verb: str, target: str, minutes: int = 10, **extra: str) -> ChainStep:
    return ChainStep(
        verb=verb,
        target=target,
        minutes=minutes,
        description=extra.pop("description", verb),
        **extra,
    )


def test_ground_chain_steps_rejects_what_cannot_be_done_and_says_why() -> None:
    world = make_world()
    world.block("Ada Finch", "Ada House:kitchen:fridge")
    grounded = grounding.ground_chain_steps(
        [
            chain("cook", "Ada House:kitchen:stove", object_state="hot", emoji="🍳"),
            chain("cook", "Ada House:kitchen:toaster"),
            chain("sleep", "Ada House:kitchen:table"),
            chain("take", "Ada House:kitchen:fridge"),
            chain("think", "", description="plan the day"),
        ],
        world=world,
        agent="Ada Finch",
        subject="Ada Finch",
    )
    assert [(a.verb, a.target) for a in grounded.actions] == [
        ("cook", "Ada House:kitchen:stove"),
        ("think", ""),
    ]
    cook, think = grounded.actions
    assert cook.event == ("Ada Finch", "cook", "stove") and cook.emoji == "🍳"
    assert cook.object_state == "hot" and cook.object_event == ("stove", "is", "hot")
    assert think.event == ("Ada Finch", "think", "plan the day") and think.object_event == ()
    assert grounded.rejected == (
        "cook on Ada House:kitchen:toaster: no such object",
        "sleep on Ada House:kitchen:table: a table affords only eat, read, sit",
        "take on Ada House:kitchen:fridge: not reachable",
    )


# ---------------------------------------------------------------------- binding routines


def test_bind_resolves_place_symbols_to_the_agents_own_places() -> None:
    world = make_world()
    cook = Action(verb="cook", target="@home:kitchen:stove", duration=10)
    assert grounding.bind(cook, world, ADA, ADA_HOME) == cook.with_(
        target="Ada House:kitchen:stove"
    )
    serve = Action(verb="serve", target="@work:shop floor:counter", duration=10)
    assert grounding.bind(serve, world, BEN, CAFE) == serve.with_(target="Cafe:shop floor:counter")
    think = Action(verb="think", duration=5)
    assert grounding.bind(think, world, ADA, PARK) is think


@pytest.mark.parametrize(
    ("action", "profile", "place"),
    [
        (Action(verb="cook", target="@home:kitchen:stove"), ADA, CAFE),
        (Action(verb="serve", target="Cafe:shop floor:counter"), ADA, ADA_HOME),
        (Action(verb="work", target="@work:back room:desk"), CLEO, ADA_HOME),
        (Action(verb="sleep", target="Ada House:bedroom:bed"), BEN, ADA_HOME),
        (Action(verb="cook", target="Ada House:cellar:kiln"), ADA, ADA_HOME),
    ],
    ids=["other-place", "literal-elsewhere", "no-workplace", "bed-not-here", "nothing-alike"],
)
def test_bind_refuses_what_cannot_be_done_in_the_planned_place(
    action: Action, profile: AgentProfile, place: str
) -> None:
    assert grounding.bind(action, make_world(), profile, place) is None


def test_bind_across_homes_finds_the_same_kind_in_a_room_named_otherwise() -> None:
    world = make_world()
    cook = Action(verb="cook", target="@home:kitchen:stove", duration=10)
    eat = Action(verb="eat", target="@home:kitchen:table", duration=10)
    assert grounding.bind(cook, world, BEN, BEN_HOME) == cook.with_(
        target="Ben Flat:kitchenette:hob"
    )
    assert grounding.bind(eat, world, BEN, BEN_HOME) == eat.with_(target="Ben Flat:kitchenette:bar")
    # a routine written for one real home is not re-homed
    literal = Action(verb="cook", target="Ben Flat:kitchen:stove", duration=10)
    assert grounding.bind(literal, world, BEN, BEN_HOME) is None


def test_a_bed_in_a_routine_means_ones_own_bed() -> None:
    world = make_world()
    sleep = Action(verb="sleep", target="@home:bedroom:bed", duration=400)
    assert grounding.bind(sleep, world, CLEO, ADA_HOME) == sleep.with_(target=CLEO_BED)
    assert grounding.bind(sleep, world, ADA, ADA_HOME) == sleep.with_(target=ADA_BED)
    assert grounding.bind(sleep, world, BEN, BEN_HOME) == sleep.with_(target=BEN_BED)
    assert grounding.bind(sleep, world, GUEST, ADA_HOME) == sleep.with_(target=ADA_BED)


def test_a_taken_object_is_swapped_for_a_free_one_of_the_same_kind() -> None:
    world = make_world()
    world.put(thing("Ada House:kitchen:stove 2", "stove", ("cook",)))
    cook = Action(verb="cook", target="@home:kitchen:stove", duration=10)
    world.occupy("Ada House:kitchen:stove", "Cleo Park")
    assert grounding.bind(cook, world, ADA, ADA_HOME) == cook.with_(
        target="Ada House:kitchen:stove 2"
    )
    world.occupy("Ada House:kitchen:stove", "Ada Finch")
    assert grounding.bind(cook, world, ADA, ADA_HOME) == cook.with_(
        target="Ada House:kitchen:stove"
    )
    world.occupy("Ada House:kitchen:stove 2", "Ben Ortiz")
    world.occupy("Ada House:kitchen:stove", "Cleo Park")
    # all taken: wait for the one the routine names
    assert grounding.bind(cook, world, ADA, ADA_HOME) == cook.with_(
        target="Ada House:kitchen:stove"
    )


# ---------------------------------------------------------------------- fall-backs


def test_fallback_sleeps_in_the_own_bed_for_sleep() -> None:
    world = make_world()
    [action] = grounding.fallback_actions("sleep", ADA_HOME, 480, world, CLEO)
    assert (action.verb, action.target, action.duration) == ("sleep", CLEO_BED, 480)
    [action] = grounding.fallback_actions("take a nap", ADA_HOME, 30, world, ADA)
    assert (action.verb, action.target) == ("sleep", ADA_BED)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("fold napkins", CAFE),
        ("tidy the bedroom", ADA_HOME),
        ("make the bed", ADA_HOME),
        ("take a nap on the bench", PARK),
    ],
)
def test_fallback_does_not_send_anyone_to_bed_for_other_things(text: str, place: str) -> None:
    world = make_world()
    [action] = grounding.fallback_actions(text, place, 30, world, ADA)
    assert action.target != ADA_BED
    assert not action.target or action.target.startswith(place + ":")


def test_fallback_works_at_work_and_sits_elsewhere() -> None:
    world = make_world()
    [work] = grounding.fallback_actions("do the accounts", CAFE, 60, world, ADA)
    assert (work.verb, work.target, work.description) == (
        "work",
        "Cafe:back room:desk",
        "do the accounts",
    )
    [sit] = grounding.fallback_actions("meet friends", CAFE, 60, world, CLEO)
    assert (sit.verb, sit.target) == ("sit", "Cafe:shop floor:table 1")
    [park] = grounding.fallback_actions("enjoy the sun", PARK, 60, world, ADA)
    assert (park.verb, park.target) == ("sit", "Park:lawn:bench")


def test_fallback_skips_beds_full_and_unreachable_objects_then_thinks() -> None:
    world = make_world()
    world.block("Ada Finch", "Park:lawn:bench")
    [action] = grounding.fallback_actions("enjoy the sun", PARK, 45, world, ADA)
    assert (action.verb, action.target, action.duration) == ("think", "", 45)
    world.occupy("Ada House:kitchen:table", "a", "b", "c", "d")
    [home] = grounding.fallback_actions("relax", ADA_HOME, 30, world, ADA)
    assert home.target != "Ada House:kitchen:table"
    assert not home.target or world.object_at(home.target).kind != "bed"  # type: ignore[union-attr]
