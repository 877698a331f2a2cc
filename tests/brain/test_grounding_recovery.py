"""Grounding's recovery from a bad object answer, over objects with the map's real verbs
(aga_npc.world.kinds): a verb in another form is that verb ("sitting" -> "sit"), the
subtask's and the activity's words choose among the object's verbs, else a neutral verb,
never sleep unless the text is about sleeping; a missing object is replaced by the one the
answer's verb, the answer and the subtask point to, not the first listed (a bed, a
counter, a blackboard)."""

from __future__ import annotations

from typing import Any

import pytest
from brain_kit import Rig, sector_rooms, thing

from aga_npc.brain import grounding
from aga_npc.brain.answers import ChainStep
from aga_npc.brain.modes import Mode
from aga_npc.brain.profile import AgentProfile
from aga_npc.brain.resolver import Resolver, TickWork
from aga_npc.brain.services import BrainServices
from aga_npc.brain.settings import LoopSettings
from aga_npc.testing import FakeWorld
from aga_npc.types import ObjectInfo
from aga_npc.world.kinds import affordances

HOME = "Rose Cottage"
CAFE = "Juniper Cafe"
HALL = "Town Hall"
COLLEGE = "Alder College"
BED = f"{HOME}:bedroom:bed"
ROSA = AgentProfile(name="Rosa Lane", home=HOME, bed=BED, workplace=CAFE, role="barista")
PAUL = AgentProfile(name="Paul Kim", home="Elsewhere")  # a visitor everywhere here


def real(address: str, kind: str, *, capacity: int = 1) -> ObjectInfo:
    """An object with the verbs the map conventions give its kind."""
    return thing(address, kind, affordances(kind), capacity=capacity)


def objects() -> list[ObjectInfo]:
    return [
        real(BED, "bed"),
        real(f"{HOME}:bedroom:bookshelf", "bookshelf"),
        real(f"{HOME}:bedroom:desk", "desk"),
        real(f"{HOME}:kitchen:fridge", "fridge"),
        real(f"{HOME}:kitchen:sink", "sink"),
        real(f"{HOME}:kitchen:stove", "stove"),
        real(f"{HOME}:kitchen:table", "table", capacity=4),
        real(f"{HOME}:living room:bookshelf", "bookshelf"),
        real(f"{HOME}:living room:sofa", "sofa", capacity=3),
        real(f"{HOME}:living room:tv", "tv"),
        real(f"{CAFE}:cafe:counter", "counter", capacity=2),
        real(f"{CAFE}:cafe:table 1", "table", capacity=4),
        real(f"{CAFE}:cafe:table 2", "table", capacity=4),
        real(f"{HALL}:meeting room:table", "table", capacity=8),
        real(f"{HALL}:meeting room:bookshelf", "bookshelf"),
        real(f"{COLLEGE}:classroom:blackboard", "blackboard"),
        real(f"{COLLEGE}:classroom:desk 1", "desk"),
        real(f"{COLLEGE}:classroom:desk 2", "desk"),
        real(f"{COLLEGE}:classroom:desk 3", "desk"),
        real(f"{COLLEGE}:bathroom:toilet", "toilet"),
    ]


def world(minute: int = 14 * 60) -> FakeWorld:
    return FakeWorld(
        objects=objects(),
        minute=minute,
        homes={ROSA.name: HOME},
        works={ROSA.name: CAFE},
        places={ROSA.name: (HOME, "kitchen")},
    )


def pick(
    answer: str,
    verb: str,
    where: str,
    subtask: str,
    *,
    activity: str = "",
    profile: AgentProfile = ROSA,
    here: FakeWorld | None = None,
) -> tuple[str, str, bool]:
    sector, arena = where.split(":")
    obj, chosen, valid = grounding.pick_object(
        answer,
        verb,
        here or world(),
        sector,
        arena,
        subtask,
        profile,
        activity=activity,
    )
    return (obj.name if obj else "", chosen, valid)


# ---------------------------------------------------------------------- the answered verb


@pytest.mark.parametrize(
    ("answer", "verb", "where", "expected"),
    [
        ("table", "sitting", f"{HOME}:kitchen", "sit"),
        ("bookshelf", "browsing", f"{HOME}:living room", "browse"),
        ("stove", "cooking", f"{HOME}:kitchen", "cook"),
        ("sink", "washing the dishes", f"{HOME}:kitchen", "wash dishes"),
        ("sink", "brushes teeth", f"{HOME}:kitchen", "brush teeth"),
        ("sofa", "watching", f"{HOME}:living room", "watch tv"),
        ("counter", "ordering", f"{CAFE}:cafe", "order"),
        ("table", "chatting", f"{HALL}:meeting room", "chat"),
        ("desk", "writes", f"{HOME}:bedroom", "write"),
        ("fridge", "getting food", f"{HOME}:kitchen", "get food"),
    ],
)
def test_a_verb_in_another_form_is_that_verb(
    answer: str, verb: str, where: str, expected: str
) -> None:
    # the subtask names no verb: only the answered one can tell
    name, chosen, valid = pick(answer, verb, where, "carrying on for a while")
    assert (name, chosen, valid) == (answer, expected, False)


