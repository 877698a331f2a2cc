"""decompose answers: grounded in the listed objects, converging with a forbidden list."""

from __future__ import annotations

from collections import Counter

import pytest
from offline_town import OBJECTS, TinyWorld, decompose_request, json_of, objects_of, text_of

from aga_npc.offline.decompose import MISTAKE_RATE
from aga_npc.planning.decompose import ground_steps, validate_decompose_json
from aga_npc.prompts import decompose_messages
from aga_npc.types import LLMRequest, Module

CASES = [
    # activity, place, role, duration, an object kind the steps must use
    ("have toast and coffee for breakfast", "Brook House", "", 25, "table"),
    ("cook dinner and eat at home", "Lantern House", "", 60, "stove"),
    ("wake up, shower and get dressed", "Alder Dorm", "student", 30, "shower"),
    ("go to sleep", "Mill Cottage", "", 480, "bed"),
    ("serve coffee at the counter", "Juniper Cafe", "barista", 240, "counter"),
    ("get a coffee at Juniper Cafe", "Juniper Cafe", "student", 45, "counter"),
    ("teach a class at Alder College", "Alder College", "professor", 120, "blackboard"),
    ("study in the library", "Alder College", "student", 120, "table"),
    ("paint at home for a while", "Rowan Cottage", "", 60, "easel"),
    ("tend the flower beds in Elm Park", "Elm Park", "gardener", 180, "garden"),
    ("read a book on the sofa", "Brook House", "", 90, "sofa"),
    ("have a drink at The Copper Kettle", "The Copper Kettle", "", 90, "bar"),
    ("buy groceries at Pine Street Grocery", "Pine Street Grocery", "", 45, "shelf"),
    ("chair a council meeting at Town Hall", "Town Hall", "mayor", 120, "table"),
    ("play the piano", "Lantern House", "", 60, "piano"),
    ("watch TV", "Brook House", "", 60, "tv"),
    ("tend the bar at The Copper Kettle", "The Copper Kettle", "bartender", 200, "bar"),
]
WORLD = TinyWorld()


def answer(activity: str, place: str, role: str, duration: int, seed: int, forbidden=()) -> dict:
    text = text_of(
        decompose_request(activity, place, duration=duration, role=role, forbidden=forbidden),
        seed=seed,
    )
    return validate_decompose_json(json_of(text))


@pytest.mark.parametrize(("activity", "place", "role", "duration", "kind"), CASES)
def test_activities_map_to_the_right_objects(
    activity: str, place: str, role: str, duration: int, kind: str
) -> None:
    used_kind = 0
    for seed in range(10):
        value = answer(activity, place, role, duration, seed)
        steps = value["steps"]
        assert 1 <= len(steps) <= 6
        listed = {o["address"] for o in objects_of(place)}
        kinds = {OBJECTS[s["object"]].kind for s in steps if s["object"] in listed}
        used_kind += kind in kinds
        assert abs(sum(s["minutes"] for s in steps) - duration) <= 6
        used = [s["object"] for s in steps if s["object"]]
        required = [r["object"] for r in value["condition"]["requires"]]
        assert required == list(dict.fromkeys(used))
        assert all(r["state"] == "" for r in value["condition"]["requires"])
    # 10 seeds: the ~3% deliberate model slips and recipe variants may miss the kind once or
    # twice, never more
    assert used_kind >= 8, (activity, used_kind)


def test_sleep_uses_a_bed_to_sleep_and_a_meal_in_a_cafe_is_ordered() -> None:
    for seed in range(10):
        steps = answer("go to bed", "Brook House", "", 480, seed)["steps"]
        assert [s for s in steps if s["verb"] == "sleep" and OBJECTS[s["object"]].kind == "bed"]
        steps = answer("have lunch at Juniper Cafe", "Juniper Cafe", "", 45, seed)["steps"]
        verbs = [s["verb"] for s in steps]
        assert "order" in verbs and "eat" in verbs and "cook" not in verbs


def test_rooms_follow_the_activity() -> None:
    for seed in range(10):
        steps = answer("study in the library", "Alder College", "student", 90, seed)["steps"]
        assert any(":library:" in s["object"] for s in steps if s["object"])
        steps = answer("attend class at Alder College", "Alder College", "student", 90, seed)[
            "steps"
        ]
        assert all(":classroom A:" in s["object"] for s in steps if s["object"])
        steps = answer("brush teeth and shower", "Brook House", "", 20, seed)["steps"]
        assert all(":bathroom:" in s["object"] for s in steps if s["object"])


