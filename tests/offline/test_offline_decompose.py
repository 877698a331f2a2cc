"""decompose answers: grounded in the listed objects, converging with a forbidden list.

The answers are built with ``answer_action_chain`` (the ``aga`` mode's merged call) from the
context block the brain sends (persona,
activity, duration, place, time, objects, forbidden), so these tests do not depend on how
the backend routes request kinds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest

from aga_npc.brain.answers import Steps
from aga_npc.brain.grounding import Grounded, ground_chain_steps
from aga_npc.offline.act_chain import answer_action_chain
from aga_npc.offline.decompose import MISTAKE_RATE
from aga_npc.offline.phrasing import make_rng
from aga_npc.types import ObjectInfo
from aga_npc.world.kinds import KIND_AFFORDANCES

# sector -> arena -> object names (kind = name without a trailing number)
LAYOUT: dict[str, dict[str, tuple[str, ...]]] = {
    "Brook House": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "living room": ("sofa", "tv"),
        "main bedroom": ("bed 1", "bed 2"),
        "kids room": ("bed 1", "bed 2"),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Alder Dorm": {
        "common kitchen": ("stove", "fridge", "sink", "table 1", "table 2"),
        "lounge": ("sofa", "tv"),
        "room 1": ("bed 1", "bed 2", "desk 1", "desk 2"),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Rowan Cottage": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "bedroom": ("bed 1", "bed 2"),
        "studio": ("easel",),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Lantern House": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "living room": ("piano", "sofa"),
        "bedroom": ("bed 1", "bed 2"),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Mill Cottage": {
        "kitchen": ("stove", "fridge", "sink", "table"),
        "bedroom": ("bed 1",),
        "bathroom": ("shower", "toilet", "sink"),
    },
    "Juniper Cafe": {
        "cafe": ("counter", "table 1", "table 2", "table 3"),
        "kitchen": ("stove", "fridge", "sink"),
    },
    "Alder College": {
        "classroom A": ("desk 1", "desk 2", "desk 3", "blackboard"),
        "library": ("bookshelf 1", "bookshelf 2", "table 1", "table 2"),
        "office": ("desk 1", "desk 2"),
    },
    "Pine Street Grocery": {
        "store": ("shelf 1", "shelf 2", "shelf 3", "counter"),
        "storeroom": ("shelf",),
    },
    "The Copper Kettle": {
        "bar room": ("bar", "table 1", "table 2", "piano"),
        "kitchen": ("stove", "fridge", "sink"),
    },
    "Town Hall": {"office": ("desk 1", "desk 2"), "meeting room": ("table",)},
    "Elm Park": {"park": ("bench 1", "bench 2", "garden", "fountain")},
    "Town Square": {"square": ("bench 1", "bench 2", "fountain")},
}
PLACES = tuple(LAYOUT)
HOMES = ("Brook House", "Alder Dorm", "Rowan Cottage", "Lantern House", "Mill Cottage")


def _kind(name: str) -> str:
    return re.sub(r" \d+$", "", name)


OBJECTS: dict[str, ObjectInfo] = {}
for _sector, _arenas in LAYOUT.items():
    for _arena, _names in _arenas.items():
        for _name in _names:
            _k = _kind(_name)
            _addr = f"{_sector}:{_arena}:{_name}"
            OBJECTS[_addr] = ObjectInfo(
                address=_addr,
                kind=_k,
                sector=_sector,
                arena=_arena,
                name=_name,
                affordances=KIND_AFFORDANCES[_k],
            )


class TinyWorld:
    """A read-only ``WorldView`` over ``OBJECTS``; ``unreachable`` addresses fail reachability."""

    def __init__(self, unreachable: Sequence[str] = ()) -> None:
        self.unreachable = set(unreachable)

    def minute_of_day(self) -> int:
        return 8 * 60

    def objects(
        self,
        *,
        kind: str | None = None,
        sector: str | None = None,
        arena: str | None = None,
        agent: str | None = None,
    ) -> Sequence[ObjectInfo]:
        return [
            o
            for o in OBJECTS.values()
            if (kind is None or o.kind == kind)
            and (sector is None or o.sector == sector)
            and (arena is None or o.arena == arena)
        ]

    def object_at(self, address: str) -> ObjectInfo | None:
        return OBJECTS.get(address)

    def is_reachable(self, agent: str, address: str) -> bool:
        return address in OBJECTS and address not in self.unreachable

    def agent_place(self, agent: str) -> tuple[str, str] | None:
        return None

    def resolve_sector(self, agent: str, sector: str) -> str | None:
        return sector


def objects_of(sector: str) -> list[dict[str, Any]]:
    """The decompose context's object lines for one place, as the brain builds them."""
    return [
        {"address": o.address, "kind": o.kind, "verbs": list(o.affordances)}
        for o in OBJECTS.values()
        if o.sector == sector
    ]