def test_a_resting_slip_on_a_bed_in_the_afternoon_is_rest_not_sleep() -> None:
    here = world(minute=14 * 60)
    for verb in ("resting", "rests", "ride", ""):
        name, chosen, _ = pick(
            "bed",
            verb,
            f"{HOME}:bedroom",
            "catching up on the news on the phone",
            activity="relax at home after lunch",
            here=here,
        )
        assert (name, chosen) == ("bed", "rest"), verb


def test_sleep_is_chosen_only_for_a_text_about_sleeping() -> None:
    assert pick("bed", "ride", f"{HOME}:bedroom", "dozing off for a while")[1] == "sleep"
    assert pick("bed", "ride", f"{HOME}:bedroom", "taking a nap")[1] == "nap"
    assert pick("bed", "ride", f"{HOME}:bedroom", "x", activity="go to bed")[1] == "sleep"
    # an answer that says it in another form is the answer, not a fall-back
    assert pick("bed", "sleeping", f"{HOME}:bedroom", "lying down")[1] == "sleep"


# ---------------------------------------------------------------------- the texts' words


@pytest.mark.parametrize(
    ("answer", "where", "subtask", "activity", "expected"),
    [
        # the subtask names the verb in another form
        ("desk", f"{HOME}:bedroom", "writing a letter to her aunt", "", "write"),
        ("table", f"{HOME}:kitchen", "reading the recipe", "", "read"),
        # the subtask's nouns ask for it
        ("table", f"{HOME}:kitchen", "having a quick snack", "", "eat"),
        ("sofa", f"{HOME}:living room", "putting on a film", "", "watch tv"),
        # only the activity tells
        ("table", f"{HALL}:meeting room", "pondering a while", "have lunch with Ben", "eat"),
        ("desk", f"{HOME}:bedroom", "pondering a while", "write the newsletter", "write"),
    ],
)
def test_the_subtask_then_the_activity_choose_the_verb(
    answer: str, where: str, subtask: str, activity: str, expected: str
) -> None:
    assert pick(answer, "ride", where, subtask, activity=activity)[1] == expected


@pytest.mark.parametrize(
    ("answer", "where", "profile", "expected"),
    [
        ("table", f"{HALL}:meeting room", ROSA, "sit"),  # was "eat" at a debate table
        ("table 1", f"{CAFE}:cafe", PAUL, "sit"),
        ("counter", f"{CAFE}:cafe", PAUL, "order"),  # a visitor does not "serve"
        ("counter", f"{CAFE}:cafe", ROSA, "work"),  # her own workplace
        ("desk", f"{HOME}:bedroom", ROSA, "read"),  # was "study"
        ("bookshelf", f"{HALL}:meeting room", ROSA, "browse"),
    ],
)
def test_with_nothing_to_go_by_a_neutral_verb_not_the_first(
    answer: str, where: str, profile: AgentProfile, expected: str
) -> None:
    name, chosen, valid = pick(
        answer,
        "ride",
        where,
        "listening to the candidates",
        activity="attend the debate",
        profile=profile,
    )
    assert (name, chosen, valid) == (answer, expected, False)


# ---------------------------------------------------------------------- a missing object


def test_a_missing_object_is_replaced_by_one_affording_the_answered_verb() -> None:
    # the classroom lists the blackboard first: a student's "write" goes to a desk
    name, chosen, _ = pick("chair", "write", f"{COLLEGE}:classroom", "working on an exercise")
    assert (name, chosen) == ("desk 1", "write")
    name, chosen, _ = pick("chair", "studying", f"{COLLEGE}:classroom", "following the class")
    assert (name, chosen) == ("desk 1", "study")


def test_a_tie_goes_to_the_object_the_subtask_names() -> None:
    name, chosen, _ = pick(
        "desk 9", "write", f"{COLLEGE}:classroom", "writing up notes at the desk 2"
    )
    assert (name, chosen) == ("desk 2", "write")
    # the answer's own words pick among the room's objects ("sofa cushion": the sofa)
    name, _, _ = pick("the sofa cushion", "", f"{HOME}:living room", "settling in")
    assert name == "sofa"
    # a two-letter kind is a word too
    name, chosen, _ = pick("remote", "", f"{HOME}:living room", "switching on the tv")
    assert (name, chosen) == ("tv", "watch tv")