def test_grounding_mostly_succeeds_and_mistakes_are_rare_but_real() -> None:
    results = Counter()
    for activity, place, role, duration, _kind in CASES:
        for seed in range(40):
            grounding = ground_steps(
                answer(activity, place, role, duration, seed), world=WORLD, agent="Maria"
            )
            results["ok" if grounding.ok else "rejected"] += 1
    share = results["rejected"] / sum(results.values())
    assert 0.005 <= share <= 2.5 * MISTAKE_RATE


def test_with_a_forbidden_list_only_listed_objects_and_their_verbs_are_used() -> None:
    for activity, place, role, duration, _kind in CASES:
        for seed in range(30):
            value = answer(activity, place, role, duration, seed, forbidden=["nothing: example"])
            assert ground_steps(value, world=WORLD, agent="Maria").ok, (activity, seed)


def test_the_validation_loop_converges() -> None:
    """Re-asking with the rejected lines as the forbidden list fixes every answer."""
    world = TinyWorld(unreachable=["Brook House:kitchen:stove", "Juniper Cafe:cafe:table 1"])
    attempts_needed = Counter()
    for activity, place, role, duration, _kind in CASES:
        for seed in range(30):
            forbidden: list[str] = []
            for attempt in range(1, 4):
                value = answer(activity, place, role, duration, seed, forbidden=forbidden)
                grounding = ground_steps(value, world=world, agent="Maria")
                if not grounding.rejected:
                    attempts_needed[attempt] += 1
                    break
                forbidden.extend(grounding.rejected)
            else:
                pytest.fail(f"no convergence for {activity!r} seed {seed}: {forbidden}")
    assert set(attempts_needed) <= {1, 2}
    assert attempts_needed[2] > 0


def test_an_unreachable_object_is_not_used_again() -> None:
    line = "cook on Brook House:kitchen:stove: not reachable"
    pair = "eat on Brook House:kitchen:table: a table affords only sit, read"
    for seed in range(30):
        value = answer("cook dinner and eat", "Brook House", "", 60, seed, forbidden=[line, pair])
        objects = [s["object"] for s in value["steps"]]
        assert "Brook House:kitchen:stove" not in objects
        assert not any(
            s["verb"] == "eat" and s["object"].endswith(":table") for s in value["steps"]
        )


def test_nothing_fits_gives_one_step_without_an_object() -> None:
    value = answer("juggle flaming torches", "Town Square", "", 30, 1)
    assert value["steps"] == [
        {"verb": "juggle", "object": "", "minutes": 30, "description": "juggle flaming torches"}
    ]
    assert value["condition"]["requires"] == []
    request = LLMRequest(
        agent="Bo",
        module=Module.DECOMPOSE,
        messages=decompose_messages(
            persona={"name": "Bo"},
            activity="relax",
            duration=20,
            place="Nowhere",
            time="10:00",
            objects=[],
        ),
        json=True,
    )
    steps = validate_decompose_json(json_of(text_of(request, seed=2)))["steps"]
    assert len(steps) == 1 and steps[0]["object"] == ""


def test_wording_and_order_vary_across_seeds() -> None:
    descriptions = set()
    orders = set()
    for seed in range(12):
        steps = answer("make and eat breakfast", "Brook House", "", 30, seed)["steps"]
        descriptions.add(tuple(s["description"] for s in steps))
        steps = answer("wake up and get ready", "Brook House", "", 30, seed)["steps"]
        orders.add(
            tuple(s["verb"] for s in steps if s["verb"] in ("shower", "brush teeth", "use toilet"))
        )
    assert len(descriptions) >= 8
    assert len(orders) >= 3


def test_completion_length_is_realistic() -> None:
    sizes = [
        len(text_of(decompose_request(a, p, duration=d, role=r), seed=s))
        for a, p, r, d, _k in CASES
        for s in range(4)
    ]
    assert min(sizes) >= 120 and max(sizes) <= 1400
    assert 350 <= sum(sizes) / len(sizes) <= 1000