def decompose_context(
    activity: str,
    place: str,
    *,
    duration: int = 30,
    role: str = "",
    forbidden: Sequence[str] = (),
    time: str = "08:00",
    name: str = "Maria Lopez",
    objects: Sequence[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The decompose prompt's context block, as the brain fills it."""
    context: dict[str, Any] = {
        "persona": {"name": name, "role": role},
        "activity": activity,
        "duration": duration,
        "place": place,
        "time": time,
        "objects": list(objects_of(place) if objects is None else objects),
    }
    if forbidden:
        context["forbidden"] = list(forbidden)
    return context


def text_of(context: dict[str, Any], seed: int = 0) -> str:
    digest = hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest()
    return answer_action_chain(context, make_rng(seed, digest))


def validated(value: Any) -> dict[str, Any]:
    """The answer checked by the brain's validator (raises when it would be re-asked)."""
    Steps.validate(value)
    return value


def ground_steps(value: Any, *, world: Any, agent: str) -> Grounded:
    """The brain's grounding of the merged chain's steps."""
    return ground_chain_steps(Steps.validate(value).steps, world=world, agent=agent, subject=agent)


_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)```", re.DOTALL)


def json_of(text: str) -> Any:
    """The JSON object in a reply: whole text, else a code fence, else the first object."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    fence = _FENCE.search(text)
    if fence:
        return json.loads(fence.group(1))
    start = text.index("{")
    value, _ = json.JSONDecoder().raw_decode(text, start)
    return value


def decompose_request(activity: str, place: str, **kw: Any) -> dict[str, Any]:
    return decompose_context(activity, place, **kw)


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
    return validated(json_of(text))


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
        assert all(s["emoji"] for s in steps)
        assert all(s.get("object_state") for s in steps if s["object"]), used
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
            results["rejected" if grounding.rejected else "ok"] += 1
    share = results["rejected"] / sum(results.values())
    assert 0.005 <= share <= 2.5 * MISTAKE_RATE


def test_with_a_forbidden_list_only_listed_objects_and_their_verbs_are_used() -> None:
    for activity, place, role, duration, _kind in CASES:
        for seed in range(30):
            value = answer(activity, place, role, duration, seed, forbidden=["nothing: example"])
            assert not ground_steps(value, world=WORLD, agent="Maria").rejected, (activity, seed)


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
    # A third attempt is needed only when a deliberate slip (a wrong verb) hides that the
    # object is also unreachable: the grounding reports one problem per step.
    assert set(attempts_needed) <= {1, 2, 3}
    assert attempts_needed[3] <= 2
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
        {
            "verb": "juggle",
            "object": "",
            "minutes": 30,
            "description": "juggle flaming torches",
            "emoji": "🙂",
        }
    ]
    request = decompose_context(
        "relax", "Nowhere", duration=20, name="Bo", time="10:00", objects=[]
    )
    steps = validated(json_of(text_of(request, seed=2)))["steps"]
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


def test_a_shift_at_ones_own_workplace_is_the_roles_work_not_desk_work() -> None:
    """Found in the 25-NPC town: the barista's "work the afternoon shift at Juniper Cafe for
    the regulars" read as the generic work recipe (work and shift are its words) and wrote
    a report at a cafe table."""
    for activity in ("work the afternoon shift for the regulars", "work the shift"):
        verbs: set[str] = set()
        for seed in range(10):
            steps = answer(activity, "Juniper Cafe", "barista", 120, seed)["steps"]
            verbs |= {s["verb"] for s in steps}
        assert "write" not in verbs, (activity, verbs)
        assert {"serve", "prepare drinks"} <= verbs, (activity, verbs)


def test_the_generic_work_recipe_still_serves_roles_without_their_own() -> None:
    verbs = {
        s["verb"]
        for seed in range(10)
        for s in answer("work on the project at the desk", "Alder Dorm", "", 60, seed)["steps"]
    }
    assert "work" in verbs


def test_making_paper_decorations_is_a_craft_at_a_table() -> None:
    """It was read as desk work and writing, and browsed a bookshelf."""
    kinds: Counter[str] = Counter()
    for seed in range(10):
        for s in answer("make paper decorations", "Alder Dorm", "student", 60, seed)["steps"]:
            if s["object"] in OBJECTS:
                kinds[OBJECTS[s["object"]].kind] += 1
            assert s["verb"] not in ("write", "browse", "read"), s
    assert kinds["table"] + kinds["desk"] >= 8, kinds