def test_a_tie_never_goes_to_a_bed_unless_the_text_is_about_sleeping() -> None:
    # the bedroom lists the bed first
    name, chosen, _ = pick("chair", "", f"{HOME}:bedroom", "scrolling through the phone")
    assert name != "bed" and chosen not in ("sleep", "nap")
    name, chosen, _ = pick("chair", "", f"{HOME}:bedroom", "dozing off after lunch")
    assert (name, chosen) == ("bed", "sleep")
    # the answered verb is one the bed affords, awake: rest on it
    name, chosen, _ = pick("armchair", "rest", f"{HOME}:bedroom", "watching a show")
    assert (name, chosen) == ("bed", "rest")


def test_a_room_with_only_a_bed_for_sleeping_gives_no_object_rather_than_sleep() -> None:
    beds = FakeWorld(objects=[thing("Inn:room:cot", "bed", ("sleep", "nap"))], minute=14 * 60)
    obj, verb, valid = grounding.pick_object(
        "chair", "read", beds, "Inn", "room", "reading the paper", PAUL
    )
    assert (obj, verb, valid) == (None, "", False)
    obj, verb, _ = grounding.pick_object("cot", "read", beds, "Inn", "room", "reading", PAUL)
    assert (obj, verb) == (None, "")


def test_the_old_fall_backs_still_hold_for_valid_answers() -> None:
    assert pick("table", "eat", f"{HOME}:kitchen", "x") == ("table", "eat", True)
    assert pick(f"{HOME}:kitchen:stove", "cook", f"{HOME}:kitchen", "x") == (
        "stove",
        "cook",
        True,
    )


# ---------------------------------------------------------------------- the merged chain


def test_the_merged_chain_reads_a_verb_in_another_form_as_that_verb() -> None:
    here = world()
    grounded = grounding.ground_chain_steps(
        [
            ChainStep(verb="sitting", target=f"{HOME}:kitchen:table", minutes=5, description="x"),
            ChainStep(
                verb="washing dishes", target=f"{HOME}:kitchen:sink", minutes=5, description="y"
            ),
            ChainStep(verb="use", target=f"{COLLEGE}:bathroom:toilet", minutes=5, description="z"),
        ],
        world=here,
        agent=ROSA.name,
        subject=ROSA.name,
    )
    assert [(a.verb, a.event[1]) for a in grounded.actions] == [
        ("sit", "sit"),
        ("wash dishes", "wash dishes"),
    ]
    # a verb that only starts like one is still wrong (the re-ask says so)
    assert grounded.rejected == (
        f"use on {COLLEGE}:bathroom:toilet: a toilet affords only use toilet",
    )


# ---------------------------------------------------------------------- through the chain


def chain_handlers(subtask: str, answer: dict[str, str]) -> dict[str, Any]:
    return {
        "decompose": {"subtasks": [{"task": subtask, "minutes": 30}]},
        "action_sector": lambda ctx: {"sector": ctx["planned_place"]},
        "action_arena": {"arena": "bedroom"},
        "action_object": answer,
        "action_emoji": "🙂",
        "object_emoji": "🙂",
        "action_event": {"subject": ROSA.name, "predicate": "is", "object": "busy"},
        "object_state": {"state": "in use"},
        "object_event": {"subject": "bed", "predicate": "is", "object": "in use"},
    }


def resolve(r: Rig, text: str, here: FakeWorld) -> Any:
    book = r.book(ROSA.name)
    resolver = Resolver(
        profile=ROSA,
        mode=Mode.BASELINE,
        settings=LoopSettings.for_mode(Mode.BASELINE),
        requests=book,
        services=BrainServices(
            requests=r.gateway,
            embedder=r.embedder,
            cached_vector=r.embedder.cached,
            policy=None,
        ),
        sectors=sector_rooms,
    )
    start = 14 * 60
    res = resolver.ensure((1, 1, 0), text=text, place=HOME, start=start, duration=30)
    for _ in range(60):
        resolver.advance(res, start, here, TickWork())
        if res.ready:
            return res
        r.settle(book)
    raise AssertionError("never ready")


def test_a_resting_slip_through_the_chain_at_two_in_the_afternoon(rig: Any) -> None:
    r = rig(
        chain_handlers(
            "scrolling the news on the phone at the bed", {"object": "bed", "verb": "resting"}
        )
    )
    res = resolve(r, "relax in the bedroom", world(minute=14 * 60))
    [action] = res.actions
    assert (action.target, action.verb) == (BED, "rest")


def test_the_chain_hands_grounding_the_activity(rig: Any) -> None:
    # the subtask says nothing; the activity (the plan item) asks for reading
    r = rig(chain_handlers("settling in for a while", {"object": "desk", "verb": "ride"}))
    res = resolve(r, "read a novel in the bedroom", world())
    [action] = res.actions
    assert (action.target, action.verb) == (f"{HOME}:bedroom:desk", "read")
    r = rig(chain_handlers("settling in for a while", {"object": "desk", "verb": "ride"}))
    res = resolve(r, "write the newsletter in the bedroom", world())
    assert res.actions[0].verb == "write"
