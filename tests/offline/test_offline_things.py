"""The stand-in plans from the town's things: no household object the map lacks, the game's
own kinds at work and in the pastimes a persona's words name, decompositions on them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aga_npc.offline.decompose import build_steps
from aga_npc.offline.phrasing import make_rng
from aga_npc.offline.plan_day import build_plan, plan_items
from aga_npc.prompts import extract_context
from aga_npc.prompts.planning import THINGS_NOTE, daily_plan_messages

PLACES = ["Willow Cottage", "Green Field", "Mill Pond", "Village Market"]
THINGS: list[dict[str, Any]] = [
    {"kind": "bed", "verbs": ["sleep", "rest", "nap"], "places": ["Willow Cottage"]},
    {"kind": "stove", "verbs": ["cook"], "places": ["Willow Cottage"]},
    {"kind": "fridge", "verbs": ["get food", "store food"], "places": ["Willow Cottage"]},
    {"kind": "sink", "verbs": ["wash", "wash dishes", "brush teeth"], "places": ["Willow Cottage"]},
    {
        "kind": "table",
        "verbs": ["eat", "sit", "work", "read", "write", "chat"],
        "places": ["Willow Cottage"],
    },
    {"kind": "bench", "verbs": ["sit", "rest", "read", "chat"], "places": ["Mill Pond"]},
    {"kind": "field", "verbs": ["harvest", "plant", "water"], "places": ["Green Field"]},
    {"kind": "fishing spot", "verbs": ["fish", "sit"], "places": ["Mill Pond"], "minutes": 30},
    {"kind": "market stall", "verbs": ["trade", "sell", "buy"], "places": ["Village Market"]},
]
ANGLER = {
    "name": "Tom Reed",
    "age": 52,
    "traits": ["patient", "quiet"],
    "lifestyle": "Tom wakes at 5:30, works the field all morning and fishes by the pond "
    "in the late afternoon.",
    "home": "Willow Cottage",
    "workplace": "Green Field",
    "role": "farmer",
    "work_days": ["mon", "tue", "wed", "thu", "fri", "sat"],
}
HOMEBODY = {
    "name": "Mae Reed",
    "age": 49,
    "traits": ["chatty", "easygoing"],
    "lifestyle": "Mae likes quiet evenings at home.",
    "home": "Willow Cottage",
}
_MEALS = ("breakfast", "brunch", "lunch", "dinner")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ABSENT = re.compile(r"\b(tv|television|piano|sofa|couch|shelf|shelves|desk|counter|easel)\b")


def _context(persona: Mapping[str, Any], weekday: str, things: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "persona": dict(persona),
        "day": {"weekday": weekday, "day": DAYS.index(weekday) + 1},
        "wake_up": "06:00",
        "memories": [],
        "invitations": [],
        "places": PLACES,
    }
    if things is not None:
        context["things"] = things
    return context


def _week(persona: Mapping[str, Any], things: Any, seeds: range = range(3)) -> list[Any]:
    items = []
    for seed in seeds:
        for weekday in DAYS:
            rng = make_rng(seed, f"{persona['name']}:{weekday}")
            items += plan_items(_context(persona, weekday, things), rng)
    return items


def test_no_plan_names_a_household_object_the_farm_lacks() -> None:
    for persona in (ANGLER, HOMEBODY):
        texts = [i.text.lower() for i in _week(persona, THINGS)]
        assert texts and not [t for t in texts if _ABSENT.search(t)]


def test_without_the_list_the_same_personas_do_name_them() -> None:
    """The bad case: the same plans with no things listed (the demo town's prompts) name a
    TV, a sofa or a desk, so the filter above is what keeps them out."""
    texts = [i.text.lower() for p in (ANGLER, HOMEBODY) for i in _week(p, None)]
    assert [t for t in texts if _ABSENT.search(t)]


def test_an_empty_or_absent_list_plans_the_same_day() -> None:
    for weekday in DAYS[:3]:
        a = build_plan(_context(ANGLER, weekday, None), make_rng(0, weekday))
        b = build_plan(_context(ANGLER, weekday, []), make_rng(0, weekday))
        assert a == b


def test_a_persona_who_fishes_by_the_pond_goes_fishing_at_the_pond() -> None:
    items = _week(ANGLER, THINGS)
    fishing = [i for i in items if re.search(r"\bfish", i.text.lower()) and i.kind not in _MEALS]
    assert fishing, "the angler never fished in three weeks"
    assert {i.place for i in fishing} == {"Mill Pond"}


def test_a_persona_who_never_mentions_fishing_is_not_sent_fishing() -> None:
    items = [i for i in _week(HOMEBODY, THINGS) if i.kind not in _MEALS]
    assert items and not [i for i in items if re.search(r"\bfish", i.text.lower())]


def test_work_at_a_workplace_of_the_games_own_kinds_uses_their_verbs() -> None:
    work = [i for i in _week(ANGLER, THINGS) if i.kind == "work"]
    assert work and all(i.place == "Green Field" for i in work)
    verbs = {v for i in work for v in ("harvest", "plant", "water") if v in i.text.lower()}
    assert len(verbs) >= 2, [i.text for i in work]


def test_a_requirement_naming_a_things_verb_goes_where_that_thing_is() -> None:
    persona = {**HOMEBODY, "daily_requirements": ["fish for an hour"]}
    items = _week(persona, THINGS, range(1))
    wishes = [i for i in items if i.kind == "wish" and "fish" in i.text.lower()]
    assert wishes and {i.place for i in wishes} == {"Mill Pond"}


def test_the_decomposition_fishes_at_the_fishing_spot() -> None:
    objects = [
        {
            "address": "Mill Pond:shore:fishing spot",
            "kind": "fishing spot",
            "verbs": ["fish", "sit"],
        },
        {
            "address": "Mill Pond:shore:bench",
            "kind": "bench",
            "verbs": ["sit", "rest", "read", "chat"],
        },
    ]
    for seed in range(10):
        steps = build_steps(
            {
                "persona": ANGLER,
                "activity": "Tom fishes by the pond",
                "duration": 60,
                "place": "Mill Pond",
                "objects": objects,
                "forbidden": ["nothing"],  # no deliberate slip
            },
            make_rng(seed, "fish"),
        )["steps"]
        used = [(s["verb"], s["object"]) for s in steps if s["object"]]
        assert ("fish", "Mill Pond:shore:fishing spot") in used, steps


def test_the_daily_plan_prompt_lists_the_things_only_when_given() -> None:
    persona = {"name": "Tom Reed", "home": "Willow Cottage"}
    plain = daily_plan_messages(
        persona=persona,
        day={"weekday": "monday"},
        wake_up="06:00",
        memories=[],
        invitations=[],
        places=PLACES,
    )
    listed = daily_plan_messages(
        persona=persona,
        day={"weekday": "monday"},
        wake_up="06:00",
        memories=[],
        invitations=[],
        places=PLACES,
        things=THINGS,
    )
    assert "things" not in (extract_context(plain) or {})
    assert THINGS_NOTE not in plain[-1].content
    assert (extract_context(listed) or {})["things"] == THINGS
    assert THINGS_NOTE in listed[-1].content


SHOPKEEPER = {
    "name": "Ida Vance",
    "age": 40,
    "traits": ["brisk"],
    "lifestyle": "Ida keeps the corner shop open six days a week.",
    "home": "Rose Cottage",
    "workplace": "Corner Shop",
    "role": "shopkeeper",
}
HOUSEHOLD_ONLY = [
    {"kind": "bed", "verbs": ["sleep", "rest", "nap"], "places": ["Rose Cottage"]},
    {"kind": "stove", "verbs": ["cook"], "places": ["Rose Cottage"]},
    {"kind": "table", "verbs": ["eat", "sit", "work"], "places": ["Rose Cottage", "Corner Shop"]},
]


def _shop_work(things: Any) -> list[str]:
    texts = []
    for seed in range(3):
        for weekday in DAYS[:5]:
            context = {
                **_context(SHOPKEEPER, weekday, things),
                "places": ["Rose Cottage", "Corner Shop"],
            }
            texts += [
                i.text.lower()
                for i in plan_items(context, make_rng(seed, weekday))
                if i.kind == "work"
            ]
    return texts


def test_a_shop_without_counter_or_shelves_is_worked_without_them() -> None:
    named = re.compile(r"\b(counter|shelves|shelf|till|stock)\b")
    listed = _shop_work(HOUSEHOLD_ONLY)
    assert listed and not [t for t in listed if named.search(t)], listed
    assert [t for t in _shop_work(None) if named.search(t)]  # the town of every kind: they are


def test_a_remembered_piano_does_not_inspire_a_plan_on_a_farm_without_one() -> None:
    memories = ["Silas Grue played the piano at the party and everyone sang"]

    def inspired(things: Any) -> list[str]:
        texts = []
        for seed in range(3):
            for weekday in DAYS:
                context = {**_context(HOMEBODY, weekday, things), "memories": memories}
                texts += [i.text for i in plan_items(context, make_rng(seed, weekday))]
        return [t for t in texts if "piano" in t.lower()]

    assert inspired(None)  # in a town with a piano, the memory inspires playing it
    assert inspired(THINGS) == []
